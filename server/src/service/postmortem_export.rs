//! A postmortem as one Markdown document, for sharing outside Firebreak.
use app::model::Postmortem;
use app::port::Actor;

use super::{IncidentService, ServiceError};

pub fn to_markdown(postmortem: &Postmortem) -> String {
    let mut out = format!(
        "# Postmortem: {} {}\n\nSeverity {} · {} · template {} · last changed {}\n",
        postmortem.incident.human_id,
        postmortem.incident.title,
        postmortem.severity.as_str(),
        postmortem.status.label(),
        postmortem.template,
        postmortem.updated_at.format("%Y-%m-%d %H:%M UTC"),
    );
    for section in &postmortem.sections {
        let body = section.body.trim();
        out.push_str(&format!("\n## {}\n\n", section.heading));
        out.push_str(if body.is_empty() {
            "_Not written yet._"
        } else {
            body
        });
        out.push('\n');
    }
    out
}

impl IncidentService {
    /// The postmortem of incident `id` as Markdown, and a file name for it.
    pub async fn postmortem_markdown(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<(String, String), ServiceError> {
        let view = self.postmortem_view(id, actor).await?;
        let postmortem = view.postmortem.ok_or_else(|| {
            ServiceError::NotFound(format!("the postmortem of {}", view.incident.human_id))
        })?;
        let name = format!("{}-postmortem.md", postmortem.incident.human_id);
        Ok((name, to_markdown(&postmortem)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{PostmortemStatus, Severity};
    use app::model::{IncidentLink, PostmortemSection};
    use chrono::Utc;

    #[test]
    fn headings_in_order_and_empty_sections_say_so() {
        let section = |key: &str, heading: &str, body: &str| PostmortemSection {
            id: 1,
            key: key.into(),
            heading: heading.into(),
            guidance: String::new(),
            body: body.into(),
            body_html: String::new(),
            version: 1,
            updated_by: None,
            updated_at: Utc::now(),
        };
        let postmortem = Postmortem {
            id: 1,
            incident: IncidentLink {
                id: 3,
                human_id: "INC-3".into(),
                title: "Queue stalled".into(),
            },
            severity: Severity::Sev2,
            template: "heroku".into(),
            status: PostmortemStatus::Published,
            version: 4,
            sections: vec![
                section("summary", "Summary", "It **stalled**.\n"),
                section("prevention", "Prevention", ""),
            ],
            services: Vec::new(),
            authors: Vec::new(),
            checklist: Vec::new(),
            threads: Vec::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let text = to_markdown(&postmortem);
        assert!(text.starts_with("# Postmortem: INC-3 Queue stalled\n\nSeverity SEV2 · Published"));
        assert!(
            text.contains(
                "\n## Summary\n\nIt **stalled**.\n\n## Prevention\n\n_Not written yet._\n"
            )
        );
    }
}
