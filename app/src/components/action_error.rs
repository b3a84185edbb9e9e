use leptos::prelude::*;

use crate::error::ApiError;

/// The outcome of a failed save, shown above the form that caused it.
/// A stale save shows the stored value and the rejected one side by side.
#[component]
pub fn ActionError(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    move || error.get().map(|e| view! { <ErrorPanel error=e/> })
}

#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    match error {
        ApiError::Invalid { fields } => view! {
            <div class="notice notice-error" role="alert">
                <p><strong>"Nothing was saved."</strong>" Please fix:"</p>
                <ul>
                    {fields.into_iter().map(|f| view! { <li><code>{f.field}</code>" "{f.message}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any(),
        ApiError::Conflict { current_version, changes } => view! {
            <div class="notice notice-conflict" role="alert">
                <p>
                    <strong>"Someone else saved this since you opened it"</strong>
                    {format!(" (now version {current_version}). Nothing was overwritten. ")}
                    "The form now shows the current version: copy what you need from “Yours” and save again."
                </p>
                <table class="conflict-table">
                    <caption class="visually-hidden">"Fields that differ"</caption>
                    <thead><tr><th scope="col">"Field"</th><th scope="col">"Saved now"</th><th scope="col">"Yours"</th></tr></thead>
                    <tbody>
                        {changes.into_iter().map(|c| view! {
                            <tr><th scope="row"><code>{c.field}</code></th><td class="theirs">{c.current}</td><td class="yours">{c.yours}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
        other => view! {
            <div class="notice notice-error" role="alert"><p>{other.to_string()}</p></div>
        }
        .into_any(),
    }
}
