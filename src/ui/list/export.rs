//! Export of the ticked profiles, or else the current list (its filters and search, as shown):
//! CSV for Excel (UTF-8 with BOM),
//! an XLSX workbook (written in the worker) and vCard 4.0 contacts; and the way to print it.

use crate::app::archive::{Services, StoreError};
use crate::app::errors::{Explain, ExportError};
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::grant::Decision;
use crate::domain::governance::Action;
use crate::domain::governance::Role;
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::Profile;
use crate::domain::transfer::columns::{cell_text, export_sheet};
use crate::domain::transfer::{csv, vcard};
use crate::platform::worker;
use crate::ui::list::state::ListState;
use crate::ui::locale;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::t;
use crate::ui::UiState;
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Xlsx,
    Vcard,
}

/// The ticked profiles (read one by one, in id order, which is creation order), or else the
/// profiles of the current list (read all at once) in the list's order.
async fn current_profiles(svc: Services, list: ListState) -> Result<Vec<Profile>, StoreError> {
    let picked = list.picked.get_untracked();
    if !picked.is_empty() {
        let mut out = Vec::with_capacity(picked.len());
        for id in picked {
            out.extend(svc.profile(&id).await?);
        }
        return Ok(out);
    }
    let ids = list.shown_ids();
    let mut all: std::collections::HashMap<String, Profile> =
        svc.all_profiles().await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    Ok(ids.into_iter().filter_map(|id| all.remove(&id)).collect())
}

/// Exports the current profiles as the signed-in person may have them (masked by the access
/// table); logs the export. How many, and whether values were masked.
async fn export(svc: Services, list: ListState, f: Format, granted: bool) -> Result<(usize, bool), ExportError> {
    let (profiles, masked) = svc.for_viewer_granted(current_profiles(svc, list).await?, Action::Export, granted);
    let stem = t(Msg::ExportFileStem);
    let l = locale();
    match f {
        Format::Csv => {
            let (headers, rows) = export_sheet(&profiles, l);
            let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell_text).collect()).collect();
            crate::platform::files::download(
                &crate::platform::files::dated_name(stem, "csv"),
                "text/csv;charset=utf-8",
                csv::write(&headers, &text).as_bytes(),
            )?;
        }
        Format::Xlsx => {
            let (headers, rows) = export_sheet(&profiles, l);
            let bytes = worker::write_xlsx(stem, &headers, &rows).await?;
            crate::platform::files::download(
                &crate::platform::files::dated_name(stem, "xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &bytes,
            )?;
        }
        Format::Vcard => {
            crate::platform::files::download(
                &crate::platform::files::dated_name(stem, "vcf"),
                "text/vcard;charset=utf-8",
                vcard::write(&profiles).as_bytes(),
            )?;
        }
    }
    let format = match f {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
        Format::Vcard => "vcard",
    };
    svc.record_access(Entry {
        kind: Some(EventKind::Export),
        detail: format!(
            "{format} {}{}{}",
            profiles.len(),
            if masked { " masked" } else { "" },
            if granted { ", in full by approval" } else { "" }
        ),
        ..Entry::default()
    });
    Ok((profiles.len(), masked))
}

crate::lazy::lazy_fn! { export;
    /// `export`, its code (the CSV, workbook and vCard writers) fetched on the first export.
    async fn export_in_chunk(svc: Services, list: ListState, f: Format, granted: bool) -> Result<(usize, bool), ExportError> {
        export(svc, list, f, granted).await
    }
}

/// Export and print buttons above the list.
#[component]
pub fn ExportBar() -> impl IntoView {
    let svc = expect_context::<Services>();
    let list = expect_context::<ListState>();
    let ui = expect_context::<UiState>();
    let busy = RwSignal::new(None::<Format>);
    // An ordinary user's exports mask personal values; a full export needs an administrator's
    // approval (the request flow of the profile page), while it holds.
    let clerk = svc.session.role() == Some(Role::User);
    let granted: RwSignal<Option<Decision>> = RwSignal::new(None);
    let empty = move || list.rows.with(|r| r.ids.is_empty()) && list.picked.with(|p| p.is_empty());
    let picked = move || list.picked.with(|p| p.len());
    let run = move |f: Format| {
        busy.set(Some(f));
        leptos::task::spawn_local(async move {
            match export_in_chunk(svc, list, f, granted.get_untracked().is_some())
                .await
                .unwrap_or_else(|u| Err(u.into()))
            {
                Ok((n, masked)) => {
                    let note = if masked { t(Msg::ExportMasked) } else { "" };
                    push_toast(ui, Toast::info(format!("{}{note}", fill(t(Msg::ExportDone), &[&n]))))
                }
                Err(e) => push_toast(ui, Toast::error(format!("{}{}", t(Msg::ExportFailed), e.explain(locale())))),
            }
            busy.set(None);
        });
    };
    let button = move |f: Format, label: Msg, testid: &'static str| {
        view! {
            <button class="btn small ghost" data-testid=testid title=t(Msg::ExportHint)
                disabled=move || empty() || busy.get().is_some() on:click=move |_| run(f)>
                {move || if busy.get() == Some(f) { t(Msg::Exporting) } else { t(label) }}
            </button>
        }
    };
    view! {
        <div class="export-bar" role="toolbar" aria-label=t(Msg::ExportHint)>
            {move || (picked() > 0).then(|| view! {
                <span class="picked" data-testid="picked">{fill(t(Msg::Picked), &[&picked()])}</span>
                <button class="btn small ghost" data-testid="unpick" on:click=move |_| list.picked.set(Default::default())>{t(Msg::Unpick)}</button>
            })}
            {button(Format::Csv, Msg::ExportCsv, "export-csv")}
            {button(Format::Xlsx, Msg::ExportXlsx, "export-xlsx")}
            {button(Format::Vcard, Msg::ExportVcard, "export-vcard")}
            <a class="btn small ghost" href="#/print" data-testid="print-list-link">{t(Msg::PrintList)}</a>
            {clerk.then(|| view! {
                <div class="export-full" data-testid="export-full">
                    {move || granted.get().is_some().then(|| view! { <span class="chip ok">{t(Msg::ExportFullGranted)}</span> })}
                    {crate::lazy::lazy_view(move || crate::ui::profile::request::ask_full_export(granted))}
                </div>
            })}
        </div>
    }
}
