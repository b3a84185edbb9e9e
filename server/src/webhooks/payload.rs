//! What an event says: `{id, event, occurred_at, incident: {…}, …}`. The
//! `id` is the event's key, the same for every endpoint that receives it,
//! so receivers can drop repeats.
use app::model::{AuditRow, Incident};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::store::OverdueAction;

/// An incident as every payload shows it; `url` only with `--public-url`.
pub fn incident(incident: &Incident, public_url: Option<&str>) -> Value {
    json!({
        "id": incident.id,
        "human_id": incident.human_id,
        "title": incident.title,
        "severity": incident.severity.as_str(),
        "status": incident.status.as_str(),
        "url": public_url.map(|base| format!("{}/incidents/{}", base.trim_end_matches('/'), incident.human_id)),
    })
}

pub fn envelope(key: &str, event: &str, occurred_at: DateTime<Utc>, incident: Value) -> Value {
    json!({
        "id": key,
        "event": event,
        "occurred_at": occurred_at,
        "incident": incident,
    })
}

/// `before` and `after` of the audit row's `field`.
pub fn changed(row: &AuditRow, field: &str) -> Option<(Option<String>, Option<String>)> {
    row.changes
        .iter()
        .find(|c| c.field == field)
        .map(|c| (c.before.clone(), c.after.clone()))
}

pub fn overdue_item(item: &OverdueAction, today: chrono::NaiveDate) -> Value {
    json!({
        "id": item.id,
        "title": item.title,
        "status": item.status,
        "priority": item.priority,
        "due_on": item.due_on,
        "days_overdue": (today - item.due_on).num_days(),
        "owner": item.owner,
    })
}
