//! Create and edit a profile. Every problem is shown at its field at once and nothing is saved
//! until all are fixed; what the clerk typed is kept as a draft in local storage until it is
//! saved or cancelled, so neither an error, a reload nor a crash loses it.

use crate::app::archive::{store_error_text, SaveError, Services};
use crate::app::drafts;
use crate::domain::dupes::Duplicate;
use crate::domain::forms::profile::ProfileDraft;
use crate::domain::i18n::Msg;
use crate::domain::validate::FieldError;
use crate::ui::list::ListState;
use crate::ui::locale;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::t;
use crate::ui::UiState;
use leptos::prelude::*;

mod sections;

use sections::{BasicSection, ClassSection, ContactSection, DupesPanel, FormCtx, KindSwitch, OrgSection, PrefsSection};

type Draft = ProfileDraft;

#[component]
pub fn ProfileForm(id: Option<String>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let list = expect_context::<ListState>();
    let draft_key = id.clone().unwrap_or_else(|| "new".into());
    let creating = id.is_none();
    let draft = RwSignal::new(Draft::default());
    let ready = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let f = FormCtx { draft, errors };
    let dupes = RwSignal::new(Vec::<Duplicate>::new());
    let saving = RwSignal::new(false);
    let store_error = RwSignal::new(None::<String>);
    // What the form held when it opened; a draft is kept only while the input differs from it.
    let pristine = StoredValue::new(None::<Draft>);

    // Load: a kept draft first (nothing typed is lost), else the stored profile, else a new one.
    {
        let key = draft_key.clone();
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let (d, opened_with) = drafts::open(svc, &key, id.as_deref(), &list.query.get_untracked()).await;
            pristine.set_value(opened_with);
            draft.set(d);
            ready.set(true);
        });
    }
    {
        let key = draft_key.clone();
        Effect::new(move |first: Option<()>| {
            let d = draft.get();
            if first.is_some() && ready.get_untracked() {
                pristine.with_value(|p| drafts::keep(&key, &d, p.as_ref()));
            }
        });
    }

    // Errors are shown as each field is left (the fields touched so far), and all of them once
    // the clerk tries to save.
    let touched = RwSignal::new(std::collections::HashSet::<String>::new());
    let attempted = RwSignal::new(false);
    // The draft as a profile, with every problem it has (parsing and the archive's rules).
    let checked = move || draft.with_untracked(|d| svc.check_draft(d));
    let check_touched = move || {
        let (_, mut errs) = checked();
        if !attempted.get_untracked() {
            touched.with_untracked(|t| {
                errs.retain(|e| t.iter().any(|k| e.field == *k || e.field.starts_with(&format!("{k}."))))
            });
        }
        errors.set(errs);
    };
    let on_leave = move |ev: web_sys::FocusEvent| {
        let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) else {
            return;
        };
        if let Some(key) = el.closest("[data-field]").ok().flatten().and_then(|f| f.get_attribute("data-field")) {
            touched.update(|t| {
                t.insert(key);
            });
            // After the blur handlers of the field itself (the phone folding) have run.
            request_animation_frame(check_touched);
        }
    };
    let save_key = draft_key.clone();
    let open_key = StoredValue::new(draft_key.clone());
    let do_save = Callback::new(move |force: bool| {
        if saving.get_untracked() {
            return;
        }
        store_error.set(None);
        let (p, errs) = checked();
        attempted.set(true);
        if !errs.is_empty() {
            errors.set(errs);
            dupes.set(Vec::new());
            focus_first_error();
            return;
        }
        errors.set(Vec::new());
        if creating && !force {
            let found = svc.duplicates(&p);
            if !found.is_empty() {
                dupes.set(found);
                return;
            }
        }
        saving.set(true);
        let key = save_key.clone();
        leptos::task::spawn_local(async move {
            let mut p = p;
            p.phones.retain(|x| !x.is_empty());
            match svc.save_profile(p).await {
                Ok(saved) => {
                    drafts::forget(&key);
                    list.query.set(String::new());
                    push_toast(ui, Toast::info(t(Msg::Saved)));
                    navigate(&Route::Profile(saved.id));
                }
                Err(SaveError::Invalid(e)) => {
                    errors.set(e);
                    focus_first_error();
                }
                Err(SaveError::Store(e)) => store_error.set(Some(store_error_text(&e, locale()))),
            }
            saving.set(false);
        });
    });
    let cancel = {
        let key = draft_key.clone();
        let id = id.clone();
        move |_| {
            drafts::forget(&key);
            navigate(&id.clone().map_or(Route::List, Route::Profile));
        }
    };
    // The ID number is masked in an edit until the clerk asks to see it (a new one is typed in the clear).
    let id_shown = RwSignal::new(creating);

    view! {
        <Show when=move || ready.get() fallback=|| view! { <div class="state"><div class="spinner"></div></div> }>
            <form
                class="profile-form"
                data-testid="profile-form"
                novalidate
                on:focusout=on_leave
                on:submit=move |ev| {
                    ev.prevent_default();
                    do_save.run(false);
                }
            >
                <div class="form-head">
                    <h1>{if creating { t(Msg::NavNew) } else { t(Msg::Edit) }}</h1>
                    <KindSwitch f=f />
                </div>
                {move || (attempted.get() && !errors.with(Vec::is_empty)).then(|| view! {
                    <div class="banner error" role="alert" data-testid="form-error">{t(Msg::FixErrors)}</div>
                })}
                {move || store_error.get().map(|e| view! {
                    <div class="banner error" role="alert" data-testid="store-error">{t(Msg::SaveFailed)} {e}</div>
                })}
                <DupesPanel dupes=dupes draft_key=open_key.get_value() create_anyway=Callback::new(move |()| do_save.run(true)) />

                <BasicSection f=f id_shown=id_shown />
                <ClassSection f=f />
                <PrefsSection f=f />
                <OrgSection f=f />
                <ContactSection f=f />

                <div class="form-actions sticky">
                    <button type="button" class="btn" data-testid="cancel" on:click=cancel.clone()>{t(Msg::Cancel)}</button>
                    <button type="submit" class="btn primary" data-testid="save" disabled=move || saving.get()>
                        {move || if saving.get() { t(Msg::Saving) } else { t(Msg::Save) }}
                    </button>
                </div>
            </form>
        </Show>
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
