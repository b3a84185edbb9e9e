use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{CurrentUser, UserRef};

/// The signed-in user, or none. Pages use it for the header and to hide
/// what the role cannot do; the service checks again on every call.
#[server(prefix = "/api/fn", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, ApiError> {
    Ok(crate::port::browser_actor().caller.user().cloned())
}

/// People with an account, suggested when naming a commander.
#[server(prefix = "/api/fn", endpoint = "list_people")]
pub async fn list_people() -> Result<Vec<UserRef>, ApiError> {
    use crate::port::{browser_actor, incident_port};
    incident_port()?.people(&browser_actor()).await
}
