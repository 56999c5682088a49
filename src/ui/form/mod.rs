//! Create and edit a profile. Every problem is shown at its field at once and nothing is saved
//! until all are fixed; what the clerk typed is kept as a draft in local storage until it is
//! saved or cancelled, so neither an error, a reload nor a crash loses it.

use crate::app::archive::Services;
use crate::app::drafts;
use crate::domain::dupes::Duplicate;
use crate::domain::forms::profile::ProfileDraft;
use crate::domain::i18n::Msg;
use crate::domain::validate::FieldError;
use crate::ui::list::ListState;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::t;
use crate::ui::UiState;
use leptos::prelude::*;

mod flow;
mod sections;

use flow::FormFlow;

use sections::{BasicSection, ClassSection, ContactSection, DupesPanel, FormCtx, KindSwitch, OrgSection, PrefsSection};

type Draft = ProfileDraft;

crate::lazy::lazy_fn! { profile;
    /// The form that creates (`None`) or edits a profile, in the profile page's chunk.
    pub fn page(id: Option<String>) -> AnyView {
        view! { <ProfileForm id=id /> }.into_any()
    }
}

#[component]
fn ProfileForm(id: Option<String>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let list = expect_context::<ListState>();
    let draft_key = id.clone().unwrap_or_else(|| "new".into());
    let creating = id.is_none();
    // The duplicate check compares names by their pinyin: the table, if not here yet.
    crate::platform::pinyin::fetch_now();
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

    let flow = FormFlow {
        svc,
        ui,
        list,
        f,
        creating,
        key: StoredValue::new(draft_key.clone()),
        touched: RwSignal::new(Default::default()),
        attempted: RwSignal::new(false),
        dupes,
        saving,
        store_error,
    };
    let attempted = flow.attempted;
    let do_save = Callback::new(move |force: bool| flow.save(force));
    let on_leave = move |ev: web_sys::FocusEvent| {
        let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) else {
            return;
        };
        if let Some(key) = el.closest("[data-field]").ok().flatten().and_then(|f| f.get_attribute("data-field")) {
            flow.left(key);
        }
    };
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
                <DupesPanel dupes=dupes draft_key=draft_key.clone() create_anyway=Callback::new(move |()| do_save.run(true)) />

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
