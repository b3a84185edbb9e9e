//! The append-only audit log as the store sees it.
use app::model::{AuditChange, AuditRow};

use super::StoreError;

/// Who changed something, and how: stored with the change, in its transaction.
#[derive(Debug, Clone)]
pub struct AuditWrite {
    pub actor_id: Option<i64>,
    /// The actor's email, or `system`.
    pub actor: String,
    pub channel: &'static str,
    pub action: String,
    pub changes: Vec<AuditChange>,
}

impl AuditWrite {
    pub fn with_action(&self, action: &str, changes: Vec<AuditChange>) -> Self {
        Self {
            action: action.to_string(),
            changes,
            ..self.clone()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

#[async_trait::async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// The total matching, and one page of them, newest first.
    async fn audit(&self, filter: &AuditFilter) -> Result<(i64, Vec<AuditRow>), StoreError>;
}
