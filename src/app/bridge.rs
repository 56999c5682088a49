//! The two wasm modules of one page keep each other in step. The desk module (`src/main.rs`: list,
//! search, profile, form) owns the sync service; the office module (`src/bin/office.rs`:
//! settings, sync setup, backup, import), loaded on first use, opens the same archive like another
//! tab would (its writes reach the desk through the tabs' channel). What the office changes that
//! the desk must follow, and what the office shows of the desk's sync, travels as a [`Note`]
//! in a page event; each module ignores its own notes.

use crate::domain::i18n::Locale;
use crate::platform::module;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};

const EVENT: &str = "dangan-bridge";

/// Whether this module is the office (set once when it mounts).
static OFFICE: AtomicBool = AtomicBool::new(false);

/// Marks this module as the office module.
pub fn this_is_the_office() {
    OFFICE.store(true, Ordering::Relaxed);
}

/// Whether this module is the office module.
pub fn is_office() -> bool {
    OFFICE.load(Ordering::Relaxed)
}

/// What one module tells the other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Note {
    /// Who is signed in at the desk now, with their secrets (the desk tells the office, which
    /// signs what its screens change: staff, policy). Both modules are one page: nothing leaves it.
    Session(Option<(crate::domain::governance::staff::Staff, crate::app::governance::keys::Secrets)>),
    /// The office opened and wants to know who is signed in.
    SessionAsk,
    /// The office changed the governance (staff, policy): the desk reads it again.
    GovernanceChanged,
    /// The language changed in the office (the desk redraws, and the office with it).
    Locale(Locale),
    /// "Sync now" in the office: the desk runs a round.
    SyncNow,
    /// The office saved new sync settings: the desk reads them and reconnects.
    SyncConfigured,
    /// The office opened and wants the sync status.
    SyncAsk,
    /// The desk's sync status, for the office's status line.
    SyncStatus(SyncReport),
    /// A toast from the office, shown by the desk (so it outlives the office's screen).
    Toast { text: String, error: bool },
    /// The office's list print wants the desk's list as the clerk left it.
    ListAsk,
    /// The profiles of the desk's list as shown (filters, search and order applied), by id.
    List(Vec<String>),
}

/// The sync status as the office shows it (the error already in words).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncReport {
    pub running: bool,
    pub last_ok: Option<f64>,
    pub pending: usize,
    pub error: Option<String>,
    pub live: bool,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    office: bool,
    note: Note,
}

/// Tells the other module. The desk tells nobody before the office module has been asked for
/// (it asks what it needs when it opens).
pub fn send(note: Note) {
    let office = is_office();
    if !office && !module::office_started() {
        return;
    }
    leptos::task::spawn_local(async move {
        if let Ok(Some(text)) = encode(office, note).await {
            module::dispatch(EVENT, &text);
        }
    });
}

/// Runs `f` for every note the other module sends, until the current reactive owner is cleaned up.
/// `f` runs after the event's dispatch (once the note is decoded), so it may send a note itself:
/// a listener the browser is still running cannot be entered again.
pub fn listen(f: impl Fn(Note) + 'static) {
    let f = std::rc::Rc::new(f);
    let handle = window_event_listener_untyped(EVENT, move |ev| {
        let Some(detail) = module::detail(&ev) else { return };
        let f = f.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some(env)) = decode(detail).await {
                if env.office != is_office() {
                    f(env.note);
                }
            }
        });
    });
    on_cleanup(move || handle.remove());
}

// The notes' encoding is a chunk of the desk's (src/lazy.rs): the desk has notes to send and to
// read only once the office module is there, never on the first screen.
crate::lazy::lazy_fn! { bridge;
    /// A note as the page event carries it.
    fn encode(office: bool, note: Note) -> Option<String> {
        serde_json::to_string(&Envelope { office, note }).ok()
    }
}

crate::lazy::lazy_fn! { bridge;
    /// A page event's note (none for text that is not one).
    fn decode(detail: String) -> Option<Envelope> {
        serde_json::from_slice::<Envelope>(detail.as_bytes()).ok()
    }
}
