//! Documents and photos on a profile (issue 19), as the screens call them: attach a file (its
//! type from its content, the size limit, a large photo brought down, a thumbnail made here),
//! describe it, delete and restore it, and a file's bytes — kept here, or fetched from the
//! endpoint, opened when the archive is encrypted and checked against its hash. The sync round's
//! part (files to the endpoint before the descriptions that name them; originals kept here when
//! the device keeps them) is in `sync/files.rs`.

use super::archive::{Services, StoreError};
use super::prefs;
use super::sync::SyncError;
use crate::domain::documents::{
    self, check, sha256_hex, sniff, DocKind, Document, Refused, DOWNSCALE_SIDE, MAX_TITLE, THUMB_SIDE,
};
use crate::domain::model::Meta;
use crate::domain::sync::b64;
use crate::domain::validate::FieldError;
use crate::platform::clock::{now_ms, today};
use crate::platform::files::FileError;
use crate::platform::ids::new_id;
use crate::platform::image;
use leptos::prelude::Update;

/// Why a document could not be attached, saved or shown.
#[derive(Clone, Debug, PartialEq)]
pub enum DocError {
    /// The file (by its name) is not taken: too large, empty, not a picture or PDF.
    Refused(String, Refused),
    /// The description has errors; nothing was written.
    Invalid(Vec<FieldError>),
    /// The file could not be read from the device.
    Unreadable(FileError),
    /// The original is not on this device and the archive does not sync.
    NotHere,
    /// The endpoint does not have the original (yet: the device that attached it has not sent it).
    NotYet,
    /// The original fetched does not match its description (damaged on the way or at rest).
    Damaged,
    Sync(SyncError),
    Store(StoreError),
}

impl From<StoreError> for DocError {
    fn from(e: StoreError) -> DocError {
        DocError::Store(e)
    }
}

impl From<SyncError> for DocError {
    fn from(e: SyncError) -> DocError {
        match e {
            SyncError::Store(s) => DocError::Store(s),
            e => DocError::Sync(e),
        }
    }
}

/// The fields staff describe (the rest of a description is the file's and the device's).
const DESCRIBED: [&str; 7] = ["kind", "title", "number", "issued", "expires", "history_id", "meta"];

/// A file as chosen: its name and bytes.
pub struct Chosen {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A title from a file's name: its stem, at most [`MAX_TITLE`] characters.
fn title_of(name: &str, kind: DocKind) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s).trim();
    if stem.is_empty() {
        return crate::app::lang::t(kind.msg()).to_string();
    }
    stem.chars().take(MAX_TITLE).collect()
}

impl Services {
    /// Attaches a file to a profile (and to one of its history items when `history_id` is not
    /// empty): refused by its content or size; a large photo brought down when this device does
    /// so; a thumbnail made; stored with its description in one transaction and queued for the
    /// endpoint.
    pub async fn attach(self, profile_id: &str, history_id: &str, file: Chosen) -> Result<Document, DocError> {
        let limits = prefs::file_prefs();
        let found = sniff(&file.bytes, file.bytes.len() as u64, limits.limit_bytes())
            .map_err(|r| DocError::Refused(file.name.clone(), r))?;
        let (mut bytes, mut mime) = (file.bytes, found.mime.to_string());
        // GIFs keep their frames; a picture the browser cannot decode is kept as it came.
        if found.image && limits.downscale && found.mime != "image/gif" {
            if let Ok(Some(smaller)) = image::shrink(&bytes, &mime, DOWNSCALE_SIDE, 0.88, true).await {
                if smaller.len() < bytes.len() {
                    (bytes, mime) = (smaller, "image/jpeg".to_string());
                }
            }
        }
        let thumb = if found.image {
            image::shrink(&bytes, &mime, THUMB_SIDE, 0.72, false).await.ok().flatten().map(|t| b64::encode(&t))
        } else {
            None
        };
        let kind = if found.image { DocKind::Photo } else { DocKind::Other };
        let d = Document {
            id: new_id(),
            profile_id: profile_id.to_string(),
            history_id: history_id.to_string(),
            kind,
            title: title_of(&file.name, kind),
            date: today(),
            hash: sha256_hex(&bytes),
            size: bytes.len() as u64,
            mime,
            file_name: file.name.chars().take(120).collect(),
            thumb: thumb.unwrap_or_default(),
            meta: Meta::new(now_ms(), &self.session.staff()),
            ..Document::default()
        };
        self.archive()?.put_document(&d, Some(&bytes)).await?;
        self.wrote();
        Ok(d)
    }

    /// A profile's live documents, newest first, with those of the profiles merged into it.
    pub async fn documents(self, profile_id: &str) -> Result<Vec<Document>, StoreError> {
        let archive = self.archive()?;
        let mut all = archive.documents_of(profile_id).await?;
        if let Some(p) = archive.get_profile(profile_id).await? {
            for other in &p.merged_from {
                all.extend(archive.documents_of(other).await?);
            }
            all.sort_by_key(|d| std::cmp::Reverse((d.date, d.meta.created_at)));
        }
        Ok(all.into_iter().filter(Document::is_live).collect())
    }

    /// Saves what staff describe of a document (kind, title, number, dates, the history item),
    /// checked first. Only those fields are written over the stored description: what a sync
    /// round set meanwhile (the sealed file's name) stays.
    pub async fn save_document(self, mut d: Document) -> Result<Document, DocError> {
        d.title = d.title.trim().to_string();
        d.number = d.number.trim().to_string();
        if !d.kind.has_validity() {
            (d.number, d.issued, d.expires) = (String::new(), None, None);
        }
        let errors = check(&d, today());
        if !errors.is_empty() {
            return Err(DocError::Invalid(errors));
        }
        self.write_document(d, &DESCRIBED).await
    }

    /// Deletes a document (its description is marked; the file stays until the profile goes, so
    /// the deletion can be undone).
    pub async fn delete_document(self, mut d: Document) -> Result<Document, DocError> {
        d.meta.deleted_at = Some(now_ms());
        self.write_document(d, &["meta"]).await
    }

    /// Undoes [`Services::delete_document`].
    pub async fn restore_document(self, mut d: Document) -> Result<Document, DocError> {
        d.meta.deleted_at = None;
        self.write_document(d, &["meta"]).await
    }

    /// Writes the fields `keys` of `d` (and who saved it when) over the stored description.
    async fn write_document(self, mut d: Document, keys: &[&str]) -> Result<Document, DocError> {
        d.meta.stamp_save(now_ms(), &self.session.staff());
        let archive = self.archive()?;
        archive.patch_document(&d, keys).await?;
        self.wrote();
        Ok(archive.document(&d.id).await?.unwrap_or(d))
    }

    /// The original's bytes when this device has them.
    pub async fn file_here(self, d: &Document) -> Result<Option<Vec<u8>>, StoreError> {
        self.archive()?.blob(&d.hash).await
    }

    /// The documents expiring within 30 days (expired ones too), with their profiles' names,
    /// soonest first (the reminders).
    pub async fn expiring_documents(self) -> Result<Vec<(i64, Document)>, StoreError> {
        let all = self.archive()?.all_documents().await?;
        let live: Vec<Document> = all
            .into_iter()
            .filter(|d| self.with_index_untracked(|ix| ix.get(&d.profile_id).is_some_and(|e| e.deleted_at.is_none())))
            .collect();
        Ok(documents::expiring(&live, today(), 30).into_iter().map(|(n, d)| (n, d.clone())).collect())
    }

    /// Originals fetched by a sync round: open screens (the settings' room line, an open viewer)
    /// and other tabs read again.
    pub(crate) fn files_arrived(self) {
        self.remote_rev.update(|r| *r += 1);
        self.tell_other_tabs();
    }

    /// After a local write: screens and sync follow, other tabs too.
    fn wrote(self) {
        self.local_rev.update(|r| *r += 1);
        self.tell_other_tabs();
    }
}
