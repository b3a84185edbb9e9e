//! Reading an action item's fields as typed: each problem is named by
//! its field, and every problem of one request is reported at once.
use app::domain::{ActionStatus, check_action_status, parse_markdown, parse_optional_line};
use app::model::UserRef;
use chrono::NaiveDate;

use super::problems::Problems;

const MAX_URL_CHARS: usize = 2000;
const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;

/// `YYYY-MM-DD`, between 2000 and 2100; blank means none.
pub fn parse_due_on(text: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| "must be a date written YYYY-MM-DD".to_string())?;
    let range = (
        NaiveDate::from_ymd_opt(2000, 1, 1),
        NaiveDate::from_ymd_opt(2100, 1, 1),
    );
    match range {
        (Some(lo), Some(hi)) if day >= lo && day < hi => Ok(Some(day)),
        _ => Err("must be between 2000 and 2099".into()),
    }
}

/// An http(s) link to the ticket in another tracker; blank means none.
pub fn parse_tracker_url(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > MAX_URL_CHARS {
        return Err(format!("is too long: at most {MAX_URL_CHARS} characters"));
    }
    let lower = t.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| "must start with https:// or http://".to_string())?;
    if rest.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must be a single web address without spaces".into());
    }
    Ok(Some(t.to_string()))
}

pub fn parse_description(text: &str) -> Result<String, String> {
    if text.len() > MAX_DESCRIPTION_BYTES {
        return Err(format!(
            "is too long: at most {} KiB",
            MAX_DESCRIPTION_BYTES / 1024
        ));
    }
    Ok(parse_markdown(text)?.trim().to_string())
}

/// A user by id or email among `people`; blank means nobody.
pub fn parse_owner(text: &str, people: &[UserRef]) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let wanted = t.to_lowercase();
    people
        .iter()
        .find(|p| p.id.to_string() == t || p.email.to_lowercase() == wanted)
        .map(|p| Some(p.id))
        .ok_or_else(|| "is not an active user: give a user's id or email".to_string())
}

/// Reads a field that has a default when left blank.
pub fn or_default<T>(
    p: &mut Problems,
    field: &str,
    text: &str,
    default: T,
    parse: fn(&str) -> Result<T, String>,
) -> Option<T> {
    if text.trim().is_empty() {
        Some(default)
    } else {
        p.check(field, parse(text))
    }
}

/// A status with its reason, checked together.
pub fn parse_status_and_reason(
    p: &mut Problems,
    status: ActionStatus,
    reason: Option<&str>,
) -> Option<Option<String>> {
    let reason = p.check("reason", parse_optional_line(reason))?;
    p.check("reason", check_action_status(status, reason.as_deref()))?;
    // A reason only means something for "won't do" (and "blocked").
    Some(reason.filter(|_| matches!(status, ActionStatus::WontDo | ActionStatus::Blocked)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_urls_and_owners_name_the_problem() {
        assert_eq!(
            parse_due_on("2026-12-01"),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 1))
        );
        assert_eq!(parse_due_on(" "), Ok(None));
        assert!(
            parse_due_on("01/12/2026")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(parse_due_on("1999-01-01").is_err());
        assert_eq!(
            parse_tracker_url("https://jira.example.com/OPS-1"),
            Ok(Some("https://jira.example.com/OPS-1".into()))
        );
        assert!(parse_tracker_url("javascript:alert(1)").is_err());
        assert!(parse_tracker_url("https://a b").is_err());
        let people = vec![UserRef {
            id: 7,
            email: "kenji@example.com".into(),
            name: "Kenji".into(),
        }];
        assert_eq!(parse_owner("7", &people), Ok(Some(7)));
        assert_eq!(parse_owner("Kenji@Example.com", &people), Ok(Some(7)));
        assert!(parse_owner("8", &people).is_err());
    }

    #[test]
    fn wont_do_without_a_reason_is_refused() {
        let mut p = Problems::default();
        assert_eq!(
            parse_status_and_reason(&mut p, ActionStatus::WontDo, None),
            None
        );
        assert!(p.finish().is_err());
        let mut p = Problems::default();
        assert_eq!(
            parse_status_and_reason(&mut p, ActionStatus::Done, Some("left over")),
            Some(None)
        );
    }
}
