//! The staff card of the settings (a super administrator's): everyone who can sign in, adding a
//! staff member (they type their own PIN on this device), and changing one (department, role,
//! removed, a new PIN).

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::governance::{self, GovError};
use crate::app::session::Session;
use crate::domain::governance::staff::{Role, Staff};
use crate::domain::i18n::Msg;
use crate::platform::clock::now_ms;
use crate::ui::governance::{new_pin_field, NewPin};
use crate::ui::{locale, t};
use leptos::prelude::*;

#[component]
pub fn StaffCard() -> impl IntoView {
    let session = expect_context::<Session>();
    let editing = RwSignal::new(None::<Staff>);
    move || {
        let me = session.who()?;
        if me.role != Role::SuperAdmin {
            return None;
        }
        // Only the table follows the roster (read again after every sync round): the form below
        // keeps what is being typed.
        let staff = move || {
            session
                .roster
                .with(|r| r.as_ref().map(|r| r.staff.values().cloned().collect::<Vec<_>>()).unwrap_or_default())
        };
        Some(view! {
            <section class="card" data-testid="staff-card" aria-labelledby="staff-card-title">
                <h2 id="staff-card-title">{t(Msg::StaffTitle)}</h2>
                <table class="staff-table">
                    <thead><tr><th>{t(Msg::GovName)}</th><th>{t(Msg::GovDept)}</th><th>{t(Msg::StaffRole)}</th><th><span class="visually-hidden">{t(Msg::Edit)}</span></th></tr></thead>
                    <tbody>
                        {move || staff().into_iter().map(|s| {
                            let row = s.clone();
                            view! {
                                <tr data-testid="staff-row" class:removed=!s.active>
                                    <td>{s.name.clone()} {(!s.active).then(|| view! { <span class="muted">" (" {t(Msg::StaffRemoved)} ")"</span> })}</td>
                                    <td>{s.department.clone()}</td>
                                    <td>{t(s.role.msg())}</td>
                                    <td><button class="btn ghost small" data-testid=format!("staff-edit-{}", s.name) on:click=move |_| editing.set(Some(row.clone()))>{t(Msg::Edit)}</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {move || match editing.get() {
                    Some(s) => view! { <StaffForm editing=editing existing=Some(s) /> }.into_any(),
                    None => view! { <StaffForm editing=editing existing=None /> }.into_any(),
                }}
            </section>
        })
    }
}

/// Adding (no `existing`) or changing a staff member.
#[component]
fn StaffForm(editing: RwSignal<Option<Staff>>, existing: Option<Staff>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let departments =
        session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.departments.clone()).unwrap_or_default());
    let is_new = existing.is_none();
    let base = existing.clone().unwrap_or(Staff {
        active: true,
        department: departments.first().cloned().unwrap_or_default(),
        ..Staff::default()
    });
    let name = RwSignal::new(base.name.clone());
    let dept = RwSignal::new(base.department.clone());
    let role = RwSignal::new(base.role);
    let active = RwSignal::new(base.active);
    let form = NewPin::new();
    let NewPin { pin, again, error, busy } = form;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(me) = session.signed_in() else { return };
        if !form.begin() {
            return;
        }
        let base = base.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let archive = svc.archive().map_err(GovError::Store)?;
                let (n, d, r, p) =
                    (name.get_untracked(), dept.get_untracked(), role.get_untracked(), pin.get_untracked());
                if is_new {
                    governance::add_staff(&archive, &me, &n, &d, r, &p, now_ms()).await
                } else {
                    let roster = session.roster.get_untracked().unwrap_or_default();
                    let changed = Staff { name: n, department: d, role: r, active: active.get_untracked(), ..base };
                    governance::update_staff(&archive, &me, &roster, changed, Some(p.as_str()), now_ms()).await
                }
            }
            .await;
            busy.set(false);
            match result {
                Ok(s) => {
                    svc.local_rev.update(|n| *n += 1);
                    crate::ui::governance::load_roster(svc, session).await;
                    crate::app::bridge::send(crate::app::bridge::Note::GovernanceChanged);
                    editing.set(None);
                    name.set(String::new());
                    pin.set(String::new());
                    again.set(String::new());
                    crate::app::bridge::send(crate::app::bridge::Note::Toast {
                        text: format!("{}{}", t(Msg::StaffSaved), s.name),
                        error: false,
                    });
                }
                Err(e) => error.set(Some(e.explain(locale()))),
            }
        });
    };
    view! {
        <form class="staff-form" on:submit=submit data-testid="staff-form">
            <h3>{if is_new { t(Msg::StaffAdd) } else { t(Msg::StaffChange) }}</h3>
            <div class="staff-grid">
                <label class="field">
                    <span class="label">{t(Msg::GovName)}</span>
                    <input type="text" maxlength="40" data-testid="staff-f-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span class="label">{t(Msg::GovDept)}</span>
                    <select data-testid="staff-f-dept" on:change=move |ev| dept.set(event_target_value(&ev))>
                        {departments.into_iter().map(|d| { let (v, label) = (d.clone(), d.clone()); view! { <option value=d selected=move || dept.get() == v>{label}</option> } }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="label">{t(Msg::StaffRole)}</span>
                    <select data-testid="staff-f-role" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        role.set(Role::ALL.into_iter().find(|r| format!("{r:?}") == v).unwrap_or_default());
                    }>
                        {Role::ALL.into_iter().map(|r| view! { <option value=format!("{r:?}") selected=move || role.get() == r>{t(r.msg())}</option> }).collect_view()}
                    </select>
                </label>
                {(!is_new).then(|| view! {
                    <label class="field field-inline">
                        <input type="checkbox" data-testid="staff-f-active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                        <span>{t(Msg::StaffActive)}</span>
                    </label>
                })}
                {new_pin_field(pin, if is_new { Msg::GovPin } else { Msg::StaffNewPin }, "staff-f-pin")}
                {new_pin_field(again, Msg::GovPinAgain, "staff-f-pin-again")}
            </div>
            <p class="muted hint">{if is_new { t(Msg::StaffAddHint) } else { t(Msg::StaffChangeHint) }}</p>
            {move || error.get().map(|m| view! { <p class="err" role="alert" data-testid="staff-error">{m}</p> })}
            <div class="form-actions">
                {(!is_new).then(|| view! { <button type="button" class="btn ghost" on:click=move |_| editing.set(None)>{t(Msg::Cancel)}</button> })}
                <button type="submit" class="btn primary" data-testid="staff-save" disabled=move || busy.get()>
                    {move || if busy.get() { t(Msg::GovWorking) } else if is_new { t(Msg::StaffAdd) } else { t(Msg::Save) }}
                </button>
            </div>
        </form>
    }
}
