//! Timeline entries that arrive with an imported incident (an export of
//! another Firebreak): validated like typed ones, and added only once.
use app::domain::{EntryKind, parse_markdown, parse_optional_line, parse_timestamp};
use app::model::TimelineEntry;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::problems::Problems;
use super::{ServiceError, render_markdown_safely};
use crate::store::EntryWrite;

/// One entry as an export writes it: when, what kind, who, and the markdown.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportedEntry {
    pub at: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub text: String,
}

impl ImportedEntry {
    pub fn from_entry(entry: &TimelineEntry) -> Self {
        Self {
            at: entry.occurred_at.to_rfc3339(),
            kind: entry.kind.as_str().into(),
            author: entry.author.clone(),
            text: entry.body.clone(),
        }
    }
}

/// Every entry checked; problems name the entry (`timeline[2].at`).
pub(super) async fn parse_entries(
    entries: &[ImportedEntry],
    now: DateTime<Utc>,
) -> Result<Vec<EntryWrite>, ServiceError> {
    let mut p = Problems::default();
    let mut parsed = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let field = |name: &str| format!("timeline[{i}].{name}");
        let at = p
            .check(&field("at"), parse_timestamp(Some(&entry.at), now))
            .flatten();
        let kind = p.check(&field("kind"), EntryKind::parse(&entry.kind));
        let body = p.check(&field("text"), parse_markdown(&entry.text));
        let author = p
            .check(
                &field("author"),
                parse_optional_line(entry.author.as_deref()),
            )
            .flatten();
        if entry.at.trim().is_empty() {
            p.add(&field("at"), "is required: when it happened");
        }
        if let (Some(at), Some(kind), Some(body)) = (at, kind, body) {
            parsed.push((at, kind, body, author));
        }
    }
    p.finish()?;
    let mut out = Vec::with_capacity(parsed.len());
    for (occurred_at, kind, body_md, author) in parsed {
        out.push(EntryWrite {
            occurred_at,
            kind,
            body_html: render_markdown_safely("timeline", body_md.clone()).await?,
            body_md,
            author,
            author_id: None,
        });
    }
    Ok(out)
}

/// The entries not already on the incident (same time, kind and text).
pub(super) fn not_yet_present(
    entries: Vec<EntryWrite>,
    existing: &[TimelineEntry],
) -> Vec<EntryWrite> {
    entries
        .into_iter()
        .filter(|e| {
            !existing
                .iter()
                .any(|x| x.occurred_at == e.occurred_at && x.kind == e.kind && x.body == e.body_md)
        })
        .collect()
}
