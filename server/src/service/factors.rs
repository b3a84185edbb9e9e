//! Contributing factors on incidents, from the admin-edited taxonomy.
//! Several per incident, each with why it contributed: never one root
//! cause, and never a person (the taxonomy names conditions, not people).
use app::domain::{Role, parse_optional_line};
use app::model::{Factor, FactorInput, FactorRemoval, IncidentFactor, TaxonomyChange};
use app::port::Actor;

use super::audit_diff::change;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now};
use crate::store::{FactorWrite, StoreError};

const MAX_EXPLANATION_CHARS: usize = 2000;
const MAX_FACTOR_NAME_CHARS: usize = 60;

fn parse_explanation(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > MAX_EXPLANATION_CHARS {
        return Err(format!(
            "is too long: at most {MAX_EXPLANATION_CHARS} characters"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err("contains control characters".into());
    }
    Ok(text.to_string())
}

fn parse_factor_name(text: &str) -> Result<String, String> {
    let name = parse_optional_line(Some(text))?.ok_or_else(|| "is required".to_string())?;
    if name.chars().count() > MAX_FACTOR_NAME_CHARS {
        return Err(format!(
            "is too long: at most {MAX_FACTOR_NAME_CHARS} characters"
        ));
    }
    Ok(name.to_lowercase())
}

impl IncidentService {
    /// The factors offered when adding one: the taxonomy without retired entries.
    pub async fn active_taxonomy(&self) -> Result<Vec<Factor>, ServiceError> {
        Ok(self
            .store
            .taxonomy()
            .await?
            .into_iter()
            .filter(|f| !f.retired)
            .collect())
    }

    pub async fn taxonomy(&self, actor: &Actor) -> Result<Vec<Factor>, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        Ok(self.store.taxonomy().await?)
    }

    pub async fn add_factor(
        &self,
        input: FactorInput,
        actor: &Actor,
    ) -> Result<Vec<IncidentFactor>, ServiceError> {
        access::require(actor, Role::Responder)?;
        let incident = self.load(self.incident_id(&input.incident)?).await?;
        let mut p = Problems::default();
        let wanted = input.factor.trim().to_lowercase();
        let taxonomy = self.active_taxonomy().await?;
        let factor = taxonomy.iter().find(|f| f.name.to_lowercase() == wanted);
        if factor.is_none() {
            let names: Vec<&str> = taxonomy.iter().map(|f| f.name.as_str()).collect();
            p.add(
                "factor",
                format!("is not in the taxonomy; pick one of: {}", names.join(", ")),
            );
        }
        let explanation = p.check("explanation", parse_explanation(&input.explanation));
        p.finish()?;
        let (Some(factor), Some(explanation)) = (factor, explanation) else {
            return Err(ServiceError::Internal("validated factor missing".into()));
        };
        let (by, _) = access::author(actor);
        let diff = change(
            "factor",
            None,
            Some(format!("{}: {explanation}", factor.name)),
        );
        let audit = access::audit(actor, "factor.add", vec![diff]);
        match self
            .store
            .add_incident_factor(
                incident.id,
                factor.id,
                &explanation,
                by.as_deref(),
                now(),
                &audit,
            )
            .await
        {
            Err(StoreError::Duplicate) => Err(ServiceError::invalid(
                "factor",
                format!("{} is already listed for this incident", factor.name),
            )),
            other => other.map_err(ServiceError::from),
        }?;
        Ok(self.store.incident_factors(incident.id).await?)
    }

    pub async fn remove_factor(
        &self,
        input: FactorRemoval,
        actor: &Actor,
    ) -> Result<Vec<IncidentFactor>, ServiceError> {
        access::require(actor, Role::Responder)?;
        let incident = self.load(self.incident_id(&input.incident)?).await?;
        let current = self.store.incident_factors(incident.id).await?;
        let Some(gone) = current.iter().find(|f| f.id == input.id) else {
            return Err(ServiceError::NotFound(format!(
                "contributing factor {}",
                input.id
            )));
        };
        let diff = change("factor", Some(gone.factor.clone()), None);
        let audit = access::audit(actor, "factor.remove", vec![diff]);
        self.store
            .remove_incident_factor(incident.id, input.id, now(), &audit)
            .await?;
        Ok(self.store.incident_factors(incident.id).await?)
    }

    /// An admin adds a factor to the taxonomy, or renames, describes or retires one.
    pub async fn change_taxonomy(
        &self,
        input: TaxonomyChange,
        actor: &Actor,
    ) -> Result<Factor, ServiceError> {
        access::require(actor, Role::Admin)?;
        let mut p = Problems::default();
        let name = p.check("name", parse_factor_name(&input.name));
        let description = p
            .check("description", parse_optional_line(Some(&input.description)))
            .flatten();
        p.finish()?;
        let write = FactorWrite {
            name: name.unwrap_or_default(),
            description: description.unwrap_or_default(),
            retired: input.retired.is_some(),
        };
        let taken = |e| match e {
            StoreError::Duplicate => {
                ServiceError::invalid("name", format!("{} is already in the taxonomy", write.name))
            }
            other => other.into(),
        };
        let diff = change(
            "factor",
            None,
            Some(format!("{} (retired: {})", write.name, write.retired)),
        );
        let audit = access::audit(actor, "factor.taxonomy", vec![diff]);
        match (input.id, input.version) {
            (None, _) => self
                .store
                .insert_factor(&write, now(), &audit)
                .await
                .map_err(taken),
            (Some(id), Some(version)) => match self
                .store
                .update_factor(id, version, &write, now(), &audit)
                .await
            {
                Err(StoreError::VersionConflict) => {
                    let now_at = self
                        .store
                        .taxonomy()
                        .await?
                        .into_iter()
                        .find(|f| f.id == id);
                    let current_version = now_at.map(|f| f.version).unwrap_or(version);
                    Err(ServiceError::Conflict {
                        current_version,
                        changes: Vec::new(),
                    })
                }
                Err(StoreError::NotFound) => Err(ServiceError::NotFound(format!("factor {id}"))),
                other => other.map_err(taken),
            },
            (Some(_), None) => Err(ServiceError::invalid(
                "version",
                "is required to change a factor",
            )),
        }
    }
}
