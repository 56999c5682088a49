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
}

impl Scope {
    pub fn profile(&self) -> Option<&str> {
        match self {
            Scope::Reveal { profile, .. } | Scope::Print { profile } => Some(profile),
            Scope::Export => None,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
        _ => false,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

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
        }
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
