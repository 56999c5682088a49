//! ABC analysis (ABC 分析): the manager picks one indicator or weights several, the period and
//! the cut-offs; the screen shows each class's customers and value share, the Pareto curve and
//! the ranked list with every customer's inputs and score, and exports it. The ranking is
//! `domain::overview::abc`.

use super::chart::{CurveChart, Point};
use super::{facts, more_note, profile_link, span, PeriodPicker, SHOWN};
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::overview::{apply_abc, undo_abc, ApplyState as Apply};
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::CustomerClass;
use crate::domain::model::{AbcClass, AbcIndicator};
use crate::domain::overview::abc::{analyse, Analysis, Spec, DEFAULT_CLASSES};
use crate::domain::overview::dashboard::group;
use crate::domain::overview::period::{Period, Preset};
use crate::platform::clock::today;
use crate::ui::widgets::enum_select;
use crate::ui::{locale, t};
use leptos::prelude::*;
use std::sync::Arc;

use crate::domain::overview::abc::input_words as input_text;

/// The score as shown: the indicator's value, or the weighted share in percent.
fn score_text(spec: &Spec, score: f64) -> String {
    let used = spec.used();
    if used.len() == 1 {
        input_text(used[0].0, score as i64)
    } else {
        format!("{:.2}%", score * 100.0)
    }
}

#[component]
pub fn AbcPage() -> impl IntoView {
    let preset = RwSignal::new(Preset::ThisYear);
    let period = RwSignal::new(Period::of(Preset::ThisYear, today()));
    let weights: Vec<(AbcIndicator, RwSignal<String>)> = AbcIndicator::ALL
        .iter()
        .map(|i| (*i, RwSignal::new(if *i == AbcIndicator::Revenue { "100".into() } else { "0".into() })))
        .collect();
    let cut_a = RwSignal::new(String::from("70"));
    let cut_b = RwSignal::new(String::from("20"));
    let weights = StoredValue::new(weights);
    // The spec as typed: a number that does not read is its own error.
    let spec = Memo::new(move |_| {
        let num = |s: &str| s.trim().parse::<u16>().ok().filter(|n| *n <= 1000);
        let mut ws = Vec::new();
        for (i, s) in weights.get_value() {
            ws.push((i, s.with(|s| num(s)).ok_or(Msg::AbcErrWeight)?));
        }
        let a = cut_a.with(|s| num(s)).filter(|n| *n <= 100).ok_or(Msg::AbcErrCuts)? as u8;
        let b = cut_b.with(|s| num(s)).filter(|n| *n <= 100).ok_or(Msg::AbcErrCuts)? as u8;
        let spec = Spec { weights: ws, period: period.get(), cut_a: a, cut_b: b };
        spec.check().map(|_| spec)
    });
    let result = Memo::new(move |_| {
        let f = facts();
        spec.get().and_then(|s| analyse(&f, &s).map(|a| (s, std::sync::Arc::new(a))))
    });
    let number = move |value: RwSignal<String>, label: String, testid: String| {
        view! {
            <label class="field abc-weight">
                <span class="label">{label}</span>
                <input type="number" min="0" max="1000" inputmode="numeric" class="num-input" data-testid=testid
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <div class="ov-controls">
            <PeriodPicker preset=preset period=period testid="abc-period" />
        </div>
        <fieldset class="card abc-spec">
            <legend>{t(Msg::AbcWeights)}</legend>
            <p class="muted hint">{t(Msg::AbcWeightsHow)}</p>
            <div class="abc-weights">
                {weights.get_value().into_iter().map(|(i, s)| number(s, t(i.msg()).to_string(), format!("abc-w-{}", i.code()))).collect_view()}
            </div>
            <div class="abc-weights">
                {number(cut_a, t(Msg::AbcCutA).to_string(), "abc-cut-a".into())}
                {number(cut_b, t(Msg::AbcCutB).to_string(), "abc-cut-b".into())}
                <p class="muted hint abc-cut-c">{move || spec.get().ok().map(|s| fill(t(Msg::AbcCutC), &[&(100 - u16::from(s.cut_a) - u16::from(s.cut_b))]))}</p>
            </div>
            {move || spec.get().err().map(|m| view! { <p class="err" role="alert" data-testid="abc-error">{t(m)}</p> })}
        </fieldset>
        {move || result.get().ok().map(|(spec, a)| view! { <AbcResult spec=spec analysis=a /> })}
        <ApplyCard result=result />
    }
}

/// "Apply": the grades written into each customer's profile (with the class through a mapping
/// the manager confirms), one step, undone by one button.
#[component]
fn ApplyCard(result: Memo<Result<(Spec, Arc<Analysis>), Msg>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let state = expect_context::<crate::app::overview::Overview>().apply;
    let with_classes = RwSignal::new(false);
    let map = RwSignal::new(DEFAULT_CLASSES);
    let apply = move |_| {
        let Ok((spec, analysis)) = result.get_untracked() else { return };
        let f = facts();
        let classes = with_classes.get_untracked().then(|| map.get_untracked());
        let of = analysis.rows.len();
        state.set(Apply::Writing { done: 0, of });
        leptos::task::spawn_local(async move {
            let progress = move |done: usize| {
                state.try_set(Apply::Writing { done, of });
            };
            match apply_abc(svc, &f, &analysis, &spec, classes, &progress).await {
                Ok(before) => state.try_set(Apply::Done { before: Arc::new(before) }),
                Err(e) => state.try_set(Apply::Failed(e.explain(locale()))),
            };
        });
    };
    let undo = move |_| {
        let Apply::Done { before, .. } = state.get_untracked() else { return };
        state.set(Apply::Undoing);
        leptos::task::spawn_local(async move {
            match undo_abc(svc, &before, &|_| ()).await {
                Ok(n) => state.try_set(Apply::Undone(n)),
                Err(e) => state.try_set(Apply::Failed(e.explain(locale()))),
            };
        });
    };
    let counts = move || result.with(|r| r.as_ref().ok().map(|(_, a)| (a.rows.len(), a.classes.map(|c| c.customers))));
    let class_select = move |k: usize| {
        let label = format!("{} →", AbcClass::ALL[k].letter());
        view! {
            <label class="field-inline">{label}
                {enum_select(["abc-map-a", "abc-map-b", "abc-map-c"][k], CustomerClass::ALL, move || map.get()[k], move |c| map.update(|m| m[k] = c))}
            </label>
        }
    };
    view! {
        <section class="card abc-apply" data-testid="abc-apply" aria-labelledby="abc-apply-title">
            <h2 id="abc-apply-title">{t(Msg::AbcApplyTitle)}</h2>
            {move || match state.get() {
                Apply::Idle | Apply::Undone(_) | Apply::Failed(_) => view! {
                    {match state.get() {
                        Apply::Undone(n) => Some(view! { <p class="ok-text" role="status" data-testid="abc-apply-status">{fill(t(Msg::AbcUndone), &[&group(n as i64)])}</p> }.into_any()),
                        Apply::Failed(e) => Some(view! { <p class="err" role="alert" data-testid="abc-apply-status">{e}</p> }.into_any()),
                        _ => None,
                    }}
                    <p class="muted hint">{t(Msg::AbcApplyHow)}</p>
                    <button type="button" class="btn primary" data-testid="abc-apply-open" disabled=move || counts().is_none_or(|(n, _)| n == 0)
                        on:click=move |_| state.set(Apply::Confirming)>{t(Msg::AbcApplyOpen)}</button>
                }.into_any(),
                Apply::Confirming => view! {
                    <p data-testid="abc-apply-confirm">{move || counts().map(|(n, [a, b, c])| fill(t(Msg::AbcApplyConfirm), &[&group(n as i64), &group(a as i64), &group(b as i64), &group(c as i64)]))}</p>
                    <label class="toggle">
                        <input type="checkbox" data-testid="abc-apply-classes" prop:checked=move || with_classes.get() on:change=move |ev| with_classes.set(event_target_checked(&ev)) />
                        {t(Msg::AbcApplyClasses)}
                    </label>
                    {move || with_classes.get().then(|| view! { <div class="abc-map">{class_select(0)}{class_select(1)}{class_select(2)}</div> })}
                    <div class="ov-actions">
                        <button type="button" class="btn primary" data-testid="abc-apply-go" on:click=apply>{t(Msg::AbcApplyGo)}</button>
                        <button type="button" class="btn" on:click=move |_| state.set(Apply::Idle)>{t(Msg::Cancel)}</button>
                    </div>
                }.into_any(),
                Apply::Writing { done, of } => view! {
                    <p class="muted" role="status" data-testid="abc-apply-status"><span class="spinner small" aria-hidden="true"></span> {fill(t(Msg::AbcApplyWriting), &[&group(done as i64), &group(of as i64)])}</p>
                }.into_any(),
                Apply::Done { before } => view! {
                    <p class="ok-text" role="status" data-testid="abc-apply-status">{fill(t(Msg::AbcApplied), &[&group(before.len() as i64)])}</p>
                    <button type="button" class="btn" data-testid="abc-apply-undo" on:click=undo>{t(Msg::Undo)}</button>
                }.into_any(),
                Apply::Undoing => view! {
                    <p class="muted" role="status" data-testid="abc-apply-status"><span class="spinner small" aria-hidden="true"></span> {t(Msg::AbcUndoing)}</p>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AbcResult(spec: Spec, analysis: std::sync::Arc<Analysis>) -> impl IntoView {
    let f = facts();
    let a = analysis;
    let n = a.rows.len();
    let used: Vec<AbcIndicator> = spec.used().into_iter().map(|(i, _)| i).collect();
    let points: Vec<Point> = (1..=20)
        .filter(|_| n > 0)
        .map(|k| {
            let at = (n * k).div_ceil(20).max(1) - 1;
            let x = k as f64 * 5.0;
            let y = a.rows[at].cumulative * 100.0;
            Point { x, y, text: fill(t(Msg::AbcPoint), &[&format!("{x:.0}%"), &format!("{y:.1}%")]) }
        })
        .collect();
    let cuts = vec![
        (f64::from(spec.cut_a), "A".to_string()),
        (f64::from(spec.cut_a) + f64::from(spec.cut_b), "B".to_string()),
    ];
    let export_rows = {
        let (f, a, spec, used) = (f.clone(), a.clone(), spec.clone(), used.clone());
        move || {
            a.rows
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let mut row = vec![(k + 1).to_string(), f.customer(r.who).name.clone(), r.class.letter().into()];
                    row.extend(used.iter().zip(&r.inputs).map(|(i, v)| input_text(*i, *v)));
                    row.push(score_text(&spec, r.score));
                    row.push(format!("{:.2}%", r.share * 100.0));
                    row.push(format!("{:.2}%", r.cumulative * 100.0));
                    row
                })
                .collect::<Vec<_>>()
        }
    };
    let headers = {
        let used = used.clone();
        move || {
            let mut h = vec![t(Msg::AbcRank).to_string(), t(Msg::FName).to_string(), t(Msg::AbcClassCol).to_string()];
            h.extend(used.iter().map(|i| t(i.msg()).to_string()));
            h.extend([Msg::AbcScore, Msg::AbcShare, Msg::AbcCumulative].map(|m| t(m).to_string()));
            h
        }
    };
    let (h1, r1) = (headers.clone(), export_rows.clone());
    let export_csv = move |_| super::download_csv(t(Msg::OvAbc), h1(), r1());
    // The workbook is written by the import/export worker (the XLSX writer stays out of this
    // module).
    let export_xlsx = move |_| {
        let rows: Vec<Vec<crate::domain::transfer::xlsx::Cell>> = export_rows()
            .into_iter()
            .map(|r| r.into_iter().map(crate::domain::transfer::xlsx::Cell::Text).collect())
            .collect();
        let name = crate::platform::files::dated_name(t(Msg::OvAbc), "xlsx");
        super::download_xlsx(name, t(Msg::OvAbc), headers(), rows);
    };
    let shown: Vec<usize> = (0..n.min(SHOWN)).collect();
    view! {
        <section class="card ov-list" data-testid="abc-result" aria-labelledby="abc-result-title">
            <h2 id="abc-result-title">{t(Msg::OvAbc)} " · " {span(spec.period)}</h2>
            <p class="muted" data-testid="abc-formula">{t(Msg::AbcScoreIs)} {crate::domain::overview::abc::formula(&spec.weights, locale())}</p>
            <table class="ov-table abc-classes" data-testid="abc-classes">
                <thead><tr><th>{t(Msg::AbcClassCol)}</th><th class="num">{t(Msg::AbcCustomers)}</th><th class="num">{t(Msg::AbcShare)}</th><th>{t(Msg::AbcRule)}</th></tr></thead>
                <tbody>
                    {[AbcClass::A, AbcClass::B, AbcClass::C].into_iter().map(|c| {
                        let s = a.classes[c.code() as usize];
                        let rule = match c {
                            AbcClass::A => fill(t(Msg::AbcRuleA), &[&spec.cut_a]),
                            AbcClass::B => fill(t(Msg::AbcRuleB), &[&spec.cut_b]),
                            AbcClass::C => t(Msg::AbcRuleC).to_string(),
                        };
                        view! {
                            <tr data-testid=format!("abc-class-{}", c.letter())>
                                <td><span class=format!("badge abc abc-{}", c.letter())>{c.letter()}</span></td>
                                <td class="num">{group(s.customers as i64)}</td>
                                <td class="num">{format!("{:.1}%", s.share * 100.0)}</td>
                                <td class="muted">{rule}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(n > 0 && a.total > 0.0).then(|| view! {
                <CurveChart points=points cuts=cuts title=t(Msg::AbcPareto).to_string() x_label=t(Msg::AbcParetoX).to_string() testid="abc-pareto" />
            })}
            {(a.total <= 0.0).then(|| view! { <p class="muted" data-testid="abc-empty">{t(Msg::AbcNothing)}</p> })}
            <div class="table-scroll">
                <table class="ov-table abc-rows" data-testid="abc-rows">
                    <thead><tr>
                        <th class="num">{t(Msg::AbcRank)}</th><th>{t(Msg::FName)}</th><th>{t(Msg::AbcClassCol)}</th>
                        {used.iter().map(|i| view! { <th class="num">{t(i.msg())}</th> }).collect_view()}
                        <th class="num">{t(Msg::AbcScore)}</th><th class="num">{t(Msg::AbcShare)}</th><th class="num">{t(Msg::AbcCumulative)}</th>
                    </tr></thead>
                    <tbody>
                        {shown.into_iter().map(|k| {
                            let r = &a.rows[k];
                            view! {
                                <tr data-testid="abc-row">
                                    <td class="num">{k + 1}</td>
                                    <td>{profile_link(&f, r.who)}</td>
                                    <td><span class=format!("badge abc abc-{}", r.class.letter()) data-testid="abc-row-class">{r.class.letter()}</span></td>
                                    {used.iter().zip(&r.inputs).map(|(i, v)| view! { <td class="num">{input_text(*i, *v)}</td> }).collect_view()}
                                    <td class="num" data-testid="abc-row-score">{score_text(&spec, r.score)}</td>
                                    <td class="num">{format!("{:.1}%", r.share * 100.0)}</td>
                                    <td class="num">{format!("{:.1}%", r.cumulative * 100.0)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {more_note(n)}
            <div class="ov-actions">
                <button type="button" class="btn small" data-testid="abc-csv" on:click=export_csv>{t(Msg::OvExportCsv)}</button>
                <button type="button" class="btn small" data-testid="abc-xlsx" on:click=export_xlsx>{t(Msg::OvExportXlsx)}</button>
                <button type="button" class="btn small" data-testid="abc-print" on:click=move |_| super::print_page()>{t(Msg::OvPrint)}</button>
            </div>
        </section>
    }
}
