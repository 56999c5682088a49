//! SQLite backend: one file, one connection behind a mutex, used from blocking threads.

use super::{now_ms, Destroyed, Grant, NewToken, Page, Pushed, StoreError, TokenInfo};
use crate::token::Scope;
use dangan::domain::sync::protocol::{register_number, ArchiveKey, DestroyRequest, Pulled, WireChange};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Db(e.to_string())
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS archives (
    id TEXT PRIMARY KEY,
    next_seq INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    archive TEXT NOT NULL REFERENCES archives(id),
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    scope TEXT NOT NULL DEFAULT 'device',
    expires_at INTEGER,
    last_used_at INTEGER
);
CREATE TABLE IF NOT EXISTS changes (
    archive TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (archive, seq),
    UNIQUE (archive, id)
);
CREATE INDEX IF NOT EXISTS changes_record ON changes (archive, record);
CREATE TABLE IF NOT EXISTS registers (
    archive TEXT NOT NULL,
    application TEXT NOT NULL,
    number TEXT NOT NULL,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (archive, application),
    UNIQUE (archive, number)
);
CREATE TABLE IF NOT EXISTS tombstones (
    archive TEXT NOT NULL,
    record TEXT NOT NULL,
    register TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (archive, record)
);
CREATE TABLE IF NOT EXISTS blobs (
    archive TEXT NOT NULL,
    hash TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (archive, hash)
);
CREATE TABLE IF NOT EXISTS archive_keys (
    archive TEXT PRIMARY KEY REFERENCES archives(id),
    salt TEXT NOT NULL,
    iterations INTEGER NOT NULL,
    check_value TEXT NOT NULL
);
";

#[derive(Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    /// One file, one process: its pushes tell this hub themselves.
    pub(crate) hub: crate::live::Hub,
}

impl Sqlite {
    /// Opens (creating if needed) the database file.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A deleted row's bytes are overwritten, not left in a free page: a destroyed guest's
        // changes leave nothing in the file (with the checkpoint after a destruction, nor in the
        // write-ahead log).
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        // Databases made before tokens had scopes, expiry and last use.
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('tokens')")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for (name, ty) in
            [("scope", "TEXT NOT NULL DEFAULT 'device'"), ("expires_at", "INTEGER"), ("last_used_at", "INTEGER")]
        {
            if !columns.iter().any(|c| c == name) {
                conn.execute_batch(&format!("ALTER TABLE tokens ADD COLUMN {name} {ty}"))?;
            }
        }
        Ok(Sqlite { conn: Arc::new(Mutex::new(conn)), hub: Default::default() })
    }

    /// Runs `f` with the connection on a blocking thread.
    async fn with<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<R, rusqlite::Error> + Send + 'static,
    ) -> Result<R, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut c).map_err(StoreError::from)
        })
        .await
        .map_err(|_| StoreError::Worker)?
    }

    /// Creates the archive if new and adds the token.
    pub async fn create_token(&self, t: &NewToken) -> Result<(), StoreError> {
        let t = t.clone();
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute("INSERT OR IGNORE INTO archives (id, created_at) VALUES (?1, ?2)", params![t.archive, now_ms()])?;
            tx.execute(
                "INSERT INTO tokens (hash, archive, label, created_at, scope, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![t.hash, t.archive, t.label, now_ms(), t.scope.as_str(), t.expires_at],
            )?;
            tx.commit()
        })
        .await
    }

    pub async fn touch_token(&self, hash: &str, at: i64) -> Result<(), StoreError> {
        let hash = hash.to_string();
        self.with(move |c| {
            c.execute("UPDATE tokens SET last_used_at = ?1 WHERE hash = ?2", params![at, hash]).map(|_| ())
        })
        .await
    }

    /// Revokes every token whose hash starts with `prefix` (as `token list` shows it); how many.
    pub async fn revoke_token(&self, prefix: &str) -> Result<usize, StoreError> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        self.with(move |c| {
            c.execute(
                "UPDATE tokens SET revoked_at = ?1 WHERE hash LIKE ?2 AND revoked_at IS NULL",
                params![now_ms(), pattern],
            )
        })
        .await
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT archive, label, hash, created_at, revoked_at, scope, expires_at, last_used_at
                 FROM tokens ORDER BY archive, created_at",
            )?;
            let rows = st.query_map([], |r| {
                Ok(TokenInfo {
                    archive: r.get(0)?,
                    label: r.get(1)?,
                    hash_prefix: r.get::<_, String>(2)?[..12].to_string(),
                    created_at: r.get(3)?,
                    revoked: r.get::<_, Option<i64>>(4)?.is_some(),
                    scope: r.get(5)?,
                    expires_at: r.get(6)?,
                    last_used_at: r.get(7)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub async fn token_grant(&self, hash: &str) -> Result<Option<Grant>, StoreError> {
        let hash = hash.to_string();
        let row = self
            .with(move |c| {
                c.query_row(
                    "SELECT archive, scope, expires_at FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
                    [hash],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)),
                )
                .optional()
            })
            .await?;
        // A scope this version does not know grants nothing.
        Ok(row
            .and_then(|(archive, scope, expires_at)| Some(Grant { archive, scope: Scope::parse(&scope)?, expires_at })))
    }

    /// Whether an archive exists.
    pub async fn archive_exists(&self, archive: &str) -> Result<bool, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| c.query_row("SELECT 1 FROM archives WHERE id = ?1", [archive], |_| Ok(())).optional())
            .await
            .map(|o| o.is_some())
    }

    /// Stores the changes not already stored (by id), all in one transaction.
    pub async fn push(&self, archive: &str, changes: Vec<WireChange>) -> Result<Pushed, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut next: i64 = tx.query_row("SELECT next_seq FROM archives WHERE id = ?1", [&archive], |r| r.get(0))?;
            let (mut stored, mut destroyed) = (0, 0);
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO changes (archive, seq, id, record, payload, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (archive, id) DO NOTHING",
                )?;
                let mut tomb = tx.prepare_cached("SELECT 1 FROM tombstones WHERE archive = ?1 AND record = ?2")?;
                let now = now_ms();
                for ch in &changes {
                    if tomb.exists(params![archive, ch.record])? {
                        destroyed += 1;
                        continue;
                    }
                    if insert.execute(params![archive, next, ch.id, ch.record, ch.payload, now])? == 1 {
                        next += 1;
                        stored += 1;
                    }
                }
            }
            tx.execute("UPDATE archives SET next_seq = ?1 WHERE id = ?2", params![next, archive])?;
            tx.commit()?;
            Ok(Pushed { stored, duplicates: changes.len() - stored - destroyed, cursor: (next - 1) as u64, destroyed })
        })
        .await
    }

    /// Erases the records' changes and leaves their tombstones, under the application's register
    /// number (the one it already has, or the year's next), in one transaction; then checkpoints
    /// the write-ahead log so the erased pages leave it too.
    pub async fn destroy(&self, archive: &str, d: DestroyRequest) -> Result<Destroyed, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let had: Option<String> = tx
                .query_row(
                    "SELECT number FROM registers WHERE archive = ?1 AND application = ?2",
                    params![archive, d.application],
                    |r| r.get(0),
                )
                .optional()?;
            let register = match had {
                Some(n) => n,
                None => {
                    let next: i64 = tx.query_row(
                        "SELECT COALESCE(MAX(n), 0) + 1 FROM registers WHERE archive = ?1 AND year = ?2",
                        params![archive, d.year],
                        |r| r.get(0),
                    )?;
                    let n = next.max(d.at_least as i64);
                    let number = register_number(d.year, n as u32);
                    tx.execute(
                        "INSERT INTO registers (archive, application, number, year, n, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![archive, d.application, number, d.year, n, now_ms()],
                    )?;
                    number
                }
            };
            let mut erased = 0u64;
            {
                let mut delete = tx.prepare_cached("DELETE FROM changes WHERE archive = ?1 AND record = ?2")?;
                let mut tomb = tx.prepare_cached(
                    "INSERT INTO tombstones (archive, record, register, created_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (archive, record) DO NOTHING",
                )?;
                let now = now_ms();
                for r in &d.records {
                    erased += delete.execute(params![archive, r])? as u64;
                    tomb.execute(params![archive, r, register, now])?;
                }
                let mut blob = tx.prepare_cached("DELETE FROM blobs WHERE archive = ?1 AND hash = ?2")?;
                for b in &d.blobs {
                    blob.execute(params![archive, b])?;
                }
            }
            tx.commit()?;
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(Destroyed { register, erased })
        })
        .await
    }

    /// Up to `limit` changes after `since`, in order.
    pub async fn pull(&self, archive: &str, since: u64, limit: usize) -> Result<Page, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached(
                "SELECT seq, id, record, payload FROM changes WHERE archive = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            )?;
            let mut changes: Vec<Pulled> = st
                .query_map(params![archive, since as i64, (limit + 1) as i64], |r| {
                    Ok(Pulled {
                        seq: r.get::<_, i64>(0)? as u64,
                        change: WireChange { id: r.get(1)?, record: r.get(2)?, payload: r.get(3)? },
                    })
                })?
                .collect::<Result<_, _>>()?;
            let has_more = changes.len() > limit;
            changes.truncate(limit);
            let cursor = changes.last().map_or(since, |p| p.seq);
            Ok(Page { changes, cursor, has_more })
        })
        .await
    }

    pub async fn key(&self, archive: &str) -> Result<Option<ArchiveKey>, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            c.query_row("SELECT salt, iterations, check_value FROM archive_keys WHERE archive = ?1", [archive], |r| {
                Ok(ArchiveKey { salt: r.get(0)?, iterations: r.get::<_, i64>(1)? as u32, check: r.get(2)? })
            })
            .optional()
        })
        .await
    }

    /// Sets the archive's key unless it has one; `false` when it had.
    pub async fn set_key(&self, archive: &str, k: ArchiveKey) -> Result<bool, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            let n = c.execute(
                "INSERT INTO archive_keys (archive, salt, iterations, check_value) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (archive) DO NOTHING",
                params![archive, k.salt, k.iterations as i64, k.check],
            )?;
            Ok(n == 1)
        })
        .await
    }

    /// Stores a blob unless the archive has it; `true` when stored now.
    pub async fn put_blob(&self, archive: &str, hash: &str, bytes: Vec<u8>) -> Result<bool, StoreError> {
        let (archive, hash) = (archive.to_string(), hash.to_string());
        self.with(move |c| {
            c.execute(
                "INSERT INTO blobs (archive, hash, bytes, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (archive, hash) DO NOTHING",
                params![archive, hash, bytes, now_ms()],
            )
            .map(|n| n == 1)
        })
        .await
    }

    pub async fn blob(&self, archive: &str, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let (archive, hash) = (archive.to_string(), hash.to_string());
        self.with(move |c| {
            c.query_row("SELECT bytes FROM blobs WHERE archive = ?1 AND hash = ?2", params![archive, hash], |r| {
                r.get(0)
            })
            .optional()
        })
        .await
    }

    pub async fn blob_count(&self, archive: &str) -> Result<u64, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            c.query_row("SELECT COUNT(*) FROM blobs WHERE archive = ?1", [archive], |r| r.get::<_, i64>(0))
        })
        .await
        .map(|n| n as u64)
    }

    /// Changes stored for an archive (tests and the admin command).
    pub async fn count(&self, archive: &str) -> Result<u64, StoreError> {
        let archive = archive.to_string();
        self.with(move |c| {
            c.query_row("SELECT COUNT(*) FROM changes WHERE archive = ?1", [archive], |r| r.get::<_, i64>(0))
        })
        .await
        .map(|n| n as u64)
    }
}
