//! Audit changes built the same way for every backend.
use app::model::AuditChange;

/// A change that records the id of a row just created.
pub(in crate::store) fn created(field: &str, id: i64) -> AuditChange {
    AuditChange {
        field: field.to_string(),
        before: None,
        after: Some(id.to_string()),
    }
}
