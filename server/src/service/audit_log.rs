//! Reading the audit log: an incident's history, and the admin's view.
use app::domain::{Role, parse_incident_ref};
use app::model::{AuditPage, AuditQuery, AuditRow};
use app::port::Actor;

use super::{AccountService, IncidentService, ServiceError, access};
use crate::store::AuditFilter;

const HISTORY_LIMIT: i64 = 200;
const DEFAULT_PAGE: i64 = 50;
const MAX_PAGE: i64 = 500;
/// Entities whose history any signed-in reader may see; the rest is for admins.
const READER_ENTITIES: [&str; 1] = ["incident"];

impl IncidentService {
    pub(super) async fn incident_history(&self, id: i64) -> Result<Vec<AuditRow>, ServiceError> {
        let filter = AuditFilter {
            entity: Some("incident".into()),
            entity_id: Some(id),
            limit: HISTORY_LIMIT,
            ..Default::default()
        };
        Ok(self.store.audit(&filter).await?.1)
    }
}

fn parse_filter(query: AuditQuery) -> Result<AuditFilter, ServiceError> {
    let entity = query
        .entity
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let entity_id = match query.id.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Some(parse_incident_ref(text).ok_or_else(|| {
            ServiceError::invalid("id", "must be a positive number (or INC-<number>)")
        })?),
        None => None,
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ServiceError::invalid(
            "limit",
            format!("must be between 1 and {MAX_PAGE}"),
        ));
    }
    let offset = query.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ServiceError::invalid("offset", "must not be negative"));
    }
    Ok(AuditFilter {
        entity,
        entity_id,
        actor: query
            .actor
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty()),
        limit,
        offset,
    })
}

impl AccountService {
    /// Incident history is for signed-in readers; everything else (users, settings)
    /// and the unfiltered log are for admins.
    pub async fn audit(&self, actor: &Actor, query: AuditQuery) -> Result<AuditPage, ServiceError> {
        let filter = parse_filter(query)?;
        let incident_only = filter
            .entity
            .as_deref()
            .is_some_and(|e| READER_ENTITIES.contains(&e))
            && filter.entity_id.is_some();
        if incident_only {
            access::require(actor, Role::Viewer)?;
        } else {
            access::require(actor, Role::Admin)?;
        }
        let (total, items) = self.store.audit(&filter).await?;
        Ok(AuditPage {
            total,
            limit: filter.limit,
            offset: filter.offset,
            items,
        })
    }
}
