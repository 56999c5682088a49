//! View requests and approvals (查阅申请 / 审批): an ordinary user asks for a masked value, a full
//! print or a full export, with a reason; an administrator approves (for how long) or refuses
//! (why). Both are synced governance records.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Scope {
    /// The values of some fields of one profile.
    Reveal { profile: String, fields: Vec<String> },
    /// The archive form of one profile printed in full.
    Print { profile: String },
    /// An export of the archive with every value.
    Export,
    /// A ledger entry that counts only once approved (an adjustment, a count's difference) or a
    /// sale past the credit limit; `summary` says what it is in the requester's words.
    Entry { profile: String, entry: String, summary: String },
    /// An application to destroy these profiles with everything they hold (销毁申请, issue 18):
    /// made by an administrator, approved by a super administrator other than the applicant.
    Destroy { profiles: Vec<String> },
    /// A hold on a profile (保留: a dispute, an accident, an authority's instruction; issue 18):
    /// set by an administrator with a reason, it stands without approval and keeps the profile
    /// permanently; a decision on it by any administrator lifts it.
    Hold { profile: String, kind: crate::domain::retention::HoldKind },
    /// A profile kept in a review (复核保留) with a reason: off that review's list.
    Kept { profile: String, period: crate::domain::retention::Period },
    /// A review recorded as done (复核完成) with its counts.
    Reviewed { period: crate::domain::retention::Period, counts: crate::domain::review::Counts },
}

impl Scope {
    /// Whether a request for `self` answers one for `wanted`: the same print or export, or a
    /// reveal of the same profile naming every field wanted (and maybe more).
    pub fn covers(&self, wanted: &Scope) -> bool {
        match (self, wanted) {
            (Scope::Reveal { profile: p, fields }, Scope::Reveal { profile: q, fields: want }) => {
                p == q && want.iter().all(|w| fields.contains(w))
            }
            (a, b) => a == b,
        }
    }

    /// A request for an administrator's approval on the approvals list (view requests, entries);
    /// not a destruction (its own screen) nor a statement an administrator makes (a hold, a
    /// review's record).
    pub fn is_view_request(&self) -> bool {
        matches!(self, Scope::Reveal { .. } | Scope::Print { .. } | Scope::Export | Scope::Entry { .. })
    }

    pub fn profile(&self) -> Option<&str> {
        match self {
            Scope::Reveal { profile, .. }
            | Scope::Print { profile }
            | Scope::Entry { profile, .. }
            | Scope::Hold { profile, .. }
            | Scope::Kept { profile, .. } => Some(profile),
            Scope::Export | Scope::Destroy { .. } | Scope::Reviewed { .. } => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: String,
    /// When asked (ms since the epoch).
    pub at: i64,
    /// The staff member asking (id), their name and department at the time.
    pub requester: String,
    pub requester_name: String,
    pub department: String,
    pub scope: Scope,
    pub reason: String,
}

/// An administrator's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The request's id.
    pub request: String,
    pub at: i64,
    pub by: String,
    pub by_name: String,
    pub approved: bool,
    /// Until when an approval holds (ms since the epoch).
    #[serde(default)]
    pub until: i64,
    /// Why it was refused (or a note with an approval).
    #[serde(default)]
    pub reason: String,
    /// The granted values, each sealed to the requester's own key (field path → sealed value).
    #[serde(default)]
    pub sealed: BTreeMap<String, String>,
    /// An approved destruction: its register number (销毁登记号), the count of records it
    /// destroyed and their digest (written only then, so other decisions sign as before).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub register: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Where a request stands for its requester.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Active { until: i64 },
    Expired,
    Refused { reason: String },
}

/// The shortest and longest an approval may last.
pub const MIN_HOURS: u32 = 1;
pub const MAX_HOURS: u32 = 24 * 7;

/// A request's state at `now`, given its decision (if any).
pub fn state(decision: Option<&Decision>, now: i64) -> State {
    match decision {
        None => State::Pending,
        Some(d) if !d.approved => State::Refused { reason: d.reason.clone() },
        Some(d) if d.until > now => State::Active { until: d.until },
        Some(_) => State::Expired,
    }
}

/// A reason must say something: at least 4 characters after trimming (a Chinese reason is
/// short, "核对身份" is four).
pub fn check_reason(reason: &str) -> Result<(), crate::domain::i18n::Msg> {
    if reason.trim().chars().count() < 4 {
        Err(crate::domain::i18n::Msg::ErrReason)
    } else {
        Ok(())
    }
}

/// Whether an active grant covers showing `field` of `profile` (or, with `field` empty, the
/// whole print or export the scope names).
pub fn covers(req: &Request, decision: Option<&Decision>, now: i64, wanted: &Scope) -> bool {
    if !matches!(state(decision, now), State::Active { .. }) {
        return false;
    }
    match (&req.scope, wanted) {
        (Scope::Reveal { profile, fields }, Scope::Reveal { profile: p, fields: f }) => {
            profile == p && f.iter().all(|x| fields.contains(x))
        }
        (Scope::Print { profile }, Scope::Print { profile: p }) => profile == p,
        (Scope::Export, Scope::Export) => true,
        (Scope::Entry { entry, .. }, Scope::Entry { entry: e, .. }) => entry == e,
        _ => false,
    }
}

/// A signed body as read: who signed it and whether the signature checked (in Web Crypto).
#[derive(Clone, Debug, PartialEq)]
pub struct Signed<T> {
    pub body: T,
    pub by: String,
    pub sig_ok: bool,
}

/// A request that stands, with the decision on it that stands (if any).
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    pub request: Request,
    pub decision: Option<Decision>,
}

impl Asked {
    /// Where it stands at `now`.
    pub fn state(&self, now: i64) -> State {
        state(self.decision.as_ref(), now)
    }

    /// Whether it is active at `now` and covers `wanted`.
    pub fn covers(&self, now: i64, wanted: &Scope) -> bool {
        covers(&self.request, self.decision.as_ref(), now, wanted)
    }
}

/// The requests and decisions that stand: a request signed by its requester, a decision signed
/// by someone entitled to decide it (not the requester; a super administrator, or the
/// requester's department's administrator), as the roster's staff say. Newest first; refused
/// records are left out.
pub fn standing(
    requests: Vec<Signed<Request>>,
    decisions: Vec<Signed<Decision>>,
    staff: &BTreeMap<String, super::staff::Staff>,
) -> Vec<Asked> {
    use super::authority::{judge, Act};
    let all: Vec<super::staff::Staff> = staff.values().cloned().collect();
    let mut out: Vec<Asked> = requests
        .into_iter()
        .filter(|r| judge(staff.get(&r.by), r.sig_ok, Act::Request { request: &r.body }, true, &all).is_ok())
        .map(|r| Asked { request: r.body, decision: None })
        .collect();
    for d in decisions {
        let Some(a) = out.iter_mut().find(|a| a.request.id == d.body.request) else { continue };
        let ok = judge(staff.get(&d.by), d.sig_ok, Act::Decide { request: &a.request }, true, &all).is_ok()
            && d.body.by == d.by;
        if ok && a.decision.as_ref().is_none_or(|old| old.at <= d.body.at) {
            a.decision = Some(d.body);
        }
    }
    out.sort_by(|a, b| b.request.at.cmp(&a.request.at).then_with(|| b.request.id.cmp(&a.request.id)));
    out
}

/// The ledger entries an administrator approved (an entry's approval does not expire: it is a
/// decision about money, not a time-limited view), and those refused.
pub fn entry_decisions(asked: &[Asked]) -> (std::collections::HashSet<String>, std::collections::HashSet<String>) {
    let (mut approved, mut refused) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for a in asked {
        if let (Scope::Entry { entry, .. }, Some(d)) = (&a.request.scope, &a.decision) {
            if d.approved {
                approved.insert(entry.clone())
            } else {
                refused.insert(entry.clone())
            };
        }
    }
    (approved, refused)
}

/// Until when an approval given at `now` for `hours` holds (hours kept within the limits).
pub fn until(now: i64, hours: u32) -> i64 {
    now + i64::from(hours.clamp(MIN_HOURS, MAX_HOURS)) * 3_600_000
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_request_covers_what_it_names_and_nothing_else() {
        let reveal = |p: &str, f: &[&str]| Scope::Reveal {
            profile: p.into(),
            fields: f.iter().map(|x| x.to_string()).collect(),
        };
        let print = |p: &str| Scope::Print { profile: p.into() };
        assert!(reveal("a", &["id_doc.number", "org.account"]).covers(&reveal("a", &["org.account"])));
        assert!(!reveal("a", &["id_doc.number"]).covers(&reveal("a", &["org.account"])));
        assert!(!reveal("a", &["id_doc.number"]).covers(&reveal("b", &["id_doc.number"])));
        assert!(print("a").covers(&print("a")) && !print("a").covers(&print("b")));
        assert!(
            !print("a").covers(&reveal("a", &["id_doc.number"]))
                && !reveal("a", &["id_doc.number"]).covers(&print("a"))
        );
        assert!(Scope::Export.covers(&Scope::Export) && !Scope::Export.covers(&print("a")));
    }

    fn req(scope: Scope) -> Request {
        Request {
            id: "r1".into(),
            at: 0,
            requester: "s2".into(),
            requester_name: "李娜".into(),
            department: "前厅".into(),
            scope,
            reason: "核对身份证件".into(),
        }
    }

    fn approve(until: i64) -> Decision {
        Decision {
            request: "r1".into(),
            at: 10,
            by: "s1".into(),
            by_name: "王芳".into(),
            approved: true,
            until,
            reason: String::new(),
            sealed: BTreeMap::new(),
            ..Decision::default()
        }
    }

    #[test]
    fn only_requests_by_their_requester_and_decisions_by_the_entitled_stand() {
        use super::super::staff::{Role, Staff};
        let person = |id: &str, role, dept: &str| Staff {
            id: id.into(),
            name: id.into(),
            department: dept.into(),
            role,
            active: true,
            sign: String::new(),
        };
        let staff: BTreeMap<String, Staff> = [
            person("s1", Role::SuperAdmin, "管理"),
            person("s2", Role::User, "前厅"),
            person("s3", Role::DeptAdmin, "销售"),
            person("s4", Role::DeptAdmin, "前厅"),
        ]
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
        let scope = Scope::Reveal { profile: "p1".into(), fields: vec!["id_doc.number".into()] };
        fn signed<T>(body: T, by: &str, sig_ok: bool) -> Signed<T> {
            Signed { body, by: by.into(), sig_ok }
        }
        let r1 = req(scope.clone());
        let forged = Request { id: "r2".into(), requester: "s2".into(), ..req(scope.clone()) };
        let requests = vec![signed(r1.clone(), "s2", true), signed(forged, "s3", true)];
        let decide = |by: &str, at| Decision { by: by.into(), at, ..approve(1000) };
        // Another department's administrator may not decide; the requester may not; a bad
        // signature does not count; the department's own administrator may.
        let stand = |ds: Vec<Signed<Decision>>| standing(requests.clone(), ds, &staff);
        assert_eq!(stand(vec![]).len(), 1, "a request signed by someone else than its requester is refused");
        assert_eq!(stand(vec![signed(decide("s3", 10), "s3", true)])[0].decision, None);
        assert_eq!(stand(vec![signed(decide("s2", 10), "s2", true)])[0].decision, None);
        assert_eq!(stand(vec![signed(decide("s4", 10), "s4", false)])[0].decision, None);
        assert_eq!(stand(vec![signed(decide("s4", 10), "s4", true)])[0].decision, Some(decide("s4", 10)));
        assert_eq!(stand(vec![signed(decide("s1", 10), "s4", true)])[0].decision, None, "signed by another");
        let later = stand(vec![signed(decide("s4", 10), "s4", true), signed(decide("s1", 20), "s1", true)]);
        assert_eq!(later[0].decision.as_ref().unwrap().by, "s1", "the latest decision stands");
        assert!(later[0].covers(999, &scope) && !later[0].covers(1000, &scope));
        assert_eq!(until(0, 0), 3_600_000, "at least an hour");
        assert_eq!(until(0, 24), 24 * 3_600_000);
    }

    #[test]
    fn a_grant_holds_until_it_expires_and_a_refusal_shows_nothing() {
        let reveal = Scope::Reveal { profile: "p1".into(), fields: vec!["id_doc.number".into()] };
        let r = req(reveal.clone());
        assert_eq!(state(None, 5), State::Pending);
        assert!(!covers(&r, None, 5, &reveal));
        let d = approve(1000);
        assert_eq!(state(Some(&d), 999), State::Active { until: 1000 });
        assert!(covers(&r, Some(&d), 999, &reveal));
        assert_eq!(state(Some(&d), 1000), State::Expired);
        assert!(!covers(&r, Some(&d), 1000, &reveal), "expired shows nothing");
        let refused = Decision { approved: false, reason: "不需要".into(), ..approve(1000) };
        assert_eq!(state(Some(&refused), 5), State::Refused { reason: "不需要".into() });
        assert!(!covers(&r, Some(&refused), 5, &reveal), "refused shows nothing, even before its time");
    }

    #[test]
    fn a_grant_covers_only_what_was_asked() {
        let r = req(Scope::Reveal { profile: "p1".into(), fields: vec!["id_doc.number".into()] });
        let d = approve(1000);
        assert!(!covers(
            &r,
            Some(&d),
            5,
            &Scope::Reveal { profile: "p2".into(), fields: vec!["id_doc.number".into()] }
        ));
        assert!(!covers(&r, Some(&d), 5, &Scope::Reveal { profile: "p1".into(), fields: vec!["org.account".into()] }));
        assert!(!covers(&r, Some(&d), 5, &Scope::Print { profile: "p1".into() }));
        assert!(!covers(&r, Some(&d), 5, &Scope::Export));
        let e = req(Scope::Export);
        assert!(covers(&e, Some(&d), 5, &Scope::Export));
        assert_eq!(check_reason(" 看看 "), Err(crate::domain::i18n::Msg::ErrReason));
        assert_eq!(check_reason("核对身份"), Ok(()));
    }
}
