//! View requests and approvals (查阅申请 / 审批) in the application layer: an ordinary user asks
//! for a masked value with a reason; an administrator approves on the same tablet (their PIN
//! unwraps their keys for that one decision) or later on another device through sync. An
//! approval carries the granted values sealed to the requester's own key, so only the requester
//! opens them, and only until the approval expires.

use super::sealing::{open_data_key, open_with};
use super::{log, put_signed, GovError, SignedIn};
use crate::domain::fields::Field;
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::grant::{self, check_reason, Asked, Decision, Request, Scope, Signed};
use crate::domain::governance::roster::Roster;
use crate::domain::governance::sealed::{Sealed, SEALED};
use crate::domain::governance::signed;
use crate::domain::sync::{b64, RecordKind};
use crate::platform::crypto::CryptoError;
use crate::platform::ids::new_id;
use crate::platform::keys as wc;
use crate::store::Archive;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Every request that stands, with its decision (signatures checked against the roster's staff
/// keys, entitlement by the domain's rules), newest first.
pub async fn asked(db: &Archive, roster: &Roster) -> Result<Vec<Asked>, GovError> {
    async fn read<T: serde::de::DeserializeOwned>(
        db: &Archive,
        roster: &Roster,
        kind: RecordKind,
    ) -> Result<Vec<Signed<T>>, GovError> {
        let mut out = Vec::new();
        for s in db.governance(kind).await? {
            let Some(env) = s.envelope() else { continue };
            let Some(body) = env.read::<T>() else { continue };
            let key = roster.staff.get(&env.by).and_then(|st| b64::decode(&st.sign));
            let sig_ok = match (key, b64::decode(&env.sig)) {
                (Some(key), Some(sig)) => {
                    let message = signed::message(kind.prefix(), &s.id, &env.body);
                    checked(message, sig, key).await
                }
                _ => false,
            };
            out.push(Signed { body, by: env.by, sig_ok });
        }
        Ok(out)
    }
    let requests = read::<Request>(db, roster, RecordKind::Request).await?;
    let decisions = read::<Decision>(db, roster, RecordKind::Decision).await?;
    Ok(grant::standing(requests, decisions, &roster.staff))
}

/// What a signature check looked at: the message, the signature, the key.
type Checked = (Vec<u8>, Vec<u8>, Vec<u8>);

thread_local! {
    /// Signatures checked this session, by exactly what was checked (message, signature, key):
    /// requests and decisions never change once written, and every screen showing one asks
    /// for all of them after each change.
    static CHECKED: RefCell<HashMap<Checked, bool>> = RefCell::new(HashMap::new());
}

/// Whether `sig` signs `message` under `key`, checked once per session.
async fn checked(message: Vec<u8>, sig: Vec<u8>, key: Vec<u8>) -> bool {
    let seen = (message, sig, key);
    if let Some(ok) = CHECKED.with(|c| c.borrow().get(&seen).copied()) {
        return ok;
    }
    let ok = wc::verify(&seen.2, &seen.0, &seen.1).await;
    CHECKED.with(|c| c.borrow_mut().insert(seen, ok));
    ok
}

/// `me` asks for `scope` with a reason (signed, synced, logged).
pub async fn ask(db: &Archive, me: &SignedIn, scope: Scope, reason: &str, now: i64) -> Result<Request, GovError> {
    check_reason(reason).map_err(GovError::Invalid)?;
    let r = Request {
        id: new_id(),
        at: now,
        requester: me.staff.id.clone(),
        requester_name: me.staff.name.clone(),
        department: me.staff.department.clone(),
        scope,
        reason: reason.trim().to_string(),
    };
    put_signed(db, RecordKind::Request, &r.id, &r, &me.staff, &me.secrets.sign).await?;
    log(db, Some(me), now, entry(EventKind::Request, &r, &r.reason)).await?;
    Ok(r)
}

fn entry(kind: EventKind, r: &Request, reason: &str) -> Entry {
    let (profile, fields) = match &r.scope {
        Scope::Reveal { profile, fields } => (profile.clone(), fields.clone()),
        Scope::Print { profile } => (profile.clone(), Vec::new()),
        Scope::Export | Scope::Destroy { .. } | Scope::Reviewed { .. } => (String::new(), Vec::new()),
        Scope::Entry { profile, .. } | Scope::Hold { profile, .. } | Scope::Kept { profile, .. } => {
            (profile.clone(), Vec::new())
        }
    };
    Entry { kind: Some(kind), profile, fields, reason: reason.to_string(), detail: r.id.clone(), ..Entry::default() }
}

/// An administrator's answer to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer<'a> {
    /// Approved for this many hours.
    Approve { hours: u32 },
    /// Refused, and why.
    Refuse { reason: &'a str },
}

/// `approver` answers `r`. An approval of values seals each to the requester's own key (read
/// with the archive key, which only administrators hold).
pub async fn decide(
    db: &Archive,
    roster: &Roster,
    approver: &SignedIn,
    r: &Request,
    answer: Answer<'_>,
    now: i64,
) -> Result<Decision, GovError> {
    let (approve, hours, reason) = match answer {
        Answer::Approve { hours } => (true, hours, ""),
        Answer::Refuse { reason } => (false, 0, reason),
    };
    if !crate::domain::governance::authority::entitled(
        &approver.staff,
        crate::domain::governance::authority::Act::Decide { request: r },
    ) {
        return Err(GovError::NotEntitled);
    }
    if !approve {
        check_reason(reason).map_err(GovError::Invalid)?;
    }
    // The values an approval carries: the fields named, or for a full print every sealed one.
    let fields: Vec<String> = match (approve, &r.scope) {
        (true, Scope::Reveal { fields, .. }) => fields.clone(),
        (true, Scope::Print { .. }) => SEALED.iter().map(|f| f.path().to_string()).collect(),
        _ => Vec::new(),
    };
    let mut sealed = BTreeMap::new();
    if let (Some(profile), false) = (r.scope.profile(), fields.is_empty()) {
        let public = roster
            .keys
            .get(&r.requester)
            .and_then(|k| b64::decode(&k.seal))
            .ok_or(GovError::Crypto(CryptoError::Unreadable))?;
        let p = db.get_profile(profile).await?.ok_or(GovError::Invalid(crate::domain::i18n::Msg::NotFound))?;
        for path in &fields {
            if let Some(doc) = crate::domain::documents::granted_doc(path) {
                let Some(grant) = doc_grant(db, approver, profile, doc).await? else { continue };
                let text = serde_json::to_string(&grant).expect("a grant serialises");
                sealed.insert(path.clone(), b64::encode(&wc::seal_to(&public, text.as_bytes()).await?));
                continue;
            }
            let Some(field) = Field::of_path(path) else { continue };
            let value = match field {
                Field::IdDocNumber => p.id_doc.as_ref().map(|d| d.number.clone()).unwrap_or_default(),
                Field::OrgAccount => p.org.account.clone(),
                _ => continue,
            };
            if value.is_empty() {
                continue;
            }
            let plain = match Sealed::parse(&value) {
                Some(s) => open_with(&open_data_key(db, approver, s.key).await?, profile, field, &value)?,
                None => value,
            };
            sealed.insert(path.clone(), b64::encode(&wc::seal_to(&public, plain.as_bytes()).await?));
        }
    }
    let d = Decision {
        request: r.id.clone(),
        at: now,
        by: approver.staff.id.clone(),
        by_name: approver.staff.name.clone(),
        approved: approve,
        until: if approve { grant::until(now, hours) } else { 0 },
        reason: reason.trim().to_string(),
        sealed,
        ..Decision::default()
    };
    put_signed(db, RecordKind::Decision, &r.id, &d, &approver.staff, &approver.secrets.sign).await?;
    let kind = if approve { EventKind::Approve } else { EventKind::Refuse };
    log(db, Some(approver), now, entry(kind, r, &d.reason)).await?;
    Ok(d)
}

/// What an approval of sealed document `doc` (of `profile`) carries: its file key and number,
/// opened with the archive key of `approver`; `None` when the profile holds no such document.
async fn doc_grant(
    db: &Archive,
    approver: &SignedIn,
    profile: &str,
    doc: &str,
) -> Result<Option<crate::domain::documents::DocGrant>, GovError> {
    let Some(d) = db.document(doc).await?.filter(|d| d.profile_id == profile && d.is_sealed()) else {
        return Ok(None);
    };
    Ok(Some(open_document(db, approver, &d, None).await?))
}

/// A sealed document's file key and number, opened with data keys `me` (an administrator) opens
/// with the archive key; `opened` are data keys already open (by id).
pub async fn open_document(
    db: &Archive,
    me: &SignedIn,
    d: &crate::domain::documents::Document,
    opened: Option<&std::collections::HashMap<String, crate::domain::governance::sealed::DataKey>>,
) -> Result<crate::domain::documents::DocGrant, GovError> {
    use crate::domain::documents::{DocGrant, KEY_PATH, NUMBER_PATH};
    let unreadable = || GovError::Crypto(CryptoError::Unreadable);
    let open = |path: &'static str, value: String| async move {
        let Some(s) = Sealed::parse(&value) else { return Ok::<_, GovError>(value) };
        let key = match opened.and_then(|m| m.get(s.key)) {
            Some(k) => k.clone(),
            None => open_data_key(db, me, s.key).await?,
        };
        key.open_at(&d.id, path, &s).ok_or_else(unreadable)
    };
    let key = open(KEY_PATH, d.key.clone()).await?;
    let number = open(NUMBER_PATH, d.number.clone()).await?;
    Ok(DocGrant { key, number })
}

/// A granted value of `path`, opened with the requester's own key.
pub async fn open_granted(me: &SignedIn, d: &Decision, path: &str) -> Result<String, GovError> {
    let blob = d.sealed.get(path).and_then(|s| b64::decode(s)).ok_or(GovError::Crypto(CryptoError::Unreadable))?;
    let plain = wc::open_sealed(&me.secrets.seal, &blob).await?;
    String::from_utf8(plain).map_err(|_| GovError::Crypto(CryptoError::Unreadable))
}
