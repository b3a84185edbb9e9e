//! The UI's postmortem port, implemented by the service layer.
use app::error::ApiError;
use app::model::{
    ChecklistTick, CommentInput, Factor, FactorInput, FactorRemoval, IncidentFactor, Postmortem,
    PostmortemQuery, PostmortemSection, PostmortemSummary, PostmortemView, PresenceBeat,
    RevisionRestore, SectionHistory, SectionSave, StartPostmortem, StatusMove, TaxonomyChange,
    TemplateAdmin, TemplateDefaults, TemplateSave, ThreadResolve,
};
use app::port::{Actor, PostmortemPort};

use super::IncidentService;

#[async_trait::async_trait]
impl PostmortemPort for IncidentService {
    async fn add_factor(
        &self,
        actor: &Actor,
        input: FactorInput,
    ) -> Result<Vec<IncidentFactor>, ApiError> {
        Ok(IncidentService::add_factor(self, input, actor).await?)
    }

    async fn remove_factor(
        &self,
        actor: &Actor,
        input: FactorRemoval,
    ) -> Result<Vec<IncidentFactor>, ApiError> {
        Ok(IncidentService::remove_factor(self, input, actor).await?)
    }

    async fn taxonomy(&self, actor: &Actor) -> Result<Vec<Factor>, ApiError> {
        Ok(IncidentService::taxonomy(self, actor).await?)
    }

    async fn template_admin(&self, actor: &Actor) -> Result<TemplateAdmin, ApiError> {
        Ok(IncidentService::template_admin(self, actor).await?)
    }

    async fn save_template(
        &self,
        actor: &Actor,
        input: TemplateSave,
    ) -> Result<TemplateAdmin, ApiError> {
        Ok(IncidentService::save_template(self, input, actor).await?)
    }

    async fn set_template_defaults(
        &self,
        actor: &Actor,
        input: TemplateDefaults,
    ) -> Result<TemplateAdmin, ApiError> {
        Ok(IncidentService::set_template_defaults(self, input, actor).await?)
    }

    async fn change_taxonomy(
        &self,
        actor: &Actor,
        input: TaxonomyChange,
    ) -> Result<Factor, ApiError> {
        Ok(IncidentService::change_taxonomy(self, input, actor).await?)
    }

    async fn postmortems(
        &self,
        actor: &Actor,
        query: PostmortemQuery,
    ) -> Result<Vec<PostmortemSummary>, ApiError> {
        Ok(self.list_postmortems(query, actor).await?)
    }

    async fn postmortem(&self, actor: &Actor, id: &str) -> Result<PostmortemView, ApiError> {
        Ok(self.postmortem_view(id, actor).await?)
    }

    async fn start_postmortem(
        &self,
        actor: &Actor,
        input: StartPostmortem,
    ) -> Result<Postmortem, ApiError> {
        Ok(IncidentService::start_postmortem(self, input, actor).await?)
    }

    async fn save_section(
        &self,
        actor: &Actor,
        save: SectionSave,
    ) -> Result<PostmortemSection, ApiError> {
        Ok(IncidentService::save_section(self, save, actor).await?)
    }

    async fn section_history(
        &self,
        actor: &Actor,
        id: &str,
        key: &str,
    ) -> Result<SectionHistory, ApiError> {
        Ok(IncidentService::section_history(self, id, key, actor).await?)
    }

    async fn restore_revision(
        &self,
        actor: &Actor,
        input: RevisionRestore,
    ) -> Result<PostmortemSection, ApiError> {
        Ok(IncidentService::restore_revision(self, input, actor).await?)
    }

    async fn presence(&self, actor: &Actor, beat: PresenceBeat) -> Result<(), ApiError> {
        Ok(IncidentService::presence(self, beat, actor).await?)
    }

    async fn move_postmortem(
        &self,
        actor: &Actor,
        input: StatusMove,
    ) -> Result<Postmortem, ApiError> {
        Ok(IncidentService::move_postmortem(self, input, actor).await?)
    }

    async fn tick_checklist(
        &self,
        actor: &Actor,
        input: ChecklistTick,
    ) -> Result<Postmortem, ApiError> {
        Ok(IncidentService::tick_checklist(self, input, actor).await?)
    }

    async fn comment(&self, actor: &Actor, input: CommentInput) -> Result<Postmortem, ApiError> {
        Ok(IncidentService::comment(self, input, actor).await?)
    }

    async fn resolve_thread(
        &self,
        actor: &Actor,
        input: ThreadResolve,
    ) -> Result<Postmortem, ApiError> {
        Ok(IncidentService::resolve_thread(self, input, actor).await?)
    }
}
