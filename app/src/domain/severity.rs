use serde::{Deserialize, Serialize};

/// How bad it is. SEV1 is the worst.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    #[serde(rename = "SEV1")]
    Sev1,
    #[serde(rename = "SEV2")]
    Sev2,
    #[serde(rename = "SEV3")]
    Sev3,
    #[serde(rename = "SEV4")]
    Sev4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::Sev1, Self::Sev2, Self::Sev3, Self::Sev4];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sev1 => "SEV1",
            Self::Sev2 => "SEV2",
            Self::Sev3 => "SEV3",
            Self::Sev4 => "SEV4",
        }
    }

    /// The CSS modifier, also used in URLs: `sev1`.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Sev1 => "sev1",
            Self::Sev2 => "sev2",
            Self::Sev3 => "sev3",
            Self::Sev4 => "sev4",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Sev1 => {
                "Critical: a core service is down or data is at risk, for many customers."
            }
            Self::Sev2 => "Major: a core feature is broken or badly degraded for many customers.",
            Self::Sev3 => {
                "Minor: partial degradation, a workaround exists, or few customers are affected."
            }
            Self::Sev4 => "Low: little or no customer impact; tracked so we learn from it.",
        }
    }

    /// Accepts `SEV1`, `sev1` or `1`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let digit = t
            .strip_prefix("SEV")
            .or_else(|| t.strip_prefix("sev"))
            .or_else(|| t.strip_prefix("Sev"))
            .unwrap_or(t);
        match digit {
            "1" => Ok(Self::Sev1),
            "2" => Ok(Self::Sev2),
            "3" => Ok(Self::Sev3),
            "4" => Ok(Self::Sev4),
            _ if t.is_empty() => Err("is required: one of SEV1, SEV2, SEV3, SEV4".into()),
            _ => Err(format!(
                "'{}' is not a severity: use SEV1, SEV2, SEV3 or SEV4",
                super::text::printable_excerpt(t)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_levels_in_any_case() {
        assert_eq!(Severity::parse("SEV1"), Ok(Severity::Sev1));
        assert_eq!(Severity::parse("sev2"), Ok(Severity::Sev2));
        assert_eq!(Severity::parse(" 3 "), Ok(Severity::Sev3));
        assert_eq!(Severity::parse("Sev4"), Ok(Severity::Sev4));
    }

    #[test]
    fn rejects_unknown_levels_with_the_choices() {
        for bad in ["SEV0", "SEV5", "critical", "sev", "1.0"] {
            let err = Severity::parse(bad).unwrap_err();
            assert!(err.contains("SEV1, SEV2, SEV3 or SEV4"), "{bad}: {err}");
        }
        assert!(Severity::parse("").unwrap_err().contains("required"));
    }

    #[test]
    fn serializes_as_upper_case_label() {
        assert_eq!(serde_json::to_string(&Severity::Sev1).unwrap(), "\"SEV1\"");
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Ok(s));
            assert!(!s.description().is_empty());
        }
    }
}
