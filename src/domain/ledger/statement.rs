//! The reconciliation statement (对账单) of a period: the balance brought forward, every movement
//! of the period with the running balance, the closing balance and the aging at the end date.
//! The closing balance of one period is the opening balance of the next.

use super::aging::{self, Basis, Buckets, Row};
use super::Account;
use crate::domain::date::Date;

/// One movement of the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The posting (in [`Account::posts`]) and its entry (in the slice the account was built from).
    pub post: u32,
    pub entry: u32,
    pub date: Date,
    /// What it added to what is owed (fen, 0 for a credit) and what it took off.
    pub debit: i64,
    pub credit: i64,
    /// The balance after it.
    pub balance: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub from: Date,
    pub to: Date,
    /// The balance at the end of the day before `from`.
    pub opening: i64,
    pub lines: Vec<Line>,
    pub debits: i64,
    pub credits: i64,
    pub closing: i64,
    /// Aging at `to`, by due date.
    pub aging: Row,
}

/// The statement of `account` from `from` to `to` (both included).
pub fn of(account: &Account, from: Date, to: Date, buckets: &Buckets) -> Statement {
    let before = Date::from_days_since_epoch(from.days_since_epoch() - 1);
    let opening = account.balance(before);
    let mut balance = opening;
    let mut lines = Vec::new();
    let (mut debits, mut credits) = (0, 0);
    for (i, p) in account.posts.iter().enumerate() {
        if p.date < from || p.date > to {
            continue;
        }
        balance += p.amount;
        let (debit, credit) = if p.amount > 0 { (p.amount, 0) } else { (0, -p.amount) };
        debits += debit;
        credits += credit;
        lines.push(Line { post: i as u32, entry: p.entry, date: p.date, debit, credit, balance });
    }
    Statement {
        from,
        to,
        opening,
        lines,
        debits,
        credits,
        closing: balance,
        aging: aging::row(account, to, Basis::Due, buckets),
    }
}
