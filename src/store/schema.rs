//! Store and index names, per schema version, and the migrations: each [`Version`] creates what it
//! adds ([`Version::apply`]), and an upgrade runs every step from the stored version.

use crate::domain::sync::RecordKind;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

/// Database name used by the app.
pub const DB_NAME: &str = "dangan";

/// Profiles: key = profile id (out-of-line), value = the profile as UTF-8 JSON in a `Uint8Array`.
/// No IndexedDB indexes: every lookup goes through the in-memory search index, and one index
/// alone costs over a third of the insert throughput (measured, see docs/performance.md).
pub const PROFILES: &str = "profiles";
/// History items: `{id, profile_id, date, body}` objects, indexed by `profile_id`.
pub const HISTORY: &str = "history";
/// Small values: the search snapshot.
pub const META: &str = "meta";
/// Search-index entries written since the last snapshot, keyed by profile id.
pub const INDEX_JOURNAL: &str = "index_journal";

/// Merge state of records changed after their creation (sync), keyed `p:<id>` / `h:<id>`; value:
/// the state's JSON as bytes. A record holding only its creation has none (see
/// `domain::sync::records`).
pub const RECORDS: &str = "records";
/// Local changes not yet sent to the sync endpoint: key = clock time of the (first) change, value:
/// JSON bytes of `[(record key, clock time)]` (one save, or one bulk write).
pub const OUTBOX: &str = "outbox";

/// Chunks of profiles written in bulk (see `store/chunks.rs`): key = `c` + the clock time of its
/// writing, value = the chunk's bytes (`domain::chunk`).
pub const CHUNKS: &str = "chunks";
/// The ids in each chunk, same key, value = the ids one per line (read to locate profiles).
pub const CHUNK_IDS: &str = "chunk_ids";
/// Chunks of history items written in bulk (see `store/history.rs`): key = `h` + the clock time
/// of its writing, value = `{ids, pids, data}`: the items' ids and their profiles' ids (in the
/// chunk's order) beside the chunk's bytes. Both arrays are multi-entry indexes, so an item and
/// a profile's items are found without a map in memory.
pub const HISTORY_CHUNKS: &str = "history_chunks";
/// Index of `history_chunks` on the ids of the items each holds.
pub const IDX_CHUNK_ITEM: &str = "ids";
/// Index of `history_chunks` on the profiles whose items each holds.
pub const IDX_CHUNK_OWNER: &str = "pids";

/// Ledger entries (receivables and consignment, `domain::ledger`): stored as history items are,
/// `{id, profile_id, date, body}` indexed by `profile_id`.
pub const LEDGER: &str = "ledger";
/// Ledger entries written in bulk (a new device's pull, an import of opening balances, seeding),
/// as `history_chunks` holds history items.
pub const LEDGER_CHUNKS: &str = "ledger_chunks";
/// Consignment items: key = id, value = the item's JSON as bytes.
pub const ITEMS: &str = "items";

/// Documents' descriptions (`domain::documents`): stored as history items are, indexed by
/// `profile_id`; their files are in [`BLOBS`].
pub const DOCUMENTS: &str = "documents";
/// Documents' descriptions written in bulk (a new device's pull, a restore).
pub const DOCUMENT_CHUNKS: &str = "document_chunks";
/// Documents' files: key = the SHA-256 of the original (hex), value = its bytes. A file attached
/// twice is stored once.
pub const BLOBS: &str = "blobs";
/// Files attached here and not yet at the endpoint: key = the hash, value = the id of a
/// document holding it. Taken off when the endpoint has the file.
pub const BLOB_QUEUE: &str = "blob_queue";

/// Records that belong to a profile and are stored like its history: each in its own record of
/// `own` (indexed by profile), or, written in bulk, many to a value of `chunks` (keys start with
/// `prefix`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table {
    pub kind: RecordKind,
    pub own: &'static str,
    pub chunks: &'static str,
    pub prefix: &'static str,
}

pub const HISTORY_TABLE: Table = Table { kind: RecordKind::History, own: HISTORY, chunks: HISTORY_CHUNKS, prefix: "h" };
pub const LEDGER_TABLE: Table = Table { kind: RecordKind::Ledger, own: LEDGER, chunks: LEDGER_CHUNKS, prefix: "l" };
pub const DOCUMENT_TABLE: Table =
    Table { kind: RecordKind::Document, own: DOCUMENTS, chunks: DOCUMENT_CHUNKS, prefix: "f" };
/// Every such table.
pub const TABLES: [Table; 3] = [HISTORY_TABLE, LEDGER_TABLE, DOCUMENT_TABLE];

/// The table of an owned kind ([`RecordKind::is_owned`]).
pub fn table_of(kind: RecordKind) -> Option<Table> {
    TABLES.into_iter().find(|t| t.kind == kind)
}

/// Signed governance records (staff, the archive's governance, requests, decisions): key = the
/// record key's text (`s:<id>`, `g:archive`…), value = the stored record's JSON as bytes.
pub const GOV: &str = "gov";
/// Access-log events: key = `<device>.<seq>` (so a device's chain reads in order), value = the
/// event's JSON as bytes.
pub const EVENTS: &str = "events";

/// The stores a transaction reading profiles covers (chunked ones are found through `meta`).
pub const PROFILE_STORES: [&str; 4] = [PROFILES, META, CHUNKS, CHUNK_IDS];

/// The stores a transaction writing records covers.
pub const WRITE_STORES: [&str; 18] = [
    PROFILES,
    HISTORY,
    HISTORY_CHUNKS,
    INDEX_JOURNAL,
    RECORDS,
    OUTBOX,
    META,
    CHUNKS,
    CHUNK_IDS,
    GOV,
    EVENTS,
    LEDGER,
    LEDGER_CHUNKS,
    ITEMS,
    DOCUMENTS,
    DOCUMENT_CHUNKS,
    BLOBS,
    BLOB_QUEUE,
];

/// The stores a transaction reading records of any kind covers.
pub const READ_STORES: [&str; 14] = [
    RECORDS,
    PROFILES,
    HISTORY,
    HISTORY_CHUNKS,
    META,
    CHUNKS,
    CHUNK_IDS,
    GOV,
    EVENTS,
    LEDGER,
    LEDGER_CHUNKS,
    ITEMS,
    DOCUMENTS,
    DOCUMENT_CHUNKS,
];

/// The store holding records of a kind (a profile in a chunk is found through the chunk map).
pub fn store_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Profile => PROFILES,
        RecordKind::History => HISTORY,
        RecordKind::Event => EVENTS,
        RecordKind::Ledger => LEDGER,
        RecordKind::Item => ITEMS,
        RecordKind::Document => DOCUMENTS,
        RecordKind::Staff | RecordKind::Gov | RecordKind::Request | RecordKind::Decision => GOV,
    }
}

/// A record's key in the store of its kind: its id, or in the shared governance store its key's
/// text.
pub fn stored_key(key: &crate::domain::sync::RecordKey) -> String {
    match store_of(key.kind) {
        GOV => key.text(),
        _ => key.id.clone(),
    }
}

/// Fewest new profiles in one write that go in chunks (fewer are each stored on their own).
pub const CHUNK_MIN: usize = 32;

/// Index of `history` on the profile it belongs to.
pub const IDX_PROFILE: &str = "profile_id";

/// Key of the search snapshot in `meta`.
pub const KEY_SNAPSHOT: &str = "search_snapshot";
/// Keys in `meta` for sync: this device's id, its clock, the pull cursor, and whether records
/// from before sync have been entered in the change log.
pub const KEY_DEVICE: &str = "device";
pub const KEY_CLOCK: &str = "clock";
pub const KEY_CURSOR: &str = "sync_cursor";
pub const KEY_ADOPTED: &str = "adopted";
/// Key in `meta` of the chunk generation: moves on whenever chunks are added, so every tab knows
/// to reload its map of chunked ids.
pub const KEY_CHUNK_GEN: &str = "chunk_gen";
/// Key in `meta` of the number of chunked profiles, written with the generation, so that start-up
/// counts the profiles without reading every chunked id.
pub const KEY_CHUNK_COUNT: &str = "chunk_count";

/// Schema versions. Each upgrade runs every step from the stored version to the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// Profiles and history.
    V1 = 1,
    /// Adds `meta` and `index_journal` for the start-up snapshot. Existing data needs no rewrite:
    /// the first open after the upgrade finds no snapshot and rebuilds it from `profiles`.
    V2 = 2,
    /// Adds `records` and `outbox` for sync. Records written before are entered in the change log
    /// on the next open (`Archive::adopt_unlogged`).
    V3 = 3,
    /// Adds `chunks` and `chunk_ids`: bulk writes store new profiles many to a value. Existing
    /// profiles stay where they are.
    V4 = 4,
    /// Adds `history_chunks`: bulk writes store new history items many to a value. Existing items
    /// stay in `history`.
    V5 = 5,
    /// Adds `gov` and `events`: staff, governance records and the access log.
    V6 = 6,
    /// Adds `ledger`, `ledger_chunks` and `items`: receivables, consignment movements and items.
    V7 = 7,
    /// Adds `documents`, `document_chunks`, `blobs` and `blob_queue`: documents and photos.
    V8 = 8,
}

impl Version {
    /// The version this build writes.
    pub const LATEST: Version = Version::V8;

    /// The versions after `old` up to `self`, in order.
    pub fn steps_from(self, old: u32) -> impl Iterator<Item = Version> {
        [Version::V1, Version::V2, Version::V3, Version::V4, Version::V5, Version::V6, Version::V7, Version::V8]
            .into_iter()
            .filter(move |v| (*v as u32) > old && *v <= self)
    }

    /// Creates what this version adds (inside the upgrade transaction).
    pub fn apply(self, db: &Database) -> Result<(), indexed_db_futures::error::Error> {
        match self {
            Version::V1 => {
                db.create_object_store(PROFILES).build()?;
                owned_store(db, HISTORY)?;
            }
            Version::V2 => {
                db.create_object_store(META).build()?;
                db.create_object_store(INDEX_JOURNAL).build()?;
            }
            Version::V3 => {
                db.create_object_store(RECORDS).build()?;
                db.create_object_store(OUTBOX).build()?;
            }
            Version::V4 => {
                db.create_object_store(CHUNKS).build()?;
                db.create_object_store(CHUNK_IDS).build()?;
            }
            Version::V5 => chunk_store(db, HISTORY_CHUNKS)?,
            Version::V6 => {
                db.create_object_store(GOV).build()?;
                db.create_object_store(EVENTS).build()?;
            }
            Version::V7 => {
                owned_store(db, LEDGER)?;
                chunk_store(db, LEDGER_CHUNKS)?;
                db.create_object_store(ITEMS).build()?;
            }
            Version::V8 => {
                owned_store(db, DOCUMENTS)?;
                chunk_store(db, DOCUMENT_CHUNKS)?;
                db.create_object_store(BLOBS).build()?;
                db.create_object_store(BLOB_QUEUE).build()?;
            }
        }
        Ok(())
    }
}

/// A store of owned records of their own: key path `id`, indexed by `profile_id`.
fn owned_store(db: &Database, name: &str) -> Result<(), indexed_db_futures::error::Error> {
    let h = db.create_object_store(name).with_key_path(KeyPath::from("id")).build()?;
    h.create_index(IDX_PROFILE, KeyPath::from("profile_id")).build()?;
    Ok(())
}

/// A store of chunks of owned records, with its two multi-entry indexes.
fn chunk_store(db: &Database, name: &str) -> Result<(), indexed_db_futures::error::Error> {
    let c = db.create_object_store(name).build()?;
    c.create_index(IDX_CHUNK_ITEM, KeyPath::from(IDX_CHUNK_ITEM)).with_multi_entry(true).build()?;
    c.create_index(IDX_CHUNK_OWNER, KeyPath::from(IDX_CHUNK_OWNER)).with_multi_entry(true).build()?;
    Ok(())
}
