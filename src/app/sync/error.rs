//! Why a sync round failed (its words for staff: `app::errors::Explain`).

use crate::domain::sync::protocol::{ErrorBody, ErrorCode};
use crate::platform::crypto::CryptoError;
use crate::store::StoreError;

/// Why a round failed, in words for staff.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    Offline,
    Token,
    /// The token's time is over (the administrator gave it an expiry).
    TokenExpired,
    /// An administrator's token was entered where a device token belongs.
    TokenScope,
    Archive,
    Busy,
    Server(String),
    Answer,
    Drift {
        device: String,
        minutes: u64,
    },
    Store(StoreError),
    /// The passphrase does not open this archive's key.
    Passphrase,
    /// The archive is encrypted and this device has no passphrase.
    NeedPassphrase,
    /// The archive has no key (not encrypted); handled inside a round.
    NoKey,
    Crypto(CryptoError),
    /// A failure of the desk module's round as it explained it (the office module shows it).
    Reported(String),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> SyncError {
        SyncError::Store(e)
    }
}

impl From<CryptoError> for SyncError {
    fn from(e: CryptoError) -> SyncError {
        SyncError::Crypto(e)
    }
}

impl SyncError {
    /// An error answer of the endpoint: by its code when it sent one, else by the HTTP status (a
    /// proxy or another server in the way).
    pub fn from_answer(status: u16, body: Option<ErrorBody>) -> SyncError {
        use ErrorCode::*;
        match body {
            Some(b) => match b.error {
                MissingToken | BadToken => SyncError::Token,
                ExpiredToken => SyncError::TokenExpired,
                WrongScope => SyncError::TokenScope,
                WrongArchive | UnknownArchive | BadArchive => SyncError::Archive,
                RateLimited | Storage | Timeout => SyncError::Busy,
                NoKey => SyncError::NoKey,
                _ if b.message.is_empty() => SyncError::Server(format!("HTTP {status}")),
                _ => SyncError::Server(b.message),
            },
            None => match status {
                401 => SyncError::Token,
                403 | 404 => SyncError::Archive,
                408 | 429 | 503 => SyncError::Busy,
                _ => SyncError::Server(format!("HTTP {status}")),
            },
        }
    }
}
