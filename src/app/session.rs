//! Who is at the desk. Every change the archive records names them: [`Services`] reads the
//! session itself, so no screen passes a name by hand. (Signing in with a role comes with staff
//! accounts; today the name is typed in the top bar and kept on this device.)
//!
//! [`Services`]: crate::app::archive::Services

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
    /// The session this device remembers.
    pub fn restore() -> Session {
        Session { name: RwSignal::new(prefs::staff()) }
    }

    /// The name as typed (for the input), tracked.
    pub fn typed_name(self) -> String {
        self.name.get()
    }

    /// Changes who is at the desk; remembered on this device.
    pub fn set_name(self, name: &str) {
        prefs::set_staff(name);
        self.name.set(name.to_string());
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
