//! The in-memory search and list index. One compact [`IndexEntry`] per profile holds what the
//! list and search need; the full profile is read from storage only when opened.
//!
//! Search scans one contiguous byte haystack: each entry is a run of fields, each field starting
//! with a tag byte (0x01–0x0B) that also separates fields, so a match never spans two fields and
//! its field is found by looking back to the nearest tag. When a query extends the previous one
//! (`z` → `zh` → `zha`), only the previous matches are searched again. A large archive gets
//! candidate lists ([`grams`]) that answer one- and two-letter queries without a scan.
//!
//! Entries are kept as rows (see [`super::snapshot`]) and read in place, so a million profiles
//! cost no million small strings, and the index loads from its snapshot by copying sections.

mod grams;

use super::id_table::IdTable;
use super::model::*;
use super::snapshot::{self, EntryRef, Sections, SnapshotError, COMPACT_LEN};
use super::text::{has_han, normalize_query, phone_digits, pinyin_keys};
use memchr::memmem;
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// What the list and search know about one profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexEntry {
    pub id: String,
    pub kind: CustomerKind,
    /// Name as entered (a person's name or an organisation's full name).
    pub name: String,
    pub short_name: String,
    pub pinyin: String,
    pub initials: String,
    pub company: String,
    pub code: String,
    /// Phone numbers as digits only.
    pub phones: Vec<String>,
    /// ID document number, upper-case.
    pub id_no: String,
    /// People an organisation is found by: its contacts and its legal representative.
    pub people: Vec<String>,
    /// Its contacts' phone numbers, digits only.
    pub contact_phones: Vec<String>,
    /// The address (matches rank below names).
    pub address: String,
    pub class: CustomerClass,
    pub mark: GuestMark,
    pub credit: CreditRating,
    pub tags: Vec<String>,
    /// Has a taboo or allergy (shown as a warning icon in lists).
    pub alert: bool,
    /// The grade of the last ABC analysis applied.
    pub abc: Option<AbcClass>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub deleted_at: Option<Millis>,
}

impl IndexEntry {
    /// The index entry of a profile.
    pub fn from_profile(p: &Profile) -> IndexEntry {
        let name = p.name.trim().to_string();
        let (pinyin, initials) = if has_han(&name) || has_han(&p.short_name) {
            let (mut full, mut ini) = pinyin_keys(&name);
            if !p.short_name.trim().is_empty() {
                let (f2, i2) = pinyin_keys(&p.short_name);
                // Organisations are often called by their short name: index both.
                full = format!("{full} {f2}");
                ini = format!("{ini} {i2}");
            }
            (full, ini)
        } else {
            let (full, ini) = pinyin_keys(&name);
            (full, if ini.len() > 1 { ini } else { String::new() })
        };
        let org = p.kind == CustomerKind::Organisation;
        let company = if org { String::new() } else { p.company.trim().to_string() };
        let (people, contact_phones) = if org {
            let mut people: Vec<String> = p.org.contacts.iter().map(|c| c.name.trim().to_string()).collect();
            people.push(p.org.legal_rep.trim().to_string());
            people.retain(|x| !x.is_empty());
            people.dedup();
            let phones = p.org.contacts.iter().map(|c| phone_digits(&c.phone)).filter(|x| !x.is_empty()).collect();
            (people, phones)
        } else {
            (Vec::new(), Vec::new())
        };
        IndexEntry {
            id: p.id.clone(),
            kind: p.kind,
            name,
            short_name: p.short_name.trim().to_string(),
            pinyin,
            initials,
            company,
            code: p.customer_code.trim().to_string(),
            phones: p.phones.iter().map(|x| phone_digits(x)).filter(|x| !x.is_empty()).collect(),
            // A sealed number as its tag and last four; one in clear (an archive not yet sealed) as is.
            id_no: p
                .id_doc
                .as_ref()
                .map(|d| {
                    crate::domain::governance::sealed::index_key(
                        &d.number,
                        crate::domain::fields::Field::IdDocNumber,
                        None,
                    )
                })
                .unwrap_or_default(),
            people,
            contact_phones,
            address: p.address.trim().to_string(),
            class: p.class,
            mark: p.mark,
            credit: p.credit,
            tags: p.tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            alert: p.preferences.iter().any(|x| x.kind.is_alert() && !x.value.trim().is_empty()),
            abc: p.abc.as_ref().map(|g| g.class),
            created_at: p.meta.created_at,
            updated_at: p.meta.updated_at,
            deleted_at: p.meta.deleted_at,
        }
    }

    /// The name shown in lists.
    pub fn display_name(&self) -> &str {
        if self.kind == CustomerKind::Organisation && !self.short_name.is_empty() {
            &self.short_name
        } else {
            &self.name
        }
    }

    /// When `query` finds this entry only through an organisation's people, a contact's phone or
    /// the address, which field and value (so the list can say why the row is there); `None`
    /// when the entry's own name, phone, number, code or company matches.
    pub fn matched_through(&self, query: &str) -> Option<(Field, &str)> {
        let q = normalize_query(query);
        if q.is_empty() {
            return None;
        }
        let has = |s: &str| normalize_query(s).contains(&q);
        let own = [&self.name, &self.short_name, &self.code, &self.id_no, &self.company]
            .into_iter()
            .chain(&self.phones)
            .any(|s| has(s))
            || self.pinyin.split(' ').chain(self.initials.split(' ')).any(has);
        if own {
            return None;
        }
        let person = self.people.iter().find(|s| has(s)).map(|s| (Field::Person, s.as_str()));
        person
            .or_else(|| self.contact_phones.iter().find(|s| has(s)).map(|s| (Field::ContactPhone, s.as_str())))
            .or_else(|| has(&self.address).then_some((Field::Address, self.address.as_str())))
    }

    fn write_hay(&self, out: &mut Vec<u8>) {
        let mut field = |tag: Field, text: &str| {
            if !text.is_empty() {
                out.push(tag as u8);
                out.extend_from_slice(normalize_query(text).as_bytes());
            }
        };
        field(Field::Name, &self.name);
        field(Field::ShortName, &self.short_name);
        for part in self.pinyin.split(' ') {
            field(Field::Pinyin, part);
        }
        for part in self.initials.split(' ') {
            field(Field::Initials, part);
        }
        field(Field::Code, &self.code);
        for ph in &self.phones {
            field(Field::Phone, ph);
        }
        field(Field::IdNo, &self.id_no);
        field(Field::Company, &self.company);
        for x in &self.people {
            field(Field::Person, x);
        }
        for ph in &self.contact_phones {
            field(Field::ContactPhone, ph);
        }
        field(Field::Address, &self.address);
    }
}

/// Which field a search matched, in the order they are stored (the tag byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Field {
    Name = 1,
    ShortName = 2,
    Pinyin = 3,
    Initials = 4,
    Code = 5,
    Phone = 6,
    IdNo = 7,
    Company = 8,
    /// An organisation's contact or legal representative.
    Person = 9,
    ContactPhone = 10,
    Address = 11,
}

const MAX_TAG: u8 = 11;

impl Field {
    fn from_tag(t: u8) -> Field {
        match t {
            1 => Field::Name,
            2 => Field::ShortName,
            3 => Field::Pinyin,
            4 => Field::Initials,
            5 => Field::Code,
            6 => Field::Phone,
            7 => Field::IdNo,
            8 => Field::Company,
            9 => Field::Person,
            10 => Field::ContactPhone,
            _ => Field::Address,
        }
    }

    /// Score of a match: `(exact, prefix, suffix, elsewhere)`. Exact names and numbers first,
    /// then name, initials and pinyin prefixes, phone tails, and substrings last.
    fn scores(self) -> [u32; 4] {
        match self {
            Field::Name | Field::ShortName => [1000, 900, 520, 500],
            Field::Initials => [950, 850, 300, 300],
            Field::Pinyin => [940, 800, 350, 350],
            Field::Code => [980, 700, 300, 300],
            Field::Phone => [990, 650, 880, 250],
            Field::IdNo => [990, 650, 600, 200],
            Field::Company => [700, 600, 400, 400],
            // An organisation found through one of its people or contact phones ranks below the
            // profiles whose own name or phone matched; an address below every name.
            Field::Person => [760, 680, 420, 380],
            Field::ContactPhone => [900, 600, 820, 220],
            Field::Address => [450, 430, 300, 260],
        }
    }

    /// The score of a match that starts the field, ends it, both or neither.
    fn score(self, at_start: bool, at_end: bool) -> u32 {
        let [exact, prefix, suffix, other] = self.scores();
        match (at_start, at_end) {
            (true, true) => exact,
            (true, false) => prefix,
            (false, true) => suffix,
            (false, false) => other,
        }
    }
}

/// List filters: customer class, VIP only, credit rating, tag; or the deleted view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub class: Option<CustomerClass>,
    pub vip_only: bool,
    pub credit: Option<CreditRating>,
    /// Only customers of this ABC grade.
    pub abc: Option<AbcClass>,
    pub tag: Option<String>,
    /// Show only soft-deleted profiles (the "deleted" view) instead of live ones.
    pub deleted: bool,
}

impl Filter {
    /// Everything but the tag, from the packed data only.
    fn accepts_compact(&self, c: &Compact) -> bool {
        c.deleted == self.deleted
            && self.class.is_none_or(|x| c.class == x.code())
            && (!self.vip_only || c.mark == GuestMark::Vip.code())
            && self.credit.is_none_or(|x| c.credit == x.code())
            && self.abc.is_none_or(|x| c.abc == abc_code(Some(x)))
    }

    /// Whether an entry passes the filter.
    pub fn accepts(&self, e: &IndexEntry) -> bool {
        self.accepts_compact(&Compact::of(e, &[])) && self.tag.as_ref().is_none_or(|t| e.tags.contains(t))
    }

    /// Whether any narrowing filter is set (beyond live/deleted).
    pub fn is_narrowing(&self) -> bool {
        self.class.is_some() || self.vip_only || self.credit.is_some() || self.abc.is_some() || self.tag.is_some()
    }
}

/// List orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Updated,
    Created,
    Name,
    Class,
}

/// Counts shown beside the filters, over the live (or deleted) profiles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub by_class: [usize; 4],
    pub vip: usize,
    pub by_credit: [usize; 4],
    /// Graded A, B, C by the last ABC analysis applied.
    pub by_abc: [usize; 3],
}

/// The outcome of a search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResult {
    /// All matching entries.
    pub total: usize,
    /// The best `limit` matches, best first (entry positions).
    pub hits: Vec<u32>,
}

/// A rank for a score of 0 (mark and update time, [`Compact::rank`]) with a match's score above it.
fn with_score(rank: u64, score: u32) -> u64 {
    (u64::from(score) << 34) | rank
}

/// What filtering and ranking read of an entry, kept packed beside the rows so that a search
/// or a list over 100,000 profiles does not read each row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Compact {
    class: u8,
    mark: u8,
    credit: u8,
    /// [`abc_code`] (0 when never graded: the byte was zero before grades existed).
    abc: u8,
    deleted: bool,
    updated_at: Millis,
    created_at: Millis,
    /// Single-character search without scanning text: bit `k` stands for `0-9a-z`[k].
    /// Characters anywhere in the entry's fields,
    chars_any: u64,
    /// starting a name, short name, pinyin or initials field,
    chars_start_name: u64,
    /// and starting any other field.
    chars_start_other: u64,
}

/// An ABC grade as stored in the index: 0 none, then A, B, C.
pub(crate) fn abc_code(a: Option<AbcClass>) -> u8 {
    a.map_or(0, |c| c.code() + 1)
}

/// The grade of an [`abc_code`].
pub(crate) fn abc_of(code: u8) -> Option<AbcClass> {
    code.checked_sub(1).filter(|c| *c < 3).map(AbcClass::from_code)
}

/// The mask bit of an ASCII letter or digit.
fn char_bit(b: u8) -> Option<u64> {
    match b {
        b'0'..=b'9' => Some(1 << (b - b'0')),
        b'a'..=b'z' => Some(1 << (10 + b - b'a')),
        _ => None,
    }
}

impl Compact {
    fn of(e: &IndexEntry, hay: &[u8]) -> Compact {
        let (mut any, mut name, mut other) = (0u64, 0u64, 0u64);
        let mut tag = 0u8;
        let mut at_start = false;
        for &b in hay {
            if b <= MAX_TAG {
                tag = b;
                at_start = true;
                continue;
            }
            if let Some(bit) = char_bit(b) {
                any |= bit;
                if at_start {
                    if tag <= Field::Initials as u8 {
                        name |= bit;
                    } else {
                        other |= bit;
                    }
                }
            }
            at_start = false;
        }
        Compact {
            chars_any: any,
            chars_start_name: name,
            chars_start_other: other,
            class: e.class.code(),
            mark: e.mark.code(),
            credit: e.credit.code(),
            abc: abc_code(e.abc),
            deleted: e.deleted_at.is_some(),
            updated_at: e.updated_at,
            created_at: e.created_at,
        }
    }

    /// Higher is better: match score, then VIP/regular mark, then recently updated.
    fn rank(&self, score: u32) -> u64 {
        let updated_s = (self.updated_at / 1000).clamp(0, u32::MAX as i64) as u32;
        with_score((u64::from(self.mark) << 32) | u64::from(updated_s), score)
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.class, self.mark, self.credit, u8::from(self.deleted), self.abc, 0, 0, 0]);
        for t in [self.updated_at, self.created_at] {
            out.extend_from_slice(&t.to_le_bytes());
        }
        for m in [self.chars_any, self.chars_start_name, self.chars_start_other] {
            out.extend_from_slice(&m.to_le_bytes());
        }
    }

    fn read(b: &[u8]) -> Compact {
        let word = |i: usize| u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        Compact {
            class: b[0],
            mark: b[1],
            credit: b[2],
            deleted: b[3] == 1,
            abc: b[4],
            updated_at: word(1) as i64,
            created_at: word(2) as i64,
            chars_any: word(3),
            chars_start_name: word(4),
            chars_start_other: word(5),
        }
    }
}

/// The best `limit` matches of a search as they are found, in any order (of equal ranks the
/// earlier entry is the better), their count, and what narrows the next keystroke's search while
/// the matches are few enough: where the query starts in them, or at least which they are.
struct Best {
    limit: usize,
    /// The worst kept, best first when finished: a min-heap on (rank, earlier entry).
    heap: BinaryHeap<Reverse<(u64, Reverse<u32>)>>,
    /// The (rank, earlier entry) an entry must beat once `heap` is full.
    floor: Option<(u64, Reverse<u32>)>,
    total: usize,
    candidates: Option<Vec<u32>>,
    /// Every place the query starts in the matches, while the search tells them
    /// ([`Self::place`] before each [`Self::push`]) and they are few: the next keystroke then
    /// compares the bytes kept with each instead of reading every match again.
    places: Option<Vec<Place>>,
    max_candidates: usize,
}

/// What narrows the search of a longer query (see [`Best`]).
#[derive(Clone)]
enum Found {
    /// The matching entries, in order.
    Entries(Vec<u32>),
    /// Every place the query starts in a matching entry, in order.
    Places(Vec<Place>),
}

/// A place where a query starts in a matching entry, with what tells whether a longer query
/// typed on starts there too and how it scores, without reading the entry again.
#[derive(Clone, Copy, Debug)]
struct Place {
    /// Haystack position.
    pos: u32,
    entry: u32,
    /// The entry's rank for a score of 0.
    rank: u64,
    /// The bytes after the query (0 past the entry's end, which reads as a field's end), the
    /// first `known` of them kept.
    ahead: [u8; 8],
    known: u8,
    /// The field's tag, and whether the query starts the field.
    tag: u8,
    start: bool,
}

impl Place {
    /// The score of the query ending where `ahead[k]` is.
    fn score(&self, k: usize) -> u32 {
        Field::from_tag(self.tag).score(self.start, self.ahead[k] <= MAX_TAG)
    }
}

impl Best {
    fn new(limit: usize, max_candidates: usize) -> Best {
        Best {
            limit,
            heap: BinaryHeap::with_capacity(limit.min(4096) + 1),
            floor: None,
            total: 0,
            candidates: Some(Vec::new()),
            places: Some(Vec::new()),
            max_candidates,
        }
    }

    /// Records a place where the query starts (every such place of an entry, before the entry is
    /// pushed).
    #[inline]
    fn place(&mut self, place: Place) {
        if let Some(p) = &mut self.places {
            // Comparing at a place costs far less than checking an entry: twice as many are kept.
            if p.len() < 2 * self.max_candidates {
                p.push(place);
            } else {
                self.places = None;
            }
        }
    }

    #[inline]
    fn push(&mut self, rank: u64, i: u32) {
        self.total += 1;
        if let Some(c) = &mut self.candidates {
            if c.len() < self.max_candidates {
                c.push(i);
            } else {
                self.candidates = None;
            }
        }
        // A match pushed without its places (a search from the lists) leaves them incomplete.
        if self.places.as_ref().is_some_and(|p| p.last().map(|p| p.entry) != Some(i)) {
            self.places = None;
        }
        if self.floor.is_some_and(|f| (rank, Reverse(i)) <= f) || self.limit == 0 {
            return;
        }
        self.heap.push(Reverse((rank, Reverse(i))));
        if self.heap.len() > self.limit {
            self.heap.pop();
        }
        if self.heap.len() == self.limit {
            self.floor = self.heap.peek().map(|r| r.0);
        }
    }

    /// The count, the best entries best first, and what narrows the next search if they were few.
    fn finish(self) -> (usize, Vec<u32>, Option<Found>) {
        let hits = self.heap.into_sorted_vec().into_iter().map(|Reverse((_, Reverse(i)))| i).collect();
        let found = match (self.places, self.candidates) {
            (Some(mut p), _) => {
                p.sort_unstable_by_key(|p| p.pos);
                Some(Found::Places(p))
            }
            (None, Some(mut c)) => {
                c.sort_unstable();
                Some(Found::Entries(c))
            }
            (None, None) => None,
        };
        (self.total, hits, found)
    }
}

struct LastQuery {
    query: String,
    filter: Filter,
    generation: u64,
    found: Found,
}

/// The index of every profile.
#[derive(Default)]
pub struct SearchIndex {
    /// Every entry's row, back to back. A replaced entry's old row stays until the index is
    /// rebuilt or reloaded from a snapshot (which holds no garbage).
    rows: Vec<u8>,
    /// Where entry `i`'s row starts in `rows`.
    row_at: Vec<u32>,
    compact: Vec<Compact>,
    /// Entry positions, found by the hash of their id (ids are read from the rows).
    by_id: IdTable,
    hay: Vec<u8>,
    /// `starts[i]..starts[i + 1]` is entry `i`'s part of `hay`.
    starts: Vec<u32>,
    generation: u64,
    last: RefCell<Option<LastQuery>>,
    /// Live entries by customer code (ASCII case folded), built when first asked for and again
    /// after the index changed: an import asks once per row, so a scan per question would be
    /// rows × archive.
    codes: RefCell<Option<(u64, CodeOwners)>>,
    /// The rows of the snapshot this index was loaded from that are still to be walked (see
    /// [`Self::check_rows`]).
    unchecked: Option<Unchecked>,
    /// Candidate lists for a large archive (see [`grams`]), once built,
    grams: Option<grams::Grams>,
    /// and while they are being built.
    building: Option<grams::Builder>,
}

/// From how many entries an index wants candidate lists: below, a scan of the haystack takes a
/// few milliseconds.
pub const GRAMS_FROM: usize = 50_000;

/// What checking one entry out of order costs, in bytes of haystack scanned in order (measured
/// at a million entries natively: 350–500 ns against 0.4 ns a byte).
const CHECK_COST: usize = 768;

/// How far the walk of a loaded snapshot's rows has come: up to byte `at`, `seen` rows, of the
/// `n` rows that end at byte `end`.
#[derive(Clone, Copy, Debug)]
struct Unchecked {
    at: usize,
    seen: usize,
    end: usize,
    n: usize,
}

/// Positions of live entries per folded customer code, in storage order.
type CodeOwners = HashMap<String, Vec<u32>>;

impl Clone for SearchIndex {
    fn clone(&self) -> SearchIndex {
        SearchIndex {
            rows: self.rows.clone(),
            row_at: self.row_at.clone(),
            compact: self.compact.clone(),
            by_id: self.by_id.clone(),
            hay: self.hay.clone(),
            starts: self.starts.clone(),
            generation: self.generation,
            last: RefCell::new(None),
            codes: RefCell::new(None),
            unchecked: self.unchecked,
            grams: None,
            building: None,
        }
    }
}

/// The hash of an id: each 8-byte word multiplied in and folded, then murmur3's finaliser
/// (SipHash, the standard library's, costs a third of loading a million entries; ids are made by
/// the app and its devices, so there is no adversary to choose colliding ones).
pub(crate) fn id_hash(id: &str) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = id.len() as u64;
    for c in id.as_bytes().chunks(8) {
        let mut w = [0u8; 8];
        w[..c.len()].copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K);
        h ^= h >> 32;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl SearchIndex {
    /// An index over `entries` (later entries with the same id replace earlier ones).
    pub fn from_entries(entries: impl IntoIterator<Item = IndexEntry>) -> SearchIndex {
        let mut ix = SearchIndex { starts: vec![0], ..SearchIndex::default() };
        for e in entries {
            ix.upsert(e);
        }
        ix
    }

    /// The index a snapshot holds (see [`snapshot::decode`]; its rows are walked later with
    /// [`Self::check_rows`]).
    pub fn from_sections(s: Sections) -> SearchIndex {
        let compact = s.compact.chunks_exact(COMPACT_LEN).map(Compact::read).collect();
        SearchIndex {
            unchecked: Some(Unchecked { at: 0, seen: 0, end: s.rows.len(), n: s.n }),
            rows: s.rows,
            row_at: s.row_at,
            compact,
            hay: s.hay,
            starts: s.starts,
            by_id: s.ids,
            ..SearchIndex::default()
        }
    }

    /// The sections of a snapshot of this index (rows without garbage).
    pub fn sections(&self) -> Sections {
        let mut enc = SnapshotBuilder::with_capacity(self.len(), self.rows.len(), self.hay.len());
        (0..self.len() as u32).for_each(|i| enc.push_from(self, i));
        // Every entry where it is here: the positions are the same, so the id table is this
        // one, not built again.
        Sections { ids: self.by_id.clone(), ..enc.s }
    }

    /// This index without the entries of `ids` (destroyed profiles): built anew from the others,
    /// so nothing of the erased ones is left in its rows or haystack (the garbage rows
    /// included). Its candidate lists are built again when wanted.
    pub fn without(&self, ids: &std::collections::HashSet<&str>) -> SearchIndex {
        let mut enc = SnapshotBuilder::with_capacity(self.len(), self.rows.len(), self.hay.len());
        (0..self.len() as u32).filter(|i| !ids.contains(self.id(*i))).for_each(|i| enc.push_from(self, i));
        let mut ix = SearchIndex::from_sections(enc.finish());
        ix.unchecked = None;
        ix.generation = self.generation + 1;
        ix
    }

    /// Records entry `i`'s id in `by_id` (replacing an earlier position of the same id).
    fn index_id(&mut self, i: u32) {
        let (rows, row_at) = (&self.rows, &self.row_at);
        let id_of = |p: u32| row_id(rows, row_at[p as usize]);
        let id = id_of(i);
        self.by_id.insert(id_hash(id), i, |p| id_of(p) == id, &|p| id_hash(id_of(p)));
    }

    /// Adds every entry of `other` (a bulk import's new profiles, indexed while they were
    /// written). New ids are appended without re-indexing; an id already here is replaced.
    pub fn append(&mut self, other: SearchIndex) {
        if self.is_empty() {
            let generation = self.generation + 1;
            *self = other;
            self.generation += generation;
            return;
        }
        if (0..other.len() as u32).any(|i| self.position(other.id(i)).is_some()) {
            (0..other.len() as u32).for_each(|i| self.upsert(other.entry(i)));
            return;
        }
        self.generation += 1;
        let base = self.hay.len() as u32;
        let first = self.len() as u32;
        let row_base = self.rows.len() as u32;
        self.hay.extend_from_slice(&other.hay);
        self.starts.extend(other.starts.iter().skip(1).map(|s| s + base));
        self.compact.extend(other.compact);
        self.rows.extend_from_slice(&other.rows);
        self.row_at.extend(other.row_at.iter().map(|a| a + row_base));
        for i in first..self.len() as u32 {
            self.index_id(i);
        }
        self.drop_worn_grams();
    }

    /// Number of entries, live and deleted.
    pub fn len(&self) -> usize {
        self.row_at.len()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.row_at.is_empty()
    }

    /// The entry at a position, read in place.
    pub fn row(&self, pos: u32) -> EntryRef<'_> {
        snapshot::read_row(&self.rows, self.row_at[pos as usize] as usize).map_or(EntryRef::DAMAGED, |r| r.0)
    }

    /// Every entry in storage order, read in place.
    pub fn rows(&self) -> impl Iterator<Item = EntryRef<'_>> {
        (0..self.len() as u32).map(|i| self.row(i))
    }

    /// The entry at a position returned by a search or list.
    pub fn entry(&self, pos: u32) -> IndexEntry {
        self.row(pos).to_entry()
    }

    /// The id of the entry at a position.
    pub fn id(&self, pos: u32) -> &str {
        row_id(&self.rows, self.row_at[pos as usize])
    }

    /// The position of a profile id.
    pub fn position(&self, id: &str) -> Option<u32> {
        self.by_id.find(id_hash(id), |p| self.id(p) == id)
    }

    /// The entry of a profile id.
    pub fn get(&self, id: &str) -> Option<IndexEntry> {
        self.position(id).map(|i| self.entry(i))
    }

    /// When the profile `id` last changed, as the index knows it.
    pub fn updated_at(&self, id: &str) -> Option<Millis> {
        self.position(id).map(|i| self.compact[i as usize].updated_at)
    }

    /// Bytes of rows and of haystack held (with any garbage rows): what a snapshot of this index
    /// needs at most.
    pub fn byte_sizes(&self) -> (usize, usize) {
        (self.rows.len(), self.hay.len())
    }

    /// The searched bytes (for benchmarks and diagnostics).
    pub fn haystack(&self) -> &[u8] {
        &self.hay
    }

    /// A number that changes whenever the index does.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Inserts or replaces the entry of a profile.
    pub fn upsert(&mut self, e: IndexEntry) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.generation += 1;
        let mut seg = Vec::with_capacity(96);
        e.write_hay(&mut seg);
        let at = self.rows.len() as u32;
        snapshot::write_row(&mut self.rows, &e);
        match self.position(&e.id) {
            Some(i) => {
                let i = i as usize;
                let (s, end) = (self.starts[i] as usize, self.starts[i + 1] as usize);
                let delta = seg.len() as i64 - (end - s) as i64;
                if delta != 0 {
                    for st in &mut self.starts[i + 1..] {
                        *st = (*st as i64 + delta) as u32;
                    }
                }
                self.note_change(i as u32);
                self.compact[i] = Compact::of(&e, &seg);
                self.hay.splice(s..end, seg);
                self.row_at[i] = at;
            }
            None => {
                self.compact.push(Compact::of(&e, &seg));
                self.hay.extend_from_slice(&seg);
                self.starts.push(self.hay.len() as u32);
                self.row_at.push(at);
                self.index_id(self.row_at.len() as u32 - 1);
            }
        }
        self.drop_worn_grams();
    }

    /// Walks up to `max` more rows of the snapshot this index was loaded from. `Ok(true)` once
    /// every row has read as one (until then a row that does not is shown empty); an error if
    /// one did not, and the snapshot should be rebuilt from the profiles. Rows written since
    /// the load were written here and need no walk.
    pub fn check_rows(&mut self, max: usize) -> Result<bool, SnapshotError> {
        let Some(u) = self.unchecked.as_mut() else { return Ok(true) };
        let (at, seen) = snapshot::walk_rows(&self.rows[..u.end], u.at, max)?;
        u.at = at;
        u.seen += seen;
        if u.at < u.end && u.seen < u.n {
            return Ok(false);
        }
        if (u.at, u.seen) != (u.end, u.n) {
            return Err(SnapshotError::Corrupt);
        }
        self.unchecked = None;
        Ok(true)
    }

    /// Whether every row of the snapshot this index was loaded from has been walked.
    pub fn rows_checked(&self) -> bool {
        self.unchecked.is_none()
    }

    /// Tells the candidate lists that entry `i` is about to change.
    fn note_change(&mut self, i: u32) {
        let old = self.compact[i as usize];
        if let Some(g) = &mut self.grams {
            g.note_change(i, old);
        }
        if let Some(b) = &mut self.building {
            b.note_change(i, old);
        }
    }

    /// Drops candidate lists that too many changes have made slower than a scan.
    fn drop_worn_grams(&mut self) {
        if self.grams.as_ref().is_some_and(|g| g.worn(self.len())) {
            self.grams = None;
        }
    }

    /// Whether this index is large enough to want candidate lists and has none (the desk builds
    /// them with [`Self::build_grams_step`] while the clerk is idle).
    pub fn wants_grams(&self) -> bool {
        self.len() >= GRAMS_FROM && self.grams.is_none()
    }

    /// Builds the candidate lists `n` more entries at a time; true once they are built.
    pub fn build_grams_step(&mut self, n: usize) -> bool {
        if self.grams.is_some() {
            return true;
        }
        let len = self.len() as u32;
        let b = self.building.get_or_insert_with(|| grams::Builder::new(len));
        if !b.step(&self.hay, &self.starts, &self.compact, n) {
            return false;
        }
        if !b.ranked() {
            b.rank();
            return false;
        }
        let b = self.building.take().expect("being built");
        self.grams = Some(b.finish());
        self.drop_worn_grams();
        self.grams.is_some()
    }

    /// Whether the candidate lists are being built.
    pub fn grams_building(&self) -> bool {
        self.building.is_some()
    }

    /// Builds the candidate lists at once.
    pub fn build_grams(&mut self) {
        while !self.build_grams_step(usize::MAX) {}
    }

    /// Bytes the candidate lists hold, if built.
    pub fn grams_size(&self) -> Option<usize> {
        self.grams.as_ref().map(grams::Grams::byte_size)
    }

    fn passes(&self, filter: &Filter, i: usize) -> bool {
        filter.accepts_compact(&self.compact[i]) && filter.tag.as_ref().is_none_or(|t| self.has_tag(i, t))
    }

    /// Kept out of line: reading an entry's tags is a cache miss, and inlined the load was
    /// hoisted above the "is a tag filter set" test, costing 90% of a search.
    #[inline(never)]
    fn has_tag(&self, i: usize, tag: &str) -> bool {
        self.row(i as u32).tags.iter().any(|x| x == tag)
    }

    fn segment(&self, i: usize) -> (usize, usize) {
        (self.starts[i] as usize, self.starts[i + 1] as usize)
    }

    /// The place of a match of `qlen` bytes at absolute `pos` in entry `i` (segment `[s, e)`),
    /// and its score.
    fn place_at(&self, i: u32, pos: usize, qlen: usize, s: usize, e: usize) -> (Place, u32) {
        let mut q = pos;
        while q > s && self.hay[q - 1] > MAX_TAG {
            q -= 1;
        }
        let tag = if q > s { self.hay[q - 1] } else { 1 };
        let after = pos + qlen;
        let mut ahead = [0u8; 8];
        let n = (e - after).min(ahead.len());
        ahead[..n].copy_from_slice(&self.hay[after..after + n]);
        let rank = self.compact[i as usize].rank(0);
        let place = Place { pos: pos as u32, entry: i, rank, ahead, known: ahead.len() as u8, tag, start: pos == q };
        (place, place.score(0))
    }

    /// Finds profiles matching `query` (name, pinyin or initials, phone or its tail, ID number,
    /// company, customer code) that pass `filter`; returns the count and the best `limit`.
    pub fn search(&self, query: &str, filter: &Filter, limit: usize) -> SearchResult {
        let q = super::text::normalize_query(query);
        if q.is_empty() {
            return SearchResult::default();
        }
        let qb = q.as_bytes();
        // Matches are kept for narrowing only while they are a tenth of the archive or fewer:
        // re-checking most of it one entry at a time is slower than one contiguous scan.
        let mut scored = Best::new(limit, self.len() / 10);
        let narrowed = {
            let mut last = self.last.borrow_mut();
            let same =
                |l: &LastQuery| l.generation == self.generation && &l.filter == filter && q.starts_with(&l.query);
            if last.as_ref().is_some_and(same) {
                last.take().map(|l| (l.found, l.query.len()))
            } else {
                None
            }
        };
        let single = (qb.len() == 1).then(|| char_bit(qb[0])).flatten();
        // The candidate lists hold grams of field text, which has no tag bytes.
        let grams = self.grams.as_ref().filter(|_| qb.len() >= 2 && qb.iter().all(|&b| b > MAX_TAG));
        // A list that answers the query outright reads less than checking the last matches.
        let narrowed = narrowed.filter(|_| grams.is_none_or(|g| g.answer(qb).is_none()));
        match (narrowed, single, grams) {
            (Some((Found::Entries(cands), _)), ..) => self.check_all(&cands, qb, filter, &mut scored),
            (Some((Found::Places(places), typed)), ..) => self.narrow(&places, typed, qb, &mut scored),
            (None, Some(bit), _) => match self.grams.as_ref().filter(|_| *filter == Filter::default()) {
                Some(g) => {
                    *self.last.borrow_mut() = None;
                    return self.search_single_ranked(g, bit, limit);
                }
                None => self.scan_single(bit, filter, &mut scored),
            },
            (None, None, Some(g)) => self.search_grams(g, qb, filter, &mut scored),
            (None, None, None) => self.scan(qb, filter, &mut scored),
        }
        let (total, hits, found) = scored.finish();
        *self.last.borrow_mut() =
            found.map(|found| LastQuery { query: q, filter: filter.clone(), generation: self.generation, found });
        SearchResult { total, hits }
    }

    /// Checks entries (see [`Self::check`]) a block at a time: each block's rows of the packed
    /// data and haystack are touched first, with no load waiting for another, so their cache
    /// misses overlap instead of coming one after the other.
    fn check_all(&self, cands: &[u32], qb: &[u8], filter: &Filter, scored: &mut Best) {
        for block in cands.chunks(16) {
            let mut touched = 0u8;
            for &i in block {
                let i = i as usize;
                touched ^= self.hay[self.starts[i] as usize] ^ self.compact[i].mark;
            }
            std::hint::black_box(touched);
            block.iter().for_each(|&i| self.check(i, qb, filter, scored));
        }
    }

    /// Checks one entry: if it passes `filter` and holds `qb`, it is scored by its best match.
    /// Segments are short: compared in place, with no searcher to set up per entry.
    fn check(&self, i: u32, qb: &[u8], filter: &Filter, scored: &mut Best) {
        if !self.passes(filter, i as usize) {
            return;
        }
        let (s, e) = self.segment(i as usize);
        let seg = &self.hay[s..e];
        let mut best = None;
        for k in memchr::memchr_iter(qb[0], seg).filter(|&k| seg[k..].starts_with(qb)) {
            let (place, score) = self.place_at(i, s + k, qb.len(), s, e);
            scored.place(place);
            best = best.max(Some(score));
        }
        if let Some(b) = best {
            scored.push(self.compact[i as usize].rank(b), i);
        }
    }

    /// A query that grew from the last one (`typed` bytes), which was found at `places`: every
    /// place the longer query starts is one of them, so only those are compared (the entries
    /// passed the same filter in the same index), with the bytes each place keeps; the entry is
    /// read only when the query grew by more than those.
    fn narrow(&self, places: &[Place], typed: usize, qb: &[u8], scored: &mut Best) {
        let grown = &qb[typed..];
        let k = grown.len();
        let mut at = 0;
        while at < places.len() {
            let i = places[at].entry;
            let mut best = None;
            while let Some(p) = places.get(at).filter(|p| p.entry == i) {
                at += 1;
                let (place, score) = if k < usize::from(p.known) {
                    if p.ahead[..k] != *grown {
                        continue;
                    }
                    let mut ahead = [0u8; 8];
                    ahead[..8 - k].copy_from_slice(&p.ahead[k..]);
                    (Place { ahead, known: p.known - k as u8, ..*p }, p.score(k))
                } else {
                    let (s, e) = self.segment(i as usize);
                    let pos = p.pos as usize;
                    if pos + qb.len() > e || self.hay[pos..pos + qb.len()] != *qb {
                        continue;
                    }
                    self.place_at(i, pos, qb.len(), s, e)
                };
                scored.place(place);
                best = best.max(Some((score, place.rank)));
            }
            if let Some((b, rank)) = best {
                scored.push(with_score(rank, b), i);
            }
        }
    }

    /// One letter or digit: the masks say where it is; field starts score as prefixes.
    fn scan_single(&self, bit: u64, filter: &Filter, scored: &mut Best) {
        let scores = grams::single_scores();
        for (i, c) in self.compact.iter().enumerate() {
            if c.chars_any & bit != 0 && self.passes(filter, i) {
                let t = grams::single_tier(c, bit).expect("the letter is there");
                scored.push(c.rank(scores[t]), i as u32);
            }
        }
    }

    /// One letter or digit with candidate lists and no filter: the live entries are walked best
    /// rank first until the best `limit` of every tier that can reach them are certain; the
    /// count comes from the tiers' counts.
    fn search_single_ranked(&self, g: &grams::Grams, bit: u64, limit: usize) -> SearchResult {
        let b = bit.trailing_zeros() as usize;
        let counts = g.tier_counts(b);
        let scores = grams::single_scores();
        let mut found: [Vec<u32>; grams::SINGLE_TIERS] = Default::default();
        // Certain once each better tier is complete and the rest are filled by one that has
        // `limit` left to give.
        let certain = |found: &[Vec<u32>; grams::SINGLE_TIERS]| {
            let mut need = limit;
            for (f, &n) in found.iter().zip(&counts) {
                if f.len() >= need {
                    return true;
                }
                if f.len() < n as usize {
                    return false;
                }
                need -= f.len();
            }
            true
        };
        if !certain(&found) {
            for i in g.by_rank() {
                if let Some(t) = grams::single_tier(&self.compact[i as usize], bit) {
                    if found[t].len() < limit {
                        found[t].push(i);
                        if certain(&found) {
                            break;
                        }
                    }
                }
            }
        }
        let mut best = Best::new(limit, 0);
        for (t, f) in found.iter().enumerate() {
            f.iter().for_each(|&i| best.push(self.compact[i as usize].rank(scores[t]), i));
        }
        let mut total = counts.iter().sum::<u32>() as usize;
        for i in g.fresh(self.len() as u32) {
            let c = &self.compact[i as usize];
            if let Some(t) = grams::single_tier(c, bit).filter(|_| self.passes(&Filter::default(), i as usize)) {
                best.push(c.rank(scores[t]), i);
                total += 1;
            }
        }
        SearchResult { total, hits: best.finish().1 }
    }

    /// Two or more bytes with candidate lists: two bytes are answered from their gram's list, and
    /// three from theirs when the first two are a common gram; more are checked in the entries
    /// listed under both of their two rarest lists. Entries changed or added since the lists were
    /// built are checked one by one.
    fn search_grams(&self, g: &grams::Grams, qb: &[u8], filter: &Filter, scored: &mut Best) {
        let mut keys: Vec<usize> = qb.windows(2).map(|w| grams::key(w[0], w[1])).collect();
        keys.extend(qb.windows(3).filter_map(|w| g.three(w)));
        keys.sort_unstable_by_key(|&k| (g.count(k), k));
        keys.dedup();
        let mut changed = g.changed.keys().copied().peekable();
        let mut stale = |i: u32| {
            while changed.next_if(|&c| c < i).is_some() {}
            changed.peek() == Some(&i)
        };
        let exact = g.answer(qb);
        if let Some(list) = exact.filter(|_| *filter == Filter::default()) {
            // The rank keys kept beside the lists: no packed data read per entry.
            for (i, score) in g.postings(list) {
                let key = g.rank_key(i);
                if key != grams::GONE && !stale(i) {
                    scored.push(with_score(key, score), i);
                }
            }
        } else if let Some(list) = exact {
            for (i, score) in g.postings(list) {
                if !stale(i) && self.passes(filter, i as usize) {
                    scored.push(self.compact[i as usize].rank(score), i);
                }
            }
        } else {
            let mut cands: Vec<u32> = g.postings(keys[0]).map(|(i, _)| i).filter(|&i| !stale(i)).collect();
            if let Some(&k) = keys.get(1) {
                let mut other = g.postings(k).map(|(i, _)| i).peekable();
                cands.retain(|&i| {
                    while other.next_if(|&o| o < i).is_some() {}
                    other.peek() == Some(&i)
                });
            }
            // Checking an entry out of order costs about as much as scanning [`CHECK_COST`] bytes
            // of the haystack in order (cache misses), so with many candidates a scan is cheaper.
            if cands.len() * CHECK_COST > self.hay.len() {
                return self.scan(qb, filter, scored);
            }
            self.check_all(&cands, qb, filter, scored);
        }
        g.fresh(self.len() as u32).for_each(|i| self.check(i, qb, filter, scored));
    }

    /// One pass over the contiguous haystack; occurrences fold into their entry.
    fn scan(&self, qb: &[u8], filter: &Filter, scored: &mut Best) {
        let finder = memmem::Finder::new(qb);
        let qlen = qb.len();
        let mut cur = 0usize;
        // (entry, start, end, best)
        let mut open: Option<(usize, usize, usize, u32)> = None;
        // Overlapping places too (`88` in `13988888888` ends the phone only at its last place,
        // where `find_iter` would skip it), as a check of the entry finds them.
        let mut from = 0;
        while let Some(k) = finder.find(&self.hay[from..]) {
            let p = from + k;
            from = p + 1;
            if let Some((i, s, e, best)) = open {
                if p < e {
                    if p + qlen <= e {
                        let (place, score) = self.place_at(i as u32, p, qlen, s, e);
                        scored.place(place);
                        open = Some((i, s, e, best.max(score)));
                    }
                    continue;
                }
                scored.push(self.compact[i].rank(best), i as u32);
                open = None;
            }
            // The entry holding `p`: galloping forward from the last one (matches are a few
            // entries apart), then a binary search inside the last stride, so the steps stay
            // near each other in memory.
            if self.starts[cur + 1] as usize <= p {
                let mut step = 1;
                let mut lo = cur + 1;
                while lo + step < self.starts.len() - 1 && self.starts[lo + step] as usize <= p {
                    lo += step;
                    step *= 2;
                }
                let hi = (lo + step).min(self.starts.len() - 1);
                cur = lo + self.starts[lo + 1..=hi].partition_point(|&st| st as usize <= p);
            }
            let (s, e) = self.segment(cur);
            if p + qlen <= e && self.passes(filter, cur) {
                let (place, score) = self.place_at(cur as u32, p, qlen, s, e);
                scored.place(place);
                open = Some((cur, s, e, score));
            }
        }
        if let Some((i, _, _, best)) = open {
            scored.push(self.compact[i].rank(best), i as u32);
        }
    }

    /// Every entry passing `filter`, in `sort` order.
    pub fn list(&self, filter: &Filter, sort: Sort) -> Vec<u32> {
        let mut out: Vec<u32> = (0..self.len() as u32).filter(|&i| self.passes(filter, i as usize)).collect();
        let c = &self.compact;
        match sort {
            // Keys gathered first: sorting them in place reads memory in order, where a key
            // looked up per comparison misses the cache on a million entries.
            Sort::Updated | Sort::Created => {
                let time = |i: u32| {
                    let c = &c[i as usize];
                    if sort == Sort::Updated {
                        c.updated_at
                    } else {
                        c.created_at
                    }
                };
                // Newest first, then by position: packed into one u64 (how much older than the
                // newest, up to 69 years, in 41 bits; the position in 22), the sort moves half
                // the bytes and compares once.
                let newest = out.iter().map(|&i| time(i)).max().unwrap_or(0);
                let oldest = out.iter().map(|&i| time(i)).min().unwrap_or(0);
                if out.len() < 1 << 22 && newest.checked_sub(oldest).is_some_and(|d| d < 1 << 41) {
                    let mut keyed: Vec<u64> =
                        out.iter().map(|&i| (((newest - time(i)) as u64) << 22) | u64::from(i)).collect();
                    keyed.sort_unstable();
                    out = keyed.into_iter().map(|k| (k & ((1 << 22) - 1)) as u32).collect();
                } else {
                    let mut keyed: Vec<(Reverse<Millis>, u32)> = out.iter().map(|&i| (Reverse(time(i)), i)).collect();
                    keyed.sort_unstable();
                    out = keyed.into_iter().map(|(_, i)| i).collect();
                }
            }
            Sort::Name => {
                let mut keyed: Vec<(String, u32)> = out
                    .iter()
                    .map(|&i| {
                        let e = self.row(i);
                        (if e.pinyin.is_empty() { e.name.to_lowercase() } else { e.pinyin.to_string() }, i)
                    })
                    .collect();
                // Positions are unique, so an unstable sort gives the same order (and one sort
                // algorithm less in the first download).
                keyed.sort_unstable();
                out = keyed.into_iter().map(|(_, i)| i).collect();
            }
            Sort::Class => {
                out.sort_unstable_by_key(|&i| (c[i as usize].class, std::cmp::Reverse(c[i as usize].mark), i));
            }
        }
        out
    }

    /// Counts for the filter bar: entries in the same view (live or deleted), by class, VIP, credit.
    pub fn counts(&self, deleted: bool) -> Counts {
        let mut c = Counts::default();
        for e in self.compact.iter().filter(|e| e.deleted == deleted) {
            c.total += 1;
            c.by_class[usize::from(e.class)] += 1;
            c.vip += usize::from(e.mark == GuestMark::Vip.code());
            c.by_credit[usize::from(e.credit)] += 1;
            if let Some(a) = abc_of(e.abc) {
                c.by_abc[usize::from(a.code())] += 1;
            }
        }
        c
    }

    /// Tags in use on live profiles, most used first.
    pub fn tags(&self) -> Vec<(String, usize)> {
        let mut m: HashMap<&str, usize> = HashMap::new();
        for e in self.rows().filter(|e| e.deleted_at.is_none()) {
            for t in e.tags.iter() {
                *m.entry(t).or_default() += 1;
            }
        }
        let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// The live profile other than `except_id` that uses customer code `code` (case-insensitive).
    pub fn code_owner(&self, code: &str, except_id: &str) -> Option<EntryRef<'_>> {
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        let mut cache = self.codes.borrow_mut();
        if cache.as_ref().is_none_or(|(g, _)| *g != self.generation) {
            let mut map = CodeOwners::new();
            for (i, e) in self.rows().enumerate() {
                if e.deleted_at.is_none() && !e.code.is_empty() {
                    map.entry(e.code.to_ascii_lowercase()).or_default().push(i as u32);
                }
            }
            *cache = Some((self.generation, map));
        }
        let (_, map) = cache.as_ref().expect("just built");
        let found = map.get(&code.to_ascii_lowercase())?.iter().map(|&i| self.row(i)).find(|e| e.id != except_id);
        found
    }

    /// The live profile with this customer code.
    pub fn by_code(&self, code: &str) -> Option<EntryRef<'_>> {
        self.code_owner(code, "")
    }
}

/// The id at the start of the row at `at` (its first field; empty if damaged, as [`snapshot`] reads it).
fn row_id(rows: &[u8], at: u32) -> &str {
    snapshot::row_id(rows, at as usize)
}

/// Builds the sections of a snapshot entry by entry, from indexes (copying rows, haystack parts
/// and columns as they are) or from new entries.
pub struct SnapshotBuilder {
    s: Sections,
}

impl SnapshotBuilder {
    pub fn with_capacity(entries: usize, row_bytes: usize, hay_bytes: usize) -> SnapshotBuilder {
        let mut s = Sections {
            rows: Vec::with_capacity(row_bytes),
            row_at: Vec::with_capacity(entries),
            hay: Vec::with_capacity(hay_bytes),
            starts: Vec::with_capacity(entries + 1),
            compact: Vec::with_capacity(entries * COMPACT_LEN),
            ..Sections::default()
        };
        s.starts.push(0);
        SnapshotBuilder { s }
    }

    /// Adds entry `pos` of `ix`.
    pub fn push_from(&mut self, ix: &SearchIndex, pos: u32) {
        let s = &mut self.s;
        let at = ix.row_at[pos as usize] as usize;
        // A row that does not read is copied as nothing: the next load refuses the snapshot (two
        // rows at one place) and rebuilds it from the profiles.
        let end = snapshot::row_end(&ix.rows, at).unwrap_or(at);
        s.row_at.push(s.rows.len() as u32);
        s.rows.extend_from_slice(&ix.rows[at..end]);
        let (a, b) = ix.segment(pos as usize);
        s.hay.extend_from_slice(&ix.hay[a..b]);
        s.starts.push(s.hay.len() as u32);
        ix.compact[pos as usize].write(&mut s.compact);
        s.n += 1;
    }

    /// Adds a new entry.
    pub fn push(&mut self, e: &IndexEntry) {
        let s = &mut self.s;
        s.row_at.push(s.rows.len() as u32);
        snapshot::write_row(&mut s.rows, e);
        let from = s.hay.len();
        e.write_hay(&mut s.hay);
        s.starts.push(s.hay.len() as u32);
        Compact::of(e, &s.hay[from..]).write(&mut s.compact);
        s.n += 1;
    }

    /// The sections, with the table of ids built for the entries in the order they came.
    pub fn finish(self) -> Sections {
        let mut s = self.s;
        let (rows, row_at) = (&s.rows, &s.row_at);
        let hash = |p: u32| id_hash(row_id(rows, row_at[p as usize]));
        let mut ids = IdTable::with_capacity(s.n);
        for p in 0..s.n as u32 {
            ids.insert(hash(p), p, |q| row_id(rows, row_at[q as usize]) == row_id(rows, row_at[p as usize]), &hash);
        }
        s.ids = ids;
        s
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn an_index_without_destroyed_profiles_keeps_nothing_of_them() {
        let mut ix = SearchIndex::from_entries([
            IndexEntry::from_profile(&profile("a", "欧阳锋", "13987654321", "白驼山庄")),
            IndexEntry::from_profile(&profile("b", "黄药师", "13800000001", "桃花岛")),
            IndexEntry::from_profile(&profile("c", "洪七公", "13800000002", "丐帮")),
        ]);
        ix.upsert(IndexEntry::from_profile(&profile("a", "欧阳锋", "13987654320", "白驼山庄")));
        let gone: std::collections::HashSet<&str> = ["a"].into();
        let mut left = ix.without(&gone);
        assert_eq!(left.len(), 2);
        assert_eq!(left.get("a"), None);
        assert_eq!(left.get("c").map(|e| e.name), Some("洪七公".to_string()));
        let sections = left.sections();
        for needle in ["欧阳锋", "13987654321", "13987654320", "白驼"] {
            let n = needle.as_bytes();
            assert!(!sections.rows.windows(n.len()).any(|w| w == n), "{needle} in the rows");
            assert!(!sections.hay.windows(n.len()).any(|w| w == n), "{needle} in the haystack");
        }
        assert!(left.search("黄药", &Filter::default(), 10).hits.len() == 1);
        left.build_grams();
        assert_eq!(left.search("0002", &Filter::default(), 10).hits.len(), 1);
        assert_eq!(left.search("欧阳", &Filter::default(), 10).hits.len(), 0);
    }

    pub(crate) fn profile(id: &str, name: &str, phone: &str, company: &str) -> Profile {
        let mut p = Profile::new(id.into(), 1, "t");
        p.name = name.into();
        if !phone.is_empty() {
            p.phones = vec![phone.into()];
        }
        p.company = company.into();
        p
    }

    fn names(ix: &SearchIndex, r: &SearchResult) -> Vec<String> {
        r.hits.iter().map(|&i| ix.entry(i).name.clone()).collect()
    }

    fn sample() -> SearchIndex {
        SearchIndex::from_entries(
            [
                profile("1", "张三", "13800138000", "华为技术有限公司"),
                profile("2", "张珊珊", "13912345678", ""),
                profile("3", "赵四", "13655550000", "阿里巴巴"),
                profile("4", "Zack Snyder", "+1 415 555 1234", "Warner"),
                profile("5", "李张", "18688880000", ""),
                profile("6", "周山", "13700008000", ""),
            ]
            .iter()
            .map(IndexEntry::from_profile),
        )
    }

    #[test]
    fn pinyin_initials_and_full_find_chinese_names() {
        let ix = sample();
        let f = Filter::default();
        let r = ix.search("zs", &f, 10);
        assert_eq!(names(&ix, &r)[0], "张三", "exact initials first: {:?}", names(&ix, &r));
        assert!(names(&ix, &r).contains(&"Zack Snyder".to_string()));
        assert!(names(&ix, &r).contains(&"周山".to_string()));
        let r = ix.search("zhangsan", &f, 10);
        assert_eq!(names(&ix, &r), ["张三"]);
        let r = ix.search("zhang", &f, 10);
        assert_eq!(names(&ix, &r)[..2], ["张三", "张珊珊"], "prefix matches before 李张: {:?}", names(&ix, &r));
        assert_eq!(names(&ix, &r)[2], "李张");
        let r = ix.search("张", &f, 10);
        assert_eq!(names(&ix, &r).last().unwrap(), "李张");
        assert_eq!(ix.search("ＺＳ", &f, 10).hits, ix.search("zs", &f, 10).hits);
    }

    #[test]
    fn phone_tail_ranks_above_other_digit_matches() {
        let ix = sample();
        let f = Filter::default();
        let r = ix.search("8000", &f, 10);
        // 张三 13800138000 and 周山 13700008000 end in 8000; 李张 186-8888-0000 only contains it.
        assert_eq!(r.total, 3);
        assert_eq!(names(&ix, &r)[2], "李张");
        let r = ix.search("138 0013 8000", &f, 10);
        assert_eq!(names(&ix, &r), ["张三"]);
    }

    #[test]
    fn company_id_and_code_are_searchable() {
        let mut p = profile("7", "王五", "", "");
        p.customer_code = "SZ-A001".into();
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002x".into() });
        let mut ix = sample();
        ix.upsert(IndexEntry::from_profile(&p));
        let f = Filter::default();
        assert_eq!(names(&ix, &ix.search("华为", &f, 10)), ["张三"]);
        assert_eq!(names(&ix, &ix.search("sz-a0", &f, 10)), ["王五"]);
        assert_eq!(names(&ix, &ix.search("002X", &f, 10)), ["王五"]);
        assert_eq!(ix.search("nobody", &f, 10).total, 0);
    }

    #[test]
    fn organisations_are_found_by_their_people_contact_phones_and_address() {
        let mut org = profile("o1", "北京大学出版社", "010-62750000", "");
        org.kind = CustomerKind::Organisation;
        org.org.legal_rep = "张明".into();
        org.org.contacts =
            vec![Contact {
                name: "王芳".into(), role: String::new(), phone: "１３９ ６６６６ ７７７７".into()
            }];
        org.address = "北京市海淀区成府路 205 号".into();
        let mut ix = sample();
        ix.upsert(IndexEntry::from_profile(&org));
        // A guest who is herself called 王芳 and lives on 成府路.
        let mut guest = profile("g1", "王芳", "13700001111", "");
        guest.address = "成府路 1 号".into();
        ix.upsert(IndexEntry::from_profile(&guest));
        let f = Filter::default();
        assert_eq!(names(&ix, &ix.search("67777", &f, 10)), ["北京大学出版社"], "a contact's phone tail");
        assert_eq!(names(&ix, &ix.search("张明", &f, 10)), ["北京大学出版社"], "the legal representative");
        assert_eq!(names(&ix, &ix.search("王芳", &f, 10)), ["王芳", "北京大学出版社"], "the guest's own name first");
        assert_eq!(names(&ix, &ix.search("成府路", &f, 10)).len(), 2, "the address");
        assert_eq!(names(&ix, &ix.search("海淀区", &f, 10)), ["北京大学出版社"]);
        // The list can say why an organisation was found.
        let e = ix.get("o1").unwrap();
        assert_eq!(e.matched_through("67777"), Some((Field::ContactPhone, "13966667777")));
        assert_eq!(e.matched_through("张明"), Some((Field::Person, "张明")));
        assert_eq!(e.matched_through("海淀区"), Some((Field::Address, "北京市海淀区成府路 205 号")));
        assert_eq!(e.matched_through("北京大学"), None, "its own name");
        assert_eq!(e.matched_through("bjdx"), None, "its own initials");
        assert_eq!(e.matched_through("62750000"), None, "its own phone");
        // An address match ranks below a name match.
        let mut road = profile("r1", "成府路餐厅", "", "");
        road.kind = CustomerKind::Organisation;
        ix.upsert(IndexEntry::from_profile(&road));
        assert_eq!(names(&ix, &ix.search("成府路", &f, 10))[0], "成府路餐厅");
        // A person's emergency contact does not make the person findable by that contact.
        let mut p = profile("p9", "赵雷", "", "");
        p.emergency_contact = Some(Contact { name: "钱多".into(), role: String::new(), phone: "13511112222".into() });
        ix.upsert(IndexEntry::from_profile(&p));
        assert_eq!(ix.search("钱多", &f, 10).total, 0);
    }

    #[test]
    fn narrowing_gives_the_same_answer_as_a_full_scan() {
        let ix = sample();
        let f = Filter::default();
        for q in ["z", "zh", "zha", "zhan", "zhang", "1", "13", "138", "1380"] {
            let incremental = ix.search(q, &f, 50);
            let fresh = sample().search(q, &f, 50);
            assert_eq!(incremental, fresh, "query {q}");
        }
    }

    #[test]
    fn typing_on_compares_only_where_the_last_query_was_found_and_answers_as_afresh() {
        let entries: Vec<IndexEntry> =
            (0..20_000).map(|i| IndexEntry::from_profile(&crate::testdata::profile(5, i, 1_795_000_000_000))).collect();
        let mut typed = SearchIndex::from_entries(entries.iter().cloned());
        let fresh = SearchIndex::from_entries(entries.iter().cloned());
        // Phones of repeated digits: `888888` ends `13988888888` only at its last, overlapping
        // place. The two score alike (a phone's tail), so the one changed last ranks first.
        let repeated = |i: usize, phone: &str, at: i64| {
            let mut p = crate::testdata::profile(5, i, 1_795_000_000_000);
            p.phones = vec![phone.to_string()];
            let mut e = IndexEntry::from_profile(&p);
            e.mark = GuestMark::None;
            e.updated_at = at;
            e
        };
        let (a, b) =
            (repeated(20_000, "13988888888", 2_000_000_001_000), repeated(20_001, "15000888888", 2_000_000_000_000));
        let (a_id, b_id) = (a.id.clone(), b.id.clone());
        let fresh = {
            let mut f = fresh;
            for e in [&a, &b] {
                typed.upsert(e.clone());
                f.upsert(e.clone());
            }
            f
        };
        let vip = Filter { vip_only: true, ..Filter::default() };
        let mut narrowed_by_places = 0;
        for f in [Filter::default(), vip.clone()] {
            for seq in ["zhangwei", "13800", "110105", "华远", "john", "c0001", "8888", "0521"] {
                let chars: Vec<char> = seq.chars().collect();
                for k in 1..=chars.len() {
                    let q: String = chars[..k].iter().collect();
                    if matches!(typed.last.borrow().as_ref().map(|l| &l.found), Some(Found::Places(_))) && k > 1 {
                        narrowed_by_places += 1;
                    }
                    let a = typed.search(&q, &f, 30);
                    *fresh.last.borrow_mut() = None;
                    assert_eq!(a, fresh.search(&q, &f, 30), "typed {q:?}, {f:?}");
                }
            }
        }
        assert!(narrowed_by_places > 10, "most longer keystrokes narrow by places: {narrowed_by_places}");
        // A query grown by more bytes than a place keeps (a paste) reads the entries again.
        for (first, then) in [("11", "1101051990"), ("zh", "zhangweiqiang"), ("13", "13800138000"), ("华", "华远华远")]
        {
            for f in [Filter::default(), vip.clone()] {
                typed.search(first, &f, 30);
                *fresh.last.borrow_mut() = None;
                assert_eq!(typed.search(then, &f, 30), fresh.search(then, &f, 30), "{first:?} then {then:?}");
            }
        }
        *fresh.last.borrow_mut() = None;
        let r = fresh.search("888888", &Filter::default(), 2);
        let ids: Vec<String> = r.hits.iter().map(|&i| fresh.entry(i).id).collect();
        assert_eq!(ids, [a_id, b_id], "both end their phone");
    }

    #[test]
    fn appending_an_index_equals_indexing_everything_at_once() {
        let all: Vec<IndexEntry> =
            (0..300).map(|i| IndexEntry::from_profile(&crate::testdata::profile(3, i, 1_763_856_000_000))).collect();
        let whole = SearchIndex::from_entries(all.iter().cloned());
        let mut parts = SearchIndex::from_entries(all[..100].iter().cloned());
        let _ = parts.search("z", &Filter::default(), 10); // a cached query must not survive
        parts.append(SearchIndex::from_entries(all[100..].iter().cloned()));
        let mut from_empty = SearchIndex::default();
        from_empty.append(SearchIndex::from_entries(all.iter().cloned()));
        for q in ["z", "zh", "wang", "138", "c0000", "华", ""] {
            let f = Filter::default();
            assert_eq!(parts.search(q, &f, 50), whole.search(q, &f, 50), "{q}");
            assert_eq!(from_empty.search(q, &f, 50), whole.search(q, &f, 50), "{q}");
        }
        assert_eq!(parts.list(&Filter::default(), Sort::Name), whole.list(&Filter::default(), Sort::Name));
        assert_eq!(parts.get(&all[250].id).map(|e| e.name), Some(all[250].name.clone()));
        // Every id is found where it is, those indexed before the append too.
        assert!((0..300).all(|i| parts.position(&all[i].id) == Some(i as u32)));
        parts.upsert(all[3].clone());
        assert_eq!(parts.len(), 300, "an entry from before the append is replaced, not added");
        // An id already present is replaced, not doubled.
        let mut again = SearchIndex::from_entries(all[..10].iter().cloned());
        again.append(SearchIndex::from_entries(all[5..20].iter().cloned()));
        assert_eq!(again.len(), 20);
    }

    #[test]
    fn upsert_replaces_and_invalidates_the_narrowing_cache() {
        let mut ix = sample();
        let f = Filter::default();
        // zhangsan, zhangshanshan, zhaosi, zhoushan, lizhang
        assert_eq!(ix.search("zh", &f, 10).total, 5);
        ix.upsert(IndexEntry::from_profile(&profile("3", "钱七", "13655550000", "")));
        assert_eq!(ix.search("zha", &f, 10).total, 3);
        assert_eq!(ix.search("qianqi", &f, 10).total, 1);
        assert_eq!(ix.len(), 6);
        // A longer replacement shifts the following entries correctly.
        ix.upsert(IndexEntry::from_profile(&profile("1", "张三丰很长的名字", "13800138000", "武当山")));
        assert_eq!(names(&ix, &ix.search("周山", &f, 10)), ["周山"]);
        assert_eq!(names(&ix, &ix.search("武当", &f, 10)), ["张三丰很长的名字"]);
    }

    #[test]
    fn filters_counts_and_deleted_view() {
        let mut ps: Vec<Profile> = (0..6).map(|i| profile(&i.to_string(), &format!("客人{i}"), "", "")).collect();
        ps[0].mark = GuestMark::Vip;
        ps[1].class = CustomerClass::Important;
        ps[2].credit = CreditRating::C;
        ps[3].tags = vec!["商务".into()];
        ps[5].abc = Some(crate::testdata::grade(AbcClass::B));
        ps[4].meta.deleted_at = Some(9);
        let ix = SearchIndex::from_entries(ps.iter().map(IndexEntry::from_profile));
        let live = Filter::default();
        assert_eq!(ix.list(&live, Sort::Updated).len(), 5);
        assert_eq!(ix.list(&Filter { vip_only: true, ..live.clone() }, Sort::Name).len(), 1);
        assert_eq!(ix.list(&Filter { class: Some(CustomerClass::Important), ..live.clone() }, Sort::Name).len(), 1);
        assert_eq!(ix.list(&Filter { credit: Some(CreditRating::C), ..live.clone() }, Sort::Name).len(), 1);
        assert_eq!(ix.list(&Filter { tag: Some("商务".into()), ..live.clone() }, Sort::Name).len(), 1);
        assert_eq!(ix.list(&Filter { abc: Some(AbcClass::B), ..live.clone() }, Sort::Name).len(), 1);
        assert_eq!(ix.list(&Filter { abc: Some(AbcClass::A), ..live.clone() }, Sort::Name).len(), 0);
        assert_eq!(ix.counts(false).by_abc, [0, 1, 0]);
        assert_eq!(ix.list(&Filter { deleted: true, ..live.clone() }, Sort::Name).len(), 1);
        assert_eq!(ix.search("客人4", &live, 10).total, 0, "deleted profiles are not found at the desk");
        let c = ix.counts(false);
        assert_eq!((c.total, c.vip, c.by_class[0], c.by_credit[3]), (5, 1, 1, 1));
        assert_eq!(ix.tags(), vec![("商务".to_string(), 1)]);
    }

    #[test]
    fn customer_codes_have_one_live_owner_and_follow_edits() {
        let mut a = profile("a", "甲", "", "");
        a.customer_code = "SZ-001".into();
        let mut ix = sample();
        ix.upsert(IndexEntry::from_profile(&a));
        assert_eq!(ix.code_owner(" sz-001 ", "").map(|e| e.id), Some("a"), "case and spaces do not matter");
        assert_eq!(ix.code_owner("SZ-001", "a").map(|e| e.id), None, "not its own owner");
        assert_eq!(ix.by_code("").map(|e| e.id), None);
        // The code changes: the old one is free, the new one taken (the lookup follows edits).
        a.customer_code = "SZ-002".into();
        ix.upsert(IndexEntry::from_profile(&a));
        assert_eq!(ix.by_code("SZ-001").map(|e| e.id), None);
        assert_eq!(ix.by_code("sz-002").map(|e| e.id), Some("a"));
        // A deleted profile owns no code.
        a.meta.deleted_at = Some(5);
        ix.upsert(IndexEntry::from_profile(&a));
        assert_eq!(ix.by_code("SZ-002").map(|e| e.id), None);
    }

    #[test]
    fn list_by_time_is_newest_first_then_in_storage_order_however_far_apart_the_times() {
        for (old, new) in [(1_700_000_000_000, 1_800_000_000_000), (-5, 4_000_000_000_000)] {
            let times = [old, new, old + 1, new, old];
            let ix = SearchIndex::from_entries(times.iter().enumerate().map(|(i, &t)| {
                let mut e = IndexEntry::from_profile(&profile(&format!("p{i}"), "客人", "", ""));
                (e.updated_at, e.created_at) = (t, t);
                e
            }));
            for sort in [Sort::Updated, Sort::Created] {
                assert_eq!(ix.list(&Filter::default(), sort), [1, 3, 2, 0, 4], "{sort:?} from {old} to {new}");
            }
        }
    }

    #[test]
    fn list_sorts_by_pinyin_name() {
        let ix = SearchIndex::from_entries(
            ["赵四", "阿毛", "Brown", "张三"]
                .iter()
                .enumerate()
                .map(|(i, n)| IndexEntry::from_profile(&profile(&i.to_string(), n, "", ""))),
        );
        let order: Vec<&str> = ix.list(&Filter::default(), Sort::Name).iter().map(|&i| ix.row(i).name).collect();
        assert_eq!(order, ["阿毛", "Brown", "张三", "赵四"]);
    }
}
