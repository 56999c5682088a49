//! The sync client: sends this device's outbox to the endpoint and merges what other devices
//! sent, automatically (soon after local edits, when the endpoint's live connection tells of news,
//! every minute without it, when the network returns) and on "sync now". One tab syncs at a time
//! (Web Locks); the others see the data through `Services`' tab channel. A failed round is retried
//! with backoff; an interrupted push is sent again (the endpoint ignores changes it has) and an
//! interrupted pull resumes from the stored cursor.

mod error;
pub mod files;
mod live;
mod round;
mod transport;

pub use error::SyncError;
pub use round::{archive_keys, record_keys, round, KeyCache, Pages, RoundSetup};
pub use transport::{HttpTransport, Transport};

use crate::app::archive::Services;
use crate::app::bridge::{self, Note, SyncReport};
use crate::app::errors::Explain;
use crate::app::prefs::{self, SyncConfig};
use crate::platform::locks;
use leptos::prelude::*;
use std::rc::Rc;
use std::time::Duration;

const PERIOD: Duration = Duration::from_secs(60);
/// The poll while the live connection is up (it tells of news; this only covers a lost signal).
const LIVE_PERIOD: Duration = Duration::from_secs(300);
/// A round after a local edit waits this long for more edits to send with it.
const AFTER_EDIT: Duration = Duration::from_millis(300);

/// What the status line shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    pub running: bool,
    pub last_ok: Option<f64>,
    pub pending: usize,
    pub error: Option<SyncError>,
    /// The live connection is open: news from other devices arrives within a moment.
    pub live: bool,
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
    /// Derived archive keys, kept between rounds.
    keys: StoredValue<Rc<KeyCache>, LocalStorage>,
    /// Closes the live connection (new settings).
    live_stop: StoredValue<Option<futures::future::AbortHandle>>,
    /// In the office module: rounds run in the desk module, which this one asks and mirrors.
    mirror: bool,
    /// The count of waiting changes being refreshed (0: no, 1: yes, 2: yes and asked again).
    counting: StoredValue<u8>,
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
            keys: StoredValue::new_local(Rc::default()),
            live_stop: StoredValue::new(None),
            mirror: false,
            counting: StoredValue::new(0),
        }
    }

    /// The sync service of the page's office module: its status is the desk module's (which runs
    /// the rounds); "sync now" and new settings are passed to the desk.
    pub fn mirror(svc: Services) -> Sync {
        let sync = Sync { mirror: true, ..Sync::new(svc) };
        bridge::listen(move |note| {
            if let Note::SyncStatus(r) = note {
                sync.status.try_set(SyncStatus {
                    running: r.running,
                    last_ok: r.last_ok,
                    pending: r.pending,
                    error: r.error.map(SyncError::Reported),
                    live: r.live,
                });
            }
        });
        bridge::send(Note::SyncAsk);
        sync
    }

    /// In the desk module: does what the office module asks and tells it the status.
    pub fn serve_office(self) {
        bridge::listen(move |note| match note {
            Note::SyncNow => self.run(),
            Note::SyncConfigured => self.configure(prefs::sync_config()),
            Note::SyncAsk => self.report(),
            _ => {}
        });
        Effect::new(move |_| {
            self.status.track();
            self.report();
        });
    }

    fn report(self) {
        let s = self.status.get_untracked();
        let error = s.error.map(|e| e.explain(crate::app::lang::locale()));
        bridge::send(Note::SyncStatus(SyncReport {
            running: s.running,
            last_ok: s.last_ok,
            pending: s.pending,
            error,
            live: s.live,
        }));
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
        live::start(self);
    }

    fn is_live(self) -> bool {
        self.status.with_untracked(|s| s.live)
    }

    fn set_live(self, live: bool) {
        if self.is_live() != live {
            self.status.update(|s| s.live = live);
        }
    }

    /// Saves the settings and syncs now.
    pub fn configure(self, c: SyncConfig) {
        prefs::set_sync_config(&c);
        self.config.set(c);
        if self.mirror {
            bridge::send(Note::SyncConfigured);
            return;
        }
        // The live connection reopens with the new settings.
        if let Some(stop) = self.live_stop.get_value() {
            stop.abort();
        }
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
        if self.mirror {
            bridge::send(Note::SyncNow);
            return;
        }
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
            // The round and what follows it are the sync chunk's (a device that does not sync
            // never fetches it).
            if round_and_next(self, cfg).await.is_err() {
                self.status.update(|s| {
                    s.running = false;
                    s.error = Some(SyncError::Offline);
                });
                self.schedule(Duration::from_secs(30));
            }
        });
    }

    async fn pending(self) -> usize {
        match self.svc.archive() {
            // Changes and files attached here that the endpoint does not have yet.
            Ok(a) => a.outbox_len().await.unwrap_or(0) + a.queued_count().await.unwrap_or(0),
            Err(_) => 0,
        }
    }

    /// Counts the waiting changes again once the screen a save or an opening drew is painted,
    /// at most one count at a time (calls meanwhile are taken by one more count after it): a
    /// device that never syncs keeps every change waiting, and counting 100,000 of them on each
    /// save held the page for a frame or more (`node tests/e2e/desk-bench.mjs`).
    fn refresh_pending(self) {
        let busy = self.counting.get_value();
        if busy > 0 {
            self.counting.set_value(2);
            return;
        }
        self.counting.set_value(1);
        leptos::task::spawn_local(async move {
            loop {
                crate::platform::clock::after_paint().await;
                let n = self.pending().await;
                self.status.update(|s| s.pending = n);
                if self.counting.get_value() == 2 {
                    self.counting.set_value(1);
                } else {
                    self.counting.set_value(0);
                    break;
                }
            }
        });
    }

    /// A document's original: here, or fetched from the endpoint (and kept here).
    pub async fn file(
        self,
        d: &crate::domain::documents::Document,
    ) -> Result<Vec<u8>, crate::app::documents::DocError> {
        use crate::app::documents::DocError;
        if let Some(bytes) = self.svc.file_here(d).await? {
            return Ok(bytes);
        }
        let cfg = self.config.get_untracked();
        if !cfg.is_set() {
            return Err(DocError::NotHere);
        }
        let net = HttpTransport::new(&cfg.url, &cfg.archive, &cfg.token);
        let keys = if d.blob.is_empty() {
            None
        } else {
            let setup = RoundSetup {
                archive: cfg.archive.clone(),
                passphrase: cfg.passphrase.clone(),
                ..RoundSetup::default()
            };
            round::archive_keys(&net, &setup, &self.keys.get_value()).await?
        };
        files::fetch(self.svc, &net, keys.as_deref(), d).await
    }

    /// One round against the configured endpoint. Its code comes on first use (a chunk of the
    /// desk's own, `src/lazy.rs`); a chunk that cannot be fetched is an offline round.
    async fn round(self, cfg: SyncConfig) -> Result<(), SyncError> {
        http_round(self, cfg).await.unwrap_or(Err(SyncError::Offline))
    }
}

crate::lazy::lazy_fn! { sync;
    /// [`Sync::run`]'s round, its outcome in the status and the next round planned.
    #[allow(clippy::unused_unit)]
    async fn round_and_next(sync: Sync, cfg: SyncConfig) -> () {
        let result = locks::if_available("dangan-sync", sync.round(cfg))
            .await
            .map_err(|_| SyncError::Offline)
            .and_then(|r| r.map_or(Ok(false), |r| r.map(|_| true)));
        let pending = sync.pending().await;
        sync.status.update(|s| {
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
                let n = sync.failures.get_value().min(6);
                sync.failures.set_value(n + 1);
                Duration::from_secs(5 << n).min(Duration::from_secs(300))
            }
            // Another tab held the sync lock: its round may have pulled before the news came.
            Ok(false) if sync.is_live() => Duration::from_secs(2),
            Ok(_) => {
                sync.failures.set_value(0);
                if sync.is_live() {
                    LIVE_PERIOD
                } else {
                    PERIOD
                }
            }
        };
        if std::mem::take(&mut *sync.again.write_value()) {
            sync.schedule(Duration::from_millis(50));
        } else {
            sync.schedule(next);
        }
    }
}

crate::lazy::lazy_fn! { sync;
    async fn http_round(sync: Sync, cfg: SyncConfig) -> Result<(), SyncError> {
        let net = HttpTransport::new(&cfg.url, &cfg.archive, &cfg.token);
        let setup =
            RoundSetup { archive: cfg.archive.clone(), passphrase: cfg.passphrase.clone(), pages: Pages::default() };
        let cache = sync.keys.get_value();
        round(sync.svc, &net, &setup, &cache, move || sync.refresh_pending()).await
    }
}
