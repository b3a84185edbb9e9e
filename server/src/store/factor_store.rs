//! Contributing factors as the store sees them: the taxonomy, and the
//! factors recorded on incidents.
use app::model::{Factor, IncidentFactor};
use chrono::{DateTime, Utc};

use super::{AuditWrite, StoreError};

/// A validated taxonomy entry to store.
#[derive(Debug, Clone)]
pub struct FactorWrite {
    pub name: String,
    pub description: String,
    pub retired: bool,
}

#[async_trait::async_trait]
pub trait FactorStore: Send + Sync + 'static {
    /// The whole taxonomy, retired entries included, by name.
    async fn taxonomy(&self) -> Result<Vec<Factor>, StoreError>;
    /// Adds a taxonomy entry (`Duplicate` when the name is taken).
    async fn insert_factor(
        &self,
        factor: &FactorWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Factor, StoreError>;
    /// Changes a taxonomy entry if its version is still `expected_version`.
    async fn update_factor(
        &self,
        id: i64,
        expected_version: i64,
        factor: &FactorWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Factor, StoreError>;
    async fn incident_factors(&self, incident_id: i64) -> Result<Vec<IncidentFactor>, StoreError>;
    /// Records a factor on an incident (`Duplicate` when already there).
    async fn add_incident_factor(
        &self,
        incident_id: i64,
        factor_id: i64,
        explanation: &str,
        added_by: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
    /// Takes a factor off an incident (`NotFound` when it is not there).
    async fn remove_incident_factor(
        &self,
        incident_id: i64,
        id: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;
}
