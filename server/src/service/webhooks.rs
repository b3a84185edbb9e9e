//! Outbound webhooks for admins: endpoints (validated, versioned, audited),
//! their delivery log, a test event and "retry now". Sending is the
//! `webhooks` module's job; this only writes what it will send.
use app::domain::{PING_EVENT, Role, WebhookEvent, parse_optional_line, parse_webhook_url};
use app::error::FieldChange;
use app::model::{DeliveryRetry, WebhookDetail, WebhookEndpoint, WebhookSave, WebhookTest};
use app::port::Actor;
use serde_json::json;

use super::audit_diff::diff_fields;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now, secrets};
use crate::store::{EndpointWrite, EventWrite, StoreError};

/// Every signing secret starts with this, so secret scanners can spot them.
pub const SECRET_PREFIX: &str = "fbwh_";

/// Deliveries shown per endpoint.
pub const DELIVERY_LOG_SIZE: i64 = 100;

fn fields(e: &EndpointWrite) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("url", Some(e.url.clone())),
        (
            "description",
            Some(e.description.clone()).filter(|d| !d.is_empty()),
        ),
        ("events", Some(e.events.join(" "))),
        ("enabled", Some(e.enabled.to_string())),
    ]
}

fn write_from(e: &WebhookEndpoint) -> EndpointWrite {
    EndpointWrite {
        url: e.url.clone(),
        description: e.description.clone(),
        events: e.events.clone(),
        enabled: e.enabled,
    }
}

/// The endpoint's settings from the form; every bad field named.
fn parse_save(input: &WebhookSave) -> Result<EndpointWrite, ServiceError> {
    let mut p = Problems::default();
    let url = p.check("url", parse_webhook_url(&input.url));
    let description = p
        .check("description", parse_optional_line(Some(&input.description)))
        .flatten();
    let ticked = [
        (WebhookEvent::IncidentCreated, &input.incident_created),
        (WebhookEvent::StatusChanged, &input.status_changed),
        (
            WebhookEvent::PostmortemPublished,
            &input.postmortem_published,
        ),
        (WebhookEvent::ActionItemOverdue, &input.action_item_overdue),
    ];
    let events: Vec<String> = ticked
        .into_iter()
        .filter(|(_, on)| on.is_some())
        .map(|(e, _)| e.as_str().to_string())
        .collect();
    if events.is_empty() {
        p.add("events", "choose at least one event");
    }
    p.finish()?;
    Ok(EndpointWrite {
        url: url.unwrap_or_default(),
        description: description.unwrap_or_default(),
        events,
        enabled: input.enabled.is_some(),
    })
}

fn conflict(current: &WebhookEndpoint, yours: &EndpointWrite) -> ServiceError {
    let theirs = fields(&write_from(current));
    let changes = fields(yours)
        .into_iter()
        .zip(theirs)
        .filter(|((_, mine), (_, now))| mine != now)
        .map(|((field, mine), (_, now))| FieldChange {
            field: field.to_string(),
            current: now.unwrap_or_default(),
            yours: mine.unwrap_or_default(),
        })
        .collect();
    ServiceError::Conflict {
        current_version: current.version,
        changes,
    }
}

impl IncidentService {
    pub async fn webhooks(&self, actor: &Actor) -> Result<Vec<WebhookEndpoint>, ServiceError> {
        access::require(actor, Role::Admin)?;
        Ok(self.store.webhook_endpoints().await?)
    }

    async fn endpoint(&self, id: i64) -> Result<WebhookEndpoint, ServiceError> {
        self.store
            .webhook_endpoint(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("webhook endpoint {id}")))
    }

    pub async fn webhook(&self, id: i64, actor: &Actor) -> Result<WebhookDetail, ServiceError> {
        access::require(actor, Role::Admin)?;
        let endpoint = self.endpoint(id).await?;
        let deliveries = self.store.webhook_deliveries(id, DELIVERY_LOG_SIZE).await?;
        Ok(WebhookDetail {
            endpoint,
            deliveries,
        })
    }

    /// Adds an endpoint with a new random secret, or changes one if the
    /// version is still the one read (the secret never changes here).
    pub async fn save_webhook(
        &self,
        input: WebhookSave,
        actor: &Actor,
    ) -> Result<WebhookEndpoint, ServiceError> {
        access::require(actor, Role::Admin)?;
        let write = parse_save(&input)?;
        let now = now();
        let Some(id) = input.id else {
            let audit = access::audit(actor, "webhook.create", diff_fields(None, fields(&write)));
            let by = actor.caller.user().map(|u| u.id);
            let secret = format!("{SECRET_PREFIX}{}", secrets::random_secret());
            return Ok(self
                .store
                .insert_webhook_endpoint(&write, &secret, by, now, &audit)
                .await?);
        };
        let version = input
            .version
            .ok_or_else(|| ServiceError::invalid("version", "is required to change an endpoint"))?;
        let current = self.endpoint(id).await?;
        if current.version != version {
            return Err(conflict(&current, &write));
        }
        let changes = diff_fields(Some(fields(&write_from(&current))), fields(&write));
        if changes.is_empty() {
            return Ok(current);
        }
        let audit = access::audit(actor, "webhook.update", changes);
        match self
            .store
            .update_webhook_endpoint(id, version, &write, now, &audit)
            .await
        {
            Err(StoreError::VersionConflict) => Err(conflict(&self.endpoint(id).await?, &write)),
            other => Ok(other?),
        }
    }

    /// Queues a `ping` for one endpoint, whatever it subscribes to.
    pub async fn test_webhook(
        &self,
        input: WebhookTest,
        actor: &Actor,
    ) -> Result<(), ServiceError> {
        access::require(actor, Role::Admin)?;
        let endpoint = self.endpoint(input.id).await?;
        let now = now();
        let key = format!("test:{}", secrets::random_secret());
        let payload = json!({
            "id": key,
            "event": PING_EVENT,
            "occurred_at": now,
            "endpoint": {"id": endpoint.id, "url": endpoint.url},
        });
        let event = EventWrite {
            key,
            event: PING_EVENT.to_string(),
            payload: payload.to_string(),
        };
        Ok(self
            .store
            .enqueue_for_endpoint(endpoint.id, &event, now)
            .await?)
    }

    /// Makes a failed delivery pending again, due now: one more attempt.
    pub async fn retry_delivery(
        &self,
        input: DeliveryRetry,
        actor: &Actor,
    ) -> Result<(), ServiceError> {
        access::require(actor, Role::Admin)?;
        self.endpoint(input.endpoint).await?;
        if self
            .store
            .retry_webhook_delivery(input.endpoint, input.delivery, now())
            .await?
        {
            Ok(())
        } else {
            Err(ServiceError::invalid(
                "delivery",
                "is not a failed delivery of this endpoint",
            ))
        }
    }
}
