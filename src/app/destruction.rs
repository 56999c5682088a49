//! Destruction in the application layer (issue 18; the rules in `domain/destruction.rs`): an
//! administrator applies; a super administrator other than the applicant approves after the
//! check, which erases the records on the endpoint (with an administrator's token, when the
//! archive syncs; the endpoint gives the register number) and here; every other device follows
//! when the approval reaches it. What a device destroyed stays in its [`Tombs`]: a pulled change
//! or a restored backup record of a destroyed profile is refused and the attempt logged.

use crate::app::archive::Services;
use crate::app::governance::{log, put_signed, GovError, SignedIn};
use crate::app::prefs;
use crate::app::sync::{HttpTransport, KeyCache, RoundSetup, SyncError};
use crate::domain::destruction::{self, digest, next_number, Application, Blocker, Row, Tombs};
use crate::domain::governance::authority::{entitled, Act};
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::grant::{check_reason, Asked, Decision, Request, Scope};
use crate::domain::retention::{retention, Facts};
use crate::domain::sync::protocol::{register_number, DestroyRequest};
use crate::domain::sync::{Change, RecordKey, RecordKind};
use crate::domain::Date;
use crate::platform::clock::{now_ms, today};
use crate::platform::ids::new_id;
use crate::store::{Archive, StoreError};
use leptos::prelude::*;

/// Where this device keeps its [`Tombs`] (a local value: never synced, never in a backup).
const TOMBS: &str = "destroyed";

/// Why a destruction did not happen.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DesError {
    /// Profiles that may not be destroyed now: their names and why.
    #[error("blocked")]
    Blocked(Vec<(String, Blocker)>),
    /// The archive syncs: the endpoint's records must be erased too, with an administrator's
    /// token.
    #[error("an administrator's token is needed")]
    NeedToken,
    /// The endpoint did not take the token as this archive's administrator's.
    #[error("not an administrator's token")]
    BadToken,
    #[error("sync: {0:?}")]
    Sync(SyncError),
    #[error(transparent)]
    Gov(#[from] GovError),
    #[error(transparent)]
    Ledger(#[from] crate::app::ledger::LedgerError),
}

impl From<StoreError> for DesError {
    fn from(e: StoreError) -> DesError {
        DesError::Gov(GovError::Store(e))
    }
}

/// One profile of an application as the check sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub id: String,
    /// Its name (empty when it is not on this device: destroyed already, or not synced yet).
    pub name: String,
    pub blocker: Option<Blocker>,
    /// Its retention is over (an application before that is allowed; the check says so).
    pub due: bool,
}

/// The check before a destruction: what would go, counted and digested, and what blocks it.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub profiles: Vec<Listed>,
    pub count: u32,
    pub digest: String,
    pub keys: Vec<RecordKey>,
}

impl Check {
    pub fn blockers(&self) -> Vec<(String, Blocker)> {
        self.profiles.iter().filter_map(|p| p.blocker.clone().map(|b| (p.name.clone(), b))).collect()
    }
}

impl Services {
    /// What destroying `profiles` would erase on this device and whether anything blocks it.
    pub async fn destruction_check(self, profiles: &[String]) -> Result<Check, DesError> {
        self.check_with(&self.asked().await?, profiles).await
    }

    /// The check, with the signed statements that stand (`asked`) already read.
    async fn check_with(self, asked: &[Asked], profiles: &[String]) -> Result<Check, DesError> {
        let rules = self.session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.retention)).unwrap_or_default();
        let on = today();
        let mut listed = Vec::new();
        for id in profiles {
            let Some(book) = self.book(id).await? else {
                listed.push(Listed { id: id.clone(), name: String::new(), blocker: None, due: false });
                continue;
            };
            let history = self.history(id).await?;
            let last_entry = book.entries.iter().map(|e| e.date).max();
            let open = book.account.position(on).balance() != 0;
            let changed = Date::from_millis(book.profile.meta.updated_at);
            let holds = destruction::holds_of(asked, id);
            let r = retention(&Facts::of(changed, &history, last_entry, open, holds), &rules);
            listed.push(Listed {
                id: id.clone(),
                name: book.profile.display_name().to_string(),
                blocker: Blocker::of(&r),
                due: r.is_due(on),
            });
        }
        let records = self.archive()?.records_of(&self.with_merged(profiles).await?).await?;
        let texts: Vec<(String, Vec<u8>)> = records.iter().map(|(k, b)| (k.text(), b.clone())).collect();
        Ok(Check {
            profiles: listed,
            count: records.len() as u32,
            digest: digest(&texts),
            keys: records.into_iter().map(|(k, _)| k).collect(),
        })
    }

    /// The signed-in administrator applies to destroy `profiles`, with a reason (signed, synced,
    /// logged). Refused while a hold stands or an account is open.
    pub async fn apply_destruction(self, profiles: Vec<String>, reason: &str) -> Result<Request, DesError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        check_reason(reason).map_err(GovError::Invalid)?;
        if profiles.is_empty() {
            return Err(GovError::Invalid(crate::domain::i18n::Msg::DesNone).into());
        }
        let check = self.destruction_check(&profiles).await?;
        let blocked = check.blockers();
        if !blocked.is_empty() {
            return Err(DesError::Blocked(blocked));
        }
        let r = Request {
            id: new_id(),
            at: now_ms(),
            requester: me.staff.id.clone(),
            requester_name: me.staff.name.clone(),
            department: me.staff.department.clone(),
            scope: Scope::Destroy { profiles },
            reason: reason.trim().to_string(),
        };
        if !entitled(&me.staff, Act::Request { request: &r }) {
            return Err(GovError::NotEntitled.into());
        }
        let db = self.archive()?;
        put_signed(&db, RecordKind::Request, &r.id, &r, &me.staff, &me.secrets.sign).await?;
        let detail = format!("{} · {}", r.id, check.count);
        let entry = Entry { kind: Some(EventKind::Request), reason: r.reason.clone(), detail, ..Entry::default() };
        log(&db, Some(&me), r.at, entry).await?;
        self.local_rev.update(|n| *n += 1);
        Ok(r)
    }

    /// The holds on profile `id` (lifted ones too).
    pub async fn holds(self, id: &str) -> Result<Vec<crate::domain::retention::Hold>, GovError> {
        Ok(destruction::holds_of(&self.asked().await?, id))
    }

    /// The signed-in administrator sets a hold on profile `id` with a reason (signed, synced,
    /// logged): it is kept permanently until an administrator lifts it.
    pub async fn set_hold(
        self,
        id: &str,
        kind: crate::domain::retention::HoldKind,
        reason: &str,
    ) -> Result<(), GovError> {
        self.check_admin()?;
        self.ask(Scope::Hold { profile: id.to_string(), kind }, reason).await?;
        self.gov_rev.update(|n| *n += 1);
        Ok(())
    }

    /// The signed-in administrator lifts the hold `hold` (its record's id), with a reason.
    pub async fn lift_hold(self, hold: &str, reason: &str) -> Result<(), GovError> {
        let asked = self.asked().await?;
        let r = asked
            .into_iter()
            .map(|a| a.request)
            .find(|r| r.id == hold && matches!(r.scope, Scope::Hold { .. }))
            .ok_or(GovError::NotEntitled)?;
        self.decide(&r, false, reason).await?;
        self.gov_rev.update(|n| *n += 1);
        Ok(())
    }

    /// Every destruction application that stands, newest first.
    pub async fn destruction_applications(self) -> Result<Vec<Application>, GovError> {
        Ok(destruction::applications(&self.asked().await?))
    }

    /// The signed-in super administrator (not the applicant) approves `app` and carries it out:
    /// checked again here, erased on the endpoint when the archive syncs (`admin_token`; the
    /// endpoint gives the register number), then the approval signed and the records erased here.
    pub async fn approve_destruction(self, app: &Application, admin_token: &str) -> Result<Row, DesError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        // The statements that stand, read once: the request, the holds, the register so far.
        let asked = self.asked().await?;
        let request = request_in(&asked, app)?;
        if !entitled(&me.staff, Act::Decide { request: &request }) {
            return Err(GovError::NotEntitled.into());
        }
        let check = self.check_with(&asked, &app.profiles).await?;
        let blocked = check.blockers();
        if !blocked.is_empty() {
            return Err(DesError::Blocked(blocked));
        }
        let year = today().year;
        let at_least = next_number(&destruction::register(&destruction::applications(&asked)), year);
        let config = prefs::sync_config();
        let register = if config.is_set() {
            if admin_token.trim().is_empty() {
                return Err(DesError::NeedToken);
            }
            let records = wire_keys(&config, &check.keys, &app.profiles).await.map_err(DesError::Sync)?;
            let everyone = self.with_merged(&app.profiles).await?;
            let files = self.archive()?.files_only_of(&everyone).await?;
            let blobs = files.into_iter().map(|(_, name)| name).collect();
            let req = DestroyRequest { application: app.id.clone(), year, at_least, records, blobs };
            match HttpTransport::destroy(&config.url, &config.archive, admin_token, &req).await {
                Ok(d) => d.register,
                Err(SyncError::Token | SyncError::TokenScope | SyncError::TokenExpired | SyncError::Archive) => {
                    return Err(DesError::BadToken)
                }
                Err(e) => return Err(DesError::Sync(e)),
            }
        } else {
            register_number(year, at_least)
        };
        let now = now_ms();
        let d = Decision {
            request: app.id.clone(),
            at: now,
            by: me.staff.id.clone(),
            by_name: me.staff.name.clone(),
            approved: true,
            register: register.clone(),
            count: check.count,
            digest: check.digest.clone(),
            ..Decision::default()
        };
        let db = self.archive()?;
        put_signed(&db, RecordKind::Decision, &app.id, &d, &me.staff, &me.secrets.sign).await?;
        let entry = Entry {
            kind: Some(EventKind::Approve),
            reason: app.reason.clone(),
            detail: register.clone(),
            ..Entry::default()
        };
        log(&db, Some(&me), now, entry).await?;
        self.erase_here(&db, Some(&me), &register, &app.profiles).await?;
        self.local_rev.update(|n| *n += 1);
        Ok(Row {
            number: register,
            at: now,
            application: app.id.clone(),
            applicant: app.applicant_name.clone(),
            approver: me.staff.name.clone(),
            reason: app.reason.clone(),
            count: check.count,
            digest: check.digest,
            profiles: app.profiles.clone(),
        })
    }

    /// The signed-in super administrator refuses `app`, with a reason.
    pub async fn refuse_destruction(self, app: &Application, reason: &str) -> Result<(), DesError> {
        let request = request_in(&self.asked().await?, app)?;
        self.decide(&request, false, reason).await?;
        Ok(())
    }

    /// Carries out here every destruction approved elsewhere and not yet here (after a pull that
    /// brought governance records, and at start). How many.
    pub async fn follow_destructions(self) -> Result<usize, DesError> {
        let db = self.archive()?;
        let tombs: Tombs = db.local_value(TOMBS).await?.unwrap_or_default();
        let apps = self.destruction_applications().await?;
        let rows = destruction::register(&apps);
        let due: Vec<&Row> = tombs.to_follow(&rows);
        for row in &due {
            self.erase_here(&db, None, &row.number, &row.profiles).await?;
        }
        Ok(due.len())
    }

    /// Erases `profiles` here under register `number`: the store, the search index and its
    /// snapshot, other tabs; remembered in the tombs and logged.
    async fn erase_here(
        self,
        db: &Archive,
        who: Option<&SignedIn>,
        number: &str,
        profiles: &[String],
    ) -> Result<(), StoreError> {
        // The profiles merged into one destroyed go with it.
        let profiles = self.with_merged(profiles).await?;
        let keys = db.erase(&profiles).await?;
        let mut tombs: Tombs = db.local_value(TOMBS).await?.unwrap_or_default();
        tombs.add(number, &profiles, &keys);
        db.set_local_value(TOMBS, &tombs).await?;
        self.forget_profiles(&profiles).await?;
        let entry =
            Entry { kind: Some(EventKind::Destroy), detail: format!("{number} · {}", keys.len()), ..Entry::default() };
        log(db, who, now_ms(), entry).await?;
        Ok(())
    }

    /// `profiles` and every profile merged into them.
    async fn with_merged(self, profiles: &[String]) -> Result<Vec<String>, StoreError> {
        let mut all = profiles.to_vec();
        let mut i = 0;
        while i < all.len() {
            if let Some(p) = self.profile(&all[i]).await? {
                for m in p.merged_from {
                    if !all.contains(&m) {
                        all.push(m);
                    }
                }
            }
            i += 1;
        }
        Ok(all)
    }

    /// What this device destroyed.
    pub async fn tombs(self) -> Result<Tombs, StoreError> {
        Ok(self.archive()?.local_value(TOMBS).await?.unwrap_or_default())
    }

    /// Logs records of destroyed profiles refused (a device offline since the destruction, a
    /// backup taken before it): how many per register number.
    pub(crate) fn log_refused(self, refused: std::collections::BTreeMap<String, usize>) {
        for (number, n) in refused {
            let detail = format!("{number} · {n}");
            self.record_access(Entry { kind: Some(EventKind::Revived), detail, ..Entry::default() });
        }
    }
}

/// The application's signed request among those that stand.
fn request_in(asked: &[Asked], app: &Application) -> Result<Request, GovError> {
    asked.iter().map(|a| &a.request).find(|r| r.id == app.id).cloned().ok_or(GovError::NotEntitled)
}

/// The profile a change's record belongs to, when the change says (history and ledger entries
/// carry `profile_id` when they are created).
pub fn owner_of_change(c: &Change) -> String {
    c.set.get("profile_id").and_then(|w| w.value.as_str()).unwrap_or_default().to_string()
}

/// The owner a restored record's state names.
pub fn owner_of_state(state: &crate::domain::sync::RecordState) -> String {
    state
        .fields
        .get("profile_id")
        .and_then(|f| f.writes.iter().find_map(|w| w.value.as_str().map(str::to_string)))
        .unwrap_or_default()
}

/// The records' keys as the endpoint stores them: keyed hashes with end-to-end encryption.
async fn wire_keys(
    config: &crate::domain::sync::config::SyncConfig,
    keys: &[RecordKey],
    profiles: &[String],
) -> Result<Vec<String>, SyncError> {
    // A profile not on this device (destroyed here already, say) is still named by its key.
    let mut texts: Vec<String> = keys.iter().map(RecordKey::text).collect();
    for p in profiles {
        let k = RecordKey { kind: RecordKind::Profile, id: p.clone() }.text();
        if !texts.contains(&k) {
            texts.push(k);
        }
    }
    let net = HttpTransport::new(&config.url, &config.archive, &config.token);
    let setup =
        RoundSetup { archive: config.archive.clone(), passphrase: config.passphrase.clone(), ..RoundSetup::default() };
    crate::app::sync::record_keys(&net, &setup, &KeyCache::default(), &texts).await
}
