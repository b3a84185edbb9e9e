//! The error responses handlers share, each one status of `ApiError` with
//! an example. Handlers name them: `(status = 404, response = errors::NotFound)`.
use serde_json::{Value, json};
use utoipa::ToResponse;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

fn error(description: &str, example: Value) -> ResponseBuilder {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ApiError")))
        .example(Some(example))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
}

macro_rules! error_response {
    ($name:ident, $description:literal, $example:expr) => {
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (
                    stringify!($name),
                    error($description, $example).build().into(),
                )
            }
        }
    };
}

error_response!(
    BadRequest,
    "The request could not be read: malformed JSON, a body sent without \
     `Content-Type: application/json`, or a search query too long or too complex to run.",
    json!({"error": "bad_request", "message": "malformed JSON: EOF while parsing an object"})
);
error_response!(
    Unauthorized,
    "Not signed in (and anonymous reading is off), or the token or password is wrong.",
    json!({"error": "unauthorized", "message": "sign in required: send a session cookie or Authorization: Bearer <token>"})
);
error_response!(
    Forbidden,
    "Signed in, but the role does not allow this; or a cross-site write from a browser.",
    json!({"error": "forbidden", "message": "the responder role is required; you are a viewer"})
);
error_response!(
    NotFound,
    "No such record, or it is not visible to the caller.",
    json!({"error": "not_found", "what": "incident INC-99"})
);
error_response!(
    Conflict,
    "The `version` sent is no longer current: someone saved first. Nothing was \
     overwritten; `changes` lists each field's current value and yours.",
    json!({"error": "conflict", "current_version": 4, "changes": [
        {"field": "title", "current": "Checkout down", "yours": "Checkout slow"}
    ]})
);
error_response!(
    PayloadTooLarge,
    "The request body is larger than 4 MiB.",
    json!({"error": "payload_too_large"})
);
error_response!(
    Invalid,
    "Some fields are not acceptable. Every problem is listed at once, each naming \
     its field as the client named it (a body field or a query parameter).",
    json!({"error": "invalid", "fields": [
        {"field": "title", "message": "is required"},
        {"field": "severity", "message": "'SEV9' is not a severity: use SEV1, SEV2, SEV3 or SEV4"}
    ]})
);

/// 429 also carries `Retry-After`, so it is built by hand.
pub struct TooManyRequests;

impl<'r> ToResponse<'r> for TooManyRequests {
    fn response() -> (&'r str, RefOr<Response>) {
        let seconds = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::Integer))
            .description(Some("Seconds to wait before trying again."))
            .build();
        let response = error(
            "Too many sign-in attempts for this account or address.",
            json!({"error": "too_many_requests", "retry_after_secs": 60}),
        )
        .header("Retry-After", seconds)
        .build();
        ("TooManyRequests", response.into())
    }
}
