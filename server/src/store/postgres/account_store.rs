//! Users, sessions, API tokens and settings on PostgreSQL. Every change to a
//! user, a token or a setting appends its audit row in the same transaction.
//! Emails compare as `lower(email)` (SQLite: a `COLLATE NOCASE` column) and
//! `disabled` is BOOLEAN.
use app::model::{ApiTokenInfo, Settings};
use chrono::{DateTime, Utc};

use super::users::{self, TOKEN_COLUMNS, USER_COLUMNS};
use super::{PgStore, audit, classify};
use crate::store::{
    AccountStore, AuditWrite, NewUser, SessionRecord, StoreError, StoredUser, UserWrite,
};

const ANONYMOUS_READ: &str = "anonymous_read";

#[async_trait::async_trait]
impl AccountStore for PgStore {
    async fn insert_user(
        &self,
        user: &NewUser,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<StoredUser, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, invite_hash, invite_expires_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&user.email)
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(&user.password_hash)
        .bind(&user.invite_hash)
        .bind(user.invite_expires_at)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        audit::append(&mut tx, "user", id, audit, now).await?;
        tx.commit().await?;
        self.user(id).await?.ok_or(StoreError::NotFound)
    }

    async fn user(&self, id: i64) -> Result<Option<StoredUser>, StoreError> {
        Ok(users::find_by(&self.pool, "id", id).await?)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<StoredUser>, StoreError> {
        Ok(users::find_by(&self.pool, "email", email.to_string()).await?)
    }

    async fn user_by_invite(&self, invite_hash: &str) -> Result<Option<StoredUser>, StoreError> {
        Ok(users::find_by(&self.pool, "invite_hash", invite_hash.to_string()).await?)
    }

    async fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.disabled, lower(u.name) COLLATE \"C\", u.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(users::user).collect::<Result<_, _>>()?)
    }

    async fn count_active_admins(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled AND password_hash IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn update_user(
        &self,
        id: i64,
        expected_version: i64,
        user: &UserWrite,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<StoredUser, StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE users SET name = $1, role = $2, disabled = $3, password_hash = $4, invite_hash = $5,
                invite_expires_at = $6, version = version + 1, updated_at = $7
             WHERE id = $8 AND version = $9",
        )
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(user.disabled)
        .bind(&user.password_hash)
        .bind(&user.invite_hash)
        .bind(user.invite_expires_at)
        .bind(now)
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await
        .map_err(classify)?
        .rows_affected();
        if changed == 0 {
            let exists = users::find_by(&mut *tx, "id", id).await?.is_some();
            return Err(if exists {
                StoreError::VersionConflict
            } else {
                StoreError::NotFound
            });
        }
        if user.end_sessions {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        audit::append(&mut tx, "user", id, audit, now).await?;
        tx.commit().await?;
        self.user(id).await?.ok_or(StoreError::NotFound)
    }

    async fn insert_session(
        &self,
        id_hash: &str,
        user_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.created_at AS session_created_at, s.last_seen_at, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        use sqlx::Row;
        Ok(Some(SessionRecord {
            user: users::user(&row)?,
            created_at: row.try_get("session_created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<ApiTokenInfo, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(classify)?;
        let mut audit = audit.clone();
        audit.changes.insert(0, audit::created("token", id));
        audit::append(&mut tx, "user", user_id, &audit, now).await?;
        tx.commit().await?;
        Ok(ApiTokenInfo {
            id,
            name: name.to_string(),
            prefix: prefix.to_string(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        })
    }

    async fn token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(StoredUser, ApiTokenInfo)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((users::user(&r)?, users::token(&r)?)))
            .transpose()?)
    }

    async fn touch_token(&self, token_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tokens(&self, user_id: i64) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.revoked_at IS NOT NULL, t.id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(users::token).collect::<Result<_, _>>()?)
    }

    async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let revoked_at: Option<Option<DateTime<Utc>>> =
            sqlx::query_scalar("SELECT revoked_at FROM api_tokens WHERE id = $1 AND user_id = $2")
                .bind(token_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        match revoked_at {
            None => return Err(StoreError::NotFound),
            Some(Some(_)) => return Ok(()),
            Some(None) => {}
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
        audit::append(&mut tx, "user", user_id, audit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn settings(&self) -> Result<Settings, StoreError> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT value, version FROM settings WHERE key = $1")
                .bind(ANONYMOUS_READ)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some((value, version)) => Settings {
                anonymous_read: value == "true",
                version,
            },
            None => Settings::default(),
        })
    }

    async fn update_settings(
        &self,
        next: &Settings,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<Settings, StoreError> {
        let mut tx = self.begin_write().await?;
        let value = if next.anonymous_read { "true" } else { "false" };
        let changed = if next.version == 0 {
            sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING")
                .bind(ANONYMOUS_READ)
                .bind(value)
                .bind(now)
                .execute(&mut *tx)
                .await?
        } else {
            sqlx::query("UPDATE settings SET value = $1, version = version + 1, updated_at = $2 WHERE key = $3 AND version = $4")
                .bind(value)
                .bind(now)
                .bind(ANONYMOUS_READ)
                .bind(next.version)
                .execute(&mut *tx)
                .await?
        };
        if changed.rows_affected() == 0 {
            return Err(StoreError::VersionConflict);
        }
        audit::append(&mut tx, "settings", 1, audit, now).await?;
        tx.commit().await?;
        self.settings().await
    }
}
