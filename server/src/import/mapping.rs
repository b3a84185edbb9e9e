//! From a dataset file to an incident: what goes where, and what had to be
//! derived (reported to the person importing).
use app::model::IncidentInput;

use super::postmortem_file::PostmortemFile;

const MAX_TITLE_CHARS: usize = 160;
const MAX_LABEL_CHARS: usize = 64;
const MAX_TAGS: usize = 20;

pub struct Mapped {
    pub external_id: String,
    pub input: IncidentInput,
    /// Things derived or dropped, in words.
    pub notes: Vec<String>,
}

/// A label from free text: lower-case, dashes for anything else.
fn label(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '.' | '/') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out
        .trim_matches('-')
        .chars()
        .take(MAX_LABEL_CHARS)
        .collect();
    Some(out.trim_end_matches('-').to_string()).filter(|s| !s.is_empty())
}

fn first_sentence(body: &str) -> Option<String> {
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let sentence = line.split_inclusive(['.', '!', '?']).next().unwrap_or(line);
    let clean: String = sentence.replace(['*', '_', '`'], "").trim().to_string();
    Some(clean.chars().take(MAX_TITLE_CHARS).collect()).filter(|s: &String| !s.is_empty())
}

fn title(file: &PostmortemFile, notes: &mut Vec<String>) -> String {
    if let Some(t) = file
        .front
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return t.chars().take(MAX_TITLE_CHARS * 4).collect();
    }
    let who = [file.front.company.as_deref(), file.front.product.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let derived = if !who.is_empty() {
        format!("{who} incident")
    } else {
        first_sentence(&file.body).unwrap_or_else(|| "Imported incident".into())
    };
    notes.push(format!("title derived: {derived:?}"));
    derived
}

fn narrative(file: &PostmortemFile) -> String {
    let mut parts = Vec::new();
    if let Some(s) = file
        .front
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        parts.push(s.to_string());
    }
    if !file.body.is_empty() {
        parts.push(file.body.clone());
    }
    let links: Vec<String> = [
        ("Source", &file.front.url),
        ("Archived copy", &file.front.archive_url),
    ]
    .into_iter()
    .filter_map(|(what, url)| url.as_deref().map(|u| format!("{what}: <{}>", u.trim())))
    .collect();
    if !links.is_empty() {
        parts.push(links.join("  \n"));
    }
    parts.join("\n\n")
}

pub fn map(file: &PostmortemFile, fallback_id: &str) -> Mapped {
    let mut notes = Vec::new();
    let external_id = match file
        .front
        .uuid
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => u.to_string(),
        None => {
            notes.push("no uuid: identified by its file name".into());
            fallback_id.to_string()
        }
    };
    // "Gitlab" + "GitLab .com" is one name, not two.
    let company = file.front.company.as_deref().unwrap_or_default().trim();
    let product = file.front.product.as_deref().unwrap_or_default().trim();
    let service =
        if !company.is_empty() && product.to_lowercase().starts_with(&company.to_lowercase()) {
            product.replace(" .", ".")
        } else {
            format!("{company} {product}")
        };
    let services: Vec<String> = if file.front.services.is_empty() {
        label(&service).into_iter().collect()
    } else {
        file.front
            .services
            .iter()
            .filter_map(|s| label(s))
            .collect()
    };
    let mut tags: Vec<String> = Vec::new();
    for raw in file
        .front
        .tags
        .iter()
        .chain(&file.front.categories)
        .chain(&file.front.keywords)
    {
        if let Some(t) = label(raw)
            && !tags.contains(&t)
        {
            tags.push(t);
        }
    }
    if tags.len() > MAX_TAGS {
        notes.push(format!("{} tags kept of {}", MAX_TAGS, tags.len()));
        tags.truncate(MAX_TAGS);
    }
    let present = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let start = present(&file.front.start_time);
    let mut end = present(&file.front.end_time);
    if end.is_some() && start.is_none() {
        notes.push("end time without a start time: kept as the resolution time".into());
    }
    if let (Some(s), Some(e)) = (&start, &end)
        && e < s
    {
        notes.push(format!("end time {e} is before start time {s}: dropped"));
        end = None;
    }
    let declared = present(&file.front.declared_at)
        .or_else(|| start.clone())
        .or_else(|| present(&file.front.source_published_at))
        .or_else(|| present(&file.front.source_fetched_at));
    let input = IncidentInput {
        title: title(file, &mut notes),
        summary: narrative(file),
        severity: present(&file.front.severity).unwrap_or_else(|| "SEV3".into()),
        status: Some(present(&file.front.status).unwrap_or_else(|| "resolved".into())),
        services,
        tags,
        started_at: start,
        declared_at: declared.clone(),
        resolved_at: end
            .clone()
            .filter(|e| declared.as_ref().is_none_or(|d| e >= d)),
        ..Default::default()
    };
    Mapped {
        external_id,
        input,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::super::postmortem_file::parse;
    use super::*;

    #[test]
    fn maps_the_dataset_fields() {
        let file = parse("---\nuuid: u1\nurl: https://example.com/pm\ncompany: Amazon\nproduct: SimpleDB\ncategories: [cloud]\nkeywords: [lock service, \"API errors\"]\nsummary: Nodes lost power.\nstart_time: 2011-06-13T04:16:00Z\nend_time: 2011-06-13T06:16:00Z\n---\nBody text.").unwrap();
        let m = map(&file, "f.md");
        assert_eq!(m.external_id, "u1");
        assert_eq!(m.input.title, "Amazon SimpleDB incident");
        assert_eq!(m.input.services, ["amazon-simpledb"]);
        assert_eq!(m.input.tags, ["cloud", "lock-service", "api-errors"]);
        assert!(
            m.input
                .summary
                .starts_with("Nodes lost power.\n\nBody text.")
        );
        assert!(m.input.summary.contains("<https://example.com/pm>"));
        assert_eq!(m.input.resolved_at.as_deref(), Some("2011-06-13T06:16:00Z"));
        assert_eq!(
            m.notes.len(),
            1,
            "the derived title is reported: {:?}",
            m.notes
        );
    }

    #[test]
    fn titles_come_from_the_body_when_nothing_else_is_there() {
        let file =
            parse("---\nuuid: u2\n---\n## Heading\nThe *cache* fell over. Then more.").unwrap();
        assert_eq!(map(&file, "f.md").input.title, "The cache fell over.");
        let same_name = parse("---\ncompany: Gitlab\nproduct: GitLab .com\n---\nx").unwrap();
        assert_eq!(map(&same_name, "f.md").input.services, ["gitlab.com"]);
        let blank_times = parse("---\nuuid: u3\nstart_time: \"\"\nend_time: \"\"\n---\nx").unwrap();
        let m = map(&blank_times, "f.md");
        assert_eq!(
            (m.input.started_at, m.input.declared_at, m.input.resolved_at),
            (None, None, None)
        );
    }
}
