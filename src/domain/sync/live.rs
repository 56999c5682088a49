//! Live sync on the device's side, pure: reading the endpoint's event stream (server-sent events,
//! `text/event-stream`) as it arrives in pieces, and when to try the connection again.

use std::time::Duration;

/// What the endpoint tells a live connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    /// The connection is open: pull now to catch up.
    Ready,
    /// Changes up to this cursor are stored.
    Cursor(u64),
}

/// Turns the bytes of an event stream, in whatever pieces they arrive, into events. Comments
/// (the endpoint's keep-alive) and events it does not know are skipped.
#[derive(Debug, Default)]
pub struct EventReader {
    buf: Vec<u8>,
}

impl EventReader {
    /// The events completed by `bytes`.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<LiveEvent> {
        self.buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(end) = find_blank_line(&self.buf) {
            let block: Vec<u8> = self.buf.drain(..end.0).collect();
            self.buf.drain(..end.1);
            if let Some(e) = parse_block(&String::from_utf8_lossy(&block)) {
                out.push(e);
            }
        }
        // A stream that never ends a block is not an event stream: do not hold it all.
        if self.buf.len() > 64 * 1024 {
            self.buf.clear();
        }
        out
    }
}

/// Where the first blank line is: the end of the block before it and the length of the line
/// break(s) to drop (`\n\n`, `\r\n\r\n`).
fn find_blank_line(buf: &[u8]) -> Option<(usize, usize)> {
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn parse_block(block: &str) -> Option<LiveEvent> {
    let (mut event, mut data) = ("message", String::new());
    for line in block.lines() {
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
        match field {
            "event" => event = value,
            "data" => data.push_str(value),
            _ => {}
        }
    }
    match event {
        "ready" => Some(LiveEvent::Ready),
        "cursor" => data.trim().parse().ok().map(LiveEvent::Cursor),
        _ => None,
    }
}

/// How a live connection ended, for [`Backoff::next`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// It was open and working (its `ready` arrived) for at least a minute.
    AfterAWhile,
    /// It failed or ended early: no network, refused, cut by a proxy, no `ready` in time.
    Early,
}

/// When to try the live connection again: at once after a connection that worked for a while
/// (the endpoint restarted, the network changed), else after 1, 2, 4 … up to 60 seconds. While
/// the connection is down, the device polls as it did before live sync.
#[derive(Clone, Debug, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    pub const MAX: Duration = Duration::from_secs(60);

    /// The wait before the next attempt.
    pub fn next(&mut self, ended: Ended) -> Duration {
        if ended == Ended::AfterAWhile {
            self.failures = 0;
            return Duration::from_millis(500);
        }
        let wait = Duration::from_secs(1 << self.failures.min(6)).min(Self::MAX);
        self.failures += 1;
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_read_across_pieces_and_comments_are_skipped() {
        let mut r = EventReader::default();
        let stream = b"event: ready\ndata: 0\n\n:ping\n\nevent: cursor\ndata: 42\n\nevent: cursor\r\ndata: 43\r\n\r\nevent: other\ndata: x\n\n";
        // Fed one byte at a time, and all at once: the same events.
        let one_by_one: Vec<_> = stream.iter().flat_map(|b| r.push(&[*b])).collect();
        let expected = [LiveEvent::Ready, LiveEvent::Cursor(42), LiveEvent::Cursor(43)];
        assert_eq!(one_by_one, expected);
        assert_eq!(EventReader::default().push(stream), expected);
        assert_eq!(EventReader::default().push(b"event: cursor\ndata: nope\n\n"), []);
        let mut r = EventReader::default();
        assert_eq!(r.push(&[b'x'; 70_000]), []);
        assert_eq!(r.push(b"\n\nevent: ready\n\n"), [LiveEvent::Ready], "an endless line is dropped, not kept");
    }

    #[test]
    fn reconnects_at_once_after_a_working_connection_and_backs_off_after_failures() {
        let mut b = Backoff::default();
        let waits: Vec<u64> = (0..8).map(|_| b.next(Ended::Early).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(b.next(Ended::AfterAWhile), Duration::from_millis(500));
        assert_eq!(b.next(Ended::Early), Duration::from_secs(1), "a working connection resets the backoff");
    }
}
