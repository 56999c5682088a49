//! The index's rows and the start-up snapshot.
//!
//! A **row** is one [`IndexEntry`] encoded in a few dozen bytes (length-prefixed strings, codes,
//! times). The search index keeps its entries as rows back to back and reads a row in place
//! ([`EntryRef`]) when the list shows it, so a million profiles cost no million small strings.
//! Journal records (entries written since the last snapshot) are single rows.
//!
//! The **snapshot** (`DGS3`) is the search index as it lies in memory: a header, then the rows,
//! the searched haystack and the packed columns, each section copied into place on load with no
//! per-entry work beyond checking that every row reads.

use super::id_table::IdTable;
use super::model::*;
use super::search::IndexEntry;

/// `DGS3`: the index's in-memory sections. `DGS2` (a list of entries) and `DGS1` snapshots are
/// not read: the index is rebuilt from the profiles once.
const MAGIC: &[u8; 4] = b"DGS3";
/// The first byte of a journal entry of this format (older entries are skipped and dropped).
const ENTRY_VERSION: u8 = 3;

/// Why a snapshot could not be read (it is then rebuilt from the profiles).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a Dangan snapshot")]
    BadMagic,
    #[error("snapshot is truncated or corrupt")]
    Corrupt,
}

/// Appends the row of `e` to `out`.
pub fn write_row(out: &mut Vec<u8>, e: &IndexEntry) {
    fn str(out: &mut Vec<u8>, s: &str) {
        var(out, s.len());
        out.extend_from_slice(s.as_bytes());
    }
    fn list(out: &mut Vec<u8>, v: &[String]) {
        var(out, v.len());
        v.iter().for_each(|s| str(out, s));
    }
    str(out, &e.id);
    out.extend_from_slice(&[
        e.kind.code(),
        e.class.code(),
        e.mark.code(),
        e.credit.code(),
        // Bit 0 the alert, bits 1–2 the ABC grade (a row written before grades existed reads as
        // none, with no new format).
        u8::from(e.alert) | (crate::domain::search::abc_code(e.abc) << 1),
        u8::from(e.deleted_at.is_some()),
    ]);
    for s in [&e.name, &e.short_name, &e.pinyin, &e.initials, &e.company, &e.code, &e.id_no, &e.address] {
        str(out, s);
    }
    for v in [&e.phones, &e.tags, &e.people, &e.contact_phones] {
        list(out, v);
    }
    for t in [Some(e.created_at), Some(e.updated_at), e.deleted_at].into_iter().flatten() {
        out.extend_from_slice(&t.to_le_bytes());
    }
}

/// A length as LEB128: one byte below 128, which nearly every field is (also the gaps of the
/// search's candidate lists).
pub(crate) fn var(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A list of strings inside a row, read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrList<'a> {
    n: u32,
    bytes: &'a [u8],
}

impl<'a> StrList<'a> {
    const EMPTY: StrList<'static> = StrList { n: 0, bytes: &[] };

    /// The strings.
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        let mut r = R { b: self.bytes, at: 0 };
        (0..self.n).map_while(move |_| r.str().ok())
    }

    pub fn is_empty(self) -> bool {
        self.n == 0
    }

    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

/// An [`IndexEntry`] read in place from its row: what the list, duplicates and import planning
/// read of thousands of entries without building them.
#[derive(Clone, Copy, Debug)]
pub struct EntryRef<'a> {
    pub id: &'a str,
    pub kind: CustomerKind,
    pub name: &'a str,
    pub short_name: &'a str,
    pub pinyin: &'a str,
    pub initials: &'a str,
    pub company: &'a str,
    pub code: &'a str,
    pub id_no: &'a str,
    pub address: &'a str,
    pub phones: StrList<'a>,
    pub tags: StrList<'a>,
    pub people: StrList<'a>,
    pub contact_phones: StrList<'a>,
    pub class: CustomerClass,
    pub mark: GuestMark,
    pub credit: CreditRating,
    pub alert: bool,
    pub abc: Option<AbcClass>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub deleted_at: Option<Millis>,
}

impl<'a> EntryRef<'a> {
    /// What a row that does not read is shown as: nothing (no id, no name).
    pub const DAMAGED: EntryRef<'static> = EntryRef {
        id: "",
        kind: CustomerKind::Person,
        name: "",
        short_name: "",
        pinyin: "",
        initials: "",
        company: "",
        code: "",
        id_no: "",
        address: "",
        phones: StrList::EMPTY,
        tags: StrList::EMPTY,
        people: StrList::EMPTY,
        contact_phones: StrList::EMPTY,
        class: CustomerClass::Ordinary,
        mark: GuestMark::None,
        credit: CreditRating::Unrated,
        alert: false,
        abc: None,
        created_at: 0,
        updated_at: 0,
        deleted_at: None,
    };

    /// The name shown in lists (as [`IndexEntry::display_name`]).
    pub fn display_name(&self) -> &'a str {
        if self.kind == CustomerKind::Organisation && !self.short_name.is_empty() {
            self.short_name
        } else {
            self.name
        }
    }

    /// The entry, built.
    pub fn to_entry(&self) -> IndexEntry {
        IndexEntry {
            id: self.id.to_string(),
            kind: self.kind,
            name: self.name.to_string(),
            short_name: self.short_name.to_string(),
            pinyin: self.pinyin.to_string(),
            initials: self.initials.to_string(),
            company: self.company.to_string(),
            code: self.code.to_string(),
            phones: self.phones.to_vec(),
            id_no: self.id_no.to_string(),
            people: self.people.to_vec(),
            contact_phones: self.contact_phones.to_vec(),
            address: self.address.to_string(),
            class: self.class,
            mark: self.mark,
            credit: self.credit,
            tags: self.tags.to_vec(),
            alert: self.alert,
            abc: self.abc,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        }
    }
}

struct R<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or(SnapshotError::Corrupt)?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn i64(&mut self) -> Result<i64, SnapshotError> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    /// A string; one that is not UTF-8 (a damaged snapshot) reads as empty. Checking every
    /// string when a snapshot loads would cost a third of loading it, and a string is checked
    /// whenever it is read anyway.
    /// A length written by [`var`] (at most 32 bits).
    fn var(&mut self) -> Result<usize, SnapshotError> {
        let mut n = 0usize;
        for shift in (0..35).step_by(7) {
            let b = *self.b.get(self.at).ok_or(SnapshotError::Corrupt)?;
            self.at += 1;
            n |= usize::from(b & 0x7f).checked_shl(shift).ok_or(SnapshotError::Corrupt)?;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(SnapshotError::Corrupt)
    }
    fn str(&mut self) -> Result<&'a str, SnapshotError> {
        let n = self.var()?;
        Ok(std::str::from_utf8(self.take(n)?).unwrap_or_default())
    }
    /// Steps over a string (its length is checked, its text is not read).
    fn skip_str(&mut self) -> Result<(), SnapshotError> {
        let n = self.var()?;
        self.take(n).map(|_| ())
    }
    /// Steps over a row, checking only that its lengths stay inside it.
    fn skip_entry(&mut self) -> Result<(), SnapshotError> {
        self.skip_str()?;
        let flags = self.take(6)?;
        for _ in 0..8 {
            self.skip_str()?;
        }
        for _ in 0..4 {
            let n = self.var()?;
            for _ in 0..n {
                self.skip_str()?;
            }
        }
        self.take(if flags[5] == 1 { 24 } else { 16 }).map(|_| ())
    }
    fn list(&mut self) -> Result<StrList<'a>, SnapshotError> {
        let n = self.var()? as u32;
        let from = self.at;
        for _ in 0..n {
            self.str()?;
        }
        Ok(StrList { n, bytes: &self.b[from..self.at] })
    }
    fn entry(&mut self) -> Result<EntryRef<'a>, SnapshotError> {
        let id = self.str()?;
        let f = self.take(6)?;
        let mut s = [""; 8];
        for x in &mut s {
            *x = self.str()?;
        }
        let [name, short_name, pinyin, initials, company, code, id_no, address] = s;
        let (phones, tags, people, contact_phones) = (self.list()?, self.list()?, self.list()?, self.list()?);
        let (created_at, updated_at) = (self.i64()?, self.i64()?);
        let deleted = if f[5] == 1 { self.i64()? } else { 0 };
        Ok(EntryRef {
            id,
            kind: CustomerKind::from_code(f[0]),
            class: CustomerClass::from_code(f[1]),
            mark: GuestMark::from_code(f[2]),
            credit: CreditRating::from_code(f[3]),
            alert: f[4] & 1 == 1,
            abc: crate::domain::search::abc_of((f[4] >> 1) & 3),
            deleted_at: (f[5] == 1).then_some(deleted),
            name,
            short_name,
            pinyin,
            initials,
            company,
            code,
            id_no,
            address,
            phones,
            tags,
            people,
            contact_phones,
            created_at,
            updated_at,
        })
    }
}

/// Reads the row starting at `at` in `rows`; returns it and where it ends.
pub fn read_row(rows: &[u8], at: usize) -> Result<(EntryRef<'_>, usize), SnapshotError> {
    let mut r = R { b: rows, at };
    let e = r.entry()?;
    Ok((e, r.at))
}

/// The id of the row starting at `at` (its first field; empty if damaged).
pub fn row_id(rows: &[u8], at: usize) -> &str {
    R { b: rows, at }.str().unwrap_or_default()
}

/// Where the row starting at `at` ends (its lengths are read, its text is not).
pub fn row_end(rows: &[u8], at: usize) -> Result<usize, SnapshotError> {
    let mut r = R { b: rows, at };
    r.skip_entry()?;
    Ok(r.at)
}

/// Walks up to `max` rows from byte `at` of `rows`, each starting where the last ended;
/// returns where the walk stopped and how many rows it read.
pub fn walk_rows(rows: &[u8], mut at: usize, max: usize) -> Result<(usize, usize), SnapshotError> {
    let mut n = 0;
    while n < max && at < rows.len() {
        at = row_end(rows, at)?;
        n += 1;
    }
    Ok((at, n))
}

/// Encodes one entry (a journal record).
pub fn encode_entry(e: &IndexEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.push(ENTRY_VERSION);
    write_row(&mut out, e);
    out
}

/// Decodes one entry.
pub fn decode_entry(bytes: &[u8]) -> Result<IndexEntry, SnapshotError> {
    if bytes.first() != Some(&ENTRY_VERSION) {
        return Err(SnapshotError::BadMagic);
    }
    let (e, end) = read_row(bytes, 1)?;
    if end != bytes.len() {
        return Err(SnapshotError::Corrupt);
    }
    Ok(e.to_entry())
}

/// The sections of a snapshot, in order. Each starts on an 8-byte boundary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sections {
    /// Number of entries.
    pub n: usize,
    /// Every row, back to back (no garbage).
    pub rows: Vec<u8>,
    /// Where each row starts in `rows`.
    pub row_at: Vec<u32>,
    /// The searched haystack.
    pub hay: Vec<u8>,
    /// Where each entry's part of `hay` starts, and its end (`n + 1` values).
    pub starts: Vec<u32>,
    /// The packed columns, [`COMPACT_LEN`] bytes per entry.
    pub compact: Vec<u8>,
    /// Where each id's entry is.
    pub ids: IdTable,
}

/// Bytes per entry of the packed columns.
pub const COMPACT_LEN: usize = 48;

const HEADER: usize = 32;

fn pad8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

/// A snapshot as the pieces to write one after the other (so that its bytes are never gathered
/// in one buffer of the page's memory).
pub struct Encoded {
    pub parts: Vec<Vec<u8>>,
}

impl Encoded {
    pub fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes in one buffer (tests and native tools).
    pub fn concat(&self) -> Vec<u8> {
        self.parts.concat()
    }
}

fn u32s(v: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pad8(v.len() * 4));
    v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
    out.resize(pad8(out.len()), 0);
    out
}

fn padded(mut v: Vec<u8>) -> Vec<u8> {
    v.resize(pad8(v.len()), 0);
    v
}

/// Encodes the sections of an index.
pub fn encode(s: Sections) -> Encoded {
    let mut header = Vec::with_capacity(HEADER);
    header.extend_from_slice(MAGIC);
    for x in [s.n, s.rows.len(), s.hay.len(), s.ids.slots().len()] {
        header.extend_from_slice(&(x as u32).to_le_bytes());
    }
    header.resize(HEADER, 0);
    Encoded {
        parts: vec![
            header,
            padded(s.rows),
            u32s(&s.row_at),
            padded(s.hay),
            u32s(&s.starts),
            padded(s.compact),
            u32s(s.ids.slots()),
        ],
    }
}

/// Decodes a snapshot of `len` bytes, which `read(offset, buf)` copies from wherever they are
/// (a slice natively, the stored array in the browser) straight into each section. The sizes and
/// the order of rows and haystack parts are checked; the rows' insides are not (see
/// [`walk_rows`]).
pub fn decode(len: usize, read: &mut dyn FnMut(usize, &mut [u8])) -> Result<Sections, SnapshotError> {
    if len < HEADER {
        return Err(SnapshotError::BadMagic);
    }
    let mut header = [0u8; HEADER];
    read(0, &mut header);
    if &header[..4] != MAGIC {
        return Err(SnapshotError::BadMagic);
    }
    let word = |i: usize| u32::from_le_bytes(header[4 + 4 * i..8 + 4 * i].try_into().expect("4 bytes")) as usize;
    let (n, rows_len, hay_len, slots) = (word(0), word(1), word(2), word(3));
    // Checked: a damaged header must not make the sizes wrap (usize is 32 bits in the browser).
    let sizes = [
        Some(rows_len),
        n.checked_mul(4),
        Some(hay_len),
        n.checked_add(1).and_then(|m| m.checked_mul(4)),
        n.checked_mul(COMPACT_LEN),
        slots.checked_mul(4),
    ];
    let total = sizes.iter().try_fold(HEADER, |acc, s| acc.checked_add(s.filter(|&s| s <= len)?.div_ceil(8) * 8));
    if total != Some(len) {
        return Err(SnapshotError::Corrupt);
    }
    let mut at = HEADER;
    let mut section = |size: usize| {
        let mut v = vec![0u8; size];
        read(at, &mut v);
        at += pad8(size);
        v
    };
    let rows = section(rows_len);
    let row_at = words(&section(n * 4));
    let hay = section(hay_len);
    let starts = words(&section((n + 1) * 4));
    let compact = section(n * COMPACT_LEN);
    let ids = IdTable::from_slots(words(&section(slots * 4)), n).ok_or(SnapshotError::Corrupt)?;
    // Rows: in order, the first at the start, each starting inside the rows. Whether each one
    // reads is not checked here: walking a million rows would cost a third of loading them. A
    // row that does not read is shown empty ([`EntryRef::DAMAGED`]), and the desk walks them all
    // after start-up ([`walk_rows`]) to rebuild a damaged snapshot from the profiles.
    if row_at.first().is_some_and(|&a| a != 0)
        || row_at.windows(2).any(|w| w[0] >= w[1])
        || row_at.last().is_some_and(|&a| a as usize >= rows.len())
        || (n == 0 && !rows.is_empty())
    {
        return Err(SnapshotError::Corrupt);
    }
    // Haystack parts: in order, covering it.
    if starts.first() != Some(&0)
        || starts.last().map(|&x| x as usize) != Some(hay.len())
        || starts.windows(2).any(|w| w[0] > w[1])
    {
        return Err(SnapshotError::Corrupt);
    }
    Ok(Sections { n, rows, row_at, hay, starts, compact, ids })
}

fn words(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect()
}

/// Decodes a snapshot held in one buffer.
pub fn decode_bytes(bytes: &[u8]) -> Result<Sections, SnapshotError> {
    decode(bytes.len(), &mut |at, buf| buf.copy_from_slice(&bytes[at..at + buf.len()]))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::search::{Filter, SearchIndex, Sort};
    use proptest::prelude::*;

    fn entry(i: usize, name: String, phones: Vec<String>, deleted: Option<i64>, tag: u8) -> IndexEntry {
        let mut p = Profile::new(format!("id-{i}"), 7, "t");
        p.name = name;
        p.phones = phones;
        p.tags = vec![format!("t{tag}")];
        p.class = CustomerClass::from_code(tag % 4);
        p.mark = GuestMark::from_code(tag % 3);
        p.meta.deleted_at = deleted;
        p.preferences =
            if tag.is_multiple_of(2) { vec![Preference { kind: PrefKind::Taboo, value: "x".into() }] } else { vec![] };
        // Every grade and none, beside the alert bit they share a byte with.
        p.abc = (tag % 4 != 3).then(|| crate::testdata::grade(AbcClass::from_code(tag % 4)));
        IndexEntry::from_profile(&p)
    }

    fn encode_entries<'a>(entries: impl IntoIterator<Item = &'a IndexEntry>) -> Vec<u8> {
        encode(SearchIndex::from_entries(entries.into_iter().cloned()).sections()).concat()
    }

    fn decode_entries(bytes: &[u8]) -> Result<Vec<IndexEntry>, SnapshotError> {
        let ix = SearchIndex::from_sections(decode_bytes(bytes)?);
        Ok((0..ix.len() as u32).map(|i| ix.entry(i)).collect())
    }

    proptest! {
        #[test]
        fn snapshot_round_trips(items in proptest::collection::vec(("\\PC{0,12}", proptest::collection::vec("[0-9]{0,11}", 0..3), proptest::option::of(any::<i64>()), any::<u8>()), 0..40)) {
            let entries: Vec<IndexEntry> =
                items.into_iter().enumerate().map(|(i, (n, p, d, t))| entry(i, n, p, d, t)).collect();
            let bytes = encode_entries(&entries);
            prop_assert_eq!(decode_entries(&bytes).unwrap(), entries.clone());
            for e in &entries {
                prop_assert_eq!(&decode_entry(&encode_entry(e)).unwrap(), e);
            }
        }

        #[test]
        fn truncated_snapshots_are_rejected_not_misread(cut in 0usize..400) {
            let entries = [entry(1, "张三".into(), vec!["13800138000".into()], None, 1), entry(2, "李四".into(), vec![], Some(5), 2)];
            let bytes = encode_entries(&entries);
            let cut = cut.min(bytes.len() - 1);
            prop_assert!(decode_bytes(&bytes[..cut]).is_err());
        }

        /// A damaged snapshot is refused or read as rows that all read: never a panic later.
        #[test]
        fn damaged_snapshots_never_break_the_index(at in 0usize..2000, byte in any::<u8>()) {
            let entries: Vec<IndexEntry> = (0..5).map(|i| entry(i, format!("客人{i}"), vec![format!("1380013800{i}")], None, i as u8)).collect();
            let mut bytes = encode_entries(&entries);
            let at = at % bytes.len();
            bytes[at] = byte;
            if let Ok(s) = decode_bytes(&bytes) {
                let mut ix = SearchIndex::from_sections(s);
                for i in 0..ix.len() as u32 {
                    let _ = ix.entry(i);
                }
                let _ = ix.search("ke", &Filter::default(), 10);
                let _ = ix.list(&Filter::default(), Sort::Name);
                let _ = encode(ix.sections());
                while let Ok(false) = ix.check_rows(2) {}
            }
        }
    }

    #[test]
    fn a_damaged_row_reads_as_nothing_and_the_walk_after_start_up_finds_it() {
        let entries: Vec<IndexEntry> =
            (0..40).map(|i| entry(i, format!("客人{i}"), vec![format!("1380013800{i}")], None, i as u8)).collect();
        let bytes = encode_entries(&entries);
        let mut ix = SearchIndex::from_sections(decode_bytes(&bytes).unwrap());
        let mut steps = 0;
        while !ix.check_rows(7).unwrap() {
            steps += 1;
        }
        assert_eq!(steps, 5, "40 rows, 7 a step");
        // Row 30's id claims more bytes than the rows hold.
        let at = HEADER + ix.sections().row_at[30] as usize;
        let mut damaged = bytes.clone();
        damaged[at] = 0xff;
        damaged[at + 1] = 0x7f;
        let mut ix = SearchIndex::from_sections(decode_bytes(&damaged).expect("sizes and order are right"));
        assert_eq!(ix.entry(29), entries[29]);
        assert_eq!(ix.row(30).id, "", "shown as nothing, not a panic");
        assert_eq!(ix.check_rows(10), Ok(false));
        assert_eq!(ix.check_rows(10), Ok(false));
        assert_eq!(ix.check_rows(10), Ok(false));
        assert_eq!(ix.check_rows(10), Err(SnapshotError::Corrupt));
        // Written again, the damaged row leaves a snapshot the next start refuses.
        assert_eq!(decode_bytes(&encode(ix.sections()).concat()), Err(SnapshotError::Corrupt));
    }

    #[test]
    fn garbage_is_rejected() {
        assert_eq!(decode_bytes(b"nonsense"), Err(SnapshotError::BadMagic));
        let mut huge = b"DGS3".to_vec();
        huge.extend_from_slice(&[0xff; 28]);
        assert_eq!(decode_bytes(&huge), Err(SnapshotError::Corrupt));
    }

    #[test]
    fn a_loaded_snapshot_searches_lists_and_finds_as_the_index_it_was_taken_from() {
        let all: Vec<IndexEntry> =
            (0..500).map(|i| IndexEntry::from_profile(&crate::testdata::profile(5, i, 1_763_856_000_000))).collect();
        let mut ix = SearchIndex::from_entries(all.iter().cloned());
        // Replaced entries leave garbage rows behind; the snapshot holds none.
        for e in &all[..50] {
            let mut e = e.clone();
            e.name.push('甲');
            ix.upsert(e);
        }
        let bytes = encode(ix.sections()).concat();
        let loaded = SearchIndex::from_sections(decode_bytes(&bytes).unwrap());
        assert_eq!(loaded.len(), ix.len());
        for q in ["z", "zh", "wang", "138", "甲", "华"] {
            assert_eq!(loaded.search(q, &Filter::default(), 50), ix.search(q, &Filter::default(), 50), "{q}");
        }
        for sort in [Sort::Updated, Sort::Created, Sort::Name, Sort::Class] {
            assert_eq!(loaded.list(&Filter::default(), sort), ix.list(&Filter::default(), sort));
        }
        assert_eq!(loaded.counts(false), ix.counts(false));
        assert_eq!(loaded.tags(), ix.tags());
        assert_eq!(loaded.get(&all[7].id), ix.get(&all[7].id));
        assert!(bytes.len() < encode(ix.sections()).len() + 1);
        let garbage_free = encode(SearchIndex::from_sections(decode_bytes(&bytes).unwrap()).sections()).concat();
        assert_eq!(garbage_free, bytes, "a reloaded index writes the same snapshot");
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
        assert_eq!(decode_entries(&encode_entries([&e])).unwrap(), std::slice::from_ref(&e));
        assert_eq!(decode_entry(&encode_entry(&e)).unwrap(), e);
        // Snapshots and journal entries of the previous format are not misread: they are rebuilt.
        let mut e = e;
        e.id = "org-1".into(); // not an id whose length byte is the entry version
        let mut old = encode_entries([&e]);
        old[3] = b'2';
        assert_eq!(decode_bytes(&old), Err(SnapshotError::BadMagic));
        assert_eq!(decode_entry(&encode_entry(&e)[1..]), Err(SnapshotError::BadMagic));
        let mut v2 = encode_entry(&e);
        v2[0] = 2;
        assert_eq!(decode_entry(&v2), Err(SnapshotError::BadMagic), "a journal entry of the DGS2 rows");
    }
}
