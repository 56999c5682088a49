//! The services the UI calls by name (ports and adapters): every change to the archive goes
//! through [`Services`], which validates, stamps who and when, writes through the storage API and
//! keeps the in-memory search index in step. Components never touch storage directly.

use crate::domain::date::Date;
use crate::domain::dupes::{find_duplicates, Duplicate};
use crate::domain::i18n::{Locale, Msg};
use crate::domain::model::*;
use crate::domain::search::SearchIndex;
use crate::domain::validate::{validate_history, validate_profile, ArchiveContext, FieldError};
use crate::store::{Archive, StoreError};
use leptos::prelude::*;
use std::rc::Rc;

/// Entries written to the journal before the start-up snapshot is rewritten.
const COMPACT_AFTER: usize = 200;

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveError {
    /// The record has errors; nothing was written.
    Invalid(Vec<FieldError>),
    /// Storage failed; nothing was written (transactions roll back).
    Store(StoreError),
}

/// Where the archive stands while the app starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Opening,
    Ready,
    Failed(StoreError),
}

/// App-wide data services, shared through context. `Copy`: every field is a handle.
#[derive(Clone, Copy)]
pub struct Services {
    archive: StoredValue<Option<Rc<Archive>>, LocalStorage>,
    index: StoredValue<SearchIndex, LocalStorage>,
    journal: StoredValue<usize, LocalStorage>,
    /// Bumped whenever the index changes, so views that read it re-run.
    pub index_rev: RwSignal<u64>,
    pub phase: RwSignal<Phase>,
}

/// The current time in Unix milliseconds.
pub fn now_ms() -> Millis {
    js_sys::Date::now() as Millis
}

/// Today's date in the device's time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::new(d.get_full_year() as u16, d.get_month() as u8 + 1, d.get_date() as u8)
        .unwrap_or_else(|| Date::from_millis(now_ms()))
}

/// A new record id: time-ordered, with 64 random bits from the browser's CSPRNG.
pub fn new_id() -> String {
    let mut buf = [0u8; 8];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut buf);
    } else {
        buf = (js_sys::Math::random().to_bits()).to_le_bytes();
    }
    format!("{:011x}{:016x}", now_ms(), u64::from_le_bytes(buf))
}

impl Services {
    /// Services with no archive open yet.
    pub fn new() -> Services {
        Services {
            archive: StoredValue::new_local(None),
            index: StoredValue::new_local(SearchIndex::default()),
            journal: StoredValue::new_local(0),
            index_rev: RwSignal::new(0),
            phase: RwSignal::new(Phase::Opening),
        }
    }

    /// Opens the archive database and loads the search index.
    pub async fn open(self, db_name: &str) {
        self.phase.set(Phase::Opening);
        let result = async {
            let archive = Archive::open(db_name).await?;
            let (index, _stats) = archive.load_index().await?;
            let journal = archive.journal_len().await?;
            Ok::<_, StoreError>((archive, index, journal))
        }
        .await;
        match result {
            Ok((archive, index, journal)) => {
                self.archive.set_value(Some(Rc::new(archive)));
                self.index.set_value(index);
                self.journal.set_value(journal);
                self.index_rev.update(|r| *r += 1);
                self.phase.set(Phase::Ready);
            }
            Err(e) => self.phase.set(Phase::Failed(e)),
        }
    }

    fn archive(self) -> Result<Rc<Archive>, StoreError> {
        self.archive.get_value().ok_or(StoreError::Unavailable)
    }

    /// Reads the index (tracking changes when called inside a reactive closure).
    pub fn with_index<R>(self, f: impl FnOnce(&SearchIndex) -> R) -> R {
        self.index_rev.track();
        self.index.with_value(f)
    }

    /// Reads the index without tracking.
    pub fn with_index_untracked<R>(self, f: impl FnOnce(&SearchIndex) -> R) -> R {
        self.index.with_value(f)
    }

    /// Validation problems of `p` against the rest of the archive.
    pub fn validate(self, p: &Profile) -> Vec<FieldError> {
        self.index.with_value(|ix| {
            let code_owner = |code: &str| ix.code_owner(code, &p.id).map(|e| e.display_name().to_string());
            let exists = |id: &str| ix.get(id).is_some_and(|e| e.deleted_at.is_none());
            validate_profile(p, &ArchiveContext { today: today(), code_owner: &code_owner, profile_exists: &exists })
        })
    }

    /// Possible duplicates of a new profile.
    pub fn duplicates(self, p: &Profile) -> Vec<Duplicate> {
        self.index.with_value(|ix| find_duplicates(p, ix, 5))
    }

    /// The id of the live profile with this customer code.
    pub fn id_by_code(self, code: &str) -> Option<String> {
        self.index.with_value(|ix| ix.by_code(code).map(|e| e.id.clone()))
    }

    /// Reads a profile.
    pub async fn profile(self, id: &str) -> Result<Option<Profile>, StoreError> {
        self.archive()?.get_profile(id).await
    }

    /// A profile's live history, newest first.
    pub async fn history(self, id: &str) -> Result<Vec<HistoryItem>, StoreError> {
        Ok(self.archive()?.history_of(id).await?.into_iter().filter(|h| h.meta.deleted_at.is_none()).collect())
    }

    /// Validates and saves a profile (new or edited) as `staff`. Nothing is written when it is
    /// invalid or when storage fails.
    pub async fn save_profile(self, mut p: Profile, staff: &str) -> Result<Profile, SaveError> {
        let errors = self.validate(&p);
        if !errors.is_empty() {
            return Err(SaveError::Invalid(errors));
        }
        p.meta.stamp_save(now_ms(), staff);
        self.write(&p).await.map_err(SaveError::Store)?;
        Ok(p)
    }

    /// Soft-deletes a profile: it moves to the "deleted" view.
    pub async fn delete_profile(self, mut p: Profile, staff: &str) -> Result<Profile, StoreError> {
        let now = now_ms();
        p.meta.touch(now, staff);
        p.meta.deleted_at = Some(now);
        self.write(&p).await?;
        Ok(p)
    }

    /// Restores a soft-deleted profile.
    pub async fn restore_profile(self, id: &str, staff: &str) -> Result<(), StoreError> {
        let Some(mut p) = self.archive()?.get_profile(id).await? else {
            return Ok(());
        };
        p.meta.touch(now_ms(), staff);
        p.meta.deleted_at = None;
        self.write(&p).await
    }

    async fn write(self, p: &Profile) -> Result<(), StoreError> {
        let archive = self.archive()?;
        let entry = archive.put_profile(p).await?;
        self.index.update_value(|ix| ix.upsert(entry));
        self.index_rev.update(|r| *r += 1);
        let pending = self.journal.get_value() + 1;
        self.journal.set_value(pending);
        if pending >= COMPACT_AFTER {
            // Keep start-up fast: fold the journal into a new snapshot. A failure here loses
            // nothing (the journal stays), so it is only logged.
            let result = self.index.with_value(|ix| {
                let archive = archive.clone();
                let ix = ix.clone();
                async move { archive.write_snapshot(&ix).await }
            });
            match result.await {
                Ok(()) => self.journal.set_value(0),
                Err(e) => web_sys::console::warn_1(&format!("snapshot not written: {e}").into()),
            }
        }
        Ok(())
    }

    /// Validates and saves a history item.
    pub async fn save_history(self, mut h: HistoryItem, staff: &str) -> Result<HistoryItem, SaveError> {
        let errors = validate_history(&h, today());
        if !errors.is_empty() {
            return Err(SaveError::Invalid(errors));
        }
        h.meta.stamp_save(now_ms(), staff);
        self.archive().map_err(SaveError::Store)?.put_history(&h).await.map_err(SaveError::Store)?;
        Ok(h)
    }
}

impl Default for Services {
    fn default() -> Services {
        Services::new()
    }
}

/// The headline of a storage error in a language.
pub fn store_error_text(e: &StoreError, l: Locale) -> String {
    match e {
        StoreError::QuotaExceeded => l.t(Msg::ErrQuota).to_string(),
        other => format!("{}: {other}", l.t(other.msg())),
    }
}
