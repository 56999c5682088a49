//! Convergence against an independent oracle. Simulated devices (3–6) edit profiles and history
//! items, clear fields, delete and restore, settle conflicts, push to an endpoint (sometimes
//! losing the answer) and pull from it in pages, with clocks that are skewed, step back, run
//! ahead beyond the drift bound (their changes refused, then taken once time catches up), tie, and
//! roll their counter over.
//!
//! The devices go through the stored form, as the browser's storage layer does: a record is kept
//! as its materialised value when it holds only its creation (the state derived again on the next
//! read) or as its serialised merge state; a page of pulled changes takes the creation shortcut
//! (`created_record`) where the app does and stops at a change from a clock too far ahead, its
//! cursor there; the outbox holds references and each change is rebuilt from the stored state
//! (`change_at`) to be pushed; everything crosses the wire as JSON.
//!
//! The oracle knows nothing of `merge.rs`. It records, for every field write, what its writer had
//! on screen: for an edit, the value the oracle itself says that device showed; for a choice in a
//! conflict, every value the oracle says it showed. From those and from which changes each device
//! has taken in, it derives each field's heads (the current value first, the kept conflicts after
//! it). At every save and every choice the device's own heads must be the oracle's (the clerk saw
//! what the oracle says), and at the end every device must hold the same states, with the
//! oracle's heads, every write ever made, and nothing new when everything is delivered again.
//!
//! CI runs 300 cases; `PROPTEST_CASES=3000 cargo test --release --lib sync::sim` the full count.

use super::records::{created_record, creation_only, derived_state, materialize};
use super::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How often the cases met each situation (over every case run in this process), so that a test
/// can check that the generator reaches them all.
static SEEN: [AtomicUsize; 7] = [const { AtomicUsize::new(0) }; 7];
const DRIFT_REFUSED: usize = 0;
const CREATED_SHORTCUT: usize = 1;
const ROLLED_OVER: usize = 2;
const CONFLICT_CHOSEN: usize = 3;
const PUSHED_AGAIN: usize = 4;
const CLOCK_BACK: usize = 5;
const TIE: usize = 6;

fn saw(what: usize) {
    SEEN[what].fetch_add(1, Ordering::Relaxed);
}

const FIELDS: [&str; 4] = ["name", "phones", "org.tax_no", "notes"];
const START: u64 = 1_763_856_000_000;
/// Clock offsets a device can have: on time, a quarter second either way, ahead beyond the drift
/// bound, far behind.
const SKEWS: [i64; 6] = [0, 0, 250, -250, hlc::MAX_DRIFT_MS as i64 + 60_000, -600_000];

#[derive(Clone, Debug)]
enum Op {
    Edit { d: usize, rec: usize, field: usize, val: u8 },
    Clear { d: usize, rec: usize, field: usize },
    Delete { d: usize, rec: usize },
    Restore { d: usize, rec: usize },
    AddHistory { d: usize, rec: usize },
    EditHistory { d: usize, nth: usize, val: u8 },
    Resolve { d: usize, rec: usize, pick: usize },
    Push { d: usize, lose_answer: bool },
    Pull { d: usize, page: usize, pages: usize },
    Wait { ms: u64 },
    Skew { d: usize, skew: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0usize..6;
    prop_oneof![
        6 => (d.clone(), 0usize..3, 0usize..4, any::<u8>()).prop_map(|(d, rec, field, val)| Op::Edit { d, rec, field, val }),
        1 => (d.clone(), 0usize..3, 0usize..4).prop_map(|(d, rec, field)| Op::Clear { d, rec, field }),
        1 => (d.clone(), 0usize..3).prop_map(|(d, rec)| Op::Delete { d, rec }),
        1 => (d.clone(), 0usize..3).prop_map(|(d, rec)| Op::Restore { d, rec }),
        2 => (d.clone(), 0usize..3).prop_map(|(d, rec)| Op::AddHistory { d, rec }),
        2 => (d.clone(), any::<usize>(), any::<u8>()).prop_map(|(d, nth, val)| Op::EditHistory { d, nth, val }),
        2 => (d.clone(), 0usize..3, any::<usize>()).prop_map(|(d, rec, pick)| Op::Resolve { d, rec, pick }),
        3 => (d.clone(), any::<bool>()).prop_map(|(d, lose_answer)| Op::Push { d, lose_answer }),
        4 => (d.clone(), 1usize..6, 1usize..4).prop_map(|(d, page, pages)| Op::Pull { d, page, pages }),
        2 => prop_oneof![0u64..3, 0u64..5_000, Just(70_000)].prop_map(|ms| Op::Wait { ms }),
        1 => (d, 0..SKEWS.len()).prop_map(|(d, skew)| Op::Skew { d, skew }),
    ]
}

/// A record as the device's storage keeps it.
#[derive(Clone, Debug)]
enum Stored {
    /// Its creation only: the materialised value (with `meta.hlc`), no state.
    Created(Value),
    /// The merge state as stored (JSON text).
    State(String),
}

/// One device: its clock, its stored records, its outbox of references and its pull cursor.
struct Device {
    clock: Clock,
    skew: i64,
    stored: BTreeMap<RecordKey, Stored>,
    outbox: Vec<(RecordKey, Hlc)>,
    cursor: usize,
}

impl Device {
    fn load(&self, key: &RecordKey) -> RecordState {
        match self.stored.get(key) {
            None => RecordState::default(),
            Some(Stored::Created(v)) => derived_state(v).expect("a created record derives its state"),
            Some(Stored::State(s)) => serde_json::from_str(s).expect("a stored state reads back"),
        }
    }

    fn store(&mut self, key: &RecordKey, state: &RecordState) {
        let s = match creation_only(state) {
            Some(_) => Stored::Created(materialize(state)),
            None => Stored::State(serde_json::to_string(state).unwrap()),
        };
        self.stored.insert(key.clone(), s);
    }
}

/// One field write as the oracle keeps it: its value and the writes its writer had on screen.
#[derive(Clone, Debug)]
struct OracleWrite {
    hlc: Hlc,
    value: Value,
    replaced: BTreeSet<Hlc>,
}

struct World {
    devices: Vec<Device>,
    time: u64,
    /// The endpoint: changes as JSON in arrival order (seq = index + 1), each id once.
    server: Vec<String>,
    server_ids: HashSet<String>,
    /// Oracle: every field write, per record and field.
    writes: BTreeMap<(RecordKey, String), Vec<OracleWrite>>,
    /// Oracle: the changes each device has made or taken in.
    known: Vec<BTreeSet<Hlc>>,
    histories: Vec<RecordKey>,
}

impl World {
    fn now(&self, d: usize) -> u64 {
        (self.time as i64 + self.devices[d].skew) as u64
    }

    /// The oracle's heads of a field on device `d`: the writes it has that no write it has
    /// replaced knowingly, newest first.
    fn oracle_heads(&self, d: usize, key: &RecordKey, field: &str) -> Vec<Hlc> {
        let Some(all) = self.writes.get(&(key.clone(), field.to_string())) else { return Vec::new() };
        let here: Vec<&OracleWrite> = all.iter().filter(|w| self.known[d].contains(&w.hlc)).collect();
        let mut heads: Vec<Hlc> =
            here.iter().filter(|w| !here.iter().any(|x| x.replaced.contains(&w.hlc))).map(|w| w.hlc.clone()).collect();
        heads.sort_by(|a, b| b.cmp(a));
        heads
    }

    /// Checks that device `d` shows record `key` as the oracle says, field by field.
    fn check_screen(&self, d: usize, key: &RecordKey) -> Result<(), TestCaseError> {
        let state = self.devices[d].load(key);
        let fields: BTreeSet<&String> =
            state.fields.keys().chain(self.writes.keys().filter(|(k, _)| k == key).map(|(_, f)| f)).collect();
        for field in fields {
            let product: Vec<Hlc> = state
                .fields
                .get(field)
                .map(|f| f.heads().into_iter().map(|w| w.hlc.clone()).collect())
                .unwrap_or_default();
            let oracle = self.oracle_heads(d, key, field);
            prop_assert_eq!(&product, &oracle, "device {} shows {} {:?} other than the oracle", d, field, key.id);
        }
        Ok(())
    }

    /// A clerk on device `d` saves `key` as `value`.
    fn save(&mut self, d: usize, key: &RecordKey, value: &Value) -> Result<(), TestCaseError> {
        self.check_screen(d, key)?;
        let state = self.devices[d].load(key);
        let set = state.edit(value);
        if set.is_empty() {
            return Ok(());
        }
        let replaced: BTreeMap<String, BTreeSet<Hlc>> =
            set.keys().map(|f| (f.clone(), self.oracle_heads(d, key, f).into_iter().take(1).collect())).collect();
        let c = Change {
            hlc: self.tick(d),
            record: key.clone(),
            staff: format!("staff{d}"),
            device_name: String::new(),
            set,
        };
        self.commit(d, c, replaced)
    }

    /// A new clock time on device `d`, noting a counter that rolled over, a wall clock behind the
    /// device's clock, and a tie with another device's time.
    fn tick(&mut self, d: usize) -> Hlc {
        let now = self.now(d);
        let before = self.devices[d].clock.last();
        let h = self.devices[d].clock.tick(now);
        if h.millis == before.millis + 1 && before.counter == 99_999 {
            saw(ROLLED_OVER);
        }
        if now < before.millis {
            saw(CLOCK_BACK);
        }
        if self
            .writes
            .values()
            .flatten()
            .any(|w| w.hlc.millis == h.millis && w.hlc.counter == h.counter && w.hlc.device != h.device)
        {
            saw(TIE);
        }
        h
    }

    /// Stores a local change, queues it, and tells the oracle what its writer had on screen.
    fn commit(&mut self, d: usize, c: Change, replaced: BTreeMap<String, BTreeSet<Hlc>>) -> Result<(), TestCaseError> {
        let mut state = self.devices[d].load(&c.record);
        prop_assert!(state.apply(&c));
        self.devices[d].store(&c.record, &state);
        self.devices[d].outbox.push((c.record.clone(), c.hlc.clone()));
        for (field, fw) in &c.set {
            let w = OracleWrite { hlc: c.hlc.clone(), value: fw.value.clone(), replaced: replaced[field].clone() };
            self.writes.entry((c.record.clone(), field.clone())).or_default().push(w);
        }
        self.known[d].insert(c.hlc.clone());
        self.check_screen(d, &c.record)
    }

    fn current(&self, d: usize, key: &RecordKey) -> Value {
        let v = self.devices[d].load(key).value();
        if v.as_object().is_some_and(|o| o.is_empty()) {
            json!({"meta": {"created_by": format!("staff{d}")}})
        } else {
            v
        }
    }

    fn push(&mut self, d: usize, lose_answer: bool) {
        let dev = &self.devices[d];
        for (key, hlc) in &dev.outbox {
            let c = dev.load(key).change_at(key, hlc).expect("an outbox entry rebuilds from the stored state");
            let wire = serde_json::to_string(&c).unwrap();
            if self.server_ids.insert(c.id()) {
                self.server.push(wire);
            } else {
                saw(PUSHED_AGAIN);
            }
        }
        if !lose_answer {
            self.devices[d].outbox.clear();
        }
    }

    /// Up to `pages` pages of `page` changes, each applied whole as the app does.
    fn pull(&mut self, d: usize, page: usize, pages: usize) {
        for _ in 0..pages {
            let from = self.devices[d].cursor;
            let batch: Vec<(usize, Change)> = self.server[from..(from + page).min(self.server.len())]
                .iter()
                .enumerate()
                .map(|(i, w)| (from + i + 1, serde_json::from_str(w).expect("a change reads back from the wire")))
                .collect();
            if batch.is_empty() {
                return;
            }
            let mut count: BTreeMap<RecordKey, usize> = BTreeMap::new();
            for (_, c) in &batch {
                *count.entry(c.record.clone()).or_default() += 1;
            }
            let now = self.now(d);
            let full = batch.len() == page;
            for (seq, mut c) in batch {
                let dev = &mut self.devices[d];
                if dev.clock.observe(&c.hlc, now).is_err() {
                    // A clock too far ahead: the page stops here and the cursor with it.
                    saw(DRIFT_REFUSED);
                    return;
                }
                let hlc = c.hlc.clone();
                let fresh = !dev.stored.contains_key(&c.record) && count[&c.record] == 1;
                match fresh.then(|| created_record(&mut c)).flatten() {
                    Some(v) => {
                        saw(CREATED_SHORTCUT);
                        dev.stored.insert(c.record.clone(), Stored::Created(v));
                    }
                    None => {
                        let mut state = dev.load(&c.record);
                        state.apply(&c);
                        dev.store(&c.record, &state);
                    }
                }
                dev.cursor = seq;
                self.known[d].insert(hlc);
            }
            if !full {
                return;
            }
        }
    }

    fn run(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let n = self.devices.len();
        match *op {
            Op::Edit { d, rec, field, val } => {
                let (d, key) = (d % n, RecordKey::profile(&format!("p{rec}")));
                let mut v = self.current(d, &key);
                let value =
                    if FIELDS[field] == "phones" { json!([format!("1{val}")]) } else { json!(format!("v{val}")) };
                set_path(&mut v, FIELDS[field], Some(value));
                self.save(d, &key, &v)?;
            }
            Op::Clear { d, rec, field } => {
                let (d, key) = (d % n, RecordKey::profile(&format!("p{rec}")));
                let mut v = self.current(d, &key);
                set_path(&mut v, FIELDS[field], None);
                self.save(d, &key, &v)?;
            }
            Op::Delete { d, rec } | Op::Restore { d, rec } => {
                let (d, key) = (d % n, RecordKey::profile(&format!("p{rec}")));
                let mut v = self.current(d, &key);
                let tomb = matches!(op, Op::Delete { .. }).then(|| json!(self.time));
                set_path(&mut v, "meta.deleted_at", tomb);
                self.save(d, &key, &v)?;
            }
            Op::AddHistory { d, rec } => {
                let d = d % n;
                let key = RecordKey::history(&format!("h{}", self.histories.len()));
                self.histories.push(key.clone());
                let v = json!({"profile_id": format!("p{rec}"), "kind": "stay", "text": "入住",
                               "meta": {"created_by": format!("staff{d}")}});
                self.save(d, &key, &v)?;
            }
            Op::EditHistory { d, nth, val } => {
                let d = d % n;
                let here: Vec<RecordKey> =
                    self.histories.iter().filter(|k| self.devices[d].stored.contains_key(*k)).cloned().collect();
                if let Some(key) = here.get(nth % here.len().max(1)) {
                    let mut v = self.current(d, key);
                    set_path(&mut v, "text", Some(json!(format!("备注{val}"))));
                    self.save(d, key, &v)?;
                }
            }
            Op::Resolve { d, rec, pick } => {
                let (d, key) = (d % n, RecordKey::profile(&format!("p{rec}")));
                self.check_screen(d, &key)?;
                let state = self.devices[d].load(&key);
                let choice = state.conflicts().into_iter().next().map(|c| {
                    let mut options = vec![c.winner];
                    options.extend(c.losers);
                    (c.field.to_string(), options[pick % options.len()].hlc.clone())
                });
                if let Some((field, keep)) = choice {
                    let chosen = field.clone();
                    let fw = state.resolve(&field, &keep).expect("a head can be kept");
                    // The chooser had every value of the conflict on screen.
                    let replaced =
                        BTreeMap::from([(field.clone(), self.oracle_heads(d, &key, &field).into_iter().collect())]);
                    saw(CONFLICT_CHOSEN);
                    let c = Change {
                        hlc: self.tick(d),
                        record: key.clone(),
                        staff: "manager".into(),
                        device_name: String::new(),
                        set: BTreeMap::from([(field, fw)]),
                    };
                    self.commit(d, c, replaced)?;
                    prop_assert!(self.devices[d].load(&key).conflicts().iter().all(|c| c.field != chosen));
                }
            }
            Op::Push { d, lose_answer } => self.push(d % n, lose_answer),
            Op::Pull { d, page, pages } => self.pull(d % n, page, pages),
            Op::Wait { ms } => self.time += ms,
            Op::Skew { d, skew } => self.devices[d % n].skew = SKEWS[skew],
        }
        Ok(())
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

fn world(n: usize, skews: &[usize], counters: &[bool]) -> World {
    World {
        devices: (0..n)
            .map(|i| {
                let name = format!("d{i}");
                let skew = SKEWS[skews[i] % 4];
                // Some devices restart right after a burst: their counter is about to roll over.
                let last = counters[i].then(|| Hlc {
                    millis: (START as i64 + skew) as u64,
                    counter: 99_997,
                    device: name.clone(),
                });
                Device {
                    clock: Clock::resume(&name, last.as_ref()),
                    skew,
                    stored: BTreeMap::new(),
                    outbox: Vec::new(),
                    cursor: 0,
                }
            })
            .collect(),
        time: START,
        server: Vec::new(),
        server_ids: HashSet::new(),
        writes: BTreeMap::new(),
        known: vec![BTreeSet::new(); n],
        histories: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn devices_converge_on_what_the_oracle_derives_and_nothing_is_lost(
        n in 3usize..=6,
        skews in proptest::collection::vec(0usize..4, 6),
        counters in proptest::collection::vec(any::<bool>(), 6),
        ops in proptest::collection::vec(op(), 1..120),
    ) {
        let mut w = world(n, &skews, &counters);
        for op in &ops {
            w.run(op)?;
        }
        // Everyone back on time, time past every clock that ran ahead, then two full rounds.
        for dev in &mut w.devices {
            dev.skew = 0;
        }
        w.time += 2 * hlc::MAX_DRIFT_MS;
        for _ in 0..2 {
            for d in 0..n {
                w.push(d, false);
            }
            for d in 0..n {
                w.pull(d, 7, usize::MAX);
            }
        }
        let keys: BTreeSet<RecordKey> = w.writes.keys().map(|(k, _)| k.clone()).collect();
        for d in 0..n {
            prop_assert_eq!(w.devices[d].cursor, w.server.len());
            prop_assert!(w.devices[d].outbox.is_empty());
            for key in &keys {
                prop_assert_eq!(w.devices[d].load(key), w.devices[0].load(key), "device {} differs on {:?}", d, key);
                w.check_screen(d, key)?;
            }
        }
        // Nothing vanished: every write ever made is in the state.
        for ((key, field), writes) in &w.writes {
            let state = w.devices[0].load(key);
            for ow in writes {
                prop_assert!(state.fields[field].writes.iter().any(|x| x.hlc == ow.hlc && x.value == ow.value), "{} of {} lost", ow.hlc, field);
            }
        }
        // Everything delivered again changes nothing.
        let before: Vec<RecordState> = keys.iter().map(|k| w.devices[1].load(k)).collect();
        w.devices[1].cursor = 0;
        w.pull(1, 5, usize::MAX);
        let after: Vec<RecordState> = keys.iter().map(|k| w.devices[1].load(k)).collect();
        prop_assert_eq!(before, after);
    }
}

#[test]
fn the_cases_reach_every_fault_the_simulation_has() {
    devices_converge_on_what_the_oracle_derives_and_nothing_is_lost();
    let names = [
        "drift refused",
        "creation shortcut",
        "counter rolled over",
        "conflict chosen",
        "pushed again",
        "clock behind",
        "tie",
    ];
    for (name, n) in names.iter().zip(&SEEN) {
        assert!(n.load(Ordering::Relaxed) > 0, "no case met: {name}");
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
