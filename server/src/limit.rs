//! Rate limiting: a token bucket per key (an access token, an IP address).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Requests allowed per second, with bursts up to `burst`.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub per_second: f64,
    pub burst: f64,
}

pub struct Limiter {
    rate: Rate,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(rate: Rate) -> Limiter {
        Limiter { rate, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether `key`'s bucket is empty now (nothing is taken).
    pub fn exhausted(&self, key: &str) -> bool {
        let map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).is_some_and(|(tokens, at)| {
            *tokens + Instant::now().duration_since(*at).as_secs_f64() * self.rate.per_second < 1.0
        })
    }

    /// Takes one request from `key`'s bucket; `false` when it is empty.
    pub fn allow(&self, key: &str) -> bool {
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            // Forget buckets that have refilled (bounded memory under many addresses).
            let full = self.rate.burst;
            let rate = self.rate.per_second;
            map.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < full);
        }
        let (tokens, at) = map.entry(key.to_string()).or_insert((self.rate.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate.per_second).min(self.rate.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_per_key() {
        let l = Limiter::new(Rate { per_second: 0.001, burst: 3.0 });
        assert!((0..3).all(|_| l.allow("a")));
        assert!(!l.allow("a"));
        assert!(l.allow("b"), "another key has its own bucket");
        assert!(l.exhausted("a") && !l.exhausted("b") && !l.exhausted("c"));
        assert!(!l.allow("a"), "looking does not refill");
    }
}
