//! When an action item is overdue, the same for every backend.
use app::domain::ActionStatus;
use chrono::NaiveDate;

/// An item is overdue when it is not closed and its due day has passed.
pub(in crate::store) fn is_overdue(
    status: ActionStatus,
    due_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    !status.is_closed() && due_on.is_some_and(|d| d < today)
}

/// Whole days from `due_on` to `today`.
pub(in crate::store) fn days_overdue(today: NaiveDate, due_on: NaiveDate) -> i64 {
    (today - due_on).num_days()
}
