//! How records are stored: a profile as its JSON bytes (one `Uint8Array`), a history item as an
//! object with its index field beside its JSON, bytes in and out of JavaScript, and a record as a
//! JSON value for merging. The one place storage formats are written.

use super::error::StoreError;
use crate::domain::ledger::Entry;
use crate::domain::model::{HistoryItem, Profile};
use crate::domain::sync::RecordKind;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// The stored value of a profile: its JSON as bytes. A `Uint8Array` crosses into JavaScript as one
/// copy and IndexedDB clones it as one block; no JavaScript object is built field by field.
pub fn profile_to_js(p: &Profile) -> Result<JsValue, StoreError> {
    Ok(bytes_to_js(&serde_json::to_vec(p)?))
}

pub(super) fn profile_from_js(v: &JsValue) -> Result<Profile, StoreError> {
    let bytes = js_to_bytes(v).ok_or_else(|| StoreError::Corrupt("profile is not bytes".into()))?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// A record that belongs to a profile and is stored like its history (history items, ledger
/// entries): the index fields beside its JSON body.
pub trait Owned: Serialize + serde::de::DeserializeOwned {
    fn id(&self) -> &str;
    fn profile_id(&self) -> &str;
    fn date(&self) -> crate::domain::Date;
}

/// Both owned kinds carry their index fields under the same names.
macro_rules! owned {
    ($($t:ty),+) => {$(
        impl Owned for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn profile_id(&self) -> &str {
                &self.profile_id
            }
            fn date(&self) -> crate::domain::Date {
                self.date
            }
        }
    )+};
}
owned!(HistoryItem, Entry, crate::domain::documents::Document);

/// What an owned record looks like in its store: the index field beside the JSON body.
#[derive(Serialize)]
struct OwnedRecord<'a> {
    id: &'a str,
    profile_id: &'a str,
    date: String,
    body: String,
}

pub(super) fn owned_to_js<T: Owned>(h: &T) -> Result<JsValue, StoreError> {
    let record = OwnedRecord {
        id: h.id(),
        profile_id: h.profile_id(),
        date: h.date().to_string(),
        body: serde_json::to_string(h)?,
    };
    js_sys::JSON::parse(&serde_json::to_string(&record)?).map_err(|e| StoreError::Corrupt(format!("{e:?}")))
}

pub(super) fn owned_from_js<T: Owned>(v: &JsValue) -> Result<T, StoreError> {
    Ok(serde_json::from_slice(owned_body(v)?.as_bytes())?)
}

/// The JSON body of an owned record as stored.
pub(super) fn owned_body(v: &JsValue) -> Result<String, StoreError> {
    js_sys::Reflect::get(v, &JsValue::from_str("body"))
        .ok()
        .and_then(|b| b.as_string())
        .ok_or_else(|| StoreError::Corrupt("history record without body".into()))
}

pub(super) fn history_from_js(v: &JsValue) -> Result<HistoryItem, StoreError> {
    owned_from_js(v)
}

pub(super) fn bytes_to_js(b: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(b).into()
}

/// A snapshot's pieces as one array for storage, copied piece by piece from the page's memory.
pub(super) fn encoded_to_js(e: &crate::domain::snapshot::Encoded) -> JsValue {
    let out = js_sys::Uint8Array::new_with_length(e.len() as u32);
    let mut at = 0u32;
    for p in &e.parts {
        out.subarray(at, at + p.len() as u32).copy_from(p);
        at += p.len() as u32;
    }
    out.into()
}

pub(super) fn js_to_bytes(v: &JsValue) -> Option<Vec<u8>> {
    v.dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec)
}

/// A record as a JSON value. Through text rather than `serde_json::to_value`: the records'
/// text (de)serialisers exist anyway, and value-based ones would add their code to the wasm again.
pub(super) fn to_value<T: serde::Serialize>(v: &T) -> Result<Value, StoreError> {
    Ok(serde_json::from_slice(&serde_json::to_vec(v)?)?)
}

/// The inverse of [`to_value`]. Directly: it runs for every record a pull merges.
pub(super) fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, StoreError> {
    Ok(serde_json::from_value(v)?)
}

/// A value stored as JSON bytes (governance records, events, small values in `meta`), read as `T`;
/// `what` names it if it is not bytes.
pub(super) fn json_from_js<T: serde::de::DeserializeOwned>(v: &JsValue, what: &str) -> Result<T, StoreError> {
    let bytes = js_to_bytes(v).ok_or_else(|| StoreError::Corrupt(format!("{what} is not bytes")))?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// A record's stored JSON.
pub(super) fn record_json(kind: RecordKind, v: &JsValue) -> Result<Value, StoreError> {
    match kind {
        RecordKind::Profile => to_value(&profile_from_js(v)?),
        RecordKind::History => to_value(&history_from_js(v)?),
        RecordKind::Ledger => to_value(&owned_from_js::<Entry>(v)?),
        RecordKind::Document => to_value(&owned_from_js::<crate::domain::documents::Document>(v)?),
        _ => json_from_js(v, "a record"),
    }
}
