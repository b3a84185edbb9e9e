//! Markdown to safe HTML: the shared renderer, then ammonia as a second wall.
use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Duration;

use super::ServiceError;

const RENDER_TIMEOUT: Duration = Duration::from_secs(2);

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer nofollow"));
    builder
});

fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Renders on a blocking thread with a time limit, so a pathological
/// document cannot stall the server.
pub async fn render_markdown_safely(field: &str, markdown: String) -> Result<String, ServiceError> {
    let task =
        tokio::task::spawn_blocking(move || sanitize(&app::markdown::render_markdown(&markdown)));
    match tokio::time::timeout(RENDER_TIMEOUT, task).await {
        Ok(Ok(html)) => Ok(html),
        Ok(Err(join_error)) => Err(ServiceError::Internal(format!(
            "markdown renderer failed: {join_error}"
        ))),
        Err(_) => Err(ServiceError::invalid(
            field,
            "is too complex to render: simplify the markdown",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTACKS: &[&str] = &[
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](jav&#x09;ascript:alert(1))",
        "<javascript:alert(1)>",
        "<img src=x onerror=alert(1)>",
        "<svg><set attributeName=href to=\"javascript:alert(1)\">",
        "<math><annotation-xml encoding=\"text/html\"><style><img src=x onerror=alert(1)></style>",
        "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=//evil></iframe><form action=x><input></form>",
    ];

    fn render(md: &str) -> String {
        sanitize(&app::markdown::render_markdown(md))
    }

    /// The tags of an HTML fragment, lower-cased. Escaped text ("&lt;svg")
    /// holds no '<', so only real markup is returned.
    fn tags(html: &str) -> Vec<String> {
        html.split('<')
            .skip(1)
            .filter_map(|rest| rest.split('>').next())
            .map(str::to_ascii_lowercase)
            .collect()
    }

    #[test]
    fn attacks_come_out_inert() {
        for md in ATTACKS {
            let html = render(md);
            for tag in tags(&html) {
                let name = tag
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches('/');
                assert!(
                    ![
                        "svg", "math", "iframe", "form", "style", "img", "script", "input", "set"
                    ]
                    .contains(&name),
                    "{md} -> {html}"
                );
                for attr in tag.split_whitespace().skip(1) {
                    assert!(!attr.starts_with("on"), "{md} -> {html}");
                    assert!(
                        ["javascript:", "data:", "vbscript:"]
                            .iter()
                            .all(|s| !attr.contains(&format!("=\"{s}"))),
                        "{md} -> {html}"
                    );
                }
            }
        }
    }

    #[test]
    fn cleaning_twice_equals_cleaning_once() {
        for md in ATTACKS
            .iter()
            .chain(&["# ok\n\n[link](https://example.com) **bold** | a |\n|---|\n| b |"])
        {
            let once = render(md);
            assert_eq!(sanitize(&once), once, "{md}");
        }
    }

    #[test]
    fn links_get_safe_rel() {
        let html = render("[status page](https://status.example.com)");
        assert!(html.contains("href=\"https://status.example.com\""));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }

    #[tokio::test]
    async fn pathological_documents_finish_or_are_refused() {
        let deep_list: String = (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        for md in [
            "[ (](".repeat(40_000),
            "a***".repeat(80_000),
            ">".repeat(100_000),
            deep_list,
        ] {
            match render_markdown_safely("summary", md).await {
                Ok(html) => assert!(!html.is_empty()),
                Err(ServiceError::Invalid(fields)) => assert_eq!(fields[0].field, "summary"),
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
    }
}
