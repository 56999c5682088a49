//! Sealed values: how an ID number or a bank account is kept so that nobody without the archive's
//! sealing key reads it, while the desk still finds a guest by it and warns of duplicates.
//!
//! A sealed value is one text (it takes the place of the value in the profile, in its merge
//! state, in a change on the wire and in a backup):
//!
//! `\x1Fs1:<data key id>:<tag>:<length>:<last four>:<nonce ‖ ciphertext>`
//!
//! - the **ciphertext** is XChaCha20-Poly1305 under a *data key*: 32 random bytes a device makes
//!   for one signed-in session, kept only in memory and stored nowhere but sealed to the archive's
//!   public key (`g:dk.<id>`, opened by administrators, whose PIN unwraps the archive's private
//!   key). The associated data is the record's id and the field's path, so a value moved to
//!   another profile does not open. The nonce is derived from the key, the associated data and the
//!   value (a synthetic IV, SipHash-2-4 keyed from the data key): the same value sealed twice in one session is the same text, so a
//!   profile and its merge state, sealed apart, still agree;
//! - the **tag** is SipHash-2-4 (128-bit output; its key derived from the archive's search key
//!   with HMAC-SHA-256) of the normalised value under the archive's search key (every
//!   staff member holds it): the same number gives the same tag on every device, so a full
//!   number typed in the search box or on a new guest's form is found by its tag;
//! - the **length and last four** are what a masked value shows (`**************002X`), and what a
//!   search for the last four finds.
//!
//! Which fields are sealed: the registry's sensitive ones ([`SEALED`]). A field the super
//! administrator moves to the sensitive class is masked by the policy but not sealed.

use crate::domain::fields::Field;
use crate::domain::model::Profile;
use crate::domain::sync::{b64, Change, RecordKind, RecordState};
use crate::domain::text::normalize_query;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use siphasher::sip128::{Hasher128, SipHasher24};
use std::hash::Hasher;

/// What starts a sealed value (a control character: nothing typed or imported starts with it,
/// since text is tidied of control characters).
pub const PREFIX: &str = "\u{1F}s1:";

/// The fields whose values are sealed.
pub const SEALED: [Field; 2] = [Field::IdDocNumber, Field::OrgAccount];

/// How many characters of a sealed value stay readable: the last four.
pub const TAIL: usize = 4;

/// A tag's bytes (72 bits: 6 index characters of 12 bits).
const TAG_BYTES: usize = 9;

/// The sealed field at exactly `path` (`id_doc.number`, `org.account`), if any.
pub fn sealable(path: &str) -> Option<Field> {
    SEALED.into_iter().find(|f| f.path() == path)
}

/// Whether a value is sealed.
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

/// A sealed value's parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sealed<'a> {
    /// The data key's id.
    pub key: &'a str,
    /// The tag (base64).
    pub tag: &'a str,
    /// The value's length in characters.
    pub len: usize,
    /// Its last four characters.
    pub tail: &'a str,
    body: &'a str,
}

impl<'a> Sealed<'a> {
    /// Reads a sealed value; `None` for a value in clear (or a damaged one).
    pub fn parse(value: &'a str) -> Option<Sealed<'a>> {
        let rest = value.strip_prefix(PREFIX)?;
        let mut it = rest.splitn(4, ':');
        let (key, tag, len, rest) = (it.next()?, it.next()?, it.next()?, it.next()?);
        let (tail, body) = rest.rsplit_once(':')?;
        Some(Sealed { key, tag, len: len.parse().ok()?, tail, body })
    }

    /// The value as an ordinary user sees it: stars, then the last four.
    pub fn masked(&self) -> String {
        "*".repeat(self.len.saturating_sub(self.tail.chars().count())) + self.tail
    }
}

/// A value as shown where nobody revealed it: a sealed value masked, any other as it is.
pub fn shown(value: &str) -> std::borrow::Cow<'_, str> {
    match Sealed::parse(value) {
        Some(s) => s.masked().into(),
        None if is_sealed(value) => "****".into(),
        None => value.into(),
    }
}

/// A value as the last four it keeps readable (and its length).
fn tail_of(plain: &str) -> (usize, String) {
    // The characters a search folds away (spaces, dashes) are not counted.
    let chars: Vec<char> = plain.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    // Short values keep nothing readable: four of six characters would say too much.
    let keep = if chars.len() > 2 * TAIL { TAIL } else { 0 };
    (chars.len(), chars[chars.len() - keep..].iter().collect())
}

/// A keyed pseudo-random function for short inputs: SipHash-2-4 with a 128-bit output, its key
/// derived once from the secret with HMAC-SHA-256. SipHash is made for exactly this (short
/// messages under a secret key) and costs a fraction of an HMAC per value, which a 100,000-row
/// import computes twice per ID number.
#[derive(Clone)]
struct Keyed(SipHasher24);

impl Keyed {
    fn new(secret: &[u8], purpose: &[u8]) -> Keyed {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
        mac.update(purpose);
        let derived: [u8; 32] = mac.finalize().into_bytes().into();
        Keyed(SipHasher24::new_with_key(derived[..16].try_into().expect("16 of 32 bytes")))
    }

    fn of(&self, parts: &[&[u8]]) -> [u8; 16] {
        let mut h = self.0;
        for p in parts {
            h.write(&(p.len() as u32).to_le_bytes());
            h.write(p);
        }
        h.finish128().as_bytes()
    }
}

/// The archive's search key at work: exact-match tags of sealed values.
#[derive(Clone)]
pub struct Tagger {
    mac: Keyed,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tagger(…)")
    }
}

impl Tagger {
    pub fn new(key: &[u8]) -> Tagger {
        Tagger { mac: Keyed::new(key, b"dangan.tag.v1") }
    }

    /// The tag of a value at a path: the same on every device holding the archive's search key.
    fn tag(&self, path: &str, plain: &str) -> [u8; TAG_BYTES] {
        let h = self.mac.of(&[path.as_bytes(), normalize_query(plain).as_bytes()]);
        h[..TAG_BYTES].try_into().expect("9 of 16 bytes")
    }

    /// What the search index holds of a value in clear (as [`index_key`] of it sealed).
    pub fn index_key(&self, field: Field, plain: &str) -> String {
        let norm = normalize_query(plain);
        let tag = self.mac.of(&[field.path().as_bytes(), norm.as_bytes()]);
        let n = norm.chars().count();
        let tail = if n > 2 * TAIL { norm.char_indices().nth(n - TAIL).map_or("", |(i, _)| &norm[i..]) } else { "" };
        index_form(&tag[..TAG_BYTES], tail)
    }
}

/// The search index's form of a tag and tail: the tag as six private-use characters, which no
/// typed query holds (so a search for letters never matches inside a tag), then the tail as a
/// query is folded (so the last four find it).
fn index_form(tag: &[u8], tail: &str) -> String {
    let mut out = String::with_capacity(6 * 3 + tail.len());
    for three in tag.chunks(3) {
        let n = three.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        for half in [n >> 12, n & 0xFFF] {
            out.push(char::from_u32(0xE000 + half).expect("a private-use character"));
        }
    }
    out + &normalize_query(tail)
}

/// What the search index and duplicate checks hold of an ID number: for a sealed value its tag
/// and tail, for one in clear the tag when `tagger` is given, else (an archive not yet sealed)
/// the number itself, upper-case.
pub fn index_key(value: &str, field: Field, tagger: Option<&Tagger>) -> String {
    let value = value.trim();
    if value.is_empty() {
        return String::new();
    }
    match (Sealed::parse(value), tagger) {
        (Some(s), _) => b64::decode(s.tag).map(|t| index_form(&t, s.tail)).unwrap_or_default(),
        (None, Some(t)) if !is_sealed(value) => t.index_key(field, value),
        _ => value.to_ascii_uppercase(),
    }
}

/// The stored part of a nonce: 128 bits derived from the key, the record, the field and the
/// value (a synthetic IV; one per distinct value, so no two values share a nonce).
const IV: usize = 16;

/// XChaCha20's 192-bit nonce from a stored IV (zero-padded).
fn nonce_of(iv: &[u8]) -> XNonce {
    let mut n = [0u8; 24];
    n[..IV].copy_from_slice(iv);
    n.into()
}

/// A data key: seals this session's new values.
#[derive(Clone)]
pub struct DataKey {
    pub id: String,
    key: [u8; 32],
    nonces: Keyed,
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.id)
    }
}

impl DataKey {
    /// A data key from its id and 32 bytes (`None` for any other length).
    pub fn new(id: &str, bytes: &[u8]) -> Option<DataKey> {
        let key: [u8; 32] = bytes.try_into().ok()?;
        Some(DataKey { id: id.to_string(), key, nonces: Keyed::new(&key, b"dangan.iv.v1") })
    }

    fn aad(record: &str, path: &str) -> Vec<u8> {
        [record.as_bytes(), b"\0", path.as_bytes()].concat()
    }

    /// Opens a value sealed under this key for `record`'s `field`; `None` when it is not this
    /// key's, or was moved or altered.
    pub fn open(&self, record: &str, field: Field, sealed: &Sealed) -> Option<String> {
        self.open_at(record, field.path(), sealed)
    }

    /// As [`DataKey::open`], for a value at any `path` of any record (a document's file key).
    pub fn open_at(&self, record: &str, path: &str, sealed: &Sealed) -> Option<String> {
        if sealed.key != self.id {
            return None;
        }
        let blob = b64::decode(sealed.body)?;
        if blob.len() < IV {
            return None;
        }
        let (iv, ct) = blob.split_at(IV);
        let aad = Self::aad(record, path);
        let plain =
            XChaCha20Poly1305::new((&self.key).into()).decrypt(&nonce_of(iv), Payload { msg: ct, aad: &aad }).ok()?;
        String::from_utf8(plain).ok()
    }
}

/// Seals values in clear for the signed-in person: a data key and the archive's search key.
#[derive(Clone, Debug)]
pub struct Sealer {
    pub data: DataKey,
    pub tags: Tagger,
}

impl Sealer {
    /// `plain` of `record`'s `field`, sealed.
    pub fn seal(&self, record: &str, field: Field, plain: &str) -> String {
        self.seal_at(record, field.path(), plain)
    }

    /// `plain` at `path` of any record (a document's ID number), sealed: masked to its last four
    /// like a profile's.
    pub fn seal_at(&self, record: &str, path: &str, plain: &str) -> String {
        let plain = plain.trim();
        let (len, tail) = tail_of(plain);
        let tag = b64::encode(&self.tags.tag(path, plain));
        self.seal_parts(record, path, plain, &tag, len, &tail)
    }

    /// A secret at `path` of `record` (a document's file key), sealed with no tag and nothing
    /// readable: it masks to nothing.
    pub fn seal_secret(&self, record: &str, path: &str, plain: &str) -> String {
        self.seal_parts(record, path, plain, "", 0, "")
    }

    fn seal_parts(&self, record: &str, path: &str, plain: &str, tag: &str, len: usize, tail: &str) -> String {
        let aad = DataKey::aad(record, path);
        let iv = &self.data.nonces.of(&[&aad, plain.as_bytes()])[..IV];
        let ct = XChaCha20Poly1305::new((&self.data.key).into())
            .encrypt(&nonce_of(iv), Payload { msg: plain.as_bytes(), aad: &aad })
            .expect("XChaCha20-Poly1305 seals any length a record holds");
        format!("{PREFIX}{}:{tag}:{len}:{tail}:{}", self.data.id, b64::encode(&[iv, &ct].concat()))
    }

    /// Seals a text in place when it is in clear and not empty; whether it did.
    fn seal_text(&self, record: &str, field: Field, text: &mut String) -> bool {
        if !in_clear(text) {
            return false;
        }
        *text = self.seal(record, field, text);
        true
    }

    /// Seals a profile's values in clear; how many.
    pub fn seal_profile(&self, p: &mut Profile) -> usize {
        let id = p.id.clone();
        let mut n = 0;
        if let Some(d) = p.id_doc.as_mut() {
            n += usize::from(self.seal_text(&id, Field::IdDocNumber, &mut d.number));
        }
        n + usize::from(self.seal_text(&id, Field::OrgAccount, &mut p.org.account))
    }

    /// Seals a flattened value at `path` of `record` when the path is a sealed field's and the
    /// value a text in clear; whether it did.
    pub fn seal_value(&self, record: &str, path: &str, v: &mut Value) -> bool {
        let (Some(field), Value::String(s)) = (sealable(path), &mut *v) else { return false };
        self.seal_text(record, field, s)
    }

    /// Seals the values a change to a profile sets in clear (a change from before sealing, pulled
    /// or restored); how many.
    pub fn seal_change(&self, c: &mut Change) -> usize {
        if c.record.kind != RecordKind::Profile {
            return 0;
        }
        let id = c.record.id.clone();
        c.set.iter_mut().map(|(path, w)| usize::from(self.seal_value(&id, path, &mut w.value))).sum()
    }

    /// Seals every write in clear of a profile's merge state, old ones (its field history)
    /// included; how many.
    pub fn seal_state(&self, record: &str, s: &mut RecordState) -> usize {
        let mut n = 0;
        for (path, f) in s.fields.iter_mut() {
            for w in f.writes.iter_mut() {
                n += usize::from(self.seal_value(record, path, &mut w.value));
            }
        }
        n
    }
}

/// The governance record (`g:dk.<id>`, signed by the staff member whose session made it) that
/// keeps a data key for administrators: the key sealed to the archive's public key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DataKeyRecord {
    /// The 32 bytes, sealed to the archive's public key (base64).
    pub sealed: String,
    /// When it was made (ms since the epoch).
    pub at: i64,
}

impl DataKeyRecord {
    /// The record id of data key `id`.
    pub fn record_id(id: &str) -> String {
        format!("dk.{id}")
    }
}

/// Whether a text is a value to seal: not empty, not sealed.
fn in_clear(s: &str) -> bool {
    !s.trim().is_empty() && !is_sealed(s)
}

/// Whether a profile holds a value that should be sealed and is not.
pub fn has_clear(p: &Profile) -> bool {
    p.id_doc.as_ref().is_some_and(|d| in_clear(&d.number)) || in_clear(&p.org.account)
}

/// Whether a flattened value at `path` (a pulled change, a restored write) belongs to a sealed
/// field and is in clear: what [`Sealer::seal_value`] would seal.
pub fn value_in_clear(path: &str, v: &Value) -> bool {
    sealable(path).is_some() && v.as_str().is_some_and(in_clear)
}

/// Whether a value is a number as masked (`**************002X`, `****`): stars, then at most
/// the last four.
pub fn is_masked(value: &str) -> bool {
    let v = value.trim();
    let rest = v.trim_start_matches('*');
    rest.len() < v.len() && rest.chars().count() <= TAIL && rest.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether a query could be a whole ID document or account number (then the desk also looks it
/// up by its tag): six or more letters and digits, at least four of them digits.
pub fn looks_like_number(query: &str) -> bool {
    let q = normalize_query(query);
    q.len() >= 6 && q.chars().all(|c| c.is_ascii_alphanumeric()) && q.chars().filter(char::is_ascii_digit).count() >= 4
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::model::{IdDocType, IdDocument};
    use crate::domain::sync::Replica;

    fn sealer(id: &str, byte: u8) -> Sealer {
        Sealer { data: DataKey::new(id, &[byte; 32]).unwrap(), tags: Tagger::new(b"archive search key") }
    }

    const ID: &str = "11010519491231002X";

    #[test]
    fn a_sealed_value_holds_no_digit_of_the_number_but_its_last_four() {
        let s = sealer("k1", 7);
        let sealed = s.seal("p1", Field::IdDocNumber, ID);
        assert!(is_sealed(&sealed));
        let p = Sealed::parse(&sealed).unwrap();
        assert_eq!((p.key, p.len, p.tail), ("k1", 18, "002X"));
        assert_eq!(p.masked(), "**************002X");
        assert_eq!(shown(&sealed), "**************002X");
        assert!(!sealed.contains("1101051949"), "{sealed}");
        // Any five consecutive characters of the number but the tail are absent.
        for w in ID.as_bytes().windows(5).take(12) {
            assert!(!sealed.contains(std::str::from_utf8(w).unwrap()), "{sealed}");
        }
        assert_eq!(s.data.open("p1", Field::IdDocNumber, &p).as_deref(), Some(ID));
    }

    #[test]
    fn a_document_s_number_masks_to_its_last_four_and_its_file_key_to_nothing() {
        let s = sealer("k1", 7);
        let number = s.seal_at("d1", "doc.number", ID);
        assert_eq!(shown(&number), "**************002X");
        let p = Sealed::parse(&number).unwrap();
        assert_eq!(s.data.open_at("d1", "doc.number", &p).as_deref(), Some(ID));
        assert_eq!(s.data.open_at("d2", "doc.number", &p), None, "moved to another document");
        assert_eq!(s.data.open_at("d1", "doc.key", &p), None, "moved to another path");
        let secret = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJ";
        let key = s.seal_secret("d1", "doc.key", secret);
        let k = Sealed::parse(&key).unwrap();
        assert_eq!((k.len, k.tail, k.tag, k.masked().as_str()), (0, "", "", ""), "nothing readable");
        assert!(!key.contains(&secret[secret.len() - 4..]));
        assert_eq!(s.data.open_at("d1", "doc.key", &k).as_deref(), Some(secret));
        assert_eq!(sealer("k1", 8).data.open_at("d1", "doc.key", &k), None);
    }

    #[test]
    fn a_value_opens_only_with_its_key_for_its_record_and_field_unaltered() {
        let s = sealer("k1", 7);
        let sealed = s.seal("p1", Field::IdDocNumber, ID);
        let p = Sealed::parse(&sealed).unwrap();
        assert_eq!(sealer("k1", 8).data.open("p1", Field::IdDocNumber, &p), None, "another key");
        assert_eq!(sealer("k2", 7).data.open("p1", Field::IdDocNumber, &p), None, "another key's id");
        assert_eq!(s.data.open("p2", Field::IdDocNumber, &p), None, "moved to another profile");
        assert_eq!(s.data.open("p1", Field::OrgAccount, &p), None, "moved to another field");
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(s.data.open("p1", Field::IdDocNumber, &Sealed::parse(&altered).unwrap()), None, "altered");
    }

    #[test]
    fn sealing_is_the_same_text_for_the_same_value_and_differs_otherwise() {
        let s = sealer("k1", 7);
        assert_eq!(s.seal("p1", Field::IdDocNumber, ID), s.seal("p1", Field::IdDocNumber, ID));
        assert_ne!(s.seal("p1", Field::IdDocNumber, ID), s.seal("p2", Field::IdDocNumber, ID));
        assert_ne!(s.seal("p1", Field::IdDocNumber, ID), sealer("k2", 9).seal("p1", Field::IdDocNumber, ID));
    }

    #[test]
    fn the_index_finds_a_number_by_its_tag_on_any_device_and_by_its_last_four() {
        let a = sealer("k1", 7);
        let b = sealer("k2", 9); // another device, same archive search key
        let sealed = a.seal("p1", Field::IdDocNumber, ID);
        let key = index_key(&sealed, Field::IdDocNumber, None);
        assert_eq!(key, b.tags.index_key(Field::IdDocNumber, ID));
        assert_eq!(key, b.tags.index_key(Field::IdDocNumber, "110105 19491231 002x"), "as typed");
        assert_ne!(key, b.tags.index_key(Field::IdDocNumber, "110105194912310021"));
        assert_ne!(key, Tagger::new(b"another archive").index_key(Field::IdDocNumber, ID));
        assert!(key.ends_with("002x"));
        // No typed query matches inside the tag: its characters fold to nothing a keyboard types.
        assert!(key.chars().take(6).all(|c| ('\u{E000}'..'\u{F000}').contains(&c)));
        assert_eq!(normalize_query(&key), key, "the index folds it to itself");
        assert_eq!(index_key(ID, Field::IdDocNumber, None), ID, "an archive not yet sealed");
    }

    #[test]
    fn a_profile_its_changes_and_its_merge_state_are_sealed_once() {
        let s = sealer("k1", 7);
        let mut p = Profile::new("p1".into(), 0, "t");
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: ID.into() });
        p.org.account = "6222020200112233".into();
        assert!(has_clear(&p));
        assert_eq!(s.seal_profile(&mut p), 2);
        assert!(!has_clear(&p));
        assert_eq!(s.seal_profile(&mut p), 0, "sealed values stay as they are");
        assert_eq!(shown(&p.org.account), "************2233");

        // A history of clear writes (made before the upgrade) is sealed write by write.
        let mut r = Replica::new("dev");
        let key = crate::domain::sync::RecordKey::profile("p1");
        let mut clear = Profile::new("p1".into(), 0, "t");
        clear.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "110105194912310021".into() });
        let c1 = r.save(&key, &serde_json::to_value(&clear).unwrap(), "t", 1).unwrap();
        clear.id_doc.as_mut().unwrap().number = ID.into();
        let mut c2 = r.save(&key, &serde_json::to_value(&clear).unwrap(), "t", 2).unwrap();
        let mut state = r.records[&key].clone();
        assert_eq!(s.seal_state("p1", &mut state), 2);
        let text = serde_json::to_string(&state).unwrap();
        assert!(!text.contains("1101051949"), "{text}");
        assert_eq!(s.seal_change(&mut c2), 1);
        let in_state = state.fields["id_doc.number"].writes.iter().find(|w| w.hlc == c2.hlc).unwrap();
        assert_eq!(c2.set["id_doc.number"].value, in_state.value, "sealed apart, they agree");
        assert!(c1.set.contains_key("id_doc.number"));
    }

    #[test]
    fn what_looks_like_a_number() {
        assert!(looks_like_number(ID));
        assert!(looks_like_number("E1234 5678"));
        assert!(!looks_like_number("张三"));
        assert!(!looks_like_number("zhangsan"));
        assert!(!looks_like_number("8000"));
        assert!(is_masked("**************002X") && is_masked("****") && is_masked("************2233"));
        assert!(!is_masked(ID) && !is_masked("*abc*") && !is_masked(""));
    }
}
