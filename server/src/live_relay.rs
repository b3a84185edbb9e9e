//! Live events across instances on PostgreSQL: each instance sends its
//! own saves and heartbeats with `NOTIFY firebreak_live`, and `LISTEN`s for
//! the others'. A relayed save names the section; the receiver reads it
//! from the database and tells its own readers. Notifications missed while
//! a listener reconnects are lost, which costs only a stale presence or a
//! save seen on the next reload: the database stays the source of truth.
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};

use crate::live::Relayed;
use crate::service::IncidentService;

const CHANNEL: &str = "firebreak_live";

/// A relayed message and the instance it came from, so none returns home.
#[derive(Serialize, Deserialize)]
struct Envelope {
    from: u64,
    message: Relayed,
}

/// Starts relaying `service`'s live events through the database at `url`.
pub async fn spawn(url: &str, service: IncidentService) -> anyhow::Result<()> {
    let Some(mut outgoing) = service.live().relay_messages() else {
        return Ok(());
    };
    let me: u64 = rand::random();
    let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    tokio::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            send(&pool, Envelope { from: me, message }).await;
        }
    });
    tokio::spawn(async move {
        loop {
            match listener.recv().await {
                Ok(notice) => receive(&service, me, notice.payload()).await,
                Err(e) => {
                    tracing::warn!(error = %e, "live relay: listening failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

async fn send(pool: &PgPool, envelope: Envelope) {
    let Ok(payload) = serde_json::to_string(&envelope) else {
        return;
    };
    let sent = sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(pool)
        .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "live relay: could not tell the other instances");
    }
}

async fn receive(service: &IncidentService, me: u64, payload: &str) {
    let Ok(envelope) = serde_json::from_str::<Envelope>(payload) else {
        tracing::warn!("live relay: an unreadable notification was ignored");
        return;
    };
    if envelope.from == me {
        return;
    }
    match envelope.message {
        Relayed::Heartbeat {
            incident,
            user_id,
            name,
            section,
        } => service
            .live()
            .note_presence(incident, user_id, &name, &section),
        Relayed::SectionSaved { incident, key } => {
            match service.saved_section_event(incident, &key).await {
                Ok(Some(event)) => service.live().announce(incident, event),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "live relay: reading a saved section failed"),
            }
        }
    }
}
