use leptos::prelude::*;

use crate::domain::{Severity, Status};

/// Severity as colour plus its label; the description is in the tooltip.
#[component]
pub fn SeverityBadge(severity: Severity) -> impl IntoView {
    view! {
        <span class=format!("sev-badge {}", severity.slug()) title=severity.description()>
            {severity.as_str()}
        </span>
    }
}

/// Status as an icon plus text.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    view! {
        <span class=format!("status-badge status-{}", status.as_str())>
            <span class="status-icon" aria-hidden="true">{status.icon()}</span>
            " "
            {status.label()}
        </span>
    }
}
