//! THE form that asks for a reason (a reveal, a view request, a refusal): a labelled text input,
//! its error (announced), a confirm button and, if given, Cancel. Test ids: `{testid}-reason`,
//! `{testid}-error`, `{testid}-confirm`; `key` makes the element ids unique on the page.

use crate::domain::i18n::Msg;
use crate::ui::t;
use leptos::prelude::*;

#[component]
pub fn ReasonForm(
    key: String,
    testid: String,
    label: Msg,
    confirm: Msg,
    reason: RwSignal<String>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    on_submit: Callback<()>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let (input_id, error_id) = (format!("{key}-reason"), format!("{key}-error"));
    let label_for = input_id.clone();
    view! {
        <form class="reveal-form" novalidate on:submit=move |ev| { ev.prevent_default(); on_submit.run(()); }>
            <label class="field" for=label_for>
                <span class="label">{t(label)}</span>
                <input id=input_id type="text" autocomplete="off" data-testid=format!("{testid}-reason")
                    aria-describedby=error_id.clone() aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || reason.get()
                    on:input=move |ev| { reason.set(event_target_value(&ev)); error.set(None); } />
            </label>
            <span class="err" id=error_id role="alert" data-testid=format!("{testid}-error")>{move || error.get()}</span>
            <div class="reveal-actions">
                <button type="submit" class="btn primary small" data-testid=format!("{testid}-confirm") disabled=move || busy.get()>{t(confirm)}</button>
                {on_cancel.map(|c| view! {
                    <button type="button" class="btn small" on:click=move |_| { error.set(None); c.run(()); }>{t(Msg::Cancel)}</button>
                })}
            </div>
        </form>
    }
}
