//! Reading users, sessions and tokens.
use app::domain::Role;
use app::model::{ApiTokenInfo, UserSummary};
use sqlx::postgres::PgRow;
use sqlx::{PgExecutor, Row};

use crate::store::StoredUser;

pub const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.password_hash, u.disabled, \
    u.invite_hash, u.invite_expires_at, u.last_login_at, u.version, u.created_at";
pub const TOKEN_COLUMNS: &str = "t.id AS token_id, t.name AS token_name, t.prefix, t.created_at AS token_created_at, t.last_used_at, t.revoked_at";

pub fn user(row: &PgRow) -> Result<StoredUser, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let password_hash: Option<String> = row.try_get("password_hash")?;
    let invite_hash: Option<String> = row.try_get("invite_hash")?;
    Ok(StoredUser {
        summary: UserSummary {
            id: row.try_get("id")?,
            email: row.try_get("email")?,
            name: row.try_get("name")?,
            role: Role::parse(&role).map_err(|e| sqlx::Error::ColumnDecode {
                index: "role".into(),
                source: e.into(),
            })?,
            disabled: row.try_get("disabled")?,
            invite_pending: password_hash.is_none() && invite_hash.is_some(),
            last_login_at: row.try_get("last_login_at")?,
            created_at: row.try_get("created_at")?,
            version: row.try_get("version")?,
        },
        password_hash,
        invite_hash,
        invite_expires_at: row.try_get("invite_expires_at")?,
    })
}

pub fn token(row: &PgRow) -> Result<ApiTokenInfo, sqlx::Error> {
    Ok(ApiTokenInfo {
        id: row.try_get("token_id")?,
        name: row.try_get("token_name")?,
        prefix: row.try_get("prefix")?,
        created_at: row.try_get("token_created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// One user by a column of `users` that is unique (`id`, `email`, `invite_hash`).
/// `email` compares case-insensitively, as SQLite's `COLLATE NOCASE` column
/// does (the unique index is on `lower(email)`).
pub async fn find_by(
    db: impl PgExecutor<'_>,
    column: &'static str,
    value: impl for<'q> sqlx::Encode<'q, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send,
) -> Result<Option<StoredUser>, sqlx::Error> {
    let condition = match column {
        "email" => "lower(u.email) = lower($1)".to_string(),
        _ => format!("u.{column} = $1"),
    };
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE {condition}"
    ))
    .bind(value)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(user).transpose()
}
