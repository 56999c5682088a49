//! Sealed values in the application layer (`domain/governance/sealed.rs` says what they are):
//! the signed-in session's sealer, sealing what the archive keeps in clear (the upgrade, and
//! values pulled while nobody was signed in), the search key's tags for the search box, the
//! duplicate warning and the import, and an administrator's reveal (with a reason, logged).

use crate::app::archive::Services;
use crate::app::governance::{self, grants, sealing, GovError, SignedIn};
use crate::domain::fields::Field;
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::grant::{check_reason, Asked, Decision, Request, Scope};
use crate::domain::governance::masking::for_viewer_granted;
use crate::domain::governance::sealed::{looks_like_number, DataKey, Sealed, Sealer, Tagger};
use crate::domain::governance::{Action, Role};
use crate::domain::model::Profile;
use crate::platform::clock::now_ms;
use crate::store::StoreError;
use leptos::prelude::*;
use std::sync::Arc;

/// Events of each device's chain the profile page looks through for who looked recently.
const RECENT_EVENTS: usize = 2_000;

/// Local value (`meta`) saying whether everything stored is sealed: absent on an archive from
/// before sealing, `false` after values arrived in clear while nobody was signed in.
const KEY_SEALED: &str = "sealed.v1";

/// Notes that an archive being set up without a profile holds nothing in clear: its first
/// sign-in then neither looks for values to seal nor fetches the code that seals them. Values
/// that arrive in clear later say so themselves ([`Services::mark_unsealed`]).
pub(crate) async fn note_sealed_if_empty(db: &crate::store::Archive) -> Result<(), StoreError> {
    if db.local_value::<bool>(KEY_SEALED).await?.is_none() && db.count_profiles().await? == 0 {
        db.set_local_value(KEY_SEALED, &true).await?;
    }
    Ok(())
}

/// A sealing failure where only storage errors are expected.
pub fn as_store(e: GovError) -> StoreError {
    match e {
        GovError::Store(e) => e,
        other => StoreError::Db(format!("sealing: {other}")),
    }
}

impl Services {
    /// The archive's search key at work, while someone is signed in.
    pub fn tags(self) -> Option<Tagger> {
        self.session.signed_in().map(|me| sealing::tagger(&me))
    }

    /// The search-index form of a query that may be a whole ID or account number (searched as
    /// well as the query itself), while someone is signed in.
    pub fn tag_query(self, query: &str) -> Option<String> {
        looks_like_number(query).then(|| self.tags()).flatten().map(|t| t.index_key(Field::IdDocNumber, query))
    }

    /// The signed-in session's sealer (its data key is made on first use); `None` while nobody
    /// is signed in or the archive has no governance yet.
    pub async fn sealer(self) -> Result<Option<Arc<Sealer>>, GovError> {
        let Some(me) = self.session.signed_in() else { return Ok(None) };
        if let Some(s) = self.session.sealer.get_value() {
            return Ok(Some(s));
        }
        let Some(root) = self.current_roster().await?.root else { return Ok(None) };
        let db = self.archive()?;
        let s = Arc::new(sealing::new_sealer(&db, &root, &me, now_ms()).await?);
        // Two saves at once may both have made one: keep the first, the other stays unused.
        if let Some(first) = self.session.sealer.get_value() {
            return Ok(Some(first));
        }
        self.session.sealer.set_value(Some(s.clone()));
        Ok(Some(s))
    }

    /// Whether something stored may still be in clear (from before sealing, or pulled while
    /// nobody was signed in).
    pub async fn needs_sealing(self) -> Result<bool, StoreError> {
        Ok(self.archive()?.local_value::<bool>(KEY_SEALED).await? != Some(true))
    }

    /// Notes that values arrived in clear (pulled or restored while nobody could seal them).
    pub(crate) async fn mark_unsealed(self) -> Result<(), StoreError> {
        self.archive()?.set_local_value(KEY_SEALED, &false).await
    }

    /// Seals everything stored in clear (profiles, chunks, merge states), then rebuilds the
    /// search index from the sealed profiles; how many records changed. Nothing happens while
    /// nobody is signed in.
    pub async fn seal_archive(self) -> Result<usize, GovError> {
        seal_archive(self).await?
    }

    /// An administrator opens a sealed value of a profile, giving a reason: the reveal is logged
    /// before the value is returned. A value in clear (an archive not sealed yet) is returned as
    /// it is, and logged too.
    pub async fn reveal(self, profile: &str, field: Field, value: &str, reason: &str) -> Result<String, GovError> {
        reveal(self, profile.to_string(), field, value.to_string(), reason.to_string()).await?
    }

    /// Data key `id`, opened with the archive key of `me` (an administrator) once a session.
    pub(crate) async fn data_key(self, me: &SignedIn, id: &str) -> Result<DataKey, GovError> {
        if let Some(k) = self.session.opened.with_value(|m| m.get(id).cloned()) {
            return Ok(k);
        }
        let k = sealing::open_data_key(&*self.archive()?, me, id).await?;
        self.session.opened.update_value(|m| {
            m.insert(k.id.clone(), k.clone());
        });
        Ok(k)
    }

    /// Profiles as the signed-in person may take them out of the archive for `action` (an
    /// export, a print): masked by the access table and the archive's policy; also whether
    /// anything was masked. Nobody signed in (the office before the desk told it) gets the
    /// ordinary user's view.
    pub fn for_viewer(self, profiles: Vec<Profile>, action: Action) -> (Vec<Profile>, bool) {
        self.for_viewer_granted(profiles, action, false)
    }

    /// As [`Self::for_viewer`], with `granted`: the signed-in person's request for this action
    /// (a full export) stands approved.
    pub fn for_viewer_granted(self, profiles: Vec<Profile>, action: Action, granted: bool) -> (Vec<Profile>, bool) {
        let role = self.session.role().unwrap_or(Role::User);
        let policy = self.session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.clone())).unwrap_or_default();
        let mut any = false;
        let out = profiles
            .iter()
            .map(|p| {
                let (p, masked) = for_viewer_granted(p, role, &policy, action, granted);
                any |= masked;
                p
            })
            .collect();
        (out, any)
    }

    /// The accepted roster (read now if the session has none yet).
    async fn current_roster(self) -> Result<crate::domain::governance::roster::Roster, GovError> {
        match self.session.roster.get_untracked() {
            Some(r) => Ok(r),
            None => governance::roster(&*self.archive()?).await,
        }
    }

    /// Every view request that stands, with its decision, newest first.
    pub async fn asked(self) -> Result<Vec<Asked>, GovError> {
        let roster = self.current_roster().await?;
        grants::asked(&*self.archive()?, &roster).await
    }

    /// The signed-in person asks for `scope` (a value, a full print), with a reason.
    pub async fn ask(self, scope: Scope, reason: &str) -> Result<(), GovError> {
        ask(self, scope, reason.to_string()).await?
    }

    /// The signed-in administrator approves (for the policy's hours) or refuses (with a reason)
    /// a request.
    pub async fn decide(self, request: &Request, approve: bool, reason: &str) -> Result<(), GovError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        self.decide_as(&me, request, approve, reason).await
    }

    /// An administrator standing at this tablet approves a request with their PIN, without
    /// taking over the session (their PIN unwraps their keys for this one decision; a wrong PIN
    /// counts toward their lockout).
    pub async fn approve_here(self, request: &Request, admin: &str, pin: &str) -> Result<(), GovError> {
        let roster = self.current_roster().await?;
        let db = self.archive()?;
        let approver = governance::sign_in(&db, &roster, admin, pin, now_ms()).await?;
        self.decide_as(&approver, request, true, "").await
    }

    async fn decide_as(self, who: &SignedIn, request: &Request, approve: bool, reason: &str) -> Result<(), GovError> {
        decide_as(self, who.clone(), request.clone(), approve, reason.to_string()).await?
    }

    /// A value granted to the signed-in person, opened with their own key.
    pub async fn open_granted(self, d: &Decision, path: &str) -> Result<String, GovError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        grants::open_granted(&me, d, path).await
    }

    /// The newest access-log events of every device (the last 2,000 of each chain): what the
    /// profile page's "looked at recently" searches, at a cost that does not grow with the log.
    pub async fn recent_events(self) -> Result<Vec<crate::domain::governance::chain::Event>, StoreError> {
        self.archive()?.newest_events(RECENT_EVENTS).await
    }
}

// Asking, deciding, revealing and sealing the whole archive: code fetched on first use
// (`src/lazy.rs`); the methods above are their callers' way in.
crate::lazy::lazy_fn! { requests;
    async fn ask(svc: Services, scope: Scope, reason: String) -> Result<(), GovError> {
        let me = svc.session.signed_in().ok_or(GovError::NotEntitled)?;
        grants::ask(&*svc.archive()?, &me, scope, &reason, now_ms()).await?;
        svc.local_rev.update(|n| *n += 1);
        Ok(())
    }
}

crate::lazy::lazy_fn! { requests;
    async fn decide_as(svc: Services, who: SignedIn, request: Request, approve: bool, reason: String) -> Result<(), GovError> {
        let roster = svc.current_roster().await?;
        let answer = if approve {
            grants::Answer::Approve { hours: roster.policy.grant_hours }
        } else {
            grants::Answer::Refuse { reason: &reason }
        };
        grants::decide(&*svc.archive()?, &roster, &who, &request, answer, now_ms()).await?;
        svc.local_rev.update(|n| *n += 1);
        Ok(())
    }
}

crate::lazy::lazy_fn! { requests;
    async fn reveal(svc: Services, profile: String, field: Field, value: String, reason: String) -> Result<String, GovError> {
        let me = svc.session.signed_in().ok_or(GovError::NotEntitled)?;
        if me.secrets.archive.is_none() {
            return Err(GovError::NotEntitled);
        }
        check_reason(&reason).map_err(GovError::Invalid)?;
        let db = svc.archive()?;
        let plain = match Sealed::parse(&value) {
            None => value.clone(),
            Some(sealed) => sealing::open_with(&svc.data_key(&me, sealed.key).await?, &profile, field, &value)?,
        };
        let entry = Entry {
            kind: Some(EventKind::Reveal),
            profile,
            fields: vec![field.path().to_string()],
            reason: reason.trim().to_string(),
            ..Entry::default()
        };
        governance::log(&db, Some(&me), now_ms(), entry).await?;
        svc.local_rev.update(|n| *n += 1);
        Ok(plain)
    }
}

crate::lazy::lazy_fn! { requests;
    async fn seal_archive(svc: Services) -> Result<usize, GovError> {
        let Some(s) = svc.sealer().await? else { return Ok(0) };
        let db = svc.archive()?;
        let n = db.reseal(&|id, path, v| s.seal_value(id, path, v)).await?;
        let index = db.rebuild_snapshot().await?;
        svc.replace_index(index);
        db.set_local_value(KEY_SEALED, &true).await?;
        Ok(n)
    }
}
