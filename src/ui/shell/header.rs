//! The top bar: brand, the search box (focused on load, `/` focuses it from anywhere), navigation,
//! staff name and language.

use crate::domain::i18n::{Locale, Msg};
use crate::ui::list::ListState;
use crate::ui::shell::route::{navigate, Route, Tab};
use crate::ui::t;
use crate::ui::widgets::{Icon, IconKind};
use crate::ui::UiState;
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn Header(route: ReadSignal<Route>) -> impl IntoView {
    let list = expect_context::<ListState>();
    let svc = expect_context::<crate::app::archive::Services>();
    let input = NodeRef::<html::Input>::new();

    // Focus the search box on load and whenever the list is shown.
    Effect::new(move |_| {
        if matches!(route.get(), Route::List) {
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = document()
            .active_element()
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/" && !typing {
            ev.prevent_default();
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());

    let on_input = move |ev| {
        list.query.set(event_target_value(&ev));
        list.selected.set(0);
        if !matches!(route.get_untracked(), Route::List) {
            navigate(&Route::List);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            if let Some(id) = list.selected_id() {
                navigate(&Route::Profile(id));
            }
        }
        "ArrowDown" => {
            ev.prevent_default();
            list.move_selection(1);
        }
        "ArrowUp" => {
            ev.prevent_default();
            list.move_selection(-1);
        }
        "Escape" => {
            list.query.set(String::new());
        }
        _ => {}
    };
    let session = expect_context::<crate::app::session::Session>();
    let nav = move |r: Route, label: Msg, testid: &'static str| {
        let active = {
            let r = r.clone();
            move || route.get() == r
        };
        view! {
            <a href=r.hash() class="nav-link" class:active=active data-testid=testid>{t(label)}</a>
        }
    };

    view! {
        <header class="topbar">
            <a class="brand" href="#/" aria-label=t(Msg::AppName)>
                <span class="brand-mark">"档"</span>
                <span class="brand-name">{t(Msg::AppName)}</span>
            </a>
            <div class="search" role="search">
                <svg class="search-icon" viewBox="0 0 24 24" aria-hidden="true"><circle cx="11" cy="11" r="7" /><path d="M20 20l-4-4" /></svg>
                <input
                    node_ref=input
                    type="search"
                    class="search-input"
                    data-testid="search"
                    autofocus
                    autocomplete="off"
                    spellcheck="false"
                    aria-label=t(Msg::SearchLabel)
                    placeholder=t(Msg::SearchPlaceholder)
                    prop:value=move || list.query.get()
                    on:input=on_input
                    on:keydown=on_keydown
                />
                <kbd class="search-kbd" title=t(Msg::SearchHint)><Icon kind=IconKind::Enter /></kbd>
            </div>
            <a href="#/new" class="btn primary new-btn" data-testid="nav-new">"+ " {t(Msg::NavNew)}</a>
            <nav class="nav">
                {nav(Route::List, Msg::NavArchive, "nav-list")}
                {nav(Route::Deleted, Msg::NavDeleted, "nav-deleted")}
                {nav(Route::Import, Msg::NavImport, "nav-import")}
                {nav(Route::Settings, Msg::NavSettings, "nav-settings")}
                {move || session.is_admin().then(|| view! {
                    <a href=Route::Overview(Tab::Dashboard).hash() class="nav-link" class:active=move || matches!(route.get(), Route::Overview(_)) data-testid="nav-overview">{t(Msg::NavOverview)}</a>
                })}
                {move || session.is_admin().then(|| nav(Route::Receivables, Msg::RcvNav, "nav-receivables"))}
                {move || session.is_admin().then(|| nav(Route::Log, Msg::NavLog, "nav-log"))}
                {move || session.is_admin().then(|| view! {
                    <a href=Route::Review.hash() class="nav-link" class:active=move || matches!(route.get(), Route::Review | Route::Destruction | Route::Destroy(_)) data-testid="nav-review">{t(Msg::RevNav)}</a>
                })}
                {move || {
                    let n = svc.conflicted_profiles().len();
                    (n > 0).then(|| view! {
                        <a href=Route::Conflicts.hash() class="nav-link conflicts-link" data-testid="nav-conflicts">{t(Msg::NavConflicts)} <span class="count">{n}</span></a>
                    })
                }}
            </nav>
            <div class="desk">
                <crate::ui::sync::SyncChip />
                <crate::ui::governance::StaffChip />
                <LangToggle testid="lang" />
            </div>
        </header>
    }
}

/// The button that switches between 中文 and English (the top bar, the gate's bar).
#[component]
pub fn LangToggle(testid: &'static str) -> impl IntoView {
    let ui = expect_context::<UiState>();
    view! {
        <button
            class="btn ghost lang"
            data-testid=testid
            title=t(Msg::Language)
            on:click=move |_| crate::ui::show_language(ui, if ui.locale.get_untracked() == Locale::Zh { Locale::En } else { Locale::Zh })
        >
            {move || if ui.locale.get() == Locale::Zh { "EN" } else { "中文" }}
        </button>
    }
}
