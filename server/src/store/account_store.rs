//! What the store keeps about people: users, sessions, API tokens and the
//! instance settings. Secrets are stored only as hashes.
use app::domain::Role;
use app::model::{ApiTokenInfo, Settings, UserSummary};
use chrono::{DateTime, Utc};

use super::{AuditWrite, StoreError};

/// A user with what only the service may see.
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub summary: UserSummary,
    /// argon2id PHC string; `None` until an invitation is accepted.
    pub password_hash: Option<String>,
    pub invite_hash: Option<String>,
    pub invite_expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub invite_hash: Option<String>,
    pub invite_expires_at: Option<DateTime<Utc>>,
}

/// A user's full editable state, as the service wants it stored.
#[derive(Debug, Clone)]
pub struct UserWrite {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub password_hash: Option<String>,
    pub invite_hash: Option<String>,
    pub invite_expires_at: Option<DateTime<Utc>>,
    /// Ends every session of the user in the same transaction (a password
    /// change, or the account disabled).
    pub end_sessions: bool,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: StoredUser,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Fails with `Duplicate` when the email is taken.
    async fn insert_user(
        &self,
        user: &NewUser,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<StoredUser, StoreError>;
    async fn user(&self, id: i64) -> Result<Option<StoredUser>, StoreError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<StoredUser>, StoreError>;
    async fn user_by_invite(&self, invite_hash: &str) -> Result<Option<StoredUser>, StoreError>;
    async fn users(&self) -> Result<Vec<StoredUser>, StoreError>;
    async fn count_active_admins(&self) -> Result<i64, StoreError>;
    /// Replaces a user's state if its version is still `expected_version`.
    async fn update_user(
        &self,
        id: i64,
        expected_version: i64,
        user: &UserWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<StoredUser, StoreError>;

    /// Starts a session (and records the sign-in on the user).
    async fn insert_session(
        &self,
        id_hash: &str,
        user_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;

    async fn insert_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<ApiTokenInfo, StoreError>;
    /// The token's owner and the token, revoked or not.
    async fn token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(StoredUser, ApiTokenInfo)>, StoreError>;
    async fn touch_token(&self, token_id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn tokens(&self, user_id: i64) -> Result<Vec<ApiTokenInfo>, StoreError>;
    /// `NotFound` unless the token belongs to `user_id`; revoking twice is fine.
    async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError>;

    async fn settings(&self) -> Result<Settings, StoreError>;
    async fn update_settings(
        &self,
        next: &Settings,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Settings, StoreError>;
}
