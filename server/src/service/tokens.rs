//! API tokens: per user, shown once, stored hashed, revocable.
use app::domain::{Role, parse_email};
use app::model::{ApiTokenInfo, NewApiToken, Profile};
use app::port::Actor;

use super::audit_diff::change;
use super::secrets::{hash_secret, new_api_token, token_display_prefix};
use super::sessions::current_user;
use super::{AccountService, ServiceError, access, now};

const MAX_TOKEN_NAME_CHARS: usize = 100;

fn parse_token_name(text: &str) -> Result<String, ServiceError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(ServiceError::invalid(
            "name",
            "must not be empty: say what the token is for",
        ));
    }
    if name.chars().count() > MAX_TOKEN_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "name",
            format!("must be one line of at most {MAX_TOKEN_NAME_CHARS} characters"),
        ));
    }
    Ok(name.to_string())
}

impl AccountService {
    pub async fn profile(&self, actor: &Actor) -> Result<Profile, ServiceError> {
        let me = access::user(actor, Role::Viewer)?;
        Ok(Profile {
            user: me.clone(),
            tokens: self.store.tokens(me.id).await?,
            revealed_secret: None,
        })
    }

    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
    ) -> Result<NewApiToken, ServiceError> {
        let me = access::user(actor, Role::Viewer)?;
        let name = parse_token_name(name)?;
        let secret = new_api_token();
        let prefix = token_display_prefix(&secret);
        let audit = access::audit(
            actor,
            "token.create",
            vec![change("token_name", None, Some(name.clone()))],
        );
        let token = self
            .store
            .insert_token(me.id, &name, &hash_secret(&secret), &prefix, now(), &audit)
            .await?;
        Ok(NewApiToken { token, secret })
    }

    /// `firebreak token create`: a token for the user with this email.
    pub async fn create_token_for(
        &self,
        actor: &Actor,
        email: &str,
        name: &str,
    ) -> Result<NewApiToken, ServiceError> {
        let email = parse_email(email).map_err(|m| ServiceError::invalid("email", m))?;
        let user = self
            .store
            .user_by_email(&email)
            .await?
            .filter(|u| !u.summary.disabled)
            .ok_or_else(|| ServiceError::NotFound(format!("an active user with email {email}")))?;
        let on_behalf = Actor::new(app::model::Caller::User(current_user(&user)), actor.via);
        self.create_token(&on_behalf, name).await
    }

    pub async fn revoke_token(&self, actor: &Actor, token_id: i64) -> Result<(), ServiceError> {
        let me = access::user(actor, Role::Viewer)?;
        let audit = access::audit(
            actor,
            "token.revoke",
            vec![change("token", Some(token_id.to_string()), None)],
        );
        self.store
            .revoke_token(me.id, token_id, now(), &audit)
            .await
            .map_err(|e| match e {
                crate::store::StoreError::NotFound => {
                    ServiceError::NotFound(format!("your API token {token_id}"))
                }
                other => other.into(),
            })
    }

    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiTokenInfo>, ServiceError> {
        let me = access::user(actor, Role::Viewer)?;
        Ok(self.store.tokens(me.id).await?)
    }
}
