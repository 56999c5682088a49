//! Chunked profiles (see [`crate::domain::chunk`]): bulk writes store new profiles many to a
//! value in `chunks`, with their ids beside them in `chunk_ids`. A profile lives in exactly one
//! place, its chunk or its own record in `profiles`: a chunked profile edited later is rewritten
//! inside its chunk, and a bulk write chunks only ids stored nowhere yet.
//!
//! Every transaction that reads or writes profiles brings the in-memory chunk map (id → chunk)
//! up to date first: one read of the chunk generation in `meta`, and a reload of `chunk_ids`
//! only when another write (in this tab or another) has added chunks since.

use super::archive::{Archive, ChunkMap};
use super::codec::{bytes_to_js, js_to_bytes};
use super::error::StoreError;
use super::schema::*;
use crate::domain::chunk::{self, Builder, ChunkIndex};
use crate::platform::clock::now_ms;
use futures::future::LocalBoxFuture;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// A put of a chunk, to wait for (progress follows these).
pub(super) type Written<'a> = LocalBoxFuture<'a, Result<(), StoreError>>;

/// A chunk generation for a write that moves it on. The map in memory is trusted while the stored
/// generation is the one it was read or written at, so no two writes may share one (a write whose
/// transaction failed must not leave a number the next write of another tab would use too).
fn fresh_gen(old: f64) -> f64 {
    loop {
        let gen = now_ms() as f64 * 1024.0 + (js_sys::Math::random() * 1024.0).floor();
        if gen != old {
            return gen;
        }
    }
}

fn corrupt(_: chunk::ChunkError) -> StoreError {
    StoreError::Corrupt("a chunk of profiles is damaged".into())
}

impl Archive {
    /// Brings the chunk map up to date inside `tx` (which covers `meta` and `chunk_ids`).
    pub(super) async fn sync_chunk_map_in(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let gen: Option<JsValue> = tx.object_store(META)?.get(KEY_CHUNK_GEN).primitive()?.await?;
        let gen = gen.and_then(|v| v.as_f64()).unwrap_or(0.0);
        {
            let map = self.chunks.borrow();
            if map.loaded && map.gen == gen {
                return Ok(());
            }
        }
        let store = tx.object_store(CHUNK_IDS)?;
        let keys: Vec<JsValue> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = store.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut of = ChunkIndex::default();
        for (k, v) in keys.iter().zip(&values) {
            let (Some(k), Some(ids)) = (k.as_string(), v.as_string()) else { continue };
            of.add(k.into(), ids);
        }
        let reads = self.chunks.borrow().reads + 1;
        *self.chunks.borrow_mut() = ChunkMap { loaded: true, gen, of, reads };
        Ok(())
    }

    /// The chunk holding profile `id` (per the map as last brought up to date).
    pub(super) fn chunk_of(&self, id: &str) -> Option<Rc<str>> {
        self.chunks.borrow().of.chunk_of(id)
    }

    /// How often this connection read the chunk map from storage (it does when another
    /// connection wrote chunks; its own writes keep it up to date).
    pub fn chunk_map_reads(&self) -> u32 {
        self.chunks.borrow().reads
    }

    /// Number of chunked profiles.
    pub(super) fn chunked_count(&self) -> usize {
        self.chunks.borrow().of.len()
    }

    /// Number of chunked profiles inside `tx` (which covers `meta` and `chunk_ids`): as stored
    /// beside the chunk generation, or, for an archive written before it was, from the map.
    pub(super) async fn chunked_count_in(&self, tx: &Transaction<'_>) -> Result<usize, StoreError> {
        let stored: Option<JsValue> = tx.object_store(META)?.get(KEY_CHUNK_COUNT).primitive()?.await?;
        match stored.and_then(|v| v.as_f64()) {
            Some(n) => Ok(n as usize),
            None => {
                self.sync_chunk_map_in(tx).await?;
                Ok(self.chunked_count())
            }
        }
    }

    /// Loads the map of chunked profiles (start-up leaves it for later: the list needs only
    /// their count) and records their count for an archive written before it was kept.
    pub async fn warm_chunk_map(&self) -> Result<(), StoreError> {
        // Read-only, so that no write waits for the map to load.
        let tx = self.tx(&[META, CHUNK_IDS], false)?;
        self.sync_chunk_map_in(&tx).await?;
        let stored: Option<JsValue> = tx.object_store(META)?.get(KEY_CHUNK_COUNT).primitive()?.await?;
        drop(tx);
        if stored.is_some() {
            return Ok(());
        }
        // The count, if no chunk was written since the map was read.
        let tx = self.tx(&[META], true)?;
        let meta = tx.object_store(META)?;
        let gen: Option<JsValue> = meta.get(KEY_CHUNK_GEN).primitive()?.await?;
        if gen.and_then(|v| v.as_f64()).unwrap_or(0.0) == self.chunks.borrow().gen {
            meta.put(JsValue::from_f64(self.chunked_count() as f64)).with_key(KEY_CHUNK_COUNT).primitive()?;
        }
        super::archive::commit(tx).await
    }

    /// The JSON of the chunked profiles among `ids`, read inside `tx` (map up to date).
    pub(super) async fn read_chunked_in(
        &self,
        tx: &Transaction<'_>,
        ids: &[&str],
    ) -> Result<HashMap<String, Vec<u8>>, StoreError> {
        let mut by_chunk: HashMap<Rc<str>, HashSet<&str>> = HashMap::new();
        for id in ids {
            if let Some(c) = self.chunk_of(id) {
                by_chunk.entry(c).or_default().insert(id);
            }
        }
        let store = tx.object_store(CHUNKS)?;
        let keys: Vec<Rc<str>> = by_chunk.keys().cloned().collect();
        let read =
            futures::future::join_all(keys.iter().map(|k| store.get(&**k).primitive()).collect::<Result<Vec<_>, _>>()?)
                .await;
        let mut out = HashMap::new();
        for (k, v) in keys.iter().zip(read) {
            let v: Option<JsValue> = v?;
            let Some(bytes) = v.as_ref().and_then(js_to_bytes) else { continue };
            let wanted = &by_chunk[k];
            for (id, json) in chunk::entries(&bytes).map_err(corrupt)? {
                if wanted.contains(id) {
                    out.insert(id.to_string(), json.to_vec());
                }
            }
        }
        Ok(out)
    }

    /// Every chunked profile's JSON, read inside `tx`.
    pub(super) async fn all_chunked_in(tx: &Transaction<'_>) -> Result<Vec<Vec<u8>>, StoreError> {
        let all: Vec<JsValue> = tx.object_store(CHUNKS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for v in &all {
            let Some(bytes) = js_to_bytes(v) else { continue };
            out.extend(chunk::entries(&bytes).map_err(corrupt)?.into_iter().map(|(_, j)| j.to_vec()));
        }
        Ok(out)
    }

    /// Rewrites chunked profiles (id → new JSON) inside their chunks, read and written in `tx`.
    async fn rewrite_chunked_in(&self, tx: &Transaction<'_>, new: HashMap<String, Vec<u8>>) -> Result<(), StoreError> {
        if new.is_empty() {
            return Ok(());
        }
        let mut keys: Vec<Rc<str>> = new.keys().filter_map(|id| self.chunk_of(id)).collect();
        keys.sort();
        keys.dedup();
        let store = tx.object_store(CHUNKS)?;
        let read =
            futures::future::join_all(keys.iter().map(|k| store.get(&**k).primitive()).collect::<Result<Vec<_>, _>>()?)
                .await;
        for (k, v) in keys.iter().zip(read) {
            let v: Option<JsValue> = v?;
            let bytes =
                v.as_ref().and_then(js_to_bytes).ok_or_else(|| StoreError::Corrupt(format!("chunk {k} is missing")))?;
            let bytes = chunk::replace(&bytes, &|id| new.get(id).cloned()).map_err(corrupt)?;
            store.put(bytes_to_js(&bytes)).with_key(&**k).primitive()?;
        }
        Ok(())
    }

    /// Erases the profiles `ids` inside `tx` (map up to date; it covers `profiles`, `chunks`,
    /// `chunk_ids` and `meta`): their own records, and their entries out of their chunks (a chunk
    /// left empty is deleted); the chunk generation moves on so every tab reloads its map.
    pub(super) async fn erase_profiles_in(&self, tx: &Transaction<'_>, ids: &[String]) -> Result<(), StoreError> {
        let profiles = tx.object_store(PROFILES)?;
        let mut by_chunk: HashMap<Rc<str>, HashSet<&str>> = HashMap::new();
        for id in ids {
            profiles.delete(id.as_str()).primitive()?;
            if let Some(c) = self.chunk_of(id) {
                by_chunk.entry(c).or_default().insert(id);
            }
        }
        if by_chunk.is_empty() {
            return Ok(());
        }
        let (store, id_store) = (tx.object_store(CHUNKS)?, tx.object_store(CHUNK_IDS)?);
        let mut gone = 0;
        for (k, erased) in &by_chunk {
            let v: Option<JsValue> = store.get(&**k).primitive()?.await?;
            let Some(bytes) = v.as_ref().and_then(js_to_bytes) else { continue };
            let (left, ids) = chunk::retain(&bytes, &|_, id| !erased.contains(id)).map_err(corrupt)?;
            gone += erased.len();
            if ids.is_empty() {
                store.delete(&**k).primitive()?;
                id_store.delete(&**k).primitive()?;
            } else {
                store.put(bytes_to_js(&left)).with_key(&**k).primitive()?;
                id_store.put(JsValue::from_str(&chunk::ids_text(&ids))).with_key(&**k).primitive()?;
            }
        }
        let meta = tx.object_store(META)?;
        let gen = fresh_gen(self.chunks.borrow().gen);
        meta.put(JsValue::from_f64(gen)).with_key(KEY_CHUNK_GEN).primitive()?;
        let count = self.chunked_count().saturating_sub(gone);
        meta.put(JsValue::from_f64(count as f64)).with_key(KEY_CHUNK_COUNT).primitive()?;
        Ok(())
    }

    /// Of `ids` (to be created), those already stored somewhere, which must not go in a new
    /// chunk (usually none). One read of the keys of `profiles` between the smallest and the
    /// largest id (ids are time-ordered, so this is the few written around the same time), plus
    /// the chunk map.
    pub(super) async fn placed_in(&self, tx: &Transaction<'_>, ids: &[&str]) -> Result<HashSet<String>, StoreError> {
        let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else { return Ok(HashSet::new()) };
        let range = KeyRange::Bound(JsValue::from_str(lo), false, JsValue::from_str(hi), false);
        let here: Vec<JsValue> = tx
            .object_store(PROFILES)?
            .get_all_keys()
            .with_query::<JsValue, _>(range)
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let mut placed: HashSet<String> = here.iter().filter_map(JsValue::as_string).collect();
        placed.extend(
            ids.iter().filter(|id| !chunk::chunkable(id) || self.chunk_of(id).is_some()).map(|id| id.to_string()),
        );
        Ok(placed)
    }

    /// A writer of profiles inside `tx` (which covers `profiles`, `chunks`, `chunk_ids` and
    /// `meta`; the chunk map must be up to date in it).
    pub(super) fn profile_writer<'a>(&'a self, tx: &'a Transaction<'a>) -> ProfileWriter<'a> {
        ProfileWriter {
            archive: self,
            tx,
            builder: Builder::default(),
            chunks: 0,
            chunked: 0,
            written: Vec::new(),
            rewrites: HashMap::new(),
        }
    }
}

/// Writes each profile where it belongs: a chunked one back into its chunk (at
/// [`ProfileWriter::finish`]), a new one allowed in a chunk into the chunk being filled (put when
/// full), any other into its own record in `profiles`.
pub(super) struct ProfileWriter<'a> {
    archive: &'a Archive,
    tx: &'a Transaction<'a>,
    builder: Builder,
    chunks: usize,
    /// Profiles put in new chunks.
    chunked: usize,
    /// The new chunks' keys and ids, for the map in memory.
    written: Vec<(String, String)>,
    rewrites: HashMap<String, Vec<u8>>,
}

impl<'a> ProfileWriter<'a> {
    /// Writes profile `id` as `json`; `may_chunk` when it is stored nowhere yet (see
    /// [`Archive::placed_in`]). Returns the put to wait for, when this write completed a chunk
    /// or went to its own record.
    pub fn write(&mut self, id: &str, json: Vec<u8>, may_chunk: bool) -> Result<Option<Written<'a>>, StoreError> {
        if self.archive.chunk_of(id).is_some() {
            self.rewrites.insert(id.to_string(), json);
            return Ok(None);
        }
        if may_chunk {
            self.builder.push(id, &json);
            return if self.builder.full() { self.flush() } else { Ok(None) };
        }
        let put = self.tx.object_store(PROFILES)?.put(bytes_to_js(&json)).with_key(id).primitive()?;
        Ok(Some(Box::pin(async move {
            put.await?;
            Ok(())
        })))
    }

    /// Puts the chunk being filled, if it holds anything.
    pub fn flush(&mut self) -> Result<Option<Written<'a>>, StoreError> {
        if self.builder.is_empty() {
            return Ok(None);
        }
        let (bytes, ids) = self.builder.take();
        let key = format!("c{}", self.archive.clock.borrow_mut().tick(now_ms() as u64).encode());
        let text = chunk::ids_text(&ids);
        self.tx.object_store(CHUNK_IDS)?.put(JsValue::from_str(&text)).with_key(key.as_str()).primitive()?;
        let put = self.tx.object_store(CHUNKS)?.put(bytes_to_js(&bytes)).with_key(key.as_str()).primitive()?;
        self.chunks += 1;
        self.chunked += ids.len();
        self.written.push((key, text));
        Ok(Some(Box::pin(async move {
            put.await?;
            Ok(())
        })))
    }

    /// Puts the last chunk, moves the chunk generation on when chunks were written (so every other
    /// tab reloads its map) and records the chunked count, and rewrites the chunks of chunked
    /// profiles written.
    pub async fn finish(mut self) -> Result<(), StoreError> {
        self.flush()?;
        if self.chunks > 0 {
            let gen = fresh_gen(self.archive.chunks.borrow().gen);
            let meta = self.tx.object_store(META)?;
            meta.put(JsValue::from_f64(gen)).with_key(KEY_CHUNK_GEN).primitive()?;
            // The map is up to date in this transaction, so its size is the count before it.
            let count = self.archive.chunked_count() + self.chunked;
            meta.put(JsValue::from_f64(count as f64)).with_key(KEY_CHUNK_COUNT).primitive()?;
            // This tab's map takes the new chunks at once: a pull writes chunks on every page, and
            // reading the whole map again for the next page made a new device's pull quadratic.
            // Should the transaction fail, the stored generation is not this one and the next
            // transaction reads the map again.
            let mut map = self.archive.chunks.borrow_mut();
            if map.loaded {
                for (key, ids) in self.written.drain(..) {
                    map.of.add(key.into(), ids);
                }
                map.gen = gen;
            }
        }
        self.archive.rewrite_chunked_in(self.tx, std::mem::take(&mut self.rewrites)).await
    }
}
