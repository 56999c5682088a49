//! The frame around every screen: the top bar, hash routes, toasts and the update banner.

pub mod header;
pub mod office_host;
pub mod route;
pub mod toast;
pub mod update;

use crate::app::archive::{Phase, Services};
use crate::app::errors::Explain;
use crate::domain::i18n::Msg;
use crate::ui::{locale, t};
use leptos::prelude::*;

/// Where a screen's data stands, without the data: a screen drawn per `Stage` of a resource that
/// sync reads again keeps its forms while the values under them change.
#[derive(Clone, PartialEq)]
pub enum Stage {
    Loading,
    Failed(String),
    Ready,
}

impl Stage {
    /// The stage of a resource read as `Result<_, String>` (`None` while it is first read).
    pub fn of<T: Clone + 'static>(r: LocalResource<Result<T, String>>) -> Memo<Stage> {
        Memo::new(move |_| {
            r.with(|v| match v {
                None => Stage::Loading,
                Some(Err(e)) => Stage::Failed(e.clone()),
                Some(Ok(_)) => Stage::Ready,
            })
        })
    }
}

/// A spinner with what is happening (a screen's state while it waits).
pub fn waiting(msg: Msg, testid: &'static str) -> AnyView {
    view! {
        <div class="state" data-testid=testid role="status">
            <div class="spinner" aria-hidden="true"></div>
            <p>{t(msg)}</p>
        </div>
    }
    .into_any()
}

/// What shows instead of a screen while the archive opens, or why it did not open with a retry;
/// `None` once it is open.
pub fn archive_not_ready(svc: Services) -> Option<AnyView> {
    match svc.phase.get() {
        Phase::Opening => Some(waiting(Msg::Loading, "loading")),
        Phase::Failed(e) => Some(
            view! {
                <div class="state error" role="alert" data-testid="load-error">
                    <h2>{t(Msg::LoadFailed)}</h2>
                    <p>{e.explain(locale())}</p>
                    <button class="btn primary" on:click=move |_| leptos::task::spawn_local(svc.open())>
                        {t(Msg::Retry)}
                    </button>
                </div>
            }
            .into_any(),
        ),
        Phase::Ready => None,
    }
}
