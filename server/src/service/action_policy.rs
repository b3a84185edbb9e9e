//! Admins' settings for action items: due days per severity, whether a
//! postmortem may be marked complete with items open, and which team owns
//! each service. Every change carries a version and is audited.
use app::domain::{DueDays, Role, parse_optional_line};
use app::model::{ActionAdmin, ActionPolicy, ActionPolicyInput, TeamInput};
use app::port::Actor;

use super::audit_diff::change;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now};
use crate::store::StoreError;

const MAX_TEAM_CHARS: usize = 80;

fn parse_days(text: &str) -> Result<i64, String> {
    let days: i64 = text
        .trim()
        .parse()
        .map_err(|_| "must be a whole number of days".to_string())?;
    if !(1..=DueDays::MAX).contains(&days) {
        return Err(format!("must be between 1 and {} days", DueDays::MAX));
    }
    Ok(days)
}

impl IncidentService {
    pub async fn action_admin(&self, actor: &Actor) -> Result<ActionAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        Ok(ActionAdmin {
            policy: self.store.action_policy().await?,
            teams: self.store.service_teams().await?,
        })
    }

    pub async fn change_action_policy(
        &self,
        input: ActionPolicyInput,
        actor: &Actor,
    ) -> Result<ActionAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        let mut p = Problems::default();
        let sev1 = p.check("sev1_days", parse_days(&input.sev1_days));
        let sev2 = p.check("sev2_days", parse_days(&input.sev2_days));
        let sev3 = p.check("sev3_days", parse_days(&input.sev3_days));
        let sev4 = p.check("sev4_days", parse_days(&input.sev4_days));
        p.finish()?;
        let current = self.store.action_policy().await?;
        let next = ActionPolicy {
            due_days: DueDays {
                sev1: sev1.unwrap_or(current.due_days.sev1),
                sev2: sev2.unwrap_or(current.due_days.sev2),
                sev3: sev3.unwrap_or(current.due_days.sev3),
                sev4: sev4.unwrap_or(current.due_days.sev4),
            },
            complete_requires_actions: input.complete_requires_actions.is_some(),
            version: input.version,
        };
        let diff = change(
            "action_policy",
            Some(format!("{:?}", current.due_days)),
            Some(format!(
                "{:?}, complete requires closed items: {}",
                next.due_days, next.complete_requires_actions
            )),
        );
        let audit = access::audit(actor, "action.policy", vec![diff]);
        match self.store.update_action_policy(&next, now(), &audit).await {
            Err(StoreError::VersionConflict) => Err(ServiceError::Conflict {
                current_version: current.version,
                changes: Vec::new(),
            }),
            other => other.map(|_| ()).map_err(ServiceError::from),
        }?;
        self.action_admin(actor).await
    }

    pub async fn set_service_team(
        &self,
        input: TeamInput,
        actor: &Actor,
    ) -> Result<ActionAdmin, ServiceError> {
        access::require(actor, Role::Admin)?;
        let mut p = Problems::default();
        let service = p
            .check("service", parse_optional_line(Some(&input.service)))
            .flatten();
        if service.is_none() {
            p.add("service", "is required");
        }
        let team = p
            .check("team", parse_optional_line(Some(&input.team)))
            .flatten();
        if team
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_TEAM_CHARS)
        {
            p.add(
                "team",
                format!("is too long: at most {MAX_TEAM_CHARS} characters"),
            );
        }
        p.finish()?;
        let service = service.unwrap_or_default();
        let diff = change(
            "team",
            None,
            Some(format!(
                "{service}: {}",
                team.as_deref().unwrap_or("(none)")
            )),
        );
        let audit = access::audit(actor, "service.team", vec![diff]);
        match self
            .store
            .set_service_team(&service, team.as_deref(), input.version, now(), &audit)
            .await
        {
            Err(StoreError::VersionConflict) => {
                let current = self.store.service_teams().await?;
                let version = current
                    .iter()
                    .find(|t| t.service == service)
                    .map_or(0, |t| t.version);
                Err(ServiceError::Conflict {
                    current_version: version,
                    changes: Vec::new(),
                })
            }
            other => other.map_err(ServiceError::from),
        }?;
        self.action_admin(actor).await
    }
}
