//! Where a device syncs, as staff enter it in Settings, and the checks before it is used.

use super::protocol::valid_archive_id;
use crate::domain::i18n::Msg;
use crate::domain::validate::FieldError;
use serde::{Deserialize, Serialize};

/// Where this device syncs: the endpoint, the archive id and its access token. Kept on this
/// device only (the token is a secret of the device; it is never exported).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncConfig {
    pub url: String,
    pub archive: String,
    pub token: String,
    /// End-to-end encryption passphrase (empty: the archive is not encrypted).
    #[serde(default)]
    pub passphrase: String,
}

/// Shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

impl SyncConfig {
    /// The settings as typed, trimmed (a passphrase is kept as typed: its spaces count).
    pub fn entered(url: &str, archive: &str, token: &str, passphrase: &str) -> SyncConfig {
        SyncConfig {
            url: url.trim().into(),
            archive: archive.trim().into(),
            token: token.trim().into(),
            passphrase: passphrase.into(),
        }
    }

    /// Whether sync is set up.
    pub fn is_set(&self) -> bool {
        !self.url.trim().is_empty() && !self.archive.trim().is_empty() && !self.token.trim().is_empty()
    }

    /// What is wrong with the settings, field by field (`url`, `archive`, `token`, `passphrase`).
    /// All three of endpoint, archive and token empty is fine: sync is off.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.url.is_empty() && self.archive.is_empty() && self.token.is_empty() {
            return errs;
        }
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            errs.push(FieldError::new("url", Msg::ErrSyncUrl));
        }
        if !valid_archive_id(&self.archive) {
            errs.push(FieldError::new("archive", Msg::ErrSyncArchive));
        }
        if !(self.token.len() == 68 && self.token.starts_with("dgn_")) {
            errs.push(FieldError::new("token", Msg::ErrSyncToken));
        }
        if !self.passphrase.is_empty() && self.passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            errs.push(FieldError::new("passphrase", Msg::ErrSyncPassphrase));
        }
        errs
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn keys(c: &SyncConfig) -> Vec<String> {
        c.problems().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn settings_are_checked_field_by_field_and_empty_means_off() {
        let token = format!("dgn_{}", "a".repeat(64));
        let ok = SyncConfig::entered(" https://sync.example.cn ", "hotel-1", &token, "");
        assert_eq!(ok.url, "https://sync.example.cn");
        assert!(ok.problems().is_empty() && ok.is_set());
        assert!(SyncConfig::entered("", " ", "", "").problems().is_empty(), "off");
        assert!(!SyncConfig::default().is_set());
        let bad = SyncConfig::entered("sync.example.cn", "酒店", "dgn_short", "1234567");
        assert_eq!(keys(&bad), ["url", "archive", "token", "passphrase"]);
        let long_pass = SyncConfig { passphrase: "八个字的通行短语".into(), ..ok };
        assert!(long_pass.problems().is_empty(), "eight characters, not bytes");
    }
}
