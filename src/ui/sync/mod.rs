//! Sync on screen: the settings card (endpoint, archive, token, status, "sync now"), the status
//! chip in the top bar, a profile's conflicts ("changed on another device", keep either value) and
//! its field history, and the list of profiles with conflicts (`#/conflicts`).

use crate::app::archive::Services;
use crate::app::errors::Explain;
use crate::app::prefs::SyncConfig;
use crate::app::sync::Sync;
use crate::domain::i18n::Msg;
use crate::domain::sync::merge::FieldEvent;
use crate::domain::sync::{Hlc, RecordKey, RecordKind, RecordState, Write};
use crate::domain::validate::FieldError;
use crate::ui::shell::route::Route;
use crate::ui::shell::toast::save_failed;
use crate::ui::t;
use crate::ui::widgets::fmt_datetime;
use crate::ui::widgets::{Icon, IconKind, TextField};
use crate::ui::UiState;
use leptos::prelude::*;
use serde_json::Value;

/// The label of a field path (`name`, `org.tax_no`, `meta.deleted_at`, `entry.nights`).
pub fn field_label(path: &str) -> String {
    crate::domain::fields::label_of_path(path, crate::ui::locale())
}

/// A field value in words: text as is, lists joined, objects as compact JSON, nothing as "(empty)".
pub fn show_value(v: &Value) -> String {
    match v {
        Value::Null => t(Msg::ConflictEmpty).into(),
        Value::String(s) if s.is_empty() => t(Msg::ConflictEmpty).into(),
        // A sealed value (ID number, account) shows masked, as everywhere.
        Value::String(s) => crate::domain::governance::sealed::shown(s).into_owned(),
        Value::Array(a) if a.is_empty() => t(Msg::ConflictEmpty).into(),
        Value::Array(a) => {
            a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string)).collect::<Vec<_>>().join("、")
        }
        other => other.to_string(),
    }
}

fn who(w: &Write) -> String {
    let own = expect_context::<Services>().device();
    format!(
        "{} · {} · {}",
        crate::ui::staff_label(&w.staff),
        crate::app::prefs::device_label(&w.hlc.device, &own),
        fmt_datetime(w.hlc.millis as i64)
    )
}

/// The sync card of the settings screen.
#[component]
pub fn SyncCard() -> impl IntoView {
    let sync = expect_context::<Sync>();
    let svc = expect_context::<Services>();
    let saved = sync.config.get_untracked();
    let url =
        RwSignal::new(if saved.url.is_empty() { window().location().origin().unwrap_or_default() } else { saved.url });
    let archive = RwSignal::new(saved.archive);
    let token = RwSignal::new(saved.token);
    let passphrase = RwSignal::new(saved.passphrase);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let device = move || svc.archive().map(|a| a.device()).unwrap_or_default();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = SyncConfig::entered(&url.get(), &archive.get(), &token.get(), &passphrase.get());
        let errs = c.problems();
        let ok = errs.is_empty();
        errors.set(errs);
        if ok {
            sync.configure(c);
        }
    };
    let field = move |k: &'static str,
                      label: Msg,
                      sig: RwSignal<String>,
                      kind: &'static str,
                      ph: &'static str,
                      hint: Option<Msg>| {
        let error = move || errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(crate::ui::locale())));
        view! {
            <TextField
                label=label
                key=k
                testid=format!("sync-{k}")
                value=sig
                on_input=move |v| sig.set(v)
                error=Signal::derive(error)
                input_type=kind
                placeholder=ph
                hint=hint
                plain=true
            />
        }
    };
    view! {
        <section class="card" data-testid="sync">
            <h2>{t(Msg::SyncTitle)}</h2>
            <p class="muted hint">{t(Msg::SyncHint)}</p>
            <form class="grid sync-form" on:submit=save novalidate>
                {field("url", Msg::SyncUrl, url, "url", "https://", None)}
                {field("archive", Msg::SyncArchive, archive, "text", t(Msg::PhArchiveId), None)}
                {field("token", Msg::SyncToken, token, "password", "dgn_…", None)}
                {field("passphrase", Msg::SyncPassphrase, passphrase, "password", "", Some(Msg::SyncPassphraseHint))}
                <div class="sync-actions">
                    <button type="submit" class="btn primary" data-testid="sync-save">{t(Msg::SyncSave)}</button>
                    <button type="button" class="btn" data-testid="sync-now" disabled=move || !sync.config.get().is_set() on:click=move |_| sync.run()>{t(Msg::SyncNow)}</button>
                </div>
            </form>
            <SyncLine />
            <DeviceName />
            <p class="muted meta">{t(Msg::SyncThisDeviceId)} ": " <span class="mono" data-testid="device-id">{device}</span></p>
        </section>
    }
}

/// This device's name, as other devices show it in conflicts and change history.
#[component]
fn DeviceName() -> impl IntoView {
    let name = RwSignal::new(crate::app::prefs::device_name());
    view! {
        <label class="field device-name">
            <span class="label">{t(Msg::SyncThisDevice)}</span>
            <input type="text" data-testid="device-name" maxlength="30" aria-describedby="device-name-hint"
                prop:value=move || name.get()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    crate::app::prefs::set_device_name(&v);
                    name.set(crate::app::prefs::device_name());
                } />
            <span class="muted hint field-hint" id="device-name-hint">{t(Msg::SyncDeviceNameHint)}</span>
        </label>
    }
}

/// The status line: off / syncing / last synced, changes waiting, the error in words.
#[component]
pub fn SyncLine() -> impl IntoView {
    let sync = expect_context::<Sync>();
    move || {
        let s = sync.status.get();
        if !sync.config.get().is_set() {
            return view! { <p class="sync-line" data-testid="sync-status">{t(Msg::SyncOff)}</p> }.into_any();
        }
        let head = if s.running {
            t(Msg::SyncRunning).to_string()
        } else {
            match s.last_ok {
                Some(at) => format!("{} {}", t(Msg::SyncLast), fmt_datetime(at as i64)),
                None => t(Msg::SyncNever).to_string(),
            }
        };
        let pending = if s.pending > 0 {
            format!(" · {} {}", s.pending, t(Msg::SyncPending))
        } else {
            format!(" · {}", t(Msg::SyncUpToDate))
        };
        let failed = s.error.is_some();
        let live =
            s.live.then(|| view! { <span class="sync-live" data-testid="sync-live">" · " {t(Msg::SyncLive)}</span> });
        view! {
            <p class="sync-line" class:failed=failed data-testid="sync-status" role="status">
                {head} {pending} {live}
                {s.error.map(|e| view! { <span class="sync-error" data-testid="sync-error">{e.explain(crate::ui::locale())} " (" {t(Msg::SyncRetry)} ")"</span> })}
            </p>
        }
        .into_any()
    }
}

/// A compact sync state for the top bar (links to settings).
#[component]
pub fn SyncChip() -> impl IntoView {
    let sync = expect_context::<Sync>();
    move || {
        if !sync.config.get().is_set() {
            return ().into_any();
        }
        let s = sync.status.get();
        let (class, icon) = if s.error.is_some() {
            ("sync-chip bad", IconKind::Warning)
        } else if s.running {
            ("sync-chip busy", IconKind::Sync)
        } else if s.pending > 0 {
            ("sync-chip wait", IconKind::ArrowUp)
        } else {
            ("sync-chip ok", IconKind::Check)
        };
        let title = s.error.as_ref().map_or_else(|| t(Msg::SyncTitle).to_string(), |e| e.explain(crate::ui::locale()));
        view! { <a class=class href=Route::Settings.hash() title=title.clone() aria-label=title data-testid="sync-chip"><Icon kind=icon /></a> }.into_any()
    }
}

/// A record's merge state, loaded and reloaded whenever merged or local data changes.
fn record_state(key: RecordKey) -> RwSignal<Option<RecordState>> {
    let svc = expect_context::<Services>();
    let state = RwSignal::new(None::<RecordState>);
    Effect::new(move |_| {
        svc.remote_rev.track();
        svc.index_rev.track();
        let key = key.clone();
        leptos::task::spawn_local(async move {
            if let Ok(s) = svc.record_state(&key).await {
                state.set(Some(s));
            }
        });
    });
    state
}

/// Keeps a value of a conflict on `key`'s field (the write at its clock time).
fn keeper(key: RecordKey) -> impl Fn(String, Hlc) + Clone + 'static {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    move |field: String, hlc: Hlc| {
        let key = key.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = svc.keep_value(&key, &field, &hlc).await {
                save_failed(ui, &e);
            }
        });
    }
}

/// One record's conflicting fields, each value with who wrote it and a "keep" button.
fn conflict_fields(s: &RecordState, keep: impl Fn(String, Hlc) + Clone + 'static) -> impl IntoView {
    let conflicts: Vec<(String, Vec<Write>)> = s
        .conflicts()
        .into_iter()
        .map(|c| {
            (c.field.to_string(), std::iter::once(c.winner.clone()).chain(c.losers.into_iter().cloned()).collect())
        })
        .collect();
    conflicts
        .into_iter()
        .map(|(field, writes)| {
            let keep = keep.clone();
            view! {
                <div class="conflict" data-testid="conflict">
                    <h3>{field_label(&field)}</h3>
                    <ul>
                        {writes.into_iter().enumerate().map(|(i, w)| {
                            let keep = keep.clone();
                            let (f, h) = (field.clone(), w.hlc.clone());
                            view! {
                                <li class:current=i == 0>
                                    <span class="conflict-value" data-testid="conflict-value">{show_value(&w.value)}</span>
                                    <span class="tl-meta">{(i == 0).then(|| format!("{} · ", t(Msg::ConflictCurrent)))}{who(&w)}</span>
                                    <button class="btn small" data-testid="conflict-keep" on:click=move |_| keep(f.clone(), h.clone())>{t(Msg::ConflictKeep)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
        .collect_view()
}

/// The conflicts of one history item of the open profile, under the item's kind and day.
#[component]
fn HistoryConflicts(key: RecordKey) -> impl IntoView {
    let state = record_state(key.clone());
    let keep = keeper(key);
    move || {
        let s = state.get()?;
        // The item's kind and day from its merged value (its meta is not part of the state).
        let v = s.value();
        let kind = match v.pointer("/entry/type").and_then(Value::as_str) {
            Some("stay") => t(Msg::HistStay),
            Some("consumption") => t(Msg::HistConsumption),
            Some("complaint") => t(Msg::HistComplaint),
            Some("visit") => t(Msg::HistVisit),
            _ => t(Msg::HistNote),
        };
        let title = format!("{kind} · {}", v.get("date").and_then(Value::as_str).unwrap_or_default());
        Some(view! {
            <div class="history-conflict" data-testid="history-conflict">
                <h3 class="history-conflict-title">{t(Msg::SecHistory)} " · " {title}</h3>
                {conflict_fields(&s, keep.clone())}
            </div>
        })
    }
}

/// A profile's unresolved conflicts, its own and its history items', with "keep" buttons
/// (`conflicts`), or its field history (collapsed).
#[component]
pub fn ProfileSync(id: String, conflicts: bool) -> impl IntoView {
    let svc = expect_context::<Services>();
    let key = RecordKey::profile(&id);
    let state = record_state(key.clone());
    let keep = keeper(key);
    let open = RwSignal::new(false);
    let conflicts_only = conflicts;
    move || {
        let Some(s) = state.get() else { return ().into_any() };
        if conflicts_only {
            let items: Vec<RecordKey> = svc.conflicts.with(|c| {
                c.iter().filter(|(k, p)| k.kind == RecordKind::History && *p == id).map(|(k, _)| k.clone()).collect()
            });
            if s.conflicts().is_empty() && items.is_empty() {
                return ().into_any();
            }
            return view! {
                <section class="card conflicts" data-testid="conflicts" role="alert">
                    <h2>{t(Msg::ConflictTitle)}</h2>
                    <p class="muted">{t(Msg::ConflictHint)}</p>
                    {conflict_fields(&s, keep.clone())}
                    {items.into_iter().map(|key| view! { <HistoryConflicts key=key /> }).collect_view()}
                </section>
            }
            .into_any();
        }
        let events: Vec<(String, Write, Option<Value>)> = s
            .history()
            .into_iter()
            .rev()
            .map(|e: FieldEvent| (e.field.to_string(), e.write.clone(), e.old.cloned()))
            .collect();
        view! {
            <section class="card field-history">
                <div class="card-head">
                    <h2>{t(Msg::FieldHistory)}</h2>
                    <button class="btn small ghost" data-testid="field-history-toggle" on:click=move |_| open.update(|o| *o = !*o)>
                        {move || if open.get() { t(Msg::FieldHistoryHide) } else { t(Msg::FieldHistoryShow) }}
                    </button>
                </div>
                <Show when=move || open.get()>
                    <ul class="changes" data-testid="field-history">
                        {events.iter().map(|(field, w, old)| view! {
                            <li>
                                <span class="tl-meta">{who(w)}</span>
                                <span><strong>{field_label(field)}</strong> ": " {old.as_ref().map(|o| format!("{} → ", show_value(o)))} {show_value(&w.value)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </Show>
            </section>
        }
        .into_any()
    }
}

/// Profiles with unresolved conflicts (`#/conflicts`).
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let svc = expect_context::<Services>();
    Effect::new(move |_| svc.refresh_conflicts());
    move || {
        let ids = svc.conflicted_profiles();
        if ids.is_empty() {
            return view! {
                <div class="empty" data-testid="no-conflicts">
                    <h1 class="visually-hidden">{t(Msg::ConflictTitle)}</h1>
                    <div class="empty-mark"><Icon kind=IconKind::Check /></div>
                    <h2>{t(Msg::ConflictsNone)}</h2>
                    <p>{t(Msg::ConflictsNoneHint)}</p>
                </div>
            }
            .into_any();
        }
        let rows: Vec<(String, String)> = svc.with_index(|ix| {
            ids.iter()
                .map(|id| (id.clone(), ix.get(id).map_or_else(|| id.clone(), |e| e.display_name().to_string())))
                .collect()
        });
        view! {
            <section class="card" data-testid="conflicts-page">
                <h1 class="page-title">{t(Msg::ConflictTitle)}</h1>
                <p class="muted">{t(Msg::ConflictHint)}</p>
                <ul class="conflict-list">
                    {rows.into_iter().map(|(id, name)| view! {
                        <li><a class="btn" data-testid="conflict-profile" href=Route::Profile(id).hash()>{name}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any()
    }
}
