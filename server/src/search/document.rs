//! An incident as the index sees it.
use app::domain::EntryKind;
use app::model::{Incident, PostmortemSection, TimelineEntry};
use chrono::Datelike;
use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use super::schema::Fields;
use super::word_pairs::CommonWords;
use crate::store::IndexSource;

const RESOLUTION_CHARS: usize = 280;
/// How many times the title counts in the body: a word in the title weighs
/// as much as this many in the text (BM25F's field weight, by repetition).
pub const TITLE_WEIGHT: usize = 3;
/// Words that mark the sentence or paragraph saying what fixed it.
const FIX_WORDS: [&str; 8] = [
    "what fixed it",
    "fixed",
    "resolved",
    "mitigat",
    "rolled back",
    "rollback",
    "restor",
    "recover",
];

/// `/kind/value`: a facet, and the term a filter on it looks for.
pub fn facet(kind: &str, value: &str) -> Facet {
    Facet::from_path([kind, value])
}

/// Adds `/kind/value` to the facets (for counts) and to the filter terms.
fn add_facet(doc: &mut TantivyDocument, fields: &Fields, kind: &str, value: &str) {
    let facet = facet(kind, value);
    doc.add_text(fields.filters, facet.to_string());
    doc.add_facet(fields.facets, facet);
}

fn clip(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= RESOLUTION_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(RESOLUTION_CHARS).collect();
    format!("{}…", cut.trim_end())
}

fn talks_about_a_fix(paragraph: &&str) -> bool {
    let lower = paragraph.to_lowercase();
    FIX_WORDS.iter().any(|w| lower.contains(w)) && !lower.contains("see the timeline")
}

/// "What fixed it": the postmortem's Resolution section, else the first
/// postmortem or summary paragraph that talks about a fix, else the last
/// action taken on the timeline.
pub fn resolution(
    incident: &Incident,
    timeline: &[TimelineEntry],
    sections: &[PostmortemSection],
) -> Option<String> {
    let written = sections
        .iter()
        .find(|s| s.key == "resolution" && !s.body.trim().is_empty())
        .map(|s| s.body.as_str())
        .or_else(|| {
            sections
                .iter()
                .flat_map(|s| s.body.split("\n\n"))
                .find(talks_about_a_fix)
        });
    let from_summary = written.or_else(|| incident.summary.split("\n\n").find(talks_about_a_fix));
    let from_timeline = || {
        timeline
            .iter()
            .rev()
            .find(|e| e.kind == EntryKind::ActionTaken)
            .map(|e| e.body.as_str())
    };
    from_summary
        .or_else(from_timeline)
        .map(clip)
        .filter(|s| !s.is_empty())
}

/// The searchable text: summary, impact, timeline and postmortem.
pub fn body_text(
    incident: &Incident,
    timeline: &[TimelineEntry],
    sections: &[PostmortemSection],
) -> String {
    let mut parts = vec![incident.summary.clone()];
    parts.extend(incident.customer_impact.clone());
    parts.extend(timeline.iter().map(|e| e.body.clone()));
    for section in sections {
        if !section.body.trim().is_empty() {
            parts.push(format!("{}\n{}", section.heading, section.body));
        }
    }
    parts.join("\n\n")
}

/// What common words are learnt from: the title and the body text.
pub fn learning_text(source: &IndexSource) -> String {
    let body = body_text(&source.incident, &source.timeline, &source.sections);
    format!("{}\n\n{body}", source.incident.title)
}

pub fn started_at(incident: &Incident) -> Option<chrono::DateTime<chrono::Utc>> {
    incident
        .milestones
        .started_at
        .or(incident.milestones.declared_at)
}

/// The index document of `source`; `common` names the words whose
/// adjacent pairs go into the `pairs` field.
pub fn build(fields: &Fields, source: &IndexSource, common: &CommonWords) -> TantivyDocument {
    let IndexSource {
        incident,
        timeline,
        sections,
        factors,
    } = source;
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, incident.id as u64);
    doc.add_text(fields.title, &incident.title);
    // Each copy is its own value: phrases never span two of them.
    for _ in 0..TITLE_WEIGHT {
        doc.add_text(fields.body, &incident.title);
    }
    let mut body = body_text(incident, timeline, sections);
    for f in factors {
        body.push_str(&format!(
            "\n\nContributing factor: {}. {}",
            f.factor, f.explanation
        ));
        add_facet(&mut doc, fields, "factor", &f.factor);
    }
    doc.add_text(fields.body, &body);
    if !common.is_empty() {
        let mut pairs = String::new();
        common.add_pairs(&incident.title, &mut pairs);
        pairs = pairs.repeat(TITLE_WEIGHT);
        common.add_pairs(&body, &mut pairs);
        doc.add_text(fields.pairs, pairs);
    }
    doc.add_text(fields.text, body);
    add_facet(&mut doc, fields, "severity", incident.severity.as_str());
    add_facet(&mut doc, fields, "status", incident.status.as_str());
    for service in &incident.services {
        add_facet(&mut doc, fields, "service", service);
    }
    for tag in &incident.tags {
        add_facet(&mut doc, fields, "tag", tag);
    }
    if let Some(at) = started_at(incident) {
        doc.add_i64(fields.started, at.timestamp());
        add_facet(&mut doc, fields, "year", &at.year().to_string());
    } else {
        doc.add_i64(fields.started, 0);
    }
    doc.add_text(fields.severity, incident.severity.as_str());
    doc.add_text(fields.status, incident.status.as_str());
    if let Some(r) = resolution(incident, timeline, sections) {
        doc.add_text(fields.resolution, r);
    }
    doc
}
