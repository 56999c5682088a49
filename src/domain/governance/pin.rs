//! PINs: what a PIN may be, how its slow hash is kept, and the lockout after wrong tries. The
//! hashing itself (PBKDF2-HMAC-SHA-256, [`ITERATIONS`]) runs in Web Crypto; this file fixes the
//! format and the checks so both sides agree.

use crate::domain::i18n::Msg;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// PBKDF2 iterations for a new PIN (OWASP 2023 for PBKDF2-HMAC-SHA-256).
pub const ITERATIONS: u32 = 600_000;
/// The fewest digits a PIN has.
pub const MIN_DIGITS: usize = 6;
/// The most digits a PIN has.
pub const MAX_DIGITS: usize = 12;
/// Wrong PINs in a row that lock a name.
pub const MAX_TRIES: u32 = 5;
/// How long a name stays locked.
pub const LOCK_MS: i64 = 5 * 60 * 1000;

/// Checks a new PIN: 6–12 digits, not all the same digit and not a run (123456, 654321).
pub fn check_new(pin: &str) -> Result<(), Msg> {
    let d: Vec<u8> = pin.bytes().collect();
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return Err(Msg::ErrPinDigits);
    }
    if d.len() < MIN_DIGITS || d.len() > MAX_DIGITS {
        return Err(Msg::ErrPinLength);
    }
    let steps: Vec<i16> = d.windows(2).map(|w| w[1] as i16 - w[0] as i16).collect();
    if steps.iter().all(|s| *s == 0) || steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Err(Msg::ErrPinWeak);
    }
    Ok(())
}

/// A PIN's slow hash, as stored in the staff record. The 64 bytes PBKDF2 derives are split: the
/// first half, hashed once more, is the verifier kept here; the second half is the key that wraps
/// the staff member's private keys and is never stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    /// Random salt (base64, 16 bytes).
    pub salt: String,
    pub iterations: u32,
    /// SHA-256 of the first 32 derived bytes (base64).
    pub verifier: String,
}

/// The 64 bytes PBKDF2 gives for a PIN, split.
pub struct Derived {
    /// Wraps and unwraps the staff member's private keys.
    pub kek: [u8; 32],
    verifier: [u8; 32],
}

impl Derived {
    /// Splits PBKDF2's output (64 bytes).
    pub fn split(bits: &[u8]) -> Option<Derived> {
        if bits.len() != 64 {
            return None;
        }
        let verifier: [u8; 32] = Sha256::digest(&bits[..32]).into();
        let kek: [u8; 32] = bits[32..].try_into().ok()?;
        Some(Derived { kek, verifier })
    }

    /// The record for a new PIN with this salt.
    pub fn record(&self, salt: &[u8], iterations: u32) -> PinHash {
        use crate::domain::sync::b64;
        PinHash { salt: b64::encode(salt), iterations, verifier: b64::encode(&self.verifier) }
    }

    /// Whether this derivation is the stored PIN's (in constant time).
    pub fn matches(&self, stored: &PinHash) -> bool {
        let Some(v) = crate::domain::sync::b64::decode(&stored.verifier) else { return false };
        v.len() == 32 && v.iter().zip(self.verifier).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl PinHash {
    /// Whether the hash is too weak to keep (written with fewer iterations than today's floor).
    pub fn is_weak(&self) -> bool {
        self.iterations < ITERATIONS
    }
}

/// Wrong tries of one name on this device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    /// Wrong PINs since the last right one or the last lock.
    pub wrong: u32,
    /// Locked until this time (ms since the epoch), if locked.
    pub until: Option<i64>,
}

/// What a wrong PIN led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrong {
    /// Tries left before the lock.
    Left(u32),
    /// That was the last try: locked until this time.
    Locked(i64),
}

impl Lockout {
    /// The time the name is locked until, if it is locked at `now`.
    pub fn locked(&self, now: i64) -> Option<i64> {
        self.until.filter(|u| *u > now)
    }

    /// Counts a wrong PIN at `now`.
    pub fn wrong(&mut self, now: i64) -> Wrong {
        if self.until.is_some_and(|u| u <= now) {
            *self = Lockout::default();
        }
        self.wrong += 1;
        if self.wrong >= MAX_TRIES {
            let until = now + LOCK_MS;
            *self = Lockout { wrong: 0, until: Some(until) };
            Wrong::Locked(until)
        } else {
            Wrong::Left(MAX_TRIES - self.wrong)
        }
    }

    /// A right PIN clears the count.
    pub fn right(&mut self) {
        *self = Lockout::default();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn derive(pin: &str, salt: &[u8], iterations: u32) -> Derived {
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, iterations, &mut out);
        Derived::split(&out).unwrap()
    }

    #[test]
    fn a_pin_is_six_to_twelve_digits_and_not_a_pattern() {
        assert_eq!(check_new("12345"), Err(Msg::ErrPinLength));
        assert_eq!(check_new("1234567890123"), Err(Msg::ErrPinLength));
        assert_eq!(check_new("12345a"), Err(Msg::ErrPinDigits));
        assert_eq!(check_new("１２３４５６"), Err(Msg::ErrPinDigits), "full-width digits are refused, not read");
        for weak in ["000000", "123456", "987654", "5555555"] {
            assert_eq!(check_new(weak), Err(Msg::ErrPinWeak), "{weak}");
        }
        assert_eq!(check_new("204816"), Ok(()));
        assert_eq!(check_new("204816204816"), Ok(()));
    }

    #[test]
    fn the_stored_hash_opens_only_with_the_right_pin_and_holds_no_key() {
        let salt = b"0123456789abcdef";
        // Few iterations to keep the test quick; the count is part of the record.
        let d = derive("204816", salt, 1000);
        let stored = d.record(salt, 1000);
        assert!(derive("204816", salt, 1000).matches(&stored));
        assert!(!derive("204817", salt, 1000).matches(&stored));
        assert!(!derive("204816", b"another salt....", 1000).matches(&stored));
        assert!(!derive("204816", salt, 1001).matches(&stored));
        // The verifier is not the wrapping key, nor the first half it comes from.
        let v = crate::domain::sync::b64::decode(&stored.verifier).unwrap();
        assert_ne!(v, d.kek.to_vec());
        assert!(stored.is_weak() && !PinHash { iterations: ITERATIONS, ..stored }.is_weak());
        assert!(!d.matches(&PinHash::default()), "an empty record matches nothing");
    }

    /// RFC 7914 §11's PBKDF2-HMAC-SHA-256 vector: what the browser's derivation is checked
    /// against too (tests/store.rs).
    #[test]
    fn the_derivation_is_standard_pbkdf2_sha256() {
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            out[..16],
            [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05]
        );
    }

    #[test]
    fn five_wrong_pins_lock_the_name_for_five_minutes() {
        let mut l = Lockout::default();
        let t0 = 1_000_000;
        for left in (1..5).rev() {
            assert_eq!(l.wrong(t0), Wrong::Left(left));
            assert_eq!(l.locked(t0), None);
        }
        assert_eq!(l.wrong(t0), Wrong::Locked(t0 + LOCK_MS));
        assert_eq!(l.locked(t0 + LOCK_MS - 1), Some(t0 + LOCK_MS));
        assert_eq!(l.locked(t0 + LOCK_MS), None, "unlocked after five minutes");
        // After the lock has run out the count starts again at five.
        assert_eq!(l.wrong(t0 + LOCK_MS), Wrong::Left(4));
        l.right();
        assert_eq!(l, Lockout::default());
    }
}
