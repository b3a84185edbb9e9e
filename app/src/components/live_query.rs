//! As-you-type requests: wait until typing pauses, then ask; when a newer
//! question comes, abort the older request (dropping a server-function call
//! aborts its fetch). Runs only in the browser; without JavaScript the
//! forms still submit normally.
use std::future::Future;
use std::time::Duration;

use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The latest answer of `fetch` for `source`, asked `delay` after the last
/// change. `None` until there is one, or when `source` is blank.
pub fn live_answer<T, Fut>(
    source: Signal<String>,
    delay: Duration,
    fetch: impl Fn(String) -> Fut + Clone + 'static,
) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Option<T>> + 'static,
{
    let (answer, set_answer) = signal(None::<T>);
    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let in_flight = StoredValue::new_local(None::<AbortHandle>);
    Effect::new(move |_| {
        let text = source.get();
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        if let Some(h) = in_flight.get_value() {
            h.abort();
        }
        if text.trim().is_empty() {
            set_answer.set(None);
            return;
        }
        let fetch = fetch.clone();
        let handle = set_timeout_with_handle(
            move || {
                let (request, abort) = abortable(fetch(text));
                in_flight.set_value(Some(abort));
                spawn_local(async move {
                    if let Ok(result) = request.await {
                        set_answer.set(result);
                    }
                });
            },
            delay,
        );
        timer.set_value(handle.ok());
    });
    answer
}
