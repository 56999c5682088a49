//! Leptos components and pages. Each screen is a small component that gets what it needs from
//! context: [`services::Services`] (data), [`UiState`] (language, staff, toasts) and
//! [`list::ListState`] (query, filters and the rows they select).
//!
//! Screens: `list.rs` (archive list, search results, deleted view), `profile.rs` (profile with
//! alerts and timeline), `form.rs` (create and edit), `history.rs` (history entries),
//! `settings_page.rs` (staff, language, storage on this device).

pub mod backup_view;
pub mod crypto;
pub mod export;
pub mod form;
pub mod header;
pub mod history;
pub mod import_page;
pub mod io;
pub mod list;
pub mod print;
pub mod profile;
pub mod route;
pub mod services;
pub mod settings;
pub mod settings_page;
pub mod sync;
pub mod sync_view;
pub mod toast;
pub mod update;
pub mod widgets;

use crate::domain::i18n::{Locale, Msg};
use crate::store::schema::DB_NAME;
use leptos::prelude::*;
use route::{use_route, Route};
use services::{store_error_text, Phase, Services};
use std::cell::Cell;

thread_local! {
    static LOCALE: Cell<Locale> = const { Cell::new(Locale::Zh) };
}

/// Translates a message into the current language. The app re-renders when the language changes.
pub fn t(m: Msg) -> &'static str {
    LOCALE.with(|l| l.get().t(m))
}

/// The current language.
pub fn locale() -> Locale {
    LOCALE.with(Cell::get)
}

/// A recorded staff name as shown: none, or the default desk name recorded in either language,
/// reads as the default in the current language ("前台" / "Front desk").
pub fn staff_label(s: &str) -> String {
    let s = s.trim();
    let (zh, en) = Msg::DefaultStaff.texts();
    if s.is_empty() || s == zh || s == en {
        t(Msg::DefaultStaff).to_string()
    } else {
        s.to_string()
    }
}

/// App-wide UI state shared through context.
#[derive(Clone, Copy)]
pub struct UiState {
    pub locale: RwSignal<Locale>,
    /// Who is at the desk; recorded on every change.
    pub staff: RwSignal<String>,
    pub toasts: RwSignal<Vec<toast::Toast>>,
}

impl UiState {
    /// The staff name to record ("前台" / "Front desk" when none is set).
    pub fn staff_name(self) -> String {
        let s = self.staff.get_untracked();
        if s.trim().is_empty() {
            t(Msg::DefaultStaff).to_string()
        } else {
            s.trim().to_string()
        }
    }
}

/// The root component: opens the archive, provides services and shows the current screen.
#[component]
pub fn App() -> impl IntoView {
    let svc = Services::new();
    provide_context(svc);
    let ui = UiState {
        locale: RwSignal::new(settings::locale()),
        staff: RwSignal::new(settings::staff()),
        toasts: RwSignal::new(Vec::new()),
    };
    provide_context(ui);
    let list = list::ListState::new(svc);
    provide_context(list);
    let sync = sync::Sync::new(svc);
    provide_context(sync);
    // Sync starts once the archive is open.
    Effect::new(move |started: Option<bool>| {
        let ready = svc.phase.get() == Phase::Ready;
        if ready && started != Some(true) {
            sync.start();
        }
        ready || started == Some(true)
    });
    leptos::task::spawn_local(svc.open(DB_NAME));
    // Ask once per start for persistent storage; Chromium answers without a prompt.
    leptos::task::spawn_local(async {
        let _ = crate::store::device::request_persistence().await;
    });
    let route = use_route();

    Effect::new(move |_| {
        let l = ui.locale.get();
        LOCALE.with(|c| c.set(l));
        settings::set_locale(l);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", l.tag());
        }
        document().set_title(&format!("{} · {}", l.t(Msg::AppName), l.t(Msg::AppTagline)));
    });

    move || {
        // Everything is rebuilt in the new language; form drafts survive in local storage.
        let l = ui.locale.get();
        LOCALE.with(|c| c.set(l));
        view! {
            <header::Header route=route />
            <update::UpdateBanner />
            <main class="main" id="main">
                {move || match svc.phase.get() {
                    Phase::Opening => view! {
                        <div class="state" data-testid="loading" role="status">
                            <div class="spinner" aria-hidden="true"></div>
                            <p>{t(Msg::Loading)}</p>
                        </div>
                    }
                    .into_any(),
                    Phase::Failed(e) => view! {
                        <div class="state error" role="alert" data-testid="load-error">
                            <h2>{t(Msg::LoadFailed)}</h2>
                            <p>{store_error_text(&e, locale())}</p>
                            <button class="btn primary" on:click=move |_| leptos::task::spawn_local(svc.open(DB_NAME))>
                                {t(Msg::Retry)}
                            </button>
                        </div>
                    }
                    .into_any(),
                    Phase::Ready => match route.get() {
                        Route::List => view! { <list::ListPage deleted=false /> }.into_any(),
                        Route::Deleted => view! { <list::ListPage deleted=true /> }.into_any(),
                        Route::Settings => view! { <settings_page::SettingsPage /> }.into_any(),
                        Route::Import => view! { <import_page::ImportPage /> }.into_any(),
                        Route::PrintList => view! { <print::ListPrint /> }.into_any(),
                        Route::Print(id) => view! { <print::ProfilePrint id=id /> }.into_any(),
                        Route::Conflicts => view! { <sync_view::ConflictsPage /> }.into_any(),
                        Route::New => view! { <form::ProfileForm id=None /> }.into_any(),
                        Route::Edit(id) => view! { <form::ProfileForm id=Some(id) /> }.into_any(),
                        Route::Profile(id) => view! { <profile::ProfilePage id=id /> }.into_any(),
                    },
                }}
            </main>
            <toast::Toasts />
        }
    }
}

/// Mounts the app on `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
