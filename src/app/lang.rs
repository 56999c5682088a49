//! The language the app speaks now: every screen and every message reads it through [`t`].

use crate::domain::i18n::{Locale, Msg};
use std::cell::Cell;

thread_local! {
    static LOCALE: Cell<Locale> = const { Cell::new(Locale::Zh) };
}

/// Translates a message into the current language. The app re-renders when the language changes.
pub fn t(m: Msg) -> &'static str {
    LOCALE.with(|l| l.get().t(m))
}

/// The current language.
pub fn locale() -> Locale {
    LOCALE.with(Cell::get)
}

/// Makes `l` the current language (the caller re-renders).
pub fn set_locale(l: Locale) {
    LOCALE.with(|c| c.set(l));
}
