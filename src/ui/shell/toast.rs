//! Toasts: short confirmations at the bottom of the screen, some with an Undo.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::domain::i18n::Msg;
use crate::ui::UiState;
use crate::ui::{locale, t};
use leptos::prelude::*;
use std::time::Duration;

/// What Undo does.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    /// Restore a profile that was just deleted.
    Restore(String),
    /// Restore a document that was just deleted.
    Document(Box<crate::domain::documents::Document>),
}

/// A message shown for a few seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
    pub error: bool,
    pub undo: Option<Undo>,
}

impl Toast {
    pub fn info(text: impl Into<String>) -> Toast {
        Toast { id: 0, text: text.into(), error: false, undo: None }
    }
    pub fn error(text: impl Into<String>) -> Toast {
        Toast { id: 0, text: text.into(), error: true, undo: None }
    }
    pub fn with_undo(mut self, u: Undo) -> Toast {
        self.undo = Some(u);
        self
    }
}

/// Shows a toast; it goes after 4 seconds (errors after 12).
pub fn push_toast(ui: UiState, mut toast: Toast) {
    if crate::app::bridge::is_office() {
        // The desk shows it: the clerk may leave this screen before it goes.
        crate::app::bridge::send(crate::app::bridge::Note::Toast { text: toast.text, error: toast.error });
        return;
    }
    let id = (js_sys::Math::random() * 1e15) as u64;
    toast.id = id;
    let secs = if toast.error { 12 } else { 4 };
    ui.toasts.update(|v| {
        // The same message again replaces the old one; at most three are shown.
        v.retain(|x| x.text != toast.text || x.undo.is_some());
        v.push(toast);
        if v.len() > 3 {
            v.remove(0);
        }
    });
    set_timeout(move || ui.toasts.update(|v| v.retain(|x| x.id != id)), Duration::from_secs(secs));
}

/// Tells that a save failed in storage (nothing was written; the form keeps its content).
pub fn save_failed(ui: UiState, e: &crate::app::archive::StoreError) {
    push_toast(ui, Toast::error(format!("{}{}", t(Msg::SaveFailed), e.explain(locale()))));
}

/// Tells that what a chunk's function did is done (`done`), or why it was not (its chunk did not
/// come, or it failed); whether it was.
fn said<T, E: Explain>(ui: UiState, r: Result<Result<T, E>, crate::lazy::Unloaded>, done: Msg) -> bool {
    let told = match r {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.explain(locale())),
        Err(e) => Err(e.explain(locale())),
    };
    let ok = told.is_ok();
    push_toast(ui, told.map_or_else(Toast::error, |()| Toast::info(t(done))));
    ok
}

/// Undoes a profile's deletion (the list's Restore, the toast's Undo); the toast says whether
/// it worked.
pub async fn undo_delete(svc: Services, ui: UiState, id: String) -> bool {
    said(ui, restore_profile(svc, id).await, Msg::Restored)
}

// Writing a restored profile or document goes through the merge that every save takes: code
// the profile page's chunk holds (src/lazy.rs), not the first download.
crate::lazy::lazy_fn! { profile;
    async fn restore_profile(svc: Services, id: String) -> Result<(), crate::app::archive::StoreError> {
        svc.restore_profile(&id).await
    }
}

crate::lazy::lazy_fn! { profile;
    async fn restore_document(svc: Services, d: crate::domain::documents::Document) -> Result<crate::domain::documents::Document, crate::app::documents::DocError> {
        svc.restore_document(d).await
    }
}

#[component]
pub fn Toasts() -> impl IntoView {
    let ui = expect_context::<UiState>();
    let svc = expect_context::<Services>();
    view! {
        <div class="toasts" aria-live="polite">
            <For each=move || ui.toasts.get() key=|x| x.id let:toast>
                <div class="toast" class:error=toast.error data-testid="toast">
                    <span>{toast.text.clone()}</span>
                    {toast.undo.clone().map(|u| {
                        let id = toast.id;
                        view! {
                            <button class="btn small" data-testid="undo" on:click=move |_| {
                                ui.toasts.update(|v| v.retain(|x| x.id != id));
                                let u = u.clone();
                                leptos::task::spawn_local(async move {
                                    match u {
                                        Undo::Restore(pid) => if undo_delete(svc, ui, pid.clone()).await {
                                            crate::ui::shell::route::navigate(&crate::ui::shell::route::Route::Profile(pid));
                                        },
                                        Undo::Document(d) => {
                                            said(ui, restore_document(svc, *d).await, Msg::AttRestored);
                                        }
                                    }
                                });
                            }>{t(Msg::Undo)}</button>
                        }
                    })}
                </div>
            </For>
        </div>
    }
}
