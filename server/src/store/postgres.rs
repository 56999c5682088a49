//! PostgreSQL backend: a connection pool; pushes lock the archive's row (`FOR UPDATE`) while they
//! number their changes, so concurrent pushes from several endpoint processes get a gapless order.

use super::{now_ms, Destroyed, Grant, NewToken, Page, Pushed, StoreError, TokenInfo};
use crate::live::Hub;
use crate::token::Scope;
use dangan::domain::sync::protocol::{register_number, ArchiveKey, DestroyRequest, Pulled, WireChange};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{AsyncMessage, NoTls};

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        StoreError::Db(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> StoreError {
        StoreError::Db(e.to_string())
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS archives (
    id TEXT PRIMARY KEY,
    next_seq BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    archive TEXT NOT NULL REFERENCES archives(id),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS scope TEXT NOT NULL DEFAULT 'device';
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN IF NOT EXISTS last_used_at BIGINT;
CREATE TABLE IF NOT EXISTS changes (
    archive TEXT NOT NULL,
    seq BIGINT NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at BIGINT NOT NULL,
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
    created_at BIGINT NOT NULL,
    PRIMARY KEY (archive, application),
    UNIQUE (archive, number)
);
CREATE TABLE IF NOT EXISTS tombstones (
    archive TEXT NOT NULL,
    record TEXT NOT NULL,
    register TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (archive, record)
);
CREATE TABLE IF NOT EXISTS blobs (
    archive TEXT NOT NULL,
    hash TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (archive, hash)
);
CREATE TABLE IF NOT EXISTS archive_keys (
    archive TEXT PRIMARY KEY REFERENCES archives(id),
    salt TEXT NOT NULL,
    iterations BIGINT NOT NULL,
    check_value TEXT NOT NULL
);
";

/// The channel pushes notify on: `<archive>:<cursor>`.
const NOTIFY_CHANNEL: &str = "dangan_changes";

#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// Told of every push by any endpoint process on this database (`listen`).
    pub(crate) hub: Hub,
}

impl Postgres {
    pub async fn connect(url: &str) -> Result<Postgres, StoreError> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager =
            Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(16).build().map_err(|e| StoreError::Db(e.to_string()))?;
        let client = pool.get().await?;
        // Several processes may start at once: serialise the schema creation.
        client
            .batch_execute(&format!("SELECT pg_advisory_lock(4242); {SCHEMA} SELECT pg_advisory_unlock(4242);"))
            .await?;
        let hub = Hub::default();
        listen(config, hub.clone()).await;
        Ok(Postgres { pool, hub })
    }
}

/// Passes every push notified by any endpoint process on to `hub`, on a connection of its own,
/// reconnecting after a second when it drops (and then telling every listener to pull, since news
/// may have been missed meanwhile). Returns once the first connection listens (or failed to), so a
/// push made after the store opened is never missed.
async fn listen(config: tokio_postgres::Config, hub: Hub) {
    let (ready, listening) = tokio::sync::oneshot::channel();
    let mut ready = Some(ready);
    tokio::spawn(async move {
        loop {
            if let Err(e) = listen_once(&config, &hub, &mut ready).await {
                eprintln!("live sync: the PostgreSQL listener stopped ({e}); reconnecting");
            }
            ready.take().map(|r| r.send(()));
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            hub.notify_all();
        }
    });
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), listening).await;
}

impl Postgres {
    pub async fn create_token(&self, t: &NewToken) -> Result<(), StoreError> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        tx.execute(
            "INSERT INTO archives (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
            &[&t.archive, &now_ms()],
        )
        .await?;
        tx.execute(
            "INSERT INTO tokens (hash, archive, label, created_at, scope, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&t.hash, &t.archive, &t.label, &now_ms(), &t.scope.as_str(), &t.expires_at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn touch_token(&self, hash: &str, at: i64) -> Result<(), StoreError> {
        let c = self.pool.get().await?;
        c.execute("UPDATE tokens SET last_used_at = $1 WHERE hash = $2", &[&at, &hash]).await?;
        Ok(())
    }

    pub async fn revoke_token(&self, prefix: &str) -> Result<usize, StoreError> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "UPDATE tokens SET revoked_at = $1 WHERE hash LIKE $2 AND revoked_at IS NULL",
                &[&now_ms(), &pattern],
            )
            .await?;
        Ok(n as usize)
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let c = self.pool.get().await?;
        let rows = c
            .query(
                "SELECT archive, label, hash, created_at, revoked_at, scope, expires_at, last_used_at
                 FROM tokens ORDER BY archive, created_at",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| TokenInfo {
                archive: r.get(0),
                label: r.get(1),
                hash_prefix: r.get::<_, String>(2)[..12].to_string(),
                created_at: r.get(3),
                revoked: r.get::<_, Option<i64>>(4).is_some(),
                scope: r.get(5),
                expires_at: r.get(6),
                last_used_at: r.get(7),
            })
            .collect())
    }

    pub async fn token_grant(&self, hash: &str) -> Result<Option<Grant>, StoreError> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt("SELECT archive, scope, expires_at FROM tokens WHERE hash = $1 AND revoked_at IS NULL", &[&hash])
            .await?;
        // A scope this version does not know grants nothing.
        Ok(row.and_then(|r| {
            Some(Grant { archive: r.get(0), scope: Scope::parse(r.get::<_, &str>(1))?, expires_at: r.get(2) })
        }))
    }

    pub async fn archive_exists(&self, archive: &str) -> Result<bool, StoreError> {
        let c = self.pool.get().await?;
        Ok(c.query_opt("SELECT 1 FROM archives WHERE id = $1", &[&archive]).await?.is_some())
    }

    pub async fn push(&self, archive: &str, changes: Vec<WireChange>) -> Result<Pushed, StoreError> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        let next: i64 =
            tx.query_one("SELECT next_seq FROM archives WHERE id = $1 FOR UPDATE", &[&archive]).await?.get(0);
        // One statement for the whole batch: the changes not stored yet (by id, also within the
        // batch) get consecutive numbers in batch order.
        let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
        let records: Vec<&str> = changes.iter().map(|c| c.record.as_str()).collect();
        let payloads: Vec<&str> = changes.iter().map(|c| c.payload.as_str()).collect();
        let stored = tx
            .execute(
                "INSERT INTO changes (archive, seq, id, record, payload, received_at)
                 SELECT $1, $2 + ROW_NUMBER() OVER (ORDER BY b.ord) - 1, b.id, b.record, b.payload, $6
                 FROM (
                     SELECT DISTINCT ON (u.id) u.id, u.record, u.payload, u.ord
                     FROM UNNEST($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(id, record, payload, ord)
                     WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.archive = $1 AND c.id = u.id)
                       AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.archive = $1 AND t.record = u.record)
                     ORDER BY u.id, u.ord
                 ) b",
                &[&archive, &next, &ids, &records, &payloads, &now_ms()],
            )
            .await? as i64;
        let destroyed: i64 = tx
            .query_one(
                "SELECT COUNT(*) FROM UNNEST($2::text[]) AS u(record)
                 WHERE EXISTS (SELECT 1 FROM tombstones t WHERE t.archive = $1 AND t.record = u.record)",
                &[&archive, &records],
            )
            .await?
            .get(0);
        tx.execute("UPDATE archives SET next_seq = $1 WHERE id = $2", &[&(next + stored), &archive]).await?;
        if stored > 0 {
            // Delivered at commit to every endpoint process listening (live sync, `live.rs`).
            let news = format!("{archive}:{}", next + stored - 1);
            tx.execute("SELECT pg_notify($1, $2)", &[&NOTIFY_CHANNEL, &news]).await?;
        }
        tx.commit().await?;
        Ok(Pushed {
            stored: stored as usize,
            duplicates: changes.len() - stored as usize - destroyed as usize,
            cursor: (next + stored - 1) as u64,
            destroyed: destroyed as usize,
        })
    }

    /// As the SQLite backend's: the archive's row is locked while the number is given.
    pub async fn destroy(&self, archive: &str, d: DestroyRequest) -> Result<Destroyed, StoreError> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        tx.query_one("SELECT next_seq FROM archives WHERE id = $1 FOR UPDATE", &[&archive]).await?;
        let had = tx
            .query_opt(
                "SELECT number FROM registers WHERE archive = $1 AND application = $2",
                &[&archive, &d.application],
            )
            .await?;
        let register = match had {
            Some(r) => r.get(0),
            None => {
                let year = d.year as i32;
                let next: i32 = tx
                    .query_one(
                        "SELECT COALESCE(MAX(n), 0) + 1 FROM registers WHERE archive = $1 AND year = $2",
                        &[&archive, &year],
                    )
                    .await?
                    .get(0);
                let n = next.max(d.at_least as i32);
                let number = register_number(d.year, n as u32);
                tx.execute(
                    "INSERT INTO registers (archive, application, number, year, n, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&archive, &d.application, &number, &year, &n, &now_ms()],
                )
                .await?;
                number
            }
        };
        let erased =
            tx.execute("DELETE FROM changes WHERE archive = $1 AND record = ANY($2)", &[&archive, &d.records]).await?;
        tx.execute(
            "INSERT INTO tombstones (archive, record, register, created_at) SELECT $1, r, $3, $4 FROM UNNEST($2::text[]) AS r
             ON CONFLICT (archive, record) DO NOTHING",
            &[&archive, &d.records, &register, &now_ms()],
        )
        .await?;
        tx.execute("DELETE FROM blobs WHERE archive = $1 AND hash = ANY($2)", &[&archive, &d.blobs]).await?;
        tx.commit().await?;
        Ok(Destroyed { register, erased })
    }

    pub async fn pull(&self, archive: &str, since: u64, limit: usize) -> Result<Page, StoreError> {
        let c = self.pool.get().await?;
        let rows = c
            .query(
                "SELECT seq, id, record, payload FROM changes WHERE archive = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&archive, &(since as i64), &((limit + 1) as i64)],
            )
            .await?;
        let mut changes: Vec<Pulled> = rows
            .iter()
            .map(|r| Pulled {
                seq: r.get::<_, i64>(0) as u64,
                change: WireChange { id: r.get(1), record: r.get(2), payload: r.get(3) },
            })
            .collect();
        let has_more = changes.len() > limit;
        changes.truncate(limit);
        let cursor = changes.last().map_or(since, |p| p.seq);
        Ok(Page { changes, cursor, has_more })
    }

    pub async fn key(&self, archive: &str) -> Result<Option<ArchiveKey>, StoreError> {
        let c = self.pool.get().await?;
        let row = c
            .query_opt("SELECT salt, iterations, check_value FROM archive_keys WHERE archive = $1", &[&archive])
            .await?;
        Ok(row.map(|r| ArchiveKey { salt: r.get(0), iterations: r.get::<_, i64>(1) as u32, check: r.get(2) }))
    }

    pub async fn set_key(&self, archive: &str, k: ArchiveKey) -> Result<bool, StoreError> {
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "INSERT INTO archive_keys (archive, salt, iterations, check_value) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (archive) DO NOTHING",
                &[&archive, &k.salt, &(k.iterations as i64), &k.check],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn put_blob(&self, archive: &str, hash: &str, bytes: Vec<u8>) -> Result<bool, StoreError> {
        let c = self.pool.get().await?;
        let n = c
            .execute(
                "INSERT INTO blobs (archive, hash, bytes, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (archive, hash) DO NOTHING",
                &[&archive, &hash, &bytes, &now_ms()],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn blob(&self, archive: &str, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let c = self.pool.get().await?;
        let row = c.query_opt("SELECT bytes FROM blobs WHERE archive = $1 AND hash = $2", &[&archive, &hash]).await?;
        Ok(row.map(|r| r.get(0)))
    }

    pub async fn blob_count(&self, archive: &str) -> Result<u64, StoreError> {
        let c = self.pool.get().await?;
        Ok(c.query_one("SELECT COUNT(*) FROM blobs WHERE archive = $1", &[&archive]).await?.get::<_, i64>(0) as u64)
    }

    pub async fn count(&self, archive: &str) -> Result<u64, StoreError> {
        let c = self.pool.get().await?;
        Ok(c.query_one("SELECT COUNT(*) FROM changes WHERE archive = $1", &[&archive]).await?.get::<_, i64>(0) as u64)
    }
}

/// One listening connection, until it drops.
async fn listen_once(
    config: &tokio_postgres::Config,
    hub: &Hub,
    ready: &mut Option<tokio::sync::oneshot::Sender<()>>,
) -> Result<(), StoreError> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let messages = tokio::spawn(async move {
        let mut messages = std::pin::pin!(futures_util::stream::poll_fn(move |cx| connection.poll_message(cx)));
        while let Some(m) = futures_util::StreamExt::next(&mut messages).await {
            match m {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_string()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => return Err(StoreError::from(e)),
            }
        }
        Ok(())
    });
    client.batch_execute(&format!("LISTEN {NOTIFY_CHANNEL}")).await?;
    ready.take().map(|r| r.send(()));
    while let Some(news) = rx.recv().await {
        if let Some((archive, cursor)) = news.rsplit_once(':') {
            if let Ok(cursor) = cursor.parse() {
                hub.notify(archive, cursor);
            }
        }
    }
    drop(client);
    messages.await.map_err(|_| StoreError::Worker)?
}
