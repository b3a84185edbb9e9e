//! Outbound webhooks on the wire: endpoints, their delivery log, and the
//! admin's forms.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A registered receiver. Admins only ever see it, so it carries the
/// signing secret: a receiver needs it to check signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// Event names (`incident.created`, …) it receives.
    pub events: Vec<String>,
    pub enabled: bool,
    pub secret: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

/// One event owed to one endpoint, and how sending it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    pub id: i64,
    pub event: String,
    /// `pending`, `delivered` or `failed` (gave up).
    pub status: String,
    pub attempts: i64,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// An endpoint's page: the endpoint and its newest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDetail {
    pub endpoint: WebhookEndpoint,
    pub deliveries: Vec<WebhookDelivery>,
}

/// A new endpoint (no `id`) or a change to one, with the version it read.
/// Each event is a checkbox (absent when unticked), as is `enabled`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSave {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub version: Option<i64>,
    pub url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub incident_created: Option<String>,
    #[serde(default)]
    pub status_changed: Option<String>,
    #[serde(default)]
    pub postmortem_published: Option<String>,
    #[serde(default)]
    pub action_item_overdue: Option<String>,
    #[serde(default)]
    pub enabled: Option<String>,
}

/// "Send a test event" to endpoint `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookTest {
    pub id: i64,
}

/// "Retry now" for a failed delivery of endpoint `endpoint`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRetry {
    pub endpoint: i64,
    pub delivery: i64,
}
