//! The import screen (`#/import`): choose a CSV, XLSX or vCard file → correct the column
//! mapping → preview every row (errors, duplicates, what will happen) → import with a progress
//! bar and a cancel button → a report of what was imported and what was skipped and why.
//! Parsing runs in the worker (`ui/io.rs`); the plan is `domain::transfer::plan`.

use crate::app::archive::Imported;
use crate::app::archive::{store_error_text, Services};
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::Profile;
use crate::domain::transfer::columns::{export_sheet, guess_mapping, Column};
use crate::domain::transfer::plan::{
    mapping_problem, merged_update, summarize, Action, DupPolicy, Match, Planner, RowPlan, SkipReason,
};
use crate::domain::transfer::{csv, Table};
use crate::platform::clock::today;
use crate::platform::worker::{self, IoError};
use crate::ui::locale;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::t;
use crate::ui::widgets::{Icon, IconKind};
use crate::ui::UiState;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

/// Rows planned between two looks at the clock, and the milliseconds of planning between paints.
const PLAN_STEP: usize = 250;
const PLAN_SLICE_MS: f64 = 60.0;
/// Rows shown in the preview table.
const PREVIEW_ROWS: usize = 200;

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Pick,
    Reading,
    Failed(String),
    Preview,
    Importing,
    Done(Report),
}

/// One row the report names: its sheet row number, the customer's name as the file has it, and
/// what happened to it in words.
#[derive(Clone, Debug, Default, PartialEq)]
struct ReportRow {
    row: u32,
    name: String,
    why: String,
}

impl ReportRow {
    fn of(p: &RowPlan, why: String) -> ReportRow {
        ReportRow { row: p.row, name: p.profile.name.clone(), why }
    }
}

/// What an import did, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
struct Report {
    created: usize,
    updated: usize,
    cancelled: bool,
    /// Rows not imported, and why.
    skipped: Vec<ReportRow>,
    /// Rows imported with a value left out, and which.
    flagged: Vec<ReportRow>,
}

/// The issues of a row, in words.
fn issues_text(p: &RowPlan) -> String {
    let l = locale();
    p.issues.iter().map(|i| i.message(l)).collect::<Vec<_>>().join("；")
}

/// The phone the preview shows: the profile's own, else its first contact's.
fn shown_phone(p: &Profile) -> String {
    if !p.phones.is_empty() {
        return p.phones.join(", ");
    }
    p.org
        .contacts
        .iter()
        .chain(p.emergency_contact.as_ref())
        .map(|c| c.phone.clone())
        .find(|x| !x.is_empty())
        .unwrap_or_default()
}

/// Why a row is skipped, in words.
fn skip_reason(p: &RowPlan, why: SkipReason) -> String {
    let l = locale();
    match why {
        SkipReason::Invalid => {
            p.issues.iter().filter(|i| i.blocking).map(|i| i.message(l)).collect::<Vec<_>>().join("；")
        }
        SkipReason::Duplicate | SkipReason::DuplicateInFile => dup_text(p),
    }
}

fn dup_text(p: &RowPlan) -> String {
    match &p.dup {
        Some((r, Match::Archive { name, .. })) => fill(t(Msg::ImpDupArchive), &[name, &t(r.msg())]),
        Some((r, Match::Row(n))) => fill(t(Msg::ImpDupRow), &[n, &t(r.msg())]),
        None => String::new(),
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let stage = RwSignal::new(Stage::Pick);
    let file_name = RwSignal::new(String::new());
    let table: StoredValue<Rc<Table>, LocalStorage> = StoredValue::new_local(Rc::new(Table::default()));
    let mapping = RwSignal::new(Vec::<Option<Column>>::new());
    let plans: RwSignal<Rc<Vec<RowPlan>>, LocalStorage> = RwSignal::new_local(Rc::new(Vec::new()));
    let planning = RwSignal::new(None::<(usize, usize)>);
    let generation = StoredValue::new(0u64);
    let policy = RwSignal::new(DupPolicy::Skip);
    let progress = RwSignal::new((0usize, 0usize));
    // Rows of the preview turned into profiles to write, before the writing starts.
    let preparing = RwSignal::new(None::<(usize, usize)>);
    let cancel: StoredValue<Rc<Cell<bool>>, LocalStorage> = StoredValue::new_local(Rc::new(Cell::new(false)));
    let only_problems = RwSignal::new(false);
    // Bumped when the clerk picks another header row: the mapping screen is drawn anew.
    let table_rev = RwSignal::new(0u32);

    // Plans every row under the current mapping, a chunk per frame; a newer run stops older ones.
    let plan = move || {
        let g = generation.get_value() + 1;
        generation.set_value(g);
        let map = mapping.get_untracked();
        leptos::task::spawn_local(async move {
            let table = table.get_value();
            let total = table.rows.len();
            let mut planner = svc.with_index_untracked(|ix| Planner::new(map, ix, today()));
            let mut out = Vec::with_capacity(total);
            planning.set(Some((0, total)));
            while out.len() < total {
                let started = js_sys::Date::now();
                while out.len() < total && js_sys::Date::now() - started < PLAN_SLICE_MS {
                    out.extend(svc.with_index_untracked(|ix| planner.step(&table, ix, PLAN_STEP)));
                }
                if generation.get_value() != g {
                    return;
                }
                planning.set(Some((out.len(), total)));
                crate::platform::clock::yield_now().await;
                if generation.get_value() != g {
                    return;
                }
            }
            plans.set(Rc::new(out));
            planning.set(None);
        });
    };

    let open_file = move |file: web_sys::File| {
        file_name.set(file.name());
        stage.set(Stage::Reading);
        plans.set(Rc::new(Vec::new()));
        leptos::task::spawn_local(async move {
            let bytes = match crate::platform::files::file_bytes(&file).await {
                Ok(b) => b,
                Err(e) => return stage.set(Stage::Failed(e)),
            };
            match worker::read_table(bytes).await {
                Ok(t) => {
                    mapping.set(guess_mapping(&t.headers));
                    table.set_value(Rc::new(t));
                    stage.set(Stage::Preview);
                    plan();
                }
                Err(IoError::Import(e)) => stage.set(Stage::Failed(e.message(locale()))),
                Err(IoError::Failed(e)) => stage.set(Stage::Failed(format!("{}: {e}", t(Msg::ImpReadFailed)))),
            }
        });
    };

    let set_column = move |source: usize, col: Option<Column>| {
        mapping.update(|m| {
            if let Some(c) = col.filter(|c| !c.repeatable()) {
                for x in m.iter_mut().filter(|x| **x == Some(c)) {
                    *x = None;
                }
            }
            if let Some(slot) = m.get_mut(source) {
                *slot = col;
            }
        });
        plan();
    };

    let set_header_row = move |row: u32| match table.get_value().rehead(row) {
        Ok(t) => {
            mapping.set(guess_mapping(&t.headers));
            table.set_value(Rc::new(t));
            table_rev.update(|r| *r += 1);
            plan();
        }
        Err(e) => push_toast(ui, Toast::error(e.message(locale()))),
    };

    let run_import = move || {
        let all = plans.get_untracked();
        let pol = policy.get_untracked();
        let flag = Rc::new(Cell::new(false));
        cancel.set_value(flag.clone());
        stage.set(Stage::Importing);
        leptos::task::spawn_local(async move {
            let table = table.get_value();
            let map = mapping.get_untracked();
            let mut creates = Vec::new();
            let mut updates = Vec::new();
            let mut skipped = Vec::new();
            let mut flagged = Vec::new();
            let mut slice = js_sys::Date::now();
            preparing.set(Some((0, all.len())));
            for (i, p) in all.iter().enumerate() {
                if i % 256 == 0 && js_sys::Date::now() - slice > PLAN_SLICE_MS {
                    preparing.set(Some((i, all.len())));
                    crate::platform::clock::yield_now().await;
                    slice = js_sys::Date::now();
                }
                match p.action(pol) {
                    Action::Create => creates.push(p.profile.clone()),
                    Action::Update(id) => match svc.profile(&id).await {
                        Ok(Some(existing)) => updates.push(merged_update(&existing, &table, &map, i, today())),
                        _ => {
                            skipped.push(ReportRow::of(p, dup_text(p)));
                            continue;
                        }
                    },
                    Action::Skip(why) => {
                        skipped.push(ReportRow::of(p, skip_reason(p, why)));
                        continue;
                    }
                }
                if p.is_flagged() {
                    flagged.push(ReportRow::of(p, issues_text(p)));
                }
            }
            svc.stamp_new_all(&mut creates);
            preparing.set(None);
            progress.set((0, creates.len()));
            let result = svc.import(creates, updates, &|n| progress.update(|p| p.0 = n), &|| flag.get()).await;
            match result {
                Ok(Imported::Done { created, updated }) => {
                    stage.set(Stage::Done(Report { created, updated, cancelled: false, skipped, flagged }))
                }
                Ok(Imported::Cancelled) => stage.set(Stage::Done(Report { cancelled: true, ..Report::default() })),
                Err(e) => {
                    stage.set(Stage::Failed(format!("{} {}", t(Msg::ImpWriteFailed), store_error_text(&e, locale()))))
                }
            }
        });
    };

    let reset = move || {
        generation.update_value(|g| *g += 1);
        plans.set(Rc::new(Vec::new()));
        table.set_value(Rc::new(Table::default()));
        stage.set(Stage::Pick);
    };

    view! {
        <div class="import" data-testid="import-page">
            <h1 class="page-title">{t(Msg::ImpTitle)}</h1>
            {move || match stage.get() {
                Stage::Pick => view! { <PickFile on_file=open_file /> }.into_any(),
                Stage::Reading => view! {
                    <div class="state" role="status" data-testid="import-reading">
                        <div class="spinner" aria-hidden="true"></div>
                        <p>{fill(t(Msg::ImpReading), &[&file_name.get_untracked()])}</p>
                    </div>
                }.into_any(),
                Stage::Failed(msg) => view! {
                    <div class="card import-error" role="alert" data-testid="import-error">
                        <h2>{fill(t(Msg::ImpCannot), &[&file_name.get_untracked()])}</h2>
                        <p>{msg}</p>
                        <p class="muted">{t(Msg::ImpNothingImported)}</p>
                        <button class="btn primary" data-testid="import-again" on:click=move |_| reset()>{t(Msg::ImpChooseOther)}</button>
                    </div>
                }.into_any(),
                Stage::Preview => {
                    table_rev.track();
                    view! {
                        <Preview
                            file_name=file_name table=table mapping=mapping plans=plans planning=planning policy=policy
                            only_problems=only_problems set_column=set_column set_header_row=set_header_row
                            on_import=run_import on_reset=reset
                        />
                    }.into_any()
                }
                Stage::Importing => view! {
                    <div class="card import-progress" data-testid="import-progress" role="status" aria-live="polite">
                        <h2>{fill(t(Msg::ImpImporting), &[&file_name.get_untracked()])}</h2>
                        <progress max=move || progress.get().1.max(1).to_string() value=move || progress.get().0.to_string()></progress>
                        <p data-testid="import-count">{move || match preparing.get() {
                            Some((i, n)) => fill(t(Msg::ImpPreparing), &[&i, &n]),
                            None => { let (d, n) = progress.get(); fill(t(Msg::ImpProgress), &[&d, &n]) }
                        }}</p>
                        <button class="btn" data-testid="import-cancel" on:click=move |_| cancel.get_value().set(true)>{t(Msg::Cancel)}</button>
                    </div>
                }.into_any(),
                Stage::Done(r) => view! { <ReportView report=r file_name=file_name on_reset=reset /> }.into_any(),
            }}
        </div>
    }
}

/// The file chooser: a large drop zone with a button, the formats, and a template to download.
#[component]
fn PickFile(on_file: impl Fn(web_sys::File) + Copy + 'static) -> impl IntoView {
    let over = RwSignal::new(false);
    let template = move |_| {
        let (headers, _) = export_sheet(&[], locale());
        let text = csv::write(&headers, &[]);
        let _ = crate::platform::files::download(
            &format!("{}.csv", t(Msg::ImpTemplateName)),
            "text/csv;charset=utf-8",
            text.as_bytes(),
        );
    };
    view! {
        <section class="card">
            <label
                class="dropzone" class:over=move || over.get() data-testid="import-drop"
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    over.set(false);
                    if let Some(f) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                        on_file(f);
                    }
                }
            >
                <span class="drop-icon" aria-hidden="true"><Icon kind=IconKind::Upload /></span>
                <strong>{t(Msg::ImpDrop)}</strong>
                <span class="btn primary">{t(Msg::ImpChoose)}</span>
                <input type="file" class="visually-hidden" data-testid="import-file"
                    accept=".csv,.txt,.xlsx,.vcf,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/vcard"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        if let Some(f) = input.files().and_then(|f| f.get(0)) {
                            on_file(f);
                        }
                        input.set_value("");
                    } />
            </label>
            <ul class="hints muted">
                <li>{t(Msg::ImpHintFormats)}</li>
                <li>{t(Msg::ImpHintHeaders)}</li>
                <li>{t(Msg::ImpHintSafe)}</li>
            </ul>
            <button class="btn ghost" data-testid="import-template" on:click=template>{t(Msg::ImpTemplate)}</button>
        </section>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Preview(
    file_name: RwSignal<String>,
    table: StoredValue<Rc<Table>, LocalStorage>,
    mapping: RwSignal<Vec<Option<Column>>>,
    plans: RwSignal<Rc<Vec<RowPlan>>, LocalStorage>,
    planning: RwSignal<Option<(usize, usize)>>,
    policy: RwSignal<DupPolicy>,
    only_problems: RwSignal<bool>,
    set_column: impl Fn(usize, Option<Column>) + Copy + 'static,
    set_header_row: impl Fn(u32) + Copy + 'static,
    on_import: impl Fn() + Copy + 'static,
    on_reset: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let tb = table.get_value();
    let source = tb.source.clone();
    let rows = tb.rows.len();
    let summary = Memo::new(move |_| summarize(&plans.get(), policy.get()));
    let problem = move || mapping.with(|m| mapping_problem(m));
    let busy = move || planning.get().is_some();
    let can_import = move || !busy() && problem().is_none() && summary.with(|s| s.create + s.update > 0);
    let samples = move |c: usize| -> String {
        let tb = table.get_value();
        tb.rows
            .iter()
            .filter_map(|r| r.get(c))
            .filter(|v| !v.trim().is_empty())
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let headers = tb.headers.clone();
    let header_row = tb.header_row;
    let skipped_title = !tb.above.is_empty();
    // A vCard has no header row to choose (its columns are the card's fields).
    let choices = if header_row > 0 { tb.header_choices() } else { Vec::new() };
    let choosable = !choices.is_empty();
    view! {
        <section class="card" data-testid="import-mapping">
            <div class="card-head">
                <h2>{t(Msg::ImpMapping)}</h2>
                <span class="muted" data-testid="import-source">{format!("{} · {} · {}", file_name.get_untracked(), source, fill(t(Msg::ImpRows), &[&rows]))}</span>
            </div>
            <p class="muted hint">{t(Msg::ImpMappingHint)}</p>
            {choosable.then(|| view! {
            <label class="field header-row">
                <span class="label">{t(Msg::ImpHeaderRow)}</span>
                <select data-testid="import-header-row" on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                        set_header_row(n);
                    }
                }>
                    {choices.into_iter().map(|(n, cells)| {
                        let mut text = cells.join(" · ");
                        if text.chars().count() > 60 {
                            text = text.chars().take(60).collect::<String>() + "…";
                        }
                        view! { <option value=n.to_string() selected=n == header_row>{format!("{}{}{}", fill(t(Msg::ImpRowN), &[&n]), t(Msg::Colon), text)}</option> }
                    }).collect_view()}
                </select>
                {skipped_title.then(|| view! { <span class="hint muted" data-testid="import-title-skipped">{t(Msg::ImpHeaderRowHint)}</span> })}
            </label>
            })}
            {move || problem().map(|m| view! { <p class="error-text" role="alert" data-testid="import-mapping-problem">{t(m)}</p> })}
            <table class="mapping">
                <thead><tr><th>{t(Msg::ImpSourceColumn)}</th><th>{t(Msg::ImpSample)}</th><th>{t(Msg::ImpTarget)}</th></tr></thead>
                <tbody>
                    {headers.into_iter().enumerate().map(|(i, h)| {
                        let label = if h.trim().is_empty() { format!("({})", crate::domain::transfer::col_name(i as u32 + 1)) } else { h.clone() };
                        view! {
                            <tr class:unmapped=move || mapping.with(|m| m.get(i).copied().flatten().is_none())>
                                <th scope="row">{label}</th>
                                <td class="muted sample">{samples(i)}</td>
                                <td>
                                    <select data-testid=format!("map-{i}") aria-label=h.clone() on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        set_column(i, Column::from_key(&v));
                                    }>
                                        <option value="" selected=move || mapping.with(|m| m.get(i).copied().flatten().is_none())>{t(Msg::ImpIgnore)}</option>
                                        {Column::ALL.iter().map(|&c| view! {
                                            <option value=c.key() selected=move || mapping.with(|m| m.get(i).copied().flatten() == Some(c))>{t(c.msg())}</option>
                                        }).collect_view()}
                                    </select>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card" data-testid="import-preview" data-state=move || if busy() { "checking" } else { "ready" }>
            <div class="card-head">
                <h2>{t(Msg::ImpPreview)}</h2>
                {move || planning.get().map(|(d, n)| view! { <span class="muted" role="status">{fill(t(Msg::ImpChecking), &[&d, &n])}</span> })}
            </div>
            <div class="import-summary" data-testid="import-summary">
                {move || summary.with(|s| view! {
                    <span class="chip ok">{fill(t(Msg::ImpWillCreate), &[&s.create])}</span>
                    {(s.update > 0).then(|| view! { <span class="chip info">{fill(t(Msg::ImpWillUpdate), &[&s.update])}</span> })}
                    {(s.duplicate + s.duplicate_in_file > 0).then(|| view! { <span class="chip warn">{fill(t(Msg::ImpWillSkipDup), &[&(s.duplicate + s.duplicate_in_file)])}</span> })}
                    {(s.flagged > 0).then(|| view! { <span class="chip warn" data-testid="import-flagged-count">{fill(t(Msg::ImpWillFlag), &[&s.flagged])}</span> })}
                    {(s.invalid > 0).then(|| view! { <span class="chip bad">{fill(t(Msg::ImpWillSkipBad), &[&s.invalid])}</span> })}
                })}
            </div>
            <fieldset class="policy" data-testid="import-policy">
                <legend>{t(Msg::ImpDupPolicy)}</legend>
                {[(DupPolicy::Skip, Msg::ImpDupSkip, "skip"), (DupPolicy::Update, Msg::ImpDupUpdate, "update"), (DupPolicy::Create, Msg::ImpDupCreate, "create")]
                    .into_iter()
                    .map(|(p, m, key)| view! {
                        <label class="radio">
                            <input type="radio" name="dup-policy" data-testid=format!("policy-{key}") prop:checked=move || policy.get() == p on:change=move |_| policy.set(p) />
                            {t(m)}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <label class="toggle">
                <input type="checkbox" data-testid="only-problems" prop:checked=move || only_problems.get() on:change=move |ev| only_problems.set(event_target_checked(&ev)) />
                {t(Msg::ImpOnlyProblems)}
            </label>
            <div class="table-scroll">
                <table class="preview" data-testid="import-rows">
                    <thead><tr><th>{t(Msg::ImpRow)}</th><th>{t(Msg::ImpStatus)}</th><th>{t(Msg::XcName)}</th><th>{t(Msg::XcPhone)}</th><th>{t(Msg::ImpDetail)}</th></tr></thead>
                    <tbody>
                        {move || {
                            let pol = policy.get();
                            let only = only_problems.get();
                            plans.get().iter().filter(|p| !only || p.is_flagged() || !matches!(p.action(pol), Action::Create)).take(PREVIEW_ROWS).map(|p| {
                                let (class, status, detail) = match p.action(pol) {
                                    Action::Create if p.is_flagged() => ("warn", t(Msg::ImpStatusFlagged), issues_text(p)),
                                    Action::Create => ("ok", t(Msg::ImpStatusNew), dup_text(p)),
                                    Action::Update(_) => ("info", t(Msg::ImpStatusUpdate), dup_text(p)),
                                    Action::Skip(SkipReason::Invalid) => ("bad", t(Msg::ImpStatusError), skip_reason(p, SkipReason::Invalid)),
                                    Action::Skip(why) => ("warn", t(Msg::ImpStatusSkip), skip_reason(p, why)),
                                };
                                view! {
                                    <tr class=class>
                                        <td class="num">{p.row}</td>
                                        <td><span class=format!("chip {class}")>{status}</span></td>
                                        <td>{p.profile.name.clone()}</td>
                                        <td class="mono">{shown_phone(&p.profile)}</td>
                                        <td class="detail">{detail}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            {move || (plans.with(|p| p.len()) > PREVIEW_ROWS).then(|| view! { <p class="muted">{fill(t(Msg::ImpPreviewFirst), &[&PREVIEW_ROWS])}</p> })}
            <div class="actions">
                <button class="btn ghost" data-testid="import-back" on:click=move |_| on_reset()>{t(Msg::ImpChooseOther)}</button>
                <button class="btn primary" data-testid="import-start" disabled=move || !can_import() on:click=move |_| on_import()>
                    {move || summary.with(|s| fill(t(Msg::ImpStart), &[&(s.create + s.update)]))}
                </button>
            </div>
        </section>
    }
}

#[component]
fn ReportView(report: Report, file_name: RwSignal<String>, on_reset: impl Fn() + Copy + 'static) -> impl IntoView {
    let Report { created, updated, cancelled, skipped, flagged } = report;
    let download = {
        let (skipped, flagged) = (skipped.clone(), flagged.clone());
        move |_| {
            let headers =
                [Msg::ImpRow, Msg::ImpNameCol, Msg::ImpStatus, Msg::ImpDetail].map(|m| t(m).to_string()).to_vec();
            let rows: Vec<Vec<String>> = skipped
                .iter()
                .map(|r| (r, Msg::ImpStatusSkip))
                .chain(flagged.iter().map(|r| (r, Msg::ImpStatusFlagged)))
                .map(|(r, m)| vec![r.row.to_string(), r.name.clone(), t(m).to_string(), r.why.clone()])
                .collect();
            let _ = crate::platform::files::download(
                &crate::platform::files::dated_name(t(Msg::ImpReportName), "csv"),
                "text/csv;charset=utf-8",
                csv::write(&headers, &rows).as_bytes(),
            );
        }
    };
    let listed = !skipped.is_empty() || !flagged.is_empty();
    let rows_list = |title: Msg, rows: Vec<ReportRow>, testid: &'static str| {
        (!rows.is_empty()).then(|| view! {
            <h3>{t(title)}</h3>
            <ul class="skipped" data-testid=testid>
                {rows.into_iter().take(100).map(|r| view! {
                    <li>
                        <strong>{fill(t(Msg::ImpRowN), &[&r.row])}</strong>
                        {(!r.name.is_empty()).then(|| view! { " " <span class="report-name">{r.name.clone()}</span> })}
                        {t(Msg::Colon)} {r.why}
                    </li>
                }).collect_view()}
            </ul>
        })
    };
    view! {
        <section class="card import-report" data-testid="import-report" role="status">
            {if cancelled {
                view! {
                    <h2>{t(Msg::ImpCancelled)}</h2>
                    <p data-testid="import-result">{t(Msg::ImpNothingImported)}</p>
                }.into_any()
            } else {
                view! {
                    <h2>{fill(t(Msg::ImpDone), &[&file_name.get_untracked()])}</h2>
                    <p data-testid="import-result">{fill(t(Msg::ImpResult), &[&created, &updated, &skipped.len()])}</p>
                }.into_any()
            }}
            {rows_list(Msg::ImpSkippedRows, skipped, "import-skipped")}
            {rows_list(Msg::ImpFlaggedRows, flagged, "import-flagged")}
            {listed.then(|| view! {
                <button class="btn ghost" data-testid="import-report-download" on:click=download.clone()>{t(Msg::ImpDownloadReport)}</button>
            })}
            <div class="actions">
                <button class="btn" on:click=move |_| on_reset()>{t(Msg::ImpAnother)}</button>
                <a class="btn primary" href="#/" data-testid="import-to-list">{t(Msg::ImpToArchive)}</a>
            </div>
        </section>
    }
}
