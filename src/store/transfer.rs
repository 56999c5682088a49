//! Bulk writes for import and restore, and reads for export and backup. An import or a restore is
//! one IndexedDB transaction: cancelled or failed, nothing of it remains.

use super::archive::{commit, Archive, IndexAccess};
use super::codec::{js_to_bytes, json_from_js, to_value};
use super::error::StoreError;
use super::log::Merged;
use super::schema::*;
use crate::domain::model::Profile;
use crate::domain::search::{IndexEntry, SearchIndex, SnapshotBuilder};
use crate::domain::sync::records::derived_state;
use crate::domain::sync::{Change, Hlc, RecordKey, RecordKind, RecordState};
use crate::domain::transfer::backup::BackupRecord;
use crate::platform::clock::now_ms;
use indexed_db_futures::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsValue;

/// Milliseconds of work per slice of an import, between progress reports (the page paints in
/// between, so a slice is the longest the page waits).
const SLICE_MS: f64 = 60.0;

/// How an import ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Done { created: usize, updated: usize },
    Cancelled,
}

/// What an import adds to the caller's index once committed.
#[derive(Default)]
pub struct Added {
    /// The new profiles, indexed while they were written (`SearchIndex::append`).
    pub created: SearchIndex,
    /// The updated profiles' entries (`SearchIndex::upsert`).
    pub updated: Vec<IndexEntry>,
}

/// What a restore merged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restored {
    /// Records that gained something.
    pub records: usize,
    /// Field writes new to this archive.
    pub writes: usize,
    /// Records already here with everything the backup had.
    pub unchanged: usize,
    /// Index entries of the profiles that changed (for the caller's index).
    pub entries: Vec<IndexEntry>,
    /// Records of destroyed profiles left out (issue 18; counted by the application layer).
    pub refused: usize,
}

impl Archive {
    /// Every profile, deleted ones included.
    pub async fn all_profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let tx = self.tx(&PROFILE_STORES, false)?;
        self.all_profiles_in(&tx).await
    }

    /// Profiles edited here as records to write, each with the change that edits it (a profile
    /// with nothing changed is left out), and the changes' keys for the outbox.
    async fn local_edits(
        &self,
        profiles: &[Profile],
        staff: &str,
    ) -> Result<(Vec<Merged>, Vec<(RecordKey, Hlc)>), StoreError> {
        let keys: Vec<RecordKey> = profiles.iter().map(|p| RecordKey::profile(&p.id)).collect();
        let states = self.load_many(&keys, &|_| true).await?;
        let mut merged = Vec::with_capacity(profiles.len());
        let mut refs = Vec::with_capacity(profiles.len());
        for ((key, p), mut loaded) in keys.into_iter().zip(profiles).zip(states) {
            let set = loaded.state.edit(&to_value(p)?);
            if set.is_empty() {
                continue;
            }
            let hlc = self.clock.borrow_mut().tick(now_ms() as u64);
            let record = key.clone();
            loaded.state.apply(&Change {
                hlc: hlc.clone(),
                record,
                staff: staff.to_string(),
                device_name: String::new(),
                set,
            });
            refs.push((key.clone(), hlc));
            merged.push(loaded.into_merged(key));
        }
        Ok((merged, refs))
    }

    /// Imports in one transaction: `creates` get their creation clock and are written in time
    /// slices of [`SLICE_MS`], `progress` told the count after each; `updates` (existing profiles with imported fields)
    /// are saved as local edits with their changes. `cancelled` is asked between steps: when it
    /// says yes the transaction is aborted and nothing is written. The index learns the profiles
    /// once the transaction has committed: the caller adds the returned [`Added`].
    pub async fn import_profiles(
        &self,
        creates: &mut [Profile],
        updates: &[Profile],
        staff: &str,
        index: IndexAccess<'_>,
        progress: &dyn Fn(usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<(Imported, Added), StoreError> {
        self.import_profiles_with(creates, updates, staff, index, progress, cancelled, &|_| {}).await
    }

    /// [`Archive::import_profiles`], with `prepare` applied to each new profile as it is written
    /// (inside the time slices: sealing 100,000 profiles' numbers does not stop the page).
    #[allow(clippy::too_many_arguments)]
    pub async fn import_profiles_with(
        &self,
        creates: &mut [Profile],
        updates: &[Profile],
        staff: &str,
        index: IndexAccess<'_>,
        progress: &dyn Fn(usize),
        cancelled: &dyn Fn() -> bool,
        prepare: &dyn Fn(&mut Profile),
    ) -> Result<(Imported, Added), StoreError> {
        super::names_ready().await?;
        // The updated records' merge states, read first, and their changes.
        let _merging = self.merging.lock().await;
        let (merged, mut refs) = self.local_edits(updates, staff).await?;
        refs.reserve(creates.len());
        let tx = self.tx(&WRITE_STORES, true)?;
        let updated = self.write_merged_in(&tx, merged, false, &HashSet::new()).await?;
        let updated_ids: std::collections::HashSet<&str> = updated.iter().map(|e| e.id.as_str()).collect();
        // New profiles are indexed apart as they are written and join the caller's index once
        // committed; the start-up snapshot is put together from both at the end.
        let mut added = SearchIndex::default();
        // New ids (just made): they go in chunks, unless one is somehow stored already.
        let ids: Vec<&str> = creates.iter().map(|p| p.id.as_str()).collect();
        let placed = self.placed_in(&tx, &ids).await?;
        drop(ids);
        let mut writer = self.profile_writer(&tx);
        // Time slices: the page encodes chunks for up to SLICE_MS, then waits for IndexedDB to
        // confirm the previous slice, reporting each chunk as it is confirmed, so the progress
        // moves as the storage engine works and the page paints and takes input in between.
        // IndexedDB always has the current slice queued, and the transaction stays alive
        // because a request is always pending.
        let mut i = 0;
        let mut previous: Vec<(usize, super::chunks::Written<'_>)> = Vec::new();
        while i < creates.len() {
            if cancelled() {
                drop((writer, previous));
                tx.abort().await?;
                return Ok((Imported::Cancelled, Added::default()));
            }
            let started = js_sys::Date::now();
            let now = now_ms() as u64;
            let mut checkpoints = Vec::new();
            while i < creates.len() {
                let p = &mut creates[i];
                prepare(p);
                let h = self.clock.borrow_mut().tick(now);
                p.meta.stamp_creation(&h);
                if let Some(put) = writer.write(&p.id, serde_json::to_vec(p)?, !placed.contains(&p.id))? {
                    checkpoints.push((i + 1, put));
                }
                added.upsert(IndexEntry::from_profile(p));
                refs.push((RecordKey::profile(&p.id), h));
                i += 1;
                if i % 32 == 0 && js_sys::Date::now() - started > SLICE_MS {
                    break;
                }
            }
            if let Some(put) = writer.flush()? {
                checkpoints.push((i, put));
            }
            for (n, put) in previous.drain(..) {
                put.await?;
                progress(n);
            }
            // At least one real wait per slice: the slice's first write cannot be done yet.
            if !checkpoints.is_empty() {
                let (n, put) = checkpoints.remove(0);
                put.await?;
                progress(n);
            }
            previous = checkpoints;
        }
        for (n, put) in previous {
            put.await?;
            progress(n);
        }
        writer.finish().await?;
        self.put_outbox(&tx, &refs)?;
        // The snapshot: the archive's other entries, the updated ones, the new ones; copied as
        // they are, not encoded again.
        let mut snap = None;
        index(&mut |ix| {
            let mut b = SnapshotBuilder::with_capacity(
                ix.len() + added.len(),
                ix.byte_sizes().0 + added.byte_sizes().0,
                ix.byte_sizes().1 + added.byte_sizes().1,
            );
            (0..ix.len() as u32).filter(|&i| !updated_ids.contains(ix.id(i))).for_each(|i| b.push_from(ix, i));
            updated.iter().for_each(|e| b.push(e));
            (0..added.len() as u32).for_each(|i| b.push_from(&added, i));
            snap = Some(b.finish());
        });
        let at = |id: &str| {
            updated.iter().find(|e| e.id == id).map(|e| e.updated_at).or_else(|| added.updated_at(id)).or_else(|| {
                let mut at = None;
                index(&mut |ix| at = ix.updated_at(id));
                at
            })
        };
        Self::write_snapshot_in(&tx, snap.unwrap_or_default(), &at).await?;
        if cancelled() {
            tx.abort().await?;
            return Ok((Imported::Cancelled, Added::default()));
        }
        commit(tx).await?;
        let done = Imported::Done { created: creates.len(), updated: updated.len() };
        Ok((done, Added { created: added, updated }))
    }

    /// Every record's merge state (profiles, history items, ledger entries, items, governance
    /// records, access-log events), as a backup holds them.
    pub async fn backup_records(&self) -> Result<Vec<BackupRecord>, StoreError> {
        let tx = self.tx(&READ_STORES, false)?;
        let stored_keys: Vec<JsValue> =
            tx.object_store(RECORDS)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let stored_values: Vec<JsValue> =
            tx.object_store(RECORDS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut stored = std::collections::HashMap::new();
        for (k, v) in stored_keys.iter().zip(&stored_values) {
            if let (Some(k), Some(b)) = (k.as_string(), js_to_bytes(v)) {
                stored.insert(k, serde_json::from_slice::<RecordState>(&b)?);
            }
        }
        let profiles = self.all_profiles_in(&tx).await?;
        let mut values = Vec::with_capacity(profiles.len());
        for p in profiles {
            values.push((RecordKey::profile(&p.id), to_value(&p)?));
        }
        for h in Self::all_owned_in::<crate::domain::model::HistoryItem>(&tx, HISTORY_TABLE).await? {
            values.push((RecordKey::history(&h.id), to_value(&h)?));
        }
        for e in Self::all_owned_in::<crate::domain::ledger::Entry>(&tx, LEDGER_TABLE).await? {
            values.push((RecordKey::ledger(&e.id), to_value(&e)?));
        }
        for d in Self::all_owned_in::<crate::domain::documents::Document>(&tx, DOCUMENT_TABLE).await? {
            values.push((RecordKey::document(&d.id), to_value(&d)?));
        }
        for (store, kind) in [(GOV, None), (EVENTS, Some(RecordKind::Event)), (ITEMS, Some(RecordKind::Item))] {
            let keys: Vec<JsValue> =
                tx.object_store(store)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
            let vals: Vec<JsValue> = tx.object_store(store)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
            for (k, v) in keys.iter().zip(&vals) {
                let Some(k) = k.as_string() else { continue };
                let key = match kind {
                    Some(kind) => RecordKey { kind, id: k.clone() },
                    None => RecordKey::parse(&k).ok_or_else(|| StoreError::Corrupt(format!("governance key {k}")))?,
                };
                values.push((key, json_from_js(v, &k)?));
            }
        }
        let mut out = Vec::with_capacity(values.len());
        for (key, value) in values {
            let state = match stored.remove(&key.text()) {
                Some(s) => s,
                None => {
                    derived_state(&value).ok_or_else(|| StoreError::Corrupt(format!("{} has no change log", key.id)))?
                }
            };
            out.push(BackupRecord { key, state });
        }
        Ok(out)
    }

    /// Merges a backup's records in one transaction, as changes from another device: every
    /// write the archive lacks is added (so conflicts are kept, not overwritten) and queued for
    /// sync; the start-up snapshot learns the merged profiles, the caller's index the returned
    /// entries.
    pub async fn restore(&self, records: &[BackupRecord], index: IndexAccess<'_>) -> Result<Restored, StoreError> {
        super::names_ready().await?;
        let _merging = self.merging.lock().await;
        let keys: Vec<RecordKey> = records.iter().map(|r| r.key.clone()).collect();
        let here = self.load_many(&keys, &|_| true).await?;
        let fresh = super::log::fresh_keys(&keys, &here);
        let mut report = Restored::default();
        let mut merged = Vec::new();
        let mut refs = Vec::new();
        for (r, mut loaded) in records.iter().zip(here) {
            // An entry written once is never changed, by a backup neither (as in a pull).
            if r.key.kind.is_immutable() && !loaded.state.fields.is_empty() {
                report.unchanged += 1;
                continue;
            }
            let state = &mut loaded.state;
            let mut new = 0;
            let mut times = std::collections::BTreeSet::new();
            for (field, fs) in &r.state.fields {
                for w in &fs.writes {
                    let _ = self.clock.borrow_mut().observe(&w.hlc, now_ms() as u64);
                    if state.fields.entry(field.clone()).or_default().apply(w.clone()) {
                        new += 1;
                        times.insert(w.hlc.clone());
                    }
                }
            }
            // The report counts the archive's records; governance and the access log come along.
            let counted = !r.key.kind.is_governance();
            if new == 0 {
                report.unchanged += counted as usize;
                continue;
            }
            report.records += counted as usize;
            report.writes += new;
            refs.extend(times.into_iter().map(|h| (r.key.clone(), h)));
            merged.push(loaded.into_merged(r.key.clone()));
        }
        let tx = self.tx(&WRITE_STORES, true)?;
        let entries = self.write_merged_in(&tx, merged, false, &fresh).await?;
        self.put_outbox(&tx, &refs)?;
        Self::write_snapshot_with_in(&tx, index, &entries).await?;
        commit(tx).await?;
        report.entries = entries;
        Ok(report)
    }
}
