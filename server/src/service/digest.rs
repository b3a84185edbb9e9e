//! The weekly digest for leadership: the week's new incidents, how fast
//! the week's resolutions came, and which action items are late.
use app::domain::Metric;
use app::model::WeeklyDigest;
use app::port::Actor;
use chrono::{Datelike, Duration, NaiveDate};

use super::actions::today;
use super::{IncidentService, ServiceError, access};
use crate::store::InsightFilter;

/// Monday of the week `week` (YYYY-MM-DD, any day in it), or of this week.
fn week_start(week: Option<&str>) -> Result<NaiveDate, ServiceError> {
    let day = match week.map(str::trim).filter(|w| !w.is_empty()) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| ServiceError::invalid("week", "must be a date written YYYY-MM-DD"))?,
        None => today(),
    };
    Ok(day - Duration::days(i64::from(day.weekday().num_days_from_monday())))
}

impl IncidentService {
    pub async fn weekly_digest(
        &self,
        week: Option<&str>,
        actor: &Actor,
    ) -> Result<WeeklyDigest, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let start = week_start(week)?;
        let end = start + Duration::days(7);
        let (from, to) = match (start.and_hms_opt(0, 0, 0), end.and_hms_opt(0, 0, 0)) {
            (Some(a), Some(b)) => (a.and_utc(), b.and_utc()),
            _ => return Err(ServiceError::invalid("week", "is out of range")),
        };
        let resolved = InsightFilter {
            resolved_in: Some((from, to)),
            ..InsightFilter::default()
        };
        let (ttr, totals) = self.metric_summary(&resolved, Metric::Ttr).await?;
        Ok(WeeklyDigest {
            week_start: start.to_string(),
            week_end: (end - Duration::days(1)).to_string(),
            new_incidents: self.store.declared_between(from, to).await?,
            resolved: totals.incidents,
            ttr,
            overdue: self.store.oldest_overdue(today(), 50).await?,
            completed_actions: self.store.completed_between(from, to).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let start = week_start(Some("2026-11-22")).unwrap();
        assert_eq!(start.to_string(), "2026-11-16");
        assert_eq!(week_start(Some("2026-11-16")).unwrap(), start);
        assert!(week_start(Some("next week")).is_err());
    }
}
