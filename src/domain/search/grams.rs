//! Lists of candidates, so that a search of a large archive reads only the entries that can
//! match instead of the whole haystack (at a million profiles the haystack is 62 MB, and a scan of
//! it costs more than a frame).
//!
//! - **Two bytes of one field** (a *gram*, 65,536 possible): the entries holding it, in position
//!   order, each with the best score a two-byte query equal to the gram gets in that entry. A
//!   two-byte query is answered from its list alone; a longer one checks only the entries in both
//!   of its two rarest grams' lists.
//! - **Three bytes starting with a common gram** (one held by more than a 64th of the entries
//!   in a sample): the same, per following byte. A three-byte query whose first two bytes are
//!   common is answered from its list alone instead of checking the tens of thousands of entries
//!   its grams' lists share (`che`, `138`, `华` at a million: 10–30 ms → under one).
//! - **One character**: the live entries in rank order (VIP mark, then last change) and, per
//!   letter or digit, how many live entries hold it in each score tier. A one-character query
//!   walks the rank order until the best `limit` are certain, and takes its count from the tiers.
//!
//! The lists describe the index as it was when they were built. An entry changed since then is
//! *fresh*: its stale list items are skipped and it is checked as a scan would check it. Entries
//! added since (positions from `covered` on) are fresh as well. When too many are fresh, the
//! index drops the lists and they are built again.

use super::{Compact, Field, MAX_TAG};
use crate::domain::snapshot;
use std::collections::BTreeMap;

const KEYS: usize = 1 << 16;

/// The score tiers of a one-character query: starting a name field, starting another field,
/// anywhere else.
pub(super) const SINGLE_TIERS: usize = 3;

/// The tier of a one-character query (its mask bit) in an entry, if it is there.
pub(super) fn single_tier(c: &Compact, bit: u64) -> Option<usize> {
    if c.chars_any & bit == 0 {
        None
    } else if c.chars_start_name & bit != 0 {
        Some(0)
    } else if c.chars_start_other & bit != 0 {
        Some(1)
    } else {
        Some(2)
    }
}

/// The score of each tier: a name prefix, another field's prefix, a letter inside.
pub(super) fn single_scores() -> [u32; SINGLE_TIERS] {
    [Field::Initials.scores()[1], Field::Phone.scores()[1], Field::Pinyin.scores()[3]]
}

/// The gram of two bytes.
pub(super) fn key(a: u8, b: u8) -> usize {
    (usize::from(a) << 8) | usize::from(b)
}

/// Scores are multiples of ten up to 2,550, so a list item holds one in a byte.
fn score_code(score: u32) -> u8 {
    debug_assert!(score.is_multiple_of(10) && score <= 2550);
    (score / 10) as u8
}

/// The rank key of a deleted entry.
pub(super) const GONE: u64 = u64::MAX;

/// The built lists.
pub(super) struct Grams {
    /// Entries `0..covered` are in the lists (as they were when built).
    pub covered: u32,
    /// List `k`'s items: per entry, the gap from the previous entry's position + 1 as LEB128,
    /// then its best score / 10. Lists `0..KEYS` are the grams'; from `KEYS` on, 256 per common
    /// gram, its three-byte lists (see [`Self::three`]). Each list is its own allocation, cut to
    /// size as it is finished: copying them into one would hold them twice for a moment, which
    /// a page's memory keeps for good.
    lists: Vec<Box<[u8]>>,
    counts: Vec<u32>,
    /// Per gram: 1 + its place among the common grams, or 0.
    common: Vec<u16>,
    /// Live entries as they were listed, best rank first (those changed since are skipped).
    by_rank: Vec<u32>,
    /// Per entry listed: its rank for a score of 0, or [`GONE`] if it was deleted. Read in
    /// position order beside a list, it is a stream where the packed data are a cache miss each.
    rank_keys: Vec<u64>,
    /// Per letter or digit (its mask bit's index) and tier: how many live entries held it when
    /// they were listed (those changed since are taken off with what `changed` keeps of them).
    tiers: Vec<[u32; SINGLE_TIERS]>,
    /// Entries changed since they were listed: the packed data they were counted with in
    /// `tiers`, or `None` if they were deleted then.
    pub changed: BTreeMap<u32, Option<Compact>>,
}

/// The lists being built a slice of entries at a time, so a million entries do not hold the page
/// for seconds.
pub(super) struct Builder {
    /// Per list (grams', then three bytes' as in [`Grams::lists`]).
    lists: Vec<Vec<u8>>,
    next_base: Vec<u32>,
    counts: Vec<u32>,
    /// Scratch per list: the entry (+1) that last touched it, and its best score code there.
    stamp: Vec<u32>,
    best: Vec<u8>,
    touched: Vec<u32>,
    /// As [`Grams::common`], chosen from a sample before the first entry is listed.
    common: Option<Vec<u16>>,
    /// Live entries' sort keys for `by_rank`: rank (34 bits, best first as its complement) and
    /// position.
    rank_order: Vec<u64>,
    ranked: bool,
    rank_keys: Vec<u64>,
    tiers: Vec<[u32; SINGLE_TIERS]>,
    /// Entries `0..next` are in the lists.
    next: u32,
    covered: u32,
    /// Entries changed after they were listed, as for [`Grams::changed`].
    changed: BTreeMap<u32, Option<Compact>>,
}

const POS_BITS: u32 = 30;

impl Builder {
    /// A build of the first `covered` entries.
    pub fn new(covered: u32) -> Builder {
        Builder {
            lists: Vec::new(),
            next_base: Vec::new(),
            counts: Vec::new(),
            stamp: Vec::new(),
            best: Vec::new(),
            touched: Vec::with_capacity(256),
            common: None,
            rank_order: Vec::with_capacity(covered as usize),
            ranked: false,
            rank_keys: Vec::with_capacity(covered as usize),
            tiers: vec![[0; SINGLE_TIERS]; 36],
            next: 0,
            covered,
            changed: BTreeMap::new(),
        }
    }

    /// Records that entry `i`, packed as `old` until now, changed.
    pub fn note_change(&mut self, i: u32, old: Compact) {
        if i < self.next {
            note(&mut self.changed, i, old);
        }
    }

    /// Lists up to `n` more entries; true when all `covered` are. The first step only chooses
    /// the common grams.
    pub fn step(&mut self, hay: &[u8], starts: &[u32], compact: &[Compact], n: usize) -> bool {
        if self.common.is_none() {
            let common = common_grams(hay, starts, self.covered);
            let lists = KEYS + THREES * common.iter().filter(|&&c| c != 0).count();
            self.lists = vec![Vec::new(); lists];
            self.next_base = vec![0; lists];
            self.counts = vec![0; lists];
            self.stamp = vec![0; lists];
            self.best = vec![0; lists];
            self.common = Some(common);
            return false;
        }
        let end = (self.next as usize).saturating_add(n).min(self.covered as usize) as u32;
        for i in self.next..end {
            let seg = &hay[starts[i as usize] as usize..starts[i as usize + 1] as usize];
            self.add(i, seg);
            let c = &compact[i as usize];
            if c.deleted {
                self.rank_keys.push(GONE);
                continue;
            }
            let rank = c.rank(0);
            self.rank_keys.push(rank);
            self.rank_order.push((((1u64 << 34) - 1 - rank) << POS_BITS) | u64::from(i));
            let mut any = c.chars_any;
            while any != 0 {
                let b = any.trailing_zeros() as usize;
                any &= any - 1;
                let t = single_tier(c, 1 << b).expect("the bit is set");
                self.tiers[b][t] += 1;
            }
        }
        self.next = end;
        self.next == self.covered
    }

    fn add(&mut self, i: u32, seg: &[u8]) {
        let mut k = 0;
        while k < seg.len() {
            let tag = seg[k];
            let start = k + 1;
            let end = seg[start..].iter().position(|&b| b <= MAX_TAG).map_or(seg.len(), |x| start + x);
            let field = Field::from_tag(tag);
            let common = self.common.as_deref().expect("chosen in the first step");
            for p in start..end.saturating_sub(1) {
                let g = key(seg[p], seg[p + 1]);
                let three = (p + 2 < end).then(|| three_list(common, g, seg[p + 2])).flatten();
                let two = Some((g, score_code(field.score(p == start, p + 2 == end))));
                let three = three.map(|t| (t, score_code(field.score(p == start, p + 3 == end))));
                for (l, code) in two.into_iter().chain(three) {
                    if self.stamp[l] != i + 1 {
                        self.stamp[l] = i + 1;
                        self.best[l] = code;
                        self.touched.push(l as u32);
                    } else if self.best[l] < code {
                        self.best[l] = code;
                    }
                }
            }
            k = end;
        }
        for g in self.touched.drain(..) {
            let g = g as usize;
            let list = &mut self.lists[g];
            snapshot::var(list, (i - self.next_base[g]) as usize);
            list.push(self.best[g]);
            self.next_base[g] = i + 1;
            self.counts[g] += 1;
        }
    }

    /// Whether the rank order is sorted.
    pub fn ranked(&self) -> bool {
        self.ranked
    }

    /// Sorts the rank order (its own slice of work: at a million entries it takes as long as a
    /// slice of entries).
    pub fn rank(&mut self) {
        self.rank_order.sort_unstable();
        self.ranked = true;
    }

    /// The finished lists (the rank order sorted).
    pub fn finish(self) -> Grams {
        let lists = self.lists.into_iter().map(Vec::into_boxed_slice).collect();
        debug_assert!(self.ranked);
        let by_rank = self.rank_order.into_iter().map(|k| (k & ((1 << POS_BITS) - 1)) as u32).collect();
        Grams {
            covered: self.covered,
            lists,
            counts: self.counts,
            common: self.common.unwrap_or_else(|| vec![0; KEYS]),
            by_rank,
            tiers: self.tiers,
            rank_keys: self.rank_keys,
            changed: self.changed,
        }
    }
}

/// Lists per common gram: one per following byte.
const THREES: usize = 256;

/// How many entries are sampled to choose the common grams.
const SAMPLE: usize = 20_000;

/// The grams held by more than a 64th of the first [`SAMPLE`] entries (1 + their place, else 0):
/// a three-byte query starting with one would have tens of thousands of entries to check at a
/// million (and the lists of the rest are short).
fn common_grams(hay: &[u8], starts: &[u32], covered: u32) -> Vec<u16> {
    let n = (covered as usize).min(SAMPLE);
    let mut count = vec![0u32; KEYS];
    let mut stamp = vec![0u32; KEYS];
    for i in 0..n {
        let seg = &hay[starts[i] as usize..starts[i + 1] as usize];
        for w in seg.windows(2).filter(|w| w[0] > MAX_TAG && w[1] > MAX_TAG) {
            let g = key(w[0], w[1]);
            if stamp[g] != i as u32 + 1 {
                stamp[g] = i as u32 + 1;
                count[g] += 1;
            }
        }
    }
    let mut next = 0u16;
    count
        .iter()
        .map(|&c| {
            if n > 0 && c as usize * 64 > n && next < u16::MAX {
                next += 1;
                next
            } else {
                0
            }
        })
        .collect()
}

/// The three-byte list of gram `g` followed by byte `c`, if `g` is common.
fn three_list(common: &[u16], g: usize, c: u8) -> Option<usize> {
    match common[g] {
        0 => None,
        k => Some(KEYS + (usize::from(k) - 1) * THREES + usize::from(c)),
    }
}

/// Records a change of entry `i`, listed as `old` (the first change of an entry is the one that
/// tells what it was listed as).
fn note(changed: &mut BTreeMap<u32, Option<Compact>>, i: u32, old: Compact) {
    changed.entry(i).or_insert((!old.deleted).then_some(old));
}

/// The items of one gram's list: (position, score).
pub(super) struct Postings<'a> {
    b: &'a [u8],
    at: usize,
    base: u32,
}

impl Iterator for Postings<'_> {
    type Item = (u32, u32);

    #[inline]
    fn next(&mut self) -> Option<(u32, u32)> {
        if self.at >= self.b.len() {
            return None;
        }
        let (mut gap, mut shift) = (0u32, 0);
        loop {
            let byte = self.b[self.at];
            self.at += 1;
            gap |= u32::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                break;
            }
            shift += 7;
        }
        let pos = self.base + gap;
        self.base = pos + 1;
        let score = u32::from(self.b[self.at]) * 10;
        self.at += 1;
        Some((pos, score))
    }
}

impl Grams {
    /// Bytes held (for benchmarks).
    pub fn byte_size(&self) -> usize {
        self.lists.iter().map(|l| l.len() + 16).sum::<usize>()
            + 4 * (self.counts.len() + self.by_rank.len())
            + 2 * self.common.len()
            + 8 * self.rank_keys.len()
    }

    /// An entry's rank for a score of 0, as it was when the lists were built ([`GONE`] if it was
    /// deleted then).
    pub fn rank_key(&self, i: u32) -> u64 {
        self.rank_keys[i as usize]
    }

    /// The list of a three-byte query, if its first two bytes are a common gram.
    pub fn three(&self, q: &[u8]) -> Option<usize> {
        if q.len() < 3 {
            return None;
        }
        three_list(&self.common, key(q[0], q[1]), q[2])
    }

    /// The list that answers a query (of field text) alone, if one does: a two-byte query's
    /// gram, or a three-byte query's own list when it starts with a common gram.
    pub fn answer(&self, q: &[u8]) -> Option<usize> {
        match q.len() {
            2 => Some(key(q[0], q[1])),
            3 => self.three(q),
            _ => None,
        }
    }

    /// How many three-byte lists there are.
    #[cfg(test)]
    pub fn threes(&self) -> usize {
        self.counts.len() - KEYS
    }

    /// How many entries were listed under a gram (or a three-byte list).
    pub fn count(&self, g: usize) -> u32 {
        self.counts[g]
    }

    /// The list of a gram.
    pub fn postings(&self, g: usize) -> Postings<'_> {
        Postings { b: &self.lists[g], at: 0, base: 0 }
    }

    /// Records that entry `i`, packed as `old` until now, changed.
    pub fn note_change(&mut self, i: u32, old: Compact) {
        if i < self.covered {
            note(&mut self.changed, i, old);
        }
    }

    /// Entries whose list items may be stale or missing: changed ones and those added since.
    pub fn fresh(&self, len: u32) -> impl Iterator<Item = u32> + '_ {
        self.changed.keys().copied().chain(self.covered..len)
    }

    /// Too many fresh entries to check one by one: the lists should be built again.
    pub fn worn(&self, len: usize) -> bool {
        self.changed.len() + len.saturating_sub(self.covered as usize) > (len / 64).max(2048)
    }

    /// For a one-character query (mask bit index `b`): the live entries not changed since the
    /// build holding it in each tier, counted.
    pub fn tier_counts(&self, b: usize) -> [u32; SINGLE_TIERS] {
        let mut t = self.tiers[b];
        for old in self.changed.values().flatten() {
            if let Some(k) = single_tier(old, 1 << b) {
                t[k] -= 1;
            }
        }
        t
    }

    /// Live entries not changed since the build, best rank first.
    pub fn by_rank(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_rank.iter().copied().filter(|i| !self.changed.contains_key(i))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Filter, IndexEntry, SearchIndex};
    use crate::domain::model::{CreditRating, CustomerClass, GuestMark};
    use crate::testdata::{self, Rng};

    const QUERIES: [&str; 24] = [
        "z", "zh", "zha", "zhang", "w", "wa", "wang", "1", "13", "138", "13800", "8", "80", "800", "华", "华远", "王",
        "j", "jo", "john", "110105", "c0", "c0001", "q",
    ];

    fn entry(seed: u64, i: usize) -> IndexEntry {
        IndexEntry::from_profile(&testdata::profile(seed, i, 1_795_000_000_000))
    }

    /// The same archive searched by scanning and through the lists gives the same answers, for
    /// every filter the list has.
    fn assert_same(scan: &SearchIndex, lists: &SearchIndex, step: &str) {
        let filters = [
            Filter::default(),
            Filter { vip_only: true, ..Filter::default() },
            Filter { class: Some(CustomerClass::from_code(1)), ..Filter::default() },
            Filter { deleted: true, ..Filter::default() },
        ];
        for f in &filters {
            for q in QUERIES {
                for limit in [1, 7, 200] {
                    let (a, b) = (scan.search(q, f, limit), lists.search(q, f, limit));
                    assert_eq!(a, b, "{step}: query {q:?}, limit {limit}, {f:?}");
                }
            }
            // Typing on: the second keystroke narrowed from the first in both.
            for q in ["zhan", "zhang", "1380", "13800"] {
                assert_eq!(scan.search(q, f, 50), lists.search(q, f, 50), "{step}: typed {q:?}");
            }
        }
    }

    /// Changes a profile the way a clerk or a pull would: name, phone, mark, deletion, time.
    fn changed(rng: &mut Rng, seed: u64, i: usize) -> IndexEntry {
        let mut e = entry(seed, i);
        let mut other = entry(seed ^ 0x55, rng.below(10_000));
        other.id = e.id.clone();
        match rng.below(5) {
            0 => e.name = other.name,
            1 => e.phones = other.phones,
            2 => e.mark = if e.mark == GuestMark::Vip { GuestMark::None } else { GuestMark::Vip },
            3 => e.deleted_at = Some(e.updated_at + 1),
            _ => e = other,
        }
        e.credit = CreditRating::from_code(rng.below(4) as u8);
        e.updated_at += rng.below(1_000_000_000) as i64;
        e
    }

    #[test]
    fn every_score_fits_a_list_item() {
        use super::super::Field;
        for tag in 1..=super::MAX_TAG {
            for score in Field::from_tag(tag).scores() {
                assert_eq!(u32::from(super::score_code(score)) * 10, score, "{:?}", Field::from_tag(tag));
            }
        }
    }

    #[test]
    fn lists_answer_as_a_scan_does_through_changes_additions_and_deletions() {
        let (seed, n) = (7, 3_000);
        let mut scan = SearchIndex::from_entries((0..n).map(|i| entry(seed, i)));
        let mut lists = SearchIndex::from_entries((0..n).map(|i| entry(seed, i)));
        lists.build_grams();
        assert!(lists.grams_size().is_some());
        let g = lists.grams.as_ref().expect("built");
        assert!(g.threes() > 0, "common grams have three-byte lists");
        for q in ["zha", "138", "华"] {
            assert!(g.three(q.as_bytes()).is_some(), "{q} is answered from its own list");
        }
        assert_same(&scan, &lists, "built");
        let mut rng = Rng::new(3);
        for round in 0..4 {
            for _ in 0..40 {
                let i = rng.below(n);
                let e = changed(&mut rng, seed, i);
                scan.upsert(e.clone());
                lists.upsert(e);
            }
            for k in 0..25 {
                let e = entry(seed + 1, round * 100 + k);
                scan.upsert(e.clone());
                lists.upsert(e);
            }
            assert!(lists.grams_size().is_some(), "a few changes keep the lists");
            assert_same(&scan, &lists, &format!("round {round}"));
        }
    }

    #[test]
    fn a_build_in_slices_takes_the_changes_made_between_them() {
        let (seed, n) = (11, 2_500);
        let mut scan = SearchIndex::from_entries((0..n).map(|i| entry(seed, i)));
        let mut lists = SearchIndex::from_entries((0..n).map(|i| entry(seed, i)));
        let mut rng = Rng::new(5);
        let mut steps = 0;
        while !lists.build_grams_step(300) {
            steps += 1;
            for _ in 0..10 {
                let i = rng.below(n);
                let e = changed(&mut rng, seed, i);
                scan.upsert(e.clone());
                lists.upsert(e);
            }
            let e = entry(seed + 1, steps);
            scan.upsert(e.clone());
            lists.upsert(e);
        }
        assert!(steps >= 8, "built in {steps} slices");
        assert!(lists.grams_size().is_some());
        assert_same(&scan, &lists, "after a sliced build");
    }

    #[test]
    fn too_many_changes_drop_the_lists_and_searches_stay_right() {
        let (seed, n) = (13, 2_000);
        let mut scan = SearchIndex::from_entries((0..n).map(|i| entry(seed, i)));
        let mut lists = SearchIndex::from_entries((0..n).map(|i| entry(seed, i)));
        lists.build_grams();
        let more = SearchIndex::from_entries((0..2_100).map(|i| entry(seed + 1, i)));
        scan.append(more.clone());
        lists.append(more);
        assert!(lists.grams_size().is_none(), "2,100 new entries are more than the lists take");
        assert!(!lists.wants_grams(), "4,100 entries are below the size that wants lists");
        assert_same(&scan, &lists, "dropped");
        lists.build_grams();
        assert_same(&scan, &lists, "built again");
    }
}
