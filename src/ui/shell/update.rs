//! "A new version is ready — reload": shown when the service worker has a new build waiting.
//! It applies only when the clerk agrees, and never while a form holds unsaved input.

use crate::app::prefs;
use crate::domain::i18n::Msg;
use crate::ui::t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn window_flag(name: &str) -> bool {
    js_sys::Reflect::get(&window(), &name.into()).ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    // index.html's registration script sets the flag and fires the event (the event may come
    // before this component exists, hence both).
    let ready = RwSignal::new(window_flag("__danganUpdateReady"));
    let blocked = RwSignal::new(false);
    let handle = window_event_listener_untyped("dangan-update-ready", move |_| ready.set(true));
    on_cleanup(move || handle.remove());
    let apply = move |_| {
        if prefs::has_unsaved_input() {
            blocked.set(true);
            return;
        }
        blocked.set(false);
        if let Some(f) = js_sys::Reflect::get(&window(), &"__danganApplyUpdate".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = f.call0(&window());
        }
    };
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{t(Msg::UpdateReady)}</span>
                <button class="btn small primary" data-testid="update-reload" on:click=apply>{t(Msg::UpdateReload)}</button>
                {move || blocked.get().then(|| view! { <span class="update-blocked" data-testid="update-blocked">{t(Msg::UpdateBlocked)}</span> })}
            </div>
        </Show>
    }
}
