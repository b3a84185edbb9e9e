use leptos::prelude::*;

use super::ActionError;
use crate::api::{AddReviewComment, ResolveReviewThread};
use crate::format::format_time;
use crate::model::ReviewThread;

/// The actions a section's review threads use, shared by every section.
#[derive(Clone, Copy)]
pub struct ThreadActions {
    pub comment: ServerAction<AddReviewComment>,
    pub resolve: ServerAction<ResolveReviewThread>,
}

/// Reviewers' comment threads on one section: replies, resolving, and a
/// form to open a new thread.
#[component]
pub fn SectionThreads(
    incident: String,
    section: String,
    threads: Vec<ReviewThread>,
    can_comment: bool,
    actions: ThreadActions,
) -> impl IntoView {
    let title_id = format!("threads-{section}");
    let count = threads.len();
    let labelled_by = title_id.clone();
    view! {
        <div class="threads" aria-labelledby=labelled_by>
            <h3 id=title_id class="threads-title" class:visually-hidden=count == 0>
                {format!("Review comments ({count})")}
            </h3>
            {threads.into_iter().map(|thread| view! {
                <Thread thread incident=incident.clone() can_comment actions/>
            }).collect_view()}
            {can_comment.then(|| {
                let id = format!("comment-{section}");
                view! {
                    <details class="new-thread">
                        <summary>"Comment on this section"</summary>
                        <ActionForm action=actions.comment attr:class="comment-form">
                            <input type="hidden" name="comment[incident]" value=incident.clone()/>
                            <input type="hidden" name="comment[section]" value=section.clone()/>
                            <label for=id.clone() class="visually-hidden">"Comment on this section"</label>
                            <textarea id=id name="comment[body]" rows=2></textarea>
                            <button type="submit" class="button button-small">"Comment"</button>
                        </ActionForm>
                    </details>
                }
            })}
        </div>
    }
}

#[component]
fn Thread(
    thread: ReviewThread,
    incident: String,
    can_comment: bool,
    actions: ThreadActions,
) -> impl IntoView {
    let reply_id = format!("reply-{}", thread.id);
    view! {
        <article class="thread" class:resolved=thread.resolved>
            <p class="thread-state">
                {if thread.resolved {
                    format!("Resolved by {}", thread.resolved_by.clone().unwrap_or_else(|| "someone".into()))
                } else {
                    "Open".to_string()
                }}
            </p>
            <ol class="comments">
                {thread.comments.into_iter().map(|c| view! {
                    <li class="comment">
                        <p class="hint">{c.author.unwrap_or_else(|| "system".into())}" · "
                            <time datetime=c.created_at.to_rfc3339()>{format_time(c.created_at)}</time></p>
                        <div class="prose" inner_html=c.body_html></div>
                    </li>
                }).collect_view()}
            </ol>
            {can_comment.then(|| {
                let for_resolve = incident.clone();
                view! {
                <ActionForm action=actions.comment attr:class="comment-form">
                    <input type="hidden" name="comment[incident]" value=incident/>
                    <input type="hidden" name="comment[thread]" value=thread.id/>
                    <label for=reply_id.clone() class="visually-hidden">"Reply"</label>
                    <textarea id=reply_id name="comment[body]" rows=1 placeholder="Reply"></textarea>
                    <button type="submit" class="button button-small">"Reply"</button>
                </ActionForm>
                <ActionForm action=actions.resolve attr:class="inline-form">
                    <input type="hidden" name="resolve[incident]" value=for_resolve/>
                    <input type="hidden" name="resolve[thread]" value=thread.id/>
                    <input type="hidden" name="resolve[version]" value=thread.version/>
                    {thread.resolved.then(|| view! { <input type="hidden" name="resolve[reopen]" value="on"/> })}
                    <button type="submit" class="button button-small">{if thread.resolved { "Reopen thread" } else { "Resolve" }}</button>
                </ActionForm>
            }})}
        </article>
    }
}

/// The last failed comment or resolve, shown once above the sections.
#[component]
pub fn ThreadErrors(actions: ThreadActions) -> impl IntoView {
    view! {
        <ActionError error=Signal::derive(move || actions.comment.value().get().and_then(Result::err))/>
        <ActionError error=Signal::derive(move || actions.resolve.value().get().and_then(Result::err))/>
    }
}
