//! The import screen's state: the file, its table, the mapping, the plans and where the import
//! stands, with the operations the screen's parts call.

use super::ledger::LedgerImport;
use super::report::{Report, ReportRow};
use crate::app::archive::{Imported, Services};
use crate::app::errors::Explain;
use crate::domain::i18n::Msg;
use crate::domain::transfer::columns::{guess_mapping, Column};
use crate::domain::transfer::plan::{merged_update, Action, DupPolicy, Planner, RowPlan};
use crate::domain::transfer::{ledger, Table};
use crate::platform::clock::today;
use crate::platform::worker;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;

/// Rows planned between two looks at the clock, and the milliseconds of planning between paints.
const PLAN_STEP: usize = 250;
const PLAN_SLICE_MS: f64 = 60.0;

/// What a sheet holds: customers to create or update, or amounts they owe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sheet {
    #[default]
    Profiles,
    /// Opening balances and invoices ([`ledger`]).
    Ledger,
}

/// Plans `total` rows by `step` (asked for up to `n` more rows at a time), about
/// [`PLAN_SLICE_MS`] of work between two paints; `progress` hears the rows planned so far.
/// `None` once `stale` (a newer plan started).
pub(super) async fn in_slices<T>(
    total: usize,
    mut step: impl FnMut(usize) -> Vec<T>,
    progress: impl Fn(usize),
    stale: impl Fn() -> bool,
) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(total);
    while out.len() < total {
        let started = js_sys::Date::now();
        while out.len() < total && js_sys::Date::now() - started < PLAN_SLICE_MS {
            out.extend(step(PLAN_STEP));
        }
        if stale() {
            return None;
        }
        progress(out.len());
        crate::platform::clock::yield_now().await;
        if stale() {
            return None;
        }
    }
    Some(out)
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Pick,
    Reading,
    Failed(String),
    Preview,
    Importing,
    Done(Report),
}

/// Everything the import screen holds. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct ImportState {
    pub stage: RwSignal<Stage>,
    pub file_name: RwSignal<String>,
    pub table: StoredValue<Rc<Table>, LocalStorage>,
    pub mapping: RwSignal<Vec<Option<Column>>>,
    pub plans: RwSignal<Rc<Vec<RowPlan>>, LocalStorage>,
    /// Rows planned so far and in all, while planning.
    pub planning: RwSignal<Option<(usize, usize)>>,
    generation: StoredValue<u64>,
    pub policy: RwSignal<DupPolicy>,
    /// Profiles written and to write.
    pub progress: RwSignal<(usize, usize)>,
    /// Rows of the preview turned into profiles to write, before the writing starts.
    pub preparing: RwSignal<Option<(usize, usize)>>,
    pub cancel: StoredValue<Rc<Cell<bool>>, LocalStorage>,
    pub only_problems: RwSignal<bool>,
    /// Bumped when the clerk picks another header row: the mapping screen is drawn anew.
    pub table_rev: RwSignal<u32>,
    /// What the sheet holds: guessed from its headers, chosen by the clerk.
    pub sheet: RwSignal<Sheet>,
    pub ledger: LedgerImport,
    svc: Services,
}

impl ImportState {
    pub fn new(svc: Services) -> ImportState {
        ImportState {
            stage: RwSignal::new(Stage::Pick),
            file_name: RwSignal::new(String::new()),
            table: StoredValue::new_local(Rc::new(Table::default())),
            mapping: RwSignal::new(Vec::new()),
            plans: RwSignal::new_local(Rc::new(Vec::new())),
            planning: RwSignal::new(None),
            generation: StoredValue::new(0),
            policy: RwSignal::new(DupPolicy::Skip),
            progress: RwSignal::new((0, 0)),
            preparing: RwSignal::new(None),
            cancel: StoredValue::new_local(Rc::new(Cell::new(false))),
            only_problems: RwSignal::new(false),
            table_rev: RwSignal::new(0),
            sheet: RwSignal::new(Sheet::Profiles),
            ledger: LedgerImport::new(),
            svc,
        }
    }

    /// Plans every row under the current mapping, a chunk per frame; a newer run stops older ones.
    pub fn plan(self) {
        let ImportState { table, mapping, plans, planning, generation, svc, sheet, ledger, .. } = self;
        if sheet.get_untracked() == Sheet::Ledger {
            generation.update_value(|g| *g += 1);
            planning.set(None);
            return ledger.plan(table.get_value(), svc);
        }
        ledger.stop();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        let map = mapping.get_untracked();
        // Busy from now: the preview never shows an empty plan as checked.
        let table = table.get_value();
        let total = table.rows.len();
        planning.set(Some((0, total)));
        leptos::task::spawn_local(async move {
            let mut planner = svc.with_index_untracked(|ix| Planner::new(map, ix, today()).with_tags(svc.tags()));
            let step = |n| svc.with_index_untracked(|ix| planner.step(&table, ix, n));
            let progress = |done| planning.set(Some((done, total)));
            let Some(out) = in_slices(total, step, progress, || generation.get_value() != g).await else { return };
            plans.set(Rc::new(out));
            planning.set(None);
        });
    }
    /// Reads a chosen file (in the worker) and plans its rows.
    pub fn open_file(self, file: web_sys::File) {
        let ImportState { stage, file_name, table, mapping, plans, sheet, ledger, .. } = self;
        file_name.set(file.name());
        stage.set(Stage::Reading);
        plans.set(Rc::new(Vec::new()));
        leptos::task::spawn_local(async move {
            let bytes = match crate::platform::files::file_bytes(&file).await {
                Ok(b) => b,
                Err(e) => return stage.set(Stage::Failed(e.explain(locale()))),
            };
            match worker::read_table(bytes).await {
                Ok(t) => {
                    mapping.set(guess_mapping(&t.headers));
                    ledger.mapping.set(ledger::guess_mapping(&t.headers));
                    sheet.set(if ledger::looks_like_ledger(&t.headers) { Sheet::Ledger } else { Sheet::Profiles });
                    table.set_value(Rc::new(t));
                    stage.set(Stage::Preview);
                    self.plan();
                }
                Err(e) => stage.set(Stage::Failed(e.explain(locale()))),
            }
        });
    }
    /// Maps a source column (a non-repeatable target is taken from any other source) and plans anew.
    pub fn set_column(self, source: usize, col: Option<Column>) {
        let ImportState { mapping, .. } = self;
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
        self.plan();
    }
    /// Takes another row as the header row (titles above it are skipped).
    pub fn set_header_row(self, ui: UiState, row: u32) {
        let ImportState { table, mapping, table_rev, ledger, .. } = self;
        match table.get_value().rehead(row) {
            Ok(t) => {
                mapping.set(guess_mapping(&t.headers));
                ledger.mapping.set(ledger::guess_mapping(&t.headers));
                table.set_value(Rc::new(t));
                table_rev.update(|r| *r += 1);
                self.plan();
            }
            Err(e) => push_toast(ui, Toast::error(e.message(locale()))),
        }
    }
    /// Takes the sheet as the other kind (customers or amounts owed) and plans it anew.
    pub fn set_sheet(self, s: Sheet) {
        self.sheet.set(s);
        self.plan();
    }
    /// Turns the planned rows into writes under the duplicate policy, then imports them (a
    /// ledger sheet: records its entries).
    pub fn run_import(self) {
        if self.sheet.get_untracked() == Sheet::Ledger {
            return super::ledger::run(self, self.svc);
        }
        let ImportState { stage, table, mapping, plans, policy, progress, preparing, cancel, svc, .. } = self;
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
                            skipped.push(ReportRow::of(p, p.dup_text(locale())));
                            continue;
                        }
                    },
                    Action::Skip(why) => {
                        skipped.push(ReportRow::of(p, p.skip_text(why, locale())));
                        continue;
                    }
                }
                if p.is_flagged() {
                    flagged.push(ReportRow::of(p, p.issues_text(locale())));
                }
            }
            svc.stamp_new_all(&mut creates);
            preparing.set(None);
            progress.set((0, creates.len()));
            let result = svc.import(creates, updates, &|n| progress.update(|p| p.0 = n), &|| flag.get()).await;
            match result {
                Ok(Imported::Done { created, updated }) => stage.set(Stage::Done(Report {
                    created,
                    updated,
                    entries_total: None,
                    cancelled: false,
                    skipped,
                    flagged,
                })),
                Ok(Imported::Cancelled) => stage.set(Stage::Done(Report { cancelled: true, ..Report::default() })),
                Err(e) => stage.set(Stage::Failed(format!("{} {}", t(Msg::ImpWriteFailed), e.explain(locale())))),
            }
        });
    }
    /// Back to choosing a file.
    pub fn reset(self) {
        let ImportState { stage, table, plans, generation, ledger, .. } = self;
        generation.update_value(|g| *g += 1);
        ledger.stop();
        ledger.rows.set(Rc::new(Vec::new()));
        plans.set(Rc::new(Vec::new()));
        table.set_value(Rc::new(Table::default()));
        stage.set(Stage::Pick);
    }
}
