//! Benchmark: push and pull the changes of N generated profiles (default 100,000) with their
//! history (`SYNC_HISTORY` items each, default 3: a stay, a bill, a complaint) over loopback HTTP,
//! on SQLite and (when `DANGAN_BENCH_PG` names a server) PostgreSQL. Each change is a record's
//! creation as the app would send it. Prints changes per second.
//!
//! `cargo run --release -p dangan-server --example sync_bench [N]`
//! `… --example sync_bench N --push-to http://host:port/sync/v1/<archive> <token>` only pushes the
//! changes to a running endpoint (the new-device benchmark in tests/e2e/sync-bench.mjs).

use dangan::domain::sync::protocol::{PullResponse, PushResponse, WireChange};
use dangan::domain::sync::{RecordKey, Replica};
use dangan::testdata;
use dangan_server::{router, token, Config, Store};
use std::time::Instant;

const BATCH: usize = 2_000;

/// The changes that create profiles `range` with their history, as a device would send them.
/// Each call has its own replica (ticks strictly later for later profiles, so the clocks of
/// successive calls keep going up), so that a million profiles need not be held at once.
fn changes_of(range: std::ops::Range<usize>, per_profile: usize) -> Vec<WireChange> {
    let mut device = Replica::new("bench1");
    let now: u64 = 1_763_856_000_000;
    let mut changes: Vec<WireChange> = Vec::with_capacity(range.len() * (1 + per_profile));
    let mut save = |key: RecordKey, value: serde_json::Value, at: u64| {
        let c = device.save(&key, &value, "bench", at).unwrap();
        changes.push(WireChange { id: c.id(), record: key.text(), payload: serde_json::to_string(&c).unwrap() });
    };
    for i in range {
        let p = testdata::profile(7, i, now as i64);
        save(RecordKey::profile(&p.id), serde_json::to_value(&p).unwrap(), now + i as u64);
        for h in testdata::history(&p, 7, per_profile) {
            save(RecordKey::history(&h.id), serde_json::to_value(&h).unwrap(), now + i as u64);
        }
    }
    changes
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let per_profile: usize = std::env::var("SYNC_HISTORY").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--push-to") {
        // Generated and pushed a slice at a time: a million profiles' changes at once would not
        // fit in this machine's memory.
        let (url, tok) = (&args[i + 1], &args[i + 2]);
        let (t, client, mut pushed) = (Instant::now(), reqwest::Client::new(), 0);
        for start in (0..n).step_by(10_000) {
            let changes = changes_of(start..(start + 10_000).min(n), per_profile);
            push_all(&client, url, tok, &changes).await;
            pushed += changes.len();
        }
        println!("generated and pushed {pushed} changes to {url} in {:.2} s", t.elapsed().as_secs_f64());
        return;
    }
    let t = Instant::now();
    let changes = changes_of(0..n, per_profile);
    let bytes: usize = changes.iter().map(|c| c.payload.len()).sum();
    println!(
        "{n} profiles with {per_profile} history items each: {} changes generated in {:.1} s, payload {:.0} bytes on average",
        changes.len(),
        t.elapsed().as_secs_f64(),
        bytes as f64 / changes.len() as f64
    );
    let dir = std::env::temp_dir().join(format!("dangan-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut targets = vec![("SQLite", dir.join("bench.db").to_string_lossy().into_owned())];
    if let Ok(pg) = std::env::var("DANGAN_BENCH_PG") {
        targets.push(("PostgreSQL", pg));
    }
    for (name, db) in targets {
        run(name, &db, &changes).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

async fn run(name: &str, db: &str, changes: &[WireChange]) {
    let store = Store::open(db).await.unwrap();
    let archive = format!("bench-{}", &token::generate()[4..12]);
    let tok = token::generate();
    store.add_token(&archive, &token::hash(&tok), "bench").await.unwrap();
    let mut cfg = Config::default();
    cfg.token_rate.per_second = 1e6;
    cfg.token_rate.burst = 1e6;
    cfg.ip_rate = cfg.token_rate;
    cfg.max_body = 64 * 1024 * 1024;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sync/v1/{archive}", listener.local_addr().unwrap());
    let guard = cfg.guard;
    tokio::spawn(dangan_server::serve(listener, router(store, cfg), guard));
    let client = reqwest::Client::new();

    let t = Instant::now();
    push_all(&client, &url, &tok, changes).await;
    let push = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let (mut since, mut got) = (0, 0);
    loop {
        let page: PullResponse = client
            .get(format!("{url}/pull?since={since}&limit=5000"))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        got += page.changes.len();
        since = page.cursor;
        if !page.has_more {
            break;
        }
    }
    let pull = t.elapsed().as_secs_f64();
    assert_eq!(got, changes.len());
    let n = changes.len() as f64;
    println!(
        "{name:<10} push {:>8.0} changes/s ({:.2} s, batches of {BATCH})   pull {:>8.0} changes/s ({:.2} s, pages of 5000)",
        n / push,
        push,
        n / pull,
        pull
    );
}

/// Pushes in batches; a batch refused by the endpoint's rate limit is sent again a second later
/// (its `Retry-After`), as a device does.
async fn push_all(client: &reqwest::Client, url: &str, tok: &str, changes: &[WireChange]) {
    for batch in changes.chunks(BATCH) {
        let body = serde_json::to_vec(&serde_json::json!({ "changes": batch })).unwrap();
        loop {
            let r = client
                .post(format!("{url}/push"))
                .bearer_auth(tok)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await;
            // Refused before its body was read, the request may also end in a broken pipe.
            let r = match r {
                Ok(r) if r.status() != reqwest::StatusCode::TOO_MANY_REQUESTS => r,
                _ => {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            let r: PushResponse = r.json().await.unwrap();
            assert_eq!(r.stored, batch.len());
            break;
        }
    }
}
