//! One Markdown postmortem with YAML front matter, in the format of the
//! public-postmortems dataset (see its README for the fields and quirks).
use serde::{Deserialize, Serialize};

use crate::service::ImportedEntry;

/// The dataset's keys, plus Firebreak's own (`services`, `tags`,
/// `severity`, `status`, `declared_at`, `timeline`), which `firebreak export` writes so
/// that an export imports back to the same content.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub uuid: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub product: Option<String>,
    pub categories: Vec<String>,
    pub keywords: Vec<String>,
    pub summary: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub source_published_at: Option<String>,
    pub source_fetched_at: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_at: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<ImportedEntry>,
}

/// One record of a JSON export: the front matter and the body together.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonRecord {
    #[serde(flatten)]
    pub front: FrontMatter,
    pub body: String,
}

#[derive(Debug)]
pub struct PostmortemFile {
    pub front: FrontMatter,
    pub body: String,
}

/// Splits `---` front matter from the body and reads the YAML.
pub fn parse(text: &str) -> Result<PostmortemFile, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---") else {
        return Ok(PostmortemFile {
            front: FrontMatter::default(),
            body: text.trim().to_string(),
        });
    };
    let rest = rest.trim_start_matches(['\r', '\n']);
    let end = rest
        .find("\n---")
        .ok_or_else(|| "the front matter has no closing ---".to_string())?;
    let yaml = &rest[..end];
    let body = rest[end + 4..]
        .trim_start_matches(['-', '\r', '\n'])
        .trim()
        .to_string();
    let front: FrontMatter =
        serde_yaml_ng::from_str(yaml).map_err(|e| format!("front matter: {e}"))?;
    Ok(PostmortemFile { front, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_and_body() {
        let file = parse("---\nuuid: abc\ntitle: \"Quoted: title\"\ncategories:\n- cloud\nkeywords: [dns, \"*emphasis*\"]\n---\n\nThe body.\n").unwrap();
        assert_eq!(file.front.uuid.as_deref(), Some("abc"));
        assert_eq!(file.front.title.as_deref(), Some("Quoted: title"));
        assert_eq!(file.front.categories, ["cloud"]);
        assert_eq!(file.front.keywords.len(), 2);
        assert_eq!(file.body, "The body.");
    }

    #[test]
    fn missing_fields_are_none_and_no_front_matter_is_all_body() {
        let file = parse("---\nuuid: x\n---\nBody only").unwrap();
        assert!(file.front.title.is_none() && file.front.end_time.is_none());
        assert_eq!(parse("Just text").unwrap().body, "Just text");
        assert!(parse("---\nuuid: x\nno end").is_err());
    }
}
