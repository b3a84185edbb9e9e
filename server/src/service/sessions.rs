//! Signing in and out, and finding who a session cookie or an API token
//! belongs to. Sessions live in the database, so any instance can serve any
//! user; only a hash of the session id is stored.
use std::net::IpAddr;

use app::domain::parse_email;
use app::model::{Credentials, CurrentUser};
use chrono::Duration;

use super::secrets::{hash_secret, random_secret};
use super::{AccountService, ServiceError, now, passwords};
use crate::store::{StoreError, StoredUser};

/// Don't write `last_seen_at` more often than this.
const TOUCH_EVERY: Duration = Duration::seconds(60);
const WRONG_CREDENTIALS: &str = "wrong email or password";

/// A "last seen" time is not worth failing a read for when the disk is
/// full: the request goes on without it.
fn unless_disk_full(touched: Result<(), StoreError>) -> Result<(), ServiceError> {
    match touched {
        Err(StoreError::StorageFull) => {
            tracing::warn!("the disk is full: a last-seen time was not saved");
            Ok(())
        }
        other => Ok(other?),
    }
}

pub fn current_user(user: &StoredUser) -> CurrentUser {
    CurrentUser {
        id: user.summary.id,
        email: user.summary.email.clone(),
        name: user.summary.name.clone(),
        role: user.summary.role,
    }
}

impl AccountService {
    /// Checks the credentials and starts a new session (a new id every
    /// time: the caller ends the session it had before). Returns the user
    /// and the session secret for the cookie.
    pub async fn login(
        &self,
        credentials: Credentials,
        address: Option<IpAddr>,
    ) -> Result<(CurrentUser, String), ServiceError> {
        let email = parse_email(&credentials.email).unwrap_or_default();
        self.limits
            .attempt(&email, address)
            .map_err(ServiceError::TooManyRequests)?;
        let user = match email.is_empty() {
            true => None,
            false => self.store.user_by_email(&email).await?,
        };
        let stored_hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let matches = passwords::verify(credentials.password, stored_hash).await?;
        match user {
            Some(user) if matches && !user.summary.disabled => {
                let secret = self.start_session(user.summary.id).await?;
                Ok((current_user(&user), secret))
            }
            _ => Err(ServiceError::Unauthorized(WRONG_CREDENTIALS.into())),
        }
    }

    pub(super) async fn start_session(&self, user_id: i64) -> Result<String, ServiceError> {
        let secret = random_secret();
        let now = now();
        let expires = now + self.policy.absolute;
        self.store
            .insert_session(&hash_secret(&secret), user_id, now, expires)
            .await?;
        Ok(secret)
    }

    pub async fn logout(&self, session_secret: &str) -> Result<(), ServiceError> {
        Ok(self
            .store
            .delete_session(&hash_secret(session_secret))
            .await?)
    }

    /// The user behind a session cookie, if the session is still alive:
    /// not past its absolute lifetime, not idle too long, user not disabled.
    pub async fn session_user(
        &self,
        session_secret: &str,
    ) -> Result<Option<CurrentUser>, ServiceError> {
        let id_hash = hash_secret(session_secret);
        let Some(session) = self.store.session(&id_hash).await? else {
            return Ok(None);
        };
        let now = now();
        let expired = now >= session.expires_at
            || now - session.last_seen_at >= self.policy.idle
            || session.user.summary.disabled;
        if expired {
            self.store.delete_session(&id_hash).await?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_EVERY {
            unless_disk_full(self.store.touch_session(&id_hash, now).await)?;
        }
        Ok(Some(current_user(&session.user)))
    }

    /// The user behind an API token; revoked and unknown tokens are refused.
    pub async fn token_user(&self, token: &str) -> Result<CurrentUser, ServiceError> {
        let Some((user, info)) = self.store.token(&hash_secret(token)).await? else {
            return Err(ServiceError::Unauthorized("invalid API token".into()));
        };
        if info.revoked_at.is_some() {
            return Err(ServiceError::Unauthorized(
                "this API token has been revoked".into(),
            ));
        }
        if user.summary.disabled {
            return Err(ServiceError::Unauthorized(
                "this account is disabled".into(),
            ));
        }
        let now = now();
        if info.last_used_at.is_none_or(|t| now - t >= TOUCH_EVERY) {
            unless_disk_full(self.store.touch_token(info.id, now).await)?;
        }
        Ok(current_user(&user))
    }
}
