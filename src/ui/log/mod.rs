//! The access log (`#/log`, administrators): whether the log is intact, filters (staff, kind,
//! period, a profile), counts per day, month or year and per staff member as a table with bars,
//! the newest events, and the CSV export (itself logged). The counting is in
//! `domain/governance/report.rs`.

pub(crate) mod requests;

use crate::app::archive::Services;
use crate::app::governance;
use crate::app::session::Session;
use crate::domain::date::Date;
use crate::domain::governance::chain::{Entry, Event, EventKind, Integrity};
use crate::domain::governance::report::{self, Filter, Period};
use crate::domain::i18n::{fill, Msg};
use crate::platform::clock::{now_ms, utc_offset_minutes};
use crate::ui::{locale, t};
use leptos::prelude::*;

/// Events shown in the table (the export has them all).
const SHOWN: usize = 200;

#[component]
pub fn LogPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    // The newest events of each device at first (a long log takes a moment to read and check),
    // then all of them with the integrity found (None until then).
    let data = RwSignal::new(None::<Result<(Vec<Event>, Option<Integrity>), String>>);
    let read = RwSignal::new(0usize);
    let explain = |e: &crate::app::archive::StoreError| crate::app::errors::Explain::explain(e, locale());
    let load = move || {
        leptos::task::spawn_local(async move {
            let a = match svc.archive() {
                Ok(a) => a,
                Err(e) => return data.set(Some(Err(explain(&e)))),
            };
            read.set(0);
            // A reload keeps what is shown until the whole log is read again.
            if data.get_untracked().is_none() {
                match a.newest_events(SHOWN).await {
                    Ok(newest) => data.try_set(Some(Ok((newest, None)))),
                    Err(e) => return data.set(Some(Err(explain(&e)))),
                };
            }
            let whole = governance::access_log(&a, move |n| {
                read.try_set(n);
            })
            .await;
            data.try_set(Some(whole.map(|(events, integrity)| (events, Some(integrity))).map_err(|e| explain(&e))));
        })
    };
    load();
    let filter = RwSignal::new(Filter::default());
    let period = RwSignal::new(Period::Day);
    view! {
        <div class="log-page" data-testid="log-page">
            <h1 class="page-title">{t(Msg::NavLog)}</h1>
            {move || {
                if !session.is_admin() {
                    return view! { <p class="empty" data-testid="log-admins-only">{t(Msg::LogAdminsOnly)}</p> }.into_any();
                }
                view! {
                    <requests::RequestsCard />
                    {move || match data.get() {
                        None => crate::ui::shell::waiting(Msg::Loading, "log-loading"),
                        Some(Err(e)) => view! { <p class="err" role="alert">{e}</p> }.into_any(),
                        Some(Ok((events, integrity))) => view! {
                            <LogBody events=events integrity=integrity read=read filter=filter period=period reload=Callback::new(move |_| load()) />
                        }.into_any(),
                    }}
                }.into_any()
            }}
        </div>
    }
}

fn device_name(own: &str) -> impl Fn(&str) -> String + Clone + '_ {
    move |d: &str| crate::app::prefs::device_label(d, own)
}

/// A date input's value as the start of that local day (ms since the epoch).
fn day_start(text: &str) -> Option<i64> {
    let d = Date::parse(text)?;
    Some(d.days_since_epoch() * 86_400_000 - utc_offset_minutes() as i64 * 60_000)
}

/// The log: `integrity` None while only the newest events are read (the line then says how far
/// the reading is; filters, counts and the export wait for the whole log).
#[component]
fn LogBody(
    events: Vec<Event>,
    integrity: Option<Integrity>,
    read: RwSignal<usize>,
    filter: RwSignal<Filter>,
    period: RwSignal<Period>,
    reload: Callback<()>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let own = svc.device();
    let events = StoredValue::new(events);
    let offset = utc_offset_minutes();
    let whole = integrity.is_some();
    let ok = matches!(integrity, Some(Integrity::Verified(_)));
    let words = integrity.as_ref().map(|i| report::integrity_words(i, device_name(&own), locale()));
    let kept = Memo::new(move |_| {
        let f = filter.get();
        events.with_value(|all| {
            let mut v: Vec<usize> = (0..all.len()).filter(|&i| f.keeps(&all[i])).collect();
            v.sort_by_key(|&i| std::cmp::Reverse((all[i].at, all[i].seq)));
            v
        })
    });
    let staff = session
        .roster
        .with_untracked(|r| r.as_ref().map(|r| r.staff.values().cloned().collect::<Vec<_>>()).unwrap_or_default());
    // A destroyed profile is named by its register number (the event stays, the guest is gone).
    let tombs = LocalResource::new(move || async move { svc.tombs().await.unwrap_or_default() });
    let profile_name = move |id: &str| {
        if let Some(n) = tombs.get().and_then(|t| t.profiles.get(id).cloned()) {
            return fill(t(Msg::DesInLog), &[&n]);
        }
        svc.with_index_untracked(|ix| ix.get(id).map(|e| e.name)).unwrap_or_else(|| id.to_string())
    };
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let own_for_export = own.clone();
    let export = move |_| {
        let own = own_for_export.clone();
        let text = events.with_value(|all| {
            let rows = kept.get_untracked().into_iter().map(|i| &all[i]).collect::<Vec<_>>();
            report::csv(rows, device_name(&own), offset, locale())
        });
        let name = format!("dangan-access-log-{}.csv", crate::platform::clock::today());
        let _ = crate::platform::files::download(&name, "text/csv;charset=utf-8", text.as_bytes());
        leptos::task::spawn_local(async move {
            if let Ok(a) = svc.archive() {
                let entry = Entry { kind: Some(EventKind::LogExport), detail: name, ..Entry::default() };
                let _ = governance::log(&a, session.signed_in().as_ref(), now_ms(), entry).await;
                svc.local_rev.update(|n| *n += 1);
            }
        });
    };
    let seg = move |p: Period, m: Msg, testid: &'static str| {
        view! {
            <button class:on=move || period.get() == p aria-pressed=move || (period.get() == p).to_string() data-testid=testid on:click=move |_| period.set(p)>{t(m)}</button>
        }
    };
    view! {
        {match words {
            Some(words) => view! {
                <p class=if ok { "log-integrity ok-text" } else { "log-integrity err" } role=if ok { "status" } else { "alert" } data-testid="log-integrity" data-state="checked">{words}</p>
            }.into_any(),
            None => view! {
                <p class="log-integrity muted" role="status" data-testid="log-integrity" data-state="checking">
                    <span class="spinner small" aria-hidden="true"></span>
                    {move || fill(t(Msg::LogReading), &[&read.get()])}
                </p>
                <p class="muted hint">{t(Msg::LogNewestFirst)}</p>
            }.into_any(),
        }}
        <fieldset class="card log-filters" aria-label=t(Msg::LogFilters) disabled=!whole>
            <label class="field">
                <span class="label">{t(Msg::LogWho)}</span>
                <select data-testid="log-staff" on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.staff = (!v.is_empty()).then_some(v)); }>
                    <option value="">{t(Msg::LogAll)}</option>
                    {staff.into_iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">{t(Msg::LogWhat)}</span>
                <select data-testid="log-kind" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.kind = EventKind::ALL.into_iter().find(|k| format!("{k:?}") == v));
                }>
                    <option value="">{t(Msg::LogAll)}</option>
                    {EventKind::ALL.into_iter().map(|k| view! { <option value=format!("{k:?}")>{t(k.msg())}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">{t(Msg::LogFrom)}</span>
                <input type="date" data-testid="log-from" prop:value=move || from.get() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.from = day_start(&v));
                    from.set(v);
                } />
            </label>
            <label class="field">
                <span class="label">{t(Msg::LogUntil)}</span>
                <input type="date" data-testid="log-until" prop:value=move || until.get() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.until = day_start(&v).map(|t| t + 86_400_000));
                    until.set(v);
                } />
            </label>
            {move || filter.with(|f| f.profile.clone()).map(|id| view! {
                <p class="chip" data-testid="log-profile-filter">
                    {t(Msg::LogProfile)} ": " {profile_name(&id)}
                    <button class="btn ghost small" aria-label=t(Msg::LogClearProfile) on:click=move |_| filter.update(|f| f.profile = None)>"×"</button>
                </p>
            })}
            <div class="log-actions">
                <button class="btn" data-testid="log-reload" on:click=move |_| reload.run(())>{t(Msg::Refresh)}</button>
                <button class="btn primary" data-testid="log-export" on:click=export>{t(Msg::LogExportCsv)}</button>
            </div>
        </fieldset>
        <div class="log-stats">
            <section class="card" aria-labelledby="log-by-period">
                <div class="card-head">
                    <h2 id="log-by-period">{t(Msg::LogByPeriod)}</h2>
                    <div class="seg">{seg(Period::Day, Msg::LogDay, "log-day")} {seg(Period::Month, Msg::LogMonth, "log-month")} {seg(Period::Year, Msg::LogYear, "log-year")}</div>
                </div>
                {move || {
                    if !whole {
                        return view! { <p class="muted">{t(Msg::LogCounting)}</p> }.into_any();
                    }
                    let rows = events.with_value(|all| report::by_period(kept.get().into_iter().map(|i| &all[i]), period.get(), offset));
                    let totals: Vec<(String, usize)> = rows.into_iter().map(|(p, c)| (p, c.values().sum())).collect();
                    bars(totals, "log-period-row")
                }}
            </section>
            <section class="card" aria-labelledby="log-by-staff">
                <h2 id="log-by-staff">{t(Msg::LogByStaff)}</h2>
                {move || if whole {
                    bars(events.with_value(|all| report::by_staff(kept.get().into_iter().map(|i| &all[i]))), "log-staff-row")
                } else {
                    view! { <p class="muted">{t(Msg::LogCounting)}</p> }.into_any()
                }}
            </section>
        </div>
        <section class="card">
            <h2>{t(Msg::LogEvents)} " " {whole.then(|| view! { <span class="muted" data-testid="log-count">{move || kept.with(Vec::len)}</span> })}</h2>
            <div class="table-scroll">
                <table class="log-table">
                    <thead><tr>
                        <th>{t(Msg::LogWhen)}</th><th>{t(Msg::LogWho)}</th><th>{t(Msg::LogWhat)}</th><th>{t(Msg::LogProfile)}</th><th>{t(Msg::LogReason)}</th><th>{t(Msg::LogDevice)}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let own = own.clone();
                            events.with_value(|all| kept.get().into_iter().take(SHOWN).map(|i| {
                                let e = all[i].clone();
                                let when = crate::ui::widgets::fmt_datetime(e.at);
                                let what = e.entry.kind.map(|k| t(k.msg())).unwrap_or_default();
                                let who = format!("{}{}", e.entry.staff_name, e.entry.role.map(|r| format!(" · {}", t(r.msg()))).unwrap_or_default());
                                let pid = e.entry.profile.clone();
                                let profile = (!pid.is_empty()).then(|| {
                                    let shown = pid.clone();
                                    view! { <button class="link" data-testid="log-profile" on:click=move |_| filter.update(|f| f.profile = Some(pid.clone()))>{move || profile_name(&shown)}</button> }
                                });
                                let fields = e.entry.fields.iter().map(|f| crate::domain::fields::label_of_path(f, locale())).collect::<Vec<_>>().join("、");
                                let reason = [e.entry.reason.clone(), fields].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                                view! {
                                    <tr data-testid="log-row">
                                        <td class="mono">{when}</td><td>{who}</td><td>{what}</td><td>{profile}</td><td>{reason}</td>
                                        <td class="muted">{crate::app::prefs::device_label(&e.device, &own)} " #" {e.seq}</td>
                                    </tr>
                                }
                            }).collect_view())
                        }}
                    </tbody>
                </table>
            </div>
            {move || (whole && kept.with(Vec::len) > SHOWN).then(|| view! { <p class="muted hint">{t(Msg::LogShownFirst)}</p> })}
        </section>
    }
}

/// A table of labels and counts with a bar each (the chart), largest bar full width.
fn bars(rows: Vec<(String, usize)>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty">{t(Msg::LogNone)}</p> }.into_any();
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    view! {
        <table class="log-bars">
            <tbody>
                {rows.into_iter().map(|(label, n)| {
                    let pct = format!("{:.1}%", n as f64 * 100.0 / max as f64);
                    view! {
                        <tr data-testid=testid>
                            <th scope="row">{label}</th>
                            <td class="num">{n}</td>
                            <td class="bar-cell" aria-hidden="true"><span class="bar" style:width=pct></span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
