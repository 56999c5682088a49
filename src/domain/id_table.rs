//! Positions of the index's entries found by the hash of their id: an open-addressing table of
//! `u32` with linear probing, at most half full. The entries' ids are not in it (they are read
//! from the index's rows), so it is plain numbers: the snapshot stores it and start-up uses it as
//! it is read, instead of hashing a million ids again.

const EMPTY: u32 = u32::MAX;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdTable {
    slots: Vec<u32>,
    len: usize,
}

impl IdTable {
    /// A table for `n` entries without growing.
    pub fn with_capacity(n: usize) -> IdTable {
        IdTable { slots: vec![EMPTY; (n.max(4) * 2).next_power_of_two()], len: 0 }
    }

    /// Number of positions held.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The position whose entry `is(p)` says is the one looked for.
    pub fn find(&self, hash: u64, is: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => return None,
                p if is(p) => return Some(p),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Puts `pos` for an entry: in place of the position `is` recognises as the same entry, or in
    /// a free slot. `hash_of(p)` gives any held position's hash when the table grows.
    pub fn insert(&mut self, hash: u64, pos: u32, is: impl Fn(u32) -> bool, hash_of: &dyn Fn(u32) -> u64) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow(hash_of);
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => {
                    self.slots[i] = pos;
                    self.len += 1;
                    return;
                }
                p if is(p) => {
                    self.slots[i] = pos;
                    return;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Puts a position known not to be held yet (building from a snapshot's unique ids).
    pub fn insert_new(&mut self, hash: u64, pos: u32, hash_of: &dyn Fn(u32) -> u64) {
        self.insert(hash, pos, |_| false, hash_of)
    }

    fn grow(&mut self, hash_of: &dyn Fn(u32) -> u64) {
        let old = std::mem::take(&mut self.slots);
        *self = IdTable::with_capacity(old.len().max(4));
        for p in old.into_iter().filter(|&p| p != EMPTY) {
            self.insert_new(hash_of(p), p, hash_of);
        }
    }

    /// The slots, as a snapshot stores them.
    pub fn slots(&self) -> &[u32] {
        &self.slots
    }

    /// A table read from a snapshot of `n` entries: refused unless its size is a power of two at
    /// least twice `n` and it holds each of the `n` positions' slots exactly `n` times with no
    /// position out of range (where each sits is not checked: a misplaced one is not found, and
    /// the entry is then added again on its next write, which the start-up count check catches).
    pub fn from_slots(slots: Vec<u32>, n: usize) -> Option<IdTable> {
        if n == 0 && slots.is_empty() {
            return Some(IdTable::default());
        }
        let held = slots.iter().filter(|&&p| p != EMPTY).count();
        let fits = slots.len().is_power_of_two() && slots.len() >= 2 * n.max(1);
        (fits && held == n && slots.iter().all(|&p| p == EMPTY || (p as usize) < n))
            .then_some(IdTable { slots, len: n })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn h(k: &u64) -> u64 {
        k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7
    }

    proptest! {
        /// Against a map: keys (some repeated, some colliding) put at positions, then found.
        #[test]
        fn finds_what_a_map_finds(keys in proptest::collection::vec(0u64..300, 0..400)) {
            let mut at: Vec<u64> = Vec::new(); // position → key
            let mut model: HashMap<u64, u32> = HashMap::new();
            let mut t = IdTable::default();
            for k in keys {
                let pos = match model.get(&k) { Some(&p) => p, None => { at.push(k); at.len() as u32 - 1 } };
                let at2 = at.clone();
                t.insert(h(&k) % 7, pos, |p| at2[p as usize] == k, &|p| h(&at2[p as usize]) % 7);
                model.insert(k, pos);
            }
            prop_assert_eq!(t.len(), model.len());
            for (k, &p) in &model {
                prop_assert_eq!(t.find(h(k) % 7, |q| at[q as usize] == *k), Some(p));
            }
            prop_assert_eq!(t.find(h(&999) % 7, |q| at[q as usize] == 999), None);
            let again = IdTable::from_slots(t.slots().to_vec(), model.len());
            prop_assert_eq!(again.as_ref(), Some(&t));
        }
    }

    #[test]
    fn damaged_slots_are_refused() {
        let mut t = IdTable::with_capacity(3);
        for p in 0..3u32 {
            t.insert_new(u64::from(p), p, &|p| u64::from(p));
        }
        assert!(IdTable::from_slots(t.slots().to_vec(), 3).is_some());
        assert!(IdTable::from_slots(t.slots().to_vec(), 4).is_none(), "a position missing");
        let mut bad = t.slots().to_vec();
        bad[0] = 7;
        assert!(IdTable::from_slots(bad, 3).is_none(), "a position out of range");
        assert!(IdTable::from_slots(vec![0, 1, 2], 3).is_none(), "not a power of two, too full");
    }
}
