//! `GET /api/docs`: the API reference as one server-rendered page, made
//! from the same OpenAPI document as `/api/openapi.json`. Operations are
//! grouped by tag; schemas are listed with their fields. Plain HTML with the
//! app's stylesheet (its colours follow the theme), no scripts, no external
//! assets; every text from the document is escaped.
mod operations;
mod schemas;

use std::sync::OnceLock;

use axum::http::HeaderMap;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::response::IntoResponse;
use html_escape::encode_text;
use serde_json::Value;

use super::openapi;

/// The page's main content, rendered once per process.
fn main_content() -> &'static str {
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| {
        let document = serde_json::to_value(openapi::document()).unwrap_or_default();
        render_main(&document)
    })
}

/// The `<main>` of the page for an OpenAPI document (as JSON).
pub fn render_main(document: &Value) -> String {
    let info = &document["info"];
    let mut html = String::from("<main class=\"api-docs\">\n");
    html.push_str(&format!(
        "<h1>{} API <small>version {}</small></h1>\n",
        text(&info["title"]),
        text(&info["version"])
    ));
    html.push_str(&format!("<p>{}</p>\n", text(&info["description"])));
    html.push_str(
        "<p>The same description as an OpenAPI 3 document: \
         <a href=\"/api/openapi.json\"><code>/api/openapi.json</code></a>. \
         Authenticate with <code>Authorization: Bearer &lt;token&gt;</code> (a token from \
         your profile page) or the session cookie from <code>POST /api/v1/login</code>.</p>\n",
    );
    html.push_str(&operations::render(document));
    html.push_str(&schemas::render(document));
    html.push_str("</main>\n");
    html
}

/// A JSON string as escaped HTML text (empty for anything else), with
/// `backticked` spans as code.
fn text(value: &Value) -> String {
    let escaped = encode_text(value.as_str().unwrap_or_default());
    let spans: Vec<&str> = escaped.split('`').collect();
    if spans.len().is_multiple_of(2) {
        // An unpaired backtick: leave the text as it is.
        return escaped.into_owned();
    }
    spans
        .iter()
        .enumerate()
        .map(|(i, span)| {
            if i % 2 == 1 {
                format!("<code>{span}</code>")
            } else {
                (*span).to_string()
            }
        })
        .collect()
}

pub async fn page(headers: HeaderMap) -> impl IntoResponse {
    let theme = headers
        .get(COOKIE)
        .and_then(|v| v.to_str().ok())
        .map_or(app::theme::Theme::System, app::theme::from_cookie_header);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\" data-theme=\"{}\">\n<head>\n\
         <meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Firebreak API</title>\n\
         <link rel=\"stylesheet\" href=\"/pkg/firebreak.css\">\n\
         </head>\n<body>\n{}</body>\n</html>\n",
        theme.as_str(),
        main_content()
    );
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], html)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::render_main;

    #[test]
    fn text_from_the_document_is_escaped() {
        let document = json!({
            "info": {"title": "<script>alert(1)</script>", "version": "1\"><b>", "description": "a & `<b>`"},
            "tags": [{"name": "x\"y", "description": "<i>tag</i>"}],
            "paths": {"/p/<b>": {"get": {
                "tags": ["x\"y"], "operationId": "o\"p", "summary": "<em>s</em>",
                "parameters": [{"name": "<n>", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "<d>", "content": {"text/<c>": {"schema": {"$ref": "#/components/schemas/<S>"}}}}}
            }}},
            "components": {"schemas": {"<S>": {"type": "object", "description": "<sd>",
                "properties": {"<f>": {"type": "string", "description": "<fd>", "enum": ["<e>"]}}}}}
        });
        let html = render_main(&document);
        for raw in [
            "<script", "<b>", "<i>", "<em>", "<n>", "<d>", "<c>", "<S>", "<sd>", "<f>", "<fd>",
            "<e>",
        ] {
            assert!(!html.contains(raw), "{raw} is not escaped in {html}");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("a &amp; <code>&lt;b&gt;</code>"));
        // Quotes may stay in text, but never end an attribute.
        assert!(html.contains("id=\"tag-x&quot;y\""));
        assert!(html.contains("id=\"op-o&quot;p\""));
        assert!(html.contains("<code>/p/&lt;b&gt;</code>"));
    }
}
