//! Backups as the settings screen offers them: the whole archive with this device's settings in
//! one file, and a restore that merges a file and fills in the settings this device lacks.

use super::archive::{Restored, Services, StoreError};
use super::prefs;
use crate::domain::i18n::Locale;
use crate::domain::transfer::backup::{Backup, BackupSettings};
use crate::platform::clock::now_ms;

/// The archive as a backup (every record's merge state; settings without secrets).
pub async fn make(svc: Services, language: Locale) -> Result<Backup, StoreError> {
    let records = svc.backup_records().await?;
    let settings = BackupSettings::of(language, &prefs::sync_config());
    Ok(Backup::new(now_ms(), &svc.device(), settings, records))
}

/// Merges a backup into the archive, then its settings where this device has none. The language
/// to switch to, if the backup brings one to a device that had no archive.
pub async fn restore(svc: Services, b: &Backup, language: Locale) -> Result<(Restored, Option<Locale>), StoreError> {
    let was_empty = svc.with_index_untracked(|ix| ix.is_empty());
    let r = svc.restore(&b.records).await?;
    let merge = b.settings.merge_into(&prefs::sync_config(), language, was_empty);
    if let Some(cfg) = &merge.sync {
        prefs::set_sync_config(cfg);
        // The desk module runs sync: it reads the restored settings and connects.
        super::bridge::send(super::bridge::Note::SyncConfigured);
    }
    Ok((r, merge.language))
}
