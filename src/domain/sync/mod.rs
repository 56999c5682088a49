//! Multi-device sync, pure Rust: the hybrid logical clock ([`hlc`]), changes and field paths
//! ([`change`]), the per-field merge with kept conflicts ([`merge`]) and the wire protocol between
//! a device and the sync endpoint ([`protocol`]).

pub mod b64;
pub mod change;
pub mod config;
pub mod hlc;
pub mod live;
pub mod merge;
pub mod protocol;
pub mod records;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod sim;

pub use change::{Change, FieldWrite, RecordKey, RecordKind};
pub use hlc::{Clock, ClockDrift, Hlc};
pub use merge::{Conflict, FieldState, RecordState, Replica, Write};
