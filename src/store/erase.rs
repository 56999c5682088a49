//! Erasing destroyed profiles (issue 18): a profile, its history items, ledger entries and
//! documents (with their files) go from
//! wherever they are stored (own records or chunks), with their merge states (field history,
//! kept conflicts), their unsent changes in the outbox and their search-journal entries, in one
//! transaction. The access log's events stay (they name a profile by id; the log shows the
//! register number instead).

use super::archive::{commit, Archive};
use super::codec::{bytes_to_js, js_to_bytes};
use super::error::StoreError;
use super::schema::*;
use crate::domain::documents::Document;
use crate::domain::ledger::Entry;
use crate::domain::model::HistoryItem;
use crate::domain::sync::{Hlc, RecordKey, RecordKind};
use indexed_db_futures::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsValue;

const ERASE_STORES: [&str; 15] = [
    PROFILES,
    CHUNKS,
    CHUNK_IDS,
    META,
    HISTORY,
    HISTORY_CHUNKS,
    LEDGER,
    LEDGER_CHUNKS,
    DOCUMENTS,
    DOCUMENT_CHUNKS,
    BLOBS,
    BLOB_QUEUE,
    RECORDS,
    OUTBOX,
    INDEX_JOURNAL,
];

impl Archive {
    /// What destroying `profiles` would erase: every record's key and stored JSON (the check
    /// before a destruction counts them and digests them).
    pub async fn records_of(&self, profiles: &[String]) -> Result<Vec<(RecordKey, Vec<u8>)>, StoreError> {
        let mut out = Vec::new();
        for pid in profiles {
            if let Some(p) = self.get_profile(pid).await? {
                out.push((RecordKey { kind: RecordKind::Profile, id: pid.clone() }, serde_json::to_vec(&p)?));
            }
            for h in self.owned_of::<HistoryItem>(HISTORY_TABLE, pid).await? {
                out.push((RecordKey { kind: RecordKind::History, id: h.id.clone() }, serde_json::to_vec(&h)?));
            }
            for e in self.owned_of::<Entry>(LEDGER_TABLE, pid).await? {
                out.push((RecordKey { kind: RecordKind::Ledger, id: e.id.clone() }, serde_json::to_vec(&e)?));
            }
            for d in self.owned_of::<Document>(DOCUMENT_TABLE, pid).await? {
                out.push((RecordKey::document(&d.id), serde_json::to_vec(&d)?));
            }
        }
        Ok(out)
    }

    /// The files of `profiles`' documents that no other profile's document holds: (hash, name
    /// at the endpoint). A destruction erases them here and at the endpoint.
    pub async fn files_only_of(&self, profiles: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        let pids: HashSet<&str> = profiles.iter().map(String::as_str).collect();
        let docs = self.all_documents().await?;
        let kept: HashSet<&str> =
            docs.iter().filter(|d| !pids.contains(d.profile_id.as_str())).map(|d| d.hash.as_str()).collect();
        let mut out: Vec<(String, String)> = docs
            .iter()
            .filter(|d| pids.contains(d.profile_id.as_str()) && !kept.contains(d.hash.as_str()))
            .map(|d| (d.hash.clone(), d.blob_name().to_string()))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Erases `profiles` and everything they hold (their documents' files too, unless another
    /// profile's document holds the same file), in one transaction; the keys of the records
    /// erased (profiles first).
    pub async fn erase(&self, profiles: &[String]) -> Result<Vec<RecordKey>, StoreError> {
        let files = self.files_only_of(profiles).await?;
        let tx = self.tx(&ERASE_STORES, true)?;
        for (hash, _) in &files {
            tx.object_store(BLOBS)?.delete(hash.as_str()).primitive()?;
            tx.object_store(BLOB_QUEUE)?.delete(hash.as_str()).primitive()?;
        }
        self.sync_chunk_map_in(&tx).await?;
        self.erase_profiles_in(&tx, profiles).await?;
        let pids: HashSet<&str> = profiles.iter().map(String::as_str).collect();
        let mut keys: Vec<RecordKey> =
            profiles.iter().map(|id| RecordKey { kind: RecordKind::Profile, id: id.clone() }).collect();
        for t in TABLES {
            let ids = Self::erase_owned_in(&tx, t, &pids).await?;
            keys.extend(ids.into_iter().map(|id| RecordKey { kind: t.kind, id }));
        }
        let records = tx.object_store(RECORDS)?;
        let journal = tx.object_store(INDEX_JOURNAL)?;
        for k in &keys {
            records.delete(k.text().as_str()).primitive()?;
            if k.kind == RecordKind::Profile {
                journal.delete(k.id.as_str()).primitive()?;
            }
        }
        // Unsent changes of erased records: nothing is left to send.
        let gone: HashSet<&RecordKey> = keys.iter().collect();
        let outbox = tx.object_store(OUTBOX)?;
        let out_keys: Vec<JsValue> = outbox.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        for k in out_keys.iter().filter_map(JsValue::as_string) {
            let v: Option<JsValue> = outbox.get(k.as_str()).primitive()?.await?;
            let Some(bytes) = v.as_ref().and_then(js_to_bytes) else { continue };
            let refs: Vec<(RecordKey, Hlc)> = serde_json::from_slice(&bytes)?;
            if !refs.iter().any(|(r, _)| gone.contains(r)) {
                continue;
            }
            let kept: Vec<&(RecordKey, Hlc)> = refs.iter().filter(|(r, _)| !gone.contains(r)).collect();
            if kept.is_empty() {
                outbox.delete(k.as_str()).primitive()?;
            } else {
                outbox.put(bytes_to_js(&serde_json::to_vec(&kept)?)).with_key(k.as_str()).primitive()?;
            }
        }
        commit(tx).await?;
        Ok(keys)
    }
}
