//! The one labelled text input of every form: its label, its error under it (tied to the input for
//! screen readers) and an optional hint.

use crate::domain::i18n::Msg;
use crate::ui::t;
use leptos::prelude::*;

/// A labelled text input. `key` names the field (its error's test id is `err-<key>`); the input's
/// test id is `testid`.
#[component]
pub fn TextField(
    label: Msg,
    key: &'static str,
    testid: String,
    #[prop(into)] value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    #[prop(into)] error: Signal<Option<String>>,
    /// `text` unless given (`url`, `password`).
    #[prop(optional)]
    input_type: Option<&'static str>,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional_no_strip)] hint: Option<Msg>,
    /// Runs when the field is left, with its value (a phone is folded then).
    #[prop(optional, into)]
    on_blur: Option<Callback<String>>,
    /// Off for secrets and ids: no autocomplete, no spellcheck.
    #[prop(optional)]
    plain: bool,
) -> impl IntoView {
    let err_id = format!("err-{}", key.replace('.', "-"));
    let hint_id = format!("{testid}-hint");
    let described_by = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<String> =
                [error.get().map(|_| err_id.clone()), hint.map(|_| hint_id.clone())].into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <label class="field" class:invalid=move || error.with(Option::is_some) data-field=key>
            <span class="label">{t(label)}</span>
            <input
                type=input_type.unwrap_or("text")
                name=key
                data-testid=testid
                placeholder=placeholder
                autocomplete=plain.then_some("off")
                spellcheck=plain.then_some("false")
                aria-describedby=described_by
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev))
                on:blur=move |ev| {
                    // A field still focused when its page goes (the browser's back button) is
                    // blurred after the page's reactive values are gone: nothing to run then.
                    if let Some(cb) = on_blur {
                        let _ = cb.try_run(event_target_value(&ev));
                    }
                }
            />
            {move || error.get().map(|m| view! { <span class="err" id=err_id.clone() data-testid=format!("err-{key}")>{m}</span> })}
            {hint.map(|h| view! { <span class="muted hint field-hint" id=hint_id.clone()>{t(h)}</span> })}
        </label>
    }
}

/// How a field of a draft is read and written.
pub type Bind<D> = (fn(&D) -> String, fn(&mut D, String));

/// A [`TextField`] bound to one field of a draft kept in a signal: `bind.0` reads it, `bind.1`
/// writes what is typed; its test id is `<prefix>-<key>`.
pub fn draft_field<D: Send + Sync + 'static>(
    draft: RwSignal<D>,
    prefix: &str,
    label: Msg,
    key: &'static str,
    bind: Bind<D>,
    error: Signal<Option<String>>,
    on_blur: Option<Callback<String>>,
) -> impl IntoView {
    view! {
        <TextField
            label=label
            key=key
            testid=format!("{prefix}-{key}")
            value=Signal::derive(move || draft.with(bind.0))
            on_input=move |v| draft.update(|d| (bind.1)(d, v))
            error=error
            on_blur=on_blur.unwrap_or_else(|| Callback::new(|_| ()))
        />
    }
}
