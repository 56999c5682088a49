//! The ledger: every entry in the account's order with what it added or took off and the
//! running balance; entries waiting for approval, refused, reversed or void say so (and move
//! nothing). A mistake is corrected by a reversal with a reason, never by an edit.

use super::yuan;
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::ledger::Book;
use crate::domain::governance::authority::{entitled, Act};
use crate::domain::i18n::Msg;
use crate::domain::ledger::{Body, Entry, Standing};
use crate::platform::clock::today;
use crate::ui::profile::request::ApproveHere;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::widgets::ReasonForm;
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::sync::Arc;

/// What the row says besides its amount: the method, the invoices it names, the reason.
fn detail(e: &Entry, book: &Book, items: &[crate::domain::ledger::stock::Item]) -> String {
    let doc_of = |id: &str| book.entry(id).map(|x| x.body.doc().to_string()).filter(|d| !d.is_empty());
    let mut parts: Vec<String> = Vec::new();
    match &e.body {
        Body::Sale { due, override_, .. } => {
            parts.push(format!("{} {due}", t(Msg::AcctDue)));
            if let Some(o) = override_ {
                parts.push(format!("{} {}", t(Msg::AcctOverBy), o.by_name));
            }
        }
        Body::Receipt { method, pays, .. } => {
            parts.push(t(method.msg()).to_string());
            let named: Vec<String> = pays.iter().filter_map(|p| doc_of(p)).collect();
            if !named.is_empty() {
                parts.push(format!("{} {}", t(Msg::AcctPaysShort), named.join("、")));
            }
        }
        Body::Return { against: Some(a), .. } => {
            if let Some(d) = doc_of(a) {
                parts.push(format!("{} {d}", t(Msg::AcctAgainstShort)));
            }
        }
        Body::Adjustment { reason, .. } => parts.push(reason.clone()),
        Body::Reversal { of, reason, .. } => {
            let what = book.entry(of).map(|x| format!("{} {}", x.date, t(x.body.kind().msg()))).unwrap_or_default();
            parts.push(format!("{} {what}{}{reason}", t(Msg::AcctReverses), t(Msg::Colon)));
        }
        Body::Consignment { movement, lines, .. } => {
            parts.push(t(movement.msg()).to_string());
            let what: Vec<String> = lines
                .iter()
                .map(|l| format!("{} ×{}", crate::domain::ledger::stock::label_of(items, &l.item), l.qty))
                .collect();
            parts.push(what.join("、"));
        }
        _ => {}
    }
    if !e.note.is_empty() {
        parts.push(e.note.clone());
    }
    parts.join(" · ")
}

#[component]
pub(super) fn LedgerCard(book: Arc<Book>, items: Arc<Vec<crate::domain::ledger::stock::Item>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let me = svc.session.who.get_untracked();
    let mut running = 0i64;
    let rows: Vec<_> = book
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let standing = book.account.standing[i];
            let counts = matches!(standing, Standing::Counts | Standing::Reversed);
            let effect = e.body.effect();
            if counts {
                running += effect;
            }
            let state = match standing {
                Standing::Pending if book.refused.contains(&e.id) => Some((Msg::AcctRefused, "bad")),
                Standing::Pending => Some((Msg::AcctPending, "wait")),
                Standing::Reversed => Some((Msg::AcctReversed, "muted")),
                Standing::Void => Some((Msg::AcctVoid, "muted")),
                Standing::Counts => None,
            };
            let waiting = (standing == Standing::Pending).then(|| book.waiting.get(&e.id).cloned()).flatten();
            // Pending with no request standing and no decision: the request was never written.
            let unasked = standing == Standing::Pending && waiting.is_none() && !book.refused.contains(&e.id);
            (i, e.clone(), effect, counts.then_some(running), state, waiting, unasked)
        })
        .collect();
    let book = StoredValue::new(book);
    let reversing: RwSignal<Option<usize>> = RwSignal::new(None);
    let approving: RwSignal<Option<usize>> = RwSignal::new(None);
    view! {
        <section class="card" data-testid="acct-ledger">
            <h2>{t(Msg::AcctLedger)}</h2>
            {rows.is_empty().then(|| view! { <p class="empty" data-testid="acct-ledger-empty">{t(Msg::AcctNoEntries)}</p> })}
            {(!rows.is_empty()).then(|| view! {
                <div class="acct-scroll">
                <table class="ov-table acct-ledger">
                    <thead><tr>
                        <th>{t(Msg::AcctDate)}</th><th>{t(Msg::AcctKind)}</th><th>{t(Msg::AcctDoc)}</th>
                        <th class="num">{t(Msg::AcctDebit)}</th><th class="num">{t(Msg::AcctCredit)}</th><th class="num">{t(Msg::AcctBalance)}</th>
                        <th>{t(Msg::AcctDetail)}</th><th><span class="visually-hidden">{t(Msg::AcctActions)}</span></th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(i, e, effect, balance, state, waiting, unasked)| {
                            let e2 = e.clone();
                            let reversible = book.with_value(|b| b.reversible(i));
                            let can_decide = waiting.as_ref().is_some_and(|r| me.as_ref().is_some_and(|m| entitled(m, Act::Decide { request: r })));
                            let waiting = StoredValue::new(waiting);
                            view! {
                                <tr data-testid="acct-row" class:void=balance.is_none()>
                                    <td class="nowrap">{e.date.to_string()}</td>
                                    <td class="nowrap">{t(e.body.kind().msg())}</td>
                                    <td class="mono">{e.body.doc().to_string()}</td>
                                    <td class="num">{(effect > 0).then(|| yuan(effect))}</td>
                                    <td class="num">{(effect < 0).then(|| yuan(-effect))}</td>
                                    <td class="num" data-testid="acct-running">{balance.map(yuan)}</td>
                                    <td>
                                        {state.map(|(m, cls)| view! { <span class=format!("badge state-{cls}") data-testid="acct-state">{t(m)}</span> " " })}
                                        {book.with_value(|b| detail(&e, b, &items))}
                                        <span class="muted small">" · " {crate::ui::staff_label(&e.meta.created_by)}</span>
                                    </td>
                                    <td class="nowrap">
                                        {reversible.then(|| view! {
                                            <button type="button" class="btn small ghost" data-testid="acct-reverse" on:click=move |_| reversing.set(Some(i))>{t(Msg::AcctReverse)}</button>
                                        })}
                                        {unasked.then(|| view! { <AskAgain entry=e2.clone() /> })}
                                        {waiting.with_value(Option::is_some).then(|| view! {
                                            <button type="button" class="btn small" data-testid="acct-approve" on:click=move |_| approving.update(|a| *a = if *a == Some(i) { None } else { Some(i) })>
                                                {if can_decide { t(Msg::AcctApprove) } else { t(Msg::ReqApproveHere) }}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                                {move || (reversing.get() == Some(i)).then(|| view! { <tr><td colspan="8"><ReverseForm book=book.get_value() i=i done=reversing /></td></tr> })}
                                {move || (approving.get() == Some(i)).then(|| waiting.get_value().map(|r| view! {
                                    <tr><td colspan="8">
                                        {if can_decide {
                                            view! { <DecideHere request=r done=approving /> }.into_any()
                                        } else {
                                            view! { <ApproveHere request=r testid="acct" done=Callback::new(move |_| { approving.set(None); svc.gov_rev.update(|n| *n += 1); }) /> }.into_any()
                                        }}
                                    </td></tr>
                                }))}
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            })}
        </section>
    }
}

/// Asks for the approval of an entry whose first request could not be written.
#[component]
fn AskAgain(entry: Entry) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let busy = RwSignal::new(false);
    let entry = StoredValue::new(entry);
    let ask = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.ask_approval(&entry.get_value(), locale()).await;
            busy.try_set(false);
            match r {
                Ok(_) => push_toast(ui, Toast::info(t(Msg::AcctSentForApproval))),
                Err(e) => push_toast(ui, Toast::error(e.explain(locale()))),
            }
        });
    };
    view! {
        <button type="button" class="btn small" data-testid="acct-ask-again" disabled=move || busy.get() on:click=ask>{t(Msg::AcctAskAgain)}</button>
    }
}

/// The reason for a reversal, then the reversal.
#[component]
fn ReverseForm(book: Arc<Book>, i: usize, done: RwSignal<Option<usize>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let book = StoredValue::new(book);
    let go = move || {
        if busy.get_untracked() {
            return;
        }
        let why = reason.get_untracked();
        if let Err(m) = crate::domain::governance::grant::check_reason(&why) {
            error.set(Some(t(m).to_string()));
            return;
        }
        busy.set(true);
        let b = book.get_value();
        leptos::task::spawn_local(async move {
            let r = svc.reverse(&b, i, &why, today(), locale()).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    done.try_set(None);
                    push_toast(ui, Toast::info(t(Msg::AcctReversedDone)));
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <ReasonForm key=format!("rev-{i}") testid="acct-rev".to_string() label=Msg::AcctReverseWhy confirm=Msg::AcctReverse
            reason=reason error=error busy=busy on_submit=Callback::new(move |_| go())
            on_cancel=Callback::new(move |_| done.set(None)) />
    }
}

/// The signed-in administrator approves or refuses an entry waiting for them.
#[component]
fn DecideHere(request: crate::domain::governance::grant::Request, done: RwSignal<Option<usize>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let busy = RwSignal::new(false);
    let refusing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let request = StoredValue::new(request);
    let decide = move |approve: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let why = reason.get_untracked();
        leptos::task::spawn_local(async move {
            let r = svc.decide(&request.get_value(), approve, &why).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    done.try_set(None);
                    svc.gov_rev.update(|n| *n += 1);
                    push_toast(ui, Toast::info(t(if approve { Msg::AcctApproved } else { Msg::AcctRefusedDone })));
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <div class="acct-decide" data-testid="acct-decide">
            <p>{request.with_value(|r| r.reason.clone())} <span class="muted">" · " {request.with_value(|r| r.requester_name.clone())}</span></p>
            {move || (!refusing.get()).then(|| view! {
                <div class="ov-actions">
                    <button type="button" class="btn primary small" data-testid="acct-approve-go" disabled=move || busy.get() on:click=move |_| decide(true)>{t(Msg::AcctApprove)}</button>
                    <button type="button" class="btn small" data-testid="acct-refuse" on:click=move |_| refusing.set(true)>{t(Msg::ReqRefuse)}</button>
                </div>
            })}
            {move || refusing.get().then(|| view! {
                <ReasonForm key="acct-refuse".to_string() testid="acct-refuse".to_string() label=Msg::ReqRefuseReason confirm=Msg::ReqRefuse
                    reason=reason error=error busy=busy on_submit=Callback::new(move |_| decide(false))
                    on_cancel=Callback::new(move |_| refusing.set(false)) />
            })}
            <p class="err" role="alert">{move || error.get()}</p>
        </div>
    }
}
