//! Postmortem templates: the built-in ones and admins' own, and which one a
//! new postmortem gets for each severity.
use app::domain::{
    Role, Severity, Template, built_in, parse_optional_line, parse_sections, parse_template_name,
    sections_text,
};
use app::model::{TemplateAdmin, TemplateDefaults, TemplateSave, TemplateView};
use app::port::Actor;

use super::audit_diff::change;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now};
use crate::store::StoreError;

/// The template a new postmortem gets when an admin has chosen none.
pub const FALLBACK_TEMPLATE: &str = "heroku";

impl IncidentService {
    /// Built-in templates first, then admins' own.
    pub async fn all_templates(&self) -> Result<Vec<Template>, ServiceError> {
        let mut all = built_in();
        all.extend(
            self.store
                .custom_templates()
                .await?
                .into_iter()
                .map(|(t, _)| t),
        );
        Ok(all)
    }

    pub async fn default_template(&self, severity: Severity) -> Result<String, ServiceError> {
        let defaults = self.store.template_defaults().await?;
        Ok(defaults
            .into_iter()
            .find(|(s, _)| *s == severity)
            .map(|(_, name)| name)
            .unwrap_or_else(|| FALLBACK_TEMPLATE.into()))
    }

    pub async fn template_admin(&self, actor: &Actor) -> Result<TemplateAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        let view = |t: &Template, built_in: bool, version: i64| TemplateView {
            name: t.name.clone(),
            label: t.label.clone(),
            sections_text: sections_text(&t.sections),
            built_in,
            version,
        };
        let mut templates: Vec<TemplateView> =
            built_in().iter().map(|t| view(t, true, 0)).collect();
        for (t, version) in self.store.custom_templates().await? {
            templates.push(view(&t, false, version));
        }
        let mut defaults = Vec::new();
        for severity in Severity::ALL {
            defaults.push((severity, self.default_template(severity).await?));
        }
        Ok(TemplateAdmin {
            templates,
            defaults,
        })
    }

    pub async fn save_template(
        &self,
        input: TemplateSave,
        actor: &Actor,
    ) -> Result<TemplateAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        let mut p = Problems::default();
        let name = p.check("name", parse_template_name(&input.name));
        if name
            .as_ref()
            .is_some_and(|n| built_in().iter().any(|t| &t.name == n))
        {
            p.add("name", "belongs to a built-in template; choose another");
        }
        let label = p
            .check("label", parse_optional_line(Some(&input.label)))
            .flatten();
        if label.is_none() {
            p.add("label", "is required");
        }
        let sections = p.check("sections", parse_sections(&input.sections));
        p.finish()?;
        let (Some(name), Some(label), Some(sections)) = (name, label, sections) else {
            return Err(ServiceError::Internal("validated template missing".into()));
        };
        let template = Template {
            name,
            label,
            sections,
        };
        let diff = change(
            &format!("template:{}", template.name),
            None,
            Some(sections_text(&template.sections)),
        );
        let audit = access::audit(actor, "template.save", vec![diff]);
        let saved = match input.version {
            None => self
                .store
                .insert_template(&template, now(), &audit)
                .await
                .map_err(|e| match e {
                    StoreError::Duplicate => {
                        ServiceError::invalid("name", format!("{} is taken", template.name))
                    }
                    other => other.into(),
                }),
            Some(version) => self
                .store
                .update_template(&template, version, now(), &audit)
                .await
                .map_err(|e| match e {
                    StoreError::VersionConflict => ServiceError::Conflict {
                        current_version: version + 1,
                        changes: Vec::new(),
                    },
                    StoreError::NotFound => {
                        ServiceError::NotFound(format!("template {}", template.name))
                    }
                    other => other.into(),
                }),
        };
        saved?;
        self.template_admin(actor).await
    }

    pub async fn set_template_defaults(
        &self,
        input: TemplateDefaults,
        actor: &Actor,
    ) -> Result<TemplateAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        let known: Vec<String> = self
            .all_templates()
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        let chosen = [
            (Severity::Sev1, "sev1", input.sev1),
            (Severity::Sev2, "sev2", input.sev2),
            (Severity::Sev3, "sev3", input.sev3),
            (Severity::Sev4, "sev4", input.sev4),
        ];
        let mut p = Problems::default();
        for (_, field, name) in &chosen {
            if !known.contains(name) {
                p.add(field, format!("there is no template called {name}"));
            }
        }
        p.finish()?;
        let defaults: Vec<(Severity, String)> =
            chosen.into_iter().map(|(s, _, n)| (s, n)).collect();
        let summary = defaults
            .iter()
            .map(|(s, n)| format!("{}={n}", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let audit = access::audit(
            actor,
            "template.defaults",
            vec![change("defaults", None, Some(summary))],
        );
        self.store
            .set_template_defaults(&defaults, now(), &audit)
            .await?;
        self.template_admin(actor).await
    }
}
