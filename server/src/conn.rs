//! Accepting connections: HTTP/1.1 through hyper with the limits axum's own `serve` leaves open.
//!
//! - A client must send its whole request head within [`Guard::header_timeout`] (a socket that
//!   sends half a request line and then nothing is closed, instead of holding a file descriptor
//!   for ever).
//! - A request head over [`Guard::max_header_bytes`] is answered 431 and the connection closed.
//! - One address holds at most [`Guard::per_address`] connections at once; a connection over it is
//!   closed at once (logged once a minute per address), so a few thousand idle sockets from one
//!   place cannot use up the endpoint's descriptors. Devices behind one NAT share the allowance,
//!   so it is generous: each device keeps one live connection and opens a few for requests.
//!
//! A body sent too slowly is cut off by the handlers (`lib.rs`, [`Guard::body_timeout`]).

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The limits on each connection and each address.
#[derive(Clone, Copy, Debug)]
pub struct Guard {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub max_header_bytes: usize,
    pub per_address: usize,
}

impl Default for Guard {
    fn default() -> Guard {
        Guard {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_header_bytes: 16 * 1024,
            per_address: 512,
        }
    }
}

/// Open connections per address.
#[derive(Default)]
struct Counts {
    open: HashMap<IpAddr, usize>,
    /// When an address's refusal was last logged.
    logged: HashMap<IpAddr, Instant>,
}

/// One connection counted against its address; uncounted when dropped.
struct Slot(Arc<Mutex<Counts>>, IpAddr);

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = c.open.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                c.open.remove(&self.1);
            }
        }
    }
}

fn take_slot(counts: &Arc<Mutex<Counts>>, ip: IpAddr, max: usize) -> Option<Slot> {
    let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
    let n = c.open.entry(ip).or_default();
    if *n >= max {
        let now = Instant::now();
        let due = c.logged.get(&ip).is_none_or(|t| now.duration_since(*t) > Duration::from_secs(60));
        if due {
            if c.logged.len() > 10_000 {
                c.logged.retain(|_, t| now.duration_since(*t) <= Duration::from_secs(60));
            }
            c.logged.insert(ip, now);
            eprintln!("refusing connections from {ip}: {max} already open (further refusals for a minute not logged)");
        }
        return None;
    }
    *n += 1;
    Some(Slot(counts.clone(), ip))
}

/// Serves `app` on `listener` until `stop` resolves; then lets open requests finish (live
/// connections are ended by the caller) for up to ten seconds.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    guard: Guard,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let counts = Arc::new(Mutex::new(Counts::default()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(guard.header_timeout)
        .max_header_size(guard.max_header_bytes)
        .keep_alive(true);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was taken: go on.
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Some(slot) = take_slot(&counts, addr.ip(), guard.per_address) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let mut req = req.map(Body::new);
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(addr));
            app.clone().oneshot(req)
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _slot = slot;
            let _ = conn.await;
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(10)) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_allowance_and_a_closed_connection_frees_its_place() {
        let counts = Arc::new(Mutex::new(Counts::default()));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let held: Vec<Slot> = (0..3).map(|_| take_slot(&counts, a, 3).unwrap()).collect();
        assert!(take_slot(&counts, a, 3).is_none());
        assert!(take_slot(&counts, b, 3).is_some(), "another address has its own allowance");
        drop(held);
        assert!(take_slot(&counts, a, 3).is_some());
        assert!(!counts.lock().unwrap().open.contains_key(&a), "an address with nothing open is forgotten");
    }
}
