//! Small settings kept with gloo-storage: language, staff name, list sort, this device's name and
//! the names other devices gave themselves.

use crate::domain::i18n::Locale;
use gloo_storage::{LocalStorage, Storage};

const KEY_LOCALE: &str = Locale::STORAGE_KEY;
const KEY_SORT: &str = "dangan.sort";
const KEY_SYNC: &str = "dangan.sync";
const KEY_DEVICE_NAME: &str = "dangan.device_name";
const KEY_DEVICE_NAMES: &str = "dangan.device_names";
const KEY_FILES: &str = "dangan.files";

/// This device's name as staff call it; until one is given, the platform and the default desk
/// name ("iPad 前台", "Windows 前台").
pub fn device_name() -> String {
    LocalStorage::get::<String>(KEY_DEVICE_NAME)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(default_device_name)
}

pub fn set_device_name(s: &str) {
    let _ = LocalStorage::set(KEY_DEVICE_NAME, s.trim());
}

/// The platform, from the user agent, with the default desk name.
fn default_device_name() -> String {
    let ua = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    let platform = [
        ("iPad", "iPad"),
        ("iPhone", "iPhone"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("CrOS", "Chromebook"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map_or("", |(_, v)| *v);
    format!("{platform} {}", crate::app::lang::t(crate::domain::i18n::Msg::DefaultStaff)).trim().to_string()
}

/// Device id → the name it sent with its changes.
pub fn device_names() -> std::collections::HashMap<String, String> {
    LocalStorage::get(KEY_DEVICE_NAMES).unwrap_or_default()
}

/// Remembers the names other devices sent (the latest per device).
pub fn learn_device_names<'a>(seen: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let mut names = device_names();
    let mut changed = false;
    for (id, name) in seen {
        if !name.is_empty() && names.get(id).map(String::as_str) != Some(name) {
            names.insert(id.to_string(), name.to_string());
            changed = true;
        }
    }
    if changed {
        let _ = LocalStorage::set(KEY_DEVICE_NAMES, &names);
    }
}

/// How a device is named on screen: this device by its own name, another by the name it sent,
/// else by its id.
pub fn device_label(id: &str, own_id: &str) -> String {
    if id == own_id {
        return device_name();
    }
    device_names().remove(id).unwrap_or_else(|| id.to_string())
}

pub use crate::domain::sync::config::SyncConfig;

pub fn sync_config() -> SyncConfig {
    LocalStorage::get::<SyncConfig>(KEY_SYNC).unwrap_or_default()
}

pub fn set_sync_config(c: &SyncConfig) {
    let _ = LocalStorage::set(KEY_SYNC, c);
}

/// This device's settings for documents (limit, downscaling, keeping originals here).
pub fn file_prefs() -> crate::domain::documents::FilePrefs {
    LocalStorage::get(KEY_FILES).unwrap_or_default()
}

pub fn set_file_prefs(p: crate::domain::documents::FilePrefs) {
    let _ = LocalStorage::set(KEY_FILES, p);
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
