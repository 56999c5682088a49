//! Bulk writes for import and restore, and reads for export and backup. An import or a restore is
//! one IndexedDB transaction: cancelled or failed, nothing of it remains.

use super::error::StoreError;
use super::idb::{commit, history_from_js, profile_from_js, profile_to_js, Archive};
use super::log::{now, record_json, to_value};
use super::schema::*;
use crate::domain::model::Profile;
use crate::domain::search::{IndexEntry, SearchIndex};
use crate::domain::snapshot;
use crate::domain::sync::records::derived_state;
use crate::domain::sync::{Change, Hlc, RecordKey, RecordKind, RecordState};
use crate::domain::transfer::backup::BackupRecord;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

/// Profiles written per step of an import, between progress reports.
const STEP: usize = 2000;

/// How an import ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Done { created: usize, updated: usize },
    Cancelled,
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
}

/// Lends the caller's search index for a moment (it lives in a UI store that cannot be borrowed
/// across an `await`).
pub type IndexAccess<'a> = &'a dyn Fn(&mut dyn FnMut(&SearchIndex));

/// The start-up snapshot of the index with `entries` in it, and the check that lets
/// `write_snapshot_in` drop the journal entries it covers.
fn snapshot_parts(index: IndexAccess<'_>, entries: &[IndexEntry]) -> Vec<u8> {
    let mut bytes = Vec::new();
    index(&mut |ix| bytes = snapshot_with(ix, entries));
    bytes
}

fn updated_at(index: IndexAccess<'_>, entries: &[IndexEntry], id: &str) -> Option<i64> {
    if let Some(e) = entries.iter().rev().find(|e| e.id == id) {
        return Some(e.updated_at);
    }
    let mut at = None;
    index(&mut |ix| at = ix.get(id).map(|e| e.updated_at));
    at
}

impl Archive {
    /// Every profile, deleted ones included.
    pub async fn all_profiles(&self) -> Result<Vec<Profile>, StoreError> {
        let tx = self.tx(&[PROFILES], false)?;
        let all: Vec<JsValue> = tx.object_store(PROFILES)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        all.iter().map(profile_from_js).collect()
    }

    /// Imports in one transaction: `creates` get their creation clock and are written in steps of
    /// [`STEP`], `progress` told after each; `updates` (existing profiles with imported fields)
    /// are saved as local edits with their changes. `cancelled` is asked between steps: when it
    /// says yes the transaction is aborted and nothing is written. The index learns the profiles
    /// once the transaction has committed: the caller adds the returned entries.
    pub async fn import_profiles(
        &self,
        creates: &mut [Profile],
        updates: &[Profile],
        staff: &str,
        index: IndexAccess<'_>,
        progress: &dyn Fn(usize),
        cancelled: &dyn Fn() -> bool,
    ) -> Result<(Imported, Vec<IndexEntry>), StoreError> {
        // The updated records' merge states, read first.
        let keys: Vec<RecordKey> = updates.iter().map(|p| RecordKey::profile(&p.id)).collect();
        let mut states = self.load_many(&keys, &|_| true).await?;
        let tx = self.tx(&[PROFILES, HISTORY, INDEX_JOURNAL, RECORDS, OUTBOX, META], true)?;
        let mut entries: Vec<IndexEntry> = Vec::with_capacity(creates.len() + updates.len());
        let mut refs: Vec<(RecordKey, Hlc)> = Vec::with_capacity(creates.len() + updates.len());
        let profiles = tx.object_store(PROFILES)?;
        let mut done = 0;
        for chunk in creates.chunks_mut(STEP) {
            if cancelled() {
                tx.abort().await?;
                return Ok((Imported::Cancelled, Vec::new()));
            }
            let now = now();
            let mut last = None;
            for p in chunk.iter_mut() {
                let h = self.clock.borrow_mut().tick(now);
                p.meta.stamp_creation(&h);
                last = Some(profiles.put(profile_to_js(p)?).with_key(p.id.as_str()).primitive()?);
                entries.push(IndexEntry::from_profile(p));
                refs.push((RecordKey::profile(&p.id), h));
            }
            // Waiting for the step's last write keeps the transaction alive and lets the page
            // paint the progress in between.
            if let Some(req) = last {
                req.await?;
            }
            done += chunk.len();
            progress(done);
        }
        let mut merged = Vec::with_capacity(updates.len());
        for ((key, p), (state, stored)) in keys.into_iter().zip(updates).zip(states.iter_mut()) {
            let set = state.edit(&to_value(p)?);
            if set.is_empty() {
                continue;
            }
            let hlc = self.clock.borrow_mut().tick(now());
            state.apply(&Change { hlc: hlc.clone(), record: key.clone(), staff: staff.to_string(), set });
            refs.push((key.clone(), hlc));
            merged.push((key, std::mem::take(state), *stored));
        }
        let updated = merged.len();
        entries.extend(self.write_merged_in(&tx, &merged, false)?);
        self.put_outbox(&tx, &refs)?;
        let bytes = snapshot_parts(index, &entries);
        Self::write_snapshot_in(&tx, &bytes, &|id| updated_at(index, &entries, id)).await?;
        if cancelled() {
            tx.abort().await?;
            return Ok((Imported::Cancelled, Vec::new()));
        }
        commit(tx).await?;
        Ok((Imported::Done { created: creates.len(), updated }, entries))
    }

    /// Every profile's and history item's merge state, as a backup holds them.
    pub async fn backup_records(&self) -> Result<Vec<BackupRecord>, StoreError> {
        let tx = self.tx(&[PROFILES, HISTORY, RECORDS], false)?;
        let stored_keys: Vec<JsValue> =
            tx.object_store(RECORDS)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let stored_values: Vec<JsValue> =
            tx.object_store(RECORDS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut stored = std::collections::HashMap::new();
        for (k, v) in stored_keys.iter().zip(&stored_values) {
            if let (Some(k), Some(b)) = (k.as_string(), super::idb::js_to_bytes(v)) {
                stored.insert(k, serde_json::from_slice::<RecordState>(&b)?);
            }
        }
        let profiles: Vec<JsValue> =
            tx.object_store(PROFILES)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let history: Vec<JsValue> =
            tx.object_store(HISTORY)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(profiles.len() + history.len());
        for (kind, values) in [(RecordKind::Profile, &profiles), (RecordKind::History, &history)] {
            for v in values {
                let id = match kind {
                    RecordKind::Profile => profile_from_js(v)?.id,
                    RecordKind::History => history_from_js(v)?.id,
                };
                let key = RecordKey { kind, id };
                let state = match stored.remove(&super::log::record_key_text(&key)) {
                    Some(s) => s,
                    None => derived_state(&record_json(kind, v)?)
                        .ok_or_else(|| StoreError::Corrupt(format!("{} has no change log", key.id)))?,
                };
                out.push(BackupRecord { key, state });
            }
        }
        Ok(out)
    }

    /// Merges a backup's records in one transaction, as changes from another device: every
    /// write the archive lacks is added (so conflicts are kept, not overwritten) and queued for
    /// sync; the start-up snapshot learns the merged profiles, the caller's index the returned
    /// entries.
    pub async fn restore(&self, records: &[BackupRecord], index: IndexAccess<'_>) -> Result<Restored, StoreError> {
        let keys: Vec<RecordKey> = records.iter().map(|r| r.key.clone()).collect();
        let here = self.load_many(&keys, &|_| true).await?;
        let mut report = Restored::default();
        let mut merged = Vec::new();
        let mut refs = Vec::new();
        for (r, (mut state, stored)) in records.iter().zip(here) {
            let mut new = 0;
            let mut times = std::collections::BTreeSet::new();
            for (field, fs) in &r.state.fields {
                for w in &fs.writes {
                    let _ = self.clock.borrow_mut().observe(&w.hlc, now());
                    if state.fields.entry(field.clone()).or_default().apply(w.clone()) {
                        new += 1;
                        times.insert(w.hlc.clone());
                    }
                }
            }
            if new == 0 {
                report.unchanged += 1;
                continue;
            }
            report.records += 1;
            report.writes += new;
            refs.extend(times.into_iter().map(|h| (r.key.clone(), h)));
            merged.push((r.key.clone(), state, stored));
        }
        let tx = self.tx(&[PROFILES, HISTORY, INDEX_JOURNAL, RECORDS, OUTBOX, META], true)?;
        let entries = self.write_merged_in(&tx, &merged, false)?;
        self.put_outbox(&tx, &refs)?;
        let bytes = snapshot_parts(index, &entries);
        Self::write_snapshot_in(&tx, &bytes, &|id| updated_at(index, &entries, id)).await?;
        commit(tx).await?;
        report.entries = entries;
        Ok(report)
    }
}

/// The snapshot of `index` with `entries` replacing or adding to its own.
fn snapshot_with(index: &SearchIndex, entries: &[IndexEntry]) -> Vec<u8> {
    let new: std::collections::HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let kept = index.entries().iter().filter(|e| !new.contains(e.id.as_str()));
    snapshot::encode(kept.chain(entries.iter()))
}
