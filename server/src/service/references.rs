use app::domain::{human_id, parse_incident_ref};

use super::IncidentService;
use super::problems::Problems;

impl IncidentService {
    /// Resolves a reference to another incident ("12" or "INC-12"), checking
    /// that it exists and is not `this` incident. Blank means none.
    pub(super) async fn resolve_reference(
        &self,
        problems: &mut Problems,
        field: &str,
        text: Option<&str>,
        this: Option<i64>,
    ) -> Option<i64> {
        let text = text.map(str::trim).filter(|t| !t.is_empty())?;
        let Some(id) = parse_incident_ref(text) else {
            problems.add(field, "is not an incident id: use a number or INC-<number>");
            return None;
        };
        if Some(id) == this {
            problems.add(field, "cannot point to the incident itself");
            return None;
        }
        match self.store.incident_exists(id).await {
            Ok(true) => Some(id),
            Ok(false) => {
                problems.add(field, format!("{} does not exist", human_id(id)));
                None
            }
            Err(e) => {
                tracing::error!(error = %e, "checking an incident reference");
                problems.add(field, "could not be checked; try again");
                None
            }
        }
    }
}
