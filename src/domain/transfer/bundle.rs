//! A backup with its documents' files (issue 19): a ZIP holding the backup's JSON and each file
//! under `files/<sha256>`, stored as they are (pictures and PDFs are compressed already; storing
//! keeps writing a large backup a copy, not a compression). Reading checks every file against the
//! hash it is named by: a damaged one is named and left out, never restored.

use super::backup::{Backup, BackupError};
use crate::domain::documents::sha256_hex;
use std::io::{Cursor, Read, Write};

/// The backup's records and settings inside the ZIP.
pub const BACKUP_ENTRY: &str = "dangan-backup.json";
/// Where the files are, each named by the SHA-256 of its bytes.
const FILES: &str = "files/";
/// The largest file read back (the largest a device takes, sealed, with room to spare).
const MAX_FILE: u64 = 12 * 1024 * 1024;
/// The largest backup JSON read back (the bytes a ZIP says it holds can lie: they are counted).
const MAX_JSON: u64 = 2 * 1024 * 1024 * 1024 - 1;

/// Whether `bytes` are a ZIP (a backup with files) rather than a backup's JSON.
pub fn is_bundle(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// A ZIP of a backup being written: its JSON first, then the files one at a time (so a large
/// backup holds one file besides the ZIP in memory, not all of them twice).
pub struct Writer {
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
    seen: std::collections::HashSet<String>,
    /// Files written and their bytes.
    pub files: usize,
    pub bytes: u64,
}

impl Writer {
    pub fn new(backup_json: &[u8]) -> Writer {
        let mut w = Writer {
            zip: zip::ZipWriter::new(Cursor::new(Vec::with_capacity(backup_json.len() + 1024))),
            seen: Default::default(),
            files: 0,
            bytes: 0,
        };
        w.put(BACKUP_ENTRY, backup_json);
        w
    }

    fn put(&mut self, name: &str, bytes: &[u8]) {
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        self.zip.start_file(name, options).expect("writing to memory");
        self.zip.write_all(bytes).expect("writing to memory");
    }

    /// Adds a file by its hash (a hash added twice is written once).
    pub fn add(&mut self, hash: &str, bytes: &[u8]) {
        if self.seen.insert(hash.to_string()) {
            self.put(&format!("{FILES}{hash}"), bytes);
            self.files += 1;
            self.bytes += bytes.len() as u64;
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.zip.finish().expect("writing to memory").into_inner()
    }
}

/// A ZIP of the backup's JSON and `files` (each its hash and bytes).
pub fn write(backup_json: &[u8], files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = Writer::new(backup_json);
    for (hash, bytes) in files {
        w.add(hash, bytes);
    }
    w.finish()
}

/// A backup read from a ZIP: the backup, the files that match their names, and the names of
/// those that did not (damaged, or too large).
#[derive(Debug, PartialEq)]
pub struct Bundle {
    pub backup: Backup,
    pub files: Vec<(String, Vec<u8>)>,
    pub damaged: Vec<String>,
}

impl Bundle {
    /// The bytes of its files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.1.len() as u64).sum()
    }
}

/// Reads a backup with files; a ZIP without the backup's JSON is not a backup.
pub fn read(bytes: &[u8]) -> Result<Bundle, BackupError> {
    let not_zip = |e: &dyn std::fmt::Display| BackupError::NotJson(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_zip(&e))?;
    let json = {
        let entry = zip.by_name(BACKUP_ENTRY).map_err(|_| BackupError::NotABackup)?;
        read_at_most(entry, MAX_JSON).ok_or(BackupError::NotABackup)?
    };
    let backup = Backup::parse(&json)?;
    let (mut files, mut damaged) = (Vec::new(), Vec::new());
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else { continue };
        let Some(name) = entry.name().strip_prefix(FILES).map(str::to_string) else { continue };
        match read_at_most(entry, MAX_FILE) {
            Some(b) if sha256_hex(&b) == name => files.push((name, b)),
            _ => damaged.push(name),
        }
    }
    Ok(Bundle { backup, files, damaged })
}

/// An entry's bytes, or `None` when it unpacks to more than `limit` or cannot be read.
fn read_at_most(entry: impl Read, limit: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    entry.take(limit + 1).read_to_end(&mut out).ok()?;
    (out.len() as u64 <= limit).then_some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::transfer::backup::BackupSettings;

    fn backup() -> Backup {
        Backup::new(1_764_000_000_000, "前台平板", BackupSettings::default(), Vec::new())
    }

    #[test]
    fn a_backup_and_its_files_come_back_as_they_went() {
        let photo = b"\xff\xd8\xff\xe0 a photo".to_vec();
        let pdf = b"%PDF-1.7 a contract".to_vec();
        let files =
            vec![(sha256_hex(&photo), photo.clone()), (sha256_hex(&pdf), pdf.clone()), (sha256_hex(&photo), photo)];
        let zip = write(&backup().to_json(), &files);
        assert!(is_bundle(&zip) && !is_bundle(&backup().to_json()));
        let back = read(&zip).unwrap();
        assert_eq!(back.backup, backup());
        assert_eq!(back.files, files[..2], "a file named twice is written once");
        assert!(back.damaged.is_empty());
        assert_eq!(back.bytes(), (files[0].1.len() + files[1].1.len()) as u64);
        // Stored, not compressed: the photo's bytes are in the ZIP as they are.
        assert!(zip.windows(files[0].1.len()).any(|w| w == files[0].1.as_slice()));
    }

    #[test]
    fn a_damaged_file_is_named_and_left_out() {
        let pdf = b"%PDF-1.7 a contract".to_vec();
        let mut zip = write(&backup().to_json(), &[(sha256_hex(&pdf), pdf.clone())]);
        // One byte of the stored PDF changed (the ZIP's own checksum is not what catches it).
        let at = zip.windows(pdf.len()).position(|w| w == pdf.as_slice()).unwrap();
        zip[at + 9] ^= 0x20;
        let back = read(&zip);
        let back = back.unwrap();
        assert!(back.files.is_empty());
        assert_eq!(back.damaged, [sha256_hex(&pdf)]);
    }

    #[test]
    fn a_zip_without_a_backup_in_it_is_not_a_backup() {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        z.start_file("photo.jpg", zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(b"\xff\xd8\xff").unwrap();
        let other = z.finish().unwrap().into_inner();
        assert_eq!(read(&other), Err(BackupError::NotABackup));
        assert!(matches!(read(b"PK\x03\x04 cut short"), Err(BackupError::NotJson(_))));
    }
}
