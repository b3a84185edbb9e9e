use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::EntryKind;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: i64,
    pub incident_id: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: EntryKind,
    /// Markdown as written.
    pub body: String,
    /// Rendered and sanitised; safe to insert as HTML.
    pub body_html: String,
    pub author: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
