//! The manager's views (经营), computed on the device from the synced archive: the dashboard's
//! figures by period ([`dashboard`]), ABC analysis ([`abc`]), reminders ([`reminders`]) and
//! archive quality ([`quality`]), all over [`facts::Facts`], the archive reduced to what they
//! read. Periods and trend months: [`period`].

pub mod abc;
pub mod dashboard;
pub mod facts;
pub mod period;
pub mod quality;
pub mod reminders;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
