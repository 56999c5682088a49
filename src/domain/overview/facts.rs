//! What the manager's views read, made once from the archive: each live customer in a few
//! words (class, marks, special days, which fields are present and valid) and each live history
//! item as a dated event with its figures. A profile's own data is dropped after this, so
//! 100,000 customers and 300,000 events fit in a few megabytes; a changed profile is replaced
//! with its history ([`Facts::replace`]) when sync or another tab changes it.

use crate::domain::date::Date;
use crate::domain::fields::Field;
use crate::domain::i18n::Locale;
use crate::domain::model::*;
use crate::domain::validate::{validate_profile, ArchiveContext};
use std::collections::HashMap;

/// A customer as the views need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub kind: CustomerKind,
    pub class: CustomerClass,
    pub mark: GuestMark,
    /// The grade the last applied ABC analysis gave.
    pub abc: Option<AbcClass>,
    /// When the relationship began: the profile's "since", else the day it was created.
    pub since: Date,
    pub created_by: String,
    /// The day the profile was last changed.
    pub updated: Date,
    pub birth_date: Option<Date>,
    pub special_days: Vec<SpecialDay>,
    /// Fields with a value, one bit per position in [`Field::ALL`].
    pub present: u64,
    /// Fields whose value fails validation (ID check digit, credit code, phone, email, dates).
    pub invalid: u64,
    /// Trading, trade suspended or a past customer (the review marks it).
    pub standing: Standing,
    /// The digits of the first phone (the review's duplicate check).
    pub phone: String,
    /// The kinds of its live documents, one bit per kind ([`super::quality::doc_bit`]).
    pub docs: u8,
}

/// The bit of a field in [`Customer::present`] and [`Customer::invalid`].
pub fn bit(f: Field) -> u64 {
    1 << Field::ALL.iter().position(|x| *x == f).unwrap_or(63)
}

impl Customer {
    /// The customer of a profile; `local` turns a moment into the local day.
    pub fn of(p: &Profile, today: Date, local: &dyn Fn(Millis) -> Date) -> Customer {
        let mut present = 0;
        for f in Field::ALL {
            if !matches!(f, Field::Kind | Field::Class | Field::Deleted) && !f.text(p, Locale::Zh).trim().is_empty() {
                present |= bit(*f);
            }
        }
        let ctx = ArchiveContext { today, code_owner: &|_| None, profile_exists: &|_| true };
        let invalid =
            validate_profile(p, &ctx).iter().filter_map(|e| Field::of_path(&e.field)).fold(0, |acc, f| acc | bit(f));
        Customer {
            id: p.id.clone(),
            name: p.display_name().to_string(),
            kind: p.kind,
            class: p.class,
            mark: p.mark,
            abc: p.abc.as_ref().map(|g| g.class),
            since: p.since.unwrap_or_else(|| local(p.meta.created_at)),
            created_by: p.meta.created_by.clone(),
            updated: local(p.data_updated_at(local)),
            birth_date: p.birth_date,
            special_days: p.special_days.clone(),
            present,
            invalid,
            standing: p.standing,
            phone: p.phones.first().map(|x| crate::domain::text::phone_digits(x)).unwrap_or_default(),
            docs: 0,
        }
    }

    /// The special days within `horizon` days of `today`, soonest first (the profile's alerts ask
    /// the same rule: [`Profile::days_within`]).
    pub fn days_within(&self, today: Date, horizon: i64) -> Vec<(i64, SpecialDay)> {
        special_days_within(&self.special_days, self.birth_date, today, horizon)
    }
}

/// What a history item counts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Stay { nights: u16, fen: i64 },
    Consumption { covers: u16, fen: i64 },
    Complaint { open: bool, deadline: Millis, severity: Severity },
    Visit { next: Option<Date> },
    Note,
}

/// A dated history item of customer `who` (its position in [`Facts::customers`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub who: u32,
    pub date: Date,
    pub what: What,
}

impl What {
    pub fn of(e: &HistoryEntry) -> What {
        match e {
            HistoryEntry::Stay { nights, amount_fen, .. } => What::Stay { nights: *nights, fen: *amount_fen },
            HistoryEntry::Consumption { covers, amount_fen, .. } => {
                What::Consumption { covers: *covers, fen: *amount_fen }
            }
            HistoryEntry::Complaint { status, deadline, severity, .. } => {
                What::Complaint { open: *status == ComplaintStatus::Open, deadline: *deadline, severity: *severity }
            }
            HistoryEntry::Visit { next_date, .. } => What::Visit { next: *next_date },
            HistoryEntry::Note { .. } => What::Note,
        }
    }
}

/// The archive as the manager's views read it: live customers and their live history, events in
/// date order.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub customers: Vec<Customer>,
    pub events: Vec<Event>,
    by_id: HashMap<String, u32>,
    /// Positions of customers deleted since the facts were made (their slot stays, empty).
    gone: Vec<bool>,
    /// Planned visits (a visit's next date) in date order, with their customer.
    planned: Vec<(Date, u32)>,
}

impl Facts {
    /// Adds a live profile (a deleted one is left out) and returns its position.
    pub fn add_profile(&mut self, p: &Profile, today: Date, local: &dyn Fn(Millis) -> Date) -> Option<u32> {
        if p.is_deleted() {
            return None;
        }
        let c = Customer::of(p, today, local);
        if let Some(&at) = self.by_id.get(&p.id) {
            self.customers[at as usize] = c;
            self.gone[at as usize] = false;
            return Some(at);
        }
        let at = self.customers.len() as u32;
        self.by_id.insert(p.id.clone(), at);
        self.customers.push(c);
        self.gone.push(false);
        Some(at)
    }

    /// Adds a live history item of a profile already added (others are left out). Call
    /// [`Facts::sort`] after adding many.
    pub fn add_history(&mut self, h: &HistoryItem) {
        if h.meta.deleted_at.is_some() {
            return;
        }
        if let Some(&who) = self.by_id.get(&h.profile_id) {
            self.events.push(Event { who, date: h.date, what: What::of(&h.entry) });
        }
    }

    /// Adds a live document of a profile already added: its kind counts toward completeness.
    pub fn add_document(&mut self, d: &crate::domain::documents::Document) {
        if let (true, Some(&at)) = (d.is_live(), self.by_id.get(&d.profile_id)) {
            self.customers[at as usize].docs |= super::quality::doc_bit(d.kind);
        }
    }

    /// Puts the events in date order (the views slice them by period).
    pub fn sort(&mut self) {
        self.events.sort_by_key(|e| e.date);
        self.planned = self
            .events
            .iter()
            .filter_map(|e| match e.what {
                What::Visit { next: Some(next) } => Some((next, e.who)),
                _ => None,
            })
            .collect();
        self.planned.sort_unstable();
    }

    /// Makes facts from profiles and history items.
    pub fn build<'a>(
        profiles: impl IntoIterator<Item = &'a Profile>,
        history: impl IntoIterator<Item = &'a HistoryItem>,
        today: Date,
        local: &dyn Fn(Millis) -> Date,
    ) -> Facts {
        let mut f = Facts::default();
        for p in profiles {
            f.add_profile(p, today, local);
        }
        for h in history {
            f.add_history(h);
        }
        f.sort();
        f
    }

    /// Replaces what is known of one profile with its current state and history (sync, another
    /// tab): a deleted profile leaves the views.
    pub fn replace(&mut self, p: &Profile, history: &[HistoryItem], today: Date, local: &dyn Fn(Millis) -> Date) {
        if let Some(&at) = self.by_id.get(&p.id) {
            self.events.retain(|e| e.who != at);
            if p.is_deleted() {
                self.gone[at as usize] = true;
            }
        }
        if self.add_profile(p, today, local).is_some() {
            for h in history {
                self.add_history(h);
            }
        }
        self.sort();
    }

    /// Whether the customer at `who` is still in the archive.
    pub fn is_live(&self, who: u32) -> bool {
        !self.gone.get(who as usize).copied().unwrap_or(true)
    }

    /// The live customers with their positions.
    pub fn live(&self) -> impl Iterator<Item = (u32, &Customer)> {
        self.customers.iter().enumerate().filter(|(i, _)| !self.gone[*i]).map(|(i, c)| (i as u32, c))
    }

    /// Number of live customers.
    pub fn live_count(&self) -> usize {
        self.gone.iter().filter(|g| !**g).count()
    }

    /// The events from `from` to `to`, both included.
    pub fn events_in(&self, from: Date, to: Date) -> &[Event] {
        let lo = self.events.partition_point(|e| e.date < from);
        let hi = self.events.partition_point(|e| e.date <= to);
        &self.events[lo..hi.max(lo)]
    }

    /// The visits planned from `from` to `to` (a visit's next date), with their customer.
    pub fn planned_in(&self, from: Date, to: Date) -> &[(Date, u32)] {
        let lo = self.planned.partition_point(|(d, _)| *d < from);
        let hi = self.planned.partition_point(|(d, _)| *d <= to);
        &self.planned[lo..hi.max(lo)]
    }

    pub fn customer(&self, who: u32) -> &Customer {
        &self.customers[who as usize]
    }
}

/// The special days of `days` and a date of birth within `horizon` days of `today`, soonest
/// first: the date of birth counts as a birthday unless a birthday is kept among the days.
pub fn special_days_within(
    days: &[SpecialDay],
    birth_date: Option<Date>,
    today: Date,
    horizon: i64,
) -> Vec<(i64, SpecialDay)> {
    let mut out: Vec<(i64, SpecialDay)> = days.iter().filter_map(|d| Some((d.days_until(today)?, d.clone()))).collect();
    if let Some(b) = birth_date {
        if !days.iter().any(|d| d.kind == DayKind::Birthday) {
            out.push((today.days_until_anniversary(b.month, b.day), SpecialDay::birthday_of(b)));
        }
    }
    out.retain(|(n, _)| *n <= horizon);
    out.sort_by_key(|(n, _)| *n);
    out
}
