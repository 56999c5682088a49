//! The rules card of the settings (a super administrator's): the idle lock, how long an approval
//! lasts by default, and the departments. Signed and synced like every governance record.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::governance::{self, GovError};
use crate::app::session::Session;
use crate::domain::fields::Sensitivity;
use crate::domain::governance::policy::Policy;
use crate::domain::governance::staff::Role;
use crate::domain::i18n::Msg;
use crate::platform::clock::now_ms;
use crate::ui::{locale, t};
use leptos::prelude::*;

#[component]
pub fn PolicyCard() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        let super_admin = session.who().is_some_and(|s| s.role == Role::SuperAdmin);
        let policy = session.roster.with(|r| r.as_ref().map(|r| r.policy.clone()))?;
        super_admin.then(|| view! { <PolicyForm policy=policy /> })
    }
}

#[component]
fn PolicyForm(policy: Policy) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let idle = RwSignal::new(policy.idle_minutes.to_string());
    let hours = RwSignal::new(policy.grant_hours.to_string());
    let depts = RwSignal::new(policy.departments.join("，"));
    let classes = RwSignal::new(policy.clone());
    // Changed on the archive-quality screen; kept as it is here.
    let policy_required = policy.required.clone();
    let policy_credit = policy.credit.clone();
    let ret_years = RwSignal::new(policy.retention.years.to_string());
    let ret_debt = RwSignal::new(policy.retention.debt_years.to_string());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(me) = session.signed_in() else { return };
        if busy.get_untracked() {
            return;
        }
        let parse = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
        let next = Policy {
            idle_minutes: parse(idle),
            grant_hours: parse(hours),
            departments: Policy::parse_departments(&depts.get_untracked()),
            classes: classes.with_untracked(|c| c.classes.clone()),
            required: policy_required.clone(),
            credit: policy_credit.clone(),
            retention: crate::domain::retention::Rules {
                years: parse(ret_years).min(u16::MAX as u32) as u16,
                debt_years: parse(ret_debt).min(u16::MAX as u32) as u16,
            },
        };
        save_policy(svc, session, me, next, Msg::PolicySaved, busy, error);
    };
    let number = move |value: RwSignal<String>, label: Msg, testid: &'static str| {
        view! {
            <label class="field">
                <span class="label">{t(label)}</span>
                <input type="number" inputmode="numeric" data-testid=testid prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <section class="card" data-testid="policy-card" aria-labelledby="policy-title">
            <h2 id="policy-title">{t(Msg::PolicyTitle)}</h2>
            <form class="staff-grid" novalidate on:submit=submit>
                {number(idle, Msg::PolicyIdle, "policy-idle")}
                {number(hours, Msg::PolicyGrant, "policy-hours")}
                {number(ret_years, Msg::PolicyRetYears, "policy-ret-years")}
                {number(ret_debt, Msg::PolicyRetDebtYears, "policy-ret-debt")}
                <label class="field">
                    <span class="label">{t(Msg::PolicyDepts)}</span>
                    <input type="text" data-testid="policy-depts" prop:value=move || depts.get() on:input=move |ev| depts.set(event_target_value(&ev)) />
                </label>
                <fieldset class="class-grid">
                    <legend>{t(Msg::PolicyClasses)}</legend>
                    {Policy::movable().map(|f| {
                        let id = format!("policy-class-{}", f.path());
                        view! {
                            <label class="field" for=id.clone()>
                                <span class="label">{f.plain_label(locale())}</span>
                                <select id=id.clone() data-testid=id.clone()
                                    on:change=move |ev| {
                                        let class = match event_target_value(&ev).as_str() {
                                            "public" => Sensitivity::Public,
                                            "sensitive" => Sensitivity::Sensitive,
                                            _ => Sensitivity::Personal,
                                        };
                                        classes.update(|p| p.set_class(f, class));
                                    }>
                                    {[(Sensitivity::Public, "public", Msg::ClassPublic), (Sensitivity::Personal, "personal", Msg::ClassPersonal), (Sensitivity::Sensitive, "sensitive", Msg::ClassSensitive)]
                                        .into_iter()
                                        .map(|(c, v, m)| view! { <option value=v selected=move || classes.with(|p| p.class(f) == c)>{t(m)}</option> })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="btn primary" data-testid="policy-save" disabled=move || busy.get()>{t(Msg::Save)}</button>
                </div>
            </form>
            {move || error.get().map(|m| view! { <p class="err" role="alert" data-testid="policy-error">{m}</p> })}
        </section>
    }
}

/// Signs and keeps `next` as the archive's policy (a super administrator's), then reads the
/// roster again here and on the desk and says `saved` in a toast; `busy` while it works, the
/// failure in words in `error`.
pub(crate) fn save_policy(
    svc: Services,
    session: Session,
    me: crate::app::governance::SignedIn,
    next: Policy,
    saved: Msg,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) {
    busy.set(true);
    error.set(None);
    leptos::task::spawn_local(async move {
        let result = async {
            let archive = svc.archive().map_err(GovError::Store)?;
            governance::set_policy(&archive, &me, &next, now_ms()).await
        }
        .await;
        busy.try_set(false);
        match result {
            Ok(()) => {
                svc.local_rev.update(|n| *n += 1);
                crate::ui::governance::load_roster(svc, session).await;
                crate::app::bridge::send(crate::app::bridge::Note::GovernanceChanged);
                crate::app::bridge::send(crate::app::bridge::Note::Toast { text: t(saved).into(), error: false });
            }
            Err(e) => {
                error.try_set(Some(e.explain(locale())));
            }
        }
    });
}
