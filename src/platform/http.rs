//! fetch with a timeout: one request, its status and its body as text.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The request did not get an answer (no network, refused, timed out, blocked).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no answer from {0}")]
pub struct Unreachable(pub String);

/// An answer: its status and its body (`None` when the body could not be read, for example a
/// connection cut halfway).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<String>,
}

/// Sends `method url` with a bearer token and an optional JSON body; gives up after `timeout_ms`.
pub async fn send(
    method: &str,
    url: &str,
    bearer: &str,
    json: Option<&str>,
    timeout_ms: i32,
) -> Result<Answer, Unreachable> {
    let unreachable = || Unreachable(url.to_string());
    let window = web_sys::window().ok_or_else(unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
    let _ = headers.set("authorization", &format!("Bearer {bearer}"));
    if let Some(b) = json {
        let _ = headers.set("content-type", "application/json");
        init.set_body(&JsValue::from_str(b));
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
    let body = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()),
        Err(_) => None,
    };
    Ok(Answer { status: resp.status(), body })
}
