//! The add-entry form of the timeline: one draft for every kind of entry (switching kind keeps
//! what was typed), turned into a [`HistoryItem`] or the fields that are wrong.

use crate::domain::date::Date;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::domain::validate::{parse_optional_date, FieldError};

/// Raw form input for a history entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryDraft {
    pub kind: HistoryKind,
    pub date: String,
    pub nights: String,
    pub room_type: String,
    pub channel: String,
    pub amenities: String,
    pub amount: String,
    pub category: String,
    pub covers: String,
    pub discount: String,
    pub payment: String,
    pub reason: String,
    pub severity: Severity,
    pub handling: String,
    pub feedback: String,
    pub visitor: String,
    pub purpose: String,
    pub notes: String,
    pub next_step: String,
    pub next_date: String,
    pub text: String,
}

fn num<T: std::str::FromStr + Default>(field: &str, s: &str, errs: &mut Vec<FieldError>) -> T {
    if s.trim().is_empty() {
        return T::default();
    }
    s.trim().parse().unwrap_or_else(|_| {
        errs.push(FieldError::new(field, Msg::ErrNumber));
        T::default()
    })
}

fn amount(s: &str, errs: &mut Vec<FieldError>) -> i64 {
    parse_yuan(s).unwrap_or_else(|| {
        errs.push(FieldError::new("amount", Msg::ErrAmount));
        0
    })
}

impl HistoryDraft {
    /// A fresh draft of the same kind (after a save).
    pub fn next(&self) -> HistoryDraft {
        HistoryDraft { kind: self.kind, ..HistoryDraft::default() }
    }

    /// The entry this draft describes, with id `id` for profile `profile_id`; an empty date is
    /// `today`; a complaint is open and due by its severity's deadline from `now`. Every wrong
    /// field is reported at once.
    pub fn to_item(
        &self,
        id: String,
        profile_id: &str,
        today: Date,
        now: Millis,
    ) -> Result<HistoryItem, Vec<FieldError>> {
        let mut errs = Vec::new();
        let date = match parse_optional_date("date", &self.date, Date::new(9999, 12, 31).expect("date"), true) {
            Ok(Some(d)) => d,
            Ok(None) => today,
            Err(e) => {
                errs.push(e);
                today
            }
        };
        let entry = match self.kind {
            HistoryKind::Stay => HistoryEntry::Stay {
                nights: num("nights", &self.nights, &mut errs),
                room_type: self.room_type.trim().into(),
                channel: self.channel.trim().into(),
                amenities: self.amenities.trim().into(),
                amount_fen: amount(&self.amount, &mut errs),
            },
            HistoryKind::Consumption => HistoryEntry::Consumption {
                category: self.category.trim().into(),
                covers: num("covers", &self.covers, &mut errs),
                amount_fen: amount(&self.amount, &mut errs),
                discount_pct: num("discount", &self.discount, &mut errs),
                payment: self.payment.trim().into(),
            },
            HistoryKind::Complaint => HistoryEntry::Complaint {
                reason: self.reason.trim().into(),
                severity: self.severity,
                status: ComplaintStatus::Open,
                deadline: now + self.severity.default_deadline_hours() * 3_600_000,
                handling: self.handling.trim().into(),
                feedback: self.feedback.trim().into(),
                return_visit: String::new(),
                satisfaction: None,
            },
            HistoryKind::Visit => HistoryEntry::Visit {
                visitor: self.visitor.trim().into(),
                purpose: self.purpose.trim().into(),
                notes: self.notes.trim().into(),
                next_step: self.next_step.trim().into(),
                next_date: parse_optional_date("next_date", &self.next_date, date, true).unwrap_or_else(|e| {
                    errs.push(e);
                    None
                }),
            },
            HistoryKind::Note => HistoryEntry::Note { text: self.text.trim().into() },
        };
        if errs.is_empty() {
            Ok(HistoryItem { id, profile_id: profile_id.into(), date, entry, meta: Meta::default() })
        } else {
            Err(errs)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const NOW: Millis = 1_764_000_000_000;

    fn today() -> Date {
        Date::new(2026, 12, 2).unwrap()
    }

    fn fields(e: &[FieldError]) -> Vec<&str> {
        e.iter().map(|x| x.field.as_str()).collect()
    }

    #[test]
    fn a_stay_with_its_amount_in_fen_and_today_when_no_date_is_given() {
        let d = HistoryDraft {
            kind: HistoryKind::Stay,
            nights: " 3 ".into(),
            room_type: "大床房 ".into(),
            amount: "¥1,280.5".into(),
            ..Default::default()
        };
        let item = d.to_item("h1".into(), "p1", today(), NOW).unwrap();
        assert_eq!((item.id.as_str(), item.profile_id.as_str(), item.date), ("h1", "p1", today()));
        assert_eq!(
            item.entry,
            HistoryEntry::Stay {
                nights: 3,
                room_type: "大床房".into(),
                channel: String::new(),
                amenities: String::new(),
                amount_fen: 128_050
            }
        );
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let d = HistoryDraft {
            kind: HistoryKind::Consumption,
            date: "2026-13-40".into(),
            covers: "两位".into(),
            amount: "12.345".into(),
            discount: "300".into(),
            ..Default::default()
        };
        let errs = d.to_item("h".into(), "p", today(), NOW).unwrap_err();
        assert_eq!(fields(&errs), ["date", "covers", "amount", "discount"]);
        assert_eq!(errs[2].msg, Msg::ErrAmount);
    }

    #[test]
    fn a_complaint_opens_with_the_deadline_of_its_severity() {
        let d = HistoryDraft {
            kind: HistoryKind::Complaint,
            reason: "噪音".into(),
            severity: Severity::Major,
            ..Default::default()
        };
        let item = d.to_item("h".into(), "p", today(), NOW).unwrap();
        let HistoryEntry::Complaint { status, deadline, .. } = item.entry else { panic!("a complaint") };
        assert_eq!(status, ComplaintStatus::Open);
        assert_eq!(deadline, NOW + Severity::Major.default_deadline_hours() * 3_600_000);
    }

    #[test]
    fn a_visit_follow_up_date_may_be_later_and_a_kind_switch_keeps_the_text() {
        let d = HistoryDraft {
            kind: HistoryKind::Visit,
            date: "2026-12-01".into(),
            next_date: "2027-01-15".into(),
            text: "kept".into(),
            ..Default::default()
        };
        let item = d.to_item("h".into(), "p", today(), NOW).unwrap();
        assert!(
            matches!(item.entry, HistoryEntry::Visit { next_date: Some(n), .. } if n == Date::new(2027, 1, 15).unwrap())
        );
        let note =
            HistoryDraft { kind: HistoryKind::Note, ..d.clone() }.to_item("h".into(), "p", today(), NOW).unwrap();
        assert_eq!(note.entry, HistoryEntry::Note { text: "kept".into() });
        assert_eq!(d.next().kind, HistoryKind::Visit);
        assert_eq!(d.next().text, "");
    }
}
