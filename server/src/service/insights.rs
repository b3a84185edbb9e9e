//! Insights for leadership: TTD, TTA, TTM and TTR as defined in the
//! guide's `metrics.md`, frequency, recurring causes and follow-through.
//! Every figure is an SQL aggregate; the ranks a percentile needs are
//! chosen here (`domain::metrics`) and read by the store.
use app::domain::{DurationStats, Metric, Severity, needed_ranks, parse_timestamp, summary_ranks};
use app::model::{Insights, InsightsQuery, MetricSummary};
use app::port::Actor;
use chrono::{DateTime, NaiveDate, Utc};

use super::actions::today;
use super::insights_cache::{Answer, Reuse, SelectionKey};
use super::problems::Problems;
use super::{IncidentService, ServiceError, access, now};
use crate::store::{InsightFilter, SelectionTotals, StoreError, StoredMetric};

/// Insights reads run at most this many at once: the cores here, and half
/// the store's reader connections, so pages keep theirs during a recount.
pub(super) const READS_AT_ONCE: usize = 2;
/// How many incidents the open and excluded lists name.
const LISTED: i64 = 200;
/// How many factors and services the rankings show.
const RANKED: i64 = 15;

fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A day (`2026-01-31`, meaning its start in UTC) or an RFC 3339 time.
fn parse_bound(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    if let Ok(day) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    parse_timestamp(Some(text), now() + chrono::Duration::days(366 * 100))
        .map_err(|_| "must be a date (2026-01-31) or an RFC 3339 time".to_string())
}

/// The kept figures, saying when they were read and whether newer
/// changes are still being counted.
fn shown(answer: &Answer<Insights>, catching_up: bool) -> Insights {
    Insights {
        as_of: answer.read_at,
        catching_up,
        ..answer.value.as_ref().clone()
    }
}

pub(super) fn insight_filter(query: &InsightsQuery) -> Result<InsightFilter, ServiceError> {
    let mut p = Problems::default();
    let from = blank(&query.from)
        .and_then(|t| p.check("from", parse_bound(t)))
        .flatten();
    let to = blank(&query.to)
        .and_then(|t| p.check("to", parse_bound(t)))
        .flatten();
    if let (Some(a), Some(b)) = (from, to)
        && a >= b
    {
        p.add("to", "must be after from");
    }
    let severity = blank(&query.severity).and_then(|t| p.check("severity", Severity::parse(t)));
    p.finish()?;
    Ok(InsightFilter {
        from,
        to,
        severity,
        service: blank(&query.service).map(str::to_string),
        tag: blank(&query.tag).map(str::to_string),
        factor: blank(&query.factor).map(str::to_string),
        resolved_in: None,
    })
}

/// The metric's summary from its stored counts and ranks; `resolved` is
/// the selection's resolved incidents, for the count missing a timestamp.
fn summarize(metric: Metric, stored: StoredMetric, resolved: i64) -> MetricSummary {
    let ranked = stored.ranked;
    let at = |rank: u64| {
        ranked
            .binary_search_by_key(&rank, |(r, _)| *r)
            .ok()
            .map(|i| ranked[i].1)
    };
    let stats = DurationStats::from_ranks(stored.n, stored.sum_s, at);
    MetricSummary {
        n: stats.n,
        median_s: stats.median_s,
        p90_s: stats.p90_s,
        mean_s: stats.mean_s,
        from_field: metric.from_field().into(),
        to_field: metric.to_field().into(),
        small_sample: stats.small_sample,
        missing: (resolved.max(0) as u64).saturating_sub(stored.resolved_with),
        ecdf: stats.ecdf,
    }
}

impl IncidentService {
    /// Reads the metric's counts and the ranks its summary needs: only TTR
    /// is drawn as a distribution; the others need two or three ranks.
    async fn read_metric(
        &self,
        filter: &InsightFilter,
        metric: Metric,
    ) -> Result<StoredMetric, StoreError> {
        let ranks: &(dyn Fn(u64) -> Vec<u64> + Sync) = match metric {
            Metric::Ttr => &needed_ranks,
            _ => &summary_ranks,
        };
        self.store.metric(filter, metric, ranks).await
    }

    /// One metric's summary over a selection, with its totals.
    pub(super) async fn metric_summary(
        &self,
        filter: &InsightFilter,
        metric: Metric,
    ) -> Result<(MetricSummary, SelectionTotals), StoreError> {
        let totals = self.store.selection_totals(filter).await?;
        let stored = self.read_metric(filter, metric).await?;
        Ok((summarize(metric, stored, totals.resolved), totals))
    }

    pub async fn insights(
        &self,
        query: InsightsQuery,
        actor: &Actor,
    ) -> Result<Insights, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let key = SelectionKey {
            filter: insight_filter(&query)?,
            today: today(),
        };
        let state = self.store.change_mark().await?;
        if let Some(kept) = self.recent_insights.get(&key) {
            match kept.reuse(state, now()) {
                Reuse::Current => return Ok(shown(&kept, false)),
                Reuse::WhileRefreshing => {
                    if self.recent_insights.claim_refresh(&key) {
                        let service = self.clone();
                        tokio::spawn(async move { service.refresh_insights(key, state).await });
                    }
                    return Ok(shown(&kept, true));
                }
                Reuse::No => {}
            }
        }
        let fresh = self.read_insights(key, state).await?;
        Ok(shown(&fresh, false))
    }

    /// Counts every incident once, at start, so the first visit to
    /// Insights is served from kept figures. A failure is only logged: the
    /// page then computes for itself.
    pub async fn warm_insights(&self) {
        let key = SelectionKey {
            filter: InsightFilter::default(),
            today: today(),
        };
        let read = async {
            let state = self.store.change_mark().await?;
            self.read_insights(key, state).await
        };
        if let Err(error) = read.await {
            tracing::warn!(%error, "counting insights at start failed");
        }
    }

    async fn refresh_insights(&self, key: SelectionKey, state: i64) {
        if let Err(error) = self.read_insights(key.clone(), state).await {
            tracing::warn!(%error, "refreshing insights failed");
            self.recent_insights.release(&key);
        }
    }

    /// Computes the selection's figures as of `state` and keeps them.
    async fn read_insights(
        &self,
        key: SelectionKey,
        state: i64,
    ) -> Result<Answer<Insights>, ServiceError> {
        let (read_at, started) = (now(), std::time::Instant::now());
        let value = self.compute_insights(&key.filter).await?;
        let took = started.elapsed();
        let answer = Answer {
            value: std::sync::Arc::new(value),
            state,
            read_at,
            took,
            incidents: self.store.count_incidents().await?,
        };
        self.recent_insights.put(key, answer.clone());
        Ok(answer)
    }

    /// Runs one insights read when a slot is free, and logs (at debug) how
    /// long it took once it had one.
    async fn in_slot<T>(&self, name: &str, read: impl std::future::Future<Output = T>) -> T {
        let _slot = self.insight_reads.acquire().await.ok();
        let started = std::time::Instant::now();
        let out = read.await;
        tracing::debug!(
            read = name,
            ms = started.elapsed().as_secs_f64() * 1e3,
            "insights read"
        );
        out
    }

    /// Every figure is an independent read, so they run side by side, at
    /// most [`READS_AT_ONCE`] at a time.
    async fn compute_insights(&self, f: &InsightFilter) -> Result<Insights, ServiceError> {
        let store = self.store.as_ref();
        let (
            ttd,
            tta,
            ttm,
            ttr,
            totals,
            open,
            excluded,
            factors,
            services,
            per_month,
            ttr_trend,
            repeats,
            actions,
        ) = tokio::try_join!(
            self.in_slot("ttd", self.read_metric(f, Metric::Ttd)),
            self.in_slot("tta", self.read_metric(f, Metric::Tta)),
            self.in_slot("ttm", self.read_metric(f, Metric::Ttm)),
            self.in_slot("ttr", self.read_metric(f, Metric::Ttr)),
            self.in_slot("totals", store.selection_totals(f)),
            self.in_slot("open", store.open_incidents(f, LISTED)),
            self.in_slot("excluded", store.excluded_incidents(f, LISTED)),
            self.in_slot("factors", store.factor_ranking(f, RANKED)),
            self.in_slot("services", store.service_ranking(f, RANKED)),
            self.in_slot("per_month", store.per_month(f)),
            self.in_slot("ttr_trend", store.ttr_trend(f)),
            self.in_slot("repeats", store.repeat_groups(f, RANKED)),
            self.in_slot("actions", store.action_months(f, today())),
        )?;
        Ok(Insights {
            as_of: now(),
            catching_up: false,
            ttd: summarize(Metric::Ttd, ttd, totals.resolved),
            tta: summarize(Metric::Tta, tta, totals.resolved),
            ttm: summarize(Metric::Ttm, ttm, totals.resolved),
            ttr: summarize(Metric::Ttr, ttr, totals.resolved),
            total: totals.incidents,
            impact_minutes: (totals.impact_s as f64 / 60.0).round() as i64,
            open,
            excluded,
            factors,
            services,
            per_month,
            ttr_trend,
            repeats,
            actions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_take_days_or_times_and_must_be_in_order() {
        let q = InsightsQuery {
            from: Some("2026-01-01".into()),
            to: Some("2026-02-01T00:00:00Z".into()),
            severity: Some("sev2".into()),
            ..InsightsQuery::default()
        };
        let f = insight_filter(&q).unwrap();
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(f.severity, Some(Severity::Sev2));
        let backwards = InsightsQuery {
            from: Some("2026-02-01".into()),
            to: Some("2026-01-01".into()),
            ..InsightsQuery::default()
        };
        assert!(insight_filter(&backwards).is_err());
        let junk = InsightsQuery {
            from: Some("last tuesday".into()),
            ..InsightsQuery::default()
        };
        let Err(ServiceError::Invalid(fields)) = insight_filter(&junk) else {
            panic!("junk accepted");
        };
        assert_eq!(fields[0].field, "from");
    }
}
