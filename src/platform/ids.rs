//! Random bytes from the browser's CSPRNG and the ids made from them: record ids (time-ordered)
//! and device ids. The one place the app draws randomness.

use super::clock::now_ms;

/// The most the browser hands out per `getRandomValues` call (64 KiB).
const MAX_CALL: usize = 65_536;

/// Fills `buf` from `crypto.getRandomValues`, a block at a time. Where the page has no Web Crypto
/// (never in a supported browser) it falls back to `Math.random`, so an id is never all zeros.
pub fn fill_random(buf: &mut [u8]) {
    match web_sys::window().and_then(|w| w.crypto().ok()) {
        Some(c) => buf.chunks_mut(MAX_CALL).for_each(|b| {
            let _ = c.get_random_values_with_u8_array(b);
        }),
        None => buf.chunks_mut(8).for_each(|b| {
            let r = js_sys::Math::random().to_bits().to_le_bytes();
            b.copy_from_slice(&r[..b.len()]);
        }),
    }
}

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    fill_random(&mut buf);
    buf
}

/// A new record id: time-ordered, with 64 random bits.
pub fn new_id() -> String {
    new_ids(1).pop().unwrap_or_default()
}

/// `n` new record ids (as [`new_id`]), the random bits drawn in blocks.
pub fn new_ids(n: usize) -> Vec<String> {
    let now = now_ms();
    let bits = random_bytes(8 * n);
    bits.chunks(8).map(|b| format!("{now:011x}{:016x}", u64::from_le_bytes(b.try_into().expect("8 bytes")))).collect()
}

/// A new device id: 12 random base-32 characters.
pub fn new_device_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    random_bytes(12).iter().map(|b| ALPHABET[(*b as usize) % 32] as char).collect()
}
