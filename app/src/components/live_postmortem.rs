//! Following an open postmortem: other people's saves and who is writing
//! which section arrive as server-sent events. Hydrated pages only; without
//! JavaScript a reload shows the latest text.
use leptos::prelude::*;

use crate::model::{Editor, LiveEvent, PostmortemSection};

/// What the sections of one open postmortem share.
#[derive(Clone, Copy)]
pub struct LivePostmortem {
    /// The latest save anyone made, as it arrived.
    pub saved: RwSignal<Option<PostmortemSection>>,
    /// Who is writing which section, the reader excluded.
    pub editors: RwSignal<Vec<Editor>>,
}

impl LivePostmortem {
    /// The names of the others writing `key` now.
    pub fn writing(&self, key: &str) -> Vec<String> {
        self.editors
            .get()
            .into_iter()
            .filter(|e| e.section == key)
            .map(|e| e.name)
            .collect()
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The page's one stream: every section editor (each its own island)
    /// shares what the first one opened.
    static FOLLOWING: std::cell::RefCell<Option<(String, LivePostmortem)>> =
        const { std::cell::RefCell::new(None) };
}

/// The event stream for `incident`, opened by the first caller on the page
/// and kept open while the page is; later callers share it.
pub fn follow_postmortem(incident: String, viewer_id: Option<i64>) -> LivePostmortem {
    #[cfg(feature = "hydrate")]
    if let Some(live) = FOLLOWING.with_borrow(|f| {
        f.as_ref()
            .filter(|(followed, _)| *followed == incident)
            .map(|(_, live)| *live)
    }) {
        return live;
    }
    let live = open_stream(incident.clone(), viewer_id);
    #[cfg(feature = "hydrate")]
    FOLLOWING.with_borrow_mut(|f| *f = Some((incident, live)));
    live
}

fn open_stream(incident: String, viewer_id: Option<i64>) -> LivePostmortem {
    let live = LivePostmortem {
        saved: RwSignal::new(None),
        editors: RwSignal::new(Vec::new()),
    };
    Effect::new(move |_| {
        use send_wrapper::SendWrapper;
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let url = format!("/api/v1/incidents/{incident}/postmortem/events");
        let Ok(source) = web_sys::EventSource::new(&url) else {
            return;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |message: web_sys::MessageEvent| {
                let Some(text) = message.data().as_string() else {
                    return;
                };
                match serde_json::from_str::<LiveEvent>(&text) {
                    Ok(LiveEvent::SectionSaved { section }) => live.saved.set(Some(section)),
                    Ok(LiveEvent::Presence { editors }) => live.editors.set(
                        editors
                            .into_iter()
                            .filter(|e| Some(e.user_id) != viewer_id)
                            .collect(),
                    ),
                    Err(_) => {}
                }
            },
        );
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let open = SendWrapper::new((source, on_message));
        on_cleanup(move || open.take().0.close());
    });
    live
}
