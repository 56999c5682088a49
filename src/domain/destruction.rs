//! Destruction (销毁, seeds 001–003; issue 18), pure: an administrator applies to destroy
//! profiles with a reason (a [`Scope::Destroy`] request); a super administrator other than the
//! applicant approves it after the check (count and digest of what goes, refused while a hold
//! stands or an account is open); the approval carries the register number (销毁登记号) and is
//! the destruction register's row. Every device that learns of an approval erases the profiles
//! with everything they hold and keeps [`Tombs`], so nothing destroyed comes back, whether from a
//! device that was offline or from an older backup.

use super::governance::grant::{Asked, Scope};
use super::i18n::{fill, Locale, Msg};
use super::retention::{HoldKind, Retention};
use super::sync::protocol::parse_register;
use super::sync::{RecordKey, RecordKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Why a profile may not be destroyed now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// A hold stands (a dispute, an accident, an authority's instruction, a grave complaint).
    Held(Vec<HoldKind>),
    /// Its account is open: something is owed.
    Open,
}

impl Blocker {
    /// What keeps a record from destruction, from its retention (none when only its period is
    /// not over: an application may still be made, the check says so).
    pub fn of(r: &Retention) -> Option<Blocker> {
        match r {
            Retention::Permanent(kinds) => Some(Blocker::Held(kinds.clone())),
            Retention::WhileOpen => Some(Blocker::Open),
            Retention::Until { .. } => None,
        }
    }

    /// `有保留标记（纠纷），不能销毁` / `账款未结清，不能销毁`.
    pub fn words(&self, l: Locale) -> String {
        match self {
            Blocker::Held(kinds) => {
                let why: Vec<&str> = kinds.iter().map(|k| l.t(k.msg())).collect();
                fill(l.t(Msg::DesBlockHeld), &[&why.join("、")])
            }
            Blocker::Open => l.t(Msg::DesBlockOpen).to_string(),
        }
    }
}

/// The digest of what a destruction erases: SHA-256 over every record's key and stored bytes,
/// in key order (hex). The register keeps it and the count, never the data.
pub fn digest(records: &[(String, Vec<u8>)]) -> String {
    let mut sorted: Vec<&(String, Vec<u8>)> = records.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    for (key, bytes) in sorted {
        h.update((key.len() as u64).to_le_bytes());
        h.update(key.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A row of the destruction register (销毁登记簿).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub number: String,
    /// When it was approved and carried out (ms).
    pub at: i64,
    pub application: String,
    pub applicant: String,
    pub approver: String,
    pub reason: String,
    /// Records destroyed (profiles, history, account entries).
    pub count: u32,
    pub digest: String,
    pub profiles: Vec<String>,
}

/// Where an application stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    Pending,
    Refused { by: String, reason: String },
    Done(Row),
}

/// An application as the screens show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub id: String,
    pub at: i64,
    pub applicant: String,
    pub applicant_name: String,
    pub reason: String,
    pub profiles: Vec<String>,
    pub stage: Stage,
}

/// The destruction applications among the requests that stand, newest first.
pub fn applications(asked: &[Asked]) -> Vec<Application> {
    asked
        .iter()
        .filter_map(|a| {
            let Scope::Destroy { profiles } = &a.request.scope else { return None };
            let r = &a.request;
            let stage = match &a.decision {
                None => Stage::Pending,
                Some(d) if !d.approved => Stage::Refused { by: d.by_name.clone(), reason: d.reason.clone() },
                Some(d) if parse_register(&d.register).is_none() => Stage::Pending,
                Some(d) => Stage::Done(Row {
                    number: d.register.clone(),
                    at: d.at,
                    application: r.id.clone(),
                    applicant: r.requester_name.clone(),
                    approver: d.by_name.clone(),
                    reason: r.reason.clone(),
                    count: d.count,
                    digest: d.digest.clone(),
                    profiles: profiles.clone(),
                }),
            };
            Some(Application {
                id: r.id.clone(),
                at: r.at,
                applicant: r.requester.clone(),
                applicant_name: r.requester_name.clone(),
                reason: r.reason.clone(),
                profiles: profiles.clone(),
                stage,
            })
        })
        .collect()
}

/// The holds on profile `id` among the requests that stand (lifted ones with when and by whom).
pub fn holds_of(asked: &[Asked], id: &str) -> Vec<crate::domain::retention::Hold> {
    asked
        .iter()
        .filter_map(|a| match &a.request.scope {
            Scope::Hold { profile, kind } if profile == id => Some(crate::domain::retention::Hold {
                id: a.request.id.clone(),
                kind: *kind,
                reason: a.request.reason.clone(),
                by: a.request.requester.clone(),
                by_name: a.request.requester_name.clone(),
                at: a.request.at,
                lifted: a.decision.as_ref().map(|d| (d.at, d.by_name.clone())),
            }),
            _ => None,
        })
        .collect()
}

/// The register: every destruction carried out, by number.
pub fn register(apps: &[Application]) -> Vec<Row> {
    let mut rows: Vec<Row> = apps
        .iter()
        .filter_map(|a| match &a.stage {
            Stage::Done(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    rows.sort_by_key(|r| parse_register(&r.number));
    rows
}

/// The next register number of `year` as this device knows the register (the endpoint gives
/// numbers when the archive syncs; this is the least it may give).
pub fn next_number(rows: &[Row], year: u16) -> u32 {
    rows.iter().filter_map(|r| parse_register(&r.number)).filter(|(y, _)| *y == year).map(|(_, n)| n).max().unwrap_or(0)
        + 1
}

/// What this device has destroyed, kept so nothing destroyed is taken in again: the registers
/// carried out here, the profiles (by id) and every other record (by key) with their register
/// number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombs {
    #[serde(default)]
    pub done: BTreeSet<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, String>,
    #[serde(default)]
    pub records: BTreeMap<String, String>,
}

impl Tombs {
    /// The register number that destroyed the record `key` (owned by profile `owner`, empty if
    /// none or unknown), if it was.
    pub fn killed(&self, key: &RecordKey, owner: &str) -> Option<&str> {
        let by_profile = |id: &str| self.profiles.get(id).map(String::as_str);
        match key.kind {
            RecordKind::Profile => by_profile(&key.id),
            _ => self.records.get(&key.text()).map(String::as_str).or_else(|| by_profile(owner)),
        }
    }

    /// Whether the record `key` (owned by `owner`) was destroyed; when it was, counts it under
    /// its register number in `refused` (what the log then says was refused).
    pub fn refuses(&self, key: &RecordKey, owner: &str, refused: &mut BTreeMap<String, usize>) -> bool {
        match self.killed(key, owner) {
            Some(n) => {
                *refused.entry(n.to_string()).or_default() += 1;
                true
            }
            None => false,
        }
    }

    /// Records a destruction carried out here.
    pub fn add(&mut self, number: &str, profiles: &[String], records: &[RecordKey]) {
        self.done.insert(number.to_string());
        for p in profiles {
            self.profiles.insert(p.clone(), number.to_string());
        }
        for k in records.iter().filter(|k| k.kind != RecordKind::Profile) {
            self.records.insert(k.text(), number.to_string());
        }
    }

    /// The register's rows not carried out here yet (another device approved them).
    pub fn to_follow<'a>(&self, rows: &'a [Row]) -> Vec<&'a Row> {
        rows.iter().filter(|r| !self.done.contains(&r.number)).collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::governance::grant::{Decision, Request};

    fn asked(id: &str, profiles: &[&str], decision: Option<Decision>) -> Asked {
        Asked {
            request: Request {
                id: id.into(),
                at: 1,
                requester: "head".into(),
                requester_name: "赵主管".into(),
                department: "前厅".into(),
                scope: Scope::Destroy { profiles: profiles.iter().map(|p| p.to_string()).collect() },
                reason: "保管期满，复核后申请销毁".into(),
            },
            decision,
        }
    }

    fn approved(id: &str, register: &str) -> Decision {
        Decision {
            request: id.into(),
            at: 5,
            by: "boss".into(),
            by_name: "钱总".into(),
            approved: true,
            register: register.into(),
            count: 4,
            digest: "ab".into(),
            ..Decision::default()
        }
    }

    #[test]
    fn applications_stand_pending_refused_or_done_and_the_register_lists_the_done_by_number() {
        let refused =
            Decision { approved: false, reason: "尚有纠纷".into(), by_name: "钱总".into(), ..approved("a2", "") };
        let all = [
            asked("a3", &["p3"], Some(approved("a3", "XH-2026-0010"))),
            asked("a1", &["p1", "p2"], Some(approved("a1", "XH-2026-0002"))),
            asked("a2", &["p9"], Some(refused)),
            asked("a4", &["p4"], None),
        ];
        let apps = applications(&all);
        assert_eq!(apps[2].stage, Stage::Refused { by: "钱总".into(), reason: "尚有纠纷".into() });
        assert_eq!(apps[3].stage, Stage::Pending);
        let rows = register(&apps);
        assert_eq!(rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), ["XH-2026-0002", "XH-2026-0010"]);
        assert_eq!((rows[0].applicant.as_str(), rows[0].approver.as_str(), rows[0].count), ("赵主管", "钱总", 4));
        assert_eq!(next_number(&rows, 2026), 11);
        assert_eq!(next_number(&rows, 2027), 1, "numbers count within their year");
    }

    #[test]
    fn a_hold_stands_until_a_decision_lifts_it() {
        use crate::domain::retention::HoldKind;
        let hold = |id: &str, profile: &str, decision| Asked {
            request: Request {
                id: id.into(),
                at: 3,
                requester: "head".into(),
                requester_name: "赵主管".into(),
                department: "前厅".into(),
                scope: Scope::Hold { profile: profile.into(), kind: HoldKind::Dispute },
                reason: "房价纠纷未了".into(),
            },
            decision,
        };
        let lift = Decision { request: "k1".into(), at: 9, by_name: "钱总".into(), ..Decision::default() };
        let asked = [hold("k1", "p1", Some(lift)), hold("k2", "p1", None), hold("k3", "p2", None)];
        let holds = holds_of(&asked, "p1");
        assert_eq!(holds.len(), 2);
        assert_eq!(holds[0].lifted, Some((9, "钱总".to_string())));
        assert_eq!(
            (holds[1].lifted.clone(), holds[1].reason.as_str(), holds[1].by_name.as_str()),
            (None, "房价纠纷未了", "赵主管")
        );
        let f = crate::domain::retention::Facts {
            last_activity: crate::domain::date::Date::parse("2020-01-01").unwrap(),
            grave_complaint: false,
            holds,
            debt: crate::domain::retention::Debt::None,
        };
        let r = crate::domain::retention::retention(&f, &Default::default());
        assert_eq!(Blocker::of(&r), Some(Blocker::Held(vec![HoldKind::Dispute])), "the standing one blocks");
        assert!(applications(&asked).is_empty(), "holds are not applications");
    }

    #[test]
    fn what_was_destroyed_is_never_taken_in_again() {
        let mut t = Tombs::default();
        let keys = [
            RecordKey { kind: RecordKind::Profile, id: "p1".into() },
            RecordKey { kind: RecordKind::History, id: "h1".into() },
        ];
        t.add("XH-2026-0001", &["p1".into()], &keys);
        let key = |kind, id: &str| RecordKey { kind, id: id.into() };
        assert_eq!(t.killed(&key(RecordKind::Profile, "p1"), ""), Some("XH-2026-0001"));
        assert_eq!(t.killed(&key(RecordKind::History, "h1"), ""), Some("XH-2026-0001"), "a change without its owner");
        assert_eq!(t.killed(&key(RecordKind::Ledger, "new"), "p1"), Some("XH-2026-0001"), "written offline since");
        assert_eq!(t.killed(&key(RecordKind::History, "h2"), "p2"), None);
        assert_eq!(t.killed(&key(RecordKind::Profile, "p2"), ""), None);
        let mut refused = BTreeMap::new();
        assert!(t.refuses(&key(RecordKind::Profile, "p1"), "", &mut refused));
        assert!(t.refuses(&key(RecordKind::Ledger, "x"), "p1", &mut refused));
        assert!(!t.refuses(&key(RecordKind::Profile, "p2"), "", &mut refused));
        assert_eq!(refused, BTreeMap::from([("XH-2026-0001".to_string(), 2)]));
        let rows = register(&applications(&[
            asked("a1", &["p1"], Some(approved("a1", "XH-2026-0001"))),
            asked("a2", &["p2"], Some(approved("a2", "XH-2026-0002"))),
        ]));
        assert_eq!(t.to_follow(&rows).iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), ["XH-2026-0002"]);
        let back: Tombs = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn a_hold_or_an_open_account_blocks_a_destruction_and_the_digest_names_what_goes() {
        use crate::domain::date::Date;
        assert_eq!(Blocker::of(&Retention::WhileOpen), Some(Blocker::Open));
        assert_eq!(Blocker::Open.words(Locale::Zh), "账款未结清，不能销毁");
        let held = Blocker::of(&Retention::Permanent(vec![HoldKind::Dispute])).unwrap();
        assert_eq!(held.words(Locale::Zh), "永久保留（纠纷），不能销毁");
        let until = Retention::Until {
            day: Date::parse("2030-01-01").unwrap(),
            why: crate::domain::retention::Basis::Activity,
        };
        assert_eq!(Blocker::of(&until), None);
        let a = vec![("p:1".to_string(), b"{\"name\":\"x\"}".to_vec()), ("h:2".to_string(), b"{}".to_vec())];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(digest(&a), digest(&b), "the order read does not matter");
        assert_eq!(digest(&a).len(), 64);
        b[0].1 = b"{\"name\":\"y\"}".to_vec();
        assert_ne!(digest(&a), digest(&b));
    }
}
