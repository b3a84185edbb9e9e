//! Managing accounts: the first admin from the command line, invitations,
//! roles, disabling, and changing one's own password.
use app::domain::{Role, check_new_password, parse_display_name, parse_email};
use app::model::{Invitation, InviteInput, PasswordChange, UserChange, UserSummary};
use app::port::Actor;
use chrono::Duration;

use super::audit_diff::change;
use super::problems::Problems;
use super::secrets::{hash_secret, random_secret};
use super::{AccountService, ServiceError, access, now, passwords};
use crate::store::{NewUser, StoreError, StoredUser, UserWrite};

const INVITE_LIFETIME: Duration = Duration::days(7);
/// The account a new registry offers at start-up, when nobody can sign in.
pub const FIRST_ADMIN_EMAIL: &str = "admin@localhost";

fn write_from(user: &StoredUser) -> UserWrite {
    UserWrite {
        name: user.summary.name.clone(),
        role: user.summary.role,
        disabled: user.summary.disabled,
        password_hash: user.password_hash.clone(),
        invite_hash: user.invite_hash.clone(),
        invite_expires_at: user.invite_expires_at,
        end_sessions: false,
    }
}

fn email_taken(e: StoreError) -> ServiceError {
    match e {
        StoreError::Duplicate => ServiceError::invalid("email", "already has an account"),
        other => other.into(),
    }
}

impl AccountService {
    /// Creates an account with a password: `firebreak user add`, run by
    /// whoever operates the server (recorded as `system`, via `cli`).
    pub async fn add_user(
        &self,
        actor: &Actor,
        email: &str,
        name: Option<&str>,
        role: Role,
        password: String,
    ) -> Result<UserSummary, ServiceError> {
        let mut p = Problems::default();
        let email = p.check("email", parse_email(email));
        let default_name = email
            .as_deref()
            .and_then(|e| e.split('@').next())
            .unwrap_or("");
        let name = p.check("name", parse_display_name(name.unwrap_or(default_name)));
        p.check("password", check_new_password(&password));
        p.finish()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(ServiceError::Internal(
                "validated user fields missing".into(),
            ));
        };
        let user = NewUser {
            email,
            name,
            role,
            password_hash: Some(passwords::hash(password).await?),
            invite_hash: None,
            invite_expires_at: None,
        };
        let audit = access::audit(actor, "create", user_changes(&user));
        let stored = self
            .store
            .insert_user(&user, now(), &audit)
            .await
            .map_err(email_taken)?;
        Ok(stored.summary)
    }

    pub async fn invite(
        &self,
        actor: &Actor,
        input: InviteInput,
    ) -> Result<Invitation, ServiceError> {
        access::require(actor, Role::Admin)?;
        let mut p = Problems::default();
        let email = p.check("email", parse_email(&input.email));
        let name = p.check("name", parse_display_name(&input.name));
        let role = p.check("role", Role::parse(&input.role));
        p.finish()?;
        let (Some(email), Some(name), Some(role)) = (email, name, role) else {
            return Err(ServiceError::Internal(
                "validated invite fields missing".into(),
            ));
        };
        let secret = random_secret();
        let now = now();
        let user = NewUser {
            email,
            name,
            role,
            password_hash: None,
            invite_hash: Some(hash_secret(&secret)),
            invite_expires_at: Some(now + INVITE_LIFETIME),
        };
        let audit = access::audit(actor, "invite", user_changes(&user));
        let stored = self
            .store
            .insert_user(&user, now, &audit)
            .await
            .map_err(email_taken)?;
        Ok(Invitation {
            user: stored.summary,
            link: format!("/invite/{secret}"),
        })
    }

    /// At start-up: the first admin's invitation (below), unless another
    /// instance starting at the same time made it in the last minute, whose
    /// link renewing would kill.
    pub async fn first_admin_invitation_on_start(&self) -> Result<Option<String>, ServiceError> {
        let users = self.store.users().await?;
        let fresh = users
            .iter()
            .any(|u| u.summary.email == FIRST_ADMIN_EMAIL && made_moments_ago(u, now()));
        if fresh && users.iter().all(|u| u.password_hash.is_none()) {
            tracing::info!("another instance prepared the first admin invitation");
            return Ok(None);
        }
        self.invite_first_admin(&users).await
    }

    /// On a registry with no usable account, an invitation link for the
    /// first admin (`admin@localhost`), renewed on every start until used.
    /// When several instances start at once, one makes the link and the
    /// others, losing the race, make none (`None`), so the link stays valid.
    pub async fn first_admin_invitation(&self) -> Result<Option<String>, ServiceError> {
        let users = self.store.users().await?;
        self.invite_first_admin(&users).await
    }

    /// Makes or renews the first admin's invitation, given the users read
    /// just before; losing a race with another instance gives `None`.
    async fn invite_first_admin(
        &self,
        users: &[StoredUser],
    ) -> Result<Option<String>, ServiceError> {
        if users.iter().any(|u| u.password_hash.is_some()) {
            return Ok(None);
        }
        let secret = random_secret();
        let now = now();
        let operator = Actor::new(app::model::Caller::System, app::port::Channel::Cli);
        let written = match users.iter().find(|u| u.summary.email == FIRST_ADMIN_EMAIL) {
            Some(pending) => {
                let mut next = write_from(pending);
                next.invite_hash = Some(hash_secret(&secret));
                next.invite_expires_at = Some(now + INVITE_LIFETIME);
                let audit = access::audit(
                    &operator,
                    "invite",
                    vec![change("invitation", None, Some("renewed".into()))],
                );
                self.store
                    .update_user(
                        pending.summary.id,
                        pending.summary.version,
                        &next,
                        now,
                        &audit,
                    )
                    .await
                    .map(|_| ())
            }
            None => {
                let user = NewUser {
                    email: FIRST_ADMIN_EMAIL.into(),
                    name: "Admin".into(),
                    role: Role::Admin,
                    password_hash: None,
                    invite_hash: Some(hash_secret(&secret)),
                    invite_expires_at: Some(now + INVITE_LIFETIME),
                };
                let audit = access::audit(&operator, "invite", user_changes(&user));
                self.store.insert_user(&user, now, &audit).await.map(|_| ())
            }
        };
        match written {
            Ok(()) => Ok(Some(format!("/invite/{secret}"))),
            Err(StoreError::Duplicate | StoreError::VersionConflict) => {
                tracing::info!("another instance prepared the first admin invitation");
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn pending_invitation(&self, secret: &str) -> Result<StoredUser, ServiceError> {
        let gone =
            || ServiceError::NotFound("invitation (it may have been used or expired)".into());
        let user = self
            .store
            .user_by_invite(&hash_secret(secret))
            .await?
            .ok_or_else(gone)?;
        let live = user.invite_expires_at.is_some_and(|t| t > now()) && !user.summary.disabled;
        if live { Ok(user) } else { Err(gone()) }
    }

    pub async fn invitation(&self, secret: &str) -> Result<UserSummary, ServiceError> {
        Ok(self.pending_invitation(secret).await?.summary)
    }

    /// Sets the invited user's password and signs them in; the link dies.
    pub async fn accept_invitation(
        &self,
        secret: &str,
        password: String,
    ) -> Result<String, ServiceError> {
        let user = self.pending_invitation(secret).await?;
        check_new_password(&password).map_err(|m| ServiceError::invalid("password", m))?;
        let mut next = write_from(&user);
        next.password_hash = Some(passwords::hash(password).await?);
        next.invite_hash = None;
        next.invite_expires_at = None;
        let actor = Actor::new(
            app::model::Caller::User(super::sessions::current_user(&user)),
            app::port::Channel::Browser,
        );
        let audit = access::audit(
            &actor,
            "accept_invite",
            vec![change("password", None, Some("set".into()))],
        );
        self.store
            .update_user(user.summary.id, user.summary.version, &next, now(), &audit)
            .await?;
        self.start_session(user.summary.id).await
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, ServiceError> {
        access::require(actor, Role::Admin)?;
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| u.summary)
            .collect())
    }

    /// An admin changes someone's role, name or whether they may sign in.
    /// The last active admin cannot demote or disable themselves out of it.
    pub async fn change_user(
        &self,
        actor: &Actor,
        user_id: i64,
        edit: UserChange,
    ) -> Result<UserSummary, ServiceError> {
        access::require(actor, Role::Admin)?;
        let current = self
            .store
            .user(user_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("user {user_id}")))?;
        if edit.version != current.summary.version {
            return Err(user_conflict(&current));
        }
        let mut p = Problems::default();
        let mut next = write_from(&current);
        if let Some(role) = &edit.role {
            next.role = p.check("role", Role::parse(role)).unwrap_or(next.role);
        }
        if let Some(name) = &edit.name {
            next.name = p
                .check("name", parse_display_name(name))
                .unwrap_or(next.name);
        }
        if let Some(disabled) = edit.disabled {
            next.disabled = disabled;
            next.end_sessions = disabled;
        }
        let loses_admin = current.summary.role == Role::Admin
            && !current.summary.disabled
            && (next.role != Role::Admin || next.disabled);
        if loses_admin && self.store.count_active_admins().await? <= 1 {
            p.add(
                "role",
                "this is the last active admin; make someone else admin first",
            );
        }
        p.finish()?;
        let changes = vec![
            change(
                "name",
                Some(current.summary.name.clone()),
                Some(next.name.clone()),
            ),
            change(
                "role",
                Some(current.summary.role.as_str().into()),
                Some(next.role.as_str().into()),
            ),
            change(
                "disabled",
                Some(current.summary.disabled.to_string()),
                Some(next.disabled.to_string()),
            ),
        ]
        .into_iter()
        .filter(|c| c.before != c.after)
        .collect::<Vec<_>>();
        if changes.is_empty() {
            return Ok(current.summary);
        }
        let audit = access::audit(actor, "update", changes);
        match self
            .store
            .update_user(user_id, edit.version, &next, now(), &audit)
            .await
        {
            Err(StoreError::VersionConflict) => match self.store.user(user_id).await? {
                Some(fresh) => Err(user_conflict(&fresh)),
                None => Err(ServiceError::NotFound(format!("user {user_id}"))),
            },
            other => Ok(other?.summary),
        }
    }

    /// Changes the caller's password, ends every session they have, and
    /// returns a new session secret for the browser that made the change.
    pub async fn change_password(
        &self,
        actor: &Actor,
        change_request: PasswordChange,
    ) -> Result<String, ServiceError> {
        let me = access::user(actor, Role::Viewer)?;
        let user = self
            .store
            .user(me.id)
            .await?
            .ok_or_else(|| ServiceError::Unauthorized("sign in required".into()))?;
        let mut p = Problems::default();
        p.check(
            "new_password",
            check_new_password(&change_request.new_password),
        );
        let current_ok =
            passwords::verify(change_request.current_password, user.password_hash.clone()).await?;
        if !current_ok {
            p.add("current_password", "is not your current password");
        }
        p.finish()?;
        let mut next = write_from(&user);
        next.password_hash = Some(passwords::hash(change_request.new_password).await?);
        next.end_sessions = true;
        let audit = access::audit(
            actor,
            "password",
            vec![change(
                "password",
                Some("set".into()),
                Some("changed".into()),
            )],
        );
        self.store
            .update_user(user.summary.id, user.summary.version, &next, now(), &audit)
            .await?;
        self.start_session(user.summary.id).await
    }
}

fn user_changes(user: &NewUser) -> Vec<app::model::AuditChange> {
    vec![
        change("email", None, Some(user.email.clone())),
        change("name", None, Some(user.name.clone())),
        change("role", None, Some(user.role.as_str().into())),
    ]
}

fn user_conflict(current: &StoredUser) -> ServiceError {
    ServiceError::Conflict {
        current_version: current.summary.version,
        changes: Vec::new(),
    }
}

/// Whether `pending`'s invitation was made in the last minute.
fn made_moments_ago(pending: &StoredUser, now: chrono::DateTime<chrono::Utc>) -> bool {
    pending
        .invite_expires_at
        .is_some_and(|expires| expires > now + INVITE_LIFETIME - Duration::minutes(1))
}
