//! The UI's account port, implemented by the service layer.
use app::error::ApiError;
use app::model::{
    AuditPage, AuditQuery, Invitation, InviteInput, NewApiToken, Profile, Settings, UserChange,
    UserSummary,
};
use app::port::{AccountPort, Actor};

use super::AccountService;

#[async_trait::async_trait]
impl AccountPort for AccountService {
    async fn profile(&self, actor: &Actor) -> Result<Profile, ApiError> {
        Ok(AccountService::profile(self, actor).await?)
    }

    async fn create_token(&self, actor: &Actor, name: &str) -> Result<NewApiToken, ApiError> {
        Ok(AccountService::create_token(self, actor, name).await?)
    }

    async fn revoke_token(&self, actor: &Actor, token_id: i64) -> Result<(), ApiError> {
        Ok(AccountService::revoke_token(self, actor, token_id).await?)
    }

    async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, ApiError> {
        Ok(AccountService::list_users(self, actor).await?)
    }

    async fn invite_user(&self, actor: &Actor, input: InviteInput) -> Result<Invitation, ApiError> {
        Ok(self.invite(actor, input).await?)
    }

    async fn change_user(
        &self,
        actor: &Actor,
        user_id: i64,
        change: UserChange,
    ) -> Result<UserSummary, ApiError> {
        Ok(AccountService::change_user(self, actor, user_id, change).await?)
    }

    async fn settings(&self, actor: &Actor) -> Result<Settings, ApiError> {
        Ok(AccountService::settings(self, actor).await?)
    }

    async fn change_settings(&self, actor: &Actor, next: Settings) -> Result<Settings, ApiError> {
        Ok(AccountService::change_settings(self, actor, next).await?)
    }

    async fn audit(&self, actor: &Actor, query: AuditQuery) -> Result<AuditPage, ApiError> {
        Ok(AccountService::audit(self, actor, query).await?)
    }

    async fn invitation(&self, secret: &str) -> Result<UserSummary, ApiError> {
        Ok(AccountService::invitation(self, secret).await?)
    }
}
