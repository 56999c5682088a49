//! Live sync: a device keeps one connection open (`GET /sync/v1/{archive}/events`, server-sent
//! events) and is told, within a moment of any push to its archive, that something new was stored
//! after cursor N; it then pulls as usual. The connection carries only that number, never data,
//! and only to a device whose token opens the archive (checked at the start and again every
//! minute, `Config::live_recheck`, so a revoked token's connection ends). A comment line every 15 s keeps proxies and the
//! device's watchdog from taking a quiet connection for a dead one.
//!
//! One [`Hub`] per process holds the latest cursor per archive with open connections. A push
//! tells it directly; with PostgreSQL, pushes made by other endpoint processes arrive through
//! `LISTEN/NOTIFY` (`store/postgres.rs`), so a device connected to any process hears of them.

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// The interval of the keep-alive comment.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// Set when the process is stopping: every live connection ends, so a graceful shutdown does not
/// wait for devices that would never hang up.
static STOPPING: std::sync::LazyLock<watch::Sender<bool>> = std::sync::LazyLock::new(|| watch::channel(false).0);

/// Ends every live connection of this process (it is shutting down).
pub fn stop_all() {
    STOPPING.send_replace(true);
}

/// The latest cursor of each archive that has listeners.
#[derive(Clone, Default)]
pub struct Hub {
    archives: Arc<Mutex<HashMap<String, watch::Sender<u64>>>>,
}

impl Hub {
    /// A receiver told of every new cursor of `archive`.
    pub fn subscribe(&self, archive: &str) -> watch::Receiver<u64> {
        let mut map = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(archive.to_string()).or_insert_with(|| watch::channel(0).0).subscribe()
    }

    /// Changes up to `cursor` are stored in `archive`: listeners are told if it is news to them.
    pub fn notify(&self, archive: &str, cursor: u64) {
        let mut map = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = map.get(archive) {
            if tx.receiver_count() == 0 {
                map.remove(archive);
            } else {
                tx.send_if_modified(|c| {
                    let newer = cursor > *c;
                    *c = (*c).max(cursor);
                    newer
                });
            }
        }
    }

    /// Tells every listener to pull (after news may have been missed: the PostgreSQL listener
    /// reconnected).
    pub fn notify_all(&self) {
        let map = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        for tx in map.values() {
            tx.send_modify(|_| {});
        }
    }

    /// Open connections, over all archives.
    pub fn listeners(&self) -> usize {
        let map = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        map.values().map(|tx| tx.receiver_count()).sum()
    }
}

/// The event stream of one connection: `ready` at once (the device pulls then, to catch up), then
/// `cursor` with the number whenever the archive moves on. Ends when `still_allowed` (called every
/// `recheck`) says no.
pub fn events<F, Fut>(
    mut rx: watch::Receiver<u64>,
    recheck: Duration,
    still_allowed: F,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    rx.mark_unchanged();
    let ready = stream::once(async { Ok(Event::default().event("ready").data("0")) });
    let news = stream::unfold((rx, still_allowed), move |(mut rx, still_allowed)| async move {
        let mut stopping = STOPPING.subscribe();
        loop {
            tokio::select! {
                _ = async { stopping.wait_for(|s| *s).await.map(|_| ()) } => return None,
                changed = rx.changed() => {
                    changed.ok()?;
                    let cursor = *rx.borrow_and_update();
                    let event = Event::default().event("cursor").data(cursor.to_string());
                    return Some((Ok(event), (rx, still_allowed)));
                }
                _ = tokio::time::sleep(recheck) => {
                    if !still_allowed().await {
                        return None;
                    }
                }
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(ready, news)).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("ping"))
}

#[cfg(test)]
mod tests {
    use super::Hub;

    #[test]
    fn listeners_hear_only_newer_cursors_and_a_silent_archive_is_forgotten() {
        let hub = Hub::default();
        let mut a = hub.subscribe("hotel-a");
        let b = hub.subscribe("hotel-b");
        hub.notify("hotel-a", 5);
        assert!(a.has_changed().unwrap());
        assert_eq!(*a.borrow_and_update(), 5);
        hub.notify("hotel-a", 3);
        assert!(!a.has_changed().unwrap(), "an older cursor is no news");
        assert!(!b.has_changed().unwrap(), "another archive hears nothing");
        hub.notify_all();
        assert!(a.has_changed().unwrap() && b.has_changed().unwrap());
        assert_eq!(hub.listeners(), 2);
        drop(b);
        hub.notify("hotel-b", 9);
        assert_eq!(hub.listeners(), 1);
        assert_eq!(hub.archives.lock().unwrap().len(), 1, "an archive nobody listens to is dropped");
    }
}
