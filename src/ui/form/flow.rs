//! The profile form's checking and saving: errors shown as each field is left and all of them
//! once the clerk tries to save; the duplicate warning before a new profile is created; the save.

use super::sections::FormCtx;
use crate::app::archive::{SaveError, Services};
use crate::app::drafts;
use crate::app::errors::Explain;
use crate::domain::dupes::Duplicate;
use crate::domain::forms::only_touched;
use crate::domain::i18n::Msg;
use crate::ui::list::ListState;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::collections::HashSet;

/// The form's state beyond its draft. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub(super) struct FormFlow {
    pub svc: Services,
    pub ui: UiState,
    pub list: ListState,
    pub f: FormCtx,
    pub creating: bool,
    /// Where the draft is kept.
    pub key: StoredValue<String>,
    /// Field keys the clerk has left.
    pub touched: RwSignal<HashSet<String>>,
    /// Whether a save was tried (every error is shown from then on).
    pub attempted: RwSignal<bool>,
    pub dupes: RwSignal<Vec<Duplicate>>,
    pub saving: RwSignal<bool>,
    pub store_error: RwSignal<Option<String>>,
}

impl FormFlow {
    /// The clerk left the field `key`: its errors (and those of fields left before) are shown.
    pub fn left(self, key: String) {
        self.touched.update(|t| {
            t.insert(key);
        });
        // After the blur handlers of the field itself (the phone folding) have run; nothing when
        // the form has gone meanwhile (a field left because its page was left).
        request_animation_frame(move || {
            let Some((_, errs)) = self.f.draft.try_with_untracked(|d| self.svc.check_draft(d)) else { return };
            let shown = if self.attempted.get_untracked() {
                errs
            } else {
                self.touched.with_untracked(|t| only_touched(errs, t))
            };
            self.f.errors.set(shown);
        });
    }

    /// Saves the draft: every error shown if it has any; a new profile that may repeat a guest
    /// asks first unless `force`.
    pub fn save(self, force: bool) {
        let FormFlow { svc, f, saving, store_error, dupes, .. } = self;
        if saving.get_untracked() {
            return;
        }
        store_error.set(None);
        let (mut p, errs) = f.draft.with_untracked(|d| svc.check_draft(d));
        self.attempted.set(true);
        if !errs.is_empty() {
            f.errors.set(errs);
            dupes.set(Vec::new());
            focus_first_error();
            return;
        }
        f.errors.set(Vec::new());
        if self.creating && !force {
            let found = svc.duplicates(&p);
            if !found.is_empty() {
                dupes.set(found);
                return;
            }
        }
        saving.set(true);
        let FormFlow { ui, list, .. } = self;
        let key = self.key.get_value();
        leptos::task::spawn_local(async move {
            p.phones.retain(|x| !x.is_empty());
            match svc.save_profile(p).await {
                Ok(saved) => {
                    drafts::forget(&key);
                    list.query.set(String::new());
                    push_toast(ui, Toast::info(t(Msg::Saved)));
                    navigate(&Route::Profile(saved.id));
                }
                Err(SaveError::Invalid(e)) => {
                    f.errors.set(e);
                    focus_first_error();
                }
                Err(SaveError::Store(e)) => store_error.set(Some(e.explain(locale()))),
            }
            saving.set(false);
        });
    }
}

/// Moves focus to the first field with an error, once the errors are drawn.
fn focus_first_error() {
    request_animation_frame(|| {
        if let Ok(Some(el)) = document().query_selector(".field.invalid input, .row-edit.invalid input") {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}
