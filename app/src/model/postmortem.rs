//! Postmortems as the pages and the API see them: one per incident, made of
//! sections that are saved separately, each with its own version.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Factor, IncidentFactor, IncidentLink};
use crate::domain::{PostmortemStatus, Severity};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemSection {
    pub id: i64,
    /// Stable within the postmortem: `what_happened`.
    pub key: String,
    pub heading: String,
    pub guidance: String,
    /// Markdown as written.
    pub body: String,
    /// Rendered and sanitised; safe to insert as HTML.
    pub body_html: String,
    pub version: i64,
    pub updated_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// One item of the reviewer checklist, and whether it is ticked.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub key: String,
    pub label: String,
    pub checked: bool,
    pub checked_by: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewComment {
    pub id: i64,
    pub body: String,
    pub body_html: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A reviewer's thread on one section: comments, then resolved (or not).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewThread {
    pub id: i64,
    pub section_key: String,
    pub resolved: bool,
    pub resolved_by: Option<String>,
    pub version: i64,
    pub comments: Vec<ReviewComment>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postmortem {
    pub id: i64,
    pub incident: IncidentLink,
    pub severity: Severity,
    pub template: String,
    pub status: PostmortemStatus,
    pub version: i64,
    pub sections: Vec<PostmortemSection>,
    /// The incident's services.
    pub services: Vec<String>,
    /// Everyone who saved a section, by name.
    pub authors: Vec<String>,
    pub checklist: Vec<ChecklistItem>,
    pub threads: Vec<ReviewThread>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Postmortem {
    pub fn open_threads(&self) -> usize {
        self.threads.iter().filter(|t| !t.resolved).count()
    }

    pub fn checklist_done(&self) -> bool {
        self.checklist.iter().all(|i| i.checked)
    }
}

/// A template offered when starting a postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub name: String,
    pub label: String,
}

/// Everything the postmortem page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemView {
    pub incident: IncidentLink,
    pub severity: Severity,
    /// `None` until someone starts one.
    pub postmortem: Option<Postmortem>,
    pub templates: Vec<TemplateChoice>,
    /// The template suggested for this incident's severity.
    pub default_template: String,
    pub can_edit: bool,
    /// People's names, for the blameless-language check.
    pub names: Vec<String>,
    /// The reader's user id, so presence can leave them out.
    pub viewer_id: Option<i64>,
    /// Blameless-language findings over every section, for reviewers.
    pub lint_count: usize,
    /// Whether the reader may review (comment, tick, move the status).
    pub can_review: bool,
    /// The incident's contributing factors, and the taxonomy to add from.
    pub factors: Vec<IncidentFactor>,
    pub taxonomy: Vec<Factor>,
}

/// Move a postmortem to `status` (`draft`, `in_review`, `published`).
/// `version` is the postmortem's version as the page showed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusMove {
    pub incident: String,
    pub status: String,
    pub version: i64,
}

/// Tick (`checked` present) or untick one checklist item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistTick {
    pub incident: String,
    pub item: String,
    #[serde(default)]
    pub checked: Option<String>,
}

/// A comment: on a section, opening a thread, or as a reply in `thread`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentInput {
    pub incident: String,
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub thread: Option<i64>,
    pub body: String,
}

/// Resolve (or reopen) a thread, naming the version the page showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadResolve {
    pub incident: String,
    pub thread: i64,
    pub version: i64,
    #[serde(default)]
    pub reopen: Option<String>,
}

/// Start the postmortem of `incident` from `template` (empty: the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartPostmortem {
    pub incident: String,
    #[serde(default)]
    pub template: String,
}

/// Save one section. `version` is the section version the text was written
/// against; a stale one is refused with both texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSave {
    pub incident: String,
    pub key: String,
    pub version: i64,
    pub body: String,
    /// Append the incident timeline as a markdown table ("What happened").
    #[serde(default)]
    pub append_timeline: Option<String>,
}

/// Bring back an earlier revision of a section, as a new revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRestore {
    pub incident: String,
    pub key: String,
    /// The revision to bring back.
    pub revision: i64,
    /// The section's current version, as the page showed it.
    pub version: i64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: DiffKind,
    pub text: String,
}

/// One saved state of a section, with what changed from the one before.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionRevision {
    pub version: i64,
    pub body: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
    pub diff: Vec<DiffLine>,
}

/// A section's revisions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionHistory {
    pub incident: IncidentLink,
    pub section: PostmortemSection,
    pub revisions: Vec<SectionRevision>,
    pub can_edit: bool,
}

/// The Postmortems page's filters; blank means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemQuery {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
}

/// One row of the Postmortems page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemSummary {
    pub incident: IncidentLink,
    pub severity: Severity,
    pub status: PostmortemStatus,
    pub services: Vec<String>,
    pub authors: Vec<String>,
    pub open_threads: usize,
    pub lint_count: usize,
    pub updated_at: DateTime<Utc>,
}

/// A template as the admin page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub name: String,
    pub label: String,
    /// One section per line: `Heading | guidance`.
    pub sections_text: String,
    pub built_in: bool,
    /// 0 for built-in templates, which cannot be changed.
    pub version: i64,
}

/// The templates admin page: every template, and the default per severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateAdmin {
    pub templates: Vec<TemplateView>,
    /// (severity, template name), SEV1 first.
    pub defaults: Vec<(Severity, String)>,
}

/// Create (no `version`) or change an admin's template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSave {
    pub name: String,
    pub label: String,
    /// One section per line: `Heading | guidance`.
    pub sections: String,
    #[serde(default)]
    pub version: Option<i64>,
}

/// The template a new postmortem gets, per severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateDefaults {
    pub sev1: String,
    pub sev2: String,
    pub sev3: String,
    pub sev4: String,
}
