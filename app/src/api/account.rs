use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{NewApiToken, Profile};

/// The profile page's data, with a token secret to show once after a
/// JavaScript-free form post.
#[server(prefix = "/api/fn", endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, ApiError> {
    use crate::port::{account_port, browser_actor};
    let mut profile = account_port()?.profile(&browser_actor()).await?;
    profile.revealed_secret = crate::reveal::take("token");
    Ok(profile)
}

#[server(prefix = "/api/fn", endpoint = "create_api_token")]
pub async fn create_api_token(name: String) -> Result<NewApiToken, ApiError> {
    use crate::port::{account_port, browser_actor};
    let created = account_port()?
        .create_token(&browser_actor(), &name)
        .await?;
    crate::reveal::for_plain_form_post("token", &created.secret, "/profile");
    Ok(created)
}

#[server(prefix = "/api/fn", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(token_id: i64) -> Result<(), ApiError> {
    use crate::port::{account_port, browser_actor};
    account_port()?
        .revoke_token(&browser_actor(), token_id)
        .await
}
