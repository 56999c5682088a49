//! The whole archive read a slice at a time (the manager's views): chunked profiles, profiles of
//! their own, chunked history items, history items of their own (or every ledger entry), each slice in a read
//! transaction of its own, so the caller can parse it and let the page paint before the next.

use super::archive::Archive;
use super::codec::{history_from_js, js_to_bytes, owned_from_js, profile_from_js};
use super::error::StoreError;
use super::schema::*;
use crate::domain::chunk;
use crate::domain::ledger::Entry;
use crate::domain::model::{HistoryItem, Profile};
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wasm_bindgen::JsValue;

/// Where a reading of the whole archive stands.
#[derive(Clone, Debug)]
pub struct Reading {
    stages: &'static [(&'static str, u32)],
    stage: usize,
    after: Option<JsValue>,
}

impl Default for Reading {
    /// Profiles and history (the manager's views).
    fn default() -> Reading {
        Reading { stages: &STAGES, stage: 0, after: None }
    }
}

impl Reading {
    /// Every profile, without history.
    pub fn profiles() -> Reading {
        Reading { stages: &STAGES[..2], stage: 0, after: None }
    }

    /// Every ledger entry (receivables, aging, stock).
    pub fn ledger() -> Reading {
        Reading { stages: &LEDGER_STAGES, stage: 0, after: None }
    }
}

/// A slice of the archive.
pub enum Slice {
    Profiles(Vec<Profile>),
    History(Vec<HistoryItem>),
    Ledger(Vec<Entry>),
}

/// The stores in reading order, and how many values a slice takes of each (a chunk holds many).
const STAGES: [(&str, u32); 4] = [(CHUNKS, 4), (PROFILES, 2_000), (HISTORY_CHUNKS, 4), (HISTORY, 4_000)];
const LEDGER_STAGES: [(&str, u32); 2] = [(LEDGER_CHUNKS, 4), (LEDGER, 4_000)];

impl Archive {
    /// The next slice of the archive, `None` once everything was read.
    pub async fn read_slice(&self, at: &mut Reading) -> Result<Option<Slice>, StoreError> {
        while let Some((store, n)) = at.stages.get(at.stage).copied() {
            let tx = self.tx(&[store], false)?;
            let s = tx.object_store(store)?;
            let range = at.after.clone().map(|k| KeyRange::LowerBound(k, true));
            let (keys, values) = match range {
                Some(r) => {
                    let keys = s.get_all_keys().with_query::<JsValue, _>(r.clone()).with_limit(n).primitive()?;
                    let values = s.get_all().with_query::<JsValue, _>(r).with_limit(n).primitive()?;
                    futures::join!(keys, values)
                }
                None => {
                    futures::join!(s.get_all_keys().with_limit(n).primitive()?, s.get_all().with_limit(n).primitive()?)
                }
            };
            let keys: Vec<JsValue> = keys?.collect::<Result<_, _>>()?;
            let values: Vec<JsValue> = values?.collect::<Result<_, _>>()?;
            let Some(last) = keys.last().cloned() else {
                at.stage += 1;
                at.after = None;
                continue;
            };
            at.after = Some(last);
            return Ok(Some(match store {
                CHUNKS => {
                    let mut out = Vec::new();
                    for v in &values {
                        let bytes = js_to_bytes(v).ok_or_else(|| StoreError::Corrupt("a chunk of profiles".into()))?;
                        for (_, json) in chunk::entries(&bytes)
                            .map_err(|_| StoreError::Corrupt("a chunk of profiles is damaged".into()))?
                        {
                            out.push(serde_json::from_slice(json)?);
                        }
                    }
                    Slice::Profiles(out)
                }
                PROFILES => Slice::Profiles(values.iter().map(profile_from_js).collect::<Result<_, _>>()?),
                HISTORY_CHUNKS => {
                    let mut out = Vec::new();
                    for v in &values {
                        out.extend(Self::chunk_items(v)?);
                    }
                    Slice::History(out)
                }
                LEDGER_CHUNKS => {
                    let mut out = Vec::new();
                    for v in &values {
                        out.extend(Self::chunk_items(v)?);
                    }
                    Slice::Ledger(out)
                }
                LEDGER => Slice::Ledger(values.iter().map(owned_from_js).collect::<Result<_, _>>()?),
                _ => Slice::History(values.iter().map(history_from_js).collect::<Result<_, _>>()?),
            }));
        }
        Ok(None)
    }
}
