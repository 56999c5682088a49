//! What the forms hold while staff type, and how that text becomes a record or field errors. Pure,
//! so the rules are tested natively; the screens in `ui/` only bind inputs to these drafts.

pub mod history;
pub mod item;
pub mod ledger;
pub mod profile;

use crate::domain::validate::FieldError;
use std::collections::HashSet;

/// The errors of the fields the clerk has left (a field key, or any key below it:
/// `special_days` covers `special_days.1`), so a form does not shout about fields not reached yet.
pub fn only_touched(mut errs: Vec<FieldError>, touched: &HashSet<String>) -> Vec<FieldError> {
    errs.retain(|e| {
        touched.iter().any(|k| e.field == *k || e.field.strip_prefix(k.as_str()).is_some_and(|r| r.starts_with('.')))
    });
    errs
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::i18n::Msg;

    #[test]
    fn only_the_errors_of_fields_left_are_shown() {
        let errs = vec![
            FieldError::new("name", Msg::ErrRequired),
            FieldError::new("phones.0", Msg::ErrPhone),
            FieldError::new("special_days.1", Msg::ErrMonthDay),
            FieldError::new("email", Msg::ErrEmail),
        ];
        let touched: HashSet<String> =
            ["phones.0", "special_days", "name_extra"].iter().map(|s| s.to_string()).collect();
        let shown: Vec<_> = only_touched(errs, &touched).into_iter().map(|e| e.field).collect();
        assert_eq!(shown, ["phones.0", "special_days.1"]);
    }
}
