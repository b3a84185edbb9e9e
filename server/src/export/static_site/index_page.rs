//! The export's front page: every incident in one table, newest first, with
//! a search box that `search.js` brings to life. Without JavaScript the
//! table is all there is, and the browser's find works on it.
use std::fmt::Write;

use app::domain::{Severity, Status};

use super::html::{incident_file, page, severity_badge, status_badge, text};
use super::row::Row;

fn row_html(out: &mut String, r: &Row) {
    let severity = Severity::parse(r.severity).map_or_else(|_| text(r.severity), severity_badge);
    let status = Status::parse(r.status).map_or_else(|_| text(r.status), status_badge);
    let file = incident_file(r.id);
    let _ = writeln!(
        out,
        r#"<tr><td>{severity}</td><td class="mono"><a href="incidents/{file}">INC-{id}</a></td><td class="title"><a href="incidents/{file}"><bdi>{title}</bdi></a></td><td>{status}</td><td class="wrap">{services}</td><td class="mono">{started}</td><td class="mono">{impact}</td></tr>"#,
        id = r.id,
        title = text(&r.title),
        services = text(&r.services.join(", ")),
        started = text(&r.started),
        impact = text(&r.impact),
    );
}

const HEAD: &str = r#"<tr><th scope="col">Severity</th><th scope="col">ID</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Services</th><th scope="col">Started</th><th scope="col">Impact</th></tr>"#;

/// `rows` must already be newest first.
pub fn render(rows: &[Row], footer: &str) -> String {
    let mut body = format!(
        r#"<h1>Incidents</h1>
<form class="search" id="search" role="search" hidden>
<label for="q">Search incidents</label>
<input id="q" type="search" autocomplete="off" spellcheck="false" placeholder="words, service:api, severity:sev1, status:open, tag:dns" aria-describedby="search-help">
<p id="search-help" class="muted">Every word must match (word beginnings count); the title weighs most. Filters: <code>service:</code> <code>severity:</code> <code>status:</code> (or <code>status:open</code>) <code>tag:</code>. Press <kbd>/</kbd> to search.</p>
</form>
<p id="no-search" class="muted">Search needs JavaScript; the full list is below, and your browser's find (Ctrl+F) works on it.</p>
<section id="results" hidden aria-label="Matching incidents">
<p id="result-count" role="status"></p>
<div class="table-wrap"><table class="list"><caption class="visually-hidden">Matching incidents, best first</caption><thead>{HEAD}</thead><tbody id="result-rows"></tbody></table></div>
</section>
<section id="all" aria-label="All incidents">
<p class="muted">{n} incident{s}, newest first.</p>
<div class="table-wrap"><table class="list"><caption class="visually-hidden">Incidents, newest first</caption><thead>{HEAD}</thead><tbody>
"#,
        n = rows.len(),
        s = if rows.len() == 1 { "" } else { "s" },
    );
    if rows.is_empty() {
        body.push_str(r#"<tr><td colspan="7">No incidents were exported.</td></tr>"#);
    }
    for r in rows {
        row_html(&mut body, r);
    }
    body.push_str(
        "</tbody></table></div>\n</section>\n<script src=\"search-index.js\" defer></script>\n<script src=\"search.js\" defer></script>",
    );
    page("Incidents", "", &body, footer)
}
