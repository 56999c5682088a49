//! The first start (and the first start after the upgrade, the archive kept): the first super
//! administrator's name and PIN, then the recovery code shown once.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::governance::{self, GovError, SignedIn};
use crate::app::session::Session;
use crate::domain::governance::staff::default_departments;
use crate::domain::i18n::Msg;
use crate::platform::clock::now_ms;
use crate::ui::governance::NewPin;
use crate::ui::{locale, t};
use leptos::prelude::*;

#[component]
pub fn Setup() -> impl IntoView {
    let done = RwSignal::new(None::<(SignedIn, String)>);
    view! {
        <div class="gate" data-testid="setup">
            <section class="card gate-card">
                {move || match done.get() {
                    None => view! { <SetupForm done=done /> }.into_any(),
                    Some((me, code)) => view! { <RecoveryCode me=me code=code /> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn SetupForm(done: RwSignal<Option<(SignedIn, String)>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let name = RwSignal::new(String::new());
    let departments = default_departments(locale());
    let dept = RwSignal::new(departments[0].clone());
    let form = NewPin::new();
    let NewPin { pin, again, error, busy } = form;
    let syncs = crate::app::prefs::sync_config().is_set();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let (n, d, p) = (name.get_untracked(), dept.get_untracked(), pin.get_untracked());
        // From the moment the archive is set up, a sync round reading the governance again would
        // turn the gate to the sign-in: the setup stays until its recovery code is noted down.
        session.noting_code.set(true);
        leptos::task::spawn_local(async move {
            let result = set_up(svc, n, d, p).await.unwrap_or_else(|e| Err(e.into()));
            busy.set(false);
            match result {
                Ok(r) => {
                    // Sync sends the new governance soon, like any local write.
                    svc.local_rev.update(|n| *n += 1);
                    done.set(Some(r));
                }
                Err(e) => {
                    session.noting_code.set(false);
                    error.set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <h1 class="page-title">{t(Msg::GovSetupTitle)}</h1>
        <p class="muted">{t(Msg::GovSetupHint)}</p>
        {if syncs {
            view! { <p class="form-note" role="note" data-testid="setup-sync-note">{t(Msg::GovSyncNote)}</p> }.into_any()
        } else {
            view! {
                <p class="form-note">
                    {t(Msg::GovJoinHint)} " "
                    <a class="link" href="#/settings" data-testid="setup-join">{t(Msg::GovJoin)}</a>
                </p>
            }.into_any()
        }}
        <form class="gate-form" on:submit=submit>
            <label class="field">
                <span class="label">{t(Msg::GovName)}</span>
                <input type="text" maxlength="40" autofocus data-testid="setup-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span class="label">{t(Msg::GovDept)}</span>
                <select data-testid="setup-dept" on:change=move |ev| dept.set(event_target_value(&ev))>
                    {departments.into_iter().map(|d| {
                        let (value, chosen) = (d.clone(), d.clone());
                        view! { <option value=value selected=move || dept.with(|x| *x == chosen)>{d}</option> }
                    }).collect_view()}
                </select>
            </label>
            {super::new_pin_field(pin, Msg::GovPin, "setup-pin")}
            {super::new_pin_field(again, Msg::GovPinAgain, "setup-pin-again")}
            {move || error.get().map(|m| view! { <p class="err" role="alert" data-testid="setup-error">{m}</p> })}
            <div class="form-actions">
                <button type="submit" class="btn primary" data-testid="setup-go" disabled=move || busy.get()>
                    {move || if busy.get() { t(Msg::GovWorking) } else { t(Msg::GovSetupGo) }}
                </button>
            </div>
        </form>
    }
}

// Making the archive's keys and writing its first signed records: code a device runs once,
// fetched when the form is sent (src/lazy.rs).
crate::lazy::lazy_fn! { setup;
    async fn set_up(svc: Services, name: String, dept: String, pin: String) -> Result<(SignedIn, String), GovError> {
        let archive = svc.archive().map_err(GovError::Store)?;
        governance::setup(&archive, &name, &dept, &pin, now_ms(), locale()).await
    }
}

#[component]
fn RecoveryCode(me: SignedIn, code: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let svc = expect_context::<Services>();
    let me = StoredValue::new(me);
    view! {
        <h1 class="page-title">{t(Msg::GovCodeTitle)}</h1>
        <p>{t(Msg::GovCodeHint)}</p>
        <p class="recovery-code mono" data-testid="recovery-code">{code}</p>
        <div class="form-actions">
            <button type="button" class="btn ghost" on:click=move |_| {
                let _ = window().print();
            }>{t(Msg::Print)}</button>
            <button type="button" class="btn primary" data-testid="recovery-done" on:click=move |_| {
                // The desk opens on the new governance, not the empty one read before the setup.
                leptos::task::spawn_local(async move {
                    super::load_roster(svc, session).await;
                    session.sign_in(me.get_value());
                    session.noting_code.set(false);
                });
            }>
                {t(Msg::GovCodeDone)}
            </button>
        </div>
    }
}
