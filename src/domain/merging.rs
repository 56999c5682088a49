//! Merging two profiles of one customer (合并; issue 18), pure. The administrator keeps one
//! profile (the survivor) and picks, field by field, which of the two values it keeps. The other
//! profile is merged away: hidden like a deleted one, it names its survivor (`merged_into`) and
//! the writes the merge had seen (`merged_seen`); the survivor names the profiles merged into it
//! (`merged_from`), whose history, account and documents it shows as its own. A device that edited
//! the merged-away profile while it did not know of the merge writes its edit again on the
//! survivor once it learns of it ([`late_writes`]): the edit lands there, exactly once, because
//! only the device that made it does so.

use super::fields::Field;
use super::i18n::Locale;
use super::model::Profile;
use super::sync::change::flatten;
use super::sync::{Hlc, RecordState};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// Fields of the profile that are the merge's own bookkeeping, never picked or carried over.
const OWN: [&str; 3] = ["merged_into", "merged_from", "merged_seen"];

/// Whether a flattened field path is data a person typed (not the record's id, its stamps or the
/// merge's bookkeeping).
fn is_data(path: &str) -> bool {
    !(path == "id" || path.starts_with("meta.") || OWN.iter().any(|o| path == *o || path.starts_with(&format!("{o}."))))
}

/// The registry's fields whose values differ between `a` and `b` (in the form's order).
pub fn differing(a: &Profile, b: &Profile) -> Vec<Field> {
    Field::ALL
        .iter()
        .copied()
        .filter(|f| !matches!(f, Field::Deleted))
        .filter(|f| f.text(a, Locale::Zh) != f.text(b, Locale::Zh))
        .collect()
}

/// The value at a field path of a profile's JSON (nested objects by `.`).
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |node, part| node.get(part))
}

/// Sets (or, for `None`, removes) the value at a field path, making parents as needed.
fn set_at(v: &mut Value, path: &str, new: Option<Value>) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut node = v;
    for p in parts {
        if !node.get(p).is_some_and(Value::is_object) {
            node[p] = Value::Object(Default::default());
        }
        node = &mut node[p];
    }
    if let Some(obj) = node.as_object_mut() {
        match new {
            Some(x) => {
                obj.insert(last.to_string(), x);
            }
            None => {
                obj.remove(last);
            }
        }
    }
}

/// The survivor after the merge: its own values but those of `take` (fields), taken from `other`;
/// it names `other` among the profiles merged into it (and those merged into `other` before).
pub fn merged(survivor: &Profile, other: &Profile, take: &[Field]) -> Profile {
    let mut s = serde_json::to_value(survivor).unwrap_or_default();
    let o = serde_json::to_value(other).unwrap_or_default();
    // A document's type and number go together (one without the other is no document).
    let mut paths: Vec<&str> = take.iter().map(|f| f.path()).collect();
    if paths.iter().any(|p| p.starts_with("id_doc.")) {
        paths.retain(|p| !p.starts_with("id_doc."));
        paths.push("id_doc");
    }
    for path in paths {
        set_at(&mut s, path, at(&o, path).cloned());
    }
    let mut out: Profile = serde_json::from_value(s).unwrap_or_else(|_| survivor.clone());
    for id in std::iter::once(&other.id).chain(&other.merged_from) {
        if !out.merged_from.contains(id) && *id != out.id {
            out.merged_from.push(id.clone());
        }
    }
    out
}

/// The merged-away profile: hidden (deleted at `now` by `staff`), naming its survivor and every
/// write of its record the merge had seen (`state`: its merge state here, now).
pub fn merged_away(other: &Profile, survivor: &str, state: &RecordState, now: i64, staff: &str) -> Profile {
    let mut p = other.clone();
    p.merged_into = Some(survivor.to_string());
    let mut seen: Vec<String> = state.fields.values().flat_map(|f| f.writes.iter().map(|w| w.hlc.encode())).collect();
    seen.sort();
    seen.dedup();
    p.merged_seen = seen;
    p.meta.deleted_at = Some(now);
    p.meta.touch(now, staff);
    p
}

/// The edits to the merged-away profile (its merge state `state`, the profile as stored `away`)
/// that this device (`device`) made without the merge having seen them: each data field's current
/// value, when its write is this device's and unseen. The device writes them on the survivor.
pub fn late_writes(state: &RecordState, away: &Profile, device: &str) -> BTreeMap<String, (Hlc, Value)> {
    let seen: HashSet<&str> = away.merged_seen.iter().map(String::as_str).collect();
    state
        .fields
        .iter()
        .filter(|(path, _)| is_data(path))
        .filter_map(|(path, f)| {
            let w = f.winner()?;
            (w.hlc.device == device && !seen.contains(w.hlc.encode().as_str()))
                .then(|| (path.clone(), (w.hlc.clone(), w.value.clone())))
        })
        .collect()
}

/// The survivor with late writes applied (a cleared value clears the survivor's).
pub fn with_late(survivor: &Profile, late: &BTreeMap<String, (Hlc, Value)>) -> Profile {
    let mut s = serde_json::to_value(survivor).unwrap_or_default();
    for (path, (_, v)) in late {
        set_at(&mut s, path, (!v.is_null()).then(|| v.clone()));
    }
    serde_json::from_value(s).unwrap_or_else(|_| survivor.clone())
}

/// Every data field path of a profile's JSON (tests and the merge screen's count).
pub fn data_paths(p: &Profile) -> Vec<String> {
    flatten(&serde_json::to_value(p).unwrap_or_default()).into_keys().filter(|k| is_data(k)).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::sync::records::materialize;
    use crate::domain::sync::{RecordKey, Replica};

    fn guest(id: &str, name: &str, phone: &str) -> Profile {
        let mut p = Profile::new(id.into(), 1_700_000_000_000, "前台");
        p.name = name.into();
        p.phones = vec![phone.into()];
        p
    }

    #[test]
    fn the_survivor_keeps_its_values_but_those_picked_from_the_other() {
        let mut s = guest("s", "周伯通", "13911110000");
        s.email = "zbt@example.cn".into();
        let mut o = guest("o", "周伯通(老顽童)", "13911110000");
        o.address = "桃花岛".into();
        o.org.tax_no = "91440300MA5F0000X1".into();
        o.merged_from = vec!["older".into()];
        let diff = differing(&s, &o);
        assert!(diff.contains(&Field::Name) && diff.contains(&Field::Address) && diff.contains(&Field::Email));
        assert!(!diff.contains(&Field::Phones), "the same phone is no difference");
        let m = merged(&s, &o, &[Field::Address, Field::Email, Field::OrgTaxNo]);
        assert_eq!((m.name.as_str(), m.address.as_str(), m.email.as_str()), ("周伯通", "桃花岛", ""));
        assert_eq!(m.org.tax_no, "91440300MA5F0000X1", "a nested field");
        assert_eq!(m.merged_from, ["o", "older"], "and those merged into the other before");
        // A document number taken brings its type: one without the other is no document.
        o.id_doc = Some(crate::domain::model::IdDocument {
            kind: crate::domain::model::IdDocType::Passport,
            number: "E1234567".into(),
        });
        let m = merged(&s, &o, &[Field::IdDocNumber]);
        assert_eq!(m.id_doc, o.id_doc);
        assert_eq!(m.id, "s");
    }

    /// A and C hold the same two profiles. C, offline, edits the one that will be merged away; A
    /// merges it into the survivor. When they meet, C's edit lands on the survivor on both, once;
    /// an edit A had seen before merging is not written again.
    #[test]
    fn an_edit_made_elsewhere_while_the_merge_happened_lands_on_the_survivor() {
        let (mut a, mut c) = (Replica::new("devA"), Replica::new("devC"));
        let (ks, ko) = (RecordKey::profile("s"), RecordKey::profile("o"));
        let s = guest("s", "周伯通", "13911110000");
        let mut o = guest("o", "老顽童", "13911110000");
        let json = |p: &Profile| serde_json::to_value(p).unwrap();
        let t = std::cell::Cell::new(1_000u64);
        let tick = || {
            t.set(t.get() + 1_000);
            t.get()
        };
        let mut shared = Vec::new();
        shared.extend(a.save(&ks, &json(&s), "甲", tick()));
        shared.extend(a.save(&ko, &json(&o), "甲", tick()));
        // C's edit A sees before merging: not written again.
        o.address = "桃花岛".into();
        shared.extend(c.save(&ko, &json(&o), "丙", tick()));
        for ch in shared.clone() {
            a.receive(ch.clone(), t.get()).unwrap();
            c.receive(ch, t.get()).unwrap();
        }
        // Apart: C edits the notes of the other profile; A merges it into the survivor.
        let mut on_c: Profile = serde_json::from_value(materialize(&c.records[&ko])).unwrap();
        on_c.notes = "喜欢高楼层".into();
        let late_change = c.save(&ko, &json(&on_c), "丙", tick()).unwrap();
        let o_on_a: Profile = serde_json::from_value(materialize(&a.records[&ko])).unwrap();
        let s_on_a: Profile = serde_json::from_value(materialize(&a.records[&ks])).unwrap();
        let survivor = merged(&s_on_a, &o_on_a, &[Field::Address]);
        let away = merged_away(&o_on_a, "s", &a.records[&ko], 9_000_000, "甲");
        let merge_changes: Vec<_> =
            [a.save(&ks, &json(&survivor), "甲", tick()), a.save(&ko, &json(&away), "甲", tick())]
                .into_iter()
                .flatten()
                .collect();
        // They meet: C learns of the merge, A of C's edit.
        a.receive(late_change, t.get()).unwrap();
        for ch in merge_changes {
            c.receive(ch, t.get()).unwrap();
        }
        // On A (not the author) nothing is late; on C the notes are.
        let away_on = |r: &Replica| serde_json::from_value::<Profile>(materialize(&r.records[&ko])).unwrap();
        assert!(late_writes(&a.records[&ko], &away_on(&a), "devA").is_empty());
        let late = late_writes(&c.records[&ko], &away_on(&c), "devC");
        assert_eq!(late.keys().collect::<Vec<_>>(), ["notes"], "the address A had seen is not late");
        let s_on_c: Profile = serde_json::from_value(materialize(&c.records[&ks])).unwrap();
        let landed = c.save(&ks, &json(&with_late(&s_on_c, &late)), "丙", tick()).unwrap();
        a.receive(landed, t.get()).unwrap();
        for r in [&a, &c] {
            let s: Profile = serde_json::from_value(materialize(&r.records[&ks])).unwrap();
            assert_eq!((s.notes.as_str(), s.address.as_str()), ("喜欢高楼层", "桃花岛"));
            assert_eq!(s.merged_from, ["o"]);
            let o = away_on(r);
            assert_eq!(o.merged_into.as_deref(), Some("s"));
            assert!(o.is_deleted());
        }
        assert!(
            data_paths(&s).contains(&"name".to_string())
                && !data_paths(&away_on(&a)).contains(&"merged_seen".to_string())
        );
    }
}
