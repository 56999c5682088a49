//! Aging (账龄分析) as of any date: each open debit's days past due (or since its invoice date),
//! put in buckets whose edges staff may change (default 0–30 / 31–60 / 61–90 / over 90), per
//! customer and archive-wide, with the invoices behind each figure.

use super::{Account, Open};
use crate::domain::date::Date;
use serde::{Deserialize, Serialize};

/// What the days are counted from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Days past the due date (an invoice not yet due is "not due").
    #[default]
    Due,
    /// Days since the invoice date.
    Invoice,
}

/// The bucket edges: `[30, 60, 90]` makes 0–30, 31–60, 61–90 and over 90 (plus "not due").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buckets {
    edges: Vec<u32>,
}

impl Default for Buckets {
    fn default() -> Buckets {
        Buckets { edges: vec![30, 60, 90] }
    }
}

/// Why typed bucket edges were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgesError {
    /// Not whole numbers of days separated by commas.
    NotNumbers,
    /// Not increasing, or zero.
    NotIncreasing,
    /// None, or more than [`Buckets::MAX`].
    Count,
}

impl Buckets {
    /// Most edges allowed (seven buckets of days past due).
    pub const MAX: usize = 6;

    pub fn new(edges: Vec<u32>) -> Result<Buckets, EdgesError> {
        if edges.is_empty() || edges.len() > Self::MAX {
            return Err(EdgesError::Count);
        }
        if edges[0] == 0 || edges.windows(2).any(|w| w[0] >= w[1]) || edges.iter().any(|&e| e > 3650) {
            return Err(EdgesError::NotIncreasing);
        }
        Ok(Buckets { edges })
    }

    /// Edges typed as `30, 60, 90` (also `30/60/90`, `30，60，90`).
    pub fn parse(text: &str) -> Result<Buckets, EdgesError> {
        let parts: Vec<&str> = text.split([',', '，', '/', '、', ' ']).filter(|s| !s.trim().is_empty()).collect();
        let edges = parts.iter().map(|p| p.trim().parse::<u32>()).collect::<Result<Vec<_>, _>>();
        Buckets::new(edges.map_err(|_| EdgesError::NotNumbers)?)
    }

    pub fn edges(&self) -> &[u32] {
        &self.edges
    }

    /// The edges as staff type them.
    pub fn text(&self) -> String {
        self.edges.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
    }

    /// How many buckets: "not due", one per range up to each edge, and "over the last edge".
    pub fn len(&self) -> usize {
        self.edges.len() + 2
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The bucket of `days` past due: 0 when not yet due (negative), then 0…e1, e1+1…e2, …,
    /// over the last edge.
    pub fn of(&self, days: i64) -> usize {
        if days < 0 {
            return 0;
        }
        1 + self.edges.iter().take_while(|&&e| days > i64::from(e)).count()
    }

    /// A bucket's heading in days (`0–30`, `31–60`, `> 90`), or `None` for "not due".
    pub fn range(&self, bucket: usize) -> Option<String> {
        match bucket {
            0 => None,
            b if b == self.len() - 1 => Some(format!("> {}", self.edges[b - 2])),
            1 => Some(format!("0–{}", self.edges[0])),
            b => Some(format!("{}–{}", self.edges[b - 2] + 1, self.edges[b - 1])),
        }
    }
}

/// An open debit with its age.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aged {
    pub open: Open,
    /// Days past due (or since the invoice): negative when not yet due.
    pub days: i64,
    pub bucket: usize,
}

/// One customer's aging, or the archive's total.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// Open amounts per bucket (fen).
    pub cells: Vec<i64>,
    /// Credit not allocated to any invoice, shown beside the buckets and taken off the total.
    pub unapplied: i64,
}

impl Row {
    fn empty(buckets: &Buckets) -> Row {
        Row { cells: vec![0; buckets.len()], unapplied: 0 }
    }

    /// The total owed (equals the balance).
    pub fn total(&self) -> i64 {
        self.cells.iter().sum::<i64>() - self.unapplied
    }

    /// What is past due: every bucket but "not due".
    pub fn overdue(&self) -> i64 {
        self.cells.iter().skip(1).sum()
    }

    pub fn is_zero(&self) -> bool {
        self.unapplied == 0 && self.cells.iter().all(|&c| c == 0)
    }

    fn add(&mut self, other: &Row) {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            *a += b;
        }
        self.unapplied += other.unapplied;
    }
}

/// Days of `open` on `on` by `basis`.
pub fn days(open: &Open, on: Date, basis: Basis) -> i64 {
    let from = match basis {
        Basis::Due => open.due,
        Basis::Invoice => open.date,
    };
    on.days_since_epoch() - from.days_since_epoch()
}

/// The open debits of `account` as of `on` with their ages, oldest first.
pub fn items(account: &Account, on: Date, basis: Basis, buckets: &Buckets) -> Vec<Aged> {
    account
        .position(on)
        .open()
        .map(|o| {
            let d = days(o, on, basis);
            Aged { open: *o, days: d, bucket: buckets.of(d) }
        })
        .collect()
}

/// One customer's aging row as of `on`.
pub fn row(account: &Account, on: Date, basis: Basis, buckets: &Buckets) -> Row {
    let position = account.position(on);
    let mut row = Row::empty(buckets);
    for o in position.open() {
        row.cells[buckets.of(days(o, on, basis))] += o.open;
    }
    row.unapplied = position.unapplied;
    row
}

/// The archive's aging: each customer with something open or unapplied (by the caller's index),
/// and the total.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub rows: Vec<(usize, Row)>,
    pub total: Row,
}

/// Aging of every account as of `on`, rows in the order given.
pub fn report<'a>(
    accounts: impl IntoIterator<Item = (usize, &'a Account)>,
    on: Date,
    basis: Basis,
    buckets: &Buckets,
) -> Report {
    let mut out = Report { rows: Vec::new(), total: Row::empty(buckets) };
    for (who, account) in accounts {
        if account.posts.is_empty() {
            continue;
        }
        let r = row(account, on, basis, buckets);
        if !r.is_zero() {
            out.total.add(&r);
            out.rows.push((who, r));
        }
    }
    out
}
