//! Backups as the settings screen offers them: the whole archive with this device's settings in
//! one file, and a restore that merges a file and fills in the settings this device lacks.

use super::archive::{Restored, Services, StoreError};
use super::prefs;
use crate::domain::fields::Sensitivity;
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::{access, Access, Action};
use crate::domain::i18n::Locale;
use crate::domain::transfer::backup::{Backup, BackupSettings};
use crate::domain::transfer::bundle::{self, Bundle};
use crate::platform::clock::now_ms;
use leptos::prelude::*;

/// Whether the signed-in person may make or restore a backup: administrators (the access table
/// asks ordinary users to request it), and anyone before the archive has staff (a new device
/// restoring an archive kept elsewhere).
pub fn may_back_up(svc: Services) -> bool {
    match svc.session.who.get_untracked() {
        Some(s) => access(s.role, Sensitivity::Public, Action::Backup) == Access::Show,
        None => svc.session.roster.with_untracked(|r| !r.as_ref().is_some_and(|r| r.is_set_up())),
    }
}

/// The archive as a backup (every record's merge state; settings without secrets).
pub async fn make(svc: Services, language: Locale) -> Result<Backup, StoreError> {
    if !may_back_up(svc) {
        return Err(StoreError::Db("only administrators make backups".into()));
    }
    let records = svc.backup_records().await?;
    let settings = BackupSettings::of(language, &prefs::sync_config());
    let b = Backup::new(now_ms(), &svc.device(), settings, records);
    svc.record_access(Entry {
        kind: Some(EventKind::Backup),
        detail: format!("{} {}", b.profiles, b.history),
        ..Entry::default()
    });
    Ok(b)
}

/// Merges a backup into the archive, then its settings where this device has none. The language
/// to switch to, if the backup brings one to a device that had no archive.
pub async fn restore(svc: Services, b: &Backup, language: Locale) -> Result<(Restored, Option<Locale>), StoreError> {
    if !may_back_up(svc) {
        return Err(StoreError::Db("only administrators restore backups".into()));
    }
    let was_empty = svc.with_index_untracked(|ix| ix.is_empty());
    let r = svc.restore(&b.records).await?;
    svc.record_access(Entry {
        kind: Some(EventKind::Restore),
        detail: format!("{} {}", r.records, r.unchanged),
        ..Entry::default()
    });
    let merge = b.settings.merge_into(&prefs::sync_config(), language, was_empty);
    if let Some(cfg) = &merge.sync {
        prefs::set_sync_config(cfg);
        // The desk module runs sync: it reads the restored settings and connects.
        super::bridge::send(super::bridge::Note::SyncConfigured);
    }
    Ok((r, merge.language))
}

/// What a backup with files holds of the documents' originals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilesIncluded {
    pub files: usize,
    pub bytes: u64,
    /// Originals neither here nor to be fetched now (offline, or not sent yet by their device).
    pub missing: usize,
}

/// The archive as a backup with every document's original (a ZIP): those not on this device are
/// fetched from the endpoint first (`sync`).
pub async fn make_with_files(
    svc: Services,
    sync: super::sync::Sync,
    language: Locale,
) -> Result<(Backup, Vec<u8>, FilesIncluded), StoreError> {
    let b = make(svc, language).await?;
    let mut zip = bundle::Writer::new(&b.to_json());
    let mut missing = 0;
    let mut seen = std::collections::HashSet::new();
    for d in svc.archive()?.all_documents().await? {
        if !seen.insert(d.hash.clone()) {
            continue;
        }
        match sync.file(&d).await {
            Ok(bytes) => zip.add(&d.hash, &bytes),
            Err(super::documents::DocError::Store(e)) => return Err(e),
            Err(_) => missing += 1,
        }
    }
    let included = FilesIncluded { files: zip.files, bytes: zip.bytes, missing };
    Ok((b, zip.finish(), included))
}

/// What a restore did with a backup's files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilesRestored {
    /// Kept here (and queued for the endpoint).
    pub added: usize,
    /// Already here.
    pub present: usize,
    /// Named by no document of the archive after the restore (a destroyed profile's).
    pub unused: usize,
    /// Damaged in the file: left out.
    pub damaged: usize,
}

/// Restores a backup with files: its records (as [`restore`]), then each file a document of the
/// archive names, checked against its hash when the ZIP was read.
pub async fn restore_bundle(
    svc: Services,
    b: &Bundle,
    language: Locale,
) -> Result<(Restored, Option<Locale>, FilesRestored), StoreError> {
    let (r, lang) = restore(svc, &b.backup, language).await?;
    let archive = svc.archive()?;
    let holders: std::collections::HashMap<String, String> =
        archive.all_documents().await?.into_iter().map(|d| (d.hash, d.id)).collect();
    let mut done = FilesRestored { damaged: b.damaged.len(), ..FilesRestored::default() };
    for (hash, bytes) in &b.files {
        match holders.get(hash) {
            Some(doc) if archive.restore_blob(hash, bytes, doc).await? => done.added += 1,
            Some(_) => done.present += 1,
            None => done.unused += 1,
        }
    }
    if done.added > 0 {
        svc.files_arrived();
    }
    Ok((r, lang, done))
}
