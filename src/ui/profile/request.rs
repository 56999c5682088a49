//! An ordinary user's way to a sealed value or a full print (查阅申请): ask with a reason; an
//! administrator approves on this tablet with their PIN, or later on another device (the decision
//! arrives by sync); while the approval holds the value shows, then it hides again. The rules are in
//! `domain/governance/grant.rs`, the keys in `app/governance/grants.rs`.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::domain::governance::authority::{entitled, Act};
use crate::domain::governance::grant::{Asked, Decision, Request, Scope, State};
use crate::domain::i18n::Msg;
use crate::platform::clock::now_ms;
use crate::ui::widgets::ReasonForm;
use crate::ui::{locale, t};
use leptos::prelude::*;

/// The latest request of `me` that answers one for `wanted`.
fn latest(all: &[Asked], me: &str, wanted: &Scope) -> Option<Asked> {
    all.iter().find(|a| a.request.requester == me && a.request.scope.covers(wanted)).cloned()
}

/// The request flow for something masked (`scope`: a value, a full print); `granted` holds the
/// decision while an approval stands (its values open with the requester's own key).
#[component]
pub fn AskToSee(
    scope: Scope,
    testid: &'static str,
    granted: RwSignal<Option<Decision>>,
    /// The words of the ask button ("申请查看" unless given).
    #[prop(optional)]
    ask: Option<Msg>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let me = svc.session.who.with_untracked(|w| w.as_ref().map(|s| s.id.clone())).unwrap_or_default();
    let refresh = RwSignal::new(0u32);
    let now = RwSignal::new(now_ms());
    if let Ok(h) = set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_secs(5)) {
        on_cleanup(move || h.clear());
    }
    let scope = StoredValue::new(scope);
    // Signals set after an await use try_set: the page may have gone meanwhile.
    let all = LocalResource::new(move || {
        svc.gov_rev.track();
        svc.local_rev.track();
        refresh.track();
        async move { svc.asked().await.unwrap_or_default() }
    });
    let mine = Memo::new(move |_| all.get().and_then(|v| scope.try_with_value(|s| latest(&v, &me, s)).flatten()));
    let state = Memo::new(move |_| mine.get().map(|a| a.state(now.get())));
    Effect::new(move |_| {
        let active = matches!(state.get(), Some(State::Active { .. }));
        granted.try_set(mine.get().and_then(|a| a.decision).filter(|_| active));
    });

    let asking = RwSignal::new(false);
    let approving = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let send = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let why = reason.get_untracked();
        leptos::task::spawn_local(async move {
            let Some(scope) = scope.try_get_value() else { return };
            let r = svc.ask(scope, &why).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    asking.try_set(false);
                    reason.try_set(String::new());
                    error.try_set(None);
                    refresh.try_update(|n| *n += 1);
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <div class="request-flow" data-testid=format!("{testid}-request")>
            {move || match state.get() {
                Some(State::Pending) => view! {
                    <p class="muted" data-testid=format!("{testid}-req-state")>{t(Msg::ReqPending)}</p>
                    <button type="button" class="link" data-testid=format!("{testid}-approve-here")
                        aria-expanded=move || approving.get().to_string()
                        on:click=move |_| approving.update(|a| *a = !*a)>{t(Msg::ReqApproveHere)}</button>
                }.into_any(),
                Some(State::Active { until }) => view! {
                    <p class="muted" data-testid=format!("{testid}-req-state")>{t(Msg::ReqActiveUntil)}{crate::platform::clock::local_moment(until as f64, locale())}</p>
                }.into_any(),
                other => view! {
                    {match other {
                        Some(State::Expired) => Some(view! { <p class="muted" data-testid=format!("{testid}-req-state")>{t(Msg::ReqExpired)}</p> }.into_any()),
                        Some(State::Refused { reason }) => Some(view! { <p class="err" data-testid=format!("{testid}-req-state")>{t(Msg::ReqRefused)}{reason}</p> }.into_any()),
                        _ => None,
                    }}
                    <button type="button" class="link" data-testid=format!("{testid}-ask")
                        aria-expanded=move || asking.get().to_string()
                        on:click=move |_| asking.update(|a| *a = !*a)>{t(ask.unwrap_or(Msg::ReqAsk))}</button>
                }.into_any(),
            }}
            {move || asking.get().then(|| view! {
                <ReasonForm key=format!("{testid}-req") testid=format!("{testid}-req") label=Msg::ReqReasonLabel confirm=Msg::ReqSend
                    reason=reason error=error busy=busy on_submit=Callback::new(move |_| send())
                    on_cancel=Callback::new(move |_| asking.set(false)) />
            })}
            {move || (approving.get() && state.get() == Some(State::Pending)).then(|| {
                mine.get().map(|a| {
                    let done = Callback::new(move |_| { approving.set(false); refresh.update(|n| *n += 1); });
                    crate::lazy::lazy_view(move || approve_here(a.request.clone(), testid, done))
                })
            })}
        </div>
    }
}

crate::lazy::lazy_fn! { requests;
    /// An ordinary user's ask for a full export, on the list's export bar: the request flow's
    /// code comes with the other requests' (`src/lazy.rs`), not with the list.
    pub fn ask_full_export(granted: RwSignal<Option<Decision>>) -> AnyView {
        view! { <AskToSee scope=Scope::Export testid="export-full" granted=granted ask=Msg::ExportFullAsk /> }.into_any()
    }
}

crate::lazy::lazy_fn! { requests;
    /// [`ApproveHere`], its code fetched the first time it opens (`src/lazy.rs`).
    fn approve_here(request: Request, testid: &'static str, done: Callback<()>) -> AnyView {
        view! { <ApproveHere request=request testid=testid done=done /> }.into_any()
    }
}

/// An administrator standing at the tablet approves with their PIN (the session stays the
/// clerk's).
#[component]
pub(crate) fn ApproveHere(request: Request, testid: &'static str, done: Callback<()>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let approvers: Vec<(String, String)> = svc.session.roster.with_untracked(|r| {
        r.as_ref()
            .map(|r| {
                r.can_sign_in()
                    .into_iter()
                    .filter(|s| entitled(s, Act::Decide { request: &request }))
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    let who = RwSignal::new(approvers.first().map(|a| a.0.clone()).unwrap_or_default());
    let pin = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let request = StoredValue::new(request);
    let go = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let (admin, p) = (who.get_untracked(), pin.get_untracked());
        leptos::task::spawn_local(async move {
            let Some(request) = request.try_get_value() else { return };
            let r = svc.approve_here(&request, &admin, &p).await;
            busy.try_set(false);
            pin.try_set(String::new());
            match r {
                Ok(()) => {
                    let _ = done.try_run(());
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    if approvers.is_empty() {
        return view! { <p class="muted">{t(Msg::ReqNoApprover)}</p> }.into_any();
    }
    let (sel_id, pin_id, err_id) =
        (format!("{testid}-approver"), format!("{testid}-approver-pin"), format!("{testid}-approve-error"));
    view! {
        <form class="reveal-form" novalidate on:submit=move |ev| { ev.prevent_default(); go(); }>
            <label class="field" for=sel_id.clone()>
                <span class="label">{t(Msg::ReqApprover)}</span>
                <select id=sel_id.clone() data-testid=sel_id.clone() on:change=move |ev| who.set(event_target_value(&ev))>
                    {approvers.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </label>
            <label class="field" for=pin_id.clone()>
                <span class="label">{t(Msg::ReqApproverPin)}</span>
                <input id=pin_id.clone() type="password" inputmode="numeric" autocomplete="off" data-testid=pin_id.clone()
                    aria-describedby=err_id.clone() prop:value=move || pin.get()
                    on:input=move |ev| { pin.set(event_target_value(&ev)); error.set(None); } />
            </label>
            <span class="err" id=err_id.clone() role="alert" data-testid=err_id.clone()>{move || error.get()}</span>
            <div class="reveal-actions">
                <button type="submit" class="btn primary small" data-testid=format!("{testid}-approve-go") disabled=move || busy.get()>{t(Msg::ReqApproveGo)}</button>
            </div>
        </form>
    }
    .into_any()
}
