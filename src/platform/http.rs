//! fetch: one request with a timeout (its status and its body as bytes), or a long-lived answer
//! read piece by piece as it arrives, with a watchdog.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The request did not get an answer (no network, refused, timed out, blocked).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no answer from {0}")]
pub struct Unreachable(pub String);

/// An answer: its status and its body's bytes (`None` when the body could not be read, for
/// example a connection cut halfway). Bytes, not text: a pulled page of several megabytes goes
/// into wasm memory as it came, instead of being decoded to a JavaScript string and encoded back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<Vec<u8>>,
}

/// A request's body.
#[derive(Clone, Copy, Debug)]
pub enum Body<'a> {
    Json(&'a str),
    /// Bytes as they are (a document's file).
    Bytes(&'a [u8]),
}

/// Sends `method url` with a bearer token and an optional body; gives up after `timeout_ms`.
pub async fn send(
    method: &str,
    url: &str,
    bearer: &str,
    body: Option<Body<'_>>,
    timeout_ms: i32,
) -> Result<Answer, Unreachable> {
    let unreachable = || Unreachable(url.to_string());
    let window = web_sys::window().ok_or_else(unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
    let _ = headers.set("authorization", &format!("Bearer {bearer}"));
    match body {
        Some(Body::Json(b)) => {
            let _ = headers.set("content-type", "application/json");
            init.set_body(&JsValue::from_str(b));
        }
        Some(Body::Bytes(b)) => {
            let _ = headers.set("content-type", "application/octet-stream");
            init.set_body(&js_sys::Uint8Array::from(b).into());
        }
        None => {}
    }
    init.set_headers(&headers);
    let abort = web_sys::AbortController::new().ok();
    if let Some(a) = &abort {
        init.set_signal(Some(&a.signal()));
        let a = a.clone();
        let cb = wasm_bindgen::closure::Closure::once_into_js(move || a.abort());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), timeout_ms);
    }
    let req = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| unreachable())?;
    let resp: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&req)).await.map_err(|_| unreachable())?.unchecked_into();
    let body = match resp.array_buffer() {
        Ok(p) => JsFuture::from(p).await.ok().map(|b| js_sys::Uint8Array::new(&b).to_vec()),
        Err(_) => None,
    };
    Ok(Answer { status: resp.status(), body })
}

/// Fetches one of the app's own files (`url`, no credentials): the answer when its status is a
/// success, else what went wrong, in words that name the file.
pub async fn get_file(url: &str) -> Result<web_sys::Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let fetched = JsFuture::from(window.fetch_with_str(url)).await;
    let response: web_sys::Response =
        fetched.map_err(|e| format!("{url}: {}", e.as_string().unwrap_or_else(|| format!("{e:?}"))))?.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    Ok(response)
}

/// How a stream ended.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// No answer at all.
    #[error("no answer from {0}")]
    Unreachable(String),
    /// An answer other than 200 (with its body, when readable).
    #[error("the answer was {0}")]
    Status(u16, Option<String>),
    /// Nothing arrived for the watchdog's time: the connection is taken for dead and dropped.
    #[error("nothing arrived for a while")]
    Silent,
    /// The connection broke while reading.
    #[error("the connection broke")]
    Broken,
}

/// Opens `GET url` with a bearer token and hands each piece of the body to `piece` as it arrives,
/// until the server ends it (`Ok`), it breaks, or nothing arrives for `silence_ms` (the request
/// is then aborted). For a long-lived answer such as an event stream.
pub async fn stream(url: &str, bearer: &str, silence_ms: i32, mut piece: impl FnMut(&[u8])) -> Result<(), StreamError> {
    let unreachable = || StreamError::Unreachable(url.to_string());
    let window = web_sys::window().ok_or_else(unreachable)?;
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
    let _ = headers.set("authorization", &format!("Bearer {bearer}"));
    let _ = headers.set("accept", "text/event-stream");
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    let abort = web_sys::AbortController::new().map_err(|_| unreachable())?;
    init.set_signal(Some(&abort.signal()));
    let req = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| unreachable())?;
    let watchdog = Watchdog::arm(&window, &abort, silence_ms);
    let resp: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&req)).await.map_err(|_| unreachable())?.unchecked_into();
    if resp.status() != 200 {
        let body = match resp.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
            Err(_) => None,
        };
        return Err(StreamError::Status(resp.status(), body));
    }
    let reader: web_sys::ReadableStreamDefaultReader =
        resp.body().ok_or(StreamError::Broken)?.get_reader().unchecked_into();
    loop {
        watchdog.rearm();
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| {
            if watchdog.fired() {
                StreamError::Silent
            } else {
                StreamError::Broken
            }
        })?;
        if js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(());
        }
        if let Ok(bytes) = js_sys::Reflect::get(&chunk, &"value".into()) {
            piece(&js_sys::Uint8Array::new(&bytes).to_vec());
        }
    }
}

/// Aborts a request when nothing happened for a while; re-armed at every piece. One callback
/// serves every arming; dropping the watchdog (the stream ended, or its reader was dropped) clears
/// its timer and aborts the request, so no connection outlives its reader.
struct Watchdog {
    window: web_sys::Window,
    abort: web_sys::AbortController,
    timer: std::cell::Cell<i32>,
    fired: std::rc::Rc<std::cell::Cell<bool>>,
    callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
    ms: i32,
}

impl Watchdog {
    fn arm(window: &web_sys::Window, abort: &web_sys::AbortController, ms: i32) -> Watchdog {
        let fired: std::rc::Rc<std::cell::Cell<bool>> = Default::default();
        let (on_timer, flag) = (abort.clone(), fired.clone());
        let callback = wasm_bindgen::closure::Closure::new(move || {
            flag.set(true);
            on_timer.abort();
        });
        let w =
            Watchdog { window: window.clone(), abort: abort.clone(), timer: Default::default(), fired, callback, ms };
        w.rearm();
        w
    }

    fn rearm(&self) {
        self.disarm();
        let id = self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(self.callback.as_ref().unchecked_ref(), self.ms);
        self.timer.set(id.unwrap_or(0));
    }

    fn disarm(&self) {
        self.window.clear_timeout_with_handle(self.timer.get());
    }

    fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.disarm();
        self.abort.abort();
    }
}
