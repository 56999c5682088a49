//! Create and edit a profile. Every problem is shown at its field at once and nothing is saved
//! until all are fixed; what the clerk typed is kept as a draft in local storage until it is
//! saved or cancelled, so neither an error, a reload nor a crash loses it.

use crate::app::archive::{store_error_text, SaveError, Services};
use crate::app::prefs;
use crate::domain::dupes::Duplicate;
use crate::domain::forms::profile::ProfileDraft;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ids::parse_resident_id;
use crate::domain::model::*;
use crate::domain::validate::FieldError;
use crate::platform::clock::today;
use crate::platform::ids::new_id;
use crate::ui::list::ListState;
use crate::ui::locale;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::t;
use crate::ui::widgets::{enum_select, mask_id, Icon, IconKind, TextField};
use crate::ui::UiState;
use leptos::prelude::*;

type Draft = ProfileDraft;
type Getter = fn(&Draft) -> String;
type Setter = fn(&mut Draft, String);

#[component]
pub fn ProfileForm(id: Option<String>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let list = expect_context::<ListState>();
    let draft_key = id.clone().unwrap_or_else(|| "new".into());
    let creating = id.is_none();
    let draft = RwSignal::new(Draft::default());
    let ready = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let dupes = RwSignal::new(Vec::<Duplicate>::new());
    let saving = RwSignal::new(false);
    let store_error = RwSignal::new(None::<String>);
    // What the form held when it opened; a draft is kept only while the input differs from it.
    let pristine = StoredValue::new(None::<Draft>);

    // Load: a kept draft first (nothing typed is lost), else the stored profile, else a new one.
    {
        let key = draft_key.clone();
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if let Some(d) = prefs::draft::<Draft>(&key) {
                // Unsaved input from before a reload or crash: still unsaved.
                draft.set(d);
            } else if let Some(id) = id {
                if let Ok(Some(p)) = svc.profile(&id).await {
                    let code = p
                        .org
                        .head_office_id
                        .as_ref()
                        .and_then(|h| svc.with_index_untracked(|ix| ix.get(h).map(|e| e.code.clone())))
                        .unwrap_or_default();
                    let d = Draft::from_profile(p, code);
                    pristine.set_value(Some(d.clone()));
                    draft.set(d);
                }
            } else {
                let d = Draft::new(new_id(), &list.query.get_untracked());
                pristine.set_value(Some(d.clone()));
                draft.set(d);
            }
            ready.set(true);
        });
    }
    {
        let key = draft_key.clone();
        Effect::new(move |first: Option<()>| {
            let d = draft.get();
            if first.is_some() && ready.get_untracked() {
                if pristine.with_value(|p| p.as_ref() == Some(&d)) {
                    prefs::clear_draft(&key);
                } else {
                    prefs::set_draft(&key, &d);
                }
            }
        });
    }

    let err_of = move |k: String| errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(locale())));
    let is_phone = |key: &str| key.starts_with("phones.") || key.ends_with("phone");
    let field = move |label: Msg, key: &'static str, get: Getter, set: Setter| {
        // A number typed with a Chinese input method shows as it will be stored.
        let fold = move |v: String| {
            if is_phone(key) {
                let folded = crate::domain::text::fold_phone(&v);
                if folded != v {
                    draft.update(|d| set(d, folded));
                }
            }
        };
        view! {
            <TextField
                label=label
                key=key
                testid=format!("f-{key}")
                value=Signal::derive(move || draft.with(get))
                on_input=move |v| draft.update(|d| set(d, v))
                error=Signal::derive(move || err_of(key.to_string()))
                on_blur=fold
            />
        }
    };
    let textarea = move |label: Msg, key: &'static str, get: Getter, set: Setter| {
        let k = key.to_string();
        view! {
            <label class="field wide" class:invalid=move || err_of(k.clone()).is_some()>
                <span class="label">{t(label)}</span>
                <textarea rows="3" data-testid=format!("f-{key}") prop:value=move || draft.with(get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))></textarea>
            </label>
        }
    };

    // Errors are shown as each field is left (the fields touched so far), and all of them once
    // the clerk tries to save.
    let touched = RwSignal::new(std::collections::HashSet::<String>::new());
    let attempted = RwSignal::new(false);
    // The draft as a profile, with every problem it has (parsing and the archive's rules).
    let checked = move || {
        let head = draft.with_untracked(|d| d.head_office_code.trim().to_string());
        let head_id = (!head.is_empty()).then(|| svc.id_by_code(&head)).flatten();
        let (p, mut errs) = draft.with_untracked(|d| d.to_profile(today(), head_id));
        errs.extend(svc.validate(&p));
        (p, errs)
    };
    let check_touched = move || {
        let (_, mut errs) = checked();
        if !attempted.get_untracked() {
            touched.with_untracked(|t| {
                errs.retain(|e| t.iter().any(|k| e.field == *k || e.field.starts_with(&format!("{k}."))))
            });
        }
        errors.set(errs);
    };
    let on_leave = move |ev: web_sys::FocusEvent| {
        let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) else {
            return;
        };
        if let Some(key) = el.closest("[data-field]").ok().flatten().and_then(|f| f.get_attribute("data-field")) {
            touched.update(|t| {
                t.insert(key);
            });
            // After the blur handlers of the field itself (the phone folding) have run.
            request_animation_frame(check_touched);
        }
    };
    let birthday_warning = move || draft.with(|d| d.birthday_mismatch(today()));

    let save_key = draft_key.clone();
    let open_key = StoredValue::new(draft_key.clone());
    let do_save = Callback::new(move |force: bool| {
        if saving.get_untracked() {
            return;
        }
        store_error.set(None);
        let (p, errs) = checked();
        attempted.set(true);
        if !errs.is_empty() {
            errors.set(errs);
            dupes.set(Vec::new());
            focus_first_error();
            return;
        }
        errors.set(Vec::new());
        if creating && !force {
            let found = svc.duplicates(&p);
            if !found.is_empty() {
                dupes.set(found);
                return;
            }
        }
        saving.set(true);
        let key = save_key.clone();
        leptos::task::spawn_local(async move {
            let mut p = p;
            p.phones.retain(|x| !x.is_empty());
            match svc.save_profile(p).await {
                Ok(saved) => {
                    prefs::clear_draft(&key);
                    list.query.set(String::new());
                    push_toast(ui, Toast::info(t(Msg::Saved)));
                    navigate(&Route::Profile(saved.id));
                }
                Err(SaveError::Invalid(e)) => {
                    errors.set(e);
                    focus_first_error();
                }
                Err(SaveError::Store(e)) => store_error.set(Some(store_error_text(&e, locale()))),
            }
            saving.set(false);
        });
    });
    let cancel = {
        let key = draft_key.clone();
        let id = id.clone();
        move |_| {
            prefs::clear_draft(&key);
            navigate(&id.clone().map_or(Route::List, Route::Profile));
        }
    };
    let id_info = move || {
        draft.with(|d| (d.id_kind == IdDocType::ResidentId).then(|| parse_resident_id(&d.id_no).ok()).flatten())
    };
    let is_org = move || draft.with(|d| d.p.kind == CustomerKind::Organisation);
    // The ID number is masked in an edit until the clerk asks to see it (a new one is typed in the clear).
    let id_shown = RwSignal::new(creating);

    view! {
        <Show when=move || ready.get() fallback=|| view! { <div class="state"><div class="spinner"></div></div> }>
            <form
                class="profile-form"
                data-testid="profile-form"
                novalidate
                on:focusout=on_leave
                on:submit=move |ev| {
                    ev.prevent_default();
                    do_save.run(false);
                }
            >
                <div class="form-head">
                    <h1>{if creating { t(Msg::NavNew) } else { t(Msg::Edit) }}</h1>
                    <div class="seg" data-testid="f-kind" role="group" aria-label=t(Msg::XcKind)>
                        {CustomerKind::ALL.iter().map(|&k| view! {
                            <button type="button" class:on=move || draft.with(|d| d.p.kind == k)
                                aria-pressed=move || if draft.with(|d| d.p.kind == k) { "true" } else { "false" }
                                on:click=move |_| draft.update(|d| d.p.kind = k)>{t(k.msg())}</button>
                        }).collect_view()}
                    </div>
                </div>
                {move || (attempted.get() && !errors.with(Vec::is_empty)).then(|| view! {
                    <div class="banner error" role="alert" data-testid="form-error">{t(Msg::FixErrors)}</div>
                })}
                {move || store_error.get().map(|e| view! {
                    <div class="banner error" role="alert" data-testid="store-error">{t(Msg::SaveFailed)} {e}</div>
                })}
                {move || (!dupes.with(Vec::is_empty)).then(|| view! {
                    <div class="banner warn dupes" role="alert" data-testid="dupes">
                        <strong>{t(Msg::DupTitle)}</strong>
                        <ul>
                            {dupes.get().into_iter().map(|d| view! {
                                <li>
                                    <span class="dupe-name">{d.name.clone()}</span>
                                    " (" {d.reasons.iter().map(|r| t(r.msg())).collect::<Vec<_>>().join("、")} ") "
                                    <a class="btn small" data-testid="dupe-open" href=Route::Profile(d.id.clone()).hash() on:click=move |_| {
                                        // The clerk chose the existing guest: the new profile is abandoned, not kept as a draft.
                                        prefs::clear_draft(&open_key.get_value());
                                        list.query.set(String::new());
                                    }>{t(Msg::DupOpen)}</a>
                                </li>
                            }).collect_view()}
                        </ul>
                        <button type="button" class="btn" data-testid="dupe-create" on:click=move |_| do_save.run(true)>{t(Msg::DupCreateAnyway)}</button>
                    </div>
                })}

                <fieldset class="card">
                    <legend>{t(Msg::SecBasic)}</legend>
                    <div class="grid">
                        {move || if is_org() {
                            field(Msg::FOrgName, "name", |d| d.p.name.clone(), |d, v| d.p.name = v).into_any()
                        } else {
                            field(Msg::FName, "name", |d| d.p.name.clone(), |d, v| d.p.name = v).into_any()
                        }}
                        {field(Msg::FPhone, "phones.0", |d| d.phones[0].clone(), |d, v| d.phones[0] = v)}
                        {field(Msg::FPhone2, "phones.1", |d| d.phones[1].clone(), |d, v| d.phones[1] = v)}
                        {field(Msg::FCode, "customer_code", |d| d.p.customer_code.clone(), |d, v| d.p.customer_code = v)}
                        <label class="field">
                            <span class="label">{t(Msg::FDocType)}</span>
                            {enum_select("f-id-kind", IdDocType::ALL, move || draft.with(|d| d.id_kind), move |k| draft.update(|d| d.id_kind = k))}
                        </label>
                        {move || if id_shown.get() {
                            field(Msg::FDocNo, "id_doc", |d| d.id_no.clone(), |d, v| d.id_no = v).into_any()
                        } else {
                            // An edit opens with the number masked, as the profile shows it.
                            view! {
                                <div class="field" data-field="id_doc">
                                    <span class="label" id="f-id-doc-label">{t(Msg::FDocNo)}</span>
                                    <div class="masked-input">
                                        <span class="mono" data-testid="f-id_doc-masked" aria-labelledby="f-id-doc-label">{move || draft.with(|d| mask_id(&d.id_no))}</span>
                                        <button type="button" class="btn small" data-testid="f-id_doc-show" on:click=move |_| id_shown.set(true)>{t(Msg::ShowNumber)}</button>
                                    </div>
                                </div>
                            }.into_any()
                        }}
                        {move || id_info().filter(|i| draft.with(|d| d.birth != i.birth_date.to_string() || d.p.gender != i.gender)).map(|info| view! {
                            <button type="button" class="btn small fill" data-testid="fill-from-id" on:click=move |_| draft.update(|d| {
                                d.birth = info.birth_date.to_string();
                                d.p.gender = info.gender;
                            })>{t(Msg::FillFromId)} " (" {info.birth_date.to_string()} ", " {t(info.gender.msg())} ")"</button>
                        })}
                        {move || (!is_org()).then(|| view! {
                            <label class="field">
                                <span class="label">{t(Msg::FGender)}</span>
                                {enum_select("f-gender", Gender::ALL, move || draft.with(|d| d.p.gender), move |g| draft.update(|d| d.p.gender = g))}
                            </label>
                            {field(Msg::FBirth, "birth_date", |d| d.birth.clone(), |d, v| d.birth = v)}
                            {field(Msg::FCompany, "company", |d| d.p.company.clone(), |d, v| d.p.company = v)}
                            {field(Msg::FEthnicity, "ethnicity", |d| d.p.ethnicity.clone(), |d, v| d.p.ethnicity = v)}
                            {field(Msg::FNativePlace, "native_place", |d| d.p.native_place.clone(), |d, v| d.p.native_place = v)}
                        })}
                        {field(Msg::FNationality, "nationality", |d| d.p.nationality.clone(), |d, v| d.p.nationality = v)}
                        {field(Msg::FLanguage, "language", |d| d.p.language.clone(), |d, v| d.p.language = v)}
                        {field(Msg::FEmail, "email", |d| d.p.email.clone(), |d, v| d.p.email = v)}
                        {field(Msg::FAddress, "address", |d| d.p.address.clone(), |d, v| d.p.address = v)}
                    </div>
                </fieldset>

                <fieldset class="card">
                    <legend>{t(Msg::SecClass)}</legend>
                    <div class="grid">
                        <label class="field">
                            <span class="label">{t(Msg::FClass)}</span>
                            {enum_select("f-class", CustomerClass::ALL, move || draft.with(|d| d.p.class), move |c| draft.update(|d| d.p.class = c))}
                        </label>
                        <label class="field">
                            <span class="label">{t(Msg::FMark)}</span>
                            {enum_select("f-mark", GuestMark::ALL, move || draft.with(|d| d.p.mark), move |m| draft.update(|d| d.p.mark = m))}
                        </label>
                        <label class="field">
                            <span class="label">{t(Msg::FCredit)}</span>
                            {enum_select("f-credit", CreditRating::ALL, move || draft.with(|d| d.p.credit), move |c| draft.update(|d| d.p.credit = c))}
                        </label>
                        {field(Msg::FTags, "tags", |d| d.tags.clone(), |d, v| d.tags = v)}
                        {field(Msg::FSince, "since", |d| d.since.clone(), |d, v| d.since = v)}
                    </div>
                </fieldset>

                <fieldset class="card">
                    <legend>{t(Msg::SecPrefs)}</legend>
                    <div class="rows-edit" data-testid="prefs-edit">
                        {move || (0..draft.with(|d| d.p.preferences.len())).map(|i| {
                            let k = format!("preferences.{i}");
                            view! {
                                <div class="row-edit" class:invalid=move || err_of(k.clone()).is_some() data-field=format!("preferences.{i}")>
                                    <label class="inline"><span class="visually-hidden">{t(Msg::FPrefKind)}</span>
                                        {enum_select("f-pref-kind", PrefKind::ALL, move || draft.with(|d| d.p.preferences.get(i).map(|x| x.kind).unwrap_or_default()), move |k| draft.update(|d| if let Some(x) = d.p.preferences.get_mut(i) { x.kind = k }))}
                                    </label>
                                    <input type="text" data-testid="f-pref-value" placeholder=t(Msg::FPrefValue) aria-label=t(Msg::FPrefValue)
                                        prop:value=move || draft.with(|d| d.p.preferences.get(i).map(|x| x.value.clone()).unwrap_or_default())
                                        on:input=move |ev| draft.update(|d| if let Some(x) = d.p.preferences.get_mut(i) { x.value = event_target_value(&ev) }) />
                                    <button type="button" class="btn small ghost" title=t(Msg::RemovePref) aria-label=t(Msg::RemovePref) on:click=move |_| draft.update(|d| { if i < d.p.preferences.len() { d.p.preferences.remove(i); } })><Icon kind=IconKind::Close /></button>
                                </div>
                            }
                        }).collect_view()}
                        <div class="quick-add">
                            {[PrefKind::Taboo, PrefKind::Allergy, PrefKind::Pillow, PrefKind::Floor, PrefKind::Room, PrefKind::Diet, PrefKind::Other].into_iter().map(|k| view! {
                                <button type="button" class="btn small" data-testid=format!("add-pref-{}", k.code()) on:click=move |_| draft.update(|d| d.p.preferences.push(Preference { kind: k, value: String::new() }))>"+ " {t(k.msg())}</button>
                            }).collect_view()}
                        </div>
                    </div>
                    <h3>{t(Msg::SecDays)}</h3>
                    <div class="rows-edit">
                        {move || (0..draft.with(|d| d.days.len())).map(|i| {
                            let k = format!("special_days.{i}");
                            let k2 = k.clone();
                            view! {
                                <div class="row-edit" class:invalid=move || err_of(k.clone()).is_some() data-field=format!("special_days.{i}")>
                                    <label class="inline"><span class="visually-hidden">{t(Msg::FDayKind)}</span>
                                        {enum_select("f-day-kind", DayKind::ALL, move || draft.with(|d| d.days.get(i).map(|x| x.0).unwrap_or_default()), move |k| draft.update(|d| if let Some(x) = d.days.get_mut(i) { x.0 = k }))}
                                    </label>
                                    <input type="text" class="short" placeholder=t(Msg::PhMonthDay) aria-label=t(Msg::FDayDate) data-testid="f-day-date"
                                        prop:value=move || draft.with(|d| d.days.get(i).map(|x| x.1.clone()).unwrap_or_default())
                                        on:input=move |ev| draft.update(|d| if let Some(x) = d.days.get_mut(i) { x.1 = event_target_value(&ev) }) />
                                    <input type="text" placeholder=t(Msg::FDayLabel) aria-label=t(Msg::FDayLabel)
                                        prop:value=move || draft.with(|d| d.days.get(i).map(|x| x.2.clone()).unwrap_or_default())
                                        on:input=move |ev| draft.update(|d| if let Some(x) = d.days.get_mut(i) { x.2 = event_target_value(&ev) }) />
                                    <button type="button" class="btn small ghost" title=t(Msg::RemoveDay) aria-label=t(Msg::RemoveDay) on:click=move |_| draft.update(|d| { if i < d.days.len() { d.days.remove(i); } })><Icon kind=IconKind::Close /></button>
                                    {move || err_of(k2.clone()).map(|m| view! { <span class="err">{m}</span> })}
                                    {move || birthday_warning().filter(|(w, _)| *w == i).map(|(_, born)| view! {
                                        <span class="warn-text" role="status" data-testid="birthday-mismatch">{fill(t(Msg::WarnBirthdayMismatch), &[&format!("{:02}-{:02}", born.month, born.day)])}</span>
                                    })}
                                </div>
                            }
                        }).collect_view()}
                        <button type="button" class="btn small" data-testid="add-day" on:click=move |_| draft.update(|d| d.days.push((DayKind::Birthday, String::new(), String::new())))>"+ " {t(Msg::AddDay)}</button>
                    </div>
                </fieldset>

                {move || is_org().then(|| view! {
                    <fieldset class="card">
                        <legend>{t(Msg::SecOrg)}</legend>
                        <div class="grid">
                            {field(Msg::FShortName, "short_name", |d| d.p.short_name.clone(), |d, v| d.p.short_name = v)}
                            {field(Msg::FTaxNo, "org.tax_no", |d| d.p.org.tax_no.clone(), |d, v| d.p.org.tax_no = v)}
                            {field(Msg::FLegalRep, "org.legal_rep", |d| d.p.org.legal_rep.clone(), |d, v| d.p.org.legal_rep = v)}
                            {field(Msg::FCapital, "org.registered_capital", |d| d.p.org.registered_capital.clone(), |d, v| d.p.org.registered_capital = v)}
                            <label class="field">
                                <span class="label">{t(Msg::FNature)}</span>
                                {enum_select("f-nature", EnterpriseNature::ALL, move || draft.with(|d| d.p.org.nature), move |n| draft.update(|d| d.p.org.nature = n))}
                            </label>
                            <label class="field">
                                <span class="label">{t(Msg::FIndustry)}</span>
                                {enum_select("f-industry", Industry::ALL, move || draft.with(|d| d.p.org.industry), move |n| draft.update(|d| d.p.org.industry = n))}
                            </label>
                            {field(Msg::FCategory, "org.category_code", |d| d.p.org.category_code.clone(), |d, v| d.p.org.category_code = v)}
                            {field(Msg::FRegion, "org.region_code", |d| d.p.org.region_code.clone(), |d, v| d.p.org.region_code = v)}
                            {field(Msg::FHeadOffice, "org.head_office", |d| d.head_office_code.clone(), |d, v| d.head_office_code = v)}
                            {field(Msg::FBank, "org.bank", |d| d.p.org.bank.clone(), |d, v| d.p.org.bank = v)}
                            {field(Msg::FAccount, "org.account", |d| d.p.org.account.clone(), |d, v| d.p.org.account = v)}
                        </div>
                        <h3>{t(Msg::FContactName)}</h3>
                        <div class="rows-edit">
                            {move || (0..draft.with(|d| d.p.org.contacts.len())).map(|i| {
                                let k = format!("org.contacts.{i}.phone");
                                let k2 = k.clone();
                                view! {
                                    <div class="row-edit" class:invalid=move || err_of(k.clone()).is_some() data-field=format!("org.contacts.{i}")>
                                        <input type="text" placeholder=t(Msg::FContactName) aria-label=t(Msg::FContactName) prop:value=move || draft.with(|d| d.p.org.contacts.get(i).map(|c| c.name.clone()).unwrap_or_default()) on:input=move |ev| draft.update(|d| if let Some(c) = d.p.org.contacts.get_mut(i) { c.name = event_target_value(&ev) }) />
                                        <input type="text" placeholder=t(Msg::FContactRole) aria-label=t(Msg::FContactRole) prop:value=move || draft.with(|d| d.p.org.contacts.get(i).map(|c| c.role.clone()).unwrap_or_default()) on:input=move |ev| draft.update(|d| if let Some(c) = d.p.org.contacts.get_mut(i) { c.role = event_target_value(&ev) }) />
                                        <input type="text" placeholder=t(Msg::FContactPhone) aria-label=t(Msg::FContactPhone) prop:value=move || draft.with(|d| d.p.org.contacts.get(i).map(|c| c.phone.clone()).unwrap_or_default()) on:input=move |ev| draft.update(|d| if let Some(c) = d.p.org.contacts.get_mut(i) { c.phone = event_target_value(&ev) })
                                            on:blur=move |_| draft.update(|d| if let Some(c) = d.p.org.contacts.get_mut(i) { c.phone = crate::domain::text::fold_phone(&c.phone) }) />
                                        <button type="button" class="btn small ghost" title=t(Msg::RemoveContact) aria-label=t(Msg::RemoveContact) on:click=move |_| draft.update(|d| { if i < d.p.org.contacts.len() { d.p.org.contacts.remove(i); } })><Icon kind=IconKind::Close /></button>
                                        {move || err_of(k2.clone()).map(|m| view! { <span class="err">{m}</span> })}
                                    </div>
                                }
                            }).collect_view()}
                            <button type="button" class="btn small" data-testid="add-contact" on:click=move |_| draft.update(|d| d.p.org.contacts.push(Contact::default()))>"+ " {t(Msg::AddContact)}</button>
                        </div>
                    </fieldset>
                })}

                <fieldset class="card">
                    <legend>{t(Msg::SecContact)}</legend>
                    <div class="grid">
                        {field(Msg::FEmergency, "emergency.name", |d| d.emergency.name.clone(), |d, v| d.emergency.name = v)}
                        {field(Msg::FContactRole, "emergency.role", |d| d.emergency.role.clone(), |d, v| d.emergency.role = v)}
                        {field(Msg::FContactPhone, "emergency.phone", |d| d.emergency.phone.clone(), |d, v| d.emergency.phone = v)}
                    </div>
                    {textarea(Msg::FNotes, "notes", |d| d.p.notes.clone(), |d, v| d.p.notes = v)}
                </fieldset>

                <div class="form-actions sticky">
                    <button type="button" class="btn" data-testid="cancel" on:click=cancel.clone()>{t(Msg::Cancel)}</button>
                    <button type="submit" class="btn primary" data-testid="save" disabled=move || saving.get()>
                        {move || if saving.get() { t(Msg::Saving) } else { t(Msg::Save) }}
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// Moves focus to the first field with an error, once the errors are drawn.
fn focus_first_error() {
    request_animation_frame(|| {
        if let Ok(Some(el)) = document().query_selector(".field.invalid input, .row-edit.invalid input") {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}
