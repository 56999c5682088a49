//! Credit (信用, seed 000 §8): a limit by amount and by days per customer (or the defaults of
//! their class), the check the desk sees before a sale is saved, the alert on the profile, and
//! the rating A/B/C suggested from how the customer paid over the last twelve months, in words.

use super::aging::{days, Basis};
use super::Account;
use crate::domain::date::Date;
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::model::{format_yuan, CreditRating, CustomerClass, Profile};
use serde::{Deserialize, Serialize};

/// A credit limit: the most a customer may owe (fen) and the longest an invoice may stay unpaid
/// (days since its date). `None`: no limit of that kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u16>,
}

impl Limit {
    pub fn is_none(&self) -> bool {
        self.amount_fen.is_none() && self.days.is_none()
    }

    /// This limit, each part missing taken from `default` (the class's).
    pub fn or(self, default: Limit) -> Limit {
        Limit { amount_fen: self.amount_fen.or(default.amount_fen), days: self.days.or(default.days) }
    }
}

/// Payment terms when neither the customer nor their class sets any (days).
pub const DEFAULT_TERMS_DAYS: u16 = 30;

/// A customer class's defaults: its credit limit and payment terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassTerms {
    #[serde(skip_serializing_if = "Limit::is_none")]
    pub limit: Limit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_days: Option<u16>,
}

impl ClassTerms {
    /// A class's defaults as typed: the limit in yuan, its days and the payment terms (each may
    /// be left empty: none). The first field that does not read is named with its message.
    pub fn parse(amount: &str, days: &str, terms: &str) -> Result<ClassTerms, (usize, Msg)> {
        use crate::domain::model::parse_yuan;
        use crate::domain::transfer::columns::days_value;
        let amount_fen = match amount.trim() {
            "" => None,
            t => Some(parse_yuan(t).filter(|f| *f >= 0).ok_or((0, Msg::ErrAmount))?),
        };
        let day = |i: usize, t: &str| match t.trim() {
            "" => Ok(None),
            t => days_value(t).map(Some).ok_or((i, Msg::ErrDays)),
        };
        Ok(ClassTerms { limit: Limit { amount_fen, days: day(1, days)? }, terms_days: day(2, terms)? })
    }

    /// The three values as typed back (empty where none).
    pub fn texts(&self) -> [String; 3] {
        [
            self.limit.amount_fen.map(crate::domain::model::format_fen).unwrap_or_default(),
            self.limit.days.map(|d| d.to_string()).unwrap_or_default(),
            self.terms_days.map(|d| d.to_string()).unwrap_or_default(),
        ]
    }
}

/// Each class's defaults (from the policy; a class not named has none).
pub type Defaults = std::collections::BTreeMap<CustomerClass, ClassTerms>;

/// The limit and payment terms that apply to `p`: its own, each part missing taken from its
/// class's defaults, terms 30 days when neither says.
pub fn terms_for(p: &Profile, defaults: &Defaults) -> (Limit, u16) {
    let class = defaults.get(&p.class).copied().unwrap_or_default();
    (p.credit_limit.or(class.limit), p.terms_days.or(class.terms_days).unwrap_or(DEFAULT_TERMS_DAYS))
}

/// What the credit check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The sale would take the balance past the limit by `by`.
    WouldExceed { by: i64, limit: i64 },
    /// The balance is already past the limit by `by`.
    AlreadyOver { by: i64, limit: i64 },
    /// An invoice (its posting) has stayed unpaid `days` days, past the limit of `limit`.
    PastDays { post: u32, date: Date, open: i64, days: i64, limit: u16 },
}

impl Warning {
    /// In the clerk's words.
    pub fn words(&self, l: Locale) -> String {
        match self {
            Warning::WouldExceed { by, limit } => {
                fill(l.t(Msg::CreditWouldExceed), &[&format_yuan(*limit), &format_yuan(*by)])
            }
            Warning::AlreadyOver { by, limit } => {
                fill(l.t(Msg::CreditAlreadyOver), &[&format_yuan(*limit), &format_yuan(*by)])
            }
            Warning::PastDays { date, open, days, limit, .. } => {
                fill(l.t(Msg::CreditPastDays), &[date, &format_yuan(*open), days, limit])
            }
        }
    }
}

/// Where the customer stands on `on` against `limit`: already over the amount, invoices past the
/// day limit (the oldest first).
pub fn standing(account: &Account, on: Date, limit: Limit) -> Vec<Warning> {
    standing_at(&account.position(on), on, limit)
}

fn standing_at(position: &super::Position, on: Date, limit: Limit) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(max) = limit.amount_fen {
        let balance = position.balance();
        if balance > max {
            out.push(Warning::AlreadyOver { by: balance - max, limit: max });
        }
    }
    if let Some(max_days) = limit.days {
        for o in position.open() {
            let d = days(o, on, Basis::Invoice);
            if d > i64::from(max_days) {
                out.push(Warning::PastDays { post: o.post, date: o.date, open: o.open, days: d, limit: max_days });
            }
        }
    }
    out
}

/// The check before a sale of `amount` is saved on `on`: whether it would pass the limit (by
/// how much), and where the customer already stands.
pub fn check_sale(account: &Account, on: Date, limit: Limit, amount: i64) -> Vec<Warning> {
    let position = account.position(on);
    let mut out = standing_at(&position, on, limit);
    if let Some(max) = limit.amount_fen {
        let balance = position.balance();
        if balance <= max && balance + amount > max {
            out.insert(0, Warning::WouldExceed { by: balance + amount - max, limit: max });
        }
    }
    out
}

/// How a customer paid over the twelve months before a day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Behaviour {
    /// Invoices dated in the window, and how many of them were (or are) paid late.
    pub invoices: u32,
    pub late: u32,
    /// The late ones' share of the invoiced amount, in percent (rounded down).
    pub late_share: u32,
    /// Days beyond terms, averaged over the late invoices weighted by amount.
    pub avg_days_late: i64,
    /// The longest an invoice still open is past due today (0 when none is).
    pub worst_open: i64,
}

/// Payment behaviour over the 365 days up to `on`: an invoice is late if it was paid after its
/// due date, or is still open past it.
pub fn behaviour(account: &Account, on: Date) -> Behaviour {
    let since = on.days_since_epoch() - 365;
    let position = account.position(on);
    let mut b = Behaviour::default();
    let (mut total, mut late_amount, mut weighted) = (0i128, 0i128, 0i128);
    for d in &position.debits {
        if d.open > 0 {
            b.worst_open = b.worst_open.max(days(d, on, Basis::Due));
        }
        if d.date.days_since_epoch() <= since {
            continue;
        }
        b.invoices += 1;
        total += i128::from(d.amount);
        let end = d.paid_on.unwrap_or(on);
        let late = end.days_since_epoch() - d.due.days_since_epoch();
        if late > 0 {
            b.late += 1;
            late_amount += i128::from(d.amount);
            weighted += i128::from(d.amount) * i128::from(late);
        }
    }
    if total > 0 {
        b.late_share = (late_amount * 100 / total) as u32;
    }
    if late_amount > 0 {
        b.avg_days_late = (weighted / late_amount) as i64;
    }
    b
}

/// The rating the behaviour suggests: C (hard to collect) when an invoice is over 90 days past
/// due, the late ones were on average over 60 days late, or more than half the amount was late
/// by over 30 days on average; A (pays on time) when at most a tenth was late, by a week at most,
/// and nothing is over 7 days past due; else B (often owes, collectable). `None` with no invoice
/// in the window (nothing to judge by).
pub fn suggest(b: &Behaviour) -> Option<CreditRating> {
    if b.invoices == 0 {
        return None;
    }
    Some(if b.worst_open > 90 || b.avg_days_late > 60 || (b.late_share > 50 && b.avg_days_late > 30) {
        CreditRating::C
    } else if b.late_share <= 10 && b.avg_days_late <= 7 && b.worst_open <= 7 {
        CreditRating::A
    } else {
        CreditRating::B
    })
}

/// The reason for a suggestion in words.
pub fn reason(b: &Behaviour, l: Locale) -> String {
    if b.invoices == 0 {
        return l.t(Msg::RatingNoInvoices).to_string();
    }
    let mut out = fill(l.t(Msg::RatingInvoices), &[&b.invoices, &b.late, &b.late_share]);
    if b.late > 0 {
        out.push_str(&fill(l.t(Msg::RatingAvgLate), &[&b.avg_days_late]));
    }
    if b.worst_open > 0 {
        out.push_str(&fill(l.t(Msg::RatingWorstOpen), &[&b.worst_open]));
    }
    out
}
