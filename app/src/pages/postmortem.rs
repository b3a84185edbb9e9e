use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::incident_page::MissingIncident;
use crate::api::{BeginPostmortem, get_postmortem};
use crate::components::{ActionError, SectionEditor, SectionView, SeverityBadge};
use crate::model::{Postmortem, PostmortemView, TemplateChoice};

/// An incident's postmortem, written together: each section saves on its
/// own, so people writing different sections never get in each other's way.
#[component]
pub fn PostmortemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let begin = ServerAction::<BeginPostmortem>::new();
    // Section saves do not refetch: that would reset what others are typing.
    let view = Resource::new(
        move || (id(), begin.version().get()),
        |(id, _)| get_postmortem(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(v) => view! { <PostmortemBody view=v begin/> }.into_any(),
                    Err(error) => view! { <MissingIncident error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PostmortemBody(view: PostmortemView, begin: ServerAction<BeginPostmortem>) -> impl IntoView {
    let incident = view.incident.clone();
    let back = format!("/incidents/{}", incident.human_id);
    let body = match view.postmortem.clone() {
        Some(postmortem) => {
            let names = StoredValue::new(crate::domain::names_to_check(&view.names));
            view! { <Sections postmortem can_edit=view.can_edit names/> }.into_any()
        }
        None if view.can_edit => view! {
            <StartForm incident=incident.human_id.clone() templates=view.templates.clone() default=view.default_template.clone() begin/>
        }
        .into_any(),
        None => view! { <p class="empty">"Nobody has started a postmortem for this incident yet."</p> }.into_any(),
    };
    view! {
        <Title text=format!("Postmortem: {} {}", incident.human_id, incident.title)/>
        <article class="page postmortem" aria-labelledby="postmortem-title">
            <p class="breadcrumb">
                <a href="/incidents">"Incidents"</a>" / "
                <a href=back class="mono">{incident.human_id.clone()}</a>" / postmortem"
            </p>
            <h1 id="postmortem-title">
                <SeverityBadge severity=view.severity/>" Postmortem: "{incident.title.clone()}
            </h1>
            {body}
        </article>
    }
}

#[component]
fn StartForm(
    incident: String,
    templates: Vec<TemplateChoice>,
    default: String,
    begin: ServerAction<BeginPostmortem>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="start-title">
            <h2 id="start-title">"Start the postmortem"</h2>
            <p>"Blameless: describe what the system and people saw and did, and what made the outcome possible. Never who was wrong."</p>
            <ActionError error=Signal::derive(move || begin.value().get().and_then(Result::err))/>
            <ActionForm action=begin>
                <input type="hidden" name="start[incident]" value=incident/>
                <fieldset>
                    <legend>"Template"</legend>
                    {templates.into_iter().map(|t| {
                        let id = format!("template-{}", t.name);
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="start[template]" value=t.name.clone() checked=t.name == default/>
                                <label for=id>{t.label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button button-primary">"Start writing"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Sections(
    postmortem: Postmortem,
    can_edit: bool,
    names: StoredValue<Vec<String>>,
) -> impl IntoView {
    let incident = postmortem.incident.human_id.clone();
    view! {
        <p class="pm-meta">
            <span class=format!("badge pm-status pm-status-{}", postmortem.status.as_str())>{postmortem.status.label()}</span>
            " · template "<code>{postmortem.template.clone()}</code>
            " · each section saves on its own; two people can write different sections at once."
        </p>
        {postmortem.sections.into_iter().map(|section| {
            if can_edit {
                view! { <SectionEditor incident=incident.clone() section names/> }.into_any()
            } else {
                view! { <SectionView section/> }.into_any()
            }
        }).collect_view()}
    }
}
