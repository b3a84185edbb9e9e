use serde::{Deserialize, Serialize};

/// What a user may do. Each role includes the ones before it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything.
    Viewer,
    /// Also declares and edits incidents, timelines, postmortems and action items.
    Responder,
    /// Also manages users, templates, taxonomy and settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Self::Viewer, Self::Responder, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Responder => "responder",
            Self::Admin => "admin",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Viewer => "Reads incidents and postmortems.",
            Self::Responder => "Also declares and edits incidents, timelines and postmortems.",
            Self::Admin => "Also manages users and settings.",
        }
    }

    /// Whether this role includes everything `required` may do.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "viewer" => Ok(Self::Viewer),
            "responder" => Ok(Self::Responder),
            "admin" => Ok(Self::Admin),
            _ => Err("must be viewer, responder or admin".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Admin.includes(Role::Responder));
        assert!(Role::Responder.includes(Role::Viewer));
        assert!(!Role::Viewer.includes(Role::Responder));
        assert!(!Role::Responder.includes(Role::Admin));
    }

    #[test]
    fn roles_parse_case_insensitively() {
        assert_eq!(Role::parse(" Admin "), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
    }
}
