//! The dashboard's figures (经营概览) for a period, the same for the period before and by month,
//! and the customers behind each figure. Every ratio keeps its numerator and denominator, so a
//! screen can say how it was reached, and is `None` (shown "—") when the denominator is zero.

use super::facts::{Facts, What};
use super::period::{Month, Period};
use super::quality::Quality;
use crate::domain::i18n::Msg;
use crate::domain::model::{AbcClass, Millis};

/// A figure of the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    NewCustomers,
    ActiveCustomers,
    Stays,
    Nights,
    Revenue,
    SpendPerStay,
    SpendPerCover,
    RepeatRate,
    Complaints,
    ComplaintRate,
    OverdueComplaints,
    VisitsDone,
    VisitsPlanned,
    ACustomers,
    Completeness,
    Accuracy,
}

impl Figure {
    pub const ALL: [Figure; 16] = [
        Figure::NewCustomers,
        Figure::ActiveCustomers,
        Figure::Stays,
        Figure::Nights,
        Figure::Revenue,
        Figure::SpendPerStay,
        Figure::SpendPerCover,
        Figure::RepeatRate,
        Figure::Complaints,
        Figure::ComplaintRate,
        Figure::OverdueComplaints,
        Figure::VisitsDone,
        Figure::VisitsPlanned,
        Figure::ACustomers,
        Figure::Completeness,
        Figure::Accuracy,
    ];

    /// Whether the figure is of a period (else it is the archive as it stands today: no period
    /// before, no trend).
    pub fn is_of_period(self) -> bool {
        !matches!(self, Figure::ACustomers | Figure::Completeness | Figure::Accuracy)
    }

    /// Its name and how it is reached, in words.
    pub fn msgs(self) -> (Msg, Msg) {
        use Figure::*;
        match self {
            NewCustomers => (Msg::KpiNew, Msg::KpiNewHow),
            ActiveCustomers => (Msg::KpiActive, Msg::KpiActiveHow),
            Stays => (Msg::KpiStays, Msg::KpiStaysHow),
            Nights => (Msg::KpiNights, Msg::KpiNightsHow),
            Revenue => (Msg::KpiRevenue, Msg::KpiRevenueHow),
            SpendPerStay => (Msg::KpiPerStay, Msg::KpiPerStayHow),
            SpendPerCover => (Msg::KpiPerCover, Msg::KpiPerCoverHow),
            RepeatRate => (Msg::KpiRepeat, Msg::KpiRepeatHow),
            Complaints => (Msg::KpiComplaints, Msg::KpiComplaintsHow),
            ComplaintRate => (Msg::KpiComplaintRate, Msg::KpiComplaintRateHow),
            OverdueComplaints => (Msg::KpiOverdue, Msg::KpiOverdueHow),
            VisitsDone => (Msg::KpiVisits, Msg::KpiVisitsHow),
            VisitsPlanned => (Msg::KpiPlanned, Msg::KpiPlannedHow),
            ACustomers => (Msg::KpiA, Msg::KpiAHow),
            Completeness => (Msg::KpiComplete, Msg::KpiCompleteHow),
            Accuracy => (Msg::KpiAccurate, Msg::KpiAccurateHow),
        }
    }
}

/// A figure's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Count(u64),
    /// Money in fen.
    Fen(i64),
    /// An average amount: total fen over a count; `None` when the count is zero.
    AvgFen {
        total: i64,
        over: u64,
    },
    /// A share: part over whole; shown as a percentage, "—" when the whole is zero.
    Share {
        part: u64,
        whole: u64,
    },
    /// A mean share in per mille over `of` customers (completeness); "—" when there are none.
    Mean {
        permille_sum: u64,
        of: u64,
    },
}

impl Value {
    /// The value as a number (money in yuan, shares in percent) for charts; `None` for "—".
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Fen(f) => Some(f as f64 / 100.0),
            Value::AvgFen { total, over } => (over > 0).then(|| total as f64 / over as f64 / 100.0),
            Value::Share { part, whole } => (whole > 0).then(|| part as f64 * 100.0 / whole as f64),
            Value::Mean { permille_sum, of } => (of > 0).then(|| permille_sum as f64 / of as f64 / 10.0),
        }
    }

    /// As shown: `12`, `¥1,280.00`, `33.3%`, `—`.
    pub fn text(self) -> String {
        match (self, self.number()) {
            (_, None) => "—".into(),
            (Value::Count(n), _) => group(n as i64),
            (Value::Fen(f), _) => yuan(f),
            (Value::AvgFen { total, over }, _) => yuan((total as f64 / over as f64).round() as i64),
            (_, Some(pct)) => format!("{pct:.1}%"),
        }
    }

    /// How it was reached, when it is a ratio: `3 / 9`, `¥900.00 / 4`.
    pub fn working(self) -> Option<String> {
        match self {
            Value::AvgFen { total, over } => Some(format!("{} / {}", yuan(total), group(over as i64))),
            Value::Share { part, whole } => Some(format!("{} / {}", group(part as i64), group(whole as i64))),
            _ => None,
        }
    }
}

/// `1,234,567`.
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `¥1,280.50`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{}.{:02}", group(fen.abs() / 100), fen.abs() % 100)
}

/// A round top for a chart's value axis: 1, 2 or 5 times a power of ten, at least `max` (1 for
/// nothing to show).
pub fn axis_top(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|v| *v >= max - 1e-9).unwrap_or(10.0 * p)
}

/// The counts of one period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub new_customers: u64,
    pub active: u64,
    pub stays: u64,
    pub nights: u64,
    pub stay_fen: i64,
    pub consumption_fen: i64,
    pub covers: u64,
    /// Customers with a stay, and of them those with two or more.
    pub stayed: u64,
    pub stayed_again: u64,
    pub complaints: u64,
    pub overdue: u64,
    pub visits: u64,
    pub planned: u64,
}

impl Tally {
    /// Counts period `p` of `facts`; complaints overdue as of `now`.
    pub fn of(facts: &Facts, p: Period, now: Millis) -> Tally {
        let mut t = Tally {
            new_customers: facts.live().filter(|(_, c)| p.contains(c.since)).count() as u64,
            ..Tally::default()
        };
        let mut stays_of = vec![0u16; facts.customers.len()];
        let mut active = vec![false; facts.customers.len()];
        for e in facts.events_in(p.from, p.to) {
            let who = e.who as usize;
            match e.what {
                What::Stay { nights, fen } => {
                    t.stays += 1;
                    t.nights += u64::from(nights);
                    t.stay_fen += fen;
                    stays_of[who] = stays_of[who].saturating_add(1);
                    active[who] = true;
                }
                What::Consumption { covers, fen } => {
                    t.consumption_fen += fen;
                    t.covers += u64::from(covers);
                    active[who] = true;
                }
                What::Complaint { open, deadline, .. } => {
                    t.complaints += 1;
                    t.overdue += u64::from(open && deadline < now);
                }
                What::Visit { .. } => {
                    t.visits += 1;
                    active[who] = true;
                }
                What::Note => {}
            }
        }
        t.active = active.iter().filter(|a| **a).count() as u64;
        t.stayed = stays_of.iter().filter(|n| **n >= 1).count() as u64;
        t.stayed_again = stays_of.iter().filter(|n| **n >= 2).count() as u64;
        t.planned = facts.planned_in(p.from, p.to).len() as u64;
        t
    }

    /// A figure of the period (the archive-wide ones come from `now_values`).
    pub fn value(&self, f: Figure, now_values: &NowValues) -> Value {
        use Figure::*;
        match f {
            NewCustomers => Value::Count(self.new_customers),
            ActiveCustomers => Value::Count(self.active),
            Stays => Value::Count(self.stays),
            Nights => Value::Count(self.nights),
            Revenue => Value::Fen(self.stay_fen + self.consumption_fen),
            SpendPerStay => Value::AvgFen { total: self.stay_fen, over: self.stays },
            SpendPerCover => Value::AvgFen { total: self.consumption_fen, over: self.covers },
            RepeatRate => Value::Share { part: self.stayed_again, whole: self.stayed },
            Complaints => Value::Count(self.complaints),
            ComplaintRate => Value::Share { part: self.complaints, whole: self.stays },
            OverdueComplaints => Value::Count(self.overdue),
            VisitsDone => Value::Count(self.visits),
            VisitsPlanned => Value::Count(self.planned),
            ACustomers => Value::Count(now_values.a_customers),
            Completeness => now_values.completeness,
            Accuracy => now_values.accuracy,
        }
    }
}

/// The figures of the archive as it stands (no period).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NowValues {
    pub a_customers: u64,
    pub completeness: Value,
    pub accuracy: Value,
}

impl NowValues {
    pub fn of(facts: &Facts, quality: &Quality) -> NowValues {
        NowValues {
            a_customers: facts.live().filter(|(_, c)| c.abc == Some(AbcClass::A)).count() as u64,
            completeness: quality.completeness(),
            accuracy: quality.accuracy(),
        }
    }
}

/// Each figure of a period with the period before: `(figure, now, before)`; `before` is `None`
/// for the archive-wide figures.
pub type Row = (Figure, Value, Option<Value>);

/// The dashboard: the figures of `p` beside those of the period before.
pub fn figures(facts: &Facts, p: Period, now: Millis, now_values: &NowValues) -> Vec<Row> {
    let this = Tally::of(facts, p, now);
    let before = Tally::of(facts, p.previous(), now);
    Figure::ALL
        .iter()
        .map(|f| {
            let prev = f.is_of_period().then(|| before.value(*f, now_values));
            (*f, this.value(*f, now_values), prev)
        })
        .collect()
}

/// A period figure month by month (its trend chart).
pub fn trend(facts: &Facts, f: Figure, months: &[Month], now: Millis, now_values: &NowValues) -> Vec<(Month, Value)> {
    months.iter().map(|m| (*m, Tally::of(facts, Period::month(*m), now).value(f, now_values))).collect()
}

/// The customers behind a figure of period `p` (positions in `facts`), each once, in archive
/// order; the ratios open the customers of their numerator's whole (customers with a stay for the
/// repeat rate and the average spend per stay, the complaining ones for the complaint rate).
pub fn behind(facts: &Facts, f: Figure, p: Period, now: Millis, quality: &Quality) -> Vec<u32> {
    use Figure::*;
    let mut hit = vec![0u16; facts.customers.len()];
    let events = facts.events_in(p.from, p.to);
    let mut mark = |who: u32| hit[who as usize] = hit[who as usize].saturating_add(1);
    match f {
        NewCustomers => return facts.live().filter(|(_, c)| p.contains(c.since)).map(|(i, _)| i).collect(),
        ACustomers => return facts.live().filter(|(_, c)| c.abc == Some(AbcClass::A)).map(|(i, _)| i).collect(),
        Completeness => return quality.incomplete(),
        Accuracy => return quality.inaccurate(),
        VisitsPlanned => facts.planned_in(p.from, p.to).iter().for_each(|(_, who)| mark(*who)),
        _ => {
            for e in events {
                let counts = match (f, e.what) {
                    (ActiveCustomers, What::Stay { .. } | What::Consumption { .. } | What::Visit { .. }) => true,
                    (Stays | Nights | SpendPerStay | RepeatRate, What::Stay { .. }) => true,
                    (Revenue, What::Stay { .. } | What::Consumption { .. }) => true,
                    (SpendPerCover, What::Consumption { .. }) => true,
                    (Complaints | ComplaintRate, What::Complaint { .. }) => true,
                    (OverdueComplaints, What::Complaint { open, deadline, .. }) => open && deadline < now,
                    (VisitsDone, What::Visit { .. }) => true,
                    _ => false,
                };
                if counts {
                    mark(e.who);
                }
            }
        }
    }
    let least = if f == RepeatRate { 2 } else { 1 };
    hit.iter().enumerate().filter(|(i, n)| **n >= least && facts.is_live(*i as u32)).map(|(i, _)| i as u32).collect()
}
