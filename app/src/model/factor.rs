//! Contributing factors: several per incident, each from a taxonomy that
//! admins edit, each with a short explanation.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Retired factors stay on past incidents but are not offered any more.
    pub retired: bool,
    pub version: i64,
}

/// A factor as recorded on one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFactor {
    pub id: i64,
    pub factor: String,
    pub explanation: String,
    pub added_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Add the factor named `factor` to `incident`, with why it contributed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorInput {
    pub incident: String,
    pub factor: String,
    #[serde(default)]
    pub explanation: String,
}

/// Take factor `id` off `incident`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorRemoval {
    pub incident: String,
    pub id: i64,
}

/// An admin's change to the taxonomy: a new factor (no `id`), or a rename,
/// new description or retirement of one, with the version it read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyChange {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub retired: Option<String>,
    #[serde(default)]
    pub version: Option<i64>,
}
