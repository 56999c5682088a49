//! Small shared pieces: badges, chips, masked numbers, dates, selects and the confirm dialog.

mod reason;
mod text_field;

use crate::domain::i18n::Msg;
use crate::domain::model::*;
use crate::ui::t;
use leptos::prelude::*;
pub use reason::ReasonForm;
pub use text_field::{draft_field, TextField};

/// A local date (`YYYY-MM-DD`) of a Unix time in ms.
pub fn fmt_date(ms: Millis) -> String {
    let d = js_sys::Date::new(&(ms as f64).into());
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// A local date and time (`YYYY-MM-DD HH:MM`) of a Unix time in ms.
pub fn fmt_datetime(ms: Millis) -> String {
    let d = js_sys::Date::new(&(ms as f64).into());
    format!("{} {:02}:{:02}", fmt_date(ms), d.get_hours(), d.get_minutes())
}

pub use crate::domain::fields::{mask_id, mask_phone};

/// The icons the app draws, as inline SVG (no emoji font needed: a device without one would
/// show an empty box).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconKind {
    Star,
    Warning,
    Cake,
    Close,
    Upload,
    Enter,
    Back,
    Sync,
    ArrowUp,
    Check,
    Camera,
    Clip,
    File,
    Lock,
    IdCard,
    Download,
    Left,
    Right,
    Plus,
    Minus,
}

impl IconKind {
    /// Stroke paths on a 24×24 grid.
    fn paths(self) -> &'static [&'static str] {
        match self {
            IconKind::Star => &["M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z"],
            IconKind::Warning => &["M12 3L2 20h20z", "M12 10v4", "M12 17v.5"],
            IconKind::Cake => &[
                "M4 21h16",
                "M5 21v-7h14v7",
                "M5 16c2 1.5 4.5 1.5 7 0s5-1.5 7 0",
                "M12 14v-3",
                "M12 8.5c-1 0-1.5-.8-1.5-1.5S12 4 12 4s1.5 2.3 1.5 3-.5 1.5-1.5 1.5z",
            ],
            IconKind::Close => &["M6 6l12 12", "M18 6L6 18"],
            IconKind::Upload => &["M12 16V4", "M7 9l5-5 5 5", "M4 16v4h16v-4"],
            IconKind::Enter => &["M20 5v7H6", "M10 8l-4 4 4 4"],
            IconKind::Back => &["M19 12H5", "M11 6l-6 6 6 6"],
            IconKind::Sync => {
                &["M20 11a8 8 0 0 0-14.3-4.9L4 8", "M4 4v4h4", "M4 13a8 8 0 0 0 14.3 4.9L20 16", "M20 20v-4h-4"]
            }
            IconKind::ArrowUp => &["M12 20V5", "M6 11l6-6 6 6"],
            IconKind::Check => &["M5 12.5l4.5 4.5L19 7"],
            IconKind::Camera => &["M4 8h3l2-3h6l2 3h3v11H4z", "M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z"],
            IconKind::Clip => &["M20 11.5l-8.2 8.2a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8"],
            IconKind::File => &["M6 3h8l4 4v14H6z", "M14 3v4h4", "M9 13h6", "M9 17h6"],
            IconKind::Lock => &["M6 11h12v9H6z", "M8.5 11V8a3.5 3.5 0 0 1 7 0v3", "M12 14.5v2.5"],
            IconKind::IdCard => &["M3 6h18v12H3z", "M9 11a2 2 0 1 0 0-4 2 2 0 0 0 0 4z", "M5.5 15.5c.6-1.6 1.9-2.5 3.5-2.5s2.9.9 3.5 2.5", "M14 9.5h4", "M14 13h4"],
            IconKind::Download => &["M12 4v12", "M7 11l5 5 5-5", "M4 20h16"],
            IconKind::Left => &["M15 5l-7 7 7 7"],
            IconKind::Right => &["M9 5l7 7-7 7"],
            IconKind::Plus => &["M12 5v14", "M5 12h14"],
            IconKind::Minus => &["M5 12h14"],
        }
    }
}

/// An icon drawn in the text colour; decorative (hidden from screen readers) unless `label` is
/// given, in which case the label is what a screen reader says.
#[component]
pub fn Icon(kind: IconKind, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let hidden = label.is_none().then_some("true");
    let role = label.is_some().then_some("img");
    let title = label.clone();
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor"
            stroke-width="2" stroke-linecap="round" stroke-linejoin="round"
            aria-hidden=hidden role=role aria-label=label.clone() data-icon=format!("{kind:?}").to_lowercase()>
            {title.map(|l| view! { <title>{l}</title> })}
            {kind.paths().iter().map(|d| view! { <path d=*d /> }).collect_view()}
        </svg>
    }
}

/// The VIP / regular badge.
#[component]
pub fn MarkBadge(mark: GuestMark) -> impl IntoView {
    match mark {
        GuestMark::None => ().into_any(),
        GuestMark::Vip => view! { <span class="badge vip" data-testid="vip-badge">"VIP"</span> }.into_any(),
        GuestMark::Regular => view! { <span class="badge regular">{t(Msg::MarkRegular)}</span> }.into_any(),
    }
}

/// The customer class chip.
#[component]
pub fn ClassChip(class: CustomerClass) -> impl IntoView {
    let cls = format!("chip class-{}", class.code());
    view! { <span class=cls>{t(class.msg())}</span> }
}

/// The ABC grade badge (nothing when never graded); `title` explains it where the grade is
/// known whole (the profile page).
#[component]
pub fn AbcBadge(abc: Option<AbcClass>, #[prop(default = None)] title: Option<String>) -> impl IntoView {
    abc.map(|a| {
        let letter = a.letter();
        let label = format!("{} {letter}", t(Msg::AbcBadgeTitle));
        view! { <span class=format!("badge abc abc-{letter}") title=title.unwrap_or_else(|| label.clone()) aria-label=label data-testid="abc-badge">{letter}</span> }
    })
}

/// The credit rating chip (nothing when unrated).
#[component]
pub fn CreditChip(credit: CreditRating) -> impl IntoView {
    if credit == CreditRating::Unrated {
        return ().into_any();
    }
    let label = ["", "A", "B", "C"][credit.code() as usize];
    view! { <span class=format!("chip credit-{label}") title=t(credit.msg())>{t(Msg::FCredit)}" "{label}</span> }
        .into_any()
}

/// A `<select>` over a coded enum, bound to a getter and a setter.
pub fn enum_select<E>(
    testid: &'static str,
    all: &'static [E],
    get: impl Fn() -> E + Copy + Send + Sync + 'static,
    set: impl Fn(E) + 'static,
) -> impl IntoView
where
    E: Copy + PartialEq + Send + Sync + 'static,
    E: EnumInfo,
{
    view! {
        <select
            data-testid=testid
            on:change=move |ev| {
                let code: u8 = event_target_value(&ev).parse().unwrap_or(0);
                if let Some(v) = all.iter().find(|v| v.code_of() == code) {
                    set(*v);
                }
            }
        >
            {all
                .iter()
                .map(|v| {
                    let v = *v;
                    let selected = move || get() == v;
                    view! { <option value=v.code_of().to_string() selected=selected>{t(v.msg_of())}</option> }
                })
                .collect_view()}
        </select>
    }
}

/// What [`enum_select`] needs from a coded enum.
pub trait EnumInfo {
    fn code_of(self) -> u8;
    fn msg_of(self) -> Msg;
}

macro_rules! enum_info {
    ($($t:ty),+) => {$(
        impl EnumInfo for $t {
            fn code_of(self) -> u8 { self.code() }
            fn msg_of(self) -> Msg { self.msg() }
        }
    )+};
}
enum_info!(
    CustomerKind,
    Gender,
    CustomerClass,
    GuestMark,
    CreditRating,
    crate::domain::model::Standing,
    IdDocType,
    EnterpriseNature,
    Industry,
    PrefKind,
    DayKind,
    DayCalendar,
    Severity,
    ComplaintStatus,
    crate::domain::ledger::EntryKind,
    crate::domain::ledger::PayMethod,
    crate::domain::ledger::Movement,
    crate::domain::documents::DocKind
);

/// A modal confirmation. `Escape` or the cancel button closes it; focus starts on cancel.
#[component]
pub fn ConfirmDialog(
    title: Msg,
    body: Msg,
    confirm: Msg,
    open: RwSignal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(b) = cancel_ref.get() {
                let _ = b.focus();
            }
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:click=move |_| open.set(false)>
                <div
                    class="modal"
                    role="alertdialog"
                    aria-modal="true"
                    data-testid="confirm-dialog"
                    on:click=|ev| ev.stop_propagation()
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            open.set(false);
                        }
                    }
                >
                    <h2>{t(title)}</h2>
                    <p>{t(body)}</p>
                    <div class="modal-actions">
                        <button class="btn" node_ref=cancel_ref on:click=move |_| open.set(false)>{t(Msg::Cancel)}</button>
                        <button
                            class="btn danger"
                            data-testid="confirm-yes"
                            on:click=move |_| {
                                open.set(false);
                                on_confirm.run(());
                            }
                        >
                            {t(confirm)}
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
