//! The import screen for a sheet of opening balances and invoices (issue 17): its mapping, the
//! rows as they will be recorded (customer, kind, date, amount, due date, or what is wrong), and
//! the import. The plan is `domain::transfer::ledger`: rows read against the index in slices,
//! then settled with the named customers' terms and recorded entries.

use super::report::{Report, ReportRow};
use super::state::{in_slices, ImportState, Stage};
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::format_yuan;
use crate::domain::transfer::ledger::{self, LedgerColumn, LedgerPlanner, LedgerRow};
use crate::domain::transfer::{csv, Table};
use crate::platform::clock::today;
use crate::ui::{locale, t};
use leptos::prelude::*;
use std::rc::Rc;

/// Rows shown in the preview table.
const PREVIEW_ROWS: usize = 200;

/// The ledger sheet's part of the import screen's state. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct LedgerImport {
    pub mapping: RwSignal<Vec<Option<LedgerColumn>>>,
    pub rows: RwSignal<Rc<Vec<LedgerRow>>, LocalStorage>,
    /// While planning: what is being done, in words.
    pub busy: RwSignal<Option<String>>,
    /// The archive could not be read for the check.
    pub failed: RwSignal<Option<String>>,
    generation: StoredValue<u64>,
}

impl LedgerImport {
    pub fn new() -> LedgerImport {
        LedgerImport {
            mapping: RwSignal::new(Vec::new()),
            rows: RwSignal::new_local(Rc::new(Vec::new())),
            busy: RwSignal::new(None),
            failed: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// Stops a plan under way (the clerk chose another file or the other kind of sheet).
    pub fn stop(self) {
        self.generation.update_value(|g| *g += 1);
    }

    /// Reads every row under the current mapping a slice per frame, then checks them against
    /// the accounts of the customers they name; a newer run stops older ones.
    pub fn plan(self, table: Rc<Table>, svc: Services) {
        let LedgerImport { mapping, rows, busy, failed, generation } = self;
        let g = generation.get_value() + 1;
        generation.set_value(g);
        let map = mapping.get_untracked();
        let total = table.rows.len();
        failed.set(None);
        busy.set(Some(fill(t(Msg::ImpChecking), &[&0, &total])));
        leptos::task::spawn_local(async move {
            let stale = move || generation.get_value() != g;
            let mut planner = svc.with_index_untracked(|ix| LedgerPlanner::new(map, &table, ix, today()));
            let step = |n| svc.with_index_untracked(|ix| planner.step(&table, ix, n));
            let progress = |done| busy.set(Some(fill(t(Msg::ImpChecking), &[&done, &total])));
            let Some(mut out) = in_slices(total, step, progress, stale).await else { return };
            let ids = ledger::customers(&out);
            busy.set(Some(fill(t(Msg::ImpLedChecking), &[&ids.len()])));
            let report = |n: usize| busy.set(Some(fill(t(Msg::ImpLedChecking), &[&format!("{n}/{}", ids.len())])));
            match svc.known_accounts(&ids, &report).await {
                Ok(known) if !stale() => {
                    ledger::settle(&mut out, &known);
                    rows.set(Rc::new(out));
                    busy.set(None);
                }
                Ok(_) => {}
                Err(e) if !stale() => {
                    failed.set(Some(e.explain(locale())));
                    busy.set(None);
                }
                Err(_) => {}
            }
        });
    }

    /// Maps a source column (each ledger column comes from one source) and plans anew.
    pub fn set_column(self, source: usize, col: Option<LedgerColumn>) {
        self.mapping.update(|m| {
            for x in m.iter_mut().filter(|x| col.is_some() && **x == col) {
                *x = None;
            }
            if let Some(slot) = m.get_mut(source) {
                *slot = col;
            }
        });
    }
}

/// Records the rows to record and reports what happened to every other one.
pub fn run(st: ImportState, svc: Services) {
    let ImportState { stage, ledger, .. } = st;
    let rows = ledger.rows.get_untracked();
    stage.set(Stage::Importing);
    leptos::task::spawn_local(async move {
        let l = locale();
        let skipped: Vec<ReportRow> =
            rows.iter().filter(|r| !r.records()).map(|r| report_row(r, r.detail(l))).collect();
        let flagged: Vec<ReportRow> =
            rows.iter().filter(|r| r.records() && r.is_flagged()).map(|r| report_row(r, r.detail(l))).collect();
        match svc.import_entries(&rows).await {
            Ok((n, total)) => stage.set(Stage::Done(Report {
                created: n,
                entries_total: Some(total),
                skipped,
                flagged,
                ..Report::default()
            })),
            Err(e) => stage.set(Stage::Failed(format!("{} {}", t(Msg::ImpWriteFailed), e.explain(l)))),
        }
    });
}

fn report_row(r: &LedgerRow, why: String) -> ReportRow {
    let name = r.customer.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| r.named.clone());
    ReportRow { row: r.row, name, why }
}

/// Downloads an empty sheet with the columns a ledger import reads.
pub fn download_template() {
    let text = csv::write(&ledger::template_headers(locale()), &[]);
    let _ = crate::platform::files::download(
        &format!("{}.csv", t(Msg::ImpLedTemplateName)),
        "text/csv;charset=utf-8",
        text.as_bytes(),
    );
}

/// Which source column holds the customer, kind, document number, date, amount and due date.
#[component]
pub fn LedgerMappingCard(st: ImportState) -> impl IntoView {
    let ImportState { file_name, table, ledger, .. } = st;
    let mapping = ledger.mapping;
    let tb = table.get_value();
    let problem = move || mapping.with(|m| ledger::mapping_problem(m));
    let set = move |i: usize, c: Option<LedgerColumn>| {
        ledger.set_column(i, c);
        st.plan();
    };
    view! {
        <section class="card" data-testid="import-mapping">
            <div class="card-head">
                <h2>{t(Msg::ImpMapping)}</h2>
                <span class="muted" data-testid="import-source">{format!("{} · {} · {}", file_name.get_untracked(), tb.source, fill(t(Msg::ImpRows), &[&tb.rows.len()]))}</span>
            </div>
            {move || problem().map(|m| view! { <p class="error-text" role="alert" data-testid="import-mapping-problem">{t(m)}</p> })}
            <super::MappingTable
                table=tb.clone()
                options=LedgerColumn::ALL.iter().map(|c| (c.key(), t(c.msg()))).collect()
                now=Callback::new(move |i: usize| mapping.with(|m| m.get(i).copied().flatten().map(LedgerColumn::key)))
                set=Callback::new(move |(i, key): (usize, String)| set(i, LedgerColumn::from_key(&key)))
                prefix="lmap"
            />
        </section>
    }
}

/// Every row as it will be recorded, the counts, and the import button (administrators only).
#[component]
pub fn LedgerRowsCard(st: ImportState, admin: Signal<bool>) -> impl IntoView {
    let ImportState { ledger, only_problems, .. } = st;
    let LedgerImport { mapping, rows, busy, failed, .. } = ledger;
    let summary = Memo::new(move |_| ledger::summarize(&rows.get()));
    let problem = move || mapping.with(|m| ledger::mapping_problem(m));
    let can_import = move || {
        admin.get() && busy.get().is_none() && failed.get().is_none() && problem().is_none() && summary.get().record > 0
    };
    view! {
        <section class="card" data-testid="import-preview" data-state=move || if busy.get().is_some() { "checking" } else { "ready" }>
            <div class="card-head">
                <h2>{t(Msg::ImpPreview)}</h2>
                {move || busy.get().map(|s| view! { <span class="muted" role="status">{s}</span> })}
            </div>
            {move || failed.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
            {move || (!admin.get()).then(|| view! { <p class="error-text" role="alert" data-testid="import-admin-only">{t(Msg::ImpLedAdminOnly)}</p> })}
            <div class="import-summary" data-testid="import-summary">
                {move || summary.with(|s| view! {
                    <span class="chip ok">{fill(t(Msg::ImpLedWill), &[&s.record, &format_yuan(s.total_fen)])}</span>
                    {(s.repeated > 0).then(|| view! { <span class="chip warn">{fill(t(Msg::ImpLedWillRepeat), &[&s.repeated])}</span> })}
                    {(s.flagged > 0).then(|| view! { <span class="chip warn" data-testid="import-flagged-count">{fill(t(Msg::ImpWillFlag), &[&s.flagged])}</span> })}
                    {(s.invalid > 0).then(|| view! { <span class="chip bad" data-testid="import-invalid-count">{fill(t(Msg::ImpWillSkipBad), &[&s.invalid])}</span> })}
                })}
            </div>
            <label class="toggle">
                <input type="checkbox" data-testid="only-problems" prop:checked=move || only_problems.get() on:change=move |ev| only_problems.set(event_target_checked(&ev)) />
                {t(Msg::ImpOnlyProblems)}
            </label>
            <div class="table-scroll">
                <table class="preview" data-testid="import-rows">
                    <thead><tr>
                        <th>{t(Msg::ImpRow)}</th><th>{t(Msg::ImpStatus)}</th><th>{t(Msg::ImpLedCustomer)}</th>
                        <th>{t(Msg::XlKind)}</th><th>{t(Msg::XlDate)}</th><th class="num">{t(Msg::XlAmount)}</th>
                        <th>{t(Msg::XlDue)}</th><th>{t(Msg::ImpDetail)}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let only = only_problems.get();
                            let l = locale();
                            rows.get().iter().filter(|r| !only || !r.records() || r.is_flagged()).take(PREVIEW_ROWS).map(|r| {
                                let (class, status) = if !r.is_valid() {
                                    ("bad", t(Msg::ImpStatusError))
                                } else if r.repeat.is_some() {
                                    ("warn", t(Msg::ImpStatusSkip))
                                } else if r.is_flagged() {
                                    ("warn", t(Msg::ImpStatusRecordFlagged))
                                } else {
                                    ("ok", t(Msg::ImpStatusRecord))
                                };
                                let who = r.customer.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| r.named.clone());
                                let shown = |d: Option<crate::domain::Date>| d.map(|d| d.to_string()).unwrap_or_default();
                                view! {
                                    <tr class=class>
                                        <td class="num">{r.row}</td>
                                        <td><span class=format!("chip {class}")>{status}</span></td>
                                        <td class="who">{who}</td>
                                        <td>{t(r.kind.msg())}</td>
                                        <td class="mono">{shown(r.date)}</td>
                                        <td class="num mono">{r.is_valid().then(|| format_yuan(r.amount_fen))}</td>
                                        <td class="mono">{shown(r.due)}</td>
                                        <td class="detail">{r.detail(l)}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            {move || (rows.with(|r| r.len()) > PREVIEW_ROWS).then(|| view! { <p class="muted">{fill(t(Msg::ImpPreviewFirst), &[&PREVIEW_ROWS])}</p> })}
            <div class="actions">
                <button class="btn ghost" data-testid="import-back" on:click=move |_| st.reset()>{t(Msg::ImpChooseOther)}</button>
                <button class="btn primary" data-testid="import-start" disabled=move || !can_import() on:click=move |_| st.run_import()>
                    {move || fill(t(Msg::ImpLedStart), &[&summary.get().record])}
                </button>
            </div>
        </section>
    }
}
