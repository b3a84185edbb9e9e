//! The Postmortems page: every postmortem with its review state, filtered
//! by status, severity, service and author.
use app::domain::{PostmortemStatus, Role, Severity, check_blameless, names_to_check};
use app::model::{PostmortemQuery, PostmortemSummary};
use app::port::Actor;

use super::problems::Problems;
use super::{IncidentService, ServiceError, access};

fn blank_to_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl IncidentService {
    pub async fn list_postmortems(
        &self,
        query: PostmortemQuery,
        actor: &Actor,
    ) -> Result<Vec<PostmortemSummary>, ServiceError> {
        access::require(actor, Role::Viewer)?;
        let mut p = Problems::default();
        let status = blank_to_none(&query.status)
            .and_then(|s| p.check("status", PostmortemStatus::parse(s)));
        let severity =
            blank_to_none(&query.severity).and_then(|s| p.check("severity", Severity::parse(s)));
        p.finish()?;
        let service = blank_to_none(&query.service).map(str::to_lowercase);
        let author = blank_to_none(&query.author).map(str::to_lowercase);
        let everyone: Vec<String> = self.people().await?.into_iter().map(|u| u.name).collect();
        let names = names_to_check(&everyone);
        Ok(self
            .store
            .postmortems()
            .await?
            .into_iter()
            .filter(|pm| status.is_none_or(|s| pm.status == s))
            .filter(|pm| severity.is_none_or(|s| pm.severity == s))
            .filter(|pm| {
                service
                    .as_ref()
                    .is_none_or(|s| pm.services.iter().any(|x| x.to_lowercase() == *s))
            })
            .filter(|pm| {
                author.as_ref().is_none_or(|a| {
                    pm.authors
                        .iter()
                        .any(|x| x.to_lowercase().contains(a.as_str()))
                })
            })
            .map(|pm| PostmortemSummary {
                open_threads: pm.open_threads(),
                lint_count: pm
                    .sections
                    .iter()
                    .map(|s| check_blameless(&s.body, &names).len())
                    .sum(),
                incident: pm.incident,
                severity: pm.severity,
                status: pm.status,
                services: pm.services,
                authors: pm.authors,
                updated_at: pm.updated_at,
            })
            .collect())
    }
}
