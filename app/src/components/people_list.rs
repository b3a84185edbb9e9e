use leptos::prelude::*;

use crate::model::UserRef;

/// Suggestions for "commander" and "communications lead": people with an
/// account. Free text is still accepted for people without one.
#[component]
pub fn PeopleList(people: Vec<UserRef>) -> impl IntoView {
    view! {
        <datalist id="people">
            {people.into_iter().map(|p| view! { <option value=p.name.clone() label=p.email.clone()></option> }).collect_view()}
        </datalist>
    }
}
