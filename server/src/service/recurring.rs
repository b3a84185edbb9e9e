//! Recurring causes: factors and services ranked, incidents marked as
//! repeats, and clusters of alike incidents found by the search index.
use std::collections::{BTreeMap, HashMap};

use app::model::{IncidentLink, InsightsQuery, RecurringCauses, SimilarCluster, SimilarIncidents};
use app::port::Actor;

use super::insights::insight_filter;
use super::{IncidentService, ServiceError, access};

/// How many of the newest incidents are compared with the rest.
const COMPARED: i64 = 60;
/// Each compared incident links to at most this many neighbours.
const NEIGHBOURS: usize = 3;
/// A link needs at least this many shared key terms.
const MIN_SHARED_TERMS: usize = 3;
/// Links never grow a cluster beyond this, so one busy incident cannot
/// chain everything into one group.
const MAX_CLUSTER: usize = 8;

/// Union-find over incident ids, with each group's size.
#[derive(Default)]
struct Groups(HashMap<i64, i64>, HashMap<i64, usize>);

impl Groups {
    fn root(&mut self, id: i64) -> i64 {
        let parent = *self.0.entry(id).or_insert(id);
        if parent == id {
            return id;
        }
        let root = self.root(parent);
        self.0.insert(id, root);
        root
    }

    fn size(&self, root: i64) -> usize {
        self.1.get(&root).copied().unwrap_or(1)
    }

    /// Joins the groups of `a` and `b` unless the result would be too big.
    fn join(&mut self, a: i64, b: i64) -> bool {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return true;
        }
        let size = self.size(ra) + self.size(rb);
        if size > MAX_CLUSTER {
            return false;
        }
        self.0.insert(ra.max(rb), ra.min(rb));
        self.1.insert(ra.min(rb), size);
        true
    }
}

/// Groups incidents that name each other among their nearest neighbours.
fn clusters(seeds: &[IncidentLink], found: &[(i64, SimilarIncidents)]) -> Vec<SimilarCluster> {
    let mut groups = Groups::default();
    let mut titles: HashMap<i64, IncidentLink> = seeds.iter().map(|l| (l.id, l.clone())).collect();
    let mut terms: HashMap<(i64, i64), Vec<String>> = HashMap::new();
    // Strongest links first, so the size cap keeps the closest neighbours.
    let mut links: Vec<(i64, &app::model::SimilarHit)> = found
        .iter()
        .flat_map(|(id, similar)| similar.hits.iter().take(NEIGHBOURS).map(move |h| (*id, h)))
        .filter(|(_, hit)| hit.matched_terms.len() >= MIN_SHARED_TERMS)
        .collect();
    links.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    for (id, hit) in links {
        if !groups.join(id, hit.id) {
            continue;
        }
        titles.entry(hit.id).or_insert_with(|| IncidentLink {
            id: hit.id,
            human_id: hit.human_id.clone(),
            title: hit.title.clone(),
        });
        terms.insert((id, hit.id), hit.matched_terms.clone());
    }
    let mut members: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let ids: Vec<i64> = titles.keys().copied().collect();
    for id in ids {
        let root = groups.root(id);
        members.entry(root).or_default().push(id);
    }
    let mut out: Vec<SimilarCluster> = members
        .into_iter()
        .filter(|(_, m)| m.len() >= 2)
        .map(|(_, mut m)| {
            m.sort_unstable();
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for ((a, _), words) in &terms {
                if m.contains(a) {
                    for w in words {
                        *counts.entry(w.as_str()).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            SimilarCluster {
                terms: ranked
                    .into_iter()
                    .take(5)
                    .map(|(w, _)| w.to_string())
                    .collect(),
                incidents: m.iter().filter_map(|id| titles.get(id).cloned()).collect(),
            }
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.incidents.len()));
    out
}

impl IncidentService {
    pub async fn recurring_causes(
        &self,
        query: InsightsQuery,
        actor: &Actor,
    ) -> Result<RecurringCauses, ServiceError> {
        access::require_reader(self.store.as_ref(), actor).await?;
        let f = insight_filter(&query)?;
        let seeds = self.store.newest_incidents(&f, COMPARED).await?;
        let mut found = Vec::with_capacity(seeds.len());
        for seed in &seeds {
            let similar = self.similar(&seed.id.to_string(), 5, actor).await?;
            found.push((seed.id, similar));
        }
        Ok(RecurringCauses {
            factors: self.store.factor_ranking(&f, 20).await?,
            services: self.store.service_ranking(&f, 20).await?,
            repeats: self.store.repeat_groups(&f, 50).await?,
            clusters: clusters(&seeds, &found),
            compared: seeds.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::SimilarHit;

    fn link(id: i64) -> IncidentLink {
        IncidentLink {
            id,
            human_id: format!("INC-{id}"),
            title: format!("t{id}"),
        }
    }

    fn hit(id: i64, words: &[&str]) -> SimilarHit {
        SimilarHit {
            id,
            human_id: format!("INC-{id}"),
            title: format!("t{id}"),
            score: 1.0,
            matched_terms: words.iter().map(|w| w.to_string()).collect(),
            resolution: None,
        }
    }

    #[test]
    fn incidents_sharing_enough_terms_cluster_and_others_do_not() {
        let seeds = vec![link(1), link(2), link(5)];
        let found = vec![
            (
                1,
                SimilarIncidents {
                    hits: vec![hit(3, &["dns", "resolver", "ttl"])],
                },
            ),
            (
                2,
                SimilarIncidents {
                    hits: vec![hit(3, &["dns", "ttl", "cache"])],
                },
            ),
            (
                5,
                SimilarIncidents {
                    hits: vec![hit(6, &["disk"])],
                },
            ),
        ];
        let c = clusters(&seeds, &found);
        assert_eq!(c.len(), 1);
        let ids: Vec<i64> = c[0].incidents.iter().map(|l| l.id).collect();
        assert_eq!(ids, vec![1, 2, 3]);
        assert_eq!(c[0].terms[..2], ["dns".to_string(), "ttl".to_string()]);
    }

    #[test]
    fn one_busy_incident_does_not_chain_everything_together() {
        let seeds: Vec<IncidentLink> = (1..=20).map(link).collect();
        let found: Vec<(i64, SimilarIncidents)> = (1..=20)
            .map(|id| {
                (
                    id,
                    SimilarIncidents {
                        hits: vec![hit(100, &["down", "error", "outage"])],
                    },
                )
            })
            .collect();
        let c = clusters(&seeds, &found);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].incidents.len(), MAX_CLUSTER);
    }
}
