//! Percentiles per query kind.
use std::time::Duration;

use super::corpus::KINDS;

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// p50 and p99 in ms per query kind, and over all.
pub fn summarize(times: &[(usize, Duration)]) -> Vec<(String, f64, f64)> {
    let mut rows = Vec::new();
    for (k, name) in KINDS.iter().enumerate() {
        let mut t: Vec<Duration> = times
            .iter()
            .filter(|(kind, _)| *kind == k)
            .map(|(_, d)| *d)
            .collect();
        t.sort();
        rows.push((name.to_string(), percentile(&t, 0.5), percentile(&t, 0.99)));
    }
    let mut all: Vec<Duration> = times.iter().map(|(_, d)| *d).collect();
    all.sort();
    rows.push(("all".into(), percentile(&all, 0.5), percentile(&all, 0.99)));
    rows
}
