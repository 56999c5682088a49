//! Merging a duplicate into a profile (`#/p/<id>/merge`, 合并重复档案; office, administrators;
//! issue 18): find the other profile, see every value that differs side by side, pick which one
//! the kept profile (this one) holds, confirm; the other is merged away and its history and
//! account show here. Data: `app::merging`; rules: `domain::merging`.

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::session::Session;
use crate::domain::fields::Field;
use crate::domain::i18n::{fill, Msg};
use crate::domain::merging::differing;
use crate::domain::model::Profile;
use crate::domain::search::Filter;
use crate::ui::shell::route::{navigate, Route};
use crate::ui::shell::toast::{push_toast, Toast};
use crate::ui::widgets::ConfirmDialog;
use crate::ui::{locale, t, UiState};
use leptos::prelude::*;
use std::collections::BTreeSet;

thread_local! {
    /// The other profile to open the merge screen with (set when the two swap roles).
    static PRESELECT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

#[component]
pub fn MergePage(id: String) -> impl IntoView {
    let svc = expect_context::<Services>();
    let session = expect_context::<Session>();
    let survivor = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            async move { svc.profile(&id).await.map_err(|e| e.explain(locale())) }
        })
    };
    let other: RwSignal<Option<Profile>> = RwSignal::new(None);
    if let Some(o) = PRESELECT.with(|p| p.borrow_mut().take()) {
        leptos::task::spawn_local(async move {
            if let Ok(Some(p)) = svc.profile(&o).await {
                other.try_set(Some(p));
            }
        });
    }
    let back = Route::Profile(id.clone()).hash();
    view! {
        <div class="ov-page" data-testid="merge">
            <div class="ov-head">
                <h1 class="page-title">{t(Msg::MrgTitle)}</h1>
                <a class="btn" href=back>{t(Msg::Back)}</a>
            </div>
            {move || {
                if !session.is_admin() {
                    return view! { <p class="empty" data-testid="mrg-admins-only">{t(Msg::OvAdminsOnly)}</p> }.into_any();
                }
                match survivor.get() {
                    None => crate::ui::shell::waiting(Msg::Loading, "mrg-loading"),
                    Some(Err(e)) => view! { <div class="state error" role="alert"><p>{e}</p></div> }.into_any(),
                    Some(Ok(None)) => view! { <p class="empty" role="alert">{t(Msg::MrgGone)}</p> }.into_any(),
                    Some(Ok(Some(s))) => view! {
                        <Finder survivor=s.clone() other=other />
                        {move || other.get().map(|o| view! { <Picks survivor=s.clone() other=o /> })}
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// Finds the other profile by name, phone or code (the archive's search).
#[component]
fn Finder(survivor: Profile, other: RwSignal<Option<Profile>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let query = RwSignal::new(String::new());
    let sid = survivor.id.clone();
    let hits = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        svc.with_index(|ix| {
            ix.search(&q, &Filter::default(), 8)
                .hits
                .into_iter()
                .map(|pos| ix.entry(pos))
                .filter(|e| e.id != sid)
                .map(|e| (e.id.clone(), e.display_name().to_string(), e.phones.first().cloned().unwrap_or_default()))
                .collect::<Vec<_>>()
        })
    });
    let choose = move |id: String| {
        leptos::task::spawn_local(async move {
            if let Ok(Some(p)) = svc.profile(&id).await {
                other.try_set(Some(p));
            }
        });
    };
    view! {
        <section class="card" data-testid="mrg-find">
            <p>{fill(t(Msg::MrgKeeps), &[&survivor.display_name()])}</p>
            <label class="field" for="mrg-q">
                <span class="label">{t(Msg::MrgFind)}</span>
                <input id="mrg-q" type="search" autocomplete="off" data-testid="mrg-q" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            </label>
            <ul class="mrg-hits">
                {move || hits.get().into_iter().map(|(id, name, phone)| {
                    let label = format!("{name} {phone}");
                    view! {
                        <li><button type="button" class="btn small" data-testid="mrg-hit" on:click=move |_| choose(id.clone())>{label}</button></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The differing values side by side, which one the kept profile holds, and the merge.
#[component]
fn Picks(survivor: Profile, other: Profile) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let fields = differing(&survivor, &other);
    let l = locale();
    // By default the kept profile keeps its values and takes the other's where it has none.
    let take: RwSignal<BTreeSet<&'static str>> = RwSignal::new(
        fields
            .iter()
            .filter(|f| f.text(&survivor, l).trim().is_empty() && !f.text(&other, l).trim().is_empty())
            .map(|f| f.path())
            .collect(),
    );
    let confirm = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let (sid, oid) = (survivor.id.clone(), other.id.clone());
    let merge = Callback::new(move |_| {
        let (sid, oid) = (sid.clone(), oid.clone());
        let picked: Vec<Field> = take.get_untracked().iter().filter_map(|p| Field::of_path(p)).collect();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = svc.merge_profiles(&sid, &oid, &picked).await;
            busy.try_set(false);
            match r {
                Ok(_) => {
                    push_toast(ui, Toast::info(t(Msg::MrgDone)));
                    navigate(&Route::Profile(sid));
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    });
    let (sname, oname) = (survivor.display_name().to_string(), other.display_name().to_string());
    // Keeping the other instead: the screen opened from it, with this one to merge in.
    let swap_to = (other.id.clone(), survivor.id.clone());
    view! {
        <section class="card" data-testid="mrg-picks">
            <h2>{fill(t(Msg::MrgWith), &[&oname])}</h2>
            {fields.is_empty().then(|| view! { <p class="muted">{t(Msg::MrgSame)}</p> })}
            <table class="ov-table mrg-table">
                <thead><tr><th>{t(Msg::MrgField)}</th><th>{sname.clone()}</th><th>{oname.clone()}</th></tr></thead>
                <tbody>
                    {fields.into_iter().map(|f| {
                        let path = f.path();
                        let name = format!("mrg-{path}");
                        let (a, b) = (f.text(&survivor, l), f.text(&other, l));
                        let label = f.plain_label(l);
                        view! {
                            <tr data-testid="mrg-row" data-field=path>
                                <th scope="row">{label.clone()}</th>
                                <td><label class="mrg-choice"><input type="radio" name=name.clone() data-testid="mrg-keep"
                                    prop:checked=move || !take.with(|s| s.contains(path)) on:change=move |_| take.update(|s| { s.remove(path); }) />
                                    <span>{if a.is_empty() { t(Msg::MrgEmpty).to_string() } else { a }}</span></label></td>
                                <td><label class="mrg-choice"><input type="radio" name=name data-testid="mrg-take"
                                    prop:checked=move || take.with(|s| s.contains(path)) on:change=move |_| take.update(|s| { s.insert(path); }) />
                                    <span>{if b.is_empty() { t(Msg::MrgEmpty).to_string() } else { b }}</span></label></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">{fill(t(Msg::MrgWhatMoves), &[&oname])}</p>
            <p>
                <button type="button" class="link" data-testid="mrg-swap" on:click=move |_| {
                    PRESELECT.with(|p| *p.borrow_mut() = Some(swap_to.1.clone()));
                    navigate(&Route::Merge(swap_to.0.clone()));
                }>{fill(t(Msg::MrgSwap), &[&oname])}</button>
            </p>
            <p class="err" role="alert" data-testid="mrg-error">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="btn primary" data-testid="mrg-go" disabled=move || busy.get() on:click=move |_| confirm.set(true)>{t(Msg::MrgGo)}</button>
            </div>
            <ConfirmDialog title=Msg::MrgConfirmTitle body=Msg::MrgConfirmBody confirm=Msg::MrgGo open=confirm on_confirm=merge />
        </section>
    }
}
