use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// The signed-in user, as every page and use-case sees them.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// Who is asking: a signed-in user or nobody. Resolved once per request
/// from the session cookie or the bearer token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Caller {
    #[default]
    Anonymous,
    User(CurrentUser),
    /// The server itself, or its operator at the command line (demo data,
    /// `firebreak user add`). Never the result of an HTTP request.
    System,
}

impl Caller {
    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Self::User(u) => Some(u),
            Self::Anonymous | Self::System => None,
        }
    }
}

/// A person on an incident who has an account.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// A user as the admin pages and the API list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// Invited, and has not chosen a password yet.
    pub invite_pending: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl UserSummary {
    pub fn to_ref(&self) -> UserRef {
        UserRef {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
        }
    }
}

/// An invitation: the account exists, the person sets a password with the link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteInput {
    pub email: String,
    pub name: String,
    pub role: String,
}

/// The answer to an invitation: the account and its one-time link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub user: UserSummary,
    /// The path of the one-time link, `/invite/<secret>`. Shown once.
    pub link: String,
}

/// An admin's change to a user. Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    pub version: i64,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub disabled: Option<bool>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// An API token as listed: never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just created: the secret is in this answer and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: ApiTokenInfo,
    pub secret: String,
}

/// The profile page: who you are, your tokens, and a secret to show once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user: CurrentUser,
    pub tokens: Vec<ApiTokenInfo>,
    /// A token created by the last (JavaScript-free) form post.
    pub revealed_secret: Option<String>,
}

/// Instance-wide settings an admin can change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Anyone who can reach the server may read (never write) without signing in.
    pub anonymous_read: bool,
    pub version: i64,
}
