//! Completion figures for action items, grouped by the incident's severity
//! or by the team that owns its services, in one SQL pass per grouping.
use app::model::ActionStats;
use chrono::NaiveDate;
use sqlx::{Row, SqlitePool};

use crate::store::common::action_stats::completion_rate;
use crate::store::{StatsGroup, StoreError, StoredStats};

/// `(action_id, group)` pairs; an item counts once per team.
fn groups(group: StatsGroup) -> &'static str {
    match group {
        StatsGroup::Severity => {
            "SELECT a.id AS action_id, i.severity AS grp FROM action_items a JOIN incidents i ON i.id = a.incident_id"
        }
        StatsGroup::Team => {
            "SELECT DISTINCT a.id AS action_id, coalesce(t.team, '(no team)') AS grp FROM action_items a
             LEFT JOIN incident_services s ON s.incident_id = a.incident_id
             LEFT JOIN service_teams t ON t.service = s.service"
        }
    }
}

pub(super) async fn action_stats(
    reader: &SqlitePool,
    group: StatsGroup,
    today: NaiveDate,
) -> Result<Vec<StoredStats>, StoreError> {
    let rows = sqlx::query(&format!(
        "WITH g AS ({}),
         d AS (SELECT g.grp, a.status, a.due_on, a.created_at,
                 (SELECT max(e.at) FROM action_item_events e WHERE e.action_id = a.id AND e.status = 'done') AS done_at
               FROM g JOIN action_items a ON a.id = g.action_id)
         SELECT grp, count(*) AS total,
                sum(status = 'done') AS done, sum(status = 'wont_do') AS wont_do,
                sum(status NOT IN ('done', 'wont_do')) AS open,
                coalesce(sum(status NOT IN ('done', 'wont_do') AND due_on < ?), 0) AS overdue,
                json_group_array(CASE WHEN status = 'done' THEN unixepoch(done_at) - unixepoch(created_at) END) AS durations
         FROM d GROUP BY grp ORDER BY grp",
        groups(group)
    ))
    .bind(today)
    .fetch_all(reader)
    .await?;
    rows.iter()
        .map(|row| {
            let total: i64 = row.try_get("total")?;
            let done: i64 = row.try_get("done")?;
            let wont_do: i64 = row.try_get("wont_do")?;
            let durations: String = row.try_get("durations")?;
            let durations: Vec<Option<i64>> =
                serde_json::from_str(&durations).map_err(|e| sqlx::Error::ColumnDecode {
                    index: "durations".into(),
                    source: e.into(),
                })?;
            Ok(StoredStats {
                stats: ActionStats {
                    group: row.try_get("grp")?,
                    total,
                    done,
                    wont_do,
                    open: row.try_get("open")?,
                    overdue: row.try_get("overdue")?,
                    completion_rate: completion_rate(total, done, wont_do),
                    median_time_to_complete_s: None,
                },
                durations_s: durations.into_iter().flatten().collect(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}
