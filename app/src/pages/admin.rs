//! Admin pages: users, the audit log, the contributing-factor taxonomy, webhooks and settings. The service refuses
//! anyone but admins; these pages show that refusal as a 403 page.
mod action_policy;
mod audit;
mod factors;
mod integrations;
mod settings;
mod templates;
mod users;
mod webhook;
mod webhooks;

use leptos::prelude::*;

pub use action_policy::ActionPolicyPage;
pub use audit::AuditPage;
pub use factors::FactorsPage;
pub use integrations::IntegrationsPage;
pub use settings::SettingsPage;
pub use templates::TemplatesPage;
pub use users::UsersPage;
pub use webhook::WebhookPage;
pub use webhooks::WebhooksPage;

use crate::components::ErrorPanel;
use crate::error::ApiError;

#[component]
fn AdminNav(current: &'static str) -> impl IntoView {
    let link = move |href: &'static str, label: &'static str| {
        let here = href == current;
        view! { <a href=href aria-current=here.then_some("page")>{label}</a> }
    };
    view! {
        <nav class="admin-nav" aria-label="Admin">
            {link("/admin/users", "Users")}
            {link("/admin/audit", "Audit log")}
            {link("/admin/factors", "Contributing factors")}
            {link("/admin/templates", "Templates")}
            {link("/admin/actions", "Action items")}
            {link("/admin/integrations", "Integrations")}
            {link("/admin/webhooks", "Webhooks")}
            {link("/admin/settings", "Settings")}
        </nav>
    }
}

#[component]
fn AdminError(error: ApiError) -> impl IntoView {
    crate::http_status::set_http_status(error.status());
    view! { <ErrorPanel error/> }
}
