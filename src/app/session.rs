//! Who is at the desk. Every change the archive records names them: [`Services`] reads the
//! session itself, so no screen passes a name by hand. (Signing in with a role comes with staff
//! accounts; today the name is typed in the top bar and kept on this device.)
//!
//! [`Services`]: crate::app::archive::Services

use crate::app::bridge::{self, Note};
use crate::app::lang::t;
use crate::app::prefs;
use crate::domain::i18n::Msg;
use leptos::prelude::*;

/// The signed-in person, shared through context. `Copy`: it is a signal handle.
#[derive(Clone, Copy)]
pub struct Session {
    name: RwSignal<String>,
}

impl Session {
    /// The session this device remembers, following a name typed in the page's other module.
    pub fn restore() -> Session {
        let name = RwSignal::new(prefs::staff());
        bridge::listen(move |note| {
            if let Note::Staff(s) = note {
                name.try_set(s);
            }
        });
        Session { name }
    }

    /// The name as typed (for the input), tracked.
    pub fn typed_name(self) -> String {
        self.name.get()
    }

    /// Changes who is at the desk; remembered on this device.
    pub fn set_name(self, name: &str) {
        prefs::set_staff(name);
        self.name.set(name.to_string());
        bridge::send(Note::Staff(name.to_string()));
    }

    /// The name recorded on changes: as typed, else the default desk name of the current language
    /// ("前台" / "Front desk").
    pub fn staff(self) -> String {
        recorded_name(&self.name.get_untracked())
    }
}

/// The name to record for what was typed.
pub fn recorded_name(typed: &str) -> String {
    match typed.trim() {
        "" => t(Msg::DefaultStaff).to_string(),
        s => s.to_string(),
    }
}
