//! The endpoint over real HTTP on 127.0.0.1: push and pull, idempotence, cursors, and every way a
//! request can be refused (each with its status, a clear message and nothing stored). Every test
//! runs twice: on SQLite and on PostgreSQL (`DANGAN_TEST_PG`, started by scripts/test.sh). A
//! plain `cargo test` lists the PostgreSQL runs as ignored, with the command that runs them.

use dangan::domain::sync::protocol::{PullResponse, PushResponse, WireChange};
use dangan_server::limit::Rate;
use dangan_server::{router, token, Config, Store};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::path::PathBuf;

struct Server {
    url: String,
    store: Store,
    token: String,
    db: String,
    _dir: TempDir,
}

struct TempDir(PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
    /// SQLite, documents' files on disk beside it (`serve --files`).
    Files,
}

/// A fresh database for one test: a SQLite file in `dir`, or a new PostgreSQL database.
async fn database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite | Backend::Files => dir.join("sync.db").to_string_lossy().into_owned(),
        Backend::Postgres => {
            let admin = std::env::var("DANGAN_TEST_PG")
                .expect("DANGAN_TEST_PG must name a PostgreSQL server (scripts/test.sh starts one with scripts/pg.sh)");
            let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            let name = format!("t_{}", &token::generate()[4..20]);
            client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
            let base = admin.rsplit_once('/').unwrap().0;
            format!("{base}/{name}")
        }
    }
}

async fn start(backend: Backend, cfg: impl FnOnce(&mut Config, &PathBuf)) -> Server {
    let dir = std::env::temp_dir().join(format!("dangan-server-test-{}", token::generate()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = database(backend, &dir).await;
    let mut store = Store::open(&db).await.unwrap();
    if let Backend::Files = backend {
        store = store.with_files(&dir.join("files")).unwrap();
    }
    let t = token::generate();
    store.add_token("hotel-a", &token::hash(&t), "desk 1").await.unwrap();
    let other = token::generate();
    store.add_token("hotel-b", &token::hash(&other), "").await.unwrap();
    let mut config = Config::default();
    cfg(&mut config, &dir);
    let url = listen(store.clone(), config).await;
    Server { url, store, token: t, db, _dir: TempDir(dir) }
}

/// Serves another endpoint process on the same database (as behind a load balancer).
async fn second_process(s: &Server, config: Config) -> String {
    listen(Store::open(&s.db).await.unwrap(), config).await
}

async fn listen(store: Store, config: Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let guard = config.guard;
    tokio::spawn(dangan_server::serve(listener, router(store, config), guard));
    url
}

fn change(i: u64) -> WireChange {
    WireChange {
        id: format!("{:016}-00000-dev1", 1_763_856_000_000 + i),
        record: format!("r{}", i % 7),
        payload: format!("{{\"n\":{i}}}"),
    }
}

impl Server {
    async fn push(&self, changes: &[WireChange]) -> reqwest::Response {
        Client::new()
            .post(format!("{}/sync/v1/hotel-a/push", self.url))
            .bearer_auth(&self.token)
            .json(&json!({ "changes": changes }))
            .send()
            .await
            .unwrap()
    }
    async fn pull(&self, since: u64, limit: usize) -> PullResponse {
        let r = Client::new()
            .get(format!("{}/sync/v1/hotel-a/pull?since={since}&limit={limit}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }
    async fn stored(&self) -> u64 {
        self.store.count("hotel-a").await.unwrap()
    }
}

/// Asserts an error answer: its status, a JSON body with the code and a message containing `says`.
async fn refused(r: reqwest::Response, status: StatusCode, code: &str, says: &str) {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], code, "{body}");
    assert!(body["message"].as_str().unwrap().contains(says), "{body}");
}

async fn health_and_security_headers(backend: Backend) {
    let s = start(backend, |_, _| {}).await;
    let r = reqwest::get(format!("{}/health", s.url)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for (h, v) in
        [("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "no-referrer")]
    {
        assert_eq!(r.headers()[h], v);
    }
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self';",
        "worker-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"), "{csp}");
    assert!(r.headers()["permissions-policy"].to_str().unwrap().contains("camera=()"));
    assert!(r.headers().get("strict-transport-security").is_none(), "HSTS only when told the endpoint is behind HTTPS");
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"status": "ok", "protocol": 1}));

    // Behind an HTTPS proxy, with a second sync endpoint the app may use.
    let s = start(backend, |c, _| {
        c.hsts = true;
        c.connect_origins = vec!["https://sync.example.com:8443".into(), "javascript:alert(1)".into()];
    })
    .await;
    let r = reqwest::get(format!("{}/health", s.url)).await.unwrap();
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("connect-src 'self' https://sync.example.com:8443;"), "{csp}");
    assert!(!csp.contains("javascript"), "only origins go into the policy: {csp}");
}

async fn push_then_pull_in_pages_and_a_repeated_push_stores_nothing_twice(backend: Backend) {
    let s = start(backend, |_, _| {}).await;
    let batch: Vec<WireChange> = (0..5).map(change).collect();
    let r: PushResponse = s.push(&batch).await.json().await.unwrap();
    assert_eq!(r, PushResponse { stored: 5, duplicates: 0, cursor: 5, destroyed: 0 });
    // The answer was lost and the device pushes again, with one new change.
    let mut again = batch.clone();
    again.push(change(5));
    let r: PushResponse = s.push(&again).await.json().await.unwrap();
    assert_eq!(r, PushResponse { stored: 1, duplicates: 5, cursor: 6, destroyed: 0 });
    assert_eq!(s.stored().await, 6);
    // The same change twice in one batch is stored once.
    let r: PushResponse = s.push(&[change(6), change(6)]).await.json().await.unwrap();
    assert_eq!(r, PushResponse { stored: 1, duplicates: 1, cursor: 7, destroyed: 0 });
    assert_eq!(s.stored().await, 7);

    let p1 = s.pull(0, 4).await;
    assert_eq!(p1.changes.iter().map(|c| c.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert!(p1.has_more);
    assert_eq!(p1.cursor, 4);
    let p2 = s.pull(p1.cursor, 4).await;
    assert_eq!(p2.changes.iter().map(|c| c.seq).collect::<Vec<_>>(), [5, 6, 7]);
    assert!(!p2.has_more);
    let all: Vec<WireChange> = p1.changes.into_iter().chain(p2.changes).map(|p| p.change).collect();
    again.push(change(6));
    assert_eq!(all, again, "every change once, in push order, payload untouched");
    let p3 = s.pull(7, 10).await;
    assert!(p3.changes.is_empty() && !p3.has_more && p3.cursor == 7);
}

async fn concurrent_pushes_from_two_processes_get_gapless_increasing_cursors(backend: Backend) {
    let fast = |c: &mut Config| c.token_rate = Rate { per_second: 1000.0, burst: 1000.0 };
    let s = start(backend, |c, _| fast(c)).await;
    let mut config = Config::default();
    fast(&mut config);
    // Two endpoint processes on one database, pushes alternating between them.
    let urls = [s.url.clone(), second_process(&s, config).await];
    let tasks: Vec<_> = (0..20u64)
        .map(|k| {
            let (url, token) = (urls[k as usize % 2].clone(), s.token.clone());
            let batch: Vec<WireChange> = (k * 50..k * 50 + 50).map(change).collect();
            tokio::spawn(async move {
                let r = Client::new()
                    .post(format!("{url}/sync/v1/hotel-a/push"))
                    .bearer_auth(token)
                    .json(&json!({ "changes": batch }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                r.json::<PushResponse>().await.unwrap().stored
            })
        })
        .collect();
    let mut stored = 0;
    for t in tasks {
        stored += t.await.unwrap();
    }
    assert_eq!(stored, 1000);
    let page = s.pull(0, 5000).await;
    assert_eq!(page.changes.iter().map(|c| c.seq).collect::<Vec<_>>(), (1..=1000).collect::<Vec<_>>());
    let mut ids: Vec<&str> = page.changes.iter().map(|c| c.change.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1000, "each change exactly once");
}

async fn bad_requests_are_refused_clearly_and_store_nothing(backend: Backend) {
    let s = start(backend, |c, _| c.max_body = 64 * 1024).await;
    let url = format!("{}/sync/v1/hotel-a/push", s.url);
    let c = Client::new();
    let ok_batch = json!({"changes": [change(1)]});

    refused(c.post(&url).json(&ok_batch).send().await.unwrap(), StatusCode::UNAUTHORIZED, "missing_token", "Bearer")
        .await;
    let wrong = token::generate();
    refused(
        c.post(&url).bearer_auth(&wrong).json(&ok_batch).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "bad_token",
        "wrong",
    )
    .await;
    refused(
        c.post(&url).bearer_auth("letmein").json(&ok_batch).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "bad_token",
        "wrong",
    )
    .await;
    let other = format!("{}/sync/v1/hotel-b/push", s.url);
    refused(
        c.post(&other).bearer_auth(&s.token).json(&ok_batch).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "wrong_archive",
        "another archive",
    )
    .await;
    let unknown = format!("{}/sync/v1/nowhere/push", s.url);
    refused(
        c.post(&unknown).bearer_auth(&s.token).json(&ok_batch).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "unknown_archive",
        "nowhere",
    )
    .await;
    let bad_id = format!("{}/sync/v1/bad%20id/push", s.url);
    refused(
        c.post(&bad_id).bearer_auth(&s.token).json(&ok_batch).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_archive",
        "archive id",
    )
    .await;

    refused(
        c.post(&url).bearer_auth(&s.token).body("{\"changes\": [").send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed",
        "not a push request",
    )
    .await;
    refused(
        c.post(&url).bearer_auth(&s.token).body("[1,2]").send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed",
        "not a push request",
    )
    .await;
    let big = json!({"changes": [{"id": change(1).id, "record": "r", "payload": "x".repeat(70 * 1024)}]});
    refused(
        c.post(&url).bearer_auth(&s.token).json(&big).send().await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "larger than 65536 bytes",
    )
    .await;
    // One bad change refuses the whole batch: the good ones before it are not stored either.
    let mixed = json!({"changes": [change(1), change(2), {"id": "yesterday", "record": "r", "payload": "{}"}]});
    refused(
        c.post(&url).bearer_auth(&s.token).json(&mixed).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_change",
        "change 2: change id is not a clock value",
    )
    .await;
    let empty_payload = json!({"changes": [{"id": change(1).id, "record": "r", "payload": ""}]});
    refused(
        c.post(&url).bearer_auth(&s.token).json(&empty_payload).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_change",
        "payload",
    )
    .await;

    let pull = |q: &str| c.get(format!("{}/sync/v1/hotel-a/pull?{q}", s.url)).bearer_auth(&s.token).send();
    refused(pull("since=abc").await.unwrap(), StatusCode::BAD_REQUEST, "bad_query", "since=").await;
    refused(pull("limit=0").await.unwrap(), StatusCode::BAD_REQUEST, "bad_query", "limit").await;
    refused(pull("limit=999999").await.unwrap(), StatusCode::BAD_REQUEST, "bad_query", "limit").await;

    assert_eq!(s.stored().await, 0, "nothing of a refused request is stored");
    assert_eq!(s.store.count("hotel-b").await.unwrap(), 0);
}

async fn a_revoked_token_no_longer_opens_the_archive(backend: Backend) {
    let s = start(backend, |_, _| {}).await;
    let second = second_process(&s, Config::default()).await;
    let pull_on =
        |url: String| Client::new().get(format!("{url}/sync/v1/hotel-a/pull?since=0")).bearer_auth(&s.token).send();
    assert_eq!(s.push(&[change(1)]).await.status(), StatusCode::OK);
    assert_eq!(pull_on(second.clone()).await.unwrap().status(), StatusCode::OK, "the other process knows it");
    let prefix = token::hash(&s.token)[..12].to_string();
    assert_eq!(s.store.revoke_token(&prefix).await.unwrap(), 1);
    refused(s.push(&[change(2)]).await, StatusCode::UNAUTHORIZED, "bad_token", "revoked").await;
    let on_second = pull_on(second).await.unwrap();
    refused(on_second, StatusCode::UNAUTHORIZED, "bad_token", "revoked").await;
    assert_eq!(s.stored().await, 1);
}

async fn token_scopes_expiry_and_last_use(backend: Backend) {
    use dangan_server::store::NewToken;
    use dangan_server::token::Scope;
    let s = start(backend, |_, _| {}).await;
    let make = |scope, expires_at, label: &str| {
        let t = token::generate();
        let new = NewToken { archive: "hotel-a".into(), hash: token::hash(&t), label: label.into(), scope, expires_at };
        let store = s.store.clone();
        async move {
            store.create_token(&new).await.unwrap();
            t
        }
    };
    let admin = make(Scope::Admin, None, "manager").await;
    let expired = make(Scope::Device, Some(1_000), "old tablet").await;
    let later = make(Scope::Device, Some(dangan_server::store::now_ms() + 3_600_000), "temp tablet").await;
    let c = Client::new();
    let pull = |t: &str| c.get(format!("{}/sync/v1/hotel-a/pull?since=0", s.url)).bearer_auth(t).send();
    let list = |t: &str| c.get(format!("{}/admin/v1/hotel-a/tokens", s.url)).bearer_auth(t).send();

    refused(pull(&admin).await.unwrap(), StatusCode::FORBIDDEN, "wrong_scope", "administrator's token").await;
    let r =
        c.post(format!("{}/sync/v1/hotel-a/push", s.url)).bearer_auth(&admin).json(&json!({"changes": [change(1)]}));
    refused(r.send().await.unwrap(), StatusCode::FORBIDDEN, "wrong_scope", "device token").await;
    refused(list(&s.token).await.unwrap(), StatusCode::FORBIDDEN, "wrong_scope", "administrator's token").await;
    refused(pull(&expired).await.unwrap(), StatusCode::UNAUTHORIZED, "expired_token", "expired").await;
    let events = c.get(format!("{}/sync/v1/hotel-a/events", s.url)).bearer_auth(&admin).send().await.unwrap();
    refused(events, StatusCode::FORBIDDEN, "wrong_scope", "device").await;
    assert_eq!(pull(&later).await.unwrap().status(), StatusCode::OK, "not expired yet");
    assert_eq!(pull(&s.token).await.unwrap().status(), StatusCode::OK);
    assert_eq!(s.stored().await, 0);

    // The administrator lists the archive's tokens (never another archive's), with their use.
    let listed = async || -> Vec<Value> { list(&admin).await.unwrap().json().await.unwrap() };
    let rows = loop {
        let rows = listed().await;
        let used = |label: &str| rows.iter().any(|t| t["label"] == label && t["last_used_at"].is_i64());
        if used("desk 1") && used("temp tablet") && used("manager") {
            break rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows.iter().all(|t| t["archive"] == "hotel-a"));
    let by = |label: &str| rows.iter().find(|t| t["label"] == label).unwrap().clone();
    assert_eq!((by("manager")["scope"].clone(), by("manager")["state"].clone()), (json!("admin"), json!("active")));
    assert_eq!(by("old tablet")["state"], "expired");
    assert!(by("old tablet")["last_used_at"].is_null(), "an expired token's attempt is not a use");
    assert!(rows.iter().all(|t| t.get("hash").is_none() && t["hash_prefix"].as_str().unwrap().len() == 12));
    assert!(s.store.tokens().await.unwrap().iter().any(|t| t.label == "desk 1" && t.last_used_at.is_some()));
}

async fn rate_limits_per_token_and_per_address(backend: Backend) {
    let s = start(backend, |c, _| c.token_rate = Rate { per_second: 0.01, burst: 3.0 }).await;
    for i in 0..3 {
        assert_eq!(s.push(&[change(i)]).await.status(), StatusCode::OK);
    }
    let r = s.push(&[change(3)]).await;
    assert_eq!(r.headers()["retry-after"], "1");
    refused(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited", "this token").await;
    assert_eq!(s.stored().await, 3, "the refused push stored nothing");

    let s = start(backend, |c, _| c.ip_rate = Rate { per_second: 0.01, burst: 2.0 }).await;
    for _ in 0..2 {
        Client::new().get(format!("{}/sync/v1/hotel-a/pull", s.url)).send().await.unwrap();
    }
    // Even a wrong token is counted: guessing tokens from one address is slowed down.
    refused(s.push(&[change(1)]).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited", "this address").await;
    assert_eq!(s.stored().await, 0);
}

async fn cors_answers_allowed_origins_only(backend: Backend) {
    let s = start(backend, |c, _| c.allow_origins = vec!["https://desk.example".into()]).await;
    let preflight = |origin: &'static str| {
        Client::new()
            .request(reqwest::Method::OPTIONS, format!("{}/sync/v1/hotel-a/push", s.url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .send()
    };
    let ok = preflight("https://desk.example").await.unwrap();
    assert_eq!(ok.headers()["access-control-allow-origin"], "https://desk.example");
    assert!(ok.headers()["access-control-allow-headers"].to_str().unwrap().contains("authorization"));
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

async fn serves_the_built_app_with_the_shell_for_unknown_paths(backend: Backend) {
    let s = start(backend, |c, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html><title>档案</title>").unwrap();
        std::fs::write(dist.join("app.wasm"), b"\0asm").unwrap();
        c.dist = Some(dist);
    })
    .await;
    let index = reqwest::get(format!("{}/", s.url)).await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    assert!(index.text().await.unwrap().contains("档案"));
    let wasm = reqwest::get(format!("{}/app.wasm", s.url)).await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let deep = reqwest::get(format!("{}/some/where", s.url)).await.unwrap();
    assert_eq!(deep.headers()["cache-control"], "no-cache", "the shell is revalidated, so a new build shows");
    assert!(deep.text().await.unwrap().contains("档案"));
    // The API keeps its JSON errors next to the app.
    refused(
        reqwest::get(format!("{}/sync/v1/hotel-a/pull", s.url)).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "missing_token",
        "Bearer",
    )
    .await;
}

/// Static files do not touch the sync store: one backend is enough.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serves_precompressed_copies_and_caches_hashed_files_for_a_year() {
    let backend = Backend::Sqlite;
    use std::io::{Read, Write};
    let wasm: Vec<u8> = (0..200_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
    let name = "dangan-0f1e2d3c4b5a6978_bg.wasm";
    let s = start(backend, |c, dir| {
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html><title>档案</title>").unwrap();
        std::fs::write(dist.join(name), &wasm).unwrap();
        let mut br = Vec::new();
        brotli::CompressorWriter::new(&mut br, 4096, 9, 22).write_all(&wasm).unwrap();
        std::fs::write(dist.join(format!("{name}.br")), br).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&wasm).unwrap();
        std::fs::write(dist.join(format!("{name}.gz")), gz.finish().unwrap()).unwrap();
        c.dist = Some(dist);
    })
    .await;
    let get = |encoding: &'static str| {
        Client::new().get(format!("{}/{name}", s.url)).header("accept-encoding", encoding).send()
    };
    let br = get("gzip, deflate, br").await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "application/wasm");
    assert_eq!(br.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(br.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    let body = br.bytes().await.unwrap();
    assert!(body.len() < wasm.len() / 4, "sent {} bytes of {}", body.len(), wasm.len());
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&body[..], 4096).read_to_end(&mut decoded).unwrap();
    assert!(decoded == wasm, "the brotli answer decodes to the file");
    let gz = get("gzip").await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes().await.unwrap()[..]).read_to_end(&mut decoded).unwrap();
    assert!(decoded == wasm, "the gzip answer decodes to the file");
    let plain = get("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.bytes().await.unwrap() == wasm);
    let index =
        Client::new().get(format!("{}/index.html", s.url)).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert!(index.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
}

async fn the_archive_key_is_set_once_and_read_back(backend: Backend) {
    let s = start(backend, |_, _| {}).await;
    let c = Client::new();
    let url = format!("{}/sync/v1/hotel-a/key", s.url);
    refused(c.get(&url).bearer_auth(&s.token).send().await.unwrap(), StatusCode::NOT_FOUND, "no_key", "not encrypted")
        .await;
    let key = json!({"salt": "c2FsdHNhbHRzYWx0c2FsdA==", "iterations": 600000, "check": "Y2hlY2s="});
    refused(c.put(&url).json(&key).send().await.unwrap(), StatusCode::UNAUTHORIZED, "missing_token", "Bearer").await;
    let weak = json!({"salt": "c2FsdHNhbHRzYWx0c2FsdA==", "iterations": 1000, "check": "Y2hlY2s="});
    refused(
        c.put(&url).bearer_auth(&s.token).json(&weak).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_key",
        "600000",
    )
    .await;
    let r = c.put(&url).bearer_auth(&s.token).json(&key).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let other = json!({"salt": "b3RoZXJvdGhlcm90aGVyb3Q=", "iterations": 600000, "check": "eHl6"});
    refused(
        c.put(&url).bearer_auth(&s.token).json(&other).send().await.unwrap(),
        StatusCode::CONFLICT,
        "key_exists",
        "passphrase",
    )
    .await;
    let got: Value = c.get(&url).bearer_auth(&s.token).send().await.unwrap().json().await.unwrap();
    assert_eq!(got, key, "the first key stays");
}

async fn pulled_pages_are_compressed_for_a_client_that_accepts_it(backend: Backend) {
    use std::io::Read;
    let s = start(backend, |_, _| {}).await;
    let changes: Vec<WireChange> = (0..200).map(change).collect();
    assert_eq!(s.push(&changes).await.status(), StatusCode::OK);
    let get = |encoding: &'static str| {
        Client::new()
            .get(format!("{}/sync/v1/hotel-a/pull?since=0&limit=500", s.url))
            .bearer_auth(&s.token)
            .header("accept-encoding", encoding)
            .send()
    };
    let plain = get("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    // Chromium and Firefox offer zstd: they get it; Safari offers gzip and br: it gets gzip.
    let zstd = get("gzip, deflate, br, zstd").await.unwrap();
    assert_eq!(zstd.headers()["content-encoding"], "zstd");
    let zstd = zstd.bytes().await.unwrap();
    let gzip = get("gzip, deflate, br").await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let gzip = gzip.bytes().await.unwrap();
    let mut from_gzip = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..]).read_to_end(&mut from_gzip).unwrap();
    for (name, body, decoded) in [("zstd", &zstd, zstd::decode_all(&zstd[..]).unwrap()), ("gzip", &gzip, from_gzip)] {
        assert!(body.len() * 4 < plain.len(), "{name}: {} bytes compressed of {}", body.len(), plain.len());
        assert!(decoded == plain, "the {name} page decodes to the same page");
        let page: PullResponse = serde_json::from_slice(&decoded).unwrap();
        assert_eq!(page.changes.len(), 200);
    }
    // The live stream is never compressed (it would hold events back).
    let live = Client::new()
        .get(format!("{}/sync/v1/hotel-a/events", s.url))
        .bearer_auth(&s.token)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert!(live.headers().get("content-encoding").is_none());
}

/// A live connection's events as they arrive.
struct Live(reqwest::Response, String);

impl Live {
    async fn open(url: &str, token: &str) -> Live {
        let r = Client::new().get(format!("{url}/sync/v1/hotel-a/events")).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "text/event-stream");
        Live(r, String::new())
    }

    /// The next event (name and data) within `secs`, skipping keep-alive comments; `None` when
    /// none came or the connection ended.
    async fn next(&mut self, secs: u64) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            if let Some(end) = self.1.find("\n\n") {
                let block: String = self.1.drain(..end + 2).collect();
                let field = |name: &str| block.lines().find_map(|l| l.strip_prefix(name)).map(str::to_string);
                if let (Some(e), Some(d)) = (field("event: "), field("data: ")) {
                    return Some((e, d));
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.0.chunk()).await.ok()?.ok()??;
            self.1.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn a_live_connection_hears_of_each_push_to_its_archive_only(backend: Backend) {
    let s = start(backend, |c, _| c.live_recheck = std::time::Duration::from_millis(300)).await;
    let mut live = Live::open(&s.url, &s.token).await;
    assert_eq!(live.next(5).await, Some(("ready".into(), "0".into())));
    // A push by this or another device: the number, within a moment, and no data.
    assert_eq!(s.push(&[change(1), change(2)]).await.status(), StatusCode::OK);
    assert_eq!(live.next(5).await, Some(("cursor".into(), "2".into())));
    // A push that stores nothing new is no news; another archive's push is not heard.
    assert_eq!(s.push(&[change(2)]).await.status(), StatusCode::OK);
    let other = token::generate();
    s.store.add_token("hotel-b", &token::hash(&other), "").await.unwrap();
    let r = Client::new()
        .post(format!("{}/sync/v1/hotel-b/push", s.url))
        .bearer_auth(&other)
        .json(&json!({ "changes": [change(9)] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(live.next(1).await, None, "nothing to tell");
    // Without a token, or with another archive's, there is no connection.
    let r = Client::new().get(format!("{}/sync/v1/hotel-a/events", s.url)).send().await.unwrap();
    refused(r, StatusCode::UNAUTHORIZED, "missing_token", "Bearer").await;
    let r = Client::new().get(format!("{}/sync/v1/hotel-a/events", s.url)).bearer_auth(&other).send().await.unwrap();
    refused(r, StatusCode::FORBIDDEN, "wrong_archive", "another archive").await;
    // A revoked token's open connection ends at the next check.
    s.store.revoke_token(&token::hash(&s.token)[..12]).await.unwrap();
    let ended =
        tokio::time::timeout(std::time::Duration::from_secs(5), async { while live.next(5).await.is_some() {} }).await;
    assert!(ended.is_ok(), "the connection of a revoked token was not closed");
}

async fn a_device_connected_to_one_process_hears_of_a_push_to_another(backend: Backend) {
    let s = start(backend, |_, _| {}).await;
    let second = second_process(&s, Config::default()).await;
    let mut live = Live::open(&second, &s.token).await;
    assert_eq!(live.next(5).await, Some(("ready".into(), "0".into())));
    assert_eq!(s.push(&[change(1)]).await.status(), StatusCode::OK);
    assert_eq!(live.next(5).await, Some(("cursor".into(), "1".into())), "told through LISTEN/NOTIFY");
}

/// Issue 18: a destruction erases every stored change of the records it names, leaves a tombstone
/// that keeps a late push of them out, numbers itself once per application, and leaves no byte of
/// the guest in the database. Only an administrator's token may ask for it.
async fn a_destruction_erases_the_records_and_leaves_a_tombstone(backend: Backend) {
    use dangan::domain::sync::protocol::{DestroyResponse, PushResponse};
    use dangan_server::store::NewToken;
    use dangan_server::token::Scope;
    let s = start(backend, |_, _| {}).await;
    let admin = token::generate();
    let new = NewToken {
        archive: "hotel-a".into(),
        hash: token::hash(&admin),
        label: "manager".into(),
        scope: Scope::Admin,
        expires_at: None,
    };
    s.store.create_token(&new).await.unwrap();
    let at = |i: u64, record: &str, payload: &str| WireChange {
        id: format!("{:016}-00000-dev1", 1_763_856_000_000 + i),
        record: record.into(),
        payload: payload.into(),
    };
    let guest = r#"{"name":"欧阳锋","phones":["13987654321"]}"#;
    let changes = [
        at(1, "p:g1", guest),
        at(2, "h:x1", r#"{"profile_id":"g1","entry":{"note":"欧阳锋 住 808"}}"#),
        at(3, "p:g1", r#"{"notes":"欧阳锋 喜欢高楼层"}"#),
        at(4, "p:other", r#"{"name":"黄药师"}"#),
    ];
    assert_eq!(s.push(&changes).await.status(), StatusCode::OK);
    let c = Client::new();
    let destroy =
        |t: &str, body: Value| c.post(format!("{}/admin/v1/hotel-a/destroy", s.url)).bearer_auth(t).json(&body).send();
    let body = |application: &str, at_least: u32| json!({"application": application, "year": 2026, "at_least": at_least, "records": ["p:g1", "h:x1"]});
    // The guest's ID scan (a document's file) and another guest's photo in the blob store.
    let hex = |b: &[u8]| {
        use sha2::Digest;
        sha2::Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect::<String>()
    };
    let (scan, photo) = ("scan of 欧阳锋's ID card".as_bytes().to_vec(), b"a photo of another guest".to_vec());
    let blob_url = |b: &[u8]| format!("{}/sync/v1/hotel-a/blobs/{}", s.url, hex(b));
    for b in [&scan, &photo] {
        let put = c.put(blob_url(b)).bearer_auth(&s.token).body(b.to_vec()).send().await.unwrap();
        assert_eq!(put.status(), StatusCode::CREATED);
    }

    refused(destroy(&s.token, body("app1", 0)).await.unwrap(), StatusCode::FORBIDDEN, "wrong_scope", "device token")
        .await;
    assert_eq!(s.stored().await, 4, "a device token erases nothing");
    let bad = json!({"application": "app1", "year": 2026, "records": []});
    refused(destroy(&admin, bad).await.unwrap(), StatusCode::BAD_REQUEST, "bad_destroy", "records").await;

    let mut first = body("app1", 0);
    first["blobs"] = json!([hex(&scan)]);
    let done: DestroyResponse = destroy(&admin, first).await.unwrap().json().await.unwrap();
    assert_eq!(done, DestroyResponse { register: "XH-2026-0001".into(), erased: 3 });
    let status = |b: &[u8]| c.get(blob_url(b)).bearer_auth(&s.token).send();
    assert_eq!(status(&scan).await.unwrap().status(), StatusCode::NOT_FOUND, "the guest's file went with them");
    assert_eq!(status(&photo).await.unwrap().status(), StatusCode::OK, "another guest's file stays");
    let again: DestroyResponse = destroy(&admin, body("app1", 0)).await.unwrap().json().await.unwrap();
    assert_eq!(again, DestroyResponse { register: "XH-2026-0001".into(), erased: 0 }, "asked again: the same number");
    let next: DestroyResponse = destroy(&admin, body("app2", 0)).await.unwrap().json().await.unwrap();
    assert_eq!(next.register, "XH-2026-0002");
    let above: DestroyResponse = destroy(&admin, body("app3", 7)).await.unwrap().json().await.unwrap();
    assert_eq!(above.register, "XH-2026-0007", "numbers given before the archive synced are not given again");

    let left = s.pull(0, 100).await;
    assert_eq!(left.changes.iter().map(|p| p.change.record.as_str()).collect::<Vec<_>>(), ["p:other"]);
    // A device offline since pushes an edit of the destroyed guest: the tombstone keeps it out.
    let late: PushResponse = s.push(&[at(9, "p:g1", guest), at(10, "p:other", "{}")]).await.json().await.unwrap();
    assert_eq!((late.stored, late.duplicates, late.destroyed), (1, 0, 1));
    assert!(s.pull(0, 100).await.changes.iter().all(|p| p.change.record == "p:other"));

    // No byte of the guest's name or phone is left where the endpoint keeps its data.
    let needles = ["欧阳锋", "13987654321", "scan of"];
    if let Backend::Files = backend {
        // The files on disk: the photo kept, the scan's file gone.
        let files = std::path::Path::new(&s.db).with_file_name("files").join("hotel-a");
        let on_disk = |b: &[u8]| files.join(&hex(b)[..2]).join(hex(b)).is_file();
        assert!(!on_disk(&scan) && on_disk(&photo));
    }
    match backend {
        Backend::Sqlite | Backend::Files => {
            let mut bytes = std::fs::read(&s.db).unwrap();
            bytes.extend(std::fs::read(format!("{}-wal", s.db)).unwrap_or_default());
            for n in needles {
                assert!(!bytes.windows(n.len()).any(|w| w == n.as_bytes()), "{n} is still in the SQLite file");
            }
            let kept = "黄药师".as_bytes();
            assert!(bytes.windows(kept.len()).any(|w| w == kept), "the check can see a guest who is kept");
        }
        Backend::Postgres => {
            let (client, conn) = tokio_postgres::connect(&s.db, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            for table in ["changes", "tombstones", "registers", "archives"] {
                let rows = client.query(&format!("SELECT t::text FROM {table} t"), &[]).await.unwrap();
                for r in rows {
                    let row: String = r.get(0);
                    for n in needles {
                        assert!(!row.contains(n), "{n} is still in {table}: {row}");
                    }
                }
            }
        }
    }
}

/// Issue 19: documents' files are stored by the SHA-256 of their bytes, once per archive; bytes
/// that do not hash to the name, a file over the limit or a wrong token store nothing.
async fn blobs_are_stored_once_by_their_hash_and_checked_on_arrival(backend: Backend) {
    use sha2::Digest;
    let s = start(backend, |_, _| {}).await;
    let c = Client::new();
    let hex = |b: &[u8]| sha2::Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect::<String>();
    let photo: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let name = hex(&photo);
    let url = |n: &str| format!("{}/sync/v1/hotel-a/blobs/{n}", s.url);
    let put = |n: String, body: Vec<u8>, token: String| c.put(url(&n)).bearer_auth(token).body(body).send();

    assert_eq!(put(name.clone(), photo.clone(), s.token.clone()).await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(
        put(name.clone(), photo.clone(), s.token.clone()).await.unwrap().status(),
        StatusCode::OK,
        "stored once"
    );
    assert_eq!(s.store.blob_count("hotel-a").await.unwrap(), 1);
    if let Backend::Files = backend {
        // In its own file beside the database, not in it.
        let file = std::path::Path::new(&s.db).with_file_name("files").join("hotel-a").join(&name[..2]).join(&name);
        assert_eq!(std::fs::read(file).unwrap(), photo);
        let db = std::fs::read(&s.db).unwrap();
        assert!(!db.windows(64).any(|w| w == &photo[1000..1064]), "not in the SQLite file");
    }
    // Offered compression, a file comes as it is: pictures do not shrink.
    let got = c.get(url(&name)).bearer_auth(&s.token).header("accept-encoding", "gzip, zstd").send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert!(got.headers().get("content-encoding").is_none(), "a file is not compressed again");
    assert_eq!(got.bytes().await.unwrap().to_vec(), photo);

    let mut damaged = photo.clone();
    damaged[7] ^= 1;
    refused(put(name.clone(), damaged, s.token.clone()).await.unwrap(), StatusCode::BAD_REQUEST, "bad_hash", "hash to")
        .await;
    refused(put("abc".into(), vec![1], s.token.clone()).await.unwrap(), StatusCode::BAD_REQUEST, "bad_hash", "SHA-256")
        .await;
    let big = vec![7u8; dangan::domain::sync::protocol::MAX_BLOB + 1];
    refused(put(hex(&big), big, s.token.clone()).await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE, "too_large", "at most")
        .await;
    let wrong = token::generate();
    refused(
        put(name.clone(), photo.clone(), wrong.clone()).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "bad_token",
        "wrong",
    )
    .await;
    refused(
        c.get(url(&name)).bearer_auth(&wrong).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "bad_token",
        "wrong",
    )
    .await;
    refused(
        c.get(url(&hex(b"nothing"))).bearer_auth(&s.token).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "no_blob",
        "no such file",
    )
    .await;
    assert_eq!(s.store.blob_count("hotel-a").await.unwrap(), 1, "nothing refused was stored");
}

/// Runs each test on both backends.
macro_rules! on_both {
    ($($name:ident),+) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                super::$name(super::Backend::Sqlite).await
            })+
        }
        /// Ignored by a plain `cargo test`: they need a PostgreSQL server. Run them with
        /// `DANGAN_TEST_PG=$(scripts/pg.sh start) cargo test -p dangan-server -- --include-ignored`
        /// (scripts/test.sh does).
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[ignore = "needs PostgreSQL: DANGAN_TEST_PG=$(scripts/pg.sh start) cargo test -- --include-ignored"]
            async fn $name() {
                super::$name(super::Backend::Postgres).await
            })+
        }
    };
}

/// Documents' files on disk beside the database (`serve --files`): the tests that touch them.
mod files_on_disk {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn blobs_are_stored_once_by_their_hash_and_checked_on_arrival() {
        super::blobs_are_stored_once_by_their_hash_and_checked_on_arrival(super::Backend::Files).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_destruction_erases_the_records_and_leaves_a_tombstone() {
        super::a_destruction_erases_the_records_and_leaves_a_tombstone(super::Backend::Files).await
    }
}

on_both!(
    blobs_are_stored_once_by_their_hash_and_checked_on_arrival,
    a_destruction_erases_the_records_and_leaves_a_tombstone,
    pulled_pages_are_compressed_for_a_client_that_accepts_it,
    a_live_connection_hears_of_each_push_to_its_archive_only,
    the_archive_key_is_set_once_and_read_back,
    health_and_security_headers,
    push_then_pull_in_pages_and_a_repeated_push_stores_nothing_twice,
    concurrent_pushes_from_two_processes_get_gapless_increasing_cursors,
    bad_requests_are_refused_clearly_and_store_nothing,
    a_revoked_token_no_longer_opens_the_archive,
    token_scopes_expiry_and_last_use,
    rate_limits_per_token_and_per_address,
    cors_answers_allowed_origins_only,
    serves_the_built_app_with_the_shell_for_unknown_paths
);

/// Several processes share one database only with PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: DANGAN_TEST_PG=$(scripts/pg.sh start) cargo test -- --include-ignored"]
async fn postgres_a_device_connected_to_one_process_hears_of_a_push_to_another() {
    a_device_connected_to_one_process_hears_of_a_push_to_another(Backend::Postgres).await
}

// Abuse: clients that stall, send too much, hold too many connections or guess tokens.

/// A raw connection to `url` from the loopback address `from` (127.0.0.x are all this machine).
async fn raw(url: &str, from: &str) -> tokio::net::TcpStream {
    let addr: std::net::SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr).await.unwrap()
}

/// What the endpoint sends on `conn` until it closes it (within `secs`); `None` if it stays open.
async fn until_closed(conn: &mut tokio::net::TcpStream, secs: f64) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs_f64(secs), conn.read_to_end(&mut got)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(_) => None,
    }
}

/// A client whose requests come from the loopback address `from`.
fn client_from(from: &str) -> Client {
    Client::builder().local_address(from.parse::<std::net::IpAddr>().unwrap()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_stalling_in_its_request_head_is_cut_off_and_others_are_served() {
    use tokio::io::AsyncWriteExt;
    let s = start(Backend::Sqlite, |c, _| c.guard.header_timeout = std::time::Duration::from_millis(500)).await;
    let mut stalled = Vec::new();
    for _ in 0..200 {
        let mut c = raw(&s.url, "127.0.0.1").await;
        c.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Half: ").await.unwrap();
        stalled.push(c);
    }
    // Meanwhile the endpoint answers everyone else.
    assert_eq!(reqwest::get(format!("{}/health", s.url)).await.unwrap().status(), StatusCode::OK);
    for c in &mut stalled {
        assert!(until_closed(c, 3.0).await.is_some(), "a stalled request head kept its connection open");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_body_sent_too_slowly_is_answered_408_and_stores_nothing() {
    use tokio::io::AsyncWriteExt;
    let s = start(Backend::Sqlite, |c, _| c.guard.body_timeout = std::time::Duration::from_millis(500)).await;
    let mut c = raw(&s.url, "127.0.0.1").await;
    let head = format!(
        "POST /sync/v1/hotel-a/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"changes\":[",
        s.token
    );
    c.write_all(head.as_bytes()).await.unwrap();
    let answer = until_closed(&mut c, 3.0).await.expect("the slow body is cut off");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"error\":\"timeout\"") && answer.contains("did not arrive within"), "{answer}");
    assert_eq!(s.stored().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_head_over_the_limit_is_refused_with_431() {
    let s = start(Backend::Sqlite, |_, _| {}).await;
    let r = Client::new().get(format!("{}/health", s.url)).header("x-big", "a".repeat(20_000)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    let r = Client::new().get(format!("{}/health", s.url)).header("x-fine", "a".repeat(4_000)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_address_holds_only_so_many_connections_and_other_addresses_are_not_affected() {
    let s = start(Backend::Sqlite, |c, _| c.guard.per_address = 5).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(raw(&s.url, "127.0.0.1").await);
    }
    // Give the endpoint a moment to take the five before the sixth.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut sixth = raw(&s.url, "127.0.0.1").await;
    assert_eq!(until_closed(&mut sixth, 2.0).await.as_deref(), Some(""), "the sixth connection is closed at once");
    let other = client_from("127.0.0.2").get(format!("{}/health", s.url)).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::OK, "another address is served");
    for mut c in held.drain(..) {
        use tokio::io::AsyncWriteExt;
        c.shutdown().await.unwrap();
        let _ = until_closed(&mut c, 2.0).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let again = client_from("127.0.0.1").get(format!("{}/health", s.url)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "closed connections give their places back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_wrong_tokens_is_refused_unchecked_for_its_address_only() {
    let s = start(Backend::Sqlite, |c, _| c.bad_token_rate = Rate { per_second: 0.001, burst: 5.0 }).await;
    let pull = |from: &str, tok: &str| {
        client_from(from).get(format!("{}/sync/v1/hotel-a/pull?since=0", s.url)).bearer_auth(tok).send()
    };
    // A device behind the same address as the guesser, seen before the flood.
    assert_eq!(pull("127.0.0.3", &s.token).await.unwrap().status(), StatusCode::OK);
    for _ in 0..5 {
        refused(pull("127.0.0.3", &token::generate()).await.unwrap(), StatusCode::UNAUTHORIZED, "bad_token", "wrong")
            .await;
    }
    for _ in 0..20 {
        let r = pull("127.0.0.3", &token::generate()).await.unwrap();
        refused(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many wrong access tokens").await;
    }
    refused(pull("127.0.0.3", "garbage").await.unwrap(), StatusCode::TOO_MANY_REQUESTS, "rate_limited", "wrong").await;
    assert_eq!(pull("127.0.0.3", &s.token).await.unwrap().status(), StatusCode::OK, "a known device still syncs");
    let elsewhere = pull("127.0.0.4", &token::generate()).await.unwrap();
    refused(elsewhere, StatusCode::UNAUTHORIZED, "bad_token", "wrong").await;
}
