//! The archive's accounts at once (archive-wide aging, the manager's list of who is over their
//! limit or owes overdue money): every entry reduced to its compact form ([`Lite`]) as it is
//! read, grouped by customer, then one [`Account`] per customer. A million entries keep tens of
//! megabytes, not their text.

use super::aging::{self, Basis, Buckets, Report};
use super::{Account, Entry, Lite};
use crate::domain::date::Date;
use std::collections::HashMap;

/// Entries gathered by customer while the archive is read.
#[derive(Debug, Default)]
pub struct Gather {
    customers: Vec<String>,
    at: HashMap<String, u32>,
    lites: Vec<Vec<Lite>>,
    entries: usize,
    /// The consignment movements in full (their lines make the stock at customers' sites).
    consignment: Vec<Entry>,
}

impl Gather {
    /// Takes one entry.
    pub fn add(&mut self, e: &Entry) {
        let n = match self.at.get(&e.profile_id) {
            Some(&n) => n,
            None => {
                let n = self.customers.len() as u32;
                self.customers.push(e.profile_id.clone());
                self.at.insert(e.profile_id.clone(), n);
                self.lites.push(Vec::new());
                n
            }
        };
        self.lites[n as usize].push(Lite::of(e));
        self.entries += 1;
        if matches!(e.body, super::Body::Consignment { .. }) {
            self.consignment.push(e.clone());
        }
    }

    /// The consignment movements taken so far (handed over once: the stock is made from them).
    pub fn take_consignment(&mut self) -> Vec<Entry> {
        std::mem::take(&mut self.consignment)
    }

    /// Entries taken so far.
    pub fn len(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Every customer's account; `approved` by entry key.
    pub fn finish(self, approved: &dyn Fn(u64) -> bool) -> Accounts {
        let mut f = self.finishing();
        while !f.step(usize::MAX, approved) {}
        f.done()
    }

    /// The accounts made a few at a time ([`Finishing::step`]), so a page can paint between.
    pub fn finishing(self) -> Finishing {
        Finishing { accounts: Vec::with_capacity(self.lites.len()), gather: self }
    }
}

/// Accounts being made from gathered entries.
#[derive(Debug)]
pub struct Finishing {
    gather: Gather,
    accounts: Vec<Account>,
}

impl Finishing {
    /// Makes up to `n` more accounts; `true` once all are made.
    pub fn step(&mut self, n: usize, approved: &dyn Fn(u64) -> bool) -> bool {
        let from = self.accounts.len();
        let to = from.saturating_add(n).min(self.gather.lites.len());
        for i in from..to {
            let lites = std::mem::take(&mut self.gather.lites[i]);
            self.accounts.push(Account::of_lites(&lites, approved));
        }
        self.accounts.len() == self.gather.lites.len()
    }

    pub fn done(self) -> Accounts {
        Accounts { customers: self.gather.customers, accounts: self.accounts, entries: self.gather.entries }
    }
}

/// Every customer's account (customers with at least one entry).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accounts {
    /// Profile ids, by position.
    pub customers: Vec<String>,
    pub accounts: Vec<Account>,
    pub entries: usize,
}

/// A customer who owes money past due, for the manager's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owing {
    /// Position in [`Accounts::customers`].
    pub who: usize,
    pub balance: i64,
    pub overdue: i64,
    /// The oldest unpaid invoice's date and its days past due.
    pub oldest: Option<(Date, i64)>,
    /// How far over the credit limit the balance is, when it is.
    pub over_by: Option<i64>,
}

impl Accounts {
    /// The aging of every account as of `on`.
    pub fn aging(&self, on: Date, basis: Basis, buckets: &Buckets) -> Report {
        aging::report(self.accounts.iter().enumerate(), on, basis, buckets)
    }

    /// Customers with money past due on `on` or over their credit limit (`limit_of` a
    /// customer's position), the most overdue first (ties: larger balance, then older debt).
    pub fn owing(&self, on: Date, limit_of: &dyn Fn(usize) -> Option<i64>) -> Vec<Owing> {
        let mut out: Vec<Owing> = self
            .accounts
            .iter()
            .enumerate()
            .filter_map(|(who, a)| {
                let p = a.position(on);
                let overdue = p.overdue(on);
                let balance = p.balance();
                let over_by = limit_of(who).filter(|l| balance > *l).map(|l| balance - l);
                (overdue > 0 || over_by.is_some()).then(|| Owing {
                    who,
                    balance,
                    overdue,
                    over_by,
                    oldest: p.oldest_open().map(|o| (o.date, on.days_since_epoch() - o.due.days_since_epoch())),
                })
            })
            .collect();
        out.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.balance.cmp(&a.balance)).then(a.oldest.cmp(&b.oldest)));
        out
    }

    /// A customer's position.
    pub fn of(&self, profile: &str) -> Option<&Account> {
        self.customers.iter().position(|c| c == profile).map(|i| &self.accounts[i])
    }
}
