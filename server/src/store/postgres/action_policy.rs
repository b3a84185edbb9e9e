//! The action-item policy (one row) and the service → team map in PostgreSQL.
use app::domain::DueDays;
use app::model::{ActionPolicy, ServiceTeam};
use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};

use crate::store::StoreError;

pub(super) async fn read(reader: &PgPool) -> Result<ActionPolicy, StoreError> {
    let (sev1, sev2, sev3, sev4, complete_requires_actions, version): (
        i64,
        i64,
        i64,
        i64,
        bool,
        i64,
    ) = sqlx::query_as(
        "SELECT sev1_days, sev2_days, sev3_days, sev4_days, complete_requires_actions, version
         FROM action_policy WHERE id = 1",
    )
    .fetch_one(reader)
    .await?;
    Ok(ActionPolicy {
        due_days: DueDays {
            sev1,
            sev2,
            sev3,
            sev4,
        },
        complete_requires_actions,
        version,
    })
}

/// Saves `policy` if `policy.version` is still current.
pub(super) async fn write(
    tx: &mut Transaction<'static, Postgres>,
    policy: &ActionPolicy,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let d = policy.due_days;
    let done = sqlx::query(
        "UPDATE action_policy SET sev1_days = $1, sev2_days = $2, sev3_days = $3, sev4_days = $4,
            complete_requires_actions = $5, version = version + 1, updated_at = $6
         WHERE id = 1 AND version = $7",
    )
    .bind(d.sev1)
    .bind(d.sev2)
    .bind(d.sev3)
    .bind(d.sev4)
    .bind(policy.complete_requires_actions)
    .bind(now)
    .bind(policy.version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::VersionConflict);
    }
    Ok(())
}

/// Services in byte order (`COLLATE "C"`), as SQLite's BINARY collation
/// sorts them, whatever the database's default collation is.
pub(super) async fn service_teams(reader: &PgPool) -> Result<Vec<ServiceTeam>, StoreError> {
    let rows: Vec<(String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT n.service, t.team, t.version FROM
           (SELECT service FROM incident_services UNION SELECT service FROM service_teams) n
         LEFT JOIN service_teams t ON t.service = n.service ORDER BY n.service COLLATE \"C\"",
    )
    .fetch_all(reader)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(service, team, version)| ServiceTeam {
            service,
            team,
            version: version.unwrap_or(0),
        })
        .collect())
}

/// Sets or clears a service's team if `expected_version` is still current
/// (0 when the service has no row yet).
pub(super) async fn set_team(
    tx: &mut Transaction<'static, Postgres>,
    service: &str,
    team: Option<&str>,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM service_teams WHERE service = $1")
            .bind(service)
            .fetch_optional(&mut **tx)
            .await?;
    if current.unwrap_or(0) != expected_version {
        return Err(StoreError::VersionConflict);
    }
    match (current, team) {
        (None, Some(team)) => {
            sqlx::query(
                "INSERT INTO service_teams (service, team, updated_at) VALUES ($1, $2, $3)",
            )
            .bind(service)
            .bind(team)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        (Some(_), Some(team)) => {
            sqlx::query(
                "UPDATE service_teams SET team = $1, version = version + 1, updated_at = $2 WHERE service = $3",
            )
            .bind(team)
            .bind(now)
            .bind(service)
            .execute(&mut **tx)
            .await?;
        }
        (Some(_), None) => {
            sqlx::query("DELETE FROM service_teams WHERE service = $1")
                .bind(service)
                .execute(&mut **tx)
                .await?;
        }
        (None, None) => {}
    }
    Ok(())
}
