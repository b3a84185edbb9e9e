//! The dispatcher follows the audit log by id, as the indexer follows the
//! outbox, and turns the rows that are events into deliveries: one per
//! subscribed, enabled endpoint, written in the same transaction that moves
//! its cursor. A crash between reading and writing repeats the batch, and
//! the unique (endpoint, event key) drops what was already queued, so an
//! event is queued exactly once. Overdue action items are found by a
//! periodic scan and remembered per due day, in the same way.
use std::collections::HashSet;
use std::sync::Arc;

use app::domain::WebhookEvent;
use app::model::AuditRow;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{WebhookSettings, payload};
use crate::store::{Enqueue, EventWrite, Store, StoreError};

/// Audit rows read per step.
const BATCH: i64 = 200;

pub struct Dispatcher {
    store: Arc<dyn Store>,
    settings: WebhookSettings,
}

/// Which event an audit row is, if any. Imports are history, not news.
fn event_of(row: &AuditRow) -> Option<WebhookEvent> {
    match (row.entity.as_str(), row.action.as_str()) {
        ("incident", "create") => Some(WebhookEvent::IncidentCreated),
        ("incident", "status") => Some(WebhookEvent::StatusChanged),
        ("postmortem", "postmortem.status") => {
            let (before, after) = payload::changed(row, "status")?;
            let was_draft = matches!(before.as_deref(), Some("draft" | "in_review"));
            let is_published = matches!(after.as_deref(), Some("published" | "complete"));
            (was_draft && is_published).then_some(WebhookEvent::PostmortemPublished)
        }
        _ => None,
    }
}

impl Dispatcher {
    pub fn new(store: Arc<dyn Store>, settings: WebhookSettings) -> Self {
        Self { store, settings }
    }

    /// The events some enabled endpoint wants.
    async fn wanted(&self) -> Result<HashSet<String>, StoreError> {
        Ok(self
            .store
            .webhook_endpoints()
            .await?
            .into_iter()
            .filter(|e| e.enabled)
            .flat_map(|e| e.events)
            .collect())
    }

    /// The event one audit row describes, ready to queue.
    async fn audit_event(
        &self,
        row: &AuditRow,
        event: WebhookEvent,
    ) -> Result<Option<EventWrite>, StoreError> {
        let public_url = self.settings.public_url.as_deref();
        let incident_id = match event {
            WebhookEvent::PostmortemPublished => {
                match self.store.postmortem_incident(row.entity_id).await? {
                    Some(id) => id,
                    None => return Ok(None),
                }
            }
            _ => row.entity_id,
        };
        let Some(incident) = self.store.incident(incident_id).await? else {
            return Ok(None);
        };
        let key = format!("audit:{}", row.id);
        let mut body = payload::envelope(
            &key,
            event.as_str(),
            row.at,
            payload::incident(&incident, public_url),
        );
        match event {
            WebhookEvent::StatusChanged => {
                let (from, to) = payload::changed(row, "status").unwrap_or_default();
                body["change"] = json!({"field": "status", "from": from, "to": to});
            }
            WebhookEvent::PostmortemPublished => {
                let url = public_url.map(|base| {
                    format!(
                        "{}/incidents/{}/postmortem",
                        base.trim_end_matches('/'),
                        incident.human_id
                    )
                });
                body["postmortem"] = json!({"id": row.entity_id, "url": url});
            }
            _ => {}
        }
        Ok(Some(EventWrite {
            key,
            event: event.as_str().to_string(),
            payload: body.to_string(),
        }))
    }

    /// Queues the events of the next audit rows. Returns the rows read.
    pub async fn follow_audit(&self) -> Result<usize, StoreError> {
        let cursor = self.store.webhook_cursor().await?;
        let rows = self.store.audit_after(cursor, BATCH).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(0);
        };
        let wanted = self.wanted().await?;
        let mut batch = Enqueue {
            audit_cursor: Some(last),
            ..Enqueue::default()
        };
        for row in &rows {
            let Some(event) = event_of(row).filter(|e| wanted.contains(e.as_str())) else {
                continue;
            };
            batch.events.extend(self.audit_event(row, event).await?);
        }
        self.store.enqueue_webhooks(&batch, now()).await?;
        Ok(rows.len())
    }

    /// Queues one event per open item that became overdue, once per due day.
    pub async fn announce_overdue(&self) -> Result<usize, StoreError> {
        let now = now();
        let today = now.date_naive();
        let items = self.store.unannounced_overdue(today, BATCH).await?;
        if items.is_empty() {
            return Ok(0);
        }
        let event = WebhookEvent::ActionItemOverdue;
        let wanted = self.wanted().await?.contains(event.as_str());
        let mut batch = Enqueue::default();
        for item in &items {
            batch.announced.push((item.id, item.due_on));
            if !wanted {
                continue;
            }
            let Some(incident) = self.store.incident(item.incident_id).await? else {
                continue;
            };
            let key = format!("overdue:{}:{}", item.id, item.due_on);
            let incident = payload::incident(&incident, self.settings.public_url.as_deref());
            let mut body = payload::envelope(&key, event.as_str(), now, incident);
            body["action_item"] = payload::overdue_item(item, today);
            batch.events.push(EventWrite {
                key,
                event: event.as_str().to_string(),
                payload: body.to_string(),
            });
        }
        self.store.enqueue_webhooks(&batch, now).await?;
        Ok(items.len())
    }

    /// Follows the audit log every poll, and scans for overdue items every
    /// `overdue_every`, until aborted.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut last_scan: Option<tokio::time::Instant> = None;
            loop {
                match self.follow_audit().await {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "webhook dispatcher; retrying"),
                }
                let due = last_scan.is_none_or(|at| at.elapsed() >= self.settings.overdue_every);
                if due {
                    last_scan = Some(tokio::time::Instant::now());
                    if let Err(e) = self.announce_overdue().await {
                        tracing::error!(error = %e, "webhook overdue scan; retrying");
                    }
                }
                tokio::time::sleep(self.settings.poll).await;
            }
        })
    }
}

/// Now, to the millisecond: the stored text forms then sort in time order.
pub fn now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(3)
}

#[cfg(test)]
mod tests {
    use app::model::AuditChange;

    use super::*;

    fn row(entity: &str, action: &str, status: Option<(&str, &str)>) -> AuditRow {
        AuditRow {
            id: 7,
            at: Utc::now(),
            actor: "ada@example.com".into(),
            channel: "browser".into(),
            entity: entity.into(),
            entity_id: 3,
            action: action.into(),
            changes: status
                .map(|(before, after)| AuditChange {
                    field: "status".into(),
                    before: Some(before.into()),
                    after: Some(after.into()),
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn audit_rows_map_to_the_four_events_and_nothing_else() {
        let created = row("incident", "create", None);
        assert_eq!(event_of(&created), Some(WebhookEvent::IncidentCreated));
        let status = row("incident", "status", Some(("investigating", "resolved")));
        assert_eq!(event_of(&status), Some(WebhookEvent::StatusChanged));
        let published = row(
            "postmortem",
            "postmortem.status",
            Some(("in_review", "published")),
        );
        assert_eq!(
            event_of(&published),
            Some(WebhookEvent::PostmortemPublished)
        );
        let straight_to_complete = row(
            "postmortem",
            "postmortem.status",
            Some(("in_review", "complete")),
        );
        assert_eq!(
            event_of(&straight_to_complete),
            Some(WebhookEvent::PostmortemPublished)
        );
        for quiet in [
            row("incident", "update", None),
            row("incident", "import", None),
            row(
                "postmortem",
                "postmortem.status",
                Some(("draft", "in_review")),
            ),
            // Completing, and back to published when an item opens again.
            row(
                "postmortem",
                "postmortem.status",
                Some(("published", "complete")),
            ),
            row(
                "postmortem",
                "postmortem.status",
                Some(("complete", "published")),
            ),
            row(
                "postmortem",
                "postmortem.reopen",
                Some(("published", "draft")),
            ),
            row("webhook_endpoint", "webhook.create", None),
        ] {
            assert_eq!(event_of(&quiet), None, "{} {}", quiet.entity, quiet.action);
        }
    }
}
