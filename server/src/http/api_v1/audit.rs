use axum::Json;
use axum::extract::State;

use app::model::{AuditPage, AuditQuery};

use crate::http::extract::ApiQuery;
use crate::http::identity::ApiActor;
use crate::http::{AppState, WireError};

/// `GET /api/v1/audit?entity=incident&id=N`: newest first, actors by email.
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, WireError> {
    Ok(Json(state.accounts.audit(&actor, query).await?))
}
