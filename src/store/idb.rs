//! IndexedDB implementation of the archive (browser only).

use super::archive::{commit, Archive, IndexAccess, LoadStats};
use super::codec::{encoded_to_js, js_to_bytes, profile_from_js};
use super::error::StoreError;
use super::schema::*;
use crate::domain::model::Profile;
use crate::domain::search::{IndexEntry, SearchIndex, SnapshotBuilder};
use crate::domain::snapshot;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};

impl Archive {
    /// Opens (creating or upgrading as needed) the archive database `name` at the latest schema.
    pub async fn open(name: &str) -> Result<Archive, StoreError> {
        Archive::open_at(name, Version::LATEST).await
    }

    /// [`Archive::open`] without entering records written before sync existed in the change log,
    /// and whether they are entered already: if not, [`Archive::adopt_unlogged`] must run before
    /// anything syncs (the desk fetches its code only for such an archive).
    pub async fn open_leaving_adoption(name: &str) -> Result<(Archive, bool), StoreError> {
        Archive::open_at_leaving_adoption(name, Version::LATEST).await
    }

    /// Opens the database at a given schema version, running each upgrade step from the stored
    /// version. Tests use older versions to check migrations.
    pub async fn open_at(name: &str, version: Version) -> Result<Archive, StoreError> {
        let (archive, adopted) = Archive::open_at_leaving_adoption(name, version).await?;
        if !adopted {
            archive.adopt_unlogged().await?;
        }
        Ok(archive)
    }

    async fn open_at_leaving_adoption(name: &str, version: Version) -> Result<(Archive, bool), StoreError> {
        let db = Database::open(name)
            .with_version(version as u32)
            .with_on_upgrade_needed(move |event, db| {
                let old = event.old_version() as u32;
                for step in version.steps_from(old) {
                    step.apply(&db)?;
                }
                Ok(())
            })
            .await?;
        let archive = Archive {
            db,
            clock: std::cell::RefCell::new(crate::domain::sync::Clock::new("local")),
            chunks: Default::default(),
            merging: Default::default(),
        };
        // Before version 3 there was no change log: nothing to adopt yet.
        let adopted = version < Version::V3 || archive.start_log().await?;
        Ok((archive, adopted))
    }

    /// Deletes a whole database (tests and the benchmark start from nothing).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)?.await.map_err(StoreError::from)
    }

    /// Closes the connection.
    pub fn close(self) {
        self.db.close();
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    pub(super) fn tx(&self, stores: &[&str], write: bool) -> Result<Transaction<'_>, StoreError> {
        let mode = if write { TransactionMode::Readwrite } else { TransactionMode::Readonly };
        Ok(self.db.transaction(stores).with_mode(mode).build()?)
    }

    /// Reads one profile, deleted or not.
    pub async fn get_profile(&self, id: &str) -> Result<Option<Profile>, StoreError> {
        let tx = self.tx(&PROFILE_STORES, false)?;
        self.sync_chunk_map_in(&tx).await?;
        if self.chunk_of(id).is_some() {
            let found = self.read_chunked_in(&tx, &[id]).await?.remove(id);
            return Ok(found.map(|json| serde_json::from_slice(&json)).transpose()?);
        }
        let v: Option<JsValue> = tx.object_store(PROFILES)?.get(id).primitive()?.await?;
        v.map(|v| profile_from_js(&v)).transpose()
    }

    /// Every profile, deleted ones included, chunked or not, read inside `tx` (which covers
    /// [`PROFILE_STORES`]).
    pub(super) async fn all_profiles_in(&self, tx: &Transaction<'_>) -> Result<Vec<Profile>, StoreError> {
        self.sync_chunk_map_in(tx).await?;
        let chunked = Self::all_chunked_in(tx).await?;
        let own: Vec<JsValue> = tx.object_store(PROFILES)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(chunked.len() + own.len());
        for json in &chunked {
            out.push(serde_json::from_slice::<Profile>(json)?);
        }
        for v in &own {
            let p = profile_from_js(v)?;
            if self.chunk_of(&p.id).is_none() {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Puts `snap` as the snapshot and drops the journal entries it covers: those whose profile
    /// has, per `updated`, a change at least as new. Newer ones (another tab) stay.
    pub(super) async fn write_snapshot_in(
        tx: &Transaction<'_>,
        snap: snapshot::Sections,
        updated: &dyn Fn(&str) -> Option<i64>,
    ) -> Result<(), StoreError> {
        let value = encoded_to_js(&snapshot::encode(snap));
        tx.object_store(META)?.put(value).with_key(KEY_SNAPSHOT).primitive()?;
        let journal = tx.object_store(INDEX_JOURNAL)?;
        let keys: Vec<JsValue> = journal.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let entries: Vec<JsValue> = journal.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        for (key, v) in keys.iter().zip(entries) {
            match js_to_bytes(&v).map(|b| snapshot::decode_entry(&b)) {
                Some(Ok(e)) => {
                    if updated(&e.id).is_some_and(|at| at >= e.updated_at) {
                        journal.delete(e.id.as_str()).primitive()?;
                    }
                }
                // An entry of an older format is never read again: its profile is in the
                // snapshot being written, built from the index.
                _ => {
                    if let Some(k) = key.as_string() {
                        journal.delete(k.as_str()).primitive()?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes the snapshot of `index` with `entries` (just written in `tx`) replacing or adding
    /// to its own, and drops the journal entries it covers.
    pub(super) async fn write_snapshot_with_in(
        tx: &Transaction<'_>,
        index: IndexAccess<'_>,
        entries: &[IndexEntry],
    ) -> Result<(), StoreError> {
        let new: std::collections::HashMap<&str, i64> = entries.iter().map(|e| (e.id.as_str(), e.updated_at)).collect();
        let mut snap = None;
        index(&mut |ix| {
            let mut b = SnapshotBuilder::with_capacity(ix.len() + entries.len(), ix.byte_sizes().0, ix.byte_sizes().1);
            (0..ix.len() as u32).filter(|&i| !new.contains_key(ix.id(i))).for_each(|i| b.push_from(ix, i));
            entries.iter().for_each(|e| b.push(e));
            snap = Some(b.finish());
        });
        let updated = |id: &str| {
            new.get(id).copied().or_else(|| {
                let mut at = None;
                index(&mut |ix| at = ix.updated_at(id));
                at
            })
        };
        Self::write_snapshot_in(tx, snap.unwrap_or_default(), &updated).await
    }

    /// Replaces the snapshot with `index` and drops the journal entries it covers.
    pub async fn write_snapshot(&self, index: &SearchIndex) -> Result<(), StoreError> {
        let tx = self.tx(&[META, INDEX_JOURNAL], true)?;
        Self::write_snapshot_in(&tx, index.sections(), &|id| index.updated_at(id)).await?;
        commit(tx).await?;
        Ok(())
    }

    /// Loads the search index: the snapshot plus the journal, or, when there is no usable
    /// snapshot or it disagrees with the number of profiles, a rebuild from every profile
    /// (which then writes a new snapshot).
    pub async fn load_index(&self) -> Result<(SearchIndex, LoadStats), StoreError> {
        match self.load_snapshot().await? {
            Some(loaded) => Ok(loaded),
            None => Ok((self.rebuild_snapshot().await?, LoadStats::default())),
        }
    }

    /// The search index from the snapshot plus the journal, or `None` when there is no usable
    /// snapshot or it disagrees with the number of profiles (then [`Archive::rebuild_snapshot`]
    /// builds it from the profiles; the desk fetches that code only when it has to). An archive
    /// without profiles has an empty index, snapshot or not.
    pub async fn load_snapshot(&self) -> Result<Option<(SearchIndex, LoadStats)>, StoreError> {
        let started = js_sys::Date::now();
        let tx = self.tx(&[META, INDEX_JOURNAL, PROFILES, CHUNK_IDS], false)?;
        let chunked = self.chunked_count_in(&tx).await?;
        let chunk_map_ms = js_sys::Date::now() - started;
        let snap: Option<JsValue> = tx.object_store(META)?.get(KEY_SNAPSHOT).primitive()?.await?;
        let journal: Vec<JsValue> =
            tx.object_store(INDEX_JOURNAL)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let count = tx.object_store(PROFILES)?.count().primitive()?.await? as usize + chunked;
        drop(tx);
        if count == 0 {
            return Ok(Some((SearchIndex::default(), LoadStats::default())));
        }
        let read = js_sys::Date::now();
        // No snapshot yet (an archive that started empty writes none until its journal is long):
        // the journal alone, when it names every profile. Each section of a snapshot is copied
        // from the stored array straight into its place.
        let from_snapshot = snap.is_some();
        let base = match snap.as_ref() {
            None => Some(SearchIndex::default()),
            Some(v) => v.dyn_ref::<js_sys::Uint8Array>().and_then(|a| {
                snapshot::decode(a.length() as usize, &mut |at, buf| {
                    a.subarray(at as u32, (at + buf.len()) as u32).copy_to(buf);
                })
                .ok()
                .map(SearchIndex::from_sections)
            }),
        };
        drop(snap);
        if let Some(mut index) = base {
            let mut applied = 0;
            for e in journal.iter().filter_map(js_to_bytes).filter_map(|b| snapshot::decode_entry(&b).ok()) {
                if index.updated_at(&e.id).is_none_or(|at| at <= e.updated_at) {
                    index.upsert(e);
                }
                applied += 1;
            }
            if index.len() == count {
                let build_ms = js_sys::Date::now() - read;
                let stats = LoadStats {
                    from_snapshot,
                    journal_entries: applied,
                    chunk_map_ms,
                    read_ms: read - started,
                    build_ms,
                };
                return Ok(Some((index, stats)));
            }
        }
        Ok(None)
    }

    /// Builds the index from every profile and writes it as the snapshot (no usable snapshot,
    /// or one whose rows turned out damaged after start-up).
    ///
    /// Under the merging lock: a pulled page merged between reading the profiles and handing the
    /// index back would be in storage but not in the index that replaces the desk's (a new
    /// device's first sign-in reseals and rebuilds while its pull goes on: 1,250 of 100,000
    /// profiles stayed out of the list until the next rebuild).
    ///
    /// A snapshot that cannot be written (a full disk) costs only the next start's time: the index
    /// is still handed back, and the desk opens.
    pub async fn rebuild_snapshot(&self) -> Result<SearchIndex, StoreError> {
        let _merging = self.merging.lock().await;
        let index = self.rebuild_index().await?;
        if let Err(e) = self.write_snapshot(&index).await {
            web_sys::console::warn_1(&format!("search snapshot not written: {e}").into());
        }
        Ok(index)
    }

    async fn rebuild_index(&self) -> Result<SearchIndex, StoreError> {
        let all = {
            let tx = self.tx(&PROFILE_STORES, false)?;
            self.all_profiles_in(&tx).await?
        };
        // A new device's empty archive (no snapshot yet) starts without waiting for the table.
        if !all.is_empty() {
            super::names_ready().await?;
        }
        Ok(SearchIndex::from_entries(all.iter().map(IndexEntry::from_profile).collect::<Vec<_>>()))
    }

    /// Number of profiles stored (live and deleted).
    pub async fn count_profiles(&self) -> Result<usize, StoreError> {
        let tx = self.tx(&[PROFILES, META, CHUNK_IDS], false)?;
        self.sync_chunk_map_in(&tx).await?;
        Ok(tx.object_store(PROFILES)?.count().primitive()?.await? as usize + self.chunked_count())
    }

    /// Number of search-index entries written since the last snapshot.
    pub async fn journal_len(&self) -> Result<usize, StoreError> {
        let tx = self.tx(&[INDEX_JOURNAL], false)?;
        Ok(tx.object_store(INDEX_JOURNAL)?.count().primitive()?.await? as usize)
    }
}
