//! The manager's views' data (经营): the archive reduced to [`Facts`] (`domain::overview`), read
//! a slice at a time with the page painting between slices, kept while the page lives (the
//! office module's services), and read again when records change: a pull from another device, a
//! write in another tab or on this one. The figures themselves are computed by the domain on
//! demand; the screens only choose what to ask.

use super::archive::{Services, StoreError};
use crate::domain::date::Date;
use crate::domain::model::Millis;
use crate::domain::overview::facts::Facts;
use crate::platform::clock::{elapsed_ms, today, utc_offset_minutes, yield_now};
use crate::store::{Archive, Slice};
use leptos::prelude::*;
use std::sync::Arc;

/// Where the facts stand.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// Not asked for yet.
    Idle,
    /// Being read: profiles and history items read so far.
    Reading {
        profiles: usize,
        items: usize,
    },
    Ready,
    Failed(StoreError),
}

/// The facts of the open archive, shared by the manager's screens. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct Overview {
    facts: StoredValue<Option<Arc<Facts>>, LocalStorage>,
    /// The first reading's progress; a later reading keeps the figures shown ([`Overview::refreshing`]).
    pub load: RwSignal<Load>,
    /// Bumped when new facts are in place: the screens compute again.
    pub rev: RwSignal<u64>,
    /// A reading after a change is under way.
    pub refreshing: RwSignal<bool>,
    reading: StoredValue<bool>,
    again: StoredValue<bool>,
    /// How long the last reading took (ms), for the benchmark.
    pub last_read_ms: StoredValue<f64>,
}

/// The local day of a moment (China keeps no daylight saving time: one offset serves).
pub fn local_day(offset_minutes: i32) -> impl Fn(Millis) -> Date {
    move |ms| Date::from_millis(ms + i64::from(offset_minutes) * 60_000)
}

/// Reads the whole archive into facts, a slice at a time, letting the page paint between slices
/// and telling `progress` what was read so far and how long the slice's work held the page (ms).
pub async fn read_facts(
    a: &Archive,
    today: Date,
    local: &dyn Fn(Millis) -> Date,
    progress: impl Fn(usize, usize, f64),
) -> Result<Facts, StoreError> {
    let day = today;
    let mut facts = Facts::default();
    let mut at = crate::store::Reading::default();
    let (mut profiles, mut items) = (0, 0);
    loop {
        let Some(slice) = a.read_slice(&mut at).await? else { break };
        let started = elapsed_ms();
        match slice {
            Slice::Profiles(ps) => {
                profiles += ps.len();
                for p in &ps {
                    facts.add_profile(p, day, local);
                }
            }
            Slice::History(hs) => {
                items += hs.len();
                for h in &hs {
                    facts.add_history(h);
                }
            }
        }
        progress(profiles, items, elapsed_ms() - started);
        yield_now().await;
    }
    let started = elapsed_ms();
    facts.sort();
    progress(profiles, items, elapsed_ms() - started);
    Ok(facts)
}

impl Overview {
    pub fn new() -> Overview {
        Overview {
            facts: StoredValue::new_local(None),
            load: RwSignal::new(Load::Idle),
            rev: RwSignal::new(0),
            refreshing: RwSignal::new(false),
            reading: StoredValue::new(false),
            again: StoredValue::new(false),
            last_read_ms: StoredValue::new(0.0),
        }
    }

    /// Starts reading the facts unless they are read or being read, and reads them again
    /// whenever records change while the page lives.
    pub fn ensure(self, svc: Services) {
        if self.load.get_untracked() != Load::Idle {
            return;
        }
        self.read(svc);
        Effect::new(move |first: Option<()>| {
            svc.remote_rev.track();
            svc.local_rev.track();
            if first.is_some() {
                self.read(svc);
            }
        });
    }

    fn read(self, svc: Services) {
        if self.reading.get_value() {
            self.again.set_value(true);
            return;
        }
        self.reading.set_value(true);
        let first = self.facts.with_value(|f| f.is_none());
        if first {
            self.load.set(Load::Reading { profiles: 0, items: 0 });
        } else {
            self.refreshing.set(true);
        }
        leptos::task::spawn_local(async move {
            loop {
                self.again.set_value(false);
                let started = elapsed_ms();
                let local = local_day(utc_offset_minutes());
                let got = match svc.archive() {
                    Ok(a) => {
                        read_facts(&a, today(), &local, move |profiles, items, _| {
                            if first {
                                self.load.try_set(Load::Reading { profiles, items });
                            }
                        })
                        .await
                    }
                    Err(e) => Err(e),
                };
                self.last_read_ms.try_set_value(elapsed_ms() - started);
                match got {
                    Ok(f) => {
                        self.facts.try_set_value(Some(Arc::new(f)));
                        self.load.try_set(Load::Ready);
                        self.rev.try_update(|r| *r += 1);
                    }
                    Err(e) if first => {
                        self.load.try_set(Load::Failed(e));
                    }
                    // A failed reading after a change keeps the figures shown.
                    Err(e) => web_sys::console::warn_1(&format!("overview: {e}").into()),
                }
                if !self.again.try_get_value().unwrap_or(false) {
                    break;
                }
            }
            self.reading.try_set_value(false);
            self.refreshing.try_set(false);
        });
    }

    /// The facts, if read (tracking [`Overview::rev`] inside a reactive closure).
    pub fn facts(self) -> Option<Arc<Facts>> {
        self.rev.track();
        self.facts.get_value()
    }
}

impl Default for Overview {
    fn default() -> Overview {
        Overview::new()
    }
}
