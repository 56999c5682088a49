//! The pinyin table (`domain/pinyin.rs`), fetched once per page from beside the app
//! (`public/pinyin.bin`; the service worker precaches it, so it is there offline) and installed.
//! The desk asks for it a second after its first screen (`ui::mount`); the office module and
//! every storage write that builds search entries wait for it. A failed fetch is forgotten, so
//! the next call tries again.

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use std::cell::RefCell;
use wasm_bindgen_futures::JsFuture;

use crate::domain::pinyin;

/// Where the table is, beside `index.html` (the same path under the test runner's server).
const PATH: &str = "./public/pinyin.bin";

type Loading = Shared<LocalBoxFuture<'static, Result<(), String>>>;

thread_local! {
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// Resolves once the table is installed; an error says why it could not be fetched.
pub async fn ready() -> Result<(), String> {
    if pinyin::installed() {
        return Ok(());
    }
    let loading = LOADING.with(|l| l.borrow_mut().get_or_insert_with(|| load().boxed_local().shared()).clone());
    let done = loading.await;
    if done.is_err() {
        LOADING.with(|l| *l.borrow_mut() = None);
    }
    done
}

/// Fetches the table now without waiting for it (a form about to check a name for duplicates).
pub fn fetch_now() {
    if !pinyin::installed() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = ready().await;
        });
    }
}

async fn load() -> Result<(), String> {
    let text = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let base = window.document().and_then(|d| d.base_uri().ok().flatten()).unwrap_or_default();
    let url = web_sys::Url::new_with_base(PATH, &base).map_err(text)?.href();
    let response = crate::platform::http::get_file(&url).await?;
    let buffer = JsFuture::from(response.array_buffer().map_err(text)?).await.map_err(text)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    if pinyin::install(&bytes) {
        Ok(())
    } else {
        Err(format!("{url}: not a pinyin table"))
    }
}
