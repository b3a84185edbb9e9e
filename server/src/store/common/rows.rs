//! Decoding helpers every backend's `rows.rs` shares.

/// A comma-separated label list (`group_concat`/`string_agg` of services or
/// tags); `None` (no labels) is empty.
pub(in crate::store) fn labels(csv: Option<String>) -> Vec<String> {
    csv.map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default()
}
