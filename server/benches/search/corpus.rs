//! The seeded synthetic corpus and the mixed queries, written for each
//! engine's syntax.
use std::fmt::Write as _;

use app::domain::{Milestones, Severity, Status, human_id};
use app::model::Incident;
use chrono::{TimeZone, Utc};
use rand::Rng;
use rand::rngs::StdRng;

pub const SEED: u64 = 0x5eed_f12e;
const VOCABULARY: usize = 20_000;
pub const QUERIES: usize = 1_000;
pub const KINDS: [&str; 6] = ["term", "AND", "OR", "phrase", "prefix", "filter+text"];
const INCIDENT_WORDS: [&str; 24] = [
    "timeout",
    "dns",
    "latency",
    "outage",
    "deploy",
    "rollback",
    "database",
    "replica",
    "cache",
    "certificate",
    "kafka",
    "queue",
    "memory",
    "disk",
    "network",
    "partition",
    "leader",
    "election",
    "throttling",
    "retry",
    "storm",
    "cascade",
    "failover",
    "config",
];

pub struct Corpus {
    words: Vec<String>,
    cdf: Vec<f64>,
}

impl Corpus {
    pub fn new(rng: &mut StdRng) -> Self {
        let syllables = [
            "ka", "lo", "mi", "ner", "pa", "ros", "ti", "vu", "zen", "qua", "dor", "el", "fi",
            "gan", "hu",
        ];
        let mut words: Vec<String> = INCIDENT_WORDS.iter().map(|w| w.to_string()).collect();
        while words.len() < VOCABULARY {
            let n = rng.random_range(2..=4);
            let w: String = (0..n)
                .map(|_| syllables[rng.random_range(0..syllables.len())])
                .collect();
            if !words.contains(&w) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cdf = (1..=words.len())
            .map(|k| {
                total += 1.0 / (k as f64).powf(1.07);
                total
            })
            .collect::<Vec<_>>();
        let cdf = cdf.iter().map(|c| c / total).collect();
        Self { words, cdf }
    }

    pub fn word(&self, rng: &mut StdRng) -> &str {
        let x: f64 = rng.random();
        let i = self
            .cdf
            .partition_point(|c| *c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn text(&self, rng: &mut StdRng, n: usize) -> String {
        let mut out = String::with_capacity(n * 7);
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            match rng.random_range(0..100) {
                0 => write!(out, "ERR-{}", rng.random_range(100..999)).unwrap(),
                1 => write!(
                    out,
                    "web-{:02}.eu-west-{}",
                    rng.random_range(0..40),
                    rng.random_range(1..4)
                )
                .unwrap(),
                _ => out.push_str(self.word(rng)),
            }
        }
        out
    }

    pub fn incident(&self, rng: &mut StdRng, id: i64) -> Incident {
        let at = Utc
            .timestamp_opt(1_600_000_000 + rng.random_range(0..180_000_000), 0)
            .unwrap();
        let n = rng.random_range(40..120);
        let summary = self.text(rng, n);
        let n = rng.random_range(300..3000);
        let postmortem = self.text(rng, n);
        let n = rng.random_range(4..10);
        let title = self.text(rng, n);
        Incident {
            id,
            human_id: human_id(id),
            title,
            summary: format!("{summary}\n\n{postmortem}"),
            summary_html: String::new(),
            severity: Severity::ALL[rng.random_range(0..4)],
            status: Status::Resolved,
            services: vec![format!("svc-{}", rng.random_range(0..50))],
            tags: vec![INCIDENT_WORDS[rng.random_range(0..INCIDENT_WORDS.len())].to_string()],
            commander: None,
            commander_user: None,
            comms_lead: None,
            comms_lead_user: None,
            customer_impact: None,
            repeat_of: None,
            duplicate_of: None,
            decline_reason: None,
            external_id: None,
            milestones: Milestones {
                started_at: Some(at),
                ..Default::default()
            },
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }
}

/// One query in Firebreak's syntax and in FTS5's.
pub struct BenchQuery {
    pub kind: usize,
    pub firebreak: String,
    pub fts: String,
    /// A `to_tsquery` expression.
    pub tsquery: String,
    pub severity: Option<&'static str>,
}

pub fn queries(corpus: &Corpus, rng: &mut StdRng) -> Vec<BenchQuery> {
    (0..QUERIES)
        .map(|i| {
            let kind = i % KINDS.len();
            let (a, b) = (corpus.word(rng).to_string(), corpus.word(rng).to_string());
            let (firebreak, fts, tsquery, severity) = match kind {
                0 => (a.clone(), a.clone(), a.clone(), None),
                1 => (
                    format!("{a} {b}"),
                    format!("{a} AND {b}"),
                    format!("{a} & {b}"),
                    None,
                ),
                2 => (
                    format!("{a} OR {b}"),
                    format!("{a} OR {b}"),
                    format!("{a} | {b}"),
                    None,
                ),
                3 => (
                    format!("\"{a} {b}\""),
                    format!("\"{a} {b}\""),
                    format!("{a} <-> {b}"),
                    None,
                ),
                4 => {
                    let p: String = a.chars().take(4).collect();
                    (format!("{p}*"), format!("{p}*"), format!("{p}:*"), None)
                }
                _ => (
                    format!("{a} severity:sev1"),
                    a.clone(),
                    a.clone(),
                    Some("SEV1"),
                ),
            };
            BenchQuery {
                kind,
                firebreak,
                fts,
                tsquery,
                severity,
            }
        })
        .collect()
}
