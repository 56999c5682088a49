//! The manager's views' data (经营): the archive reduced to [`Facts`] (`domain::overview`), read
//! a slice at a time with the page painting between slices, kept while the page lives (the
//! office module's services), and read again when records change: a pull from another device, a
//! write in another tab or on this one. The figures themselves are computed by the domain on
//! demand; the screens only choose what to ask.

use super::archive::{Services, StoreError};
use crate::domain::date::Date;
use crate::domain::model::Millis;
use crate::domain::model::{CustomerClass, Profile};
use crate::domain::overview::abc::{self, Analysis, Before, Spec};
use crate::domain::overview::facts::Facts;
use crate::platform::clock::{elapsed_ms, today, utc_offset_minutes, yield_now};
use crate::store::{Archive, Slice};
use leptos::prelude::*;
use std::collections::HashMap;
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
    /// Applying an ABC analysis, and its undo: page-long, so leaving the screen (or the screen
    /// drawn again when the facts are read again after the write) loses neither.
    pub apply: RwSignal<ApplyState>,
}

/// Where applying an ABC analysis stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ApplyState {
    Idle,
    Confirming,
    Writing {
        done: usize,
        of: usize,
    },
    /// Applied: what the profiles held before, for the undo.
    Done {
        before: Arc<Vec<Before>>,
    },
    Undoing,
    Undone(usize),
    Failed(String),
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
                    facts.add_profile(p, today, local);
                }
            }
            Slice::History(hs) => {
                items += hs.len();
                for h in &hs {
                    facts.add_history(h);
                }
            }
            // Not read by this reading (`Reading::ledger` reads them).
            Slice::Ledger(_) => {}
        }
        progress(profiles, items, elapsed_ms() - started);
        yield_now().await;
    }
    // Documents' kinds count toward completeness (their descriptions, read once).
    let started = elapsed_ms();
    for d in a.all_documents().await? {
        facts.add_document(&d);
    }
    facts.sort();
    progress(profiles, items, elapsed_ms() - started);
    Ok(facts)
}

impl Overview {
    /// The overview of `svc`'s archive, created under the page-long owner of the office module's
    /// services: once read, its facts are read again whenever records change (a pull, another
    /// tab, a save here), whichever screen is shown.
    pub fn new(svc: Services) -> Overview {
        let ov = Overview {
            facts: StoredValue::new_local(None),
            load: RwSignal::new(Load::Idle),
            rev: RwSignal::new(0),
            refreshing: RwSignal::new(false),
            reading: StoredValue::new(false),
            again: StoredValue::new(false),
            last_read_ms: StoredValue::new(0.0),
            apply: RwSignal::new(ApplyState::Idle),
        };
        Effect::new(move |first: Option<()>| {
            svc.remote_rev.track();
            svc.local_rev.track();
            if first.is_some() && ov.load.get_untracked() != Load::Idle {
                ov.read(svc);
            }
        });
        ov
    }

    /// Starts reading the facts unless they are read or being read.
    pub fn ensure(self, svc: Services) {
        if self.load.get_untracked() == Load::Idle {
            self.read(svc);
        }
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
                        // Set only when it changes: the screens are drawn again on `rev`.
                        if self.load.get_untracked() != Load::Ready {
                            self.load.try_set(Load::Ready);
                        }
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

/// Writes an ABC analysis as each ranked customer's grade (and class, through `classes` when the
/// manager confirmed a mapping), all in one transaction; returns what each profile held before,
/// for the undo.
pub async fn apply_abc(
    svc: Services,
    facts: &Facts,
    analysis: &Analysis,
    spec: &Spec,
    classes: Option<[CustomerClass; 3]>,
    progress: &dyn Fn(usize),
) -> Result<Vec<Before>, StoreError> {
    let mut profiles: HashMap<String, Profile> =
        svc.all_profiles().await?.into_iter().filter(|p| !p.is_deleted()).map(|p| (p.id.clone(), p)).collect();
    let (on, by) = (today(), svc.session.staff());
    let local = local_day(utc_offset_minutes());
    let mut before = Vec::with_capacity(analysis.rows.len());
    let mut updates = Vec::with_capacity(analysis.rows.len());
    for (rank, row) in analysis.rows.iter().enumerate() {
        let Some(mut p) = profiles.remove(&facts.customer(row.who).id) else { continue };
        before.push(Before::of(&p));
        abc::apply_to(&mut p, analysis.grade(spec, rank, on, &by), classes.as_ref(), &local);
        updates.push(p);
    }
    svc.save_many(updates, progress).await?;
    Ok(before)
}

/// Puts back the grades and classes an applied analysis replaced (other fields as they are now).
pub async fn undo_abc(svc: Services, before: &[Before], progress: &dyn Fn(usize)) -> Result<usize, StoreError> {
    let mut profiles: HashMap<String, Profile> =
        svc.all_profiles().await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    let updates: Vec<Profile> = before
        .iter()
        .filter_map(|b| {
            let mut p = profiles.remove(&b.id)?;
            b.restore(&mut p);
            Some(p)
        })
        .collect();
    svc.save_many(updates, progress).await
}
