//! Turning rows into model values. Column names are the contract with the
//! SELECT lists in `incidents.rs` and `timeline.rs`. Timestamps are
//! TIMESTAMPTZ and decode as `DateTime<Utc>`; ids and versions are BIGINT.
use app::domain::{
    EntryKind, Milestone, Milestones, Severity, StampMeta, StampSource, Status, human_id,
};
use app::model::{Incident, IncidentLink, TimelineEntry, UserRef};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

use crate::store::common::rows::labels;

fn corrupt(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("unexpected value {value:?}").into(),
    }
}

fn link(row: &PgRow, id_col: &str, title_col: &str) -> Result<Option<IncidentLink>, sqlx::Error> {
    let id: Option<i64> = row.try_get(id_col)?;
    let title: Option<String> = row.try_get(title_col)?;
    Ok(id.map(|id| IncidentLink {
        id,
        human_id: human_id(id),
        title: title.unwrap_or_default(),
    }))
}

fn user_ref(row: &PgRow, prefix: &str) -> Result<Option<UserRef>, sqlx::Error> {
    let id: Option<i64> = row.try_get(format!("{prefix}_id").as_str())?;
    let email: Option<String> = row.try_get(format!("{prefix}_email").as_str())?;
    let name: Option<String> = row.try_get(format!("{prefix}_name").as_str())?;
    Ok(match (id, email, name) {
        (Some(id), Some(email), Some(name)) => Some(UserRef { id, email, name }),
        _ => None,
    })
}

fn milestones(row: &PgRow) -> Result<Milestones, sqlx::Error> {
    let mut ms = Milestones::default();
    for m in Milestone::ALL {
        let name = m.as_str();
        let at: Option<DateTime<Utc>> = row.try_get(format!("{name}_at").as_str())?;
        let source: Option<String> = row.try_get(format!("{name}_source").as_str())?;
        let set_by: Option<String> = row.try_get(format!("{name}_by").as_str())?;
        let source = source
            .map(|s| StampSource::parse(&s).ok_or_else(|| corrupt("source", &s)))
            .transpose()?;
        ms.set(
            m,
            at,
            StampMeta {
                source: source.unwrap_or(StampSource::Manual),
                set_by,
            },
        );
    }
    Ok(ms)
}

pub fn incident(row: &PgRow) -> Result<Incident, sqlx::Error> {
    let id: i64 = row.try_get("id")?;
    let severity: String = row.try_get("severity")?;
    let status: String = row.try_get("status")?;
    Ok(Incident {
        id,
        human_id: human_id(id),
        title: row.try_get("title")?,
        summary: row.try_get("summary_md")?,
        summary_html: row.try_get("summary_html")?,
        severity: Severity::parse(&severity).map_err(|_| corrupt("severity", &severity))?,
        status: Status::parse(&status).map_err(|_| corrupt("status", &status))?,
        services: labels(row.try_get("services")?),
        tags: labels(row.try_get("tags")?),
        commander: row.try_get("commander")?,
        commander_user: user_ref(row, "commander")?,
        comms_lead: row.try_get("comms_lead")?,
        comms_lead_user: user_ref(row, "comms_lead")?,
        customer_impact: row.try_get("customer_impact")?,
        repeat_of: link(row, "repeat_of", "repeat_title")?,
        duplicate_of: link(row, "duplicate_of", "duplicate_title")?,
        decline_reason: row.try_get("decline_reason")?,
        external_id: row.try_get("external_id")?,
        milestones: milestones(row)?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub fn timeline_entry(row: &PgRow) -> Result<TimelineEntry, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(TimelineEntry {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        occurred_at: row.try_get("occurred_at")?,
        kind: EntryKind::parse(&kind).map_err(|_| corrupt("kind", &kind))?,
        body: row.try_get("body_md")?,
        body_html: row.try_get("body_html")?,
        author: row.try_get("author")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
