//! Thin wrappers of the browser APIs the app uses, one file each, each failure a typed error.
//! Nothing here knows the archive or the screens; `app/` and `store/` build on it.

pub mod channel;
pub mod clock;
pub mod crypto;
pub mod files;
pub mod http;
pub mod ids;
pub mod image;
pub mod keys;
pub mod locks;
#[cfg(feature = "catalogue")]
pub mod messages;
pub mod module;
pub mod pinyin;
pub mod storage;
pub mod worker;
