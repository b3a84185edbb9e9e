//! Live events for open postmortems: saves and presence, fanned out to
//! every reader connected to this instance (server-sent events). Presence
//! is kept in memory and forgotten after a quiet spell. With several
//! instances, each save and heartbeat also goes out as a [`Relayed`]
//! message, and the relay (`live_relay.rs`) applies the others' here.
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use app::model::{Editor, LiveEvent};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, watch};

/// A writer who has not said anything for this long has left.
pub const PRESENCE_TTL: Duration = Duration::from_secs(30);
const CHANNEL_CAPACITY: usize = 256;

struct Present {
    name: String,
    section: String,
    seen: Instant,
}

/// What one instance tells the others about its own users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Relayed {
    /// A section was saved; the others read it from the database (a
    /// section is longer than a notification may carry).
    SectionSaved { incident: i64, key: String },
    Heartbeat {
        incident: i64,
        user_id: i64,
        name: String,
        section: String,
    },
}

pub struct LiveHub {
    sender: broadcast::Sender<(i64, LiveEvent)>,
    /// incident id → user id → what they are writing.
    presence: Mutex<HashMap<i64, HashMap<i64, Present>>>,
    /// Set when a relay carries this instance's news to the others.
    relay: OnceLock<mpsc::UnboundedSender<Relayed>>,
    /// Set when the server stops, so open event streams end and the
    /// graceful shutdown is not held up by them.
    closing: watch::Sender<bool>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CHANNEL_CAPACITY).0,
            presence: Mutex::new(HashMap::new()),
            relay: OnceLock::new(),
            closing: watch::channel(false).0,
        }
    }
}

impl LiveHub {
    /// Tells everyone reading incident `incident_id`'s postmortem, here and
    /// (through the relay) on other instances; nobody listening is fine.
    pub fn publish(&self, incident_id: i64, event: LiveEvent) {
        if let LiveEvent::SectionSaved { section } = &event {
            self.relay(Relayed::SectionSaved {
                incident: incident_id,
                key: section.key.clone(),
            });
        }
        self.announce(incident_id, event);
    }

    /// Ends every open event stream; called when the server stops.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Becomes true when the server stops.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Tells this instance's readers only.
    pub fn announce(&self, incident_id: i64, event: LiveEvent) {
        let _ = self.sender.send((incident_id, event));
    }

    /// The messages for other instances, from now on; `None` when a relay
    /// already takes them.
    pub fn relay_messages(&self) -> Option<mpsc::UnboundedReceiver<Relayed>> {
        let (sender, receiver) = mpsc::unbounded_channel();
        self.relay.set(sender).ok().map(|()| receiver)
    }

    fn relay(&self, message: Relayed) {
        if let Some(relay) = self.relay.get() {
            let _ = relay.send(message);
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(i64, LiveEvent)> {
        self.sender.subscribe()
    }

    /// Records that `user_id` is writing `section` (empty: stopped), and
    /// tells the others when that changes who is writing what.
    pub fn heartbeat(&self, incident_id: i64, user_id: i64, name: &str, section: &str) {
        self.relay(Relayed::Heartbeat {
            incident: incident_id,
            user_id,
            name: name.to_string(),
            section: section.to_string(),
        });
        self.note_presence(incident_id, user_id, name, section);
    }

    /// A heartbeat, here only (the relay's way in for other instances').
    pub fn note_presence(&self, incident_id: i64, user_id: i64, name: &str, section: &str) {
        let changed = {
            let mut all = self.presence.lock().unwrap_or_else(|e| e.into_inner());
            let here = all.entry(incident_id).or_default();
            let before = here.get(&user_id).map(|p| p.section.clone());
            if section.is_empty() {
                here.remove(&user_id);
            } else {
                here.insert(
                    user_id,
                    Present {
                        name: name.to_string(),
                        section: section.to_string(),
                        seen: Instant::now(),
                    },
                );
            }
            before.as_deref() != Some(section).filter(|s| !s.is_empty())
        };
        if changed {
            let editors = self.editors(incident_id);
            self.announce(incident_id, LiveEvent::Presence { editors });
        }
    }

    /// Who is writing which section now, by name.
    pub fn editors(&self, incident_id: i64) -> Vec<Editor> {
        let mut all = self.presence.lock().unwrap_or_else(|e| e.into_inner());
        let Some(here) = all.get_mut(&incident_id) else {
            return Vec::new();
        };
        here.retain(|_, p| p.seen.elapsed() < PRESENCE_TTL);
        let mut editors: Vec<Editor> = here
            .iter()
            .map(|(id, p)| Editor {
                user_id: *id,
                name: p.name.clone(),
                section: p.section.clone(),
            })
            .collect();
        editors.sort_by(|a, b| a.name.cmp(&b.name));
        editors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_changes_are_announced_once_and_leaving_clears_them() {
        let hub = LiveHub::default();
        let mut heard = hub.subscribe();
        hub.heartbeat(7, 1, "Kenji", "summary");
        hub.heartbeat(7, 1, "Kenji", "summary"); // still there: no news
        hub.heartbeat(7, 2, "Ada", "what_happened");
        hub.heartbeat(7, 1, "Kenji", "");
        let mut seen = Vec::new();
        while let Ok((incident, LiveEvent::Presence { editors })) = heard.try_recv() {
            assert_eq!(incident, 7);
            seen.push(
                editors
                    .iter()
                    .map(|e| format!("{}:{}", e.name, e.section))
                    .collect::<Vec<_>>(),
            );
        }
        assert_eq!(
            seen,
            [
                vec!["Kenji:summary"],
                vec!["Ada:what_happened", "Kenji:summary"],
                vec!["Ada:what_happened"],
            ]
        );
        assert!(hub.editors(8).is_empty());
    }

    #[test]
    fn saves_and_heartbeats_go_to_the_relay_and_relayed_ones_do_not_return() {
        let hub = LiveHub::default();
        let mut out = hub.relay_messages().expect("the first relay");
        assert!(hub.relay_messages().is_none(), "one relay per hub");
        hub.heartbeat(7, 1, "Kenji", "summary");
        hub.note_presence(7, 2, "Ada", "what_happened"); // from another instance
        assert_eq!(
            out.try_recv().unwrap(),
            Relayed::Heartbeat {
                incident: 7,
                user_id: 1,
                name: "Kenji".into(),
                section: "summary".into()
            }
        );
        assert!(out.try_recv().is_err(), "relayed news is not sent back");
        assert_eq!(hub.editors(7).len(), 2);
    }
}
