//! Alertmanager's webhook (payload version 4): a group of alerts, all of
//! them with their current status. The group (`groupKey`) maps to one open
//! incident; each alert event is keyed by fingerprint, status and start.
use std::collections::BTreeMap;

use app::domain::{Severity, Status};
use app::model::{IncidentInput, IntegrationKind};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Handled, WebhookOutcome, one_line, service_label};
use crate::service::secrets::hash_secret;
use crate::service::{IncidentService, ServiceError};
use crate::store::StoredIntegration;

const TITLE_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertStatus {
    Firing,
    Resolved,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerPayload {
    pub version: String,
    pub group_key: String,
    pub status: AlertStatus,
    #[serde(default)]
    pub receiver: String,
    #[serde(default)]
    pub group_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub common_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub common_annotations: BTreeMap<String, String>,
    #[serde(default, rename = "externalURL")]
    pub external_url: String,
    pub alerts: Vec<Alert>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    pub status: AlertStatus,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    pub starts_at: DateTime<Utc>,
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    pub fingerprint: String,
}

impl Alert {
    fn name(&self) -> &str {
        self.labels
            .get("alertname")
            .map_or("unnamed alert", String::as_str)
    }

    fn summary(&self) -> Option<&str> {
        self.annotations
            .get("summary")
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
    }

    /// One event per alert, status and start: a replay is the same key.
    pub fn event_key(&self) -> String {
        let status = match self.status {
            AlertStatus::Firing => "firing",
            AlertStatus::Resolved => "resolved",
        };
        format!(
            "alert:{}:{status}:{}",
            self.fingerprint,
            self.starts_at.to_rfc3339()
        )
    }

    pub fn title(&self) -> String {
        let title = one_line(self.summary().unwrap_or(self.name()), TITLE_CHARS);
        if title.is_empty() {
            "Alert firing".into()
        } else {
            title
        }
    }

    /// critical → SEV1, error/high → SEV2, warning → SEV3, info → SEV4.
    pub fn severity(&self, default: Severity) -> Severity {
        let label = self.labels.get("severity").map(|s| s.trim().to_lowercase());
        match label.as_deref() {
            Some("critical") => Severity::Sev1,
            Some("error" | "high") => Severity::Sev2,
            Some("warning") => Severity::Sev3,
            Some("info") => Severity::Sev4,
            _ => default,
        }
    }

    pub fn services(&self, default: Option<&str>) -> Vec<String> {
        let from_labels = self
            .labels
            .get("service")
            .or_else(|| self.labels.get("job"))
            .and_then(|s| service_label(s));
        from_labels
            .or_else(|| default.map(str::to_string))
            .into_iter()
            .collect()
    }

    /// The timeline entry's text: what fired or resolved, and where to look.
    pub fn entry_text(&self) -> String {
        let verb = match self.status {
            AlertStatus::Firing => "Alert firing",
            AlertStatus::Resolved => "Alert resolved",
        };
        let mut text = one_line(
            &format!("{verb}: {} {}", self.name(), self.summary().unwrap_or("")),
            500,
        );
        if self.generator_url.starts_with("http://") || self.generator_url.starts_with("https://") {
            text.push_str(&format!(
                "\n\n<{}>",
                one_line(&self.generator_url, 2000).replace('>', "%3E")
            ));
        }
        text
    }
}

fn check(payload: &AlertmanagerPayload) -> Result<(), ServiceError> {
    if payload.version != "4" {
        return Err(ServiceError::invalid(
            "version",
            format!(
                "'{}' is not supported: Alertmanager's webhook payload version 4 is",
                one_line(&payload.version, 20)
            ),
        ));
    }
    if payload.group_key.trim().is_empty() {
        return Err(ServiceError::invalid("groupKey", "must not be empty"));
    }
    if let Some(i) = payload
        .alerts
        .iter()
        .position(|a| a.fingerprint.trim().is_empty())
    {
        return Err(ServiceError::invalid(
            &format!("alerts[{i}].fingerprint"),
            "must not be empty",
        ));
    }
    Ok(())
}

/// Investigating or identified moves to monitoring (mitigated).
fn needs_mitigation(status: Status) -> bool {
    matches!(status, Status::Investigating | Status::Identified)
}

impl IncidentService {
    /// The enabled Alertmanager integration whose token this is.
    pub async fn authenticate_alertmanager(
        &self,
        token: Option<&str>,
    ) -> Result<StoredIntegration, ServiceError> {
        let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
            ServiceError::Unauthorized(
                "send the integration's token as Authorization: Bearer <token>".into(),
            )
        })?;
        let integration = self
            .store
            .integration_by_token_hash(&hash_secret(token))
            .await?
            .filter(|i| i.kind == IntegrationKind::Alertmanager)
            .ok_or_else(|| {
                ServiceError::Unauthorized("the token is not an Alertmanager integration's".into())
            })?;
        if !integration.enabled {
            return Err(ServiceError::Forbidden(format!(
                "the integration {} is disabled",
                integration.name
            )));
        }
        Ok(integration)
    }

    pub async fn receive_alertmanager(
        &self,
        integration: &StoredIntegration,
        payload: AlertmanagerPayload,
    ) -> Result<WebhookOutcome, ServiceError> {
        check(&payload)?;
        let _turn = self.inbound_turn.lock().await;
        let group = format!("group:{}", payload.group_key);
        let mut incident = self.open_linked(integration, &group).await?.map(|i| i.id);
        let (mut created, mut updated) = (false, false);
        for alert in &payload.alerts {
            let handled = self
                .once(integration, &alert.event_key(), || {
                    self.alertmanager_alert(integration, &group, incident, alert)
                })
                .await?;
            match handled {
                Some(Handled::Created(id)) => (created, incident) = (true, Some(id)),
                Some(Handled::Updated(id)) => (updated, incident) = (true, Some(id)),
                Some(Handled::Ignored) | None => {}
            }
        }
        let all_resolved = payload
            .alerts
            .iter()
            .all(|a| a.status == AlertStatus::Resolved);
        if let Some(id) = incident.filter(|_| updated && all_resolved) {
            let ended = payload
                .alerts
                .iter()
                .filter_map(|a| a.ends_at)
                .max()
                .unwrap_or_else(crate::service::now);
            self.webhook_move(
                id,
                Status::Monitoring,
                needs_mitigation,
                "Every alert of the Alertmanager group has resolved.",
                ended,
            )
            .await?;
        }
        let outcome = match (created, updated) {
            (true, _) => "created",
            (false, true) => "updated",
            _ if payload.alerts.is_empty() => "ignored",
            _ => "duplicate",
        };
        Ok(WebhookOutcome::new(outcome, incident))
    }

    /// One new alert event: a firing alert opens the group's incident if it
    /// has none open; each adds a timeline entry.
    async fn alertmanager_alert(
        &self,
        integration: &StoredIntegration,
        group: &str,
        incident: Option<i64>,
        alert: &Alert,
    ) -> Result<Handled, ServiceError> {
        let now = crate::service::now();
        let (id, handled) = match (incident, alert.status) {
            (Some(id), _) => (id, Handled::Updated(id)),
            (None, AlertStatus::Resolved) => return Ok(Handled::Ignored),
            (None, AlertStatus::Firing) => {
                let input = IncidentInput {
                    title: alert.title(),
                    summary: alert
                        .annotations
                        .get("description")
                        .cloned()
                        .unwrap_or_default(),
                    severity: alert.severity(integration.default_severity).as_str().into(),
                    services: alert.services(integration.default_service.as_deref()),
                    detected_at: Some(super::stamp(alert.starts_at, now)),
                    ..IncidentInput::default()
                };
                let id = self.open_for(integration, group, input).await?;
                (id, Handled::Created(id))
            }
        };
        let at = match alert.status {
            AlertStatus::Firing => alert.starts_at,
            AlertStatus::Resolved => alert.ends_at.unwrap_or(now),
        };
        self.webhook_entry(id, "alert", alert.entry_text(), at)
            .await?;
        Ok(handled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload() -> AlertmanagerPayload {
        serde_json::from_str(
            r#"{"version":"4","groupKey":"{}:{alertname=\"HighLatency\"}","status":"firing",
            "receiver":"firebreak","groupLabels":{"alertname":"HighLatency"},"commonLabels":{},
            "commonAnnotations":{},"externalURL":"http://am:9093","truncatedAlerts":0,
            "alerts":[{"status":"firing","labels":{"alertname":"HighLatency","severity":"critical","job":"Checkout API"},
            "annotations":{"summary":"p99 over 2 s"},"startsAt":"2026-03-01T10:00:00.5Z",
            "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom:9090/graph?g0.expr=x","fingerprint":"abc123"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn maps_an_alert_to_incident_fields() {
        let p = payload();
        let a = &p.alerts[0];
        assert_eq!(a.title(), "p99 over 2 s");
        assert_eq!(a.severity(Severity::Sev4), Severity::Sev1);
        assert_eq!(a.services(Some("web")), vec!["checkout-api".to_string()]);
        assert_eq!(
            a.event_key(),
            "alert:abc123:firing:2026-03-01T10:00:00.500+00:00"
        );
        let text = a.entry_text();
        assert!(
            text.starts_with("Alert firing: HighLatency p99 over 2 s"),
            "{text}"
        );
        assert!(
            text.contains("<http://prom:9090/graph?g0.expr=x>"),
            "{text}"
        );
        assert!(check(&p).is_ok());
    }

    #[test]
    fn falls_back_to_names_and_defaults() {
        let mut a = payload().alerts.remove(0);
        a.annotations.clear();
        a.labels.remove("job");
        for (label, severity) in [
            ("error", Severity::Sev2),
            ("HIGH", Severity::Sev2),
            ("warning", Severity::Sev3),
            ("info", Severity::Sev4),
            ("page-me", Severity::Sev3),
        ] {
            a.labels.insert("severity".into(), label.into());
            assert_eq!(a.severity(Severity::Sev3), severity, "{label}");
        }
        assert_eq!(a.title(), "HighLatency");
        assert_eq!(a.services(Some("web")), vec!["web".to_string()]);
        assert!(a.services(None).is_empty());
        a.generator_url = "javascript:alert(1)".into();
        assert!(!a.entry_text().contains("javascript"));
    }

    #[test]
    fn refuses_other_versions_and_blank_keys() {
        let mut p = payload();
        p.version = "3".into();
        assert!(matches!(check(&p), Err(ServiceError::Invalid(f)) if f[0].field == "version"));
        let mut p = payload();
        p.alerts[0].fingerprint = " ".into();
        assert!(
            matches!(check(&p), Err(ServiceError::Invalid(f)) if f[0].field == "alerts[0].fingerprint")
        );
    }
}
