//! Incident metrics, defined honestly (see `metrics.md` in the guide).
//! Each metric is a pair of timestamps; durations are exact seconds; the
//! median of an even sample is the mean of the two middle values; p90 is
//! the nearest-rank 90th percentile. Open incidents have no duration and
//! are never filled in with "now".
use serde::{Deserialize, Serialize};

/// Below this many incidents the median and the mean swing widely.
pub const SMALL_SAMPLE: u64 = 20;
/// How many points an ECDF keeps, at most.
pub const ECDF_POINTS: u64 = 100;

/// One of the four durations leadership reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Ttd,
    Tta,
    Ttm,
    Ttr,
}

impl Metric {
    pub const ALL: [Metric; 4] = [Self::Ttd, Self::Tta, Self::Ttm, Self::Ttr];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ttd => "ttd",
            Self::Tta => "tta",
            Self::Ttm => "ttm",
            Self::Ttr => "ttr",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ttd => "Time to detect",
            Self::Tta => "Time to acknowledge",
            Self::Ttm => "Time to mitigate",
            Self::Ttr => "Time to resolve",
        }
    }

    /// The timestamp the duration starts from.
    pub fn from_field(self) -> &'static str {
        match self {
            Self::Ttd | Self::Ttm | Self::Ttr => "started_at",
            Self::Tta => "detected_at",
        }
    }

    /// The timestamp the duration ends at.
    pub fn to_field(self) -> &'static str {
        match self {
            Self::Ttd => "detected_at",
            Self::Tta => "acknowledged_at",
            Self::Ttm => "mitigated_at",
            Self::Ttr => "resolved_at",
        }
    }
}

/// The 1-based ranks whose mean is the median of `n` sorted values.
pub fn median_ranks(n: u64) -> Option<(u64, u64)> {
    match n {
        0 => None,
        n if n % 2 == 1 => Some((n / 2 + 1, n / 2 + 1)),
        n => Some((n / 2, n / 2 + 1)),
    }
}

/// The nearest-rank 90th percentile: the value at rank ⌈0.9·n⌉.
pub fn p90_rank(n: u64) -> Option<u64> {
    (n > 0).then(|| (9 * n).div_ceil(10))
}

/// The ranks an ECDF of `n` values is drawn from: at most
/// [`ECDF_POINTS`], evenly spaced, always ending at `n`.
pub fn ecdf_ranks(n: u64) -> Vec<u64> {
    if n == 0 {
        return Vec::new();
    }
    let points = n.min(ECDF_POINTS);
    (1..=points).map(|i| (i * n).div_ceil(points)).collect()
}

/// The ranks the median and p90 of `n` values need, sorted, without repeats.
pub fn summary_ranks(n: u64) -> Vec<u64> {
    let mut ranks: Vec<u64> = median_ranks(n).map(|(a, b)| vec![a, b]).unwrap_or_default();
    ranks.extend(p90_rank(n));
    ranks.sort_unstable();
    ranks.dedup();
    ranks
}

/// Every rank the summary and the ECDF of `n` values need, sorted, without repeats.
pub fn needed_ranks(n: u64) -> Vec<u64> {
    let mut ranks = ecdf_ranks(n);
    ranks.extend(summary_ranks(n));
    ranks.sort_unstable();
    ranks.dedup();
    ranks
}

/// n, median, p90 and mean of one metric, with the distribution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DurationStats {
    pub n: u64,
    pub median_s: Option<f64>,
    pub p90_s: Option<i64>,
    pub mean_s: Option<f64>,
    pub small_sample: bool,
    /// `(seconds, fraction of incidents at or below)`, ascending.
    pub ecdf: Vec<(i64, f64)>,
}

impl DurationStats {
    /// From the count, the sum and the value at each of [`needed_ranks`].
    pub fn from_ranks(n: u64, sum_s: i64, at: impl Fn(u64) -> Option<i64>) -> Self {
        let median_s = median_ranks(n).and_then(|(a, b)| Some((at(a)? + at(b)?) as f64 / 2.0));
        Self {
            n,
            median_s,
            p90_s: p90_rank(n).and_then(&at),
            mean_s: (n > 0).then(|| sum_s as f64 / n as f64),
            small_sample: n < SMALL_SAMPLE,
            ecdf: ecdf_ranks(n)
                .into_iter()
                .filter_map(|r| Some((at(r)?, r as f64 / n as f64)))
                .collect(),
        }
    }

    /// From every value (tests, and small sets).
    pub fn from_values(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        let sum = values.iter().sum();
        Self::from_ranks(values.len() as u64, sum, |r| {
            values.get(r.checked_sub(1)? as usize).copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_samples() {
        let odd = DurationStats::from_values(vec![300, 60, 120]);
        assert_eq!(odd.n, 3);
        assert_eq!(odd.median_s, Some(120.0));
        let even = DurationStats::from_values(vec![60, 120, 300, 7200]);
        assert_eq!(even.median_s, Some(210.0));
        assert_eq!(even.mean_s, Some(1920.0));
    }

    #[test]
    fn p90_is_nearest_rank() {
        let ten: Vec<i64> = (1..=10).map(|i| i * 100).collect();
        assert_eq!(DurationStats::from_values(ten).p90_s, Some(900));
        let eleven: Vec<i64> = (1..=11).collect();
        // ⌈9.9⌉ = 10th value.
        assert_eq!(DurationStats::from_values(eleven).p90_s, Some(10));
        assert_eq!(DurationStats::from_values(vec![42]).p90_s, Some(42));
    }

    #[test]
    fn seconds_are_never_truncated() {
        // 1 h 59 m 59 s is not "1 hour".
        let s = DurationStats::from_values(vec![7199]);
        assert_eq!(s.median_s, Some(7199.0));
        assert_eq!(s.p90_s, Some(7199));
    }

    #[test]
    fn small_samples_are_flagged_and_empty_has_no_numbers() {
        let empty = DurationStats::from_values(Vec::new());
        assert_eq!(empty.n, 0);
        assert_eq!(empty.median_s, None);
        assert_eq!(empty.mean_s, None);
        assert!(empty.small_sample);
        assert!(DurationStats::from_values((0..19).collect()).small_sample);
        assert!(!DurationStats::from_values((0..20).collect()).small_sample);
    }

    #[test]
    fn ecdf_ends_at_one_and_is_capped() {
        let s = DurationStats::from_values((1..=1000).collect());
        assert_eq!(s.ecdf.len() as u64, ECDF_POINTS);
        assert_eq!(s.ecdf.last(), Some(&(1000, 1.0)));
        assert_eq!(s.ecdf[0], (10, 0.01));
        let few = DurationStats::from_values(vec![5, 1, 3]);
        assert_eq!(few.ecdf, vec![(1, 1.0 / 3.0), (3, 2.0 / 3.0), (5, 1.0)]);
        assert!(needed_ranks(4).windows(2).all(|w| w[0] < w[1]));
        assert_eq!(summary_ranks(4), vec![2, 3, 4]);
        assert_eq!(summary_ranks(5), vec![3, 5]);
        assert!(summary_ranks(0).is_empty());
    }

    #[test]
    fn each_metric_names_its_pair() {
        assert_eq!(Metric::Tta.from_field(), "detected_at");
        assert_eq!(Metric::Ttm.to_field(), "mitigated_at");
        assert_eq!(Metric::Ttr.from_field(), "started_at");
    }
}
