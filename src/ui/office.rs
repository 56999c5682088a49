//! The office module's root (`src/bin/office.rs`): the screens the desk does not need to find,
//! open, create and edit a profile (settings with sync setup, backup and storage; import; print;
//! the conflicts list; the managers' screens), loaded on first use into the desk's page by
//! [`crate::ui::shell::office_host::office_screen`].
//!
//! The module's services live as long as the page, like the desk's: on first mount it opens the
//! archive as another tab would (its writes reach the desk through the tabs' channel) and keeps
//! it. Each visit of one of its screens mounts a view with an owner of its own, which the desk
//! drops when the clerk leaves. While none of its screens is shown, the desk's writes only mark
//! its search index stale; the next visit reloads it. What the desk must follow (language, staff,
//! sync settings, toasts) goes through `app::bridge`.

use crate::app::archive::Services;
use crate::app::bridge::{self, Note};
use crate::app::prefs;
use crate::ui::shell::route::{use_route, Route};
use crate::ui::{import, settings, UiState};
use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use std::cell::OnceCell;

thread_local! {
    /// The owner of the module's services, for the page's lifetime.
    static ROOT: OnceCell<Owner> = const { OnceCell::new() };
}

/// The module's services (created and opened on first use).
fn root() -> Owner {
    ROOT.with(|r| {
        r.get_or_init(|| {
            let owner = Owner::new();
            owner.with(|| {
                bridge::this_is_the_office();
                let (svc, ui) = crate::ui::provide_services();
                provide_context(crate::app::sync::Sync::mirror(svc));
                provide_context(crate::app::overview::Overview::new(svc));
                provide_context(crate::app::receivables::Receivables::new(svc));
                leptos::task::spawn_local(svc.open());
                // The staff card reads the governance (again after the desk's writes).
                crate::ui::governance::follow_roster(svc, svc.session);
                // A language chosen on one of these screens (not yet the saved one): the desk
                // redraws in it (and mounts the screen again).
                Effect::new(move |_| {
                    let l = ui.locale.get();
                    crate::app::lang::set_locale(l);
                    if prefs::locale() != l {
                        prefs::set_locale(l);
                        bridge::send(Note::Locale(l));
                    }
                });
            });
            owner
        })
        .clone()
    })
}

#[component]
fn OfficeScreens() -> impl IntoView {
    let svc = expect_context::<Services>();
    let route = use_route();
    move || {
        if let Some(v) = crate::ui::shell::archive_not_ready(svc) {
            return v;
        }
        match route.get() {
            Route::Settings => view! { <settings::SettingsPage /> }.into_any(),
            Route::Import => view! { <import::ImportPage /> }.into_any(),
            Route::Log => view! { <crate::ui::log::LogPage /> }.into_any(),
            Route::Overview(tab) => view! { <crate::ui::overview::OverviewPage tab=tab /> }.into_any(),
            Route::Account(id) => view! { <crate::ui::account::AccountPage id=id /> }.into_any(),
            Route::Statement(id) => view! { <crate::ui::account::StatementPage id=id /> }.into_any(),
            Route::Receivables => view! { <crate::ui::receivables::ReceivablesPage /> }.into_any(),
            Route::Consignment => view! { <crate::ui::consignment::ConsignmentPage /> }.into_any(),
            Route::Destruction => view! { <crate::ui::destruction::DestructionPage /> }.into_any(),
            Route::Review => view! { <crate::ui::review::ReviewPage /> }.into_any(),
            Route::Merge(id) => view! { <crate::ui::merge::MergePage id=id /> }.into_any(),
            Route::Destroy(id) => view! { <crate::ui::destruction::ApplyPage id=id /> }.into_any(),
            Route::Print(id) => view! { <crate::ui::print::ProfilePrint id=id /> }.into_any(),
            Route::PrintList => view! { <crate::ui::print::ListPrint /> }.into_any(),
            Route::Conflicts => view! { <crate::ui::sync::ConflictsPage /> }.into_any(),
            // The desk unmounts the screen when it leaves these routes.
            _ => ().into_any(),
        }
    }
}

/// A screen mounted for one visit: dropping it unmounts the view and disposes its owner.
struct Visit<M: Mountable> {
    owner: Owner,
    view: M,
    svc: Services,
}

impl<M: Mountable> Drop for Visit<M> {
    fn drop(&mut self) {
        self.view.unmount();
        self.owner.cleanup();
        self.svc.follow_other_tabs(false);
    }
}

/// Mounts the office screen of the current route into `host` (the desk's placeholder); dropping
/// the handle unmounts it.
pub fn mount(host: web_sys::HtmlElement) -> Box<dyn std::any::Any> {
    console_error_panic_hook::set_once();
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let root = root();
    let (svc, ui) = root.with(|| (expect_context::<Services>(), expect_context::<UiState>()));
    // The desk may have changed the language while no screen of this module was shown.
    let l = prefs::locale();
    if ui.locale.get_untracked() != l {
        crate::app::lang::set_locale(l);
        ui.locale.set(l);
    }
    svc.follow_other_tabs(true);
    let owner = root.child();
    let view = owner.with(|| {
        let mut view = view! { <OfficeScreens /> }.build();
        view.mount(&host, None);
        view
    });
    Box::new(Visit { owner, view, svc })
}
