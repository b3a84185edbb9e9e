//! Users, sessions, API tokens and settings on SQLite. Every change to a
//! user, a token or a setting appends its audit row in the same transaction.
use app::model::{ApiTokenInfo, Settings};
use chrono::{DateTime, Utc};

use super::users::{self, TOKEN_COLUMNS, USER_COLUMNS};
use super::{SqliteStore, audit, classify};
use crate::store::{
    AccountStore, AuditWrite, NewUser, SessionRecord, StoreError, StoredUser, UserWrite,
};

const ANONYMOUS_READ: &str = "anonymous_read";

#[async_trait::async_trait]
impl AccountStore for SqliteStore {
    async fn insert_user(
        &self,
        user: &NewUser,
        now: DateTime<Utc>,
        audit: &AuditWrite,
    ) -> Result<StoredUser, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, invite_hash, invite_expires_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
        Ok(users::find_by(&self.reader, "id", id).await?)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<StoredUser>, StoreError> {
        Ok(users::find_by(&self.reader, "email", email.to_string()).await?)
    }

    async fn user_by_invite(&self, invite_hash: &str) -> Result<Option<StoredUser>, StoreError> {
        Ok(users::find_by(&self.reader, "invite_hash", invite_hash.to_string()).await?)
    }

    async fn users(&self) -> Result<Vec<StoredUser>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.disabled, u.name COLLATE NOCASE, u.id"
        ))
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.iter().map(users::user).collect::<Result<_, _>>()?)
    }

    async fn count_active_admins(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND password_hash IS NOT NULL",
        )
        .fetch_one(&self.reader)
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
            "UPDATE users SET name = ?, role = ?, disabled = ?, password_hash = ?, invite_hash = ?,
                invite_expires_at = ?, version = version + 1, updated_at = ?
             WHERE id = ? AND version = ?",
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
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
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
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?")
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(classify)?;
        sqlx::query("UPDATE users SET last_login_at = ? WHERE id = ?")
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
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?"
        ))
        .bind(id_hash)
        .fetch_optional(&self.reader)
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
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?")
            .bind(now)
            .bind(id_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
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
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
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
             WHERE t.token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((users::user(&r)?, users::token(&r)?)))
            .transpose()?)
    }

    async fn touch_token(&self, token_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(now)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tokens(&self, user_id: i64) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = ? ORDER BY t.revoked_at IS NOT NULL, t.id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.reader)
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
            sqlx::query_scalar("SELECT revoked_at FROM api_tokens WHERE id = ? AND user_id = ?")
                .bind(token_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        match revoked_at {
            None => return Err(StoreError::NotFound),
            Some(Some(_)) => return Ok(()),
            Some(None) => {}
        }
        sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")
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
            sqlx::query_as("SELECT value, version FROM settings WHERE key = ?")
                .bind(ANONYMOUS_READ)
                .fetch_optional(&self.reader)
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
            sqlx::query("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING")
                .bind(ANONYMOUS_READ)
                .bind(value)
                .bind(now)
                .execute(&mut *tx)
                .await?
        } else {
            sqlx::query("UPDATE settings SET value = ?, version = version + 1, updated_at = ? WHERE key = ? AND version = ?")
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
