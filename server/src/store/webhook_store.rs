//! Outbound webhooks as the store sees them: endpoints, the deliveries owed
//! to them, the dispatcher's place in the audit log, and the senders' leases.
use app::model::{AuditRow, WebhookDelivery, WebhookEndpoint};
use chrono::{DateTime, NaiveDate, Utc};

use super::{AuditWrite, StoreError};

/// An endpoint's settings as the service validated them.
#[derive(Debug, Clone)]
pub struct EndpointWrite {
    pub url: String,
    pub description: String,
    /// Event names, each one of `WebhookEvent::as_str`.
    pub events: Vec<String>,
    pub enabled: bool,
}

/// One event to deliver to every enabled endpoint that subscribes to `event`.
#[derive(Debug, Clone)]
pub struct EventWrite {
    /// Unique per event (`audit:<id>`, `overdue:<item>:<day>`): enqueueing
    /// the same key twice for an endpoint adds nothing.
    pub key: String,
    pub event: String,
    /// The JSON body, signed as stored.
    pub payload: String,
}

/// What the dispatcher enqueues in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Enqueue {
    pub events: Vec<EventWrite>,
    /// The audit row the dispatcher has now read up to, if it moved.
    pub audit_cursor: Option<i64>,
    /// Overdue items announced by these events: `(item id, due day)`.
    pub announced: Vec<(i64, NaiveDate)>,
}

/// An open action item past its due day that was not yet announced for it.
#[derive(Debug, Clone)]
pub struct OverdueAction {
    pub id: i64,
    pub incident_id: i64,
    pub title: String,
    pub status: String,
    pub priority: String,
    pub due_on: NaiveDate,
    pub owner: Option<String>,
}

/// A delivery a sender has leased: what to post, where, and how to sign it.
#[derive(Debug, Clone)]
pub struct LeasedDelivery {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// How one attempt went.
#[derive(Debug, Clone)]
pub enum AttemptOutcome {
    Delivered {
        status_code: i64,
    },
    /// Failed; try again at `next_attempt_at`.
    Retry {
        status_code: Option<i64>,
        error: String,
        next_attempt_at: DateTime<Utc>,
    },
    /// Failed for the last time.
    GaveUp {
        status_code: Option<i64>,
        error: String,
    },
}

#[async_trait::async_trait]
pub trait WebhookStore: Send + Sync + 'static {
    async fn webhook_endpoints(&self) -> Result<Vec<WebhookEndpoint>, StoreError>;
    async fn webhook_endpoint(&self, id: i64) -> Result<Option<WebhookEndpoint>, StoreError>;
    async fn insert_webhook_endpoint(
        &self,
        endpoint: &EndpointWrite,
        secret: &str,
        created_by: Option<i64>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<WebhookEndpoint, StoreError>;
    /// Saves if the version is still `expected_version`.
    async fn update_webhook_endpoint(
        &self,
        id: i64,
        expected_version: i64,
        endpoint: &EndpointWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<WebhookEndpoint, StoreError>;
    /// An endpoint's newest deliveries first.
    async fn webhook_deliveries(
        &self,
        endpoint_id: i64,
        limit: i64,
    ) -> Result<Vec<WebhookDelivery>, StoreError>;
    /// One event for one endpoint, whatever it subscribes to (a test event).
    async fn enqueue_for_endpoint(
        &self,
        endpoint_id: i64,
        event: &EventWrite,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Makes a failed delivery pending again, due now. False if it is not
    /// a failed delivery of that endpoint.
    async fn retry_webhook_delivery(
        &self,
        endpoint_id: i64,
        delivery_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Where the dispatcher stands in the audit log.
    async fn webhook_cursor(&self) -> Result<i64, StoreError>;
    /// Audit rows after `after_id`, oldest first.
    async fn audit_after(&self, after_id: i64, limit: i64) -> Result<Vec<AuditRow>, StoreError>;
    /// The incident a postmortem belongs to.
    async fn postmortem_incident(&self, postmortem_id: i64) -> Result<Option<i64>, StoreError>;
    /// Open items due before `today` not yet announced for their due day.
    async fn unannounced_overdue(
        &self,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<OverdueAction>, StoreError>;
    /// In one transaction: a delivery per event and subscribed, enabled
    /// endpoint (skipping ones that exist), the cursor, the announced items.
    async fn enqueue_webhooks(&self, batch: &Enqueue, now: DateTime<Utc>)
    -> Result<(), StoreError>;

    /// Leases up to `limit` pending deliveries due by `now` to enabled
    /// endpoints that no one else holds, until `lease_until`.
    async fn lease_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<LeasedDelivery>, StoreError>;
    /// Records an attempt and releases the lease.
    async fn finish_webhook_attempt(
        &self,
        delivery_id: i64,
        outcome: &AttemptOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
