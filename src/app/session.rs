//! Who is at the desk. Staff sign in with their PIN (`app/governance/`); every change the archive
//! records names the signed-in person: [`Services`] reads the session itself, so no screen passes
//! a name by hand. The desk module signs people in and holds their secrets; the office module
//! (loaded later into the same page) is told who it is, secrets included, through the bridge (it
//! signs what its screens change: staff, policy).
//!
//! [`Services`]: crate::app::archive::Services

use crate::app::bridge::{self, Note};
use crate::app::governance::keys::Secrets;
use crate::app::governance::SignedIn;
use crate::app::lang::t;
use crate::domain::governance::roster::Roster;
use crate::domain::governance::sealed::{DataKey, Sealer};
use crate::domain::governance::staff::{Role, Staff};
use crate::domain::i18n::Msg;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The signed-in person and the archive's governance, shared through context. `Copy`: handles.
#[derive(Clone, Copy)]
pub struct Session {
    /// The signed-in staff member.
    pub who: RwSignal<Option<Staff>>,
    secrets: StoredValue<Option<Arc<Secrets>>>,
    /// This session's sealer (made on first use, `app/sealing.rs`) and the data keys an
    /// administrator has opened; both forgotten when someone signs in.
    pub(crate) sealer: StoredValue<Option<Arc<Sealer>>>,
    pub(crate) opened: StoredValue<HashMap<String, DataKey>>,
    /// Locked (idle, or the clerk stepped away): the screen stays as it was under the sign-in.
    pub locked: RwSignal<bool>,
    /// The accepted governance (None until read).
    pub roster: RwSignal<Option<Roster>>,
    /// The lock was asked for to let someone else sign in (the names show first).
    pub switching: RwSignal<bool>,
    /// The first super administrator is noting down the recovery code shown after the setup:
    /// the setup screen stays until they say it is kept.
    pub noting_code: RwSignal<bool>,
}

impl Session {
    /// Nobody signed in yet; in the office module, following who signs in at the desk.
    pub fn restore() -> Session {
        let s = Session {
            who: RwSignal::new(None),
            secrets: StoredValue::new(None),
            sealer: StoredValue::new(None),
            opened: StoredValue::new(HashMap::new()),
            locked: RwSignal::new(false),
            roster: RwSignal::new(None),
            switching: RwSignal::new(false),
            noting_code: RwSignal::new(false),
        };
        bridge::listen(move |note| match note {
            Note::Session(who) if bridge::is_office() => {
                let (staff, secrets) = who.map(|(st, se)| (Some(st), Some(Arc::new(se)))).unwrap_or_default();
                s.secrets.try_set_value(secrets);
                s.forget_keys();
                s.who.try_set(staff);
            }
            Note::SessionAsk if !bridge::is_office() => bridge::send(Note::Session(s.shared())),
            _ => {}
        });
        if bridge::is_office() {
            bridge::send(Note::SessionAsk);
        }
        s
    }

    /// The signed-in staff member (tracked).
    pub fn who(self) -> Option<Staff> {
        self.who.get()
    }

    /// Whether an administrator (department or super) is signed in (tracked): who may see the
    /// manager's screens and change what only administrators change.
    pub fn is_admin(self) -> bool {
        self.who.with(|w| w.as_ref().is_some_and(|s| s.role.is_admin()))
    }

    /// The signed-in person's role (not tracked: for a screen built for whoever is signed in now).
    pub fn role(self) -> Option<Role> {
        self.who.with_untracked(|w| w.as_ref().map(|s| s.role))
    }

    /// The signed-in person with their secrets.
    pub fn signed_in(self) -> Option<SignedIn> {
        let staff = self.who.get_untracked()?;
        let secrets = self.secrets.get_value()?;
        Some(SignedIn { staff, secrets })
    }

    /// Someone signed in (or came back after a lock).
    pub fn sign_in(self, s: SignedIn) {
        self.secrets.set_value(Some(s.secrets));
        self.forget_keys();
        self.who.set(Some(s.staff.clone()));
        self.locked.set(false);
        self.switching.set(false);
        bridge::send(Note::Session(self.shared()));
    }

    /// Drops the sealer and opened data keys (someone else, or the same person anew, signed in).
    fn forget_keys(self) {
        self.sealer.try_set_value(None);
        self.opened.try_set_value(HashMap::new());
    }

    /// What the office module is told of the session.
    fn shared(self) -> Option<(Staff, Secrets)> {
        Some((self.who.get_untracked()?, self.secrets.get_value()?.as_ref().clone()))
    }

    /// Locks the desk so that someone else signs in (two taps and a PIN): the names show.
    pub fn switch(self) {
        self.switching.set(true);
        self.locked.set(true);
    }

    /// The name recorded on changes: the signed-in person's, else the default desk name of the
    /// current language ("前台" / "Front desk": changes made before anyone signed in, such as
    /// pulled records, or the office before it has heard from the desk).
    pub fn staff(self) -> String {
        self.who.get_untracked().map(|s| s.name).unwrap_or_else(|| t(Msg::DefaultStaff).to_string())
    }
}
