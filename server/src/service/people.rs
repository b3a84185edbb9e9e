//! People on an incident: a name that matches an account (by email or by
//! name) becomes a reference to that user; anything else stays free text.
use app::model::UserRef;

use super::{IncidentService, ServiceError};

impl IncidentService {
    /// Active users, for the "commander" suggestions.
    pub(super) async fn people(&self) -> Result<Vec<UserRef>, ServiceError> {
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| !u.summary.disabled)
            .map(|u| u.summary.to_ref())
            .collect())
    }

    /// The text to show and the user it names, if exactly one user matches.
    pub(super) async fn resolve_person(
        &self,
        text: Option<String>,
    ) -> Result<(Option<String>, Option<i64>), ServiceError> {
        let Some(text) = text else {
            return Ok((None, None));
        };
        let wanted = text.trim().to_lowercase();
        let people = self.people().await?;
        let by_email = people.iter().find(|p| p.email == wanted);
        let mut by_name = people.iter().filter(|p| p.name.to_lowercase() == wanted);
        let hit = by_email.or_else(|| match (by_name.next(), by_name.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        });
        Ok(match hit {
            Some(user) => (Some(user.name.clone()), Some(user.id)),
            None => (Some(text), None),
        })
    }
}
