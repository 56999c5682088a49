//! The create/edit form's draft: the profile plus the raw text of fields that need parsing, kept
//! in local storage while the clerk types (its serialised shape is what a kept draft holds), and
//! turned into a profile or the fields that cannot be parsed.

use crate::domain::date::Date;
use crate::domain::governance::sealed::is_sealed;
use crate::domain::i18n::Msg;
use crate::domain::ids::parse_resident_id;
use crate::domain::model::*;
use crate::domain::text::has_han;
use crate::domain::validate::{parse_month_day, parse_optional_date, FieldError};
use serde::{Deserialize, Serialize};

/// A special day's text in the calendar chosen for it: `MM-DD`, or a lunar day as numbers or
/// words (`04-08`, `四月初八`; `闰` before it, or the calendar `LunarLeap`, for a leap month).
fn parse_day(calendar: DayCalendar, text: &str) -> Option<(DayCalendar, u8, u8)> {
    if calendar == DayCalendar::Solar {
        return parse_month_day(text).map(|(m, d)| (calendar, m, d));
    }
    let (month, leap, day) = crate::domain::lunar::parse(text)?;
    let calendar = if leap { DayCalendar::LunarLeap } else { calendar };
    Some((calendar, month, day))
        .filter(|(c, m, d)| SpecialDay { month: *m, day: *d, calendar: *c, ..SpecialDay::default() }.is_valid())
}

/// What the form edits: the profile plus the raw text of fields that need parsing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileDraft {
    pub p: Profile,
    pub birth: String,
    pub since: String,
    pub phones: [String; 2],
    pub id_kind: IdDocType,
    pub id_no: String,
    pub tags: String,
    pub head_office_code: String,
    /// `(kind, "MM-DD", label)`; for a lunar day the text is lunar (`04-08` or `四月初八`).
    pub days: Vec<(DayKind, String, String)>,
    /// Each day's calendar, by position (missing: Gregorian; drafts kept before lunar days).
    #[serde(default)]
    pub day_calendars: Vec<DayCalendar>,
    pub emergency: Contact,
    /// Credit limit in yuan, credit days and payment terms as typed.
    #[serde(default)]
    pub credit_amount: String,
    #[serde(default)]
    pub credit_days: String,
    #[serde(default)]
    pub terms: String,
}

impl ProfileDraft {
    pub fn from_profile(p: Profile, head_office_code: String) -> ProfileDraft {
        ProfileDraft {
            birth: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            since: p.since.map(|d| d.to_string()).unwrap_or_default(),
            phones: [p.phones.first().cloned().unwrap_or_default(), p.phones.get(1).cloned().unwrap_or_default()],
            id_kind: p.id_doc.as_ref().map(|d| d.kind).unwrap_or_default(),
            id_no: p.id_doc.as_ref().map(|d| d.number.clone()).unwrap_or_default(),
            tags: p.tags.join(", "),
            head_office_code,
            days: p
                .special_days
                .iter()
                .map(|d| {
                    let text = match d.calendar {
                        DayCalendar::Solar => format!("{:02}-{:02}", d.month, d.day),
                        _ => crate::domain::lunar::zh_label(d.month, false, d.day),
                    };
                    (d.kind, text, d.label.clone())
                })
                .collect(),
            day_calendars: p.special_days.iter().map(|d| d.calendar).collect(),
            emergency: p.emergency_contact.clone().unwrap_or_default(),
            credit_amount: p.credit_limit.amount_fen.map(format_fen).unwrap_or_default(),
            credit_days: p.credit_limit.days.map(|d| d.to_string()).unwrap_or_default(),
            terms: p.terms_days.map(|d| d.to_string()).unwrap_or_default(),
            p,
        }
    }

    /// The profile the draft describes (dates checked against `today`; the head office by the id
    /// its code names, if it names one), with the fields that cannot be parsed.
    pub fn to_profile(&self, today: Date, head_office_id: Option<String>) -> (Profile, Vec<FieldError>) {
        let mut errs = Vec::new();
        let mut p = self.p.clone();
        p.name = p.name.trim().to_string();
        p.birth_date = parse_optional_date("birth_date", &self.birth, today, false).unwrap_or_else(|e| {
            errs.push(e);
            None
        });
        p.since = parse_optional_date("since", &self.since, today, false).unwrap_or_else(|e| {
            errs.push(e);
            None
        });
        p.phones = self.phones.iter().map(|x| x.trim().to_string()).collect();
        let days = |key: &str, text: &str, errs: &mut Vec<FieldError>| {
            if text.trim().is_empty() {
                return None;
            }
            let d = crate::domain::transfer::columns::days_value(text);
            if d.is_none() {
                errs.push(FieldError::new(key, Msg::ErrDays));
            }
            d
        };
        p.credit_limit.amount_fen = match self.credit_amount.trim() {
            "" => None,
            t => match parse_yuan(t).filter(|f| *f >= 0) {
                Some(f) => Some(f),
                None => {
                    errs.push(FieldError::new("credit_limit.amount_fen", Msg::ErrAmount));
                    None
                }
            },
        };
        p.credit_limit.days = days("credit_limit.days", &self.credit_days, &mut errs);
        p.terms_days = days("terms_days", &self.terms, &mut errs);
        let id_no = self.id_no.trim();
        p.id_doc = (!id_no.is_empty()).then(|| IdDocument { kind: self.id_kind, number: sealed_or_upper(id_no) });
        p.tags = self
            .tags
            .split([',', '，', '、', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        p.special_days = Vec::new();
        for (i, (kind, md, label)) in self.days.iter().enumerate() {
            match parse_day(self.day_calendar(i), md) {
                Some((calendar, month, day)) => {
                    p.special_days.push(SpecialDay { kind: *kind, month, day, label: label.trim().into(), calendar })
                }
                None => errs.push(FieldError::new(format!("special_days.{i}"), Msg::ErrMonthDay)),
            }
        }
        p.preferences.retain(|x| !x.value.trim().is_empty());
        p.org.contacts.retain(|c| !c.name.trim().is_empty() || !c.phone.trim().is_empty());
        p.emergency_contact = (!self.emergency.name.trim().is_empty() || !self.emergency.phone.trim().is_empty())
            .then(|| self.emergency.clone());
        if !self.head_office_code.trim().is_empty() {
            match head_office_id {
                Some(h) => p.org.head_office_id = Some(h),
                None => errs.push(FieldError::new("org.head_office", Msg::ErrHeadOffice)),
            }
        } else {
            p.org.head_office_id = None;
        }
        (p, errs)
    }

    /// The calendar of the special day in row `i`.
    pub fn day_calendar(&self, i: usize) -> DayCalendar {
        self.day_calendars.get(i).copied().unwrap_or_default()
    }

    /// Keeps row `i`'s day in calendar `c`.
    pub fn set_day_calendar(&mut self, i: usize, c: DayCalendar) {
        if self.day_calendars.len() <= i {
            self.day_calendars.resize(i + 1, DayCalendar::Solar);
        }
        self.day_calendars[i] = c;
    }

    /// Removes special-day row `i` (its calendar with it).
    pub fn remove_day(&mut self, i: usize) {
        if i < self.days.len() {
            self.days.remove(i);
        }
        if i < self.day_calendars.len() {
            self.day_calendars.remove(i);
        }
    }

    /// A new profile's draft with id `id`, started from what the clerk had typed in the search
    /// box: digits become the first phone, Chinese text the name.
    pub fn new(id: String, query: &str) -> ProfileDraft {
        let mut d = ProfileDraft { p: Profile::new(id, 0, ""), ..ProfileDraft::default() };
        let q = query.trim();
        if !q.is_empty() && q.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '+') {
            d.phones[0] = q.to_string();
        } else if has_han(q) {
            d.p.name = q.to_string();
        }
        d
    }

    /// The first birthday among the special days that is not the birth date (from a resident ID,
    /// else the birth date field), with that birth date: the form warns before such a save.
    pub fn birthday_mismatch(&self, today: Date) -> Option<(usize, Date)> {
        let birth = parse_optional_date("birth_date", &self.birth, today, false).ok().flatten();
        let from_id = (self.id_kind == IdDocType::ResidentId)
            .then(|| parse_resident_id(&self.id_no).ok())
            .flatten()
            .map(|i| i.birth_date);
        let born = from_id.or(birth)?;
        self.days.iter().enumerate().find_map(|(i, (kind, md, _))| {
            let (m, day) = parse_month_day(md)?;
            (*kind == DayKind::Birthday && (m, day) != (born.month, born.day)).then_some((i, born))
        })
    }
}

impl ProfileDraft {
    /// The draft as kept in local storage while the form is open: without an ID number or a
    /// bank account typed in clear (local storage is readable in the developer tools; only the
    /// sealed form may be stored). A reload keeps everything else.
    pub fn kept(&self) -> ProfileDraft {
        let mut d = self.clone();
        if !is_sealed(&d.id_no) {
            d.id_no.clear();
        }
        if !is_sealed(&d.p.org.account) {
            d.p.org.account.clear();
        }
        d
    }
}

/// A number as saved: typed ones upper-case (`x` → `X`), a sealed one (the form left it as it
/// was) untouched.
fn sealed_or_upper(n: &str) -> String {
    if is_sealed(n) {
        n.to_string()
    } else {
        n.to_uppercase()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 12, 2).unwrap()
    }

    #[test]
    fn credit_limit_and_terms_are_typed_in_yuan_and_days_and_a_bad_one_is_named() {
        let today = Date::new(2026, 12, 4).unwrap();
        let mut d = ProfileDraft::new("p1".into(), "张三");
        d.credit_amount = "50,000".into();
        d.credit_days = "60天".into();
        d.terms = "30".into();
        let (p, errs) = d.to_profile(today, None);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            (p.credit_limit.amount_fen, p.credit_limit.days, p.terms_days),
            (Some(5_000_000), Some(60), Some(30))
        );
        let back = ProfileDraft::from_profile(p, String::new());
        assert_eq!(
            (back.credit_amount.as_str(), back.credit_days.as_str(), back.terms.as_str()),
            ("50000.00", "60", "30")
        );
        d.credit_amount = "-1".into();
        d.credit_days = "3651".into();
        d.terms = "一个月".into();
        let (p, errs) = d.to_profile(today, None);
        let keys: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(keys, ["credit_limit.amount_fen", "credit_limit.days", "terms_days"]);
        assert_eq!(p.name, "张三", "the rest of the profile is kept");
        d.credit_amount.clear();
        d.credit_days.clear();
        d.terms.clear();
        let (p, errs) = d.to_profile(today, None);
        assert!(errs.is_empty() && p.credit_limit.is_none() && p.terms_days.is_none());
    }

    #[test]
    fn a_lunar_day_is_typed_as_numbers_or_words_and_comes_back_in_words() {
        let mut d = ProfileDraft::new("p1".into(), "");
        d.p.name = "王五".into();
        d.days = vec![
            (DayKind::Birthday, "04-08".into(), String::new()),
            (DayKind::Anniversary, "闰二月三十".into(), String::new()),
            (DayKind::Other, "13-01".into(), String::new()),
        ];
        d.set_day_calendar(0, DayCalendar::Lunar);
        d.set_day_calendar(1, DayCalendar::Lunar);
        d.set_day_calendar(2, DayCalendar::Lunar);
        let (p, errs) = d.to_profile(today(), None);
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["special_days.2"]);
        assert_eq!(
            (p.special_days[0].calendar, p.special_days[0].month, p.special_days[0].day),
            (DayCalendar::Lunar, 4, 8)
        );
        assert_eq!(p.special_days[1].calendar, DayCalendar::LunarLeap, "闰 typed: the leap month");
        assert_eq!(p.special_days[1].written(), "农历闰二月三十");
        d.remove_day(2);
        let (p, errs) = d.to_profile(today(), None);
        assert!(errs.is_empty());
        let back = ProfileDraft::from_profile(p, String::new());
        assert_eq!(back.days[0].1, "四月初八");
        assert_eq!(back.day_calendars, [DayCalendar::Lunar, DayCalendar::LunarLeap]);
        // A draft kept before lunar days (no calendars) reads as Gregorian.
        let old: ProfileDraft = serde_json::from_str(
            &serde_json::to_string(&back).unwrap().replace(r#","day_calendars":["lunar","lunar_leap"]"#, ""),
        )
        .unwrap();
        assert_eq!(old.day_calendar(0), DayCalendar::Solar);
    }

    #[test]
    fn a_draft_becomes_a_profile_with_its_text_parsed() {
        let mut d = ProfileDraft::new("p1".into(), "");
        d.p.name = " 张三 ".into();
        d.birth = "1990-05-06".into();
        d.phones = ["138 0013 8000 ".into(), String::new()];
        d.id_no = "11010519491231002x".into();
        d.tags = "常客，安静, ".into();
        d.days = vec![(DayKind::Anniversary, "03-01".into(), " 结婚 ".into())];
        let (p, errs) = d.to_profile(today(), None);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(p.name, "张三");
        assert_eq!(p.birth_date, Date::new(1990, 5, 6));
        assert_eq!(p.phones, ["138 0013 8000", ""]);
        assert_eq!(p.id_doc.unwrap().number, "11010519491231002X");
        assert_eq!(p.tags, ["常客", "安静"]);
        assert_eq!(p.special_days[0].label, "结婚");
        assert_eq!(p.emergency_contact, None, "an empty emergency contact is none");
    }

    #[test]
    fn a_kept_draft_holds_no_number_in_clear_and_a_sealed_one_stays_as_it_is() {
        let mut d = ProfileDraft::new("p1".into(), "");
        d.p.name = "张三".into();
        d.id_no = "11010519491231002X".into();
        d.p.org.account = "6222020200112233".into();
        let kept = d.kept();
        assert_eq!((kept.id_no.as_str(), kept.p.org.account.as_str(), kept.p.name.as_str()), ("", "", "张三"));
        let sealed = format!("{}k:t:18:002X:AAAA", crate::domain::governance::sealed::PREFIX);
        d.id_no = sealed.clone();
        assert_eq!(d.kept().id_no, sealed);
        // A sealed number left untouched by an edit saves as it was (not upper-cased).
        let (p, _) = d.to_profile(today(), None);
        assert_eq!(p.id_doc.unwrap().number, sealed);
    }

    #[test]
    fn unparsable_fields_are_reported_and_the_rest_kept() {
        let mut d = ProfileDraft::new("p1".into(), "");
        d.p.name = "李四".into();
        d.birth = "2099-01-01".into();
        d.since = "昨天".into();
        d.days = vec![(DayKind::Birthday, "13-40".into(), String::new())];
        d.head_office_code = "C-404".into();
        let (p, errs) = d.to_profile(today(), None);
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["birth_date", "since", "special_days.0", "org.head_office"]);
        assert_eq!(errs[0].msg, Msg::ErrDateFuture);
        assert_eq!(p.name, "李四");
        let (p, errs) =
            ProfileDraft { head_office_code: "C-1".into(), ..d.clone() }.to_profile(today(), Some("h1".into()));
        assert_eq!(p.org.head_office_id.as_deref(), Some("h1"));
        assert!(!errs.iter().any(|e| e.field == "org.head_office"));
    }

    #[test]
    fn the_search_text_starts_a_new_profile() {
        assert_eq!(ProfileDraft::new("a".into(), " 1380013 ").phones[0], "1380013");
        assert_eq!(ProfileDraft::new("a".into(), "王").p.name, "王");
        let latin = ProfileDraft::new("a".into(), "wang");
        assert_eq!((latin.p.name.as_str(), latin.phones[0].as_str()), ("", ""));
    }

    #[test]
    fn a_birthday_that_is_not_the_birth_date_is_found() {
        let mut d = ProfileDraft::new("p".into(), "");
        d.id_no = "11010519491231002X".into();
        d.days = vec![
            (DayKind::Anniversary, "01-01".into(), String::new()),
            (DayKind::Birthday, "06-01".into(), String::new()),
        ];
        assert_eq!(d.birthday_mismatch(today()), Some((1, Date::new(1949, 12, 31).unwrap())));
        d.days[1].1 = "12-31".into();
        assert_eq!(d.birthday_mismatch(today()), None);
        d.id_no.clear();
        d.birth = "1980-06-01".into();
        assert_eq!(d.birthday_mismatch(today()), Some((1, Date::new(1980, 6, 1).unwrap())));
    }
}
