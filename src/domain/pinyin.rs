//! The pinyin of a Han character (its first reading, without tones) from a compact table that
//! is **not** part of the app's code: `public/pinyin.bin`, 41,923 characters (the basic block and
//! Extensions A–H: rare characters in names need them), 176 KB, 55 KB over the wire as brotli.
//! Linked into the desk it was the largest single item of its first download; the app fetches it
//! after the first paint (`platform/pinyin.rs`, precached by the service worker) and installs it
//! here, and every storage write that builds search entries waits for it (`store`'s
//! `names_ready`). Natively (tests, examples) the file is read in at first use.
//!
//! The file is made from the `pinyin` crate's data by `cargo run --example pinyin_table`; a test
//! compares every character of it with the crate.
//!
//! Format (little-endian): `PY1\n`, the syllables' text length (u32) and the syllables separated
//! by spaces, the number of blocks (u32), then per block its first code point (u32), its length
//! (u32) and one u16 per code point: 0 for none, else the syllable's position + 1.

use std::sync::OnceLock;

const MAGIC: &[u8; 4] = b"PY1\n";

/// A parsed table.
pub struct Table {
    syllables: Vec<String>,
    blocks: Vec<(u32, Vec<u16>)>,
}

impl Table {
    /// Reads a table; `None` if the bytes are not one.
    pub fn parse(bytes: &[u8]) -> Option<Table> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return None;
        }
        let len = r.u32()? as usize;
        let text = std::str::from_utf8(r.take(len)?).ok()?;
        let syllables: Vec<String> = text.split(' ').map(str::to_string).collect();
        let count = r.u32()?;
        let mut blocks = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let start = r.u32()?;
            let n = r.u32()? as usize;
            let raw = r.take(n.checked_mul(2)?)?;
            let idx: Vec<u16> = raw.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
            if idx.iter().any(|&i| usize::from(i) > syllables.len()) {
                return None;
            }
            blocks.push((start, idx));
        }
        (r.at == bytes.len()).then_some(Table { syllables, blocks })
    }

    /// The reading of `c`, if it has one.
    pub fn reading(&self, c: char) -> Option<&str> {
        let code = u32::from(c);
        let (start, idx) = self.blocks.iter().take_while(|(s, _)| *s <= code).last()?;
        let i = *idx.get((code - start) as usize)?;
        (i > 0).then(|| self.syllables[usize::from(i) - 1].as_str())
    }

    /// Writes a table of `readings` (code point order), as the file holds it: code points less
    /// than 257 apart share a block.
    pub fn encode(readings: &[(char, String)]) -> Vec<u8> {
        let mut syllables: Vec<&str> = readings.iter().map(|(_, r)| r.as_str()).collect();
        syllables.sort_unstable();
        syllables.dedup();
        let pos = |r: &str| syllables.binary_search(&r).expect("listed above") as u16 + 1;
        let mut blocks: Vec<(u32, Vec<u16>)> = Vec::new();
        for (c, r) in readings {
            let code = u32::from(*c);
            match blocks.last_mut() {
                Some((start, idx)) if code >= *start + idx.len() as u32 && code - (*start + idx.len() as u32) < 256 => {
                    idx.resize((code - *start) as usize, 0);
                    idx.push(pos(r));
                }
                _ => blocks.push((code, vec![pos(r)])),
            }
        }
        let text = syllables.join(" ");
        let mut out = MAGIC.to_vec();
        out.extend((text.len() as u32).to_le_bytes());
        out.extend(text.as_bytes());
        out.extend((blocks.len() as u32).to_le_bytes());
        for (start, idx) in &blocks {
            out.extend(start.to_le_bytes());
            out.extend((idx.len() as u32).to_le_bytes());
            idx.iter().for_each(|i| out.extend(i.to_le_bytes()));
        }
        out
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

static TABLE: OnceLock<Table> = OnceLock::new();

/// Installs the table (the app, once fetched). False if the bytes are not a table.
pub fn install(bytes: &[u8]) -> bool {
    match Table::parse(bytes) {
        Some(t) => {
            let _ = TABLE.set(t);
            true
        }
        None => false,
    }
}

/// Whether the table is here (in the browser: installed).
pub fn installed() -> bool {
    table().is_some()
}

fn table() -> Option<&'static Table> {
    #[cfg(not(target_arch = "wasm32"))]
    if TABLE.get().is_none() {
        install(include_bytes!("../../public/pinyin.bin"));
    }
    TABLE.get()
}

/// The reading of `c` (none for a character without one, or before the table is installed).
pub fn reading(c: char) -> Option<&'static str> {
    table()?.reading(c)
}

// The `pinyin` crate is a native dev-dependency only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use pinyin::ToPinyin;

    #[test]
    fn the_file_holds_every_reading_of_the_pinyin_crate_and_no_other() {
        let t = Table::parse(include_bytes!("../../public/pinyin.bin")).expect("public/pinyin.bin reads");
        let mut n = 0;
        for code in 0..=0x3FFFF_u32 {
            let Some(c) = char::from_u32(code) else { continue };
            let want = c.to_pinyin().map(|p| p.plain());
            assert_eq!(t.reading(c), want, "{c} U+{code:04X}");
            n += want.is_some() as usize;
        }
        assert!(n > 40_000, "{n} characters");
        assert_eq!(reading('张'), Some("zhang"));
        assert_eq!(reading('𠀁'), Some("qi"), "Extension B");
        assert_eq!(reading('a'), None);
    }

    #[test]
    fn a_table_survives_encoding_and_broken_bytes_are_refused() {
        let readings = vec![('一', "yi".to_string()), ('丁', "ding".to_string()), ('𠀀', "he".to_string())];
        let bytes = Table::encode(&readings);
        let t = Table::parse(&bytes).expect("reads back");
        assert_eq!(t.reading('一'), Some("yi"));
        assert_eq!(t.reading('丁'), Some("ding"));
        assert_eq!(t.reading('丂'), None, "between two readings");
        assert_eq!(t.reading('𠀀'), Some("he"));
        assert_eq!(t.reading('𠀂'), None, "past the last block");
        assert!(Table::parse(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(Table::parse(&[bytes.as_slice(), &[0]].concat()).is_none(), "trailing bytes");
        assert!(Table::parse(b"PNG\n").is_none(), "not a table");
        let mut bad = bytes.clone();
        let last = bad.len() - 2;
        bad[last..].copy_from_slice(&999u16.to_le_bytes());
        assert!(Table::parse(&bad).is_none(), "a syllable that is not listed");
    }
}
