//! Records that belong to a profile (history items, ledger entries: a [`Table`] each) in the
//! store: one record each in the table's own store (indexed by profile), or, when written in bulk
//! (a new device's first pull, a restore, an import, seeding), many to a value in its chunks
//! store (the format of `domain::chunk`), since IndexedDB's cost is per request. A chunk's value
//! holds the ids of its items and of their profiles beside its bytes, as two multi-entry indexes:
//! a profile's records and an item's chunk are found by IndexedDB, with no map kept in memory. An
//! item lives in exactly one place; a chunked item edited later is rewritten inside its chunk.

use super::archive::Archive;
use super::codec::{bytes_to_js, owned_from_js, owned_to_js, Owned};
use super::error::StoreError;
use super::schema::*;
use crate::domain::chunk::{self, Builder};
use crate::domain::model::HistoryItem;
use crate::domain::sync::RecordKey;
use crate::platform::clock::now_ms;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("a chunk of stored records is damaged ({what})"))
}

/// An item in a chunk: its id, its profile's id and its JSON.
type Entry<'a> = (&'a str, &'a str, &'a [u8]);

/// A stored chunk of history items: the items' ids and their profiles' ids, in the chunk's order,
/// and its bytes.
struct Stored {
    ids: Vec<String>,
    pids: Vec<String>,
    data: Vec<u8>,
}

impl Stored {
    fn to_js(&self) -> JsValue {
        let strings = |v: &[String]| v.iter().map(|s| JsValue::from_str(s)).collect::<Array>();
        let o = Object::new();
        let _ = Reflect::set(&o, &IDX_CHUNK_ITEM.into(), &strings(&self.ids));
        let _ = Reflect::set(&o, &IDX_CHUNK_OWNER.into(), &strings(&self.pids));
        let _ = Reflect::set(&o, &"data".into(), &bytes_to_js(&self.data));
        o.into()
    }

    fn from_js(v: &JsValue) -> Result<Stored, StoreError> {
        let strings = |name: &str| -> Result<Vec<String>, StoreError> {
            let a: Array = Reflect::get(v, &name.into()).ok().and_then(|a| a.dyn_into().ok()).ok_or(corrupt(name))?;
            a.iter().map(|s| s.as_string().ok_or(corrupt(name))).collect()
        };
        let data = Reflect::get(v, &"data".into())
            .ok()
            .and_then(|d| d.dyn_into::<Uint8Array>().ok())
            .map(|d| d.to_vec())
            .ok_or(corrupt("data"))?;
        Ok(Stored { ids: strings(IDX_CHUNK_ITEM)?, pids: strings(IDX_CHUNK_OWNER)?, data })
    }

    /// The JSON of each item, with its profile's id.
    fn items(&self) -> Result<Vec<Entry<'_>>, StoreError> {
        let entries = chunk::entries(&self.data).map_err(|_| corrupt("bytes"))?;
        if entries.len() != self.pids.len() {
            return Err(corrupt("profile ids"));
        }
        Ok(entries.into_iter().zip(&self.pids).map(|((id, json), pid)| (id, pid.as_str(), json)).collect())
    }
}

impl Archive {
    /// A profile's history, newest first (deleted items included; the caller filters).
    pub async fn history_of(&self, profile_id: &str) -> Result<Vec<HistoryItem>, StoreError> {
        let mut items: Vec<HistoryItem> = self.owned_of(HISTORY_TABLE, profile_id).await?;
        items.sort_by(HistoryItem::newest_first);
        Ok(items)
    }

    /// One history item by its id, as stored.
    pub async fn history_item(&self, id: &str) -> Result<Option<HistoryItem>, StoreError> {
        self.owned(HISTORY_TABLE, id).await
    }

    /// One record of `t` by its id: in its own record, or in a chunk written in bulk.
    pub(super) async fn owned<T: Owned>(&self, t: Table, id: &str) -> Result<Option<T>, StoreError> {
        let tx = self.tx(&[t.own, t.chunks], false)?;
        let v: Option<JsValue> = tx.object_store(t.own)?.get(id).primitive()?.await?;
        if let Some(v) = v {
            return Ok(Some(owned_from_js(&v)?));
        }
        let chunked = Self::chunked_in(&tx, t, &[id]).await?;
        chunked.get(id).map(|json| serde_json::from_slice(json)).transpose().map_err(Into::into)
    }

    /// A profile's records of `t`, in no order: its own records through the `profile_id` index
    /// and its items in chunks through the chunks' index.
    pub async fn owned_of<T: Owned>(&self, t: Table, profile_id: &str) -> Result<Vec<T>, StoreError> {
        let tx = self.tx(&[t.own, t.chunks], false)?;
        let own = tx.object_store(t.own)?.index(IDX_PROFILE)?.get_all().with_query(profile_id).primitive()?;
        let chunks = tx.object_store(t.chunks)?.index(IDX_CHUNK_OWNER)?.get_all().with_query(profile_id).primitive()?;
        let (own, chunks) = futures::join!(own, chunks);
        let own: Vec<JsValue> = own?.collect::<Result<_, _>>()?;
        let chunks: Vec<JsValue> = chunks?.collect::<Result<_, _>>()?;
        let mut items = own.iter().map(owned_from_js).collect::<Result<Vec<T>, _>>()?;
        for v in &chunks {
            let stored = Stored::from_js(v)?;
            for (_, pid, json) in stored.items()? {
                if pid == profile_id {
                    items.push(serde_json::from_slice(json)?);
                }
            }
        }
        Ok(items)
    }

    /// Number of history items of a profile (deleted ones included).
    pub async fn history_count(&self, profile_id: &str) -> Result<usize, StoreError> {
        let tx = self.tx(&[HISTORY, HISTORY_CHUNKS], false)?;
        let own = tx.object_store(HISTORY)?.index(IDX_PROFILE)?.count().with_query(profile_id).primitive()?.await?;
        let chunks: Vec<JsValue> = tx
            .object_store(HISTORY_CHUNKS)?
            .index(IDX_CHUNK_OWNER)?
            .get_all()
            .with_query(profile_id)
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let mut n = own as usize;
        for v in &chunks {
            n += Stored::from_js(v)?.pids.iter().filter(|p| *p == profile_id).count();
        }
        Ok(n)
    }

    /// Whether none of the records `ids` of `t` can be stored here: nothing in its own store, in
    /// its chunks or in `records` between the smallest and the largest id. Three counts,
    /// instead of three reads per item; the usual answer for a pulled page of new items.
    pub(super) async fn none_in(tx: &Transaction<'_>, t: Table, ids: &[&str]) -> Result<bool, StoreError> {
        let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else { return Ok(true) };
        let range = |lo: &str, hi: &str| KeyRange::Bound(JsValue::from_str(lo), false, JsValue::from_str(hi), false);
        let own = tx.object_store(t.own)?.count().with_query::<JsValue, _>(range(lo, hi)).primitive()?;
        let chunked = tx
            .object_store(t.chunks)?
            .index(IDX_CHUNK_ITEM)?
            .count()
            .with_query::<JsValue, _>(range(lo, hi))
            .primitive()?;
        let key = |id: &str| RecordKey { kind: t.kind, id: id.to_string() }.text();
        let (klo, khi) = (key(lo), key(hi));
        let recorded = tx.object_store(RECORDS)?.count().with_query::<JsValue, _>(range(&klo, &khi)).primitive()?;
        let (own, chunked, recorded) = futures::join!(own, chunked, recorded);
        Ok(own? == 0 && chunked? == 0 && recorded? == 0)
    }

    /// The chunk of each chunked item among `ids` (item id → chunk key), from the chunks' index
    /// alone: no chunk is read.
    pub(super) async fn chunks_of_in(
        tx: &Transaction<'_>,
        t: Table,
        ids: &[&str],
    ) -> Result<HashMap<String, String>, StoreError> {
        let store = tx.object_store(t.chunks)?;
        let index = store.index(IDX_CHUNK_ITEM)?;
        let found = futures::future::join_all(
            ids.iter()
                .map(|id| index.get_key(*id).with_key_type::<JsValue>().primitive())
                .collect::<Result<Vec<_>, _>>()?,
        )
        .await;
        let mut out = HashMap::new();
        for (id, key) in ids.iter().zip(found) {
            if let Some(k) = key?.and_then(|k| k.as_string()) {
                out.insert(id.to_string(), k);
            }
        }
        Ok(out)
    }

    /// The JSON of the chunked items of `t` among `ids`, each chunk read once.
    pub(super) async fn chunked_in(
        tx: &Transaction<'_>,
        t: Table,
        ids: &[&str],
    ) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let located = Self::chunks_of_in(tx, t, ids).await?;
        let mut by_chunk: HashMap<&str, Vec<&str>> = HashMap::new();
        for (id, chunk) in &located {
            by_chunk.entry(chunk.as_str()).or_default().push(id.as_str());
        }
        let store = tx.object_store(t.chunks)?;
        let keys: Vec<&str> = by_chunk.keys().copied().collect();
        let read =
            futures::future::join_all(keys.iter().map(|k| store.get(*k).primitive()).collect::<Result<Vec<_>, _>>()?)
                .await;
        let mut out = HashMap::new();
        for (k, v) in keys.iter().zip(read) {
            let v: Option<JsValue> = v?;
            let stored = Stored::from_js(&v.ok_or_else(|| corrupt("missing"))?)?;
            for (id, _, json) in stored.items()? {
                if by_chunk[k].contains(&id) {
                    out.insert(id.to_string(), json.to_vec());
                }
            }
        }
        Ok(out)
    }

    /// The items of a stored chunk.
    pub(super) fn chunk_items<T: Owned>(v: &JsValue) -> Result<Vec<T>, StoreError> {
        let stored = Stored::from_js(v)?;
        stored.items()?.into_iter().map(|(_, _, json)| Ok(serde_json::from_slice(json)?)).collect()
    }

    /// Every record of `t`, own and chunked, read inside `tx` (backups, the documents' room).
    pub(super) async fn all_owned_in<T: Owned>(tx: &Transaction<'_>, t: Table) -> Result<Vec<T>, StoreError> {
        let own: Vec<JsValue> = tx.object_store(t.own)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut all = own.iter().map(owned_from_js).collect::<Result<Vec<T>, _>>()?;
        for json in Self::all_chunked_owned_in(tx, t).await? {
            all.push(serde_json::from_slice(&json)?);
        }
        Ok(all)
    }

    /// Every chunked item's JSON of `t`, read inside `tx`.
    pub(super) async fn all_chunked_owned_in(tx: &Transaction<'_>, t: Table) -> Result<Vec<Vec<u8>>, StoreError> {
        let all: Vec<JsValue> = tx.object_store(t.chunks)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for v in &all {
            out.extend(Stored::from_js(v)?.items()?.into_iter().map(|(_, _, json)| json.to_vec()));
        }
        Ok(out)
    }

    /// Erases every record of `t` belonging to the profiles `pids` inside `tx` (which covers the
    /// table's two stores): their own records, and their items out of the chunks holding them (a
    /// chunk left empty is deleted). The ids erased.
    pub(super) async fn erase_owned_in(
        tx: &Transaction<'_>,
        t: Table,
        pids: &std::collections::HashSet<&str>,
    ) -> Result<Vec<String>, StoreError> {
        let mut erased = Vec::new();
        let own = tx.object_store(t.own)?;
        let chunks = tx.object_store(t.chunks)?;
        let mut chunk_keys: Vec<String> = Vec::new();
        for pid in pids {
            let ids: Vec<JsValue> = own
                .index(IDX_PROFILE)?
                .get_all_keys()
                .with_query(*pid)
                .primitive()?
                .await?
                .collect::<Result<_, _>>()?;
            for id in ids.iter().filter_map(JsValue::as_string) {
                own.delete(id.as_str()).primitive()?;
                erased.push(id);
            }
            let keys: Vec<JsValue> = chunks
                .index(IDX_CHUNK_OWNER)?
                .get_all_keys()
                .with_query(*pid)
                .primitive()?
                .await?
                .collect::<Result<_, _>>()?;
            chunk_keys.extend(keys.iter().filter_map(JsValue::as_string));
        }
        chunk_keys.sort();
        chunk_keys.dedup();
        for k in chunk_keys {
            let v: Option<JsValue> = chunks.get(k.as_str()).primitive()?.await?;
            let stored = Stored::from_js(&v.ok_or_else(|| corrupt("missing"))?)?;
            let goes = |i: usize| stored.pids.get(i).is_some_and(|p| pids.contains(p.as_str()));
            let (data, ids) = chunk::retain(&stored.data, &|i, _| !goes(i)).map_err(|_| corrupt("bytes"))?;
            let kept_pids: Vec<String> = stored.pids.iter().filter(|p| !pids.contains(p.as_str())).cloned().collect();
            if ids.len() != kept_pids.len() {
                return Err(corrupt("profile ids"));
            }
            erased.extend(stored.ids.iter().enumerate().filter(|(i, _)| goes(*i)).map(|(_, id)| id.clone()));
            if ids.is_empty() {
                chunks.delete(k.as_str()).primitive()?;
            } else {
                chunks.put(Stored { ids, pids: kept_pids, data }.to_js()).with_key(k.as_str()).primitive()?;
            }
        }
        Ok(erased)
    }

    /// A writer of records of `t` inside `tx` (which covers the table's two stores).
    pub(super) fn owned_writer<'a>(&'a self, tx: &'a Transaction<'a>, t: Table) -> OwnedWriter<'a> {
        OwnedWriter { archive: self, tx, t, builder: Builder::default(), pids: Vec::new(), rewrites: HashMap::new() }
    }
}

/// Where an owned record is written: new (in the chunk being filled when `true`), or stored
/// before (inside its chunk, if any).
pub(super) enum Place<'a> {
    New(bool),
    Stored(Option<&'a str>),
}

/// Writes each record of a table where it belongs: a new one allowed in a chunk into the chunk
/// being filled (put when full), a chunked one back into its chunk (at [`OwnedWriter::finish`]),
/// any other into its own record.
pub(super) struct OwnedWriter<'a> {
    archive: &'a Archive,
    tx: &'a Transaction<'a>,
    t: Table,
    builder: Builder,
    pids: Vec<String>,
    /// Chunk key → (item id → new JSON).
    rewrites: HashMap<String, HashMap<String, Vec<u8>>>,
}

impl OwnedWriter<'_> {
    /// Writes an item where `place` says.
    pub fn place<T: Owned>(&mut self, h: &T, place: Place<'_>) -> Result<(), StoreError> {
        match place {
            Place::New(chunked) => self.create(h, chunked),
            Place::Stored(chunk) => self.update(h, chunk),
        }
    }

    /// Writes a new item (stored nowhere yet): in the chunk being filled when `chunked`, else in
    /// its own record.
    pub fn create<T: Owned>(&mut self, h: &T, chunked: bool) -> Result<(), StoreError> {
        if !chunked {
            return self.own(h);
        }
        self.builder.push(h.id(), &serde_json::to_vec(h)?);
        self.pids.push(h.profile_id().to_string());
        if self.builder.full() {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes an item stored before: inside `chunk` when it lives in one, else its own record.
    pub fn update<T: Owned>(&mut self, h: &T, chunk: Option<&str>) -> Result<(), StoreError> {
        match chunk {
            Some(c) => {
                self.rewrites.entry(c.to_string()).or_default().insert(h.id().to_string(), serde_json::to_vec(h)?);
                Ok(())
            }
            None => self.own(h),
        }
    }

    fn own<T: Owned>(&mut self, h: &T) -> Result<(), StoreError> {
        self.tx.object_store(self.t.own)?.put(owned_to_js(h)?).primitive()?;
        Ok(())
    }

    /// Puts the chunk being filled, if it holds anything.
    fn flush(&mut self) -> Result<(), StoreError> {
        if self.builder.is_empty() {
            return Ok(());
        }
        let (data, ids) = self.builder.take();
        let stored = Stored { ids, pids: std::mem::take(&mut self.pids), data };
        let key = format!("{}{}", self.t.prefix, self.archive.clock.borrow_mut().tick(now_ms() as u64).encode());
        self.tx.object_store(self.t.chunks)?.put(stored.to_js()).with_key(key.as_str()).primitive()?;
        Ok(())
    }

    /// Puts the last chunk and rewrites the chunks of chunked items written.
    pub async fn finish(mut self) -> Result<(), StoreError> {
        self.flush()?;
        if self.rewrites.is_empty() {
            return Ok(());
        }
        let store = self.tx.object_store(self.t.chunks)?;
        let keys: Vec<&String> = self.rewrites.keys().collect();
        let read = futures::future::join_all(
            keys.iter().map(|k| store.get(k.as_str()).primitive()).collect::<Result<Vec<_>, _>>()?,
        )
        .await;
        for (k, v) in keys.iter().zip(read) {
            let v: Option<JsValue> = v?;
            let mut stored = Stored::from_js(&v.ok_or_else(|| corrupt("missing"))?)?;
            let new = &self.rewrites[*k];
            stored.data = chunk::replace(&stored.data, &|id| new.get(id).cloned()).map_err(|_| corrupt("bytes"))?;
            store.put(stored.to_js()).with_key(k.as_str()).primitive()?;
        }
        Ok(())
    }
}
