//! The consignment item form (寄售物料): code, name, unit and list price as typed, turned into an
//! item or every field that is wrong (a code another item has is named).

use crate::domain::forms::ledger::MAX_FEN;
use crate::domain::i18n::Msg;
use crate::domain::ledger::stock::Item;
use crate::domain::model::{format_fen, parse_yuan};
use crate::domain::validate::FieldError;

/// Longest item code, name and unit.
pub const CODE_CHARS: usize = 30;
pub const NAME_CHARS: usize = 60;
pub const UNIT_CHARS: usize = 10;

/// Raw form input for an item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemDraft {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub price: String,
}

impl ItemDraft {
    /// The draft of an item being changed.
    pub fn of(item: &Item) -> ItemDraft {
        ItemDraft {
            code: item.code.clone(),
            name: item.name.clone(),
            unit: item.unit.clone(),
            price: format_fen(item.price_fen),
        }
    }

    /// `base` with the draft's values (its id and history kept), or the wrong fields; the code
    /// must differ from every other item's (case and spaces aside).
    pub fn to_item(&self, base: &Item, items: &[Item]) -> Result<Item, Vec<FieldError>> {
        let mut errs = Vec::new();
        let (code, name, unit) = (self.code.trim(), self.name.trim(), self.unit.trim());
        for (field, v, max) in [("code", code, CODE_CHARS), ("name", name, NAME_CHARS), ("unit", unit, UNIT_CHARS)] {
            if v.is_empty() && field != "unit" {
                errs.push(FieldError::new(field, Msg::ErrRequired));
            } else if v.chars().count() > max {
                errs.push(FieldError::with(field, Msg::ErrTooLong, max));
            }
        }
        if let Some(other) = items.iter().find(|i| i.id != base.id && i.code.trim().eq_ignore_ascii_case(code)) {
            if !code.is_empty() {
                errs.push(FieldError::with("code", Msg::ErrItemCodeTaken, &other.name));
            }
        }
        let price_fen = match parse_yuan(&self.price) {
            Some(p) if (0..=MAX_FEN).contains(&p) => p,
            Some(p) if p > MAX_FEN => {
                errs.push(FieldError::new("price", Msg::ErrAmountTooLarge));
                0
            }
            _ => {
                errs.push(FieldError::new("price", Msg::ErrAmount));
                0
            }
        };
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Item { code: code.to_string(), name: name.to_string(), unit: unit.to_string(), price_fen, ..base.clone() })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn item(id: &str, code: &str, name: &str) -> Item {
        Item { id: id.into(), code: code.into(), name: name.into(), ..Item::default() }
    }

    #[test]
    fn an_item_is_made_or_every_wrong_field_named() {
        let items = [item("a", "TW-01", "毛巾")];
        let d = ItemDraft { code: " BX-02 ".into(), name: "浴巾".into(), unit: "条".into(), price: "35.5".into() };
        let made = d.to_item(&item("b", "", ""), &items).unwrap();
        assert_eq!((made.id.as_str(), made.code.as_str(), made.price_fen), ("b", "BX-02", 3_550));
        let bad = ItemDraft { code: "tw-01".into(), name: String::new(), unit: "x".repeat(11), price: "-1".into() };
        let errs = bad.to_item(&item("b", "", ""), &items).unwrap_err();
        let fields: Vec<(&str, Msg)> = errs.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(
            fields,
            [
                ("name", Msg::ErrRequired),
                ("unit", Msg::ErrTooLong),
                ("code", Msg::ErrItemCodeTaken),
                ("price", Msg::ErrAmount)
            ]
        );
        assert_eq!(errs[2].detail.as_deref(), Some("毛巾"), "whose code it is");
        // Changing an item keeps its own code.
        let same = ItemDraft::of(&items[0]);
        assert!(same.to_item(&items[0], &items).is_ok());
    }
}
