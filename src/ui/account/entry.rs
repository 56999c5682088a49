//! The entry form: a sale, receipt, return, adjustment or opening balance. A sale shows the
//! credit check as its amount is typed; saving one past the limit needs an administrator (signed
//! in, or approving here with their PIN). An adjustment is sent for approval as it is saved.

use super::yuan;
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::ledger::Book;
use crate::domain::forms::ledger::EntryDraft;
use crate::domain::governance::staff::Role;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::credit;
use crate::domain::ledger::{Body, EntryKind, PayMethod};
use crate::domain::model::parse_yuan;
use crate::domain::validate::FieldError;
use crate::platform::clock::today;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::widgets::{draft_field, enum_select};
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::sync::Arc;

/// The kinds the form offers (a reversal is made from the ledger's row).
const KINDS: &[EntryKind] =
    &[EntryKind::Sale, EntryKind::Receipt, EntryKind::Return, EntryKind::Adjustment, EntryKind::Opening];

type GetFn = fn(&EntryDraft) -> String;
type SetFn = fn(&mut EntryDraft, String);

#[component]
pub(super) fn EntryForm(
    book: Arc<Book>,
    draft: RwSignal<EntryDraft>,
    errors: RwSignal<Vec<FieldError>>,
    /// Shows a recorded entry at once (the account is read again after).
    recorded: Callback<crate::app::ledger::Recorded>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let saving = RwSignal::new(false);
    // A sale past the limit: the first save shows the warnings and asks for an administrator.
    let confirming = RwSignal::new(false);
    let approver = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let fail: RwSignal<Option<String>> = RwSignal::new(None);
    let role = svc.session.who.with_untracked(|w| w.as_ref().map(|s| s.role)).unwrap_or(Role::User);
    let approvers: Vec<(String, String)> = svc.session.roster.with_untracked(|r| {
        r.as_ref()
            .map(|r| {
                r.can_sign_in()
                    .into_iter()
                    .filter(|s| s.role.is_admin())
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    if approver.get_untracked().is_empty() {
        approver.set(approvers.first().map(|a| a.0.clone()).unwrap_or_default());
    }
    let err_of =
        move |k: &'static str| move || errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(locale())));
    let field = move |label: Msg, key: &'static str, get: GetFn, set: SetFn| {
        draft_field(draft, "e", label, key, (get, set), Signal::derive(err_of(key)), None)
    };
    let kind = move || draft.with(|d| d.kind);
    let b = book.clone();
    // The credit check of the sale being typed.
    let warnings = Memo::new(move |_| {
        if kind() != EntryKind::Sale {
            return Vec::new();
        }
        let amount = draft.with(|d| parse_yuan(&d.amount)).unwrap_or(0).max(0);
        credit::check_sale(&b.account, today(), b.limit, amount)
            .into_iter()
            .map(|w| w.words(locale()))
            .collect::<Vec<_>>()
    });
    let open_invoices: Vec<(String, String)> = {
        let position = book.account.position(today());
        position
            .open()
            .map(|o| {
                let e = book.entry_of_post(o.post);
                let doc = e.body.doc();
                (e.id.clone(), format!("{} {} {}", o.date, if doc.is_empty() { "—" } else { doc }, yuan(o.open)))
            })
            .collect()
    };
    let book = StoredValue::new(book);
    let save = move |over: bool| {
        if saving.get_untracked() {
            return;
        }
        let b = book.get_value();
        let (date, body) = match draft.with_untracked(|d| d.to_body(today(), b.terms)) {
            Ok(x) => x,
            Err(e) => {
                errors.set(e);
                return;
            }
        };
        errors.set(Vec::new());
        let why = warnings.get_untracked();
        if matches!(body, Body::Sale { .. }) && !why.is_empty() && !over {
            confirming.set(true);
            return;
        }
        let note = draft.with_untracked(|d| d.note.clone());
        let e = svc.new_entry(&b.profile.id, date, body, &note);
        let adjustment = e.body.needs_approval();
        saving.set(true);
        fail.set(None);
        let (admin, code) = (approver.get_untracked(), pin.get_untracked());
        leptos::task::spawn_local(async move {
            let l = locale();
            let r = if over {
                let approving = (role == Role::User).then_some((admin.as_str(), code.as_str()));
                svc.record_over_limit(&b, e, &why.join(" "), approving, l).await.map(|e| (e, None))
            } else {
                svc.record_entry(&b, e, l).await
            };
            saving.try_set(false);
            pin.try_set(String::new());
            match r {
                Ok(e) => {
                    let _ = recorded.try_run(e);
                    confirming.try_set(false);
                    draft.try_update(|d| *d = EntryDraft { date: today().to_string(), ..d.next() });
                    let words = if adjustment { Msg::AcctSentForApproval } else { Msg::AcctRecorded };
                    push_toast(ui, Toast::info(t(words)));
                }
                Err(e) => {
                    fail.try_set(Some(e.explain(l)));
                }
            }
        });
    };
    let amount_label = move || match kind() {
        EntryKind::Receipt => Msg::AcctAmountReceived,
        EntryKind::Opening => Msg::AcctAmountOpening,
        _ => Msg::AcctAmount,
    };
    view! {
        <section class="card acct-entry" data-testid="acct-entry">
            <h2>{t(Msg::AcctNewEntry)}</h2>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); save(false); }>
                <div class="grid">
                    <label class="field">
                        <span class="label">{t(Msg::AcctKind)}</span>
                        {enum_select("e-kind", KINDS, kind, move |k| { draft.update(|d| d.kind = k); errors.set(Vec::new()); confirming.set(false); })}
                    </label>
                    {field(Msg::AcctDate, "date", |d| d.date.clone(), |d, v| d.date = v)}
                    {move || field(amount_label(), "amount", |d| d.amount.clone(), |d, v| d.amount = v)}
                    {move || matches!(kind(), EntryKind::Sale | EntryKind::Receipt | EntryKind::Return | EntryKind::Opening).then(|| field(Msg::AcctDoc, "doc", |d| d.doc.clone(), |d, v| d.doc = v))}
                    {move || matches!(kind(), EntryKind::Sale | EntryKind::Opening).then(|| field(Msg::AcctDue, "due", |d| d.due.clone(), |d, v| d.due = v))}
                    {move || (kind() == EntryKind::Receipt).then(|| view! {
                        <label class="field">
                            <span class="label">{t(Msg::AcctMethod)}</span>
                            {enum_select("e-method", PayMethod::ALL, move || draft.with(|d| d.method), move |m| draft.update(|d| d.method = m))}
                        </label>
                    })}
                    {move || (kind() == EntryKind::Adjustment).then(|| view! {
                        <label class="field">
                            <span class="label">{t(Msg::AcctDirection)}</span>
                            <select data-testid="e-up" on:change=move |ev| draft.update(|d| d.up = event_target_value(&ev) == "up")>
                                <option value="down" selected=move || !draft.with(|d| d.up)>{t(Msg::AcctDown)}</option>
                                <option value="up" selected=move || draft.with(|d| d.up)>{t(Msg::AcctUp)}</option>
                            </select>
                        </label>
                    })}
                    {move || (kind() == EntryKind::Adjustment).then(|| field(Msg::AcctReason, "reason", |d| d.reason.clone(), |d, v| d.reason = v))}
                    {field(Msg::AcctNote, "note", |d| d.note.clone(), |d, v| d.note = v)}
                </div>
                {
                    let invoices = open_invoices.clone();
                    move || (kind() == EntryKind::Receipt && !invoices.is_empty()).then(|| {
                        let invoices = invoices.clone();
                        view! {
                            <fieldset class="acct-pays" data-testid="e-pays">
                                <legend>{t(Msg::AcctPays)}</legend>
                                {invoices.into_iter().map(|(id, label)| {
                                    let (id1, id2) = (id.clone(), id.clone());
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" prop:checked=move || draft.with(|d| d.pays.contains(&id1))
                                                on:change=move |ev| { let on = event_target_checked(&ev); let id = id2.clone(); draft.update(|d| { d.pays.retain(|x| *x != id); if on { d.pays.push(id); } }); } />
                                            {label}
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                        }
                    })
                }
                {
                    let invoices = open_invoices.clone();
                    move || (kind() == EntryKind::Return && !invoices.is_empty()).then(|| {
                        let invoices = invoices.clone();
                        view! {
                            <label class="field">
                                <span class="label">{t(Msg::AcctAgainst)}</span>
                                <select data-testid="e-against" on:change=move |ev| draft.update(|d| d.against = event_target_value(&ev))>
                                    <option value="">{t(Msg::AcctOldestFirst)}</option>
                                    {invoices.into_iter().map(|(id, label)| view! { <option value=id.clone() selected=move || draft.with(|d| d.against == id)>{label}</option> }).collect_view()}
                                </select>
                            </label>
                        }
                    })
                }
                <div aria-live="polite">
                    {move || (!warnings.get().is_empty()).then(|| view! {
                        <div class="acct-check" data-testid="e-credit-check">
                            {warnings.get().into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
                        </div>
                    })}
                </div>
                {move || confirming.get().then(|| {
                    let approvers = approvers.clone();
                    if role.is_admin() {
                        view! {
                            <div class="acct-over" data-testid="e-over">
                                <p>{t(Msg::AcctOverAdmin)}</p>
                                <button type="button" class="btn danger" data-testid="e-save-over" disabled=move || saving.get() on:click=move |_| save(true)>{t(Msg::AcctSaveAnyway)}</button>
                                <button type="button" class="btn" on:click=move |_| confirming.set(false)>{t(Msg::Cancel)}</button>
                            </div>
                        }.into_any()
                    } else if approvers.is_empty() {
                        view! { <p class="err" data-testid="e-over">{t(Msg::ReqNoApprover)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="acct-over" data-testid="e-over">
                                <p>{t(Msg::AcctOverNeedsAdmin)}</p>
                                <label class="field">
                                    <span class="label">{t(Msg::ReqApprover)}</span>
                                    <select data-testid="e-approver" on:change=move |ev| approver.set(event_target_value(&ev))>
                                        {approvers.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="field">
                                    <span class="label">{t(Msg::ReqApproverPin)}</span>
                                    <input type="password" inputmode="numeric" autocomplete="off" data-testid="e-approver-pin"
                                        prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev)) />
                                </label>
                                <button type="button" class="btn danger" data-testid="e-save-over" disabled=move || saving.get() on:click=move |_| save(true)>{t(Msg::AcctApproveAndSave)}</button>
                                <button type="button" class="btn" on:click=move |_| confirming.set(false)>{t(Msg::Cancel)}</button>
                            </div>
                        }.into_any()
                    }
                })}
                <p class="err" role="alert" data-testid="e-error">{move || fail.get()}</p>
                <div class="form-actions">
                    <button type="submit" class="btn primary" data-testid="e-save" disabled=move || saving.get()>
                        {move || if saving.get() { t(Msg::Saving) } else { t(Msg::AcctRecord) }}
                    </button>
                </div>
                {move || (kind() == EntryKind::Adjustment).then(|| view! { <p class="muted hint">{t(Msg::AcctAdjustmentHint)}</p> })}
                {move || (kind() == EntryKind::Sale).then(|| {
                    let terms = book.with_value(|b| b.terms);
                    view! { <p class="muted hint">{fill(t(Msg::AcctDueHint), &[&terms])}</p> }
                })}
            </form>
        </section>
    }
}
