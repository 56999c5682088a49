//! The change log in IndexedDB: every local write records its change in the same transaction
//! (the record, its merge state when it has more than its creation, the outbox entry and the
//! clock), and changes from other devices are merged record by record, with the pull cursor
//! advanced in the same transaction as the data it covers. The merge itself is pure
//! (`domain::sync`); this file only reads and writes.

use super::archive::{commit, Archive};
use super::codec::{bytes_to_js, from_value, js_to_bytes, owned_body, record_json, to_value, Owned};
use super::documents::NewFile;
use super::error::StoreError;
use super::history::Place;
use super::schema::*;
use crate::domain::ledger::Entry;
use crate::domain::model::{HistoryItem, Profile};
use crate::domain::search::{IndexEntry, SearchIndex};
use crate::domain::snapshot;
use crate::domain::sync::records::{created_record, created_state, creation_only, derived_state, materialize};
use crate::domain::sync::{Change, Clock, ClockDrift, Hlc, RecordKey, RecordKind, RecordState};
use crate::platform::clock::now_ms;
use indexed_db_futures::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use wasm_bindgen::JsValue;

/// Profiles per pulled batch above which the search journal is replaced by a snapshot.
const JOURNAL_LIMIT: usize = 200;

/// A record's merge state as loaded, and whether it is stored in `records` (else it was derived
/// from the record, or the record is new).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Loaded {
    pub state: RecordState,
    pub stored: bool,
}

/// A record to write: its key, what is written of it, and whether a state was stored for it
/// before.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Merged {
    pub key: RecordKey,
    pub content: Content,
    pub was_stored: bool,
}

/// What is written of a merged record.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Content {
    /// Its merge state: the record is materialised from it, and it is stored unless it holds
    /// only the creation.
    State(RecordState),
    /// A record stored nowhere before, as its one creation change gives it (`created_record`):
    /// no merge state is built or stored for it.
    Created(Value),
}

impl Merged {
    /// A profile's or history item's place in the list of conflicted records (as
    /// [`Archive::conflicted`] reads it): the profile it belongs to when it has unresolved
    /// conflicts. Other kinds are never listed.
    fn conflict_mark(&self) -> Option<(RecordKey, Option<String>)> {
        if !matches!(self.key.kind, RecordKind::Profile | RecordKind::History) {
            return None;
        }
        let owner = match &self.content {
            Content::State(state) if !state.conflicts().is_empty() => {
                Some(self.key.kind.owner(&self.key.id, &state.value()))
            }
            _ => None,
        };
        Some((self.key.clone(), owner))
    }
}

impl Loaded {
    /// The record to write once merged.
    pub(super) fn into_merged(self, key: RecordKey) -> Merged {
        Merged { key, content: Content::State(self.state), was_stored: self.stored }
    }
}

/// What merging a batch from the endpoint did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    /// Changes that brought something new.
    pub applied: usize,
    /// Of those, changes to governance records or access-log events (the screens showing
    /// profiles need not reload for them).
    pub governance: usize,
    /// Changes already here (sent back, or delivered twice).
    pub known: usize,
    /// The cursor stored with them.
    pub cursor: u64,
    /// A change refused because its device's clock is too far ahead; the cursor stops before it.
    pub drift: Option<ClockDrift>,
    /// Search-index entries of the profiles whose merged record changed.
    pub entries: Vec<IndexEntry>,
    /// The batch was large, so its index entries were not journalled: the caller writes a new
    /// start-up snapshot (until then the next start rebuilds the index from the profiles).
    pub snapshot_due: bool,
    /// Where the merged profiles and history items stand on conflicts: each record with the
    /// profile it belongs to when it has unresolved ones, `None` when it has none. The list of
    /// conflicted records ([`Archive::conflicted`], which decodes every merge state) is kept up to
    /// date with these rather than read again after each pull.
    pub conflicts: Vec<(RecordKey, Option<String>)>,
}

impl Archive {
    /// Loads (or creates) this device's id and clock. Returns whether records written before
    /// sync existed are entered in the change log ([`Archive::adopt_unlogged`]): they are once it
    /// has run, and at once in an archive with no profile and no history item.
    pub(super) async fn start_log(&self) -> Result<bool, StoreError> {
        let tx = self.tx(&[META], true)?;
        let meta = tx.object_store(META)?;
        let device: Option<String> = meta.get(KEY_DEVICE).primitive()?.await?.and_then(|v: JsValue| v.as_string());
        let device = match device {
            Some(d) => d,
            None => {
                let d = crate::platform::ids::new_device_id();
                meta.put(JsValue::from_str(&d)).with_key(KEY_DEVICE).primitive()?;
                d
            }
        };
        let last: Option<Hlc> =
            meta.get(KEY_CLOCK).primitive()?.await?.and_then(|v: JsValue| v.as_string()).and_then(|s| Hlc::parse(&s));
        let mut adopted = meta.get(KEY_ADOPTED).primitive()?.await?.is_some_and(|v: JsValue| !v.is_undefined());
        commit(tx).await?;
        if !adopted {
            // Only an archive not yet adopted takes the records' stores: an empty one is marked
            // adopted at once (nothing from before sync can appear in it later).
            let tx = self.tx(&[META, PROFILES, HISTORY], true)?;
            if tx.object_store(PROFILES)?.count().primitive()?.await? == 0
                && tx.object_store(HISTORY)?.count().primitive()?.await? == 0
            {
                tx.object_store(META)?.put(JsValue::TRUE).with_key(KEY_ADOPTED).primitive()?;
                adopted = true;
            }
            commit(tx).await?;
        }
        *self.clock.borrow_mut() = Clock::resume(&device, last.as_ref());
        Ok(adopted)
    }

    /// This device's id in the sync clock.
    pub fn device(&self) -> String {
        self.clock.borrow().last().device
    }

    /// Gives every record without a creation clock (written before sync existed) one, and puts
    /// them in the outbox, so the first sync sends the whole archive. The records are handled as
    /// JSON values, one field set: this runs at every start-up until it has run once, and the
    /// records' full decoding stays out of the desk's first download. [`Archive::open`] runs it;
    /// the desk runs it itself, from a chunk (`app/archive.rs`), after
    /// [`Archive::open_leaving_adoption`].
    pub async fn adopt_unlogged(&self) -> Result<(), StoreError> {
        let tx = self.tx(&[PROFILES, HISTORY, RECORDS, OUTBOX, META], true)?;
        let mut refs: Vec<(RecordKey, Hlc)> = Vec::new();
        let recorded: Vec<JsValue> =
            tx.object_store(RECORDS)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let recorded: std::collections::HashSet<String> = recorded.iter().filter_map(JsValue::as_string).collect();
        let mut adopt = |json: &[u8], key: fn(&str) -> RecordKey| -> Result<Option<(String, Value)>, StoreError> {
            let mut v: Value = serde_json::from_slice(json)?;
            let id = v.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let key = key(&id);
            let unclocked = v.get("meta").and_then(|m| m.get("hlc")).is_none_or(Value::is_null);
            if !v.is_object() || id.is_empty() || !unclocked || recorded.contains(&key.text()) {
                return Ok(None);
            }
            let h = self.clock.borrow_mut().tick(now_ms() as u64);
            v["meta"]["hlc"] = to_value(&h)?;
            refs.push((key, h));
            Ok(Some((id, v)))
        };
        let profiles: Vec<JsValue> =
            tx.object_store(PROFILES)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        for stored in &profiles {
            let json = js_to_bytes(stored).ok_or_else(|| StoreError::Corrupt("profile is not bytes".into()))?;
            if let Some((id, v)) = adopt(&json, RecordKey::profile)? {
                tx.object_store(PROFILES)?
                    .put(bytes_to_js(&serde_json::to_vec(&v)?))
                    .with_key(id.as_str())
                    .primitive()?;
            }
        }
        let items: Vec<JsValue> = tx.object_store(HISTORY)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        for stored in &items {
            if let Some((_, v)) = adopt(owned_body(stored)?.as_bytes(), RecordKey::history)? {
                js_sys::Reflect::set(
                    stored,
                    &JsValue::from_str("body"),
                    &JsValue::from_str(&serde_json::to_string(&v)?),
                )
                .map_err(|e| StoreError::Corrupt(format!("history record body not set: {e:?}")))?;
                tx.object_store(HISTORY)?.put(stored).primitive()?;
            }
        }
        self.put_outbox(&tx, &refs)?;
        let meta = tx.object_store(META)?;
        meta.put(JsValue::TRUE).with_key(KEY_ADOPTED).primitive()?;
        commit(tx).await
    }

    /// Adds an outbox entry for `refs` and stores the clock (inside the caller's transaction).
    pub(super) fn put_outbox(
        &self,
        tx: &indexed_db_futures::transaction::Transaction<'_>,
        refs: &[(RecordKey, Hlc)],
    ) -> Result<(), StoreError> {
        if let Some((_, first)) = refs.first() {
            tx.object_store(OUTBOX)?
                .put(bytes_to_js(&serde_json::to_vec(refs)?))
                .with_key(first.encode())
                .primitive()?;
        }
        tx.object_store(META)?
            .put(JsValue::from_str(&self.clock.borrow().last().encode()))
            .with_key(KEY_CLOCK)
            .primitive()?;
        Ok(())
    }

    /// A record's merge state: stored, or derived from the record, or empty for a new record.
    async fn load(&self, key: &RecordKey) -> Result<RecordState, StoreError> {
        Ok(self.load_many(std::slice::from_ref(key), &|_| true).await?.pop().map(|l| l.state).unwrap_or_default())
    }

    /// The merge states of many records, read in one transaction with all requests in flight
    /// together; each with whether it is stored (else derived from the record, or new). Records
    /// for which `maybe_here` says no are known to be new and not read at all.
    pub(super) async fn load_many(
        &self,
        keys: &[RecordKey],
        maybe_here: &dyn Fn(&RecordKey) -> bool,
    ) -> Result<Vec<Loaded>, StoreError> {
        let tx = self.tx(&READ_STORES, false)?;
        self.sync_chunk_map_in(&tx).await?;
        // Many owned records none of which can be here (a new device's pull) are not read.
        let mut absent: Vec<RecordKind> = Vec::new();
        for t in TABLES {
            let ids: Vec<&str> =
                keys.iter().filter(|k| k.kind == t.kind && maybe_here(k)).map(|k| k.id.as_str()).collect();
            if ids.len() >= CHUNK_MIN && Self::none_in(&tx, t, &ids).await? {
                absent.push(t.kind);
            }
        }
        let maybe_here = |k: &RecordKey| maybe_here(k) && !absent.contains(&k.kind);
        let records = tx.object_store(RECORDS)?;
        let to_read: Vec<usize> = (0..keys.len()).filter(|&i| maybe_here(&keys[i])).collect();
        let stored = futures::future::join_all(
            to_read.iter().map(|&i| records.get(keys[i].text()).primitive()).collect::<Result<Vec<_>, _>>()?,
        )
        .await;
        let mut out: Vec<Option<Loaded>> = vec![None; keys.len()];
        for i in (0..keys.len()).filter(|&i| !maybe_here(&keys[i])) {
            out[i] = Some(Loaded::default());
        }
        let mut missing = Vec::new();
        for (&i, v) in to_read.iter().zip(stored) {
            let v: Option<JsValue> = v?;
            match v.as_ref().and_then(js_to_bytes) {
                Some(bytes) => out[i] = Some(Loaded { state: serde_json::from_slice(&bytes)?, stored: true }),
                None => missing.push(i),
            }
        }
        // Chunked profiles come from their chunks, the others from their own records.
        let chunked_ids: Vec<&str> = missing
            .iter()
            .map(|&i| &keys[i])
            .filter(|k| k.kind == RecordKind::Profile && self.chunk_of(&k.id).is_some())
            .map(|k| k.id.as_str())
            .collect();
        let mut chunked = self.read_chunked_in(&tx, &chunked_ids).await?;
        let mut chunked_owned: HashMap<String, Vec<u8>> = HashMap::new();
        for t in TABLES {
            let ids: Vec<&str> =
                missing.iter().map(|&i| &keys[i]).filter(|k| k.kind == t.kind).map(|k| k.id.as_str()).collect();
            if !ids.is_empty() {
                chunked_owned.extend(Self::chunked_in(&tx, t, &ids).await?);
            }
        }
        let mut from_chunks = Vec::new();
        missing.retain(|&i| {
            let found = match keys[i].kind {
                RecordKind::Profile => chunked.remove(&keys[i].id),
                kind if kind.is_owned() => chunked_owned.remove(&keys[i].id),
                _ => None,
            };
            match found {
                Some(json) => {
                    from_chunks.push((i, json));
                    false
                }
                None => true,
            }
        });
        for (i, json) in from_chunks {
            let value: Value = serde_json::from_slice(&json)?;
            let state = derived_state(&value)
                .ok_or_else(|| StoreError::Corrupt(format!("{} has no change log", keys[i].id)))?;
            out[i] = Some(Loaded { state, stored: false });
        }
        let found = futures::future::join_all(
            missing
                .iter()
                .map(|&i| tx.object_store(store_of(keys[i].kind))?.get(stored_key(&keys[i])).primitive())
                .collect::<Result<Vec<_>, _>>()?,
        )
        .await;
        for (&i, v) in missing.iter().zip(found) {
            let v: Option<JsValue> = v?;
            let state = match v {
                None => RecordState::default(),
                Some(v) => {
                    let value = record_json(keys[i].kind, &v)?;
                    derived_state(&value).unwrap_or_else(|| {
                        // Written by an older version in another tab after adoption: its
                        // creation gets a clock time now.
                        let staff =
                            value.pointer("/meta/created_by").and_then(Value::as_str).unwrap_or_default().to_string();
                        created_state(&value, &self.clock.borrow_mut().tick(now_ms() as u64), &staff)
                    })
                }
            };
            out[i] = Some(Loaded { state, stored: false });
        }
        Ok(out.into_iter().map(|o| o.expect("every key answered")).collect())
    }

    /// Records with unresolved conflicts (only records with a stored state can have one), each
    /// with the profile it belongs to (itself, or the profile of a history item).
    pub async fn conflicted(&self) -> Result<Vec<(RecordKey, String)>, StoreError> {
        let tx = self.tx(&[RECORDS], false)?;
        let store = tx.object_store(RECORDS)?;
        let keys: Vec<JsValue> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = store.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (k, v) in keys.iter().zip(&values) {
            let (Some(k), Some(bytes)) = (k.as_string(), js_to_bytes(v)) else { continue };
            let state: RecordState = serde_json::from_slice(&bytes)?;
            if state.conflicts().is_empty() {
                continue;
            }
            // Governance records are replaced whole, and an item's later version stands (no
            // conflict); ledger entries are never changed.
            if let Some(key) =
                RecordKey::parse(&k).filter(|k| matches!(k.kind, RecordKind::Profile | RecordKind::History))
            {
                let owner = key.kind.owner(&key.id, &state.value());
                out.push((key, owner));
            }
        }
        Ok(out)
    }

    /// A record's merge state (conflicts and field history on screen).
    pub async fn record_state(&self, key: &RecordKey) -> Result<RecordState, StoreError> {
        self.load(key).await
    }

    /// Writes merged records in one transaction: each record materialised from its state (and
    /// the state itself unless it is a creation only), the search journal for profiles, an
    /// outbox entry for local changes, the clock and, for pulled changes, the cursor. Returns the
    /// profiles' index entries once committed. `fresh` names records stored nowhere before.
    async fn write_merged(
        &self,
        records: Vec<Merged>,
        outbox: &[(RecordKey, Hlc)],
        cursor: Option<u64>,
        journal: bool,
        fresh: &HashSet<RecordKey>,
        file: Option<NewFile<'_>>,
    ) -> Result<Vec<IndexEntry>, StoreError> {
        if records.iter().any(|m| m.key.kind == RecordKind::Profile) {
            super::names_ready().await?;
        }
        let tx = self.tx(&WRITE_STORES, true)?;
        let entries = self.write_merged_in(&tx, records, journal, fresh).await?;
        if let Some(f) = file {
            f.put_in(&tx)?;
        }
        self.put_outbox(&tx, outbox)?;
        if let Some(c) = cursor {
            tx.object_store(META)?.put(JsValue::from_f64(c as f64)).with_key(KEY_CURSOR).primitive()?;
        }
        commit(tx).await?;
        Ok(entries)
    }

    /// The writes of [`Self::write_merged`] inside the caller's transaction (which covers
    /// [`WRITE_STORES`]). Profiles in a chunk are rewritten there; new ones (in `fresh`) go in
    /// new chunks when they are enough to fill one, else each in its own record.
    pub(super) async fn write_merged_in(
        &self,
        tx: &indexed_db_futures::transaction::Transaction<'_>,
        records: Vec<Merged>,
        journal: bool,
        fresh: &HashSet<RecordKey>,
    ) -> Result<Vec<IndexEntry>, StoreError> {
        self.sync_chunk_map_in(tx).await?;
        // Owned records (history, ledger): new ones go in chunks when enough of a table arrive
        // together; stored ones are rewritten where they are.
        let mut owned = Vec::new();
        for t in TABLES {
            let of = |fresh_ones: bool| {
                records.iter().filter(move |m| m.key.kind == t.kind && fresh.contains(&m.key) == fresh_ones)
            };
            let chunk_new = of(true).count() >= CHUNK_MIN;
            let old: Vec<&str> = of(false).map(|m| m.key.id.as_str()).collect();
            let located = if old.is_empty() { Default::default() } else { Self::chunks_of_in(tx, t, &old).await? };
            owned.push((t.kind, chunk_new, located, self.owned_writer(tx, t)));
        }
        let new_profiles: Vec<&str> = records
            .iter()
            .filter(|m| m.key.kind == RecordKind::Profile && fresh.contains(&m.key))
            .map(|m| m.key.id.as_str())
            .collect();
        let chunking = new_profiles.len() >= CHUNK_MIN;
        let placed = if chunking { self.placed_in(tx, &new_profiles).await? } else { HashSet::new() };
        let fresh_ids: HashSet<String> = new_profiles.into_iter().map(str::to_string).collect();
        let may_chunk = |id: &str| chunking && fresh_ids.contains(id) && !placed.contains(id);
        let events = records.iter().filter(|m| m.key.kind == RecordKind::Event);
        super::governance::note_heads_in(tx, events.filter_map(|m| super::governance::event_head(&m.key.id))).await?;
        let mut writer = self.profile_writer(tx);
        let mut entries = Vec::new();
        for Merged { key, content, was_stored } in records {
            // The value to write, and the merge state to store when it holds more than the
            // creation.
            let (value, state) = match content {
                Content::Created(v) => (v, None),
                Content::State(s) => (materialize(&s), creation_only(&s).is_none().then_some(s)),
            };
            match key.kind {
                RecordKind::Profile => {
                    let p: Profile = from_value(value)?;
                    let entry = IndexEntry::from_profile(&p);
                    writer.write(&p.id, serde_json::to_vec(&p)?, may_chunk(&p.id))?;
                    if journal {
                        tx.object_store(INDEX_JOURNAL)?
                            .put(bytes_to_js(&snapshot::encode_entry(&entry)))
                            .with_key(p.id.as_str())
                            .primitive()?;
                    }
                    entries.push(entry);
                }
                RecordKind::History | RecordKind::Ledger | RecordKind::Document => {
                    let (_, chunk_new, located, writer) =
                        owned.iter_mut().find(|(k, ..)| *k == key.kind).expect("every owned kind has a table");
                    let chunk = located.get(&key.id).map(String::as_str);
                    let place = if fresh.contains(&key) { Place::New(*chunk_new) } else { Place::Stored(chunk) };
                    match key.kind {
                        RecordKind::History => writer.place(&from_value::<HistoryItem>(value)?, place)?,
                        RecordKind::Ledger => writer.place(&from_value::<Entry>(value)?, place)?,
                        _ => writer.place(&from_value::<crate::domain::documents::Document>(value)?, place)?,
                    }
                }
                kind => {
                    tx.object_store(store_of(kind))?
                        .put(bytes_to_js(&serde_json::to_vec(&value)?))
                        .with_key(stored_key(&key))
                        .primitive()?;
                }
            }
            let records_store = tx.object_store(RECORDS)?;
            match state {
                Some(s) => {
                    records_store.put(bytes_to_js(&serde_json::to_vec(&s)?)).with_key(key.text()).primitive()?;
                }
                None if was_stored => {
                    records_store.delete(key.text()).primitive()?;
                }
                None => {}
            }
        }
        writer.finish().await?;
        for (.., w) in owned {
            w.finish().await?;
        }
        Ok(entries)
    }

    /// A local save of a record as the whole JSON `new` by `staff`: the fields that changed become
    /// one change. `None` when nothing changed.
    pub(super) async fn save_record(
        &self,
        key: RecordKey,
        new: &Value,
        staff: &str,
        file: Option<NewFile<'_>>,
    ) -> Result<Option<Vec<IndexEntry>>, StoreError> {
        self.edit_record(key, staff, file, |_| Some(new.clone())).await
    }

    /// A local save of some top-level fields of a stored record: `keys` take their values from
    /// `overlay` (a key absent there is removed), every other field stays as stored now. The
    /// record is read and changed without a pause between, so a save made elsewhere in the page
    /// meanwhile (a sync round naming a document's sealed file) is not written back. `None` when
    /// nothing changed.
    pub(super) async fn patch_record(
        &self,
        key: RecordKey,
        overlay: &Value,
        keys: &[&str],
        staff: &str,
    ) -> Result<Option<Vec<IndexEntry>>, StoreError> {
        self.edit_record(key, staff, None, |state| {
            let mut new = state.value();
            let fields = new.as_object_mut()?;
            for k in keys {
                match overlay.get(*k) {
                    Some(v) => fields.insert(k.to_string(), v.clone()),
                    None => fields.remove(*k),
                };
            }
            Some(new)
        })
        .await
    }

    /// Reads a record's state, takes the whole new value `make` gives from it, and writes the
    /// fields that changed as one local change (with `file`, in the same transaction), all under
    /// the merging lock. `None` when nothing changed.
    async fn edit_record(
        &self,
        key: RecordKey,
        staff: &str,
        file: Option<NewFile<'_>>,
        make: impl FnOnce(&RecordState) -> Option<Value>,
    ) -> Result<Option<Vec<IndexEntry>>, StoreError> {
        let _merging = self.merging.lock().await;
        let Loaded { mut state, stored } =
            self.load_many(std::slice::from_ref(&key), &|_| true).await?.pop().unwrap_or_default();
        let Some(new) = make(&state) else { return Ok(None) };
        let set = state.edit(&new);
        if set.is_empty() {
            return Ok(None);
        }
        let hlc = self.clock.borrow_mut().tick(now_ms() as u64);
        let change =
            Change { hlc: hlc.clone(), record: key.clone(), staff: staff.to_string(), device_name: String::new(), set };
        state.apply(&change);
        let merged = Loaded { state, stored }.into_merged(key.clone());
        self.write_merged(vec![merged], &[(key, hlc)], None, true, &HashSet::new(), file).await.map(Some)
    }

    /// Settles a conflict on `field` by keeping the value written at `keep` (a local change that
    /// has seen every competing value). Returns the profile's index entry.
    pub async fn resolve(
        &self,
        key: &RecordKey,
        field: &str,
        keep: &Hlc,
        staff: &str,
    ) -> Result<Option<IndexEntry>, StoreError> {
        let _merging = self.merging.lock().await;
        let Loaded { mut state, stored } =
            self.load_many(std::slice::from_ref(key), &|_| true).await?.pop().unwrap_or_default();
        let Some(fw) = state.resolve(field, keep) else { return Ok(None) };
        let hlc = self.clock.borrow_mut().tick(now_ms() as u64);
        let change = Change {
            hlc: hlc.clone(),
            record: key.clone(),
            staff: staff.to_string(),
            device_name: String::new(),
            set: std::collections::BTreeMap::from([(field.to_string(), fw)]),
        };
        state.apply(&change);
        Ok(self
            .write_merged(
                vec![Loaded { state, stored }.into_merged(key.clone())],
                &[(key.clone(), hlc)],
                None,
                true,
                &HashSet::new(),
                None,
            )
            .await?
            .pop())
    }

    /// Saves one profile (created or edited) with its change, in one transaction. Returns its
    /// search-index entry once committed.
    pub async fn put_profile(&self, p: &Profile) -> Result<IndexEntry, StoreError> {
        let written = self.save_record(RecordKey::profile(&p.id), &to_value(p)?, &p.meta.updated_by, None).await?;
        Ok(written.and_then(|mut e| e.pop()).unwrap_or_else(|| IndexEntry::from_profile(p)))
    }

    /// Saves one history item with its change.
    pub async fn put_history(&self, h: &HistoryItem) -> Result<(), StoreError> {
        self.save_record(RecordKey::history(&h.id), &to_value(h)?, &h.meta.updated_by, None).await.map(|_| ())
    }

    /// Records one new ledger entry with its change (entries are never changed afterwards).
    pub async fn put_entry(&self, e: &Entry) -> Result<(), StoreError> {
        self.save_record(RecordKey::ledger(&e.id), &to_value(e)?, &e.meta.created_by, None).await.map(|_| ())
    }

    /// Saves a consignment item (created or changed) with its change.
    pub async fn put_item(&self, i: &crate::domain::ledger::stock::Item) -> Result<(), StoreError> {
        let key = RecordKey { kind: RecordKind::Item, id: i.id.clone() };
        self.save_record(key, &to_value(i)?, &i.meta.updated_by, None).await.map(|_| ())
    }

    /// A customer's ledger entries, in the account's order.
    pub async fn ledger_of(&self, profile_id: &str) -> Result<Vec<Entry>, StoreError> {
        let mut entries: Vec<Entry> = self.owned_of(LEDGER_TABLE, profile_id).await?;
        entries.sort_by(Entry::order);
        Ok(entries)
    }

    /// Every consignment item.
    pub async fn items(&self) -> Result<Vec<crate::domain::ledger::stock::Item>, StoreError> {
        let tx = self.tx(&[ITEMS], false)?;
        let all: Vec<JsValue> = tx.object_store(ITEMS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        all.iter().map(|v| super::codec::json_from_js(v, "an item")).collect()
    }

    /// Creates many profiles in one transaction (import, benchmark) and adds them to `index` once
    /// it has committed. Each gets its creation clock (also set in `profiles`) and all share one outbox
    /// entry, so the change log costs one small write per batch. Their index entries are computed
    /// while IndexedDB stores the values. With `snapshot`, the transaction also writes the
    /// start-up snapshot of the index with them; a bulk write split into batches needs it only in
    /// its last batch, since a snapshot behind the profile count is rebuilt on the next load.
    pub async fn put_profiles(
        &self,
        profiles: &mut [Profile],
        index: &mut SearchIndex,
        snapshot: bool,
    ) -> Result<(), StoreError> {
        super::names_ready().await?;
        let tx = self.tx(&[PROFILES, META, INDEX_JOURNAL, OUTBOX, CHUNKS, CHUNK_IDS], true)?;
        self.sync_chunk_map_in(&tx).await?;
        let chunking = profiles.len() >= CHUNK_MIN;
        let ids: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
        let placed = if chunking { self.placed_in(&tx, &ids).await? } else { HashSet::new() };
        let mut entries = Vec::with_capacity(profiles.len());
        let mut refs = Vec::with_capacity(profiles.len());
        {
            let mut writer = self.profile_writer(&tx);
            let now = now_ms() as u64;
            for p in profiles.iter_mut() {
                let h = self.clock.borrow_mut().tick(now);
                p.meta.stamp_creation(&h);
                writer.write(&p.id, serde_json::to_vec(p)?, chunking && !placed.contains(&p.id))?;
                entries.push(IndexEntry::from_profile(p));
                refs.push((RecordKey::profile(&p.id), h));
            }
            writer.finish().await?;
        }
        self.put_outbox(&tx, &refs)?;
        if snapshot {
            let ix: &SearchIndex = index;
            Self::write_snapshot_with_in(&tx, &|f| f(ix), &entries).await?;
        }
        commit(tx).await?;
        for e in entries {
            index.upsert(e);
        }
        Ok(())
    }

    /// Creates many history items (new ids, stored nowhere yet) in one transaction, with one
    /// outbox entry; enough of them go in chunks.
    pub async fn put_history_many(&self, items: &[HistoryItem]) -> Result<(), StoreError> {
        self.put_owned_many(HISTORY_TABLE, items, &mut |h, t| h.meta.stamp_creation(t)).await
    }

    /// Creates many ledger entries (new ids) in one transaction, as [`Self::put_history_many`].
    pub async fn put_entries(&self, entries: &[Entry]) -> Result<(), StoreError> {
        self.put_owned_many(LEDGER_TABLE, entries, &mut |e, t| e.meta.stamp_creation(t)).await
    }

    async fn put_owned_many<T: Owned + Clone>(
        &self,
        t: Table,
        items: &[T],
        stamp: &mut dyn FnMut(&mut T, &Hlc),
    ) -> Result<(), StoreError> {
        let tx = self.tx(&[t.own, t.chunks, OUTBOX, META], true)?;
        let mut refs = Vec::with_capacity(items.len());
        {
            let mut writer = self.owned_writer(&tx, t);
            let now = now_ms() as u64;
            let chunked = items.len() >= CHUNK_MIN;
            for h in items {
                let mut h = h.clone();
                let hlc = self.clock.borrow_mut().tick(now);
                stamp(&mut h, &hlc);
                writer.create(&h, chunked)?;
                refs.push((RecordKey { kind: t.kind, id: h.id().to_string() }, hlc));
            }
            writer.finish().await?;
        }
        self.put_outbox(&tx, &refs)?;
        commit(tx).await
    }

    /// Local changes waiting to be sent, oldest first, as outbox entries (key, changes); up to
    /// about `max` changes (whole entries).
    pub async fn outbox(&self, max: usize) -> Result<Vec<(String, Vec<Change>)>, StoreError> {
        let tx = self.tx(&[OUTBOX], false)?;
        let store = tx.object_store(OUTBOX)?;
        let keys: Vec<JsValue> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        let mut total = 0;
        let mut picked = Vec::new();
        for k in keys {
            let Some(key) = k.as_string() else { continue };
            let v: Option<JsValue> = store.get(key.as_str()).primitive()?.await?;
            let refs: Vec<(RecordKey, Hlc)> = match v.as_ref().and_then(js_to_bytes) {
                Some(b) => serde_json::from_slice(&b)?,
                None => continue,
            };
            total += refs.len();
            picked.push((key, refs));
            if total >= max {
                break;
            }
        }
        drop(tx);
        for (key, refs) in picked {
            let records: Vec<RecordKey> = refs.iter().map(|(r, _)| r.clone()).collect();
            let states = self.load_many(&records, &|_| true).await?;
            let changes = refs
                .iter()
                .zip(states)
                .filter_map(|((record, hlc), loaded)| loaded.state.change_at(record, hlc))
                .collect();
            out.push((key, changes));
        }
        Ok(out)
    }

    /// How many local changes wait to be sent.
    pub async fn outbox_len(&self) -> Result<usize, StoreError> {
        let tx = self.tx(&[OUTBOX], false)?;
        let all: Vec<JsValue> = tx.object_store(OUTBOX)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut n = 0;
        // Counted, not read: an archive that never syncs keeps every change here.
        for v in all.iter().filter_map(js_to_bytes) {
            n += serde_json::from_slice::<Vec<serde::de::IgnoredAny>>(&v)?.len();
        }
        Ok(n)
    }

    /// Removes sent outbox entries (the endpoint has stored them).
    pub async fn ack_outbox(&self, keys: &[String]) -> Result<(), StoreError> {
        let tx = self.tx(&[OUTBOX], true)?;
        let store = tx.object_store(OUTBOX)?;
        for k in keys {
            store.delete(k.as_str()).primitive()?;
        }
        commit(tx).await
    }

    /// The pull cursor: changes up to it are merged here.
    pub async fn cursor(&self) -> Result<u64, StoreError> {
        let tx = self.tx(&[META], false)?;
        let v: Option<JsValue> = tx.object_store(META)?.get(KEY_CURSOR).primitive()?.await?;
        Ok(v.and_then(|v| v.as_f64()).unwrap_or(0.0) as u64)
    }

    /// Merges changes pulled from the endpoint (with their `seq`, in order) and stores the cursor
    /// with them, in one transaction. A change from a clock too far ahead stops the batch there.
    pub async fn apply_remote(
        &self,
        batch: Vec<(u64, Change)>,
        since: u64,
        maybe_here: &dyn Fn(&RecordKey) -> bool,
        refused: &dyn Fn(&Change) -> bool,
    ) -> Result<Applied, StoreError> {
        let _merging = self.merging.lock().await;
        let mut report = Applied { cursor: since, ..Applied::default() };
        // Changes of destroyed records are left out (their place in the order still counts).
        let mut batch = batch;
        batch.retain(|(seq, c)| {
            let keep = !refused(c);
            if !keep {
                report.cursor = report.cursor.max(*seq);
            }
            keep
        });
        // Load the states of the records concerned, in one transaction.
        let mut keys: Vec<RecordKey> = batch.iter().map(|(_, c)| c.record.clone()).collect();
        keys.sort();
        keys.dedup();
        let loaded = self.load_many(&keys, maybe_here).await?;
        let fresh = fresh_keys(&keys, &loaded);
        // A record stored nowhere with a single change in the batch is written as that change
        // creates it, without a merge state (most of a new device's pull).
        let mut changes_of: HashMap<&RecordKey, usize> = HashMap::new();
        for (_, c) in &batch {
            *changes_of.entry(&c.record).or_default() += 1;
        }
        let single: HashSet<RecordKey> =
            changes_of.into_iter().filter(|(k, n)| *n == 1 && fresh.contains(*k)).map(|(k, _)| k.clone()).collect();
        let mut states: BTreeMap<RecordKey, Loaded> = keys.into_iter().zip(loaded).collect();
        let mut created: HashMap<RecordKey, Value> = HashMap::new();
        let mut touched: BTreeSet<RecordKey> = BTreeSet::new();
        for (seq, mut c) in batch {
            if let Err(d) = self.clock.borrow_mut().observe(&c.hlc, now_ms() as u64) {
                report.drift = Some(d);
                break;
            }
            // An entry written once is never changed: a later change to one that exists is
            // ignored (counted as known).
            if c.record.kind.is_immutable()
                && (created.contains_key(&c.record)
                    || !states.get(&c.record).expect("loaded above").state.fields.is_empty())
            {
                report.known += 1;
                report.cursor = report.cursor.max(seq);
                continue;
            }
            let shortcut = if single.contains(&c.record) { created_record(&mut c) } else { None };
            let new = match shortcut {
                Some(v) => {
                    created.insert(c.record.clone(), v);
                    true
                }
                None => states.get_mut(&c.record).expect("loaded above").state.apply(&c),
            };
            if new {
                report.applied += 1;
                report.governance += c.record.kind.is_governance() as usize;
                touched.insert(c.record);
            } else {
                report.known += 1;
            }
            report.cursor = report.cursor.max(seq);
        }
        let records: Vec<Merged> = touched
            .into_iter()
            .map(|k| {
                let loaded = states.remove(&k).expect("loaded above");
                match created.remove(&k) {
                    Some(v) => Merged { key: k, content: Content::Created(v), was_stored: loaded.stored },
                    None => loaded.into_merged(k),
                }
            })
            .collect();
        report.conflicts = records.iter().filter_map(Merged::conflict_mark).collect();
        // Journal entries cost a write each; a large batch is covered by a snapshot afterwards.
        let profiles = records.iter().filter(|m| m.key.kind == RecordKind::Profile).count();
        report.snapshot_due = profiles > JOURNAL_LIMIT;
        report.entries =
            self.write_merged(records, &[], Some(report.cursor), !report.snapshot_due, &fresh, None).await?;
        Ok(report)
    }
}

/// The records [`Archive::load_many`] found stored nowhere (to be created by the write).
pub(super) fn fresh_keys(keys: &[RecordKey], loaded: &[Loaded]) -> HashSet<RecordKey> {
    keys.iter().zip(loaded).filter(|(_, l)| !l.stored && l.state.fields.is_empty()).map(|(k, _)| k.clone()).collect()
}
