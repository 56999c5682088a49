//! Helpers shared by the wasm test files (each `mod common;`).
#![cfg(target_arch = "wasm32")]

/// Records in an object store of the database `db`, counted by IndexedDB itself.
pub async fn raw_count(db: &str, store: &str) -> u32 {
    use indexed_db_futures::prelude::*;
    let raw = indexed_db_futures::database::Database::open(db).await.unwrap();
    let tx = raw.transaction(store).build().unwrap();
    let n = tx.object_store(store).unwrap().count().primitive().unwrap().await.unwrap();
    drop(tx);
    raw.close();
    n
}

/// Every byte an object store of the database `db` holds in its values (byte arrays as they are,
/// other values as JSON, objects field by field): what a test searches for a name that must be
/// gone.
#[allow(dead_code)] // used by store.rs only
pub async fn raw_bytes(db: &str, store: &str) -> Vec<u8> {
    use indexed_db_futures::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    fn bytes_of(v: &JsValue, out: &mut Vec<u8>) {
        if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
            out.extend(a.to_vec());
        } else if let Some(arr) = v.dyn_ref::<js_sys::Array>() {
            arr.iter().for_each(|x| bytes_of(&x, out));
        } else if v.is_object() {
            js_sys::Object::values(v.unchecked_ref()).iter().for_each(|x| bytes_of(&x, out));
        } else if let Some(s) = v.as_string() {
            out.extend(s.into_bytes());
        }
    }
    let raw = indexed_db_futures::database::Database::open(db).await.unwrap();
    let tx = raw.transaction(store).build().unwrap();
    let all: Vec<JsValue> = tx
        .object_store(store)
        .unwrap()
        .get_all()
        .primitive()
        .unwrap()
        .await
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(tx);
    raw.close();
    let mut out = Vec::new();
    all.iter().for_each(|v| bytes_of(v, &mut out));
    out
}
