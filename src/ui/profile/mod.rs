//! The profile: alerts first (taboos, allergies, VIP, special days within 7 days), then the
//! sections, then the history timeline.

pub mod history;

mod account;
mod documents;
mod looked;
pub(crate) mod request;
mod reveal;
mod sections;

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::ui::locale;
use crate::ui::profile::history::HistoryPanel;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast, Undo};
use crate::ui::sync::ProfileSync;
use crate::ui::t;
use crate::ui::widgets::*;
use crate::ui::UiState;
use leptos::prelude::*;
use sections::{Alerts, BasicCard, ContactCard, OrgCard, PrefsCard};

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Missing,
    Failed(String),
    Ready(Box<Profile>),
}

crate::lazy::lazy_fn! { profile, preload preload_page;
    /// The profile page. Its chunk (with the form, the documents, the history form) is fetched
    /// right after the first paint (`ui::start`).
    pub fn page(id: String) -> AnyView {
        view! { <ProfilePage id=id /> }.into_any()
    }
}

#[component]
fn ProfilePage(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    // The access log: who opened which profile (logged once per visit, not per reload of data).
    svc.record_access(crate::domain::governance::chain::Entry {
        kind: Some(crate::domain::governance::chain::EventKind::Open),
        profile: id.clone(),
        ..Default::default()
    });
    let state = RwSignal::new(Load::Loading);
    let history = RwSignal::new(Vec::<HistoryItem>::new());
    // Loads now, and again when another device or tab changed records (with live sync, often).
    let load_id = id.clone();
    Effect::new(move |_| {
        svc.remote_rev.track();
        let id = load_id.clone();
        leptos::task::spawn_local(async move {
            let result = svc.profile_with_history(&id).await;
            match result {
                Ok((Some(p), h)) => {
                    // Unchanged, nothing is drawn again (nothing at all once the page is left).
                    if history.try_with_untracked(|old| *old != h) == Some(true) {
                        history.set(h);
                    }
                    state.set(Load::Ready(Box::new(p)));
                }
                Ok((None, _)) => state.set(Load::Missing),
                Err(e) => state.set(Load::Failed(e.explain(locale()))),
            }
        });
    });
    // The page is drawn once per shape (and when the profile is deleted or restored); a change to
    // the profile redraws its cards, not what staff have open or are typing (the history form, a
    // complaint's follow-up, the documents' viewer).
    let shape = Memo::new(move |_| {
        state.with(|s| match s {
            Load::Loading => Shape::Loading,
            Load::Missing => Shape::Missing,
            Load::Failed(e) => Shape::Failed(e.clone()),
            Load::Ready(p) => Shape::Ready { deleted: p.is_deleted() },
        })
    });
    let profile = Memo::new(move |_| state.with(|s| if let Load::Ready(p) = s { Some((**p).clone()) } else { None }));
    move || match shape.get() {
        Shape::Loading => view! { <div class="state" role="status"><div class="spinner"></div></div> }.into_any(),
        Shape::Missing => view! {
            <div class="state" data-testid="not-found">
                <h2>{t(Msg::NotFound)}</h2>
                <p>{t(Msg::NotFoundHint)}</p>
                <a class="btn" href="#/">{t(Msg::Back)}</a>
            </div>
        }
        .into_any(),
        Shape::Failed(e) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
        Shape::Ready { deleted } => {
            view! { <ProfileView id=id.clone() profile=profile deleted=deleted state=state history=history /> }
                .into_any()
        }
    }
}

/// What the profile page shows, without the profile's values.
#[derive(Clone, PartialEq)]
enum Shape {
    Loading,
    Missing,
    Failed(String),
    Ready { deleted: bool },
}

#[component]
fn ProfileView(
    id: String,
    profile: Memo<Option<Profile>>,
    deleted: bool,
    state: RwSignal<Load>,
    history: RwSignal<Vec<HistoryItem>>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let list = expect_context::<crate::ui::list::ListState>();
    let confirm = RwSignal::new(false);
    let book = account::use_book(id.clone());
    documents::Docs::provide(id.clone(), deleted);

    let on_delete = Callback::new(move |()| {
        let Some(p) = profile.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match svc.delete_profile(p.clone()).await {
                Ok(_) => {
                    list.query.set(String::new());
                    push_toast(ui, Toast::info(t(Msg::DeletedToast)).with_undo(Undo::Restore(p.id.clone())));
                    navigate(&Route::List);
                }
                Err(e) => push_toast(ui, Toast::error(e.explain(locale()))),
            }
        });
    });
    let restore = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match svc.restore_profile(&id).await {
                    Ok(()) => {
                        push_toast(ui, Toast::info(t(Msg::Restored)));
                        if let Ok(Some(p)) = svc.profile(&id).await {
                            state.set(Load::Ready(Box::new(p)));
                        }
                    }
                    Err(e) => push_toast(ui, Toast::error(e.explain(locale()))),
                }
            });
        }
    };
    // The cards show the profile as the access table allows the signed-in person (fields the
    // super administrator moved to another class included); the delete above keeps the record.
    let shown = Memo::new(move |_| {
        profile.get().map(|p| svc.for_viewer(vec![p], crate::domain::governance::Action::Profile).0.remove(0))
    });
    let head = {
        let id = id.clone();
        move || shown.get().map(|p| profile_head(p, &id, deleted, restore.clone(), confirm))
    };
    let left = {
        let id = id.clone();
        move || {
            let (Some(raw), Some(p)) = (profile.get(), shown.get()) else { return None };
            Some(profile_cards(&raw, p, &id, history, book))
        }
    };

    view! {
        <article class="profile" data-testid="profile">
            {head}
            <documents::DocAlerts />
            <account::AccountAlerts book=book />

            <ProfileSync id=id.clone() conflicts=true />

            <div class="profile-grid">
                <div class="col">
                    {left}
                    <ProfileSync id=id.clone() conflicts=false />
                </div>
                <div class="col">
                    {move || book.with(|b| b.as_ref().is_some_and(|b| !b.entries.is_empty())).then(|| view! { <account::AccountCard book=book /> })}
                    {documents::card(history)}
                    <HistoryPanel profile_id=id.clone() items=history readonly=deleted />
                    {looked::card(id.clone())}
                </div>
            </div>
            <ConfirmDialog title=Msg::ConfirmDeleteTitle body=Msg::ConfirmDeleteBody confirm=Msg::Delete open=confirm on_confirm=on_delete />
        </article>
    }
}

/// The banner of a deleted or merged-away profile, the name, its marks and the page's actions,
/// the alerts (taboos, allergies, VIP, special days).
fn profile_head(
    p: Profile,
    id: &str,
    deleted: bool,
    restore: impl Fn(leptos::ev::MouseEvent) + Clone + 'static,
    confirm: RwSignal<bool>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let id = id.to_string();
    view! {
        {match p.merged_into.clone() {
            // Merged away: it names its survivor and is not restored (the survivor holds it).
            Some(into) => {
                let name = svc.with_index_untracked(|ix| ix.get(&into).map(|e| e.display_name().to_string())).unwrap_or_else(|| into.clone());
                Some(view! {
                    <div class="banner deleted" role="status" data-testid="merged-banner">
                        {t(Msg::MrgMergedInto)} " " <a class="link" href=Route::Profile(into).hash()>{name}</a>
                    </div>
                }.into_any())
            }
            None => deleted.then(|| view! {
                <div class="banner deleted" role="status" data-testid="deleted-banner">
                    {t(Msg::DeletedBanner)}
                    <button class="btn small" data-testid="restore" on:click=restore>{t(Msg::Restore)}</button>
                </div>
            }.into_any()),
        }}
        <header class="profile-head card">
            <div>
                <h1 data-testid="profile-name">
                    {p.display_name().to_string()} <MarkBadge mark=p.mark />
                </h1>
                <p class="profile-sub">
                    <span>{t(p.kind.msg())}</span>
                    {(p.gender != Gender::Unknown).then(|| view! { <span>{t(p.gender.msg())}</span> })}
                    {(!p.customer_code.is_empty()).then(|| view! { <span class="mono">{p.customer_code.clone()}</span> })}
                    <ClassChip class=p.class />
                    <CreditChip credit=p.credit />
                    {(!p.standing.is_active()).then(|| view! { <span class="chip standing" data-testid="standing">{t(p.standing.msg())}</span> })}
                    <AbcBadge abc=p.abc.as_ref().map(|g| g.class) title=p.abc.as_ref().map(|g| crate::domain::overview::abc::explain(g, locale())) />
                    {p.tags.iter().map(|tg| view! { <span class="chip tag">{tg.clone()}</span> }).collect_view()}
                </p>
            </div>
            <div class="actions">
                <a class="btn" href="#/">{t(Msg::Back)}</a>
                {(!deleted).then(|| view! {
                    <a class="btn" data-testid="print" href=Route::Print(id.clone()).hash()>{t(Msg::PrintProfile)}</a>
                    <a class="btn" data-testid="open-account" href=Route::Account(id.clone()).hash()>{t(Msg::AcctNav)}</a>
                    <a class="btn primary" data-testid="edit" href=Route::Edit(id.clone()).hash()>{t(Msg::Edit)}</a>
                    <button class="btn danger-ghost" data-testid="delete" on:click=move |_| confirm.set(true)>{t(Msg::Delete)}</button>
                })}
            </div>
        </header>
        <Alerts p=p.clone() />
    }
}

/// The profile's cards of values (`raw` as stored for its completeness, `p` as shown), its
/// completeness and who created and changed it, how long it is kept.
fn profile_cards(
    raw: &Profile,
    p: Profile,
    id: &str,
    history: RwSignal<Vec<HistoryItem>>,
    book: RwSignal<Option<std::sync::Arc<crate::app::ledger::Book>>>,
) -> impl IntoView {
    let is_org = p.kind == CustomerKind::Organisation;
    // Its completeness and what fails its check, from the values as stored (the same rule as the
    // archive-quality screen; staleness needs the archive's activity and is shown there).
    let quality = {
        let local = crate::app::overview::local_day(crate::platform::clock::utc_offset_minutes());
        crate::domain::overview::facts::Customer::of(raw, crate::platform::clock::today(), &local)
    };
    view! {
        <PrefsCard p=p.clone() />
        <BasicCard p=p.clone() />
        <ContactCard p=p.clone() />
        {is_org.then(|| view! { <OrgCard p=p.clone() /> })}
        {(!p.notes.trim().is_empty()).then(|| view! {
            <section class="card"><h2>{t(Msg::SecNotes)}</h2><p class="notes">{p.notes.clone()}</p></section>
        })}
        <QualityLine customer=quality />
        {p.abc.as_ref().map(|g| view! {
            <p class="meta muted" data-testid="profile-abc">{t(Msg::AbcBadgeTitle)} {t(Msg::Colon)} {crate::domain::overview::abc::explain(g, locale())}</p>
        })}
        <p class="meta muted">
            {t(Msg::CreatedBy)} ": " {crate::ui::staff_label(&p.meta.created_by)} " " {fmt_datetime(p.meta.created_at)}
            " · " {t(Msg::UpdatedBy)} ": " {crate::ui::staff_label(&p.meta.updated_by)} " " {fmt_datetime(p.meta.updated_at)}
        </p>
        <account::RetentionLine id=id.to_string() changed=p.meta.updated_at history=history book=book />
    }
}

/// The profile's completeness and what it lacks or has wrong ("档案完整度 67%：缺 出生日期、证件号码"),
/// the documents on the profile counted as they load or change, the required items as the policy
/// says now.
#[component]
fn QualityLine(customer: crate::domain::overview::facts::Customer) -> impl IntoView {
    use crate::domain::overview::quality::{doc_bit, Grade};
    let docs = expect_context::<documents::Docs>();
    let session = expect_context::<crate::app::session::Session>();
    let line = move || {
        // The required items as the archive's policy says now (a change arrives by sync too).
        let required = session.roster.with(|r| r.as_ref().map(|r| r.policy.required()).unwrap_or_default());
        let mut c = customer.clone();
        c.docs = docs.list.with(|l| l.iter().filter(|d| d.is_live()).fold(0, |acc, d| acc | doc_bit(d.kind)));
        let grade = Grade::of(&c, &required, false, crate::platform::clock::today());
        let mut parts = vec![crate::domain::i18n::fill(
            t(Msg::QProfileLine),
            &[&format!("{:.0}%", f64::from(grade.permille) / 10.0)],
        )];
        parts.extend(grade.problems(locale()));
        parts.join(" · ")
    };
    view! { <p class="meta muted" data-testid="profile-quality">{line}</p> }
}
