//! Consignment (`#/consignment`, 寄售; office, administrators): the item catalog (code, name,
//! unit, list price; administrators add and change items) and the stock at every customer's
//! site as of any date, with each item's total at all sites and its value at list price, export
//! CSV. The movements are recorded on a customer's account page (`ui/account/consignment.rs`).
//! Data: `app::receivables` (the consignment movements read with the ledger) and
//! `Services::items`; rules: `domain::ledger::stock`.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::receivables::{Load, Receivables};
use crate::app::session::Session;
use crate::domain::date::Date;
use crate::domain::forms::item::ItemDraft;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::stock::{self, Item};
use crate::domain::model::format_fen;
use crate::domain::overview::dashboard::group;
use crate::domain::validate::FieldError;
use crate::platform::clock::today;
use crate::ui::account::yuan;
use crate::ui::shell::route::Route;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::shell::Stage;
use crate::ui::widgets::draft_field;
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;

#[component]
pub fn ConsignmentPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let rcv = expect_context::<Receivables>();
    let admin = move || session.is_admin();
    if admin() {
        rcv.ensure(svc);
    }
    // The catalog, read again when records change (here or by sync).
    let items = LocalResource::new(move || {
        svc.local_rev.track();
        svc.remote_rev.track();
        async move { svc.items().await.map_err(|e| e.explain(locale())) }
    });
    let list = Signal::derive(move || items.get().and_then(|r| r.ok()).unwrap_or_default());
    // Drawn per stage: the item being typed stays when the catalog is read again (a save, sync).
    let stage = Stage::of(items);
    view! {
        <div class="ov-page" data-testid="consignment">
            <div class="ov-head">
                <h1 class="page-title">{t(Msg::CsgPageTitle)}</h1>
                <a class="btn" href=Route::Receivables.hash()>{t(Msg::RcvTitle)}</a>
            </div>
            {move || {
                if !admin() {
                    return view! { <p class="empty" data-testid="csg-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match stage.get() {
                    Stage::Loading => view! { <div class="state" role="status"><div class="spinner" aria-hidden="true"></div><p>{t(Msg::Loading)}</p></div> }.into_any(),
                    Stage::Failed(e) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
                    Stage::Ready => view! {
                        <ItemsCard items=list />
                        <SitesCard items=list />
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// The catalog and the form that adds or changes an item.
#[component]
fn ItemsCard(items: Signal<Vec<Item>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let draft = RwSignal::new(ItemDraft::default());
    let editing: RwSignal<Option<Item>> = RwSignal::new(None);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let fail: RwSignal<Option<String>> = RwSignal::new(None);
    let err_of =
        move |k: &'static str| move || errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(locale())));
    let field = move |label: Msg, key: &'static str, get: fn(&ItemDraft) -> String, set: fn(&mut ItemDraft, String)| {
        draft_field(draft, "item", label, key, (get, set), Signal::derive(err_of(key)), None)
    };
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        let base = editing.get_untracked().unwrap_or_default();
        let item = match draft.with_untracked(|d| items.with_untracked(|all| d.to_item(&base, all))) {
            Ok(i) => i,
            Err(e) => return errors.set(e),
        };
        errors.set(Vec::new());
        fail.set(None);
        saving.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.save_item(item).await;
            saving.try_set(false);
            match r {
                Ok(_) => {
                    draft.try_set(ItemDraft::default());
                    editing.try_set(None);
                    push_toast(ui, Toast::info(t(Msg::CsgItemSaved)));
                }
                Err(e) => {
                    fail.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <section class="card" data-testid="csg-items">
            <h2>{t(Msg::CsgCatalog)}</h2>
            {move || items.with(|all| if all.is_empty() {
                view! { <p class="empty" data-testid="csg-no-items">{t(Msg::CsgNoItems)}</p> }.into_any()
            } else {
                view! {
                    <table class="ov-table" data-testid="csg-item-list">
                        <thead><tr><th>{t(Msg::CsgCode)}</th><th>{t(Msg::CsgName)}</th><th>{t(Msg::CsgUnit)}</th><th class="num">{t(Msg::CsgListPrice)}</th><th><span class="visually-hidden">{t(Msg::CsgEditItem)}</span></th></tr></thead>
                        <tbody>
                            {all.iter().cloned().map(|it| {
                                let label = format!("{} {}", t(Msg::CsgEditItem), it.name);
                                let code = it.code.clone();
                                view! {
                                    <tr data-testid="csg-item-row">
                                        <td class="mono">{it.code.clone()}</td><td>{it.name.clone()}</td><td>{it.unit.clone()}</td>
                                        <td class="num mono">{yuan(it.price_fen)}</td>
                                        <td><button type="button" class="btn ghost small" aria-label=label data-testid=format!("csg-edit-{code}")
                                            on:click=move |_| { draft.set(ItemDraft::of(&it)); errors.set(Vec::new()); editing.set(Some(it.clone())); }>{t(Msg::CsgEditItem)}</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
            <form class="csg-item-form" novalidate data-testid="csg-item-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                <h3>{move || match editing.get() {
                    Some(it) => fill(t(Msg::CsgEditing), &[&it.name]),
                    None => t(Msg::CsgNewItem).to_string(),
                }}</h3>
                <div class="grid">
                    {field(Msg::CsgCode, "code", |d| d.code.clone(), |d, v| d.code = v)}
                    {field(Msg::CsgName, "name", |d| d.name.clone(), |d, v| d.name = v)}
                    {field(Msg::CsgUnit, "unit", |d| d.unit.clone(), |d, v| d.unit = v)}
                    {field(Msg::CsgListPrice, "price", |d| d.price.clone(), |d, v| d.price = v)}
                </div>
                <p class="err" role="alert" data-testid="csg-item-error">{move || fail.get()}</p>
                <div class="form-actions">
                    {move || editing.get().is_some().then(|| view! {
                        <button type="button" class="btn" on:click=move |_| { editing.set(None); draft.set(ItemDraft::default()); errors.set(Vec::new()); }>{t(Msg::Cancel)}</button>
                    })}
                    <button type="submit" class="btn primary" data-testid="csg-item-save" disabled=move || saving.get()>{t(Msg::CsgSaveItem)}</button>
                </div>
            </form>
        </section>
    }
}

/// One row of the stock at the sites: customer (id, name), item, quantity, unit, value.
type SiteRow = (String, String, String, i64, String, i64);

/// The stock at every customer's site as of a date, and each item's total at all sites.
#[component]
fn SitesCard(items: Signal<Vec<Item>>) -> impl IntoView {
    let rcv = expect_context::<Receivables>();
    let on = RwSignal::new(today().to_string());
    let day = Memo::new(move |_| Date::parse(on.get().trim()).unwrap_or_else(today));
    let table = move || -> Option<(Vec<SiteRow>, Vec<SiteRow>, i64)> {
        let data = rcv.data()?;
        let all = items.get();
        let by = stock::by_customer(&data.consignment, day.get(), &|id| data.approved.contains(id));
        let row = |who: &str, name: String, id: &str, q: i64| -> SiteRow {
            let it = all.iter().find(|i| i.id == id);
            let label = stock::label_of(&all, id);
            let unit = it.map(|i| i.unit.clone()).unwrap_or_default();
            (who.to_string(), name, label, q, unit, q.saturating_mul(it.map_or(0, |i| i.price_fen)))
        };
        let mut rows: Vec<SiteRow> = Vec::new();
        for (who, s) in &by {
            let name = data.who.get(who).map(|w| w.name.clone()).unwrap_or_else(|| who.clone());
            rows.extend(s.iter().filter(|(_, q)| **q != 0).map(|(id, q)| row(who, name.clone(), id, *q)));
        }
        rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
        let whole = stock::total(by.values());
        let mut totals: Vec<SiteRow> = whole
            .iter()
            .filter(|(_, q)| **q != 0)
            .map(|(id, q)| row("", t(Msg::CsgAllSites).to_string(), id, *q))
            .collect();
        totals.sort_by(|a, b| a.2.cmp(&b.2));
        let value = stock::value(&whole, &all);
        Some((rows, totals, value))
    };
    let export = move |_| {
        let Some((rows, totals, _)) = table() else { return };
        let headers = [Msg::CsgCustomer, Msg::CsgItem, Msg::CsgQty, Msg::CsgUnit, Msg::CsgValue]
            .map(|m| t(m).to_string())
            .to_vec();
        let cells = rows
            .into_iter()
            .chain(totals)
            .map(|(_, name, label, q, unit, v)| vec![name, label, q.to_string(), unit, format_fen(v)])
            .collect();
        crate::ui::overview::download_csv(&format!("{} {}", t(Msg::CsgSites), day.get_untracked()), headers, cells);
    };
    view! {
        <section class="card" data-testid="csg-sites">
            <div class="card-head">
                <h2>{t(Msg::CsgSites)}</h2>
                <div class="ov-controls">
                    <label class="field inline-field"><span class="label">{t(Msg::AcctAsOf)}</span>
                        <input type="date" data-testid="csg-sites-on" prop:value=move || on.get() on:change=move |ev| on.set(event_target_value(&ev)) /></label>
                    <button type="button" class="btn small" data-testid="csg-csv" on:click=export>"CSV"</button>
                </div>
            </div>
            {move || match rcv.load.get() {
                Load::Failed(e) => view! { <p class="error-text" role="alert">{e}</p> }.into_any(),
                Load::Idle | Load::Reading(_) => {
                    let n = match rcv.load.get() { Load::Reading(n) => n, _ => 0 };
                    view! { <div class="state" role="status"><div class="spinner" aria-hidden="true"></div><p>{fill(t(Msg::RcvReading), &[&group(n as i64)])}</p></div> }.into_any()
                }
                Load::Ready => match table() {
                    Some((rows, _, _)) if rows.is_empty() => view! { <p class="empty" data-testid="csg-nobody">{t(Msg::CsgNobody)}</p> }.into_any(),
                    Some((rows, totals, value)) => view! {
                        <table class="ov-table" data-testid="csg-sites-table">
                            <thead><tr><th>{t(Msg::CsgCustomer)}</th><th>{t(Msg::CsgItem)}</th><th class="num">{t(Msg::CsgQty)}</th><th>{t(Msg::CsgUnit)}</th><th class="num">{t(Msg::CsgValue)}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(who, name, label, q, unit, v)| view! {
                                    <tr data-testid="csg-site-row">
                                        <td><a href=Route::Account(who).hash()>{name}</a></td><td>{label}</td>
                                        <td class="num mono">{q}</td><td>{unit}</td><td class="num mono">{yuan(v)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                            <tfoot>
                                {totals.into_iter().map(|(_, name, label, q, unit, v)| view! {
                                    <tr data-testid="csg-total-row"><th scope="row">{name}</th><td>{label}</td><td class="num mono">{q}</td><td>{unit}</td><td class="num mono">{yuan(v)}</td></tr>
                                }).collect_view()}
                                <tr><th scope="row" colspan="4">{t(Msg::CsgTotal)}</th><td class="num mono" data-testid="csg-sites-value">{yuan(value)}</td></tr>
                            </tfoot>
                        </table>
                    }.into_any(),
                    None => ().into_any(),
                },
            }}
        </section>
    }
}
