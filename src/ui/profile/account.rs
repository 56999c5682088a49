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

/// How long the record is kept (issue 18): from its last change, history, account and holds,
/// under the archive's rules; an administrator sets and lifts holds here and applies to destroy
/// the profile (the office's #/p/<id>/destroy).
#[component]
pub fn RetentionLine(
    id: String,
    changed: crate::domain::model::Millis,
    history: RwSignal<Vec<crate::domain::model::HistoryItem>>,
    book: RwSignal<Option<Arc<Book>>>,
) -> impl IntoView {
    use crate::domain::retention::{retention, Facts};
    let svc = expect_context::<Services>();
    let holds = {
        let id = id.clone();
        LocalResource::new(move || {
            svc.gov_rev.track();
            svc.remote_rev.track();
            let id = id.clone();
            async move { svc.holds(&id).await.unwrap_or_default() }
        })
    };
    let words = move || {
        let rules = svc.session.roster.with(|r| r.as_ref().map(|r| r.policy.retention)).unwrap_or_default();
        let (last_entry, open) = book.with(|b| match b {
            Some(b) => (b.entries.iter().map(|e| e.date).max(), b.account.position(today()).balance() != 0),
            None => (None, false),
        });
        let changed = crate::domain::Date::from_millis(changed);
        let held = holds.get().unwrap_or_default();
        let facts = history.with(|h| Facts::of(changed, h, last_entry, open, held));
        retention(&facts, &rules).words(locale())
    };
    let admin = move || svc.session.is_admin();
    let setting = RwSignal::new(false);
    let apply_href = crate::ui::shell::route::Route::Destroy(id.clone()).hash();
    let merge_href = crate::ui::shell::route::Route::Merge(id.clone()).hash();
    let hold_id = id.clone();
    // Keyed below: a reason being typed to lift a hold stays when the holds are read again.
    let standing =
        move || holds.get().unwrap_or_default().into_iter().filter(|h| h.lifted.is_none()).collect::<Vec<_>>();
    view! {
        <div class="retention">
            <p class="meta muted">
                <span data-testid="retention">{t(Msg::RetLabel)} {t(Msg::Colon)} {words}</span>
                {move || admin().then(|| view! {
                    " · " <button type="button" class="link" data-testid="hold-set" on:click=move |_| setting.update(|s| *s = !*s)>{t(Msg::HoldSet)}</button>
                    " · " <a class="link" data-testid="merge-link" href=merge_href.clone()>{t(Msg::MrgLink)}</a>
                    " · " <a class="link" data-testid="apply-destroy" href=apply_href.clone()>{t(Msg::DesApply)}</a>
                })}
            </p>
            <For each=standing key=|h| h.id.clone() let:h>
                <HoldRow hold=h />
            </For>
            <Show when=move || setting.get() && admin()>
                {
                    let id = hold_id.clone();
                    crate::lazy::lazy_view(move || hold_form(id.clone(), Callback::new(move |_| setting.set(false))))
                }
            </Show>
        </div>
    }
}

/// A standing hold: its kind, reason and who set it; an administrator lifts it with a reason.
#[component]
fn HoldRow(hold: crate::domain::retention::Hold) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<crate::ui::UiState>();
    let lifting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let line = fill(t(Msg::HoldLine), &[&t(hold.kind.msg()), &hold.reason, &hold.by_name]);
    let hold_id = hold.id.clone();
    let lift = Callback::new(move |_| {
        let hold_id = hold_id.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.lift_hold(&hold_id, &reason.get_untracked()).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    crate::ui::shell::toast::push_toast(ui, crate::ui::shell::toast::Toast::info(t(Msg::HoldLifted)))
                }
                Err(e) => {
                    error.try_set(Some(crate::app::errors::Explain::explain(&e, locale())));
                }
            }
        });
    });
    view! {
        <div class="hold" data-testid="hold">
            <span class="alert taboo"><Icon kind=IconKind::Warning /> {line}</span>
            {move || svc.session.is_admin().then(|| view! {
                <button type="button" class="link" data-testid="hold-lift" on:click=move |_| lifting.set(true)>{t(Msg::HoldLift)}</button>
            })}
            <Show when=move || lifting.get()>
                <crate::ui::widgets::ReasonForm key=format!("hold-lift-{}", hold.id) testid="hold-lift".to_string() label=Msg::HoldLiftReason confirm=Msg::HoldLift
                    reason=reason error=error busy=busy on_submit=lift on_cancel=Callback::new(move |_| lifting.set(false)) />
            </Show>
        </div>
    }
}

crate::lazy::lazy_fn! { profile;
    /// The hold form, in the profile page's chunk (`src/lazy.rs`).
    fn hold_form(id: String, done: Callback<()>) -> AnyView {
        view! { <HoldForm id=id done=done /> }.into_any()
    }
}

/// Sets a hold: its kind and a reason.
#[component]
fn HoldForm(id: String, done: Callback<()>) -> impl IntoView {
    use crate::domain::retention::HoldKind;
    let svc = expect_context::<Services>();
    let ui = expect_context::<crate::ui::UiState>();
    let kind = RwSignal::new(HoldKind::Dispute);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let submit = Callback::new(move |_| {
        let id = id.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.set_hold(&id, kind.get_untracked(), &reason.get_untracked()).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    crate::ui::shell::toast::push_toast(ui, crate::ui::shell::toast::Toast::info(t(Msg::HoldDone)));
                    let _ = done.try_run(());
                }
                Err(e) => {
                    error.try_set(Some(crate::app::errors::Explain::explain(&e, locale())));
                }
            }
        });
    });
    const KINDS: [HoldKind; 3] = [HoldKind::Dispute, HoldKind::Accident, HoldKind::Authority];
    view! {
        <div class="hold-form" data-testid="hold-form">
            <label class="field">
                <span class="label">{t(Msg::HoldKindLabel)}</span>
                <select data-testid="hold-kind" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(k) = KINDS.iter().find(|k| k.code().to_string() == v) { kind.set(*k); }
                }>
                    {KINDS.into_iter().map(|k| view! { <option value=k.code().to_string() selected=move || kind.get() == k>{t(k.msg())}</option> }).collect_view()}
                </select>
            </label>
            <crate::ui::widgets::ReasonForm key="hold-set".to_string() testid="hold-set".to_string() label=Msg::HoldReason confirm=Msg::HoldSet
                reason=reason error=error busy=busy on_submit=submit on_cancel=done />
        </div>
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
