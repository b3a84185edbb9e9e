//! The action-item board: open items across incidents, filtered by owner,
//! service, team, severity, status and overdue, with completion figures
//! per severity and per team.
use app::domain::{ActionStatus, DurationStats, Role, Severity};
use app::model::{ActionBoard, ActionItem, ActionQuery, ActionStats};
use app::port::Actor;

use super::actions::today;
use super::problems::Problems;
use super::{IncidentService, ServiceError, access};
use crate::store::{ActionFilter, ActionSort, StatsGroup};

/// The most items one board or API call returns.
pub const MAX_ACTIONS: i64 = 1000;

fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn parse_sort(text: &str) -> Result<ActionSort, String> {
    Ok(match text {
        "due" => ActionSort::Due,
        "priority" => ActionSort::Priority,
        "severity" => ActionSort::Severity,
        "owner" => ActionSort::Owner,
        "status" => ActionSort::Status,
        "incident" => ActionSort::Incident,
        "created" => ActionSort::Created,
        _ => return Err("use due, priority, severity, owner, status, incident or created".into()),
    })
}

fn parse_statuses(text: Option<&str>) -> Result<Vec<ActionStatus>, String> {
    match text {
        None | Some("open") => Ok(ActionStatus::ALL
            .into_iter()
            .filter(|s| !s.is_closed())
            .collect()),
        Some("all") => Ok(Vec::new()),
        Some(one) => {
            let exact = one.strip_prefix('=').unwrap_or(one);
            Ok(vec![ActionStatus::parse(exact).map_err(|_| {
                "use open (not closed), all, or one of =open, in_progress, blocked, done, wont_do".to_string()
            })?])
        }
    }
}

impl IncidentService {
    /// Reads the board's filters; `owner=me` is the caller.
    async fn action_filter(
        &self,
        query: &ActionQuery,
        actor: &Actor,
    ) -> Result<ActionFilter, ServiceError> {
        let mut p = Problems::default();
        let statuses = p.check("status", parse_statuses(blank(&query.status)));
        let owner_id = match blank(&query.owner) {
            None => None,
            Some("me") => match actor.caller.user() {
                Some(u) => Some(u.id),
                None => {
                    p.add("owner", "me means the signed-in user; sign in first");
                    None
                }
            },
            Some(text) => {
                let people = self.people().await?;
                p.check("owner", super::action_fields::parse_owner(text, &people))
                    .flatten()
            }
        };
        let severity = blank(&query.severity).and_then(|t| p.check("severity", Severity::parse(t)));
        let sort = blank(&query.sort).and_then(|t| p.check("sort", parse_sort(t)));
        let overdue = match blank(&query.overdue) {
            None | Some("false") => false,
            Some("true" | "on") => true,
            Some(_) => {
                p.add("overdue", "use true or false");
                false
            }
        };
        let incident_id = match blank(&query.incident) {
            Some(t) => Some(self.incident_id(t)?),
            None => None,
        };
        let descending = match blank(&query.dir) {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                p.add("dir", "use asc or desc");
                false
            }
        };
        p.finish()?;
        Ok(ActionFilter {
            statuses: statuses.unwrap_or_default(),
            owner_id,
            service: blank(&query.service).map(str::to_string),
            severity,
            team: blank(&query.team).map(str::to_string),
            overdue_before: overdue.then(today),
            incident_id,
            sort: sort.unwrap_or_default(),
            descending,
            limit: MAX_ACTIONS,
        })
    }

    /// Items matching `query`, for the API and the CSV export.
    pub async fn list_actions(
        &self,
        query: ActionQuery,
        actor: &Actor,
    ) -> Result<Vec<ActionItem>, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let filter = self.action_filter(&query, actor).await?;
        Ok(self.store.actions(&filter, today()).await?)
    }

    /// Every item of one incident, oldest first.
    pub async fn incident_actions(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Vec<ActionItem>, ServiceError> {
        let query = ActionQuery {
            incident: Some(id.to_string()),
            status: Some("all".into()),
            sort: Some("created".into()),
            ..ActionQuery::default()
        };
        self.existing(id).await?;
        self.list_actions(query, actor).await
    }

    pub async fn action_board(
        &self,
        query: ActionQuery,
        actor: &Actor,
    ) -> Result<ActionBoard, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let filter = self.action_filter(&query, actor).await?;
        let today = today();
        // One read serves both filters: the services, and the teams that own them.
        let service_teams = self.store.service_teams().await?;
        let services = service_teams.iter().map(|t| t.service.clone()).collect();
        let mut teams: Vec<String> = service_teams.into_iter().filter_map(|t| t.team).collect();
        teams.sort();
        teams.dedup();
        Ok(ActionBoard {
            items: self.store.actions(&filter, today).await?,
            by_severity: self.stats(StatsGroup::Severity).await?,
            by_team: self.stats(StatsGroup::Team).await?,
            oldest_overdue: self.store.oldest_overdue(today, 10).await?,
            owners: self.people().await?,
            services,
            teams,
            viewer_id: actor.caller.user().map(|u| u.id),
            can_edit: access::require(actor, Role::Responder).is_ok(),
            today,
        })
    }

    async fn stats(&self, group: StatsGroup) -> Result<Vec<ActionStats>, ServiceError> {
        Ok(self
            .store
            .action_stats(group, today())
            .await?
            .into_iter()
            .map(|s| ActionStats {
                median_time_to_complete_s: DurationStats::from_values(s.durations_s).median_s,
                ..s.stats
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_means_not_closed_and_exact_statuses_take_an_equals_sign() {
        let open = parse_statuses(None).unwrap();
        assert_eq!(open.len(), 3);
        assert!(open.iter().all(|s| !s.is_closed()));
        assert!(parse_statuses(Some("all")).unwrap().is_empty());
        assert_eq!(parse_statuses(Some("=done")), Ok(vec![ActionStatus::Done]));
        assert_eq!(
            parse_statuses(Some("blocked")),
            Ok(vec![ActionStatus::Blocked])
        );
        assert!(parse_statuses(Some("finished")).is_err());
        assert!(parse_sort("due").is_ok());
        assert!(parse_sort("'; drop").is_err());
    }
}
