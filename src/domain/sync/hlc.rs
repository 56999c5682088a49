//! Hybrid logical clock: wall-clock milliseconds, a counter for events in the same millisecond,
//! and the device id. Its text form sorts like the clock itself, so IndexedDB keys and SQL columns
//! keep change order. A device never goes back in time; a remote time too far in the future is
//! refused and reported instead of dragging every later change with it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Greatest accepted lead of a remote clock over ours (5 minutes).
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

/// A point in hybrid logical time. Ordered by `(millis, counter, device)`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub millis: u64,
    pub counter: u32,
    pub device: String,
}

impl Hlc {
    /// The sortable text form: `0001763856000123-00000-dev`.
    pub fn encode(&self) -> String {
        format!("{:016}-{:05}-{}", self.millis, self.counter, self.device)
    }

    /// Parses the text form.
    pub fn parse(s: &str) -> Option<Hlc> {
        let mut parts = s.splitn(3, '-');
        let (m, c, d) = (parts.next()?, parts.next()?, parts.next()?);
        if m.len() != 16 || c.len() != 5 || d.is_empty() || !valid_device(d) {
            return None;
        }
        Some(Hlc { millis: m.parse().ok()?, counter: c.parse().ok()?, device: d.to_string() })
    }
}

/// A device id: 1–32 ASCII letters, digits or `_` (no `-`, which separates the parts).
pub fn valid_device(d: &str) -> bool {
    (1..=32).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Hlc, D::Error> {
        let s = String::deserialize(d)?;
        Hlc::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a clock value: {s}")))
    }
}

/// A remote clock ahead of ours by more than [`MAX_DRIFT_MS`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the clock of device {device} is {ahead_ms} ms ahead of this device's")]
pub struct ClockDrift {
    pub device: String,
    pub ahead_ms: u64,
}

/// One device's clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    device: String,
    millis: u64,
    counter: u32,
}

impl Clock {
    /// A clock for `device` that has seen nothing yet.
    pub fn new(device: &str) -> Clock {
        Clock { device: device.to_string(), millis: 0, counter: 0 }
    }

    /// The last time this clock gave out or saw.
    pub fn last(&self) -> Hlc {
        Hlc { millis: self.millis, counter: self.counter, device: self.device.clone() }
    }

    /// Restores a clock from the last value it gave out (after a restart).
    pub fn resume(device: &str, last: Option<&Hlc>) -> Clock {
        let mut c = Clock::new(device);
        if let Some(h) = last {
            c.millis = h.millis;
            c.counter = h.counter;
        }
        c
    }

    /// A new time for a local event at wall-clock `now`: later than everything seen so far.
    pub fn tick(&mut self, now: u64) -> Hlc {
        if now > self.millis {
            self.millis = now;
            self.counter = 0;
        } else if self.counter >= 99_999 {
            // The counter's text form has five digits: move on to the next millisecond.
            self.millis += 1;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        self.last()
    }

    /// Takes in a remote time so later local events sort after it. Refuses one that is more than
    /// [`MAX_DRIFT_MS`] ahead of `now`.
    pub fn observe(&mut self, remote: &Hlc, now: u64) -> Result<(), ClockDrift> {
        if remote.millis > now.saturating_add(MAX_DRIFT_MS) {
            return Err(ClockDrift { device: remote.device.clone(), ahead_ms: remote.millis - now });
        }
        if (remote.millis, remote.counter) > (self.millis, self.counter) {
            self.millis = remote.millis;
            self.counter = remote.counter;
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_form_round_trips_and_rejects_garbage() {
        let h = Hlc { millis: 1_763_856_000_123, counter: 7, device: "tab_1".into() };
        assert_eq!(h.encode(), "0001763856000123-00007-tab_1");
        assert_eq!(Hlc::parse(&h.encode()), Some(h));
        for bad in [
            "",
            "1-2-3",
            "0001763856000123-00007-",
            "0001763856000123-7-d",
            "x001763856000123-00007-d",
            "0001763856000123-00007-a-b",
        ] {
            assert_eq!(Hlc::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn ticks_are_strictly_increasing_even_when_the_wall_clock_goes_back() {
        let mut c = Clock::new("a");
        let t1 = c.tick(1000);
        let t2 = c.tick(1000);
        let t3 = c.tick(900);
        assert!(t1 < t2 && t2 < t3);
        assert_eq!(t3.millis, 1000);
    }

    #[test]
    fn a_remote_time_moves_the_clock_forward_but_too_far_is_refused() {
        let mut c = Clock::new("a");
        c.tick(1000);
        let remote = Hlc { millis: 5000, counter: 3, device: "b".into() };
        c.observe(&remote, 2000).unwrap();
        assert!(c.tick(2000) > remote);
        let far = Hlc { millis: 2000 + MAX_DRIFT_MS + 1, counter: 0, device: "b".into() };
        let before = c.last();
        assert_eq!(c.observe(&far, 2000), Err(ClockDrift { device: "b".into(), ahead_ms: MAX_DRIFT_MS + 1 }));
        assert_eq!(c.last(), before, "a refused time leaves the clock alone");
    }

    proptest! {
        #[test]
        fn text_order_is_clock_order(a in 0u64..10_000_000_000_000, b in 0u64..10_000_000_000_000, ca in 0u32..99_999, cb in 0u32..99_999, da in "[a-z0-9_]{1,8}", db in "[a-z0-9_]{1,8}") {
            let x = Hlc { millis: a, counter: ca, device: da };
            let y = Hlc { millis: b, counter: cb, device: db };
            // Devices compare as text in both forms once millis and counter tie.
            prop_assert_eq!(x.cmp(&y), x.encode().cmp(&y.encode()));
        }
    }
}
