//! As-you-type requests: wait until typing pauses, then ask; when a newer
//! question comes, abort the older request (dropping a server-function call
//! aborts its fetch). Runs only in the browser; without JavaScript the
//! forms still submit normally.
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
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
    // Effects run only in the browser, so the timer and the request live
    // in the effect's own state, never in anything the server creates.
    Effect::new(move |pending: Option<Rc<RefCell<Pending>>>| {
        let pending = pending.unwrap_or_default();
        let text = source.get();
        pending.borrow_mut().cancel();
        if text.trim().is_empty() {
            set_answer.set(None);
            return pending;
        }
        let fetch = fetch.clone();
        let shared = pending.clone();
        let timer = set_timeout_with_handle(
            move || {
                let (request, abort) = abortable(fetch(text));
                shared.borrow_mut().request = Some(abort);
                spawn_local(async move {
                    if let Ok(result) = request.await {
                        set_answer.set(result);
                    }
                });
            },
            delay,
        );
        pending.borrow_mut().timer = timer.ok();
        pending
    });
    answer
}

/// The timer waiting for a pause, and the request in flight.
#[derive(Default)]
struct Pending {
    timer: Option<TimeoutHandle>,
    request: Option<AbortHandle>,
}

impl Pending {
    fn cancel(&mut self) {
        if let Some(t) = self.timer.take() {
            t.clear();
        }
        if let Some(r) = self.request.take() {
            r.abort();
        }
    }
}
