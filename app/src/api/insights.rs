use leptos::prelude::*;

use crate::error::ApiError;
use crate::model::{Insights, InsightsQuery, RecurringCauses, WeeklyDigest};

#[server(prefix = "/api/fn", endpoint = "get_insights")]
pub async fn get_insights(query: InsightsQuery) -> Result<Insights, ApiError> {
    use crate::port::{browser_actor, insight_port};
    insight_port()?.insights(&browser_actor(), query).await
}

#[server(prefix = "/api/fn", endpoint = "get_recurring_causes")]
pub async fn get_recurring_causes(query: InsightsQuery) -> Result<RecurringCauses, ApiError> {
    use crate::port::{browser_actor, insight_port};
    insight_port()?
        .recurring_causes(&browser_actor(), query)
        .await
}

#[server(prefix = "/api/fn", endpoint = "get_weekly_digest")]
pub async fn get_weekly_digest(week: Option<String>) -> Result<WeeklyDigest, ApiError> {
    use crate::port::{browser_actor, insight_port};
    insight_port()?.weekly_digest(&browser_actor(), week).await
}
