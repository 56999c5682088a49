//! The archive operations the screens call by name: every change to the archive goes through
//! [`Services`], which validates, stamps who and when, writes through the storage API and keeps
//! the in-memory search index in step. Components never touch storage directly.

use super::sealing::as_store;
use super::session::Session;
use crate::domain::dupes::{find_duplicates, Duplicate};
use crate::domain::governance::sealed::value_in_clear;
use crate::domain::model::*;
use crate::domain::search::SearchIndex;
use crate::domain::sync::{Change, Hlc, RecordKey, RecordKind, RecordState};
use crate::domain::validate::{validate_history, validate_profile, ArchiveContext, FieldError};
use crate::platform::channel::Channel;
use crate::platform::clock::{now_ms, today};
use crate::platform::ids::new_ids;
use crate::store::schema::DB_NAME;
use crate::store::Archive;
pub use crate::store::{Applied, Imported, Restored, StoreError};
use leptos::prelude::*;
use std::rc::Rc;

/// Entries the search's candidate lists take in one slice of work (about 50 ms in a browser),
const LIST_SLICE: usize = 10_000;
/// and snapshot rows walked in one.
const ROW_SLICE: usize = 100_000;

/// Entries written to the journal before the start-up snapshot is rewritten.
const COMPACT_AFTER: usize = 200;

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveError {
    /// The record has errors; nothing was written.
    Invalid(Vec<FieldError>),
    /// Storage failed; nothing was written (transactions roll back).
    Store(StoreError),
}

/// Where the archive stands while the app starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Opening,
    Ready,
    Failed(StoreError),
}

/// App-wide data services, shared through context. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct Services {
    archive: StoredValue<Option<Rc<Archive>>, LocalStorage>,
    index: StoredValue<SearchIndex, LocalStorage>,
    journal: StoredValue<usize, LocalStorage>,
    /// Bumped whenever the index changes, so views that read it re-run.
    pub index_rev: RwSignal<u64>,
    /// Bumped after each local write (sync sends soon after).
    pub local_rev: RwSignal<u64>,
    /// Bumped when records changed elsewhere (another device, another tab): open screens reload.
    pub remote_rev: RwSignal<u64>,
    /// Bumped when governance records arrived from another device (the roster is read again).
    pub gov_rev: RwSignal<u64>,
    /// Records with unresolved conflicts (sync), each with the profile it belongs to.
    pub conflicts: RwSignal<Vec<(RecordKey, String)>>,
    pub phase: RwSignal<Phase>,
    channel: StoredValue<Option<Rc<Channel>>, LocalStorage>,
    pending_redraw: StoredValue<bool>,
    /// What pulls merged since the last redraw does to the list of conflicted records
    /// ([`Applied::conflicts`](crate::store::Applied)), and how many times such news was applied
    /// (a read of every merge state that overlapped one reads again).
    conflict_news: StoredValue<Vec<(RecordKey, Option<String>)>>,
    conflict_marks: StoredValue<u64>,
    last_redraw: StoredValue<f64>,
    /// Whether another tab's write reloads the index at once (else it only marks it stale: the
    /// office module while none of its screens is shown).
    follow: StoredValue<bool>,
    stale: StoredValue<bool>,
    /// Whether work on the index after start-up is under way (see [`Services::tend_index`]).
    tending: StoredValue<bool>,
    /// Who is at the desk: named on every change recorded.
    pub session: Session,
}

impl Services {
    /// Services with no archive open yet, recording changes as `session`'s person.
    pub fn new(session: Session) -> Services {
        Services {
            archive: StoredValue::new_local(None),
            index: StoredValue::new_local(SearchIndex::default()),
            journal: StoredValue::new_local(0),
            index_rev: RwSignal::new(0),
            local_rev: RwSignal::new(0),
            remote_rev: RwSignal::new(0),
            gov_rev: RwSignal::new(0),
            conflicts: RwSignal::new(Vec::new()),
            phase: RwSignal::new(Phase::Opening),
            channel: StoredValue::new_local(None),
            pending_redraw: StoredValue::new(false),
            conflict_news: StoredValue::new(Vec::new()),
            conflict_marks: StoredValue::new(0),
            last_redraw: StoredValue::new(0.0),
            follow: StoredValue::new(true),
            stale: StoredValue::new(false),
            tending: StoredValue::new(false),
            session,
        }
    }

    /// Opens the archive database and loads the search index.
    pub async fn open(self) {
        self.open_named(DB_NAME).await
    }

    /// Opens the archive in the database `name` (tests keep several archives apart).
    pub async fn open_named(self, name: &str) {
        self.phase.set(Phase::Opening);
        let result = async {
            let (archive, adopted) = Archive::open_leaving_adoption(name).await?;
            let archive = Rc::new(archive);
            if !adopted {
                adopt(archive.clone()).await??;
            }
            let index = load_index(&archive).await?;
            let journal = archive.journal_len().await?;
            Ok::<_, StoreError>((archive, index, journal))
        }
        .await;
        match result {
            Ok((archive, index, journal)) => {
                self.archive.set_value(Some(archive.clone()));
                // The map of chunked profiles was left out of start-up; it loads now, while the
                // clerk looks at the list (opening a profile before it is done loads it itself).
                leptos::task::spawn_local(async move {
                    let _ = archive.warm_chunk_map().await;
                });
                self.index.set_value(index);
                self.journal.set_value(journal);
                self.index_rev.update(|r| *r += 1);
                self.listen_to_other_tabs();
                self.phase.set(Phase::Ready);
                // Which records have conflicts (the sync status shows them): read once the first
                // screen is painted, its code fetched then; a second after the profile page's
                // chunk is fetched ahead (ui/mod.rs), so that the two are not one long task.
                leptos::task::spawn_local(async move {
                    crate::platform::clock::after_first_screen(std::time::Duration::from_secs(2)).await;
                    self.refresh_conflicts();
                });
            }
            Err(e) => self.phase.set(Phase::Failed(e)),
        }
    }

    /// Other tabs of this app tell when they wrote; this tab then reloads its index from storage
    /// (or, while it does not follow them, notes that its index is stale).
    fn listen_to_other_tabs(self) {
        let channel = Channel::join("dangan-archive", move || {
            if self.follow.get_value() {
                leptos::task::spawn_local(self.reload());
            } else {
                self.stale.set_value(true);
            }
        });
        self.channel.set_value(channel.map(Rc::new));
    }

    async fn reload(self) {
        let Ok(archive) = self.archive() else { return };
        if let Ok(index) = load_index(&archive).await {
            self.index.set_value(index);
            self.stale.set_value(false);
            self.index_rev.update(|r| *r += 1);
            self.remote_rev.update(|r| *r += 1);
            self.refresh_conflicts();
        }
    }

    /// Whether other tabs' writes reload the index at once; following again reloads a stale one.
    pub fn follow_other_tabs(self, follow: bool) {
        self.follow.set_value(follow);
        if follow && self.stale.get_value() {
            leptos::task::spawn_local(self.reload());
        }
    }

    /// Tells other tabs that records changed.
    pub(crate) fn tell_other_tabs(self) {
        self.channel.with_value(|c| {
            if let Some(c) = c {
                c.post("changed");
            }
        });
    }

    /// The open archive (sync reads its outbox and cursor).
    pub fn archive(self) -> Result<Rc<Archive>, StoreError> {
        self.archive.get_value().ok_or(StoreError::Unavailable)
    }

    /// Work on the index after start-up, a slice at a time between the clerk's keystrokes:
    /// - the loaded snapshot's rows are walked (start-up skips it; a damaged row shows empty
    ///   until then), and a damaged snapshot is rebuilt from the profiles;
    /// - a large archive's search gets its candidate lists (see `SearchIndex::wants_grams`: at a
    ///   million profiles a keystroke of one or two letters then takes a millisecond or two
    ///   instead of a scan of 60 MB). Searches meanwhile scan, with the same answers.
    pub fn tend_index(self) {
        let wanted = self.index.with_value(|ix| !ix.rows_checked() || ix.wants_grams());
        if self.tending.get_value() || !wanted {
            return;
        }
        self.tending.set_value(true);
        leptos::task::spawn_local(async move {
            // The work's code is a chunk (fetched at once, after the first screen's download).
            if tend(self).await.is_err() {
                // Not fetched (offline before the service worker had it): searches scan meanwhile.
                self.tending.set_value(false);
                return;
            }
            self.tending.set_value(false);
            // The index may have been replaced meanwhile (another tab, a rebuild).
            self.tend_index();
        });
    }

    /// Reads the index (tracking changes when called inside a reactive closure).
    pub fn with_index<R>(self, f: impl FnOnce(&SearchIndex) -> R) -> R {
        self.index_rev.track();
        self.index.with_value(f)
    }

    /// Reads the index without tracking.
    pub fn with_index_untracked<R>(self, f: impl FnOnce(&SearchIndex) -> R) -> R {
        self.index.with_value(f)
    }

    /// Validation problems of `p` against the rest of the archive.
    pub fn validate(self, p: &Profile) -> Vec<FieldError> {
        self.index.with_value(|ix| {
            let code_owner = |code: &str| ix.code_owner(code, &p.id).map(|e| e.display_name().to_string());
            let exists = |id: &str| ix.get(id).is_some_and(|e| e.deleted_at.is_none());
            validate_profile(p, &ArchiveContext { today: today(), code_owner: &code_owner, profile_exists: &exists })
        })
    }

    /// A form's draft as the profile it would save, with every problem it has: what cannot be
    /// parsed, a head-office code naming nobody, and the archive's rules.
    pub fn check_draft(self, d: &crate::domain::forms::profile::ProfileDraft) -> (Profile, Vec<FieldError>) {
        let head = d.head_office_code.trim();
        let head_id = (!head.is_empty()).then(|| self.id_by_code(head)).flatten();
        let (p, mut errs) = d.to_profile(today(), head_id);
        errs.extend(self.validate(&p));
        (p, errs)
    }

    /// Possible duplicates of a new profile.
    pub fn duplicates(self, p: &Profile) -> Vec<Duplicate> {
        let tags = self.tags();
        self.index.with_value(|ix| find_duplicates(p, ix, tags.as_ref(), 5))
    }

    /// The id of the live profile with this customer code.
    pub fn id_by_code(self, code: &str) -> Option<String> {
        self.index.with_value(|ix| ix.by_code(code).map(|e| e.id.to_string()))
    }

    /// Reads a profile.
    pub async fn profile(self, id: &str) -> Result<Option<Profile>, StoreError> {
        self.archive()?.get_profile(id).await
    }

    /// A profile's live history, newest first.
    pub async fn history(self, id: &str) -> Result<Vec<HistoryItem>, StoreError> {
        Ok(self.profile_with_history(id).await?.1)
    }

    /// A profile (if any) and its live history, newest first: a survivor of a merge shows the
    /// history of the profiles merged into it. The profile is read once (the profile page).
    pub async fn profile_with_history(self, id: &str) -> Result<(Option<Profile>, Vec<HistoryItem>), StoreError> {
        let archive = self.archive()?;
        let p = archive.get_profile(id).await?;
        let mut all = archive.history_of(id).await?;
        let merged = p.as_ref().map_or(&[][..], |p| p.merged_from.as_slice());
        for other in merged {
            all.extend(archive.history_of(other).await?);
        }
        if !merged.is_empty() {
            all.sort_by(HistoryItem::newest_first);
        }
        Ok((p, all.into_iter().filter(|h| h.meta.deleted_at.is_none()).collect()))
    }

    /// Validates and saves a profile (new or edited). Nothing is written when it is
    /// invalid or when storage fails.
    pub async fn save_profile(self, mut p: Profile) -> Result<Profile, SaveError> {
        crate::domain::validate::tidy_profile(&mut p);
        let errors = self.validate(&p);
        if !errors.is_empty() {
            return Err(SaveError::Invalid(errors));
        }
        p.meta.stamp_save(now_ms(), &self.session.staff());
        // Sensitive values are stored sealed (the form had them in clear; see app/sealing.rs).
        if let Some(s) = self.sealer().await.map_err(|e| SaveError::Store(as_store(e)))? {
            s.seal_profile(&mut p);
        }
        self.write(&p).await.map_err(SaveError::Store)?;
        Ok(p)
    }

    /// Writes a profile whose values were checked where they were typed (a merge's bookkeeping,
    /// an edit written again on its survivor), stamped by the signed-in person now.
    pub(crate) async fn write_checked_elsewhere(self, mut p: Profile) -> Result<(), StoreError> {
        p.meta.stamp_save(now_ms(), &self.session.staff());
        self.write(&p).await
    }

    /// Soft-deletes a profile: it moves to the "deleted" view.
    pub async fn delete_profile(self, mut p: Profile) -> Result<Profile, StoreError> {
        let now = now_ms();
        p.meta.touch(now, &self.session.staff());
        p.meta.deleted_at = Some(now);
        self.write(&p).await?;
        Ok(p)
    }

    /// Restores a soft-deleted profile.
    pub async fn restore_profile(self, id: &str) -> Result<(), StoreError> {
        let Some(mut p) = self.archive()?.get_profile(id).await? else {
            return Ok(());
        };
        p.meta.touch(now_ms(), &self.session.staff());
        p.meta.deleted_at = None;
        self.write(&p).await
    }

    async fn write(self, p: &Profile) -> Result<(), StoreError> {
        let archive = self.archive()?;
        let entry = archive.put_profile(p).await?;
        self.index.update_value(|ix| ix.upsert(entry));
        self.index_rev.update(|r| *r += 1);
        self.local_rev.update(|r| *r += 1);
        self.tell_other_tabs();
        let pending = self.journal.get_value() + 1;
        self.journal.set_value(pending);
        if pending >= COMPACT_AFTER {
            // Keep start-up fast: fold the journal into a new snapshot. A failure here loses
            // nothing (the journal stays), so it is only logged.
            if let Err(e) = self.compact().await {
                web_sys::console::warn_1(&format!("snapshot not written: {e}").into());
            }
        }
        Ok(())
    }

    /// Puts a rebuilt index in place (its snapshot written): screens re-derive, other tabs reload.
    pub(crate) fn replace_index(self, index: SearchIndex) {
        self.index.set_value(index);
        self.bulk_written();
    }

    /// Writes the start-up snapshot of the in-memory index; the journal it covers is dropped.
    async fn compact(self) -> Result<(), StoreError> {
        let archive = self.archive()?;
        let index = self.index.with_value(Clone::clone);
        archive.write_snapshot(&index).await?;
        self.journal.set_value(0);
        Ok(())
    }

    /// Validates and saves a history item.
    pub async fn save_history(self, mut h: HistoryItem) -> Result<HistoryItem, SaveError> {
        let errors = validate_history(&h, today());
        if !errors.is_empty() {
            return Err(SaveError::Invalid(errors));
        }
        h.meta.stamp_save(now_ms(), &self.session.staff());
        let archive = self.archive().map_err(SaveError::Store)?;
        archive.put_history(&h).await.map_err(SaveError::Store)?;
        self.local_rev.update(|r| *r += 1);
        self.tell_other_tabs();
        // As stored (with its change's clock): the timeline holds what a reload reads, so a reload
        // after a sync round finds it unchanged and keeps what staff have open.
        Ok(archive.history_item(&h.id).await.ok().flatten().unwrap_or(h))
    }

    /// Merges changes pulled from the sync endpoint; the index and open screens follow (while
    /// `more` pages come, at most once a second: re-deriving a 100,000-row list per page would
    /// cost more than the merge).
    pub async fn apply_remote(
        self,
        mut batch: Vec<(u64, Change)>,
        since: u64,
        more: bool,
    ) -> Result<Applied, StoreError> {
        // Values in clear (changes from before sealing) are sealed before they are stored; with
        // nobody signed in they are stored as they come and sealed at the next sign-in.
        if batch.iter().any(|(_, c)| c.set.iter().any(|(p, w)| value_in_clear(p, &w.value))) {
            match self.sealer().await.map_err(as_store)? {
                Some(s) => batch.iter_mut().for_each(|(_, c)| {
                    s.seal_change(c);
                }),
                None => self.mark_unsealed().await?,
            }
        }
        // A profile the index does not know is new here: no need to read it.
        let known = |k: &RecordKey| {
            k.kind != crate::domain::sync::RecordKind::Profile || self.index.with_value(|ix| ix.get(&k.id).is_some())
        };
        let tombs = self.tombs().await?;
        let killed = std::cell::RefCell::new(std::collections::BTreeMap::<String, usize>::new());
        let refused = |c: &Change| {
            tombs.refuses(&c.record, &crate::app::destruction::owner_of_change(c), &mut killed.borrow_mut())
        };
        // Profiles merged away by this page: this device's own late edits of them land on their
        // survivors once merged.
        let merges: Vec<String> = batch
            .iter()
            .filter(|(_, c)| c.record.kind == RecordKind::Profile && c.set.contains_key("merged_into"))
            .map(|(_, c)| c.record.id.clone())
            .collect();
        let mut report = self.archive()?.apply_remote(batch, since, &known, &refused).await?;
        let news = std::mem::take(&mut report.conflicts);
        self.conflict_news.update_value(|n| n.extend(news));
        // The archive's merging lock lets a new taker in before those waiting, and a round merges
        // its pages back to back (the next one is fetched meanwhile): give a save waiting for the
        // lock (a clerk's new guest, the first administrator's setup) its turn between pages, or
        // it waits for the whole pull.
        crate::platform::clock::yield_now().await;
        if !merges.is_empty() {
            if let Err(e) = self.land_late_edits(&merges).await {
                web_sys::console::warn_1(&format!("late edits of merged profiles: {e}").into());
            }
            // Rare: what landing them did to conflicts is read whole.
            self.refresh_conflicts();
        }
        self.log_refused(killed.into_inner());
        if report.governance > 0 {
            self.gov_rev.update(|r| *r += 1);
            // The office module's screens (staff, log) read the governance too.
            crate::app::bridge::send(crate::app::bridge::Note::GovernanceChanged);
        }
        // Only changes to profiles and history redraw the screens (another device's access-log
        // events must not reload a profile with a form open on it).
        if report.applied > report.governance {
            let entries = std::mem::take(&mut report.entries);
            self.index.update_value(|ix| entries.into_iter().for_each(|e| ix.upsert(e)));
            self.pending_redraw.set_value(true);
            // Other tabs reload from the journal; a large page is told with its snapshot.
            if !report.snapshot_due {
                self.tell_other_tabs();
            }
        }
        if !more || js_sys::Date::now() - self.last_redraw.get_value() > 1000.0 {
            self.flush_redraw();
        }
        Ok(report)
    }

    /// Drops erased profiles from the search index and writes its snapshot without them (nothing
    /// of theirs is left in the index's rows); other tabs reload, open screens follow.
    pub(crate) async fn forget_profiles(self, ids: &[String]) -> Result<(), StoreError> {
        let gone: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.index.update_value(|ix| *ix = ix.without(&gone));
        self.compact().await?;
        self.tend_index();
        self.index_rev.update(|r| *r += 1);
        self.remote_rev.update(|r| *r += 1);
        self.tell_other_tabs();
        self.refresh_conflicts();
        Ok(())
    }

    /// Shows merged changes not shown yet (end of a pull, also after a failure).
    pub fn flush_redraw(self) {
        if self.pending_redraw.get_value() {
            self.pending_redraw.set_value(false);
            self.last_redraw.set_value(js_sys::Date::now());
            self.index_rev.update(|r| *r += 1);
            self.remote_rev.update(|r| *r += 1);
        }
        self.mark_conflicts();
    }

    /// Imports confirmed rows in one transaction (see `Archive::import_profiles`): `creates` are
    /// new profiles (ids and creation stamped by [`Services::stamp_new_all`]), `updates` existing
    /// profiles with imported fields. The index, other tabs and sync learn of it once committed.
    pub async fn import(
        self,
        creates: Vec<Profile>,
        updates: Vec<Profile>,
        progress: &dyn Fn(usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Imported, StoreError> {
        let done = self.write_many(creates, updates, progress, cancelled).await?;
        if let Imported::Done { created, updated } = &done {
            self.record_access(crate::domain::governance::chain::Entry {
                kind: Some(crate::domain::governance::chain::EventKind::Import),
                detail: format!("{created} {updated}"),
                ..Default::default()
            });
        }
        Ok(done)
    }

    /// Saves many edited profiles in one transaction (an ABC analysis applied to every customer,
    /// or its undo): each a change by the session's person now; nothing is written if it fails.
    /// Returns how many were written.
    pub async fn save_many(self, updates: Vec<Profile>, progress: &dyn Fn(usize)) -> Result<usize, StoreError> {
        match self.write_many(Vec::new(), updates, progress, &|| false).await? {
            Imported::Done { updated, .. } => Ok(updated),
            Imported::Cancelled => Ok(0),
        }
    }

    /// The bulk write under [`Services::import`] and [`Services::save_many`].
    async fn write_many(
        self,
        mut creates: Vec<Profile>,
        updates: Vec<Profile>,
        progress: &dyn Fn(usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Imported, StoreError> {
        let now = now_ms();
        let staff = self.session.staff();
        let staff = staff.as_str();
        // Sensitive values are sealed: the updates here, the new profiles as they are written.
        let sealer = self.sealer().await.map_err(as_store)?;
        let seal = |p: &mut Profile| {
            if let Some(s) = &sealer {
                s.seal_profile(p);
            }
        };
        let mut updates = updates;
        updates.iter_mut().for_each(seal);
        let updates: Vec<Profile> = updates
            .into_iter()
            .map(|mut p| {
                p.meta.touch(now, staff);
                p
            })
            .collect();
        let archive = self.archive()?;
        let (done, added) = archive
            .import_profiles_with(
                &mut creates,
                &updates,
                staff,
                &|f| self.index.with_value(|ix| f(ix)),
                progress,
                cancelled,
                &seal,
            )
            .await?;
        if matches!(done, Imported::Done { .. }) {
            self.index.update_value(|ix| {
                ix.append(added.created);
                added.updated.into_iter().for_each(|e| ix.upsert(e));
            });
            self.bulk_written();
        }
        Ok(done)
    }

    /// After a bulk write that also wrote the start-up snapshot (import, restore): the journal is
    /// empty, screens re-derive, sync sends soon, other tabs reload.
    fn bulk_written(self) {
        self.journal.set_value(0);
        self.index_rev.update(|r| *r += 1);
        self.local_rev.update(|r| *r += 1);
        self.tell_other_tabs();
    }

    /// Gives profiles about to be created their ids and their creation, now, by the session's person.
    pub fn stamp_new_all(self, profiles: &mut [Profile]) {
        let now = now_ms();
        let staff = &self.session.staff();
        let ids = new_ids(profiles.len());
        for (p, id) in profiles.iter_mut().zip(ids) {
            p.id = id;
            p.meta = Meta::new(now, staff);
        }
    }

    /// Every profile (export).
    pub async fn all_profiles(self) -> Result<Vec<Profile>, StoreError> {
        self.archive()?.all_profiles().await
    }

    /// Everything a backup holds: every record's merge state.
    pub async fn backup_records(self) -> Result<Vec<crate::domain::transfer::backup::BackupRecord>, StoreError> {
        self.archive()?.backup_records().await
    }

    /// Merges a backup into the archive (see `Archive::restore`).
    pub async fn restore(
        self,
        records: &[crate::domain::transfer::backup::BackupRecord],
    ) -> Result<Restored, StoreError> {
        // A backup from before sealing holds values in clear: sealed before they are stored.
        let mut sealed_copy = None;
        if records
            .iter()
            .any(|r| r.state.fields.iter().any(|(p, f)| f.writes.iter().any(|w| value_in_clear(p, &w.value))))
        {
            match self.sealer().await.map_err(as_store)? {
                Some(s) => {
                    let mut copy = records.to_vec();
                    copy.iter_mut().filter(|r| r.key.kind == RecordKind::Profile).for_each(|r| {
                        s.seal_state(&r.key.id, &mut r.state);
                    });
                    sealed_copy = Some(copy);
                }
                None => self.mark_unsealed().await?,
            }
        }
        let records = sealed_copy.as_deref().unwrap_or(records);
        // A backup taken before a destruction brings nothing destroyed back.
        let tombs = self.tombs().await?;
        let mut killed = std::collections::BTreeMap::<String, usize>::new();
        let kept: Vec<crate::domain::transfer::backup::BackupRecord> = records
            .iter()
            .filter(|r| !tombs.refuses(&r.key, &crate::app::destruction::owner_of_state(&r.state), &mut killed))
            .cloned()
            .collect();
        let refused = killed.values().sum();
        self.log_refused(killed);
        let records = kept.as_slice();
        let archive = self.archive()?;
        let mut r = archive.restore(records, &|f| self.index.with_value(|ix| f(ix))).await?;
        r.refused = refused;
        if r.records > 0 {
            let entries = std::mem::take(&mut r.entries);
            self.index.update_value(|ix| entries.into_iter().for_each(|e| ix.upsert(e)));
            self.bulk_written();
            self.remote_rev.update(|r| *r += 1);
            self.refresh_conflicts();
        }
        Ok(r)
    }

    /// Appends an access-log event (a profile opened, a print, an export…) for the signed-in
    /// person, after the screen has what it needs: the log write (its code a chunk of the desk,
    /// `app/governance` `log_access`) never delays the screen, and its failure (a full disk, the
    /// chunk not fetched) does not stop the work; sync sends it like any local write.
    pub fn record_access(self, entry: crate::domain::governance::chain::Entry) {
        // Who and when as they are now (a sign-out's event names who signed out).
        let (who, at) = (self.session.signed_in(), now_ms());
        leptos::task::spawn_local(async move {
            if let Ok(Ok(_)) = crate::app::governance::log_access(self, who, at, entry).await {
                self.local_rev.update(|n| *n += 1);
            }
        });
    }

    /// The device id of this archive's sync clock (backups name it).
    pub fn device(self) -> String {
        self.archive().map(|a| a.device()).unwrap_or_default()
    }

    /// Writes the start-up snapshot of the index (after a large pull) and tells other tabs.
    pub async fn write_snapshot(self) -> Result<(), StoreError> {
        self.compact().await?;
        self.tell_other_tabs();
        self.refresh_conflicts();
        Ok(())
    }

    /// A record's merge state: its field history and unresolved conflicts.
    pub async fn record_state(self, key: &RecordKey) -> Result<RecordState, StoreError> {
        self.archive()?.record_state(key).await
    }

    /// Settles a conflict on a record's field by keeping the value written at `keep`.
    pub async fn keep_value(self, key: &RecordKey, field: &str, keep: &Hlc) -> Result<(), StoreError> {
        let archive = self.archive()?;
        let entry = archive.resolve(key, field, keep, &self.session.staff()).await?;
        if let Some(entry) = entry {
            self.index.update_value(|ix| ix.upsert(entry));
        }
        self.index_rev.update(|r| *r += 1);
        self.local_rev.update(|r| *r += 1);
        self.remote_rev.update(|r| *r += 1);
        self.tell_other_tabs();
        self.refresh_conflicts();
        Ok(())
    }

    /// Re-reads which records have unresolved conflicts (its code, which decodes merge states, is
    /// a chunk of the desk: `conflicted`). For what this tab did not merge itself: at start,
    /// after another tab's writes, a restore, a resolution. Pulls bring their own news instead
    /// ([`Services::mark_conflicts`]): a read of every merge state per change that arrives would
    /// cost a device with a long history more at each change than the change itself.
    pub fn refresh_conflicts(self) {
        leptos::task::spawn_local(async move {
            let marks = self.conflict_marks.get_value();
            if let Ok(Ok(keys)) = conflicted(self).await {
                // A pull's news applied meanwhile may be newer than what was read.
                if self.conflict_marks.get_value() != marks {
                    return self.refresh_conflicts();
                }
                if self.conflicts.get_untracked() != keys {
                    self.conflicts.set(keys);
                }
            }
        });
    }

    /// Brings the list of conflicted records up to date with what pulls merged since the last
    /// redraw: a record with unresolved conflicts is listed (once), one without is not.
    fn mark_conflicts(self) {
        let news = self.conflict_news.try_update_value(std::mem::take).unwrap_or_default();
        if news.is_empty() {
            return;
        }
        self.conflict_marks.update_value(|n| *n += 1);
        self.conflicts.update(|list| {
            for (key, owner) in news {
                list.retain(|(k, _)| *k != key);
                if let Some(owner) = owner {
                    list.push((key, owner));
                }
            }
        });
    }

    /// Profiles with a conflict on themselves or on one of their history items, each once.
    pub fn conflicted_profiles(self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.conflicts.with(|c| c.iter().filter(|(_, p)| seen.insert(p.clone())).map(|(_, p)| p.clone()).collect())
    }
}

/// The search index from its snapshot, or rebuilt from the profiles when there is none to use.
async fn load_index(archive: &Rc<Archive>) -> Result<SearchIndex, StoreError> {
    match archive.load_snapshot().await? {
        Some((index, _stats)) => Ok(index),
        None => rebuilt(archive.clone()).await?,
    }
}

// Entering records written before sync existed in the change log: once, in an archive from
// before sync (an empty one needs nothing), so its code is a chunk fetched only then.
crate::lazy::lazy_fn! { tend;
    /// [`Services::tend_index`]'s work, until it is done or the archive closes.
    #[allow(clippy::unused_unit)]
    async fn tend(svc: Services) -> () {
        let mut seen = None;
        loop {
            crate::platform::clock::yield_now().await;
            // The lists wait until the index has been still for a second: during a pull of
            // many pages they would be worn out as fast as they are built.
            let state = svc.index.try_with_value(|ix| {
                (ix.rows_checked() && ix.wants_grams() && !ix.grams_building(), ix.generation())
            });
            match state {
                None => break,
                Some((true, generation)) if seen != Some(generation) => {
                    seen = Some(generation);
                    crate::platform::clock::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
                Some(_) => {}
            }
            let step = svc.index.try_update_value(|ix| match ix.check_rows(ROW_SLICE) {
                Ok(true) => Ok(!ix.wants_grams() || ix.build_grams_step(LIST_SLICE)),
                other => other,
            });
            match step {
                None | Some(Ok(true)) => break,
                Some(Ok(false)) => {}
                Some(Err(e)) => {
                    web_sys::console::warn_1(&format!("search snapshot: {e}; rebuilt from the profiles").into());
                    if let Ok(index) = async { rebuilt(svc.archive()?).await? }.await {
                        svc.index.set_value(index);
                        svc.index_rev.update(|r| *r += 1);
                        svc.tell_other_tabs();
                    }
                    break;
                }
            }
        }
    }
}

crate::lazy::lazy_fn! { adopt;
    async fn adopt(archive: Rc<Archive>) -> Result<(), StoreError> {
        archive.adopt_unlogged().await
    }
}

crate::lazy::lazy_fn! { conflicts;
    async fn conflicted(svc: Services) -> Result<Vec<(RecordKey, String)>, StoreError> {
        svc.archive()?.conflicted().await
    }
}

// Rebuilding the index reads every profile whole: that code (the profile's full decoding) is
// fetched only when a snapshot is missing or damaged (`src/lazy.rs`).
crate::lazy::lazy_fn! { rebuild;
    async fn rebuilt(archive: Rc<Archive>) -> Result<SearchIndex, StoreError> {
        archive.rebuild_snapshot().await
    }
}
