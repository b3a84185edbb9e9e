//! Live events for open postmortems: saves and presence, fanned out to
//! every reader connected to this instance (server-sent events). Presence
//! is kept in memory and forgotten after a quiet spell.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::model::{Editor, LiveEvent};
use tokio::sync::broadcast;

/// A writer who has not said anything for this long has left.
pub const PRESENCE_TTL: Duration = Duration::from_secs(30);
const CHANNEL_CAPACITY: usize = 256;

struct Present {
    name: String,
    section: String,
    seen: Instant,
}

pub struct LiveHub {
    sender: broadcast::Sender<(i64, LiveEvent)>,
    /// incident id → user id → what they are writing.
    presence: Mutex<HashMap<i64, HashMap<i64, Present>>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CHANNEL_CAPACITY).0,
            presence: Mutex::new(HashMap::new()),
        }
    }
}

impl LiveHub {
    /// Tells everyone reading incident `incident_id`'s postmortem; nobody
    /// listening is fine.
    pub fn publish(&self, incident_id: i64, event: LiveEvent) {
        let _ = self.sender.send((incident_id, event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<(i64, LiveEvent)> {
        self.sender.subscribe()
    }

    /// Records that `user_id` is writing `section` (empty: stopped), and
    /// tells the others when that changes who is writing what.
    pub fn heartbeat(&self, incident_id: i64, user_id: i64, name: &str, section: &str) {
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
            self.publish(incident_id, LiveEvent::Presence { editors });
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
}
