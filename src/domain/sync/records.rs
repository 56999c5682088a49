//! Records and their merge state. A record whose only change is its creation carries that
//! change's clock time in `meta.hlc` and needs no stored merge state: it is derived from the record
//! ([`created_state`]). Any later change stores the state and clears `meta.hlc`. This keeps bulk
//! creation (imports, a new device's first pull) at one write per record.

use super::change::{flatten, unflatten, Change, RecordKey};
use super::hlc::Hlc;
use super::merge::{FieldState, RecordState, Write};
use serde_json::{json, Value};

/// The merge state of a record that holds only its creation: every field written at `hlc` by
/// `staff`.
pub fn created_state(value: &Value, hlc: &Hlc, staff: &str) -> RecordState {
    let fields = flatten(value)
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                FieldState {
                    writes: vec![Write { hlc: hlc.clone(), value: v, staff: staff.to_string(), seen: vec![] }],
                },
            )
        })
        .collect();
    RecordState { fields }
}

/// The merge state of a stored record (its JSON) when no state is stored for it: derived from its
/// creation clock, or `None` for a record from before sync existed (no `meta.hlc`).
pub fn derived_state(value: &Value) -> Option<RecordState> {
    let hlc = Hlc::parse(value.pointer("/meta/hlc")?.as_str()?)?;
    let staff = value.pointer("/meta/created_by").and_then(Value::as_str).unwrap_or_default();
    Some(created_state(value, &hlc, staff))
}

/// Whether a state holds a single creation (one clock time, nothing seen), so it can be kept in
/// the record itself.
pub fn creation_only(state: &RecordState) -> Option<&Hlc> {
    let mut writes = state.fields.values().flat_map(|f| &f.writes);
    let first = writes.next()?;
    let staff = &first.staff;
    (first.seen.is_empty() && writes.all(|w| w.hlc == first.hlc && w.seen.is_empty() && &w.staff == staff))
        .then_some(&first.hlc)
}

/// The record's JSON from its merge state: the current values, `meta.updated_at/by` from the
/// latest write, and `meta.hlc` when the state is a creation only.
pub fn materialize(state: &RecordState) -> Value {
    let mut v = state.value();
    if let Some(w) = state.last_write() {
        stamp(&mut v, &w.hlc, &w.staff, creation_only(state));
    }
    v
}

/// The record a single change creates, exactly as [`materialize`] gives it after applying that
/// change to an empty state, but without building the state: most of a new device's pull is
/// records created once and never changed since. The values are moved out of the change (its
/// `set` is left empty). `None`, and the change untouched, when it is not a plain creation (it
/// has seen an earlier write, or sets nothing).
pub fn created_record(c: &mut Change) -> Option<Value> {
    if c.set.is_empty() || c.set.values().any(|w| !w.seen.is_empty()) {
        return None;
    }
    let mut v = unflatten(std::mem::take(&mut c.set).into_iter().map(|(k, w)| (k, w.value)));
    stamp(&mut v, &c.hlc, &c.staff, Some(&c.hlc));
    Some(v)
}

/// Stamps a record written once by `staff` at `hlc` (an access-log event), exactly as
/// [`materialize`] stamps a record holding only its creation.
pub fn stamp_created(v: &mut Value, hlc: &Hlc, staff: &str) {
    stamp(v, hlc, staff, Some(hlc));
}

/// Writes who changed the record last and when into its `meta`, and the creation clock when
/// the record holds only its creation.
fn stamp(v: &mut Value, last: &Hlc, staff: &str, creation: Option<&Hlc>) {
    let meta = v.as_object_mut().expect("records are objects").entry("meta").or_insert_with(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.insert("updated_at".into(), json!(last.millis));
        m.insert("updated_by".into(), json!(staff));
        if let Some(h) = creation {
            m.insert("hlc".into(), json!(h.encode()));
        }
    }
}

impl RecordState {
    /// The change made at `hlc` to this record, rebuilt from its writes (to send it again).
    pub fn change_at(&self, record: &RecordKey, hlc: &Hlc) -> Option<Change> {
        let mut staff = None;
        let set: std::collections::BTreeMap<_, _> = self
            .fields
            .iter()
            .filter_map(|(k, f)| {
                let w = f.writes.iter().find(|w| &w.hlc == hlc)?;
                staff.get_or_insert_with(|| w.staff.clone());
                Some((k.clone(), super::change::FieldWrite { value: w.value.clone(), seen: w.seen.clone() }))
            })
            .collect();
        Some(Change { hlc: hlc.clone(), record: record.clone(), staff: staff?, device_name: String::new(), set })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{FieldWrite, Replica};
    use super::*;
    use crate::domain::model::Profile;
    use crate::testdata;
    use proptest::prelude::*;

    #[test]
    fn a_created_profile_round_trips_through_its_derived_state() {
        let p = testdata::profile(1, 3, 1_763_856_000_000);
        let key = RecordKey::profile(&p.id);
        let mut r = Replica::new("dev1");
        let c = r.save(&key, &serde_json::to_value(&p).unwrap(), &p.meta.created_by, 1_763_856_000_500).unwrap();
        let state = &r.records[&key];
        assert_eq!(creation_only(state), Some(&c.hlc));
        // The record as stored: materialised, with its creation clock.
        let stored = materialize(state);
        assert_eq!(stored.pointer("/meta/hlc").and_then(Value::as_str), Some(c.id().as_str()));
        let back: Profile = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(back.name, p.name);
        assert_eq!(back.meta.updated_at, 1_763_856_000_500);
        // From the stored record alone, the same state and the same change come back.
        assert_eq!(&derived_state(&stored).unwrap(), state);
        assert_eq!(state.change_at(&key, &c.hlc).unwrap(), c);
    }

    proptest! {
        /// The shortcut gives what the merge gives: any creation (fields at any depth, some
        /// empty, some set to null) materialises to the same JSON either way.
        #[test]
        fn a_creation_materialises_the_same_without_a_state(
            fields in prop::collection::btree_map(
                "(name|phones|org\\.tax_no|org\\.bank\\.name|meta\\.created_at|meta\\.created_by|prefs|notes)",
                prop_oneof![
                    Just(Value::Null),
                    "[a-z张三]{0,4}".prop_map(Value::from),
                    (0i64..1_000_000).prop_map(Value::from),
                    prop::collection::vec("[0-9]{1,3}", 0..3).prop_map(|v| json!(v)),
                ],
                0..8,
            ),
            millis in 1u64..2_000_000_000_000,
        ) {
            let mut c = Change {
                hlc: Hlc { millis, counter: 3, device: "dev1".into() },
                record: RecordKey::profile("p1"),
                staff: "甲".into(),
                device_name: String::new(),
                set: fields.into_iter().map(|(k, value)| (k, FieldWrite { value, seen: vec![] })).collect(),
            };
            let mut state = RecordState::default();
            state.apply(&c);
            let was_empty = c.set.is_empty();
            match created_record(&mut c) {
                Some(v) => prop_assert_eq!(v, materialize(&state)),
                None => prop_assert!(was_empty),
            }
        }
    }

    #[test]
    fn a_change_that_has_seen_a_write_is_no_creation() {
        let mut r = Replica::new("dev1");
        let key = RecordKey::profile("p1");
        let mut first = r.save(&key, &json!({"name": "张三"}), "甲", 10).unwrap();
        assert!(created_record(&mut first).is_some());
        let mut edit = r.save(&key, &json!({"name": "张叁"}), "甲", 20).unwrap();
        let before = edit.clone();
        assert_eq!(created_record(&mut edit), None);
        assert_eq!(edit, before, "a change that is no creation is left as it was");
    }

    #[test]
    fn an_edited_record_is_no_longer_creation_only() {
        let key = RecordKey::profile("p1");
        let mut r = Replica::new("dev1");
        r.save(&key, &json!({"name": "张三", "meta": {"created_at": 1, "created_by": "甲"}}), "甲", 10).unwrap();
        r.save(&key, &json!({"name": "张叁", "meta": {"created_at": 1, "created_by": "甲"}}), "乙", 20).unwrap();
        let state = &r.records[&key];
        assert_eq!(creation_only(state), None);
        let v = materialize(state);
        assert_eq!(
            v,
            json!({"name": "张叁", "meta": {"created_at": 1, "created_by": "甲", "updated_at": 20, "updated_by": "乙"}})
        );
        assert_eq!(derived_state(&json!({"name": "x"})), None, "no creation clock: nothing to derive");
    }
}
