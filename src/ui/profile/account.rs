//! The account on the profile: an alert at the top when the customer is over their credit limit,
//! has an invoice past the day limit or owes overdue money, and a card with the balance, the
//! overdue amount and the oldest unpaid invoice that opens the account screen (office module).

use crate::app::archive::Services;
use crate::app::ledger::Book;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::credit;
use crate::platform::clock::today;
use crate::ui::account::yuan;
use crate::ui::locale;
use crate::ui::t;
use crate::ui::widgets::{Icon, IconKind};
use leptos::prelude::*;
use std::sync::Arc;

/// The customer's account, read again after every write here or elsewhere (`None` until read,
/// or when it could not be: the profile still shows).
pub fn use_book(id: String) -> RwSignal<Option<Arc<Book>>> {
    let svc = expect_context::<Services>();
    let book = RwSignal::new(None);
    let id = StoredValue::new(id);
    Effect::new(move |_| {
        svc.local_rev.track();
        svc.remote_rev.track();
        svc.gov_rev.track();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(b) = svc.book(&id).await {
                book.try_set(b.map(Arc::new));
            }
        });
    });
    book
}

/// Alerts at the top: overdue money, over the limit, an invoice past the day limit.
#[component]
pub fn AccountAlerts(book: RwSignal<Option<Arc<Book>>>) -> impl IntoView {
    move || {
        let b = book.get()?;
        let on = today();
        let position = b.account.position(on);
        let mut lines: Vec<String> =
            credit::standing(&b.account, on, b.limit).iter().map(|w| w.words(locale())).collect();
        let overdue = position.overdue(on);
        if overdue > 0 {
            lines.insert(0, fill(t(Msg::AcctAlertOverdue), &[&yuan(overdue)]));
        }
        (!lines.is_empty()).then(|| {
            view! {
                <div class="alerts" data-testid="account-alerts" role="note">
                    {lines.into_iter().map(|l| view! { <span class="alert taboo" data-testid="alert-account"><Icon kind=IconKind::Warning /> {l}</span> }).collect_view()}
                </div>
            }
        })
    }
}

/// How long the record is kept (issue 18): from its last change, history and account, under the
/// archive's rules.
#[component]
pub fn RetentionLine(
    id: String,
    changed: crate::domain::model::Millis,
    history: RwSignal<Vec<crate::domain::model::HistoryItem>>,
    book: RwSignal<Option<Arc<Book>>>,
) -> impl IntoView {
    use crate::domain::retention::{retention, Facts};
    let svc = expect_context::<Services>();
    move || {
        let rules = svc.session.roster.with(|r| r.as_ref().map(|r| r.policy.retention)).unwrap_or_default();
        let (last_entry, open) = book.with(|b| match b {
            Some(b) => (b.entries.iter().map(|e| e.date).max(), b.account.position(today()).balance() != 0),
            None => (None, false),
        });
        let changed = crate::domain::Date::from_millis(changed);
        let facts = history.with(|h| Facts::of(changed, h, last_entry, open, Vec::new()));
        let words = retention(&facts, &rules).words(locale());
        let apply = svc.session.is_admin().then(|| {
            view! { " · " <a class="link" data-testid="apply-destroy" href=crate::ui::shell::route::Route::Destroy(id.clone()).hash()>{t(Msg::DesApply)}</a> }
        });
        view! { <p class="meta muted"><span data-testid="retention">{t(Msg::RetLabel)} "：" {words}</span> {apply}</p> }
    }
}

/// The balance, overdue amount and oldest unpaid invoice (the header's 账款 opens the account).
#[component]
pub fn AccountCard(book: RwSignal<Option<Arc<Book>>>) -> impl IntoView {
    view! {
        <section class="card" data-testid="account-card">
            <h2>{t(Msg::AcctNav)}</h2>
            {move || match book.get() {
                None => ().into_any(),
                Some(b) => {
                    let on = today();
                    let p = b.account.position(on);
                    let oldest = p.oldest_open().map(|o| format!("{} · {}", o.date, yuan(o.open)));
                    view! {
                        <dl class="kv acct-summary">
                            <dt>{t(Msg::AcctBalance)}</dt><dd data-testid="account-balance">{yuan(p.balance())}</dd>
                            <dt>{t(Msg::AcctOverdue)}</dt><dd data-testid="account-overdue" class:err-text={p.overdue(on) > 0}>{yuan(p.overdue(on))}</dd>
                            <dt>{t(Msg::AcctOldest)}</dt><dd>{oldest.unwrap_or_else(|| t(Msg::AcctNothingOpen).to_string())}</dd>
                        </dl>
                    }.into_any()
                }
            }}
        </section>
    }
}
