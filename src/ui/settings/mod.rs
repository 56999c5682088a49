//! The settings screen (`#/settings`): who is at the desk, the language, and this device's
//! storage (usage, quota, persistence).

pub mod backup;
mod documents;
pub mod policy;
pub mod staff;

use crate::app::archive::Services;
use crate::app::device::{self, StorageState};
use crate::domain::i18n::{bytes, Locale, Msg};
use crate::platform::storage::{Estimate, StorageApiError};
use crate::ui::t;
use crate::ui::UiState;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let ui = expect_context::<UiState>();
    let session = expect_context::<crate::app::session::Session>();
    let lang = move |l: Locale, label: &'static str| {
        view! {
            <button
                class:on=move || ui.locale.get() == l
                aria-pressed=move || (ui.locale.get() == l).to_string()
                data-testid=format!("set-lang-{}", l.tag())
                on:click=move |_| ui.locale.set(l)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="settings" data-testid="settings-page">
            <h1 class="page-title">{t(Msg::NavSettings)}</h1>
            <section class="card">
                <h2>{t(Msg::SettingsDesk)}</h2>
                <div class="settings-row">
                    <crate::ui::governance::StaffChip />
                    <div class="field-inline">
                        <span>{t(Msg::Language)}</span>
                        <div class="seg">{lang(Locale::Zh, "中文")} {lang(Locale::En, "English")}</div>
                    </div>
                </div>
                <p class="muted hint">{t(Msg::SettingsDeskHint)}</p>
            </section>
            {move || session.who().is_some().then(|| view! { <crate::ui::log::requests::MyRequestsCard /> })}
            <staff::StaffCard />
            <policy::PolicyCard />
            <crate::ui::sync::SyncCard />
            <crate::ui::settings::backup::BackupCard />
            <StorageCard />
            <documents::DocumentsCard />
        </div>
    }
}

#[component]
fn StorageCard() -> impl IntoView {
    let svc = expect_context::<Services>();
    let state = RwSignal::new(None::<Result<StorageState, StorageApiError>>);
    let denied = RwSignal::new(false);
    let load = move || leptos::task::spawn_local(async move { state.set(Some(device::storage_state().await)) });
    load();
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let granted = device::request_persistence().await;
            denied.set(!granted);
            state.set(Some(device::storage_state().await));
        })
    };
    let profiles = move || svc.with_index(|ix| ix.len());

    view! {
        <section class="card" data-testid="storage">
            <div class="card-head">
                <h2>{t(Msg::StorageTitle)}</h2>
                <button class="btn small ghost" data-testid="storage-refresh" on:click=move |_| load()>{t(Msg::Refresh)}</button>
            </div>
            <p data-testid="storage-profiles">{t(Msg::StorageHolds)} " " <strong>{profiles}</strong> " " {t(Msg::StorageProfiles)}</p>
            {move || match state.get() {
                None => view! { <p class="muted" role="status">{t(Msg::Loading)}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="muted" data-testid="storage-unavailable">{t(Msg::StorageUnavailable)}</p> }.into_any(),
                Some(Ok(s)) => {
                    let Estimate { usage, quota } = s.estimate;
                    let share = if quota > 0.0 { usage / quota } else { 0.0 };
                    let high = share > 0.8;
                    view! {
                        <div class="usage">
                            <p data-testid="storage-usage">
                                {t(Msg::StorageUsed)} " " <strong>{bytes(usage)}</strong> " · " {t(Msg::StorageOf)} " "
                                <strong>{bytes(quota)}</strong> {format!(" ({:.1}%)", share * 100.0)}
                            </p>
                            <div class="usage-bar" class:high=high aria-hidden="true">
                                <span style:width=format!("{:.2}%", (share * 100.0).clamp(0.5, 100.0))></span>
                            </div>
                            <Show when=move || high>
                                <p class="banner warn" role="alert">{t(Msg::StorageAlmostFull)}</p>
                            </Show>
                        </div>
                        {if s.persisted {
                            view! { <p class="persist on" data-testid="storage-persisted">{t(Msg::StoragePersisted)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="persist" data-testid="storage-best-effort">
                                    <p>{t(Msg::StorageBestEffort)}</p>
                                    <button class="btn" data-testid="storage-ask" on:click=ask>{t(Msg::StorageAsk)}</button>
                                    <Show when=move || denied.get()>
                                        <p class="muted" role="status" data-testid="storage-denied">{t(Msg::StorageDenied)}</p>
                                    </Show>
                                </div>
                            }
                            .into_any()
                        }}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
