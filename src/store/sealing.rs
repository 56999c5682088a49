//! Sealing what is stored in clear (the upgrade to sealed values, and values that arrived in
//! clear while nobody was signed in): every profile, in its own record or in a chunk, and every
//! write of every profile's merge state (its field history), in one transaction. The index
//! journal and the search snapshot hold the numbers too: both are dropped, and the caller
//! rebuilds the snapshot from the sealed profiles.

use super::archive::{commit, Archive};
use super::codec::{bytes_to_js, js_to_bytes};
use super::error::StoreError;
use super::schema::*;
use crate::domain::chunk;
use crate::domain::governance::sealed::SEALED;
use crate::domain::sync::{RecordKey, RecordKind, RecordState};
use indexed_db_futures::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

/// Seals a value at `path` of record `id`; whether it changed it.
pub type SealFn<'a> = &'a dyn Fn(&str, &str, &mut Value) -> bool;

/// Seals the sealed fields of a profile's JSON; whether any changed.
fn seal_json(id: &str, json: &mut Value, seal: SealFn) -> bool {
    let mut changed = false;
    for f in SEALED {
        let pointer = format!("/{}", f.path().replace('.', "/"));
        if let Some(v) = json.pointer_mut(&pointer) {
            changed |= seal(id, f.path(), v);
        }
    }
    changed
}

async fn keys_and_values(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    store: &str,
) -> Result<Vec<(JsValue, JsValue)>, StoreError> {
    let s = tx.object_store(store)?;
    let keys: Vec<JsValue> = s.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
    let values: Vec<JsValue> = s.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
    Ok(keys.into_iter().zip(values).collect())
}

impl Archive {
    /// Seals every value `seal` seals, in one transaction; how many records changed. The search
    /// snapshot and the index journal are dropped (call [`Archive::rebuild_snapshot`] after).
    pub async fn reseal(&self, seal: SealFn<'_>) -> Result<usize, StoreError> {
        let tx = self.tx(&[PROFILES, CHUNKS, RECORDS, INDEX_JOURNAL, META], true)?;
        let mut changed = 0;
        let profiles = tx.object_store(PROFILES)?;
        for (k, v) in keys_and_values(&tx, PROFILES).await? {
            let (Some(id), Some(bytes)) = (k.as_string(), js_to_bytes(&v)) else { continue };
            let mut json: Value = serde_json::from_slice(&bytes)?;
            if seal_json(&id, &mut json, seal) {
                profiles.put(bytes_to_js(&serde_json::to_vec(&json)?)).with_key(id).primitive()?;
                changed += 1;
            }
        }
        let chunks = tx.object_store(CHUNKS)?;
        for (k, v) in keys_and_values(&tx, CHUNKS).await? {
            let Some(bytes) = js_to_bytes(&v) else { continue };
            let bad = |_| StoreError::Corrupt(format!("chunk {k:?} does not read"));
            let mut new: HashMap<String, Vec<u8>> = HashMap::new();
            for (id, json) in chunk::entries(&bytes).map_err(bad)? {
                let mut json: Value = serde_json::from_slice(json)?;
                if seal_json(id, &mut json, seal) {
                    new.insert(id.to_string(), serde_json::to_vec(&json)?);
                }
            }
            if !new.is_empty() {
                changed += new.len();
                let bytes = chunk::replace(&bytes, &|id| new.get(id).cloned()).map_err(bad)?;
                chunks.put(bytes_to_js(&bytes)).with_key(k).primitive()?;
            }
        }
        let records = tx.object_store(RECORDS)?;
        for (k, v) in keys_and_values(&tx, RECORDS).await? {
            let Some(key) = k.as_string().and_then(|k| RecordKey::parse(&k)) else { continue };
            let (RecordKind::Profile, Some(bytes)) = (key.kind, js_to_bytes(&v)) else { continue };
            let mut state: RecordState = serde_json::from_slice(&bytes)?;
            let mut any = false;
            for (path, f) in state.fields.iter_mut() {
                for w in f.writes.iter_mut() {
                    any |= seal(&key.id, path, &mut w.value);
                }
            }
            if any {
                records.put(bytes_to_js(&serde_json::to_vec(&state)?)).with_key(k).primitive()?;
                changed += 1;
            }
        }
        tx.object_store(INDEX_JOURNAL)?.clear()?;
        tx.object_store(META)?.delete(KEY_SNAPSHOT).primitive()?;
        commit(tx).await?;
        Ok(changed)
    }

    /// Every stored value of every store as text (bytes read as UTF-8, anything else as JSON),
    /// with its store: what someone browsing the database in the developer tools finds. For the
    /// tests that check no sensitive value is stored in clear.
    pub async fn raw_text(&self) -> Result<Vec<(String, String)>, StoreError> {
        let names: Vec<String> = self.db.object_store_names().collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tx = self.tx(&refs, false)?;
        let mut out = Vec::new();
        for name in &names {
            for (k, v) in keys_and_values(&tx, name).await? {
                let text = match js_to_bytes(&v) {
                    Some(b) => String::from_utf8_lossy(&b).into_owned(),
                    // An object (a history item, a history chunk with its bytes under `data`).
                    None => {
                        let data = js_sys::Reflect::get(&v, &"data".into()).ok().and_then(|d| js_to_bytes(&d));
                        let json = js_sys::JSON::stringify(&v).map(String::from).unwrap_or_default();
                        json + &data.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
                    }
                };
                let key =
                    k.as_string().unwrap_or_else(|| js_sys::JSON::stringify(&k).map(String::from).unwrap_or_default());
                out.push((name.clone(), format!("{key} {text}")));
            }
        }
        Ok(out)
    }
}
