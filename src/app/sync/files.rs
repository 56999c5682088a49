//! Documents' files in a sync round (issue 19). Files attached here go to the endpoint's blob
//! store before the descriptions naming them are pushed, so a device that pulls a description
//! finds its file; under end-to-end encryption each is sealed first (`crypto::seal_file`) and
//! stored under the hash of the sealed bytes, which the description records (`Document::blob`).
//! A file is taken off the queue only once the endpoint has it: an upload cut by a lost
//! connection is sent again next round, and files attached offline go when the network returns.
//! After the round, a device that keeps documents fetches the originals it lacks.

use super::error::SyncError;
use super::transport::Transport;
use crate::app::archive::Services;
use crate::app::documents::DocError;
use crate::domain::documents::{sha256_hex, Document};
use crate::platform::crypto::{self, Keys};

/// Sends every file waiting here; how many went. Stops at the first sign of no connection; a
/// file the endpoint refuses stays queued (and is reported in the console) while the others go.
pub async fn send(svc: Services, net: &impl Transport, keys: Option<&Keys>) -> Result<usize, SyncError> {
    let archive = svc.archive()?;
    let mut sent = 0;
    for (hash, doc_id) in archive.queued_blobs().await? {
        let Some(bytes) = archive.blob(&hash).await? else {
            // Erased here since (a destruction): nothing to send.
            archive.unqueue_blob(&hash).await?;
            continue;
        };
        let (name, body) = match keys {
            None => (hash.clone(), bytes),
            Some(k) => {
                let sealed = crypto::seal_file(k, &bytes, &hash).await?;
                (sha256_hex(&sealed), sealed)
            }
        };
        if keys.is_some() {
            // The description names the sealed file (pushed right after this); only that field
            // is written, so an edit of the description made meanwhile stays.
            if let Some(mut d) = archive.document(&doc_id).await? {
                if d.blob != name {
                    d.blob = name.clone();
                    archive.patch_document(&d, &["blob"]).await?;
                }
            }
        }
        match patient(|| net.put_blob(&name, &body)).await {
            Ok(()) => {
                archive.unqueue_blob(&hash).await?;
                sent += 1;
            }
            Err(SyncError::Offline) => return Err(SyncError::Offline),
            Err(e) => web_sys::console::warn_1(&format!("file {hash} not sent: {e:?}").into()),
        }
    }
    Ok(sent)
}

/// A document's original from the endpoint: opened when it was sealed, checked against the
/// description's hash, then kept here.
pub async fn fetch(
    svc: Services,
    net: &impl Transport,
    keys: Option<&Keys>,
    d: &Document,
) -> Result<Vec<u8>, DocError> {
    let stored = patient(|| net.get_blob(d.blob_name())).await?.ok_or(DocError::NotYet)?;
    let plain = if d.blob.is_empty() {
        stored
    } else {
        let k = keys.ok_or(SyncError::NeedPassphrase)?;
        crypto::open(k, &stored).await.map_err(|_| DocError::Damaged)?
    };
    if sha256_hex(&plain) != d.hash {
        return Err(DocError::Damaged);
    }
    svc.archive()?.keep_blob(&d.hash, &plain).await?;
    Ok(plain)
}

/// Fetches every live document's original this device lacks (when it keeps documents); how
/// many. A file the endpoint does not have yet is left for a later round.
pub async fn keep(svc: Services, net: &impl Transport, keys: Option<&Keys>) -> Result<usize, SyncError> {
    let archive = svc.archive()?;
    let mut got = 0;
    for d in archive.all_documents().await?.iter().filter(|d| d.is_live()) {
        if archive.has_blob(&d.hash).await? {
            continue;
        }
        match fetch(svc, net, keys, d).await {
            Ok(_) => got += 1,
            Err(DocError::Sync(SyncError::Offline)) => return Err(SyncError::Offline),
            Err(e) => web_sys::console::warn_1(&format!("file of {} not fetched: {e:?}", d.id).into()),
        }
    }
    Ok(got)
}

/// Calls the endpoint, waiting a second and asking again while it answers that this device asks
/// too often (its requests per token are limited: a new device fetching hundreds of files meets
/// the limit), at most a minute.
async fn patient<T, F: std::future::Future<Output = Result<T, SyncError>>>(
    call: impl Fn() -> F,
) -> Result<T, SyncError> {
    let mut waited = 0;
    loop {
        match call().await {
            Err(SyncError::Busy) if waited < 60 => {
                crate::platform::clock::sleep(std::time::Duration::from_secs(1)).await;
                waited += 1;
            }
            other => return other,
        }
    }
}
