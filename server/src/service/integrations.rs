//! Admins' inbound webhook integrations: Alertmanager (a generated bearer
//! token, shown once, stored as its SHA-256) and PagerDuty (a signing secret
//! pasted by the admin, stored as given because HMAC needs it, never shown
//! again but for its last 4 characters).
use app::domain::{Role, Severity, parse_labels, parse_optional_line};
use app::model::{
    IntegrationAdmin, IntegrationChange, IntegrationInput, IntegrationKind, IntegrationSaved,
    IntegrationView,
};
use app::port::Actor;

use super::audit_diff::change;
use super::problems::Problems;
use super::secrets::{hash_secret, random_secret};
use super::{IncidentService, ServiceError, access, now};
use crate::store::{IntegrationUpdate, IntegrationWrite, StoreError, StoredIntegration};

/// Every Alertmanager token starts with this, so secret scanners can spot them.
pub const WEBHOOK_TOKEN_PREFIX: &str = "fbw_";
const MIN_SECRET_CHARS: usize = 8;
const MAX_SECRET_CHARS: usize = 256;

fn new_webhook_token() -> String {
    format!("{WEBHOOK_TOKEN_PREFIX}{}", random_secret())
}

/// The last 4 characters, to tell secrets apart.
fn hint(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn parse_secret(text: &str) -> Result<String, String> {
    let secret = text.trim();
    let count = secret.chars().count();
    if count < MIN_SECRET_CHARS {
        return Err(format!(
            "is required: paste the webhook's signing secret from PagerDuty (at least {MIN_SECRET_CHARS} characters)"
        ));
    }
    if count > MAX_SECRET_CHARS || secret.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "must be one word of at most {MAX_SECRET_CHARS} characters"
        ));
    }
    Ok(secret.to_string())
}

pub fn view(i: &StoredIntegration) -> IntegrationView {
    IntegrationView {
        id: i.id,
        kind: i.kind,
        name: i.name.clone(),
        secret_hint: i.secret_hint.clone(),
        default_severity: i.default_severity,
        default_service: i.default_service.clone(),
        enabled: i.enabled,
        version: i.version,
        created_at: i.created_at,
        created_by: i.created_by.clone(),
        last_event_at: i.last_event_at,
        events: i.events,
    }
}

impl IncidentService {
    pub async fn integration_admin(&self, actor: &Actor) -> Result<IntegrationAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        let integrations = self.store.integrations().await?;
        Ok(IntegrationAdmin {
            integrations: integrations.iter().map(view).collect(),
            revealed_token: None,
        })
    }

    async fn saved(
        &self,
        id: i64,
        token: Option<String>,
    ) -> Result<IntegrationSaved, ServiceError> {
        let stored = self
            .store
            .integration(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("integration {id}")))?;
        Ok(IntegrationSaved {
            integration: view(&stored),
            token,
        })
    }

    pub async fn create_integration(
        &self,
        input: IntegrationInput,
        actor: &Actor,
    ) -> Result<IntegrationSaved, ServiceError> {
        let admin = access::user(actor, Role::Admin)?.email.clone();
        let mut p = Problems::default();
        let kind = p.check("kind", IntegrationKind::parse(&input.kind));
        let name = match p.check("name", parse_optional_line(Some(&input.name))) {
            Some(None) => {
                p.add("name", "is required");
                None
            }
            checked => checked.flatten(),
        };
        let default_severity = match input.default_severity.trim() {
            "" => Some(Severity::Sev3),
            text => p.check("default_severity", Severity::parse(text)),
        };
        let default_service = p
            .check(
                "default_service",
                parse_labels(&[input.default_service.as_str()]),
            )
            .and_then(|labels| labels.into_iter().next());
        let secret = match kind {
            Some(IntegrationKind::Pagerduty) => p.check("secret", parse_secret(&input.secret)),
            _ => None,
        };
        p.finish()?;
        let (Some(kind), Some(name), Some(default_severity)) = (kind, name, default_severity)
        else {
            return Err(ServiceError::Internal(
                "validated integration missing".into(),
            ));
        };
        let token = (kind == IntegrationKind::Alertmanager).then(new_webhook_token);
        let shown = token.as_deref().or(secret.as_deref()).unwrap_or_default();
        let write = IntegrationWrite {
            kind,
            name: name.clone(),
            token_hash: token.as_deref().map(hash_secret),
            signing_secret: secret.clone(),
            secret_hint: hint(shown),
            default_severity,
            default_service: default_service.clone(),
            created_by: admin,
        };
        let audit = access::audit(
            actor,
            "integration.create",
            vec![
                change("kind", None, Some(kind.as_str().into())),
                change("name", None, Some(name.clone())),
                change(
                    "default_severity",
                    None,
                    Some(default_severity.as_str().into()),
                ),
                change("default_service", None, default_service),
            ],
        );
        let id = self
            .store
            .insert_integration(&write, now(), &audit)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate => ServiceError::invalid("name", format!("{name} is taken")),
                other => other.into(),
            })?;
        self.saved(id, token).await
    }

    /// Enables, disables, or gives an Alertmanager integration a new token
    /// (the old one stops working at once).
    pub async fn change_integration(
        &self,
        input: IntegrationChange,
        actor: &Actor,
    ) -> Result<IntegrationSaved, ServiceError> {
        access::require(actor, Role::Admin)?;
        let current = self
            .store
            .integration(input.id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("integration {}", input.id)))?;
        if current.version != input.version {
            return Err(ServiceError::Conflict {
                current_version: current.version,
                changes: Vec::new(),
            });
        }
        let (update, token, audit_change) = match input.action.trim() {
            "enable" | "disable" => {
                let enabled = input.action.trim() == "enable";
                let update = IntegrationUpdate {
                    enabled,
                    new_token: None,
                };
                let diff = change(
                    "enabled",
                    Some(current.enabled.to_string()),
                    Some(enabled.to_string()),
                );
                (update, None, diff)
            }
            "rotate" if current.kind == IntegrationKind::Alertmanager => {
                let token = new_webhook_token();
                let update = IntegrationUpdate {
                    enabled: current.enabled,
                    new_token: Some((hash_secret(&token), hint(&token))),
                };
                let diff = change(
                    "token",
                    Some(format!("…{}", current.secret_hint)),
                    Some(format!("…{}", hint(&token))),
                );
                (update, Some(token), diff)
            }
            "rotate" => {
                return Err(ServiceError::invalid(
                    "action",
                    "a PagerDuty signing secret is rotated in PagerDuty: add a new integration with the new secret, then disable this one",
                ));
            }
            _ => {
                return Err(ServiceError::invalid(
                    "action",
                    "must be enable, disable or rotate",
                ));
            }
        };
        let audit = access::audit(actor, "integration.change", vec![audit_change]);
        self.store
            .update_integration(current.id, input.version, &update, now(), &audit)
            .await
            .map_err(|e| match e {
                StoreError::VersionConflict => ServiceError::Conflict {
                    current_version: input.version + 1,
                    changes: Vec::new(),
                },
                other => other.into(),
            })?;
        self.saved(current.id, token).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_and_secrets() {
        assert_eq!(hint("fbw_abcdefgh"), "efgh");
        assert_eq!(hint("ab"), "ab");
        assert!(new_webhook_token().starts_with(WEBHOOK_TOKEN_PREFIX));
        assert!(parse_secret("short").is_err());
        assert!(parse_secret("has a space inside").is_err());
        assert_eq!(parse_secret("  s3cr3t-value ").unwrap(), "s3cr3t-value");
    }
}
