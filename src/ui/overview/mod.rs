//! The manager's views (`#/overview…`, 经营; administrators): the dashboard ([`dashboard`]), ABC
//! analysis ([`abc`]), reminders ([`reminders`]) and archive quality ([`quality`]). They live in
//! the office module (loaded on first use) and read the archive's facts through
//! `app::overview::Overview`; every figure is computed by `domain::overview`. Shared here: the
//! page with its tabs and loading states, the period picker, lists of customers and their export.

mod abc;
mod chart;
mod dashboard;
mod quality;
mod reminders;

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::overview::{Load, Overview};
use crate::app::session::Session;
use crate::domain::date::Date;
use crate::domain::i18n::{fill, Msg};
use crate::domain::overview::dashboard::group;
use crate::domain::overview::facts::Facts;
use crate::domain::overview::period::{Period, Preset};
use crate::platform::clock::today;
use crate::ui::shell::route::{Route, Tab};
use crate::ui::{locale, t};
use leptos::prelude::*;
use std::sync::Arc;

impl Tab {
    fn msg(self) -> Msg {
        match self {
            Tab::Dashboard => Msg::OvDashboard,
            Tab::Abc => Msg::OvAbc,
            Tab::Reminders => Msg::OvReminders,
            Tab::Quality => Msg::OvQuality,
        }
    }
}

#[component]
pub fn OverviewPage(tab: Tab) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let ov = expect_context::<Overview>();
    let admin = move || session.is_admin();
    if admin() {
        ov.ensure(svc);
    }
    view! {
        <div class="ov-page" data-testid="overview">
            <div class="ov-head">
                <h1 class="page-title">{t(Msg::NavOverview)}</h1>
                <nav class="ov-tabs" aria-label=t(Msg::NavOverview)>
                    {Tab::ALL.into_iter().map(|x| view! {
                        <a href=Route::Overview(x).hash() class="ov-tab" class:on=x == tab aria-current=(x == tab).then_some("page")
                            data-testid=format!("ov-tab-{x:?}").to_lowercase()>{t(x.msg())}</a>
                    }).collect_view()}
                </nav>
                {move || ov.refreshing.get().then(|| view! {
                    <span class="muted ov-refreshing" role="status" data-testid="ov-refreshing"><span class="spinner small" aria-hidden="true"></span>{t(Msg::OvRefreshing)}</span>
                })}
            </div>
            {move || {
                if !admin() {
                    return view! { <p class="empty" data-testid="ov-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match ov.load.get() {
                    Load::Idle | Load::Reading { .. } => {
                        let (p, h) = match ov.load.get() { Load::Reading { profiles, items } => (profiles, items), _ => (0, 0) };
                        view! {
                            <div class="state" role="status" data-testid="ov-loading">
                                <div class="spinner" aria-hidden="true"></div>
                                <p>{fill(t(Msg::OvReading), &[&group(p as i64), &group(h as i64)])}</p>
                            </div>
                        }.into_any()
                    }
                    Load::Failed(e) => view! {
                        <div class="state error" role="alert" data-testid="ov-failed">
                            <p>{e.explain(locale())}</p>
                        </div>
                    }.into_any(),
                    Load::Ready => match tab {
                        Tab::Dashboard => view! { <dashboard::Dashboard /> }.into_any(),
                        Tab::Abc => view! { <abc::AbcPage /> }.into_any(),
                        Tab::Reminders => view! { <reminders::Reminders /> }.into_any(),
                        Tab::Quality => view! { <quality::QualityPage /> }.into_any(),
                    },
                }
            }}
        </div>
    }
}

/// The facts, once read (each screen mounts only then), tracking new readings.
fn facts() -> Arc<Facts> {
    expect_context::<Overview>().facts().unwrap_or_default()
}

/// A period to look at: the presets as a segmented control, and two dates for a custom one.
#[component]
fn PeriodPicker(preset: RwSignal<Preset>, period: RwSignal<Period>, testid: &'static str) -> impl IntoView {
    let from = RwSignal::new(period.get_untracked().from.to_string());
    let to = RwSignal::new(period.get_untracked().to.to_string());
    let error = RwSignal::new(None::<Msg>);
    let pick = move |p: Preset| {
        preset.set(p);
        error.set(None);
        if p != Preset::Custom {
            let next = Period::of(p, today());
            period.set(next);
            from.set(next.from.to_string());
            to.set(next.to.to_string());
        }
    };
    let custom = move || match (Date::parse(&from.get_untracked()), Date::parse(&to.get_untracked())) {
        (Some(a), Some(b)) => match Period::new(a, b) {
            Some(p) => {
                error.set(None);
                period.set(p);
            }
            None => error.set(Some(Msg::OvErrPeriodOrder)),
        },
        _ => error.set(Some(Msg::ErrDate)),
    };
    let name = |p: Preset| match p {
        Preset::ThisMonth => Msg::OvThisMonth,
        Preset::LastMonth => Msg::OvLastMonth,
        Preset::ThisQuarter => Msg::OvThisQuarter,
        Preset::ThisYear => Msg::OvThisYear,
        Preset::Custom => Msg::OvCustom,
    };
    view! {
        <div class="ov-period" data-testid=testid>
            <div class="seg" role="group" aria-label=t(Msg::OvPeriod)>
                {Preset::ALL.into_iter().map(|p| view! {
                    <button type="button" class:on=move || preset.get() == p aria-pressed=move || (preset.get() == p).to_string()
                        data-testid=format!("period-{p:?}").to_lowercase() on:click=move |_| pick(p)>{t(name(p))}</button>
                }).collect_view()}
            </div>
            {move || (preset.get() == Preset::Custom).then(|| view! {
                <label class="field-inline">{t(Msg::LogFrom)}
                    <input type="date" data-testid="period-from" prop:value=move || from.get() on:change=move |ev| { from.set(event_target_value(&ev)); custom(); } />
                </label>
                <label class="field-inline">{t(Msg::LogUntil)}
                    <input type="date" data-testid="period-to" prop:value=move || to.get() on:change=move |ev| { to.set(event_target_value(&ev)); custom(); } />
                </label>
            })}
            {move || error.get().map(|m| view! { <span class="err" role="alert">{t(m)}</span> })}
        </div>
    }
}

/// `2026-12-01 – 2026-12-31`.
fn span(p: Period) -> String {
    format!("{} – {}", p.from, p.to)
}

/// A link to a customer's profile, by name.
fn profile_link(facts: &Facts, who: u32) -> impl IntoView {
    let c = facts.customer(who);
    view! { <a href=Route::Profile(c.id.clone()).hash() data-testid="ov-customer">{c.name.clone()}</a> }
}

/// Downloads a list as CSV (opens in Excel with Chinese intact).
pub(crate) fn download_csv(stem: &str, headers: Vec<String>, rows: Vec<Vec<String>>) {
    let text = crate::domain::transfer::csv::write(&headers, &rows);
    let name = crate::platform::files::dated_name(stem, "csv");
    let _ = crate::platform::files::download(&name, "text/csv;charset=utf-8", text.as_bytes());
}

/// Writes a workbook in the import/export worker (the XLSX writer stays out of this module) and
/// downloads it as `file`; a failure is told in a toast.
pub(crate) fn download_xlsx(
    file: String,
    sheet: &'static str,
    headers: Vec<String>,
    rows: Vec<Vec<crate::domain::transfer::xlsx::Cell>>,
) {
    leptos::task::spawn_local(async move {
        match crate::platform::worker::write_xlsx(sheet, &headers, &rows).await {
            Ok(bytes) => {
                let _ = crate::platform::files::download(
                    &file,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &bytes,
                );
            }
            Err(e) => crate::app::bridge::send(crate::app::bridge::Note::Toast {
                text: format!("{}{}{e}", t(Msg::OvExportXlsx), t(Msg::Colon)),
                error: true,
            }),
        }
    });
}

/// Prints the page (the print style keeps the lists and drops the controls).
fn print_page() {
    let _ = window().print();
}

/// The buttons under a list: export it, print the page.
#[component]
fn ListActions(export: Callback<()>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="ov-actions">
            <button type="button" class="btn small" data-testid=format!("{testid}-csv") on:click=move |_| export.run(())>{t(Msg::OvExportCsv)}</button>
            <button type="button" class="btn small" data-testid=format!("{testid}-print") on:click=move |_| print_page()>{t(Msg::OvPrint)}</button>
        </div>
    }
}

/// A card holding one list, its title with the count, and what the caller puts in it.
#[component]
fn ListCard(title: Msg, testid: &'static str, count: Signal<usize>, children: Children) -> impl IntoView {
    let id = format!("{testid}-title");
    let labelled_by = id.clone();
    view! {
        <section class="card ov-list" data-testid=testid aria-labelledby=labelled_by>
            <h2 id=id>{t(title)} " " <span class="count">{move || count.get()}</span></h2>
            {children()}
        </section>
    }
}

/// How many rows a list shows (the export has them all).
const SHOWN: usize = 200;

/// "Showing the first 200 of 1,234" under a long list.
fn more_note(total: usize) -> Option<impl IntoView> {
    (total > SHOWN)
        .then(|| view! { <p class="muted hint">{fill(t(Msg::OvFirstOf), &[&SHOWN, &group(total as i64)])}</p> })
}
