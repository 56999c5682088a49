//! Governance records and the access log in storage. Signed records (staff, the archive's
//! governance, requests, decisions) live in `gov` keyed by their record key's text; they are
//! saved through the change log like any record, so they sync, back up and restore. Access-log
//! events live in `events`: each appended in one transaction that reads this device's last
//! event, chains the new one to it and queues it for sync, so two tabs never write the same
//! number.

use super::archive::{commit, Archive};
use super::codec::{bytes_to_js, json_from_js};
use super::error::StoreError;
use super::schema::*;
use crate::domain::governance::chain::{Entry, Event, Witness};
use crate::domain::governance::signed::Stored;
use crate::domain::sync::records::stamp_created;
use crate::domain::sync::{RecordKey, RecordKind};
use crate::platform::clock::now_ms;
use indexed_db_futures::prelude::*;
use wasm_bindgen::JsValue;

/// Key in `meta` of this device's last event (its JSON).
const KEY_LOG_HEAD: &str = "log_head";
/// Local value (see [`Archive::local_value`]) of what this device has seen of every chain.
const KEY_LOG_WITNESS: &str = "log_witness";

impl Archive {
    /// Saves a signed governance record with its change (`staff`: who is recorded on it).
    pub async fn put_governance(&self, kind: RecordKind, stored: &Stored, staff: &str) -> Result<(), StoreError> {
        let value = super::codec::to_value(stored)?;
        self.save_record(RecordKey { kind, id: stored.id.clone() }, &value, staff).await.map(|_| ())
    }

    /// Every governance record, with its kind, as stored (one read of the store).
    pub async fn governance_all(&self) -> Result<Vec<(RecordKind, Stored)>, StoreError> {
        let tx = self.tx(&[GOV], false)?;
        let store = tx.object_store(GOV)?;
        let keys: Vec<JsValue> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = store.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(values.len());
        for (k, v) in keys.iter().zip(&values) {
            let Some(key) = k.as_string().and_then(|k| RecordKey::parse(&k)) else { continue };
            out.push((key.kind, json_from_js(v, "a governance record")?));
        }
        Ok(out)
    }

    /// One governance record, as stored.
    pub async fn governance_one(&self, key: &RecordKey) -> Result<Option<Stored>, StoreError> {
        let tx = self.tx(&[GOV], false)?;
        let v: Option<JsValue> = tx.object_store(GOV)?.get(key.text()).primitive()?.await?;
        v.as_ref().map(|v| json_from_js(v, "a governance record")).transpose()
    }

    /// Every governance record of a kind, as stored.
    pub async fn governance(&self, kind: RecordKind) -> Result<Vec<Stored>, StoreError> {
        Ok(self.governance_all().await?.into_iter().filter(|(k, _)| *k == kind).map(|(_, s)| s).collect())
    }

    /// Appends an event to this device's chain and queues it for sync, in one transaction.
    pub async fn append_event(&self, at: i64, entry: Entry) -> Result<Event, StoreError> {
        let tx = self.tx(&[EVENTS, META, OUTBOX], true)?;
        let meta = tx.object_store(META)?;
        let head: Option<JsValue> = meta.get(KEY_LOG_HEAD).primitive()?.await?;
        let last: Option<Event> = head.as_ref().map(|h| json_from_js(h, "the last event")).transpose()?;
        let event = Event::next(&self.device(), last.as_ref(), at, entry);
        let hlc = self.clock.borrow_mut().tick(now_ms() as u64);
        // Written once, never changed: stored as a record holding only its creation.
        let mut value = super::codec::to_value(&event)?;
        stamp_created(&mut value, &hlc, &event.entry.staff_name);
        tx.object_store(EVENTS)?
            .put(bytes_to_js(&serde_json::to_vec(&value)?))
            .with_key(event.record_id())
            .primitive()?;
        meta.put(bytes_to_js(&serde_json::to_vec(&event)?)).with_key(KEY_LOG_HEAD).primitive()?;
        self.put_outbox(&tx, &[(RecordKey { kind: RecordKind::Event, id: event.record_id() }, hlc)])?;
        commit(tx).await?;
        Ok(event)
    }

    /// Every event of every device.
    pub async fn events(&self) -> Result<Vec<Event>, StoreError> {
        let tx = self.tx(&[EVENTS], false)?;
        let values: Vec<JsValue> = tx.object_store(EVENTS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        values.iter().map(|v| json_from_js(v, "an event")).collect()
    }

    /// What this device has seen of every chain.
    pub async fn witness(&self) -> Result<Witness, StoreError> {
        Ok(self.local_value(KEY_LOG_WITNESS).await?.unwrap_or_default())
    }

    /// Remembers what this device has seen (after a verification found the log whole).
    pub async fn set_witness(&self, w: &Witness) -> Result<(), StoreError> {
        self.set_local_value(KEY_LOG_WITNESS, w).await
    }

    /// A small value of this device kept in `meta` as JSON (a name's wrong PIN count).
    pub async fn local_value<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self.tx(&[META], false)?;
        let v: Option<JsValue> = tx.object_store(META)?.get(format!("local.{key}")).primitive()?.await?;
        v.as_ref().map(|v| json_from_js(v, key)).transpose()
    }

    /// Keeps a small value of this device (never synced, never in a backup).
    pub async fn set_local_value<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let tx = self.tx(&[META], true)?;
        tx.object_store(META)?
            .put(bytes_to_js(&serde_json::to_vec(value)?))
            .with_key(format!("local.{key}"))
            .primitive()?;
        commit(tx).await
    }
}
