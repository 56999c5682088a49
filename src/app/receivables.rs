//! The archive's receivables for the manager (应收账款, office module): every customer's name,
//! class and own credit limit (the profiles, without history) and every ledger entry in its
//! compact form, read a slice at a time with the page painting between, turned into one account
//! per customer with the approvals that stand; kept while the page lives and read again when
//! records change (as `app::overview` does for the manager's other views).

use super::archive::{Services, StoreError};
use crate::domain::governance::grant::entry_decisions;
use crate::domain::ledger::all::{Accounts, Gather};
use crate::domain::ledger::credit::{self, Limit};
use crate::domain::ledger::key_of;
use crate::domain::model::Profile;
use crate::platform::clock::{elapsed_ms, yield_now};
use crate::store::{Reading, Slice};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Where the reading stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Idle,
    /// Entries read so far.
    Reading(usize),
    Ready,
    Failed(String),
}

/// A customer as the lists show them.
#[derive(Clone, Debug, PartialEq)]
pub struct Who {
    pub name: String,
    pub code: String,
    pub limit: Limit,
}

/// What was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    pub accounts: Accounts,
    /// By profile id (customers with entries whose profile is here).
    pub who: HashMap<String, Who>,
    /// Every consignment movement, and the entries an administrator approved (a count moves
    /// stock once approved): the stock at customers' sites is made from them.
    pub consignment: Vec<crate::domain::ledger::Entry>,
    pub approved: std::collections::HashSet<String>,
}

impl Data {
    /// The customer at position `i` of the accounts, by name (their id if the profile is gone).
    pub fn name(&self, i: usize) -> String {
        let id = &self.accounts.customers[i];
        self.who.get(id).map(|w| w.name.clone()).unwrap_or_else(|| id.clone())
    }
}

#[derive(Clone, Copy)]
pub struct Receivables {
    data: StoredValue<Option<Arc<Data>>, LocalStorage>,
    pub load: RwSignal<Load>,
    /// Bumped when new data is in place.
    pub rev: RwSignal<u64>,
    pub refreshing: RwSignal<bool>,
    reading: StoredValue<bool>,
    again: StoredValue<bool>,
    /// How long the last reading took (ms), for the benchmark.
    pub last_read_ms: StoredValue<f64>,
}

impl Receivables {
    /// Created under the office module's page-long owner; once read, read again whenever
    /// records or approvals change.
    pub fn new(svc: Services) -> Receivables {
        let r = Receivables {
            data: StoredValue::new_local(None),
            load: RwSignal::new(Load::Idle),
            rev: RwSignal::new(0),
            refreshing: RwSignal::new(false),
            reading: StoredValue::new(false),
            again: StoredValue::new(false),
            last_read_ms: StoredValue::new(0.0),
        };
        Effect::new(move |first: Option<()>| {
            svc.remote_rev.track();
            svc.local_rev.track();
            svc.gov_rev.track();
            if first.is_some() && r.load.get_untracked() != Load::Idle {
                r.read(svc);
            }
        });
        r
    }

    /// Starts reading unless read or being read.
    pub fn ensure(self, svc: Services) {
        if self.load.get_untracked() == Load::Idle {
            self.read(svc);
        }
    }

    /// The data, if read (tracking [`Receivables::rev`]).
    pub fn data(self) -> Option<Arc<Data>> {
        self.rev.track();
        self.data.with_value(Clone::clone)
    }

    fn read(self, svc: Services) {
        if self.reading.get_value() {
            self.again.set_value(true);
            return;
        }
        self.reading.set_value(true);
        let first = self.data.with_value(|d| d.is_none());
        if first {
            self.load.set(Load::Reading(0));
        } else {
            self.refreshing.set(true);
        }
        leptos::task::spawn_local(async move {
            loop {
                self.again.set_value(false);
                let started = elapsed_ms();
                let got = read_all(svc, move |n| {
                    if first {
                        self.load.try_set(Load::Reading(n));
                    }
                })
                .await;
                self.last_read_ms.try_set_value(elapsed_ms() - started);
                match got {
                    Ok(d) => {
                        self.data.try_set_value(Some(Arc::new(d)));
                        if self.load.get_untracked() != Load::Ready {
                            self.load.try_set(Load::Ready);
                        }
                        self.rev.try_update(|r| *r += 1);
                    }
                    Err(e) if first => {
                        self.load.try_set(Load::Failed(e));
                    }
                    Err(e) => web_sys::console::warn_1(&format!("receivables: {e}").into()),
                }
                if !self.again.try_get_value().unwrap_or(false) {
                    break;
                }
            }
            self.reading.try_set_value(false);
            self.refreshing.try_set(false);
        });
    }
}

/// Reads the profiles (names, classes, limits under `defaults`) and every ledger entry, a slice
/// at a time, yielding to the page between slices; `progress` hears the entries read so far and
/// how long the last slice's work took (ms).
pub async fn read_parts(
    archive: &crate::store::Archive,
    defaults: &credit::Defaults,
    progress: impl Fn(usize, f64),
) -> Result<(Gather, HashMap<String, Who>), StoreError> {
    let mut who = HashMap::new();
    let mut at = Reading::profiles();
    while let Some(slice) = archive.read_slice(&mut at).await? {
        let started = elapsed_ms();
        if let Slice::Profiles(ps) = slice {
            for p in ps.iter().filter(|p: &&Profile| !p.is_deleted()) {
                let (limit, _) = credit::terms_for(p, defaults);
                who.insert(
                    p.id.clone(),
                    Who { name: p.display_name().to_string(), code: p.customer_code.clone(), limit },
                );
            }
        }
        progress(0, elapsed_ms() - started);
        yield_now().await;
    }
    let mut gather = Gather::default();
    let mut at = Reading::ledger();
    while let Some(slice) = archive.read_slice(&mut at).await? {
        let started = elapsed_ms();
        if let Slice::Ledger(es) = slice {
            for e in &es {
                gather.add(e);
            }
        }
        progress(gather.len(), elapsed_ms() - started);
        yield_now().await;
    }
    Ok((gather, who))
}

/// Reads everything and makes the accounts with the approvals that stand.
async fn read_all(svc: Services, progress: impl Fn(usize)) -> Result<Data, String> {
    use crate::app::errors::Explain;
    let l = crate::app::lang::locale();
    let archive = svc.archive().map_err(|e: StoreError| e.explain(l))?;
    let defaults =
        svc.session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.credit.clone())).unwrap_or_default();
    let (mut gather, who) = read_parts(&archive, &defaults, |n, _| progress(n)).await.map_err(|e| e.explain(l))?;
    let consignment = gather.take_consignment();
    let (approved_ids, _) = entry_decisions(&svc.asked().await.map_err(|e| e.explain(l))?);
    let approved: std::collections::HashSet<u64> = approved_ids.iter().map(|id| key_of(id)).collect();
    // Ten thousand customers' accounts at a time (about 25 ms), the page painting between.
    let mut f = gather.finishing();
    while !f.step(10_000, &|k| approved.contains(&k)) {
        yield_now().await;
    }
    Ok(Data { accounts: f.done(), who, consignment, approved: approved_ids })
}
