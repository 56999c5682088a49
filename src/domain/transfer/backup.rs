//! A full backup: every record's merge state (its current value, every field write with who,
//! when and on which device, kept conflicts: the change log) and the settings without secrets.
//! Restoring merges each record's writes like changes from another device, so restoring into an
//! empty archive gives the same records, and restoring into a used one loses nothing of either.

use crate::domain::i18n::Locale;
use crate::domain::sync::config::SyncConfig;
use crate::domain::sync::records::materialize;
use crate::domain::sync::{RecordKey, RecordState};
use serde::{Deserialize, Serialize};

/// The format name written into every backup.
pub const FORMAT: &str = "dangan-backup";
pub const VERSION: u32 = 1;

/// Settings worth keeping (never the sync token or the encryption passphrase).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupSettings {
    pub language: String,
    pub sync_url: String,
    pub sync_archive: String,
}

impl BackupSettings {
    /// What a backup keeps of this device's settings: the language and where it syncs, never the
    /// token or the passphrase.
    pub fn of(language: Locale, sync: &SyncConfig) -> BackupSettings {
        BackupSettings {
            language: language.tag().into(),
            sync_url: sync.url.clone(),
            sync_archive: sync.archive.clone(),
        }
    }

    /// What restoring these settings changes on a device: they fill only what it has not set. The
    /// sync endpoint and archive when it has neither (its token stays to be entered), the language
    /// only on a device that had no archive yet.
    pub fn merge_into(&self, current: &SyncConfig, language: Locale, archive_was_empty: bool) -> SettingsMerge {
        let sync = (current.url.is_empty() && current.archive.is_empty()).then(|| SyncConfig {
            url: self.sync_url.clone(),
            archive: self.sync_archive.clone(),
            ..current.clone()
        });
        let lang = Locale::from_tag(&self.language);
        let language = (archive_was_empty && !self.language.is_empty() && lang != language).then_some(lang);
        SettingsMerge { sync, language }
    }
}

/// The settings a restore changes (`None`: left as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsMerge {
    pub sync: Option<SyncConfig>,
    pub language: Option<Locale>,
}

/// One record of the backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BackupRecord {
    pub key: RecordKey,
    pub state: RecordState,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    /// When it was made (Unix ms) and on which device.
    pub created_at: i64,
    pub device: String,
    pub profiles: usize,
    pub history: usize,
    pub settings: BackupSettings,
    pub records: Vec<BackupRecord>,
}

/// Why a file is not a backup Dangan can restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupError {
    NotJson(String),
    NotABackup,
    NewerVersion(u32),
    /// A record whose state does not describe a record of its kind.
    BadRecord(String),
}

impl Backup {
    pub fn new(created_at: i64, device: &str, settings: BackupSettings, records: Vec<BackupRecord>) -> Backup {
        use crate::domain::sync::RecordKind;
        let profiles = records.iter().filter(|r| r.key.kind == RecordKind::Profile).count();
        Backup {
            format: FORMAT.into(),
            version: VERSION,
            created_at,
            device: device.into(),
            profiles,
            history: records.len() - profiles,
            settings,
            records,
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a backup serialises")
    }

    /// Reads and checks a backup: its format, its version, and that every record materialises
    /// into a profile or history item. A file failing any check restores nothing.
    pub fn parse(bytes: &[u8]) -> Result<Backup, BackupError> {
        let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| BackupError::NotJson(e.to_string()))?;
        if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(BackupError::NotABackup);
        }
        let version = v.get("version").and_then(|x| x.as_u64()).unwrap_or(0) as u32;
        if version > VERSION {
            return Err(BackupError::NewerVersion(version));
        }
        let b: Backup = serde_json::from_value(v).map_err(|_| BackupError::NotABackup)?;
        for r in &b.records {
            if !r.key.kind.describes(materialize(&r.state), &r.key.id) {
                return Err(BackupError::BadRecord(r.key.id.clone()));
            }
        }
        Ok(b)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::sync::Replica;
    use crate::testdata;

    #[test]
    fn a_backup_checks_what_it_restores() {
        let p = testdata::profile(7, 1, 1_763_856_000_000);
        let key = RecordKey::profile(&p.id);
        let mut r = Replica::new("dev1");
        r.save(&key, &serde_json::to_value(&p).unwrap(), "t", 1_763_856_000_500).unwrap();
        let b = Backup::new(
            1,
            "dev1",
            BackupSettings::default(),
            vec![BackupRecord { key: key.clone(), state: r.records[&key].clone() }],
        );
        let back = Backup::parse(&b.to_json()).unwrap();
        assert_eq!(back, b);
        assert_eq!((back.profiles, back.history), (1, 0));
        assert!(matches!(Backup::parse(b"{\"format\":\"x\"}"), Err(BackupError::NotABackup)));
        assert!(matches!(Backup::parse(b"not json"), Err(BackupError::NotJson(_))));
        let newer = String::from_utf8(b.to_json()).unwrap().replace("\"version\":1", "\"version\":9");
        assert_eq!(Backup::parse(newer.as_bytes()), Err(BackupError::NewerVersion(9)));
        let mut wrong = b.clone();
        wrong.records[0].key.id = "someone-else".into();
        assert!(matches!(Backup::parse(&wrong.to_json()), Err(BackupError::BadRecord(_))));
    }

    #[test]
    fn restored_settings_fill_only_what_the_device_has_not_set() {
        let mine = SyncConfig { token: "dgn_x".into(), passphrase: "secret phrase".into(), ..SyncConfig::default() };
        let kept = BackupSettings::of(
            Locale::En,
            &SyncConfig { url: "https://a".into(), archive: "h1".into(), ..mine.clone() },
        );
        assert_eq!(
            (kept.sync_url.as_str(), kept.sync_archive.as_str(), kept.language.as_str()),
            ("https://a", "h1", "en")
        );
        let m = kept.merge_into(&mine, Locale::Zh, true);
        let sync = m.sync.unwrap();
        assert_eq!((sync.url.as_str(), sync.archive.as_str(), sync.token.as_str()), ("https://a", "h1", "dgn_x"));
        assert_eq!(m.language, Some(Locale::En));
        let set_up = SyncConfig { url: "https://b".into(), ..mine };
        assert_eq!(
            kept.merge_into(&set_up, Locale::Zh, false),
            SettingsMerge::default(),
            "a device in use keeps its own"
        );
        assert_eq!(kept.merge_into(&set_up, Locale::En, true).language, None, "already that language");
    }
}
