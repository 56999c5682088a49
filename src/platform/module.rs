//! The page's second wasm module (`src/bin/office.rs`, the screens loaded on first use) and the
//! events the two modules of one page exchange.
//!
//! The office module is an ES module beside `index.html` (`office.js`, `office_bg.wasm`), loaded
//! once with a dynamic `import()` from a wasm-bindgen snippet (a file of its own, so the page's
//! content security policy needs no `unsafe-eval`). A failed load is forgotten, so the next use
//! tries again (offline before the service worker had cached it).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
let loading = null;
export function load_module(url) {
  if (!loading) {
    loading = import(url).then(async (m) => { await m.default(); return m; });
    loading.catch(() => { loading = null; });
  }
  return loading;
}
"#)]
extern "C" {
    fn load_module(url: &str) -> Promise;
}

/// Why the office module did not mount.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("the screen's module did not load: {0}")]
pub struct ModuleError(pub String);

fn err(e: JsValue) -> ModuleError {
    ModuleError(e.as_string().or_else(|| Reflect::get(&e, &"message".into()).ok()?.as_string()).unwrap_or_default())
}

/// A mounted office screen: dropping it unmounts the screen (its reactive owner and listeners go
/// with it; the module and its services stay for the next visit).
pub struct Mounted(JsValue);

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Ok(free) = Reflect::get(&self.0, &"free".into()) {
            if let Some(free) = free.dyn_ref::<Function>() {
                let _ = free.call0(&self.0);
            }
        }
    }
}

/// Whether this page has asked for the office module (the desk's notes have a reader only then).
static OFFICE_STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the office module has been asked for in this page.
pub fn office_started() -> bool {
    OFFICE_STARTED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Loads the office module (once per page) and mounts its screens into `host`.
pub async fn mount_office(host: &web_sys::HtmlElement) -> Result<Mounted, ModuleError> {
    OFFICE_STARTED.store(true, std::sync::atomic::Ordering::Relaxed);
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    let url = web_sys::Url::new_with_base("./office.js", &base.unwrap_or_default()).map_err(err)?.href();
    let module = JsFuture::from(load_module(&url)).await.map_err(err)?;
    let mount = Reflect::get(&module, &"mount".into()).map_err(err)?;
    let mount = mount.dyn_ref::<Function>().ok_or_else(|| ModuleError("no mount".into()))?;
    mount.call1(&JsValue::NULL, host).map(Mounted).map_err(err)
}

/// Sends `detail` to every listener of the page event `name` (in this module and the other).
pub fn dispatch(name: &str, detail: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(detail));
    if let (Some(w), Ok(ev)) = (web_sys::window(), web_sys::CustomEvent::new_with_event_init_dict(name, &init)) {
        let _ = w.dispatch_event(&ev);
    }
}

/// The text a page event carries (see [`dispatch`]).
pub fn detail(ev: &web_sys::Event) -> Option<String> {
    ev.dyn_ref::<web_sys::CustomEvent>()?.detail().as_string()
}
