//! The schemas part of the API page, and how a schema reads as a type:
//! `string (date-time) or null`, `array of <a>Incident</a>`.
use html_escape::{encode_double_quoted_attribute, encode_text};
use serde_json::Value;

use super::text;

/// A link to a schema listed on the page.
fn schema_link(name: &str) -> String {
    format!(
        "<a href=\"#schema-{}\">{}</a>",
        encode_double_quoted_attribute(name),
        encode_text(name)
    )
}

/// A schema as a short type description, in HTML.
pub fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return schema_link(reference.rsplit('/').next().unwrap_or_default());
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| match v {
                Value::String(s) => format!("<code>{}</code>", encode_text(s)),
                other => format!("<code>{}</code>", encode_text(&other.to_string())),
            })
            .collect();
        return format!("one of {}", values.join(", "));
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[combinator].as_array() {
            let joiner = if combinator == "allOf" {
                " and "
            } else {
                " or "
            };
            return parts.iter().map(type_of).collect::<Vec<_>>().join(joiner);
        }
    }
    let kinds: Vec<&str> = match &schema["type"] {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if kinds.is_empty() {
        return "any".to_string();
    }
    kinds
        .iter()
        .map(|kind| match *kind {
            "array" if schema["prefixItems"].is_array() => {
                let items: Vec<String> = schema["prefixItems"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(type_of)
                    .collect();
                format!("array [{}]", items.join(", "))
            }
            "array" => format!("array of {}", type_of(&schema["items"])),
            "object" if schema["additionalProperties"].is_object() => {
                format!("map of {}", type_of(&schema["additionalProperties"]))
            }
            other => match schema["format"].as_str() {
                Some(format) => format!("{} ({})", encode_text(other), encode_text(format)),
                None => encode_text(other).into_owned(),
            },
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The fields of an object schema as a table; empty for other schemas.
fn fields(schema: &Value) -> String {
    let Some(properties) = schema["properties"].as_object() else {
        return String::new();
    };
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut html = String::from(
        "<table class=\"api-table\">\n<thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Type</th><th scope=\"col\">Required</th><th scope=\"col\">Description</th></tr></thead>\n<tbody>\n",
    );
    for (name, property) in properties {
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            encode_text(name),
            type_of(property),
            if required.contains(&name.as_str()) {
                "yes"
            } else {
                "no"
            },
            text(&property["description"])
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

/// One schema: its description, then its fields, values or variants.
fn render_schema(name: &str, schema: &Value) -> String {
    let mut html = format!(
        "<article class=\"api-schema\" id=\"schema-{}\">\n<h3>{}</h3>\n",
        encode_double_quoted_attribute(name),
        encode_text(name)
    );
    if schema["description"].is_string() {
        html.push_str(&format!("<p>{}</p>\n", text(&schema["description"])));
    }
    if let Some(variants) = schema["oneOf"].as_array() {
        html.push_str("<p>One of:</p>\n");
        for variant in variants {
            if variant["properties"].is_object() {
                html.push_str(&fields(variant));
            } else {
                html.push_str(&format!("<p>{}</p>\n", type_of(variant)));
            }
        }
    } else if let Some(parts) = schema["allOf"].as_array() {
        for part in parts {
            if part["properties"].is_object() {
                html.push_str(&fields(part));
            } else {
                html.push_str(&format!("<p>And every field of {}.</p>\n", type_of(part)));
            }
        }
    } else if schema["properties"].is_object() {
        html.push_str(&fields(schema));
    } else {
        html.push_str(&format!("<p>{}</p>\n", type_of(schema)));
    }
    html.push_str("</article>\n");
    html
}

pub fn render(document: &Value) -> String {
    let mut html = String::from("<section id=\"schemas\">\n<h2>Schemas</h2>\n");
    let schemas = document["components"]["schemas"].as_object();
    for (name, schema) in schemas.into_iter().flatten() {
        html.push_str(&render_schema(name, schema));
    }
    html.push_str("</section>\n");
    html
}
