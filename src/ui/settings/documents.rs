//! This device's settings for documents and photos (issue 19): the largest file taken, whether
//! large photos are brought down before saving, whether every original is kept here (fetched
//! after each sync, so they open offline), and the room documents take.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::prefs;
use crate::domain::documents::{size_text, FilePrefs, MAX_LIMIT_MB};
use crate::domain::i18n::{fill, Msg};
use crate::ui::{locale, t};
use leptos::prelude::*;

#[component]
pub fn DocumentsCard() -> impl IntoView {
    let svc = expect_context::<Services>();
    let sync = expect_context::<crate::app::sync::Sync>();
    let settings = RwSignal::new(prefs::file_prefs());
    let limit = RwSignal::new(settings.get_untracked().limit_mb.to_string());
    let limit_error = RwSignal::new(false);
    let usage = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        svc.local_rev.track();
        svc.remote_rev.track();
        leptos::task::spawn_local(async move {
            let read = match svc.archive() {
                Ok(a) => a.document_usage().await,
                Err(e) => Err(e),
            };
            usage.set(Some(
                read.map(|u| {
                    fill(t(Msg::AttUsage), &[&u.documents, &u.files_here, &size_text(u.bytes_here), &u.waiting])
                })
                .map_err(|e| e.explain(locale())),
            ));
        });
    });
    let store = move |p: FilePrefs| {
        prefs::set_file_prefs(p);
        settings.set(p);
    };
    let on_limit = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        limit.set(v.clone());
        match v.trim().parse::<u32>() {
            Ok(mb) if (1..=MAX_LIMIT_MB).contains(&mb) => {
                limit_error.set(false);
                store(FilePrefs { limit_mb: mb, ..settings.get_untracked() });
            }
            _ => limit_error.set(true),
        }
    };
    view! {
        <section class="card" data-testid="documents-settings">
            <h2>{t(Msg::AttTitle)}</h2>
            <label class="field" class:invalid=move || limit_error.get()>
                <span class="label">{t(Msg::AttLimit)}</span>
                <input type="number" min="1" max=MAX_LIMIT_MB.to_string() step="1" class="num-input" data-testid="doc-limit"
                    aria-invalid=move || limit_error.get().then_some("true")
                    aria-describedby=move || limit_error.get().then_some("err-doc-limit")
                    prop:value=move || limit.get() on:input=on_limit />
                {move || limit_error.get().then(|| view! { <span class="err" id="err-doc-limit" data-testid="err-doc-limit">{t(Msg::ErrAttLimit)}</span> })}
            </label>
            <label class="toggle">
                <input type="checkbox" data-testid="doc-downscale" prop:checked=move || settings.get().downscale
                    on:change=move |ev| store(FilePrefs { downscale: event_target_checked(&ev), ..settings.get_untracked() }) />
                {t(Msg::AttDownscale)}
            </label>
            <label class="toggle">
                <input type="checkbox" data-testid="doc-keep-here" prop:checked=move || settings.get().keep_here
                    on:change=move |ev| {
                        let keep = event_target_checked(&ev);
                        store(FilePrefs { keep_here: keep, ..settings.get_untracked() });
                        if keep {
                            // The originals come with the next round.
                            sync.run();
                        }
                    } />
                {t(Msg::AttKeepHere)}
            </label>
            {move || match usage.get() {
                None => ().into_any(),
                Some(Ok(words)) => view! { <p class="muted" data-testid="doc-usage">{words}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error-text" role="alert">{e}</p> }.into_any(),
            }}
        </section>
    }
}
