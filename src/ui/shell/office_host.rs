//! Where the desk shows a screen of the office module (`ui/office.rs`): loads the module on first
//! use (the service worker has it cached after the first visit, so this works offline), mounts
//! it into a placeholder and unmounts it when the clerk leaves the screen.

use crate::domain::i18n::Msg;
use crate::platform::module::{mount_office, Mounted};
use crate::ui::t;
use leptos::html;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum Load {
    Loading,
    Shown,
    Failed,
}

/// The office host as a screen of the desk: its code comes in the chunk that also encodes the
/// notes between the two modules (`app/bridge.rs`), both needed first when the office is.
pub fn office_screen() -> impl IntoView {
    crate::lazy::lazy_screen(office_host_view)
}

crate::lazy::lazy_fn! { bridge;
    fn office_host_view() -> AnyView {
        view! { <OfficeHost /> }.into_any()
    }
}

#[component]
fn OfficeHost() -> impl IntoView {
    let host = NodeRef::<html::Div>::new();
    let load = RwSignal::new(Load::Loading);
    // Held as long as this screen: when it goes, the value is dropped and the office unmounts.
    let mounted = StoredValue::new_local(None::<Mounted>);
    let start = move || {
        let Some(el) = host.get_untracked() else { return };
        load.set(Load::Loading);
        leptos::task::spawn_local(async move {
            match mount_office(&el).await {
                // When the clerk left before it arrived, the closure and the screen are dropped.
                Ok(m) => {
                    if mounted.try_update_value(|slot| *slot = Some(m)).is_some() {
                        load.set(Load::Shown);
                    }
                }
                Err(e) => {
                    web_sys::console::warn_1(&e.to_string().into());
                    let _ = load.try_set(Load::Failed);
                }
            }
        });
    };
    Effect::new(move |_| {
        if host.get().is_some() {
            start();
        }
    });
    view! {
        {move || match load.get() {
            Load::Loading => super::waiting(Msg::ScreenLoading, "screen-loading"),
            Load::Failed => view! {
                <div class="state error" role="alert" data-testid="module-error">
                    <h2>{t(Msg::ModuleFailed)}</h2>
                    <p>{t(Msg::ModuleFailedHint)}</p>
                    <button class="btn primary" on:click=move |_| start()>{t(Msg::Retry)}</button>
                </div>
            }
            .into_any(),
            Load::Shown => ().into_any(),
        }}
        <div class="office-host" node_ref=host></div>
    }
}
