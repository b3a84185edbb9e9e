//! Outbound webhooks: the dispatcher turns audit rows and overdue action
//! items into deliveries, and the sender posts them, signed, with retries.
//! Both are tasks that run while the server serves; the admin side (the
//! endpoints and the delivery log) is `service/webhooks.rs`.
mod backoff;
mod dispatcher;
mod payload;
mod sender;
pub mod signature;

use std::sync::Arc;
use std::time::Duration;

pub use backoff::Backoff;
pub use dispatcher::Dispatcher;
pub use sender::Sender;

use crate::store::Store;

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// How often the audit log and the due deliveries are checked.
    pub poll: Duration,
    /// How often overdue action items are looked for.
    pub overdue_every: Duration,
    pub backoff: Backoff,
    /// The address people use, for links in payloads.
    pub public_url: Option<String>,
}

/// The running tasks; stopping aborts them (a delivery cut off mid-send is
/// sent again when its lease runs out).
pub struct Webhooks {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Webhooks {
    pub fn spawn(store: Arc<dyn Store>, settings: WebhookSettings) -> anyhow::Result<Self> {
        let sender = Sender::new(store.clone(), &settings)?;
        let dispatcher = Dispatcher::new(store, settings);
        Ok(Self {
            tasks: vec![dispatcher.spawn(), sender.spawn()],
        })
    }

    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }
}
