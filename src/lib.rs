//! Dangan (档案): an offline-first customer archive for hotel front desks and storefronts.
//!
//! - [`domain`]: pure Rust (model, validation, search, duplicates, i18n); builds natively.
//! - `platform`: thin wrappers of browser APIs (browser build only).
//! - `store`: the typed IndexedDB storage API (browser build only).
//! - `app`: the application layer the screens call (browser build only).
//! - `ui`: Leptos components, one folder per screen (browser build only).

// Tests read JSON however is shortest; the app reads it one way (clippy.toml).
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod domain;
pub mod testdata;

#[cfg(target_arch = "wasm32")]
pub mod lazy;

#[cfg(target_arch = "wasm32")]
pub mod platform;

#[cfg(target_arch = "wasm32")]
pub mod store;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(target_arch = "wasm32")]
pub mod ui;
