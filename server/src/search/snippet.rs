//! Highlighted snippets that stay cheap over long postmortems: only a
//! window of the text around the first match is analysed, not all of it.
use tantivy::Term;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use super::engine::escape;

/// Characters a snippet shows.
pub const SNIPPET_CHARS: usize = 200;
/// Bytes of text analysed for a snippet; longer texts are cut to a window
/// around the first place a query term appears: three snippets' worth, a
/// quarter of it before that place.
const WINDOW_BYTES: usize = 600;

/// The analysed words a query looks for in `field` (stems, lower case).
pub fn query_words(query: &dyn Query, field: Field) -> Vec<String> {
    let mut words = Vec::new();
    query.query_terms(&mut |term: &Term, _| {
        if term.field() == field
            && let Some(word) = term.value().as_str()
        {
            words.push(word.to_string());
        }
    });
    words
}

/// `<mark>`-only HTML for one hit's text; the beginning of the text, escaped,
/// when no query word appears in it. `words` come from [`query_words`].
pub fn snippet_html(generator: &SnippetGenerator, words: &[String], text: &str) -> String {
    let window = window(text, words.iter().map(String::as_str));
    let mut snippet = generator.snippet(window);
    if snippet.is_empty() {
        return escape(&text.chars().take(SNIPPET_CHARS).collect::<String>());
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    snippet.to_html()
}

/// The whole text when short; otherwise the window around the earliest
/// term (stems are looked for as written, case aside), or the beginning.
fn window<'t, 'q>(text: &'t str, terms: impl Iterator<Item = &'q str>) -> &'t str {
    if text.len() <= WINDOW_BYTES {
        return text;
    }
    // ASCII lower-casing keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    let first = terms.filter_map(|t| lower.find(t)).min().unwrap_or(0);
    let start = floor_boundary(text, first.saturating_sub(WINDOW_BYTES / 4));
    let end = floor_boundary(text, (start + WINDOW_BYTES).min(text.len()));
    &text[start..end]
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_whole_and_long_ones_are_cut_around_the_first_term() {
        assert_eq!(window("short text", ["text"].into_iter()), "short text");
        let long = format!(
            "{}Needle here{}",
            "é word ".repeat(2_000),
            " tail".repeat(2_000)
        );
        let cut = window(&long, ["needl", "absent"].into_iter());
        assert!(cut.len() <= WINDOW_BYTES && cut.contains("Needle here"));
        let no_match = window(&long, ["absent"].into_iter());
        assert!(long.starts_with(no_match) && no_match.len() <= WINDOW_BYTES);
    }
}
