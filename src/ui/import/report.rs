//! What an import did: counts, the rows left out and why, the rows imported without a value.

use crate::domain::i18n::{fill, Msg};
use crate::domain::transfer::csv;
use crate::domain::transfer::plan::RowPlan;
use crate::ui::t;
use leptos::prelude::*;

/// One row the report names: its sheet row number, the customer's name as the file has it, and
/// what happened to it in words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportRow {
    pub row: u32,
    pub name: String,
    pub why: String,
}

impl ReportRow {
    pub fn of(p: &RowPlan, why: String) -> ReportRow {
        ReportRow { row: p.row, name: p.profile.name.clone(), why }
    }
}

/// What an import did, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    /// A ledger sheet: `created` entries were recorded, this much in all (fen).
    pub entries_total: Option<i64>,
    pub cancelled: bool,
    /// Rows not imported, and why.
    pub skipped: Vec<ReportRow>,
    /// Rows imported with a value left out, and which.
    pub flagged: Vec<ReportRow>,
}

#[component]
pub fn ReportView(report: Report, file_name: RwSignal<String>, on_reset: impl Fn() + Copy + 'static) -> impl IntoView {
    let Report { created, updated, entries_total, cancelled, skipped, flagged } = report;
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
                    <p data-testid="import-result">{match entries_total {
                        Some(total) => fill(t(Msg::ImpLedResult), &[&created, &crate::domain::model::format_yuan(total), &skipped.len()]),
                        None => fill(t(Msg::ImpResult), &[&created, &updated, &skipped.len()]),
                    }}</p>
                }.into_any()
            }}
            {rows_list(Msg::ImpSkippedRows, skipped, "import-skipped")}
            {rows_list(Msg::ImpFlaggedRows, flagged, "import-flagged")}
            {listed.then(|| view! {
                <button class="btn ghost" data-testid="import-report-download" on:click=download.clone()>{t(Msg::ImpDownloadReport)}</button>
            })}
            <div class="actions">
                <button class="btn" on:click=move |_| on_reset()>{t(Msg::ImpAnother)}</button>
                {match entries_total {
                    Some(_) => view! { <a class="btn primary" href="#/receivables" data-testid="import-to-list">{t(Msg::RcvTitle)}</a> }.into_any(),
                    None => view! { <a class="btn primary" href="#/" data-testid="import-to-list">{t(Msg::ImpToArchive)}</a> }.into_any(),
                }}
            </div>
        </section>
    }
}
