//! The browser's storage for this site as a whole: how much is used, how much the browser allows,
//! and whether it is persistent (kept when the device runs low on space) or "best effort".

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Usage and quota of this site's storage, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub usage: f64,
    pub quota: f64,
}

/// Why the browser could not tell or do it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageApiError {
    /// `navigator.storage` is missing (insecure origin, some embedded browsers).
    #[error("the browser's storage manager is not available")]
    Unavailable,
    #[error("storage manager: {0}")]
    Failed(String),
}

fn manager() -> Result<web_sys::StorageManager, StorageApiError> {
    let nav = web_sys::window().ok_or(StorageApiError::Unavailable)?.navigator();
    // `navigator.storage` is missing on insecure origins and in some embedded browsers.
    if js_sys::Reflect::get(&nav, &"storage".into()).map_or(true, |v| v.is_undefined()) {
        return Err(StorageApiError::Unavailable);
    }
    Ok(nav.storage())
}

fn js_err(e: wasm_bindgen::JsValue) -> StorageApiError {
    StorageApiError::Failed(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

async fn boolean(p: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Result<bool, StorageApiError> {
    Ok(JsFuture::from(p.map_err(js_err)?).await.map_err(js_err)?.as_bool().unwrap_or(false))
}

/// Usage and quota as the browser reports them.
pub async fn estimate() -> Result<Estimate, StorageApiError> {
    let v = JsFuture::from(manager()?.estimate().map_err(js_err)?).await.map_err(js_err)?;
    let e: web_sys::StorageEstimate = v.unchecked_into();
    Ok(Estimate { usage: e.get_usage().unwrap_or(0.0), quota: e.get_quota().unwrap_or(0.0) })
}

/// Whether the browser has made this site's storage persistent.
pub async fn persisted() -> Result<bool, StorageApiError> {
    boolean(manager()?.persisted()).await
}

/// Asks the browser to make storage persistent; `true` when granted. Chromium decides without a
/// prompt (granted for installed apps, bookmarked or often-used sites); asking again is harmless.
pub async fn request_persistence() -> Result<bool, StorageApiError> {
    boolean(manager()?.persist()).await
}
