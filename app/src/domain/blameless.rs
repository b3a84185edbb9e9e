//! The blameless-language check: flags blame and hindsight in postmortem
//! text, each finding with a suggestion. Advice only: it never blocks a
//! save. The rules live in `blameless_rules.txt`; this file only reads them.
use serde::{Deserialize, Serialize};

const RULES: &str = include_str!("blameless_rules.txt");
/// Words after a name within which a causal verb still makes it the subject.
const VERB_REACH_WORDS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Blame,
    Hindsight,
}

/// One flagged passage: byte offsets into the text, the words, and advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: FindingKind,
    pub suggestion: String,
}

struct Phrase {
    kind: FindingKind,
    words: String,
    suggestion: String,
}

struct Rules {
    phrases: Vec<Phrase>,
    verbs: Vec<String>,
    name_suggestion: String,
}

fn rules() -> Rules {
    let mut rules = Rules {
        phrases: Vec::new(),
        verbs: Vec::new(),
        name_suggestion: String::new(),
    };
    for line in RULES.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(" | ").map(str::trim).collect();
        match fields.as_slice() {
            ["phrase", kind, words, suggestion] => rules.phrases.push(Phrase {
                kind: if *kind == "hindsight" {
                    FindingKind::Hindsight
                } else {
                    FindingKind::Blame
                },
                words: words.to_ascii_lowercase(),
                suggestion: suggestion.to_string(),
            }),
            ["verb", words] => rules.verbs.push(words.to_ascii_lowercase()),
            ["name", suggestion] => rules.name_suggestion = suggestion.to_string(),
            _ => {} // the unit tests keep every line well formed
        }
    }
    rules
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Occurrences of `pattern` in `lower` at word boundaries, as byte ranges.
/// A trailing `*` takes the rest of the word.
fn occurrences(lower: &str, pattern: &str) -> Vec<(usize, usize)> {
    let wildcard = pattern.ends_with('*');
    let needle = pattern.trim_end_matches('*');
    if needle.is_empty() {
        return Vec::new();
    }
    let starts_with_word = needle.starts_with(is_word_char);
    lower
        .match_indices(needle)
        .filter_map(|(start, _)| {
            let before = lower[..start].chars().next_back();
            if starts_with_word && before.is_some_and(is_word_char) {
                return None;
            }
            let mut end = start + needle.len();
            let after = lower[end..].chars().next();
            if wildcard {
                end += lower[end..]
                    .find(|c: char| !is_word_char(c))
                    .unwrap_or(lower.len() - end);
            } else if after.is_some_and(is_word_char) {
                return None;
            }
            Some((start, end))
        })
        .collect()
}

/// Where a causal verb begins within the first few words of `rest`, and ends.
fn causal_verb_after(rest: &str, verbs: &[String]) -> Option<usize> {
    let mut offset = 0;
    for _ in 0..=VERB_REACH_WORDS {
        let trimmed = rest[offset..].trim_start();
        offset = rest.len() - trimmed.len();
        for verb in verbs {
            if let Some(tail) = trimmed.strip_prefix(verb.as_str())
                && !tail.starts_with(is_word_char)
            {
                return Some(offset + verb.len());
            }
        }
        let word_len = trimmed.find(char::is_whitespace)?;
        offset += word_len;
    }
    None
}

/// Flags blame and hindsight in `text`. `names` are people's names (display
/// names, and first names): a name right before a causal verb is flagged.
pub fn check_blameless(text: &str, names: &[String]) -> Vec<Finding> {
    let rules = rules();
    // ASCII lower-casing keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for phrase in &rules.phrases {
        for (start, end) in occurrences(&lower, &phrase.words) {
            found.push(Finding {
                start,
                end,
                text: text[start..end].to_string(),
                kind: phrase.kind,
                suggestion: phrase.suggestion.clone(),
            });
        }
    }
    for name in names.iter().map(|n| n.trim().to_ascii_lowercase()) {
        if name.chars().count() < 2 {
            continue;
        }
        for (start, name_end) in occurrences(&lower, &name) {
            if let Some(verb_end) = causal_verb_after(&lower[name_end..], &rules.verbs) {
                let end = name_end + verb_end;
                found.push(Finding {
                    start,
                    end,
                    text: text[start..end].to_string(),
                    kind: FindingKind::Blame,
                    suggestion: rules.name_suggestion.clone(),
                });
            }
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    found.dedup_by(|a, b| a.start < b.end && b.start < a.end);
    found
}

/// First names too: "Kenji Sato" is also "Kenji".
pub fn names_to_check(display_names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for name in display_names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        out.push(name.to_string());
        if let Some(first) = name.split_whitespace().next()
            && first != name
        {
            out.push(first.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(text: &str) -> Vec<String> {
        check_blameless(text, &names_to_check(&["Kenji Sato".into()]))
            .into_iter()
            .map(|f| f.text)
            .collect()
    }

    #[test]
    fn every_rule_line_is_well_formed_and_each_phrase_has_advice() {
        let parsed = rules();
        let lines = RULES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
            .count();
        assert_eq!(parsed.phrases.len() + parsed.verbs.len() + 1, lines);
        assert!(parsed.phrases.iter().all(|p| !p.suggestion.is_empty()));
        assert!(!parsed.name_suggestion.is_empty());
    }

    #[test]
    fn flags_the_phrases_the_issue_names() {
        assert_eq!(flagged("It was human error."), ["human error"]);
        assert_eq!(flagged("We Should Have paged earlier."), ["Should Have"]);
        assert_eq!(flagged("The job failed to start."), ["failed to"]);
        assert_eq!(flagged("A careless edit."), ["careless"]);
        assert_eq!(flagged("Carelessness again."), ["Carelessness"]);
        assert_eq!(flagged("Someone forgot the flag."), ["forgot"]);
        assert_eq!(flagged("It was Kenji's fault."), ["'s fault"]);
        assert_eq!(flagged("It was Kenji’s fault."), ["’s fault"]);
    }

    #[test]
    fn flags_a_name_as_the_subject_of_a_causal_verb() {
        assert_eq!(flagged("Kenji caused the outage."), ["Kenji caused"]);
        assert_eq!(
            flagged("Then kenji sato accidentally deleted it."),
            ["kenji sato accidentally deleted"]
        );
        assert!(flagged("The deploy caused the outage; Kenji rolled it back.").is_empty());
        assert!(flagged("Kenji noticed that the cache broke.").is_empty());
    }

    #[test]
    fn leaves_blameless_text_and_word_parts_alone() {
        assert!(flagged("The deploy removed an index; the alert did not fire.").is_empty());
        assert!(flagged("shoulder haveli unforgotten").is_empty());
        assert!(flagged("").is_empty());
        // Offsets point into the original text, whatever its case or script.
        let text = "Ünïcode first: we should have known.";
        let f = check_blameless(text, &[]);
        assert_eq!(&text[f[0].start..f[0].end], "should have");
    }
}
