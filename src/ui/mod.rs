//! Leptos components, one folder per screen plus shared widgets. Each component gets what it
//! needs from context: [`Services`] (the archive, from `app/`), [`UiState`] (language,
//! toasts) and [`list::ListState`] (query, filters and the rows they select). Nothing here names
//! the storage layer.
//!
//! Screens: `list/` (archive list, search results, deleted view, export bar), `profile/` (profile
//! with alerts and timeline, history entries), `form/` (create and edit), `import/`, `print/`,
//! `settings/` (staff, language, backup, storage), `sync/` (sync card, status, conflicts);
//! `shell/` is the frame around them (header, routes, toasts, update banner).

pub mod account;
pub mod consignment;
pub mod destruction;
pub mod form;
pub mod governance;
pub mod import;
pub mod list;
pub mod log;
pub mod merge;
pub mod office;
pub mod overview;
pub mod print;
pub mod profile;
pub mod receivables;
pub mod review;
pub mod settings;
pub mod shell;
pub mod sync;
pub mod widgets;

use crate::app::archive::{Phase, Services};
use crate::app::bridge::Note;
pub use crate::app::lang::{locale, t};
use crate::app::prefs;
use crate::domain::i18n::Msg;
use leptos::prelude::*;
use shell::route::{use_route, Route};
use shell::{header, office_host, toast, update};

/// A recorded staff name as shown: none, or the default desk name recorded in either language,
/// reads as the default in the current language ("前台" / "Front desk").
pub fn staff_label(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() || crate::domain::i18n::DEFAULT_STAFF_RECORDED.contains(&s) {
        t(Msg::DefaultStaff).to_string()
    } else {
        s.to_string()
    }
}

/// Shows the app in `l`: at once where its messages are there, else once they are fetched (the
/// desk's build fetches a language's file on first use); a toast says so where they cannot be.
pub fn show_language(ui: UiState, l: crate::domain::i18n::Locale) {
    #[cfg(feature = "catalogue")]
    if !l.ready() {
        leptos::task::spawn_local(async move {
            match crate::platform::messages::load(l).await {
                Ok(()) => ui.locale.set(l),
                Err(e) => {
                    web_sys::console::warn_1(&format!("messages of {l:?}: {e}").into());
                    toast::push_toast(ui, toast::Toast::error(t(Msg::ErrLanguage).to_string()));
                }
            }
        });
        return;
    }
    ui.locale.set(l);
}

/// App-wide UI state shared through context.
#[derive(Clone, Copy)]
pub struct UiState {
    pub locale: RwSignal<crate::domain::i18n::Locale>,
    pub toasts: RwSignal<Vec<toast::Toast>>,
}

/// Provides who is at the desk, the archive's services (not yet open) and the UI state: what
/// every screen of either module takes from context.
pub fn provide_services() -> (Services, UiState) {
    let session = crate::app::session::Session::restore();
    provide_context(session);
    let svc = Services::new(session);
    provide_context(svc);
    let ui = UiState { locale: RwSignal::new(prefs::locale()), toasts: RwSignal::new(Vec::new()) };
    provide_context(ui);
    (svc, ui)
}

/// The root component: opens the archive, provides services and shows the current screen.
#[component]
pub fn App() -> impl IntoView {
    let (svc, ui) = provide_services();
    let list = list::ListState::new(svc);
    provide_context(list);
    let sync = crate::app::sync::Sync::new(svc);
    provide_context(sync);
    // The office module (settings, import) asks for sync and changes the language; its toasts
    // are shown here, where they outlive its screen.
    sync.serve_office();
    crate::app::bridge::listen(move |note| match note {
        Note::Locale(l) if ui.locale.get_untracked() != l => show_language(ui, l),
        Note::Toast { text, error } => {
            toast::push_toast(ui, if error { toast::Toast::error(text) } else { toast::Toast::info(text) })
        }
        Note::ListAsk => crate::app::bridge::send(Note::List(list.shown_ids())),
        _ => {}
    });
    // The profile page and the form (one chunk, src/lazy.rs): not needed to draw the list, there
    // before a clerk opens one. Fetched a second after the archive is open, when the first screen
    // (the list, the sign-in or the setup, which reads the roster first) is painted, so it never
    // competes with what that screen needs. A failure is logged by `Unloaded`; they load when
    // opened.
    Effect::new(move |asked: Option<bool>| {
        let ready = svc.phase.get() == Phase::Ready;
        if ready && asked != Some(true) {
            leptos::task::spawn_local(async {
                crate::platform::clock::after_first_screen(std::time::Duration::from_secs(1)).await;
                let _ = profile::preload_page().await.map_err(crate::lazy::Unloaded::from);
            });
        }
        ready || asked == Some(true)
    });
    // Sync starts once the archive is open.
    Effect::new(move |started: Option<bool>| {
        let ready = svc.phase.get() == Phase::Ready;
        if ready && started != Some(true) {
            sync.start();
        }
        ready || started == Some(true)
    });
    leptos::task::spawn_local(svc.open());
    // Once open, the loaded index is checked and a large archive's search gets its candidate
    // lists; again when the index is replaced or many changes have worn the lists out.
    Effect::new(move |_| {
        svc.index_rev.track();
        if svc.phase.get() == Phase::Ready {
            svc.tend_index();
        }
    });
    // Ask once per start for persistent storage; Chromium answers without a prompt.
    leptos::task::spawn_local(async {
        crate::app::device::request_persistence().await;
    });
    let route = use_route();
    // Who may use the desk: the governance read once the archive is open, the idle lock.
    let session = svc.session;
    governance::follow_roster(svc, session);
    governance::idle_lock(session);
    governance::seal_when_signed_in(svc, session, ui);

    Effect::new(move |_| {
        let l = ui.locale.get();
        crate::app::lang::set_locale(l);
        prefs::set_locale(l);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", l.tag());
        }
        document().set_title(&format!("{} · {}", l.t(Msg::AppName), l.t(Msg::AppTagline)));
    });

    move || {
        // Everything is rebuilt in the new language; form drafts survive in local storage.
        let l = ui.locale.get();
        crate::app::lang::set_locale(l);
        let gate = governance::gate(svc, session, route);
        view! {
            {move || gate().map(|v| view! { <governance::GateBar /> <update::UpdateBanner /> {v} })}
            <div class="app-frame" inert=move || session.locked.get() || session.who.with(Option::is_none)>
            <Show when=move || session.who.with(Option::is_some) && svc.phase.get() == Phase::Ready>
            <header::Header route=route />
            <update::UpdateBanner />
            <main class="main" id="main">
                {move || {
                    match route.get() {
                        Route::List => view! { <list::ListPage deleted=false /> }.into_any(),
                        Route::Deleted => view! { <list::ListPage deleted=true /> }.into_any(),
                        // Loaded on first use: a second wasm module (ui/office.rs).
                        Route::Settings | Route::Import | Route::Log | Route::Overview(_) | Route::Account(_) | Route::Statement(_) | Route::Receivables | Route::Consignment | Route::Destruction | Route::Destroy(_) | Route::Review | Route::Merge(_) | Route::PrintList | Route::Print(_) | Route::Conflicts => office_host::office_screen().into_any(),
                        // Chunks of the desk fetched right after the first paint (src/lazy.rs).
                        Route::New => crate::lazy::lazy_screen(|| form::page(None)).into_any(),
                        Route::Edit(id) => crate::lazy::lazy_screen(move || form::page(Some(id.clone()))).into_any(),
                        Route::Profile(id) => crate::lazy::lazy_screen(move || profile::page(id.clone())).into_any(),
                    }
                }}
            </main>
            </Show>
            </div>
            <governance::LockOverlay />
            <toast::Toasts />
        }
    }
}

/// Mounts the app on `<body>` in place of the app shell that index.html draws while the app
/// downloads.
pub fn start() {
    console_error_panic_hook::set_once();
    // The desk's build: the shown language's messages first (their file is fetched beside the
    // wasm); where they cannot be had, the app shell says so in both languages.
    #[cfg(feature = "catalogue")]
    {
        wasm_bindgen_futures::spawn_local(async {
            match crate::platform::messages::load(prefs::locale()).await {
                Ok(()) => mount(),
                Err(e) => {
                    web_sys::console::error_1(&format!("messages: {e}").into());
                    if let Some(status) = document().query_selector("#shell .state p").ok().flatten() {
                        status.set_text_content(Some(NO_MESSAGES));
                    }
                    if let Some(shell) = document().get_element_by_id("shell") {
                        let _ = shell.set_attribute("aria-busy", "false");
                    }
                }
            }
        });
    }
    #[cfg(not(feature = "catalogue"))]
    mount();
}

/// What the app shell says when the app's texts could not be fetched (there are no others then).
#[cfg(feature = "catalogue")]
const NO_MESSAGES: &str = "档案的文字未能载入，请检查网络后刷新页面。Dangan could not load its texts: check the connection and reload the page.";

fn mount() {
    if let Some(shell) = document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(App);
    // The pinyin table the search index needs for new and changed names, a second after the
    // first screen, so it never shares the link with that screen's download (writes before then
    // fetch it at once).
    wasm_bindgen_futures::spawn_local(async {
        crate::platform::clock::after_first_screen(std::time::Duration::from_secs(1)).await;
        let _ = crate::platform::pinyin::ready().await;
    });
}
