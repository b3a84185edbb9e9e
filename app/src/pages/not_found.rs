use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    crate::http_status::set_http_status(404);
    view! {
        <Title text="Not found"/>
        <div class="page narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing here. Try the " <a href="/incidents">"incident list"</a> ", or press " <kbd>"/"</kbd> " to search."</p>
        </div>
    }
}
