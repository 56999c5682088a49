//! Consignment at this customer's site (寄售, seed 004): the stock as of any date, item by item
//! with its value at list price, and the movement form (fill-up, issue, pick-up, return, count)
//! with one line per item. A movement that would take a stock below zero is refused with the
//! item and the day named; a count shows what the record expects beside what was counted, and
//! its difference waits for an administrator's approval.

use super::yuan;
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::ledger::{Book, Recorded};
use crate::domain::forms::ledger::{EntryDraft, LineDraft};
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::stock::{self, Item};
use crate::domain::ledger::{EntryKind, Movement};
use crate::domain::model::format_fen;
use crate::domain::validate::FieldError;
use crate::domain::Date;
use crate::platform::clock::today;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::widgets::{draft_field, enum_select};
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::sync::Arc;

fn unit_of(items: &[Item], id: &str) -> String {
    items.iter().find(|i| i.id == id).map(|i| i.unit.clone()).unwrap_or_default()
}

fn fresh(movement: Movement) -> EntryDraft {
    EntryDraft {
        kind: EntryKind::Consignment,
        movement,
        date: today().to_string(),
        lines: vec![LineDraft::default()],
        ..EntryDraft::default()
    }
}

#[component]
pub(super) fn ConsignmentCard(book: Arc<Book>, items: Arc<Vec<Item>>, recorded: Callback<Recorded>) -> impl IntoView {
    let moved = book.entries.iter().any(|e| e.body.kind() == EntryKind::Consignment);
    if items.is_empty() && !moved {
        return ().into_any();
    }
    let on = RwSignal::new(today().to_string());
    let day = move || Date::parse(on.get().trim()).unwrap_or_else(today);
    let (b, its) = (book.clone(), items.clone());
    let shown = move || {
        let s = stock::as_of(&b.entries, day(), &|id| b.approved.contains(id));
        let value = stock::value(&s, &its);
        let mut rows: Vec<(String, i64, String, i64)> = s
            .iter()
            .filter(|(_, q)| **q != 0)
            .map(|(id, q)| {
                let price = its.iter().find(|i| i.id == *id).map_or(0, |i| i.price_fen);
                (stock::label_of(&its, id), *q, unit_of(&its, id), q.saturating_mul(price))
            })
            .collect();
        rows.sort();
        (rows, value)
    };
    view! {
        <section class="card acct-csg" data-testid="csg-card">
            <div class="card-head">
                <h2>{t(Msg::CsgTitle)}</h2>
                <label class="field inline-field">
                    <span class="label">{t(Msg::CsgAsOfLabel)}</span>
                    <input type="date" data-testid="csg-on" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || {
                let (rows, value) = shown();
                if rows.is_empty() {
                    return view! { <p class="muted" data-testid="csg-empty">{t(Msg::CsgNoStock)}</p> }.into_any();
                }
                view! {
                    <table class="ov-table" data-testid="csg-stock">
                        <thead><tr><th>{t(Msg::CsgItem)}</th><th class="num">{t(Msg::CsgQty)}</th><th>{t(Msg::CsgUnit)}</th><th class="num">{t(Msg::CsgValue)}</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(label, q, unit, v)| view! {
                                <tr data-testid="csg-row"><td>{label}</td><td class="num mono">{q}</td><td>{unit}</td><td class="num mono">{yuan(v)}</td></tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr><th scope="row" colspan="3">{t(Msg::CsgTotal)}</th><td class="num mono" data-testid="csg-value">{yuan(value)}</td></tr></tfoot>
                    </table>
                }.into_any()
            }}
            {(!items.is_empty()).then(|| view! { <MovementForm book=book.clone() items=items.clone() recorded=recorded /> })}
        </section>
    }
    .into_any()
}

/// The movement form: kind, day, document number, one line per item, note.
#[component]
fn MovementForm(book: Arc<Book>, items: Arc<Vec<Item>>, recorded: Callback<Recorded>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let draft = RwSignal::new(fresh(Movement::FillUp));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let fail: RwSignal<Option<String>> = RwSignal::new(None);
    let saving = RwSignal::new(false);
    let err_of = move |k: String| move || errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(locale())));
    let movement = move || draft.with(|d| d.movement);
    let counting = move || movement() == Movement::Count;
    let priced = move || matches!(movement(), Movement::Issue | Movement::Return);
    let book = StoredValue::new(book);
    let items = StoredValue::new(items);
    // What the record expects of an item on the movement's day (a count's "on record").
    let on_record = move |item: &str| {
        let day = draft.with(|d| Date::parse(d.date.trim())).unwrap_or_else(today);
        book.with_value(|b| {
            stock::as_of(&b.entries, day, &|id| b.approved.contains(id)).get(item).copied().unwrap_or(0)
        })
    };
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        let b = book.get_value();
        let (date, body) = match draft.with_untracked(|d| d.to_body(today(), b.terms)) {
            Ok(x) => x,
            Err(e) => return errors.set(e),
        };
        errors.set(Vec::new());
        let note = draft.with_untracked(|d| d.note.clone());
        let e = svc.new_entry(&b.profile.id, date, body, &note);
        let count = e.body.needs_approval();
        saving.set(true);
        fail.set(None);
        leptos::task::spawn_local(async move {
            let l = locale();
            let r = svc.record_entry(&b, e, l).await;
            saving.try_set(false);
            match r {
                Ok(done) => {
                    let _ = recorded.try_run(done);
                    draft.try_update(|d| *d = fresh(d.movement));
                    push_toast(ui, Toast::info(t(if count { Msg::AcctSentForApproval } else { Msg::AcctRecorded })));
                }
                Err(e) => {
                    fail.try_set(Some(e.explain(l)));
                }
            }
        });
    };
    let line_input =
        move |i: usize, key: &'static str, get: fn(&LineDraft) -> String, set: fn(&mut LineDraft, String)| {
            let field = format!("lines.{i}.{key}");
            let label = move || match key {
                "price" => t(Msg::CsgPrice),
                _ if counting() => t(Msg::CsgCounted),
                _ => t(Msg::CsgQty),
            };
            view! {
                <input
                    aria-label=label
                    data-testid=format!("csg-{key}-{i}")
                    inputmode=if key == "qty" { "numeric" } else { "decimal" }
                    aria-invalid=move || err_of(field.clone())().is_some().to_string()
                    prop:value=move || draft.with(|d| d.lines.get(i).map(get).unwrap_or_default())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| if let Some(l) = d.lines.get_mut(i) { set(l, v) });
                    }
                />
            }
        };
    let choose = move |i: usize, id: String| {
        let price = items.with_value(|its| its.iter().find(|x| x.id == id).map(|x| format_fen(x.price_fen)));
        draft.update(|d| {
            if let Some(l) = d.lines.get_mut(i) {
                l.item = id;
                if l.price.trim().is_empty() {
                    l.price = price.unwrap_or_default();
                }
            }
        });
    };
    view! {
        <form class="csg-form" novalidate data-testid="csg-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
            <h3>{t(Msg::CsgRecordTitle)}</h3>
            <div class="grid">
                <label class="field">
                    <span class="label">{t(Msg::CsgMovement)}</span>
                    {enum_select("csg-movement", Movement::ALL, movement, move |m| { draft.update(|d| d.movement = m); errors.set(Vec::new()); })}
                </label>
                {draft_field(draft, "csg", Msg::AcctDate, "date", (|d: &EntryDraft| d.date.clone(), |d: &mut EntryDraft, v| d.date = v), Signal::derive(err_of("date".into())), None)}
                {draft_field(draft, "csg", Msg::AcctDoc, "doc", (|d: &EntryDraft| d.doc.clone(), |d: &mut EntryDraft, v| d.doc = v), Signal::derive(err_of("doc".into())), None)}
            </div>
            <table class="csg-lines">
                <thead><tr>
                    <th>{t(Msg::CsgItem)}</th>
                    <th>{move || t(if counting() { Msg::CsgCounted } else { Msg::CsgQty })}</th>
                    {move || priced().then(|| view! { <th>{t(Msg::CsgPrice)}</th> })}
                    {move || counting().then(|| view! { <th>{t(Msg::CsgOnRecord)}</th> })}
                    <th><span class="visually-hidden">{t(Msg::CsgRemoveLine)}</span></th>
                </tr></thead>
                <tbody>
                    {move || (0..draft.with(|d| d.lines.len())).map(|i| {
                        let item_err = err_of(format!("lines.{i}.item"));
                        let problems = move || {
                            ["item", "qty", "price"].iter().filter_map(|k| err_of(format!("lines.{i}.{k}"))()).collect::<Vec<_>>().join("；")
                        };
                        view! {
                            <tr data-testid="csg-line">
                                <td>
                                    <select data-testid=format!("csg-item-{i}") aria-label=t(Msg::CsgItem) aria-invalid=move || item_err().is_some().to_string()
                                        on:change=move |ev| choose(i, event_target_value(&ev))>
                                        <option value="" selected=move || draft.with(|d| d.lines.get(i).is_none_or(|l| l.item.is_empty()))>{t(Msg::CsgChooseItem)}</option>
                                        {items.get_value().iter().map(|it| {
                                            let id = it.id.clone();
                                            let id2 = id.clone();
                                            view! { <option value=id selected=move || draft.with(|d| d.lines.get(i).is_some_and(|l| l.item == id2))>{it.label()}</option> }
                                        }).collect_view()}
                                    </select>
                                </td>
                                <td class="qty">{line_input(i, "qty", |l| l.qty.clone(), |l, v| l.qty = v)}</td>
                                {move || priced().then(|| view! { <td class="price">{line_input(i, "price", |l| l.price.clone(), |l, v| l.price = v)}</td> })}
                                {move || counting().then(|| {
                                    let item = draft.with(|d| d.lines.get(i).map(|l| l.item.clone()).unwrap_or_default());
                                    let expected = on_record(&item);
                                    let counted = draft.with(|d| d.lines.get(i).and_then(|l| l.qty.trim().parse::<i64>().ok()));
                                    let diff = counted.map(|c| c - expected).filter(|d| *d != 0);
                                    view! {
                                        <td class="mono" data-testid=format!("csg-expected-{i}")>
                                            {expected}
                                            {diff.map(|d| view! { " " <span class="chip warn">{fill(t(Msg::CsgDiff), &[&format!("{d:+}")])}</span> })}
                                        </td>
                                    }
                                })}
                                <td>
                                    <button type="button" class="btn ghost small" aria-label=t(Msg::CsgRemoveLine)
                                        disabled=move || draft.with(|d| d.lines.len() <= 1)
                                        on:click=move |_| draft.update(|d| { if d.lines.len() > 1 { d.lines.remove(i); } })>"×"</button>
                                </td>
                            </tr>
                            {move || { let p = problems(); (!p.is_empty()).then(|| view! { <tr class="csg-line-err"><td colspan="5" class="err" data-testid=format!("csg-err-{i}")>{p}</td></tr> }) }}
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || err_of("lines".into())().map(|e| view! { <p class="err" data-testid="csg-err-lines">{e}</p> })}
            <button type="button" class="btn ghost small" data-testid="csg-add-line" on:click=move |_| draft.update(|d| d.lines.push(LineDraft::default()))>{t(Msg::CsgAddLine)}</button>
            {draft_field(draft, "csg", Msg::AcctNote, "note", (|d: &EntryDraft| d.note.clone(), |d: &mut EntryDraft, v| d.note = v), Signal::derive(|| None), None)}
            <p class="err" role="alert" data-testid="csg-error">{move || fail.get()}</p>
            <div class="form-actions">
                <button type="submit" class="btn primary" data-testid="csg-save" disabled=move || saving.get()>
                    {move || if saving.get() { t(Msg::Saving) } else { t(Msg::CsgRecord) }}
                </button>
            </div>
            <p class="muted hint">{t(Msg::CsgHint)}</p>
        </form>
    }
}
