use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Timelike, Utc};

/// How far in the future a timestamp may be, to allow for clock skew.
const FUTURE_SLACK: Duration = Duration::minutes(5);
/// 1000-01-01T00:00:00Z.
const EARLIEST: i64 = -30_610_224_000;

/// Parses RFC 3339 (`2026-01-31T14:05:00Z`, any offset) or the form
/// `2026-01-31T14:05` that `<input type="datetime-local">` sends, read as UTC.
/// Blank means absent. Fractions of a second are dropped, and a leap
/// second (`23:59:60`) is the next second, as PostgreSQL stores it. Refuses times
/// after `now` + 5 minutes, and before the year 1000 (history is allowed:
/// public postmortems go back to 1628; four-digit years keep text order).
pub fn parse_timestamp(
    text: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, String> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.len() > 64 {
        return Err("is not a timestamp: use RFC 3339, like 2026-01-31T14:05:00Z".into());
    }
    let parsed = DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").map(|n| n.and_utc()))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").map(|n| n.and_utc()))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").map(|n| n.and_utc()))
        .map_err(|_| {
            format!(
                "'{}' is not a timestamp: use RFC 3339, like 2026-01-31T14:05:00Z",
                super::text::printable_excerpt(t)
            )
        })?;
    if parsed > now + FUTURE_SLACK {
        return Err("is in the future".into());
    }
    if parsed.timestamp() < EARLIEST {
        return Err("is before the year 1000, which is surely a mistake".into());
    }
    Ok(Some(without_leap_second(parsed.trunc_subsecs(0))))
}

/// chrono keeps a leap second as second 59 with more than 10⁹ nanoseconds.
fn without_leap_second(t: DateTime<Utc>) -> DateTime<Utc> {
    if t.nanosecond() < 1_000_000_000 {
        return t;
    }
    t.with_nanosecond(0)
        .map_or(t, |second_59| second_59 + Duration::seconds(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn accepts_rfc3339_and_datetime_local() {
        let want = Utc.with_ymd_and_hms(2026, 5, 1, 10, 30, 0).unwrap();
        assert_eq!(
            parse_timestamp(Some("2026-05-01T10:30:00Z"), now()),
            Ok(Some(want))
        );
        assert_eq!(
            parse_timestamp(Some("2026-05-01T12:30:00+02:00"), now()),
            Ok(Some(want))
        );
        assert_eq!(
            parse_timestamp(Some("2026-05-01T10:30"), now()),
            Ok(Some(want))
        );
        assert_eq!(parse_timestamp(Some(""), now()), Ok(None));
        assert_eq!(parse_timestamp(None, now()), Ok(None));
    }

    #[test]
    fn refuses_garbage_future_and_ancient() {
        assert!(
            parse_timestamp(Some("yesterday"), now())
                .unwrap_err()
                .contains("not a timestamp")
        );
        assert!(parse_timestamp(Some("2026-13-01T00:00:00Z"), now()).is_err());
        assert!(
            parse_timestamp(Some("2999-01-01T00:00:00Z"), now())
                .unwrap_err()
                .contains("future")
        );
        assert!(
            parse_timestamp(Some("0999-12-31T00:00:00Z"), now())
                .unwrap_err()
                .contains("1000")
        );
        assert!(parse_timestamp(Some("1628-08-10T12:00:00Z"), now()).is_ok());
        assert_eq!(
            parse_timestamp(Some("2012-06-30T23:59:60Z"), now()),
            Ok(Some(Utc.with_ymd_and_hms(2012, 7, 1, 0, 0, 0).unwrap())),
            "a leap second is the next second"
        );
        assert!(parse_timestamp(Some(&"9".repeat(1000)), now()).is_err());
    }
}
