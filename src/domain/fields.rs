//! The field registry: one row per profile field with its path (in the profile's JSON, in sync
//! changes and in field history), its label, the key its validation errors carry, the import and
//! export column that holds it, and how sensitive it is. The profile page, the print form, the
//! import mapping, conflicts and field history take labels and values from here; masking is one
//! policy over [`Sensitivity`].
//!
//! Adding a field: a member of `Profile` (model.rs), one row here, and its rule in validate.rs.

use crate::domain::governance::sealed::{shown, Sealed};
use crate::domain::i18n::{Locale, Msg};
use crate::domain::model::*;
use crate::domain::transfer::columns::Column;

/// How much harm showing a field could do, after PIPL: what a masking policy acts on
/// (`governance/policy.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Business data anyone at the desk may see (name, code, class, a company's registration).
    Public,
    /// Personal data (contact details, birth date, address).
    Personal,
    /// Sensitive personal data (PIPL art. 28): identity numbers, financial accounts. Stored
    /// sealed; only administrators hold the key. (Preferences and taboos, health and religious
    /// ones included, are personal: the desk must see them to serve the guest.)
    Sensitive,
}

macro_rules! fields {
    ($($f:ident $path:literal => $msg:ident, $sens:ident, $col:expr;)+) => {
        /// A field of a profile.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($f,)+ }
        impl Field {
            /// Every field, in form order.
            pub const ALL: &'static [Field] = &[$(Field::$f,)+];
            /// The path in the profile's JSON (`name`, `org.tax_no`); nested values below it.
            pub fn path(self) -> &'static str { match self { $(Field::$f => $path,)+ } }
            /// The label's message.
            pub fn label(self) -> Msg { match self { $(Field::$f => Msg::$msg,)+ } }
            pub fn sensitivity(self) -> Sensitivity { match self { $(Field::$f => Sensitivity::$sens,)+ } }
            /// The import/export column holding it, if any.
            pub fn column(self) -> Option<Column> { match self { $(Field::$f => $col,)+ } }
        }
    };
}

fields! {
    Kind "kind" => FKind, Public, Some(Column::Kind);
    Name "name" => FName, Public, Some(Column::Name);
    ShortName "short_name" => FShortName, Public, Some(Column::ShortName);
    Code "customer_code" => FCode, Public, Some(Column::Code);
    Gender "gender" => FGender, Personal, Some(Column::Gender);
    BirthDate "birth_date" => FBirth, Personal, Some(Column::BirthDate);
    Ethnicity "ethnicity" => FEthnicity, Personal, Some(Column::Ethnicity);
    NativePlace "native_place" => FNativePlace, Personal, None;
    Nationality "nationality" => FNationality, Personal, Some(Column::Nationality);
    Language "language" => FLanguage, Public, None;
    IdDocType "id_doc.kind" => FDocType, Personal, Some(Column::IdType);
    IdDocNumber "id_doc.number" => FDocNo, Sensitive, Some(Column::IdNumber);
    Phones "phones" => FPhone, Personal, Some(Column::Phone);
    Email "email" => FEmail, Personal, Some(Column::Email);
    Address "address" => FAddress, Personal, Some(Column::Address);
    Company "company" => FCompany, Public, Some(Column::Company);
    EmergencyContact "emergency_contact" => FEmergency, Personal, Some(Column::ContactName);
    Since "since" => FSince, Public, Some(Column::Since);
    OrgCategory "org.category_code" => FCategory, Public, None;
    OrgRegion "org.region_code" => FRegion, Public, None;
    OrgHeadOffice "org.head_office_id" => FHeadOffice, Public, None;
    OrgIndustry "org.industry" => FIndustry, Public, None;
    OrgTaxNo "org.tax_no" => FTaxNo, Public, Some(Column::TaxNo);
    OrgLegalRep "org.legal_rep" => FLegalRep, Public, Some(Column::LegalRep);
    OrgCapital "org.registered_capital" => FCapital, Public, None;
    OrgNature "org.nature" => FNature, Public, None;
    OrgBank "org.bank" => FBank, Public, Some(Column::Bank);
    OrgAccount "org.account" => FAccount, Sensitive, Some(Column::Account);
    OrgContacts "org.contacts" => FContactName, Personal, Some(Column::ContactName);
    Preferences "preferences" => SecPrefs, Personal, Some(Column::Preferences);
    SpecialDays "special_days" => SecDays, Personal, Some(Column::SpecialDays);
    Tags "tags" => FTags, Public, Some(Column::Tags);
    Notes "notes" => FNotes, Personal, Some(Column::Notes);
    Class "class" => FClass, Public, Some(Column::Class);
    Mark "mark" => FMark, Public, Some(Column::Mark);
    Credit "credit" => FCredit, Public, Some(Column::Credit);
    Standing "standing" => FStanding, Public, None;
    CreditAmount "credit_limit.amount_fen" => FCreditAmount, Public, Some(Column::CreditAmount);
    CreditDays "credit_limit.days" => FCreditDays, Public, Some(Column::CreditDays);
    Terms "terms_days" => FTerms, Public, Some(Column::Terms);
    Deleted "meta.deleted_at" => NavDeleted, Public, None;
}

/// Whether `path` is `prefix` or below it (`org.contacts.0.phone` is below `org.contacts`).
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

impl Field {
    /// The label in a language without an input hint ("标签", not "标签(用逗号分隔)").
    pub fn plain_label(self, l: Locale) -> String {
        plain(l.t(self.label()))
    }

    /// The field a path belongs to: a field's own path, or one below it (`emergency_contact.phone`,
    /// `phones.1`, and the keys of validation errors, which are paths too).
    pub fn of_path(path: &str) -> Option<Field> {
        Field::ALL.iter().copied().filter(|f| under(path, f.path())).max_by_key(|f| f.path().len())
    }

    /// The field's value in words, in a language: text as is, lists joined, enums by their label,
    /// nothing for an unset value.
    pub fn text(self, p: &Profile, l: Locale) -> String {
        let en = |unset: bool, m: Msg| if unset { String::new() } else { l.t(m).to_string() };
        let date = |d: Option<crate::domain::date::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let sep = if l == Locale::Zh { "，" } else { ", " };
        // Between the entries of a list of pairs (contacts, preferences, special days).
        let entries = if l == Locale::Zh { "；" } else { "; " };
        let contact = |c: &Contact| {
            [c.name.as_str(), c.role.as_str(), c.phone.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        match self {
            Field::Kind => l.t(p.kind.msg()).to_string(),
            Field::Name => p.name.clone(),
            Field::ShortName => p.short_name.clone(),
            Field::Code => p.customer_code.clone(),
            Field::Gender => en(p.gender == Gender::Unknown, p.gender.msg()),
            Field::BirthDate => date(p.birth_date),
            Field::Ethnicity => p.ethnicity.clone(),
            Field::NativePlace => p.native_place.clone(),
            Field::Nationality => p.nationality.clone(),
            Field::Language => p.language.clone(),
            Field::IdDocType => p.id_doc.as_ref().map(|d| l.t(d.kind.msg()).to_string()).unwrap_or_default(),
            Field::IdDocNumber => p.id_doc.as_ref().map(|d| shown(&d.number).into_owned()).unwrap_or_default(),
            Field::Phones => p.phones.join(sep),
            Field::Email => p.email.clone(),
            Field::Address => p.address.clone(),
            Field::Company => p.company.clone(),
            Field::EmergencyContact => p.emergency_contact.as_ref().map(contact).unwrap_or_default(),
            Field::Since => date(p.since),
            Field::OrgCategory => p.org.category_code.clone(),
            Field::OrgRegion => p.org.region_code.clone(),
            // The head office's id: a screen shows its name, which only the archive knows.
            Field::OrgHeadOffice => p.org.head_office_id.clone().unwrap_or_default(),
            Field::OrgIndustry => en(p.org.industry == Industry::Unspecified, p.org.industry.msg()),
            Field::OrgTaxNo => p.org.tax_no.clone(),
            Field::OrgLegalRep => p.org.legal_rep.clone(),
            Field::OrgCapital => p.org.registered_capital.clone(),
            Field::OrgNature => en(p.org.nature == EnterpriseNature::Unspecified, p.org.nature.msg()),
            Field::OrgBank => p.org.bank.clone(),
            Field::OrgAccount => shown(&p.org.account).into_owned(),
            Field::OrgContacts => p.org.contacts.iter().map(contact).collect::<Vec<_>>().join(entries),
            Field::Preferences => p
                .preferences
                .iter()
                .map(|x| format!("{}{}{}", l.t(x.kind.msg()), l.t(Msg::Colon), x.value))
                .collect::<Vec<_>>()
                .join(entries),
            Field::SpecialDays => p
                .special_days
                .iter()
                .map(|d| format!("{} {} {}", l.t(d.kind.msg()), d.written_in(l), d.label).trim().to_string())
                .collect::<Vec<_>>()
                .join(entries),
            Field::Tags => p.tags.join(sep),
            Field::Notes => p.notes.clone(),
            Field::Class => l.t(p.class.msg()).to_string(),
            Field::Mark => en(p.mark == GuestMark::None, p.mark.msg()),
            Field::Credit => en(p.credit == CreditRating::Unrated, p.credit.msg()),
            Field::Standing => en(p.standing.is_active(), p.standing.msg()),
            Field::CreditAmount => p.credit_limit.amount_fen.map(|f| format!("¥{}", format_fen(f))).unwrap_or_default(),
            Field::CreditDays => {
                p.credit_limit.days.map(|d| crate::domain::i18n::fill(l.t(Msg::NDays), &[&d])).unwrap_or_default()
            }
            Field::Terms => p.terms_days.map(|d| crate::domain::i18n::fill(l.t(Msg::NDays), &[&d])).unwrap_or_default(),
            Field::Deleted => p.meta.deleted_at.map(|_| l.t(Msg::NavDeleted).to_string()).unwrap_or_default(),
        }
    }
}

/// Labels of a history item's fields (field history and conflicts of a history item).
const HISTORY_LABELS: &[(&str, Msg)] = &[
    ("date", Msg::FDate),
    ("entry.nights", Msg::FNights),
    ("entry.room_type", Msg::FRoomType),
    ("entry.channel", Msg::FChannel),
    ("entry.amenities", Msg::FAmenities),
    ("entry.amount_fen", Msg::FAmount),
    ("entry.category", Msg::FCategoryMeal),
    ("entry.covers", Msg::FCovers),
    ("entry.discount_pct", Msg::FDiscount),
    ("entry.payment", Msg::FPayment),
    ("entry.reason", Msg::FReason),
    ("entry.severity", Msg::FSeverity),
    ("entry.status", Msg::FStatus),
    ("entry.deadline", Msg::DueBy),
    ("entry.handling", Msg::FHandling),
    ("entry.feedback", Msg::FFeedback),
    ("entry.return_visit", Msg::FReturnVisit),
    ("entry.satisfaction", Msg::FSatisfaction),
    ("entry.visitor", Msg::FVisitor),
    ("entry.purpose", Msg::FPurpose),
    ("entry.notes", Msg::FNotes),
    ("entry.next_step", Msg::FNextStep),
    ("entry.next_date", Msg::FNextDate),
    ("entry.text", Msg::FText),
];

/// The label of any record's field path (a profile's or a history item's) in a language, without
/// an input hint; the path itself when it names no known field.
pub fn label_of_path(path: &str, l: Locale) -> String {
    let history = HISTORY_LABELS.iter().find(|(p, _)| *p == path).map(|(_, m)| *m);
    let scan = crate::domain::documents::granted_doc(path).map(|_| Msg::AttSealedLabel);
    match history.or(scan).or_else(|| Field::of_path(path).map(Field::label)) {
        Some(m) => plain(l.t(m)),
        None => path.to_string(),
    }
}

/// A label without the input hint some carry.
fn plain(label: &str) -> String {
    label.trim_end_matches("(用逗号分隔)").trim_end_matches(" (comma separated)").to_string()
}

/// A phone number for lists: the middle of a mobile number hidden (138****8000).
pub fn mask_phone(digits: &str) -> String {
    let n = digits.chars().count();
    if n == 11 {
        format!("{}****{}", &digits[..3], &digits[7..])
    } else if n > 6 {
        format!("{}…{}", &digits[..3], &digits[n - 4..])
    } else {
        digits.to_string()
    }
}

/// An identity or account number with all but its last four hidden (**************002X). Not
/// the first six as well: a resident ID's middle eight digits are the birth date the profile
/// shows, so region + tail would give the whole number away.
pub fn mask_id(id: &str) -> String {
    if let Some(s) = Sealed::parse(id) {
        return s.masked();
    }
    let c: Vec<char> = id.chars().collect();
    if c.len() <= 8 {
        return "*".repeat(c.len());
    }
    "*".repeat(c.len() - 4) + &c[c.len() - 4..].iter().collect::<String>()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_its_own_path_and_a_path_below_a_field_belongs_to_it() {
        let mut paths: Vec<_> = Field::ALL.iter().map(|f| f.path()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), Field::ALL.len());
        for f in Field::ALL {
            assert_eq!(Field::of_path(f.path()), Some(*f));
        }
        assert_eq!(Field::of_path("phones.1"), Some(Field::Phones));
        assert_eq!(Field::of_path("emergency_contact.phone"), Some(Field::EmergencyContact));
        assert_eq!(Field::of_path("org.contacts.0.name"), Some(Field::OrgContacts));
        assert_eq!(Field::of_path("id_doc.number"), Some(Field::IdDocNumber));
        assert_eq!(Field::of_path("named"), None, "a prefix of a word is not a parent path");
    }

    #[test]
    fn every_path_a_profile_writes_has_a_label() {
        // Every field a profile can hold, flattened as sync records it, is labelled.
        let p = crate::testdata::profile(7, 3, 1_763_856_000_000);
        let mut full = p.clone();
        full.org.contacts.push(Contact { name: "王".into(), role: "经理".into(), phone: "13800000000".into() });
        full.emergency_contact = Some(Contact { name: "李".into(), role: "妻".into(), phone: "13900000000".into() });
        full.meta.deleted_at = Some(1);
        let json = serde_json::to_value(&full).unwrap();
        for path in crate::domain::sync::change::flatten(&json).keys() {
            if path.starts_with("meta.") && path != "meta.deleted_at" || path == "id" {
                continue;
            }
            assert_ne!(label_of_path(path, Locale::Zh), *path, "{path} has no label");
        }
        assert_eq!(label_of_path("tags", Locale::Zh), "标签");
        assert_eq!(label_of_path("entry.nights", Locale::En), Locale::En.t(Msg::FNights));
    }

    #[test]
    fn lists_of_pairs_read_in_the_language_shown() {
        // English text once came with Chinese punctuation ("Pillow：buckwheat；…").
        let p = Profile {
            preferences: vec![
                Preference { kind: PrefKind::Pillow, value: "荞麦".into() },
                Preference { kind: PrefKind::Pillow, value: "low".into() },
            ],
            ..Profile::default()
        };
        assert_eq!(Field::Preferences.text(&p, Locale::Zh), "枕头：荞麦；枕头：low");
        assert_eq!(Field::Preferences.text(&p, Locale::En), "Pillow: 荞麦; Pillow: low");
    }

    #[test]
    fn sensitive_fields_are_the_identity_number_and_the_account() {
        // Issue 15: sensitive are the ID number and the bank account (later ID scans); the
        // preferences and taboos are personal, shown at the desk where they serve the guest.
        let sensitive: Vec<_> = Field::ALL.iter().filter(|f| f.sensitivity() == Sensitivity::Sensitive).collect();
        assert_eq!(sensitive, [&Field::IdDocNumber, &Field::OrgAccount]);
        assert_eq!(Field::Preferences.sensitivity(), Sensitivity::Personal);
    }

    #[test]
    fn values_in_words() {
        let mut p = Profile { phones: vec!["13800138000".into(), "075588881234".into()], ..Default::default() };
        p.preferences.push(Preference { kind: PrefKind::Taboo, value: "忌4".into() });
        assert_eq!(Field::Phones.text(&p, Locale::Zh), "13800138000，075588881234");
        assert_eq!(Field::Gender.text(&p, Locale::Zh), "", "an unknown gender prints blank");
        assert_eq!(Field::Preferences.text(&p, Locale::Zh), format!("{}：忌4", Locale::Zh.t(PrefKind::Taboo.msg())));
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_id("11010519491231002X"), "**************002X");
    }
}
