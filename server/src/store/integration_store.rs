//! Inbound webhook integrations, the events they received (for
//! de-duplication) and the incidents an outside key opened.
use app::domain::Severity;
use app::model::IntegrationKind;
use chrono::{DateTime, Utc};

use super::{AuditWrite, StoreError};

/// An integration as stored, with its secret material and event figures.
#[derive(Debug, Clone)]
pub struct StoredIntegration {
    pub id: i64,
    pub kind: IntegrationKind,
    pub name: String,
    /// Alertmanager: SHA-256 of the bearer token.
    pub token_hash: Option<String>,
    /// PagerDuty: the signing secret, as given.
    pub signing_secret: Option<String>,
    pub secret_hint: String,
    pub default_severity: Severity,
    pub default_service: Option<String>,
    pub enabled: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub last_event_at: Option<DateTime<Utc>>,
    pub events: i64,
}

/// A new integration, validated.
#[derive(Debug, Clone)]
pub struct IntegrationWrite {
    pub kind: IntegrationKind,
    pub name: String,
    pub token_hash: Option<String>,
    pub signing_secret: Option<String>,
    pub secret_hint: String,
    pub default_severity: Severity,
    pub default_service: Option<String>,
    pub created_by: String,
}

/// What a change sets: enabled, and for a rotation a new token hash and hint.
#[derive(Debug, Clone)]
pub struct IntegrationUpdate {
    pub enabled: bool,
    pub new_token: Option<(String, String)>,
}

#[async_trait::async_trait]
pub trait IntegrationStore: Send + Sync + 'static {
    /// Every integration, by name.
    async fn integrations(&self) -> Result<Vec<StoredIntegration>, StoreError>;
    async fn integration(&self, id: i64) -> Result<Option<StoredIntegration>, StoreError>;
    async fn integration_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<StoredIntegration>, StoreError>;
    /// Adds an integration (`Duplicate` when the name is taken); its id.
    async fn insert_integration(
        &self,
        integration: &IntegrationWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<i64, StoreError>;
    /// Changes an integration if its version is still `expected_version`.
    async fn update_integration(
        &self,
        id: i64,
        expected_version: i64,
        update: &IntegrationUpdate,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    /// Records that event `key` arrived; `false` when it had already arrived.
    async fn claim_event(
        &self,
        integration_id: i64,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Records what handling a claimed event did.
    async fn finish_event(
        &self,
        integration_id: i64,
        key: &str,
        outcome: &str,
        incident_id: Option<i64>,
    ) -> Result<(), StoreError>;
    /// Forgets a claimed event whose handling failed, so a retry is handled.
    async fn release_event(&self, integration_id: i64, key: &str) -> Result<(), StoreError>;
    /// The newest incident that `external_key` opened.
    async fn linked_incident(
        &self,
        integration_id: i64,
        external_key: &str,
    ) -> Result<Option<i64>, StoreError>;
    async fn link_incident(
        &self,
        integration_id: i64,
        external_key: &str,
        incident_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
