//! Screens addressed by the URL hash, so reload and the back button keep the clerk's place and
//! the app needs no server routes (it works from the service worker's cache).

use leptos::prelude::*;

/// A screen of the manager's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Dashboard,
    Abc,
    Reminders,
    Quality,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Dashboard, Tab::Abc, Tab::Reminders, Tab::Quality];
}

/// A screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    List,
    Deleted,
    Settings,
    Import,
    PrintList,
    Conflicts,
    /// The access log (administrators).
    Log,
    /// The manager's views (经营, administrators): `#/overview`, `#/overview/abc`…
    Overview(Tab),
    New,
    Profile(String),
    Edit(String),
    Print(String),
    /// A customer's account (账款: ledger, aging, statement, consignment), in the office module.
    Account(String),
    /// A customer's reconciliation statement (对账单), in the office module.
    Statement(String),
    /// The archive's receivables (应收: aging, who owes; administrators), in the office module.
    Receivables,
    /// Consignment (寄售: the item catalog, stock at every customer's site), in the office module.
    Consignment,
    /// Destruction (销毁: applications, approval, the register; administrators), in the office module.
    Destruction,
    /// The application to destroy one profile, in the office module.
    Destroy(String),
    /// The semi-annual review (复核; administrators), in the office module.
    Review,
    /// Merging a duplicate into this profile, in the office module.
    Merge(String),
}

impl Route {
    /// Parses `#/`, `#/deleted`, `#/settings`, `#/import`, `#/print`, `#/conflicts`, `#/log`, `#/receivables`, `#/consignment`, `#/destruction`, `#/review`,
    /// `#/overview[/abc|/reminders|/quality]`, `#/new`, `#/p/<id>`, `#/p/<id>/edit`,
    /// `#/p/<id>/print`, `#/p/<id>/account`, `#/p/<id>/statement`, `#/p/<id>/destroy`, `#/p/<id>/merge`; anything else is the list.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match parts.as_slice() {
            ["deleted"] => Route::Deleted,
            ["settings"] => Route::Settings,
            ["import"] => Route::Import,
            ["print"] => Route::PrintList,
            ["conflicts"] => Route::Conflicts,
            ["log"] => Route::Log,
            ["receivables"] => Route::Receivables,
            ["consignment"] => Route::Consignment,
            ["destruction"] => Route::Destruction,
            ["review"] => Route::Review,
            ["overview"] => Route::Overview(Tab::Dashboard),
            ["overview", "abc"] => Route::Overview(Tab::Abc),
            ["overview", "reminders"] => Route::Overview(Tab::Reminders),
            ["overview", "quality"] => Route::Overview(Tab::Quality),
            ["new"] => Route::New,
            ["p", id] => Route::Profile((*id).to_string()),
            ["p", id, "edit"] => Route::Edit((*id).to_string()),
            ["p", id, "print"] => Route::Print((*id).to_string()),
            ["p", id, "account"] => Route::Account((*id).to_string()),
            ["p", id, "statement"] => Route::Statement((*id).to_string()),
            ["p", id, "destroy"] => Route::Destroy((*id).to_string()),
            ["p", id, "merge"] => Route::Merge((*id).to_string()),
            _ => Route::List,
        }
    }

    /// The hash of the route.
    pub fn hash(&self) -> String {
        match self {
            Route::List => "#/".into(),
            Route::Deleted => "#/deleted".into(),
            Route::Settings => "#/settings".into(),
            Route::Import => "#/import".into(),
            Route::PrintList => "#/print".into(),
            Route::Conflicts => "#/conflicts".into(),
            Route::Log => "#/log".into(),
            Route::Receivables => "#/receivables".into(),
            Route::Consignment => "#/consignment".into(),
            Route::Destruction => "#/destruction".into(),
            Route::Review => "#/review".into(),
            Route::Overview(Tab::Dashboard) => "#/overview".into(),
            Route::Overview(Tab::Abc) => "#/overview/abc".into(),
            Route::Overview(Tab::Reminders) => "#/overview/reminders".into(),
            Route::Overview(Tab::Quality) => "#/overview/quality".into(),
            Route::New => "#/new".into(),
            Route::Profile(id) => format!("#/p/{id}"),
            Route::Edit(id) => format!("#/p/{id}/edit"),
            Route::Print(id) => format!("#/p/{id}/print"),
            Route::Account(id) => format!("#/p/{id}/account"),
            Route::Statement(id) => format!("#/p/{id}/statement"),
            Route::Destroy(id) => format!("#/p/{id}/destroy"),
            Route::Merge(id) => format!("#/p/{id}/merge"),
        }
    }
}

fn current() -> Route {
    Route::parse(&window().location().hash().unwrap_or_default())
}

/// The current route as a signal, following `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(current());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| set_route.set(current()));
    on_cleanup(move || handle.remove());
    route
}

/// Goes to a screen (adds a browser history entry).
pub fn navigate(r: &Route) {
    let _ = window().location().set_hash(&r.hash());
}
