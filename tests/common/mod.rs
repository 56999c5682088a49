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
