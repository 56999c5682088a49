//! The semi-annual review (`#/review`, 档案复核; office, administrators; issue 18): the period (the
//! February or August review this day belongs to), how many profiles are due and why, and each
//! due profile with its reasons, retention and last activity; for each: keep it with a reason,
//! update it (its form), mark it trade suspended or a past customer, merge a suspected duplicate
//! (`#/p/<id>/merge`), or apply to destroy it (past retention). The review is recorded as done with
//! its counts; reviews done are listed. Data: `app::overview` (facts), `app::receivables`
//! (accounts), `app::review`; rules: `domain::review`, `domain::retention`.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::overview::{Load, Overview};
use crate::app::receivables::Receivables;
use crate::app::review::{done, kept_in};
use crate::app::session::Session;
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::Standing;
use crate::domain::retention::{period_of, DueWhy, Period};
use crate::domain::review::{list, Counts, Inputs, Listed};
use crate::platform::clock::today;
use crate::ui::shell::route::Route;
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::widgets::ReasonForm;
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;

/// Rows shown at once (the counts cover all).
const SHOWN: usize = 200;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let ov = expect_context::<Overview>();
    let rcv = expect_context::<Receivables>();
    let admin = move || session.is_admin();
    if admin() {
        ov.ensure(svc);
        rcv.ensure(svc);
    }
    let period = period_of(today());
    // The statements that stand (holds, kept profiles, reviews done), read again on change.
    let asked = LocalResource::new(move || {
        svc.gov_rev.track();
        svc.local_rev.track();
        async move { svc.asked().await.map_err(|e| e.explain(locale())) }
    });
    let computed = Memo::new(move |_| -> Option<Result<(Vec<Listed>, Counts), String>> {
        let asked = match asked.get()? {
            Ok(a) => a,
            Err(e) => return Some(Err(e)),
        };
        let facts = ov.facts()?;
        let data = rcv.data()?;
        let on = today();
        let account = |id: &str| match data.accounts.of(id) {
            Some(a) => (a.posts.iter().map(|p| p.date).max(), a.balance(on) != 0),
            None => (None, false),
        };
        let holds = |id: &str| crate::domain::destruction::holds_of(&asked, id);
        let kept = kept_in(&asked, period);
        let (rules, required) = session
            .roster
            .with_untracked(|r| r.as_ref().map(|r| (r.policy.retention, r.policy.required())).unwrap_or_default());
        let inputs = Inputs { account: &account, holds: &holds, kept: &kept, required: &required, rules, today: on };
        Some(Ok(list(&facts, &inputs)))
    });
    let recorded = Memo::new(move |_| match asked.get() {
        Some(Ok(a)) => done(&a),
        _ => Vec::new(),
    });
    view! {
        <div class="ov-page" data-testid="review">
            <div class="ov-head">
                <h1 class="page-title">{t(Msg::RevTitle)} " · " {period.words(locale())}</h1>
                <a class="btn" href=Route::Destruction.hash()>{t(Msg::DesTitle)}</a>
            </div>
            {move || {
                if !admin() {
                    return view! { <p class="empty" data-testid="rev-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match (ov.load.get(), computed.get()) {
                    (Load::Failed(e), _) => view! { <div class="state error" role="alert"><p>{e.explain(locale())}</p></div> }.into_any(),
                    (_, Some(Err(e))) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
                    (_, None) => crate::ui::shell::waiting(Msg::Loading, "rev-loading"),
                    (_, Some(Ok((rows, counts)))) => view! {
                        <Summary period=period counts=counts recorded=recorded />
                        <DueList rows=rows period=period />
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// The counts of this review, the button that records it as done, and the reviews done.
#[component]
fn Summary(period: Period, counts: Counts, recorded: Memo<Vec<crate::app::review::Done>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let recording = RwSignal::new(false);
    let record = Callback::new(move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.record_review(period, counts, &note.get_untracked()).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    recording.try_set(false);
                    push_toast(ui, Toast::info(t(Msg::RevRecorded)));
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    });
    let line = fill(
        t(Msg::RevCounts),
        &[&counts.due, &counts.past_retention, &counts.inactive, &counts.incomplete, &counts.duplicate],
    );
    view! {
        <section class="card" data-testid="rev-summary">
            <div class="card-head">
                <p data-testid="rev-counts"><strong>{line}</strong></p>
                <button type="button" class="btn primary small" data-testid="rev-record" on:click=move |_| recording.set(true)>{t(Msg::RevRecord)}</button>
            </div>
            <Show when=move || recording.get()>
                <ReasonForm key="rev-record".to_string() testid="rev-record".to_string() label=Msg::RevRecordNote confirm=Msg::RevRecord
                    reason=note error=error busy=busy on_submit=record on_cancel=Callback::new(move |_| recording.set(false)) />
            </Show>
            {move || {
                let all = recorded.get();
                (!all.is_empty()).then(|| view! {
                    <ul class="rev-done" data-testid="rev-done">
                        {all.into_iter().map(|d| view! {
                            <li data-testid="rev-done-row">{fill(t(Msg::RevDoneLine), &[&d.period.words(locale()), &crate::platform::clock::local_date(d.at as f64), &d.by, &d.counts.due])}</li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

/// The due profiles, oldest activity first.
#[component]
fn DueList(rows: Vec<Listed>, period: Period) -> impl IntoView {
    if rows.is_empty() {
        return view! { <section class="card"><p class="empty" data-testid="rev-none">{t(Msg::RevNone)}</p></section> }
            .into_any();
    }
    let more = rows.len().saturating_sub(SHOWN);
    view! {
        <section class="card" data-testid="rev-list">
            <table class="ov-table rev-table">
                <thead><tr>
                    <th>{t(Msg::RevCustomer)}</th><th>{t(Msg::RevWhy)}</th><th>{t(Msg::RetLabel)}</th><th>{t(Msg::RevLastActivity)}</th><th>{t(Msg::RevActions)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().take(SHOWN).map(|r| view! { <DueRow row=r period=period /> }).collect_view()}
                </tbody>
            </table>
            {(more > 0).then(|| view! { <p class="muted">{fill(t(Msg::RevMore), &[&more])}</p> })}
        </section>
    }
    .into_any()
}

#[component]
fn DueRow(row: Listed, period: Period) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let keeping = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let gone: RwSignal<Option<String>> = RwSignal::new(None);
    let id = StoredValue::new(row.id.clone());
    let keep = Callback::new(move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.keep_in_review(&id.get_value(), period, &reason.get_untracked()).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    gone.try_set(Some(t(Msg::RevKeptDone).to_string()));
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    });
    let mark = move |s: Standing| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.mark_standing(&id.get_value(), s).await;
            busy.try_set(false);
            match r {
                Ok(()) => {
                    gone.try_set(Some(fill(t(Msg::RevMarked), &[&t(s.msg())])));
                }
                Err(e) => push_toast(ui, Toast::error(e.explain(locale()))),
            }
        });
    };
    let why: Vec<String> = row.why.iter().map(|w| t(w.msg()).to_string()).collect();
    let past = row.why.contains(&DueWhy::PastRetention);
    let duplicate = row.why.contains(&DueWhy::Duplicate);
    let standing = row.standing;
    let name_label = row.name.clone();
    view! {
        <tr data-testid="rev-row">
            <td>
                <a href=Route::Profile(row.id.clone()).hash() data-testid="rev-name">{row.name.clone()}</a>
                {(!row.standing.is_active()).then(|| view! { " " <span class="chip standing" data-testid="rev-standing">{t(row.standing.msg())}</span> })}
            </td>
            <td data-testid="rev-why">{why.into_iter().map(|w| view! { <span class="chip">{w}</span> }).collect_view()}</td>
            <td>{row.retention.words(locale())}</td>
            <td class="mono">{row.last_activity.to_string()}</td>
            <td class="rev-actions">
                {move || match gone.get() {
                    Some(done) => view! { <span class="ok-text" data-testid="rev-done-here">{done}</span> }.into_any(),
                    None => view! {
                        <div class="rev-buttons">
                            <button type="button" class="btn small" data-testid="rev-keep" aria-label=format!("{} {}", t(Msg::RevKeep), name_label) on:click=move |_| keeping.set(true)>{t(Msg::RevKeep)}</button>
                            <a class="btn small" data-testid="rev-update" href=Route::Edit(id.get_value()).hash()>{t(Msg::RevUpdate)}</a>
                            {(standing != Standing::Suspended).then(|| view! { <button type="button" class="btn small" data-testid="rev-suspend" disabled=move || busy.get() on:click=move |_| mark(Standing::Suspended)>{t(Msg::StandSuspended)}</button> })}
                            {(standing != Standing::Past).then(|| view! { <button type="button" class="btn small" data-testid="rev-past" disabled=move || busy.get() on:click=move |_| mark(Standing::Past)>{t(Msg::StandPast)}</button> })}
                            {duplicate.then(|| view! { <a class="btn small" data-testid="rev-merge" href=Route::Merge(id.get_value()).hash()>{t(Msg::MrgGo)}</a> })}
                            {past.then(|| view! { <a class="btn small danger-ghost" data-testid="rev-destroy" href=Route::Destroy(id.get_value()).hash()>{t(Msg::DesApply)}</a> })}
                        </div>
                        <Show when=move || keeping.get()>
                            <ReasonForm key=format!("rev-keep-{}", id.get_value()) testid="rev-keep".to_string() label=Msg::RevKeepReason confirm=Msg::RevKeep
                                reason=reason error=error busy=busy on_submit=keep on_cancel=Callback::new(move |_| keeping.set(false)) />
                        </Show>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}
