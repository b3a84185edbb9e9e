use leptos::prelude::*;
use leptos_meta::Title;

use std::time::Duration;

use crate::api::{CreateIncident, list_people, similar_to_draft};
use crate::components::{ActionError, MarkdownField, PeopleList, SimilarList, live_answer};
use crate::domain::Severity;
use crate::page_resource::page_resource;

/// Declaring an incident: only a title and a severity are needed; the rest
/// can be filled in as it becomes known. Success opens the incident page.
#[component]
pub fn NewIncidentPage() -> impl IntoView {
    let action = ServerAction::<CreateIncident>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let people = page_resource(|| (), |_| list_people());
    view! {
        <Title text="Declare an incident"/>
        <div class="page narrow">
            <h1>"Declare an incident"</h1>
            <p class="lede">"A title and a severity are enough to start. Everything else can wait until you know it."</p>
            <ActionError error/>
            <DraftWatch>
            <ActionForm action=action attr:class="form-grid" attr:id="new-incident-form">
                <div class="field field-wide">
                    <label for="new-title">"What is happening?"</label>
                    <input id="new-title" name="form[title]" type="text" required maxlength="200" autofocus
                        placeholder="e.g. Checkout returns 502 for card payments"/>
                </div>
                <fieldset class="field-wide severity-choice">
                    <legend>"Severity"</legend>
                    {Severity::ALL.into_iter().map(|s| {
                        let id = format!("new-severity-{}", s.slug());
                        view! {
                            <div class="severity-option">
                                <input type="radio" id=id.clone() name="form[severity]" value=s.as_str() required checked=s == Severity::Sev3/>
                                <label for=id><span class=format!("sev-badge {}", s.slug())>{s.as_str()}</span>" "{s.description()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="new-services">"Affected services " <span class="hint">"(comma-separated)"</span></label>
                    <input id="new-services" name="form[services]" type="text" placeholder="checkout, payments"/>
                </div>
                <div class="field">
                    <label for="new-tags">"Tags " <span class="hint">"(comma-separated)"</span></label>
                    <input id="new-tags" name="form[tags]" type="text" placeholder="dns, database"/>
                </div>
                <div class="field">
                    <label for="new-commander">"Incident commander"</label>
                    <input id="new-commander" name="form[commander]" type="text" list="people" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="new-comms-lead">"Communications lead"</label>
                    <input id="new-comms-lead" name="form[comms_lead]" type="text" list="people" autocomplete="off"/>
                </div>
                <div class="field-wide">
                    <MarkdownField name="form[summary]" id="new-summary" label="Summary" rows=5/>
                </div>
                <div class="field field-wide">
                    <label for="new-impact">"Customer impact"</label>
                    <textarea id="new-impact" name="form[customer_impact]" rows="2" placeholder="Who is affected, and how?"></textarea>
                </div>
                <div class="field">
                    <label for="new-started">"Impact started " <span class="hint">"(UTC, if known)"</span></label>
                    <input id="new-started" name="form[started_at]" type="datetime-local" step="1"/>
                </div>
                <div class="field">
                    <label for="new-detected">"Detected " <span class="hint">"(UTC, if known)"</span></label>
                    <input id="new-detected" name="form[detected_at]" type="datetime-local" step="1"/>
                </div>
                <div class="field">
                    <label for="new-repeat-of">"Repeat of " <span class="hint">"(an earlier incident, e.g. INC-12)"</span></label>
                    <input id="new-repeat-of" name="form[repeat_of]" type="text" autocomplete="off"/>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Declare incident"</button>
                </div>
            </ActionForm>
            </DraftWatch>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    people.await.ok().map(|people| view! { <PeopleList people/> })
                })}
            </Suspense>
        </div>
    }
}

/// Watches the form in `children` (rendered on the server) and, as its
/// title and summary are typed, suggests similar past incidents below it.
/// An island: the form itself stays a plain form.
#[island]
fn DraftWatch(children: Children) -> impl IntoView {
    let (draft, set_draft) = signal(String::new());
    view! {
        <div on:input=move |_| set_draft.set(draft_text())>{children()}</div>
        <DraftSuggestions draft/>
    }
}

/// The draft's title and summary as typed so far (browser only).
fn draft_text() -> String {
    use wasm_bindgen::JsCast;
    let value = |id: &str| {
        let el = document().get_element_by_id(id);
        el.clone()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .or_else(|| {
                el.and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                    .map(|t| t.value())
            })
            .unwrap_or_default()
    };
    format!("{}\n{}", value("new-title"), value("new-summary"))
        .trim()
        .to_string()
}

/// While declaring: past incidents like what is being typed.
#[component]
fn DraftSuggestions(draft: ReadSignal<String>) -> impl IntoView {
    let similar = live_answer(
        draft.into(),
        Duration::from_millis(300),
        |text: String| async move { similar_to_draft(text).await.ok() },
    );
    view! {
        <aside class="card draft-suggestions" aria-live="polite" aria-label="Seen before?" hidden=move || similar.get().is_none_or(|s| s.hits.is_empty())>
            <h2>"Seen before?"</h2>
            {move || similar.get().map(|s| view! { <SimilarList hits=s.hits/> })}
        </aside>
    }
}
