//! Postmortem templates: the sections a postmortem starts with. Two are
//! built in; admins add their own (stored, with the same shape).
use serde::{Deserialize, Serialize};

/// One section a template asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSpec {
    /// Stable within a postmortem: `what_happened`.
    pub key: String,
    pub heading: String,
    /// A prompt shown above the empty section.
    pub guidance: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// `heroku`, `google-sre`, or an admin's own.
    pub name: String,
    pub label: String,
    pub sections: Vec<SectionSpec>,
}

/// The key of the section that can take the incident timeline as a table.
pub const WHAT_HAPPENED: &str = "what_happened";
/// The keys of sections that hold prevention work (action items, later).
pub const PREVENTION_KEYS: [&str; 2] = ["prevention", "lessons_learned"];

fn spec(key: &str, heading: &str, guidance: &str) -> SectionSpec {
    SectionSpec {
        key: key.into(),
        heading: heading.into(),
        guidance: guidance.into(),
    }
}

/// Heroku's follow-up report: the default.
pub fn heroku() -> Template {
    Template {
        name: "heroku".into(),
        label: "Heroku follow-up (four sections)".into(),
        sections: vec![
            spec(
                "summary",
                "Summary",
                "Two or three sentences: what broke, for how long, and what fixed it.",
            ),
            spec(
                "who_was_affected",
                "Who was affected",
                "Which customers or teams, how many, and what they saw.",
            ),
            spec(
                WHAT_HAPPENED,
                "What happened",
                "The sequence of events, with times. Describe what the system and people saw and did, not who was wrong.",
            ),
            spec(
                "prevention",
                "What we're doing so it doesn't happen again",
                "The changes that make this less likely, smaller or faster to fix, each with an owner.",
            ),
        ],
    }
}

/// Google SRE's postmortem.
pub fn google_sre() -> Template {
    Template {
        name: "google-sre".into(),
        label: "Google SRE postmortem".into(),
        sections: vec![
            spec("summary", "Summary", "What happened, in a paragraph."),
            spec(
                "impact",
                "Impact",
                "Who and what was affected, and how much: users, requests, revenue, data.",
            ),
            spec(
                "contributing_factors",
                "Contributing factors",
                "The conditions that together allowed this. Several, never one root cause, never a person.",
            ),
            spec("trigger", "Trigger", "The change or event that set it off."),
            spec(
                "resolution",
                "Resolution",
                "What fixed it, and what mitigated it first.",
            ),
            spec(
                "detection",
                "Detection",
                "How we found out, and how we could have found out sooner.",
            ),
            spec(
                "lessons_learned",
                "Lessons learned",
                "What went well · What went wrong · Where we got lucky.",
            ),
            spec(
                WHAT_HAPPENED,
                "Timeline",
                "The events in order, with times (UTC).",
            ),
        ],
    }
}

/// A section key from its heading: "What happened" is `what_happened`.
pub fn section_key(heading: &str) -> String {
    let mut key = String::new();
    for c in heading.trim().to_lowercase().chars() {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_matches('_').chars().take(40).collect()
}

/// An admin's sections, one per line: `Heading | what to write there`.
pub fn parse_sections(text: &str) -> Result<Vec<SectionSpec>, String> {
    let mut sections: Vec<SectionSpec> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (heading, guidance) = line.split_once('|').unwrap_or((line, ""));
        let (heading, guidance) = (heading.trim(), guidance.trim());
        let key = section_key(heading);
        if key.is_empty() || heading.chars().count() > 80 || guidance.chars().count() > 300 {
            return Err(format!(
                "“{line}”: a heading of 1 to 80 characters, then | and up to 300 of guidance"
            ));
        }
        if sections.iter().any(|s| s.key == key) {
            return Err(format!("two sections are called “{heading}”"));
        }
        sections.push(spec(&key, heading, guidance));
    }
    match sections.len() {
        0 => Err("list at least one section, one per line: Heading | guidance".into()),
        n if n > 20 => Err("at most 20 sections".into()),
        _ => Ok(sections),
    }
}

/// The sections as an admin edits them, one per line.
pub fn sections_text(sections: &[SectionSpec]) -> String {
    sections
        .iter()
        .map(|s| format!("{} | {}", s.heading, s.guidance))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn built_in() -> Vec<Template> {
    vec![heroku(), google_sre()]
}

/// A template name: lower-case letters, digits and dashes, 2–40 of them.
pub fn parse_template_name(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = (2..=40).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(t.to_string())
    } else {
        Err("use 2 to 40 lower-case letters, digits and dashes".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_have_unique_keys_and_a_what_happened_section() {
        for t in built_in() {
            let mut keys: Vec<_> = t.sections.iter().map(|s| s.key.as_str()).collect();
            assert!(keys.contains(&WHAT_HAPPENED), "{}", t.name);
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), t.sections.len(), "{}", t.name);
            assert!(parse_template_name(&t.name).is_ok());
        }
        assert_eq!(heroku().sections.len(), 4);
        assert_eq!(google_sre().sections.len(), 8);
        assert!(parse_template_name("Bad Name").is_err());
    }

    #[test]
    fn admins_sections_parse_one_per_line_and_round_trip() {
        let parsed = parse_sections(
            "Summary | Two sentences\n\nWhat happened\nFollow-ups & owners | Who does what",
        )
        .unwrap();
        let keys: Vec<_> = parsed.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["summary", "what_happened", "follow_ups_owners"]);
        assert_eq!(parse_sections(&sections_text(&parsed)).unwrap(), parsed);
        assert!(parse_sections("").is_err());
        assert!(parse_sections("A\na").unwrap_err().contains("two sections"));
        assert!(parse_sections("| only guidance").is_err());
    }
}
