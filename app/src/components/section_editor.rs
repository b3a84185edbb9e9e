use leptos::prelude::*;

use super::ErrorPanel;
use super::blameless_hints::BlamelessHints;
use super::local_draft::{LocalDraft, clear_draft, draft_key, load_draft, store_draft};
use crate::api::SaveSection;
use crate::domain::{WHAT_HAPPENED, check_blameless};
use crate::error::ApiError;
use crate::markdown::render_markdown;
use crate::model::PostmortemSection;

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
/// form, and the page shows what the server has.
#[component]
pub fn SectionEditor(
    incident: String,
    section: PostmortemSection,
    names: StoredValue<Vec<String>>,
) -> impl IntoView {
    let save = ServerAction::<SaveSection>::new();
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
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .filter(|e| concerns(e, &this_section))
    });
    let findings = Signal::derive(move || check_blameless(&text.get(), &names.get_value()));
    let on_input = move |ev| {
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
                        prop:value=move || text.get() on:input=on_input>{super::textarea_text(&section.body)}</textarea>
                    <div id=ids.1.clone() class="markdown-preview prose" aria-label="Preview">
                        {move || {
                            let source = text.get();
                            if source.trim().is_empty() {
                                view! { <p class="hint">"The preview appears here as you type."</p> }.into_any()
                            } else {
                                view! { <div inner_html=render_markdown(&source)></div> }.into_any()
                            }
                        }}
                    </div>
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
