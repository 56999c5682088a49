//! Governance of the archive (seeds 000 §5–6 and 001): staff and their roles, who may see which
//! class of field in which view, view requests and their approval, PIN rules and lockout, the
//! hash-chained access log, and which governance records another device may accept. Pure Rust,
//! tested natively; the keys and the cryptography that enforce it run in `platform/crypto.rs`
//! and `app/governance/`.

pub mod authority;
pub mod chain;
pub mod grant;
pub mod masking;
pub mod pin;
pub mod policy;
pub mod report;
pub mod roster;
pub mod sealed;
pub mod signed;
pub mod staff;

pub use policy::{access, Access, Action, Policy};
pub use staff::{Role, Staff};
