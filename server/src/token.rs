//! Access tokens: 32 random bytes shown once as `dgn_<64 hex>`; only their SHA-256 is stored.

use sha2::{Digest, Sha256};

/// A new token.
pub fn generate() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    format!("dgn_{}", hex(&buf))
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A device of the archive: push, pull, the archive key, the live connection.
    Device,
    /// Administration of the archive over the API (its tokens); cannot read or write changes.
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Device => "device",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "device" => Some(Scope::Device),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }
}

/// Whether a string looks like a token (checked before touching the database).
pub fn well_formed(token: &str) -> bool {
    token.len() == 68 && token.starts_with("dgn_") && token[4..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_well_formed_and_hashed() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(well_formed(&a) && well_formed(&b));
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
        assert!(!well_formed("dgn_xyz") && !well_formed(&a[..67]) && !well_formed(&a.replace("dgn_", "tok_")));
    }
}
