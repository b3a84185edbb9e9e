//! Formatting times and durations for people.
use chrono::{DateTime, Duration, Utc};

/// `2026-05-01 14:05 UTC`.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The value for `<input type="datetime-local" step="1">`, in UTC.
pub fn datetime_local(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// Exact durations in human units, never rounded up: `45s`, `12m 5s`,
/// `3h 4m`, `2d 5h`. Negative durations keep their sign.
pub fn format_duration(d: Duration) -> String {
    let secs = d.num_seconds();
    let (sign, secs) = if secs < 0 { ("-", -secs) } else { ("", secs) };
    let (days, hours, minutes, seconds) = (
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        secs % 60,
    );
    let body = match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds}s"),
        (0, 0, m) if seconds > 0 => format!("{m}m {seconds}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    };
    format!("{sign}{body}")
}

/// Seconds (a median may end in .5) as an exact human duration.
pub fn format_seconds(seconds: f64) -> String {
    format_duration(Duration::seconds(seconds.round() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations_are_exact_and_readable() {
        assert_eq!(format_duration(Duration::seconds(45)), "45s");
        assert_eq!(format_duration(Duration::seconds(12 * 60 + 5)), "12m 5s");
        assert_eq!(format_duration(Duration::seconds(600)), "10m");
        assert_eq!(
            format_duration(Duration::seconds(3 * 3600 + 4 * 60 + 59)),
            "3h 4m"
        );
        assert_eq!(
            format_duration(Duration::seconds(2 * 86_400 + 5 * 3600)),
            "2d 5h"
        );
        assert_eq!(format_duration(Duration::seconds(-90)), "-1m 30s");
    }

    #[test]
    fn times_are_utc_and_round_trip_through_datetime_local() {
        let t = Utc.with_ymd_and_hms(2026, 5, 1, 14, 5, 9).unwrap();
        assert_eq!(format_time(t), "2026-05-01 14:05 UTC");
        assert_eq!(datetime_local(Some(t)), "2026-05-01T14:05:09");
        assert_eq!(datetime_local(None), "");
    }
}
