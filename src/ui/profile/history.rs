//! The history timeline of a profile and the form that adds an entry (stay, consumption,
//! complaint, visit, note). Each entry is its own record.

use crate::app::archive::{SaveError, Services};
use crate::domain::forms::history::HistoryDraft;
use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::domain::validate::FieldError;
use crate::platform::clock::{now_ms, today};
use crate::platform::ids::new_id;
use crate::ui::locale;
use crate::ui::shell::toast::{push_toast, save_failed, Toast};
use crate::ui::t;
use crate::ui::widgets::{draft_field, fmt_datetime};
use crate::ui::UiState;
use leptos::prelude::*;

/// One line of the timeline.
fn summary(h: &HistoryItem) -> String {
    let yuan = |f: i64| {
        if f == 0 {
            String::new()
        } else {
            format!("¥{}", format_fen(f))
        }
    };
    let join = |parts: Vec<String>| parts.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
    match &h.entry {
        HistoryEntry::Stay { nights, room_type, channel, amenities, amount_fen } => join(vec![
            format!("{nights} {}", t(Msg::UnitNights)),
            room_type.clone(),
            channel.clone(),
            amenities.clone(),
            yuan(*amount_fen),
        ]),
        HistoryEntry::Consumption { category, covers, amount_fen, discount_pct, payment } => join(vec![
            category.clone(),
            if *covers > 0 { format!("{covers} {}", t(Msg::UnitCovers)) } else { String::new() },
            yuan(*amount_fen),
            if *discount_pct > 0 { format!("{discount_pct}%") } else { String::new() },
            payment.clone(),
        ]),
        HistoryEntry::Complaint {
            reason, severity, handling, status, deadline, return_visit, satisfaction, ..
        } => join(vec![
            format!("[{}] {reason}", t(severity.msg())),
            handling.clone(),
            if *status == ComplaintStatus::Open {
                format!("{} {}", t(Msg::DueBy), fmt_datetime(*deadline))
            } else {
                t(status.msg()).to_string()
            },
            return_visit.clone(),
            satisfaction.map(|s| format!("{} {s}/5", t(Msg::SatisfactionShort))).unwrap_or_default(),
        ]),
        HistoryEntry::Visit { visitor, purpose, notes, next_step, next_date } => join(vec![
            visitor.clone(),
            purpose.clone(),
            notes.clone(),
            next_step.clone(),
            next_date.map(|d| format!("{} {d}", t(Msg::FNextDate))).unwrap_or_default(),
        ]),
        HistoryEntry::Note { text } => text.clone(),
    }
}

/// The timeline with its add form.
#[component]
pub fn HistoryPanel(profile_id: String, items: RwSignal<Vec<HistoryItem>>, readonly: bool) -> impl IntoView {
    let open = RwSignal::new(false);
    // Kept while the form is closed: what was typed is there when it opens again.
    let draft = RwSignal::new(HistoryDraft::default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    view! {
        <section class="card history" data-testid="history">
            <div class="card-head">
                <h2>{t(Msg::SecHistory)}</h2>
                {(!readonly).then(|| view! {
                    <button class="btn small" data-testid="add-history" on:click=move |_| open.update(|o| *o = !*o)>"+ " {t(Msg::AddHistory)}</button>
                })}
            </div>
            <Show when=move || open.get()>
                {
                    let profile_id = profile_id.clone();
                    crate::lazy::lazy_view(move || history_form(profile_id.clone(), items, open, draft, errors))
                }
            </Show>
            <Timeline items=items readonly=readonly />
        </section>
    }
}

crate::lazy::lazy_fn! { profile;
    /// The add form, in the profile page's chunk (`src/lazy.rs`).
    fn history_form(
        profile_id: String,
        items: RwSignal<Vec<HistoryItem>>,
        open: RwSignal<bool>,
        draft: RwSignal<HistoryDraft>,
        errors: RwSignal<Vec<FieldError>>,
    ) -> AnyView {
        view! { <HistoryForm profile_id=profile_id items=items open=open draft=draft errors=errors /> }.into_any()
    }
}

/// The form that adds an entry of any kind (switching kind keeps what was typed).
#[component]
fn HistoryForm(
    profile_id: String,
    items: RwSignal<Vec<HistoryItem>>,
    open: RwSignal<bool>,
    draft: RwSignal<HistoryDraft>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let saving = RwSignal::new(false);
    let err_of =
        move |k: &'static str| move || errors.with(|e| e.iter().find(|x| x.field == k).map(|x| x.message(locale())));
    let field =
        move |label: Msg, key: &'static str, get: fn(&HistoryDraft) -> String, set: fn(&mut HistoryDraft, String)| {
            draft_field(draft, "h", label, key, (get, set), Signal::derive(err_of(key)), None)
        };
    let pid = profile_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let item = match draft.with_untracked(|d| d.to_item(new_id(), &pid, today(), now_ms())) {
            Ok(i) => i,
            Err(e) => {
                errors.set(e);
                return;
            }
        };
        saving.set(true);
        leptos::task::spawn_local(async move {
            match svc.save_history(item).await {
                Ok(saved) => {
                    items.update(|v| {
                        v.push(saved);
                        v.sort_by(HistoryItem::newest_first);
                    });
                    draft.update(|d| *d = d.next());
                    errors.set(Vec::new());
                    open.set(false);
                    push_toast(ui, Toast::info(t(Msg::Saved)));
                }
                Err(SaveError::Invalid(e)) => errors.set(e),
                Err(SaveError::Store(e)) => save_failed(ui, &e),
            }
            saving.set(false);
        });
    };
    let kind_fields = move || {
        match draft.with(|d| d.kind) {
        HistoryKind::Stay => view! {
            {field(Msg::FNights, "nights", |d| d.nights.clone(), |d, v| d.nights = v)}
            {field(Msg::FRoomType, "room_type", |d| d.room_type.clone(), |d, v| d.room_type = v)}
            {field(Msg::FChannel, "channel", |d| d.channel.clone(), |d, v| d.channel = v)}
            {field(Msg::FAmenities, "amenities", |d| d.amenities.clone(), |d, v| d.amenities = v)}
            {field(Msg::FAmount, "amount", |d| d.amount.clone(), |d, v| d.amount = v)}
        }.into_any(),
        HistoryKind::Consumption => view! {
            {field(Msg::FCategoryMeal, "category", |d| d.category.clone(), |d, v| d.category = v)}
            {field(Msg::FCovers, "covers", |d| d.covers.clone(), |d, v| d.covers = v)}
            {field(Msg::FAmount, "amount", |d| d.amount.clone(), |d, v| d.amount = v)}
            {field(Msg::FDiscount, "discount", |d| d.discount.clone(), |d, v| d.discount = v)}
            {field(Msg::FPayment, "payment", |d| d.payment.clone(), |d, v| d.payment = v)}
        }.into_any(),
        HistoryKind::Complaint => view! {
            {field(Msg::FReason, "reason", |d| d.reason.clone(), |d, v| d.reason = v)}
            <label class="field">
                <span class="label">{t(Msg::FSeverity)}</span>
                {crate::ui::widgets::enum_select("h-severity", Severity::ALL, move || draft.with(|d| d.severity), move |s| draft.update(|d| d.severity = s))}
            </label>
            {field(Msg::FHandling, "handling", |d| d.handling.clone(), |d, v| d.handling = v)}
            {field(Msg::FFeedback, "feedback", |d| d.feedback.clone(), |d, v| d.feedback = v)}
        }.into_any(),
        HistoryKind::Visit => view! {
            {field(Msg::FVisitor, "visitor", |d| d.visitor.clone(), |d, v| d.visitor = v)}
            {field(Msg::FPurpose, "purpose", |d| d.purpose.clone(), |d, v| d.purpose = v)}
            {field(Msg::FNotes, "notes", |d| d.notes.clone(), |d, v| d.notes = v)}
            {field(Msg::FNextStep, "next_step", |d| d.next_step.clone(), |d, v| d.next_step = v)}
            {field(Msg::FNextDate, "next_date", |d| d.next_date.clone(), |d, v| d.next_date = v)}
        }.into_any(),
        HistoryKind::Note => view! { {field(Msg::FText, "text", |d| d.text.clone(), |d, v| d.text = v)} }.into_any(),
    }
    };
    view! {
        <form class="history-form" data-testid="history-form" on:submit=submit.clone()>
            <div class="seg kinds">
                {HistoryKind::ALL.iter().map(|&k| view! {
                    <button type="button" class:on=move || draft.with(|d| d.kind == k) data-testid=format!("h-kind-{}", k.code()) on:click=move |_| {
                        draft.update(|d| d.kind = k);
                        errors.set(Vec::new());
                    }>{t(k.msg())}</button>
                }).collect_view()}
            </div>
            <div class="grid">
                {field(Msg::FDate, "date", |d| d.date.clone(), |d, v| d.date = v)}
                {kind_fields}
            </div>
            <div class="form-actions">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t(Msg::Cancel)}</button>
                <button type="submit" class="btn primary" data-testid="h-save" disabled=move || saving.get()>
                    {move || if saving.get() { t(Msg::Saving) } else { t(Msg::Save) }}
                </button>
            </div>
        </form>
    }
}

/// The entries, newest first; a complaint can be followed up here. Keyed by item and its last
/// change: an item another device changed is drawn again, the others keep what staff have open
/// (a complaint's follow-up being typed stays when a stay is added or a sync round ends).
#[component]
fn Timeline(items: RwSignal<Vec<HistoryItem>>, readonly: bool) -> impl IntoView {
    let now = now_ms();
    view! {
        <Show
            when=move || items.with(|l| !l.is_empty())
            fallback=|| view! { <p class="muted" data-testid="no-history">{t(Msg::NoHistory)}</p> }
        >
        <ol class="timeline">
            <For each=move || items.get() key=|h| (h.id.clone(), h.meta.updated_at) let:h>
                {
                    let overdue = h.is_overdue_complaint(now);
                    let kind_class = format!("tl-kind k{}", h.entry.kind().code());
                    view! {
                        <li data-testid="history-item">
                            <div class="tl-date">{h.date.to_string()}</div>
                            <div class="tl-body">
                                <span class=kind_class>{t(h.entry.kind().msg())}</span>
                                {overdue.then(|| view! { <span class="badge overdue">{t(Msg::Overdue)}</span> })}
                                <p>{summary(&h)}</p>
                                <p class="tl-meta">{crate::ui::staff_label(&h.meta.created_by)} " · " {fmt_datetime(h.meta.created_at)}</p>
                                {(!readonly && matches!(h.entry, HistoryEntry::Complaint { .. })).then(|| view! { <ComplaintFollowUp item=h.clone() items=items /> })}
                                {super::documents::item_documents(h.id.clone())}
                            </div>
                        </li>
                    }
                }
            </For>
        </ol>
        </Show>
    }
}

/// Moves a complaint on: status, handling, the return visit and the guest's satisfaction.
#[component]
fn ComplaintFollowUp(item: HistoryItem, items: RwSignal<Vec<HistoryItem>>) -> impl IntoView {
    let svc = expect_context::<Services>();
    let ui = expect_context::<UiState>();
    let HistoryEntry::Complaint { status, handling, return_visit, satisfaction, .. } = item.entry.clone() else {
        return ().into_any();
    };
    let open = RwSignal::new(false);
    let status = RwSignal::new(status);
    let handling = RwSignal::new(handling);
    let return_visit = RwSignal::new(return_visit);
    let satisfaction = RwSignal::new(satisfaction);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saving = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut updated = item.clone();
        if let HistoryEntry::Complaint { status: s, handling: h, return_visit: r, satisfaction: sat, .. } =
            &mut updated.entry
        {
            *s = status.get_untracked();
            *h = handling.get_untracked().trim().to_string();
            *r = return_visit.get_untracked().trim().to_string();
            *sat = satisfaction.get_untracked();
        }
        saving.set(true);
        leptos::task::spawn_local(async move {
            match svc.save_history(updated).await {
                Ok(saved) => {
                    items.update(|v| {
                        if let Some(x) = v.iter_mut().find(|x| x.id == saved.id) {
                            *x = saved;
                        }
                    });
                    open.set(false);
                    push_toast(ui, Toast::info(t(Msg::Saved)));
                }
                Err(SaveError::Invalid(e)) => errors.set(e),
                Err(SaveError::Store(e)) => save_failed(ui, &e),
            }
            saving.set(false);
        });
    };
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button class="btn small" data-testid="complaint-follow-up" on:click=move |_| open.set(true)>{t(Msg::HandleComplaint)}</button>
            }
        >
            <form class="history-form" data-testid="complaint-form" on:submit=save.clone()>
                <div class="grid">
                    <label class="field">
                        <span class="label">{t(Msg::FStatus)}</span>
                        {crate::ui::widgets::enum_select("c-status", ComplaintStatus::ALL, move || status.get(), move |s| status.set(s))}
                    </label>
                    <label class="field">
                        <span class="label">{t(Msg::FHandling)}</span>
                        <input type="text" data-testid="c-handling" prop:value=move || handling.get() on:input=move |ev| handling.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span class="label">{t(Msg::FReturnVisit)}</span>
                        <input type="text" data-testid="c-return-visit" prop:value=move || return_visit.get() on:input=move |ev| return_visit.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span class="label">{t(Msg::FSatisfaction)}</span>
                        <select data-testid="c-satisfaction" on:change=move |ev| satisfaction.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected=move || satisfaction.get().is_none()>{t(Msg::NotAsked)}</option>
                            {(1..=5u8).map(|n| view! { <option value=n.to_string() selected=move || satisfaction.get() == Some(n)>{n}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                {move || errors.with(|e| e.first().map(|x| x.message(locale()))).map(|m| view! { <p class="err">{m}</p> })}
                <div class="form-actions">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{t(Msg::Cancel)}</button>
                    <button type="submit" class="btn primary" data-testid="c-save" disabled=move || saving.get()>{t(Msg::Save)}</button>
                </div>
            </form>
        </Show>
    }
    .into_any()
}
