//! The archive list: filters, sort, counts and a virtualised list that scrolls 100,000 profiles
//! smoothly (only the visible rows exist in the DOM). The same list shows search results and the
//! deleted view.

use crate::app::archive::Services;
use crate::app::prefs;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::domain::search::{Field, Filter, Sort};
use crate::ui::shell::route::{navigate, Route};
use crate::ui::t;
use crate::ui::widgets::*;
use crate::ui::UiState;
use leptos::html;
use leptos::prelude::*;

pub mod export;
pub mod state;

pub use state::{ListState, Rows, SEARCH_LIMIT, SORTS};

/// A row's height in CSS pixels. Positions are written as whole pixels: formatting an `f64`
/// would bring the float printer into the first download for nothing.
const ROW_PX: usize = 60;
const ROW_H: f64 = ROW_PX as f64;

#[component]
pub fn ListPage(deleted: bool) -> impl IntoView {
    let list = expect_context::<ListState>();
    list.filter.update(|f| f.deleted = deleted);
    list.selected.set(0);
    view! {
        <section class="list-page" data-testid=if deleted { "deleted-page" } else { "list-page" }>
            {(!deleted).then(|| view! { <FilterBar /> })}
            {if deleted {
                view! { <h1 class="page-title">{t(Msg::NavDeleted)}</h1> }.into_any()
            } else {
                view! { <h1 class="visually-hidden">{t(Msg::NavArchive)}</h1> }.into_any()
            }}
            <div class="list-head">
                <Summary />
                {(!deleted).then(|| view! { <crate::ui::list::export::ExportBar /> })}
            </div>
            <ListBody deleted=deleted />
        </section>
    }
}

#[component]
fn FilterBar() -> impl IntoView {
    let list = expect_context::<ListState>();
    let svc = expect_context::<Services>();
    let counts = Memo::new(move |_| svc.with_index(|ix| ix.counts(false)));
    let tags = Memo::new(move |_| svc.with_index(|ix| ix.tags()));
    let set = move |f: &dyn Fn(&mut Filter)| {
        list.filter.update(|x| f(x));
        list.selected.set(0);
    };
    view! {
        <div class="filters" role="toolbar">
            <div class="seg" data-testid="filter-class">
                <button class:on=move || list.filter.with(|f| f.class.is_none()) on:click=move |_| set(&|f| f.class = None)>
                    {t(Msg::FilterAll)} <span class="count">{move || counts.with(|c| c.total)}</span>
                </button>
                {CustomerClass::ALL
                    .iter()
                    .map(|&c| {
                        view! {
                            <button class:on=move || list.filter.with(|f| f.class == Some(c)) on:click=move |_| set(&|f| f.class = Some(c))>
                                {t(c.msg())} <span class="count">{move || counts.with(|x| x.by_class[c.code() as usize])}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <label class="toggle" data-testid="filter-vip">
                <input type="checkbox" prop:checked=move || list.filter.with(|f| f.vip_only) on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    set(&|f| f.vip_only = on)
                } />
                {t(Msg::FilterVip)} <span class="count">{move || counts.with(|c| c.vip)}</span>
            </label>
            <label class="field-inline">
                <span>{t(Msg::FilterCredit)}</span>
                <select data-testid="filter-credit" on:change=move |ev| {
                    let v: u8 = event_target_value(&ev).parse().unwrap_or(255);
                    set(&|f| f.credit = (v != 255).then(|| CreditRating::from_code(v)))
                }>
                    <option value="255">{t(Msg::FilterAll)}</option>
                    {CreditRating::ALL
                        .iter()
                        .map(|&c| view! {
                            <option value=c.code().to_string() selected=move || list.filter.with(|f| f.credit == Some(c))>
                                {t(c.msg())} " (" {move || counts.with(|x| x.by_credit[c.code() as usize])} ")"
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field-inline">
                <span>{t(Msg::AbcBadgeTitle)}</span>
                <select data-testid="filter-abc" on:change=move |ev| {
                    let v: u8 = event_target_value(&ev).parse().unwrap_or(255);
                    set(&|f| f.abc = (v != 255).then(|| AbcClass::from_code(v)))
                }>
                    <option value="255">{t(Msg::FilterAll)}</option>
                    {AbcClass::ALL
                        .iter()
                        .map(|&c| view! {
                            <option value=c.code().to_string() selected=move || list.filter.with(|f| f.abc == Some(c))>
                                {t(c.msg())} " (" {move || counts.with(|x| x.by_abc[c.code() as usize])} ")"
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field-inline">
                <span>{t(Msg::FilterTag)}</span>
                <select data-testid="filter-tag" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|f| f.tag = (!v.is_empty()).then(|| v.clone()))
                }>
                    <option value="">{t(Msg::FilterAll)}</option>
                    {move || tags.get().into_iter().map(|(tag, n)| {
                        let sel = { let tag = tag.clone(); move || list.filter.with(|f| f.tag.as_deref() == Some(tag.as_str())) };
                        view! { <option value=tag.clone() selected=sel>{tag.clone()} " (" {n} ")"</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field-inline sort">
                <span>{t(Msg::SortBy)}</span>
                <select data-testid="sort" on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    prefs::set_sort(i);
                    list.sort.set(SORTS.get(i).map_or(Sort::Updated, |s| s.0));
                }>
                    {SORTS.iter().enumerate().map(|(i, (s, m))| {
                        let s = *s;
                        view! { <option value=i.to_string() selected=move || list.sort.get() == s>{t(*m)}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}

#[component]
fn Summary() -> impl IntoView {
    let list = expect_context::<ListState>();
    view! {
        <p class="summary" data-testid="summary" aria-live="polite">
            {move || list.rows.with(|r| {
                if r.searching {
                    let mut s = format!("{} {}", r.total, t(Msg::MatchesOf));
                    if r.total > r.ids.len() {
                        s += &format!(" · {} {} · {}", t(Msg::ShowingBest), r.ids.len(), t(Msg::TypeMore));
                    } else if r.total > 0 {
                        s += &format!(" · {}", t(Msg::SearchHint));
                    }
                    s
                } else {
                    format!("{} {}", r.total, t(Msg::Profiles))
                }
            })}
        </p>
    }
}

#[component]
fn ListBody(deleted: bool) -> impl IntoView {
    let list = expect_context::<ListState>();
    let svc = expect_context::<Services>();
    let empty = move || list.rows.with(|r| r.ids.is_empty());
    view! {
        <Show when=empty fallback=move || view! { <VirtualRows deleted=deleted /> }>
            {move || {
                let (searching, q) = (list.rows.with(|r| r.searching), list.query.get());
                if deleted {
                    view! { <div class="empty" data-testid="empty"><p>{t(Msg::DeletedEmpty)}</p></div> }.into_any()
                } else if searching {
                    view! {
                        <div class="empty" data-testid="no-match">
                            <h2>{t(Msg::NoMatches)} " “" {q.clone()} "”"</h2>
                            <p>{t(Msg::NoMatchesHint)}</p>
                            <a class="btn primary" href="#/new">"+ " {t(Msg::NavNew)}</a>
                        </div>
                    }.into_any()
                } else if list.filter.with(|f| f.is_narrowing()) && svc.with_index(|ix| ix.counts(false).total) > 0 {
                    view! {
                        <div class="empty" data-testid="empty-filtered">
                            <h2>{t(Msg::EmptyFiltered)}</h2>
                            <button class="btn" on:click=move |_| list.filter.set(Filter::default())>{t(Msg::ClearFilters)}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="empty welcome" data-testid="empty-archive">
                            <div class="empty-mark" aria-hidden="true">"档"</div>
                            <h2>{t(Msg::EmptyArchive)}</h2>
                            <p>{t(Msg::EmptyArchiveHint)}</p>
                            <a class="btn primary big" href="#/new">"+ " {t(Msg::NavNew)}</a>
                        </div>
                    }.into_any()
                }
            }}
        </Show>
    }
}

#[component]
fn VirtualRows(deleted: bool) -> impl IntoView {
    let list = expect_context::<ListState>();
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let height = RwSignal::new(800.0f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            height.set(f64::from(el.client_height().max(200)));
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    // Back to the top when the rows change (new query or filter).
    Effect::new(move |_| {
        list.rows.track();
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
    // Keep the keyboard selection visible.
    Effect::new(move |_| {
        let sel = list.selected.get() as f64;
        if let Some(el) = scroller.get_untracked() {
            let (top, h) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
            if sel * ROW_H < top {
                el.set_scroll_top((sel * ROW_H) as i32);
            } else if (sel + 1.0) * ROW_H > top + h {
                el.set_scroll_top(((sel + 1.0) * ROW_H - h) as i32);
            }
        }
    });
    let window_rows = Memo::new(move |_| {
        let n = list.rows.with(|r| r.ids.len());
        let start = ((scroll_top.get() / ROW_H).floor() as usize).saturating_sub(6);
        let end = (start + (height.get() / ROW_H).ceil() as usize + 12).min(n);
        list.rows.with(|r| (start..end).map(|i| (i, r.ids[i])).collect::<Vec<_>>())
    });
    view! {
        <div class="rows-head" class:with-pick=!deleted aria-hidden="true">
            <span>{t(Msg::ColName)}</span>
            <span>{t(Msg::ColCompany)}</span>
            <span>{t(Msg::ColPhone)}</span>
            <span>{t(Msg::ColClass)}</span>
            <span>{if deleted { t(Msg::DeletedOn) } else { t(Msg::ColUpdated) }}</span>
        </div>
        <div
            class="rows"
            role="list"
            aria-label=move || if deleted { t(Msg::NavDeleted) } else { t(Msg::NavArchive) }
            data-testid="rows"
            node_ref=scroller
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    scroll_top.set(f64::from(el.scroll_top()));
                }
            }
        >
            <div class="rows-spacer" style:height=move || format!("{}px", list.rows.with(|r| r.ids.len()) * ROW_PX)>
                <For each=move || window_rows.get() key=|(i, pos)| (*i, *pos) let:((i, pos))>
                    <Row i=i pos=pos deleted=deleted />
                </For>
            </div>
        </div>
    }
}

#[component]
fn Row(i: usize, pos: u32, deleted: bool) -> impl IntoView {
    let list = expect_context::<ListState>();
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let entry = move || svc.with_index(|ix| ix.entry(pos).clone());
    let id = svc.with_index_untracked(|ix| ix.entry(pos).id.clone());
    let open = {
        let id = id.clone();
        move |_| navigate(&Route::Profile(id.clone()))
    };
    let restore = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        let id = id.clone();
        leptos::task::spawn_local(async move {
            crate::ui::shell::toast::undo_delete(svc, ui, id).await;
        });
    };
    view! {
        <div
            class="row"
            role="listitem"
            data-testid="row"
            class:selected=move || list.selected.get() == i && list.rows.with(|r| r.searching)
            style:top=format!("{}px", i * ROW_PX)
            on:click=open
        >
            {move || {
                let e = entry();
                let phone = e.phones.first().or(e.contact_phones.first()).map(|p| mask_phone(p)).unwrap_or_default();
                // An organisation's full name when the list shows its short name, else its first
                // contact; never the same name twice.
                let sub = match e.kind {
                    CustomerKind::Organisation if e.display_name() != e.name => e.name.clone(),
                    CustomerKind::Organisation => e.people.first().cloned().unwrap_or_default(),
                    CustomerKind::Person => e.company.clone(),
                };
                // Found through a contact, a contact's phone or the address: say so.
                let through = list.query.with(|q| {
                    e.matched_through(q).map(|(field, value)| match field {
                        Field::Person => format!("{} {value}", t(Msg::MatchPerson)),
                        Field::ContactPhone => format!("{} {}", t(Msg::MatchContactPhone), mask_phone(value)),
                        _ => format!("{} {value}", t(Msg::MatchAddress)),
                    })
                });
                let when = if deleted { e.deleted_at.map(fmt_date).unwrap_or_default() } else { fmt_date(e.updated_at) };
                let pick_id = e.id.clone();
                let checked = { let id = e.id.clone(); move || list.picked.with(|p| p.contains(&id)) };
                view! {
                    <span class="row-name">
                        {(!deleted).then(|| view! {
                            <label class="pick" title=t(Msg::PickForExport) on:click=|ev| ev.stop_propagation()>
                                <input type="checkbox" data-testid="row-pick" aria-label=t(Msg::PickForExport) prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let id = pick_id.clone();
                                        list.picked.update(|p| { if on { p.insert(id); } else { p.remove(&id); } });
                                    } />
                            </label>
                        })}
                        // The link is what a keyboard and a screen reader use; the whole row takes a
                        // click or tap as well.
                        <a class="name" data-testid="row-name" href=Route::Profile(e.id.clone()).hash()>{e.display_name().to_string()}</a>
                        <MarkBadge mark=e.mark />
                        {e.alert.then(|| view! { <span class="alert-dot" title=t(Msg::PrefTaboo)>"!"</span> })}
                        {(e.kind == CustomerKind::Organisation).then(|| view! { <span class="kind-org">{t(Msg::KindOrganisation)}</span> })}
                        // Narrow screens have no second column: the reason rides with the name.
                        {through.clone().map(|hint| view! { <span class="match-inline" aria-hidden="true">{hint}</span> })}
                    </span>
                    {match through {
                        Some(hint) => view! { <span class="row-sub match-hint" data-testid="row-match">{hint}</span> }.into_any(),
                        None => view! { <span class="row-sub">{sub}</span> }.into_any(),
                    }}
                    <span class="row-phone">{phone}</span>
                    <span class="row-class"><ClassChip class=e.class /> <CreditChip credit=e.credit /> <AbcBadge abc=e.abc /></span>
                    <span class="row-when">{when}</span>
                }
            }}
            {deleted.then(|| view! { <button class="btn small" data-testid="restore" on:click=restore.clone()>{t(Msg::Restore)}</button> })}
        </div>
    }
}
