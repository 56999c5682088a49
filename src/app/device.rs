//! This device's storage as the settings screen shows it: usage, quota and whether the browser
//! keeps it when space runs low.

use crate::platform::storage::{self, Estimate, StorageApiError};

/// What the browser says about this site's storage.
#[derive(Clone, Debug, PartialEq)]
pub struct StorageState {
    pub estimate: Estimate,
    pub persisted: bool,
}

/// Reads usage, quota and persistence.
pub async fn storage_state() -> Result<StorageState, StorageApiError> {
    Ok(StorageState { estimate: storage::estimate().await?, persisted: storage::persisted().await? })
}

/// Asks for persistent storage; `true` when granted (asking again is harmless).
pub async fn request_persistence() -> bool {
    storage::request_persistence().await.unwrap_or(false)
}
