//! The search index's view of many incidents at once: four queries for a
//! whole page (incidents, timelines, postmortem sections, factors) instead
//! of several per incident.
use std::collections::HashMap;

use super::{factors, incidents, postmortems, timeline};
use crate::store::IndexSource;
use crate::store::common::index_sources::by_incident;

/// The incidents of `ids` that exist, in the order of `ids`.
pub async fn read(db: &sqlx::SqlitePool, ids: &[i64]) -> Result<Vec<IndexSource>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let listed: Vec<String> = ids.iter().map(i64::to_string).collect();
    let ids_json = format!("[{}]", listed.join(","));
    let mut found: HashMap<i64, _> = incidents::many(db, &ids_json)
        .await?
        .into_iter()
        .map(|incident| (incident.id, incident))
        .collect();
    let entries = timeline::for_incidents(db, &ids_json).await?;
    let mut timelines = by_incident(entries.into_iter().map(|e| (e.incident_id, e)));
    let mut sections = by_incident(postmortems::sections_for_incidents(db, &ids_json).await?);
    let mut factors = by_incident(factors::for_incidents(db, &ids_json).await?);
    Ok(ids
        .iter()
        .filter_map(|id| {
            Some(IndexSource {
                incident: found.remove(id)?,
                timeline: timelines.remove(id).unwrap_or_default(),
                sections: sections.remove(id).unwrap_or_default(),
                factors: factors.remove(id).unwrap_or_default(),
            })
        })
        .collect())
}
