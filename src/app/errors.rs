//! One way to tell staff what went wrong: every error a screen can meet implements [`Explain`],
//! which gives its words in a language. Screens show `e.explain(locale())`, never `Debug` output
//! or an English technical message.

use super::archive::StoreError;
use super::sync::SyncError;
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::transfer::backup::BackupError;
use crate::domain::transfer::ImportError;
use crate::domain::validate::FieldError;
use crate::platform::crypto::CryptoError;
use crate::platform::files::FileError;
use crate::platform::worker::WorkerError;

/// An error in the clerk's words.
pub trait Explain {
    fn explain(&self, l: Locale) -> String;
}

impl Explain for StoreError {
    fn explain(&self, l: Locale) -> String {
        match self {
            StoreError::QuotaExceeded | StoreError::Unloaded => l.t(self.msg()).to_string(),
            other => format!("{}: {other}", l.t(other.msg())),
        }
    }
}

impl Explain for crate::lazy::Unloaded {
    fn explain(&self, l: Locale) -> String {
        l.t(Msg::PartFailed).to_string()
    }
}

impl Explain for SyncError {
    fn explain(&self, l: Locale) -> String {
        match self {
            SyncError::Offline => l.t(Msg::SyncErrOffline).into(),
            SyncError::Token => l.t(Msg::SyncErrToken).into(),
            SyncError::TokenExpired => l.t(Msg::SyncErrTokenExpired).into(),
            SyncError::TokenScope => l.t(Msg::SyncErrTokenScope).into(),
            SyncError::Archive => l.t(Msg::SyncErrArchive).into(),
            SyncError::Busy => l.t(Msg::SyncErrBusy).into(),
            SyncError::Server(m) => format!("{}: {m}", l.t(Msg::SyncErrServer)),
            SyncError::Answer | SyncError::NoKey => l.t(Msg::SyncErrAnswer).into(),
            SyncError::Drift { device, minutes } => {
                let device = super::prefs::device_label(device, "");
                format!("{} {device}: +{minutes} {}", l.t(Msg::SyncErrDrift), l.t(Msg::SyncErrMinutes))
            }
            SyncError::Store(e) => e.explain(l),
            SyncError::Reported(words) => words.clone(),
            SyncError::Passphrase => l.t(Msg::SyncErrPassphrase).into(),
            SyncError::NeedPassphrase => l.t(Msg::SyncErrNeedPassphrase).into(),
            SyncError::Crypto(e) => e.explain(l),
        }
    }
}

impl Explain for crate::app::ledger::LedgerError {
    fn explain(&self, l: Locale) -> String {
        use crate::app::ledger::LedgerError as E;
        match self {
            E::Negative(r) => fill(l.t(Msg::ErrNegativeStock), &[&r.item, &r.date, &r.stock]),
            E::NotReversible => l.t(Msg::ErrNotReversible).to_string(),
            E::Gov(e) => e.explain(l),
            E::Store(e) => e.explain(l),
        }
    }
}

impl Explain for crate::app::governance::GovError {
    fn explain(&self, l: Locale) -> String {
        use crate::app::governance::GovError as G;
        match self {
            G::Invalid(m) => l.t(*m).to_string(),
            G::WrongPin(n) => format!("{}{n}", l.t(Msg::SignInWrong)),
            G::Locked(until) => {
                format!("{}{}", l.t(Msg::SignInLocked), crate::platform::clock::local_time_of_day(*until as f64))
            }
            G::Store(e) => e.explain(l),
            G::KeyMissing => l.t(Msg::RevealKeyMissing).to_string(),
            G::Unloaded(_) => l.t(Msg::PartFailed).to_string(),
            other => format!("{}{other}", l.t(Msg::GovFailed)),
        }
    }
}

impl Explain for CryptoError {
    fn explain(&self, l: Locale) -> String {
        format!("{}: {self}", l.t(Msg::SyncErrCrypto))
    }
}

impl Explain for WorkerError {
    fn explain(&self, l: Locale) -> String {
        match self {
            WorkerError::Import(e) => e.message(l),
            WorkerError::NotStarted | WorkerError::Stopped => l.t(Msg::ErrWorker).into(),
            WorkerError::Failed(m) => format!("{} ({m})", l.t(Msg::ErrWorker)),
        }
    }
}

impl Explain for FileError {
    fn explain(&self, l: Locale) -> String {
        match self {
            FileError::Unreadable(m) => format!("{}: {m}", l.t(Msg::ImpReadFailed)),
            FileError::Download(m) => format!("{} ({m})", l.t(Msg::ErrDownload)),
        }
    }
}

impl Explain for BackupError {
    fn explain(&self, l: Locale) -> String {
        match self {
            BackupError::NotJson(d) => format!("{} ({d})", l.t(Msg::BackupNotJson)),
            BackupError::NotABackup => l.t(Msg::BackupNotABackup).into(),
            BackupError::NewerVersion(v) => fill(l.t(Msg::BackupNewer), &[v]),
            BackupError::BadRecord(id) => fill(l.t(Msg::BackupBadRecord), &[id]),
        }
    }
}

impl Explain for ImportError {
    fn explain(&self, l: Locale) -> String {
        self.message(l)
    }
}

impl Explain for FieldError {
    fn explain(&self, l: Locale) -> String {
        self.message(l)
    }
}

/// Why an export did not happen.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Worker(#[from] WorkerError),
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Unloaded(#[from] crate::lazy::Unloaded),
}

impl Explain for ExportError {
    fn explain(&self, l: Locale) -> String {
        match self {
            ExportError::Unloaded(_) => l.t(Msg::PartFailed).to_string(),
            ExportError::Store(e) => e.explain(l),
            ExportError::Worker(e) => e.explain(l),
            ExportError::File(e) => e.explain(l),
        }
    }
}

impl Explain for crate::app::destruction::DesError {
    fn explain(&self, l: Locale) -> String {
        use crate::app::destruction::DesError as D;
        match self {
            D::Blocked(why) => {
                let parts: Vec<String> = why.iter().map(|(name, b)| format!("{name}（{}）", b.words(l))).collect();
                format!("{}{}", l.t(Msg::DesErrBlocked), parts.join("；"))
            }
            D::NeedToken => l.t(Msg::DesErrToken).to_string(),
            D::BadToken => l.t(Msg::DesErrBadToken).to_string(),
            D::Sync(e) => e.explain(l),
            D::Gov(e) => e.explain(l),
            D::Ledger(e) => e.explain(l),
        }
    }
}

impl Explain for crate::app::documents::DocError {
    fn explain(&self, l: Locale) -> String {
        use crate::app::documents::DocError as E;
        use crate::domain::documents::{size_text, Refused};
        match self {
            E::Refused(name, Refused::TooLarge { size, limit }) => {
                fill(l.t(Msg::AttRefusedLarge), &[name, &size_text(*size), &size_text(*limit)])
            }
            E::Refused(name, Refused::Empty) => fill(l.t(Msg::AttRefusedEmpty), &[name]),
            E::Refused(name, Refused::Unknown(_)) => fill(l.t(Msg::AttRefusedType), &[name]),
            E::Invalid(errors) => errors.iter().map(|e| e.explain(l)).collect::<Vec<_>>().join("; "),
            E::Unreadable(e) => e.explain(l),
            E::NotHere => l.t(Msg::AttNotHere).to_string(),
            E::NotYet => l.t(Msg::AttNotYet).to_string(),
            E::Damaged => l.t(Msg::AttDamaged).to_string(),
            E::NeedSignIn => l.t(Msg::AttNeedSignIn).to_string(),
            E::Gov(e) => e.explain(l),
            E::Sync(e) => e.explain(l),
            E::Store(e) => e.explain(l),
        }
    }
}
