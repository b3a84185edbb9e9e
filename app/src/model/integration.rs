//! Inbound webhook integrations (Alertmanager, PagerDuty) as the admin page
//! shows and changes them.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Severity;

/// Which alerting system posts to an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationKind {
    Alertmanager,
    Pagerduty,
}

impl IntegrationKind {
    pub const ALL: [IntegrationKind; 2] = [Self::Alertmanager, Self::Pagerduty];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alertmanager => "alertmanager",
            Self::Pagerduty => "pagerduty",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Alertmanager => "Alertmanager",
            Self::Pagerduty => "PagerDuty",
        }
    }

    /// The path the alerting system posts to.
    pub fn webhook_path(self) -> &'static str {
        match self {
            Self::Alertmanager => "/api/v1/webhooks/alertmanager",
            Self::Pagerduty => "/api/v1/webhooks/pagerduty",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| "must be alertmanager or pagerduty".to_string())
    }
}

/// One integration, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationView {
    pub id: i64,
    pub kind: IntegrationKind,
    pub name: String,
    /// The last 4 characters of the token or signing secret.
    pub secret_hint: String,
    pub default_severity: Severity,
    pub default_service: Option<String>,
    pub enabled: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// When the last event arrived, if any did.
    pub last_event_at: Option<DateTime<Utc>>,
    pub events: i64,
}

/// The integrations admin page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationAdmin {
    pub integrations: Vec<IntegrationView>,
    /// A new Alertmanager token, shown once after a form post without JavaScript.
    #[serde(default)]
    pub revealed_token: Option<String>,
}

/// A new integration. `secret` is PagerDuty's signing secret; Alertmanager's
/// token is generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationInput {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub default_severity: String,
    #[serde(default)]
    pub default_service: String,
    #[serde(default)]
    pub secret: String,
}

/// A change to an integration: `action` is `enable`, `disable` or `rotate`
/// (a new Alertmanager token).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationChange {
    pub id: i64,
    pub version: i64,
    pub action: String,
}

/// A saved integration, and its Alertmanager token when one was just made
/// (shown once, never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationSaved {
    pub integration: IntegrationView,
    pub token: Option<String>,
}
