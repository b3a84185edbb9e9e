use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::LiveSearch;

use crate::api::SetTheme;
use crate::domain::Role;
use crate::error::ApiError;
use crate::model::CurrentUser;
use crate::page_resource::{PageResource, page_resource};
use crate::theme::{Theme, initial_theme};

/// The signed-in user, loaded once per page load; `None` when signed out.
pub type CurrentUserResource = PageResource<Result<Option<CurrentUser>, ApiError>>;

fn current_user() -> Option<CurrentUser> {
    use_context::<CurrentUserResource>()
        .and_then(|r| r.get())
        .and_then(Result::ok)
        .flatten()
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    // Created here, once, and not inside the user-dependent closure below:
    // the server runs that closure again as resources resolve, and every
    // resource or Transition made inside it takes another hydration id, so
    // the browser would read each later resource under the wrong id.
    let overdue = page_resource(|| (), |_| crate::api::overdue_badge());
    let query = use_query_map();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"▲"</span>
                " Firebreak"
            </A>
            <Transition fallback=|| ()>
                {move || current_user().map(|user| {
                    // Read here, so this Transition waits for the count too.
                    let overdue = overdue.get().and_then(Result::ok).unwrap_or(0);
                    let admin = user.role == Role::Admin;
                    let responder = user.role.includes(Role::Responder);
                    view! {
                        <nav class="site-nav" aria-label="Main">
                            <A href="/incidents">"Incidents"</A>
                            <A href="/postmortems">"Postmortems"</A>
                            <A href="/actions">"Actions"<OverdueBadge count=overdue/></A>
                            <A href="/insights">"Insights"</A>
                            {admin.then(|| view! { <A href="/admin/users">"Admin"</A> })}
                        </nav>
                        <LiveSearch initial=query.read().get("q").unwrap_or_default()/>
                        {responder.then(|| view! { <A href="/incidents/new" attr:class="button button-primary">"New incident"</A> })}
                        <A href="/profile" attr:class="account-link" attr:title=user.email.clone()>{user.name.clone()}</A>
                        <form method="post" action="/logout" class="sign-out">
                            <button type="submit" class="button button-quiet">"Sign out"</button>
                        </form>
                    }
                })}
            </Transition>
            <ThemeToggle/>
        </header>
    }
}

/// The signed-in user's overdue action items, beside "Actions". A plain
/// view: no resource or Transition of its own, because it is rendered inside
/// a closure that the server runs more than once (each would take an id).
#[component]
fn OverdueBadge(count: i64) -> impl IntoView {
    (count > 0).then(|| view! {
        " "<span class="badge overdue-badge" title="Your overdue action items">
            {count}<span class="visually-hidden">{format!(" overdue action item{}", if count == 1 { "" } else { "s" })}</span>
        </span>
    })
}

/// Cycles system → dark → light. A plain form post, so it works without
/// JavaScript; an island, so with it the page switches without reloading.
#[island]
fn ThemeToggle() -> impl IntoView {
    let action = ServerAction::<SetTheme>::new();
    let theme = RwSignal::new(initial_theme());
    Effect::new(move || {
        if let Some(Ok(chosen)) = action.value().get()
            && let Some(t) = Theme::parse(&chosen)
        {
            theme.set(t);
            crate::theme::apply_to_document(t);
        }
    });
    view! {
        <ActionForm action=action attr:class="theme-toggle">
            <input type="hidden" name="theme" value=move || theme.get().next().as_str()/>
            <button type="submit" class="button button-quiet" title="Switch theme">
                {move || format!("Theme: {}", theme.get().as_str())}
            </button>
        </ActionForm>
    }
}
