use leptos::prelude::*;

use super::blameless_hints::BlamelessHints;
use super::follow_postmortem;
use super::local_draft::{LocalDraft, clear_draft, draft_key, load_draft, store_draft};
use super::{ErrorPanel, MarkdownPreview};
use crate::api::{PostmortemPresence, SaveSection};
use crate::domain::{WHAT_HAPPENED, check_blameless};
use crate::error::ApiError;
use crate::model::{PostmortemSection, PresenceBeat};

/// While typing, tell the others at most this often (presence lasts 30 s).
const BEAT_EVERY_MS: f64 = 10_000.0;

/// Whether a failed save concerns this section (errors name the section),
/// or names none, so it belongs wherever it appears.
fn concerns(error: &ApiError, section: &PostmortemSection) -> bool {
    match error {
        ApiError::Conflict { changes, .. } => changes.iter().any(|c| c.field == section.heading),
        ApiError::Invalid { fields } => fields
            .iter()
            .any(|f| f.field == format!("sections.{}.body", section.key)),
        _ => true,
    }
}

/// One postmortem section, saved on its own with the version it was written
/// against. Live preview and blameless hints as you type; unsaved text is
/// kept in this browser until it is saved. Without JavaScript it is a plain
/// form, and the page shows what the server has. An island: `names` are the
/// people the blameless hints look for; `viewer_id` is left out of "who is
/// writing", and every editor on the page shares one event stream.
#[island]
pub fn SectionEditor(
    incident: String,
    section: PostmortemSection,
    names: Vec<String>,
    viewer_id: Option<i64>,
) -> impl IntoView {
    let names = StoredValue::new(names);
    let live = follow_postmortem(incident.clone(), viewer_id);
    let save = ServerAction::<SaveSection>::new();
    let presence = ServerAction::<PostmortemPresence>::new();
    // Someone else's newer save, while this editor holds unsaved text.
    let newer_by = RwSignal::new(None::<(String, i64)>);
    let version = RwSignal::new(section.version);
    let text = RwSignal::new(section.body.clone());
    let saved_text = RwSignal::new(section.body.clone());
    let restored = RwSignal::new(false);
    let storage_key = StoredValue::new(draft_key(&incident, &section.key));
    let server_body = section.body.clone();
    Effect::new(move |_| {
        let key = storage_key.get_value();
        match load_draft(&key) {
            // Written against an older version: saving it will show both texts.
            Some(draft) if draft.body != server_body => {
                version.set(draft.version);
                text.set(draft.body);
                restored.set(true);
            }
            Some(_) => clear_draft(&key),
            None => {}
        }
    });
    let this_section = section.clone();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            newer_by.set(None);
            version.set(saved.version);
            saved_text.set(saved.body.clone());
            text.set(saved.body);
            restored.set(false);
            clear_draft(&storage_key.get_value());
        }
        Some(Err(ApiError::Conflict {
            current_version, ..
        })) => version.set(current_version),
        _ => {}
    });
    let own_key = section.key.clone();
    Effect::new(move |_| {
        let Some(theirs) = live.saved.get() else {
            return;
        };
        if theirs.key != own_key || theirs.version <= version.get_untracked() {
            return;
        }
        if text.get_untracked() == saved_text.get_untracked() {
            // Nothing unsaved here: show theirs at once.
            version.set(theirs.version);
            saved_text.set(theirs.body.clone());
            text.set(theirs.body);
        } else {
            // Keep the old version: saving will show both texts to merge.
            let who = theirs.updated_by.unwrap_or_else(|| "Someone".into());
            newer_by.set(Some((who, theirs.version)));
        }
    });
    let beat = {
        let (incident, key) = (incident.clone(), section.key.clone());
        let last = StoredValue::new(f64::MIN);
        move |writing: bool| {
            let now = window().performance().map(|p| p.now()).unwrap_or_default();
            if writing && now - last.get_value() < BEAT_EVERY_MS {
                return;
            }
            last.set_value(if writing { now } else { f64::MIN });
            let section = if writing { key.clone() } else { String::new() };
            let beat = PresenceBeat {
                incident: incident.clone(),
                section,
            };
            presence.dispatch(PostmortemPresence { beat });
        }
    };
    let writing_here = {
        let key = section.key.clone();
        move || match live.writing(&key).as_slice() {
            [] => String::new(),
            [one] => format!("{one} is writing this section"),
            many => format!("{} are writing this section", many.join(", ")),
        }
    };
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .filter(|e| concerns(e, &this_section))
    });
    let findings = Signal::derive(move || check_blameless(&text.get(), &names.get_value()));
    let (beat_input, beat_focus, beat_blur) = (beat.clone(), beat.clone(), beat);
    let on_input = move |ev| {
        beat_input(true);
        let body = event_target_value(&ev);
        text.set(body.clone());
        let draft = LocalDraft {
            version: version.get_untracked(),
            body,
        };
        store_draft(&storage_key.get_value(), &draft);
    };
    let key = section.key.clone();
    let ids = (
        format!("body-{key}"),
        format!("preview-{key}"),
        format!("hints-{key}"),
    );
    let history = format!("/incidents/{incident}/postmortem/{key}/history");
    let (section_id, heading_id) = (format!("section-{key}"), format!("heading-{key}"));
    let appends_timeline = key == WHAT_HAPPENED;
    let labelled_by = heading_id.clone();
    view! {
        <section class="pm-section" id=section_id aria-labelledby=labelled_by>
            <div class="pm-section-head">
                <h2 id=heading_id>{section.heading.clone()}</h2>
                <a href=history class="hint">"History · version "{move || version.get()}</a>
            </div>
            <p class="pm-presence" aria-live="polite">{writing_here}</p>
            <p class="notice notice-conflict" role="status" hidden=move || newer_by.get().is_none()>
                {move || newer_by.get().map(|(who, v)| format!(
                    "{who} saved version {v} of this section while you were writing. Your text is still here: saving shows both versions side by side to merge."
                ))}
            </p>
            <p class="hint">{section.guidance.clone()}</p>
            {move || error.get().map(|error| view! { <ErrorPanel error/> })}
            <p class="notice" hidden=move || !restored.get()>
                "Restored your unsaved text from this browser. Save it, or reload after clearing it to see the saved version."
            </p>
            <ActionForm action=save attr:class="section-form">
                <input type="hidden" name="save[incident]" value=incident.clone()/>
                <input type="hidden" name="save[key]" value=key/>
                <input type="hidden" name="save[version]" value=section.version prop:value=move || version.get().to_string()/>
                <label for=ids.0.clone() class="visually-hidden">{section.heading.clone()}</label>
                <div class="editor-pair">
                    <textarea id=ids.0.clone() name="save[body]" rows=10 aria-describedby=format!("{} {}", ids.1, ids.2)
                        prop:value=move || text.get() on:input=on_input
                        on:focus=move |_| beat_focus(true) on:blur=move |_| beat_blur(false)>{super::textarea_text(&section.body)}</textarea>
                    <MarkdownPreview id=ids.1.clone() source=text/>
                </div>
                <BlamelessHints findings id=ids.2.clone()/>
                <div class="form-actions">
                    {appends_timeline.then(|| view! {
                        <label class="checkbox">
                            <input type="checkbox" name="save[append_timeline]" value="on"/>
                            " Append the incident timeline as a table"
                        </label>
                    })}
                    <button type="submit" class="button button-primary">"Save section"</button>
                    <span class="hint" aria-live="polite">
                        {move || if text.get() != saved_text.get() { "Unsaved changes" } else { "" }}
                    </span>
                </div>
            </ActionForm>
        </section>
    }
}

/// A section as readers see it, when they cannot edit.
#[component]
pub fn SectionView(section: PostmortemSection) -> impl IntoView {
    let key = section.key.clone();
    view! {
        <section class="pm-section" id=format!("section-{key}") aria-labelledby=format!("heading-{key}")>
            <h2 id=format!("heading-{key}")>{section.heading.clone()}</h2>
            {if section.body.trim().is_empty() {
                view! { <p class="hint">"Not written yet."</p> }.into_any()
            } else {
                view! { <div class="prose" inner_html=section.body_html.clone()></div> }.into_any()
            }}
        </section>
    }
}
