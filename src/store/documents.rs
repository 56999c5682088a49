//! Documents and photos (issue 19): descriptions are owned records of the profile (a [`Table`]
//! like history items: they sync, merge and are erased with it); files are in `blobs`, keyed by
//! the SHA-256 of the original, so a file attached twice is stored once. A file attached here
//! waits in `blob_queue` until the endpoint has it. A description and its file are stored in one
//! transaction: a full disk leaves neither.

use super::archive::{commit, Archive};
use super::codec::{bytes_to_js, js_to_bytes, to_value};
use super::error::StoreError;
use super::schema::*;
use crate::domain::documents::Document;
use crate::domain::sync::RecordKey;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wasm_bindgen::JsValue;

/// A file stored with its description: the hash it is stored under, its bytes, the document
/// holding it (queued for the endpoint under that document).
pub(super) struct NewFile<'a> {
    pub hash: &'a str,
    pub bytes: &'a [u8],
    pub doc: &'a str,
}

impl NewFile<'_> {
    /// Stores the file and queues it, inside `tx` (which covers `blobs` and `blob_queue`).
    pub(super) fn put_in(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        tx.object_store(BLOBS)?.put(bytes_to_js(self.bytes)).with_key(self.hash).primitive()?;
        tx.object_store(BLOB_QUEUE)?.put(JsValue::from_str(self.doc)).with_key(self.hash).primitive()?;
        Ok(())
    }
}

/// How much room documents take on this device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentUsage {
    /// Live documents in the archive.
    pub documents: usize,
    /// Their originals kept here, and their bytes.
    pub files_here: usize,
    pub bytes_here: u64,
    /// Files attached here the endpoint does not have yet.
    pub waiting: usize,
}

impl Archive {
    /// Saves a document's description with its change; with `file`, its original (stored and
    /// queued for the endpoint) in the same transaction.
    pub async fn put_document(&self, d: &Document, file: Option<&[u8]>) -> Result<(), StoreError> {
        let file = file.map(|bytes| NewFile { hash: &d.hash, bytes, doc: &d.id });
        self.save_record(RecordKey::document(&d.id), &to_value(d)?, &d.meta.updated_by, file).await.map(|_| ())
    }

    /// Saves the fields `keys` of a stored document from `d` (the others as stored now).
    pub async fn patch_document(&self, d: &Document, keys: &[&str]) -> Result<(), StoreError> {
        self.patch_record(RecordKey::document(&d.id), &to_value(d)?, keys, &d.meta.updated_by).await.map(|_| ())
    }

    /// A profile's documents (deleted ones included), newest first.
    pub async fn documents_of(&self, profile_id: &str) -> Result<Vec<Document>, StoreError> {
        let mut docs: Vec<Document> = self.owned_of(DOCUMENT_TABLE, profile_id).await?;
        docs.sort_by_key(|d| std::cmp::Reverse((d.date, d.meta.created_at)));
        Ok(docs)
    }

    /// Every document of the archive (reminders, usage, the files a destruction takes).
    pub async fn all_documents(&self) -> Result<Vec<Document>, StoreError> {
        let tx = self.tx(&[DOCUMENTS, DOCUMENT_CHUNKS], false)?;
        Self::all_owned_in(&tx, DOCUMENT_TABLE).await
    }

    /// A file's bytes, if this device has them.
    pub async fn blob(&self, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.tx(&[BLOBS], false)?;
        let v: Option<JsValue> = tx.object_store(BLOBS)?.get(hash).primitive()?.await?;
        Ok(v.as_ref().and_then(js_to_bytes))
    }

    /// Whether this device has a file.
    pub async fn has_blob(&self, hash: &str) -> Result<bool, StoreError> {
        let tx = self.tx(&[BLOBS], false)?;
        Ok(tx.object_store(BLOBS)?.count().with_query(hash).primitive()?.await? > 0)
    }

    /// Keeps a file fetched from the endpoint (checked against its hash by the caller).
    pub async fn keep_blob(&self, hash: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let tx = self.tx(&[BLOBS], true)?;
        tx.object_store(BLOBS)?.put(bytes_to_js(bytes)).with_key(hash).primitive()?;
        commit(tx).await
    }

    /// Keeps a file restored from a backup for document `doc` (checked against its hash by the
    /// caller) and queues it for the endpoint, unless this device has it already; whether it
    /// was added.
    pub async fn restore_blob(&self, hash: &str, bytes: &[u8], doc: &str) -> Result<bool, StoreError> {
        let tx = self.tx(&[BLOBS, BLOB_QUEUE], true)?;
        if tx.object_store(BLOBS)?.count().with_query(hash).primitive()?.await? > 0 {
            return Ok(false);
        }
        NewFile { hash, bytes, doc }.put_in(&tx)?;
        commit(tx).await.map(|()| true)
    }

    /// Files waiting for the endpoint: (hash, a document holding it), oldest hash first.
    pub async fn queued_blobs(&self) -> Result<Vec<(String, String)>, StoreError> {
        let tx = self.tx(&[BLOB_QUEUE], false)?;
        let store = tx.object_store(BLOB_QUEUE)?;
        let keys: Vec<JsValue> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = store.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        Ok(keys.iter().zip(&values).filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?))).collect())
    }

    /// How many files wait for the endpoint.
    pub async fn queued_count(&self) -> Result<usize, StoreError> {
        let tx = self.tx(&[BLOB_QUEUE], false)?;
        Ok(tx.object_store(BLOB_QUEUE)?.count().primitive()?.await? as usize)
    }

    /// The endpoint has the file `hash`: it waits no more.
    pub async fn unqueue_blob(&self, hash: &str) -> Result<(), StoreError> {
        let tx = self.tx(&[BLOB_QUEUE], true)?;
        tx.object_store(BLOB_QUEUE)?.delete(hash).primitive()?;
        commit(tx).await
    }

    /// How much room documents take here.
    pub async fn document_usage(&self) -> Result<DocumentUsage, StoreError> {
        let docs = self.all_documents().await?;
        let tx = self.tx(&[BLOBS, BLOB_QUEUE], false)?;
        let here: Vec<JsValue> =
            tx.object_store(BLOBS)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let waiting = tx.object_store(BLOB_QUEUE)?.count().primitive()?.await? as usize;
        let here: std::collections::HashSet<String> = here.iter().filter_map(JsValue::as_string).collect();
        let mut sizes = std::collections::HashMap::new();
        for d in &docs {
            if here.contains(&d.hash) {
                sizes.insert(d.hash.as_str(), d.size);
            }
        }
        Ok(DocumentUsage {
            documents: docs.iter().filter(|d| d.is_live()).count(),
            files_here: sizes.len(),
            bytes_here: sizes.values().sum(),
            waiting,
        })
    }
}

impl Archive {
    /// One document's description by its id.
    pub async fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        self.owned(DOCUMENT_TABLE, id).await
    }
}
