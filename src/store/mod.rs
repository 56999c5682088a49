//! The one typed storage API of the archive. The IndexedDB implementation ([`Archive`]) exists
//! only in the browser build; everything it stores is defined by the domain model.
//!
//! Object stores (see [`schema`]):
//! - `profiles`: one record per profile: `{id, phones, id_no, code, updated_at, deleted, body}`
//!   where `body` is the profile as JSON and the other fields exist for IndexedDB indexes.
//! - `history`: one record per history item, indexed by `profile_id`.
//! - `meta`: the start-up snapshot of the search index (one binary value) and other small values.
//! - `index_journal`: the search-index entries of profiles written since the last snapshot, written
//!   in the same transaction as the profile, so the snapshot plus the journal is always current.

mod error;
mod idb;
pub mod schema;

pub use error::StoreError;
pub use idb::{profile_to_js, Archive, LoadStats};
