//! What changed between two saved states of a section, line by line.
use app::model::{DiffKind, DiffLine};
use similar::{ChangeTag, TextDiff};

pub fn line_diff(before: &str, after: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(before, after)
        .iter_all_changes()
        .map(|change| DiffLine {
            kind: match change.tag() {
                ChangeTag::Equal => DiffKind::Same,
                ChangeTag::Insert => DiffKind::Added,
                ChangeTag::Delete => DiffKind::Removed,
            },
            text: change.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_added_removed_and_kept_lines() {
        let diff = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        let kinds: Vec<_> = diff.iter().map(|l| (l.kind, l.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (DiffKind::Same, "a"),
                (DiffKind::Removed, "b"),
                (DiffKind::Added, "B"),
                (DiffKind::Same, "c"),
                (DiffKind::Added, "d"),
            ]
        );
        assert!(line_diff("", "").is_empty());
    }
}
