//! The import screen (`#/import`): choose a CSV, XLSX or vCard file → correct the column
//! mapping → preview every row (errors, duplicates, what will happen) → import with a progress
//! bar and a cancel button → a report of what was imported and what was skipped and why.
//! Parsing runs in the worker (`ui/io.rs`); the plan is `domain::transfer::plan`.

mod ledger;
mod report;
mod state;

use crate::app::archive::Services;
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::Profile;
use crate::domain::transfer::columns::{export_sheet, Column};
use crate::domain::transfer::csv;
use crate::domain::transfer::plan::{mapping_problem, summarize, Action, DupPolicy, SkipReason};
use crate::ui::locale;
use crate::ui::t;
use crate::ui::widgets::{Icon, IconKind};
use crate::ui::UiState;
use leptos::prelude::*;
use report::ReportView;
use state::{ImportState, Sheet, Stage};

/// Rows shown in the preview table.
const PREVIEW_ROWS: usize = 200;

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

#[component]
pub fn ImportPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let st = ImportState::new(svc);
    let ImportState { stage, file_name, progress, preparing, cancel, table_rev, .. } = st;
    let open_file = move |f: web_sys::File| st.open_file(f);
    let reset = move || st.reset();
    view! {
        <div class="import" data-testid="import-page">
            <h1 class="page-title">{move || match st.sheet.get() {
                Sheet::Ledger if !stage.with(|s| matches!(s, Stage::Pick)) => t(Msg::ImpTitleLedger),
                _ => t(Msg::ImpTitle),
            }}</h1>
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
                        <Preview st=st />
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
            <div class="actions start">
                <button class="btn ghost" data-testid="import-template" on:click=template>{t(Msg::ImpTemplate)}</button>
                <button class="btn ghost" data-testid="import-ledger-template" on:click=move |_| ledger::download_template()>{t(Msg::ImpLedTemplate)}</button>
            </div>
        </section>
    }
}

/// The mapping of columns and the preview of every row, with the duplicate policy.
#[component]
fn Preview(st: ImportState) -> impl IntoView {
    let session = expect_context::<crate::app::session::Session>();
    let admin = Signal::derive(move || session.is_admin());
    view! {
        <SheetChoice st=st />
        {move || match st.sheet.get() {
            Sheet::Profiles => view! {
                <MappingCard st=st />
                <RowsCard st=st />
            }.into_any(),
            Sheet::Ledger => view! {
                <ledger::LedgerMappingCard st=st />
                <ledger::LedgerRowsCard st=st admin=admin />
            }.into_any(),
        }}
    }
}

/// What the sheet holds: customers, or the amounts they owe (guessed from its headers).
#[component]
fn SheetChoice(st: ImportState) -> impl IntoView {
    let sheet = st.sheet;
    view! {
        <fieldset class="card policy sheet-kind" data-testid="import-sheet-kind">
            <legend>{t(Msg::ImpSheetKind)}</legend>
            {[(Sheet::Profiles, Msg::ImpSheetProfiles, "profiles"), (Sheet::Ledger, Msg::ImpSheetLedger, "ledger")]
                .into_iter()
                .map(|(s, m, key)| view! {
                    <label class="radio">
                        <input type="radio" name="sheet-kind" data-testid=format!("sheet-{key}")
                            prop:checked=move || sheet.get() == s on:change=move |_| st.set_sheet(s) />
                        {t(m)}
                    </label>
                })
                .collect_view()}
        </fieldset>
    }
}

/// Which source column fills which field, and which row holds the headers.
#[component]
fn MappingCard(st: ImportState) -> impl IntoView {
    let ui = expect_context::<UiState>();
    let ImportState { file_name, table, mapping, .. } = st;
    let set_column = move |i: usize, c: Option<Column>| st.set_column(i, c);
    let set_header_row = move |n: u32| st.set_header_row(ui, n);
    let tb = table.get_value();
    let source = tb.source.clone();
    let rows = tb.rows.len();
    let problem = move || mapping.with(|m| mapping_problem(m));
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
            <MappingTable
                table=tb.clone()
                options=Column::ALL.iter().map(|c| (c.key(), t(c.msg()))).collect()
                now=Callback::new(move |i: usize| mapping.with(|m| m.get(i).copied().flatten().map(Column::key)))
                set=Callback::new(move |(i, key): (usize, String)| set_column(i, Column::from_key(&key)))
                prefix="map"
            />
        </section>
    }
}

/// The table both kinds of sheet map with: each source column, two of its values, and the field
/// it fills (`options`: key and label; `now(i)`: the key column `i` is mapped to; `set`: a new
/// choice, "" to ignore the column).
#[component]
pub(super) fn MappingTable(
    table: std::rc::Rc<crate::domain::transfer::Table>,
    options: Vec<(&'static str, &'static str)>,
    now: Callback<usize, Option<&'static str>>,
    set: Callback<(usize, String)>,
    prefix: &'static str,
) -> impl IntoView {
    let samples = |c: usize| -> String {
        let vals: Vec<&str> =
            table.rows.iter().filter_map(|r| r.get(c)).map(|v| v.trim()).filter(|v| !v.is_empty()).take(2).collect();
        vals.join(" · ")
    };
    view! {
        <table class="mapping">
            <thead><tr><th>{t(Msg::ImpSourceColumn)}</th><th>{t(Msg::ImpSample)}</th><th>{t(Msg::ImpTarget)}</th></tr></thead>
            <tbody>
                {table.headers.iter().enumerate().map(|(i, h)| {
                    let label = if h.trim().is_empty() { format!("({})", crate::domain::transfer::col_name(i as u32 + 1)) } else { h.clone() };
                    let options = options.clone();
                    view! {
                        <tr class:unmapped=move || now.run(i).is_none()>
                            <th scope="row">{label}</th>
                            <td class="muted sample">{samples(i)}</td>
                            <td>
                                <select data-testid=format!("{prefix}-{i}") aria-label=h.clone() on:change=move |ev| set.run((i, event_target_value(&ev)))>
                                    <option value="" selected=move || now.run(i).is_none()>{t(Msg::ImpIgnore)}</option>
                                    {options.into_iter().map(|(key, text)| view! {
                                        <option value=key selected=move || now.run(i) == Some(key)>{text}</option>
                                    }).collect_view()}
                                </select>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What will happen to each row, the duplicate policy, and the import button.
#[component]
fn RowsCard(st: ImportState) -> impl IntoView {
    let ImportState { mapping, plans, planning, policy, only_problems, .. } = st;
    let on_import = move || st.run_import();
    let on_reset = move || st.reset();
    let summary = Memo::new(move |_| summarize(&plans.get(), policy.get()));
    let problem = move || mapping.with(|m| mapping_problem(m));
    let busy = move || planning.get().is_some();
    let can_import = move || !busy() && problem().is_none() && summary.with(|s| s.create + s.update > 0);
    view! {
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
                                    Action::Create if p.is_flagged() => ("warn", t(Msg::ImpStatusFlagged), p.issues_text(locale())),
                                    Action::Create => ("ok", t(Msg::ImpStatusNew), p.dup_text(locale())),
                                    Action::Update(_) => ("info", t(Msg::ImpStatusUpdate), p.dup_text(locale())),
                                    Action::Skip(SkipReason::Invalid) => ("bad", t(Msg::ImpStatusError), p.skip_text(SkipReason::Invalid, locale())),
                                    Action::Skip(why) => ("warn", t(Msg::ImpStatusSkip), p.skip_text(why, locale())),
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
