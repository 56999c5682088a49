//! The account screen's entry form: one draft for sales, receipts, returns, adjustments, opening
//! balances and consignment movements (switching kind keeps what was typed), turned into an
//! entry's day and body, or every field that is wrong.

use crate::domain::date::Date;
use crate::domain::i18n::Msg;
use crate::domain::ledger::{Body, EntryKind, Line, Movement, PayMethod};
use crate::domain::model::parse_yuan;
use crate::domain::validate::{parse_optional_date, FieldError};

/// Longest document number (invoice, receipt, delivery note).
pub const DOC_CHARS: usize = 40;
/// Longest reason or note.
pub const REASON_CHARS: usize = 200;
/// The largest single amount: ¥10 billion, far past any customer account, well inside i64.
pub const MAX_FEN: i64 = 1_000_000_000_000;

/// One line of a consignment movement as typed: the item's id, quantity and unit price (yuan).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineDraft {
    pub item: String,
    pub qty: String,
    pub price: String,
}

/// Raw form input for an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryDraft {
    pub kind: EntryKind,
    pub date: String,
    pub doc: String,
    pub amount: String,
    /// A sale's due date; empty: the date plus the customer's terms.
    pub due: String,
    pub method: PayMethod,
    /// The invoices (entry ids) a receipt pays first.
    pub pays: Vec<String>,
    /// The invoice a return is against (entry id), if any.
    pub against: String,
    /// An adjustment goes down (a discount, a write-off) unless this is set.
    pub up: bool,
    pub reason: String,
    pub note: String,
    pub movement: Movement,
    pub lines: Vec<LineDraft>,
}

impl EntryDraft {
    /// A fresh draft of the same kind (after a save).
    pub fn next(&self) -> EntryDraft {
        EntryDraft { kind: self.kind, method: self.method, movement: self.movement, ..EntryDraft::default() }
    }

    /// The day and body this draft describes; an empty date is `today` (a later day is refused:
    /// entries record what happened); a sale due `terms` days after its date unless a due date
    /// is typed.
    pub fn to_body(&self, today: Date, terms: u16) -> Result<(Date, Body), Vec<FieldError>> {
        let mut errs = Vec::new();
        let date = match parse_optional_date("date", &self.date, today, false) {
            Ok(Some(d)) => d,
            Ok(None) => today,
            Err(e) => {
                errs.push(e);
                today
            }
        };
        let doc = self.doc.trim().to_string();
        if doc.chars().count() > DOC_CHARS {
            errs.push(FieldError::with("doc", Msg::ErrTooLong, DOC_CHARS));
        }
        let reason = self.reason.trim().to_string();
        if reason.chars().count() > REASON_CHARS {
            errs.push(FieldError::with("reason", Msg::ErrTooLong, REASON_CHARS));
        }
        let positive = |errs: &mut Vec<FieldError>| match parse_yuan(&self.amount) {
            Some(f) if f > 0 && f <= MAX_FEN => f,
            Some(0) if self.amount.trim().is_empty() => {
                errs.push(FieldError::new("amount", Msg::ErrRequired));
                0
            }
            Some(f) if f > MAX_FEN => {
                errs.push(FieldError::new("amount", Msg::ErrAmountTooLarge));
                0
            }
            _ => {
                errs.push(FieldError::new("amount", Msg::ErrAmountPositive));
                0
            }
        };
        let body = match self.kind {
            EntryKind::Sale => {
                let amount_fen = positive(&mut errs);
                let due = match parse_optional_date("due", &self.due, Date::new(9999, 12, 31).expect("date"), true) {
                    Ok(Some(d)) if d < date => {
                        errs.push(FieldError::new("due", Msg::ErrDueBeforeDate));
                        d
                    }
                    Ok(Some(d)) => d,
                    Ok(None) => Date::from_days_since_epoch(date.days_since_epoch() + i64::from(terms)),
                    Err(e) => {
                        errs.push(e);
                        date
                    }
                };
                Body::Sale { doc, amount_fen, due, override_: None }
            }
            EntryKind::Receipt => {
                Body::Receipt { amount_fen: positive(&mut errs), method: self.method, doc, pays: self.pays.clone() }
            }
            EntryKind::Return => Body::Return {
                amount_fen: positive(&mut errs),
                doc,
                against: Some(self.against.trim().to_string()).filter(|a| !a.is_empty()),
            },
            EntryKind::Adjustment => {
                let f = positive(&mut errs);
                if reason.is_empty() {
                    errs.push(FieldError::new("reason", Msg::ErrReasonRequired));
                }
                Body::Adjustment { amount_fen: if self.up { f } else { -f }, reason: reason.clone() }
            }
            EntryKind::Opening => {
                let f = match parse_yuan(&self.amount) {
                    Some(f) if f != 0 && f.abs() <= MAX_FEN => f,
                    Some(0) if self.amount.trim().is_empty() => {
                        errs.push(FieldError::new("amount", Msg::ErrRequired));
                        0
                    }
                    _ => {
                        errs.push(FieldError::new("amount", Msg::ErrAmount));
                        0
                    }
                };
                let due = match parse_optional_date("due", &self.due, Date::new(9999, 12, 31).expect("date"), true) {
                    Ok(d) => d,
                    Err(e) => {
                        errs.push(e);
                        None
                    }
                };
                Body::Opening { amount_fen: f, doc, due }
            }
            EntryKind::Consignment => {
                let mut lines = Vec::new();
                for (i, l) in self.lines.iter().enumerate() {
                    if l.item.trim().is_empty() && l.qty.trim().is_empty() {
                        continue;
                    }
                    if l.item.trim().is_empty() {
                        errs.push(FieldError::new(format!("lines.{i}.item"), Msg::ErrRequired));
                    }
                    let qty = match l.qty.trim().parse::<i64>() {
                        Ok(q) if q > 0 || (q == 0 && self.movement == Movement::Count) => q,
                        _ => {
                            errs.push(FieldError::new(format!("lines.{i}.qty"), Msg::ErrQuantity));
                            0
                        }
                    };
                    let price_fen = match parse_yuan(&l.price) {
                        Some(p) if p >= 0 => p,
                        _ => {
                            errs.push(FieldError::new(format!("lines.{i}.price"), Msg::ErrAmount));
                            0
                        }
                    };
                    lines.push(Line { item: l.item.trim().to_string(), qty, price_fen });
                }
                if lines.is_empty() && !errs.iter().any(|e| e.field.starts_with("lines.")) {
                    errs.push(FieldError::new("lines", Msg::ErrNoLines));
                }
                let due = (self.movement == Movement::Issue)
                    .then(|| Date::from_days_since_epoch(date.days_since_epoch() + i64::from(terms)));
                Body::Consignment { movement: self.movement, lines, doc, due }
            }
            // A reversal is made from the entry it reverses, never typed.
            EntryKind::Reversal => {
                errs.push(FieldError::new("kind", Msg::ErrRequired));
                Body::Adjustment { amount_fen: 0, reason }
            }
        };
        if errs.is_empty() {
            Ok((date, body))
        } else {
            Err(errs)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 12, 4).unwrap()
    }

    fn fields(errs: Vec<FieldError>) -> Vec<String> {
        errs.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_sale_is_due_after_the_customer_s_terms_unless_a_due_date_is_typed() {
        let mut d = EntryDraft {
            kind: EntryKind::Sale,
            amount: "1,280.50".into(),
            doc: " INV-7 ".into(),
            ..EntryDraft::default()
        };
        let (date, body) = d.to_body(today(), 30).unwrap();
        assert_eq!(date, today());
        assert_eq!(
            body,
            Body::Sale {
                doc: "INV-7".into(),
                amount_fen: 128_050,
                due: Date::new(2027, 1, 3).unwrap(),
                override_: None
            }
        );
        d.date = "2026-11-01".into();
        d.due = "2026-11-15".into();
        let (_, body) = d.to_body(today(), 30).unwrap();
        assert!(matches!(body, Body::Sale { due, .. } if due == Date::new(2026, 11, 15).unwrap()));
        d.due = "2026-10-01".into();
        assert_eq!(fields(d.to_body(today(), 30).unwrap_err()), ["due"]);
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let d = EntryDraft {
            kind: EntryKind::Adjustment,
            date: "2027-01-01".into(),
            amount: "-5".into(),
            doc: "x".repeat(41),
            ..EntryDraft::default()
        };
        assert_eq!(fields(d.to_body(today(), 30).unwrap_err()), ["date", "doc", "amount", "reason"]);
        let empty = EntryDraft { kind: EntryKind::Receipt, ..EntryDraft::default() };
        let errs = empty.to_body(today(), 30).unwrap_err();
        assert_eq!((errs[0].field.as_str(), errs[0].msg), ("amount", Msg::ErrRequired));
        let huge = EntryDraft { kind: EntryKind::Receipt, amount: "99999999999".into(), ..EntryDraft::default() };
        assert_eq!(huge.to_body(today(), 30).unwrap_err()[0].msg, Msg::ErrAmountTooLarge);
    }

    #[test]
    fn an_adjustment_goes_down_unless_marked_up_and_an_opening_balance_may_be_a_credit() {
        let mut d = EntryDraft {
            kind: EntryKind::Adjustment,
            amount: "12".into(),
            reason: "抹零".into(),
            ..EntryDraft::default()
        };
        assert!(matches!(d.to_body(today(), 30).unwrap().1, Body::Adjustment { amount_fen: -1200, .. }));
        d.up = true;
        assert!(matches!(d.to_body(today(), 30).unwrap().1, Body::Adjustment { amount_fen: 1200, .. }));
        let o = EntryDraft { kind: EntryKind::Opening, amount: "-300".into(), ..EntryDraft::default() };
        assert!(matches!(o.to_body(today(), 30).unwrap().1, Body::Opening { amount_fen: -30_000, .. }));
    }

    #[test]
    fn a_consignment_movement_needs_items_and_whole_quantities() {
        let mut d = EntryDraft { kind: EntryKind::Consignment, movement: Movement::Issue, ..EntryDraft::default() };
        assert_eq!(fields(d.to_body(today(), 30).unwrap_err()), ["lines"]);
        d.lines = vec![
            LineDraft { item: "i1".into(), qty: "3".into(), price: "10".into() },
            LineDraft { item: "i2".into(), qty: "1.5".into(), price: "".into() },
            LineDraft::default(),
        ];
        assert_eq!(fields(d.to_body(today(), 30).unwrap_err()), ["lines.1.qty"]);
        d.lines[1].qty = "2".into();
        let (_, body) = d.to_body(today(), 15).unwrap();
        assert_eq!(body.effect(), 3_000);
        assert!(matches!(body, Body::Consignment { due: Some(due), .. } if due == Date::new(2026, 12, 19).unwrap()));
    }
}
