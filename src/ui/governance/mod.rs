//! The desk's gate: the setup of the first super administrator, sign-in with a PIN, the lock
//! (idle or on request) that keeps the screen underneath as it was, and the staff chip in the
//! top bar. The rules and the keys are in `app/governance/`; this only binds them.

mod setup;
mod sign_in;

use crate::app::archive::{Phase, Services};
use crate::app::session::Session;
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::i18n::Msg;
use crate::platform::clock::now_ms;
use crate::ui::shell::route::Route;
use crate::ui::t;
use leptos::prelude::*;
pub use setup::Setup;
pub use sign_in::SignIn;

/// Reads the archive's governance once the archive is open, and again whenever records arrive
/// from elsewhere (sync may bring the staff another device set up).
pub fn follow_roster(svc: Services, session: Session) {
    crate::app::bridge::listen(move |note| {
        if note == crate::app::bridge::Note::GovernanceChanged {
            refresh_roster(svc, session);
        }
    });
    Effect::new(move |_| {
        svc.remote_rev.track();
        svc.gov_rev.track();
        if svc.phase.get() != Phase::Ready {
            return;
        }
        refresh_roster(svc, session);
    });
}

/// Reads the governance again (after this device changed it).
pub fn refresh_roster(svc: Services, session: Session) {
    leptos::task::spawn_local(load_roster(svc, session));
}

/// Reads the governance into the session; the desk logs what it refuses.
pub async fn load_roster(svc: Services, session: Session) {
    let Ok(archive) = svc.archive() else { return };
    if let Ok(r) = crate::app::governance::roster(&archive).await {
        if !r.refused.is_empty() && !crate::app::bridge::is_office() {
            if let Ok(Ok(n)) = crate::app::governance::log_refusals_in(svc, r.clone()).await {
                if n > 0 {
                    svc.local_rev.update(|x| *x += 1);
                }
            }
        }
        // Read again after every sync round: set only when it changed, or every screen following
        // the roster is drawn again (the setup and sign-in forms lost what was typed in them).
        if session.roster.with_untracked(|cur| cur.as_ref() != Some(&r)) {
            session.roster.set(Some(r));
        }
    }
}

/// Once someone signs in, seals what the archive still keeps in clear (an archive from before
/// sealing, or values pulled while nobody was signed in); a failure is shown and tried again at
/// the next sign-in.
pub fn seal_when_signed_in(svc: Services, session: Session, ui: crate::ui::UiState) {
    Effect::new(move |_| {
        if session.who.with(Option::is_none) || svc.phase.get() != Phase::Ready {
            return;
        }
        leptos::task::spawn_local(async move {
            if !svc.needs_sealing().await.unwrap_or(false) {
                return;
            }
            if let Err(e) = svc.seal_archive().await {
                use crate::app::errors::Explain;
                let text = format!("{} {}", t(Msg::SealingArchive), e.explain(crate::app::lang::locale()));
                crate::ui::shell::toast::push_toast(ui, crate::ui::shell::toast::Toast::error(text));
            }
        });
    });
}

/// Locks the desk after the policy's idle time without a touch, a click or a key.
pub fn idle_lock(session: Session) {
    let last = StoredValue::new(now_ms());
    for ev in ["pointerdown", "keydown", "wheel", "touchstart"] {
        let handle = window_event_listener_untyped(ev, move |_| last.set_value(now_ms()));
        on_cleanup(move || handle.remove());
    }
    let tick = set_interval_with_handle(
        move || {
            let idle_ms = session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.idle_minutes).unwrap_or(10))
                as i64
                * 60_000;
            let signed_in = session.who.with_untracked(Option::is_some);
            if signed_in && !session.locked.get_untracked() && now_ms() - last.get_value() >= idle_ms {
                session.locked.set(true);
            }
        },
        std::time::Duration::from_secs(5),
    );
    if let Ok(h) = tick {
        on_cleanup(move || h.clear());
    }
}

/// What the gate shows in place of the desk, if anything: the archive opening, the setup, or the
/// sign-in. `None` once someone is signed in (a lock shows over the desk, see [`LockOverlay`]).
/// Before the archive is set up, the settings stay reachable: a new device joins an archive set
/// up elsewhere by entering its sync settings, and its staff arrive by sync.
/// Which screen the gate shows (or none: the desk is open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    /// The archive is opening or failed to open.
    NotReady,
    /// The governance has not been read yet.
    Loading,
    /// No super administrator yet: the setup (and its recovery code until it is noted).
    Setup,
    /// No super administrator yet, the settings open (to restore a backup, set up sync).
    SetupSettings,
    SignIn,
    Open,
}

/// The gate as a view: drawn again only when the screen it shows changes, so a sync round that
/// reads the governance again leaves a half-typed setup or sign-in (and a recovery code being
/// noted down) as they are.
pub fn gate(svc: Services, session: Session, route: ReadSignal<Route>) -> impl Fn() -> Option<AnyView> {
    let state = Memo::new(move |_| {
        if svc.phase.with(|p| *p != crate::app::archive::Phase::Ready) {
            return Gate::NotReady;
        }
        let set_up = session.roster.with(|r| r.as_ref().map(|r| r.is_set_up()));
        match set_up {
            None => Gate::Loading,
            // The setup stays until its recovery code is noted, though the archive is set up.
            Some(_) if session.noting_code.get() => Gate::Setup,
            Some(false) if route.get() == Route::Settings => Gate::SetupSettings,
            Some(false) => Gate::Setup,
            Some(true) if session.who.with(Option::is_none) => Gate::SignIn,
            Some(true) => Gate::Open,
        }
    });
    move || match state.get() {
        Gate::NotReady => crate::ui::shell::archive_not_ready(svc),
        Gate::Loading => Some(crate::ui::shell::waiting(Msg::Loading, "loading")),
        Gate::SetupSettings => Some(
            view! {
                <main class="main" id="main">
                    <p class="gate-back"><a href="#/" data-testid="setup-back">{t(Msg::GovBackToSetup)}</a></p>
                    {crate::ui::shell::office_host::office_screen()}
                </main>
            }
            .into_any(),
        ),
        Gate::Setup => Some(view! { <Setup /> }.into_any()),
        Gate::SignIn => Some(view! { <SignIn locked=false /> }.into_any()),
        Gate::Open => None,
    }
}

/// A new PIN's input (setup, adding or changing staff): digits, never remembered by the browser.
pub fn new_pin_field(value: RwSignal<String>, label: Msg, testid: &'static str) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{t(label)}</span>
            <input
                type="password"
                inputmode="numeric"
                autocomplete="new-password"
                maxlength="12"
                data-testid=testid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}

/// The state of a form that sets a new PIN (typed twice): the two PINs, its error, whether it
/// is working.
#[derive(Clone, Copy)]
pub struct NewPin {
    pub pin: RwSignal<String>,
    pub again: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
    pub busy: RwSignal<bool>,
}

impl Default for NewPin {
    fn default() -> NewPin {
        NewPin::new()
    }
}

impl NewPin {
    pub fn new() -> NewPin {
        NewPin {
            pin: RwSignal::new(String::new()),
            again: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// The start of a submission: false, with the error shown, while the last one runs or when
    /// the two PINs differ; else the error is cleared and busy set.
    pub fn begin(self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        if self.pin.get_untracked() != self.again.get_untracked() {
            self.error.set(Some(t(Msg::ErrPinMismatch).to_string()));
            return false;
        }
        self.busy.set(true);
        self.error.set(None);
        true
    }
}

/// The top bar of the gate's screens: the brand and the language.
#[component]
pub fn GateBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <span class="brand">
                <span class="brand-mark" aria-hidden="true">"档"</span>
                <span class="brand-name">{t(Msg::AppName)}</span>
            </span>
            <span class="gate-spacer"></span>
            <crate::ui::shell::header::LangToggle testid="gate-lang" />
        </header>
    }
}

/// The lock over the desk: the desk stays mounted (inert) with whatever was typed in it.
#[component]
pub fn LockOverlay() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        (session.locked.get() && session.who.with(Option::is_some)).then(|| {
            view! {
                <div class="lock-overlay" data-testid="lock">
                    <SignIn locked=true />
                </div>
            }
        })
    }
}

/// The signed-in person in the top bar, with switch and lock.
#[component]
pub fn StaffChip() -> impl IntoView {
    let session = expect_context::<Session>();
    let svc = expect_context::<Services>();
    move || {
        session.who().map(|s| {
            view! {
                <div class="staff-chip" data-testid="staff">
                    <span class="staff-name" data-testid="staff-name">{s.name.clone()}</span>
                    <span class="staff-role muted">{t(s.role.msg())}</span>
                    // The desk holds the lock; the office's settings only show who it is.
                    <Show when=|| !crate::app::bridge::is_office()>
                    <button class="btn ghost small" data-testid="staff-switch" on:click=move |_| {
                        // Handing the desk over ends this person's session: logged.
                        svc.record_access(Entry { kind: Some(EventKind::SignOut), ..Entry::default() });
                        session.switch();
                    }>
                        {t(Msg::StaffSwitch)}
                    </button>
                    <button class="btn ghost small" data-testid="staff-lock" on:click=move |_| session.locked.set(true)>
                        {t(Msg::StaffLock)}
                    </button>
                    </Show>
                </div>
            }
        })
    }
}
