//! The operations part of the API page: a section per tag, an article per
//! operation with its method, path, summary, parameters, request body,
//! responses and how to authenticate.
use html_escape::{encode_double_quoted_attribute, encode_text};
use serde_json::Value;

use super::schemas::type_of;
use super::text;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every operation as `(tag, method, path, operation)`, in document order.
fn operations(document: &Value) -> Vec<(String, &'static str, &str, &Value)> {
    let mut found = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return found;
    };
    for (path, item) in paths {
        for method in METHODS {
            let operation = &item[method];
            if operation.is_object() {
                let tag = operation["tags"][0].as_str().unwrap_or("other").to_string();
                found.push((tag, method, path.as_str(), operation));
            }
        }
    }
    found
}

pub fn render(document: &Value) -> String {
    let all = operations(document);
    let mut tags: Vec<(String, String)> = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["name"].as_str().unwrap_or_default().to_string(),
                text(&t["description"]),
            )
        })
        .collect();
    for (tag, ..) in &all {
        if !tags.iter().any(|(name, _)| name == tag) {
            tags.push((tag.clone(), String::new()));
        }
    }
    let mut html = String::from("<nav class=\"api-toc\" aria-label=\"API sections\"><ul>\n");
    for (name, _) in &tags {
        html.push_str(&format!(
            "<li><a href=\"#tag-{}\">{}</a></li>\n",
            encode_double_quoted_attribute(name),
            encode_text(name)
        ));
    }
    html.push_str("<li><a href=\"#schemas\">Schemas</a></li>\n</ul></nav>\n");
    for (name, description) in &tags {
        html.push_str(&format!(
            "<section id=\"tag-{}\">\n<h2>{}</h2>\n<p>{description}</p>\n",
            encode_double_quoted_attribute(name),
            encode_text(name)
        ));
        for (_, method, path, operation) in all.iter().filter(|(tag, ..)| tag == name) {
            html.push_str(&render_operation(document, method, path, operation));
        }
        html.push_str("</section>\n");
    }
    html
}

fn render_operation(document: &Value, method: &str, path: &str, operation: &Value) -> String {
    let id = operation["operationId"].as_str().unwrap_or(path);
    let mut html = format!(
        "<article class=\"api-op\" id=\"op-{}\">\n<h3><span class=\"api-method api-method-{method}\">{}</span> <code>{}</code></h3>\n",
        encode_double_quoted_attribute(id),
        method.to_uppercase(),
        encode_text(path)
    );
    html.push_str(&format!(
        "<p class=\"api-summary\">{}</p>\n",
        text(&operation["summary"])
    ));
    if operation["description"].is_string() {
        html.push_str(&format!("<p>{}</p>\n", text(&operation["description"])));
    }
    html.push_str(&parameters(&operation["parameters"]));
    html.push_str(&request_body(&operation["requestBody"]));
    html.push_str(&responses(document, &operation["responses"]));
    html.push_str(&security(method, &operation["security"]));
    html.push_str("</article>\n");
    html
}

fn parameters(parameters: &Value) -> String {
    let Some(list) = parameters.as_array().filter(|l| !l.is_empty()) else {
        return String::new();
    };
    let mut html = String::from(
        "<h4>Parameters</h4>\n<table class=\"api-table\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">In</th><th scope=\"col\">Type</th><th scope=\"col\">Required</th><th scope=\"col\">Description</th></tr></thead>\n<tbody>\n",
    );
    for parameter in list {
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            text(&parameter["name"]),
            text(&parameter["in"]),
            type_of(&parameter["schema"]),
            if parameter["required"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
            text(&parameter["description"])
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

/// Each media type with its schema, as `application/json: <a>Incident</a>`.
fn contents(content: &Value) -> String {
    let Some(media) = content.as_object() else {
        return String::new();
    };
    media
        .iter()
        .map(|(kind, body)| {
            format!(
                "<code>{}</code>: {}",
                encode_text(kind),
                type_of(&body["schema"])
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Each media type's example, folded (it opens without JavaScript).
fn examples(content: &Value) -> String {
    let Some(media) = content.as_object() else {
        return String::new();
    };
    media
        .values()
        .filter(|body| !body["example"].is_null())
        .map(|body| {
            let json = serde_json::to_string_pretty(&body["example"]).unwrap_or_default();
            format!(
                "<details><summary>Example</summary><pre>{}</pre></details>",
                encode_text(&json)
            )
        })
        .collect()
}

fn request_body(body: &Value) -> String {
    if !body.is_object() {
        return String::new();
    }
    let required = if body["required"].as_bool() == Some(true) {
        " (required)"
    } else {
        ""
    };
    format!(
        "<h4>Request body{required}</h4>\n<p>{}</p>\n",
        contents(&body["content"])
    )
}

fn responses(document: &Value, responses: &Value) -> String {
    let Some(map) = responses.as_object() else {
        return String::new();
    };
    let mut html = String::from(
        "<h4>Responses</h4>\n<table class=\"api-table\">\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Description</th><th scope=\"col\">Body</th></tr></thead>\n<tbody>\n",
    );
    for (status, response) in map {
        // Shared responses are references to components/responses.
        let (response, shared) = match response["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                (&document["components"]["responses"][name], Some(name))
            }
            None => (response, None),
        };
        let description = text(&response["description"]);
        let description = match shared {
            Some(name) => format!("{description} ({})", encode_text(name)),
            None => description,
        };
        html.push_str(&format!(
            "<tr><td>{}</td><td>{description}{}</td><td>{}</td></tr>\n",
            encode_text(status),
            examples(&response["content"]),
            contents(&response["content"])
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

/// How to authenticate: `bearer` or `session`; an empty requirement
/// means none is needed (for reads: when anonymous reading is on).
fn security(method: &str, requirements: &Value) -> String {
    let Some(list) = requirements.as_array() else {
        return String::new();
    };
    let ways: Vec<String> = list
        .iter()
        .filter_map(Value::as_object)
        .filter(|schemes| !schemes.is_empty())
        .map(|schemes| {
            schemes
                .keys()
                .map(|k| format!("<code>{}</code>", encode_text(k)))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    let optional = ways.len() < list.len();
    let text = match (ways.is_empty(), optional, method) {
        (true, ..) => "none".to_string(),
        (false, true, "get") => format!(
            "{}; none when an admin has turned anonymous reading on",
            ways.join(" or ")
        ),
        (false, true, _) => format!("{}, or none", ways.join(" or ")),
        (false, false, _) => ways.join(" or "),
    };
    format!("<p class=\"api-auth\">Authentication: {text}.</p>\n")
}
