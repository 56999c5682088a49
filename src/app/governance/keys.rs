//! A signed-in staff member's secrets and how they are kept: wrapped under the key their PIN
//! derives (in their credentials record), or under the recovery code (the first super
//! administrator's, in the archive's root).

use crate::domain::governance::pin::{self, Derived};
use crate::domain::governance::staff::Wrapped;
use crate::domain::sync::b64;
use crate::platform::crypto::CryptoError;
use crate::platform::ids::random_bytes;
use crate::platform::keys;
use serde::{Deserialize, Serialize};

/// The private keys a signed-in staff member holds in memory (PKCS#8 or raw bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secrets {
    /// Their signing key.
    pub sign: Vec<u8>,
    /// Their own sealing key (opens values granted to them).
    pub seal: Vec<u8>,
    /// The archive's search key.
    pub search: Vec<u8>,
    /// The archive's sealing key: administrators only.
    pub archive: Option<Vec<u8>>,
}

async fn wrap_one(kek: &[u8], plain: &[u8]) -> Result<String, CryptoError> {
    Ok(b64::encode(&keys::wrap(kek, plain).await?))
}

async fn unwrap_one(kek: &[u8], text: &str) -> Result<Vec<u8>, CryptoError> {
    keys::unwrap(kek, &b64::decode(text).ok_or(CryptoError::Unreadable)?).await
}

impl Secrets {
    /// Wraps each secret under `kek`.
    pub async fn wrap(&self, kek: &[u8]) -> Result<Wrapped, CryptoError> {
        Ok(Wrapped {
            sign: wrap_one(kek, &self.sign).await?,
            seal: wrap_one(kek, &self.seal).await?,
            search: wrap_one(kek, &self.search).await?,
            archive: match &self.archive {
                Some(a) => wrap_one(kek, a).await?,
                None => String::new(),
            },
        })
    }

    /// The inverse of [`Secrets::wrap`].
    pub async fn unwrap(w: &Wrapped, kek: &[u8]) -> Result<Secrets, CryptoError> {
        Ok(Secrets {
            sign: unwrap_one(kek, &w.sign).await?,
            seal: unwrap_one(kek, &w.seal).await?,
            search: unwrap_one(kek, &w.search).await?,
            archive: if w.archive.is_empty() { None } else { Some(unwrap_one(kek, &w.archive).await?) },
        })
    }
}

/// Derives a PIN's (or the recovery code's) split key with a salt.
pub async fn derive(secret: &str, salt: &[u8], iterations: u32) -> Result<Derived, CryptoError> {
    let bits = keys::derive_pin(secret, salt, iterations).await?;
    Derived::split(&bits).ok_or(CryptoError::Unreadable)
}

/// A new salt for a PIN.
pub fn new_salt() -> Vec<u8> {
    random_bytes(16)
}

/// The recovery code's alphabet (no 0/O, 1/I/L: read aloud and typed from paper).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new recovery code: 24 characters (about 119 bits) in groups of four.
pub fn new_recovery_code() -> String {
    let raw = random_bytes(24);
    let chars: Vec<char> = raw.iter().map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A recovery code as typed, in the form it was derived from (upper case, no spaces or dashes).
pub fn normalise_code(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// PBKDF2 iterations for PINs and the recovery code.
pub const ITERATIONS: u32 = pin::ITERATIONS;
