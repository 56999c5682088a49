//! The application layer: what the screens call, and nothing else does. It owns the open archive
//! and its in-memory search index ([`archive::Services`]), the sync rounds ([`sync`]), this
//! device's preferences ([`prefs`]), the language ([`lang`]) and who is signed in.
//!
//! Layers, each calling only those below it: `ui/` → `app/` → `store/` → `platform/`; `domain/`
//! (pure Rust) is used by all of them.

pub mod archive;
pub mod backup;
pub mod bridge;
pub mod destruction;
pub mod device;
pub mod documents;
pub mod drafts;
pub mod errors;
pub mod governance;
pub mod lang;
pub mod ledger;
pub mod merging;
pub mod overview;
pub mod prefs;
pub mod receivables;
pub mod review;
pub mod sealing;
pub mod session;
pub mod sync;
