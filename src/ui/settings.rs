//! Small settings kept with gloo-storage: language, staff name, list sort.

use crate::domain::i18n::Locale;
use gloo_storage::{LocalStorage, Storage};

const KEY_LOCALE: &str = "dangan.locale";
const KEY_STAFF: &str = "dangan.staff";
const KEY_SORT: &str = "dangan.sort";
const KEY_SYNC: &str = "dangan.sync";

/// Where this device syncs: the endpoint, the archive id and its access token. Kept on this
/// device only (the token is a secret of the device; it is never exported).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncConfig {
    pub url: String,
    pub archive: String,
    pub token: String,
    /// End-to-end encryption passphrase (empty: the archive is not encrypted).
    #[serde(default)]
    pub passphrase: String,
}

impl SyncConfig {
    /// Whether sync is set up.
    pub fn is_set(&self) -> bool {
        !self.url.trim().is_empty() && !self.archive.trim().is_empty() && !self.token.trim().is_empty()
    }
}

pub fn sync_config() -> SyncConfig {
    LocalStorage::get::<SyncConfig>(KEY_SYNC).unwrap_or_default()
}

pub fn set_sync_config(c: &SyncConfig) {
    let _ = LocalStorage::set(KEY_SYNC, c);
}

/// The saved language, else the browser's.
pub fn locale() -> Locale {
    LocalStorage::get::<Locale>(KEY_LOCALE).unwrap_or_else(|_| {
        let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
        Locale::from_tag(&tag)
    })
}

pub fn set_locale(l: Locale) {
    let _ = LocalStorage::set(KEY_LOCALE, l);
}

/// Who is at the desk (recorded on every change).
pub fn staff() -> String {
    LocalStorage::get::<String>(KEY_STAFF).unwrap_or_default()
}

pub fn set_staff(s: &str) {
    let _ = LocalStorage::set(KEY_STAFF, s);
}

/// The list sort, as its index in the sort menu.
pub fn sort() -> usize {
    LocalStorage::get::<usize>(KEY_SORT).unwrap_or(0)
}

pub fn set_sort(i: usize) {
    let _ = LocalStorage::set(KEY_SORT, i);
}

/// A form draft kept while typing, so a crash or reload loses nothing.
pub fn draft<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    LocalStorage::get::<T>(format!("dangan.draft.{key}")).ok()
}

pub fn set_draft<T: serde::Serialize>(key: &str, value: &T) {
    let _ = LocalStorage::set(format!("dangan.draft.{key}"), value);
}

pub fn clear_draft(key: &str) {
    LocalStorage::delete(format!("dangan.draft.{key}"));
}

/// Whether any form holds unsaved input (a kept draft).
pub fn has_unsaved_input() -> bool {
    let storage = LocalStorage::raw();
    (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .any(|k| k.starts_with("dangan.draft."))
}
