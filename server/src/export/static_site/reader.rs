//! Reading the registry for the static export, a page of incidents at a
//! time, through the store's traits (no SQL here).
use app::model::{ActionItem, Incident, IncidentFactor, Postmortem, TimelineEntry};
use chrono::NaiveDate;

use crate::store::{ActionFilter, ActionSort, Store};

/// Action items shown per incident; more than this is not a real incident.
const MAX_ACTIONS: i64 = 1_000;

/// Everything the static export shows of one incident.
pub struct ExportedIncident {
    pub incident: Incident,
    /// Oldest entry first.
    pub timeline: Vec<TimelineEntry>,
    pub factors: Vec<IncidentFactor>,
    /// Oldest first.
    pub actions: Vec<ActionItem>,
    pub postmortem: Option<Postmortem>,
}

/// The incidents of `ids` that exist, in the order of `ids`.
pub async fn read_page(
    store: &dyn Store,
    ids: &[i64],
    today: NaiveDate,
) -> anyhow::Result<Vec<ExportedIncident>> {
    let mut out = Vec::with_capacity(ids.len());
    for source in store.index_sources(ids).await? {
        let id = source.incident.id;
        let filter = ActionFilter {
            incident_id: Some(id),
            sort: ActionSort::Created,
            limit: MAX_ACTIONS,
            ..Default::default()
        };
        let actions = store.actions(&filter, today).await?;
        // The sections came with the sources; only incidents that have a
        // postmortem pay for reading its status and template.
        let postmortem = if source.sections.is_empty() {
            None
        } else {
            store.postmortem_for_incident(id).await?
        };
        out.push(ExportedIncident {
            incident: source.incident,
            timeline: source.timeline,
            factors: source.factors,
            actions,
            postmortem,
        });
    }
    Ok(out)
}
