//! Charts drawn by the app as SVG (no chart crate: two small shapes do not earn one): bars by
//! month with axis labels, and a line of cumulative shares (the Pareto curve of an ABC
//! analysis). Each bar or point is focusable and names its value to a screen reader; the value
//! shows on hover and on focus, and every value prints.

use crate::domain::overview::dashboard::{axis_top, group};
use leptos::prelude::*;

const W: f64 = 720.0;
const H: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// An axis label: `1,200`, `0.5`.
fn tick(v: f64) -> String {
    if v.fract().abs() < 1e-9 {
        group(v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// One bar: its label under the axis, a second line (the year) or none, its value (`None`:
/// nothing to show, drawn as a gap) and the value in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub sub: String,
    pub value: Option<f64>,
    pub text: String,
}

/// Bars with a value axis.
#[component]
pub fn BarChart(bars: Vec<Bar>, title: String, testid: &'static str) -> impl IntoView {
    let top = axis_top(bars.iter().filter_map(|b| b.value).fold(0.0, f64::max));
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let step = plot_w / bars.len().max(1) as f64;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="group" aria-label=title.clone() data-testid=testid>
            <title>{title.clone()}</title>
            {(0..=4).map(|i| {
                let v = top * f64::from(i) / 4.0;
                view! {
                    <line class="grid" x1=LEFT x2=W - RIGHT y1=y(v) y2=y(v) />
                    <text class="axis" x=LEFT - 6.0 y=y(v) + 4.0 text-anchor="end">{tick(v)}</text>
                }
            }).collect_view()}
            {bars.into_iter().enumerate().map(|(i, b)| {
                let x = LEFT + step * i as f64;
                let v = b.value.unwrap_or(0.0);
                let bar_w = (step * 0.62).max(2.0);
                let top_y = y(v);
                let label = format!("{} {}{}{}", b.sub, b.label, crate::ui::t(crate::domain::i18n::Msg::Colon), b.text);
                view! {
                    <g class="bar" tabindex="0" role="img" aria-label=label.trim().to_string() data-value=b.text.clone()>
                        <title>{label.trim().to_string()}</title>
                        <rect class="hit" x=x y=TOP width=step height=plot_h />
                        <rect class="bar-fill" x=x + (step - bar_w) / 2.0 y=top_y width=bar_w height=(TOP + plot_h - top_y).max(0.0) />
                        <text class="val" x=x + step / 2.0 y=(top_y - 4.0).max(10.0) text-anchor="middle">{b.text.clone()}</text>
                        <text class="axis" x=x + step / 2.0 y=H - BOTTOM + 16.0 text-anchor="middle">{b.label.clone()}</text>
                        <text class="axis sub" x=x + step / 2.0 y=H - BOTTOM + 30.0 text-anchor="middle">{b.sub.clone()}</text>
                    </g>
                }
            }).collect_view()}
            <line class="base" x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h />
        </svg>
    }
}

/// A point of a cumulative curve: x and y in percent, with its words.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// A rising curve of cumulative shares (0–100% on both axes) with the class boundaries drawn
/// across at `cuts` (percent of the value).
#[component]
pub fn CurveChart(
    points: Vec<Point>,
    cuts: Vec<(f64, String)>,
    title: String,
    x_label: String,
    testid: &'static str,
) -> impl IntoView {
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let px = move |x: f64| LEFT + x / 100.0 * plot_w;
    let py = move |y: f64| TOP + plot_h - y / 100.0 * plot_h;
    let path = std::iter::once(format!("M{} {}", px(0.0), py(0.0)))
        .chain(points.iter().map(|p| format!("L{:.1} {:.1}", px(p.x), py(p.y))))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="group" aria-label=title.clone() data-testid=testid>
            <title>{title.clone()}</title>
            {(0..=4).map(|i| {
                let v = f64::from(i) * 25.0;
                view! {
                    <line class="grid" x1=LEFT x2=W - RIGHT y1=py(v) y2=py(v) />
                    <text class="axis" x=LEFT - 6.0 y=py(v) + 4.0 text-anchor="end">{format!("{v}%")}</text>
                    <text class="axis" x=px(v) y=H - BOTTOM + 16.0 text-anchor="middle">{format!("{v}%")}</text>
                }
            }).collect_view()}
            <text class="axis sub" x=LEFT + plot_w / 2.0 y=H - 6.0 text-anchor="middle">{x_label}</text>
            {cuts.into_iter().map(|(c, name)| view! {
                <line class="cut" x1=LEFT x2=W - RIGHT y1=py(c) y2=py(c) />
                <text class="axis cut-label" x=W - RIGHT - 4.0 y=py(c) - 4.0 text-anchor="end">{name}</text>
            }).collect_view()}
            <path class="curve" d=path />
            {points.into_iter().map(|p| view! {
                <g class="pt" tabindex="0" role="img" aria-label=p.text.clone()>
                    <title>{p.text.clone()}</title>
                    <circle cx=px(p.x) cy=py(p.y) r="4" />
                    <text class="val" x=px(p.x) y=(py(p.y) - 8.0).max(10.0) text-anchor="middle">{format!("{:.0}%", p.y)}</text>
                </g>
            }).collect_view()}
            <line class="base" x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h />
        </svg>
    }
}
