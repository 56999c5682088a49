//! Documents and photos on a profile (issue 19; seeds 000, 002: licences, contracts, ID copies,
//! statements, delivery notes, photos), pure: what a file really is (from its content, never its
//! name), whether it is accepted, what a document's description must hold, and which documents
//! expire soon.

use super::date::Date;
use super::i18n::Msg;
use super::model::Meta;
use super::validate::FieldError;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// The kind of a document.
    DocKind {
        License = 0 => FileLicense,
        Contract = 1 => FileContract,
        IdCopy = 2 => FileIdCopy,
        Statement = 3 => FileStatement,
        Delivery = 4 => FileDelivery,
        Photo = 5 => FilePhoto,
        Other = 6 => FileOther,
    } default Photo
);

impl DocKind {
    /// Kinds that carry a number, an issue date and an expiry date (a licence, an ID document).
    pub fn has_validity(self) -> bool {
        matches!(self, DocKind::License | DocKind::IdCopy)
    }

    /// Kinds that follow the sensitive-data rules (an ID scan).
    pub fn is_sensitive(self) -> bool {
        self == DocKind::IdCopy
    }
}

/// The kinds a document attached in clear may take (an ID scan is sealed from the start).
pub static CLEAR_KINDS: [DocKind; 6] =
    [DocKind::License, DocKind::Contract, DocKind::Statement, DocKind::Delivery, DocKind::Photo, DocKind::Other];
/// The kinds a sealed document may take.
pub static SEALED_KINDS: [DocKind; 1] = [DocKind::IdCopy];

/// The default largest file (10 MB; a setting).
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// A file's type as its content says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub mime: &'static str,
    pub ext: &'static str,
    /// A picture (thumbnails are made from it; it may be downscaled).
    pub image: bool,
}

/// Why a file is not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Larger than the limit (bytes).
    TooLarge { size: u64, limit: u64 },
    /// Empty.
    Empty,
    /// Not a picture or a PDF: what it looks like (a MIME type), if anything.
    Unknown(Option<&'static str>),
}

/// The types accepted: pictures a tablet's camera or a scanner makes, and PDF.
const ACCEPTED: [&str; 7] =
    ["image/jpeg", "image/png", "image/gif", "image/webp", "image/heif", "image/avif", "application/pdf"];

/// What `bytes` are, from their first bytes, and whether a file of `size` bytes is taken under
/// `limit`. The file's name plays no part.
pub fn sniff(bytes: &[u8], size: u64, limit: u64) -> Result<Sniffed, Refused> {
    if size == 0 || bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if size > limit {
        return Err(Refused::TooLarge { size, limit });
    }
    let t = infer::get(bytes);
    match t {
        Some(t) if ACCEPTED.contains(&t.mime_type()) => Ok(Sniffed {
            mime: t.mime_type(),
            ext: t.extension(),
            image: t.matcher_type() == infer::MatcherType::Image,
        }),
        other => Err(Refused::Unknown(other.map(|t| t.mime_type()))),
    }
}

/// A document's description (its file is stored apart, by the SHA-256 of its bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub profile_id: String,
    /// The history item it belongs to (a complaint's photo), if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub history_id: String,
    pub kind: DocKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// The day it was attached (the order on the profile).
    pub date: Date,
    /// SHA-256 of the original's bytes (hex), its size and type.
    pub hash: String,
    pub size: u64,
    pub mime: String,
    /// The file's name as it came (shown, never trusted).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file_name: String,
    /// A small picture of it (a JPEG of at most [`THUMB_SIDE`] px, base64), made on the device
    /// that attached it; empty when none could be made (a PDF, a picture the browser cannot
    /// decode). It travels with the description, so other devices show it before any original.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub thumb: String,
    /// The original's name in the endpoint's blob store when it differs from `hash`: under
    /// end-to-end encryption, the SHA-256 of the encrypted bytes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub blob: String,
    /// An ID scan's file key ([`FileKey`]), sealed under the attaching session's data key
    /// (administrators open it; an approval carries it to one requester). Empty for every other
    /// document. While it is set, `thumb` and the stored file are encrypted under that key,
    /// `hash` is the SHA-256 of the encrypted file and `number` is sealed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    pub meta: Meta,
}

impl Default for Document {
    fn default() -> Document {
        Document {
            id: String::new(),
            profile_id: String::new(),
            history_id: String::new(),
            kind: DocKind::default(),
            title: String::new(),
            number: String::new(),
            issued: None,
            expires: None,
            date: Date::new(1970, 1, 1).expect("a real day"),
            hash: String::new(),
            size: 0,
            mime: String::new(),
            file_name: String::new(),
            thumb: String::new(),
            blob: String::new(),
            key: String::new(),
            meta: Meta::default(),
        }
    }
}

impl Document {
    /// The name the original is stored under at the endpoint.
    pub fn blob_name(&self) -> &str {
        if self.blob.is_empty() {
            &self.hash
        } else {
            &self.blob
        }
    }

    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/")
    }

    pub fn is_live(&self) -> bool {
        self.meta.deleted_at.is_none()
    }

    /// An ID scan kept under the sensitive-data rules: its picture, file and number sealed.
    pub fn is_sealed(&self) -> bool {
        !self.key.is_empty()
    }
}

/// Where a sealed document keeps its file key and its number (the paths their sealing is bound
/// to, with the document's id).
pub const KEY_PATH: &str = "doc.key";
pub const NUMBER_PATH: &str = "doc.number";

/// The path a view request names for a sealed document (`doc:<id>`), among a profile's fields.
pub fn grant_path(id: &str) -> String {
    format!("{GRANT_PREFIX}{id}")
}

const GRANT_PREFIX: &str = "doc:";

/// The document a view request's path names, if it names one.
pub fn granted_doc(path: &str) -> Option<&str> {
    path.strip_prefix(GRANT_PREFIX).filter(|id| !id.is_empty())
}

/// What an approval to see a sealed document carries to its requester (sealed to their key):
/// the file key and the number in clear.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocGrant {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
}

/// The 32-byte key an ID scan's picture and file are encrypted under (XChaCha20-Poly1305, a
/// random 192-bit nonce each, the document's id and the part as associated data: a thumbnail
/// does not open as a file, nor one document's file as another's).
#[derive(Clone, PartialEq, Eq)]
pub struct FileKey([u8; 32]);

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileKey(…)")
    }
}

/// The parts of a sealed document, each sealed apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Thumb,
    File,
}

impl FileKey {
    pub const NONCE: usize = 24;

    /// A key from 32 bytes (`None` for any other length).
    pub fn new(bytes: &[u8]) -> Option<FileKey> {
        Some(FileKey(bytes.try_into().ok()?))
    }

    /// The key as text (base64), as it is sealed.
    pub fn to_text(&self) -> String {
        super::sync::b64::encode(&self.0)
    }

    pub fn from_text(text: &str) -> Option<FileKey> {
        FileKey::new(&super::sync::b64::decode(text)?)
    }

    fn aad(doc: &str, part: Part) -> Vec<u8> {
        [doc.as_bytes(), b"\0", if part == Part::Thumb { b"thumb" } else { b"file" }].concat()
    }

    /// `plain` (a part of document `doc`) sealed with `nonce` (random, never used twice):
    /// the nonce, then the ciphertext and its tag.
    pub fn seal(&self, doc: &str, part: Part, nonce: &[u8; Self::NONCE], plain: &[u8]) -> Vec<u8> {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        let aad = Self::aad(doc, part);
        let ct = chacha20poly1305::XChaCha20Poly1305::new((&self.0).into())
            .encrypt(nonce.into(), Payload { msg: plain, aad: &aad })
            .expect("XChaCha20-Poly1305 seals any file taken");
        [nonce.as_slice(), &ct].concat()
    }

    /// What [`FileKey::seal`] sealed; `None` when the key, the document or the part differ, or
    /// the bytes were altered.
    pub fn open(&self, doc: &str, part: Part, sealed: &[u8]) -> Option<Vec<u8>> {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        if sealed.len() < Self::NONCE {
            return None;
        }
        let (nonce, ct) = sealed.split_at(Self::NONCE);
        let aad = Self::aad(doc, part);
        chacha20poly1305::XChaCha20Poly1305::new((&self.0).into())
            .decrypt(chacha20poly1305::XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .ok()
    }
}

/// Longest side of a thumbnail, px.
pub const THUMB_SIDE: u32 = 320;
/// Longest side a large photo is brought down to when downscaling is on (a setting).
pub const DOWNSCALE_SIDE: u32 = 2048;

/// The SHA-256 of `bytes` as lowercase hex: a file's address in the device's and the endpoint's
/// blob stores.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The size of a file in words a clerk reads (1.2 MB, 350 KB).
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// This device's settings for documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilePrefs {
    /// The largest file taken, in MB (1 to [`MAX_LIMIT_MB`]).
    pub limit_mb: u32,
    /// Large photos are brought down to [`DOWNSCALE_SIDE`] px before they are stored.
    pub downscale: bool,
    /// Every document's original is fetched to this device after a sync (else on opening).
    pub keep_here: bool,
}

/// The highest limit: what the endpoint takes, with room for encryption.
pub const MAX_LIMIT_MB: u32 = 11;

impl Default for FilePrefs {
    fn default() -> FilePrefs {
        FilePrefs { limit_mb: (DEFAULT_MAX_BYTES / (1024 * 1024)) as u32, downscale: true, keep_here: false }
    }
}

impl FilePrefs {
    /// The limit in bytes (a stored value out of range counts as the nearest allowed).
    pub fn limit_bytes(self) -> u64 {
        self.limit_mb.clamp(1, MAX_LIMIT_MB) as u64 * 1024 * 1024
    }
}

/// Longest title and number.
pub const MAX_TITLE: usize = 60;
pub const MAX_NUMBER: usize = 40;

/// What is wrong with a document's description, each with its field.
pub fn check(d: &Document, today: Date) -> Vec<FieldError> {
    let mut out = Vec::new();
    let err = |field: &str, msg: Msg| FieldError { field: field.to_string(), msg, detail: None };
    if d.title.trim().is_empty() {
        out.push(err("title", Msg::ErrRequired));
    } else if d.title.trim().chars().count() > MAX_TITLE {
        out.push(err("title", Msg::ErrDocTitleLong));
    }
    // An ID scan is sealed from the moment it is attached (扫描证件); another document cannot
    // become one afterwards (its picture may already be on other devices in clear), nor can an
    // ID scan become another kind.
    if (d.kind == DocKind::IdCopy) != d.is_sealed() {
        let msg = if d.is_sealed() { Msg::ErrDocStaysIdScan } else { Msg::ErrDocIdScanSealed };
        out.push(err("kind", msg));
    }
    if !super::governance::sealed::is_sealed(&d.number) && d.number.trim().chars().count() > MAX_NUMBER {
        out.push(err("number", Msg::ErrDocNumberLong));
    }
    if d.issued.is_some_and(|i| i > today) {
        out.push(err("issued", Msg::ErrDocIssuedFuture));
    }
    if let (Some(i), Some(e)) = (d.issued, d.expires) {
        if e < i {
            out.push(err("expires", Msg::ErrDocExpiresBefore));
        }
    }
    out
}

/// The documents expiring within `horizon` days of `today` (already expired ones too, as a
/// negative count), soonest first; deleted ones left out.
pub fn expiring(docs: &[Document], today: Date, horizon: i64) -> Vec<(i64, &Document)> {
    let mut out: Vec<(i64, &Document)> = docs
        .iter()
        .filter(|d| d.meta.deleted_at.is_none())
        .filter_map(|d| {
            let e = d.expires?;
            let days = e.days_since_epoch() - today.days_since_epoch();
            (days <= horizon).then_some((days, d))
        })
        .collect();
    out.sort_by_key(|(days, d)| (*days, d.title.clone()));
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
    const EXE: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0";

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_file_is_what_its_content_says_whatever_its_name() {
        // A PDF named "photo.jpg" is a PDF; a program named "scan.png" is refused.
        let pdf = sniff(PDF, PDF.len() as u64, DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((pdf.mime, pdf.image), ("application/pdf", false));
        assert_eq!(sniff(PNG, 100, DEFAULT_MAX_BYTES).unwrap().mime, "image/png");
        let jpeg = sniff(JPEG, 100, DEFAULT_MAX_BYTES).unwrap();
        assert_eq!((jpeg.mime, jpeg.ext, jpeg.image), ("image/jpeg", "jpg", true));
        assert!(matches!(sniff(EXE, 100, DEFAULT_MAX_BYTES), Err(Refused::Unknown(Some(_)))));
        assert_eq!(sniff(b"hello, plain text", 17, DEFAULT_MAX_BYTES), Err(Refused::Unknown(None)));
        assert_eq!(sniff(b"", 0, DEFAULT_MAX_BYTES), Err(Refused::Empty));
        let twenty = 20 * 1024 * 1024;
        assert_eq!(
            sniff(JPEG, twenty, DEFAULT_MAX_BYTES),
            Err(Refused::TooLarge { size: twenty, limit: DEFAULT_MAX_BYTES })
        );
    }

    #[test]
    fn a_file_is_addressed_by_the_sha256_of_its_bytes() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let mut d = Document { hash: sha256_hex(b"abc"), ..Document::default() };
        assert_eq!(d.blob_name(), d.hash);
        d.blob = "ff".repeat(32);
        assert_eq!(d.blob_name(), "ff".repeat(32));
        assert_eq!((size_text(2_500_000), size_text(1)), ("2.4 MB".to_string(), "1 KB".to_string()));
    }

    #[test]
    fn a_description_needs_a_title_and_dates_in_order() {
        let today = d("2026-12-04");
        let ok = Document {
            title: "营业执照".into(),
            kind: DocKind::License,
            issued: Some(d("2020-01-01")),
            expires: Some(d("2030-01-01")),
            ..Document::default()
        };
        assert!(check(&ok, today).is_empty());
        let fields = |doc: &Document| check(doc, today).into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(&Document { title: " ".into(), ..ok.clone() }), ["title"]);
        assert_eq!(fields(&Document { title: "长".repeat(61), ..ok.clone() }), ["title"]);
        assert_eq!(fields(&Document { expires: Some(d("2019-12-31")), ..ok.clone() }), ["expires"]);
        assert_eq!(fields(&Document { issued: Some(d("2026-12-05")), expires: None, ..ok.clone() }), ["issued"]);
        assert_eq!(fields(&Document { number: "9".repeat(41), ..ok }), ["number"]);
        assert!(DocKind::License.has_validity() && DocKind::IdCopy.is_sensitive() && !DocKind::Photo.has_validity());
    }

    #[test]
    fn an_id_scan_opens_only_with_its_key_for_its_document_and_part() {
        let key = FileKey::new(&[9; 32]).unwrap();
        assert_eq!(FileKey::from_text(&key.to_text()), Some(key.clone()));
        assert_eq!(FileKey::new(&[9; 31]), None);
        let sealed = key.seal("d1", Part::File, &[1; 24], JPEG);
        assert_eq!(sealed.len(), JPEG.len() + 24 + 16);
        assert!(infer::get(&sealed).is_none(), "no picture's signature");
        assert!(!sealed.windows(4).any(|w| w == b"JFIF"));
        assert_eq!(key.open("d1", Part::File, &sealed).as_deref(), Some(JPEG));
        assert_eq!(key.open("d2", Part::File, &sealed), None, "another document's");
        assert_eq!(key.open("d1", Part::Thumb, &sealed), None, "a file is not a thumbnail");
        assert_eq!(FileKey::new(&[8; 32]).unwrap().open("d1", Part::File, &sealed), None, "another key");
        let mut altered = sealed.clone();
        altered[30] ^= 1;
        assert_eq!(key.open("d1", Part::File, &altered), None, "altered");
        assert_eq!(key.open("d1", Part::File, &sealed[..10]), None, "cut short");
        assert_ne!(key.seal("d1", Part::File, &[2; 24], JPEG), sealed, "a fresh nonce each time");
        assert_eq!((granted_doc(&grant_path("d1"))), Some("d1"));
        assert_eq!((granted_doc("id_doc.number"), granted_doc("doc:")), (None, None));
    }

    #[test]
    fn an_id_scan_is_sealed_from_the_start_and_stays_one() {
        let today = d("2026-12-04");
        let kinds = |doc: &Document| check(doc, today).into_iter().map(|e| (e.field, e.msg)).collect::<Vec<_>>();
        let photo = Document { title: "门牌".into(), kind: DocKind::Photo, ..Document::default() };
        assert!(kinds(&photo).is_empty());
        let became = Document { kind: DocKind::IdCopy, ..photo.clone() };
        assert_eq!(kinds(&became), [("kind".to_string(), Msg::ErrDocIdScanSealed)]);
        let scan = Document { kind: DocKind::IdCopy, key: "sealed key".into(), ..photo.clone() };
        assert!(kinds(&scan).is_empty() && scan.is_sealed());
        let left = Document { kind: DocKind::Photo, ..scan.clone() };
        assert_eq!(kinds(&left), [("kind".to_string(), Msg::ErrDocStaysIdScan)]);
        // A sealed number is longer than 40 characters and still fine.
        let sealed_number = format!("{}k1:tag:18:002X:{}", crate::domain::governance::sealed::PREFIX, "A".repeat(80));
        assert!(kinds(&Document { number: sealed_number, ..scan }).is_empty());
    }

    #[test]
    fn documents_expiring_within_thirty_days_are_listed_soonest_first() {
        let today = d("2026-12-04");
        let doc = |title: &str, expires: Option<&str>| Document {
            title: title.into(),
            expires: expires.map(d),
            ..Document::default()
        };
        let mut gone = doc("已删除的执照", Some("2026-12-10"));
        gone.meta.deleted_at = Some(1);
        let docs = [
            doc("营业执照", Some("2027-01-03")),
            doc("身份证复印件", Some("2026-12-20")),
            doc("去年的合同", Some("2026-11-30")),
            doc("远期执照", Some("2027-01-04")),
            doc("照片", None),
            gone,
        ];
        let soon: Vec<(i64, &str)> =
            expiring(&docs, today, 30).into_iter().map(|(n, d)| (n, d.title.as_str())).collect();
        assert_eq!(soon, [(-4, "去年的合同"), (16, "身份证复印件"), (30, "营业执照")]);
    }
}
