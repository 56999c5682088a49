//! The desk's messages, one file per language (`domain/i18n.rs`, the `catalogue` build). The
//! page's loader (`boot-….js`, written by scripts/sw.mjs) lists the files the build named
//! (`globalThis.danganMessages`) and starts fetching the language it expects the app to show
//! (the saved one, else the browser's) beside the wasm; the service worker precaches both, so
//! switching language works offline.

use crate::domain::i18n::{self, Locale};
use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Installs `l`'s messages, fetched by the loader or now; an error says why they are not there.
pub async fn load(l: Locale) -> Result<(), String> {
    if l.ready() {
        return Ok(());
    }
    let text = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let window = web_sys::window().ok_or("no window")?;
    let files = Reflect::get(&window, &"danganMessages".into()).map_err(text)?;
    let entry = Reflect::get(&files, &format!("{l:?}").into()).map_err(text)?;
    if entry.is_undefined() {
        return Err("the page lists no message files (danganMessages)".into());
    }
    // The loader's fetch is taken once; a failed one is not tried again from there.
    let started = Reflect::get(&entry, &"text".into()).map_err(text)?;
    let _ = Reflect::delete_property(entry.unchecked_ref::<js_sys::Object>(), &"text".into());
    let promise = match started.dyn_into::<Promise>() {
        Ok(p) => p,
        Err(_) => {
            let url =
                Reflect::get(&entry, &"url".into()).map_err(text)?.as_string().ok_or("no url for the messages")?;
            crate::platform::http::get_file(&url).await?.text().map_err(text)?
        }
    };
    let file = JsFuture::from(promise).await.map_err(text)?.as_string().ok_or("the messages are not text")?;
    i18n::install(l, file).map_err(|e| e.to_string())
}
