//! Merging: per field, the last writer (by clock) wins; a value that was replaced by a device that
//! had not seen it is kept as a conflict until someone chooses. A record's state is the set of all
//! writes to its fields, so the result depends only on which changes arrived, never on their order,
//! and applying a change twice changes nothing.
//!
//! Per field, the *heads* are the writes no other write has seen. The newest head is the current
//! value; the other heads are the conflict ("changed on another device"). Choosing a value writes
//! it again having seen every head, which leaves one head.

use super::change::{diff, flatten, unflatten, Change, FieldWrite, RecordKey};
use super::hlc::{Clock, ClockDrift, Hlc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// One write of one field, as a record's state keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Write {
    pub hlc: Hlc,
    #[serde(rename = "v")]
    pub value: Value,
    #[serde(rename = "by")]
    pub staff: String,
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<Hlc>,
}

/// Every write of one field, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldState {
    pub writes: Vec<Write>,
}

impl FieldState {
    /// Adds a write; `false` when it was already there.
    pub fn apply(&mut self, w: Write) -> bool {
        match self.writes.binary_search_by(|x| x.hlc.cmp(&w.hlc)) {
            Ok(_) => false,
            Err(i) => {
                self.writes.insert(i, w);
                true
            }
        }
    }

    /// The writes nobody has seen, newest first.
    pub fn heads(&self) -> Vec<&Write> {
        if self.writes.iter().all(|w| w.seen.is_empty()) {
            // Nothing seen (almost every field): every write is a head.
            return self.writes.iter().rev().collect();
        }
        let seen: HashSet<&Hlc> = self.writes.iter().flat_map(|w| &w.seen).collect();
        self.writes.iter().rev().filter(|w| !seen.contains(&w.hlc)).collect()
    }

    /// The current value's write.
    pub fn winner(&self) -> Option<&Write> {
        self.heads().into_iter().next()
    }
}

/// A field with values written on different devices that did not see each other.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict<'a> {
    pub field: &'a str,
    pub winner: &'a Write,
    /// The values that lost, newest first.
    pub losers: Vec<&'a Write>,
}

/// One entry of a record's field history.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldEvent<'a> {
    pub field: &'a str,
    pub write: &'a Write,
    /// The value it replaced (the newest one its writer had seen).
    pub old: Option<&'a Value>,
}

/// The merge state of one record: all writes of all its fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    pub fields: BTreeMap<String, FieldState>,
}

impl RecordState {
    /// Applies a change to this record; `true` when anything was new.
    pub fn apply(&mut self, c: &Change) -> bool {
        let mut changed = false;
        for (field, fw) in &c.set {
            let w =
                Write { hlc: c.hlc.clone(), value: fw.value.clone(), staff: c.staff.clone(), seen: fw.seen.clone() };
            changed |= self.fields.entry(field.clone()).or_default().apply(w);
        }
        changed
    }

    /// Current field values (cleared fields left out).
    pub fn current(&self) -> BTreeMap<String, Value> {
        self.fields
            .iter()
            .filter_map(|(k, f)| f.winner().filter(|w| !w.value.is_null()).map(|w| (k.clone(), w.value.clone())))
            .collect()
    }

    /// The record as JSON (nested objects rebuilt from the field paths).
    pub fn value(&self) -> Value {
        unflatten(self.current())
    }

    /// The latest write: who changed the record last, and when.
    pub fn last_write(&self) -> Option<&Write> {
        self.fields.values().flat_map(|f| &f.writes).max_by(|a, b| a.hlc.cmp(&b.hlc))
    }

    /// Fields with unresolved concurrent values.
    pub fn conflicts(&self) -> Vec<Conflict<'_>> {
        self.fields
            .iter()
            .filter_map(|(k, f)| {
                let mut heads = f.heads().into_iter();
                let winner = heads.next()?;
                let losers: Vec<&Write> = heads.collect();
                (!losers.is_empty()).then_some(Conflict { field: k, winner, losers })
            })
            .collect()
    }

    /// Every write of every field, oldest first, with the value it replaced.
    pub fn history(&self) -> Vec<FieldEvent<'_>> {
        let mut out: Vec<FieldEvent<'_>> = self
            .fields
            .iter()
            .flat_map(|(k, f)| {
                f.writes.iter().map(move |w| {
                    let old = w.seen.iter().max().and_then(|h| f.writes.iter().find(|x| &x.hlc == h)).map(|x| &x.value);
                    FieldEvent { field: k.as_str(), write: w, old }
                })
            })
            .collect();
        out.sort_by(|a, b| a.write.hlc.cmp(&b.write.hlc).then(a.field.cmp(b.field)));
        out
    }

    /// The field writes that turn this record into `new` (a whole record's JSON): each changed
    /// field replaces the current value, which its writer has seen.
    pub fn edit(&self, new: &Value) -> BTreeMap<String, FieldWrite> {
        diff(&self.current(), &flatten(new))
            .into_iter()
            .map(|(k, value)| {
                let seen =
                    self.fields.get(&k).and_then(FieldState::winner).map(|w| vec![w.hlc.clone()]).unwrap_or_default();
                (k, FieldWrite { value, seen })
            })
            .collect()
    }

    /// The write that settles a conflict on `field` by keeping the value written at `keep`: it has
    /// seen every head, so it alone remains.
    pub fn resolve(&self, field: &str, keep: &Hlc) -> Option<FieldWrite> {
        let f = self.fields.get(field)?;
        let value = f.writes.iter().find(|w| &w.hlc == keep)?.value.clone();
        Some(FieldWrite { value, seen: f.heads().into_iter().map(|w| w.hlc.clone()).collect() })
    }
}

/// What one device holds: its clock and the merge state of every record. The pure core that the
/// browser's storage layer persists record by record.
#[derive(Clone, Debug)]
pub struct Replica {
    pub clock: Clock,
    pub records: BTreeMap<RecordKey, RecordState>,
    /// Every change this device knows (its own and received), in arrival order.
    pub log: Vec<Change>,
    known: HashSet<Hlc>,
}

impl Replica {
    pub fn new(device: &str) -> Replica {
        Replica { clock: Clock::new(device), records: BTreeMap::new(), log: Vec::new(), known: HashSet::new() }
    }

    /// A local save of `record` as the whole JSON `new`; `None` when nothing changed.
    pub fn save(&mut self, record: &RecordKey, new: &Value, staff: &str, now: u64) -> Option<Change> {
        let set = self.records.get(record).map_or_else(|| RecordState::default().edit(new), |r| r.edit(new));
        self.commit(record, set, staff, now)
    }

    /// Settles a conflict by keeping the value written at `keep`.
    pub fn resolve(&mut self, record: &RecordKey, field: &str, keep: &Hlc, staff: &str, now: u64) -> Option<Change> {
        let fw = self.records.get(record)?.resolve(field, keep)?;
        self.commit(record, BTreeMap::from([(field.to_string(), fw)]), staff, now)
    }

    fn commit(
        &mut self,
        record: &RecordKey,
        set: BTreeMap<String, FieldWrite>,
        staff: &str,
        now: u64,
    ) -> Option<Change> {
        if set.is_empty() {
            return None;
        }
        let c = Change {
            hlc: self.clock.tick(now),
            record: record.clone(),
            staff: staff.to_string(),
            device_name: String::new(),
            set,
        };
        self.apply(c.clone());
        Some(c)
    }

    /// Takes in a change from another device; `Ok(false)` when it was already here. A change from
    /// a clock too far ahead is refused (and can be offered again later).
    pub fn receive(&mut self, c: Change, now: u64) -> Result<bool, ClockDrift> {
        if self.known.contains(&c.hlc) {
            return Ok(false);
        }
        self.clock.observe(&c.hlc, now)?;
        Ok(self.apply(c))
    }

    fn apply(&mut self, c: Change) -> bool {
        if !self.known.insert(c.hlc.clone()) {
            return false;
        }
        let changed = self.records.entry(c.record.clone()).or_default().apply(&c);
        self.log.push(c);
        changed
    }

    /// Whether this change is here.
    pub fn knows(&self, hlc: &Hlc) -> bool {
        self.known.contains(hlc)
    }
}
