//! The periods the manager's views compare: this month, last month, this quarter, this year or
//! days chosen, the period before each, and the months of a trend.

use crate::domain::date::{days_in_month, Date};
use serde::{Deserialize, Serialize};

/// How a period was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    ThisYear,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 5] =
        [Preset::ThisMonth, Preset::LastMonth, Preset::ThisQuarter, Preset::ThisYear, Preset::Custom];
}

/// Days from `from` to `to`, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

/// A month as (year, month).
pub type Month = (u16, u8);

fn month_start((y, m): Month) -> Date {
    Date { year: y, month: m, day: 1 }
}

fn month_end((y, m): Month) -> Date {
    Date { year: y, month: m, day: days_in_month(y, m) }
}

/// The month before.
pub fn prev_month((y, m): Month) -> Month {
    if m == 1 {
        (y - 1, 12)
    } else {
        (y, m - 1)
    }
}

fn next_month((y, m): Month) -> Month {
    if m == 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}

impl Period {
    /// Days from `from` to `to`; `None` if `to` is before `from`.
    pub fn new(from: Date, to: Date) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    /// The whole calendar period a preset names around `today` (a custom period starts as this
    /// month).
    pub fn of(preset: Preset, today: Date) -> Period {
        let this = (today.year, today.month);
        match preset {
            Preset::ThisMonth | Preset::Custom => Period { from: month_start(this), to: month_end(this) },
            Preset::LastMonth => {
                let m = prev_month(this);
                Period { from: month_start(m), to: month_end(m) }
            }
            Preset::ThisQuarter => {
                let first = (today.month - 1) / 3 * 3 + 1;
                Period { from: month_start((today.year, first)), to: month_end((today.year, first + 2)) }
            }
            Preset::ThisYear => Period { from: month_start((today.year, 1)), to: month_end((today.year, 12)) },
        }
    }

    /// The period before, to compare with: the same number of whole months just before when the
    /// period is whole months (last month, the quarter before, last year), else the same number of
    /// days just before.
    pub fn previous(self) -> Period {
        if self.from.day == 1 && self.to == month_end((self.to.year, self.to.month)) {
            let n = self.months().len();
            let mut first = (self.from.year, self.from.month);
            for _ in 0..n {
                first = prev_month(first);
            }
            let last = prev_month((self.from.year, self.from.month));
            return Period { from: month_start(first), to: month_end(last) };
        }
        let days = self.days();
        let end = self.from.days_since_epoch() - 1;
        Period { from: Date::from_days_since_epoch(end - days + 1), to: Date::from_days_since_epoch(end) }
    }

    /// Number of days.
    pub fn days(self) -> i64 {
        self.to.days_since_epoch() - self.from.days_since_epoch() + 1
    }

    pub fn contains(self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }

    /// The months the period touches, in order.
    pub fn months(self) -> Vec<Month> {
        let mut out = vec![(self.from.year, self.from.month)];
        while *out.last().unwrap() < (self.to.year, self.to.month) {
            out.push(next_month(*out.last().unwrap()));
        }
        out
    }

    /// The months of its trend chart: the twelve months ending with the period's last month, or
    /// every month of a longer period.
    pub fn trend_months(self) -> Vec<Month> {
        let own = self.months();
        if own.len() >= 12 {
            return own;
        }
        let mut out = vec![(self.to.year, self.to.month)];
        while out.len() < 12 {
            out.push(prev_month(out[out.len() - 1]));
        }
        out.reverse();
        out
    }

    /// A month as a period.
    pub fn month(m: Month) -> Period {
        Period { from: month_start(m), to: month_end(m) }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn presets_are_whole_calendar_periods() {
        let today = d(2026, 12, 3);
        assert_eq!(Period::of(Preset::ThisMonth, today), Period { from: d(2026, 12, 1), to: d(2026, 12, 31) });
        assert_eq!(Period::of(Preset::LastMonth, today), Period { from: d(2026, 11, 1), to: d(2026, 11, 30) });
        assert_eq!(Period::of(Preset::ThisQuarter, today), Period { from: d(2026, 10, 1), to: d(2026, 12, 31) });
        assert_eq!(Period::of(Preset::ThisYear, today), Period { from: d(2026, 1, 1), to: d(2026, 12, 31) });
        assert_eq!(Period::of(Preset::LastMonth, d(2027, 1, 15)).from, d(2026, 12, 1));
        assert_eq!(Period::of(Preset::ThisQuarter, d(2026, 2, 28)).to, d(2026, 3, 31));
    }

    #[test]
    fn the_period_before() {
        let q = Period::of(Preset::ThisQuarter, d(2026, 1, 5));
        assert_eq!(q.previous(), Period { from: d(2025, 10, 1), to: d(2025, 12, 31) });
        let y = Period::of(Preset::ThisYear, d(2024, 6, 1));
        assert_eq!(y.previous(), Period { from: d(2023, 1, 1), to: d(2023, 12, 31) });
        let march = Period::of(Preset::ThisMonth, d(2026, 3, 9));
        assert_eq!(march.previous(), Period { from: d(2026, 2, 1), to: d(2026, 2, 28) });
        // Ten days: the ten days before.
        let custom = Period::new(d(2026, 3, 5), d(2026, 3, 14)).unwrap();
        assert_eq!(custom.previous(), Period { from: d(2026, 2, 23), to: d(2026, 3, 4) });
        assert_eq!(Period::new(d(2026, 3, 5), d(2026, 3, 4)), None);
    }

    #[test]
    fn trend_months() {
        let m = Period::of(Preset::ThisMonth, d(2026, 3, 9));
        let t = m.trend_months();
        assert_eq!((t.len(), t[0], t[11]), (12, (2025, 4), (2026, 3)));
        let long = Period::new(d(2024, 11, 20), d(2026, 1, 2)).unwrap();
        assert_eq!(long.trend_months().len(), 15);
        assert_eq!(Period::month((2024, 2)).to, d(2024, 2, 29));
    }
}
