//! Completion figures computed the same way for every backend.

/// Done items as a share of the items that count (all but won't-do);
/// `None` when none count.
pub(in crate::store) fn completion_rate(total: i64, done: i64, wont_do: i64) -> Option<f64> {
    let counted = total - wont_do;
    (counted > 0).then(|| done as f64 / counted as f64)
}
