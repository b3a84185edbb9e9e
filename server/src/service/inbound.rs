//! Inbound webhooks: Alertmanager and PagerDuty events open and update
//! incidents through the same use-cases people use, with an actor whose
//! channel is `Webhook` (so timestamps they set record their source as
//! webhook, and the audit log says how the change arrived).
//!
//! Every event is claimed in `inbound_events` before it is handled: a second
//! delivery of the same key changes nothing and answers `duplicate`. A
//! handling that fails releases its claim, so the sender's retry is handled.
mod alertmanager;
mod pagerduty;
mod signature;

use app::domain::{Milestone, Status};
use app::model::{Caller, Incident, IncidentInput, IncidentPatch, TimelineInput};
use app::port::{Actor, Channel};
use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;

use super::{IncidentService, ServiceError};
use crate::store::StoredIntegration;

pub use alertmanager::AlertmanagerPayload;
pub use pagerduty::PagerDutyPayload;

/// How many times a status move re-reads and retries after a concurrent
/// human edit took the version it read.
const STATUS_MOVE_ATTEMPTS: usize = 4;

/// What a delivery did, as the sender sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WebhookOutcome {
    /// `created`, `updated`, `duplicate` or `ignored`.
    pub outcome: &'static str,
    /// The incident the event touched (`INC-7`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
}

impl WebhookOutcome {
    fn new(outcome: &'static str, incident: Option<i64>) -> Self {
        Self {
            outcome,
            incident: incident.map(|id| format!("INC-{id}")),
        }
    }
}

/// What handling one event did to the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handled {
    Created(i64),
    Updated(i64),
    Ignored,
}

impl Handled {
    fn outcome(self) -> &'static str {
        match self {
            Self::Created(_) => "created",
            Self::Updated(_) => "updated",
            Self::Ignored => "ignored",
        }
    }

    fn incident(self) -> Option<i64> {
        match self {
            Self::Created(id) | Self::Updated(id) => Some(id),
            Self::Ignored => None,
        }
    }
}

/// The actor of every change an integration makes.
fn webhook_actor() -> Actor {
    Actor::new(Caller::System, Channel::Webhook)
}

/// Timestamps are stored to the second; never after `now`.
fn stamp(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    at.min(now).trunc_subsecs(0).to_rfc3339()
}

/// One line of outside text: control characters dropped, at most `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    words.join(" ").chars().take(max).collect()
}

/// A service label from outside text, or `None` if it cannot be one.
fn service_label(text: &str) -> Option<String> {
    let label: String = text
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    let label = label.trim_matches('-').to_string();
    (!label.is_empty()).then_some(label)
}

/// `at` for `milestone`, no earlier than the milestones before it and no
/// later than now, so the order check holds.
fn milestone_stamp(incident: &Incident, milestone: Milestone, at: DateTime<Utc>) -> String {
    let floor = Milestone::ORDERED
        .iter()
        .take_while(|m| **m != milestone)
        .filter_map(|m| incident.milestones.get(*m))
        .max();
    let at = floor.map_or(at, |floor| at.max(floor));
    stamp(at, super::now())
}

impl IncidentService {
    /// Claims `key`, runs `handle`, and records its outcome; a key already
    /// claimed is a duplicate and `handle` does not run.
    async fn once<F, Fut>(
        &self,
        integration: &StoredIntegration,
        key: &str,
        handle: F,
    ) -> Result<Option<Handled>, ServiceError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Handled, ServiceError>>,
    {
        let now = super::now();
        if !self.store.claim_event(integration.id, key, now).await? {
            return Ok(None);
        }
        match handle().await {
            Ok(handled) => {
                self.store
                    .finish_event(integration.id, key, handled.outcome(), handled.incident())
                    .await?;
                Ok(Some(handled))
            }
            Err(e) => {
                if let Err(release) = self.store.release_event(integration.id, key).await {
                    tracing::warn!(%release, "could not release a webhook event's claim");
                }
                Err(e)
            }
        }
    }

    /// The newest incident `external_key` opened, if it is still active.
    async fn open_linked(
        &self,
        integration: &StoredIntegration,
        external_key: &str,
    ) -> Result<Option<Incident>, ServiceError> {
        let Some(id) = self
            .store
            .linked_incident(integration.id, external_key)
            .await?
        else {
            return Ok(None);
        };
        let incident = self.store.incident(id).await?;
        Ok(incident.filter(|i| i.status.is_active()))
    }

    /// Opens an incident for `external_key` and links them.
    async fn open_for(
        &self,
        integration: &StoredIntegration,
        external_key: &str,
        input: IncidentInput,
    ) -> Result<i64, ServiceError> {
        let incident = self.create(input, &webhook_actor()).await?;
        self.store
            .link_incident(integration.id, external_key, incident.id, super::now())
            .await?;
        Ok(incident.id)
    }

    async fn webhook_entry(
        &self,
        incident_id: i64,
        kind: &str,
        body: String,
        at: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let input = TimelineInput {
            kind: Some(kind.into()),
            body,
            occurred_at: Some(stamp(at, super::now())),
        };
        self.add_entry(&incident_id.to_string(), input, &webhook_actor())
            .await?;
        Ok(())
    }

    /// Moves an incident to `target` if `should_move` says so for its
    /// current status, with `note` on the status-change entry; the
    /// milestone the move sets is `at` (kept after the earlier milestones),
    /// recorded as set by webhook. A concurrent edit is re-read and the move
    /// retried; it never overwrites. `false` when the incident did not need
    /// the move.
    async fn webhook_move(
        &self,
        incident_id: i64,
        target: Status,
        should_move: fn(Status) -> bool,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, ServiceError> {
        let mut last = None;
        for _ in 0..STATUS_MOVE_ATTEMPTS {
            let current = self.load(incident_id).await?;
            if !should_move(current.status) {
                return Ok(false);
            }
            let mut patch = IncidentPatch {
                version: current.version,
                status: Some(target.as_str().into()),
                note: Some(note.into()),
                ..IncidentPatch::default()
            };
            if let Some(milestone) = target.milestone() {
                let when = Some(Some(milestone_stamp(&current, milestone, at)));
                match milestone {
                    Milestone::Acknowledged => patch.acknowledged_at = when,
                    Milestone::Mitigated => patch.mitigated_at = when,
                    _ => {}
                }
            }
            match self
                .update(&incident_id.to_string(), patch, &webhook_actor())
                .await
            {
                Ok(_) => return Ok(true),
                Err(conflict @ ServiceError::Conflict { .. }) => last = Some(conflict),
                Err(other) => return Err(other),
            }
        }
        Err(last.unwrap_or_else(|| ServiceError::Internal("status move not tried".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_is_made_safe() {
        assert_eq!(one_line("a\u{0}b\n  c", 10), "a b c");
        assert_eq!(one_line("abcdef", 3), "abc");
        assert_eq!(service_label("Checkout API"), Some("checkout-api".into()));
        assert_eq!(service_label("  !!  "), None);
        assert_eq!(service_label("node-exporter"), Some("node-exporter".into()));
    }

    #[test]
    fn stamps_are_whole_seconds_and_never_ahead() {
        let now: DateTime<Utc> = "2026-01-01T10:00:00Z".parse().unwrap();
        let early: DateTime<Utc> = "2026-01-01T09:00:00.750Z".parse().unwrap();
        assert_eq!(stamp(early, now), "2026-01-01T09:00:00+00:00");
        let late: DateTime<Utc> = "2026-01-01T10:01:00Z".parse().unwrap();
        assert_eq!(stamp(late, now), "2026-01-01T10:00:00+00:00");
    }
}
