//! Destruction (`#/destruction`, 档案销毁; office, administrators; issue 18): the applications
//! waiting for approval, each with its check before destruction (count and digest of what goes,
//! what blocks it) and, for a super administrator other than the applicant, approve-and-destroy
//! (with the endpoint's administrator token when the archive syncs) or refuse; the destruction
//! register (销毁登记簿), printable; refused applications. `#/p/<id>/destroy` is the application
//! for one profile (linked from its retention line). Data: `app::destruction`; rules:
//! `domain::destruction`.

use crate::app::archive::Services;
use crate::app::destruction::{Check, DesError};
use crate::app::errors::Explain;
use crate::app::session::Session;
use crate::domain::destruction::{register, Application, Stage};
use crate::domain::governance::staff::Role;
use crate::domain::i18n::{fill, Msg};
use crate::platform::clock::local_date;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::shell::Stage as Shown;
use crate::ui::widgets::{ConfirmDialog, ReasonForm};
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;

/// The first characters of a digest, as the register shows it.
fn short(digest: &str) -> String {
    digest.chars().take(16).collect()
}

fn day_of(ms: i64) -> String {
    local_date(ms as f64).to_string()
}

/// A profile's name from the search index, or that it is not on this device.
fn name_of(svc: Services, id: &str) -> String {
    svc.with_index_untracked(|ix| ix.get(id).map(|e| e.display_name().to_string()))
        .unwrap_or_else(|| t(Msg::DesGoneHere).to_string())
}

#[component]
pub fn DestructionPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let apps = LocalResource::new(move || {
        svc.gov_rev.track();
        svc.local_rev.track();
        svc.remote_rev.track();
        async move { svc.destruction_applications().await.map_err(|e| e.explain(locale())) }
    });
    // Drawn per stage: a decision being typed on an application stays when the applications are
    // read again (a save here, a sync round); the lists follow the values.
    let stage = Shown::of(apps);
    let all = move || apps.get().and_then(Result::ok).unwrap_or_default();
    let pending = move || all().into_iter().filter(|a| a.stage == Stage::Pending).collect::<Vec<_>>();
    let refused = move || all().into_iter().filter(|a| matches!(a.stage, Stage::Refused { .. })).collect::<Vec<_>>();
    view! {
        <div class="ov-page" data-testid="destruction">
            <div class="ov-head no-print">
                <h1 class="page-title">{t(Msg::DesTitle)}</h1>
            </div>
            {move || {
                if !session.is_admin() {
                    return view! { <p class="empty" data-testid="des-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match stage.get() {
                    Shown::Loading => crate::ui::shell::waiting(Msg::Loading, "des-loading"),
                    Shown::Failed(e) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
                    Shown::Ready => view! {
                        <section class="card no-print" data-testid="des-pending">
                            <h2>{t(Msg::DesPending)}</h2>
                            {move || pending().is_empty().then(|| view! { <p class="muted" data-testid="des-none">{t(Msg::DesNoPending)}</p> })}
                            <For each=pending key=|a| a.id.clone() let:a>
                                <Pending app=a />
                            </For>
                        </section>
                        {move || view! { <RegisterCard apps=all() /> }}
                        {move || {
                            let refused = refused();
                            (!refused.is_empty()).then(|| view! {
                                <section class="card no-print" data-testid="des-refused">
                                    <h2>{t(Msg::DesRefusedTitle)}</h2>
                                    <ul class="requests">
                                        {refused.into_iter().map(|a| {
                                            let Stage::Refused { by, reason } = a.stage.clone() else { return ().into_any() };
                                            view! {
                                                <li class="request decided" data-testid="des-refused-row">
                                                    <span class="who">{a.applicant_name.clone()}</span>
                                                    <span>{fill(t(Msg::DesWhat), &[&a.profiles.len()])}</span>
                                                    <span class="muted">{a.reason.clone()}</span>
                                                    <span class="req-state">{fill(t(Msg::DesRefusedBy), &[&by, &reason])}</span>
                                                </li>
                                            }.into_any()
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })
                        }}
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// What the check found, in words: the count and digest, then each profile's name and what
/// blocks it or that its retention is not over.
#[component]
fn CheckView(check: Check) -> impl IntoView {
    let line = fill(t(Msg::DesCheckLine), &[&check.count, &short(&check.digest)]);
    view! {
        <div class="des-check" data-testid="des-check">
            <p><strong>{t(Msg::DesCheck)}</strong> " " <span data-testid="des-count">{line}</span></p>
            <ul class="des-profiles">
                {check.profiles.into_iter().map(|p| {
                    let name = if p.name.is_empty() { t(Msg::DesGoneHere).to_string() } else { p.name.clone() };
                    let note = match (&p.blocker, p.due) {
                        (Some(b), _) => Some((true, b.words(locale()))),
                        (None, false) => Some((false, t(Msg::DesNotDue).to_string())),
                        (None, true) => None,
                    };
                    view! {
                        <li data-testid="des-profile">
                            <span>{name}</span>
                            {note.map(|(bad, words)| view! { <span class=if bad { "err-text" } else { "warn-text-inline" } data-testid=if bad { "des-blocked" } else { "des-not-due" }>" — " {words}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// An application waiting for approval.
#[component]
fn Pending(app: Application) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let ui = expect_context::<UiState>();
    let profiles = app.profiles.clone();
    let check = LocalResource::new(move || {
        let profiles = profiles.clone();
        async move { svc.destruction_check(&profiles).await }
    });
    let me = session.who.with_untracked(|w| w.as_ref().map(|s| (s.id.clone(), s.role)));
    let may_approve = me.as_ref().is_some_and(|(id, role)| *role == Role::SuperAdmin && *id != app.applicant);
    let syncs = crate::app::prefs::sync_config().is_set();
    let token = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let confirm = RwSignal::new(false);
    let refusing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let refuse_error: RwSignal<Option<String>> = RwSignal::new(None);
    let app_id = app.id.clone();
    let token_id = format!("des-token-{app_id}");
    let approve = {
        let app = app.clone();
        Callback::new(move |_| {
            confirm.set(false);
            busy.set(true);
            error.set(None);
            let app = app.clone();
            leptos::task::spawn_local(async move {
                let r = svc.approve_destruction(&app, &token.get_untracked()).await;
                busy.try_set(false);
                match r {
                    Ok(row) => push_toast(ui, Toast::info(fill(t(Msg::DesDone), &[&row.number]))),
                    Err(e) => {
                        error.try_set(Some(e.explain(locale())));
                    }
                }
            });
        })
    };
    let refuse = {
        let app = app.clone();
        Callback::new(move |_| {
            let app = app.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let r = svc.refuse_destruction(&app, &reason.get_untracked()).await;
                busy.try_set(false);
                match r {
                    Ok(()) => {
                        refusing.try_set(false);
                    }
                    Err(e) => {
                        refuse_error.try_set(Some(e.explain(locale())));
                    }
                }
            });
        })
    };
    let names: Vec<String> = app.profiles.iter().map(|id| name_of(svc, id)).collect();
    view! {
        <article class="des-app" data-testid="des-app">
            <p class="des-app-head">
                <strong>{fill(t(Msg::DesWhat), &[&app.profiles.len()])}</strong> " · " {names.join("、")}
            </p>
            <p class="muted">{fill(t(Msg::DesAppliedBy), &[&app.applicant_name, &day_of(app.at)])} " · " {t(Msg::DesReason)} {t(Msg::Colon)} {app.reason.clone()}</p>
            {move || match check.get() {
                None => crate::ui::shell::waiting(Msg::Loading, "des-check-loading"),
                Some(Err(e)) => view! { <p class="err" role="alert">{e.explain(locale())}</p> }.into_any(),
                Some(Ok(c)) => view! { <CheckView check=c /> }.into_any(),
            }}
            {if may_approve {
                view! {
                    <div class="des-actions">
                        {syncs.then(|| view! {
                            <label class="field" for=token_id.clone()>
                                <span class="label">{t(Msg::DesToken)}</span>
                                <input id=token_id.clone() type="password" autocomplete="off" data-testid="des-token"
                                    prop:value=move || token.get() on:input=move |ev| { token.set(event_target_value(&ev)); error.set(None); } />
                                <span class="muted field-hint">{t(Msg::DesTokenHint)}</span>
                            </label>
                        })}
                        <p class="err" role="alert" data-testid="des-error">{move || error.get()}</p>
                        <div class="form-actions">
                            <button type="button" class="btn" data-testid="des-refuse" on:click=move |_| refusing.set(true) disabled=move || busy.get()>{t(Msg::ReqRefuse)}</button>
                            <button type="button" class="btn danger" data-testid="des-approve" disabled=move || busy.get()
                                on:click=move |_| {
                                    let blocked = check.get_untracked().and_then(|c| c.ok()).map(|c| c.blockers()).unwrap_or_default();
                                    if blocked.is_empty() {
                                        confirm.set(true);
                                    } else {
                                        error.set(Some(DesError::Blocked(blocked).explain(locale())));
                                    }
                                }>{t(Msg::DesApprove)}</button>
                        </div>
                        <Show when=move || refusing.get()>
                            <ReasonForm key=format!("des-refuse-{}", app.id) testid="des-refuse".to_string() label=Msg::DesRefuseReason confirm=Msg::ReqRefuse
                                reason=reason error=refuse_error busy=busy on_submit=refuse on_cancel=Callback::new(move |_| refusing.set(false)) />
                        </Show>
                        <ConfirmDialog title=Msg::DesConfirmTitle body=Msg::DesConfirmBody confirm=Msg::DesApprove open=confirm on_confirm=approve />
                    </div>
                }.into_any()
            } else {
                view! { <p class="muted" data-testid="des-wait">{t(Msg::DesWaitOther)}</p> }.into_any()
            }}
        </article>
    }
}

/// The destruction register: every destruction by number, printable.
#[component]
fn RegisterCard(apps: Vec<Application>) -> impl IntoView {
    let rows = register(&apps);
    view! {
        <section class="card des-register" data-testid="des-register">
            <div class="card-head">
                <h2>{t(Msg::DesRegister)}</h2>
                <button type="button" class="btn small no-print" data-testid="des-print" on:click=move |_| { let _ = window().print(); }>{t(Msg::Print)}</button>
            </div>
            {if rows.is_empty() {
                view! { <p class="empty" data-testid="des-reg-empty">{t(Msg::DesRegEmpty)}</p> }.into_any()
            } else {
                view! {
                    <table class="ov-table" data-testid="des-reg-table">
                        <thead><tr>
                            <th>{t(Msg::DesNo)}</th><th>{t(Msg::DesDate)}</th><th>{t(Msg::DesApplicant)}</th><th>{t(Msg::DesApprover)}</th>
                            <th>{t(Msg::DesReason)}</th><th class="num">{t(Msg::DesCount)}</th><th>{t(Msg::DesDigest)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr data-testid="des-reg-row">
                                    <td class="mono" data-testid="des-reg-no">{r.number.clone()}</td><td>{day_of(r.at)}</td>
                                    <td>{r.applicant.clone()}</td><td>{r.approver.clone()}</td><td>{r.reason.clone()}</td>
                                    <td class="num mono">{r.count}</td><td class="mono" title=r.digest.clone()>{short(&r.digest)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The application to destroy one profile (`#/p/<id>/destroy`): the check, the reason, submit.
#[component]
pub fn ApplyPage(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let ui = expect_context::<UiState>();
    let ids = vec![id.clone()];
    let check = {
        let ids = ids.clone();
        LocalResource::new(move || {
            let ids = ids.clone();
            async move { svc.destruction_check(&ids).await }
        })
    };
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let submit = Callback::new(move |_| {
        let ids = ids.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.apply_destruction(ids, &reason.get_untracked()).await;
            busy.try_set(false);
            match r {
                Ok(_) => {
                    push_toast(ui, Toast::info(t(Msg::DesApplied)));
                    navigate(&Route::Destruction);
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    });
    let name = name_of(svc, &id);
    view! {
        <div class="ov-page" data-testid="des-apply">
            <div class="ov-head">
                <h1 class="page-title">{fill(t(Msg::DesApplyTitle), &[&name])}</h1>
                <a class="btn" href=Route::Profile(id.clone()).hash()>{t(Msg::Back)}</a>
            </div>
            {move || {
                if !session.is_admin() {
                    return view! { <p class="empty" data-testid="des-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match check.get() {
                    None => crate::ui::shell::waiting(Msg::Loading, "des-check-loading"),
                    Some(Err(e)) => view! { <p class="err" role="alert">{e.explain(locale())}</p> }.into_any(),
                    Some(Ok(c)) => {
                        let blocked = c.blockers().is_empty();
                        view! {
                            <section class="card">
                                <CheckView check=c />
                                {if blocked {
                                    view! {
                                        <ReasonForm key="des-apply".to_string() testid="des-apply".to_string() label=Msg::DesReason confirm=Msg::DesSubmit
                                            reason=reason error=error busy=busy on_submit=submit />
                                    }.into_any()
                                } else {
                                    view! { <p class="err" role="alert" data-testid="des-apply-blocked">{t(Msg::DesCannotApply)}</p> }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            }}
        </div>
    }
}
