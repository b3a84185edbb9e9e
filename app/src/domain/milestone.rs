use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The moments in an incident's life (see shared metrics definitions).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    Started,
    Detected,
    Declared,
    Acknowledged,
    Mitigated,
    Resolved,
}

impl Milestone {
    pub const ALL: [Milestone; 6] = [
        Self::Started,
        Self::Detected,
        Self::Declared,
        Self::Acknowledged,
        Self::Mitigated,
        Self::Resolved,
    ];

    /// The order that must hold where both ends are set. Declared is outside
    /// it: it only has to come after started.
    pub const ORDERED: [Milestone; 5] = [
        Self::Started,
        Self::Detected,
        Self::Acknowledged,
        Self::Mitigated,
        Self::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Started => "started",
            Self::Detected => "detected",
            Self::Declared => "declared",
            Self::Acknowledged => "acknowledged",
            Self::Mitigated => "mitigated",
            Self::Resolved => "resolved",
        }
    }

    /// The API field name: `started_at`.
    pub fn field(self) -> &'static str {
        match self {
            Self::Started => "started_at",
            Self::Detected => "detected_at",
            Self::Declared => "declared_at",
            Self::Acknowledged => "acknowledged_at",
            Self::Mitigated => "mitigated_at",
            Self::Resolved => "resolved_at",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Started => "Impact started",
            Self::Detected => "Detected",
            Self::Declared => "Declared",
            Self::Acknowledged => "Acknowledged",
            Self::Mitigated => "Mitigated",
            Self::Resolved => "Resolved",
        }
    }
}

/// Where a timestamp came from.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StampSource {
    Automatic,
    Manual,
    Webhook,
}

impl StampSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "automatic",
            Self::Manual => "manual",
            Self::Webhook => "webhook",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Automatic, Self::Manual, Self::Webhook]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Who or what set a timestamp.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StampMeta {
    pub source: StampSource,
    pub set_by: Option<String>,
}

/// The six timestamps of an incident, each with where it came from.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    pub started_at: Option<DateTime<Utc>>,
    pub detected_at: Option<DateTime<Utc>>,
    pub declared_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub mitigated_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Source and author of each timestamp that is set.
    pub timestamp_sources: BTreeMap<Milestone, StampMeta>,
}

impl Milestones {
    pub fn get(&self, m: Milestone) -> Option<DateTime<Utc>> {
        match m {
            Milestone::Started => self.started_at,
            Milestone::Detected => self.detected_at,
            Milestone::Declared => self.declared_at,
            Milestone::Acknowledged => self.acknowledged_at,
            Milestone::Mitigated => self.mitigated_at,
            Milestone::Resolved => self.resolved_at,
        }
    }

    fn slot(&mut self, m: Milestone) -> &mut Option<DateTime<Utc>> {
        match m {
            Milestone::Started => &mut self.started_at,
            Milestone::Detected => &mut self.detected_at,
            Milestone::Declared => &mut self.declared_at,
            Milestone::Acknowledged => &mut self.acknowledged_at,
            Milestone::Mitigated => &mut self.mitigated_at,
            Milestone::Resolved => &mut self.resolved_at,
        }
    }

    /// Sets (or with `None`, clears) a timestamp and records its source.
    pub fn set(&mut self, m: Milestone, at: Option<DateTime<Utc>>, meta: StampMeta) {
        *self.slot(m) = at;
        if at.is_some() {
            self.timestamp_sources.insert(m, meta);
        } else {
            self.timestamp_sources.remove(&m);
        }
    }

    pub fn source(&self, m: Milestone) -> Option<&StampMeta> {
        self.timestamp_sources.get(&m)
    }
}

/// Checks started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved wherever
/// both ends are set, and declared ≥ started. Each violation names the later
/// field, since that is usually the one typed last.
pub fn check_milestone_order(ms: &Milestones) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, later) in Milestone::ORDERED.iter().enumerate() {
        let Some(later_at) = ms.get(*later) else {
            continue;
        };
        if let Some(earlier) = Milestone::ORDERED[..i]
            .iter()
            .rev()
            .find(|e| ms.get(**e).is_some_and(|at| at > later_at))
        {
            errors.push(FieldError::new(
                later.field(),
                format!("must not be before {}", earlier.field()),
            ));
        }
    }
    if let (Some(started), Some(declared)) = (ms.started_at, ms.declared_at)
        && declared < started
    {
        errors.push(FieldError::new(
            "declared_at",
            "must not be before started_at",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(2026, 5, 1, h, 0, 0).unwrap())
    }

    fn manual() -> StampMeta {
        StampMeta {
            source: StampSource::Manual,
            set_by: Some("ana".into()),
        }
    }

    #[test]
    fn ordered_timestamps_pass_and_gaps_are_fine() {
        let mut ms = Milestones::default();
        ms.set(Milestone::Started, at(1), manual());
        ms.set(Milestone::Mitigated, at(3), manual());
        ms.set(Milestone::Resolved, at(3), manual());
        ms.set(Milestone::Declared, at(2), manual());
        assert_eq!(check_milestone_order(&ms), Ok(()));
    }

    #[test]
    fn resolved_before_started_is_named() {
        let mut ms = Milestones::default();
        ms.set(Milestone::Started, at(5), manual());
        ms.set(Milestone::Resolved, at(4), manual());
        let errs = check_milestone_order(&ms).unwrap_err();
        assert_eq!(
            errs,
            vec![FieldError::new(
                "resolved_at",
                "must not be before started_at"
            )]
        );
    }

    #[test]
    fn order_is_checked_across_gaps_and_for_declared() {
        let mut ms = Milestones::default();
        ms.set(Milestone::Detected, at(6), manual());
        ms.set(Milestone::Mitigated, at(5), manual());
        ms.set(Milestone::Started, at(7), manual());
        ms.set(Milestone::Declared, at(6), manual());
        let fields: Vec<String> = check_milestone_order(&ms)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["detected_at", "mitigated_at", "declared_at"]);
    }

    #[test]
    fn clearing_a_timestamp_forgets_its_source() {
        let mut ms = Milestones::default();
        ms.set(Milestone::Resolved, at(1), manual());
        assert!(ms.source(Milestone::Resolved).is_some());
        ms.set(Milestone::Resolved, None, manual());
        assert_eq!(ms.resolved_at, None);
        assert!(ms.source(Milestone::Resolved).is_none());
    }
}
