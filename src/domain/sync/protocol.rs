//! The sync endpoint's wire protocol, version 1 (JSON). The server stores and returns changes as
//! opaque payloads: it needs only the change id (for idempotence), an opaque record key and the
//! clock time, never the content. With end-to-end encryption the payload is ciphertext and the
//! record key a keyed hash.
//!
//! - `POST /sync/v1/{archive}/push` with [`PushRequest`] → [`PushResponse`]
//! - `GET /sync/v1/{archive}/pull?since={cursor}&limit={n}` → [`PullResponse`]
//! - `GET /sync/v1/{archive}/key` → [`ArchiveKey`] (404 `no_key` when the archive is not
//!   encrypted); `PUT` the same path sets it once (409 `key_exists` afterwards)
//! - `POST /admin/v1/{archive}/destroy` with [`DestroyRequest`] → [`DestroyResponse`], for an
//!   administrator's token only: the records' stored changes are deleted and a destruction
//!   tombstone (the register number, nothing else) keeps any later push of them out
//! - `PUT /sync/v1/{archive}/blobs/{sha256}` with the bytes (at most [`MAX_BLOB`]): stored once
//!   (201, or 200 when it was there), refused with `bad_hash` when the bytes do not hash to the
//!   name; `GET` the same path answers the bytes (404 `no_blob`). Documents' files (issue 19),
//!   encrypted in the browser first when the archive is
//! - `GET /health` → `{"status":"ok"}`
//!
//! Every request but `/health` carries `Authorization: Bearer <token>`; errors are [`ErrorBody`].

use serde::{Deserialize, Serialize};

pub const VERSION: u32 = 1;
/// Most changes in one push.
pub const MAX_PUSH: usize = 5_000;
/// Most changes in one pull answer.
pub const MAX_PULL: usize = 5_000;
/// Longest payload of one change, in bytes.
pub const MAX_PAYLOAD: usize = 256 * 1024;

/// One change as the server sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireChange {
    /// The change id (its clock time as text); pushing the same id again stores nothing.
    pub id: String,
    /// An opaque key of the record it changes.
    pub record: String,
    /// The change, as JSON or (encrypted) base64 text.
    pub payload: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<WireChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// Changes stored now.
    pub stored: usize,
    /// Changes the server already had (sent before, e.g. by a push whose answer was lost).
    pub duplicates: usize,
    /// The archive's cursor after this push.
    pub cursor: u64,
    /// Changes not stored because their record was destroyed (a device offline since).
    #[serde(default)]
    pub destroyed: usize,
}

/// Largest blob (a document's file, 10 MB by default, with room for encryption's overhead).
pub const MAX_BLOB: usize = 12 * 1024 * 1024;

/// Whether `s` is a blob's name: the SHA-256 of its bytes in lower-case hex.
pub fn valid_blob_name(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Most records one destruction names.
pub const MAX_DESTROY: usize = 50_000;

/// A destruction carried out on the endpoint: the records' stored changes are erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestroyRequest {
    /// The approved application's id: asking again with it changes nothing and answers the same
    /// register number (an answer lost on the way).
    pub application: String,
    /// The year the register number is counted in.
    pub year: u16,
    /// The lowest number this destruction may get (one above the highest the device knows of,
    /// so numbers given out before the archive synced are never given again).
    #[serde(default)]
    pub at_least: u32,
    /// The records' keys as the endpoint stores them (keyed hashes with end-to-end encryption).
    pub records: Vec<String>,
    /// The names of the destroyed documents' files in the endpoint's blob store (issue 19).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blobs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestroyResponse {
    /// The register number (销毁登记号) given to this destruction, e.g. `XH-2026-0001`.
    pub register: String,
    /// Stored changes erased by this call.
    pub erased: u64,
}

/// Why a destruction request cannot be carried out (checked before anything is erased).
pub fn check_destroy(d: &DestroyRequest) -> Result<(), String> {
    if d.application.is_empty() || d.application.len() > 64 {
        return Err("the application id must have 1 to 64 characters".into());
    }
    if !(2000..=9999).contains(&d.year) {
        return Err("the year must be 2000 to 9999".into());
    }
    if d.at_least > 9999 {
        return Err("a register number is at most 9999 a year".into());
    }
    if d.records.is_empty() || d.records.len() > MAX_DESTROY {
        return Err(format!("name 1 to {MAX_DESTROY} records"));
    }
    if d.records.iter().any(|r| r.is_empty() || r.len() > 128) {
        return Err("a record key has 1 to 128 characters".into());
    }
    if d.blobs.len() > MAX_DESTROY || d.blobs.iter().any(|b| !valid_blob_name(b)) {
        return Err(format!("name at most {MAX_DESTROY} files, each by its SHA-256 in hex"));
    }
    Ok(())
}

/// The register number of the `n`th destruction of `year`: `XH-2026-0001`.
pub fn register_number(year: u16, n: u32) -> String {
    format!("XH-{year}-{n:04}")
}

/// The year and count of a register number.
pub fn parse_register(s: &str) -> Option<(u16, u32)> {
    let rest = s.strip_prefix("XH-")?;
    let (y, n) = rest.split_once('-')?;
    if y.len() != 4 || n.len() < 4 || !y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((y.parse().ok()?, n.parse().ok()?))
}

/// A stored change with its place in the archive's order. On the wire its fields sit beside
/// `seq` in one object (read through [`PulledFields`]: serde's `flatten` would buffer every field
/// of the 5,000 changes of a page before reading them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PulledFields", into = "PulledFields")]
pub struct Pulled {
    /// Server-assigned, increasing within an archive.
    pub seq: u64,
    pub change: WireChange,
}

/// [`Pulled`] as it goes over the wire.
#[derive(Serialize, Deserialize)]
struct PulledFields {
    seq: u64,
    id: String,
    record: String,
    payload: String,
}

impl From<PulledFields> for Pulled {
    fn from(f: PulledFields) -> Pulled {
        Pulled { seq: f.seq, change: WireChange { id: f.id, record: f.record, payload: f.payload } }
    }
}

impl From<Pulled> for PulledFields {
    fn from(p: Pulled) -> PulledFields {
        PulledFields { seq: p.seq, id: p.change.id, record: p.change.record, payload: p.change.payload }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Pulled>,
    /// Pass as `since` next time.
    pub cursor: u64,
    /// More changes wait after `cursor`.
    pub has_more: bool,
}

/// Every refusal of the endpoint, with its stable code on the wire (`"bad_token"`, …) and its HTTP
/// status. The server answers with these and the client tells them apart by code, so neither
/// side spells a code as a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No `Authorization: Bearer` header.
    MissingToken,
    /// The token is wrong or revoked.
    BadToken,
    /// The token's time is over.
    ExpiredToken,
    /// The token opens another archive.
    WrongArchive,
    /// The token is not for this (a device token on the administration API, or the reverse).
    WrongScope,
    /// No archive by this id.
    UnknownArchive,
    /// The archive id is not 1–64 letters, digits, `-` or `_`.
    BadArchive,
    /// Too many requests from this address or with this token.
    RateLimited,
    /// The body is larger than the endpoint accepts.
    TooLarge,
    /// The body came too slowly (a stalled or hostile client); send it again.
    Timeout,
    /// More changes in one push than [`MAX_PUSH`].
    TooMany,
    /// The body is not the JSON asked for.
    Malformed,
    /// A change in a push fails [`check_change`].
    BadChange,
    /// The pull's query is not `since` and `limit`.
    BadQuery,
    /// The archive is not encrypted (no key to read).
    NoKey,
    /// The archive key fails [`check_key`].
    BadKey,
    /// The archive already has a key.
    KeyExists,
    /// A destruction request fails [`check_destroy`].
    BadDestroy,
    /// A blob's bytes do not hash to its name, or the name is not a SHA-256.
    BadHash,
    /// No blob by this name in the archive.
    NoBlob,
    /// The endpoint's storage failed; try again later.
    Storage,
    /// No such path.
    NotFound,
    /// A code this client does not know (a newer endpoint).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status the endpoint answers with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MissingToken | BadToken | ExpiredToken => 401,
            WrongArchive | WrongScope => 403,
            UnknownArchive | NoKey | NotFound | NoBlob => 404,
            KeyExists => 409,
            TooLarge | TooMany => 413,
            RateLimited => 429,
            Timeout => 408,
            Storage => 503,
            BadArchive | Malformed | BadChange | BadQuery | BadKey | BadDestroy | BadHash => 400,
            Unknown => 500,
        }
    }
}

/// An error answer: a stable code and a sentence for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorCode,
    pub message: String,
}

/// Why a change cannot be accepted (checked before anything of a push is stored).
pub fn check_change(c: &WireChange) -> Result<(), String> {
    if c.id.is_empty() || c.id.len() > 64 {
        return Err(format!("change id must have 1 to 64 characters: {:?}", truncate(&c.id)));
    }
    if super::hlc::Hlc::parse(&c.id).is_none() {
        return Err(format!("change id is not a clock value: {:?}", truncate(&c.id)));
    }
    if c.record.is_empty() || c.record.len() > 128 {
        return Err("record key must have 1 to 128 characters".into());
    }
    if c.payload.is_empty() || c.payload.len() > MAX_PAYLOAD {
        return Err(format!("payload must have 1 to {MAX_PAYLOAD} bytes"));
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Least PBKDF2-HMAC-SHA256 iterations for the archive key (OWASP, 2023).
pub const MIN_ITERATIONS: u32 = 600_000;

/// How devices derive an encrypted archive's key from its passphrase: a random salt kept on the
/// server, the iteration count, and a key-check value (a known text encrypted with the key) so a
/// wrong passphrase is told apart from damaged data. None of it reveals the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveKey {
    /// Base64 of 16–64 random bytes.
    pub salt: String,
    pub iterations: u32,
    /// Base64 of the encrypted check text.
    pub check: String,
}

/// Why an archive key cannot be accepted.
pub fn check_key(k: &ArchiveKey) -> Result<(), String> {
    let b64 = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b));
    if !(22..=88).contains(&k.salt.len()) || !b64(&k.salt) {
        return Err("salt must be base64 of 16 to 64 bytes".into());
    }
    if !(MIN_ITERATIONS..=10_000_000).contains(&k.iterations) {
        return Err(format!("iterations must be {MIN_ITERATIONS} to 10000000"));
    }
    if k.check.is_empty() || k.check.len() > 256 || !b64(&k.check) {
        return Err("check must be base64, at most 256 characters".into());
    }
    Ok(())
}

/// Whether an archive id is acceptable: 1–64 ASCII letters, digits, `-` or `_`.
pub fn valid_archive_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pulled_change_is_one_object_with_its_sequence_number_on_the_wire() {
        let page = PullResponse {
            changes: vec![Pulled {
                seq: 7,
                change: WireChange { id: "0001-a".into(), record: "p:1".into(), payload: r#"{"x":"引号\""}"#.into() },
            }],
            cursor: 7,
            has_more: false,
        };
        let json = r#"{"changes":[{"seq":7,"id":"0001-a","record":"p:1","payload":"{\"x\":\"引号\\\"\"}"}],"cursor":7,"has_more":false}"#;
        assert_eq!(serde_json::to_string(&page).unwrap(), json);
        assert_eq!(serde_json::from_str::<PullResponse>(json).unwrap(), page);
        // Fields in any order, and unknown ones from a newer endpoint, read as before.
        let other = r#"{"changes":[{"payload":"{\"x\":\"引号\\\"\"}","record":"p:1","later":1,"id":"0001-a","seq":7}],"cursor":7,"has_more":false}"#;
        assert_eq!(serde_json::from_str::<PullResponse>(other).unwrap(), page);
    }

    #[test]
    fn error_codes_are_snake_case_on_the_wire_and_unknown_ones_are_kept_apart() {
        let body = ErrorBody { error: ErrorCode::BadToken, message: "no".into() };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"error":"bad_token","message":"no"}"#);
        let newer: ErrorBody = serde_json::from_str(r#"{"error":"quota_exceeded","message":"x"}"#).unwrap();
        assert_eq!(newer.error, ErrorCode::Unknown);
        assert_eq!(ErrorCode::NoKey.status(), 404);
        assert_eq!(ErrorCode::RateLimited.status(), 429);
    }

    #[test]
    fn register_numbers_count_within_their_year() {
        assert_eq!(register_number(2026, 1), "XH-2026-0001");
        assert_eq!(parse_register("XH-2026-0012"), Some((2026, 12)));
        assert_eq!(parse_register(&register_number(2027, 10_000)), Some((2027, 10_000)));
        for bad in ["XH-26-0001", "XH-2026-01", "XX-2026-0001", "XH-2026-00a1", ""] {
            assert_eq!(parse_register(bad), None, "{bad}");
        }
        let ok = DestroyRequest {
            application: "a1".into(),
            year: 2026,
            at_least: 0,
            records: vec!["p:1".into()],
            blobs: vec![],
        };
        assert!(check_destroy(&ok).is_ok());
        assert!(check_destroy(&DestroyRequest { records: vec![], ..ok.clone() }).is_err());
        assert!(check_destroy(&DestroyRequest { year: 26, ..ok.clone() }).is_err());
        assert!(check_destroy(&DestroyRequest { blobs: vec!["a".repeat(64)], ..ok.clone() }).is_ok());
        assert!(check_destroy(&DestroyRequest { blobs: vec!["../etc".into()], ..ok.clone() }).is_err());
        assert!(check_destroy(&DestroyRequest { application: String::new(), ..ok }).is_err());
    }
}
