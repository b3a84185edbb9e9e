use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{TemplateAdmin, TemplateDefaults, TemplateSave};

#[server(prefix = "/api/fn", endpoint = "get_templates")]
pub async fn get_templates() -> Result<TemplateAdmin, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?.template_admin(&browser_actor()).await
}

#[server(prefix = "/api/fn", endpoint = "save_template")]
pub async fn save_template(template: TemplateSave) -> Result<TemplateAdmin, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .save_template(&browser_actor(), template)
        .await
}

#[server(prefix = "/api/fn", endpoint = "set_template_defaults")]
pub async fn set_template_defaults(defaults: TemplateDefaults) -> Result<TemplateAdmin, ApiError> {
    use crate::port::{browser_actor, postmortem_port};
    postmortem_port()?
        .set_template_defaults(&browser_actor(), defaults)
        .await
}
