//! What the forms hold while staff type, and how that text becomes a record or field errors. Pure,
//! so the rules are tested natively; the screens in `ui/` only bind inputs to these drafts.

pub mod history;
pub mod profile;
