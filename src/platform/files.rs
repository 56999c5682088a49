//! Files in and out: the bytes of a file the user chose, and a download of bytes.

use js_sys::{Array, Uint8Array};

/// Why a file could not be read or saved (the browser's words).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file could not be read: {0}")]
    Unreadable(String),
    #[error("the download could not be offered: {0}")]
    Download(String),
}

fn js_text(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The bytes of a file the user chose.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, FileError> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| FileError::Unreadable(js_text(e)))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// A `blob:` URL the page shows `bytes` at (a picture, a PDF in a new window); give it back with
/// [`revoke`] when it is no longer shown.
pub fn object_url(bytes: &[u8], mime: &str) -> Result<String, FileError> {
    let err = |e: JsValue| FileError::Download(js_text(e));
    let parts = Array::of1(&Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(err)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(err)
}

/// Frees a URL made by [`object_url`].
pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// Offers bytes as a download named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), FileError> {
    let err = |e: JsValue| FileError::Download(js_text(e));
    let url = object_url(bytes, mime)?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or_else(|| FileError::Download("no document".into()))?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(err)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.style().set_property("display", "none").map_err(err)?;
    doc.body().ok_or_else(|| FileError::Download("no body".into()))?.append_child(&a).map_err(err)?;
    a.click();
    a.remove();
    // Revoked later: the browser reads the blob after the click returns.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// `档案-2026-11-23.csv`: a file name with today's date.
pub fn dated_name(stem: &str, ext: &str) -> String {
    format!("{stem}-{}.{ext}", super::clock::today())
}
