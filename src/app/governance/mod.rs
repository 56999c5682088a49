//! Governance in the application layer: setting up the archive's first super administrator,
//! signing in with a PIN, adding staff, reading which governance records stand, and writing the
//! access log. Everything signed is signed here (Web Crypto) and checked here before the domain's
//! rules (`domain/governance/`) decide what counts.

pub mod grants;
pub mod keys;
pub mod sealing;

use crate::domain::governance::chain::{witness_of, Checker, Entry, Event, EventKind, Integrity};
use crate::domain::governance::pin::{self, Lockout, Wrong};
use crate::domain::governance::policy::Policy;
use crate::domain::governance::roster::{Checked, Recovery, Root, Roster, What, POLICY_ID, ROOT_ID};
use crate::domain::governance::signed;
use crate::domain::governance::staff::{check_names, default_departments, Credentials, Role, Staff};
use crate::domain::i18n::Msg;
use crate::domain::sync::{b64, RecordKind};
use crate::platform::crypto::CryptoError;
use crate::platform::ids::{new_id, random_bytes};
use crate::platform::keys as wc;
use crate::store::{Archive, StoreError};
use keys::Secrets;
use std::collections::HashMap;
use std::sync::Arc;

/// Why a governance operation did not happen.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum GovError {
    /// What was typed is not acceptable (the message says why).
    #[error("{0:?}")]
    Invalid(Msg),
    /// The PIN is wrong; this many tries are left.
    #[error("wrong PIN, {0} tries left")]
    WrongPin(u32),
    /// Too many wrong PINs: locked until then (ms since the epoch).
    #[error("locked until {0}")]
    Locked(i64),
    /// The signed-in person may not do this.
    #[error("not entitled")]
    NotEntitled,
    /// The archive already has its first super administrator.
    #[error("already set up")]
    AlreadySetUp,
    /// The key of a sealed value has not reached this device yet (it syncs with the value).
    #[error("the value's key is not here yet")]
    KeyMissing,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The code of this action is a chunk the desk could not fetch (`src/lazy.rs`).
    #[error(transparent)]
    Unloaded(#[from] crate::lazy::Unloaded),
}

/// The person signed in, with their secrets in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedIn {
    pub staff: Staff,
    pub secrets: Arc<Secrets>,
}

/// Reads every signed governance record, checks each signature against the key its claimed
/// author's record names, and lets the domain decide which stand.
pub async fn roster(db: &Archive) -> Result<Roster, GovError> {
    let stored = db.governance_all().await?;
    let mut sign_keys: HashMap<String, Vec<u8>> = HashMap::new();
    let mut decoded = Vec::new();
    for (kind, s) in &stored {
        let Some(env) = s.envelope() else { continue };
        let what = match (kind, s.id.as_str()) {
            (RecordKind::Staff, _) => env.read::<Staff>().map(What::Staff),
            (_, ROOT_ID) => env.read::<Root>().map(What::Root),
            (_, POLICY_ID) => env.read().map(What::Policy),
            (_, id) if id.starts_with("keys.") => env.read::<Credentials>().map(What::Keys),
            _ => None,
        };
        let Some(what) = what else { continue };
        if let What::Staff(st) = &what {
            if st.id == s.id {
                sign_keys.insert(st.id.clone(), b64::decode(&st.sign).unwrap_or_default());
            }
        }
        decoded.push((kind.prefix(), s.id.clone(), env, what));
    }
    let mut checked = Vec::with_capacity(decoded.len());
    for (prefix, id, env, what) in decoded {
        let sig_ok = match (sign_keys.get(&env.by), b64::decode(&env.sig)) {
            (Some(key), Some(sig)) => wc::verify(key, &signed::message(prefix, &id, &env.body), &sig).await,
            _ => false,
        };
        checked.push(Checked { what, id, by: env.by, sig_ok });
    }
    Ok(Roster::accept(&checked))
}

/// Signs `body` as record `id` of `kind` with `key` and saves it.
pub(crate) async fn put_signed<T: serde::Serialize>(
    db: &Archive,
    kind: RecordKind,
    id: &str,
    body: &T,
    by: &Staff,
    key: &[u8],
) -> Result<(), GovError> {
    let (text, msg) = signed::prepare(kind.prefix(), id, body);
    let sig = wc::sign(key, &msg).await?;
    db.put_governance(kind, &signed::seal(id, text, &by.id, b64::encode(&sig)), &by.name).await?;
    Ok(())
}

/// A new staff member's keys and credentials under `pin`, with the archive's search key and (for
/// an administrator) its sealing key handed on by whoever adds them. Returns their secrets, their
/// signing public key (for their staff record) and their credentials.
async fn new_credentials(
    staff_id: &str,
    pin: &str,
    search: Vec<u8>,
    archive: Option<Vec<u8>>,
) -> Result<(Secrets, String, Credentials), GovError> {
    let (sign_priv, sign_pub) = wc::signing_pair().await?;
    let (seal_priv, seal_pub) = wc::sealing_pair().await?;
    let secrets = Secrets { sign: sign_priv, seal: seal_priv, search, archive };
    let creds = credentials_under(staff_id, pin, &secrets, b64::encode(&seal_pub)).await?;
    Ok((secrets, b64::encode(&sign_pub), creds))
}

/// Credentials keeping `secrets` under `pin` (a fresh salt), with the sealing public key `seal`.
async fn credentials_under(
    staff_id: &str,
    pin: &str,
    secrets: &Secrets,
    seal: String,
) -> Result<Credentials, GovError> {
    let salt = keys::new_salt();
    let derived = keys::derive(pin, &salt, keys::ITERATIONS).await?;
    Ok(Credentials {
        staff: staff_id.to_string(),
        pin: derived.record(&salt, keys::ITERATIONS),
        seal,
        wrapped: secrets.wrap(&derived.kek).await?,
    })
}

/// Sets up the archive: its keys, and its first super administrator signed in. Returns the
/// recovery code (shown once).
pub async fn setup(
    db: &Archive,
    name: &str,
    department: &str,
    pin: &str,
    now: i64,
    locale: crate::domain::i18n::Locale,
) -> Result<(SignedIn, String), GovError> {
    check_names(name, department).map_err(GovError::Invalid)?;
    pin::check_new(pin).map_err(GovError::Invalid)?;
    if roster(db).await?.is_set_up() {
        return Err(GovError::AlreadySetUp);
    }
    let id = new_id();
    let (archive_priv, archive_pub) = wc::sealing_pair().await?;
    let (secrets, sign_pub, creds) = new_credentials(&id, pin, random_bytes(32), Some(archive_priv)).await?;
    let staff = Staff {
        id: id.clone(),
        name: name.trim().to_string(),
        department: department.trim().to_string(),
        role: Role::SuperAdmin,
        active: true,
        sign: sign_pub,
    };
    let code = keys::new_recovery_code();
    let salt = keys::new_salt();
    let rk = keys::derive(&keys::normalise_code(&code), &salt, keys::ITERATIONS).await?;
    let blob = wc::wrap(&rk.kek, &serde_json::to_vec(&secrets).unwrap_or_default()).await?;
    let root = Root {
        genesis: id.clone(),
        seal: b64::encode(&archive_pub),
        recovery: Recovery { salt: b64::encode(&salt), iterations: keys::ITERATIONS, blob: b64::encode(&blob) },
        created_at: now,
    };
    crate::app::sealing::note_sealed_if_empty(db).await?;
    put_signed(db, RecordKind::Staff, &id, &staff, &staff, &secrets.sign).await?;
    put_signed(db, RecordKind::Gov, &Credentials::record_id(&id), &creds, &staff, &secrets.sign).await?;
    put_signed(db, RecordKind::Gov, ROOT_ID, &root, &staff, &secrets.sign).await?;
    // The departments start in the language the archive was set up in (every device then reads
    // this list, not its own default).
    let policy = Policy { departments: default_departments(locale), ..Policy::new() };
    put_signed(db, RecordKind::Gov, POLICY_ID, &policy, &staff, &secrets.sign).await?;
    let me = SignedIn { staff, secrets: Arc::new(secrets) };
    log(db, Some(&me), now, Entry { kind: Some(EventKind::StaffChange), detail: "setup".into(), ..Entry::default() })
        .await?;
    Ok((me, code))
}

fn lock_key(staff: &str) -> String {
    format!("lockout.{staff}")
}

/// Signs `staff_id` in with `pin`: five wrong PINs in a row lock the name for five minutes (on
/// this device). Wrong PINs, locks and sign-ins are logged.
pub async fn sign_in(db: &Archive, roster: &Roster, staff_id: &str, pin: &str, now: i64) -> Result<SignedIn, GovError> {
    let staff = roster.staff.get(staff_id).filter(|s| s.active).ok_or(GovError::NotEntitled)?;
    let creds = roster.keys.get(staff_id).ok_or(GovError::NotEntitled)?;
    let mut lockout: Lockout = db.local_value(&lock_key(staff_id)).await?.unwrap_or_default();
    if let Some(until) = lockout.locked(now) {
        return Err(GovError::Locked(until));
    }
    let salt = b64::decode(&creds.pin.salt).unwrap_or_default();
    let derived = keys::derive(pin, &salt, creds.pin.iterations).await?;
    let who =
        Entry { staff: staff.id.clone(), staff_name: staff.name.clone(), role: Some(staff.role), ..Entry::default() };
    if !derived.matches(&creds.pin) {
        let outcome = lockout.wrong(now);
        db.set_local_value(&lock_key(staff_id), &lockout).await?;
        log(db, None, now, Entry { kind: Some(EventKind::PinWrong), ..who.clone() }).await?;
        return Err(match outcome {
            Wrong::Left(n) => GovError::WrongPin(n),
            Wrong::Locked(until) => {
                log(db, None, now, Entry { kind: Some(EventKind::Lockout), ..who }).await?;
                GovError::Locked(until)
            }
        });
    }
    let secrets = Secrets::unwrap(&creds.wrapped, &derived.kek).await?;
    let me = SignedIn { staff: staff.clone(), secrets: Arc::new(secrets) };
    // A full disk must not keep the desk shut: clearing the count and logging the sign-in are
    // tried, and a failure of either (the storage error is the same one every save then shows)
    // does not refuse the right PIN.
    lockout.right();
    let _ = db.set_local_value(&lock_key(staff_id), &lockout).await;
    let _ = log(db, Some(&me), now, Entry { kind: Some(EventKind::SignIn), ..Entry::default() }).await;
    Ok(me)
}

/// Recovers the first super administrator with the recovery code: their keys come out of the
/// root's wrap and are kept under a new PIN (their signing key unchanged, so everything they
/// signed still stands). A wrong code changes nothing.
pub async fn recover(db: &Archive, roster: &Roster, code: &str, new_pin: &str, now: i64) -> Result<SignedIn, GovError> {
    let root = roster.root.as_ref().ok_or(GovError::NotEntitled)?;
    let staff = roster.staff.get(&root.genesis).ok_or(GovError::NotEntitled)?.clone();
    let old = roster.keys.get(&root.genesis).ok_or(GovError::NotEntitled)?;
    pin::check_new(new_pin).map_err(GovError::Invalid)?;
    let salt = b64::decode(&root.recovery.salt).unwrap_or_default();
    let rk = keys::derive(&keys::normalise_code(code), &salt, root.recovery.iterations).await?;
    let blob = b64::decode(&root.recovery.blob).unwrap_or_default();
    let plain = wc::unwrap(&rk.kek, &blob).await.map_err(|_| GovError::Invalid(Msg::ErrRecoveryCode))?;
    let secrets: Secrets = serde_json::from_slice(&plain).map_err(|_| GovError::Invalid(Msg::ErrRecoveryCode))?;
    let creds = credentials_under(&staff.id, new_pin, &secrets, old.seal.clone()).await?;
    put_signed(db, RecordKind::Gov, &Credentials::record_id(&staff.id), &creds, &staff, &secrets.sign).await?;
    db.set_local_value(&lock_key(&staff.id), &Lockout::default()).await?;
    let me = SignedIn { staff, secrets: Arc::new(secrets) };
    let entry = Entry {
        kind: Some(EventKind::StaffChange),
        detail: "new PIN with the recovery code".into(),
        ..Entry::default()
    };
    log(db, Some(&me), now, entry).await?;
    Ok(me)
}

/// Adds a staff member (a super administrator only), with the PIN they typed.
pub async fn add_staff(
    db: &Archive,
    me: &SignedIn,
    name: &str,
    department: &str,
    role: Role,
    pin: &str,
    now: i64,
) -> Result<Staff, GovError> {
    if me.staff.role != Role::SuperAdmin {
        return Err(GovError::NotEntitled);
    }
    check_names(name, department).map_err(GovError::Invalid)?;
    pin::check_new(pin).map_err(GovError::Invalid)?;
    let id = new_id();
    let archive = if role.is_admin() { me.secrets.archive.clone() } else { None };
    let (secrets, sign_pub, creds) = new_credentials(&id, pin, me.secrets.search.clone(), archive).await?;
    let staff = Staff {
        id: id.clone(),
        name: name.trim().to_string(),
        department: department.trim().to_string(),
        role,
        active: true,
        sign: sign_pub,
    };
    put_signed(db, RecordKind::Staff, &id, &staff, &me.staff, &me.secrets.sign).await?;
    put_signed(db, RecordKind::Gov, &Credentials::record_id(&id), &creds, &staff, &secrets.sign).await?;
    let entry = Entry { kind: Some(EventKind::StaffChange), detail: format!("add {id} {role:?}"), ..Entry::default() };
    log(db, Some(me), now, entry).await?;
    Ok(staff)
}

/// Changes a staff member (a super administrator only): department, role, removed or not, and
/// with `new_pin` (typed by them) new keys and credentials: a forgotten PIN, and every change
/// between ordinary user and administrator (an administrator's credentials hold the archive's
/// sealing key, an ordinary user's must not).
pub async fn update_staff(
    db: &Archive,
    me: &SignedIn,
    roster: &Roster,
    mut changed: Staff,
    new_pin: Option<&str>,
    now: i64,
) -> Result<Staff, GovError> {
    if me.staff.role != Role::SuperAdmin {
        return Err(GovError::NotEntitled);
    }
    let before = roster.staff.get(&changed.id).ok_or(GovError::NotEntitled)?.clone();
    check_names(&changed.name, &changed.department).map_err(GovError::Invalid)?;
    let all: Vec<Staff> = roster.staff.values().cloned().collect();
    if !crate::domain::governance::authority::leaves_super_admin(&all, &changed) {
        return Err(GovError::Invalid(Msg::ErrLastSuperAdmin));
    }
    let rekey = before.role.is_admin() != changed.role.is_admin();
    let new_pin = new_pin.filter(|p| !p.is_empty());
    // With a new PIN come new keys: the staff record names the new signing key, and the new
    // credentials are signed with it.
    let fresh = match new_pin {
        None if rekey => return Err(GovError::Invalid(Msg::ErrRoleNeedsPin)),
        None => {
            changed.sign = before.sign.clone();
            None
        }
        Some(pin) => {
            pin::check_new(pin).map_err(GovError::Invalid)?;
            let archive = if changed.role.is_admin() { me.secrets.archive.clone() } else { None };
            let (secrets, sign_pub, creds) =
                new_credentials(&changed.id, pin, me.secrets.search.clone(), archive).await?;
            changed.sign = sign_pub;
            Some((secrets, creds))
        }
    };
    put_signed(db, RecordKind::Staff, &changed.id, &changed, &me.staff, &me.secrets.sign).await?;
    if let Some((secrets, creds)) = &fresh {
        put_signed(db, RecordKind::Gov, &Credentials::record_id(&changed.id), creds, &changed, &secrets.sign).await?;
    }
    let detail = format!(
        "change {} {:?}→{:?}{}{}",
        changed.id,
        before.role,
        changed.role,
        if changed.active { "" } else { " removed" },
        if fresh.is_some() { " new PIN" } else { "" }
    );
    log(db, Some(me), now, Entry { kind: Some(EventKind::StaffChange), detail, ..Entry::default() }).await?;
    Ok(changed)
}

/// Changes the archive's policy (a super administrator only): signed, synced, logged.
pub async fn set_policy(
    db: &Archive,
    me: &SignedIn,
    policy: &crate::domain::governance::policy::Policy,
    now: i64,
) -> Result<(), GovError> {
    if me.staff.role != Role::SuperAdmin {
        return Err(GovError::NotEntitled);
    }
    policy.check().map_err(GovError::Invalid)?;
    put_signed(db, RecordKind::Gov, POLICY_ID, policy, &me.staff, &me.secrets.sign).await?;
    let detail = format!(
        "idle {} min, grants {} h, {} departments",
        policy.idle_minutes,
        policy.grant_hours,
        policy.departments.len()
    );
    log(db, Some(me), now, Entry { kind: Some(EventKind::PolicyChange), detail, ..Entry::default() }).await?;
    Ok(())
}

/// Logs each governance record this device refuses (a role raised elsewhere, a forged
/// signature) once: the refusal is in the access log on every device that received it.
pub async fn log_refusals(db: &Archive, roster: &Roster, now: i64) -> Result<usize, StoreError> {
    const KEY: &str = "refusals_logged";
    let mut logged: Vec<String> = db.local_value(KEY).await?.unwrap_or_default();
    let mut n = 0;
    for (id, why) in &roster.refused {
        let mark = format!("{id} {}", why.code());
        if logged.contains(&mark) {
            continue;
        }
        let entry = Entry { kind: Some(EventKind::Refused), detail: mark.clone(), ..Entry::default() };
        db.append_event(now, entry).await?;
        logged.push(mark);
        n += 1;
    }
    if n > 0 {
        db.set_local_value(KEY, &logged).await?;
    }
    Ok(n)
}

/// Events read per slice of a long log (the page stays responsive between slices).
const LOG_SLICE: u32 = 10_000;

/// The whole access log and whether it is intact: every chain checked, and against what this
/// device saw before (its witness), which moves on only when everything checks. Read a slice at
/// a time; `read` hears how many events are read so far.
pub async fn access_log(db: &Archive, read: impl Fn(usize)) -> Result<(Vec<Event>, Integrity), StoreError> {
    let mut events: Vec<Event> = Vec::new();
    loop {
        let after = events.last().map(Event::record_id);
        let part = db.events_after(after.as_deref(), LOG_SLICE).await?;
        if part.is_empty() {
            break;
        }
        events.extend(part);
        read(events.len());
    }
    let witness = db.witness().await?;
    // Checked a stretch at a time, the page drawing in between.
    let mut check = Checker::new(&events, &witness);
    let integrity = loop {
        if let Some(r) = check.step(LOG_SLICE as usize / 2) {
            break r;
        }
        crate::platform::clock::yield_now().await;
    };
    if matches!(integrity, Integrity::Verified(_)) {
        db.set_witness(&witness_of(&events)).await?;
    }
    Ok((events, integrity))
}

/// Appends an event to the access log, naming `who` (when someone is signed in) unless the entry
/// names someone already.
pub async fn log(db: &Archive, who: Option<&SignedIn>, now: i64, mut entry: Entry) -> Result<Event, StoreError> {
    if let (Some(me), true) = (who, entry.staff.is_empty()) {
        entry.staff = me.staff.id.clone();
        entry.staff_name = me.staff.name.clone();
        entry.role = Some(me.staff.role);
    }
    db.append_event(now, entry).await
}

// Writing the access log from the desk's own code (a sign-out, an import, a refusal this device
// saw): the chain's hash and the last event read back come as a chunk of their own, fetched at
// the first event after start; no screen waits for it (src/lazy.rs).
crate::lazy::lazy_fn! { log;
    /// [`log`] in the archive `svc` opened, at `now`.
    pub async fn log_access(svc: crate::app::archive::Services, who: Option<SignedIn>, now: i64, entry: Entry) -> Result<Event, StoreError> {
        log(&*svc.archive()?, who.as_ref(), now, entry).await
    }
}

crate::lazy::lazy_fn! { log;
    /// [`log_refusals`] in the archive `svc` opened.
    pub async fn log_refusals_in(svc: crate::app::archive::Services, roster: Roster) -> Result<usize, StoreError> {
        log_refusals(&*svc.archive()?, &roster, crate::platform::clock::now_ms()).await
    }
}
