//! `dangan-load`: many simulated devices against real endpoint processes on this machine, for a
//! bounded time, then a check that nothing was lost or delivered twice. Not a test of its own:
//! `scripts/load.sh` runs the full figures; `server/tests/load.rs` runs a short one in CI.
//!
//! Each device does what the app does: it holds its live connection (`/events`), pulls whenever
//! it is told of a cursor beyond its own (one pull at a time, caught up page by page), and pushes
//! a small batch (1–5 changes) now and then, sending the same batch again until it is answered;
//! a 429 is waited out for its `Retry-After`. Each device connects from an address of its own
//! (127.0.0.2, 127.0.0.3, …) as tablets on a network do.
//!
//! At the end every device must have pulled every change that any device had answered, exactly
//! once, with gapless cursors. `--kill-at` kills an endpoint process with SIGKILL mid-run and
//! starts it again on the same database and port (crash safety).

use clap::Parser;
use dangan::domain::sync::live::{EventReader, LiveEvent};
use dangan::domain::sync::protocol::{PullResponse, PushResponse, WireChange};
use dangan::domain::sync::{RecordKey, Replica};
use dangan_server::store::NewToken;
use dangan_server::token::{self, Scope};
use dangan_server::Store;
use futures_util::StreamExt;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Simulated devices against endpoint processes started here (loopback only).
#[derive(Parser, Debug)]
#[command(name = "dangan-load", version, about)]
struct Args {
    /// Devices (1–1000)
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=1000))]
    devices: u32,
    /// Archives the devices share out (a hotel group's houses; devices go round-robin)
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    archives: u32,
    /// How long the devices push (1–600 s); they then catch up
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=600))]
    seconds: u64,
    /// Mean time between one device's pushes, in milliseconds
    #[arg(long, default_value_t = 2000)]
    push_every_ms: u64,
    /// A SQLite file (default: a new one in a temporary folder) or a PostgreSQL URL of a server
    /// where a new database is created for the run (postgres://user@host/postgres)
    #[arg(long)]
    db: Option<String>,
    /// Endpoint processes on the database (more than one needs PostgreSQL)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4))]
    processes: u32,
    /// Kill the first endpoint process with SIGKILL this many seconds into the run, and restart it
    #[arg(long)]
    kill_at: Option<u64>,
    /// The endpoint binary (default: dangan-server beside this one)
    #[arg(long)]
    server: Option<PathBuf>,
}

/// One request's outcome: its kind, its HTTP status (0: no answer), and its time.
struct Sample {
    kind: &'static str,
    status: u16,
    micros: u64,
    at: Instant,
}

/// What one device saw.
#[derive(Default)]
struct DeviceLog {
    samples: Vec<Sample>,
    /// Ids of changes this device pushed and had answered.
    acknowledged: Vec<String>,
    /// (seq, id) of every change pulled, in order.
    pulled: Vec<(u64, String)>,
}

struct Device {
    n: u32,
    archive: String,
    token: String,
    /// Pushes and pulls (an answer takes at most 30 s).
    client: reqwest::Client,
    /// The live connection (no overall time limit).
    live: reqwest::Client,
    base: String,
    log: Mutex<DeviceLog>,
    cursor: AtomicU64,
}

impl Device {
    fn record(&self, kind: &'static str, status: u16, started: Instant) {
        let micros = started.elapsed().as_micros() as u64;
        self.log.lock().unwrap().samples.push(Sample { kind, status, micros, at: started });
    }

    fn url(&self, path: &str) -> String {
        format!("{}/sync/v1/{}/{path}", self.base, self.archive)
    }

    /// The answer of a request sent at `t` as JSON of type `T`, recorded under `kind`; `None`
    /// after a refusal or no answer, once its 429 `Retry-After` (or a short pause) is waited out.
    async fn answer<T: serde::de::DeserializeOwned>(
        &self,
        kind: &'static str,
        t: Instant,
        sent: reqwest::Result<reqwest::Response>,
    ) -> Option<T> {
        let (status, retry) = match sent {
            Ok(r) if r.status() == 200 => match r.json::<T>().await {
                Ok(v) => {
                    self.record(kind, 200, t);
                    return Some(v);
                }
                Err(_) => (0, None),
            },
            Ok(r) => {
                let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
                (r.status().as_u16(), retry)
            }
            Err(_) => (0, None),
        };
        self.record(kind, status, t);
        let wait = match status {
            429 => Duration::from_secs(retry.unwrap_or(1)),
            _ => Duration::from_millis(200),
        };
        tokio::time::sleep(wait).await;
        None
    }

    /// Pushes `batch` until it is answered 200 (the endpoint stores a repeated id once).
    async fn push(&self, batch: &[WireChange]) {
        let body = serde_json::json!({ "changes": batch });
        loop {
            let t = Instant::now();
            let sent = self.client.post(self.url("push")).bearer_auth(&self.token).json(&body).send().await;
            if self.answer::<PushResponse>("push", t, sent).await.is_some() {
                self.log.lock().unwrap().acknowledged.extend(batch.iter().map(|c| c.id.clone()));
                return;
            }
        }
    }

    /// Pulls until caught up with `target`.
    async fn catch_up(&self, target: u64) {
        while self.cursor.load(Ordering::SeqCst) < target {
            let since = self.cursor.load(Ordering::SeqCst);
            let t = Instant::now();
            let url = format!("{}?since={since}&limit=1000", self.url("pull"));
            let sent = self.client.get(url).bearer_auth(&self.token).send().await;
            if let Some(page) = self.answer::<PullResponse>("pull", t, sent).await {
                let mut log = self.log.lock().unwrap();
                log.pulled.extend(page.changes.into_iter().map(|p| (p.seq, p.change.id)));
                self.cursor.store(page.cursor.max(since), Ordering::SeqCst);
                if !page.has_more {
                    // Caught up (a reconnect asks for one pull beyond the cursor).
                    return;
                }
            }
        }
    }

    /// Holds the live connection, passing each cursor it hears on; reconnects after a pause.
    async fn listen(&self, told: watch::Sender<u64>, stop: Arc<AtomicBool>) {
        while !stop.load(Ordering::SeqCst) {
            let t = Instant::now();
            let r = self.live.get(self.url("events")).bearer_auth(&self.token).send().await;
            let r = match r {
                Ok(r) if r.status() == 200 => {
                    self.record("events", 200, t);
                    r
                }
                Ok(r) => {
                    self.record("events", r.status().as_u16(), t);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
                Err(_) => {
                    self.record("events", 0, t);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            };
            let mut reader = EventReader::default();
            let mut body = r.bytes_stream();
            while let Some(Ok(bytes)) = body.next().await {
                for e in reader.push(&bytes) {
                    match e {
                        // Connected: pull once, for whatever came while it was not.
                        LiveEvent::Ready => {
                            let next = self.cursor.load(Ordering::SeqCst) + 1;
                            told.send_modify(|c| *c = (*c).max(next));
                        }
                        LiveEvent::Cursor(c) => told.send_modify(|v| *v = (*v).max(c)),
                    }
                }
                if stop.load(Ordering::SeqCst) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// Changes of a small edit of a profile, as a device sends them.
fn batch(device: &mut Replica, n: u32, k: u64, size: usize) -> Vec<WireChange> {
    (0..size)
        .map(|j| {
            let p = dangan::testdata::profile(n as u64, (k as usize) * 8 + j, 1_763_856_000_000);
            let key = RecordKey::profile(&p.id);
            let value = serde_json::to_value(&p).expect("a profile serialises");
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
            let c = device.save(&key, &value, "load", now).expect("a new record is a change");
            WireChange { id: c.id(), record: key.text(), payload: serde_json::to_string(&c).unwrap() }
        })
        .collect()
}

/// An endpoint process on `port`.
fn start_endpoint(bin: &PathBuf, db: &str, port: u16, per_address: usize) -> std::process::Child {
    std::process::Command::new(bin)
        .args(["serve", "--db", db, "--listen", &format!("127.0.0.1:{port}")])
        .args(["--max-connections-per-address", &per_address.to_string()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the endpoint binary starts")
}

async fn wait_healthy(port: u16) {
    let c = reqwest::Client::new();
    for _ in 0..200 {
        if c.get(format!("http://127.0.0.1:{port}/health")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the endpoint on port {port} did not start");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A new database for the run: a SQLite file in `dir`, or a new database on the PostgreSQL
/// server of `url`.
async fn database(db: Option<&str>, dir: &std::path::Path) -> Result<String, String> {
    match db {
        Some(url) if url.starts_with("postgres") => {
            let (client, conn) =
                tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|e| format!("PostgreSQL: {e}"))?;
            tokio::spawn(conn);
            let name = format!("load_{}", &token::generate()[4..16]);
            client.batch_execute(&format!("CREATE DATABASE {name}")).await.map_err(|e| e.to_string())?;
            let base = url.rsplit_once('/').ok_or("a PostgreSQL URL ends with /<database>")?.0;
            Ok(format!("{base}/{name}"))
        }
        Some(file) => Ok(file.to_string()),
        None => Ok(dir.join("load.db").to_string_lossy().into_owned()),
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("dangan-load: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<bool, String> {
    let pg = args.db.as_deref().is_some_and(|d| d.starts_with("postgres"));
    if args.processes > 1 && !pg {
        return Err("several endpoint processes share a PostgreSQL database: give --db postgres://…".into());
    }
    let bin = match &args.server {
        Some(b) => b.clone(),
        None => std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("dangan-server"),
    };
    if !bin.exists() {
        return Err(format!("{} not found: cargo build --release -p dangan-server", bin.display()));
    }
    let dir = std::env::temp_dir().join(format!("dangan-load-{}", &token::generate()[4..14]));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let db = database(args.db.as_deref(), &dir).await?;

    // Tokens: one device token per device.
    let store = Store::open(&db).await.map_err(|e| e.to_string())?;
    let mut tokens = Vec::new();
    for n in 0..args.devices {
        let t = token::generate();
        let archive = format!("house{}", n % args.archives);
        let new = NewToken {
            archive,
            hash: token::hash(&t),
            label: format!("device {n}"),
            scope: Scope::Device,
            expires_at: None,
        };
        store.create_token(&new).await.map_err(|e| e.to_string())?;
        tokens.push(t);
    }

    let ports: Vec<u16> = (0..args.processes).map(|_| free_port()).collect();
    // Every device has its own address; the per-address allowance stays the default.
    let per_address = dangan_server::conn::Guard::default().per_address;
    let mut children: Vec<std::process::Child> =
        ports.iter().map(|p| start_endpoint(&bin, &db, *p, per_address)).collect();
    for p in &ports {
        wait_healthy(*p).await;
    }

    let devices: Vec<Arc<Device>> = (0..args.devices)
        .map(|n| {
            let addr: IpAddr = format!("127.0.{}.{}", 1 + n / 250, 2 + n % 250).parse().unwrap();
            let client = |timeout: Option<Duration>| {
                let b = reqwest::Client::builder().local_address(addr).pool_max_idle_per_host(2);
                match timeout {
                    Some(t) => b.timeout(t),
                    None => b,
                }
                .build()
                .unwrap()
            };
            Arc::new(Device {
                n,
                archive: format!("house{}", n % args.archives),
                token: tokens[n as usize].clone(),
                client: client(Some(Duration::from_secs(30))),
                live: client(None),
                // Devices go round-robin over the endpoint processes (a load balancer).
                base: format!("http://127.0.0.1:{}", ports[(n % args.processes) as usize]),
                log: Mutex::default(),
                cursor: AtomicU64::new(0),
            })
        })
        .collect();
    let stop_listening = Arc::new(AtomicBool::new(false));
    let stop_pushing = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let (mut listeners, mut pullers, mut pushers) = (Vec::new(), Vec::new(), Vec::new());
    for d in &devices {
        let (told, mut hear) = watch::channel(0u64);
        let (l, stop) = (d.clone(), stop_listening.clone());
        listeners.push(tokio::spawn(async move { l.listen(told, stop).await }));
        let (puller, stop) = (d.clone(), stop_listening.clone());
        pullers.push(tokio::spawn(async move {
            loop {
                let target = *hear.borrow_and_update();
                if target > 0 {
                    puller.catch_up(target).await;
                }
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let _ = tokio::time::timeout(Duration::from_millis(500), hear.changed()).await;
            }
        }));
        let (pusher, stop) = (d.clone(), stop_pushing.clone());
        let every = args.push_every_ms.max(1);
        pushers.push(tokio::spawn(async move {
            let mut replica = Replica::new(&format!("load{}", pusher.n));
            let mut k = 0u64;
            // Spread the devices' first pushes over one interval.
            let mut wait = (pusher.n as u64 * 7919) % every;
            loop {
                let until = Instant::now() + Duration::from_millis(wait);
                while Instant::now() < until {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    tokio::time::sleep((until - Instant::now()).min(Duration::from_millis(100))).await;
                }
                let size = 1 + (k as usize * 31 + pusher.n as usize) % 5;
                let b = batch(&mut replica, pusher.n, k, size);
                pusher.push(&b).await;
                k += 1;
                // Exponential gaps with mean `every` (a deterministic sequence per device).
                let u = ((k * 2_654_435_761 + pusher.n as u64 * 40_503) % 10_000) as f64 / 10_000.0;
                wait = (-(1.0 - u).ln() * every as f64) as u64;
            }
        }));
    }

    let end = started + Duration::from_secs(args.seconds);
    let mut killed_at: Option<(Instant, Instant)> = None;
    if let Some(k) = args.kill_at.filter(|k| *k < args.seconds) {
        tokio::time::sleep_until((started + Duration::from_secs(k)).into()).await;
        let t = Instant::now();
        children[0].kill().map_err(|e| e.to_string())?; // SIGKILL
        let _ = children[0].wait();
        children[0] = start_endpoint(&bin, &db, ports[0], per_address);
        wait_healthy(ports[0]).await;
        println!(
            "killed the endpoint on port {} (SIGKILL) and restarted it in {:.2} s",
            ports[0],
            t.elapsed().as_secs_f64()
        );
        killed_at = Some((t, Instant::now()));
    }
    tokio::time::sleep_until(end.into()).await;
    stop_pushing.store(true, Ordering::SeqCst);
    let pushing_ended = Instant::now();
    // Let the pushes in flight finish and every device catch up (at most a minute).
    for t in pushers {
        let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
    }
    let mut stored: BTreeMap<String, u64> = BTreeMap::new();
    for a in 0..args.archives {
        let name = format!("house{a}");
        stored.insert(name.clone(), store.count(&name).await.map_err(|e| e.to_string())?);
    }
    let caught_up = Instant::now() + Duration::from_secs(60);
    while Instant::now() < caught_up && devices.iter().any(|d| d.cursor.load(Ordering::SeqCst) < stored[&d.archive]) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drained = pushing_ended.elapsed();
    stop_listening.store(true, Ordering::SeqCst);
    for p in pullers {
        let _ = tokio::time::timeout(Duration::from_secs(2), p).await;
    }
    listeners.iter().for_each(|l| l.abort());
    for c in &mut children {
        let _ = c.kill();
        let _ = c.wait();
    }

    // The figures: requests while the devices pushed (the catch-up afterwards excluded).
    let window = args.seconds as f64;
    let mut by_kind: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut during_restart = 0usize;
    let mut reconnected = 0usize;
    let mut total = 0usize;
    let mut all_lat = Vec::new();
    for d in &devices {
        let log = d.log.lock().unwrap();
        for s in &log.samples {
            if s.at > end {
                continue;
            }
            let in_restart = killed_at
                .is_some_and(|(k, up)| s.at >= k - Duration::from_secs(1) && s.at <= up + Duration::from_secs(2));
            if s.kind == "events" && s.status == 200 && killed_at.is_some_and(|(k, _)| s.at > k) {
                reconnected += 1;
            }
            if s.kind != "events" {
                total += 1;
                if s.status == 200 {
                    by_kind.entry(s.kind).or_default().push(s.micros);
                    all_lat.push(s.micros);
                }
            }
            if s.status != 200 {
                if in_restart {
                    during_restart += 1;
                } else {
                    *codes
                        .entry(format!(
                            "{} {}",
                            s.kind,
                            if s.status == 0 { "no answer".into() } else { s.status.to_string() }
                        ))
                        .or_default() += 1;
                }
            }
        }
    }
    all_lat.sort_unstable();
    println!(
        "{} devices, {} archives, {} endpoint process(es) on {}, {} s, a push every {} ms per device on average",
        args.devices,
        args.archives,
        args.processes,
        if pg { "PostgreSQL" } else { "SQLite" },
        args.seconds,
        args.push_every_ms
    );
    println!(
        "requests: {total} in {window:.0} s = {:.0}/s; answered 200: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
        total as f64 / window,
        percentile(&all_lat, 0.50),
        percentile(&all_lat, 0.95),
        percentile(&all_lat, 0.99)
    );
    for (kind, mut lat) in by_kind {
        lat.sort_unstable();
        println!(
            "  {kind}: {} ({:.0}/s), p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
            lat.len(),
            lat.len() as f64 / window,
            percentile(&lat, 0.50),
            percentile(&lat, 0.95),
            percentile(&lat, 0.99)
        );
    }
    if codes.is_empty() {
        println!("errors: none");
    } else {
        println!("errors: {}", codes.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", "));
    }
    if killed_at.is_some() {
        println!(
            "around the restart: {during_restart} request(s) refused or unanswered (the devices retried), {reconnected} live connection(s) opened again"
        );
    }

    // Nothing lost, nothing twice, no gap: per archive, what every device pulled.
    let mut ok = true;
    let mut acked: HashMap<String, HashSet<String>> = HashMap::new();
    for d in &devices {
        acked.entry(d.archive.clone()).or_default().extend(d.log.lock().unwrap().acknowledged.iter().cloned());
    }
    let mut problems = Vec::new();
    for d in &devices {
        let log = d.log.lock().unwrap();
        let n = stored[&d.archive];
        let seqs: Vec<u64> = log.pulled.iter().map(|(s, _)| *s).collect();
        if seqs != (1..=n).collect::<Vec<u64>>() {
            problems.push(format!(
                "device {} pulled {} changes of {n} stored, or with a gap or a repeat (first seqs {:?})",
                d.n,
                seqs.len(),
                &seqs[..seqs.len().min(5)]
            ));
        }
        let ids: HashSet<&String> = log.pulled.iter().map(|(_, id)| id).collect();
        if ids.len() != log.pulled.len() {
            problems.push(format!("device {} pulled a change twice", d.n));
        }
        let missing = acked[&d.archive].iter().filter(|id| !ids.contains(id)).count();
        if missing > 0 {
            problems.push(format!("device {} never pulled {missing} answered change(s)", d.n));
        }
    }
    let answered: usize = acked.values().map(|s| s.len()).sum();
    let kept: u64 = stored.values().sum();
    if kept as usize != answered {
        problems.push(format!("{answered} changes were answered but {kept} are stored"));
    }
    if problems.is_empty() {
        println!(
            "checked: all {answered} answered changes stored once and pulled exactly once by each of the {} devices, cursors gapless (caught up {:.1} s after the pushes ended)",
            args.devices,
            drained.as_secs_f64()
        );
    } else {
        ok = false;
        for p in problems.iter().take(20) {
            println!("PROBLEM: {p}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ok)
}
