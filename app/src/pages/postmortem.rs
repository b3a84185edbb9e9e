use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::incident_page::MissingIncident;
use crate::api::{
    AddFactor, AddReviewComment, BeginPostmortem, MovePostmortem, RemoveFactor,
    ResolveReviewThread, TickChecklist, get_postmortem,
};
use crate::components::{
    ActionError, ActionItemsPanel, FactorActions, FactorsCard, ReviewPanel, SectionEditor,
    SectionThreads, SectionView, SeverityBadge, ThreadActions, ThreadErrors,
};
use crate::domain::PREVENTION_KEYS;
use crate::model::{Postmortem, PostmortemView, ReviewThread, TemplateChoice};
use crate::page_resource::page_resource;

/// An incident's postmortem, written together: each section saves on its
/// own, so people writing different sections never get in each other's way.
#[component]
pub fn PostmortemPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let begin = ServerAction::<BeginPostmortem>::new();
    let moves = ServerAction::<MovePostmortem>::new();
    let view = page_resource(id, get_postmortem);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(v) => view! { <PostmortemBody view=v begin moves/> }.into_any(),
                    Err(error) => view! { <MissingIncident error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PostmortemBody(
    view: PostmortemView,
    begin: ServerAction<BeginPostmortem>,
    moves: ServerAction<MovePostmortem>,
) -> impl IntoView {
    let incident = view.incident.clone();
    let back = format!("/incidents/{}", incident.human_id);
    let body = match view.postmortem.clone() {
        Some(postmortem) => view! { <Written view=view.clone() postmortem moves/> }.into_any(),
        None if view.can_edit => view! {
            <StartForm incident=incident.human_id.clone() templates=view.templates.clone() default=view.default_template.clone() begin/>
            <Factors view=view.clone()/>
        }
        .into_any(),
        None => view! {
            <p class="empty">"Nobody has started a postmortem for this incident yet."</p>
            <Factors view=view.clone()/>
        }
        .into_any(),
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

/// A started postmortem: the review panel, then the sections with their
/// comment threads.
#[component]
fn Written(
    view: PostmortemView,
    postmortem: Postmortem,
    moves: ServerAction<MovePostmortem>,
) -> impl IntoView {
    let incident = postmortem.incident.human_id.clone();
    let ticks = ServerAction::<TickChecklist>::new();
    let threads = ThreadActions {
        comment: ServerAction::<AddReviewComment>::new(),
        resolve: ServerAction::<ResolveReviewThread>::new(),
    };
    let names = crate::domain::names_to_check(&view.names);
    let (can_edit, can_review, viewer_id) = (view.can_edit, view.can_review, view.viewer_id);
    // Action items are added in the prevention section ("What we're doing so
    // it doesn't happen again"), or in the last section of other templates.
    let prevention_key = postmortem
        .sections
        .iter()
        .find(|s| PREVENTION_KEYS.contains(&s.key.as_str()))
        .or(postmortem.sections.last())
        .map(|s| s.key.clone());
    let open = postmortem.status.is_editable();
    let threads_of = |key: &str| -> Vec<ReviewThread> {
        postmortem
            .threads
            .iter()
            .filter(|t| t.section_key == key)
            .cloned()
            .collect()
    };
    view! {
        <ReviewPanel postmortem=postmortem.clone() lint_count=view.lint_count can_review moves ticks/>
        <Factors view=view.clone()/>
        <ThreadErrors actions=threads/>
        <p class="pm-meta">
            "Template "<code>{postmortem.template.clone()}</code>
            " · each section saves on its own; two people can write different sections at once · "
            <a href=format!("/incidents/{incident}/postmortem/print")>"Print view"</a>" · "
            <a href=format!("/api/v1/incidents/{incident}/postmortem/markdown") download="">"Download Markdown"</a>
        </p>
        {postmortem.sections.into_iter().map(|section| {
            let key = section.key.clone();
            let block_key = key.clone();
            let action_items = (Some(&key) == prevention_key.as_ref()).then(|| view! {
                <ActionItemsPanel incident=incident.clone() section_key=key.clone() can_edit=can_review/>
            });
            let writing = if can_edit {
                view! { <SectionEditor incident=incident.clone() section names=names.clone() viewer_id/> }.into_any()
            } else {
                view! { <SectionView section/> }.into_any()
            };
            let comments = view! {
                <SectionThreads incident=incident.clone() section=key.clone() threads=threads_of(&key) can_comment=can_review && open actions=threads/>
            };
            view! { <div class="pm-block" data-section=block_key>{writing} {action_items} {comments}</div> }
        }).collect_view()}
    }
}

/// The incident's contributing factors. They belong to the incident, so
/// they show (and can be added) before a postmortem is started too.
#[component]
fn Factors(view: PostmortemView) -> impl IntoView {
    let actions = FactorActions {
        add: ServerAction::<AddFactor>::new(),
        remove: ServerAction::<RemoveFactor>::new(),
    };
    view! {
        <FactorsCard incident=view.incident.human_id factors=view.factors taxonomy=view.taxonomy can_edit=view.can_edit actions/>
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
