//! The incident timeline as a markdown table, for a postmortem's
//! "What happened" section.
use app::model::TimelineEntry;

/// One cell: a single line, pipes escaped, so the table stays a table.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

pub fn timeline_table(entries: &[TimelineEntry]) -> String {
    let mut out = String::from("| Time (UTC) | Kind | What happened |\n|---|---|---|\n");
    for e in entries {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            e.occurred_at.format("%Y-%m-%d %H:%M"),
            e.kind.label(),
            cell(&e.body)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::EntryKind;
    use chrono::{TimeZone, Utc};

    #[test]
    fn one_row_per_entry_with_pipes_and_newlines_defused() {
        let at = Utc.with_ymd_and_hms(2025, 3, 1, 10, 5, 0).unwrap();
        let entry = TimelineEntry {
            id: 1,
            incident_id: 1,
            occurred_at: at,
            kind: EntryKind::ActionTaken,
            body: "Failed over | to B\nthen waited".into(),
            body_html: String::new(),
            author: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        let table = timeline_table(&[entry]);
        assert_eq!(table.lines().count(), 3);
        assert!(
            table.ends_with(
                "| 2025-03-01 10:05 | Action taken | Failed over \\| to B then waited |\n"
            )
        );
    }
}
