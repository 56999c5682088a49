//! The sections of the profile form. Each gets the form's draft and errors ([`FormCtx`]) and
//! binds its inputs to the draft; parsing and checking are in `domain::forms::profile`.

use crate::app::drafts;
use crate::domain::dupes::Duplicate;
use crate::domain::fields::Field;
use crate::domain::forms::profile::ProfileDraft;
use crate::domain::governance::sealed::is_sealed;
use crate::domain::i18n::{fill, Msg};
use crate::domain::ids::parse_resident_id;
use crate::domain::model::*;
use crate::domain::validate::FieldError;
use crate::platform::clock::today;
use crate::ui::list::ListState;
use crate::ui::shell::route::Route;
use crate::ui::widgets::{draft_field, enum_select, mask_id, Icon, IconKind};
use crate::ui::{locale, t};
use leptos::prelude::*;

type Getter = fn(&ProfileDraft) -> String;
type Setter = fn(&mut ProfileDraft, String);

/// What a text input of the form shows and which key its value and errors go by: a field of the
/// registry (its label and path), or a part of one the form edits on its own (the second phone,
/// the emergency contact's name).
#[derive(Clone, Copy)]
pub(super) struct Slot {
    label: Msg,
    key: &'static str,
}

impl Slot {
    fn own(label: Msg, key: &'static str) -> Slot {
        Slot { label, key }
    }
}

impl From<Field> for Slot {
    fn from(f: Field) -> Slot {
        Slot { label: f.label(), key: f.path() }
    }
}

/// What every section of the form works on: the draft and the errors shown.
#[derive(Clone, Copy)]
pub(super) struct FormCtx {
    pub draft: RwSignal<ProfileDraft>,
    pub errors: RwSignal<Vec<FieldError>>,
}

impl FormCtx {
    /// The message of the error shown for field key `k`.
    pub fn err_of(self, k: &str) -> Option<String> {
        self.errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(locale())))
    }

    pub fn is_org(self) -> bool {
        self.draft.with(|d| d.p.kind == CustomerKind::Organisation)
    }

    /// A text field bound to the draft; a phone is folded as it is left (a number typed with a
    /// Chinese input method shows as it will be stored).
    pub fn field(self, slot: Slot, get: Getter, set: Setter) -> impl IntoView {
        let (draft, Slot { label, key }) = (self.draft, slot);
        let is_phone = key.starts_with("phones.") || key.ends_with("phone");
        let fold = move |v: String| {
            if is_phone {
                let folded = crate::domain::text::fold_phone(&v);
                if folded != v {
                    draft.update(|d| set(d, folded));
                }
            }
        };
        let error = Signal::derive(move || self.err_of(key));
        draft_field(draft, "f", label, key, (get, set), error, Some(Callback::new(fold)))
    }

    /// A multi-line field bound to the draft.
    pub fn textarea(self, slot: Slot, get: Getter, set: Setter) -> impl IntoView {
        let (draft, Slot { label, key }) = (self.draft, slot);
        view! {
            <label class="field wide" class:invalid=move || self.err_of(key).is_some()>
                <span class="label">{t(label)}</span>
                <textarea rows="3" data-testid=format!("f-{key}") prop:value=move || draft.with(get) on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))></textarea>
            </label>
        }
    }
}

/// Name, phones, code, identity document, and a person's particulars.
#[component]
pub(super) fn BasicSection(f: FormCtx, id_shown: RwSignal<bool>) -> impl IntoView {
    let FormCtx { draft, .. } = f;
    let field = move |slot: Slot, get: Getter, set: Setter| f.field(slot, get, set);
    let is_org = move || f.is_org();
    let id_info = move || {
        draft.with(|d| (d.id_kind == IdDocType::ResidentId).then(|| parse_resident_id(&d.id_no).ok()).flatten())
    };
    view! {
                <fieldset class="card">
                    <legend>{t(Msg::SecBasic)}</legend>
                    <div class="grid">
                        {move || if is_org() {
                            field(Slot::own(Msg::FOrgName, "name"), |d| d.p.name.clone(), |d, v| d.p.name = v).into_any()
                        } else {
                            field(Field::Name.into(), |d| d.p.name.clone(), |d, v| d.p.name = v).into_any()
                        }}
                        {field(Slot::own(Msg::FPhone, "phones.0"), |d| d.phones[0].clone(), |d, v| d.phones[0] = v)}
                        {field(Slot::own(Msg::FPhone2, "phones.1"), |d| d.phones[1].clone(), |d, v| d.phones[1] = v)}
                        {field(Field::Code.into(), |d| d.p.customer_code.clone(), |d, v| d.p.customer_code = v)}
                        <label class="field">
                            <span class="label">{t(Field::IdDocType.label())}</span>
                            {enum_select("f-id-kind", IdDocType::ALL, move || draft.with(|d| d.id_kind), move |k| draft.update(|d| d.id_kind = k))}
                        </label>
                        {move || if id_shown.get() {
                            field(Slot::own(Msg::FDocNo, "id_doc"), |d| d.id_no.clone(), |d, v| d.id_no = v).into_any()
                        } else {
                            // An edit opens with the number masked, as the profile shows it.
                            view! {
                                <div class="field" data-field="id_doc">
                                    <span class="label" id="f-id-doc-label">{t(Msg::FDocNo)}</span>
                                    <div class="masked-input">
                                        <span class="mono" data-testid="f-id_doc-masked" aria-labelledby="f-id-doc-label">{move || draft.with(|d| mask_id(&d.id_no))}</span>
                                        {move || if draft.with(|d| is_sealed(&d.id_no)) {
                                            // Sealed: nobody reads it here; a new number replaces it.
                                            view! {
                                                <button type="button" class="btn small" data-testid="f-id_doc-replace" title=t(Msg::SealedHint)
                                                    on:click=move |_| { draft.update(|d| d.id_no.clear()); id_shown.set(true); }>{t(Msg::ReplaceNumber)}</button>
                                            }.into_any()
                                        } else {
                                            view! { <button type="button" class="btn small" data-testid="f-id_doc-show" on:click=move |_| id_shown.set(true)>{t(Msg::ShowNumber)}</button> }.into_any()
                                        }}
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
                                <span class="label">{t(Field::Gender.label())}</span>
                                {enum_select("f-gender", Gender::ALL, move || draft.with(|d| d.p.gender), move |g| draft.update(|d| d.p.gender = g))}
                            </label>
                            {field(Field::BirthDate.into(), |d| d.birth.clone(), |d, v| d.birth = v)}
                            {field(Field::Company.into(), |d| d.p.company.clone(), |d, v| d.p.company = v)}
                            {field(Field::Ethnicity.into(), |d| d.p.ethnicity.clone(), |d, v| d.p.ethnicity = v)}
                            {field(Field::NativePlace.into(), |d| d.p.native_place.clone(), |d, v| d.p.native_place = v)}
                        })}
                        {field(Field::Nationality.into(), |d| d.p.nationality.clone(), |d, v| d.p.nationality = v)}
                        {field(Field::Language.into(), |d| d.p.language.clone(), |d, v| d.p.language = v)}
                        {field(Field::Email.into(), |d| d.p.email.clone(), |d, v| d.p.email = v)}
                        {field(Field::Address.into(), |d| d.p.address.clone(), |d, v| d.p.address = v)}
                    </div>
                </fieldset>
    }
}

/// Class, mark, credit, tags and since when.
#[component]
pub(super) fn ClassSection(f: FormCtx) -> impl IntoView {
    let FormCtx { draft, .. } = f;
    let field = move |slot: Slot, get: Getter, set: Setter| f.field(slot, get, set);
    view! {
                <fieldset class="card">
                    <legend>{t(Msg::SecClass)}</legend>
                    <div class="grid">
                        <label class="field">
                            <span class="label">{t(Field::Class.label())}</span>
                            {enum_select("f-class", CustomerClass::ALL, move || draft.with(|d| d.p.class), move |c| draft.update(|d| d.p.class = c))}
                        </label>
                        <label class="field">
                            <span class="label">{t(Field::Mark.label())}</span>
                            {enum_select("f-mark", GuestMark::ALL, move || draft.with(|d| d.p.mark), move |m| draft.update(|d| d.p.mark = m))}
                        </label>
                        <label class="field">
                            <span class="label">{t(Field::Credit.label())}</span>
                            {enum_select("f-credit", CreditRating::ALL, move || draft.with(|d| d.p.credit), move |c| draft.update(|d| d.p.credit = c))}
                        </label>
                        <label class="field">
                            <span class="label">{t(Field::Standing.label())}</span>
                            {enum_select("f-standing", crate::domain::model::Standing::ALL, move || draft.with(|d| d.p.standing), move |s| draft.update(|d| d.p.standing = s))}
                        </label>
                        {field(Field::CreditAmount.into(), |d| d.credit_amount.clone(), |d, v| d.credit_amount = v)}
                        {field(Field::CreditDays.into(), |d| d.credit_days.clone(), |d, v| d.credit_days = v)}
                        {field(Field::Terms.into(), |d| d.terms.clone(), |d, v| d.terms = v)}
                        {field(Field::Tags.into(), |d| d.tags.clone(), |d, v| d.tags = v)}
                        {field(Field::Since.into(), |d| d.since.clone(), |d, v| d.since = v)}
                    </div>
                </fieldset>
    }
}

/// Preferences and taboos, and special days (with the birthday check).
#[component]
pub(super) fn PrefsSection(f: FormCtx) -> impl IntoView {
    let FormCtx { draft, .. } = f;
    let err_of = move |k: String| f.err_of(&k);
    let birthday_warning = move || draft.with(|d| d.birthday_mismatch(today()));
    view! {
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
                    <h2 class="sub">{t(Msg::SecDays)}</h2>
                    <div class="rows-edit">
                        {move || (0..draft.with(|d| d.days.len())).map(|i| {
                            let k = format!("special_days.{i}");
                            let k2 = k.clone();
                            view! {
                                <div class="row-edit" class:invalid=move || err_of(k.clone()).is_some() data-field=format!("special_days.{i}")>
                                    <label class="inline"><span class="visually-hidden">{t(Msg::FDayKind)}</span>
                                        {enum_select("f-day-kind", DayKind::ALL, move || draft.with(|d| d.days.get(i).map(|x| x.0).unwrap_or_default()), move |k| draft.update(|d| if let Some(x) = d.days.get_mut(i) { x.0 = k }))}
                                    </label>
                                    <label class="inline"><span class="visually-hidden">{t(Msg::FDayCalendar)}</span>
                                        {enum_select("f-day-cal", DayCalendar::ALL, move || draft.with(|d| d.day_calendar(i)), move |c| draft.update(|d| d.set_day_calendar(i, c)))}
                                    </label>
                                    <input type="text" class="short" placeholder=move || t(if draft.with(|d| d.day_calendar(i).is_lunar()) { Msg::PhLunarDay } else { Msg::PhMonthDay }) aria-label=t(Msg::FDayDate) data-testid="f-day-date"
                                        prop:value=move || draft.with(|d| d.days.get(i).map(|x| x.1.clone()).unwrap_or_default())
                                        on:input=move |ev| draft.update(|d| if let Some(x) = d.days.get_mut(i) { x.1 = event_target_value(&ev) }) />
                                    <input type="text" placeholder=t(Msg::FDayLabel) aria-label=t(Msg::FDayLabel)
                                        prop:value=move || draft.with(|d| d.days.get(i).map(|x| x.2.clone()).unwrap_or_default())
                                        on:input=move |ev| draft.update(|d| if let Some(x) = d.days.get_mut(i) { x.2 = event_target_value(&ev) }) />
                                    <button type="button" class="btn small ghost" title=t(Msg::RemoveDay) aria-label=t(Msg::RemoveDay) on:click=move |_| draft.update(|d| d.remove_day(i))><Icon kind=IconKind::Close /></button>
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
    }
}

/// An organisation's registration, bank and contacts (organisations only).
#[component]
pub(super) fn OrgSection(f: FormCtx) -> impl IntoView {
    let FormCtx { draft, .. } = f;
    let field = move |slot: Slot, get: Getter, set: Setter| f.field(slot, get, set);
    let err_of = move |k: String| f.err_of(&k);
    view! {
        {move || f.is_org().then(|| view! {
                <fieldset class="card">
                    <legend>{t(Msg::SecOrg)}</legend>
                    <div class="grid">
                        {field(Field::ShortName.into(), |d| d.p.short_name.clone(), |d, v| d.p.short_name = v)}
                        {field(Field::OrgTaxNo.into(), |d| d.p.org.tax_no.clone(), |d, v| d.p.org.tax_no = v)}
                        {field(Field::OrgLegalRep.into(), |d| d.p.org.legal_rep.clone(), |d, v| d.p.org.legal_rep = v)}
                        {field(Field::OrgCapital.into(), |d| d.p.org.registered_capital.clone(), |d, v| d.p.org.registered_capital = v)}
                        <label class="field">
                            <span class="label">{t(Field::OrgNature.label())}</span>
                            {enum_select("f-nature", EnterpriseNature::ALL, move || draft.with(|d| d.p.org.nature), move |n| draft.update(|d| d.p.org.nature = n))}
                        </label>
                        <label class="field">
                            <span class="label">{t(Field::OrgIndustry.label())}</span>
                            {enum_select("f-industry", Industry::ALL, move || draft.with(|d| d.p.org.industry), move |n| draft.update(|d| d.p.org.industry = n))}
                        </label>
                        {field(Field::OrgCategory.into(), |d| d.p.org.category_code.clone(), |d, v| d.p.org.category_code = v)}
                        {field(Field::OrgRegion.into(), |d| d.p.org.region_code.clone(), |d, v| d.p.org.region_code = v)}
                        {field(Slot::own(Msg::FHeadOffice, "org.head_office"), |d| d.head_office_code.clone(), |d, v| d.head_office_code = v)}
                        {field(Field::OrgBank.into(), |d| d.p.org.bank.clone(), |d, v| d.p.org.bank = v)}
                        {move || if draft.with(|d| is_sealed(&d.p.org.account)) {
                            view! {
                                <div class="field" data-field="org.account">
                                    <span class="label" id="f-account-label">{t(Msg::FAccount)}</span>
                                    <div class="masked-input">
                                        <span class="mono" data-testid="f-org.account-masked" aria-labelledby="f-account-label">{move || draft.with(|d| mask_id(&d.p.org.account))}</span>
                                        <button type="button" class="btn small" data-testid="f-org.account-replace" title=t(Msg::SealedHint)
                                            on:click=move |_| draft.update(|d| d.p.org.account.clear())>{t(Msg::ReplaceNumber)}</button>
                                    </div>
                                </div>
                            }.into_any()
                        } else {
                            field(Field::OrgAccount.into(), |d| d.p.org.account.clone(), |d, v| d.p.org.account = v).into_any()
                        }}
                    </div>
                    <h2 class="sub">{t(Msg::FContactName)}</h2>
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
    }
}

/// Emergency contact and notes.
#[component]
pub(super) fn ContactSection(f: FormCtx) -> impl IntoView {
    let field = move |slot: Slot, get: Getter, set: Setter| f.field(slot, get, set);
    let textarea = move |slot: Slot, get: Getter, set: Setter| f.textarea(slot, get, set);
    view! {
                <fieldset class="card">
                    <legend>{t(Msg::SecContact)}</legend>
                    <div class="grid">
                        {field(Slot::own(Msg::FEmergency, "emergency.name"), |d| d.emergency.name.clone(), |d, v| d.emergency.name = v)}
                        {field(Slot::own(Msg::FContactRole, "emergency.role"), |d| d.emergency.role.clone(), |d, v| d.emergency.role = v)}
                        {field(Slot::own(Msg::FContactPhone, "emergency.phone"), |d| d.emergency.phone.clone(), |d, v| d.emergency.phone = v)}
                    </div>
                    {textarea(Field::Notes.into(), |d| d.p.notes.clone(), |d, v| d.p.notes = v)}
                </fieldset>
    }
}

/// Person or organisation.
#[component]
pub(super) fn KindSwitch(f: FormCtx) -> impl IntoView {
    let draft = f.draft;
    view! {
        <div class="seg" data-testid="f-kind" role="group" aria-label=t(Msg::XcKind)>
            {CustomerKind::ALL.iter().map(|&k| view! {
                <button type="button" class:on=move || draft.with(|d| d.p.kind == k)
                    aria-pressed=move || if draft.with(|d| d.p.kind == k) { "true" } else { "false" }
                    on:click=move |_| draft.update(|d| d.p.kind = k)>{t(k.msg())}</button>
            }).collect_view()}
        </div>
    }
}

/// Guests the new profile may repeat: open one of them (the new profile is abandoned) or create
/// it anyway.
#[component]
pub(super) fn DupesPanel(
    dupes: RwSignal<Vec<Duplicate>>,
    draft_key: String,
    create_anyway: Callback<()>,
) -> impl IntoView {
    let list = expect_context::<ListState>();
    let key = StoredValue::new(draft_key);
    move || {
        (!dupes.with(Vec::is_empty)).then(|| view! {
            <div class="banner warn dupes" role="alert" data-testid="dupes">
                <strong>{t(Msg::DupTitle)}</strong>
                <ul>
                    {dupes.get().into_iter().map(|d| view! {
                        <li>
                            <span class="dupe-name">{d.name.clone()}</span>
                            " (" {d.reasons.iter().map(|r| t(r.msg())).collect::<Vec<_>>().join("、")} ") "
                            <a class="btn small" data-testid="dupe-open" href=Route::Profile(d.id.clone()).hash() on:click=move |_| {
                                // The clerk chose the existing guest: the new profile is abandoned, not kept as a draft.
                                drafts::forget(&key.get_value());
                                list.query.set(String::new());
                            }>{t(Msg::DupOpen)}</a>
                        </li>
                    }).collect_view()}
                </ul>
                <button type="button" class="btn" data-testid="dupe-create" on:click=move |_| create_anyway.run(())>{t(Msg::DupCreateAnyway)}</button>
            </div>
        })
    }
}
