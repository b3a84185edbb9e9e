//! The document shell and the routes.
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::whoami;
use crate::components::{CurrentUserResource, KeyboardShortcuts, ShortcutHelp, SiteHeader};
use crate::page_resource::page_resource;
use crate::pages::{
    ActionBoardPage, ActionPolicyPage, AuditPage, DigestPage, FactorsPage, IncidentListPage,
    IncidentPage, InsightsPage, IntegrationsPage, InvitePage, LoginPage, NewIncidentPage,
    NotFoundPage, PostmortemListPage, PostmortemPage, PostmortemPrintPage, ProfilePage,
    RecurringCausesPage, SearchPage, SectionHistoryPage, SettingsPage, TemplatesPage, UsersPage,
    WebhookPage, WebhooksPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = crate::theme::initial_theme().as_str();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let me: CurrentUserResource = page_resource(|| (), |_| whoami());
    provide_context(me);
    view! {
        <Stylesheet id="firebreak" href="/pkg/firebreak.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Firebreak".to_string() } else { format!("{page} · Firebreak") }/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=IncidentListPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents") view=IncidentListPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents/new") view=NewIncidentPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents/:id") view=IncidentPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents/:id/postmortem") view=PostmortemPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents/:id/postmortem/print") view=PostmortemPrintPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents/:id/postmortem/:key/history") view=SectionHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/postmortems") view=PostmortemListPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:secret") view=InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/factors") view=FactorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/templates") view=TemplatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/actions") view=ActionPolicyPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/integrations") view=IntegrationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/webhooks") view=WebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/webhooks/:id") view=WebhookPage ssr=SsrMode::Async/>
                    <Route path=path!("/actions") view=ActionBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/insights") view=InsightsPage ssr=SsrMode::Async/>
                    <Route path=path!("/insights/recurring") view=RecurringCausesPage ssr=SsrMode::Async/>
                    <Route path=path!("/digest") view=DigestPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <ShortcutHelp/>
            <KeyboardShortcuts/>
        </Router>
    }
}
