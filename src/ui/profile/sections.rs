//! The cards of a profile page: alerts, preferences and days, particulars, contact, organisation.
//! Labels and values come from the field registry (`domain::fields`).

use super::reveal::SealedValue;
use crate::app::archive::Services;
use crate::domain::fields::Field;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::platform::clock::today;
use crate::ui::shell::route::Route;
use crate::ui::widgets::*;
use crate::ui::{locale, t};
use leptos::prelude::*;

pub(super) fn info(label: Msg, value: impl Into<String>) -> Option<AnyView> {
    let v = value.into();
    (!v.trim().is_empty()).then(|| view! { <div class="info"><dt>{t(label)}</dt><dd>{v}</dd></div> }.into_any())
}

/// A field of the registry with its label, when it has a value.
pub(super) fn field(p: &Profile, f: Field) -> Option<AnyView> {
    info(f.label(), f.text(p, locale()))
}

/// What staff must see first: VIP, taboos and allergies, special days coming up.
#[component]
pub fn Alerts(p: Profile) -> impl IntoView {
    let alerts = p.alerts(today());
    view! {
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
                        view! { <span class="alert day"><Icon kind=IconKind::Cake /> {label} " · " {day_words(&day)} " · " {when}</span> }.into_any()
                    }
                }).collect_view()}
            </div>
        })}
    }
}

/// A special day as staff read it: `03-05`; a lunar day in the clerk's language with the
/// Gregorian day it next falls on (`农历四月初八（5月24日）`).
pub fn day_words(d: &SpecialDay) -> String {
    let written = d.written_in(locale());
    match d.days_until(today()) {
        Some(n) if d.calendar.is_lunar() => {
            let on = crate::domain::Date::from_days_since_epoch(today().days_since_epoch() + n);
            format!("{written} ({on})")
        }
        _ => written,
    }
}

/// Preferences and taboos, and special days.
#[component]
pub fn PrefsCard(p: Profile) -> impl IntoView {
    view! {
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
                        <li>{t(d.kind.msg())} " " {day_words(d)} " " {d.label.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// Birth date and age, since when, origin, language, and the identity document (masked until asked).
#[component]
pub fn BasicCard(p: Profile) -> impl IntoView {
    let age = p.birth_date.map(|b| format!("{b} ({} {})", b.years_until(today()), t(Msg::Age))).unwrap_or_default();
    let id_doc = p.id_doc.clone().filter(|d| !d.number.is_empty());
    view! {
        <section class="card">
            <h2>{t(Msg::SecBasic)}</h2>
            <dl class="infos" data-empty=t(Msg::NothingYet)>
                {info(Msg::FBirth, age)}
                {field(&p, Field::Since)}
                {field(&p, Field::Ethnicity)}
                {field(&p, Field::NativePlace)}
                {field(&p, Field::Nationality)}
                {field(&p, Field::Language)}
                {id_doc.map(|d| view! {
                    <SealedValue id=p.id.clone() field=Field::IdDocNumber value=d.number label=t(d.kind.msg()).to_string() testid="id-number" />
                })}
            </dl>
        </section>
    }
}

/// Phones, email, address, company, emergency contact.
#[component]
pub fn ContactCard(p: Profile) -> impl IntoView {
    view! {
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
    }
}

/// An organisation's registration, head office, bank and contacts.
#[component]
pub fn OrgCard(p: Profile) -> impl IntoView {
    let svc = expect_context::<Services>();
    let head_office = p
        .org
        .head_office_id
        .as_ref()
        .and_then(|h| svc.with_index_untracked(|ix| ix.get(h).map(|e| (h.clone(), e.display_name().to_string()))));
    let org = p.org.clone();
    view! {
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
                {(!p.org.account.trim().is_empty()).then(|| view! {
                    <SealedValue id=p.id.clone() field=Field::OrgAccount value=p.org.account.clone() label=t(Msg::FAccount).to_string() testid="org-account" />
                })}
                {org.contacts.iter().map(|c| info(Msg::FContactName, format!("{} {} {}", c.name, c.role, c.phone))).collect_view()}
            </dl>
        </section>
    }
}
