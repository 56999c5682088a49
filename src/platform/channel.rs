//! BroadcastChannel: tabs of this origin tell each other that something changed.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A named channel between the tabs of this app.
pub struct Channel(web_sys::BroadcastChannel);

impl Channel {
    /// Joins the channel `name`; `on_message` runs when another tab posts. `None` where the
    /// browser has no BroadcastChannel.
    pub fn join(name: &str, on_message: impl Fn() + 'static) -> Option<Channel> {
        let channel = web_sys::BroadcastChannel::new(name).ok()?;
        let cb = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| on_message());
        channel.set_onmessage(Some(cb.as_ref().unchecked_ref()));
        // Lives as long as the page: the channel is never closed.
        cb.forget();
        Some(Channel(channel))
    }

    /// Tells the other tabs.
    pub fn post(&self, message: &str) {
        let _ = self.0.post_message(&wasm_bindgen::JsValue::from_str(message));
    }
}
