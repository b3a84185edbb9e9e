//! Outbound webhooks: the events an endpoint can subscribe to, and the rule
//! for an endpoint's URL.
use serde::{Deserialize, Serialize};

/// Longest URL an endpoint may have.
pub const MAX_WEBHOOK_URL_CHARS: usize = 2000;

/// What happened, as a receiver sees it in `X-Firebreak-Event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    #[serde(rename = "incident.created")]
    IncidentCreated,
    #[serde(rename = "incident.status_changed")]
    StatusChanged,
    #[serde(rename = "postmortem.published")]
    PostmortemPublished,
    #[serde(rename = "action_item.overdue")]
    ActionItemOverdue,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 4] = [
        Self::IncidentCreated,
        Self::StatusChanged,
        Self::PostmortemPublished,
        Self::ActionItemOverdue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::IncidentCreated => "incident.created",
            Self::StatusChanged => "incident.status_changed",
            Self::PostmortemPublished => "postmortem.published",
            Self::ActionItemOverdue => "action_item.overdue",
        }
    }

    /// The form field's name: `[a-z_]` only.
    pub fn slug(self) -> &'static str {
        match self {
            Self::IncidentCreated => "incident_created",
            Self::StatusChanged => "status_changed",
            Self::PostmortemPublished => "postmortem_published",
            Self::ActionItemOverdue => "action_item_overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::IncidentCreated => "Incident declared",
            Self::StatusChanged => "Incident status changed",
            Self::PostmortemPublished => "Postmortem published",
            Self::ActionItemOverdue => "Action item overdue",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text.trim())
    }
}

/// The test event an admin sends by hand; no endpoint subscribes to it.
pub const PING_EVENT: &str = "ping";

/// An endpoint's URL: absolute `http` or `https`, with a host, no spaces.
pub fn parse_webhook_url(text: &str) -> Result<String, String> {
    let url = text.trim();
    if url.is_empty() {
        return Err("is required".into());
    }
    if url.chars().count() > MAX_WEBHOOK_URL_CHARS {
        return Err(format!("is longer than {MAX_WEBHOOK_URL_CHARS} characters"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters".into());
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err("must name a host".into());
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_their_names() {
        for event in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(event.as_str()), Some(event));
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(json, format!("\"{}\"", event.as_str()));
        }
        assert_eq!(WebhookEvent::parse("ping"), None);
        assert_eq!(WebhookEvent::parse("incident.deleted"), None);
    }

    #[test]
    fn urls_must_be_http_or_https_with_a_host() {
        assert_eq!(
            parse_webhook_url(" https://hooks.example.com/x?y=1 ").unwrap(),
            "https://hooks.example.com/x?y=1"
        );
        assert!(parse_webhook_url("http://127.0.0.1:9000/in").is_ok());
        assert!(parse_webhook_url("HTTPS://Example.com").is_ok());
        for bad in [
            "",
            "ftp://example.com",
            "javascript:alert(1)",
            "example.com/hook",
            "https://",
            "https:///path",
            "https://:80/x",
            "https://exa mple.com",
            "https://example.com/\u{0}",
        ] {
            assert!(parse_webhook_url(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_WEBHOOK_URL_CHARS));
        assert!(parse_webhook_url(&long).is_err());
    }
}
