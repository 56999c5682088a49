//! The compact start-up snapshot: every [`IndexEntry`] in one byte buffer, so that opening an
//! archive of 100,000 profiles reads one record instead of 100,000. Also the encoding of single
//! entries kept in the journal between snapshots.

use super::model::*;
use super::search::IndexEntry;

/// `DGS2`: entries carry an organisation's people, contact phones and the address (`DGS1`
/// snapshots are not read: the index is rebuilt from the profiles once).
const MAGIC: &[u8; 4] = b"DGS2";
/// The first byte of a journal entry of this format (older entries are skipped and dropped).
const ENTRY_VERSION: u8 = 2;

/// Why a snapshot could not be read (it is then rebuilt from the profiles).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a Dangan snapshot")]
    BadMagic,
    #[error("snapshot is truncated or corrupt")]
    Corrupt,
}

struct W(Vec<u8>);

impl W {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn list(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.str(s);
        }
    }
    fn entry(&mut self, e: &IndexEntry) {
        self.str(&e.id);
        self.0.extend_from_slice(&[
            e.kind.code(),
            e.class.code(),
            e.mark.code(),
            e.credit.code(),
            u8::from(e.alert),
            u8::from(e.deleted_at.is_some()),
        ]);
        for s in [&e.name, &e.short_name, &e.pinyin, &e.initials, &e.company, &e.code, &e.id_no, &e.address] {
            self.str(s);
        }
        self.list(&e.phones);
        self.list(&e.tags);
        self.list(&e.people);
        self.list(&e.contact_phones);
        self.i64(e.created_at);
        self.i64(e.updated_at);
        self.i64(e.deleted_at.unwrap_or(0));
    }
}

struct R<'a> {
    b: &'a [u8],
    at: usize,
}

impl R<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], SnapshotError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or(SnapshotError::Corrupt)?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn i64(&mut self) -> Result<i64, SnapshotError> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn str(&mut self) -> Result<String, SnapshotError> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| SnapshotError::Corrupt)
    }
    fn list(&mut self) -> Result<Vec<String>, SnapshotError> {
        let n = self.u32()? as usize;
        if n > self.b.len() {
            return Err(SnapshotError::Corrupt);
        }
        (0..n).map(|_| self.str()).collect()
    }
    fn entry(&mut self) -> Result<IndexEntry, SnapshotError> {
        let id = self.str()?;
        let f = self.take(6)?.to_vec();
        let mut strs = (0..8).map(|_| self.str()).collect::<Result<Vec<_>, _>>()?.into_iter();
        let mut next = || strs.next().unwrap_or_default();
        let (name, short_name, pinyin, initials, company, code, id_no, address) =
            (next(), next(), next(), next(), next(), next(), next(), next());
        let phones = self.list()?;
        let tags = self.list()?;
        let people = self.list()?;
        let contact_phones = self.list()?;
        let created_at = self.i64()?;
        let updated_at = self.i64()?;
        let deleted = self.i64()?;
        Ok(IndexEntry {
            id,
            kind: CustomerKind::from_code(f[0]),
            class: CustomerClass::from_code(f[1]),
            mark: GuestMark::from_code(f[2]),
            credit: CreditRating::from_code(f[3]),
            alert: f[4] == 1,
            deleted_at: (f[5] == 1).then_some(deleted),
            name,
            short_name,
            pinyin,
            initials,
            company,
            code,
            id_no,
            phones,
            tags,
            people,
            contact_phones,
            address,
            created_at,
            updated_at,
        })
    }
}

/// Encodes entries into a snapshot.
pub fn encode<'a>(entries: impl IntoIterator<Item = &'a IndexEntry>) -> Vec<u8> {
    let entries = entries.into_iter();
    let mut enc = Encoder::with_capacity(entries.size_hint().0);
    for e in entries {
        enc.push(e);
    }
    enc.finish()
}

/// A snapshot written entry by entry (a long import encodes each profile as it writes it).
pub struct Encoder {
    w: W,
    n: u32,
}

impl Encoder {
    pub fn with_capacity(entries: usize) -> Encoder {
        let mut w = W(Vec::with_capacity(entries * 128 + 8));
        w.0.extend_from_slice(MAGIC);
        w.u32(0);
        Encoder { w, n: 0 }
    }

    pub fn push(&mut self, e: &IndexEntry) {
        self.w.entry(e);
        self.n += 1;
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.w.0[4..8].copy_from_slice(&self.n.to_le_bytes());
        self.w.0
    }
}

/// Decodes a snapshot.
pub fn decode(bytes: &[u8]) -> Result<Vec<IndexEntry>, SnapshotError> {
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        return Err(SnapshotError::BadMagic);
    }
    let mut r = R { b: bytes, at: 4 };
    let n = r.u32()? as usize;
    if n > bytes.len() {
        return Err(SnapshotError::Corrupt);
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(r.entry()?);
    }
    if r.at != bytes.len() {
        return Err(SnapshotError::Corrupt);
    }
    Ok(out)
}

/// Encodes one entry (a journal record).
pub fn encode_entry(e: &IndexEntry) -> Vec<u8> {
    let mut w = W(Vec::with_capacity(128));
    w.0.push(ENTRY_VERSION);
    w.entry(e);
    w.0
}

/// Decodes one entry.
pub fn decode_entry(bytes: &[u8]) -> Result<IndexEntry, SnapshotError> {
    if bytes.first() != Some(&ENTRY_VERSION) {
        return Err(SnapshotError::BadMagic);
    }
    let mut r = R { b: bytes, at: 1 };
    let e = r.entry()?;
    if r.at != bytes.len() {
        return Err(SnapshotError::Corrupt);
    }
    Ok(e)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(name: String, phones: Vec<String>, deleted: Option<i64>, tag: u8) -> IndexEntry {
        let mut p = Profile::new(format!("id-{name}"), 7, "t");
        p.name = name;
        p.phones = phones;
        p.tags = vec![format!("t{tag}")];
        p.class = CustomerClass::from_code(tag % 4);
        p.mark = GuestMark::from_code(tag % 3);
        p.meta.deleted_at = deleted;
        IndexEntry::from_profile(&p)
    }

    proptest! {
        #[test]
        fn snapshot_round_trips(items in proptest::collection::vec(("\\PC{0,12}", proptest::collection::vec("[0-9]{0,11}", 0..3), proptest::option::of(any::<i64>()), any::<u8>()), 0..40)) {
            let entries: Vec<IndexEntry> = items.into_iter().map(|(n, p, d, t)| entry(n, p, d, t)).collect();
            let bytes = encode(entries.iter());
            prop_assert_eq!(decode(&bytes).unwrap(), entries.clone());
            for e in &entries {
                prop_assert_eq!(&decode_entry(&encode_entry(e)).unwrap(), e);
            }
        }

        #[test]
        fn truncated_snapshots_are_rejected_not_misread(cut in 0usize..200) {
            let entries = [entry("张三".into(), vec!["13800138000".into()], None, 1), entry("李四".into(), vec![], Some(5), 2)];
            let bytes = encode(entries.iter());
            let cut = cut.min(bytes.len() - 1);
            prop_assert!(decode(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn garbage_is_rejected() {
        assert_eq!(decode(b"nonsense"), Err(SnapshotError::BadMagic));
        assert_eq!(decode(b"DGS2\xff\xff\xff\xff"), Err(SnapshotError::Corrupt));
    }

    #[test]
    fn an_organisation_keeps_its_people_contact_phones_and_address() {
        let mut p = Profile::new("org".into(), 7, "t");
        p.kind = CustomerKind::Organisation;
        p.name = "北京大学出版社".into();
        p.address = "北京市海淀区成府路 205 号".into();
        p.org.legal_rep = "张明".into();
        p.org.contacts = vec![Contact { name: "王老师".into(), role: String::new(), phone: "010-62751234".into() }];
        let e = IndexEntry::from_profile(&p);
        assert_eq!(
            (e.people.as_slice(), e.contact_phones.as_slice()),
            (&["王老师".to_string(), "张明".to_string()][..], &["01062751234".to_string()][..])
        );
        assert_eq!(decode(&encode([&e])).unwrap(), std::slice::from_ref(&e));
        assert_eq!(decode_entry(&encode_entry(&e)).unwrap(), e);
        // Snapshots and journal entries of the previous format are not misread: they are rebuilt.
        let mut old = encode([&e]);
        old[3] = b'1';
        assert_eq!(decode(&old), Err(SnapshotError::BadMagic));
        assert_eq!(decode_entry(&encode_entry(&e)[1..]), Err(SnapshotError::BadMagic));
    }
}
