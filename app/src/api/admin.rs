use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{
    AuditPage, AuditQuery, Invitation, InviteInput, Settings, UserChange, UserSummary,
};

/// The users page: everyone, and an invitation link to show once.
#[server(prefix = "/api/fn", endpoint = "list_users")]
pub async fn list_users() -> Result<(Vec<UserSummary>, Option<String>), ApiError> {
    use crate::port::{account_port, browser_actor};
    let users = account_port()?.list_users(&browser_actor()).await?;
    Ok((users, crate::reveal::take("invite")))
}

#[server(prefix = "/api/fn", endpoint = "invite_user")]
pub async fn invite_user(form: InviteInput) -> Result<Invitation, ApiError> {
    use crate::port::{account_port, browser_actor};
    let invitation = account_port()?.invite_user(&browser_actor(), form).await?;
    crate::reveal::for_plain_form_post("invite", &invitation.link, "/admin/users");
    Ok(invitation)
}

#[server(prefix = "/api/fn", endpoint = "change_user")]
pub async fn change_user(user_id: i64, form: UserChange) -> Result<UserSummary, ApiError> {
    use crate::port::{account_port, browser_actor};
    account_port()?
        .change_user(&browser_actor(), user_id, form)
        .await
}

#[server(prefix = "/api/fn", endpoint = "get_settings")]
pub async fn get_settings() -> Result<Settings, ApiError> {
    use crate::port::{account_port, browser_actor};
    account_port()?.settings(&browser_actor()).await
}

/// A checkbox is absent when unticked, so `anonymous_read` is optional.
#[server(prefix = "/api/fn", endpoint = "change_settings")]
pub async fn change_settings(
    version: i64,
    anonymous_read: Option<String>,
) -> Result<Settings, ApiError> {
    use crate::port::{account_port, browser_actor};
    let next = Settings {
        anonymous_read: anonymous_read.is_some(),
        version,
    };
    account_port()?
        .change_settings(&browser_actor(), next)
        .await
}

#[server(prefix = "/api/fn", endpoint = "list_audit")]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, ApiError> {
    use crate::port::{account_port, browser_actor};
    account_port()?.audit(&browser_actor(), query).await
}

/// Who an invitation link is for, so the page can greet them.
#[server(prefix = "/api/fn", endpoint = "get_invitation")]
pub async fn get_invitation(secret: String) -> Result<UserSummary, ApiError> {
    crate::port::account_port()?.invitation(&secret).await
}
