//! The reconciliation statement (对账单, `#/p/<id>/statement`): a period's opening balance,
//! every movement with the running balance, the closing balance, the aging at the end date and
//! a confirmation block for the customer, on one A4 sheet (printed, or saved as PDF through the
//! print dialog) or as a workbook.

use super::aging::heading;
use super::yuan;
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::ledger::Book;
use crate::domain::date::Date;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::aging::Buckets;
use crate::domain::ledger::statement::{self, Statement};
use crate::domain::ledger::Body;
use crate::domain::transfer::xlsx::Cell;
use crate::platform::clock::today;
use crate::ui::shell::route::Route;
use crate::ui::widgets::{Icon, IconKind};
use crate::ui::{locale, t};
use leptos::prelude::*;
use std::sync::Arc;

/// The first day of `d`'s month.
fn month_start(d: Date) -> Date {
    Date::new(d.year, d.month, 1).unwrap_or(d)
}

/// A line's summary: its kind and what it names.
fn summary(book: &Book, entry: u32) -> String {
    let e = &book.entries[entry as usize];
    let kind = t(e.body.kind().msg()).to_string();
    match &e.body {
        Body::Receipt { method, .. } => format!("{kind}（{}）", t(method.msg())),
        Body::Adjustment { reason, .. } | Body::Reversal { reason, .. } => format!("{kind}{}{reason}", t(Msg::Colon)),
        Body::Consignment { movement, .. } => t(movement.msg()).to_string(),
        _ => kind,
    }
}

/// The statement's rows for a workbook: opening, each line, totals, closing.
fn rows(book: &Book, s: &Statement) -> Vec<Vec<Cell>> {
    let text = |m: Msg| Cell::Text(t(m).to_string());
    let blank = || Cell::Text(String::new());
    let mut out =
        vec![vec![Cell::Date(s.from), blank(), text(Msg::StmtOpening), blank(), blank(), Cell::Money(s.opening)]];
    for l in &s.lines {
        let e = &book.entries[l.entry as usize];
        out.push(vec![
            Cell::Date(l.date),
            Cell::Text(e.body.doc().to_string()),
            Cell::Text(summary(book, l.entry)),
            if l.debit > 0 { Cell::Money(l.debit) } else { blank() },
            if l.credit > 0 { Cell::Money(l.credit) } else { blank() },
            Cell::Money(l.balance),
        ]);
    }
    out.push(vec![blank(), blank(), text(Msg::StmtTotals), Cell::Money(s.debits), Cell::Money(s.credits), blank()]);
    out.push(vec![Cell::Date(s.to), blank(), text(Msg::StmtClosing), blank(), blank(), Cell::Money(s.closing)]);
    out
}

#[component]
pub fn StatementPage(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    let book: RwSignal<Option<Result<Option<Arc<Book>>, String>>> = RwSignal::new(None);
    let pid = StoredValue::new(id.clone());
    Effect::new(move |_| {
        svc.local_rev.track();
        svc.remote_rev.track();
        let id = pid.get_value();
        leptos::task::spawn_local(async move {
            let r = svc.book(&id).await.map(|b| b.map(Arc::new)).map_err(|e| e.explain(locale()));
            book.try_set(Some(r));
        });
    });
    let from = RwSignal::new(month_start(today()).to_string());
    let to = RwSignal::new(today().to_string());
    let back = Route::Account(id).hash();
    view! {
        <div class="stmt-page" data-testid="statement">
            <div class="print-bar no-print">
                <a class="btn ghost" href=back data-testid="stmt-back"><Icon kind=IconKind::Back /> {t(Msg::Back)}</a>
                <label class="field inline-field"><span class="label">{t(Msg::StmtFrom)}</span>
                    <input type="date" data-testid="stmt-from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev)) /></label>
                <label class="field inline-field"><span class="label">{t(Msg::StmtTo)}</span>
                    <input type="date" data-testid="stmt-to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev)) /></label>
                <span class="muted">{t(Msg::PrintHint)}</span>
                {move || book.with(|b| matches!(b, Some(Ok(Some(_))))).then(|| view! {
                    <ExportButton book=book from=from to=to />
                    <button class="btn primary" data-testid="stmt-print" on:click=move |_| { let _ = window().print(); }>{t(Msg::Print)}</button>
                })}
            </div>
            {move || match book.get() {
                None => view! { <div class="state" role="status"><div class="spinner" aria-hidden="true"></div><p>{t(Msg::Loading)}</p></div> }.into_any(),
                Some(Err(e)) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
                Some(Ok(None)) => view! { <div class="state"><p>{t(Msg::NotFound)}</p></div> }.into_any(),
                Some(Ok(Some(b))) => {
                    let (f, l) = (Date::parse(&from.get()), Date::parse(&to.get()));
                    match (f, l) {
                        (Some(f), Some(l)) if f <= l => view! { <Sheet book=b from=f to=l /> }.into_any(),
                        _ => view! { <p class="err" role="alert" data-testid="stmt-bad-period">{t(Msg::StmtBadPeriod)}</p> }.into_any(),
                    }
                }
            }}
        </div>
    }
}

#[component]
fn ExportButton(
    book: RwSignal<Option<Result<Option<Arc<Book>>, String>>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
) -> impl IntoView {
    let export = move |_| {
        let Some(Ok(Some(b))) = book.get_untracked() else { return };
        let (Some(f), Some(l)) = (Date::parse(&from.get_untracked()), Date::parse(&to.get_untracked())) else { return };
        let s = statement::of(&b.account, f, l, &Buckets::default());
        let headers: Vec<String> =
            [Msg::AcctDate, Msg::AcctDoc, Msg::StmtSummary, Msg::AcctDebit, Msg::AcctCredit, Msg::AcctBalance]
                .map(|m| t(m).to_string())
                .to_vec();
        let rows = rows(&b, &s);
        let title = fill(t(Msg::StmtFile), &[&b.profile.display_name(), &f, &l]);
        crate::ui::overview::download_xlsx(format!("{title}.xlsx"), t(Msg::StmtTitle), headers, rows);
    };
    view! { <button class="btn" data-testid="stmt-xlsx" on:click=export>{t(Msg::OvExportXlsx)}</button> }
}

/// The A4 sheet.
#[component]
fn Sheet(book: Arc<Book>, from: Date, to: Date) -> impl IntoView {
    let buckets = Buckets::default();
    let s = statement::of(&book.account, from, to, &buckets);
    let p = &book.profile;
    let me = expect_context::<Services>().session.who.get_untracked().map(|w| w.name).unwrap_or_default();
    view! {
        <article class="print-sheet stmt-sheet" data-testid="stmt-sheet">
            <div class="form-title">
                <h1>{t(Msg::StmtTitle)}</h1>
                <p>{fill(t(Msg::StmtPeriod), &[&from, &to])}</p>
            </div>
            <p class="stmt-to">
                <strong data-testid="stmt-customer">{p.name.clone()}</strong>
                {(!p.customer_code.is_empty()).then(|| view! { <span class="mono">" " {p.customer_code.clone()}</span> })}
                {t(Msg::StmtDear)}
            </p>
            <table class="list-grid stmt-grid">
                <thead><tr>
                    <th>{t(Msg::AcctDate)}</th><th>{t(Msg::AcctDoc)}</th><th>{t(Msg::StmtSummary)}</th>
                    <th class="num">{t(Msg::AcctDebit)}</th><th class="num">{t(Msg::AcctCredit)}</th><th class="num">{t(Msg::AcctBalance)}</th>
                </tr></thead>
                <tbody>
                    <tr class="stmt-edge"><td class="nowrap">{from.to_string()}</td><td></td><td>{t(Msg::StmtOpening)}</td><td></td><td></td><td class="num" data-testid="stmt-opening">{yuan(s.opening)}</td></tr>
                    {s.lines.iter().map(|l| {
                        let e = &book.entries[l.entry as usize];
                        view! {
                            <tr data-testid="stmt-line">
                                <td class="nowrap">{l.date.to_string()}</td>
                                <td class="mono">{e.body.doc().to_string()}</td>
                                <td>{summary(&book, l.entry)}</td>
                                <td class="num">{(l.debit > 0).then(|| yuan(l.debit))}</td>
                                <td class="num">{(l.credit > 0).then(|| yuan(l.credit))}</td>
                                <td class="num">{yuan(l.balance)}</td>
                            </tr>
                        }
                    }).collect_view()}
                    <tr class="stmt-edge"><td></td><td></td><td>{t(Msg::StmtTotals)}</td><td class="num" data-testid="stmt-debits">{yuan(s.debits)}</td><td class="num" data-testid="stmt-credits">{yuan(s.credits)}</td><td></td></tr>
                    <tr class="stmt-edge stmt-closing"><td class="nowrap">{to.to_string()}</td><td></td><td>{t(Msg::StmtClosing)}</td><td></td><td></td><td class="num" data-testid="stmt-closing">{yuan(s.closing)}</td></tr>
                </tbody>
            </table>
            <h2 class="stmt-sub">{fill(t(Msg::StmtAgingAt), &[&to])}</h2>
            <table class="list-grid stmt-grid" data-testid="stmt-aging">
                <thead><tr>
                    {(0..buckets.len()).map(|i| view! { <th class="num">{heading(&buckets, i)}</th> }).collect_view()}
                    <th class="num">{t(Msg::AcctUnappliedShort)}</th><th class="num">{t(Msg::AcctTotal)}</th>
                </tr></thead>
                <tbody><tr>
                    {s.aging.cells.iter().map(|c| view! { <td class="num">{yuan(*c)}</td> }).collect_view()}
                    <td class="num">{yuan(-s.aging.unapplied)}</td>
                    <td class="num">{yuan(s.aging.total())}</td>
                </tr></tbody>
            </table>
            <div class="stmt-confirm" data-testid="stmt-confirm">
                <p>{t(Msg::StmtConfirmText)}</p>
                <div class="stmt-sign">
                    <div><p>{t(Msg::StmtCustomerSeal)}</p><p>{t(Msg::StmtSignDate)}</p></div>
                    <div><p>{t(Msg::StmtOurs)} {t(Msg::Colon)} {me}</p><p>{t(Msg::StmtSignDate)}</p></div>
                </div>
            </div>
            <p class="form-note">{fill(t(Msg::StmtMade), &[&today()])}</p>
        </article>
    }
}
