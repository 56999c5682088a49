//! Calendar dates without time zones: birthdays, special days, visit and stay dates.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date, stored and shown as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// Days in `month` of `year` (Gregorian).
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

impl Date {
    /// A date if `year-month-day` exists in the Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD` and compact `YYYYMMDD`).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let (y, m, d) = if parts.len() == 3 {
            (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?)
        } else if digits.len() == 8 && digits.len() == s.len() {
            (digits[0..4].parse().ok()?, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?)
        } else {
            return None;
        };
        if !(1000..=9999).contains(&y) {
            return None;
        }
        Date::new(y, m, d)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// The UTC date of a Unix time in milliseconds.
    pub fn from_millis(ms: i64) -> Date {
        Date::from_days_since_epoch(ms.div_euclid(86_400_000))
    }

    /// Days from `self` until the next occurrence of `month-day` (0 when it is today).
    /// 29 February falls on 28 February in common years.
    pub fn days_until_anniversary(self, month: u8, day: u8) -> i64 {
        let on = |year: u16| {
            let d = day.min(days_in_month(year, month));
            Date::new(year, month, d)
        };
        let today = self.days_since_epoch();
        match on(self.year) {
            Some(this_year) if this_year.days_since_epoch() >= today => this_year.days_since_epoch() - today,
            _ => on(self.year + 1).map_or(i64::MAX, |d| d.days_since_epoch() - today),
        }
    }

    /// Whole years from `self` to `on` (age on a date).
    pub fn years_until(self, on: Date) -> i32 {
        let mut years = i32::from(on.year) - i32::from(self.year);
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Date, String> {
        Date::parse(&s).ok_or_else(|| format!("not a date: {s}"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms_and_rejects_impossible_dates() {
        assert_eq!(Date::parse("1990-03-07"), Date::new(1990, 3, 7));
        assert_eq!(Date::parse("1990/3/7"), Date::new(1990, 3, 7));
        assert_eq!(Date::parse("19900307"), Date::new(1990, 3, 7));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse("1990-13-01"), None);
        assert_eq!(Date::parse("abc"), None);
        assert_eq!(Date::parse(""), None);
    }

    #[test]
    fn epoch_days_round_trip() {
        for days in [-600_000, -1, 0, 1, 19_000, 20_000, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::from_millis(1_700_000_000_000).to_string(), "2023-11-14");
    }

    #[test]
    fn anniversaries_wrap_to_next_year() {
        let today = Date::new(2026, 12, 30).unwrap();
        assert_eq!(today.days_until_anniversary(12, 30), 0);
        assert_eq!(today.days_until_anniversary(1, 2), 3);
        let feb = Date::new(2027, 2, 20).unwrap();
        assert_eq!(feb.days_until_anniversary(2, 29), 8);
    }

    #[test]
    fn age() {
        let b = Date::new(1990, 6, 15).unwrap();
        assert_eq!(b.years_until(Date::new(2026, 6, 14).unwrap()), 35);
        assert_eq!(b.years_until(Date::new(2026, 6, 15).unwrap()), 36);
    }
}
