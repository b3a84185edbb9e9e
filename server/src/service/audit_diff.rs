//! Field-level before and after, for the audit log.
use app::domain::Milestone;
use app::model::AuditChange;

use crate::store::IncidentWrite;

pub fn change(field: &str, before: Option<String>, after: Option<String>) -> AuditChange {
    AuditChange {
        field: field.to_string(),
        before,
        after,
    }
}

/// The fields whose value differs; with no `before`, every field that is set.
pub fn diff_fields(
    before: Option<Vec<(&'static str, Option<String>)>>,
    after: Vec<(&'static str, Option<String>)>,
) -> Vec<AuditChange> {
    after
        .into_iter()
        .enumerate()
        .filter_map(|(i, (field, new))| {
            let old = before.as_ref().and_then(|b| b[i].1.clone());
            (old != new).then(|| change(field, old, new))
        })
        .collect()
}

fn incident_fields(w: &IncidentWrite) -> Vec<(&'static str, Option<String>)> {
    let list = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
    let mut fields = vec![
        ("title", Some(w.title.clone())),
        (
            "summary",
            Some(w.summary_md.clone()).filter(|s| !s.is_empty()),
        ),
        ("severity", Some(w.severity.as_str().to_string())),
        ("status", Some(w.status.as_str().to_string())),
        ("services", list(&w.services)),
        ("tags", list(&w.tags)),
        ("commander", w.commander.clone()),
        ("comms_lead", w.comms_lead.clone()),
        ("customer_impact", w.customer_impact.clone()),
        ("repeat_of", w.repeat_of.map(app::domain::human_id)),
        ("duplicate_of", w.duplicate_of.map(app::domain::human_id)),
        ("decline_reason", w.decline_reason.clone()),
    ];
    for m in Milestone::ALL {
        fields.push((m.field(), w.milestones.get(m).map(|t| t.to_rfc3339())));
    }
    fields
}

pub fn incident_changes(before: Option<&IncidentWrite>, after: &IncidentWrite) -> Vec<AuditChange> {
    diff_fields(before.map(incident_fields), incident_fields(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_recorded() {
        let before = vec![
            ("title", Some("a".to_string())),
            ("tags", None),
            ("owner", Some("x".into())),
        ];
        let after = vec![
            ("title", Some("b".to_string())),
            ("tags", None),
            ("owner", None),
        ];
        assert_eq!(
            diff_fields(Some(before), after),
            vec![
                change("title", Some("a".into()), Some("b".into())),
                change("owner", Some("x".into()), None)
            ]
        );
    }

    #[test]
    fn a_creation_records_every_field_that_is_set() {
        let after = vec![("title", Some("t".to_string())), ("tags", None)];
        assert_eq!(
            diff_fields(None, after),
            vec![change("title", None, Some("t".into()))]
        );
    }
}
