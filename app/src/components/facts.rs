use leptos::prelude::*;

use super::{SeverityBadge, StatusBadge};
use crate::domain::Milestone;
use crate::format::{format_duration, format_time};
use crate::model::{Incident, IncidentLink};

fn incident_link(link: Option<IncidentLink>) -> impl IntoView {
    link.map(|l| view! { <a href=format!("/incidents/{}", l.human_id)>{l.human_id.clone()}" "{l.title}</a> })
}

fn names(items: &[String]) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        items.join(", ")
    }
}

/// The key facts at a glance: severity, status, people, services, and each
/// timestamp with where it came from and the time since the one before.
#[component]
pub fn FactsStrip(incident: Incident) -> impl IntoView {
    let ms = incident.milestones.clone();
    let mut previous: Option<chrono::DateTime<chrono::Utc>> = None;
    let stamps = Milestone::ALL
        .into_iter()
        .filter_map(|m| ms.get(m).map(|at| (m, at)))
        .map(|(m, at)| {
            let gap = previous
                .filter(|_| m != Milestone::Declared)
                .map(|p| format!("+{}", format_duration(at - p)));
            if m != Milestone::Declared {
                previous = Some(at);
            }
            let meta = ms.source(m).map(|s| match &s.set_by {
                Some(by) => format!("{}, {by}", s.source.as_str()),
                None => s.source.as_str().to_string(),
            });
            view! {
                <li>
                    <span class="stamp-label">{m.label()}</span>
                    <time datetime=at.to_rfc3339()>{format_time(at)}</time>
                    {gap.map(|g| view! { <span class="stamp-gap">{g}</span> })}
                    {meta.map(|s| view! { <span class="stamp-source">"("{s}")"</span> })}
                </li>
            }
        })
        .collect_view();
    let impact = incident.impact_duration().map(|d| {
        view! { <p class="impact-line"><strong>"Customer impact: "</strong>{format_duration(d)}<span class="hint">" (started → mitigated)"</span></p> }
    });
    view! {
        <section class="facts" aria-label="Key facts">
            <dl class="facts-grid">
                <div><dt>"Severity"</dt><dd><SeverityBadge severity=incident.severity/>" "<span class="hint">{incident.severity.description()}</span></dd></div>
                <div><dt>"Status"</dt><dd><StatusBadge status=incident.status/></dd></div>
                <div><dt>"Services"</dt><dd>{names(&incident.services)}</dd></div>
                <div><dt>"Tags"</dt><dd>{names(&incident.tags)}</dd></div>
                <div><dt>"Commander"</dt><dd>{incident.commander.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"Comms lead"</dt><dd>{incident.comms_lead.clone().unwrap_or_else(|| "—".into())}</dd></div>
                {incident.repeat_of.clone().map(|l| view! { <div><dt>"Repeat of"</dt><dd>{incident_link(Some(l))}</dd></div> })}
                {incident.duplicate_of.clone().map(|l| view! { <div><dt>"Duplicate of"</dt><dd>{incident_link(Some(l))}</dd></div> })}
                {incident.decline_reason.clone().map(|r| view! { <div><dt>"Declined because"</dt><dd>{r}</dd></div> })}
            </dl>
            {impact}
            <ol class="stamps" aria-label="Timestamps">{stamps}</ol>
        </section>
    }
}
