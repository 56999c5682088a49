//! Documents and photos on a profile (issue 19), as the screens call them: attach a file (its
//! type from its content, the size limit, a large photo brought down, a thumbnail made here),
//! describe it, delete and restore it, and a file's bytes — kept here, or fetched from the
//! endpoint, opened when the archive is encrypted and checked against its hash. The sync round's
//! part (files to the endpoint before the descriptions that name them; originals kept here when
//! the device keeps them) is in `sync/files.rs`.

use super::archive::{Services, StoreError};
use super::prefs;
use super::sync::SyncError;
use crate::app::governance::{grants, GovError};
use crate::domain::documents::{
    self, check, sha256_hex, sniff, DocKind, Document, Refused, DOWNSCALE_SIDE, MAX_TITLE, THUMB_SIDE,
};
use crate::domain::documents::{grant_path, DocGrant, FileKey, Part, NUMBER_PATH};
use crate::domain::governance::chain::{Entry, EventKind};
use crate::domain::governance::grant::{check_reason, Decision, Scope};
use crate::domain::governance::sealed::{is_sealed, Sealer};
use crate::domain::model::Meta;
use crate::domain::sync::b64;
use crate::domain::validate::FieldError;
use crate::platform::clock::{now_ms, today};
use crate::platform::files::FileError;
use crate::platform::ids::{new_id, random_bytes};
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
    /// An ID scan is sealed with the signed-in person's key: nobody is signed in.
    NeedSignIn,
    /// Sealing or opening an ID scan failed (nobody signed in, not entitled, a reason missing,
    /// a key not here yet).
    Gov(GovError),
    Sync(SyncError),
    Store(StoreError),
}

impl From<GovError> for DocError {
    fn from(e: GovError) -> DocError {
        match e {
            GovError::Store(s) => DocError::Store(s),
            e => DocError::Gov(e),
        }
    }
}

/// How a sealed document is opened: by an administrator giving a reason, or by the requester
/// while an approval of their request stands.
#[derive(Clone, Copy, Debug)]
pub enum Opening<'a> {
    Reason(&'a str),
    Granted(&'a Decision),
}

/// A sealed document opened for one view: its key (the picture and the file open with it) and
/// its number.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedScan {
    pub key: FileKey,
    pub number: String,
}

impl OpenedScan {
    /// The thumbnail (JPEG bytes), if the document has one.
    pub fn thumb(&self, d: &Document) -> Option<Vec<u8>> {
        self.key.open(&d.id, Part::Thumb, &b64::decode(&d.thumb)?)
    }

    /// The original from the stored (encrypted) file.
    pub fn file(&self, d: &Document, stored: &[u8]) -> Result<Vec<u8>, DocError> {
        self.key.open(&d.id, Part::File, stored).ok_or(DocError::Damaged)
    }
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
        self.attach_as(profile_id, history_id, file, None).await
    }

    /// Attaches an ID scan (扫描证件): as [`Services::attach`], then its thumbnail and file are
    /// sealed under a new file key before anything is stored, and the key under the signed-in
    /// session's data key: only an administrator, or a requester an approval names, opens it.
    pub async fn attach_id_scan(self, profile_id: &str, file: Chosen) -> Result<Document, DocError> {
        let sealer = self.sealer().await?.ok_or(DocError::NeedSignIn)?;
        self.attach_as(profile_id, "", file, Some(&sealer)).await
    }

    async fn attach_as(
        self,
        profile_id: &str,
        history_id: &str,
        file: Chosen,
        sealer: Option<&Sealer>,
    ) -> Result<Document, DocError> {
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
        let kind = match (sealer, found.image) {
            (Some(_), _) => DocKind::IdCopy,
            (None, true) => DocKind::Photo,
            (None, false) => DocKind::Other,
        };
        let id = new_id();
        let mut thumb = thumb.unwrap_or_default();
        let mut key = String::new();
        if let Some(sealer) = sealer {
            let file_key = FileKey::new(&random_bytes(32)).expect("32 bytes");
            let nonce = || <[u8; FileKey::NONCE]>::try_from(random_bytes(FileKey::NONCE)).expect("24 bytes");
            if !thumb.is_empty() {
                let plain = b64::decode(&thumb).unwrap_or_default();
                thumb = b64::encode(&file_key.seal(&id, Part::Thumb, &nonce(), &plain));
            }
            bytes = file_key.seal(&id, Part::File, &nonce(), &bytes);
            key = sealer.seal_secret(&id, documents::KEY_PATH, &file_key.to_text());
        }
        let d = Document {
            id,
            profile_id: profile_id.to_string(),
            history_id: history_id.to_string(),
            kind,
            title: title_of(&file.name, kind),
            date: today(),
            hash: sha256_hex(&bytes),
            // An ID scan's size is its original's (the sealed file is 40 bytes longer).
            size: if key.is_empty() { bytes.len() } else { bytes.len() - FileKey::NONCE - 16 } as u64,
            mime,
            file_name: file.name.chars().take(120).collect(),
            thumb,
            key,
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
        if !d.is_sealed() || is_sealed(&d.number) {
            return self.write_document(d, &DESCRIBED).await;
        }
        // An ID scan's number: a new one typed is sealed; left empty, the stored one stays.
        let keys: Vec<&str> = DESCRIBED.iter().copied().filter(|k| *k != "number" || !d.number.is_empty()).collect();
        if !d.number.is_empty() {
            let sealer = self.sealer().await?.ok_or(DocError::NeedSignIn)?;
            d.number = sealer.seal_at(&d.id, NUMBER_PATH, &d.number);
        }
        self.write_document(d, &keys).await
    }

    /// Opens a sealed document for one view: an administrator with a reason, or the requester
    /// under an approval that stands. The view is logged (who, which profile, which document,
    /// why) before anything opens.
    pub async fn open_id_scan(self, d: &Document, how: Opening<'_>) -> Result<OpenedScan, DocError> {
        let me = self.session.signed_in().ok_or(DocError::NeedSignIn)?;
        let db = self.archive()?;
        let (grant, reason, detail) = match how {
            Opening::Reason(why) => {
                if me.secrets.archive.is_none() {
                    return Err(DocError::Gov(GovError::NotEntitled));
                }
                check_reason(why).map_err(GovError::Invalid)?;
                // The data keys these two values are sealed under, through the session's cache
                // (opened once per sign-in, not once per scan).
                let mut opened = std::collections::HashMap::new();
                for v in [&d.key, &d.number] {
                    if let Some(s) = crate::domain::governance::sealed::Sealed::parse(v) {
                        if !opened.contains_key(s.key) {
                            opened.insert(s.key.to_string(), self.data_key(&me, s.key).await?);
                        }
                    }
                }
                (grants::open_document(&db, &me, d, Some(&opened)).await?, why.trim().to_string(), String::new())
            }
            Opening::Granted(decision) => {
                // Only the requester's own request, approved by someone entitled and not expired,
                // for this document (the signed records as they stand, not the decision passed in).
                let wanted = Scope::Reveal { profile: d.profile_id.clone(), fields: vec![grant_path(&d.id)] };
                let standing = self.asked().await?.into_iter().find(|a| {
                    a.request.id == decision.request
                        && a.request.requester == me.staff.id
                        && a.covers(now_ms(), &wanted)
                });
                let Some(asked) = standing else { return Err(DocError::Gov(GovError::NotEntitled)) };
                let standing = asked.decision.as_ref().unwrap_or(decision);
                let text = grants::open_granted(&me, standing, &grant_path(&d.id)).await?;
                let grant: DocGrant = serde_json::from_slice(text.as_bytes()).map_err(|_| DocError::Damaged)?;
                (grant, asked.request.reason.clone(), decision.request.clone())
            }
        };
        let key = FileKey::from_text(&grant.key).ok_or(DocError::Damaged)?;
        let entry = Entry {
            kind: Some(EventKind::Reveal),
            profile: d.profile_id.clone(),
            fields: vec![grant_path(&d.id)],
            reason,
            detail,
            ..Entry::default()
        };
        crate::app::governance::log(&db, Some(&me), now_ms(), entry).await?;
        self.local_rev.update(|n| *n += 1);
        Ok(OpenedScan { key, number: grant.number })
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
