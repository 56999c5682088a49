//! Simulated devices: random edits on 3–5 replicas, delivered in random order with drops,
//! duplicates and reordering, then a full exchange. All replicas must end equal, and every write
//! ever accepted must be the current value, a kept conflict, or replaced by a device that had seen
//! it: none may vanish.

use super::*;
use proptest::prelude::*;
use serde_json::{json, Value};

const FIELDS: [&str; 4] = ["name", "phones", "org.tax_no", "notes"];
const MAX_SKEW_MS: u64 = 120_000;

#[derive(Clone, Debug)]
enum Op {
    Edit { r: usize, rec: usize, field: usize, val: u8 },
    Clear { r: usize, rec: usize, field: usize },
    Delete { r: usize, rec: usize },
    Restore { r: usize, rec: usize },
    AddHistory { r: usize, rec: usize },
    EditHistory { r: usize, nth: usize, val: u8 },
    Resolve { r: usize, rec: usize, pick: usize },
    Deliver { from: usize, to: usize, mask: u64, dup: bool, reverse: bool },
    Wait { ms: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    let r = 0usize..5;
    prop_oneof![
        6 => (r.clone(), 0usize..3, 0usize..4, any::<u8>()).prop_map(|(r, rec, field, val)| Op::Edit { r, rec, field, val }),
        1 => (r.clone(), 0usize..3, 0usize..4).prop_map(|(r, rec, field)| Op::Clear { r, rec, field }),
        1 => (r.clone(), 0usize..3).prop_map(|(r, rec)| Op::Delete { r, rec }),
        1 => (r.clone(), 0usize..3).prop_map(|(r, rec)| Op::Restore { r, rec }),
        2 => (r.clone(), 0usize..3).prop_map(|(r, rec)| Op::AddHistory { r, rec }),
        2 => (r.clone(), any::<usize>(), any::<u8>()).prop_map(|(r, nth, val)| Op::EditHistory { r, nth, val }),
        1 => (r.clone(), 0usize..3, any::<usize>()).prop_map(|(r, rec, pick)| Op::Resolve { r, rec, pick }),
        4 => (r.clone(), r, any::<u64>(), any::<bool>(), any::<bool>()).prop_map(|(from, to, mask, dup, reverse)| Op::Deliver { from, to, mask, dup, reverse }),
        2 => (0u64..5_000).prop_map(|ms| Op::Wait { ms }),
    ]
}

struct World {
    replicas: Vec<Replica>,
    skew: Vec<u64>,
    time: u64,
    /// Every field write any replica made: (record, field, time).
    accepted: Vec<(RecordKey, String, Hlc)>,
    histories: Vec<RecordKey>,
}

impl World {
    fn now(&self, r: usize) -> u64 {
        self.time + self.skew[r]
    }

    fn current(&self, r: usize, key: &RecordKey) -> Value {
        self.replicas[r].records.get(key).map_or(json!({}), RecordState::value)
    }

    fn save(&mut self, r: usize, key: &RecordKey, v: &Value) {
        let now = self.now(r);
        if let Some(c) = self.replicas[r].save(key, v, &format!("staff{r}"), now) {
            self.record(c);
        }
        self.time += 1;
    }

    fn record(&mut self, c: Change) {
        for f in c.set.keys() {
            self.accepted.push((c.record.clone(), f.clone(), c.hlc.clone()));
        }
    }

    fn run(&mut self, op: &Op) {
        let n = self.replicas.len();
        match *op {
            Op::Edit { r, rec, field, val } => {
                let (r, key) = (r % n, RecordKey::profile(&format!("p{rec}")));
                let mut v = self.current(r, &key);
                let value =
                    if FIELDS[field] == "phones" { json!([format!("1{val}")]) } else { json!(format!("v{val}")) };
                set_path(&mut v, FIELDS[field], Some(value));
                self.save(r, &key, &v);
            }
            Op::Clear { r, rec, field } => {
                let (r, key) = (r % n, RecordKey::profile(&format!("p{rec}")));
                let mut v = self.current(r, &key);
                set_path(&mut v, FIELDS[field], None);
                self.save(r, &key, &v);
            }
            Op::Delete { r, rec } | Op::Restore { r, rec } => {
                let (r, key) = (r % n, RecordKey::profile(&format!("p{rec}")));
                let mut v = self.current(r, &key);
                let tomb = matches!(op, Op::Delete { .. }).then(|| json!(self.time));
                set_path(&mut v, "meta.deleted_at", tomb);
                self.save(r, &key, &v);
            }
            Op::AddHistory { r, rec } => {
                let r = r % n;
                let key = RecordKey::history(&format!("h{}", self.histories.len()));
                self.histories.push(key.clone());
                self.save(r, &key, &json!({"profile_id": format!("p{rec}"), "kind": "stay", "text": "入住"}));
            }
            Op::EditHistory { r, nth, val } => {
                let r = r % n;
                let known: Vec<RecordKey> =
                    self.histories.iter().filter(|k| self.replicas[r].records.contains_key(*k)).cloned().collect();
                if let Some(key) = known.get(nth % known.len().max(1)) {
                    let mut v = self.current(r, key);
                    set_path(&mut v, "text", Some(json!(format!("备注{val}"))));
                    self.save(r, key, &v);
                }
            }
            Op::Resolve { r, rec, pick } => {
                let (r, key) = (r % n, RecordKey::profile(&format!("p{rec}")));
                let choice = self.replicas[r].records.get(&key).and_then(|s| {
                    let c = s.conflicts().into_iter().next()?;
                    let mut options = vec![c.winner];
                    options.extend(c.losers);
                    Some((c.field.to_string(), options[pick % options.len()].hlc.clone()))
                });
                if let Some((field, keep)) = choice {
                    let now = self.now(r);
                    if let Some(c) = self.replicas[r].resolve(&key, &field, &keep, "manager", now) {
                        self.record(c);
                    }
                }
            }
            Op::Deliver { from, to, mask, dup, reverse } => {
                let (from, to) = (from % n, to % n);
                if from == to {
                    return;
                }
                // Dropped: the changes whose bit is clear. Duplicated and reordered on request.
                let mut batch: Vec<Change> = self.replicas[from]
                    .log
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask >> (i % 64) & 1 == 1)
                    .map(|(_, c)| c.clone())
                    .collect();
                if dup {
                    batch.extend(batch.clone());
                }
                if reverse {
                    batch.reverse();
                }
                let now = self.now(to);
                for c in batch {
                    self.replicas[to].receive(c, now).expect("skews stay within the drift bound");
                }
            }
            Op::Wait { ms } => self.time += ms,
        }
    }
}

fn set_path(v: &mut Value, path: &str, value: Option<Value>) {
    let mut node = v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        let obj = node.as_object_mut().expect("object");
        node = obj.entry(p.to_string()).or_insert_with(|| json!({}));
    }
    let obj = node.as_object_mut().expect("object");
    match value {
        Some(x) => obj.insert(parts[parts.len() - 1].to_string(), x),
        None => obj.remove(parts[parts.len() - 1]),
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_nothing_is_lost(
        n in 3usize..=5,
        skew in proptest::collection::vec(0..MAX_SKEW_MS, 5),
        ops in proptest::collection::vec(op(), 1..80),
        order in any::<u64>(),
    ) {
        let mut w = World {
            replicas: (0..n).map(|i| Replica::new(&format!("d{i}"))).collect(),
            skew: skew[..n].to_vec(),
            time: 1_763_856_000_000,
            accepted: Vec::new(),
            histories: Vec::new(),
        };
        for op in &ops {
            w.run(op);
        }
        // The full exchange: every replica gets every change, in an order that differs per replica.
        let all: Vec<Change> = w.replicas.iter().flat_map(|r| r.log.clone()).collect();
        for (i, r) in w.replicas.iter_mut().enumerate() {
            let mut batch = all.clone();
            let k = (order.rotate_left(i as u32 * 7) as usize) % batch.len().max(1);
            batch.rotate_left(k);
            if (order >> i) & 1 == 1 {
                batch.reverse();
            }
            for c in batch {
                r.receive(c, w.time + MAX_SKEW_MS).unwrap();
            }
        }
        let first = &w.replicas[0];
        for r in &w.replicas[1..] {
            prop_assert_eq!(&r.records, &first.records, "replicas differ");
        }
        // None vanished: each write is a head (current or conflict) or was seen by a later write.
        for (key, field, hlc) in &w.accepted {
            let f = &first.records[key].fields[field];
            prop_assert!(f.writes.iter().any(|x| &x.hlc == hlc), "write {hlc} of {field} is gone");
            let head = f.heads().iter().any(|x| &x.hlc == hlc);
            let replaced_knowingly = f.writes.iter().any(|x| x.seen.contains(hlc) && &x.hlc > hlc);
            prop_assert!(head || replaced_knowingly, "write {hlc} of {field} lost without being seen");
        }
        // Applying everything again is a no-op.
        let mut again = first.clone();
        for c in all {
            prop_assert_eq!(again.receive(c, w.time + MAX_SKEW_MS), Ok(false));
        }
        prop_assert_eq!(&again.records, &first.records);
    }
}

#[test]
fn the_same_field_edited_apart_keeps_the_loser_until_someone_chooses() {
    let key = RecordKey::profile("p1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    let base = a.save(&key, &json!({"name": "张三", "notes": "新客"}), "甲", 1000).unwrap();
    b.receive(base, 1000).unwrap();
    // Apart: A changes the note, B changes the note and the name.
    let ca = a.save(&key, &json!({"name": "张三", "notes": "A 写的"}), "甲", 2000).unwrap();
    let cb = b.save(&key, &json!({"name": "张叁", "notes": "B 写的"}), "乙", 3000).unwrap();
    a.receive(cb, 3000).unwrap();
    b.receive(ca, 3000).unwrap();
    assert_eq!(a.records, b.records);
    let state = &a.records[&key];
    assert_eq!(state.value(), json!({"name": "张叁", "notes": "B 写的"}), "the later clock wins per field");
    let conflicts = state.conflicts();
    assert_eq!(conflicts.len(), 1, "the name was edited only on B: no conflict");
    assert_eq!(conflicts[0].field, "notes");
    assert_eq!(conflicts[0].losers[0].value, json!("A 写的"));
    assert_eq!(conflicts[0].losers[0].staff, "甲");
    // A keeps its own value; B learns the choice; the conflict is gone on both.
    let keep = conflicts[0].losers[0].hlc.clone();
    let choice = a.resolve(&key, "notes", &keep, "经理", 4000).unwrap();
    b.receive(choice, 4000).unwrap();
    assert_eq!(a.records, b.records);
    assert!(a.records[&key].conflicts().is_empty());
    assert_eq!(a.records[&key].value()["notes"], json!("A 写的"));
    // The field history tells who wrote what, replacing what.
    let history = a.records[&key].history();
    let notes: Vec<(Option<&Value>, &Value, &str)> = history
        .iter()
        .filter(|e| e.field == "notes")
        .map(|e| (e.old, &e.write.value, e.write.staff.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (None, &json!("新客"), "甲"),
            (Some(&json!("新客")), &json!("A 写的"), "甲"),
            (Some(&json!("新客")), &json!("B 写的"), "乙"),
            (Some(&json!("B 写的")), &json!("A 写的"), "经理"),
        ]
    );
}

#[test]
fn a_change_from_a_clock_far_ahead_is_refused_then_taken_once_time_catches_up() {
    let key = RecordKey::profile("p1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    let future = a.save(&key, &json!({"name": "未来"}), "甲", 1_000_000 + hlc::MAX_DRIFT_MS + 1).unwrap();
    let err = b.receive(future.clone(), 1_000_000).unwrap_err();
    assert_eq!(err.device, "a");
    assert!(b.records.is_empty() && b.log.is_empty(), "nothing of a refused change is kept");
    assert_eq!(b.receive(future, 1_000_002), Ok(true));
}

#[test]
fn a_deleted_record_is_a_tombstone_that_merges_like_any_field() {
    let key = RecordKey::profile("p1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    let c = a.save(&key, &json!({"name": "张三"}), "甲", 1000).unwrap();
    b.receive(c, 1000).unwrap();
    let del = a.save(&key, &json!({"name": "张三", "meta": {"deleted_at": 2000}}), "甲", 2000).unwrap();
    let edit = b.save(&key, &json!({"name": "张三丰"}), "乙", 2500).unwrap();
    a.receive(edit, 3000).unwrap();
    b.receive(del, 3000).unwrap();
    assert_eq!(a.records, b.records);
    // Deleted on A, renamed on B: both stand (the edit is not lost, the record stays deleted).
    assert_eq!(a.records[&key].value(), json!({"name": "张三丰", "meta": {"deleted_at": 2000}}));
}
