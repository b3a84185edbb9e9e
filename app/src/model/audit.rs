use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One field's value before and after a change; `None` is "not set".
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One row of the append-only audit log.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// UTC.
    pub at: DateTime<Utc>,
    /// The actor's email at the time, or `system`.
    pub actor: String,
    /// `browser`, `api`, `webhook` or `cli`.
    pub channel: String,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub changes: Vec<AuditChange>,
}

/// Which audit rows to list, newest first.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    /// The actor's email.
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: Option<i64>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub items: Vec<AuditRow>,
}
