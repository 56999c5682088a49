//! Consignment stock (寄售库存, seed 004): goods at the customer's site that are still ours.
//! Per customer per item as of any date: fill-ups and returns add, issues and pick-ups take off,
//! an approved count sets the quantity counted. A movement that would take a stock below zero is
//! refused before anything is saved.

use super::{Body, Entry, Movement};
use crate::domain::date::Date;
use crate::domain::model::Meta;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A consignment item (物料): code, name, unit and list price.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Item {
    pub id: String,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub price_fen: i64,
    pub meta: Meta,
}

impl Item {
    /// The item as staff know it: `TW-01 毛巾`.
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

/// The label of item `id` among `items` (its id if it is no longer in the catalog).
pub fn label_of(items: &[Item], id: &str) -> String {
    items.iter().find(|i| i.id == id).map(Item::label).unwrap_or_else(|| id.to_string())
}

/// Item id → quantity.
pub type Stock = BTreeMap<String, i64>;

/// Why a movement was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub item: String,
    /// The first day its stock would be below zero, and what it would be.
    pub date: Date,
    pub stock: i64,
}

/// The consignment entries of `entries` that move stock, in order (pending counts left out).
fn movements<'a>(entries: impl IntoIterator<Item = &'a Entry>, approved: &dyn Fn(&str) -> bool) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = entries
        .into_iter()
        .filter(|e| match &e.body {
            Body::Consignment { movement: Movement::Count, .. } => approved(&e.id),
            Body::Consignment { .. } => true,
            _ => false,
        })
        .collect();
    out.sort_by(|a, b| Entry::order(a, b));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// Applies one movement to `stock`.
fn apply(stock: &mut Stock, e: &Entry) {
    let Body::Consignment { movement, lines, .. } = &e.body else { return };
    for l in lines {
        let q = stock.entry(l.item.clone()).or_default();
        match movement {
            Movement::FillUp | Movement::Return => *q += l.qty,
            Movement::Issue | Movement::PickUp => *q -= l.qty,
            Movement::Count => *q = l.qty,
        }
    }
}

/// The stock at one customer at the end of `on` (items ever moved, zeros included).
pub fn as_of<'a>(entries: impl IntoIterator<Item = &'a Entry>, on: Date, approved: &dyn Fn(&str) -> bool) -> Stock {
    let mut stock = Stock::new();
    for e in movements(entries, approved).into_iter().filter(|e| e.date <= on) {
        apply(&mut stock, e);
    }
    stock
}

/// What a count found against the stock before it: item → (expected, counted).
pub fn count_difference(entries: &[Entry], count: &Entry) -> BTreeMap<String, (i64, i64)> {
    let Body::Consignment { movement: Movement::Count, lines, .. } = &count.body else { return BTreeMap::new() };
    let mut stock = Stock::new();
    for e in movements(entries, &|_| true) {
        if Entry::order(e, count) != std::cmp::Ordering::Less {
            break;
        }
        apply(&mut stock, e);
    }
    lines.iter().map(|l| (l.item.clone(), (stock.get(&l.item).copied().unwrap_or(0), l.qty))).collect()
}

/// Whether `new` may join `entries`: refused when it takes an item's stock below zero on any
/// day from its own on (a pick-up dated back can empty a later day), unless that day was below
/// zero anyway by as much (two devices that took goods back offline).
pub fn admit(entries: &[Entry], new: &Entry, approved: &dyn Fn(&str) -> bool) -> Result<(), Refusal> {
    let Body::Consignment { lines, .. } = &new.body else { return Ok(()) };
    if let Some(l) = lines.iter().find(|l| l.qty < 0) {
        return Err(Refusal { item: l.item.clone(), date: new.date, stock: l.qty });
    }
    let without = movements(entries.iter().filter(|e| e.id != new.id), approved);
    let with = movements(entries.iter().filter(|e| e.id != new.id).chain(std::iter::once(new)), approved);
    let (mut a, mut b) = (Stock::new(), Stock::new());
    let mut j = 0;
    let mut after = false;
    for e in with {
        if e.id == new.id {
            after = true;
        } else {
            // Keep `without` in step: it holds every entry of `with` but the new one.
            apply(&mut b, without[j]);
            j += 1;
        }
        apply(&mut a, e);
        if !after {
            continue;
        }
        for l in lines {
            let now = a.get(&l.item).copied().unwrap_or(0);
            let before = b.get(&l.item).copied().unwrap_or(0);
            if now < 0 && now < before {
                return Err(Refusal { item: l.item.clone(), date: e.date, stock: now });
            }
        }
    }
    Ok(())
}

/// Each customer's stock at the end of `on` (customers with a movement by then), from the
/// movements of many customers.
pub fn by_customer(entries: &[Entry], on: Date, approved: &dyn Fn(&str) -> bool) -> BTreeMap<String, Stock> {
    let mut of: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.date <= on) {
        of.entry(e.profile_id.as_str()).or_default().push(e);
    }
    of.into_iter().map(|(who, es)| (who.to_string(), as_of(es, on, approved))).collect()
}

/// The value of a stock at list prices (fen), with the items it names.
pub fn value(stock: &Stock, items: &[Item]) -> i64 {
    stock
        .iter()
        .map(|(id, q)| q.saturating_mul(items.iter().find(|i| i.id == *id).map_or(0, |i| i.price_fen)))
        .fold(0i64, i64::saturating_add)
}

/// The sum of many customers' stocks (archive-wide stock at customers' sites).
pub fn total<'a>(stocks: impl IntoIterator<Item = &'a Stock>) -> Stock {
    let mut out = Stock::new();
    for s in stocks {
        for (item, q) in s {
            *out.entry(item.clone()).or_default() += q;
        }
    }
    out
}
