use leptos::prelude::*;

use super::ActionError;
use crate::api::{MovePostmortem, TickChecklist};
use crate::domain::PostmortemStatus;
use crate::model::Postmortem;

/// Where the postmortem stands in review: its status and the moves from
/// it, the blameless-check count, open threads, and the reviewer checklist.
/// Every control is a small form, so it works without JavaScript.
#[component]
pub fn ReviewPanel(
    postmortem: Postmortem,
    lint_count: usize,
    can_review: bool,
    moves: ServerAction<MovePostmortem>,
    ticks: ServerAction<TickChecklist>,
) -> impl IntoView {
    let incident = postmortem.incident.human_id.clone();
    let open = postmortem.open_threads();
    let status = postmortem.status;
    let choices: Vec<(PostmortemStatus, &str)> = match status {
        PostmortemStatus::Draft => vec![(PostmortemStatus::InReview, "Send for review")],
        PostmortemStatus::InReview => vec![
            (PostmortemStatus::Published, "Publish"),
            (PostmortemStatus::Draft, "Back to draft"),
        ],
        PostmortemStatus::Published => vec![
            (PostmortemStatus::Complete, "Mark complete"),
            (PostmortemStatus::Draft, "Reopen"),
        ],
        PostmortemStatus::Complete => vec![(PostmortemStatus::Draft, "Reopen")],
    };
    let ticking = can_review && !status.is_published();
    let total = postmortem.checklist.len();
    let done = postmortem.checklist.iter().filter(|i| i.checked).count();
    view! {
        <section class="card review-panel" aria-labelledby="review-title">
            <h2 id="review-title">"Review"</h2>
            <p>
                <span class=format!("badge pm-status pm-status-{}", status.as_str())>{status.label()}</span>
                " · "{format!("{lint_count} blameless-language finding{}", if lint_count == 1 { "" } else { "s" })}
                " · "{format!("{open} open comment thread{}", if open == 1 { "" } else { "s" })}
            </p>
            <ActionError error=Signal::derive(move || moves.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || ticks.value().get().and_then(Result::err))/>
            <details class="checklist-box" open=status == PostmortemStatus::InReview>
            <summary>{format!("Reviewer checklist ({done} of {total} done)")}</summary>
            <ul class="checklist">
                {postmortem.checklist.into_iter().map(|item| {
                    let incident = incident.clone();
                    view! {
                        <li class:checked=item.checked>
                            <span aria-hidden="true">{if item.checked { "☑ " } else { "☐ " }}</span>
                            {item.label}
                            {item.checked_by.map(|by| view! { <span class="hint">" — "{by}</span> })}
                            {ticking.then(|| view! {
                                <ActionForm action=ticks attr:class="inline-form">
                                    <input type="hidden" name="tick[incident]" value=incident/>
                                    <input type="hidden" name="tick[item]" value=item.key/>
                                    {(!item.checked).then(|| view! { <input type="hidden" name="tick[checked]" value="on"/> })}
                                    <button type="submit" class="button button-small">{if item.checked { "Undo" } else { "Done" }}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            </details>
            {can_review.then(|| view! {
                <div class="review-moves">
                    {choices.into_iter().map(|(to, label)| {
                        let incident = incident.clone();
                        view! {
                        <ActionForm action=moves attr:class="inline-form">
                            <input type="hidden" name="change[incident]" value=incident/>
                            <input type="hidden" name="change[status]" value=to.as_str()/>
                            <input type="hidden" name="change[version]" value=postmortem.version/>
                            <button type="submit" class="button" class:button-primary=to == PostmortemStatus::Published>{label}</button>
                        </ActionForm>
                    }}).collect_view()}
                </div>
                {(status == PostmortemStatus::InReview).then_some(view! {
                    <p class="hint">"Publishing needs every checklist item done and every comment thread resolved. A published postmortem is read-only until it is reopened."</p>
                })}
            })}
        </section>
    }
}
