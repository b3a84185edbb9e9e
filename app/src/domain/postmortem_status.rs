use serde::{Deserialize, Serialize};

/// Where a postmortem is in its life: written, reviewed, then shared.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostmortemStatus {
    Draft,
    InReview,
    Published,
    /// Published, and every prevention item is done or won't do.
    Complete,
}

impl PostmortemStatus {
    pub const ALL: [PostmortemStatus; 4] =
        [Self::Draft, Self::InReview, Self::Published, Self::Complete];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Published => "published",
            Self::Complete => "complete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::InReview => "In review",
            Self::Published => "Published",
            Self::Complete => "Complete",
        }
    }

    /// Sections can be edited until the postmortem is published.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::InReview)
    }

    /// Published or complete: shared, and read-only until reopened.
    pub fn is_published(self) -> bool {
        matches!(self, Self::Published | Self::Complete)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase().replace(' ', "_");
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == t)
            .ok_or_else(|| "use draft, in_review, published or complete".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_status_and_only_published_is_read_only() {
        for s in PostmortemStatus::ALL {
            assert_eq!(PostmortemStatus::parse(s.as_str()), Ok(s));
        }
        assert_eq!(
            PostmortemStatus::parse("In review"),
            Ok(PostmortemStatus::InReview)
        );
        assert!(PostmortemStatus::parse("done").is_err());
        assert!(!PostmortemStatus::Published.is_editable());
        assert!(!PostmortemStatus::Complete.is_editable());
        assert!(PostmortemStatus::Complete.is_published());
        assert!(PostmortemStatus::Draft.is_editable());
    }
}
