//! `/api/v1/insights`: the four durations with their timestamp pairs, the
//! open and excluded incidents, rankings, and every chart's numbers as CSV.
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use app::error::ApiError;
use app::model::{Insights, InsightsQuery, WeeklyDigest};

use crate::http::extract::ApiQuery;
use crate::http::identity::ApiActor;
use crate::http::openapi::errors;
use crate::http::{AppState, WireError};
use crate::service::insights_csv;

/// Insights over a selection of incidents
///
/// The four durations (time to detect, acknowledge, mitigate, resolve),
/// each named by its timestamp pair, over the selected closed incidents;
/// open, duplicate and declined incidents are listed apart. Also
/// rankings of factors and services, incidents per month, the TTR trend,
/// repeats and action-item follow-through.
#[utoipa::path(
    get, path = "/insights", tag = "insights", operation_id = "get_insights",
    params(InsightsQuery),
    responses(
        (status = 200, description = "The figures", body = Insights),
        (status = 401, response = errors::Unauthorized),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn insights(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(query): ApiQuery<InsightsQuery>,
) -> Result<Json<Insights>, WireError> {
    Ok(Json(state.incidents.insights(query, &actor).await?))
}

// No deny_unknown_fields: serde does not support it with flatten.
#[derive(Deserialize, Default)]
pub struct CsvParams {
    chart: String,
    #[serde(flatten)]
    query: InsightsQuery,
}

/// One chart's numbers as CSV
///
/// The same filters as `/insights`, plus the chart's name.
#[utoipa::path(
    get, path = "/insights/csv", tag = "insights", operation_id = "get_insights_csv",
    params(
        ("chart" = String, Query, description = "The chart: `metrics`, `per_month`, `ttr_ecdf`, `ttr_trend`, `factors`, `services`, `repeats` or `actions`"),
        InsightsQuery,
    ),
    responses(
        (status = 200, description = "A CSV attachment", content_type = "text/csv", body = String),
        (status = 401, response = errors::Unauthorized),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn csv(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<CsvParams>,
) -> Result<Response, WireError> {
    let chart = params.chart;
    if !crate::service::CHARTS.contains(&chart.as_str()) {
        let names = crate::service::CHARTS.join(", ");
        return Err(WireError(ApiError::invalid(
            "chart",
            format!("use one of {names}"),
        )));
    }
    let insights = state.incidents.insights(params.query, &actor).await?;
    let body = insights_csv(&insights, &chart).unwrap_or_default();
    let disposition = format!("attachment; filename=\"insights-{chart}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DigestParams {
    /// A day of the week (YYYY-MM-DD); the current week by default.
    #[serde(default)]
    week: Option<String>,
}

/// The weekly digest
///
/// What happened in one week (Monday to Sunday), how fast it was
/// resolved, and which action items are late.
#[utoipa::path(
    get, path = "/digest", tag = "insights", operation_id = "get_digest",
    params(DigestParams),
    responses(
        (status = 200, description = "The week's digest", body = WeeklyDigest),
        (status = 401, response = errors::Unauthorized),
        (status = 422, response = errors::Invalid),
    ),
    security((), ("bearer" = []), ("session" = []))
)]
pub async fn digest(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<DigestParams>,
) -> Result<Json<WeeklyDigest>, WireError> {
    Ok(Json(
        state
            .incidents
            .weekly_digest(params.week.as_deref(), &actor)
            .await?,
    ))
}
