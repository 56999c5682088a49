//! Validation of profiles and history items. Returns every problem at once, each tied to a
//! field key the form shows it under; a record with any error is never saved.

use super::date::Date;
use super::governance::sealed::is_sealed;
use super::i18n::{Locale, Msg};
use super::ids::{check_uscc, parse_resident_id, ResidentIdError, UsccError};
use super::model::*;
use super::text::{fold_phone, gbk_len, phone_digits};

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The form field: `name`, `phones.0`, `id_doc`, `org.tax_no`, `special_days.1`…
    pub field: String,
    pub msg: Msg,
    /// A number or name completing the message (a length limit, the owner of a code).
    pub detail: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, msg: Msg) -> FieldError {
        FieldError { field: field.into(), msg, detail: None }
    }

    pub fn with(field: impl Into<String>, msg: Msg, detail: impl ToString) -> FieldError {
        FieldError { field: field.into(), msg, detail: Some(detail.to_string()) }
    }

    /// The message in a language, with its detail.
    pub fn message(&self, l: Locale) -> String {
        match (&self.detail, self.msg) {
            (Some(d), Msg::ErrTooLong) => {
                format!("{} {d} {}", l.t(Msg::ErrTooLong), l.t(Msg::ErrChars))
            }
            (Some(d), Msg::ErrTooLongBytes) => format!("{} {d}", l.t(Msg::ErrTooLongBytes)),
            (Some(d), m) => format!("{}{d}", l.t(m)),
            (None, m) => l.t(m).to_string(),
        }
    }
}

/// Maximum lengths from the U8 customer archive form (seed 001) and sensible bounds elsewhere.
pub mod limits {
    /// Most days in a credit limit or payment terms (ten years).
    pub const MAX_DAYS: u16 = 3650;
    pub const PERSON_NAME_CHARS: usize = 50;
    /// Full name: 49 Chinese characters, 98 bytes (printed on invoices).
    pub const ORG_NAME_BYTES: usize = 98;
    /// Short name: 30 Chinese characters or 60 characters.
    pub const SHORT_NAME_BYTES: usize = 60;
    pub const CODE_CHARS: usize = 20;
    pub const TEXT_CHARS: usize = 200;
    pub const NOTES_CHARS: usize = 2000;
    pub const TAG_CHARS: usize = 20;
}

/// Whether `s` is a phone number: an 11-digit mainland mobile, a landline with area code, or an
/// international number written with `+`.
/// Full-width digits, dashes, spaces and brackets are folded first (`fold_phone`).
pub fn is_valid_phone(s: &str) -> bool {
    let folded = fold_phone(s);
    let t = folded.as_str();
    if !t.chars().all(|c| c.is_ascii_digit() || " -+()（）".contains(c)) {
        return false;
    }
    let d = phone_digits(t);
    let mobile = d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9');
    let landline = d.starts_with('0') && (10..=12).contains(&d.len());
    let international = t.starts_with('+') && (7..=15).contains(&d.len());
    let service = (d.starts_with("400") || d.starts_with("800")) && d.len() == 10;
    mobile || landline || international || service
}

/// Puts a profile's typed values in their stored form before validation: every phone (the
/// profile's own, its contacts', the emergency contact's) folded to ASCII by [`fold_phone`].
/// The form, the import and every save go through it, so a number typed with a Chinese input
/// method is checked, stored, searched and compared as the same digits.
pub fn tidy_profile(p: &mut Profile) {
    for ph in &mut p.phones {
        *ph = fold_phone(ph);
    }
    for c in p.org.contacts.iter_mut().chain(p.emergency_contact.as_mut()) {
        c.phone = fold_phone(&c.phone);
    }
}

/// Whether an error in `field` holds the whole record back: the name and the identity number
/// identify the customer; any other value is secondary (see [`clear_field`]).
pub fn is_identity_field(field: &str) -> bool {
    matches!(field.split('.').next(), Some("name" | "id_doc"))
}

/// Clears the value a validation error names (`phones.1`, `org.contacts.0.phone`, `email`…), so
/// that a record can be kept without one bad secondary value. Removes list items (a phone, a
/// special day, a tag); returns `false`, changing nothing, for a field it does not know or an
/// identity field. Clear list items from the highest index down.
pub fn clear_field(p: &mut Profile, field: &str) -> bool {
    fn remove<T>(v: &mut Vec<T>, i: Option<usize>) -> bool {
        match i.filter(|&i| i < v.len()) {
            Some(i) => {
                v.remove(i);
                true
            }
            None => false,
        }
    }
    let mut parts = field.split('.');
    let root = parts.next().unwrap_or_default();
    let index = parts.next().and_then(|i| i.parse::<usize>().ok());
    let text = |s: &mut String| {
        s.clear();
        true
    };
    match (root, field) {
        ("phones", _) => remove(&mut p.phones, index),
        ("tags", _) => remove(&mut p.tags, index),
        ("preferences", _) => remove(&mut p.preferences, index),
        ("special_days", _) => remove(&mut p.special_days, index),
        (_, "short_name") => text(&mut p.short_name),
        (_, "customer_code") => text(&mut p.customer_code),
        (_, "email") => text(&mut p.email),
        (_, "ethnicity") => text(&mut p.ethnicity),
        (_, "native_place") => text(&mut p.native_place),
        (_, "nationality") => text(&mut p.nationality),
        (_, "language") => text(&mut p.language),
        (_, "address") => text(&mut p.address),
        (_, "company") => text(&mut p.company),
        (_, "notes") => text(&mut p.notes),
        (_, "birth_date") => p.birth_date.take().is_some(),
        (_, "since") => p.since.take().is_some(),
        ("emergency", f) => match p.emergency_contact.as_mut() {
            Some(c) if f.ends_with(".phone") => text(&mut c.phone),
            Some(c) => text(&mut c.name),
            None => false,
        },
        (_, "org.tax_no") => text(&mut p.org.tax_no),
        (_, "org.legal_rep") => text(&mut p.org.legal_rep),
        (_, "org.bank") => text(&mut p.org.bank),
        (_, "org.account") => text(&mut p.org.account),
        (_, "org.category_code") => text(&mut p.org.category_code),
        (_, "org.region_code") => text(&mut p.org.region_code),
        (_, "org.registered_capital") => text(&mut p.org.registered_capital),
        (_, "org.head_office") => p.org.head_office_id.take().is_some(),
        ("org", f) if f.starts_with("org.contacts.") => {
            let i = f.split('.').nth(2).and_then(|i| i.parse::<usize>().ok());
            match i.and_then(|i| p.org.contacts.get_mut(i)) {
                Some(c) if f.ends_with(".phone") => text(&mut c.phone),
                Some(_) => remove(&mut p.org.contacts, i),
                None => false,
            }
        }
        _ => false,
    }
}

/// Whether `s` looks like an email address.
pub fn is_valid_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',')
}

/// Parses a month-day such as `08-15`, `8/15` or `0815`.
pub fn parse_month_day(s: &str) -> Option<(u8, u8)> {
    let s = s.trim();
    let (m, d) = match s.split_once(['-', '/', '.']) {
        Some((m, d)) => (m.parse().ok()?, d.parse().ok()?),
        None if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) => (s[..2].parse().ok()?, s[2..].parse().ok()?),
        None => return None,
    };
    Date::new(2000, m, d).map(|_| (m, d))
}

/// Parses an optional date typed in a form: empty is `None`, bad text is an error.
pub fn parse_optional_date(
    field: &str,
    text: &str,
    today: Date,
    allow_future: bool,
) -> Result<Option<Date>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let d = Date::parse(text).filter(|d| d.year >= 1900).ok_or_else(|| FieldError::new(field, Msg::ErrDate))?;
    if !allow_future && d > today {
        return Err(FieldError::new(field, Msg::ErrDateFuture));
    }
    Ok(Some(d))
}

fn check_len(errs: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errs.push(FieldError::with(field, Msg::ErrTooLong, max));
    }
}

fn check_phone(errs: &mut Vec<FieldError>, field: &str, value: &str) {
    if !value.trim().is_empty() && !is_valid_phone(value) {
        errs.push(FieldError::new(field, Msg::ErrPhone));
    }
}

/// What validation needs to know about the rest of the archive.
pub struct ArchiveContext<'a> {
    pub today: Date,
    /// The display name of another live profile using this customer code, if any.
    pub code_owner: &'a dyn Fn(&str) -> Option<String>,
    /// Whether a head-office customer id exists.
    pub profile_exists: &'a dyn Fn(&str) -> bool,
}

/// Validates a whole profile. An empty list means it may be saved.
pub fn validate_profile(p: &Profile, ctx: &ArchiveContext<'_>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let name = p.name.trim();
    if name.is_empty() {
        e.push(FieldError::new("name", Msg::ErrRequired));
    } else if p.kind == CustomerKind::Organisation {
        if gbk_len(name) > limits::ORG_NAME_BYTES {
            e.push(FieldError::with("name", Msg::ErrTooLongBytes, limits::ORG_NAME_BYTES));
        }
    } else {
        check_len(&mut e, "name", name, limits::PERSON_NAME_CHARS);
    }
    if gbk_len(p.short_name.trim()) > limits::SHORT_NAME_BYTES {
        e.push(FieldError::with("short_name", Msg::ErrTooLongBytes, limits::SHORT_NAME_BYTES));
    }
    let code = p.customer_code.trim();
    if !code.is_empty() {
        if code.chars().count() > limits::CODE_CHARS {
            e.push(FieldError::with("customer_code", Msg::ErrTooLong, limits::CODE_CHARS));
        } else if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            e.push(FieldError::new("customer_code", Msg::ErrCodeChars));
        } else if let Some(owner) = (ctx.code_owner)(code) {
            e.push(FieldError::with("customer_code", Msg::ErrCodeTaken, owner));
        }
    }
    for (i, ph) in p.phones.iter().enumerate() {
        check_phone(&mut e, &format!("phones.{i}"), ph);
    }
    if !p.email.trim().is_empty() && !is_valid_email(&p.email) {
        e.push(FieldError::new("email", Msg::ErrEmail));
    }
    // A sealed number was checked when it was typed (and cannot be read here).
    if let Some(doc) = p.id_doc.as_ref().filter(|d| !d.number.trim().is_empty() && !is_sealed(&d.number)) {
        match doc.kind {
            IdDocType::ResidentId => match parse_resident_id(&doc.number) {
                Ok(_) => {}
                Err(ResidentIdError::Format) => e.push(FieldError::new("id_doc", Msg::ErrIdFormat)),
                Err(ResidentIdError::BirthDate) => e.push(FieldError::new("id_doc", Msg::ErrIdBirth)),
                Err(ResidentIdError::CheckDigit) => e.push(FieldError::new("id_doc", Msg::ErrIdCheck)),
            },
            _ => check_len(&mut e, "id_doc", doc.number.trim(), 30),
        }
    }
    if let Some(b) = p.birth_date {
        if b > ctx.today {
            e.push(FieldError::new("birth_date", Msg::ErrDateFuture));
        } else if b.year < 1900 {
            e.push(FieldError::new("birth_date", Msg::ErrDate));
        }
    }
    if p.since.is_some_and(|d| d > ctx.today) {
        e.push(FieldError::new("since", Msg::ErrDateFuture));
    }
    for (field, value) in [
        ("ethnicity", &p.ethnicity),
        ("native_place", &p.native_place),
        ("nationality", &p.nationality),
        ("language", &p.language),
        ("address", &p.address),
        ("company", &p.company),
        ("email", &p.email),
    ] {
        check_len(&mut e, field, value.trim(), limits::TEXT_CHARS);
    }
    check_len(&mut e, "notes", &p.notes, limits::NOTES_CHARS);
    for (i, t) in p.tags.iter().enumerate() {
        check_len(&mut e, &format!("tags.{i}"), t.trim(), limits::TAG_CHARS);
    }
    for (i, pref) in p.preferences.iter().enumerate() {
        check_len(&mut e, &format!("preferences.{i}"), pref.value.trim(), limits::TEXT_CHARS);
    }
    for (i, d) in p.special_days.iter().enumerate() {
        if !d.is_valid() {
            e.push(FieldError::new(format!("special_days.{i}"), Msg::ErrMonthDay));
        }
        check_len(&mut e, &format!("special_days.{i}"), d.label.trim(), limits::TEXT_CHARS);
    }
    if let Some(c) = &p.emergency_contact {
        check_phone(&mut e, "emergency.phone", &c.phone);
        check_len(&mut e, "emergency.name", c.name.trim(), limits::PERSON_NAME_CHARS);
    }
    validate_org(&p.org, ctx, &mut e);
    e
}

fn validate_org(o: &Organisation, ctx: &ArchiveContext<'_>, e: &mut Vec<FieldError>) {
    let tax = o.tax_no.trim();
    if !tax.is_empty() {
        let legacy = matches!(tax.len(), 15 | 20) && tax.chars().all(|c| c.is_ascii_alphanumeric());
        if !legacy {
            match check_uscc(tax) {
                Ok(()) => {}
                Err(UsccError::Format) => e.push(FieldError::new("org.tax_no", Msg::ErrUsccFormat)),
                Err(UsccError::CheckChar) => e.push(FieldError::new("org.tax_no", Msg::ErrUsccCheck)),
            }
        }
    }
    if let Some(h) = o.head_office_id.as_deref().filter(|h| !h.is_empty()) {
        if !(ctx.profile_exists)(h) {
            e.push(FieldError::new("org.head_office", Msg::ErrHeadOffice));
        }
    }
    let cap = o.registered_capital.trim();
    if !cap.is_empty() && cap.parse::<f64>().map_or(true, |v| !(0.0..1e9).contains(&v)) {
        e.push(FieldError::new("org.registered_capital", Msg::ErrNumber));
    }
    for (field, value) in [
        ("org.legal_rep", &o.legal_rep),
        ("org.bank", &o.bank),
        ("org.category_code", &o.category_code),
        ("org.region_code", &o.region_code),
    ] {
        check_len(e, field, value.trim(), limits::TEXT_CHARS);
    }
    let acct = o.account.trim();
    if !acct.is_empty()
        && !is_sealed(acct)
        && (!acct.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') || acct.len() > 40)
    {
        e.push(FieldError::new("org.account", Msg::ErrNumber));
    }
    for (i, c) in o.contacts.iter().enumerate() {
        check_phone(e, &format!("org.contacts.{i}.phone"), &c.phone);
        if c.name.trim().is_empty() && !c.phone.trim().is_empty() {
            e.push(FieldError::new(format!("org.contacts.{i}.name"), Msg::ErrRequired));
        }
    }
}

/// Validates a history item.
pub fn validate_history(h: &HistoryItem, today: Date) -> Vec<FieldError> {
    let mut e = Vec::new();
    let past_only = !matches!(h.entry, HistoryEntry::Visit { .. } | HistoryEntry::Note { .. });
    if past_only && h.date > today {
        e.push(FieldError::new("date", Msg::ErrDateFuture));
    }
    match &h.entry {
        HistoryEntry::Stay { nights, room_type, channel, amount_fen, .. } => {
            if *nights == 0 || *nights > 366 {
                e.push(FieldError::new("nights", Msg::ErrRange));
            }
            if *amount_fen < 0 {
                e.push(FieldError::new("amount", Msg::ErrRange));
            }
            check_len(&mut e, "room_type", room_type, limits::TEXT_CHARS);
            check_len(&mut e, "channel", channel, limits::TEXT_CHARS);
        }
        HistoryEntry::Consumption { category, covers, amount_fen, discount_pct, .. } => {
            if category.trim().is_empty() {
                e.push(FieldError::new("category", Msg::ErrRequired));
            }
            if *covers > 10_000 {
                e.push(FieldError::new("covers", Msg::ErrRange));
            }
            if *amount_fen < 0 {
                e.push(FieldError::new("amount", Msg::ErrRange));
            }
            if *discount_pct > 100 {
                e.push(FieldError::new("discount", Msg::ErrRange));
            }
        }
        HistoryEntry::Complaint { reason, satisfaction, .. } => {
            if reason.trim().is_empty() {
                e.push(FieldError::new("reason", Msg::ErrRequired));
            }
            check_len(&mut e, "reason", reason, limits::NOTES_CHARS);
            if satisfaction.is_some_and(|s| !(1..=5).contains(&s)) {
                e.push(FieldError::new("satisfaction", Msg::ErrRange));
            }
        }
        HistoryEntry::Visit { visitor, purpose, .. } => {
            if visitor.trim().is_empty() {
                e.push(FieldError::new("visitor", Msg::ErrRequired));
            }
            check_len(&mut e, "purpose", purpose, limits::TEXT_CHARS);
        }
        HistoryEntry::Note { text } => {
            if text.trim().is_empty() {
                e.push(FieldError::new("text", Msg::ErrRequired));
            }
            check_len(&mut e, "text", text, limits::NOTES_CHARS);
        }
    }
    e
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn ctx_with<'a>(owner: &'a dyn Fn(&str) -> Option<String>, exists: &'a dyn Fn(&str) -> bool) -> ArchiveContext<'a> {
        ArchiveContext { today: Date::new(2026, 11, 22).unwrap(), code_owner: owner, profile_exists: exists }
    }

    fn person(name: &str) -> Profile {
        let mut p = Profile::new("p".into(), 0, "t");
        p.name = name.into();
        p
    }

    fn fields(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_complete_valid_profile_passes() {
        let mut p = person("张三");
        p.phones = vec!["13800138000".into(), "0755-88881234".into()];
        p.email = "zhang.san@example.cn".into();
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
        p.org.tax_no = "91350100M000100Y43".into();
        p.customer_code = "SZ-A001".into();
        let none = |_: &str| None;
        let yes = |_: &str| true;
        assert_eq!(validate_profile(&p, &ctx_with(&none, &yes)), vec![]);
    }

    #[test]
    fn each_bad_field_is_reported_with_its_own_message() {
        let mut p = person("");
        p.phones = vec!["12345".into()];
        p.email = "not-an-email".into();
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "110105194912310021".into() });
        p.org.tax_no = "91350100M000100Y44".into();
        p.customer_code = "代码".into();
        p.birth_date = Date::new(2030, 1, 1);
        p.special_days =
            vec![SpecialDay { kind: DayKind::Other, month: 2, day: 30, label: String::new(), ..SpecialDay::default() }];
        let none = |_: &str| None;
        let yes = |_: &str| true;
        let errs = validate_profile(&p, &ctx_with(&none, &yes));
        assert_eq!(
            fields(&errs),
            ["name", "customer_code", "phones.0", "email", "id_doc", "birth_date", "special_days.0", "org.tax_no"]
        );
        assert_eq!(errs[4].message(Locale::Zh), "身份证号校验位不对，请核对是否输错");
        assert_eq!(errs[4].message(Locale::En), "The ID number's check digit is wrong; please check for a typo");
        assert_eq!(errs[0].message(Locale::En), "Required");
    }

    #[test]
    fn length_limits_follow_the_u8_form() {
        let none = |_: &str| None;
        let yes = |_: &str| true;
        let mut org = person(&"华".repeat(49));
        org.kind = CustomerKind::Organisation;
        assert!(validate_profile(&org, &ctx_with(&none, &yes)).is_empty());
        org.name = "华".repeat(50);
        let errs = validate_profile(&org, &ctx_with(&none, &yes));
        assert_eq!(errs[0].message(Locale::En), "Too long: a Chinese character counts 2; at most 98");
        org.name = "a".repeat(98);
        org.short_name = "简".repeat(31);
        assert_eq!(fields(&validate_profile(&org, &ctx_with(&none, &yes))), ["short_name"]);
        let mut p = person("李四");
        p.customer_code = "A".repeat(21);
        let errs = validate_profile(&p, &ctx_with(&none, &yes));
        assert_eq!(errs[0].message(Locale::Zh), "太长了，最多 20 个字符");
    }

    #[test]
    fn customer_codes_must_be_unique() {
        let owner = |c: &str| (c == "A001").then(|| "华为".to_string());
        let yes = |_: &str| true;
        let mut p = person("李四");
        p.customer_code = "A001".into();
        let errs = validate_profile(&p, &ctx_with(&owner, &yes));
        assert_eq!(errs[0].message(Locale::En), "Customer code already used by 华为");
    }

    #[test]
    fn phones_and_emails() {
        for ok in
            ["13800138000", "+86 138 0013 8000", "0755-88881234", "010 12345678", "+44 20 7946 0958", "400-800-8888"]
        {
            assert!(is_valid_phone(ok), "{ok}");
        }
        for ok in [
            "０１０－６２７５１２３４",
            "（０７５５）８８８８　１２３４",
            "１３８ ００１３ ８０００",
            "＋８６ 138—0013—8000",
        ] {
            assert!(is_valid_phone(ok), "full-width {ok}");
        }
        for bad in ["12800138000", "1380013800", "abc", "138001380001", "555-1234", "", "０１０－６２７５"] {
            assert!(!is_valid_phone(bad), "{bad}");
        }
        assert!(is_valid_email("a@b.cn"));
        for bad in ["a@b", "@b.cn", "a b@c.cn", "a@@b.cn", "a@b.cn."] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn tidying_folds_every_phone_of_a_profile() {
        let mut p = person("北京大学");
        p.phones = vec!["０１０－６２７５１２３４".into()];
        p.org.contacts =
            vec![Contact {
                name: "王老师".into(), role: String::new(), phone: "１３９１２３４５６７８".into()
            }];
        p.emergency_contact =
            Some(Contact {
                name: "李".into(), role: String::new(), phone: "（０１０）６２７５１２３４".into()
            });
        tidy_profile(&mut p);
        assert_eq!(p.phones, ["010-62751234"]);
        assert_eq!(p.org.contacts[0].phone, "13912345678");
        assert_eq!(p.emergency_contact.unwrap().phone, "(010)62751234");
    }

    #[test]
    fn a_bad_secondary_value_can_be_cleared_and_identity_fields_cannot() {
        let none = |_: &str| None;
        let yes = |_: &str| true;
        let mut p = person("北京大学");
        p.kind = CustomerKind::Organisation;
        p.phones = vec!["13800138000".into(), "12345".into()];
        p.email = "not-an-email".into();
        p.org.tax_no = "91350100M000100Y44".into();
        p.org.contacts = vec![Contact { name: "王".into(), role: String::new(), phone: "abc".into() }];
        p.special_days =
            vec![SpecialDay { kind: DayKind::Other, month: 2, day: 30, label: String::new(), ..SpecialDay::default() }];
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "110105194912310021".into() });
        let errs = validate_profile(&p, &ctx_with(&none, &yes));
        let mut bad: Vec<&str> = fields(&errs);
        bad.sort_by(|a, b| b.cmp(a));
        for f in bad {
            assert_eq!(clear_field(&mut p, f), !is_identity_field(f), "{f}");
        }
        assert_eq!(fields(&validate_profile(&p, &ctx_with(&none, &yes))), ["id_doc"]);
        assert_eq!(p.phones, ["13800138000"]);
        assert_eq!(p.org.contacts[0].name, "王", "the contact stays without the bad phone");
        assert!(p.special_days.is_empty() && p.email.is_empty() && p.org.tax_no.is_empty());
    }

    #[test]
    fn form_dates() {
        let today = Date::new(2026, 11, 22).unwrap();
        assert_eq!(parse_optional_date("d", "", today, false), Ok(None));
        assert_eq!(parse_optional_date("d", "1990-02-30", today, false).unwrap_err().msg, Msg::ErrDate);
        assert_eq!(parse_optional_date("d", "2027-01-01", today, false).unwrap_err().msg, Msg::ErrDateFuture);
        assert!(parse_optional_date("d", "2027-01-01", today, true).is_ok());
        assert_eq!(parse_month_day("08-15"), Some((8, 15)));
        assert_eq!(parse_month_day("0229"), Some((2, 29)));
        assert_eq!(parse_month_day("02-30"), None);
    }

    #[test]
    fn history_items() {
        let today = Date::new(2026, 11, 22).unwrap();
        let item =
            |entry| HistoryItem { id: "h".into(), profile_id: "p".into(), date: today, entry, meta: Meta::default() };
        assert!(validate_history(&item(HistoryEntry::Note { text: "喜欢安静".into() }), today).is_empty());
        assert_eq!(validate_history(&item(HistoryEntry::Note { text: " ".into() }), today)[0].msg, Msg::ErrRequired);
        let c = HistoryEntry::Complaint {
            reason: "".into(),
            severity: Severity::Minor,
            status: ComplaintStatus::Open,
            deadline: 0,
            handling: "".into(),
            feedback: "".into(),
            return_visit: "".into(),
            satisfaction: Some(9),
        };
        assert_eq!(fields(&validate_history(&item(c), today)), ["reason", "satisfaction"]);
        let mut stay = item(HistoryEntry::Stay {
            nights: 0,
            room_type: "".into(),
            channel: "".into(),
            amenities: "".into(),
            amount_fen: 0,
        });
        stay.date = Date::new(2027, 1, 1).unwrap();
        assert_eq!(fields(&validate_history(&stay, today)), ["date", "nights"]);
    }
}
