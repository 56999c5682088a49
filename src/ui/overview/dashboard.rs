//! The dashboard (经营概览): the figures of a period beside the period before; a figure opens how it
//! is reached, its trend by month and the customers behind it.

use super::chart::{Bar, BarChart};
use super::{facts, more_note, profile_link, span, ListActions, PeriodPicker, SHOWN};
use crate::app::session::Session;
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::overview::dashboard::{behind, figures, trend, Figure, NowValues, Value};
use crate::domain::overview::period::{Period, Preset};
use crate::domain::overview::quality::Quality;
use crate::platform::clock::{now_ms, today};
use crate::ui::{locale, t};
use leptos::prelude::*;

/// The change from `before` to `now` in words: `▲ 12.5%`, `▼ 3`, `—`.
fn change(now: Value, before: Option<Value>) -> Option<(String, &'static str)> {
    let (a, b) = (now.number()?, before?.number()?);
    if (a - b).abs() < 1e-9 {
        return Some(("=".into(), "flat"));
    }
    let dir = if a > b { ("▲", "up") } else { ("▼", "down") };
    let words =
        if b.abs() > 1e-9 { format!("{} {:.1}%", dir.0, ((a - b) / b * 100.0).abs()) } else { dir.0.to_string() };
    Some((words, dir.1))
}

/// A month label under a bar: `3月` / `Mar`, the year under January and the first bar.
fn month_bar((y, m): (u16, u8), first: bool, v: Value, l: Locale) -> Bar {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let label = match l {
        Locale::Zh => format!("{m}月"),
        Locale::En => EN[usize::from(m) - 1].to_string(),
    };
    let sub = if first || m == 1 { y.to_string() } else { String::new() };
    Bar { label, sub, value: v.number(), text: v.text() }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let session = expect_context::<Session>();
    let preset = RwSignal::new(Preset::ThisMonth);
    let period = RwSignal::new(Period::of(Preset::ThisMonth, today()));
    let selected = RwSignal::new(Figure::Revenue);
    let required = move || session.roster.with(|r| r.as_ref().map(|r| r.policy.required()).unwrap_or_default());
    // The archive's quality and the now-figures change only with the facts.
    let quality = Memo::new(move |_| {
        let f = facts();
        let q = Quality::of(&f, &required(), today());
        (NowValues::of(&f, &q), std::sync::Arc::new(q))
    });
    let rows = Memo::new(move |_| {
        let f = facts();
        quality.with(|(nv, _)| figures(&f, period.get(), now_ms(), nv))
    });
    view! {
        <div class="ov-controls">
            <PeriodPicker preset=preset period=period testid="dash-period" />
            <p class="muted ov-span" data-testid="dash-span">
                {move || fill(t(Msg::OvComparedWith), &[&span(period.get()), &span(period.get().previous())])}
            </p>
        </div>
        <div class="kpis" role="group" aria-label=t(Msg::OvDashboard)>
            {move || rows.get().into_iter().map(|(f, now, before)| {
                let (name, _) = f.msgs();
                let ch = change(now, before);
                let id = format!("kpi-{f:?}").to_lowercase();
                view! {
                    <button type="button" class="kpi" class:on=move || selected.get() == f aria-pressed=move || (selected.get() == f).to_string()
                        data-testid=id on:click=move |_| selected.set(f)>
                        <span class="kpi-name">{t(name)}</span>
                        <span class="kpi-value" data-testid="kpi-value">{now.text()}</span>
                        <span class="kpi-before">
                            {match before {
                                Some(b) => view! { <span data-testid="kpi-before">{t(Msg::OvBefore)} " " {b.text()}</span> }.into_any(),
                                None => view! { <span>{t(Msg::OvNow)}</span> }.into_any(),
                            }}
                            {ch.map(|(w, c)| view! { <span class=format!("kpi-change {c}")>{w}</span> })}
                        </span>
                    </button>
                }
            }).collect_view()}
        </div>
        {move || {
            let f = selected.get();
            let value = rows.with(|r| r.iter().find(|(x, ..)| *x == f).map(|(_, v, _)| *v))?;
            let (now_values, quality) = quality.get();
            Some(view! { <FigureDetail figure=f period=period.get() value=value now_values=now_values quality=quality /> })
        }}
    }
}

/// How a figure is reached, its trend and the customers behind it.
#[component]
fn FigureDetail(
    figure: Figure,
    period: Period,
    value: Value,
    now_values: NowValues,
    quality: std::sync::Arc<Quality>,
) -> impl IntoView {
    let f = facts();
    let l = locale();
    let (name, how) = figure.msgs();
    let now = now_ms();
    let chart = figure.is_of_period().then(|| {
        let months = period.trend_months();
        let bars: Vec<Bar> = trend(&f, figure, &months, now, &now_values)
            .into_iter()
            .enumerate()
            .map(|(i, (m, v))| month_bar(m, i == 0, v, l))
            .collect();
        let title = fill(t(Msg::OvTrendOf), &[&t(name)]);
        view! { <BarChart bars=bars title=title testid="dash-trend" /> }
    });
    let who = behind(&f, figure, period, now, &quality);
    let total = who.len();
    let export_rows = {
        let f = f.clone();
        let who = who.clone();
        move || {
            who.iter()
                .map(|w| {
                    let c = f.customer(*w);
                    vec![c.name.clone(), t(c.class.msg()).to_string(), c.since.to_string()]
                })
                .collect::<Vec<_>>()
        }
    };
    let export = Callback::new(move |_| {
        let headers = vec![t(Msg::FName).to_string(), t(Msg::FClass).to_string(), t(Msg::FSince).to_string()];
        super::download_csv(&format!("{}-{}", t(Msg::NavOverview), t(name)), headers, export_rows());
    });
    let shown: Vec<_> = who.iter().take(SHOWN).copied().collect();
    view! {
        <section class="card ov-detail" data-testid="dash-detail" aria-labelledby="dash-detail-title">
            <h2 id="dash-detail-title">{t(name)} " " <span class="ov-detail-value">{value.text()}</span></h2>
            <p class="muted" data-testid="dash-how">{t(how)} {value.working().map(|w| format!("{}{w}", t(Msg::Colon)))}</p>
            {chart}
            <h3>{fill(t(Msg::OvBehind), &[&crate::domain::overview::dashboard::group(total as i64)])}</h3>
            {if total == 0 {
                view! { <p class="muted" data-testid="dash-none">{t(Msg::OvNobody)}</p> }.into_any()
            } else {
                view! {
                    <ul class="ov-names" data-testid="dash-customers">
                        {shown.into_iter().map(|w| view! { <li>{profile_link(&f, w)}</li> }).collect_view()}
                    </ul>
                    {more_note(total)}
                    <ListActions export=export testid="dash-list" />
                }.into_any()
            }}
        </section>
    }
}
