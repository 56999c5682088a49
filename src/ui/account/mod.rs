//! A customer's account (`#/p/<id>/account`, 账款; office module): where it stands (balance,
//! overdue, the oldest unpaid invoice, credit limit and warnings, the suggested rating), the
//! entry form ([`entry`]), the ledger with its running balance and reversals ([`ledger`]) and
//! this customer's aging as of any date ([`aging`]). Operations: `app::ledger`; rules:
//! `domain::ledger`.

pub(crate) mod aging;
mod consignment;
mod entry;
mod ledger;
mod statement;

pub use statement::StatementPage;

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::ledger::Book;
use crate::domain::forms::ledger::EntryDraft;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::credit::{self, Warning};
use crate::domain::ledger::stock::Item;
use crate::domain::validate::FieldError;
use crate::platform::clock::today;
use crate::ui::shell::route::Route;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::sync::Arc;

/// Where loading the account stands.
#[derive(Clone)]
enum Load {
    Loading,
    Failed(String),
    Missing,
    Ready(Arc<Book>, Arc<Vec<Item>>),
}

pub(crate) use crate::domain::model::format_yuan as yuan;

#[component]
pub fn AccountPage(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    let state = RwSignal::new(Load::Loading);
    // What the clerk types survives the account being read again (a save, a pull).
    let draft = RwSignal::new(EntryDraft { date: today().to_string(), ..EntryDraft::default() });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let pid = StoredValue::new(id.clone());
    Effect::new(move |_| {
        svc.local_rev.track();
        svc.remote_rev.track();
        svc.gov_rev.track();
        let id = pid.get_value();
        leptos::task::spawn_local(async move {
            let next = match futures::join!(svc.book(&id), svc.items()) {
                (Ok(Some(b)), Ok(items)) => Load::Ready(Arc::new(b), Arc::new(items)),
                (_, Err(e)) => Load::Failed(e.explain(locale())),
                (Ok(None), _) => Load::Missing,
                (Err(e), _) => Load::Failed(e.explain(locale())),
            };
            state.try_set(next);
        });
    });
    view! {
        <div class="acct-page" data-testid="account">
            {move || match state.get() {
                Load::Loading => view! {
                    <div class="state" role="status" data-testid="acct-loading"><div class="spinner" aria-hidden="true"></div><p>{t(Msg::Loading)}</p></div>
                }.into_any(),
                Load::Failed(e) => view! { <div class="state error" role="alert" data-testid="acct-failed"><p>{e}</p></div> }.into_any(),
                Load::Missing => view! { <div class="state" data-testid="acct-missing"><p>{t(Msg::NotFound)}</p><a class="btn" href="#/">{t(Msg::Back)}</a></div> }.into_any(),
                Load::Ready(book, items) => view! { <Account book=book items=items draft=draft errors=errors state=state /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Account(
    book: Arc<Book>,
    items: Arc<Vec<Item>>,
    draft: RwSignal<EntryDraft>,
    errors: RwSignal<Vec<FieldError>>,
    state: RwSignal<Load>,
) -> impl IntoView {
    let recorded = Callback::new(move |e: crate::app::ledger::Recorded| {
        state.update(|s| {
            if let Load::Ready(b, items) = s {
                *s = Load::Ready(Arc::new(b.with(e)), items.clone());
            }
        })
    });
    let p = &book.profile;
    let name = p.display_name().to_string();
    let id = p.id.clone();
    view! {
        <header class="acct-head">
            <div>
                <h1 class="page-title" data-testid="acct-title">{fill(t(Msg::AcctTitle), &[&name])}</h1>
                <p class="muted acct-sub">{t(p.class.msg())} " · " {fill(t(Msg::AcctTerms), &[&book.terms])}</p>
            </div>
            <div class="actions">
                <a class="btn" data-testid="open-statement" href=Route::Statement(id.clone()).hash()>{t(Msg::StmtTitle)}</a>
                <a class="btn" data-testid="acct-back" href=Route::Profile(id).hash()>{t(Msg::AcctBackToProfile)}</a>
            </div>
        </header>
        <Standing book=book.clone() />
        <div class="acct-grid">
            <entry::EntryForm book=book.clone() draft=draft errors=errors recorded=recorded />
            <aging::AgingCard book=book.clone() />
        </div>
        <consignment::ConsignmentCard book=book.clone() items=items.clone() recorded=recorded />
        <ledger::LedgerCard book=book.clone() items=items />
    }
}

/// The figures at the top: balance, overdue, the oldest unpaid invoice, the limit, warnings
/// and the suggested rating.
#[component]
fn Standing(book: Arc<Book>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let on = today();
    let position = book.account.position(on);
    let warnings = credit::standing(&book.account, on, book.limit);
    let oldest = position.oldest_open().map(|o| {
        let e = book.entry_of_post(o.post);
        let doc = e.body.doc().to_string();
        fill(t(Msg::AcctOldestWhat), &[&o.date, &(if doc.is_empty() { "—".to_string() } else { doc }), &yuan(o.open)])
    });
    let limit = match (book.limit.amount_fen, book.limit.days) {
        (None, None) => t(Msg::AcctNoLimit).to_string(),
        (a, d) => {
            [a.map(yuan), d.map(|d| fill(t(Msg::NDays), &[&d]))].into_iter().flatten().collect::<Vec<_>>().join(" · ")
        }
    };
    let behaviour = credit::behaviour(&book.account, on);
    let suggested = credit::suggest(&behaviour);
    let current = book.profile.credit;
    let reason = credit::reason(&behaviour, locale());
    let busy = RwSignal::new(false);
    let profile = StoredValue::new(book.profile.clone());
    let accept = move |_| {
        let Some(r) = suggested else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let mut p = profile.get_value();
        p.credit = r;
        leptos::task::spawn_local(async move {
            let result = svc.save_profile(p).await;
            busy.try_set(false);
            match result {
                Ok(_) => push_toast(ui, Toast::info(t(Msg::AcctRatingSaved))),
                Err(crate::app::archive::SaveError::Store(e)) => push_toast(ui, Toast::error(e.explain(locale()))),
                // The profile has a field to fix first (its form says which).
                Err(crate::app::archive::SaveError::Invalid(errs)) => {
                    push_toast(ui, Toast::error(errs.first().map(|e| e.message(locale())).unwrap_or_default()))
                }
            }
        });
    };
    view! {
        {(!warnings.is_empty()).then(|| view! {
            <div class="alerts" data-testid="acct-warnings">
                {warnings.iter().map(|w| view! {
                    <p class="alert taboo" role="alert" data-testid=warning_id(w)>{w.words(locale())}</p>
                }).collect_view()}
            </div>
        })}
        <div class="kpis acct-kpis">
            <div class="kpi static" data-testid="acct-balance"><span class="kpi-name">{t(Msg::AcctBalance)}</span><span class="kpi-value">{yuan(position.balance())}</span>
                {(position.unapplied > 0).then(|| view! { <span class="kpi-before">{fill(t(Msg::AcctUnapplied), &[&yuan(position.unapplied)])}</span> })}
            </div>
            <div class="kpi static" class:bad={position.overdue(on) > 0} data-testid="acct-overdue"><span class="kpi-name">{t(Msg::AcctOverdue)}</span><span class="kpi-value">{yuan(position.overdue(on))}</span></div>
            <div class="kpi static" data-testid="acct-oldest"><span class="kpi-name">{t(Msg::AcctOldest)}</span><span class="kpi-text">{oldest.unwrap_or_else(|| t(Msg::AcctNothingOpen).to_string())}</span></div>
            <div class="kpi static" data-testid="acct-limit"><span class="kpi-name">{t(Msg::AcctLimit)}</span><span class="kpi-text">{limit}</span></div>
        </div>
        <section class="card acct-rating" data-testid="acct-rating">
            <h2>{t(Msg::AcctRating)}</h2>
            <p>
                {t(Msg::AcctRatingNow)} <strong>{t(current.msg())}</strong>
                {suggested.map(|s| view! { " · " {t(Msg::AcctRatingSuggested)} <strong data-testid="acct-suggested">{t(s.msg())}</strong> })}
            </p>
            <p class="muted" data-testid="acct-rating-reason">{reason}</p>
            {suggested.filter(|s| *s != current).map(|_| view! {
                <div class="ov-actions">
                    <button type="button" class="btn small primary" data-testid="acct-accept-rating" disabled=move || busy.get() on:click=accept>{t(Msg::AcctAcceptRating)}</button>
                    <span class="muted">{t(Msg::AcctKeepRating)}</span>
                </div>
            })}
        </section>
    }
}

fn warning_id(w: &Warning) -> &'static str {
    match w {
        Warning::WouldExceed { .. } => "warn-would-exceed",
        Warning::AlreadyOver { .. } => "warn-over",
        Warning::PastDays { .. } => "warn-days",
    }
}
