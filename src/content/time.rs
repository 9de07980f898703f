//! Dates and durations as authors write them in front matter.

use std::fmt;

use serde::Serialize;

/// A calendar date as the author wrote it, with an optional time kept for feeds
/// (`2025-03-01T09:30:00Z`). A date written with an offset keeps its own day and time and
/// the offset (`2014-05-01 22:00:00 -0500` is 1 May, as in Jekyll's URLs), so the day a
/// page shows is the day its author meant.
///
/// Dates order by the instant they name: `2025-01-02T10:00:00+14:00` (1 January, 20:00
/// UTC) is earlier than `2025-01-02T01:00:00-10:00` (2 January, 11:00 UTC). A time without
/// an offset is UTC; a date without a time sorts before every time given on that day (UTC),
/// as it always did. Two spellings of one instant stay apart (by their fields), so the
/// order agrees with `==`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    /// Seconds after midnight, when the author gave a time; UTC unless `offset` says.
    pub seconds: Option<u32>,
    /// Seconds east of UTC of the time, when the author wrote an offset.
    pub offset: Option<i32>,
}

impl Date {
    /// `2025-03-01`
    pub fn iso_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// RFC 3339 timestamp for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        let s = self.seconds.unwrap_or(0);
        let zone = match self.offset {
            None | Some(0) => "Z".to_string(),
            Some(offset) => {
                let sign = if offset < 0 { '-' } else { '+' };
                let minutes = offset.unsigned_abs() / 60;
                format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
            }
        };
        format!(
            "{}T{:02}:{:02}:{:02}{zone}",
            self.iso_date(),
            s / 3600,
            (s / 60) % 60,
            s % 60
        )
    }

    /// `1 March 2025`, for people.
    pub fn display(&self) -> String {
        let month = month_name(self.month);
        format!("{} {month} {}", self.day, self.year)
    }
}

impl Date {
    /// Whole days from `self` to `later` (negative when `later` is earlier); times ignored.
    pub fn days_until(&self, later: &Date) -> i64 {
        let civil = |d: &Date| jiff::civil::Date::new(d.year, d.month, d.day).ok();
        match (civil(self), civil(later)) {
            (Some(a), Some(b)) => i64::from((b - a).get_days()),
            _ => 0,
        }
    }

    /// The calendar day without a time, for comparing dates as people read them.
    #[must_use]
    pub fn day_only(&self) -> Date {
        Date {
            seconds: None,
            offset: None,
            ..*self
        }
    }
}

impl Date {
    /// Seconds from 1970-01-01T00:00:00Z to the instant this date names (its day's start,
    /// UTC, without a time), and whether it has a time.
    fn instant(&self) -> (i64, bool) {
        // Days from the civil date (proleptic Gregorian), as in Howard Hinnant's
        // `days_from_civil`.
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year =
            (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        let days = era * 146_097 + day_of_era - 719_468;
        let seconds = i64::from(self.seconds.unwrap_or(0)) - i64::from(self.offset.unwrap_or(0));
        (days * 86_400 + seconds, self.seconds.is_some())
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant().cmp(&other.instant()).then_with(|| {
            (self.year, self.month, self.day, self.seconds, self.offset).cmp(&(
                other.year,
                other.month,
                other.day,
                other.seconds,
                other.offset,
            ))
        })
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso_date())
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso_date())
    }
}

/// The English name of a month, 1 to 12 (out-of-range values clamp).
pub fn month_name(month: i8) -> &'static str {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS[usize::try_from(month - 1).unwrap_or(0).min(11)]
}

/// A date or duration that could not be read; the text says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text as written (trimmed).
    #[error("invalid date `{0}`; expected YYYY-MM-DD, optionally with a time")]
    Date(String),
    #[error(
        "invalid duration `{0}`; write minutes and hours like `20m`, `1h30m`, `90 min` or `1.5h`"
    )]
    Duration(String),
}

/// Parses a date as Jekyll, Hugo and Zola accept it: `2025-03-01`, with one-digit months and
/// days (`2020-1-02`, `2022-12-7`), optionally followed by a time after `T` or spaces
/// (`09:30`, `09:30:00`, `09:30:00.5`) and an offset (`Z`, `+01:00`, `-0500`, ` -05`), which
/// is kept: the date stays the day written. The error says what was expected.
pub fn parse_date(text: &str) -> Result<Date, TimeError> {
    let text = text.trim();
    let invalid = || TimeError::Date(text.to_string());
    let mut scan = Scan(text);
    let year = scan.number(4, 4).ok_or_else(invalid)?;
    scan.expect('-').ok_or_else(invalid)?;
    let month = scan.number(1, 2).ok_or_else(invalid)?;
    scan.expect('-').ok_or_else(invalid)?;
    let day = scan.number(1, 2).ok_or_else(invalid)?;
    let date = jiff::civil::Date::new(
        i16::try_from(year).map_err(|_| invalid())?,
        i8::try_from(month).map_err(|_| invalid())?,
        i8::try_from(day).map_err(|_| invalid())?,
    )
    .map_err(|_| invalid())?;
    if scan.0.is_empty() {
        return Ok(from_civil(date, None));
    }
    let rest = scan.0;
    scan.0 = rest
        .strip_prefix(['T', 't'])
        .unwrap_or_else(|| rest.trim_start_matches(' '));
    if scan.0.len() == rest.len() {
        return Err(invalid());
    }
    let hour = scan.number(1, 2).ok_or_else(invalid)?;
    scan.expect(':').ok_or_else(invalid)?;
    let minute = scan.number(2, 2).ok_or_else(invalid)?;
    let second = if scan.expect(':').is_some() {
        let second = scan.number(2, 2).ok_or_else(invalid)?;
        if scan.expect('.').is_some() || scan.expect(',').is_some() {
            scan.number(1, 9).ok_or_else(invalid)?;
        }
        second
    } else {
        0
    };
    let time = jiff::civil::Time::new(
        i8::try_from(hour).map_err(|_| invalid())?,
        i8::try_from(minute).map_err(|_| invalid())?,
        i8::try_from(second).map_err(|_| invalid())?,
        0,
    )
    .map_err(|_| invalid())?;
    scan.0 = scan.0.trim_start_matches(' ');
    let offset_seconds = match scan.0.chars().next() {
        None => None,
        Some('Z' | 'z') if scan.0.len() == 1 => Some(0),
        Some(sign @ ('+' | '-')) => {
            scan.0 = &scan.0[1..];
            let hours = scan.two_digits().ok_or_else(invalid)?;
            scan.expect(':');
            let minutes = if scan.0.is_empty() {
                0
            } else {
                scan.two_digits().ok_or_else(invalid)?
            };
            if !scan.0.is_empty() || hours > 23 || minutes > 59 {
                return Err(invalid());
            }
            let magnitude = i32::try_from(hours * 3600 + minutes * 60).map_err(|_| invalid())?;
            Some(if sign == '-' { -magnitude } else { magnitude })
        }
        Some(_) => return Err(invalid()),
    };
    let mut parsed = from_civil(date, Some(seconds_of(time)));
    if let Some(offset) = offset_seconds {
        // Checked as jiff would: the offset must be one it can represent.
        jiff::tz::Offset::from_seconds(offset).map_err(|_| invalid())?;
        parsed.offset = Some(offset);
    }
    Ok(parsed)
}

/// The unread rest of a date being parsed.
struct Scan<'t>(&'t str);

impl Scan<'_> {
    /// Reads `min..=max` ASCII digits as a number.
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let len = self.0.bytes().take_while(u8::is_ascii_digit).count();
        if len < min || len > max {
            return None;
        }
        let (digits, rest) = self.0.split_at(len);
        self.0 = rest;
        digits.parse().ok()
    }

    /// Reads exactly two digits, whatever follows (`-0500` is hours then minutes).
    fn two_digits(&mut self) -> Option<u32> {
        let digits = self
            .0
            .get(..2)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
        self.0 = &self.0[2..];
        digits.parse().ok()
    }

    fn expect(&mut self, c: char) -> Option<()> {
        self.0 = self.0.strip_prefix(c)?;
        Some(())
    }
}

fn from_civil(date: jiff::civil::Date, seconds: Option<u32>) -> Date {
    Date {
        year: date.year(),
        month: date.month(),
        day: date.day(),
        seconds,
        offset: None,
    }
}

fn seconds_of(time: jiff::civil::Time) -> u32 {
    u32::try_from(
        i32::from(time.hour()) * 3600 + i32::from(time.minute()) * 60 + i32::from(time.second()),
    )
    .unwrap_or(0)
}

/// Parses a duration as trainers write it: `20m`, `1h30m`, `1h 30m`, `90 min`, `1.5h`,
/// `2 hours`, or plain minutes (`30`, as the Carpentries' `teaching: 30`).
pub fn parse_duration_minutes(text: &str) -> Result<u32, TimeError> {
    let original = text.trim();
    let invalid = || TimeError::Duration(original.to_string());
    if original.is_empty() {
        return Err(invalid());
    }
    if let Ok(minutes) = original.parse::<u32>() {
        return Ok(minutes);
    }
    let lower = original.to_lowercase();
    let mut total = 0f64;
    let mut rest = lower.as_str();
    let mut seen_unit = false;
    while !rest.trim_start().is_empty() {
        rest = rest.trim_start();
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(invalid());
        }
        let number: f64 = rest[..number_len].parse().map_err(|_| invalid())?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            _ => return Err(invalid()),
        };
        seen_unit = true;
        total += number * factor;
        rest = &rest[unit_len..];
    }
    if !seen_unit || !total.is_finite() || total > f64::from(u32::MAX) {
        return Err(invalid());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(total.round() as u32)
}

/// `90` → `1h 30m`; `45` → `45m`.
pub fn format_duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_order_by_the_instant_they_name() {
        let d = |t: &str| parse_date(t).unwrap();
        assert_eq!(d("1970-01-01").instant(), (0, false));
        assert_eq!(d("2000-03-01").instant().0, 11_017 * 86_400);
        assert_eq!(d("1969-12-31T23:00:00Z").instant().0, -3600);
        assert!(d("2025-01-02T10:00:00+14:00") < d("2025-01-02T01:00:00-10:00"));
        assert!(d("2025-01-02T10:00:00+14:00") < d("2025-01-01T21:00:00Z"));
        // Without a time: before any time that day, after the day before.
        assert!(d("2025-01-02") < d("2025-01-02T00:00:00Z"));
        assert!(d("2025-01-01T23:59:59Z") < d("2025-01-02"));
        assert!(d("2025-01-01") < d("2025-01-02"));
        // One instant, two spellings: ordered, never equal.
        let (a, b) = (d("2025-01-02T10:00:00+01:00"), d("2025-01-02T09:00:00Z"));
        assert_ne!(a.cmp(&b), std::cmp::Ordering::Equal);
        assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    }

    #[test]
    fn durations() {
        for (text, minutes) in [
            ("20m", 20),
            ("1h30m", 90),
            ("1h 30m", 90),
            ("90 min", 90),
            ("1.5h", 90),
            ("2 hours", 120),
            ("30", 30),
            ("45 minutes", 45),
        ] {
            assert_eq!(parse_duration_minutes(text), Ok(minutes), "{text}");
        }
        for bad in ["", "soon", "10x", "h", "1h30"] {
            assert!(parse_duration_minutes(bad).is_err(), "{bad}");
        }
        assert_eq!(format_duration(90), "1h 30m");
        assert_eq!(format_duration(45), "45m");
        assert_eq!(format_duration(120), "2h");
    }

    #[test]
    fn dates() {
        let d = parse_date("2025-03-01").unwrap();
        assert_eq!(d.iso_date(), "2025-03-01");
        assert_eq!(d.rfc3339(), "2025-03-01T00:00:00Z");
        assert_eq!(d.display(), "1 March 2025");
        let t = parse_date("2025-03-01T09:30:00+01:00").unwrap();
        assert_eq!(t.rfc3339(), "2025-03-01T09:30:00+01:00");
        let t = parse_date("2025-03-01 09:30").unwrap();
        assert_eq!(t.rfc3339(), "2025-03-01T09:30:00Z");
        // What Jekyll accepts.
        assert_eq!(parse_date("2020-1-02").unwrap().iso_date(), "2020-01-02");
        assert_eq!(parse_date("2022-12-7").unwrap().iso_date(), "2022-12-07");
        let t = parse_date("2014-05-01 10:00:00 -0500").unwrap();
        assert_eq!(t.rfc3339(), "2014-05-01T10:00:00-05:00");
        let t = parse_date("2014-05-01 23:30:00 -05").unwrap();
        assert_eq!(t.rfc3339(), "2014-05-01T23:30:00-05:00");
        assert_eq!(t.iso_date(), "2014-05-01");
        let t = parse_date("2014-05-01T10:00:00.123Z").unwrap();
        assert_eq!(t.rfc3339(), "2014-05-01T10:00:00Z");
        assert!(parse_date("2025-03-01 9").is_err());
        assert!(parse_date("2025-03-01 09:30 +5").is_err());
        assert!(parse_date("25-03-01").is_err());
        assert!(parse_date("2025-13-01").is_err());
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("2025-02-30").is_err());
        let start = parse_date("2025-09-01").unwrap();
        assert_eq!(start.days_until(&parse_date("2026-06-01").unwrap()), 273);
        assert_eq!(parse_date("2026-06-01").unwrap().days_until(&start), -273);
    }
}
