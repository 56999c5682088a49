//! The pure-Rust heart of Dangan: the profile model, validation, text normalisation and pinyin,
//! the in-memory search index, duplicate detection and localisation. No browser APIs here: all of
//! it builds and is tested natively with `cargo test`, and later the sync server shares it.

#[macro_use]
pub mod model;
pub mod chunk;
pub mod date;
pub mod destruction;
pub mod documents;
pub mod dupes;
pub mod fields;
pub mod forms;
pub mod governance;
pub mod i18n;
pub mod id_table;
pub mod ids;
pub mod ledger;
pub mod lunar;
pub mod merging;
pub mod overview;
pub mod pinyin;
pub mod retention;
pub mod review;
pub mod search;
pub mod snapshot;
pub mod sync;
pub mod text;
pub mod transfer;
pub mod validate;

pub use date::Date;
pub use model::*;
