//! Where the endpoint keeps archives, tokens and changes: SQLite (a file path, the default) or
//! PostgreSQL (a `postgres://` URL; several endpoint processes can share one database).
//!
//! Documents' files are kept in the database, or in files on disk beside it (`with_files`).
//!
//! Both keep the same three tables. Per archive, every stored change gets the next `seq` from the
//! archive's row, read and updated inside the write transaction (a row lock in PostgreSQL), so a
//! pull cursor never skips a change that commits later, whichever process stored it.

mod files;
mod postgres;
mod sqlite;

use dangan::domain::sync::protocol::{ArchiveKey, DestroyRequest, Pulled, WireChange};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(String),
    #[error("the database worker stopped")]
    Worker,
}

/// What a push did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pushed {
    pub stored: usize,
    pub duplicates: usize,
    pub cursor: u64,
    /// Changes left out because their record was destroyed.
    pub destroyed: usize,
}

/// What a destruction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destroyed {
    pub register: String,
    pub erased: u64,
}

/// One page of changes after a cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub changes: Vec<Pulled>,
    pub cursor: u64,
    pub has_more: bool,
}

/// An access token as listed by the admin command (never the token itself: only its hash is kept).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TokenInfo {
    pub archive: String,
    pub label: String,
    pub hash_prefix: String,
    pub scope: String,
    pub created_at: i64,
    pub revoked: bool,
    /// Unix milliseconds after which the token opens nothing.
    pub expires_at: Option<i64>,
    /// When it last opened the archive (written at most once a minute per endpoint process).
    pub last_used_at: Option<i64>,
}

impl TokenInfo {
    /// "active", "revoked" or "expired" at `now`.
    pub fn state(&self, now: i64) -> &'static str {
        match (self.revoked, self.expires_at) {
            (true, _) => "revoked",
            (false, Some(e)) if e <= now => "expired",
            _ => "active",
        }
    }
}

/// A new token, by its hash.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub archive: String,
    pub hash: String,
    pub label: String,
    pub scope: crate::token::Scope,
    pub expires_at: Option<i64>,
}

/// What a token that is not revoked grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub archive: String,
    pub scope: crate::token::Scope,
    pub expires_at: Option<i64>,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The store: a database by backend, and where documents' files are kept.
#[derive(Clone)]
pub struct Store {
    db: Db,
    /// Files on disk (`None`: in the database).
    files: Option<files::Files>,
}

#[derive(Clone)]
enum Db {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

macro_rules! dispatch {
    ($self:ident . $m:ident ( $($a:expr),* )) => {
        match &$self.db {
            Db::Sqlite(s) => s.$m($($a),*).await,
            Db::Postgres(s) => s.$m($($a),*).await,
        }
    };
}

impl Store {
    /// Opens `target`: a `postgres://` URL, or else a SQLite file path (created if missing).
    pub async fn open(target: &str) -> Result<Store, StoreError> {
        let db = if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            Db::Postgres(postgres::Postgres::connect(target).await?)
        } else {
            Db::Sqlite(sqlite::Sqlite::open(Path::new(target))?)
        };
        Ok(Store { db, files: None })
    }

    /// The same store with documents' files kept in `dir` (created if missing) instead of the
    /// database. Several endpoint processes share it as they share the database (a shared
    /// volume).
    pub fn with_files(self, dir: &Path) -> Result<Store, StoreError> {
        Ok(Store { files: Some(files::Files::open(dir)?), ..self })
    }

    /// The hub of live connections for this database: with PostgreSQL it also hears pushes made
    /// by other endpoint processes (`LISTEN/NOTIFY`); one SQLite file has one process.
    pub fn hub(&self) -> crate::live::Hub {
        match &self.db {
            Db::Sqlite(s) => s.hub.clone(),
            Db::Postgres(p) => p.hub.clone(),
        }
    }

    /// Creates the archive if new and adds a device token (by its hash) for it, without expiry.
    pub async fn add_token(&self, archive: &str, hash: &str, label: &str) -> Result<(), StoreError> {
        let t = NewToken {
            archive: archive.into(),
            hash: hash.into(),
            label: label.into(),
            scope: crate::token::Scope::Device,
            expires_at: None,
        };
        self.create_token(&t).await
    }

    /// Creates the archive if new and adds the token.
    pub async fn create_token(&self, t: &NewToken) -> Result<(), StoreError> {
        dispatch!(self.create_token(t))
    }

    /// Records that a token (by hash) opened its archive at `at`.
    pub async fn touch_token(&self, hash: &str, at: i64) -> Result<(), StoreError> {
        dispatch!(self.touch_token(hash, at))
    }

    /// Revokes every live token whose hash starts with `prefix`; how many.
    pub async fn revoke_token(&self, prefix: &str) -> Result<usize, StoreError> {
        dispatch!(self.revoke_token(prefix))
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        dispatch!(self.tokens())
    }

    /// What a token (by hash) grants, unless it is revoked (expiry is the caller's to check).
    pub async fn token_grant(&self, hash: &str) -> Result<Option<Grant>, StoreError> {
        dispatch!(self.token_grant(hash))
    }

    pub async fn archive_exists(&self, archive: &str) -> Result<bool, StoreError> {
        dispatch!(self.archive_exists(archive))
    }

    /// Stores the changes not already stored (by id), all in one transaction.
    pub async fn push(&self, archive: &str, changes: Vec<WireChange>) -> Result<Pushed, StoreError> {
        dispatch!(self.push(archive, changes))
    }

    /// Erases the stored changes of the records a destruction names and keeps their tombstones
    /// (a later push of them is left out); the register number, given once per application.
    pub async fn destroy(&self, archive: &str, d: DestroyRequest) -> Result<Destroyed, StoreError> {
        // Files on disk go first: a failure after them leaves records to destroy again, never a
        // destroyed guest's file.
        if let Some(f) = &self.files {
            f.destroy(archive, &d.blobs).await?;
        }
        dispatch!(self.destroy(archive, d))
    }

    /// Up to `limit` changes after `since`, in order.
    pub async fn pull(&self, archive: &str, since: u64, limit: usize) -> Result<Page, StoreError> {
        dispatch!(self.pull(archive, since, limit))
    }

    /// The archive's key-derivation parameters (encrypted archives).
    pub async fn key(&self, archive: &str) -> Result<Option<ArchiveKey>, StoreError> {
        dispatch!(self.key(archive))
    }

    /// Sets them once; `false` when the archive already had them.
    pub async fn set_key(&self, archive: &str, k: ArchiveKey) -> Result<bool, StoreError> {
        dispatch!(self.set_key(archive, k))
    }

    /// Stores a blob (its name already checked against its bytes) unless the archive has it;
    /// `true` when stored now.
    pub async fn put_blob(&self, archive: &str, hash: &str, bytes: Vec<u8>) -> Result<bool, StoreError> {
        match &self.files {
            Some(f) => f.put(archive, hash, bytes).await,
            None => dispatch!(self.put_blob(archive, hash, bytes)),
        }
    }

    /// A blob's bytes.
    pub async fn blob(&self, archive: &str, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match &self.files {
            Some(f) => f.get(archive, hash).await,
            None => dispatch!(self.blob(archive, hash)),
        }
    }

    /// Blobs stored for an archive.
    pub async fn blob_count(&self, archive: &str) -> Result<u64, StoreError> {
        match &self.files {
            Some(f) => f.count(archive).await,
            None => dispatch!(self.blob_count(archive)),
        }
    }

    /// Changes stored for an archive.
    pub async fn count(&self, archive: &str) -> Result<u64, StoreError> {
        dispatch!(self.count(archive))
    }
}
