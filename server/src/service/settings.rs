//! Instance settings, changed by admins.
use app::domain::Role;
use app::model::Settings;
use app::port::Actor;

use super::audit_diff::change;
use super::{AccountService, ServiceError, access, now};
use crate::store::StoreError;

impl AccountService {
    pub async fn settings(&self, actor: &Actor) -> Result<Settings, ServiceError> {
        access::require(actor, Role::Admin)?;
        Ok(self.store.settings().await?)
    }

    pub async fn change_settings(
        &self,
        actor: &Actor,
        next: Settings,
    ) -> Result<Settings, ServiceError> {
        access::require(actor, Role::Admin)?;
        let current = self.store.settings().await?;
        if next.version != current.version {
            return Err(ServiceError::Conflict {
                current_version: current.version,
                changes: Vec::new(),
            });
        }
        if next.anonymous_read == current.anonymous_read {
            return Ok(current);
        }
        let audit = access::audit(
            actor,
            "update",
            vec![change(
                "anonymous_read",
                Some(current.anonymous_read.to_string()),
                Some(next.anonymous_read.to_string()),
            )],
        );
        match self.store.update_settings(&next, now(), &audit).await {
            Err(StoreError::VersionConflict) => Err(ServiceError::Conflict {
                current_version: self.store.settings().await?.version,
                changes: Vec::new(),
            }),
            other => Ok(other?),
        }
    }
}
