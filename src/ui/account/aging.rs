//! This customer's aging as of any date, by due date or by invoice date, with the invoices
//! behind each bucket.

use super::yuan;
use crate::app::ledger::Book;
use crate::domain::date::Date;
use crate::domain::i18n::Msg;
use crate::domain::ledger::aging::{self, Basis, Buckets};
use crate::platform::clock::today;
use crate::ui::t;
use leptos::prelude::*;
use std::sync::Arc;

/// A bucket's heading: "not due", or its range of days.
pub(crate) fn heading(b: &Buckets, i: usize) -> String {
    b.range(i).map(|r| format!("{r} {}", t(Msg::AcctDaysUnit))).unwrap_or_else(|| t(Msg::AcctNotDue).to_string())
}

#[component]
pub(super) fn AgingCard(book: Arc<Book>) -> impl IntoView {
    let on = RwSignal::new(today().to_string());
    let basis = RwSignal::new(Basis::Due);
    let buckets = Buckets::default();
    let book = StoredValue::new(book);
    let b2 = buckets.clone();
    let result = Memo::new(move |_| {
        let day = Date::parse(&on.get()).unwrap_or_else(today);
        book.with_value(|b| {
            let row = aging::row(&b.account, day, basis.get(), &b2);
            let items = aging::items(&b.account, day, basis.get(), &b2)
                .into_iter()
                .map(|a| {
                    let e = b.entry_of_post(a.open.post);
                    (a, e.body.doc().to_string())
                })
                .collect::<Vec<_>>();
            (row, items)
        })
    });
    let heads: Vec<String> = (0..buckets.len()).map(|i| heading(&buckets, i)).collect();
    let heads2 = heads.clone();
    view! {
        <section class="card acct-aging" data-testid="acct-aging">
            <h2>{t(Msg::AcctAging)}</h2>
            <div class="ov-controls">
                <label class="field inline-field">
                    <span class="label">{t(Msg::AcctAsOf)}</span>
                    <input type="date" data-testid="aging-on" prop:value=move || on.get() on:change=move |ev| on.set(event_target_value(&ev)) />
                </label>
                <label class="field inline-field">
                    <span class="label">{t(Msg::AcctBasis)}</span>
                    <select data-testid="aging-basis" on:change=move |ev| basis.set(if event_target_value(&ev) == "invoice" { Basis::Invoice } else { Basis::Due })>
                        <option value="due">{t(Msg::AcctByDue)}</option>
                        <option value="invoice">{t(Msg::AcctByInvoice)}</option>
                    </select>
                </label>
            </div>
            <div class="acct-scroll">
            <table class="ov-table" data-testid="aging-row">
                <thead><tr>
                    {heads.into_iter().map(|h| view! { <th class="num">{h}</th> }).collect_view()}
                    <th class="num">{t(Msg::AcctUnappliedShort)}</th><th class="num">{t(Msg::AcctTotal)}</th>
                </tr></thead>
                <tbody><tr>
                    {move || result.with(|(r, _)| r.cells.iter().map(|c| view! { <td class="num">{yuan(*c)}</td> }).collect_view())}
                    <td class="num">{move || result.with(|(r, _)| yuan(-r.unapplied))}</td>
                    <td class="num" data-testid="aging-total"><strong>{move || result.with(|(r, _)| yuan(r.total()))}</strong></td>
                </tr></tbody>
            </table>
            </div>
            {move || result.with(|(_, items)| {
                if items.is_empty() {
                    return view! { <p class="empty">{t(Msg::AcctNothingOpen)}</p> }.into_any();
                }
                let heads = heads2.clone();
                view! {
                    <table class="ov-table" data-testid="aging-items">
                        <caption class="visually-hidden">{t(Msg::AcctOpenInvoices)}</caption>
                        <thead><tr><th>{t(Msg::AcctDate)}</th><th>{t(Msg::AcctDoc)}</th><th>{t(Msg::AcctDue)}</th><th class="num">{t(Msg::AcctOpen)}</th><th class="num">{t(Msg::AcctDays)}</th><th>{t(Msg::AcctBucket)}</th></tr></thead>
                        <tbody>
                            {items.iter().map(|(a, doc)| view! {
                                <tr data-testid="aging-item">
                                    <td class="nowrap">{a.open.date.to_string()}</td>
                                    <td class="mono">{doc.clone()}</td>
                                    <td class="nowrap">{a.open.due.to_string()}</td>
                                    <td class="num">{yuan(a.open.open)}</td>
                                    <td class="num">{a.days}</td>
                                    <td class="nowrap">{heads[a.bucket].clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
        </section>
    }
}
