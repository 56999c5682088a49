//! A customer's account in the application layer (issue 17): its entries read with the
//! approvals that stand (signed decisions on `Scope::Entry` requests), the limit and terms that
//! apply (the profile's own, else its class's in the policy), recording an entry (a consignment
//! movement checked against the stock first; an adjustment or count asking for approval in the
//! same breath), reversals, and consignment items. The rules are `domain::ledger`'s.

use super::archive::Services;
use super::governance::{grants, GovError};
use crate::domain::governance::grant::{entry_decisions, Request, Scope};
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::ledger::credit::{self, Limit};
use crate::domain::ledger::stock::{self, Item, Refusal};
use crate::domain::ledger::{Account, Body, Entry};
use crate::domain::model::{format_fen, Meta, Profile};
use crate::domain::transfer::ledger::{entry_id, Known, LedgerRow};
use crate::domain::Date;
use crate::platform::clock::now_ms;
use crate::platform::ids::new_id;
use crate::store::StoreError;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// Why an entry was not recorded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LedgerError {
    /// A consignment movement would take a stock below zero; nothing was saved.
    #[error("stock would be negative")]
    Negative(Refusal),
    /// The entry it reverses is reversed already, is a reversal, or is not there.
    #[error("cannot be reversed")]
    NotReversible,
    #[error(transparent)]
    Gov(#[from] GovError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An entry just recorded and the approval request it made (an adjustment, a count).
pub type Recorded = (Entry, Option<Request>);

/// One customer's account as the screens show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Book {
    pub profile: Profile,
    /// In the account's order.
    pub entries: Vec<Entry>,
    pub account: Account,
    /// Entries approved, and refused, by an administrator.
    pub approved: HashSet<String>,
    pub refused: HashSet<String>,
    /// The requests still waiting for a decision, by entry id.
    pub waiting: std::collections::HashMap<String, Request>,
    /// The credit limit and payment terms that apply.
    pub limit: Limit,
    pub terms: u16,
}

impl Book {
    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entry of a posting.
    pub fn entry_of_post(&self, post: u32) -> &Entry {
        &self.entries[self.account.posts[post as usize].entry as usize]
    }

    /// This book with `e` recorded (and the approval it asked for): what the screen shows at
    /// once, before the archive is read again.
    pub fn with(&self, (e, asked): Recorded) -> Book {
        let mut b = self.clone();
        if let Some(r) = asked {
            b.waiting.insert(e.id.clone(), r);
        }
        b.entries.push(e);
        b.entries.sort_by(Entry::order);
        b.account = Account::of(&b.entries, &|id| b.approved.contains(id));
        b
    }

    /// Whether the entry may be reversed: it counts, moves money or stock, and is no reversal.
    pub fn reversible(&self, i: usize) -> bool {
        let e = &self.entries[i];
        self.account.standing[i] == crate::domain::ledger::Standing::Counts
            && !matches!(e.body, Body::Reversal { .. })
            && (!e.body.needs_approval() || self.approved.contains(&e.id))
    }
}

/// What an entry is, in a line of words (the approval request shows it).
pub fn summary(e: &Entry, l: Locale) -> String {
    let kind = l.t(e.body.kind().msg());
    let amount = e.body.effect();
    let detail = match &e.body {
        Body::Adjustment { reason, .. } | Body::Reversal { reason, .. } => reason.clone(),
        Body::Consignment { movement, .. } => l.t(movement.msg()).to_string(),
        other => other.doc().to_string(),
    };
    fill(l.t(Msg::LedSummary), &[&e.date, &kind, &format_fen(amount), &detail])
}

impl Services {
    /// The account of profile `id` (`None` when there is no such profile).
    pub async fn book(self, id: &str) -> Result<Option<Book>, LedgerError> {
        let archive = self.archive()?;
        let Some(profile) = archive.get_profile(id).await? else { return Ok(None) };
        let mut entries = archive.ledger_of(id).await?;
        // A survivor of a merge holds the accounts of the profiles merged into it.
        for other in &profile.merged_from {
            entries.extend(archive.ledger_of(other).await?);
        }
        let (mut approved, mut refused) = (HashSet::new(), HashSet::new());
        let mut waiting = std::collections::HashMap::new();
        if entries.iter().any(|e| e.body.needs_approval()) {
            let asked = self.asked().await?;
            (approved, refused) = entry_decisions(&asked);
            for a in asked.into_iter().filter(|a| a.decision.is_none()) {
                if let Scope::Entry { entry, .. } = &a.request.scope {
                    waiting.insert(entry.clone(), a.request.clone());
                }
            }
        }
        let account = Account::of(&entries, &|id| approved.contains(id));
        let defaults = self.session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.credit.clone()));
        let (limit, terms) = credit::terms_for(&profile, &defaults.unwrap_or_default());
        Ok(Some(Book { profile, entries, account, approved, refused, waiting, limit, terms }))
    }

    /// A new entry of `profile` on `date`, recorded by the signed-in person now.
    pub fn new_entry(self, profile: &str, date: Date, body: Body, note: &str) -> Entry {
        Entry {
            id: new_id(),
            profile_id: profile.to_string(),
            date,
            body,
            note: note.trim().to_string(),
            meta: Meta::new(now_ms(), &self.session.staff()),
        }
    }

    /// Records `e` in `book`'s account: a consignment movement is refused when it would take a
    /// stock below zero; an entry needing approval (an adjustment, a count) is recorded and
    /// asked for at once. Returns the entry and the request it made (for an administrator at
    /// this tablet).
    pub async fn record_entry(self, book: &Book, e: Entry, l: Locale) -> Result<Recorded, LedgerError> {
        if matches!(e.body, Body::Consignment { .. }) {
            if let Err(mut r) = stock::admit(&book.entries, &e, &|id| book.approved.contains(id)) {
                // Named as staff know the item: its code and name.
                r.item = stock::label_of(&self.items().await?, &r.item);
                return Err(LedgerError::Negative(r));
            }
        }
        let archive = self.archive()?;
        archive.put_entry(&e).await?;
        let request = if e.body.needs_approval() { Some(self.ask_approval(&e, l).await?) } else { None };
        self.local_rev.update(|n| *n += 1);
        self.tell_other_tabs();
        Ok((e, request))
    }

    /// Asks an administrator to approve entry `e` (an adjustment or a count): as it is recorded,
    /// or again from the ledger when the first request could not be written.
    pub async fn ask_approval(self, e: &Entry, l: Locale) -> Result<Request, LedgerError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        let scope = Scope::Entry { profile: e.profile_id.clone(), entry: e.id.clone(), summary: summary(e, l) };
        let request = grants::ask(&*self.archive()?, &me, scope, &summary(e, l), now_ms()).await?;
        self.gov_rev.update(|n| *n += 1);
        Ok(request)
    }

    /// Records a sale past the credit limit (`why`: the check's words). An administrator signed
    /// in saves it in their own name; for anyone else `approver` (an administrator at this
    /// tablet, id and PIN) approves it first: the clerk's request and the administrator's signed
    /// approval are written, then the sale with who allowed it. A wrong PIN saves nothing.
    pub async fn record_over_limit(
        self,
        book: &Book,
        mut e: Entry,
        why: &str,
        approver: Option<(&str, &str)>,
        l: Locale,
    ) -> Result<Entry, LedgerError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        let by = if me.staff.role.is_admin() {
            me.staff.clone()
        } else {
            let (admin, pin) = approver.ok_or(GovError::NotEntitled)?;
            let archive = self.archive()?;
            let roster = match self.session.roster.get_untracked() {
                Some(r) => r,
                None => super::governance::roster(&archive).await?,
            };
            let approving = super::governance::sign_in(&archive, &roster, admin, pin, now_ms()).await?;
            let scope = Scope::Entry { profile: e.profile_id.clone(), entry: e.id.clone(), summary: summary(&e, l) };
            let request = grants::ask(&archive, &me, scope, why, now_ms()).await?;
            let answer = grants::Answer::Approve { hours: roster.policy.grant_hours };
            grants::decide(&archive, &roster, &approving, &request, answer, now_ms()).await?;
            approving.staff
        };
        if let Body::Sale { override_, .. } = &mut e.body {
            *override_ = Some(crate::domain::ledger::Override { by: by.id, by_name: by.name, reason: why.to_string() });
        }
        self.record_entry(book, e, l).await.map(|(e, _)| e)
    }

    /// Reverses entry `i` of `book` with a reason, dated today (or the entry's own day if later).
    pub async fn reverse(self, book: &Book, i: usize, reason: &str, today: Date, l: Locale) -> Result<(), LedgerError> {
        if i >= book.entries.len() || !book.reversible(i) {
            return Err(LedgerError::NotReversible);
        }
        let of = &book.entries[i];
        let body =
            Body::Reversal { of: of.id.clone(), amount_fen: -of.body.effect(), reason: reason.trim().to_string() };
        let e = self.new_entry(&of.profile_id, today.max(of.date), body, "");
        self.record_entry(book, e, l).await.map(|_| ())
    }

    /// What the archive holds for the customers a ledger sheet names (their terms and entries),
    /// for [`crate::domain::transfer::ledger::settle`]. `progress` hears how many are read.
    pub async fn known_accounts(
        self,
        ids: &[String],
        progress: &dyn Fn(usize),
    ) -> Result<HashMap<String, Known>, StoreError> {
        let archive = self.archive()?;
        let defaults = self.session.roster.with_untracked(|r| r.as_ref().map(|r| r.policy.credit.clone()));
        let defaults = defaults.unwrap_or_default();
        let mut out = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let Some(profile) = archive.get_profile(id).await? else { continue };
            let terms = credit::terms_for(&profile, &defaults).1;
            out.insert(id.clone(), Known { terms, entries: archive.ledger_of(id).await? });
            if i % 50 == 49 {
                progress(i + 1);
            }
        }
        Ok(out)
    }

    /// Records the rows of a ledger sheet that [`LedgerRow::records`] in one transaction (an
    /// administrator only: opening balances and invoices bypass the desk's credit check). Each
    /// entry's id is made from its row ([`entry_id`]), so the same sheet imported on two devices
    /// counts once. Returns how many were recorded and their total (fen).
    pub async fn import_entries(self, rows: &[LedgerRow]) -> Result<(usize, i64), LedgerError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        if !me.staff.role.is_admin() {
            return Err(GovError::NotEntitled.into());
        }
        let now = now_ms();
        let staff = self.session.staff();
        let entries: Vec<Entry> = rows
            .iter()
            .filter(|r| r.records())
            .filter_map(|r| {
                let (date, body) = r.body()?;
                let profile_id = r.customer.as_ref()?.id.clone();
                Some(Entry {
                    id: entry_id(&r.key()),
                    profile_id,
                    date,
                    body,
                    note: String::new(),
                    meta: Meta::new(now, &staff),
                })
            })
            .collect();
        let total = entries.iter().map(|e| e.body.effect()).fold(0i64, i64::saturating_add);
        if entries.is_empty() {
            return Ok((0, 0));
        }
        self.archive()?.put_entries(&entries).await?;
        self.record_access(crate::domain::governance::chain::Entry {
            kind: Some(crate::domain::governance::chain::EventKind::Import),
            detail: format!("ledger {} {}", entries.len(), total),
            ..Default::default()
        });
        self.local_rev.update(|n| *n += 1);
        self.tell_other_tabs();
        Ok((entries.len(), total))
    }

    /// Every consignment item, by code.
    pub async fn items(self) -> Result<Vec<Item>, StoreError> {
        let mut items = self.archive()?.items().await?;
        items.sort_by(|a, b| a.code.cmp(&b.code).then(a.name.cmp(&b.name)));
        Ok(items)
    }

    /// Saves a consignment item (created or changed): the catalog is the administrators'.
    pub async fn save_item(self, mut item: Item) -> Result<Item, LedgerError> {
        if !self.session.role().is_some_and(|r| r.is_admin()) {
            return Err(GovError::NotEntitled.into());
        }
        if item.id.is_empty() {
            item.id = new_id();
            item.meta = Meta::new(now_ms(), &self.session.staff());
        }
        item.meta.stamp_save(now_ms(), &self.session.staff());
        self.archive()?.put_item(&item).await?;
        self.local_rev.update(|n| *n += 1);
        self.tell_other_tabs();
        Ok(item)
    }
}
