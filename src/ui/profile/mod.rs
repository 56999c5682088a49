//! The profile: alerts first (taboos, allergies, VIP, special days within 7 days), then the
//! sections, then the history timeline.

pub mod history;

use crate::app::archive::{store_error_text, Services};
use crate::domain::fields::Field;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::platform::clock::today;
use crate::ui::locale;
use crate::ui::profile::history::HistoryPanel;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast, Undo};
use crate::ui::sync::ProfileSync;
use crate::ui::t;
use crate::ui::widgets::*;
use crate::ui::UiState;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Missing,
    Failed(String),
    Ready(Box<Profile>),
}

#[component]
pub fn ProfilePage(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    let state = RwSignal::new(Load::Loading);
    let history = RwSignal::new(Vec::<HistoryItem>::new());
    // Loads now, and again when another device or tab changed records.
    let load_id = id.clone();
    Effect::new(move |_| {
        svc.remote_rev.track();
        let id = load_id.clone();
        leptos::task::spawn_local(async move {
            let result =
                async { Ok::<_, crate::app::archive::StoreError>((svc.profile(&id).await?, svc.history(&id).await?)) }
                    .await;
            match result {
                Ok((Some(p), h)) => {
                    history.set(h);
                    state.set(Load::Ready(Box::new(p)));
                }
                Ok((None, _)) => state.set(Load::Missing),
                Err(e) => state.set(Load::Failed(store_error_text(&e, locale()))),
            }
        });
    });
    move || match state.get() {
        Load::Loading => view! { <div class="state" role="status"><div class="spinner"></div></div> }.into_any(),
        Load::Missing => view! {
            <div class="state" data-testid="not-found">
                <h2>{t(Msg::NotFound)}</h2>
                <p>{t(Msg::NotFoundHint)}</p>
                <a class="btn" href="#/">{t(Msg::Back)}</a>
            </div>
        }
        .into_any(),
        Load::Failed(e) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
        Load::Ready(p) => view! { <ProfileView p=*p state=state history=history /> }.into_any(),
    }
}

fn info(label: Msg, value: impl Into<String>) -> Option<AnyView> {
    let v = value.into();
    (!v.trim().is_empty()).then(|| view! { <div class="info"><dt>{t(label)}</dt><dd>{v}</dd></div> }.into_any())
}

/// A field of the registry with its label, when it has a value.
fn field(p: &Profile, f: Field) -> Option<AnyView> {
    info(f.label(), f.text(p, locale()))
}

#[component]
fn ProfileView(p: Profile, state: RwSignal<Load>, history: RwSignal<Vec<HistoryItem>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let list = expect_context::<crate::ui::list::ListState>();
    let confirm = RwSignal::new(false);
    let show_id = RwSignal::new(false);
    let deleted = p.is_deleted();
    let id = p.id.clone();

    let on_delete = {
        let p = p.clone();
        Callback::new(move |()| {
            let p = p.clone();
            leptos::task::spawn_local(async move {
                match svc.delete_profile(p.clone()).await {
                    Ok(_) => {
                        list.query.set(String::new());
                        push_toast(ui, Toast::info(t(Msg::DeletedToast)).with_undo(Undo::Restore(p.id.clone())));
                        navigate(&Route::List);
                    }
                    Err(e) => push_toast(ui, Toast::error(store_error_text(&e, locale()))),
                }
            });
        })
    };
    let restore = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match svc.restore_profile(&id).await {
                    Ok(()) => {
                        push_toast(ui, Toast::info(t(Msg::Restored)));
                        if let Ok(Some(p)) = svc.profile(&id).await {
                            state.set(Load::Ready(Box::new(p)));
                        }
                    }
                    Err(e) => push_toast(ui, Toast::error(store_error_text(&e, locale()))),
                }
            });
        }
    };

    let alerts = p.alerts(today());
    let age = p.birth_date.map(|b| format!("{b} ({} {})", b.years_until(today()), t(Msg::Age))).unwrap_or_default();
    let id_doc = p.id_doc.clone().filter(|d| !d.number.is_empty());
    let head_office = p
        .org
        .head_office_id
        .as_ref()
        .and_then(|h| svc.with_index_untracked(|ix| ix.get(h).map(|e| (h.clone(), e.display_name().to_string()))));
    let is_org = p.kind == CustomerKind::Organisation;
    let org = p.org.clone();

    view! {
        <article class="profile" data-testid="profile">
            {deleted.then(|| view! {
                <div class="banner deleted" role="status" data-testid="deleted-banner">
                    {t(Msg::DeletedBanner)}
                    <button class="btn small" data-testid="restore" on:click=restore.clone()>{t(Msg::Restore)}</button>
                </div>
            })}
            <header class="profile-head card">
                <div>
                    <h1 data-testid="profile-name">
                        {p.display_name().to_string()} <MarkBadge mark=p.mark />
                    </h1>
                    <p class="profile-sub">
                        <span>{t(p.kind.msg())}</span>
                        {(p.gender != Gender::Unknown).then(|| view! { <span>{t(p.gender.msg())}</span> })}
                        {(!p.customer_code.is_empty()).then(|| view! { <span class="mono">{p.customer_code.clone()}</span> })}
                        <ClassChip class=p.class />
                        <CreditChip credit=p.credit />
                        {p.tags.iter().map(|tg| view! { <span class="chip tag">{tg.clone()}</span> }).collect_view()}
                    </p>
                </div>
                <div class="actions">
                    <a class="btn" href="#/">{t(Msg::Back)}</a>
                    {(!deleted).then(|| view! {
                        <a class="btn" data-testid="print" href=Route::Print(id.clone()).hash()>{t(Msg::PrintProfile)}</a>
                        <a class="btn primary" data-testid="edit" href=Route::Edit(id.clone()).hash()>{t(Msg::Edit)}</a>
                        <button class="btn danger-ghost" data-testid="delete" on:click=move |_| confirm.set(true)>{t(Msg::Delete)}</button>
                    })}
                </div>
            </header>

            {(!alerts.is_empty()).then(|| view! {
                <div class="alerts" data-testid="alerts" role="note">
                    {alerts.into_iter().map(|a| match a {
                        Alert::Vip => view! { <span class="alert vip"><Icon kind=IconKind::Star /> {t(Msg::AlertVip)}</span> }.into_any(),
                        Alert::Preference(pref) => {
                            let cls = if pref.kind == PrefKind::Allergy { "alert allergy" } else { "alert taboo" };
                            view! { <span class=cls data-testid="alert-pref"><Icon kind=IconKind::Warning /> {t(pref.kind.msg())} ": " {pref.value}</span> }.into_any()
                        }
                        Alert::SpecialDay { day, in_days } => {
                            let when = if in_days == 0 { t(Msg::AlertToday).to_string() } else { format!("{in_days} {}", t(Msg::AlertInDays)) };
                            let label = if day.label.is_empty() { t(day.kind.msg()).to_string() } else { format!("{} {}", t(day.kind.msg()), day.label) };
                            view! { <span class="alert day"><Icon kind=IconKind::Cake /> {label} " · " {format!("{:02}-{:02}", day.month, day.day)} " · " {when}</span> }.into_any()
                        }
                    }).collect_view()}
                </div>
            })}

            <ProfileSync id=id.clone() conflicts=true />

            <div class="profile-grid">
                <div class="col">
                    <section class="card">
                        <h2>{t(Msg::SecPrefs)}</h2>
                        {if p.preferences.is_empty() {
                            view! { <p class="muted">{t(Msg::NoPrefs)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="prefs" data-testid="prefs">
                                    {p.preferences.iter().map(|x| view! {
                                        <li class:alerting=x.kind.is_alert()><span class="pref-kind">{t(x.kind.msg())}</span>{x.value.clone()}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(!p.special_days.is_empty()).then(|| view! {
                            <h3>{t(Msg::SecDays)}</h3>
                            <ul class="days">
                                {p.special_days.iter().map(|d| view! {
                                    <li>{t(d.kind.msg())} " " {format!("{:02}-{:02}", d.month, d.day)} " " {d.label.clone()}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                    <section class="card">
                        <h2>{t(Msg::SecBasic)}</h2>
                        <dl class="infos" data-empty=t(Msg::NothingYet)>
                            {info(Msg::FBirth, age)}
                            {field(&p, Field::Since)}
                            {field(&p, Field::Ethnicity)}
                            {field(&p, Field::NativePlace)}
                            {field(&p, Field::Nationality)}
                            {field(&p, Field::Language)}
                            {id_doc.map(|d| {
                                let number = d.number.clone();
                                view! {
                                    <div class="info">
                                        <dt>{t(d.kind.msg())}</dt>
                                        <dd class="mono" data-testid="id-number">
                                            {move || if show_id.get() { number.clone() } else { mask_id(&number) }}
                                            <button class="link" data-testid="reveal-id" on:click=move |_| show_id.update(|s| *s = !*s)>{move || if show_id.get() { t(Msg::HideNumber) } else { t(Msg::ShowNumber) }}</button>
                                        </dd>
                                    </div>
                                }
                            })}
                        </dl>
                    </section>
                    <section class="card">
                        <h2>{t(Msg::SecContact)}</h2>
                        <dl class="infos" data-empty=t(Msg::NothingYet)>
                            {p.phones.iter().map(|ph| info(Msg::FPhone, ph.clone())).collect_view()}
                            {field(&p, Field::Email)}
                            {field(&p, Field::Address)}
                            {field(&p, Field::Company)}
                            {field(&p, Field::EmergencyContact)}
                        </dl>
                    </section>
                    {is_org.then(|| view! {
                        <section class="card">
                            <h2>{t(Msg::SecOrg)}</h2>
                            <dl class="infos" data-empty=t(Msg::NothingYet)>
                                {info(Msg::FOrgName, p.name.clone())}
                                {field(&p, Field::ShortName)}
                                {field(&p, Field::OrgCategory)}
                                {field(&p, Field::OrgRegion)}
                                {head_office.map(|(hid, name)| view! {
                                    <div class="info"><dt>{t(Msg::FHeadOffice)}</dt><dd><a href=Route::Profile(hid).hash()>{name}</a></dd></div>
                                })}
                                {field(&p, Field::OrgIndustry)}
                                {field(&p, Field::OrgTaxNo)}
                                {field(&p, Field::OrgLegalRep)}
                                {field(&p, Field::OrgCapital)}
                                {field(&p, Field::OrgNature)}
                                {field(&p, Field::OrgBank)}
                                {field(&p, Field::OrgAccount)}
                                {org.contacts.iter().map(|c| info(Msg::FContactName, format!("{} {} {}", c.name, c.role, c.phone))).collect_view()}
                            </dl>
                        </section>
                    })}
                    {(!p.notes.trim().is_empty()).then(|| view! {
                        <section class="card"><h2>{t(Msg::SecNotes)}</h2><p class="notes">{p.notes.clone()}</p></section>
                    })}
                    <p class="meta muted">
                        {t(Msg::CreatedBy)} ": " {crate::ui::staff_label(&p.meta.created_by)} " " {fmt_datetime(p.meta.created_at)}
                        " · " {t(Msg::UpdatedBy)} ": " {crate::ui::staff_label(&p.meta.updated_by)} " " {fmt_datetime(p.meta.updated_at)}
                    </p>
                    <ProfileSync id=id.clone() conflicts=false />
                </div>
                <div class="col">
                    <HistoryPanel profile_id=id.clone() items=history readonly=deleted />
                </div>
            </div>
            <ConfirmDialog title=Msg::ConfirmDeleteTitle body=Msg::ConfirmDeleteBody confirm=Msg::Delete open=confirm on_confirm=on_delete />
        </article>
    }
}
