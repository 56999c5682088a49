//! Backup and restore in Settings: download the whole archive (every record with its change
//! history and kept conflicts, plus settings without the sync token or passphrase) as one JSON
//! file; restore one by merging it into this archive, after a confirmation that shows what the
//! file holds.

use crate::app::archive::Services;
use crate::app::backup;
use crate::app::errors::Explain;
use crate::domain::documents::size_text;
use crate::domain::i18n::{fill, Msg};
use crate::domain::transfer::backup::Backup;
use crate::domain::transfer::bundle::{self, Bundle};
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
    /// A parsed backup (with its files, if it came as a ZIP) waiting for confirmation.
    Confirm(Rc<Parsed>),
    Done(String),
    Failed(String),
}

/// A backup file as read: its JSON alone, or a ZIP with the documents' files.
#[derive(PartialEq)]
enum Parsed {
    Json(Backup),
    Bundle(Bundle),
}

impl Parsed {
    fn read(bytes: &[u8]) -> Result<Parsed, crate::domain::transfer::backup::BackupError> {
        if bundle::is_bundle(bytes) {
            bundle::read(bytes).map(Parsed::Bundle)
        } else {
            Backup::parse(bytes).map(Parsed::Json)
        }
    }

    fn backup(&self) -> &Backup {
        match self {
            Parsed::Json(b) => b,
            Parsed::Bundle(b) => &b.backup,
        }
    }
}

#[component]
pub fn BackupCard() -> impl IntoView {
    let svc = expect_context::<Services>();
    let sync = expect_context::<crate::app::sync::Sync>();
    let ui = expect_context::<UiState>();
    let state = RwSignal::new_local(State::Idle);
    let with_files = RwSignal::new(false);

    let download = move |_| {
        state.set(State::Working(Msg::BackupMaking));
        leptos::task::spawn_local(async move {
            let made = if with_files.get_untracked() {
                backup::make_with_files(svc, sync, locale()).await.map(|(b, zip, files)| (b, zip, Some(files)))
            } else {
                backup::make(svc, locale()).await.map(|b| {
                    let json = b.to_json();
                    (b, json, None)
                })
            };
            match made {
                Ok((b, bytes, files)) => {
                    let (ext, mime) =
                        if files.is_some() { ("zip", "application/zip") } else { ("json", "application/json") };
                    let name = crate::platform::files::dated_name("dangan-backup", ext);
                    match crate::platform::files::download(&name, mime, &bytes) {
                        Ok(()) => {
                            let mut done = fill(t(Msg::BackupMade), &[&b.profiles, &b.history]);
                            if let Some(f) = files {
                                done += &fill(t(Msg::BackupFilesMade), &[&f.files, &size_text(f.bytes)]);
                                if f.missing > 0 {
                                    done += &fill(t(Msg::BackupFilesMissing), &[&f.missing]);
                                }
                            }
                            state.set(State::Done(done));
                        }
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
                Ok(bytes) => Parsed::read(&bytes).map_err(|e| e.explain(locale())),
                Err(e) => Err(e.explain(locale())),
            };
            match parsed {
                Ok(b) => state.set(State::Confirm(Rc::new(b))),
                Err(e) => state.set(State::Failed(e)),
            }
        });
    };

    let restore = move |b: Rc<Parsed>| {
        state.set(State::Working(Msg::BackupRestoring));
        leptos::task::spawn_local(async move {
            let restored = match &*b {
                Parsed::Json(b) => backup::restore(svc, b, locale()).await.map(|(r, l)| (r, l, None)),
                Parsed::Bundle(b) => backup::restore_bundle(svc, b, locale()).await.map(|(r, l, f)| (r, l, Some(f))),
            };
            match restored {
                Ok((r, language, files)) => {
                    let mut done = fill(t(Msg::BackupRestored), &[&r.records, &r.unchanged]);
                    if r.refused > 0 {
                        done.push_str(&fill(t(Msg::BackupRefusedDestroyed), &[&r.refused]));
                    }
                    if let Some(f) = files {
                        done.push_str(&fill(t(Msg::BackupFilesRestored), &[&f.added, &f.present]));
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
                    <input type="file" class="visually-hidden" data-testid="backup-file" accept=".json,.zip,application/json,application/zip" on:change=choose />
                </label>
            </div>
            <label class="toggle" hidden=!backup::may_back_up(svc)>
                <input type="checkbox" data-testid="backup-with-files" prop:checked=move || with_files.get()
                    on:change=move |ev| with_files.set(event_target_checked(&ev)) />
                {t(Msg::BackupWithFiles)}
            </label>
            {move || match state.get() {
                State::Idle => ().into_any(),
                State::Working(m) => view! { <p class="muted" role="status">{t(m)}</p> }.into_any(),
                State::Done(s) => view! { <p class="ok-text" role="status" data-testid="backup-status">{s}</p> }.into_any(),
                State::Failed(s) => view! { <p class="error-text" role="alert" data-testid="backup-status">{s}</p> }.into_any(),
                State::Confirm(parsed) => {
                    let b = parsed.backup();
                    let mut summary = fill(t(Msg::BackupHolds), &[&fmt_datetime(b.created_at), &b.device, &b.profiles, &b.history]);
                    if let Parsed::Bundle(z) = &*parsed {
                        summary += &fill(t(Msg::BackupFilesHeld), &[&z.files.len(), &size_text(z.bytes())]);
                        if !z.damaged.is_empty() {
                            summary += &fill(t(Msg::BackupFilesDamaged), &[&z.damaged.len()]);
                        }
                    }
                    let b2 = parsed.clone();
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
