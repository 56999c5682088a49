//! The Chinese lunar calendar (农历) for special days kept in it: a guest's lunar birthday falls on
//! a different Gregorian day every year. The table is `chinese-lunisolar-calendar`'s (1901–2100;
//! why this crate: `docs/lunar-calendar.md`); this module only adds the rules a birthday needs:
//!
//! - a day in a **leap month** (闰四月) falls in that leap month in the years that have it, and
//!   in the regular month of the same number in the years that do not (the usual practice);
//! - the **30th** of a month that has only 29 days that year falls on its 29th.

use super::date::Date;
use chinese_lunisolar_calendar::{LunarDay, LunisolarDate, SolarDate};

/// A day of the lunar calendar: the lunar year (numbered by the Gregorian year it begins in),
/// the month 1–12, whether it is that year's leap month, and the day 1–30.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LunarDate {
    pub year: u16,
    pub month: u8,
    pub leap: bool,
    pub day: u8,
}

/// The lunar date of a Gregorian day (1901-02-19 to 2101-01-28; `None` outside).
pub fn to_lunar(d: Date) -> Option<LunarDate> {
    let solar = SolarDate::from_ymd(d.year, d.month, d.day).ok()?;
    let l = LunisolarDate::from_solar_date(solar).ok()?;
    let month = l.to_lunar_month();
    Some(LunarDate {
        year: l.to_lunisolar_year().to_solar_year().to_u16(),
        month: month.to_u8(),
        leap: month.is_leap_month(),
        day: l.to_lunar_day().to_u8(),
    })
}

/// The Gregorian day of a lunar date exactly as given (`None` if that year has no such leap
/// month or the month no such day).
pub fn to_solar(l: LunarDate) -> Option<Date> {
    let s = LunisolarDate::from_ymd(l.year, l.month, l.leap, l.day).ok()?.to_solar_date();
    Date::new(s.to_solar_year().to_u16(), s.to_solar_month().to_u8(), s.to_solar_day().to_u8())
}

/// Where a yearly lunar day (month, leap, day) falls in lunar year `year`: the leap month only
/// if that year has it, else the regular month; a 30th in a 29-day month on the 29th.
pub fn in_year(year: u16, month: u8, leap: bool, day: u8) -> Option<Date> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let at = |leap: bool| {
        to_solar(LunarDate { year, month, leap, day })
            .or_else(|| (day == 30).then(|| to_solar(LunarDate { year, month, leap, day: 29 })).flatten())
    };
    if leap {
        at(true).or_else(|| at(false))
    } else {
        at(false)
    }
}

/// Days from `today` until the next time the yearly lunar day falls (0 when it is today);
/// `None` outside the table's years.
pub fn days_until(today: Date, month: u8, leap: bool, day: u8) -> Option<i64> {
    let now = to_lunar(today)?;
    let t = today.days_since_epoch();
    // Last lunar year's day can still be ahead only if it is today's year; this year's or the next.
    [now.year, now.year + 1]
        .into_iter()
        .filter_map(|y| in_year(y, month, leap, day))
        .map(|d| d.days_since_epoch() - t)
        .find(|n| *n >= 0)
}

const MONTHS: [&str; 12] =
    ["正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"];

/// A lunar day as written in Chinese: `四月初八`, `闰二月三十`.
pub fn zh_label(month: u8, leap: bool, day: u8) -> String {
    let m = MONTHS.get(usize::from(month.max(1)) - 1).copied().unwrap_or("?");
    let d = LunarDay::from_u8(day).map(|d| d.to_str()).unwrap_or("?");
    format!("{}{m}{d}", if leap { "闰" } else { "" })
}

/// Reads a lunar day written as [`zh_label`] writes it (`四月初八`, `闰二月三十`, also `十一月`,
/// `十二月`, `臘月`) or as numbers (`04-08`; a leap month as `闰04-08`): month, leap, day.
pub fn parse(s: &str) -> Option<(u8, bool, u8)> {
    let s = s.trim();
    let (leap, s) = match s.strip_prefix('闰').or_else(|| s.strip_prefix('閏')) {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if let Some((m, d)) = super::validate::parse_month_day(s) {
        return Some((m, leap, d));
    }
    // Longest names first: 十一月 before 十月… and 一月.
    const MORE: [(&str, u8); 4] = [("十一月", 11), ("十二月", 12), ("一月", 1), ("臘月", 12)];
    let (month, rest) = MORE
        .iter()
        .copied()
        .chain(MONTHS.iter().zip(1..).map(|(m, n)| (*m, n)))
        .find_map(|(name, n)| s.strip_prefix(name).map(|rest| (n, rest)))?;
    let day = LunarDay::parse_str(rest.trim()).ok()?.to_u8();
    Some((month, leap, day))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    /// 正月初一 (Spring Festival) 1990–2050, as published (Hong Kong Observatory tables).
    const SPRING_FESTIVAL: [(u16, u8, u8); 61] = [
        (1990, 1, 27),
        (1991, 2, 15),
        (1992, 2, 4),
        (1993, 1, 23),
        (1994, 2, 10),
        (1995, 1, 31),
        (1996, 2, 19),
        (1997, 2, 7),
        (1998, 1, 28),
        (1999, 2, 16),
        (2000, 2, 5),
        (2001, 1, 24),
        (2002, 2, 12),
        (2003, 2, 1),
        (2004, 1, 22),
        (2005, 2, 9),
        (2006, 1, 29),
        (2007, 2, 18),
        (2008, 2, 7),
        (2009, 1, 26),
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2028, 1, 26),
        (2029, 2, 13),
        (2030, 2, 3),
        (2031, 1, 23),
        (2032, 2, 11),
        (2033, 1, 31),
        (2034, 2, 19),
        (2035, 2, 8),
        (2036, 1, 28),
        (2037, 2, 15),
        (2038, 2, 4),
        (2039, 1, 24),
        (2040, 2, 12),
        (2041, 2, 1),
        (2042, 1, 22),
        (2043, 2, 10),
        (2044, 1, 30),
        (2045, 2, 17),
        (2046, 2, 6),
        (2047, 1, 26),
        (2048, 2, 14),
        (2049, 2, 2),
        (2050, 1, 23),
    ];

    #[test]
    fn spring_festival_1990_to_2050_as_published() {
        for (y, m, day) in SPRING_FESTIVAL {
            assert_eq!(in_year(y, 1, false, 1), Some(d(y, m, day)), "{y}");
            assert_eq!(to_lunar(d(y, m, day)), Some(LunarDate { year: y, month: 1, leap: false, day: 1 }));
        }
    }

    #[test]
    fn leap_months_as_published() {
        // 闰四月 2020 began on 23 May, 五月 on 21 June; 闰二月 2023 on 22 March, 三月 on 20 April.
        assert_eq!(to_lunar(d(2020, 5, 23)), Some(LunarDate { year: 2020, month: 4, leap: true, day: 1 }));
        assert_eq!(to_lunar(d(2020, 6, 21)), Some(LunarDate { year: 2020, month: 5, leap: false, day: 1 }));
        assert_eq!(to_lunar(d(2023, 3, 22)), Some(LunarDate { year: 2023, month: 2, leap: true, day: 1 }));
        assert_eq!(to_lunar(d(2023, 4, 20)), Some(LunarDate { year: 2023, month: 3, leap: false, day: 1 }));
        // The regular 四月 2020 came before its leap month.
        assert_eq!(in_year(2020, 4, false, 1), Some(d(2020, 4, 23)));
    }

    #[test]
    fn a_leap_month_birthday_falls_in_the_regular_month_of_years_without_it() {
        // Born 闰四月初八 2020 (2020-05-30): in 2020 on that day; in 2026 (leap month 6) on 四月初八.
        assert_eq!(in_year(2020, 4, true, 8), Some(d(2020, 5, 30)));
        assert_eq!(in_year(2026, 4, true, 8), in_year(2026, 4, false, 8));
        assert_eq!(in_year(2026, 4, false, 8), Some(d(2026, 5, 24)));
    }

    #[test]
    fn the_thirtieth_of_a_short_month_falls_on_its_29th() {
        // 腊月 2025 (lunar year 2025) has 29 days: 除夕 2026 was 2026-02-16, its 29th.
        assert_eq!(to_lunar(d(2026, 2, 16)), Some(LunarDate { year: 2025, month: 12, leap: false, day: 29 }));
        assert_eq!(in_year(2025, 12, false, 30), Some(d(2026, 2, 16)));
        assert_eq!(in_year(2025, 13, false, 1), None);
    }

    #[test]
    fn days_until_the_next_lunar_birthday() {
        // 四月初八 2026 is 24 May.
        assert_eq!(days_until(d(2026, 5, 24), 4, false, 8), Some(0));
        assert_eq!(days_until(d(2026, 5, 17), 4, false, 8), Some(7));
        // Passed this lunar year: next year's (四月初八 2027 is 13 May).
        assert_eq!(
            days_until(d(2026, 5, 25), 4, false, 8),
            Some(d(2027, 5, 13).days_since_epoch() - d(2026, 5, 25).days_since_epoch())
        );
        // 腊月 of the lunar year begun last Gregorian year: 2026-01-10 is in lunar 2025.
        assert_eq!(
            days_until(d(2026, 1, 10), 12, false, 1),
            Some(d(2026, 1, 19).days_since_epoch() - d(2026, 1, 10).days_since_epoch())
        );
    }

    #[test]
    fn labels() {
        assert_eq!(zh_label(4, false, 8), "四月初八");
        assert_eq!(zh_label(2, true, 30), "闰二月三十");
        assert_eq!(zh_label(12, false, 21), "腊月廿一");
        for (m, leap, d) in
            [(4, false, 8), (2, true, 30), (11, false, 1), (12, true, 21), (1, false, 15), (10, false, 10)]
        {
            assert_eq!(parse(&zh_label(m, leap, d)), Some((m, leap, d)));
        }
        assert_eq!(parse("十一月初一"), Some((11, false, 1)));
        assert_eq!(parse("闰04-08"), Some((4, true, 8)));
        assert_eq!(parse("臘月廿三"), Some((12, false, 23)));
        assert_eq!(parse("十三月初一"), None);
        assert_eq!(parse("四月"), None);
    }
}
