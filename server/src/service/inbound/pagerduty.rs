//! PagerDuty's Webhooks v3: one event per delivery, signed with HMAC-SHA256,
//! keyed by `event.id`. A PagerDuty incident maps to one Firebreak incident.
use app::domain::{Severity, Status};
use app::model::{IncidentInput, IntegrationKind};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::signature::{matches, v1_signatures};
use super::{Handled, WebhookOutcome, one_line, service_label};
use crate::service::{IncidentService, ServiceError};
use crate::store::StoredIntegration;

/// Events older (or further ahead) than this are refused as replays.
const MAX_AGE: Duration = Duration::minutes(5);

#[derive(Debug, Clone, Deserialize)]
pub struct PagerDutyPayload {
    pub event: PagerDutyEvent,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PagerDutyEvent {
    pub id: String,
    pub event_type: String,
    #[serde(default)]
    pub resource_type: String,
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub agent: Option<Reference>,
    pub data: EventData,
}

/// A reference to another PagerDuty object.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reference {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub html_url: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventData {
    #[serde(default)]
    pub id: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub service: Option<Reference>,
    #[serde(default)]
    pub html_url: String,
    #[serde(default)]
    pub priority: Option<Reference>,
    /// On `incident.annotated`: the incident the note is on, and the note.
    #[serde(default)]
    pub incident: Option<Reference>,
    #[serde(default)]
    pub content: Option<String>,
}

impl PagerDutyEvent {
    /// The PagerDuty incident this event is about.
    pub fn incident_key(&self) -> Option<String> {
        let id = match &self.data.incident {
            Some(r) if !r.id.trim().is_empty() => r.id.trim(),
            _ => self.data.id.trim(),
        };
        (!id.is_empty()).then(|| format!("incident:{id}"))
    }

    /// P1 → SEV1; otherwise urgency high → SEV2, low → SEV3.
    pub fn severity(&self, default: Severity) -> Severity {
        let priority = self.data.priority.as_ref().map(|p| p.summary.trim());
        if priority.is_some_and(|p| p.eq_ignore_ascii_case("P1")) {
            return Severity::Sev1;
        }
        match self.data.urgency.as_deref().map(str::trim) {
            Some(u) if u.eq_ignore_ascii_case("high") => Severity::Sev2,
            Some(u) if u.eq_ignore_ascii_case("low") => Severity::Sev3,
            _ => default,
        }
    }

    fn agent(&self) -> String {
        match &self.agent {
            Some(a) if !a.summary.trim().is_empty() => format!(" by {}", one_line(&a.summary, 100)),
            _ => String::new(),
        }
    }

    fn link(&self) -> String {
        let url = &self.data.html_url;
        if url.starts_with("https://") || url.starts_with("http://") {
            format!("\n\n<{}>", one_line(url, 2000).replace('>', "%3E"))
        } else {
            String::new()
        }
    }
}

/// Refuses events from more than 5 minutes ago (or ahead): replays.
pub fn check_fresh(event: &PagerDutyEvent, now: DateTime<Utc>) -> Result<(), ServiceError> {
    if event.id.trim().is_empty() {
        return Err(ServiceError::invalid("event.id", "must not be empty"));
    }
    if event.occurred_at < now - MAX_AGE || event.occurred_at > now + MAX_AGE {
        return Err(ServiceError::invalid(
            "event.occurred_at",
            "is more than 5 minutes from now: a replayed or delayed event is refused",
        ));
    }
    Ok(())
}

fn unacknowledged(status: Status) -> bool {
    status == Status::Investigating
}

fn unmitigated(status: Status) -> bool {
    matches!(status, Status::Investigating | Status::Identified)
}

impl IncidentService {
    /// The PagerDuty integration whose secret signed `body`.
    pub async fn authenticate_pagerduty(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
    ) -> Result<StoredIntegration, ServiceError> {
        let signatures = v1_signatures(signature_header.unwrap_or_default());
        if signatures.is_empty() {
            return Err(ServiceError::Unauthorized(
                "X-PagerDuty-Signature with a v1=<hex> signature is required".into(),
            ));
        }
        let signer = self
            .store
            .integrations()
            .await?
            .into_iter()
            .filter(|i| i.kind == IntegrationKind::Pagerduty)
            .find(|i| {
                i.signing_secret
                    .as_deref()
                    .is_some_and(|secret| matches(secret, body, &signatures))
            })
            .ok_or_else(|| {
                ServiceError::Unauthorized(
                    "the signature matches no PagerDuty integration's signing secret".into(),
                )
            })?;
        if !signer.enabled {
            return Err(ServiceError::Forbidden(format!(
                "the integration {} is disabled",
                signer.name
            )));
        }
        Ok(signer)
    }

    pub async fn receive_pagerduty(
        &self,
        integration: &StoredIntegration,
        payload: PagerDutyPayload,
    ) -> Result<WebhookOutcome, ServiceError> {
        let event = payload.event;
        check_fresh(&event, crate::service::now())?;
        let _turn = self.inbound_turn.lock().await;
        let handled = self
            .once(integration, &format!("event:{}", event.id.trim()), || {
                self.pagerduty_event(integration, &event)
            })
            .await?;
        Ok(match handled {
            None => WebhookOutcome::new("duplicate", None),
            Some(h) => WebhookOutcome::new(h.outcome(), h.incident()),
        })
    }

    async fn pagerduty_event(
        &self,
        integration: &StoredIntegration,
        event: &PagerDutyEvent,
    ) -> Result<Handled, ServiceError> {
        let Some(key) = event.incident_key() else {
            return Ok(Handled::Ignored);
        };
        let open = self.open_linked(integration, &key).await?.map(|i| i.id);
        let at = event.occurred_at;
        match (event.event_type.as_str(), open) {
            ("incident.triggered", None) => {
                let title = one_line(&event.data.title, 200);
                let input = IncidentInput {
                    title: if title.is_empty() {
                        format!("PagerDuty incident {}", one_line(&event.data.id, 40))
                    } else {
                        title.clone()
                    },
                    severity: event.severity(integration.default_severity).as_str().into(),
                    services: event
                        .data
                        .service
                        .as_ref()
                        .and_then(|s| service_label(&s.summary))
                        .or_else(|| integration.default_service.clone())
                        .into_iter()
                        .collect(),
                    detected_at: Some(super::stamp(at, crate::service::now())),
                    ..IncidentInput::default()
                };
                let id = self.open_for(integration, &key, input).await?;
                let body = format!("PagerDuty incident triggered: {title}{}", event.link());
                self.webhook_entry(id, "alert", body, at).await?;
                Ok(Handled::Created(id))
            }
            ("incident.acknowledged", Some(id)) => {
                let note = format!("Acknowledged in PagerDuty{}.", event.agent());
                if !self
                    .webhook_move(id, Status::Identified, unacknowledged, &note, at)
                    .await?
                {
                    self.webhook_entry(id, "note", note, at).await?;
                }
                Ok(Handled::Updated(id))
            }
            ("incident.resolved", Some(id)) => {
                let note = format!(
                    "PagerDuty resolved it{}; a person resolves the incident here.",
                    event.agent()
                );
                if !self
                    .webhook_move(id, Status::Monitoring, unmitigated, &note, at)
                    .await?
                {
                    self.webhook_entry(id, "note", note, at).await?;
                }
                Ok(Handled::Updated(id))
            }
            ("incident.annotated", Some(id)) => {
                let content = event.data.content.as_deref().unwrap_or_default().trim();
                if content.is_empty() {
                    return Ok(Handled::Ignored);
                }
                let body = format!("PagerDuty note{}: {content}", event.agent());
                self.webhook_entry(id, "note", body, at).await?;
                Ok(Handled::Updated(id))
            }
            _ => Ok(Handled::Ignored),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> PagerDutyEvent {
        serde_json::from_str::<PagerDutyPayload>(json)
            .unwrap()
            .event
    }

    const TRIGGERED: &str = r#"{"event":{"id":"01DEN3","event_type":"incident.triggered",
        "resource_type":"incident","occurred_at":"2026-03-01T10:00:00.123Z",
        "agent":{"id":"P1","summary":"Ana","type":"user_reference"},
        "data":{"id":"PGR0VU2","type":"incident","title":"Checkout down","urgency":"high",
        "status":"triggered","service":{"id":"PF9K","summary":"Checkout"},
        "html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","priority":null}}}"#;

    #[test]
    fn maps_urgency_and_priority() {
        let mut e = event(TRIGGERED);
        assert_eq!(e.incident_key().as_deref(), Some("incident:PGR0VU2"));
        assert_eq!(e.severity(Severity::Sev4), Severity::Sev2);
        e.data.priority = Some(Reference {
            summary: "P1".into(),
            ..Reference::default()
        });
        assert_eq!(e.severity(Severity::Sev4), Severity::Sev1);
        e.data.priority = None;
        e.data.urgency = Some("low".into());
        assert_eq!(e.severity(Severity::Sev4), Severity::Sev3);
        e.data.urgency = None;
        assert_eq!(e.severity(Severity::Sev4), Severity::Sev4);
        assert_eq!(e.agent(), " by Ana");
        assert!(
            e.link()
                .contains("https://acme.pagerduty.com/incidents/PGR0VU2")
        );
    }

    #[test]
    fn a_note_belongs_to_its_incident() {
        let e = event(
            r#"{"event":{"id":"E2","event_type":"incident.annotated","occurred_at":"2026-03-01T10:00:00Z",
            "data":{"id":"NOTE1","type":"incident_note","content":"rolled back",
            "incident":{"id":"PGR0VU2","type":"incident_reference"}}}}"#,
        );
        assert_eq!(e.incident_key().as_deref(), Some("incident:PGR0VU2"));
    }

    #[test]
    fn stale_and_future_events_are_refused() {
        let e = event(TRIGGERED);
        let at = e.occurred_at;
        assert!(check_fresh(&e, at + Duration::minutes(4)).is_ok());
        for now in [at + Duration::minutes(6), at - Duration::minutes(6)] {
            assert!(matches!(
                check_fresh(&e, now),
                Err(ServiceError::Invalid(f)) if f[0].field == "event.occurred_at"
            ));
        }
    }
}
