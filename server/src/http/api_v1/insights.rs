//! `/api/v1/insights`: the four durations with their timestamp pairs, the
//! open and excluded incidents, rankings, and every chart's numbers as CSV.
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::error::ApiError;
use app::model::{Insights, InsightsQuery, WeeklyDigest};

use crate::http::extract::ApiQuery;
use crate::http::identity::ApiActor;
use crate::http::{AppState, WireError};
use crate::service::insights_csv;

/// `GET /api/v1/insights?from=&to=&severity=&service=&tag=&factor=`.
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

/// `GET /api/v1/insights/csv?chart=ttr_ecdf&…filters`.
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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DigestParams {
    #[serde(default)]
    week: Option<String>,
}

/// `GET /api/v1/digest?week=YYYY-MM-DD`.
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
