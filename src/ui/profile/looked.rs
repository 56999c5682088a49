//! Who looked at this profile recently (administrators): opened, revealed a value or printed it,
//! on any device, from the access log (`domain/governance/report.rs::recent_looks`).

use crate::app::archive::Services;
use crate::domain::governance::report::recent_looks;
use crate::domain::i18n::Msg;
use crate::ui::t;
use crate::ui::widgets::fmt_datetime;
use leptos::prelude::*;

/// Looks shown.
const SHOWN: usize = 8;

/// The card for administrators; its code (and the log reading behind it) in the profile page's
/// chunk (`src/lazy.rs`).
pub fn card(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    let admin = svc.session.role().is_some_and(crate::domain::governance::Role::is_admin);
    admin.then(|| crate::lazy::lazy_view(move || looked_card(id.clone())))
}

crate::lazy::lazy_fn! { profile;
    fn looked_card(id: String) -> AnyView {
        view! { <LookedCard id=id /> }.into_any()
    }
}

#[component]
fn LookedCard(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    // The id is moved into the loader (not a stored value): a load that starts as the page goes
    // away (a delete bumps the revision) must not reach for something disposed.
    let looks = LocalResource::new(move || {
        svc.local_rev.track();
        svc.remote_rev.track();
        let id = id.clone();
        async move {
            let events = svc.recent_events().await.unwrap_or_default();
            recent_looks(&events, &id, SHOWN)
                .into_iter()
                .map(|e| {
                    let role = e.entry.role.map(|r| t(r.msg()).to_string()).unwrap_or_default();
                    let kind = e.entry.kind.map(|k| t(k.msg()).to_string()).unwrap_or_default();
                    (format!("{} · {role}", e.entry.staff_name), kind, fmt_datetime(e.at))
                })
                .collect::<Vec<_>>()
        }
    });
    view! {
        <section class="card looked" data-testid="looked" aria-labelledby="looked-title">
            <h2 id="looked-title">{t(Msg::LookedTitle)}</h2>
            {move || looks.get().map(|v| if v.is_empty() {
                view! { <p class="muted">{t(Msg::LookedNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="looked-list">
                        {v.into_iter().map(|(who, kind, at)| view! {
                            <li data-testid="looked-row"><span class="who">{who}</span> " · " <span>{kind}</span> " · " <span class="muted">{at}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
