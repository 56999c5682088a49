//! The one typed storage API of the archive. The IndexedDB implementation ([`Archive`]) exists
//! only in the browser build; everything it stores is defined by the domain model.
//!
//! Object stores (see [`schema`]):
//! - `profiles`: one record per profile, keyed by id, the value the profile's JSON as bytes (no
//!   IndexedDB indexes: search runs on the in-memory index, and each index costs inserts ~37%).
//! - `chunks`, `chunk_ids`: profiles written in bulk (import, a new device's first pull,
//!   restore, seeding), many to a value, since IndexedDB's cost is per request (`chunks.rs`). A
//!   profile is either in `profiles` or in one chunk, never both; reads and edits find it
//!   through the chunk map.
//! - `history`, `history_chunks`: one record per history item, indexed by `profile_id`, or many
//!   to a chunk when written in bulk, found through the chunks' indexes (`history.rs`).
//! - `meta`: the start-up snapshot of the search index (one binary value) and other small values.
//! - `records`, `outbox`: sync's merge states and unsent changes (see `log.rs`).
//! - `index_journal`: the search-index entries of profiles written since the last snapshot, written
//!   in the same transaction as the profile, so the snapshot plus the journal is always current.
//! - `documents`, `document_chunks`: documents' descriptions, owned by a profile like its history;
//!   `blobs`: their files by SHA-256; `blob_queue`: files not yet at the endpoint (`documents.rs`).

mod archive;
mod chunks;
mod codec;
mod documents;
mod erase;
mod error;
mod governance;
mod history;
mod idb;
mod log;
mod reading;
pub mod schema;
mod sealing;
mod transfer;

pub use archive::{Archive, IndexAccess, LoadStats};
pub use codec::profile_to_js;
pub use documents::DocumentUsage;
pub use error::StoreError;
pub use log::Applied;
pub use reading::{Reading, Slice};
pub use transfer::{Added, Imported, Restored};

/// Waits for the pinyin table (`domain/pinyin.rs`, fetched after the first paint) before a write
/// builds search entries: without it a Han name would be indexed without its pinyin. Called
/// before the write's transaction opens (an IndexedDB transaction commits while a fetch is
/// awaited).
pub(crate) async fn names_ready() -> Result<(), StoreError> {
    crate::platform::pinyin::ready().await.map_err(StoreError::Names)
}
