//! Printing (office module, loaded on first use): the customer archive form of one profile on one
//! A4 page (`#/p/<id>/print`, the fields of seed 001's 客户档案登记表) and the current list as a
//! table (`#/print`). Each shows a preview with a Print button; `style/main.css` (`@media print`)
//! hides everything else.

use crate::app::archive::Services;
use crate::app::bridge::{self, Note};
use crate::app::errors::Explain;
use crate::domain::fields::Field;
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::grant::{Decision, Scope};
use crate::domain::governance::sealed::shown;
use crate::domain::governance::Role;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::platform::clock::today;
use crate::ui::profile::request::AskToSee;
use crate::ui::widgets::{Icon, IconKind};
use crate::ui::{locale, t};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Logs the print (which profile, or the list and how many rows), then opens the print dialog.
fn print_now(svc: Services, profile: String, detail: String) {
    svc.record_access(Entry { kind: Some(EventKind::Print), profile, detail, ..Entry::default() });
    let _ = window().print();
}

/// The toolbar above a print preview (not printed); `what` says what is printed for the log.
#[component]
fn PrintBar(
    back: String,
    #[prop(optional)] profile: String,
    #[prop(optional, into)] detail: Signal<String>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let profile = StoredValue::new(profile);
    view! {
        <div class="print-bar no-print">
            <a class="btn ghost" href=back data-testid="print-back"><Icon kind=IconKind::Back /> {t(Msg::Back)}</a>
            <span class="muted">{t(Msg::PrintHint)}</span>
            <button class="btn primary" data-testid="print-now" on:click=move |_| print_now(svc, profile.get_value(), detail.get_untracked())>{t(Msg::Print)}</button>
        </div>
    }
}

/// One labelled cell of the form.
fn cell(label: String, value: String, wide: bool) -> impl IntoView {
    view! {
        <th>{label}</th>
        <td colspan=if wide { "3" } else { "1" }>{value}</td>
    }
}

#[component]
pub fn ProfilePrint(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    // An ordinary user prints masked values; a full print needs an administrator's approval, whose
    // values open with the clerk's own key while it holds.
    let clerk = svc.session.role() == Some(Role::User);
    let granted: RwSignal<Option<Decision>> = RwSignal::new(None);
    let ask_for = id.clone();
    let profile = LocalResource::new(move || {
        let id = id.clone();
        let decision = granted.get();
        async move {
            let Some(p) = svc.profile(&id).await? else { return Ok(None) };
            let opened = match decision {
                Some(d) => {
                    let mut values = BTreeMap::new();
                    for path in d.sealed.keys() {
                        if let Ok(v) = svc.open_granted(&d, path).await {
                            values.insert(path.clone(), v);
                        }
                    }
                    Some(values)
                }
                None => None,
            };
            Ok::<_, crate::app::archive::StoreError>(Some((p, opened)))
        }
    });
    view! {
        {clerk.then(|| view! {
            <section class="card print-ask no-print" data-testid="print-full">
                <p class="muted">{move || t(if granted.get().is_some() { Msg::PrintFullGranted } else { Msg::PrintFullNeedsApproval })}</p>
                <AskToSee scope=Scope::Print { profile: ask_for.clone() } testid="print-full" granted=granted ask=Msg::PrintFullAsk />
            </section>
        })}
        <Suspense fallback=|| view! { <div class="state" role="status"><div class="spinner"></div></div> }>
            {move || profile.get().map(|r| match r {
                Ok(Some((p, opened))) => view! { <ArchiveForm p=p opened=opened /> }.into_any(),
                Ok(None) => view! { <div class="state" data-testid="not-found"><p>{t(Msg::NotFound)}</p></div> }.into_any(),
                Err(e) => view! { <div class="state error" role="alert"><p>{e.explain(crate::ui::locale())}</p></div> }.into_any(),
            })}
        </Suspense>
    }
}

/// The form of `p`: as the access table lets the signed-in person print it (sealed values masked),
/// or in full with `opened` (the sealed values of an approved full print, by field path).
#[component]
fn ArchiveForm(p: Profile, opened: Option<BTreeMap<String, String>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let full = opened.is_some();
    let p = match opened {
        None => svc.for_viewer(vec![p], crate::domain::governance::Action::Print).0.remove(0),
        Some(values) => {
            let mut p = p;
            let plain = |f: Field, now: &str| values.get(f.path()).cloned().unwrap_or_else(|| shown(now).into_owned());
            if let Some(d) = p.id_doc.as_mut() {
                d.number = plain(Field::IdDocNumber, &d.number);
            }
            p.org.account = plain(Field::OrgAccount, &p.org.account);
            p
        }
    };
    let head_office = p
        .org
        .head_office_id
        .as_ref()
        .and_then(|h| svc.with_index_untracked(|ix| ix.get(h).map(|e| format!("{} {}", e.code, e.display_name()))))
        .unwrap_or_default();
    let contact = p.org.contacts.first().or(p.emergency_contact.as_ref()).cloned().unwrap_or_default();
    let is_org = p.kind == CustomerKind::Organisation;
    let id_doc = p
        .id_doc
        .as_ref()
        .map(|d| {
            let number = if full { d.number.clone() } else { crate::domain::fields::mask_id(&d.number) };
            format!("{} {}", t(d.kind.msg()), number)
        })
        .unwrap_or_default();
    // Labels and values from the field registry; a few cells combine fields as the paper form does.
    let l = locale();
    let f = |field: Field, wide: bool| cell(field.plain_label(l), field.text(&p, l), wide);
    let m = |label: Msg, value: String, wide: bool| cell(t(label).to_string(), value, wide);
    let back = format!("#/p/{}", p.id);
    view! {
        <PrintBar back=back profile=p.id.clone() detail=if full { "form, in full by approval" } else { "form" }.to_string() />
        <article class="print-sheet archive-form" data-testid="print-form">
            <header class="form-title">
                <h1>{t(Msg::PrintFormTitle)}</h1>
                {(!p.customer_code.is_empty()).then(|| view! { <p>{t(Msg::PrintFormNo)} " " <span class="mono">{p.customer_code.clone()}</span></p> })}
            </header>
            <table class="form-grid">
                <tbody>
                    <tr>{f(Field::Code, false)}{f(Field::Kind, false)}</tr>
                    <tr>{m(if is_org { Msg::FOrgName } else { Msg::FName }, p.name.clone(), true)}</tr>
                    <tr>{f(Field::ShortName, false)}{f(Field::Since, false)}</tr>
                    <tr>{f(Field::OrgCategory, false)}{f(Field::OrgRegion, false)}</tr>
                    <tr>{m(Msg::FHeadOffice, head_office, false)}{f(Field::OrgIndustry, false)}</tr>
                    <tr>{f(Field::OrgTaxNo, false)}{f(Field::OrgLegalRep, false)}</tr>
                    <tr>{f(Field::OrgCapital, false)}{f(Field::OrgNature, false)}</tr>
                    <tr>{f(Field::OrgBank, false)}{f(Field::OrgAccount, false)}</tr>
                    <tr>{f(Field::Address, true)}</tr>
                    <tr>{f(Field::Phones, false)}{f(Field::Email, false)}</tr>
                    <tr>{m(Msg::FContactName, format!("{} {}", contact.name, contact.role).trim().to_string(), false)}{m(Msg::FContactPhone, contact.phone.clone(), false)}</tr>
                    {(!is_org).then(|| view! {
                        <tr>{f(Field::Gender, false)}{f(Field::BirthDate, false)}</tr>
                        <tr>{m(Msg::FDocType, id_doc.clone(), true)}</tr>
                        <tr>{f(Field::Company, false)}{f(Field::Nationality, false)}</tr>
                    })}
                    <tr>{f(Field::Class, false)}{f(Field::Credit, false)}</tr>
                    <tr>{f(Field::Mark, false)}{f(Field::Tags, false)}</tr>
                    <tr class="tall">{f(Field::Preferences, true)}</tr>
                    <tr>{f(Field::SpecialDays, true)}</tr>
                    <tr class="tall">{f(Field::Notes, true)}</tr>
                </tbody>
            </table>
            <footer class="form-foot">
                <span>{t(Msg::PrintFilledBy)} " " {svc.session.staff()}</span>
                <span>{t(Msg::PrintDate)} " " {today().to_string()}</span>
                <span>{t(Msg::PrintApproved)} " ________"</span>
            </footer>
            <p class="form-note">{t(Msg::PrintConfidential)}</p>
        </article>
    }
}

/// The current list (filters and search as on the desk's list screen) as a printable table. The
/// office module shows it: the desk answers with the profiles its list shows, in order.
#[component]
pub fn ListPrint() -> impl IntoView {
    let svc = expect_context::<Services>();
    let shown = RwSignal::new(None::<Vec<String>>);
    bridge::listen(move |note| {
        if let Note::List(ids) = note {
            shown.set(Some(ids));
        }
    });
    bridge::send(Note::ListAsk);
    let count = move || shown.with(|s| s.as_ref().map_or(0, Vec::len));
    let rows = move || {
        shown.with(|ids| {
            svc.with_index(|ix| {
                ids.iter()
                    .flatten()
                    .filter_map(|id| ix.get(id))
                    .map(|e| {
                        (
                            e.code.clone(),
                            e.display_name().to_string(),
                            // Personal values are masked in lists, on paper as on screen.
                            e.phones.first().map(|p| crate::domain::fields::mask_phone(p)).unwrap_or_default(),
                            e.company.clone(),
                            e.class,
                            e.mark,
                            e.credit,
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    move || {
        if shown.with(Option::is_none) {
            return crate::ui::shell::waiting(Msg::ScreenLoading, "print-list-loading");
        }
        view! {
            <PrintBar back="#/".to_string() detail=Signal::derive(move || format!("list {}", count())) />
            <article class="print-sheet print-list" data-testid="print-list">
                <header class="form-title">
                    <h1>{t(Msg::PrintListTitle)}</h1>
                    <p>{today().to_string()} " · " {count} " " {t(Msg::Profiles)}</p>
                </header>
                <table class="list-grid">
                    <thead><tr>
                        <th>"#"</th><th>{t(Msg::FCode)}</th><th>{t(Msg::ColName)}</th><th>{t(Msg::ColPhone)}</th>
                        <th>{t(Msg::ColCompany)}</th><th>{t(Msg::ColClass)}</th><th>{t(Msg::FMark)}</th><th>{t(Msg::ColCredit)}</th>
                    </tr></thead>
                    <tbody>
                        {move || rows().into_iter().enumerate().map(|(i, (code, name, phone, company, class, mark, credit))| view! {
                            <tr>
                                <td class="num">{i + 1}</td><td class="mono">{code}</td><td>{name}</td><td class="mono">{phone}</td>
                                <td>{company}</td><td>{t(class.msg())}</td>
                                <td>{if mark == GuestMark::None { String::new() } else { t(mark.msg()).to_string() }}</td>
                                <td>{if credit == CreditRating::Unrated { String::new() } else { t(credit.msg()).to_string() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </article>
        }
        .into_any()
    }
}
