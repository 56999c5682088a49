//! One sync round: pull everything new and merge it, page by page, the cursor stored with each
//! merged page (destructions and merges made elsewhere are followed here), then push everything
//! waiting in the outbox. Pulling first means nothing of a guest destroyed elsewhere leaves this
//! device: what it wrote about them while apart is erased before the push. A push whose answer
//! is lost is sent again next round (the endpoint ignores changes it has); a pull that fails
//! part-way resumes from the stored cursor; a page that does not arrive whole applies nothing.

use super::error::SyncError;
use super::files;
use super::transport::Transport;
use crate::app::archive::Services;
use crate::app::prefs;
use crate::domain::sync::b64;
use crate::domain::sync::protocol::{ArchiveKey, PushRequest, WireChange, MIN_ITERATIONS};
use crate::domain::sync::Change;
use crate::platform::crypto::{self, Keys};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    /// Whether this session's rounds have carried out destructions approved elsewhere once.
    static FOLLOWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Changes per push and per pull of a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pages {
    pub push: usize,
    pub pull: usize,
}

impl Default for Pages {
    /// 1,000 changes a push; 5,000 a pull (the endpoint's maximum: fewer round trips and redraws).
    fn default() -> Pages {
        Pages { push: 1000, pull: 5000 }
    }
}

/// What a round needs to know besides the endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundSetup {
    /// The archive id (the derived keys are cached per archive).
    pub archive: String,
    /// End-to-end encryption passphrase; empty for a plain archive.
    pub passphrase: String,
    pub pages: Pages,
}

/// Derived archive keys kept between rounds (derivation takes a moment), with what they were
/// derived from.
#[derive(Default)]
pub struct KeyCache(RefCell<Option<(String, Rc<Keys>)>>);

/// One round against `net`. `pushed` is called after each acknowledged push (the pending count).
pub async fn round<T: Transport>(
    svc: Services,
    net: &T,
    setup: &RoundSetup,
    cache: &KeyCache,
    pushed: impl Fn(),
) -> Result<(), SyncError> {
    let archive = svc.archive()?;
    let keys = archive_keys(net, setup, cache).await?;
    let pulled = pull_all(svc, net, setup, keys.as_deref()).await;
    // Files attached here go before the descriptions naming them.
    let filed = files::send(svc, net, keys.as_deref()).await;
    // Then what waits here goes out (also after a failed pull: a page from a clock too far ahead
    // does not hold this device's changes back; offline, the push fails as the pull did), and
    // comes back with anything new, so the cursor covers this device's own changes.
    let sent = push(&archive, net, setup, keys.as_deref(), &pushed).await;
    match (pulled, sent) {
        (Ok(()), Ok(true)) => pull_all(svc, net, setup, keys.as_deref()).await,
        (pulled, sent) => pulled.and(sent.map(|_| ())),
    }?;
    filed?;
    if crate::app::prefs::file_prefs().keep_here {
        let kept = files::keep(svc, net, keys.as_deref()).await;
        if kept.as_ref().is_ok_and(|n| *n > 0) {
            svc.files_arrived();
        }
        kept?;
    }
    Ok(())
}

/// Pulls and merges everything new, page by page; then writes the index snapshot when a page
/// was large and follows destructions approved elsewhere.
async fn pull_all<T: Transport>(
    svc: Services,
    net: &T,
    setup: &RoundSetup,
    keys: Option<&Keys>,
) -> Result<(), SyncError> {
    let archive = svc.archive()?;
    let mut snapshot_due = false;
    let mut governance = false;
    let result = async {
        let mut since = archive.cursor().await?;
        let mut page = net.pull(since, setup.pages.pull).await?;
        loop {
            let mut batch = Vec::with_capacity(page.changes.len());
            for p in std::mem::take(&mut page.changes) {
                batch.push((p.seq, unwire(&p.change.payload, keys).await?));
            }
            prefs::learn_device_names(batch.iter().map(|(_, c)| (c.device(), c.device_name.as_str())));
            // The next page is fetched while this one is merged (used only if the merge holds).
            let apply = svc.apply_remote(batch, since, page.has_more);
            let (report, next) = if page.has_more {
                let (r, n) = futures::join!(apply, net.pull(page.cursor, setup.pages.pull));
                (r, Some(n))
            } else {
                (apply.await, None)
            };
            let report = report?;
            snapshot_due |= report.snapshot_due;
            governance |= report.governance > 0;
            if let Some(d) = report.drift {
                return Err(SyncError::Drift { device: d.device, minutes: d.ahead_ms.div_ceil(60_000) });
            }
            match next {
                None => break,
                Some(n) => {
                    since = page.cursor;
                    page = n?;
                }
            }
        }
        Ok(())
    }
    .await;
    svc.flush_redraw();
    if snapshot_due {
        // Even after a failure: what was merged is covered before the next start.
        svc.write_snapshot().await?;
    }
    // Destructions approved elsewhere are carried out here (issue 18): when approvals arrived,
    // and in this session's first round (one may have arrived before an interrupted follow).
    if governance || !FOLLOWED.replace(true) {
        if let Err(e) = svc.follow_destructions().await {
            web_sys::console::warn_1(&format!("destruction not carried out yet: {e:?}").into());
            FOLLOWED.set(false);
        }
    }
    result
}

/// Sends everything waiting in the outbox, a page at a time, each acknowledged page removed.
async fn push<T: Transport>(
    archive: &crate::store::Archive,
    net: &T,
    setup: &RoundSetup,
    keys: Option<&Keys>,
    pushed: &impl Fn(),
) -> Result<bool, SyncError> {
    let mut any = false;
    loop {
        let batch = archive.outbox(setup.pages.push).await?;
        if batch.is_empty() {
            break;
        }
        let sent: Vec<String> = batch.iter().map(|(k, _)| k.clone()).collect();
        let mut changes = Vec::new();
        let name = prefs::device_name();
        for mut c in batch.into_iter().flat_map(|(_, c)| c) {
            c.device_name = name.clone();
            changes.push(wire(&c, keys).await?);
        }
        net.push(&PushRequest { changes }).await?;
        archive.ack_outbox(&sent).await?;
        pushed();
        any = true;
    }
    Ok(any)
}

/// The archive's keys when it is encrypted: derived from this device's passphrase and the salt on
/// the server, checked against the key-check value. The first device with a passphrase creates
/// the archive's key. `None` for a plain archive.
pub async fn archive_keys<T: Transport>(
    net: &T,
    setup: &RoundSetup,
    cache: &KeyCache,
) -> Result<Option<Rc<Keys>>, SyncError> {
    let pass = setup.passphrase.trim();
    let key = match net.key().await {
        Ok(k) => k,
        Err(SyncError::NoKey) if pass.is_empty() => return Ok(None),
        Err(SyncError::NoKey) => {
            let salt = crate::platform::ids::random_bytes(16);
            let keys = crypto::derive(pass, &salt, MIN_ITERATIONS).await?;
            let check = crypto::make_check(&keys).await?;
            let new = ArchiveKey { salt: b64::encode(&salt), iterations: MIN_ITERATIONS, check };
            // Another device may have set it first: then its key is the archive's.
            match net.set_key(&new).await {
                Ok(k) => k,
                Err(_) => net.key().await?,
            }
        }
        Err(e) => return Err(e),
    };
    if pass.is_empty() {
        return Err(SyncError::NeedPassphrase);
    }
    let from = format!("{}|{pass}|{}|{}|{}", setup.archive, key.salt, key.iterations, key.check);
    if let Some((f, k)) = cache.0.borrow().clone() {
        if f == from {
            return Ok(Some(k));
        }
    }
    let salt = b64::decode(&key.salt).ok_or(SyncError::Answer)?;
    let keys = crypto::derive(pass, &salt, key.iterations).await?;
    if !crypto::verify_check(&keys, &key.check).await {
        return Err(SyncError::Passphrase);
    }
    let keys = Rc::new(keys);
    *cache.0.borrow_mut() = Some((from, keys.clone()));
    Ok(Some(keys))
}

/// The keys under which the endpoint stores the records `texts` (record keys' text): the same
/// text for a plain archive, the keyed hash for an encrypted one (what a destruction names, so the
/// endpoint erases by the ids it already knows).
pub async fn record_keys<T: Transport>(
    net: &T,
    setup: &RoundSetup,
    cache: &KeyCache,
    texts: &[String],
) -> Result<Vec<String>, SyncError> {
    let Some(keys) = archive_keys(net, setup, cache).await? else { return Ok(texts.to_vec()) };
    let mut out = Vec::with_capacity(texts.len());
    for t in texts {
        out.push(crypto::record_key(&keys, t).await?);
    }
    Ok(out)
}

/// A change as the endpoint stores it: encrypted, with an opaque record key, when the archive is.
async fn wire(c: &Change, keys: Option<&Keys>) -> Result<WireChange, SyncError> {
    let json = serde_json::to_string(c).map_err(|_| SyncError::Answer)?;
    let record = c.record.text();
    Ok(match keys {
        None => WireChange { id: c.id(), record, payload: json },
        Some(k) => WireChange {
            id: c.id(),
            record: crypto::record_key(k, &record).await?,
            payload: crypto::encrypt_text(k, &json).await?,
        },
    })
}

/// A change from its stored payload.
async fn unwire(payload: &str, keys: Option<&Keys>) -> Result<Change, SyncError> {
    let read = |json: &str| serde_json::from_slice(json.as_bytes()).map_err(|_| SyncError::Answer);
    if payload.starts_with(crypto::PREFIX) {
        let k = keys.ok_or(SyncError::NeedPassphrase)?;
        read(&crypto::decrypt_text(k, payload).await.map_err(|_| SyncError::Passphrase)?)
    } else {
        read(payload)
    }
}
