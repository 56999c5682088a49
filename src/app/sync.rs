//! The sync client: sends this device's outbox to the endpoint and merges what other devices
//! sent, automatically (soon after local edits, every minute, when the network returns) and on
//! "sync now". One tab syncs at a time (Web Locks); the others see the data through `Services`'
//! tab channel. A failed round is retried with backoff; an interrupted push is sent again (the
//! endpoint ignores changes it has) and an interrupted pull resumes from the stored cursor.

use crate::app::archive::Services;
use crate::app::lang::t;
use crate::app::prefs::{self, SyncConfig};
use crate::domain::i18n::Msg;
use crate::domain::sync::b64;
use crate::domain::sync::protocol::{
    ArchiveKey, ErrorBody, PullResponse, PushRequest, PushResponse, WireChange, MIN_ITERATIONS,
};
use crate::domain::sync::Change;
use crate::platform::crypto::{self, Keys};
use crate::store::record_key_text;
use leptos::prelude::*;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Changes sent per push.
const BATCH: usize = 1000;
/// Changes asked for per pull (the endpoint's maximum: fewer round trips and screen updates).
const PULL_BATCH: usize = 5000;
const PERIOD: Duration = Duration::from_secs(60);
const AFTER_EDIT: Duration = Duration::from_millis(1500);
const TIMEOUT_MS: i32 = 30_000;

/// Why a round failed, in words for staff.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    Offline,
    Token,
    Archive,
    Busy,
    Server(String),
    Answer,
    Drift {
        device: String,
        minutes: u64,
    },
    Store(String),
    /// The passphrase does not open this archive's key.
    Passphrase,
    /// The archive is encrypted and this device has no passphrase.
    NeedPassphrase,
    /// The archive has no key (not encrypted); handled inside a round.
    NoKey,
    Crypto(String),
}

impl SyncError {
    pub fn text(&self) -> String {
        match self {
            SyncError::Offline => t(Msg::SyncErrOffline).into(),
            SyncError::Token => t(Msg::SyncErrToken).into(),
            SyncError::Archive => t(Msg::SyncErrArchive).into(),
            SyncError::Busy => t(Msg::SyncErrBusy).into(),
            SyncError::Server(m) => format!("{}: {m}", t(Msg::SyncErrServer)),
            SyncError::Answer => t(Msg::SyncErrAnswer).into(),
            SyncError::Drift { device, minutes } => {
                let device = prefs::device_label(device, "");
                format!("{} {device}: +{minutes} {}", t(Msg::SyncErrDrift), t(Msg::SyncErrMinutes))
            }
            SyncError::Store(m) => m.clone(),
            SyncError::Passphrase => t(Msg::SyncErrPassphrase).into(),
            SyncError::NeedPassphrase => t(Msg::SyncErrNeedPassphrase).into(),
            SyncError::NoKey => t(Msg::SyncErrAnswer).into(),
            SyncError::Crypto(m) => format!("{}: {m}", t(Msg::SyncErrCrypto)),
        }
    }
}

/// What the status line shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    pub running: bool,
    pub last_ok: Option<f64>,
    pub pending: usize,
    pub error: Option<SyncError>,
}

/// The sync service, shared through context.
#[derive(Clone, Copy)]
pub struct Sync {
    pub status: RwSignal<SyncStatus>,
    pub config: RwSignal<SyncConfig>,
    svc: Services,
    again: StoredValue<bool>,
    failures: StoredValue<u32>,
    timer: StoredValue<u64>,
    /// Derived archive keys (derivation takes a moment), with what they were derived from.
    keys: StoredValue<Option<(String, Rc<Keys>)>, LocalStorage>,
}

impl Sync {
    pub fn new(svc: Services) -> Sync {
        Sync {
            status: RwSignal::new(SyncStatus::default()),
            config: RwSignal::new(prefs::sync_config()),
            svc,
            again: StoredValue::new(false),
            failures: StoredValue::new(0),
            timer: StoredValue::new(0),
            keys: StoredValue::new_local(None),
        }
    }

    /// Starts the automatic rounds (call once, after the archive is open).
    pub fn start(self) {
        // Soon after each local edit.
        Effect::new(move |prev: Option<u64>| {
            let rev = self.svc.local_rev.get();
            if prev.is_some() {
                self.refresh_pending();
                self.schedule(AFTER_EDIT);
            }
            rev
        });
        let online = window_event_listener(leptos::ev::online, move |_| self.schedule(Duration::from_millis(200)));
        std::mem::forget(online);
        self.schedule(Duration::from_millis(300));
    }

    /// Saves the settings and syncs now.
    pub fn configure(self, c: SyncConfig) {
        prefs::set_sync_config(&c);
        self.config.set(c);
        self.failures.set_value(0);
        self.status.update(|s| s.error = None);
        self.run();
    }

    /// Runs a round after `delay`, replacing any round already planned.
    fn schedule(self, delay: Duration) {
        let id = self.timer.get_value() + 1;
        self.timer.set_value(id);
        set_timeout(
            move || {
                if self.timer.get_value() == id {
                    self.run();
                }
            },
            delay,
        );
    }

    /// Syncs now (or right after the round in progress).
    pub fn run(self) {
        if self.status.get_untracked().running {
            self.again.set_value(true);
            return;
        }
        let cfg = self.config.get_untracked();
        if !cfg.is_set() {
            self.refresh_pending();
            return;
        }
        self.status.update(|s| s.running = true);
        leptos::task::spawn_local(async move {
            let result = with_lock(self.round(cfg)).await;
            let pending = self.pending().await;
            self.status.update(|s| {
                s.running = false;
                s.pending = pending;
                match &result {
                    Ok(true) => {
                        s.last_ok = Some(js_sys::Date::now());
                        s.error = None;
                    }
                    Ok(false) => {}
                    Err(e) => s.error = Some(e.clone()),
                }
            });
            let next = match result {
                Err(_) => {
                    // Back off: 5 s, 10 s, 20 s … up to 5 minutes.
                    let n = self.failures.get_value().min(6);
                    self.failures.set_value(n + 1);
                    Duration::from_secs(5 << n).min(Duration::from_secs(300))
                }
                Ok(_) => {
                    self.failures.set_value(0);
                    PERIOD
                }
            };
            if std::mem::take(&mut *self.again.write_value()) {
                self.schedule(Duration::from_millis(50));
            } else {
                self.schedule(next);
            }
        });
    }

    async fn pending(self) -> usize {
        match self.svc.archive() {
            Ok(a) => a.outbox_len().await.unwrap_or(0),
            Err(_) => 0,
        }
    }

    fn refresh_pending(self) {
        leptos::task::spawn_local(async move {
            let n = self.pending().await;
            self.status.update(|s| s.pending = n);
        });
    }

    /// One round: push everything waiting, then pull everything new.
    async fn round(self, cfg: SyncConfig) -> Result<(), SyncError> {
        let archive = self.svc.archive().map_err(|e| SyncError::Store(e.to_string()))?;
        let base = format!("{}/sync/v1/{}", cfg.url.trim().trim_end_matches('/'), cfg.archive.trim());
        let token = cfg.token.trim();
        let keys = self.archive_keys(&cfg, &base, token).await?;
        loop {
            let batch = archive.outbox(BATCH).await.map_err(|e| SyncError::Store(e.to_string()))?;
            if batch.is_empty() {
                break;
            }
            let sent: Vec<String> = batch.iter().map(|(k, _)| k.clone()).collect();
            let mut changes = Vec::new();
            let name = prefs::device_name();
            for mut c in batch.into_iter().flat_map(|(_, c)| c) {
                c.device_name = name.clone();
                changes.push(wire(&c, keys.as_deref()).await?);
            }
            let body = serde_json::to_string(&PushRequest { changes }).map_err(|_| SyncError::Answer)?;
            let _: PushResponse = request("POST", &format!("{base}/push"), token, Some(body)).await?;
            archive.ack_outbox(&sent).await.map_err(|e| SyncError::Store(e.to_string()))?;
            self.refresh_pending();
        }
        let mut snapshot_due = false;
        let pull = |since: u64| {
            let url = format!("{base}/pull?since={since}&limit={PULL_BATCH}");
            async move { request::<PullResponse>("GET", &url, token, None).await }
        };
        let result = async {
            let mut since = archive.cursor().await.map_err(|e| SyncError::Store(e.to_string()))?;
            let mut page = pull(since).await?;
            loop {
                let mut batch = Vec::with_capacity(page.changes.len());
                for p in std::mem::take(&mut page.changes) {
                    batch.push((p.seq, unwire(&p.change.payload, keys.as_deref()).await?));
                }
                prefs::learn_device_names(batch.iter().map(|(_, c)| (c.device(), c.device_name.as_str())));
                // The next page is fetched while this one is merged (used only if the merge holds).
                let apply = self.svc.apply_remote(batch, since, page.has_more);
                let (report, next) = if page.has_more {
                    let (r, n) = futures::join!(apply, pull(page.cursor));
                    (r, Some(n))
                } else {
                    (apply.await, None)
                };
                let report = report.map_err(|e| SyncError::Store(e.to_string()))?;
                snapshot_due |= report.snapshot_due;
                if let Some(d) = report.drift {
                    return Err(SyncError::Drift { device: d.device, minutes: d.ahead_ms.div_ceil(60_000) });
                }
                match next {
                    None => break,
                    Some(n) => {
                        since = page.cursor;
                        page = n?;
                    }
                }
            }
            Ok(())
        }
        .await;
        self.svc.flush_redraw();
        if snapshot_due {
            // Even after a failure: what was merged is covered before the next start.
            self.svc.write_snapshot().await.map_err(|e| SyncError::Store(e.to_string()))?;
        }
        result
    }
}

impl Sync {
    /// The archive's keys when it is encrypted: derived from this device's passphrase and the
    /// salt on the server, checked against the key-check value. The first device with a
    /// passphrase creates the archive's key. `None` for a plain archive.
    async fn archive_keys(self, cfg: &SyncConfig, base: &str, token: &str) -> Result<Option<Rc<Keys>>, SyncError> {
        let pass = cfg.passphrase.trim();
        let url = format!("{base}/key");
        let key = match request::<ArchiveKey>("GET", &url, token, None).await {
            Ok(k) => k,
            Err(SyncError::NoKey) if pass.is_empty() => return Ok(None),
            Err(SyncError::NoKey) => {
                let salt = crate::platform::ids::random_bytes(16);
                let keys = crypto::derive(pass, &salt, MIN_ITERATIONS).await.map_err(SyncError::Crypto)?;
                let check = crypto::make_check(&keys).await.map_err(SyncError::Crypto)?;
                let new = ArchiveKey { salt: b64::encode(&salt), iterations: MIN_ITERATIONS, check };
                let body = serde_json::to_string(&new).map_err(|e| SyncError::Crypto(e.to_string()))?;
                // Another device may have set it first: then its key is the archive's.
                match request::<ArchiveKey>("PUT", &url, token, Some(body)).await {
                    Ok(k) => k,
                    Err(_) => request::<ArchiveKey>("GET", &url, token, None).await?,
                }
            }
            Err(e) => return Err(e),
        };
        if pass.is_empty() {
            return Err(SyncError::NeedPassphrase);
        }
        let from = format!("{}|{pass}|{}|{}|{}", cfg.archive, key.salt, key.iterations, key.check);
        if let Some((f, k)) = self.keys.with_value(Clone::clone) {
            if f == from {
                return Ok(Some(k));
            }
        }
        let salt = b64::decode(&key.salt).ok_or(SyncError::Answer)?;
        let keys = crypto::derive(pass, &salt, key.iterations).await.map_err(SyncError::Crypto)?;
        if !crypto::verify_check(&keys, &key.check).await {
            return Err(SyncError::Passphrase);
        }
        let keys = Rc::new(keys);
        self.keys.set_value(Some((from, keys.clone())));
        Ok(Some(keys))
    }
}

/// A change as the endpoint stores it: encrypted, with an opaque record key, when the archive is.
async fn wire(c: &Change, keys: Option<&Keys>) -> Result<WireChange, SyncError> {
    let json = serde_json::to_string(c).map_err(|_| SyncError::Answer)?;
    let record = record_key_text(&c.record);
    Ok(match keys {
        None => WireChange { id: c.id(), record, payload: json },
        Some(k) => WireChange {
            id: c.id(),
            record: crypto::record_key(k, &record).await.map_err(SyncError::Crypto)?,
            payload: crypto::encrypt_text(k, &json).await.map_err(SyncError::Crypto)?,
        },
    })
}

/// A change from its stored payload.
async fn unwire(payload: &str, keys: Option<&Keys>) -> Result<Change, SyncError> {
    let json = if payload.starts_with(crypto::PREFIX) {
        let k = keys.ok_or(SyncError::NeedPassphrase)?;
        crypto::decrypt_text(k, payload).await.map_err(|_| SyncError::Passphrase)?
    } else {
        payload.to_string()
    };
    serde_json::from_str(&json).map_err(|_| SyncError::Answer)
}

/// One HTTP request to the endpoint, with a timeout; error answers mapped to plain words.
async fn request<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    token: &str,
    body: Option<String>,
) -> Result<T, SyncError> {
    let window = web_sys::window().ok_or(SyncError::Offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| SyncError::Offline)?;
    let _ = headers.set("authorization", &format!("Bearer {token}"));
    if let Some(b) = &body {
        let _ = headers.set("content-type", "application/json");
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    let abort = web_sys::AbortController::new().ok();
    if let Some(a) = &abort {
        init.set_signal(Some(&a.signal()));
        let a = a.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move || a.abort());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), TIMEOUT_MS);
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| SyncError::Offline)?;
    let resp: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&req)).await.map_err(|_| SyncError::Offline)?.unchecked_into();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
        Err(_) => None,
    };
    let status = resp.status();
    if (200..300).contains(&status) {
        // A cut-off answer does not parse: nothing of it is applied, and the round is retried.
        return text.and_then(|t| serde_json::from_str(&t).ok()).ok_or(SyncError::Answer);
    }
    let body = text.and_then(|t| serde_json::from_str::<ErrorBody>(&t).ok());
    if status == 404 && body.as_ref().is_some_and(|b| b.error == "no_key") {
        return Err(SyncError::NoKey);
    }
    let message = body.map(|e| e.message).unwrap_or_default();
    Err(match status {
        401 => SyncError::Token,
        403 | 404 => SyncError::Archive,
        429 | 503 => SyncError::Busy,
        _ => SyncError::Server(if message.is_empty() { format!("HTTP {status}") } else { message }),
    })
}

/// Runs `round` holding the tab-wide sync lock; `Ok(false)` when another tab holds it (that tab
/// syncs, and this one sees its data through the tab channel).
async fn with_lock(
    round: impl std::future::Future<Output = Result<(), SyncError>> + 'static,
) -> Result<bool, SyncError> {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    let Some(locks) = locks else {
        return round.await.map(|_| true);
    };
    let outcome: std::rc::Rc<std::cell::RefCell<Option<Result<bool, SyncError>>>> = Default::default();
    let slot = outcome.clone();
    let mut round = Some(round);
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        if lock.is_null() {
            *slot.borrow_mut() = Some(Ok(false));
            return js_sys::Promise::resolve(&JsValue::FALSE);
        }
        let round = round.take().expect("called once");
        wasm_bindgen_futures::future_to_promise(async move {
            *slot.borrow_mut() = Some(round.await.map(|_| true));
            Ok(JsValue::TRUE)
        })
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(SyncError::Offline)?;
    let promise = request
        .call3(&locks, &"dangan-sync".into(), &options, &callback)
        .map_err(|_| SyncError::Offline)?
        .unchecked_into::<js_sys::Promise>();
    let _ = JsFuture::from(promise).await;
    let result = outcome.borrow_mut().take().unwrap_or(Ok(false));
    result
}
