//! The archive's receivables (`#/receivables`, 应收; office, administrators): aging of every
//! customer as of any date, by due or invoice date, in buckets staff may change, with the totals
//! and each customer's drill-down to their account; export CSV/XLSX; and the list of customers
//! owing money past due or over their limit, the most overdue first. Data:
//! `app::receivables`; rules: `domain::ledger`.

use crate::app::archive::Services;
use crate::app::receivables::{Data, Load, Receivables};
use crate::app::session::Session;
use crate::domain::date::Date;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ledger::aging::{Basis, Buckets, EdgesError, Report};
use crate::domain::overview::dashboard::group;
use crate::domain::transfer::xlsx::Cell;
use crate::platform::clock::today;
use crate::ui::account::aging::heading;
use crate::ui::account::yuan;
use crate::ui::shell::route::Route;
use crate::ui::t;
use leptos::prelude::*;
use std::sync::Arc;

/// Rows shown of a list (the export holds them all).
const SHOWN: usize = 200;

fn edges_error(e: EdgesError) -> Msg {
    match e {
        EdgesError::NotNumbers => Msg::RcvEdgesNumbers,
        EdgesError::NotIncreasing => Msg::RcvEdgesIncreasing,
        EdgesError::Count => Msg::RcvEdgesCount,
    }
}

#[component]
pub fn ReceivablesPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let rcv = expect_context::<Receivables>();
    let admin = move || session.is_admin();
    if admin() {
        rcv.ensure(svc);
    }
    view! {
        <div class="ov-page" data-testid="receivables">
            <div class="ov-head">
                <h1 class="page-title">{t(Msg::RcvTitle)}</h1>
                <a class="btn" data-testid="open-consignment" href=Route::Consignment.hash()>{t(Msg::CsgOpen)}</a>
                {move || rcv.refreshing.get().then(|| view! {
                    <span class="muted ov-refreshing" role="status"><span class="spinner small" aria-hidden="true"></span>{t(Msg::OvRefreshing)}</span>
                })}
            </div>
            {move || {
                if !admin() {
                    return view! { <p class="empty" data-testid="rcv-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match rcv.load.get() {
                    Load::Idle | Load::Reading(_) => {
                        let n = match rcv.load.get() { Load::Reading(n) => n, _ => 0 };
                        view! {
                            <div class="state" role="status" data-testid="rcv-loading">
                                <div class="spinner" aria-hidden="true"></div>
                                <p>{fill(t(Msg::RcvReading), &[&group(n as i64)])}</p>
                            </div>
                        }.into_any()
                    }
                    Load::Failed(e) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
                    Load::Ready => view! { <Views /> }.into_any(),
                }
            }}
        </div>
    }
}

#[component]
fn Views() -> impl IntoView {
    let rcv = expect_context::<Receivables>();
    let on = RwSignal::new(today().to_string());
    let basis = RwSignal::new(Basis::Due);
    let edges = RwSignal::new(Buckets::default().text());
    let buckets = Memo::new(move |_| Buckets::parse(&edges.get()));
    let day = Memo::new(move |_| Date::parse(&on.get()).unwrap_or_else(today));
    let data = Memo::new(move |_| rcv.data().map(Wrapped));
    let later = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::platform::clock::after_paint().await;
        later.try_set(true);
    });
    let report = Memo::new(move |_| {
        let d = data.get()?;
        let b = buckets.get().ok()?;
        let mut r = d.0.accounts.aging(day.get(), basis.get(), &b);
        // The largest totals first.
        r.rows.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(&b.0)));
        Some(Wrapped(Arc::new((r, b))))
    });
    view! {
        <section class="card" data-testid="rcv-aging">
            <h2>{t(Msg::AcctAging)}</h2>
            <div class="ov-controls">
                <label class="field inline-field"><span class="label">{t(Msg::AcctAsOf)}</span>
                    <input type="date" data-testid="rcv-on" prop:value=move || on.get() on:change=move |ev| on.set(event_target_value(&ev)) /></label>
                <label class="field inline-field"><span class="label">{t(Msg::AcctBasis)}</span>
                    <select data-testid="rcv-basis" on:change=move |ev| basis.set(if event_target_value(&ev) == "invoice" { Basis::Invoice } else { Basis::Due })>
                        <option value="due">{t(Msg::AcctByDue)}</option>
                        <option value="invoice">{t(Msg::AcctByInvoice)}</option>
                    </select></label>
                <label class="field inline-field"><span class="label">{t(Msg::RcvEdges)}</span>
                    <input type="text" inputmode="numeric" data-testid="rcv-edges" aria-describedby="rcv-edges-err"
                        aria-invalid=move || buckets.with(Result::is_err).then_some("true")
                        prop:value=move || edges.get() on:change=move |ev| edges.set(event_target_value(&ev)) /></label>
                <span class="err" id="rcv-edges-err" role="alert" data-testid="rcv-edges-err">{move || buckets.get().err().map(|e| t(edges_error(e)))}</span>
            </div>
            {move || report.get().map(|w| {
                let (r, b) = (&w.0.0, &w.0.1);
                let d = data.get().expect("read").0;
                view! { <AgingTable report=r.clone() buckets=b.clone() data=d /> }
            })}
        </section>
        // Who owes is worked out after the aging is on screen: two tasks the page paints between,
        // not one frame held for both.
        {move || later.get().then(|| data.get().map(|d| view! { <Owing data=d.0 on=day.get() /> })).flatten()}
        <ClassTermsCard />
    }
}

/// An `Arc` compared by address (memos need `PartialEq`; the data changes only when re-read).
#[derive(Clone)]
struct Wrapped<T>(Arc<T>);

impl<T> PartialEq for Wrapped<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

fn export(data: &Data, report: &Report, buckets: &Buckets) -> (Vec<String>, Vec<Vec<Cell>>) {
    let mut headers = vec![t(Msg::FCode).to_string(), t(Msg::FName).to_string()];
    headers.extend((0..buckets.len()).map(|i| heading(buckets, i)));
    headers.extend([t(Msg::AcctUnappliedShort).to_string(), t(Msg::AcctTotal).to_string()]);
    let mut rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|(i, r)| {
            let id = &data.accounts.customers[*i];
            let code = data.who.get(id).map(|w| w.code.clone()).unwrap_or_default();
            let mut row = vec![Cell::Text(code), Cell::Text(data.name(*i))];
            row.extend(r.cells.iter().map(|c| Cell::Money(*c)));
            row.extend([Cell::Money(-r.unapplied), Cell::Money(r.total())]);
            row
        })
        .collect();
    let mut total = vec![Cell::Text(String::new()), Cell::Text(t(Msg::AcctTotal).to_string())];
    total.extend(report.total.cells.iter().map(|c| Cell::Money(*c)));
    total.extend([Cell::Money(-report.total.unapplied), Cell::Money(report.total.total())]);
    rows.push(total);
    (headers, rows)
}

#[component]
fn AgingTable(report: Report, buckets: Buckets, data: Arc<Data>) -> impl IntoView {
    let heads: Vec<String> = (0..buckets.len()).map(|i| heading(&buckets, i)).collect();
    let n = report.rows.len();
    let (headers, rows) = export(&data, &report, &buckets);
    let text_rows: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(crate::domain::transfer::columns::cell_text).collect()).collect();
    let (h1, h2) = (headers.clone(), headers);
    let csv = move |_| crate::ui::overview::download_csv(t(Msg::RcvTitle), h1.clone(), text_rows.clone());
    let xlsx = move |_| {
        let name = crate::platform::files::dated_name(t(Msg::RcvTitle), "xlsx");
        crate::ui::overview::download_xlsx(name, t(Msg::RcvTitle), h2.clone(), rows.clone());
    };
    let open: RwSignal<Option<usize>> = RwSignal::new(None);
    view! {
        <p class="muted" data-testid="rcv-count">{fill(t(Msg::RcvCustomers), &[&group(n as i64), &group(data.accounts.entries as i64)])}</p>
        <div class="acct-scroll">
        <table class="ov-table rcv-table" data-testid="rcv-table">
            <thead><tr>
                <th>{t(Msg::FName)}</th>
                {heads.iter().map(|h| view! { <th class="num">{h.clone()}</th> }).collect_view()}
                <th class="num">{t(Msg::AcctUnappliedShort)}</th><th class="num">{t(Msg::AcctTotal)}</th>
            </tr></thead>
            <tbody>
                <tr class="rcv-total" data-testid="rcv-total">
                    <td><strong>{t(Msg::AcctTotal)}</strong></td>
                    {report.total.cells.iter().map(|c| view! { <td class="num"><strong>{yuan(*c)}</strong></td> }).collect_view()}
                    <td class="num">{yuan(-report.total.unapplied)}</td>
                    <td class="num"><strong data-testid="rcv-total-sum">{yuan(report.total.total())}</strong></td>
                </tr>
                {report.rows.iter().take(SHOWN).map(|(i, r)| {
                    let id = data.accounts.customers[*i].clone();
                    let i = *i;
                    view! {
                        <tr data-testid="rcv-row">
                            <td><a href=Route::Account(id).hash() data-testid="rcv-name">{data.name(i)}</a></td>
                            {r.cells.iter().map(|c| view! {
                                <td class="num">{(*c != 0).then(|| view! {
                                    <button type="button" class="link" data-testid="rcv-cell" aria-expanded=move || (open.get() == Some(i)).to_string()
                                        on:click=move |_| open.update(|o| *o = if *o == Some(i) { None } else { Some(i) })>{yuan(*c)}</button>
                                })}</td>
                            }).collect_view()}
                            <td class="num">{(r.unapplied != 0).then(|| yuan(-r.unapplied))}</td>
                            <td class="num">{yuan(r.total())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {(n > SHOWN).then(|| view! { <p class="muted">{fill(t(Msg::RcvMore), &[&SHOWN, &n])}</p> })}
        {move || open.get().map(|i| view! { <Drill data=data.clone() i=i buckets=buckets.clone() /> })}
        <div class="ov-actions">
            <button type="button" class="btn small" data-testid="rcv-csv" on:click=csv>{t(Msg::OvExportCsv)}</button>
            <button type="button" class="btn small" data-testid="rcv-xlsx" on:click=xlsx>{t(Msg::OvExportXlsx)}</button>
        </div>
    }
}

/// One customer's open invoices (the drill-down), with the way to their account.
#[component]
fn Drill(data: Arc<Data>, i: usize, buckets: Buckets) -> impl IntoView {
    let on = today();
    let account = &data.accounts.accounts[i];
    let items = crate::domain::ledger::aging::items(account, on, Basis::Due, &buckets);
    let id = data.accounts.customers[i].clone();
    view! {
        <section class="ov-detail card" data-testid="rcv-drill">
            <h2>{data.name(i)}</h2>
            <table class="ov-table">
                <thead><tr><th>{t(Msg::AcctDate)}</th><th>{t(Msg::AcctDue)}</th><th class="num">{t(Msg::AcctOpen)}</th><th class="num">{t(Msg::AcctDays)}</th><th>{t(Msg::AcctBucket)}</th></tr></thead>
                <tbody>
                    {items.iter().map(|a| view! {
                        <tr data-testid="rcv-drill-item"><td>{a.open.date.to_string()}</td><td>{a.open.due.to_string()}</td><td class="num">{yuan(a.open.open)}</td><td class="num">{a.days}</td><td>{heading(&buckets, a.bucket)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <a class="btn small" href=Route::Account(id).hash()>{t(Msg::AcctNav)}</a>
        </section>
    }
}

/// Who owes money past due or is over their limit, the most overdue first.
#[component]
fn Owing(data: Arc<Data>, on: Date) -> impl IntoView {
    let limit_of = |i: usize| data.who.get(&data.accounts.customers[i]).and_then(|w| w.limit.amount_fen);
    let rows = data.accounts.owing(on, &limit_of);
    let n = rows.len();
    view! {
        <section class="card ov-list" data-testid="rcv-owing">
            <h2>{t(Msg::RcvOwing)} <span class="count">{n}</span></h2>
            {(n == 0).then(|| view! { <p class="empty">{t(Msg::RcvNobodyOwes)}</p> })}
            {(n > 0).then(|| view! {
                <table class="ov-table">
                    <thead><tr><th>{t(Msg::FName)}</th><th class="num">{t(Msg::AcctOverdue)}</th><th class="num">{t(Msg::AcctBalance)}</th><th>{t(Msg::AcctOldest)}</th><th class="num">{t(Msg::RcvOverLimit)}</th></tr></thead>
                    <tbody>
                        {rows.iter().take(SHOWN).map(|o| {
                            let id = data.accounts.customers[o.who].clone();
                            view! {
                                <tr data-testid="rcv-owing-row">
                                    <td><a href=Route::Account(id).hash()>{data.name(o.who)}</a></td>
                                    <td class="num">{yuan(o.overdue)}</td>
                                    <td class="num">{yuan(o.balance)}</td>
                                    <td class="nowrap">{o.oldest.map(|(d, days)| fill(t(Msg::RcvOldestDays), &[&d, &days]))}</td>
                                    <td class="num">{o.over_by.map(yuan)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// Each customer class's credit limit and payment terms (a customer's own override them); the
/// super administrator changes them (signed and synced with the archive's policy).
#[component]
pub fn ClassTermsCard() -> impl IntoView {
    use crate::domain::ledger::credit::ClassTerms;
    use crate::domain::model::CustomerClass;
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let editable = move || session.who().is_some_and(|s| s.role == crate::domain::governance::staff::Role::SuperAdmin);
    let current = move || session.roster.with(|r| r.as_ref().map(|r| r.policy.credit.clone()).unwrap_or_default());
    // Per class, the three texts as typed.
    let texts = RwSignal::new(Vec::<[String; 3]>::new());
    Effect::new(move |_| {
        let c = current();
        texts.set(CustomerClass::ALL.iter().map(|k| c.get(k).copied().unwrap_or_default().texts()).collect());
    });
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let bad: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let save = move |_| {
        let Some(me) = session.signed_in() else { return };
        let Some(mut policy) = session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.clone())) else { return };
        let mut out = crate::domain::ledger::credit::Defaults::new();
        for (i, k) in CustomerClass::ALL.iter().enumerate() {
            let [a, d, tm] = texts.with_untracked(|v| v.get(i).cloned().unwrap_or_default());
            match ClassTerms::parse(&a, &d, &tm) {
                Ok(ct) if ct != ClassTerms::default() => {
                    out.insert(*k, ct);
                }
                Ok(_) => {}
                Err((col, m)) => {
                    bad.set(Some((i, col)));
                    error.set(Some(t(m).to_string()));
                    return;
                }
            }
        }
        bad.set(None);
        policy.credit = out;
        crate::ui::settings::policy::save_policy(svc, session, me, policy, Msg::RcvTermsSaved, busy, error);
    };
    let cols = [Msg::FCreditAmount, Msg::FCreditDays, Msg::FTerms];
    view! {
        <section class="card" data-testid="rcv-terms" aria-labelledby="rcv-terms-title">
            <h2 id="rcv-terms-title">{t(Msg::RcvTerms)}</h2>
            <p class="muted hint">{move || t(if editable() { Msg::RcvTermsHow } else { Msg::RcvTermsSuperOnly })}</p>
            <div class="acct-scroll">
            <table class="ov-table">
                <thead><tr><th>{t(Msg::FClass)}</th>{cols.map(|m| view! { <th>{t(m)}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {CustomerClass::ALL.iter().enumerate().map(|(i, k)| view! {
                        <tr>
                            <th scope="row">{t(k.msg())}</th>
                            {(0..3).map(|c| view! {
                                <td><input type="text" inputmode="decimal" class="rcv-term"
                                    aria-label=format!("{} {}", t(k.msg()), t(cols[c]))
                                    data-testid=format!("rcv-term-{i}-{c}")
                                    aria-invalid=move || (bad.get() == Some((i, c))).then_some("true")
                                    disabled=move || !editable() || busy.get()
                                    prop:value=move || texts.with(|v| v.get(i).map(|x| x[c].clone()).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); texts.update(|x| if let Some(r) = x.get_mut(i) { r[c] = v }); error.set(None); } /></td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="err" role="alert" data-testid="rcv-terms-error">{move || error.get()}</p>
            {move || editable().then(|| view! {
                <div class="ov-actions">
                    <button type="button" class="btn primary" data-testid="rcv-terms-save" disabled=move || busy.get() on:click=save>{t(Msg::Save)}</button>
                </div>
            })}
        </section>
    }
}
