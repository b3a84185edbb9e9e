//! CSV exports: the action-item board and the numbers behind every
//! insights chart. Text that a spreadsheet would run as a formula (a cell
//! starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
//! prefixed with `'`, so an incident title cannot become a formula.
use app::model::{ActionItem, Insights, MetricSummary};

/// The charts whose numbers can be exported, by name.
pub const CHARTS: [&str; 8] = [
    "metrics",
    "per_month",
    "ttr_ecdf",
    "ttr_trend",
    "factors",
    "services",
    "repeats",
    "actions",
];

/// A cell as a spreadsheet will read it safely.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn write(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut put = |cells: Vec<String>| {
        let safe: Vec<String> = cells.iter().map(|c| neutralise(c)).collect();
        // Writing to a Vec cannot fail.
        let _ = out.write_record(&safe);
    };
    put(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        put(row);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub fn actions_csv(items: &[ActionItem]) -> String {
    let header = [
        "id",
        "incident",
        "incident_title",
        "severity",
        "title",
        "owner",
        "due_on",
        "priority",
        "type",
        "status",
        "reason",
        "overdue",
        "closed_at",
        "tracker_url",
        "services",
    ];
    let rows = items
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                a.incident.human_id.clone(),
                a.incident.title.clone(),
                a.severity.as_str().into(),
                a.title.clone(),
                a.owner
                    .as_ref()
                    .map(|o| o.email.clone())
                    .unwrap_or_default(),
                opt(a.due_on),
                a.priority.as_str().into(),
                a.kind.as_str().into(),
                a.status.as_str().into(),
                a.reason.clone().unwrap_or_default(),
                a.overdue.to_string(),
                opt(a.closed_at.map(|t| t.to_rfc3339())),
                a.tracker_url.clone().unwrap_or_default(),
                a.services.join(" "),
            ]
        })
        .collect();
    write(&header, rows)
}

fn metric_row(name: &str, m: &MetricSummary) -> Vec<String> {
    vec![
        name.into(),
        m.from_field.clone(),
        m.to_field.clone(),
        m.n.to_string(),
        opt(m.median_s),
        opt(m.p90_s),
        opt(m.mean_s.map(|v| v.round() as i64)),
        m.missing.to_string(),
        m.small_sample.to_string(),
    ]
}

/// The numbers behind one chart; `None` for an unknown chart name.
pub fn insights_csv(i: &Insights, chart: &str) -> Option<String> {
    Some(match chart {
        "metrics" => write(
            &[
                "metric",
                "from_field",
                "to_field",
                "n",
                "median_s",
                "p90_s",
                "mean_s",
                "missing",
                "small_sample",
            ],
            vec![
                metric_row("ttd", &i.ttd),
                metric_row("tta", &i.tta),
                metric_row("ttm", &i.ttm),
                metric_row("ttr", &i.ttr),
            ],
        ),
        "per_month" => write(
            &["month", "SEV1", "SEV2", "SEV3", "SEV4"],
            i.per_month
                .iter()
                .map(|m| {
                    let mut row = vec![m.month.clone()];
                    row.extend(m.by_severity.iter().map(i64::to_string));
                    row
                })
                .collect(),
        ),
        "ttr_ecdf" => write(
            &["ttr_s", "fraction_at_or_below"],
            i.ttr
                .ecdf
                .iter()
                .map(|(s, f)| vec![s.to_string(), format!("{f:.4}")])
                .collect(),
        ),
        "ttr_trend" => write(
            &["month", "n", "median_ttr_s"],
            i.ttr_trend
                .iter()
                .map(|m| vec![m.month.clone(), m.n.to_string(), m.median_s.to_string()])
                .collect(),
        ),
        "factors" | "services" => {
            let list = if chart == "factors" {
                &i.factors
            } else {
                &i.services
            };
            write(
                &["name", "incidents", "impact_minutes"],
                list.iter()
                    .map(|r| {
                        vec![
                            r.name.clone(),
                            r.count.to_string(),
                            r.impact_minutes.to_string(),
                        ]
                    })
                    .collect(),
            )
        }
        "repeats" => write(
            &["original", "original_title", "repeat", "repeat_title"],
            i.repeats
                .iter()
                .flat_map(|g| {
                    g.repeats.iter().map(|r| {
                        vec![
                            g.original.human_id.clone(),
                            g.original.title.clone(),
                            r.human_id.clone(),
                            r.title.clone(),
                        ]
                    })
                })
                .collect(),
        ),
        "actions" => write(
            &["month", "completed", "overdue"],
            i.actions
                .iter()
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.completed.to_string(),
                        m.overdue.to_string(),
                    ]
                })
                .collect(),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("DNS outage"), "DNS outage");
        assert_eq!(neutralise(""), "");
        let csv = write(
            &["title"],
            vec![vec!["=cmd|' /C calc'!A0".into()], vec!["a,\"b\"".into()]],
        );
        assert_eq!(csv, "title\n'=cmd|' /C calc'!A0\n\"a,\"\"b\"\"\"\n");
    }
}
