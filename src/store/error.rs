use crate::domain::i18n::Msg;

/// Everything that can go wrong in storage, in terms the UI can explain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// This browser offers no IndexedDB (private mode in some browsers, or disabled).
    #[error("IndexedDB is not available in this browser")]
    Unavailable,
    /// The device's storage quota is exhausted.
    #[error("the browser's storage quota is exceeded")]
    QuotaExceeded,
    /// Another tab holds an older version of the database open.
    #[error("the archive is open in another tab with an older version; close it and retry")]
    Blocked,
    /// An IndexedDB operation failed.
    #[error("IndexedDB: {0}")]
    Db(String),
    /// A stored record could not be read back.
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
    /// The pinyin table a write needs to index names did not load (platform/pinyin.rs).
    #[error("the pinyin table did not load: {0}")]
    Names(String),
    /// The part of the app that does this could not be fetched (`src/lazy.rs`).
    #[error("a part of the app could not be fetched")]
    Unloaded,
}

impl From<crate::lazy::Unloaded> for StoreError {
    fn from(_: crate::lazy::Unloaded) -> StoreError {
        StoreError::Unloaded
    }
}

impl StoreError {
    /// The localized headline for the UI.
    pub fn msg(&self) -> Msg {
        match self {
            StoreError::QuotaExceeded => Msg::ErrQuota,
            StoreError::Names(_) => Msg::ErrNames,
            StoreError::Unloaded => Msg::PartFailed,
            _ => Msg::ErrStorage,
        }
    }

    pub(super) fn from_text(text: String) -> StoreError {
        if text.contains("Quota") {
            StoreError::QuotaExceeded
        } else {
            StoreError::Db(text)
        }
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(e: indexed_db_futures::error::Error) -> StoreError {
        use indexed_db_futures::error::{DomException, Error};
        match &e {
            Error::DomException(DomException::Other(d) | DomException::AbortError(d)) => {
                StoreError::from_text(format!("{}: {}", d.name(), d.message()))
            }
            _ => StoreError::from_text(e.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(e: indexed_db_futures::error::OpenDbError) -> StoreError {
        use indexed_db_futures::error::OpenDbError;
        match e {
            OpenDbError::UnsupportedEnvironment | OpenDbError::NullFactory => StoreError::Unavailable,
            OpenDbError::Base(b) => b.into(),
            other => StoreError::Db(other.to_string()),
        }
    }
}

impl From<serde_wasm_bindgen::Error> for StoreError {
    fn from(e: serde_wasm_bindgen::Error) -> StoreError {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::Corrupt(e.to_string())
    }
}
