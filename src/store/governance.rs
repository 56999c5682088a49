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
use crate::domain::sync::{Hlc, RecordKey, RecordKind};
use crate::platform::clock::now_ms;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

/// Key in `meta` of this device's last event (its JSON).
const KEY_LOG_HEAD: &str = "log_head";
/// Local value (see [`Archive::local_value`]) of what this device has seen of every chain.
const KEY_LOG_WITNESS: &str = "log_witness";
/// Key in `meta` of the last event number stored of every device's chain (JSON map), kept by
/// every write of events once it exists; built from the keys when first wanted.
const KEY_LOG_HEADS: &str = "log_heads";

/// The last event number stored of each device's chain.
type Heads = std::collections::BTreeMap<String, u64>;

/// The device and number of an event's record id (`<device>.<seq>`).
pub(super) fn event_head(id: &str) -> Option<(&str, u64)> {
    let (device, seq) = id.rsplit_once('.')?;
    Some((device, seq.parse().ok()?))
}

/// Raises each chain's head to the numbers stored.
fn raise<'a>(heads: &mut Heads, stored: impl IntoIterator<Item = (&'a str, u64)>) {
    for (device, seq) in stored {
        let h = heads.entry(device.to_string()).or_default();
        *h = (*h).max(seq);
    }
}

/// Notes events stored inside `tx` (which covers `meta`) in the heads, when they are kept.
pub(super) async fn note_heads_in<'a>(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    stored: impl IntoIterator<Item = (&'a str, u64)>,
) -> Result<(), StoreError> {
    let mut stored = stored.into_iter().peekable();
    if stored.peek().is_none() {
        return Ok(());
    }
    let meta = tx.object_store(META)?;
    let v: Option<JsValue> = meta.get(KEY_LOG_HEADS).primitive()?.await?;
    let Some(mut heads) = v.as_ref().map(|v| json_from_js::<Heads>(v, "the log's heads")).transpose()? else {
        return Ok(());
    };
    raise(&mut heads, stored);
    meta.put(bytes_to_js(&serde_json::to_vec(&heads)?)).with_key(KEY_LOG_HEADS).primitive()?;
    Ok(())
}

impl Archive {
    /// Saves a signed governance record with its change (`staff`: who is recorded on it).
    pub async fn put_governance(&self, kind: RecordKind, stored: &Stored, staff: &str) -> Result<(), StoreError> {
        let value = super::codec::to_value(stored)?;
        self.save_record(RecordKey { kind, id: stored.id.clone() }, &value, staff, None).await.map(|_| ())
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
        note_heads_in(&tx, [(event.device.as_str(), event.seq)]).await?;
        self.put_outbox(&tx, &[(RecordKey { kind: RecordKind::Event, id: event.record_id() }, hlc)])?;
        commit(tx).await?;
        Ok(event)
    }

    /// Stores events made on other devices as sync would (a benchmark's or a test's log).
    pub async fn put_events(&self, events: &[Event]) -> Result<(), StoreError> {
        let tx = self.tx(&[EVENTS, META], true)?;
        let store = tx.object_store(EVENTS)?;
        note_heads_in(&tx, events.iter().map(|e| (e.device.as_str(), e.seq))).await?;
        for e in events {
            let mut value = super::codec::to_value(e)?;
            let hlc = Hlc { millis: e.at as u64, counter: 0, device: e.device.clone() };
            stamp_created(&mut value, &hlc, &e.entry.staff_name);
            store.put(bytes_to_js(&serde_json::to_vec(&value)?)).with_key(e.record_id()).primitive()?;
        }
        commit(tx).await
    }

    /// Every event of every device.
    pub async fn events(&self) -> Result<Vec<Event>, StoreError> {
        let tx = self.tx(&[EVENTS], false)?;
        let values: Vec<JsValue> = tx.object_store(EVENTS)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        values.iter().map(|v| json_from_js(v, "an event")).collect()
    }

    /// The newest `n` events of every device's chain (by their numbers), for a first look at a
    /// long log: the heads, then one read of each chain's tail.
    pub async fn newest_events(&self, n: usize) -> Result<Vec<Event>, StoreError> {
        let heads = self.log_heads().await?;
        let tx = self.tx(&[EVENTS], false)?;
        let store = tx.object_store(EVENTS)?;
        let mut out = Vec::new();
        for (device, last) in heads {
            let first = last.saturating_sub(n.max(1) as u64 - 1).max(1);
            let range = KeyRange::Bound(
                JsValue::from_str(&Event::id(&device, first)),
                false,
                JsValue::from_str(&Event::id(&device, last)),
                false,
            );
            let values: Vec<JsValue> =
                store.get_all().with_query::<JsValue, _>(range).primitive()?.await?.collect::<Result<_, _>>()?;
            for v in &values {
                out.push(json_from_js(v, "an event")?);
            }
        }
        Ok(out)
    }

    /// The heads, built from the events' keys the first time (an archive from before them).
    async fn log_heads(&self) -> Result<Heads, StoreError> {
        // Read without a write transaction when they exist (the profile page asks on each visit).
        let read = self.tx(&[META], false)?;
        let v: Option<JsValue> = read.object_store(META)?.get(KEY_LOG_HEADS).primitive()?.await?;
        if let Some(v) = v {
            return json_from_js(&v, "the log's heads");
        }
        let tx = self.tx(&[EVENTS, META], true)?;
        let meta = tx.object_store(META)?;
        let keys: Vec<JsValue> =
            tx.object_store(EVENTS)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let keys: Vec<String> = keys.iter().filter_map(JsValue::as_string).collect();
        let mut heads = Heads::new();
        raise(&mut heads, keys.iter().filter_map(|k| event_head(k)));
        meta.put(bytes_to_js(&serde_json::to_vec(&heads)?)).with_key(KEY_LOG_HEADS).primitive()?;
        commit(tx).await?;
        Ok(heads)
    }

    /// Up to `n` events after record key `after` (from the first when None), in key order: the
    /// whole log read a slice at a time.
    pub async fn events_after(&self, after: Option<&str>, n: u32) -> Result<Vec<Event>, StoreError> {
        let tx = self.tx(&[EVENTS], false)?;
        let store = tx.object_store(EVENTS)?;
        let values: Vec<JsValue> = match after {
            Some(k) => store
                .get_all()
                .with_query::<JsValue, _>(KeyRange::LowerBound(JsValue::from_str(k), true))
                .with_limit(n)
                .primitive()?
                .await?
                .collect::<Result<_, _>>()?,
            None => store.get_all().with_limit(n).primitive()?.await?.collect::<Result<_, _>>()?,
        };
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
