//! The sender leases due deliveries (so two instances never send the same
//! one at once), posts each signed, and records how it went: 2xx is
//! delivered; anything else is tried again after a growing delay, until the
//! last attempt fails and the delivery is `failed`. An instance that stops
//! mid-send leaves its lease to expire, and the delivery is sent again:
//! receivers get each event at least once, and drop repeats by its `id`.
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::task::JoinSet;

use super::dispatcher::now;
use super::{Backoff, WebhookSettings, signature};
use crate::store::{AttemptOutcome, LeasedDelivery, Store, StoreError};

/// Deliveries leased at once.
const BATCH: i64 = 16;
/// How long a request may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a lease lasts: well beyond the request's timeout.
const LEASE: Duration = Duration::from_secs(60);
/// The longest error text kept.
const MAX_ERROR_CHARS: usize = 300;

pub struct Sender {
    store: Arc<dyn Store>,
    client: reqwest::Client,
    backoff: Backoff,
    poll: Duration,
}

fn user_agent() -> String {
    format!("Firebreak-Webhooks/{}", env!("CARGO_PKG_VERSION"))
}

fn truncate(text: &str) -> String {
    text.chars().take(MAX_ERROR_CHARS).collect()
}

/// The error text of a failed request, with its causes (reqwest's own
/// message alone says little: "error sending request").
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    truncate(&text)
}

impl Sender {
    pub fn new(store: Arc<dyn Store>, settings: &WebhookSettings) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent())
            .build()?;
        Ok(Self {
            store,
            client,
            backoff: settings.backoff,
            poll: settings.poll,
        })
    }

    /// Posts one delivery; `Ok(status)` for any answer, `Err(text)` when none came.
    async fn post(client: &reqwest::Client, d: &LeasedDelivery) -> Result<u16, String> {
        let signed = signature::sign(&d.secret, Utc::now().timestamp(), d.payload.as_bytes());
        client
            .post(&d.url)
            .header("Content-Type", "application/json")
            .header("X-Firebreak-Event", &d.event)
            .header("X-Firebreak-Delivery", d.id.to_string())
            .header("X-Firebreak-Signature", signed)
            .body(d.payload.clone())
            .send()
            .await
            .map(|r| r.status().as_u16())
            .map_err(|e| describe(&e))
    }

    fn outcome(
        &self,
        d: &LeasedDelivery,
        answer: Result<u16, String>,
        at: DateTime<Utc>,
    ) -> AttemptOutcome {
        let (status_code, error) = match answer {
            Ok(code) if (200..300).contains(&code) => {
                return AttemptOutcome::Delivered {
                    status_code: code.into(),
                };
            }
            Ok(code) => (
                Some(i64::from(code)),
                format!("the receiver answered {code}"),
            ),
            Err(text) => (None, text),
        };
        if self.backoff.is_last(d.attempts) {
            return AttemptOutcome::GaveUp { status_code, error };
        }
        let failures = u32::try_from(d.attempts + 1).unwrap_or(u32::MAX);
        let delay = chrono::Duration::from_std(self.backoff.jittered(failures))
            .unwrap_or(chrono::Duration::hours(6));
        AttemptOutcome::Retry {
            status_code,
            error,
            next_attempt_at: at + delay,
        }
    }

    /// Sends what is due, side by side. Returns how many were sent.
    pub async fn send_due(&self) -> Result<usize, StoreError> {
        let at = now();
        let lease_until = at + chrono::Duration::from_std(LEASE).unwrap_or_default();
        let leased = self
            .store
            .lease_webhook_deliveries(at, lease_until, BATCH)
            .await?;
        let mut sending = JoinSet::new();
        for d in leased {
            let client = self.client.clone();
            sending.spawn(async move {
                let answer = Self::post(&client, &d).await;
                (d, answer)
            });
        }
        let mut sent = 0;
        while let Some(done) = sending.join_next().await {
            let Ok((d, answer)) = done else { continue };
            let outcome = self.outcome(&d, answer, now());
            self.store
                .finish_webhook_attempt(d.id, &outcome, now())
                .await?;
            sent += 1;
        }
        Ok(sent)
    }

    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.send_due().await {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "webhook sender; retrying"),
                }
                tokio::time::sleep(self.poll).await;
            }
        })
    }
}
