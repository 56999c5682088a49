//! Documents and photos on the profile (issue 19): the card with thumbnails, taking a photo or
//! adding files (several at once), and the viewer (zoom with two fingers, the wheel or buttons;
//! previous and next; download; the description; delete with undo). A history item shows its own
//! documents and attaches a photo to itself through the same [`Docs`] context.

use crate::app::archive::Services;
use crate::app::documents::{Chosen, DocError, OpenedScan, Opening};
use crate::app::errors::Explain;
use crate::app::sync::Sync;
use crate::domain::documents::{grant_path, size_text, Document, CLEAR_KINDS, SEALED_KINDS};
use crate::domain::governance::grant::{Decision, Scope};
use crate::domain::governance::sealed::shown as masked;
use crate::domain::i18n::{fill, Msg};
use crate::domain::model::HistoryItem;
use crate::platform::clock::today;
use crate::platform::files;
use crate::ui::locale;
use crate::ui::shell::toast::{push_toast, Toast, Undo};
use crate::ui::t;
use crate::ui::widgets::{enum_select, Icon, IconKind, ReasonForm, TextField};
use crate::ui::UiState;
use leptos::prelude::*;

/// The profile's documents, shared by the card, the viewer and the history timeline.
#[derive(Clone, Copy)]
pub struct Docs {
    profile_id: StoredValue<String>,
    pub list: RwSignal<Vec<Document>>,
    loaded: RwSignal<bool>,
    /// The document shown in the viewer.
    pub open: RwSignal<Option<String>>,
    /// While files are added: how many are done, of how many.
    adding: RwSignal<Option<(usize, usize)>>,
    /// Why files of the last choice were not added, in words.
    refused: RwSignal<Vec<String>>,
}

impl Docs {
    /// The documents of `profile_id`, loaded now and again when records change elsewhere.
    pub fn provide(profile_id: String, readonly: bool) -> Docs {
        let svc = expect_context::<Services>();
        let docs = Docs {
            profile_id: StoredValue::new(profile_id),
            list: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            open: RwSignal::new(None),
            adding: RwSignal::new(None),
            refused: RwSignal::new(Vec::new()),
        };
        Effect::new(move |_| {
            svc.remote_rev.track();
            svc.local_rev.track();
            let id = docs.profile_id.get_value();
            leptos::task::spawn_local(async move {
                match svc.documents(&id).await {
                    Ok(list) => {
                        if docs.list.try_with_untracked(|old| *old != list) == Some(true) {
                            docs.list.set(list);
                        }
                    }
                    Err(e) => docs.refused.set(vec![e.explain(locale())]),
                }
                docs.loaded.set(true);
            });
        });
        provide_context(docs);
        provide_context(Readonly(readonly));
        docs
    }

    /// The documents of one history item.
    pub fn of_item(self, history_id: &str) -> Vec<Document> {
        self.list.with(|l| l.iter().filter(|d| d.history_id == history_id).cloned().collect())
    }

    /// Adds the files chosen, one after the other, to the profile (or to `history_id`'s item);
    /// as ID scans (sealed) when `how` says so.
    fn add(self, chosen: Vec<web_sys::File>, history_id: String, how: Pick) {
        let svc = expect_context::<Services>();
        let ui = expect_context::<UiState>();
        if chosen.is_empty() {
            return;
        }
        self.refused.set(Vec::new());
        let n = chosen.len();
        leptos::task::spawn_local(async move {
            let pid = self.profile_id.get_value();
            let mut added = 0;
            for (i, f) in chosen.into_iter().enumerate() {
                self.adding.set(Some((i + 1, n)));
                let name = f.name();
                let result = match files::file_bytes(&f).await {
                    Ok(bytes) if how == Pick::Scan => svc.attach_id_scan(&pid, Chosen { name, bytes }).await,
                    Ok(bytes) => svc.attach(&pid, &history_id, Chosen { name, bytes }).await,
                    Err(e) => Err(DocError::Unreadable(e)),
                };
                match result {
                    Ok(d) => {
                        added += 1;
                        // Unless the reload its writing caused has listed it already.
                        self.list.update(|l| {
                            if !l.iter().any(|x| x.id == d.id) {
                                l.insert(0, d)
                            }
                        });
                    }
                    Err(e) => self.refused.update(|r| r.push(e.explain(locale()))),
                }
            }
            self.adding.set(None);
            if added > 0 {
                push_toast(ui, Toast::info(fill(t(Msg::AttAdded), &[&added])));
            }
        });
    }
}

#[derive(Clone, Copy)]
struct Readonly(bool);

/// The files of a file input's change, and the input emptied (the same file can be chosen again).
fn take_files(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let input: web_sys::HtmlInputElement = event_target(ev);
    let list = input.files();
    let out = (0..list.as_ref().map_or(0, |l| l.length())).filter_map(|i| list.as_ref()?.get(i)).collect();
    input.set_value("");
    out
}

/// What a picker adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pick {
    /// A photo from the camera.
    Camera,
    /// Pictures or PDFs, several at once.
    Files,
    /// An ID scan (the camera on a tablet, a scanner's file on a PC), sealed before it is stored.
    Scan,
}

/// A button that opens the camera or the file chooser.
#[component]
fn Picker(
    history_id: String,
    how: Pick,
    label: Msg,
    testid: &'static str,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let docs = expect_context::<Docs>();
    let busy = move || docs.adding.with(Option::is_some);
    let icon = match how {
        Pick::Camera => IconKind::Camera,
        Pick::Files => IconKind::Clip,
        Pick::Scan => IconKind::IdCard,
    };
    view! {
        <label class="btn file-pick" class:small=small class:disabled=busy>
            <Icon kind=icon />
            " " {t(label)}
            <input
                type="file"
                class="visually-hidden"
                data-testid=testid
                accept=if how == Pick::Camera { "image/*" } else { "image/*,application/pdf" }
                capture=(how != Pick::Files).then_some("environment")
                multiple=how == Pick::Files
                disabled=busy
                on:change=move |ev| docs.add(take_files(&ev), history_id.clone(), how)
            />
        </label>
    }
}

/// When a document expires, in words (nothing when it carries no expiry).
fn expiry_words(d: &Document) -> Option<(String, bool)> {
    let e = d.expires?;
    let days = e.days_since_epoch() - today().days_since_epoch();
    let soon = days <= 30;
    Some(match days {
        0 => (t(Msg::AttExpiresToday).to_string(), true),
        d if d < 0 => (fill(t(Msg::AttExpiredAgo), &[&-d]), true),
        d => (if soon { fill(t(Msg::AttExpiresIn), &[&d]) } else { format!("{} {e}", t(Msg::AttExpires)) }, soon),
    })
}

/// One document's tile: its thumbnail (or a file icon; an ID scan's stays sealed), kind and
/// title; opens the viewer.
#[component]
fn Tile(d: Document, #[prop(optional)] small: bool) -> impl IntoView {
    let docs = expect_context::<Docs>();
    let label = fill(t(Msg::AttOpen), &[&format!("{}（{}）", d.title, t(d.kind.msg()))]);
    let id = d.id.clone();
    let expiry = expiry_words(&d);
    let thumb = (!d.thumb.is_empty() && !d.is_sealed()).then(|| format!("data:image/jpeg;base64,{}", d.thumb));
    let file_type = if d.mime == "application/pdf" {
        "PDF".to_string()
    } else {
        d.mime.rsplit('/').next().unwrap_or("").to_uppercase()
    };
    view! {
        <li class="doc-tile" class:small=small data-testid="doc-tile" data-sealed=d.is_sealed().then_some("true")>
            <button class="doc-thumb" aria-label=label on:click=move |_| docs.open.set(Some(id.clone()))>
                {match thumb {
                    Some(src) => view! { <img src=src alt="" loading="lazy" decoding="async" /> }.into_any(),
                    None if d.is_sealed() => view! {
                        <span class="doc-icon sealed"><Icon kind=IconKind::Lock /><small>{masked(&d.number).into_owned()}</small></span>
                    }.into_any(),
                    None => view! { <span class="doc-icon"><Icon kind=IconKind::File /><small>{file_type}</small></span> }.into_any(),
                }}
            </button>
            {(!small).then(|| view! {
                <div class="doc-cap">
                    <span class="doc-kind">{t(d.kind.msg())}</span>
                    <span class="doc-title" title=d.title.clone()>{d.title.clone()}</span>
                    {expiry.map(|(w, soon)| view! { <span class="doc-expiry" class:soon=soon data-testid="doc-expiry">{w}</span> })}
                </div>
            })}
        </li>
    }
}

/// Documents expiring within 30 days (or expired), among the profile's alerts.
#[component]
pub fn DocAlerts() -> impl IntoView {
    let docs = expect_context::<Docs>();
    move || {
        let soon: Vec<(String, String)> = docs.list.with(|l| {
            crate::domain::documents::expiring(l, today(), 30)
                .into_iter()
                .filter_map(|(_, d)| expiry_words(d).map(|(w, _)| (d.title.clone(), w)))
                .collect()
        });
        (!soon.is_empty()).then(|| {
            view! {
                <div class="alerts" data-testid="doc-alerts" role="note">
                    {soon.into_iter().map(|(title, when)| view! {
                        <span class="alert expiry"><Icon kind=IconKind::File /> {title} " · " {when}</span>
                    }).collect_view()}
                </div>
            }
        })
    }
}

/// The profile's card of documents and photos; its code and the viewer's are in the profile
/// page's chunk (`src/lazy.rs`).
pub fn card(history: RwSignal<Vec<HistoryItem>>) -> impl IntoView {
    crate::lazy::lazy_view(move || documents_card(history))
}

crate::lazy::lazy_fn! { profile;
    fn documents_card(history: RwSignal<Vec<HistoryItem>>) -> AnyView {
        view! { <DocumentsCard history=history /> }.into_any()
    }
}

/// The profile's card of documents and photos.
#[component]
fn DocumentsCard(history: RwSignal<Vec<HistoryItem>>) -> impl IntoView {
    let docs = expect_context::<Docs>();
    let Readonly(readonly) = expect_context::<Readonly>();
    let count = move || docs.list.with(Vec::len);
    view! {
        <section class="card documents" data-testid="documents" aria-labelledby="documents-title"
            aria-busy=move || (!docs.loaded.get()).then_some("true")>
            <div class="card-head">
                <h2 id="documents-title">{t(Msg::AttTitle)} {move || (count() > 0).then(|| view! { <span class="count">" " {count()}</span> })}</h2>
                {(!readonly).then(|| view! {
                    <div class="doc-actions">
                        <Picker history_id=String::new() how=Pick::Camera label=Msg::AttTakePhoto testid="doc-camera" small=true />
                        <Picker history_id=String::new() how=Pick::Files label=Msg::AttAdd testid="doc-files" small=true />
                        <Picker history_id=String::new() how=Pick::Scan label=Msg::AttScanId testid="doc-scan" small=true />
                    </div>
                })}
            </div>
            {move || docs.adding.get().map(|(i, n)| view! {
                <p class="muted" role="status" data-testid="doc-adding"><span class="spinner small"></span> {fill(t(Msg::AttAdding), &[&i, &n])}</p>
            })}
            {move || {
                let r = docs.refused.get();
                (!r.is_empty()).then(|| view! {
                    <ul class="error-text doc-refused" role="alert" data-testid="doc-refused">
                        {r.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                })
            }}
            {move || {
                let list = docs.list.get();
                if list.is_empty() {
                    return docs.loaded.get().then(|| view! { <p class="muted" data-testid="doc-empty">{t(Msg::AttEmpty)}</p> }.into_any());
                }
                Some(view! {
                    <ul class="doc-grid" data-testid="doc-grid">
                        {list.into_iter().map(|d| view! { <Tile d=d /> }).collect_view()}
                    </ul>
                }.into_any())
            }}
            <Viewer history=history />
        </section>
    }
}

/// A history item's documents, its code in the profile page's chunk (`src/lazy.rs`).
pub fn item_documents(history_id: String) -> impl IntoView {
    crate::lazy::lazy_view(move || item_documents_view(history_id.clone()))
}

crate::lazy::lazy_fn! { profile;
    fn item_documents_view(history_id: String) -> AnyView {
        view! { <ItemDocuments history_id=history_id /> }.into_any()
    }
}

/// A history item's documents (small tiles) and, unless read-only, its "attach a photo" button.
#[component]
fn ItemDocuments(history_id: String) -> impl IntoView {
    let Some(docs) = use_context::<Docs>() else { return ().into_any() };
    let Readonly(readonly) = expect_context::<Readonly>();
    let id = history_id.clone();
    view! {
        <div class="item-docs">
            {move || {
                let list = docs.of_item(&id);
                (!list.is_empty()).then(|| view! {
                    <ul class="doc-grid small">{list.into_iter().map(|d| view! { <Tile d=d small=true /> }).collect_view()}</ul>
                })
            }}
            {(!readonly).then(|| view! {
                <Picker history_id=history_id.clone() how=Pick::Files label=Msg::AttAttach testid="item-attach" small=true />
            })}
        </div>
    }
    .into_any()
}

/// What the viewer shows of the open document's original.
#[derive(Clone, Debug, PartialEq)]
enum Original {
    Loading,
    /// A `blob:` URL of the original (revoked when another is shown or the viewer closes).
    Ready(String),
    Failed(String),
    /// An ID scan not opened (yet) for this view.
    Sealed,
}

/// The viewer: the open document large, zoomable, with its description and actions.
#[component]
fn Viewer(history: RwSignal<Vec<HistoryItem>>) -> impl IntoView {
    let docs = expect_context::<Docs>();
    let sync = expect_context::<Sync>();
    let original = RwSignal::new(Original::Loading);
    let bytes = StoredValue::new_local(None::<std::rc::Rc<Vec<u8>>>);
    // An ID scan opened for this view (its document's id and key): forgotten with the viewer.
    let unsealed: RwSignal<Option<(String, OpenedScan)>> = RwSignal::new(None);
    let close_ref = NodeRef::<leptos::html::Button>::new();
    let current = move || {
        let id = docs.open.get()?;
        docs.list.with(|l| l.iter().position(|d| d.id == id).map(|i| (i, l[i].clone(), l.len())))
    };
    let shown = Memo::new(move |_| {
        let id = docs.open.get()?;
        docs.list.with(|l| l.iter().any(|d| d.id == id)).then_some(id)
    });
    let release = move || {
        if let Original::Ready(url) = original.get_untracked() {
            files::revoke(&url);
        }
    };
    // The original of the open document: here, or fetched from the endpoint; an ID scan's once
    // it is opened (and then opened with its key).
    Effect::new(move |prev: Option<(Option<String>, bool)>| {
        let open = docs.open.get();
        // An ID scan opened stays open only while it is shown: opening it again is a new view.
        if unsealed.with_untracked(|u| u.as_ref().is_some_and(|(id, _)| Some(id) != open.as_ref())) {
            unsealed.set(None);
        }
        let key = unsealed.get().filter(|(id, _)| Some(id) == open.as_ref()).map(|(_, k)| k);
        let now = (open.clone(), key.is_some());
        if prev.as_ref() == Some(&now) {
            return now;
        }
        if prev.as_ref().is_none_or(|p| p.0 != open) {
            if let Some(b) = close_ref.get_untracked() {
                let _ = b.focus();
            }
        }
        release();
        bytes.set_value(None);
        original.set(Original::Loading);
        let Some(d) =
            open.as_ref().and_then(|id| docs.list.with_untracked(|l| l.iter().find(|d| &d.id == id).cloned()))
        else {
            return now;
        };
        if d.is_sealed() && key.is_none() {
            original.set(Original::Sealed);
            return now;
        }
        leptos::task::spawn_local(async move {
            let fetched = match (sync.file(&d).await, key) {
                (Ok(b), Some(k)) => k.file(&d, &b),
                (got, _) => got,
            };
            let shown = match fetched {
                Ok(b) => files::object_url(&b, &d.mime).map(|url| (url, b)).map_err(|e| e.explain(locale())),
                Err(e) => Err(e.explain(locale())),
            };
            // Another document may have been opened meanwhile, or the page left.
            if docs.open.try_with_untracked(|o| o.as_deref() == Some(d.id.as_str())) != Some(true) {
                if let Ok((url, _)) = shown {
                    files::revoke(&url);
                }
                return;
            }
            match shown {
                Ok((url, b)) => {
                    bytes.set_value(Some(std::rc::Rc::new(b)));
                    original.set(Original::Ready(url));
                }
                Err(e) => original.set(Original::Failed(e)),
            }
        });
        now
    });
    on_cleanup(release);
    let step = move |by: isize| {
        if let Some((i, _, n)) = current() {
            let next = (i as isize + by).rem_euclid(n as isize) as usize;
            docs.open.set(docs.list.with_untracked(|l| l.get(next).map(|d| d.id.clone())));
        }
    };
    let close = move || docs.open.set(None);
    view! {
        {move || shown.get().and_then(|_| {
            // Drawn once per document shown: a saved description updates the words, not the view.
            let (_, d, _) = untrack(current)?;
            let is_image = d.is_image();
            let count = move || current().map_or(0, |(_, _, n)| n);
            let many = move || count() > 1;
            let head = move || {
                current().map(|(i, d, n)| {
                    let mut words = format!(
                        "{} · {} · {}",
                        t(d.kind.msg()),
                        size_text(d.size),
                        fill(t(Msg::AttBy), &[&d.date, &crate::ui::staff_label(&d.meta.created_by)])
                    );
                    if n > 1 {
                        words += &format!(" · {}", fill(t(Msg::AttOf), &[&(i + 1), &n]));
                    }
                    (d.title, words)
                })
            };
            Some(view! {
                <div class="modal-backdrop viewer-backdrop" on:click=move |_| close()>
                    <div
                        class="modal viewer"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="viewer-title"
                        data-testid="doc-viewer"
                        on:click=|ev| ev.stop_propagation()
                        on:keydown=move |ev| match ev.key().as_str() {
                            "Escape" => close(),
                            "ArrowLeft" if many() => step(-1),
                            "ArrowRight" if many() => step(1),
                            _ => {}
                        }
                    >
                        <header class="viewer-head">
                            <div>
                                <h2 id="viewer-title" data-testid="viewer-title">{move || head().map(|h| h.0)}</h2>
                                <p class="muted">{move || head().map(|h| h.1)}</p>
                            </div>
                            <button class="btn icon-btn" node_ref=close_ref aria-label=t(Msg::AttClose) data-testid="viewer-close" on:click=move |_| close()>
                                <Icon kind=IconKind::Close />
                            </button>
                        </header>
                        <div class="viewer-body">
                            <Show when=many>
                                <button class="btn icon-btn viewer-nav prev" aria-label=t(Msg::AttPrev) data-testid="viewer-prev" on:click=move |_| step(-1)><Icon kind=IconKind::Left /></button>
                            </Show>
                            {if d.is_sealed() {
                                let d = d.clone();
                                view! {
                                    <Show when=move || original.get() == Original::Sealed fallback=move || view! { <Stage original=original is_image=is_image /> }>
                                        <SealedGate d=d.clone() unsealed=unsealed />
                                    </Show>
                                }.into_any()
                            } else {
                                view! { <Stage original=original is_image=is_image /> }.into_any()
                            }}
                            <Show when=many>
                                <button class="btn icon-btn viewer-nav next" aria-label=t(Msg::AttNext) data-testid="viewer-next" on:click=move |_| step(1)><Icon kind=IconKind::Right /></button>
                            </Show>
                        </div>
                        <Describe d=d.clone() history=history bytes=bytes original=original unsealed=unsealed />
                    </div>
                </div>
            })
        })}
    }
}

/// The original large: a picture zoomed by two fingers, Ctrl + wheel or the buttons (the view
/// scrolls when larger); anything else offered to open or download.
#[component]
fn Stage(original: RwSignal<Original>, is_image: bool) -> impl IntoView {
    let zoom = RwSignal::new(1.0f64);
    // Two fingers: their distance when they touched down, and the zoom then.
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let pinch = StoredValue::new(None::<(f64, f64)>);
    let set_zoom = move |z: f64| zoom.set((z * 100.0).round().clamp(50.0, 500.0) / 100.0);
    let spread = move || {
        pointers.with_value(|p| (p.len() == 2).then(|| ((p[0].1 - p[1].1).powi(2) + (p[0].2 - p[1].2).powi(2)).sqrt()))
    };
    let down = move |ev: leptos::ev::PointerEvent| {
        pointers.update_value(|p| {
            p.retain(|x| x.0 != ev.pointer_id());
            p.push((ev.pointer_id(), ev.client_x() as f64, ev.client_y() as f64));
        });
        pinch.set_value(spread().map(|s| (s, zoom.get_untracked())));
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        pointers.update_value(|p| {
            if let Some(x) = p.iter_mut().find(|x| x.0 == ev.pointer_id()) {
                (x.1, x.2) = (ev.client_x() as f64, ev.client_y() as f64);
            }
        });
        if let (Some((start, z)), Some(now)) = (pinch.get_value(), spread()) {
            if start > 0.0 {
                set_zoom(z * now / start);
            }
        }
    };
    let up = move |ev: leptos::ev::PointerEvent| {
        pointers.update_value(|p| p.retain(|x| x.0 != ev.pointer_id()));
        pinch.set_value(None);
    };
    view! {
        <div class="viewer-stage" data-testid="viewer-stage">
            {move || match original.get() {
                Original::Loading | Original::Sealed => view! { <p class="muted" role="status"><span class="spinner small"></span> {t(Msg::AttFetching)}</p> }.into_any(),
                Original::Failed(e) => view! { <p class="error-text" role="alert" data-testid="viewer-error">{e}</p> }.into_any(),
                Original::Ready(url) if is_image => view! {
                    <div class="zoom-area" tabindex="0" role="region" aria-label=t(Msg::AttPicture)
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                            "+" | "=" => set_zoom(zoom.get_untracked() * 1.25),
                            "-" => set_zoom(zoom.get_untracked() / 1.25),
                            "0" => zoom.set(1.0),
                            // Zoomed in, the arrows move the picture (not to the next document).
                            k if k.starts_with("Arrow") && zoom.get_untracked() > 1.0 => ev.stop_propagation(),
                            _ => {}
                        }
                        on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up
                        on:wheel=move |ev: leptos::ev::WheelEvent| if ev.ctrl_key() {
                            ev.prevent_default();
                            set_zoom(zoom.get_untracked() * if ev.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 });
                        }
                    >
                        <img src=url alt="" data-testid="viewer-image" style:width=move || format!("{}%", zoom.get() * 100.0) draggable="false" />
                    </div>
                    <div class="zoom-bar">
                        <button class="btn small icon-btn" aria-label=t(Msg::AttZoomOut) on:click=move |_| set_zoom(zoom.get_untracked() / 1.25)><Icon kind=IconKind::Minus /></button>
                        <button class="btn small" data-testid="zoom-fit" on:click=move |_| zoom.set(1.0)>{move || format!("{:.0}%", zoom.get() * 100.0)}</button>
                        <button class="btn small icon-btn" aria-label=t(Msg::AttZoomIn) data-testid="zoom-in" on:click=move |_| set_zoom(zoom.get_untracked() * 1.25)><Icon kind=IconKind::Plus /></button>
                    </div>
                }.into_any(),
                Original::Ready(url) => view! {
                    <div class="viewer-file">
                        <Icon kind=IconKind::File />
                        <p class="muted">{t(Msg::AttNoPreview)}</p>
                        <a class="btn" href=url target="_blank" rel="noopener" data-testid="viewer-open-file">{t(Msg::AttOpenPdf)}</a>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

/// The open document's description (kind, title, number and dates, the history item it belongs
/// to), saved on request; download; delete with confirmation and undo.
#[component]
fn Describe(
    d: Document,
    history: RwSignal<Vec<HistoryItem>>,
    bytes: StoredValue<Option<std::rc::Rc<Vec<u8>>>, LocalStorage>,
    original: RwSignal<Original>,
    unsealed: RwSignal<Option<(String, OpenedScan)>>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let docs = expect_context::<Docs>();
    let Readonly(readonly) = expect_context::<Readonly>();
    let sealed = d.is_sealed();
    // An ID scan's number is typed anew or left empty (the sealed one stays).
    let draft = RwSignal::new(Document { number: if sealed { String::new() } else { d.number.clone() }, ..d.clone() });
    let id = StoredValue::new(d.id.clone());
    let number_hint = move || {
        let plain =
            unsealed.with(|u| u.as_ref().filter(|(x, _)| id.with_value(|id| x == id)).map(|(_, k)| k.number.clone()));
        // The stored number as the list has it now (a save just sealed a new one).
        let stored = move || {
            let n = docs.list.with(|l| id.with_value(|id| l.iter().find(|x| &x.id == id).map(|x| x.number.clone())));
            masked(&n.unwrap_or_default()).into_owned()
        };
        let words = if plain.is_some() { Msg::AttSealedNumberOpen } else { Msg::AttSealedNumber };
        let shown = plain.unwrap_or_else(stored);
        (sealed && !shown.is_empty()).then(|| fill(t(words), &[&shown]))
    };
    let errors = RwSignal::new(Vec::<crate::domain::validate::FieldError>::new());
    let confirm = RwSignal::new(false);
    let err = move |key: &'static str| {
        Signal::derive(move || errors.with(|e| e.iter().find(|x| x.field == key).map(|x| x.explain(locale()))))
    };
    let date_text = |v: Option<crate::domain::Date>| v.map(|d| d.to_string()).unwrap_or_default();
    let save = move |_| {
        let d = draft.get_untracked();
        leptos::task::spawn_local(async move {
            match svc.save_document(d).await {
                Ok(saved) => {
                    errors.set(Vec::new());
                    if saved.is_sealed() {
                        draft.update(|d| d.number.clear());
                    }
                    docs.list.update(|l| l.iter_mut().filter(|x| x.id == saved.id).for_each(|x| *x = saved.clone()));
                    push_toast(ui, Toast::info(t(Msg::AttSaved)));
                }
                Err(DocError::Invalid(e)) => errors.set(e),
                Err(e) => push_toast(ui, Toast::error(e.explain(locale()))),
            }
        });
    };
    let download = {
        let d = d.clone();
        move |_| {
            let Some(b) = bytes.get_value() else { return };
            let ext = d.mime.rsplit('/').next().unwrap_or("bin").replace("jpeg", "jpg");
            let name = if d.file_name.is_empty() { format!("{}.{ext}", d.title) } else { d.file_name.clone() };
            if let Err(e) = files::download(&name, &d.mime, &b) {
                push_toast(ui, Toast::error(e.explain(locale())));
            }
        }
    };
    let on_delete = {
        let d = d.clone();
        Callback::new(move |()| {
            let d = d.clone();
            leptos::task::spawn_local(async move {
                match svc.delete_document(d).await {
                    Ok(gone) => {
                        docs.open.set(None);
                        docs.list.update(|l| l.retain(|x| x.id != gone.id));
                        push_toast(ui, Toast::info(t(Msg::AttDeleted)).with_undo(Undo::Document(Box::new(gone))));
                    }
                    Err(e) => push_toast(ui, Toast::error(e.explain(locale()))),
                }
            });
        })
    };
    let items = move || {
        history.with(|h| {
            h.iter().map(|x| (x.id.clone(), format!("{} {}", x.date, t(x.entry.kind().msg())))).collect::<Vec<_>>()
        })
    };
    view! {
        <div class="viewer-side">
            <fieldset class="doc-form" disabled=readonly>
                <label class="field">
                    <span class="label">{t(Msg::AttKind)}</span>
                    {enum_select("doc-kind", if sealed { &SEALED_KINDS } else { &CLEAR_KINDS }, move || draft.with(|d| d.kind), move |k| draft.update(|d| d.kind = k))}
                </label>
                <TextField label=Msg::AttDocTitle key="title" testid="doc-title".into()
                    value=Signal::derive(move || draft.with(|d| d.title.clone()))
                    on_input=move |v| draft.update(|d| d.title = v) error=err("title") />
                <Show when=move || draft.with(|d| d.kind.has_validity())>
                    <TextField label=Msg::AttNumber key="number" testid="doc-number".into() plain=true
                        value=Signal::derive(move || draft.with(|d| d.number.clone()))
                        on_input=move |v| draft.update(|d| d.number = v) error=err("number") />
                    {move || number_hint().map(|h| view! { <p class="muted small" data-testid="doc-number-sealed">{h}</p> })}
                    <div class="doc-dates">
                        <TextField label=Msg::AttIssued key="issued" testid="doc-issued".into() input_type="date"
                            value=Signal::derive(move || draft.with(|d| date_text(d.issued)))
                            on_input=move |v| draft.update(|d| d.issued = crate::domain::Date::parse(&v)) error=err("issued") />
                        <TextField label=Msg::AttExpires key="expires" testid="doc-expires".into() input_type="date"
                            value=Signal::derive(move || draft.with(|d| date_text(d.expires)))
                            on_input=move |v| draft.update(|d| d.expires = crate::domain::Date::parse(&v)) error=err("expires") />
                    </div>
                </Show>
                <label class="field">
                    <span class="label">{t(Msg::AttBelongs)}</span>
                    <select data-testid="doc-item" on:change=move |ev| draft.update(|d| d.history_id = event_target_value(&ev))>
                        <option value="" selected=move || draft.with(|d| d.history_id.is_empty())>{t(Msg::AttBelongsNone)}</option>
                        {move || items().into_iter().map(|(id, label)| {
                            let sel = id.clone();
                            view! { <option value=id selected=move || draft.with(|d| d.history_id == sel)>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </fieldset>
            <div class="modal-actions">
                <button class="btn" data-testid="doc-download" disabled=move || !matches!(original.get(), Original::Ready(_)) on:click=download>
                    <Icon kind=IconKind::Download /> " " {t(Msg::AttDownload)}
                </button>
                {(!readonly).then(|| view! {
                    <button class="btn danger-ghost" data-testid="doc-delete" on:click=move |_| confirm.set(true)>{t(Msg::Delete)}</button>
                    <button class="btn primary" data-testid="doc-save" on:click=save>{t(Msg::Save)}</button>
                })}
            </div>
            <crate::ui::widgets::ConfirmDialog title=Msg::AttDeleteTitle body=Msg::AttDeleteBody confirm=Msg::Delete open=confirm on_confirm=on_delete />
        </div>
    }
}

/// An ID scan in the viewer before it is opened: sealed; an administrator opens it giving a
/// reason, an ordinary user asks (an administrator approves here with their PIN or elsewhere)
/// and opens it while the approval stands. Each opening is logged (`Services::open_id_scan`).
#[component]
fn SealedGate(d: Document, unsealed: RwSignal<Option<(String, OpenedScan)>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let admin = svc.session.role().is_some_and(crate::domain::governance::Role::is_admin);
    let granted: RwSignal<Option<Decision>> = RwSignal::new(None);
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let scope = Scope::Reveal { profile: d.profile_id.clone(), fields: vec![grant_path(&d.id)] };
    let d = StoredValue::new(d);
    let open = move |by_grant: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let why = reason.get_untracked();
        let decision = granted.get_untracked();
        leptos::task::spawn_local(async move {
            let Some(d) = d.try_get_value() else { return };
            let how = match (&decision, by_grant) {
                (Some(g), true) => Opening::Granted(g),
                _ => Opening::Reason(&why),
            };
            let r = svc.open_id_scan(&d, how).await;
            busy.try_set(false);
            match r {
                Ok(k) => {
                    reason.try_set(String::new());
                    unsealed.try_set(Some((d.id.clone(), k)));
                }
                Err(e) => {
                    error.try_set(Some(e.explain(locale())));
                }
            }
        });
    };
    view! {
        <div class="viewer-file sealed-gate" data-testid="doc-sealed">
            <Icon kind=IconKind::Lock />
            <p><strong>{t(Msg::AttSealed)}</strong></p>
            <p class="muted">{t(Msg::AttSealedHint)}</p>
            {if admin {
                view! {
                    <button type="button" class="btn" data-testid="doc-scan-show" aria-expanded=move || asking.get().to_string()
                        on:click=move |_| asking.update(|a| *a = !*a)>{t(Msg::AttSealedShow)}</button>
                    {move || asking.get().then(|| view! {
                        <ReasonForm key="doc-scan".to_string() testid="doc-scan".to_string() label=Msg::AttSealedReason confirm=Msg::AttSealedOpen
                            reason=reason error=error busy=busy on_submit=Callback::new(move |_| open(false))
                            on_cancel=Callback::new(move |_| asking.set(false)) />
                    })}
                }.into_any()
            } else {
                view! {
                    <super::request::AskToSee scope=scope testid="doc-scan" granted=granted />
                    {move || granted.get().is_some().then(|| view! {
                        <button type="button" class="btn primary" data-testid="doc-scan-open" disabled=move || busy.get() on:click=move |_| open(true)>
                            {t(Msg::AttSealedOpen)}
                        </button>
                    })}
                    {move || error.get().map(|e| view! { <p class="error-text" role="alert">{e}</p> })}
                }.into_any()
            }}
        </div>
    }
}
