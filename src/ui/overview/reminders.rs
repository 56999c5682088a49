//! Reminders (提醒): special days coming up (lunar ones on their day this year), planned visits
//! due or overdue, customers not visited for N days, complaints past their deadline. Each row
//! opens the profile; each list exports and prints.

use super::{facts, more_note, profile_link, ListActions, ListCard, SHOWN};
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::{CustomerClass, SpecialDay};
use crate::domain::overview::reminders::*;
use crate::platform::clock::{local_moment, now_ms, today};
use crate::ui::{locale, t};
use leptos::prelude::*;

/// "in 3 days", "today", "2 days late".
fn when(days_ahead: i64) -> String {
    match days_ahead {
        0 => t(Msg::AlertToday).to_string(),
        n if n > 0 => fill(t(Msg::OvInDays), &[&n]),
        n => fill(t(Msg::OvDaysLate), &[&-n]),
    }
}

fn day_words(d: &SpecialDay) -> String {
    let kind = t(d.kind.msg());
    let written = d.written_in(locale());
    if d.label.trim().is_empty() {
        format!("{kind} · {written}")
    } else {
        format!("{kind} · {written} · {}", d.label.trim())
    }
}

#[component]
pub fn Reminders() -> impl IntoView {
    let horizon = RwSignal::new(7i64);
    view! {
        <div class="ov-controls">
            <div class="seg" role="group" aria-label=t(Msg::OvHorizon)>
                {[7i64, 30].into_iter().map(|n| view! {
                    <button type="button" class:on=move || horizon.get() == n aria-pressed=move || (horizon.get() == n).to_string()
                        data-testid=format!("rem-next-{n}") on:click=move |_| horizon.set(n)>{fill(t(Msg::OvNextDays), &[&n])}</button>
                }).collect_view()}
            </div>
        </div>
        <div class="ov-grid">
            <DaysCard horizon=horizon />
            <VisitsCard horizon=horizon />
            <NeglectedCard />
            <ComplaintsCard />
            <DocumentsCard />
        </div>
    }
}

#[component]
fn DaysCard(horizon: RwSignal<i64>) -> impl IntoView {
    let rows = Memo::new(move |_| special_days(&facts(), today(), horizon.get()));
    let export = Callback::new(move |_| {
        let f = facts();
        let headers = [Msg::OvOn, Msg::OvWhen, Msg::FName, Msg::SecDays].map(|m| t(m).to_string()).to_vec();
        let rows = rows
            .get_untracked()
            .iter()
            .map(|r| vec![r.on.to_string(), when(r.in_days), f.customer(r.who).name.clone(), day_words(&r.day)])
            .collect();
        super::download_csv(t(Msg::OvDaysTitle), headers, rows);
    });
    view! {
        <ListCard title=Msg::OvDaysTitle testid="rem-days" count=Signal::derive(move || rows.with(Vec::len))>
            {move || {
                let f = facts();
                let all = rows.get();
                if all.is_empty() {
                    return view! { <p class="muted">{t(Msg::OvNoDays)}</p> }.into_any();
                }
                view! {
                    <table class="ov-table">
                        <thead><tr><th>{t(Msg::OvOn)}</th><th>{t(Msg::FName)}</th><th>{t(Msg::SecDays)}</th></tr></thead>
                        <tbody>
                            {all.iter().take(SHOWN).map(|r| view! {
                                <tr data-testid="rem-day">
                                    <td class="nowrap">{r.on.to_string()} <span class="muted">" · " {when(r.in_days)}</span></td>
                                    <td>{profile_link(&f, r.who)}</td>
                                    <td>{day_words(&r.day)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {more_note(all.len())}
                    <ListActions export=export testid="rem-days" />
                }.into_any()
            }}
        </ListCard>
    }
}

#[component]
fn VisitsCard(horizon: RwSignal<i64>) -> impl IntoView {
    let rows = Memo::new(move |_| visits_due(&facts(), today(), horizon.get()));
    let export = Callback::new(move |_| {
        let f = facts();
        let headers = [Msg::FNextDate, Msg::OvWhen, Msg::FName, Msg::FClass].map(|m| t(m).to_string()).to_vec();
        let rows = rows
            .get_untracked()
            .iter()
            .map(|r| {
                let c = f.customer(r.who);
                vec![r.on.to_string(), when(-r.late_days), c.name.clone(), t(c.class.msg()).to_string()]
            })
            .collect();
        super::download_csv(t(Msg::OvVisitsTitle), headers, rows);
    });
    view! {
        <ListCard title=Msg::OvVisitsTitle testid="rem-visits" count=Signal::derive(move || rows.with(Vec::len))>
            {move || {
                let f = facts();
                let all = rows.get();
                if all.is_empty() {
                    return view! { <p class="muted">{t(Msg::OvNoVisits)}</p> }.into_any();
                }
                view! {
                    <table class="ov-table">
                        <thead><tr><th>{t(Msg::FNextDate)}</th><th>{t(Msg::FName)}</th><th>{t(Msg::FClass)}</th></tr></thead>
                        <tbody>
                            {all.iter().take(SHOWN).map(|r| view! {
                                <tr data-testid="rem-visit" class:late={r.late_days > 0}>
                                    <td class="nowrap">{r.on.to_string()} <span class={if r.late_days > 0 { "err-text" } else { "muted" }}>" · " {when(-r.late_days)}</span></td>
                                    <td>{profile_link(&f, r.who)}</td>
                                    <td class="nowrap">{t(f.customer(r.who).class.msg())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {more_note(all.len())}
                    <ListActions export=export testid="rem-visits" />
                }.into_any()
            }}
        </ListCard>
    }
}

#[component]
fn NeglectedCard() -> impl IntoView {
    let days = RwSignal::new(String::from("90"));
    let classes = RwSignal::new(vec![CustomerClass::Important, CustomerClass::Main]);
    let parsed = move || days.with(|d| d.trim().parse::<i64>().ok().filter(|n| (1..=3650).contains(n)));
    let rows = Memo::new(move |_| {
        let n = parsed()?;
        Some(not_visited(&facts(), today(), n, &classes.get()))
    });
    let export = Callback::new(move |_| {
        let f = facts();
        let headers = [Msg::FName, Msg::FClass, Msg::OvLastVisit, Msg::OvDaysSince].map(|m| t(m).to_string()).to_vec();
        let rows = rows
            .get_untracked()
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let c = f.customer(r.who);
                let last = r.last.map(|d| d.to_string()).unwrap_or_else(|| t(Msg::OvNeverVisited).to_string());
                vec![c.name.clone(), t(c.class.msg()).to_string(), last, r.days.to_string()]
            })
            .collect();
        super::download_csv(t(Msg::OvNeglectedTitle), headers, rows);
    });
    view! {
        <ListCard title=Msg::OvNeglectedTitle testid="rem-neglected" count=Signal::derive(move || rows.with(|r| r.as_ref().map_or(0, Vec::len)))>
            <div class="ov-inline-controls">
                <label class="field-inline">{t(Msg::OvNotVisitedFor)}
                    <input type="number" min="1" max="3650" class="num-input" data-testid="rem-days-input" prop:value=move || days.get()
                        aria-invalid=move || parsed().is_none().to_string()
                        on:input=move |ev| days.set(event_target_value(&ev)) />
                    {t(Msg::OvDaysUnit)}
                </label>
                <fieldset class="ov-classes">
                    <legend class="visually-hidden">{t(Msg::FClass)}</legend>
                    {CustomerClass::ALL.iter().map(|c| {
                        let c = *c;
                        view! {
                            <label class="toggle">
                                <input type="checkbox" data-testid=format!("rem-class-{}", c.code()) prop:checked=move || classes.with(|v| v.contains(&c))
                                    on:change=move |ev| { let on = event_target_checked(&ev); classes.update(|v| { v.retain(|x| *x != c); if on { v.push(c) } }); } />
                                {t(c.msg())}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            </div>
            {move || {
                let f = facts();
                let Some(all) = rows.get() else {
                    return view! { <p class="err" role="alert">{t(Msg::OvErrDays)}</p> }.into_any();
                };
                if all.is_empty() {
                    return view! { <p class="muted">{t(Msg::OvNoNeglected)}</p> }.into_any();
                }
                view! {
                    <table class="ov-table">
                        <thead><tr><th>{t(Msg::FName)}</th><th>{t(Msg::FClass)}</th><th>{t(Msg::OvLastVisit)}</th><th class="num">{t(Msg::OvDaysSince)}</th></tr></thead>
                        <tbody>
                            {all.iter().take(SHOWN).map(|r| view! {
                                <tr data-testid="rem-neglected-row">
                                    <td>{profile_link(&f, r.who)}</td>
                                    <td class="nowrap">{t(f.customer(r.who).class.msg())}</td>
                                    <td>{r.last.map(|d| d.to_string()).unwrap_or_else(|| t(Msg::OvNeverVisited).to_string())}</td>
                                    <td class="num">{r.days}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {more_note(all.len())}
                    <ListActions export=export testid="rem-neglected" />
                }.into_any()
            }}
        </ListCard>
    }
}

/// "5 h", "3 d 2 h" late.
fn late_words(hours: i64) -> String {
    if hours < 24 {
        fill(t(Msg::OvLateHours), &[&hours])
    } else {
        fill(t(Msg::OvLateDays), &[&(hours / 24), &(hours % 24)])
    }
}

#[component]
fn ComplaintsCard() -> impl IntoView {
    let rows = Memo::new(move |_| overdue_complaints(&facts(), now_ms()));
    let export = Callback::new(move |_| {
        let f = facts();
        let headers =
            [Msg::FName, Msg::FDate, Msg::FSeverity, Msg::DueBy, Msg::OvLate].map(|m| t(m).to_string()).to_vec();
        let rows = rows
            .get_untracked()
            .iter()
            .map(|r| {
                vec![
                    f.customer(r.who).name.clone(),
                    r.date.to_string(),
                    t(r.severity.msg()).to_string(),
                    local_moment(r.deadline as f64, locale()),
                    late_words(r.late_hours),
                ]
            })
            .collect();
        super::download_csv(t(Msg::OvComplaintsTitle), headers, rows);
    });
    view! {
        <ListCard title=Msg::OvComplaintsTitle testid="rem-complaints" count=Signal::derive(move || rows.with(Vec::len))>
            {move || {
                let f = facts();
                let all = rows.get();
                if all.is_empty() {
                    return view! { <p class="muted">{t(Msg::OvNoComplaints)}</p> }.into_any();
                }
                view! {
                    <table class="ov-table">
                        <thead><tr><th>{t(Msg::FName)}</th><th>{t(Msg::FDate)}</th><th>{t(Msg::FSeverity)}</th><th>{t(Msg::OvLate)}</th></tr></thead>
                        <tbody>
                            {all.iter().take(SHOWN).map(|r| view! {
                                <tr data-testid="rem-complaint">
                                    <td>{profile_link(&f, r.who)}</td>
                                    <td>{r.date.to_string()}</td>
                                    <td>{t(r.severity.msg())}</td>
                                    <td class="err-text">{late_words(r.late_hours)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {more_note(all.len())}
                    <ListActions export=export testid="rem-complaints" />
                }.into_any()
            }}
        </ListCard>
    }
}

/// Documents expiring within 30 days, and expired ones (licences, ID documents; issue 19).
#[component]
fn DocumentsCard() -> impl IntoView {
    let svc = expect_context::<crate::app::archive::Services>();
    let rows = RwSignal::new(Vec::<(i64, crate::domain::documents::Document)>::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        svc.remote_rev.track();
        svc.local_rev.track();
        leptos::task::spawn_local(async move {
            match svc.expiring_documents().await {
                Ok(r) => rows.set(r),
                Err(e) => error.set(Some(crate::app::errors::Explain::explain(&e, locale()))),
            }
        });
    });
    let name = move |id: &str| {
        svc.with_index_untracked(|ix| ix.get(id).map(|e| e.display_name().to_string())).unwrap_or_default()
    };
    let what = |d: &crate::domain::documents::Document| {
        [t(d.kind.msg()), d.title.as_str(), d.number.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let export = Callback::new(move |_| {
        let headers = [Msg::FName, Msg::AttTitle, Msg::AttExpires, Msg::OvWhen].map(|m| t(m).to_string()).to_vec();
        let rows = rows
            .get_untracked()
            .iter()
            .map(|(days, d)| {
                vec![name(&d.profile_id), what(d), d.expires.map(|e| e.to_string()).unwrap_or_default(), when(*days)]
            })
            .collect();
        super::download_csv(t(Msg::AttExpiringTitle), headers, rows);
    });
    view! {
        <ListCard title=Msg::AttExpiringTitle testid="rem-documents" count=Signal::derive(move || rows.with(Vec::len))>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {move || {
                let all = rows.get();
                if all.is_empty() {
                    return view! { <p class="muted">{t(Msg::AttExpiringNone)}</p> }.into_any();
                }
                view! {
                    <table class="ov-table">
                        <thead><tr><th>{t(Msg::FName)}</th><th>{t(Msg::AttTitle)}</th><th>{t(Msg::AttExpires)}</th><th>{t(Msg::OvWhen)}</th></tr></thead>
                        <tbody>
                            {all.iter().take(SHOWN).map(|(days, d)| view! {
                                <tr data-testid="rem-document">
                                    <td><a href=crate::ui::shell::route::Route::Profile(d.profile_id.clone()).hash() data-testid="ov-customer">{name(&d.profile_id)}</a></td>
                                    <td>{what(d)}</td>
                                    <td class="nowrap">{d.expires.map(|e| e.to_string())}</td>
                                    <td class="nowrap" class:err-text=*days < 0>{when(*days)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {more_note(all.len())}
                    <ListActions export=export testid="rem-documents" />
                }.into_any()
            }}
        </ListCard>
    }
}
