//! Who may do what. Every use-case calls one of these first, so a server
//! function or an API route called directly is checked the same way.
use app::domain::Role;
use app::model::{AuditChange, Caller, CurrentUser};
use app::port::Actor;

use super::ServiceError;
use crate::store::{AuditWrite, Store};

/// Allows the system, or a signed-in user whose role includes `role`.
pub fn require(actor: &Actor, role: Role) -> Result<(), ServiceError> {
    match actor.caller {
        Caller::System => Ok(()),
        _ => user(actor, role).map(|_| ()),
    }
}

/// The signed-in user, if their role includes `role`.
pub fn user(actor: &Actor, role: Role) -> Result<&CurrentUser, ServiceError> {
    let user = actor
        .caller
        .user()
        .ok_or_else(|| ServiceError::Unauthorized("sign in required".into()))?;
    if user.role.includes(role) {
        Ok(user)
    } else {
        Err(ServiceError::Forbidden(format!(
            "the {} role is required; you are a {}",
            role.as_str(),
            user.role.as_str()
        )))
    }
}

/// Reading: any signed-in user, or anyone when anonymous reading is on.
pub async fn require_reader(store: &dyn Store, actor: &Actor) -> Result<(), ServiceError> {
    if actor.caller != Caller::Anonymous || store.settings().await?.anonymous_read {
        Ok(())
    } else {
        Err(ServiceError::Unauthorized("sign in required".into()))
    }
}

/// The name to record as the author of entries and timestamps.
pub fn author(actor: &Actor) -> (Option<String>, Option<i64>) {
    match actor.caller.user() {
        Some(u) => (Some(u.name.clone()), Some(u.id)),
        None => (None, None),
    }
}

/// The audit row describing what `actor` is doing.
pub fn audit(actor: &Actor, action: &str, changes: Vec<AuditChange>) -> AuditWrite {
    let user = actor.caller.user();
    AuditWrite {
        actor_id: user.map(|u| u.id),
        actor: user.map_or_else(|| "system".to_string(), |u| u.email.clone()),
        channel: actor.via.as_str(),
        action: action.to_string(),
        changes,
    }
}
