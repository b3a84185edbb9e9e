//! One incident's page in the static export: the facts and the six
//! timestamps with the time between them, the summary, contributing
//! factors, the timeline, action items and the postmortem's sections.
use std::fmt::Write;

use app::domain::Milestone;
use app::format::{format_duration, format_time};
use app::model::{ActionItem, Incident, IncidentLink, Postmortem, TimelineEntry};
use chrono::{DateTime, Utc};

use super::html::{attr, incident_file, local_links, page, severity_badge, status_badge, text};
use super::reader::ExportedIncident;

fn names(items: &[String]) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        text(&items.join(", "))
    }
}

fn link(l: &IncidentLink) -> String {
    format!(
        r#"<a href="{}">{} <bdi>{}</bdi></a>"#,
        incident_file(l.id),
        text(&l.human_id),
        text(&l.title)
    )
}

fn time(at: DateTime<Utc>) -> String {
    format!(
        r#"<time datetime="{}">{}</time>"#,
        at.to_rfc3339(),
        format_time(at)
    )
}

fn facts(i: &Incident) -> String {
    let optional = |label: &str, value: &Option<String>| {
        value.as_ref().map_or(String::new(), |v| {
            format!("<div><dt>{label}</dt><dd>{}</dd></div>", text(v))
        })
    };
    let linked = |label: &str, l: &Option<IncidentLink>| {
        l.as_ref().map_or(String::new(), |l| {
            format!("<div><dt>{label}</dt><dd>{}</dd></div>", link(l))
        })
    };
    format!(
        r#"<dl class="facts">
<div><dt>Severity</dt><dd>{} <span class="muted">{}</span></dd></div>
<div><dt>Status</dt><dd>{}</dd></div>
<div><dt>Services</dt><dd>{}</dd></div>
<div><dt>Tags</dt><dd>{}</dd></div>
<div><dt>Commander</dt><dd>{}</dd></div>
{}{}{}{}{}</dl>"#,
        severity_badge(i.severity),
        text(i.severity.description()),
        status_badge(i.status),
        names(&i.services),
        names(&i.tags),
        text(i.commander.as_deref().unwrap_or("—")),
        optional("Comms lead", &i.comms_lead),
        optional("Customer impact", &i.customer_impact),
        linked("Repeat of", &i.repeat_of),
        linked("Duplicate of", &i.duplicate_of),
        optional("Declined because", &i.decline_reason),
    )
}

/// The six timestamps, each with the time since the one before (the
/// declaration stands apart, as on the incident page).
fn stamps(i: &Incident) -> String {
    let ms = &i.milestones;
    let mut out = String::from(r#"<ol class="stamps" aria-label="Timestamps">"#);
    let mut previous: Option<DateTime<Utc>> = None;
    for m in Milestone::ALL {
        let Some(at) = ms.get(m) else {
            let _ = write!(
                out,
                r#"<li class="unset"><span class="stamp-label">{}</span> <span class="muted">not set</span></li>"#,
                m.label()
            );
            continue;
        };
        let gap = previous
            .filter(|_| m != Milestone::Declared)
            .map(|p| format!(r#" <span class="gap">+{}</span>"#, format_duration(at - p)))
            .unwrap_or_default();
        if m != Milestone::Declared {
            previous = Some(at);
        }
        let _ = write!(
            out,
            r#"<li><span class="stamp-label">{}</span> {}{gap}</li>"#,
            m.label(),
            time(at)
        );
    }
    out.push_str("</ol>");
    if let Some(d) = i.impact_duration() {
        let _ = write!(
            out,
            r#"<p><strong>Customer impact:</strong> {} <span class="muted">(started → mitigated)</span></p>"#,
            format_duration(d)
        );
    }
    out
}

fn timeline(entries: &[TimelineEntry]) -> String {
    if entries.is_empty() {
        return r#"<p class="muted">No timeline entries.</p>"#.into();
    }
    let mut out = String::from(r#"<ol class="timeline">"#);
    for e in entries {
        let author = e
            .author
            .as_deref()
            .map(|a| format!(" · {}", text(a)))
            .unwrap_or_default();
        let _ = write!(
            out,
            r#"<li><p class="entry-meta">{} · {}{author}</p><div class="prose">{}</div></li>"#,
            time(e.occurred_at),
            text(e.kind.label()),
            local_links(&e.body_html)
        );
    }
    out.push_str("</ol>");
    out
}

fn tracker(url: &Option<String>) -> String {
    match url {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => format!(
            r#" <a href="{}" rel="noopener noreferrer nofollow">tracker</a>"#,
            attr(u)
        ),
        _ => String::new(),
    }
}

fn actions(items: &[ActionItem]) -> String {
    if items.is_empty() {
        return r#"<p class="muted">No action items.</p>"#.into();
    }
    let mut out = String::from(
        r#"<div class="table-wrap"><table class="list"><thead><tr><th scope="col">Action</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Owner</th><th scope="col">Due</th></tr></thead><tbody>"#,
    );
    for a in items {
        let due = match a.due_on {
            Some(d) if a.overdue => format!(r#"{d} <strong class="overdue">overdue</strong>"#),
            Some(d) => d.to_string(),
            None => "—".into(),
        };
        let reason = a
            .reason
            .as_deref()
            .map(|r| format!(r#"<br><span class="muted">{}</span>"#, text(r)))
            .unwrap_or_default();
        let _ = write!(
            out,
            r#"<tr><td class="title"><bdi>{}</bdi> <span class="muted">({})</span>{}</td><td class="wrap">{}{reason}</td><td>{}</td><td>{}</td><td class="mono">{due}</td></tr>"#,
            text(&a.title),
            text(a.kind.label()),
            tracker(&a.tracker_url),
            text(a.status.label()),
            text(a.priority.label()),
            a.owner.as_ref().map_or("—".into(), |o| text(&o.name)),
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

fn postmortem(p: &Option<Postmortem>) -> String {
    let Some(p) = p else {
        return r#"<p class="muted">No postmortem.</p>"#.into();
    };
    let mut out = format!(
        r#"<p class="muted">{} · template {} · last changed {}</p>"#,
        text(p.status.label()),
        text(&p.template),
        format_time(p.updated_at)
    );
    for s in &p.sections {
        let body = if s.body.trim().is_empty() {
            r#"<p class="muted">Not written yet.</p>"#.to_string()
        } else {
            local_links(&s.body_html)
        };
        let _ = write!(
            out,
            r#"<section class="card"><h3>{}</h3><div class="prose">{body}</div></section>"#,
            text(&s.heading)
        );
    }
    out
}

/// The page of one incident; `footer` is the export's common footer.
pub fn render(e: &ExportedIncident, footer: &str) -> String {
    let i = &e.incident;
    let factors = if e.factors.is_empty() {
        r#"<p class="muted">None recorded.</p>"#.to_string()
    } else {
        let items: String = e
            .factors
            .iter()
            .map(|f| {
                format!(
                    "<li><strong>{}</strong>: {}</li>",
                    text(&f.factor),
                    text(&f.explanation)
                )
            })
            .collect();
        format!("<ul>{items}</ul>")
    };
    let summary = if i.summary.trim().is_empty() {
        r#"<p class="muted">No summary.</p>"#.to_string()
    } else {
        local_links(&i.summary_html)
    };
    let body = format!(
        r#"<p><a href="../index.html">← All incidents</a></p>
<h1>{} <span class="mono">{}</span> <bdi>{}</bdi></h1>
{}
{}
<h2>Summary</h2><div class="prose">{summary}</div>
<h2>Contributing factors</h2>{factors}
<h2>Timeline</h2>{}
<h2>Action items</h2>{}
<h2>Postmortem</h2>{}"#,
        severity_badge(i.severity),
        text(&i.human_id),
        text(&i.title),
        facts(i),
        stamps(i),
        timeline(&e.timeline),
        actions(&e.actions),
        postmortem(&e.postmortem),
    );
    page(&format!("{} {}", i.human_id, i.title), "../", &body, footer)
}
