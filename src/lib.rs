//! Dangan (档案): an offline-first customer archive for hotel front desks and storefronts.
//!
//! - [`domain`]: pure Rust (model, validation, search, duplicates, i18n); builds natively.
//! - `store`: the typed IndexedDB storage API (browser build only).
//! - `ui`: Leptos components and pages (browser build only).

pub mod domain;
pub mod testdata;

#[cfg(target_arch = "wasm32")]
pub mod store;

#[cfg(target_arch = "wasm32")]
pub mod ui;
