//! Grouping the bulk reads behind the search index's sources.
use std::collections::HashMap;

/// Groups `(incident id, item)` pairs by incident, keeping their order.
pub(in crate::store) fn by_incident<T>(
    pairs: impl IntoIterator<Item = (i64, T)>,
) -> HashMap<i64, Vec<T>> {
    let mut grouped: HashMap<i64, Vec<T>> = HashMap::new();
    for (id, item) in pairs {
        grouped.entry(id).or_default().push(item);
    }
    grouped
}
