//! Chunks: many records' JSON in one stored value. IndexedDB's cost is per request (100,000 puts
//! of a 400-byte value take ~9 s in Chromium on this machine kind, 10,000 puts of ten of them
//! ~1.3 s), so bulk writes (import, a new device's first pull, seeding) store their new profiles
//! a chunk at a time. The format: `DGC1`, then per record its id and its JSON, each as a
//! little-endian `u32` length and the bytes.

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

/// A chunk's ids as stored beside it (one per line; ids never hold a line break, see
/// [`chunkable`]).
pub fn ids_text(ids: &[String]) -> String {
    ids.join("\n")
}

/// Whether a record id can go in a chunk.
pub fn chunkable(id: &str) -> bool {
    !id.is_empty() && !id.contains('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

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
