//! Reminders (提醒): special days coming up (lunar ones on their Gregorian day of the year),
//! planned visits due or overdue, customers not visited for a number of days, and complaints past
//! their deadline. The profile's alerts ask the same rule for special days
//! (`Profile::days_within`).

use super::facts::{Facts, What};
use crate::domain::date::Date;
use crate::domain::model::{CustomerClass, Millis, Severity, SpecialDay};

/// A special day coming up.
#[derive(Clone, Debug, PartialEq)]
pub struct DayDue {
    pub who: u32,
    pub in_days: i64,
    /// The Gregorian day it falls on.
    pub on: Date,
    pub day: SpecialDay,
}

/// The special days of every live customer within `horizon` days of `today`, soonest first.
pub fn special_days(facts: &Facts, today: Date, horizon: i64) -> Vec<DayDue> {
    let t = today.days_since_epoch();
    let mut out: Vec<DayDue> = facts
        .live()
        .flat_map(|(who, c)| {
            c.days_within(today, horizon).into_iter().map(move |(n, day)| DayDue {
                who,
                in_days: n,
                on: Date::from_days_since_epoch(t + n),
                day,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.in_days.cmp(&b.in_days).then_with(|| facts.customer(a.who).name.cmp(&facts.customer(b.who).name))
    });
    out
}

/// A planned visit: the next date of a customer's latest visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitDue {
    pub who: u32,
    pub on: Date,
    /// Days past the planned day (negative: days to go).
    pub late_days: i64,
}

/// The planned visits due within `horizon` days of `today` or overdue, the most overdue first.
pub fn visits_due(facts: &Facts, today: Date, horizon: i64) -> Vec<VisitDue> {
    let mut latest: Vec<Option<Option<Date>>> = vec![None; facts.customers.len()];
    for e in &facts.events {
        if let What::Visit { next } = e.what {
            latest[e.who as usize] = Some(next);
        }
    }
    let t = today.days_since_epoch();
    let mut out: Vec<VisitDue> = latest
        .iter()
        .enumerate()
        .filter_map(|(who, l)| {
            let on = (*l)??;
            let late = t - on.days_since_epoch();
            (late >= -horizon && facts.is_live(who as u32)).then_some(VisitDue { who: who as u32, on, late_days: late })
        })
        .collect();
    out.sort_by_key(|v| (-v.late_days, v.who));
    out
}

/// A customer not visited for longer than asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Neglected {
    pub who: u32,
    /// The last visit, if any.
    pub last: Option<Date>,
    /// Days since the last visit, or since the relationship began when never visited.
    pub days: i64,
}

/// The customers of `classes` with no visit in the last `days` days (never visited ones count
/// from the day the relationship began), important and main customers first, then the longest
/// gap first.
pub fn not_visited(facts: &Facts, today: Date, days: i64, classes: &[CustomerClass]) -> Vec<Neglected> {
    let mut last: Vec<Option<Date>> = vec![None; facts.customers.len()];
    for e in &facts.events {
        if matches!(e.what, What::Visit { .. }) {
            last[e.who as usize] = Some(e.date);
        }
    }
    let t = today.days_since_epoch();
    let mut out: Vec<Neglected> = facts
        .live()
        .filter(|(_, c)| classes.contains(&c.class))
        .filter_map(|(who, c)| {
            let from = last[who as usize].unwrap_or(c.since);
            let gap = t - from.days_since_epoch();
            (gap > days).then_some(Neglected { who, last: last[who as usize], days: gap })
        })
        .collect();
    out.sort_by_key(|n| (facts.customer(n.who).class.code(), -n.days, n.who));
    out
}

/// An open complaint past its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LateComplaint {
    pub who: u32,
    pub date: Date,
    pub severity: Severity,
    pub deadline: Millis,
    /// Whole hours past the deadline.
    pub late_hours: i64,
}

/// Every open complaint past its deadline at `now`, the latest first.
pub fn overdue_complaints(facts: &Facts, now: Millis) -> Vec<LateComplaint> {
    let mut out: Vec<LateComplaint> = facts
        .events
        .iter()
        .filter(|e| facts.is_live(e.who))
        .filter_map(|e| match e.what {
            What::Complaint { open: true, deadline, severity } if deadline < now => Some(LateComplaint {
                who: e.who,
                date: e.date,
                severity,
                deadline,
                late_hours: (now - deadline) / 3_600_000,
            }),
            _ => None,
        })
        .collect();
    out.sort_by_key(|c| (c.deadline, c.who));
    out
}
