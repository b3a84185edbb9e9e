use axum::Json;
use axum::extract::State;

use app::model::{AuditPage, AuditQuery};

use crate::http::extract::ApiQuery;
use crate::http::identity::ApiActor;
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};

/// List the audit log
///
/// Newest first, actors by email. One incident's history
/// (`entity=incident&id=N`) is for any signed-in user; the rest is for admins.
#[utoipa::path(
    get, path = "/audit", tag = "audit", operation_id = "list_audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit rows", body = AuditPage),
        (status = 401, response = errors::Unauthorized),
        (status = 403, response = errors::Forbidden),
        (status = 422, response = errors::Invalid),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, WireError> {
    Ok(Json(state.accounts.audit(&actor, query).await?))
}
