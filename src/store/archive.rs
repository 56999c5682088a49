//! The archive's handle and what every part of the storage layer shares: the open database, the
//! sync clock, the map of chunked profiles, and committing a transaction with its real error.
//! `idb.rs`, `chunks.rs`, `log.rs` and `transfer.rs` each add methods to [`Archive`] and import
//! only this module of one another's (no cycles).

use super::error::StoreError;
use crate::domain::chunk::ChunkIndex;
use crate::domain::search::SearchIndex;
use indexed_db_futures::database::Database;
use indexed_db_futures::transaction::Transaction;
use wasm_bindgen::JsCast;

/// Lends the caller's search index for a moment (it lives in a UI store that cannot be borrowed
/// across an `await`).
pub type IndexAccess<'a> = &'a dyn Fn(&mut dyn FnMut(&SearchIndex));

/// Commits a transaction. When it aborts, the reason is the transaction's own error (for example
/// `QuotaExceededError` when the disk is full), which the commit future alone does not carry.
pub(super) async fn commit(tx: Transaction<'_>) -> Result<(), StoreError> {
    use indexed_db_futures::internals::SystemRepr;
    let sys: web_sys::IdbTransaction = tx.as_sys().unchecked_ref::<web_sys::IdbTransaction>().clone();
    match tx.commit().await {
        Ok(()) => Ok(()),
        Err(e) => Err(match sys.error() {
            Some(d) => StoreError::from_text(format!("{}: {}", d.name(), d.message())),
            None => e.into(),
        }),
    }
}

/// How the search index was loaded (shown by the benchmark and tests).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadStats {
    /// Read from the snapshot (else rebuilt from every profile).
    pub from_snapshot: bool,
    /// Journal entries applied on top of the snapshot.
    pub journal_entries: usize,
    /// Milliseconds counting the chunked profiles (reading their ids only for an archive that
    /// has no count stored yet).
    pub chunk_map_ms: f64,
    /// Milliseconds reading IndexedDB: the chunked count, the snapshot and journal, the count.
    pub read_ms: f64,
    /// Milliseconds copying the snapshot into place and building the index from it.
    pub build_ms: f64,
}

/// The archive in one IndexedDB database.
pub struct Archive {
    pub(super) db: Database,
    /// This device's sync clock (ticks for every local change; see `log.rs`).
    pub(super) clock: std::cell::RefCell<crate::domain::sync::Clock>,
    /// Where bulk-written profiles are (see `chunks.rs`).
    pub(super) chunks: std::cell::RefCell<ChunkMap>,
    /// Held while a record is read, merged and written back (a local save, a pulled page): the
    /// read and the write are separate transactions, and two of them interleaved in this page
    /// would write back a state without the other's change.
    pub(super) merging: futures::lock::Mutex<()>,
}

/// Which chunk holds each chunked profile, as of generation `gen` of the chunk stores.
#[derive(Default)]
pub(super) struct ChunkMap {
    pub(super) loaded: bool,
    pub(super) gen: f64,
    pub(super) of: ChunkIndex,
    /// How often it was read from storage (see [`Archive::chunk_map_reads`]).
    pub(super) reads: u32,
}
