//! A sealed value on the profile page (ID number, bank account): masked for everyone; an
//! administrator sees it whole after giving a reason, which the access log records
//! (`Services::reveal`). Ordinary users ask for it through a view request (`request.rs`).

use super::request::AskToSee;
use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::domain::fields::{mask_id, Field};
use crate::domain::governance::grant::{Decision, Scope};
use crate::domain::governance::Role;
use crate::domain::i18n::Msg;
use crate::ui::widgets::ReasonForm;
use crate::ui::{locale, t};
use leptos::prelude::*;

/// The value of `field` of profile `id`, masked, with "Show" for administrators.
#[component]
pub fn SealedValue(id: String, field: Field, value: String, label: String, testid: &'static str) -> impl IntoView {
    let svc = expect_context::<Services>();
    let admin = svc.session.role().is_some_and(Role::is_admin);
    let shown: RwSignal<Option<String>> = RwSignal::new(None);
    // While an approval of the clerk's request holds, the value granted opens with their key.
    let granted: RwSignal<Option<Decision>> = RwSignal::new(None);
    Effect::new(move |_| match granted.get() {
        Some(d) => leptos::task::spawn_local(async move {
            if let Ok(v) = svc.open_granted(&d, field.path()).await {
                shown.try_set(Some(v));
            }
        }),
        None => {
            shown.try_set(None);
        }
    });
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let masked = mask_id(&value);
    let value = StoredValue::new(value);
    let for_request = id.clone();
    let id = StoredValue::new(id);
    let reveal = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let why = reason.get_untracked();
        leptos::task::spawn_local(async move {
            let (Some(profile), Some(sealed)) = (id.try_get_value(), value.try_get_value()) else { return };
            let r = svc.reveal(&profile, field, &sealed, &why).await;
            busy.try_set(false);
            match r {
                Ok(plain) => {
                    shown.try_set(Some(plain));
                    asking.try_set(false);
                    reason.try_set(String::new());
                    error.try_set(None);
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <div class="info">
            <dt>{label}</dt>
            <dd data-testid=format!("{testid}-cell")>
                <span class="mono" data-testid=testid>{move || shown.get().unwrap_or_else(|| masked.clone())}</span>
                {admin.then(|| view! {
                    " "
                    <button class="link" data-testid=format!("{testid}-show") aria-expanded=move || asking.get().to_string()
                        on:click=move |_| {
                            if shown.get_untracked().is_some() {
                                shown.set(None);
                            } else {
                                asking.update(|a| *a = !*a);
                            }
                        }>
                        {move || if shown.get().is_some() { t(Msg::RevealHide) } else { t(Msg::ShowNumber) }}
                    </button>
                })}
                {move || asking.get().then(|| view! {
                    <ReasonForm key=testid.to_string() testid=testid.to_string() label=Msg::RevealReasonLabel confirm=Msg::RevealConfirm
                        reason=reason error=error busy=busy on_submit=Callback::new(move |_| reveal())
                        on_cancel=Callback::new(move |_| asking.set(false)) />
                })}
                {(!admin).then(|| view! { <AskToSee scope=Scope::Reveal { profile: for_request.clone(), fields: vec![field.path().to_string()] } testid=testid granted=granted /> })}
            </dd>
        </div>
    }
}
