//! The live connection: while sync is set up and the device is online, one tab of the device (the
//! holder of the `dangan-live` Web Lock; the next tab takes over when it closes) keeps the
//! endpoint's event stream open and asks for a round whenever the endpoint tells of news, so a
//! change made on another device shows here within about a second instead of at the next poll.
//! A stream that breaks, is cut by a proxy or stays silent past three heartbeats is opened again
//! with backoff (`domain::sync::live::Backoff`); meanwhile the device polls as before.

use super::Sync;
use crate::domain::sync::live::{Backoff, Ended, EventReader, LiveEvent};
use crate::platform::clock::{now_ms, sleep};
use crate::platform::locks;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Three missed heartbeats (the endpoint sends one every 15 s): the connection is dead.
const SILENCE_MS: i32 = 45_000;
/// A connection open this long before it ended was working: reopen it at once.
const WORKED_MS: i64 = 60_000;

/// Starts keeping the live connection (call once): once sync is set up, with the code of the sync
/// round's chunk (`src/lazy.rs`), not fetched on a device that does not sync; while it cannot be
/// fetched the device polls, and asks again a minute later.
pub(super) fn start(sync: Sync) {
    leptos::task::spawn_local(async move {
        while !sync.config.get_untracked().is_set() {
            sleep(Duration::from_secs(2)).await;
        }
        while hold(sync).await.is_err() {
            sleep(Duration::from_secs(60)).await;
        }
    });
}

crate::lazy::lazy_fn! { sync;
/// Holds the `dangan-live` lock while keeping the connection. A browser without Web Locks keeps it
/// at once (every tab then keeps its own connection); a lock request the browser refuses does the
/// same.
#[allow(clippy::unused_unit)]
async fn hold(sync: Sync) -> () {
    if locks::hold("dangan-live", keep(sync)).await.is_err() {
        keep(sync).await;
    }
}
}

/// Keeps the connection open, for ever (code of the sync chunk: reached only from [`hold`]).
async fn keep(sync: Sync) -> std::convert::Infallible {
    let mut backoff = Backoff::default();
    loop {
        let cfg = sync.config.get_untracked();
        if !cfg.is_set() || !online() {
            sleep(Duration::from_secs(2)).await;
            continue;
        }
        let opened = now_ms();
        let ready = Rc::new(Cell::new(false));
        let mut reader = EventReader::default();
        let seen = ready.clone();
        let net = super::HttpTransport::new(&cfg.url, &cfg.archive, &cfg.token);
        let (stream, stop) = futures::future::abortable(net.events(SILENCE_MS, move |bytes| {
            for event in reader.push(bytes) {
                if event == LiveEvent::Ready {
                    seen.set(true);
                    sync.set_live(true);
                }
                sync.run();
            }
        }));
        sync.live_stop.set_value(Some(stop));
        let _ = stream.await;
        sync.live_stop.set_value(None);
        sync.set_live(false);
        let worked = ready.get() && now_ms() - opened >= WORKED_MS;
        sleep(backoff.next(if worked { Ended::AfterAWhile } else { Ended::Early })).await;
    }
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
