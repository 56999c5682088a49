//! Backup and restore in Settings: download the whole archive (every record with its change
//! history and kept conflicts, plus settings without the sync token or passphrase) as one JSON
//! file; restore one by merging it into this archive, after a confirmation that shows what the
//! file holds.

use crate::app::archive::Services;
use crate::app::backup;
use crate::app::errors::Explain;
use crate::domain::i18n::{fill, Msg};
use crate::domain::transfer::backup::Backup;
use crate::ui::locale;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::t;
use crate::ui::widgets::fmt_datetime;
use crate::ui::UiState;
use leptos::prelude::*;
use std::rc::Rc;

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Working(Msg),
    /// A parsed backup waiting for confirmation.
    Confirm(Rc<Backup>),
    Done(String),
    Failed(String),
}

#[component]
pub fn BackupCard() -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let state = RwSignal::new_local(State::Idle);

    let download = move |_| {
        state.set(State::Working(Msg::BackupMaking));
        leptos::task::spawn_local(async move {
            match backup::make(svc, locale()).await {
                Ok(b) => {
                    let name = crate::platform::files::dated_name("dangan-backup", "json");
                    match crate::platform::files::download(&name, "application/json", &b.to_json()) {
                        Ok(()) => state.set(State::Done(fill(t(Msg::BackupMade), &[&b.profiles, &b.history]))),
                        Err(e) => state.set(State::Failed(e.explain(locale()))),
                    }
                }
                Err(e) => state.set(State::Failed(e.explain(locale()))),
            }
        });
    };

    let choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        state.set(State::Working(Msg::BackupReading));
        leptos::task::spawn_local(async move {
            let parsed = match crate::platform::files::file_bytes(&file).await {
                Ok(bytes) => Backup::parse(&bytes).map_err(|e| e.explain(locale())),
                Err(e) => Err(e.explain(locale())),
            };
            match parsed {
                Ok(b) => state.set(State::Confirm(Rc::new(b))),
                Err(e) => state.set(State::Failed(e)),
            }
        });
    };

    let restore = move |b: Rc<Backup>| {
        state.set(State::Working(Msg::BackupRestoring));
        leptos::task::spawn_local(async move {
            match backup::restore(svc, &b, locale()).await {
                Ok((r, language)) => {
                    let mut done = fill(t(Msg::BackupRestored), &[&r.records, &r.unchanged]);
                    if r.refused > 0 {
                        done.push_str(&fill(t(Msg::BackupRefusedDestroyed), &[&r.refused]));
                    }
                    state.set(State::Done(done.clone()));
                    if let Some(lang) = language {
                        ui.locale.set(lang);
                    }
                    // The screen may not stay: it is rebuilt in the backup's language, or on a
                    // new device the staff the backup brought now ask to sign in. The result
                    // goes to a toast too.
                    push_toast(ui, Toast::info(done));
                }
                Err(e) => state.set(State::Failed(format!("{} {}", t(Msg::BackupRestoreFailed), e.explain(locale())))),
            }
        });
    };

    view! {
        <section class="card" data-testid="backup">
            <h2>{t(Msg::BackupTitle)}</h2>
            <p class="muted hint">{t(Msg::BackupHint)}</p>
            {(!backup::may_back_up(svc)).then(|| view! { <p class="muted" data-testid="backup-admins-only">{t(Msg::BackupAdminsOnly)}</p> })}
            <div class="settings-row" hidden=!backup::may_back_up(svc)>
                <button class="btn" data-testid="backup-download" on:click=download
                    disabled=move || matches!(state.get(), State::Working(_))>{t(Msg::BackupDownload)}</button>
                <label class="btn ghost">
                    {t(Msg::BackupRestore)}
                    <input type="file" class="visually-hidden" data-testid="backup-file" accept=".json,application/json" on:change=choose />
                </label>
            </div>
            {move || match state.get() {
                State::Idle => ().into_any(),
                State::Working(m) => view! { <p class="muted" role="status">{t(m)}</p> }.into_any(),
                State::Done(s) => view! { <p class="ok-text" role="status" data-testid="backup-status">{s}</p> }.into_any(),
                State::Failed(s) => view! { <p class="error-text" role="alert" data-testid="backup-status">{s}</p> }.into_any(),
                State::Confirm(b) => {
                    let summary = fill(t(Msg::BackupHolds), &[&fmt_datetime(b.created_at), &b.device, &b.profiles, &b.history]);
                    let b2 = b.clone();
                    view! {
                        <div class="confirm-box" role="alertdialog" data-testid="backup-confirm">
                            <p>{summary}</p>
                            <p class="muted">{t(Msg::BackupMergeHint)}</p>
                            <div class="actions">
                                <button class="btn" on:click=move |_| state.set(State::Idle)>{t(Msg::Cancel)}</button>
                                <button class="btn primary" data-testid="backup-restore" on:click=move |_| restore(b2.clone())>{t(Msg::BackupMerge)}</button>
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
