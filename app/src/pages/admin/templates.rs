use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminError, AdminNav};
use crate::api::{SaveTemplate, SetTemplateDefaults, get_templates};
use crate::components::ActionError;
use crate::model::{TemplateAdmin, TemplateView};
use crate::page_resource::page_resource;

/// Postmortem templates: the built-in ones, admins' own, and which one a
/// new postmortem gets for each severity.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let save = ServerAction::<SaveTemplate>::new();
    let defaults = ServerAction::<SetTemplateDefaults>::new();
    let admin = page_resource(
        move || (save.version().get(), defaults.version().get()),
        |_| get_templates(),
    );
    view! {
        <Title text="Postmortem templates"/>
        <div class="page narrow">
            <h1>"Postmortem templates"</h1>
            <AdminNav current="/admin/templates"/>
            <ActionError error=Signal::derive(move || save.value().get().and_then(Result::err))/>
            <ActionError error=Signal::derive(move || defaults.value().get().and_then(Result::err))/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match admin.await {
                        Ok(a) => view! { <Templates admin=a save defaults/> }.into_any(),
                        Err(error) => view! { <AdminError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Templates(
    admin: TemplateAdmin,
    save: ServerAction<SaveTemplate>,
    defaults: ServerAction<SetTemplateDefaults>,
) -> impl IntoView {
    let names: Vec<String> = admin.templates.iter().map(|t| t.name.clone()).collect();
    view! {
        <ActionForm action=defaults attr:class="card form-stack">
            <h2>"Default template per severity"</h2>
            {admin.defaults.into_iter().map(|(severity, chosen)| {
                let id = format!("default-{}", severity.slug());
                let field = format!("defaults[{}]", severity.slug());
                view! {
                    <div class="field">
                        <label for=id.clone()>{severity.as_str()}</label>
                        <select id=id name=field>
                            {names.iter().map(|n| view! { <option value=n.clone() selected=*n == chosen>{n.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            <div class="form-actions"><button type="submit" class="button button-primary">"Save defaults"</button></div>
        </ActionForm>
        {admin.templates.into_iter().map(|t| view! { <TemplateCard template=t save/> }).collect_view()}
        <ActionForm action=save attr:class="card form-stack">
            <h2>"New template"</h2>
            <div class="field"><label for="new-template-name">"Name (lower-case letters, digits, dashes)"</label><input type="text" id="new-template-name" name="template[name]" required/></div>
            <div class="field"><label for="new-template-label">"Label"</label><input type="text" id="new-template-label" name="template[label]" required/></div>
            <div class="field">
                <label for="new-template-sections">"Sections, one per line: Heading | what to write there"</label>
                <textarea id="new-template-sections" name="template[sections]" rows=6></textarea>
            </div>
            <div class="form-actions"><button type="submit" class="button button-primary">"Add template"</button></div>
        </ActionForm>
    }
}

#[component]
fn TemplateCard(template: TemplateView, save: ServerAction<SaveTemplate>) -> impl IntoView {
    let id = format!("template-{}-sections", template.name);
    if template.built_in {
        return view! {
            <section class="card">
                <h2>{template.label}" "<span class="hint">"(built in)"</span></h2>
                <pre class="template-sections">{template.sections_text}</pre>
            </section>
        }
        .into_any();
    }
    view! {
        <ActionForm action=save attr:class="card form-stack">
            <h2>{template.label.clone()}" "<code>{template.name.clone()}</code></h2>
            <input type="hidden" name="template[name]" value=template.name.clone()/>
            <input type="hidden" name="template[version]" value=template.version/>
            <div class="field"><label for=format!("{id}-label")>"Label"</label><input type="text" id=format!("{id}-label") name="template[label]" value=template.label/></div>
            <div class="field">
                <label for=id.clone()>"Sections, one per line: Heading | what to write there"</label>
                <textarea id=id name="template[sections]" rows=6>{crate::components::textarea_text(&template.sections_text)}</textarea>
            </div>
            <div class="form-actions"><button type="submit" class="button">"Save template"</button></div>
        </ActionForm>
    }
    .into_any()
}
