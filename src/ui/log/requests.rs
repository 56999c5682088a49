//! View requests waiting for an administrator (查阅申请), at the top of the log screen: who asks,
//! for what and why; approve (for the policy's hours) or refuse with a reason. Decided ones
//! follow with their state. The rules: `domain/governance/grant.rs`; the keys:
//! `app/governance/grants.rs`.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::domain::fields::label_of_path;
use crate::domain::governance::authority::{entitled, Act};
use crate::domain::governance::grant::{Asked, Scope, State};
use crate::domain::i18n::{fill, Msg};
use crate::platform::clock::{local_time_of_day, now_ms};
use crate::ui::shell::Stage;
use crate::ui::widgets::ReasonForm;
use crate::ui::{locale, t};
use leptos::prelude::*;

/// Decided requests shown below the waiting ones.
const DECIDED_SHOWN: usize = 20;

fn what(a: &Asked) -> String {
    match &a.request.scope {
        Scope::Reveal { fields, .. } => {
            fields.iter().map(|f| label_of_path(f, locale())).collect::<Vec<_>>().join("、")
        }
        Scope::Print { .. } => t(Msg::ReqWhatPrint).to_string(),
        Scope::Export => t(Msg::ReqWhatExport).to_string(),
        Scope::Entry { summary, .. } => summary.clone(),
        Scope::Destroy { profiles } => fill(t(Msg::DesWhat), &[&profiles.len()]),
        Scope::Hold { kind, .. } => fill(t(Msg::HoldWhat), &[&t(kind.msg())]),
        Scope::Kept { period, .. } | Scope::Reviewed { period, .. } => period.words(locale()),
    }
}

/// The profile a request is about, as a link to it (its name from the search index).
fn whose(svc: Services, a: &Asked) -> Option<impl IntoView> {
    let id = a.request.scope.profile()?.to_string();
    let name = svc.with_index_untracked(|ix| ix.get(&id).map(|e| e.name)).unwrap_or_else(|| id.clone());
    Some(
        view! { <a class="link" data-testid="request-profile" href=crate::ui::shell::route::Route::Profile(id).hash()>{name}</a> },
    )
}

fn state_words(s: &State) -> String {
    match s {
        State::Pending => t(Msg::ReqStatePending).to_string(),
        State::Active { until } => {
            format!("{} → {}", t(Msg::ReqStateActive), crate::platform::clock::local_moment(*until as f64, locale()))
        }
        State::Expired => t(Msg::ReqStateExpired).to_string(),
        State::Refused { reason } => format!("{}{}{reason}", t(Msg::ReqStateRefused), t(Msg::Colon)),
    }
}

/// A card of requests: every standing request read anew when `track` says something changed,
/// a loading state, a failure in words, and `body` for the list. The card is drawn per stage
/// (`body` once), so a refusal being typed stays when a request arrives by sync.
fn requests_card(
    testid: &'static str,
    title: Msg,
    track: impl Fn() + 'static,
    body: impl Fn(Signal<Vec<Asked>>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let all = LocalResource::new(move || {
        track();
        // Destruction applications have their own screen (#/destruction); holds show on their
        // profile and need no approval.
        let views = |all: Vec<Asked>| all.into_iter().filter(|a| a.request.scope.is_view_request());
        async move { svc.asked().await.map(|all| views(all).collect()).map_err(|e| e.explain(locale())) }
    });
    let stage = Stage::of(all);
    let list = Signal::derive(move || all.get().and_then(Result::ok).unwrap_or_default());
    let (labelled_by, title_id) = (format!("{testid}-title"), format!("{testid}-title"));
    view! {
        <section class="card requests-card" data-testid=testid aria-labelledby=labelled_by>
            <h2 id=title_id>{t(title)}</h2>
            {move || match stage.get() {
                Stage::Loading => crate::ui::shell::waiting(Msg::Loading, "requests-loading"),
                Stage::Failed(e) => view! { <p class="err" role="alert">{e}</p> }.into_any(),
                Stage::Ready => body(list),
            }}
        </section>
    }
}

/// The requests waiting for an administrator (with approve and refuse; keyed, so a refusal being
/// typed stays as others come and go), then decided ones.
#[component]
pub fn RequestsCard() -> impl IntoView {
    let svc = expect_context::<Services>();
    let refresh = RwSignal::new(0u32);
    let track = move || {
        svc.gov_rev.track();
        refresh.track();
    };
    requests_card("requests-card", Msg::ReqTitle, track, move |list| {
        let pending = move |a: &Asked| a.state(now_ms()) == State::Pending;
        let waiting = move || list.get().into_iter().filter(pending).collect::<Vec<_>>();
        let decided = move || {
            let now = now_ms();
            list.get()
                .iter()
                .filter(|a| !pending(a))
                .take(DECIDED_SHOWN)
                .map(|a| request_line(svc, a, now, "request-decided"))
                .collect_view()
        };
        view! {
            {move || waiting().is_empty().then(|| view! { <p class="muted" data-testid="requests-none">{t(Msg::ReqNone)}</p> })}
            <ul class="requests">
                <For each=waiting key=|a| a.request.id.clone() let:a>
                    <RequestRow a=a refresh=refresh />
                </For>
                {decided}
            </ul>
        }
        .into_any()
    })
}

/// A request as a line: who asked, whose profile, what, why, and its state.
fn request_line(svc: Services, a: &Asked, now: i64, testid: &'static str) -> impl IntoView {
    view! {
        <li class="request decided" data-testid=testid>
            <span class="who">{a.request.requester_name.clone()}</span>
            {whose(svc, a)}
            <span>{what(a)}</span>
            <span class="muted">{a.request.reason.clone()}</span>
            <span class="req-state">{state_words(&a.state(now))}</span>
        </li>
    }
}

/// The signed-in person's own requests and where each stands (in the settings): waiting,
/// approved until when, ended, or refused and why.
#[component]
pub fn MyRequestsCard() -> impl IntoView {
    let svc = expect_context::<Services>();
    let me = svc.session.who.with_untracked(|w| w.as_ref().map(|s| s.id.clone())).unwrap_or_default();
    let track = move || {
        svc.gov_rev.track();
        svc.local_rev.track();
    };
    requests_card("my-requests", Msg::ReqMine, track, move |list| {
        let me = me.clone();
        (move || {
            let now = now_ms();
            let mine: Vec<Asked> =
                list.get().into_iter().filter(|a| a.request.requester == me).take(DECIDED_SHOWN).collect();
            if mine.is_empty() {
                return view! { <p class="muted" data-testid="my-requests-none">{t(Msg::ReqMineNone)}</p> }.into_any();
            }
            view! { <ul class="requests">{mine.iter().map(|a| request_line(svc, a, now, "my-request")).collect_view()}</ul> }
                .into_any()
        })
        .into_any()
    })
}

#[component]
fn RequestRow(a: Asked, refresh: RwSignal<u32>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let may = svc
        .session
        .who
        .with_untracked(|w| w.as_ref().is_some_and(|me| entitled(me, Act::Decide { request: &a.request })));
    let refusing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let request = StoredValue::new(a.request.clone());
    let answer = move |approve: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let why = reason.get_untracked();
        leptos::task::spawn_local(async move {
            let Some(request) = request.try_get_value() else { return };
            let r = svc.decide(&request, approve, &why).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    refresh.try_update(|n| *n += 1);
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    let id = a.request.id.clone();
    view! {
        <li class="request" data-testid="request-row">
            <span class="who">{a.request.requester_name.clone()} " · " {a.request.department.clone()}</span>
            {whose(svc, &a)}
            <span>{what(&a)}</span>
            <span class="reason">{a.request.reason.clone()}</span>
            <span class="muted">{local_time_of_day(a.request.at as f64)}</span>
            {may.then(|| view! {
                <span class="request-actions">
                    <button type="button" class="btn primary small" data-testid="request-approve" disabled=move || busy.get()
                        on:click=move |_| answer(true)>{t(Msg::ReqApproveGo)}</button>
                    <button type="button" class="btn small" data-testid="request-refuse" aria-expanded=move || refusing.get().to_string()
                        on:click=move |_| refusing.update(|r| *r = !*r)>{t(Msg::ReqRefuse)}</button>
                </span>
            })}
            {move || refusing.get().then(|| view! {
                <ReasonForm key=format!("refuse-{id}") testid="request-refuse".to_string() label=Msg::ReqRefuseReason confirm=Msg::ReqRefuse
                    reason=reason error=error busy=busy on_submit=Callback::new(move |_| answer(false)) />
            })}
            {move || (!refusing.get()).then(|| view! { <span class="err" role="alert">{move || error.get()}</span> })}
        </li>
    }
}
