//! Documents' files on disk beside the database (`serve --files DIR`), instead of in it: one file
//! per blob at `DIR/<archive>/<first two hex digits>/<hash>`. A file is written under a temporary
//! name, flushed, then renamed into place, so a reader never sees half a file and a crash leaves
//! none; a blob already there is not written again. A destruction overwrites the named files with
//! zeros before removing them.

use super::StoreError;
use dangan::domain::sync::protocol::{valid_archive_id, valid_blob_name};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Files {
    dir: PathBuf,
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Db(format!("files: {e}"))
}

impl Files {
    /// Files kept under `dir` (created if missing).
    pub fn open(dir: &Path) -> Result<Files, StoreError> {
        std::fs::create_dir_all(dir).map_err(io)?;
        Ok(Files { dir: dir.to_path_buf() })
    }

    /// Where blob `hash` of `archive` is; both names are checked (no path can leave `dir`).
    fn path(&self, archive: &str, hash: &str) -> Result<PathBuf, StoreError> {
        if !valid_archive_id(archive) || !valid_blob_name(hash) {
            return Err(StoreError::Db("files: not an archive id or blob name".into()));
        }
        Ok(self.dir.join(archive).join(&hash[..2]).join(hash))
    }

    async fn blocking<T: Send + 'static>(
        f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        tokio::task::spawn_blocking(f).await.map_err(|_| StoreError::Worker)?
    }

    /// Stores a blob unless it is there; `true` when stored now.
    pub async fn put(&self, archive: &str, hash: &str, bytes: Vec<u8>) -> Result<bool, StoreError> {
        let path = self.path(archive, hash)?;
        Self::blocking(move || {
            if path.is_file() {
                return Ok(false);
            }
            let folder = path.parent().expect("a blob's path has a folder");
            std::fs::create_dir_all(folder).map_err(io)?;
            // A name of its own per write: two devices sending the same file at once each write
            // theirs, and the second rename puts the same bytes in place.
            static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("blob");
            let temp = folder.join(format!(".{name}.{}.{n}.part", std::process::id()));
            let mut f = std::fs::File::create(&temp).map_err(io)?;
            f.write_all(&bytes).and_then(|()| f.sync_all()).map_err(io)?;
            std::fs::rename(&temp, &path).map_err(io)?;
            Ok(true)
        })
        .await
    }

    /// A blob's bytes.
    pub async fn get(&self, archive: &str, hash: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path(archive, hash)?;
        Self::blocking(move || match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        })
        .await
    }

    /// Blobs kept for an archive.
    pub async fn count(&self, archive: &str) -> Result<u64, StoreError> {
        if !valid_archive_id(archive) {
            return Ok(0);
        }
        let root = self.dir.join(archive);
        Self::blocking(move || {
            let Ok(folders) = std::fs::read_dir(&root) else { return Ok(0) };
            let mut n = 0;
            for folder in folders.flatten() {
                for f in std::fs::read_dir(folder.path()).map_err(io)?.flatten() {
                    n += u64::from(f.file_name().to_str().is_some_and(valid_blob_name));
                }
            }
            Ok(n)
        })
        .await
    }

    /// Destroys the named blobs of an archive (overwritten with zeros, then removed); those not
    /// there are passed over.
    pub async fn destroy(&self, archive: &str, hashes: &[String]) -> Result<(), StoreError> {
        let paths = hashes.iter().map(|h| self.path(archive, h)).collect::<Result<Vec<_>, _>>()?;
        Self::blocking(move || {
            for p in paths {
                let Ok(meta) = std::fs::metadata(&p) else { continue };
                let mut f = std::fs::OpenOptions::new().write(true).open(&p).map_err(io)?;
                f.write_all(&vec![0; meta.len() as usize]).and_then(|()| f.sync_all()).map_err(io)?;
                std::fs::remove_file(&p).map_err(io)?;
            }
            Ok(())
        })
        .await
    }
}
