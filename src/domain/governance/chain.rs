//! The access log (访问日志): append-only events, hash-chained per device. Each device writes its
//! own chain (devices are offline from each other, so one shared chain could not be kept); an
//! event's hash covers its content and the previous event's hash, so editing, deleting or
//! reordering one breaks the chain from there. What a device has once seen of another device's
//! chain (its [`Witness`]) catches the one thing a chain alone cannot: its last events cut off.

use super::staff::Role;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Open,
    Reveal,
    Print,
    Export,
    Import,
    Backup,
    Restore,
    Request,
    Approve,
    Refuse,
    SignIn,
    SignOut,
    PinWrong,
    Lockout,
    StaffChange,
    PolicyChange,
    LogExport,
    /// A governance record from another device refused (not signed by someone entitled).
    Refused,
    /// Profiles destroyed on this device (the detail names the register number and count).
    Destroy,
    /// Records of destroyed profiles refused (from a backup or another device; the detail names
    /// the register number and count).
    Revived,
}

impl EventKind {
    pub const ALL: [EventKind; 20] = [
        EventKind::Open,
        EventKind::Reveal,
        EventKind::Print,
        EventKind::Export,
        EventKind::Import,
        EventKind::Backup,
        EventKind::Restore,
        EventKind::Request,
        EventKind::Approve,
        EventKind::Refuse,
        EventKind::SignIn,
        EventKind::SignOut,
        EventKind::PinWrong,
        EventKind::Lockout,
        EventKind::StaffChange,
        EventKind::PolicyChange,
        EventKind::LogExport,
        EventKind::Refused,
        EventKind::Destroy,
        EventKind::Revived,
    ];
}

/// What an event says, before it is chained.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The staff member (id and name at the time) and their role; empty for a failed sign-in
    /// of an unknown name.
    pub staff: String,
    pub staff_name: String,
    pub role: Option<Role>,
    pub kind: Option<EventKind>,
    /// The profile concerned, if one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub profile: String,
    /// Field paths concerned (a reveal, a request).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The reason given, when one was asked for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// A short detail in no language (a file name, a count, a request id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// A chained event. Its record key is `<device>.<seq>` (zero-padded), so a device's events sort
/// in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EventWire")]
pub struct Event {
    pub device: String,
    /// 1, 2, 3… on its device.
    pub seq: u64,
    /// Milliseconds since the epoch, the device's clock.
    pub at: i64,
    #[serde(flatten)]
    pub entry: Entry,
    /// The previous event's hash (hex); 64 zeros for the first.
    pub prev: String,
    /// SHA-256 of everything above (hex).
    pub hash: String,
}

/// An event as stored and sent, read field by field: the same JSON as [`Event`] writes, without
/// the buffering a flattened struct costs when read (the log screen reads every event).
#[derive(Deserialize)]
struct EventWire {
    device: String,
    seq: u64,
    at: i64,
    staff: String,
    staff_name: String,
    role: Option<Role>,
    kind: Option<EventKind>,
    #[serde(default)]
    profile: String,
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    detail: String,
    prev: String,
    hash: String,
}

impl From<EventWire> for Event {
    fn from(w: EventWire) -> Event {
        let EventWire { device, seq, at, staff, staff_name, role, kind, profile, fields, reason, detail, prev, hash } =
            w;
        Event {
            device,
            seq,
            at,
            entry: Entry { staff, staff_name, role, kind, profile, fields, reason, detail },
            prev,
            hash,
        }
    }
}

/// What an event's hash covers: everything but the hash, in the order [`Event`] writes it.
#[derive(Serialize)]
struct Unhashed<'a> {
    device: &'a str,
    seq: u64,
    at: i64,
    #[serde(flatten)]
    entry: &'a Entry,
    prev: &'a str,
    hash: &'static str,
}

/// Feeds JSON straight into the hash.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `prev` of a device's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

impl Event {
    /// The record id of event `seq` of `device`.
    pub fn id(device: &str, seq: u64) -> String {
        format!("{device}.{seq:012}")
    }

    /// The event after `last` (None for a device's first) with this content.
    pub fn next(device: &str, last: Option<&Event>, at: i64, entry: Entry) -> Event {
        let (seq, prev) = last.map(|e| (e.seq + 1, e.hash.clone())).unwrap_or((1, GENESIS.to_string()));
        let mut e = Event { device: device.to_string(), seq, at, entry, prev, hash: String::new() };
        e.hash = e.digest();
        e
    }

    /// The hash its content gives: SHA-256 over its JSON without the hash (serde keeps the
    /// struct's field order, so the bytes are the same on every device and version).
    pub fn digest(&self) -> String {
        let unhashed = Unhashed {
            device: &self.device,
            seq: self.seq,
            at: self.at,
            entry: &self.entry,
            prev: &self.prev,
            hash: "",
        };
        let mut w = HashWriter(Sha256::new());
        // Writing JSON into a hash cannot fail.
        let _ = serde_json::to_writer(&mut w, &unhashed);
        hex(&w.0.finalize())
    }

    pub fn record_id(&self) -> String {
        Event::id(&self.device, self.seq)
    }
}

/// The last event a device has seen of each device's chain: (seq, hash).
pub type Witness = BTreeMap<String, (u64, String)>;

/// How an event breaks its chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// Its content no longer gives its hash: it was edited.
    Edited,
    /// It does not follow the event before it: events were removed or moved.
    Reordered,
    /// An event that was there (by its number, or once seen) is gone.
    Missing,
}

/// The log's integrity: every event checked, or the first break (device, seq, how).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Integrity {
    Verified(usize),
    Broken { device: String, seq: u64, how: Break },
}

/// Checks every chain. `events` in any order; `witness`: what was seen before.
pub fn verify(events: &[Event], witness: &Witness) -> Integrity {
    Checker::new(events, witness).step(usize::MAX).expect("a step without a limit finishes")
}

/// The check of [`verify`] a stretch at a time, so a long log is checked without holding the
/// page (the log screen checks 100,000 events in slices).
pub struct Checker<'a> {
    /// Each device's events, in order of number.
    chains: Vec<(&'a str, Vec<&'a Event>)>,
    witness: &'a Witness,
    total: usize,
    /// Where the check is: which chain, which event of it.
    chain: usize,
    pos: usize,
    done: Option<Integrity>,
}

impl<'a> Checker<'a> {
    pub fn new(events: &'a [Event], witness: &'a Witness) -> Checker<'a> {
        let mut by_device: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
        for e in events {
            by_device.entry(e.device.as_str()).or_default().push(e);
        }
        // A chain seen before and now gone entirely.
        let done = witness
            .iter()
            .find(|(d, seen)| !by_device.contains_key(d.as_str()) && seen.0 > 0)
            .map(|(d, _)| Integrity::Broken { device: d.clone(), seq: 1, how: Break::Missing });
        let chains = by_device
            .into_iter()
            .map(|(d, mut chain)| {
                chain.sort_by_key(|e| e.seq);
                (d, chain)
            })
            .collect();
        Checker { chains, witness, total: events.len(), chain: 0, pos: 0, done }
    }

    /// Checks up to `n` more events: the result once every chain is checked or a break is found,
    /// None while there is more to check.
    pub fn step(&mut self, n: usize) -> Option<Integrity> {
        let mut budget = n;
        while self.done.is_none() {
            let Some((device, chain)) = self.chains.get(self.chain) else {
                self.done = Some(Integrity::Verified(self.total));
                break;
            };
            let broken = |seq, how| Some(Integrity::Broken { device: device.to_string(), seq, how });
            let mut found = None;
            while found.is_none() && self.pos < chain.len() && budget > 0 {
                budget -= 1;
                let (i, e) = (self.pos, chain[self.pos]);
                let prev = if i == 0 { GENESIS } else { chain[i - 1].hash.as_str() };
                found = if e.seq != i as u64 + 1 {
                    broken(i as u64 + 1, Break::Missing)
                } else if e.digest() != e.hash {
                    broken(e.seq, Break::Edited)
                } else if e.prev != prev {
                    broken(e.seq, Break::Reordered)
                } else {
                    None
                };
                self.pos += 1;
            }
            if found.is_none() && self.pos == chain.len() {
                // The chain is whole: it must still hold what this device saw of it.
                if let Some((seq, hash)) = self.witness.get(*device) {
                    found = match (*seq as usize).checked_sub(1).map(|i| chain.get(i)) {
                        Some(None) => broken(chain.len() as u64 + 1, Break::Missing),
                        Some(Some(e)) if &e.hash != hash => broken(*seq, Break::Edited),
                        _ => None,
                    };
                }
                self.chain += 1;
                self.pos = 0;
            }
            if found.is_some() {
                self.done = found;
            } else if budget == 0 {
                return None;
            }
        }
        self.done.clone()
    }
}

/// What this device now vouches for: the last event of each verified chain.
pub fn witness_of(events: &[Event]) -> Witness {
    let mut w = Witness::new();
    for e in events {
        let entry = w.entry(e.device.clone()).or_insert((0, String::new()));
        if e.seq > entry.0 {
            *entry = (e.seq, e.hash.clone());
        }
    }
    w
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn entry(kind: EventKind, profile: &str) -> Entry {
        Entry {
            staff: "s1".into(),
            staff_name: "王芳".into(),
            role: Some(Role::User),
            kind: Some(kind),
            profile: profile.into(),
            ..Entry::default()
        }
    }

    fn chain(device: &str, n: usize) -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        for i in 0..n {
            let e =
                Event::next(device, out.last(), 1_700_000_000_000 + i as i64, entry(EventKind::Open, &format!("p{i}")));
            out.push(e);
        }
        out
    }

    /// The hash as the first version computed it (a clone without its hash, as JSON): events
    /// stored and synced since then must still check.
    fn first_digest(e: &Event) -> String {
        let mut copy = e.clone();
        copy.hash = String::new();
        Sha256::digest(serde_json::to_vec(&copy).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn an_event_reads_back_as_written_and_hashes_as_the_first_version_did() {
        let mut e = chain("devA", 2).pop().unwrap();
        e.entry.fields = vec!["id_doc.number".into()];
        e.entry.reason = "核对 \"入住\"".into();
        e.entry.detail = "x.csv".into();
        e.hash = e.digest();
        for e in [chain("devB", 1).pop().unwrap(), e] {
            assert_eq!(e.digest(), first_digest(&e));
            let json = serde_json::to_vec(&e).unwrap();
            assert_eq!(serde_json::from_slice::<Event>(&json).unwrap(), e);
            // As stored: with the record's meta beside it.
            let mut v: serde_json::Value = serde_json::from_slice(&json).unwrap();
            v["meta"] = serde_json::json!({ "hlc": "0001-00000-devA", "updated_by": "王芳" });
            assert_eq!(serde_json::from_value::<Event>(v).unwrap(), e);
        }
    }

    #[test]
    fn a_check_in_small_steps_finds_what_one_step_finds() {
        let mut edited = log();
        edited[6].entry.reason = "改过".into();
        let mut cut = log();
        cut.remove(2);
        for events in [log(), edited, cut] {
            let none = Witness::new();
            let whole = verify(&events, &none);
            let mut c = Checker::new(&events, &none);
            let mut steps = 0;
            let stepped = loop {
                steps += 1;
                if let Some(r) = c.step(2) {
                    break r;
                }
            };
            assert_eq!(stepped, whole);
            assert!(steps > 1);
        }
    }

    fn log() -> Vec<Event> {
        let mut all = chain("devA", 5);
        all.extend(chain("devB", 3));
        all
    }

    #[test]
    fn an_untouched_log_verifies_in_any_order() {
        let mut all = log();
        assert_eq!(verify(&all, &Witness::new()), Integrity::Verified(8));
        all.reverse();
        assert_eq!(verify(&all, &witness_of(&all)), Integrity::Verified(8));
        assert_eq!(Event::id("devA", 7), "devA.000000000007");
    }

    #[test]
    fn an_edited_event_is_found() {
        let mut all = log();
        all[2].entry.profile = "someone else".into();
        assert_eq!(
            verify(&all, &Witness::new()),
            Integrity::Broken { device: "devA".into(), seq: 3, how: Break::Edited }
        );
        // Re-hashing the edited event does not hide it: the next one no longer follows it.
        all[2].hash = all[2].digest();
        assert_eq!(
            verify(&all, &Witness::new()),
            Integrity::Broken { device: "devA".into(), seq: 4, how: Break::Reordered }
        );
    }

    #[test]
    fn a_deleted_event_is_found() {
        let mut all = log();
        all.remove(1);
        assert_eq!(
            verify(&all, &Witness::new()),
            Integrity::Broken { device: "devA".into(), seq: 2, how: Break::Missing }
        );
        // Deleting and renumbering the rest breaks the link instead.
        let mut renumbered = log();
        renumbered.remove(1);
        for e in renumbered.iter_mut().filter(|e| e.device == "devA" && e.seq > 2) {
            e.seq -= 1;
            e.hash = e.digest();
        }
        assert!(matches!(verify(&renumbered, &Witness::new()), Integrity::Broken { seq: 2, .. }));
    }

    #[test]
    fn a_cut_off_tail_is_found_by_what_was_seen() {
        let all = log();
        let seen = witness_of(&all);
        let cut: Vec<Event> = all.iter().filter(|e| !(e.device == "devB" && e.seq == 3)).cloned().collect();
        assert_eq!(verify(&cut, &Witness::new()), Integrity::Verified(7), "a chain alone cannot tell");
        assert_eq!(verify(&cut, &seen), Integrity::Broken { device: "devB".into(), seq: 3, how: Break::Missing });
        let gone: Vec<Event> = all.iter().filter(|e| e.device != "devB").cloned().collect();
        assert_eq!(verify(&gone, &seen), Integrity::Broken { device: "devB".into(), seq: 1, how: Break::Missing });
        // A whole chain rewritten from its start, consistent in itself, differs where it was seen.
        let forged = chain("devB", 3).into_iter().map(|mut e| {
            e.at += 1;
            e.hash = String::new();
            e
        });
        let mut rewritten: Vec<Event> = all.iter().filter(|e| e.device != "devB").cloned().collect();
        let mut last: Option<Event> = None;
        for e in forged {
            let n = Event::next("devB", last.as_ref(), e.at, e.entry);
            rewritten.push(n.clone());
            last = Some(n);
        }
        assert_eq!(verify(&rewritten, &Witness::new()), Integrity::Verified(8));
        assert_eq!(verify(&rewritten, &seen), Integrity::Broken { device: "devB".into(), seq: 3, how: Break::Edited });
    }

    #[test]
    fn swapped_events_are_found() {
        let mut all = log();
        let (a, b) = (all[1].clone(), all[2].clone());
        all[1] = Event { seq: 2, ..b };
        all[2] = Event { seq: 3, ..a };
        assert!(matches!(verify(&all, &Witness::new()), Integrity::Broken { seq: 2, how: Break::Edited, .. }));
    }
}
