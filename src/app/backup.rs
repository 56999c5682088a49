//! Backups as the settings screen offers them: the whole archive with this device's settings in
//! one file, and a restore that merges a file and fills in the settings this device lacks.

use super::archive::{Restored, Services, StoreError};
use super::prefs;
use crate::domain::fields::Sensitivity;
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::{access, Access, Action};
use crate::domain::i18n::Locale;
use crate::domain::transfer::backup::{Backup, BackupSettings};
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
