//! Chunks: many records' JSON in one stored value. IndexedDB's cost is per request (100,000 puts
//! of a 400-byte value take ~9 s in Chromium on this machine kind, 10,000 puts of ten of them
//! ~1.3 s), so bulk writes (import, a new device's first pull, seeding) store their new profiles
//! a chunk at a time. The format: `DGC1`, then per record its id and its JSON, each as a
//! little-endian `u32` length and the bytes.

use hashbrown::{hash_table, HashTable};
use std::rc::Rc;

const MAGIC: &[u8; 4] = b"DGC1";

/// A chunk is closed once it holds this many bytes: Chromium stores values over 64 KiB as
/// separate blob files, which are slower to write and read.
pub const TARGET_BYTES: usize = 56 * 1024;

/// Why a chunk could not be read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("a stored chunk is truncated or corrupt")]
pub struct ChunkError;

/// Builds one chunk.
pub struct Builder {
    buf: Vec<u8>,
    ids: Vec<String>,
}

impl Default for Builder {
    fn default() -> Builder {
        let mut buf = Vec::with_capacity(TARGET_BYTES + 4096);
        buf.extend_from_slice(MAGIC);
        Builder { buf, ids: Vec::new() }
    }
}

impl Builder {
    pub fn push(&mut self, id: &str, json: &[u8]) {
        for part in [id.as_bytes(), json] {
            self.buf.extend_from_slice(&(part.len() as u32).to_le_bytes());
            self.buf.extend_from_slice(part);
        }
        self.ids.push(id.to_string());
    }

    /// Whether the chunk has reached its size.
    pub fn full(&self) -> bool {
        self.buf.len() >= TARGET_BYTES
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The chunk's bytes and its ids (in order), leaving the builder empty.
    pub fn take(&mut self) -> (Vec<u8>, Vec<String>) {
        let buf = std::mem::replace(&mut self.buf, MAGIC.to_vec());
        (buf, std::mem::take(&mut self.ids))
    }
}

/// Every record of a chunk as (id, JSON), in order.
pub fn entries(bytes: &[u8]) -> Result<Vec<(&str, &[u8])>, ChunkError> {
    let mut rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or(ChunkError)?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let id = std::str::from_utf8(take(&mut rest)?).map_err(|_| ChunkError)?;
        let json = take(&mut rest)?;
        out.push((id, json));
    }
    Ok(out)
}

fn take<'a>(rest: &mut &'a [u8]) -> Result<&'a [u8], ChunkError> {
    let (len, tail) = rest.split_first_chunk::<4>().ok_or(ChunkError)?;
    let len = u32::from_le_bytes(*len) as usize;
    let (part, tail) = tail.split_at_checked(len).ok_or(ChunkError)?;
    *rest = tail;
    Ok(part)
}

/// The JSON of record `id` in a chunk.
pub fn find<'a>(bytes: &'a [u8], id: &str) -> Result<Option<&'a [u8]>, ChunkError> {
    Ok(entries(bytes)?.into_iter().find(|(i, _)| *i == id).map(|(_, j)| j))
}

/// The chunk with the records named in `new` replaced by their new JSON (others unchanged, order
/// kept; ids not in the chunk are ignored).
pub fn replace(bytes: &[u8], new: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<Vec<u8>, ChunkError> {
    let mut b = Builder::default();
    for (id, json) in entries(bytes)? {
        match new(id) {
            Some(j) => b.push(id, &j),
            None => b.push(id, json),
        }
    }
    Ok(b.take().0)
}

/// The chunk with only the records `keep` keeps (given each record's position and id; order
/// kept), and the ids kept.
pub fn retain(bytes: &[u8], keep: &dyn Fn(usize, &str) -> bool) -> Result<(Vec<u8>, Vec<String>), ChunkError> {
    let mut b = Builder::default();
    for (i, (id, json)) in entries(bytes)?.into_iter().enumerate() {
        if keep(i, id) {
            b.push(id, json);
        }
    }
    Ok(b.take())
}

/// A chunk's ids as stored beside it (one per line; ids never hold a line break, see
/// [`chunkable`]).
pub fn ids_text(ids: &[String]) -> String {
    ids.join("\n")
}

/// Whether a record id can go in a chunk.
pub fn chunkable(id: &str) -> bool {
    !id.is_empty() && !id.contains('\n')
}

/// Which chunk holds each chunked profile: each chunk's id text as stored, and a hash table of
/// (chunk, offset of the id in its text). A million chunked profiles cost their ids' bytes and
/// 8 bytes each, not a string and a map entry each.
#[derive(Default)]
pub struct ChunkIndex {
    keys: Vec<Rc<str>>,
    texts: Vec<String>,
    table: HashTable<(u32, u32)>,
}

impl ChunkIndex {
    /// Adds a chunk and its ids (as [`ids_text`] wrote them); an id already placed moves to it.
    pub fn add(&mut self, key: Rc<str>, ids: String) {
        let c = self.keys.len() as u32;
        self.keys.push(key);
        self.texts.push(ids);
        let text = &self.texts[c as usize];
        let mut at = 0usize;
        for id in text.split('\n') {
            let texts = &self.texts;
            let id_at = |&(c, o): &(u32, u32)| id_in(&texts[c as usize], o);
            match self.table.entry(super::search::id_hash(id), |x| id_at(x) == id, |x| super::search::id_hash(id_at(x)))
            {
                hash_table::Entry::Occupied(mut o) => *o.get_mut() = (c, at as u32),
                hash_table::Entry::Vacant(v) => {
                    v.insert((c, at as u32));
                }
            }
            at += id.len() + 1;
        }
    }

    /// The key of the chunk holding `id`.
    pub fn chunk_of(&self, id: &str) -> Option<Rc<str>> {
        let hash = super::search::id_hash(id);
        self.table
            .find(hash, |&(c, o)| id_in(&self.texts[c as usize], o) == id)
            .map(|&(c, _)| self.keys[c as usize].clone())
    }

    /// Number of chunked profiles.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// The id starting at `at` in a chunk's id text.
fn id_in(text: &str, at: u32) -> &str {
    let rest = &text[at as usize..];
    &rest[..rest.find('\n').unwrap_or(rest.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chunk_index_finds_each_id_in_its_latest_chunk() {
        let mut ix = ChunkIndex::default();
        assert!(ix.is_empty());
        ix.add("c1".into(), ids_text(&["a".into(), "bb".into(), "ccc".into()]));
        ix.add("c2".into(), ids_text(&["d".into(), "bb".into()]));
        assert_eq!(ix.len(), 4);
        assert_eq!(ix.chunk_of("a").as_deref(), Some("c1"));
        assert_eq!(ix.chunk_of("ccc").as_deref(), Some("c1"));
        assert_eq!(ix.chunk_of("bb").as_deref(), Some("c2"), "a later chunk wins");
        assert_eq!(ix.chunk_of("d").as_deref(), Some("c2"));
        assert_eq!(ix.chunk_of("b"), None, "a prefix of an id is not the id");
        assert_eq!(ix.chunk_of("cc"), None);
        let many: Vec<String> = (0..5000).map(|i| format!("01J{i:023}")).collect();
        ix.add("c3".into(), ids_text(&many));
        assert!(many.iter().all(|id| ix.chunk_of(id).as_deref() == Some("c3")));
        assert_eq!(ix.len(), 5004);
    }

    #[test]
    fn round_trip_find_and_replace() {
        let mut b = Builder::default();
        assert!(b.is_empty());
        let zs = r#"{"id":"a","name":"张三"}"#.as_bytes();
        b.push("a", zs);
        b.push("b", b"{}");
        let (bytes, ids) = b.take();
        assert!(b.is_empty());
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(entries(&bytes).unwrap(), vec![("a", zs), ("b", b"{}".as_slice())]);
        assert_eq!(find(&bytes, "b").unwrap(), Some(b"{}".as_slice()));
        assert_eq!(find(&bytes, "c").unwrap(), None);
        let new = replace(&bytes, &|id| (id == "a").then(|| b"{\"x\":1}".to_vec())).unwrap();
        assert_eq!(entries(&new).unwrap(), vec![("a", b"{\"x\":1}".as_slice()), ("b", b"{}".as_slice())]);
        assert_eq!(ids_text(&ids), "a\nb");
        let (left, kept) = retain(&bytes, &|i, id| i == 1 || id == "c").unwrap();
        assert_eq!((entries(&left).unwrap(), kept), (vec![("b", b"{}".as_slice())], vec!["b".to_string()]));
        let (none, kept) = retain(&bytes, &|_, _| false).unwrap();
        assert!(entries(&none).unwrap().is_empty() && kept.is_empty());
    }

    #[test]
    fn fills_up_and_refuses_damage() {
        let mut b = Builder::default();
        let json = vec![b'x'; 1000];
        let mut n = 0;
        while !b.full() {
            b.push(&n.to_string(), &json);
            n += 1;
        }
        assert_eq!(n, 57);
        let (bytes, _) = b.take();
        assert_eq!(entries(&bytes).unwrap().len(), 57);
        assert_eq!(entries(&bytes[..bytes.len() - 1]), Err(ChunkError));
        assert_eq!(entries(b"DGS1"), Err(ChunkError));
        assert_eq!(entries(b"DGC1"), Ok(vec![]));
        assert!(chunkable("0123abc") && !chunkable("a\nb") && !chunkable(""));
    }
}
