//! Signing in on a shared tablet: tap your name, type your PIN. Over a lock, the person who was
//! signed in is chosen already; "someone else" shows the names.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::governance;
use crate::app::session::Session;
use crate::domain::governance::staff::Staff;
use crate::domain::i18n::Msg;
use crate::platform::clock::now_ms;
use crate::ui::governance::NewPin;
use crate::ui::{locale, t};
use leptos::prelude::*;

#[component]
pub fn SignIn(locked: bool) -> impl IntoView {
    let session = expect_context::<Session>();
    let chosen =
        RwSignal::new(if locked && !session.switching.get_untracked() { session.who.get_untracked() } else { None });
    let recovering = RwSignal::new(false);
    view! {
        <div class="gate" role="dialog" aria-modal="true" aria-labelledby="gate-title" data-testid="sign-in">
            <section class="card gate-card">
                <h1 id="gate-title" class="page-title">{if locked { t(Msg::LockedTitle) } else { t(Msg::SignInTitle) }}</h1>
                {move || match (chosen.get(), recovering.get()) {
                    (None, _) => view! { <Names chosen=chosen /> }.into_any(),
                    (Some(_), true) => crate::lazy::lazy_view(move || recover_form(recovering)).into_any(),
                    (Some(s), false) => view! { <PinForm staff=s chosen=chosen recovering=recovering /> }.into_any(),
                }}
            </section>
        </div>
    }
}

/// The names of everyone who can sign in, as large buttons.
#[component]
fn Names(chosen: RwSignal<Option<Staff>>) -> impl IntoView {
    let session = expect_context::<Session>();
    let staff = move || {
        session
            .roster
            .with(|r| r.as_ref().map(|r| r.can_sign_in().into_iter().cloned().collect::<Vec<_>>()).unwrap_or_default())
    };
    view! {
        <p class="muted">{t(Msg::SignInHint)}</p>
        {move || {
            let list = staff();
            if list.is_empty() {
                return view! { <p class="empty" role="status">{t(Msg::SignInNobody)}</p> }.into_any();
            }
            view! {
                <ul class="staff-tiles" role="list">
                    {list.into_iter().map(|s| {
                        let label = s.label();
                        let role = t(s.role.msg());
                        let testid = format!("who-{}", s.name);
                        view! {
                            <li>
                                <button class="staff-tile" data-testid=testid on:click=move |_| chosen.set(Some(s.clone()))>
                                    <span class="staff-tile-name">{label}</span>
                                    <span class="muted">{role}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// The PIN of the chosen person.
#[component]
fn PinForm(staff: Staff, chosen: RwSignal<Option<Staff>>, recovering: RwSignal<bool>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = staff.id.clone();
    // The PIN's check comes while it is typed (a failure is logged; the check asks again).
    leptos::task::spawn_local(async {
        let _ = preload_pin_check().await.map_err(crate::lazy::Unloaded::from);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (id, typed) = (id.clone(), pin.get_untracked());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = check_pin(svc, session, id, typed).await.unwrap_or_else(|e| Err(e.into()));
            busy.set(false);
            pin.set(String::new());
            // The access log grew either way: sync sends it.
            svc.local_rev.update(|n| *n += 1);
            match result {
                Ok(me) => session.sign_in(me),
                Err(e) => error.set(Some(e.explain(locale()))),
            }
        });
    };
    view! {
        <form class="pin-form" on:submit=submit>
            <p class="gate-who" data-testid="sign-in-who">
                <strong>{staff.label()}</strong>
                <span class="muted">" · " {t(staff.role.msg())}</span>
            </p>
            <label class="field" class:invalid=move || error.with(Option::is_some)>
                <span class="label">{t(Msg::SignInPin)}</span>
                <input
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="12"
                    autofocus
                    data-testid="pin"
                    aria-describedby=move || error.with(Option::is_some).then_some("pin-error")
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    prop:value=move || pin.get()
                    on:input=move |ev| pin.set(event_target_value(&ev))
                />
                {move || error.get().map(|m| view! { <span class="err" id="pin-error" role="alert" data-testid="pin-error">{m}</span> })}
            </label>
            {move || session.locked.get().then(|| view! { <p class="muted hint">{t(Msg::LockedHint)}</p> })}
            // The first super administrator can set a new PIN with the recovery code.
            {session.roster.with_untracked(|r| r.as_ref().and_then(|r| r.root.as_ref()).is_some_and(|root| root.genesis == staff.id)).then(|| view! {
                <p><button type="button" class="link" data-testid="recover-link" on:click=move |_| recovering.set(true)>{t(Msg::RecoverLink)}</button></p>
            })}
            <div class="form-actions">
                <button type="button" class="btn ghost" data-testid="sign-in-other" on:click=move |_| chosen.set(None)>
                    {t(Msg::SignInOther)}
                </button>
                <button type="submit" class="btn primary" data-testid="sign-in-go" disabled=move || busy.get() || pin.with(String::is_empty)>
                    {move || if busy.get() { t(Msg::SignInChecking) } else { t(Msg::SignInGo) }}
                </button>
            </div>
        </form>
    }
}

// Checking a PIN (deriving its key, unwrapping the keys it guards, counting wrong ones, logging
// the sign-in): fetched while the clerk types it ([`PinForm`] asks for it when it opens), so the
// first download holds only the names to pick from (src/lazy.rs).
crate::lazy::lazy_fn! { pin, preload preload_pin_check;
    async fn check_pin(svc: Services, session: Session, id: String, typed: String) -> Result<governance::SignedIn, governance::GovError> {
        let archive = svc.archive().map_err(governance::GovError::Store)?;
        let roster = session.roster.get_untracked().unwrap_or_default();
        governance::sign_in(&archive, &roster, &id, &typed, now_ms()).await
    }
}

crate::lazy::lazy_fn! { requests;
    /// [`RecoverForm`], its code fetched when the first super administrator needs it.
    fn recover_form(recovering: RwSignal<bool>) -> AnyView {
        view! { <RecoverForm recovering=recovering /> }.into_any()
    }
}

/// A new PIN for the first super administrator, with the recovery code.
#[component]
fn RecoverForm(recovering: RwSignal<bool>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let code = RwSignal::new(String::new());
    let form = NewPin::new();
    let NewPin { pin, again, error, busy } = form;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let (c, p) = (code.get_untracked(), pin.get_untracked());
        leptos::task::spawn_local(async move {
            let result = async {
                let archive = svc.archive().map_err(governance::GovError::Store)?;
                let roster = session.roster.get_untracked().unwrap_or_default();
                governance::recover(&archive, &roster, &c, &p, now_ms()).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(me) => {
                    svc.local_rev.update(|n| *n += 1);
                    super::load_roster(svc, session).await;
                    session.sign_in(me);
                }
                Err(e) => error.set(Some(e.explain(locale()))),
            }
        });
    };
    view! {
        <form class="pin-form" on:submit=submit data-testid="recover-form">
            <h2>{t(Msg::RecoverTitle)}</h2>
            <label class="field">
                <span class="label">{t(Msg::RecoverCode)}</span>
                <input type="text" autocomplete="off" spellcheck="false" class="mono" data-testid="recover-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
            </label>
            {super::new_pin_field(pin, Msg::GovPin, "recover-pin")}
            {super::new_pin_field(again, Msg::GovPinAgain, "recover-pin-again")}
            {move || error.get().map(|m| view! { <p class="err" role="alert" data-testid="recover-error">{m}</p> })}
            <div class="form-actions">
                <button type="button" class="btn ghost" on:click=move |_| recovering.set(false)>{t(Msg::Cancel)}</button>
                <button type="submit" class="btn primary" data-testid="recover-go" disabled=move || busy.get()>
                    {move || if busy.get() { t(Msg::SignInChecking) } else { t(Msg::RecoverGo) }}
                </button>
            </div>
        </form>
    }
}
