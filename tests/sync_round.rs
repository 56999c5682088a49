//! The sync client's round (push, pull, merge, cursor, retry) in headless Chromium, against an
//! endpoint kept in memory that loses answers and cuts pages on demand; two archives on the
//! real IndexedDB play two devices.
#![cfg(target_arch = "wasm32")]

use dangan::app::archive::Services;
use dangan::app::sync::{archive_keys, round, KeyCache, Pages, RoundSetup, SyncError, Transport};
use dangan::domain::model::Profile;
use dangan::domain::sync::protocol::{
    ArchiveKey, ErrorBody, ErrorCode, PullResponse, Pulled, PushRequest, PushResponse,
};
use leptos::prelude::GetUntracked;
use std::cell::{Cell, RefCell};
use wasm_bindgen_test::*;

mod common;
use common::raw_count;

wasm_bindgen_test_configure!(run_in_browser);

/// The endpoint in memory: changes in arrival order (seq = position + 1), a repeated id stored
/// once, and two faults to switch on.
#[derive(Default)]
struct FakeEndpoint {
    changes: RefCell<Vec<Pulled>>,
    /// The next push is stored but its answer never arrives.
    lose_push_answer: Cell<bool>,
    /// The next pull from this cursor arrives cut off.
    cut_pull_from: Cell<Option<u64>>,
    pushes: Cell<usize>,
    /// The archive key, once a device with a passphrase set it.
    key: RefCell<Option<ArchiveKey>>,
    /// Documents' files by name (the endpoint checks the name against the bytes).
    blobs: RefCell<std::collections::BTreeMap<String, Vec<u8>>>,
    /// The connection drops during every file upload.
    cut_uploads: Cell<bool>,
}

impl FakeEndpoint {
    fn stored(&self) -> usize {
        self.changes.borrow().len()
    }
}

impl Transport for FakeEndpoint {
    async fn push(&self, req: &PushRequest) -> Result<PushResponse, SyncError> {
        self.pushes.set(self.pushes.get() + 1);
        let mut all = self.changes.borrow_mut();
        let (mut stored, mut duplicates) = (0, 0);
        for c in &req.changes {
            if all.iter().any(|p| p.change.id == c.id) {
                duplicates += 1;
            } else {
                let seq = all.len() as u64 + 1;
                all.push(Pulled { seq, change: c.clone() });
                stored += 1;
            }
        }
        if self.lose_push_answer.replace(false) {
            return Err(SyncError::Offline);
        }
        Ok(PushResponse { stored, duplicates, cursor: all.len() as u64, destroyed: 0 })
    }

    async fn pull(&self, since: u64, limit: usize) -> Result<PullResponse, SyncError> {
        if self.cut_pull_from.get() == Some(since) {
            self.cut_pull_from.set(None);
            return Err(SyncError::Answer);
        }
        let all = self.changes.borrow();
        let page: Vec<Pulled> = all.iter().filter(|p| p.seq > since).take(limit).cloned().collect();
        let cursor = page.last().map_or(since, |p| p.seq);
        Ok(PullResponse { has_more: (cursor as usize) < all.len(), cursor, changes: page })
    }

    async fn key(&self) -> Result<ArchiveKey, SyncError> {
        self.key.borrow().clone().ok_or(SyncError::NoKey)
    }

    async fn set_key(&self, k: &ArchiveKey) -> Result<ArchiveKey, SyncError> {
        if self.key.borrow().is_some() {
            return Err(SyncError::Server("this archive already has a key".into()));
        }
        *self.key.borrow_mut() = Some(k.clone());
        Ok(k.clone())
    }

    async fn put_blob(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError> {
        if self.cut_uploads.get() {
            return Err(SyncError::Offline);
        }
        assert_eq!(name, dangan::domain::documents::sha256_hex(bytes), "a file is named by its bytes' hash");
        self.blobs.borrow_mut().insert(name.to_string(), bytes.to_vec());
        Ok(())
    }

    async fn get_blob(&self, name: &str) -> Result<Option<Vec<u8>>, SyncError> {
        Ok(self.blobs.borrow().get(name).cloned())
    }
}

async fn device(db: &str) -> Services {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    dangan::store::Archive::delete(db).await.unwrap();
    let svc = Services::new(dangan::app::session::Session::restore());
    svc.open_named(db).await;
    svc
}

async fn save_guest(svc: Services, name: &str, phone: &str) -> Profile {
    let mut p = Profile::new(dangan::platform::ids::new_id(), 0, "");
    p.name = name.into();
    p.phones = vec![phone.into()];
    svc.save_profile(p).await.unwrap()
}

async fn sync(svc: Services, net: &FakeEndpoint) -> Result<(), SyncError> {
    // Small pages, so that two pushes and several pulls make a round.
    let setup = RoundSetup { archive: "hotel".into(), passphrase: String::new(), pages: Pages { push: 2, pull: 3 } };
    round(svc, net, &setup, &KeyCache::default(), || {}).await
}

async fn outbox(svc: Services) -> usize {
    svc.archive().unwrap().outbox_len().await.unwrap()
}

async fn cursor(svc: Services) -> u64 {
    svc.archive().unwrap().cursor().await.unwrap()
}

fn names(svc: Services) -> Vec<String> {
    let mut v: Vec<String> = svc.with_index_untracked(|ix| ix.rows().map(|e| e.name.to_string()).collect());
    v.sort();
    v
}

#[wasm_bindgen_test]
async fn a_round_pushes_pulls_and_merges_and_recovers_from_a_lost_answer_and_a_cut_page() {
    let net = FakeEndpoint::default();
    let a = device("t-round-a").await;
    let b = device("t-round-b").await;

    // Three new guests on A leave in two pushes (two changes a push).
    let first = save_guest(a, "张三", "13800000001").await;
    save_guest(a, "李四", "13800000002").await;
    save_guest(a, "王五", "13800000003").await;
    sync(a, &net).await.unwrap();
    assert_eq!((net.stored(), net.pushes.get(), outbox(a).await), (3, 2, 0));
    assert_eq!(cursor(a).await, 3, "A's own changes come back and move its cursor");

    // A push whose answer is lost: stored by the endpoint, still in A's outbox; sent again next
    // round and stored once.
    save_guest(a, "赵六", "13800000004").await;
    net.lose_push_answer.set(true);
    assert_eq!(sync(a, &net).await, Err(SyncError::Offline));
    assert_eq!((net.stored(), outbox(a).await), (4, 1));
    sync(a, &net).await.unwrap();
    assert_eq!((net.stored(), outbox(a).await), (4, 0), "the re-sent change is not stored twice");

    // B's first pull: the second page arrives cut off. The first page is merged and its cursor
    // kept; nothing of the cut page is applied; the next round resumes from there.
    net.cut_pull_from.set(Some(3));
    assert_eq!(sync(b, &net).await, Err(SyncError::Answer));
    assert_eq!(cursor(b).await, 3);
    assert_eq!(names(b), ["张三", "李四", "王五"]);
    sync(b, &net).await.unwrap();
    assert_eq!(cursor(b).await, 4);
    assert_eq!(names(b), ["张三", "李四", "王五", "赵六"]);

    // Both devices edit the same guest, different fields: after a round each, both have both.
    let mut on_b = b.profile(&first.id).await.unwrap().unwrap();
    on_b.notes = "喜欢安静".into();
    b.save_profile(on_b).await.unwrap();
    let mut on_a = a.profile(&first.id).await.unwrap().unwrap();
    on_a.email = "zs@example.cn".into();
    a.save_profile(on_a).await.unwrap();
    sync(b, &net).await.unwrap();
    sync(a, &net).await.unwrap();
    sync(b, &net).await.unwrap();
    for svc in [a, b] {
        let p = svc.profile(&first.id).await.unwrap().unwrap();
        assert_eq!((p.notes.as_str(), p.email.as_str()), ("喜欢安静", "zs@example.cn"));
        let stored = net.stored() as u64;
        assert_eq!(cursor(svc).await, stored);
        assert_eq!(outbox(svc).await, 0);
    }
    // A round with nothing new sends and changes nothing.
    let before = net.pushes.get();
    sync(a, &net).await.unwrap();
    assert_eq!((net.pushes.get(), net.stored()), (before, 6));
}

#[wasm_bindgen_test]
async fn a_conflict_a_round_brings_is_listed_at_its_end_and_goes_once_resolved() {
    use dangan::domain::sync::RecordKey;
    let net = FakeEndpoint::default();
    let a = device("t-conflict-a").await;
    let b = device("t-conflict-b").await;
    let guest = save_guest(a, "孙七", "13800000007").await;
    sync(a, &net).await.unwrap();
    sync(b, &net).await.unwrap();
    assert!(b.conflicts.get_untracked().is_empty());

    // Both write the notes apart; A's is sent first, so B's (later) wins and A's is a conflict on
    // B. The list is there when the round ends: told by the merge, no read of every state.
    for (svc, notes) in [(a, "要高楼层"), (b, "要安静")] {
        let mut p = svc.profile(&guest.id).await.unwrap().unwrap();
        p.notes = notes.into();
        svc.save_profile(p).await.unwrap();
    }
    sync(a, &net).await.unwrap();
    sync(b, &net).await.unwrap();
    let key = RecordKey::profile(&guest.id);
    assert_eq!(b.conflicts.get_untracked(), vec![(key.clone(), guest.id.clone())]);
    assert_eq!(b.conflicted_profiles(), vec![guest.id.clone()]);
    assert_eq!(b.archive().unwrap().conflicted().await.unwrap(), b.conflicts.get_untracked());

    // Kept as it is: resolved, and off the list (read again after a resolution).
    let state = b.record_state(&key).await.unwrap();
    let winner = state.conflicts()[0].winner.hlc.clone();
    b.keep_value(&key, "notes", &winner).await.unwrap();
    for _ in 0..50 {
        if b.conflicts.get_untracked().is_empty() {
            break;
        }
        dangan::platform::clock::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(b.conflicts.get_untracked().is_empty(), "{:?}", b.conflicts.get_untracked());
}

#[wasm_bindgen_test]
fn each_refusal_of_the_endpoint_becomes_words_for_staff() {
    let answer =
        |code: ErrorCode| SyncError::from_answer(code.status(), Some(ErrorBody { error: code, message: "m".into() }));
    assert_eq!(answer(ErrorCode::BadToken), SyncError::Token);
    assert_eq!(answer(ErrorCode::ExpiredToken), SyncError::TokenExpired);
    assert_eq!(answer(ErrorCode::WrongScope), SyncError::TokenScope);
    assert_eq!(answer(ErrorCode::Timeout), SyncError::Busy, "a body cut off as too slow is sent again later");
    assert_eq!(answer(ErrorCode::RateLimited), SyncError::Busy);
    assert_eq!(SyncError::from_answer(408, None), SyncError::Busy);
    assert_eq!(SyncError::from_answer(502, None), SyncError::Server("HTTP 502".into()));
}

#[wasm_bindgen_test]
async fn a_first_pull_of_more_than_one_page_is_written_in_chunks_and_all_there_after_a_restart() {
    use dangan::domain::sync::protocol::WireChange;
    use dangan::domain::sync::{RecordKey, Replica};
    // Another device's archive: 2,000 guests with 2 history items each, 6,000 changes.
    let net = FakeEndpoint::default();
    let mut other = Replica::new("tablet9");
    let now = 1_763_856_000_000u64;
    let mut changes = Vec::new();
    let mut save = |key: RecordKey, v: serde_json::Value, at: u64| {
        let c = other.save(&key, &v, "乙", at).unwrap();
        changes.push(WireChange { id: c.id(), record: key.text(), payload: serde_json::to_string(&c).unwrap() });
    };
    let guests: Vec<Profile> = (0..2000).map(|i| dangan::testdata::profile(11, i, now as i64)).collect();
    for (i, p) in guests.iter().enumerate() {
        save(RecordKey::profile(&p.id), serde_json::to_value(p).unwrap(), now + i as u64);
        for h in dangan::testdata::history(p, 11, 2) {
            save(RecordKey::history(&h.id), serde_json::to_value(&h).unwrap(), now + i as u64);
        }
    }
    net.push(&PushRequest { changes }).await.unwrap();
    assert_eq!(net.stored(), 6000);

    // A new device pulls it with the app's pages (5,000 changes, the endpoint's largest).
    let b = device("t-round-first-pull").await;
    let setup = RoundSetup { archive: "hotel".into(), passphrase: String::new(), pages: Pages::default() };
    round(b, &net, &setup, &KeyCache::default(), || {}).await.unwrap();
    assert_eq!(cursor(b).await, 6000);
    assert_eq!(b.with_index_untracked(|ix| ix.len()), 2000);
    assert_eq!(b.history(&guests[1999].id).await.unwrap().len(), 2, "the last page's history is there");

    // After a restart: the index comes from the start-up snapshot, every guest and item is found.
    let archive = dangan::store::Archive::open("t-round-first-pull").await.unwrap();
    let (index, stats) = archive.load_index().await.unwrap();
    assert!(stats.from_snapshot, "{stats:?}");
    assert_eq!(index.len(), 2000);
    assert_eq!(archive.cursor().await.unwrap(), 6000);
    for g in [&guests[0], &guests[1234], &guests[1999]] {
        let p = archive.get_profile(&g.id).await.unwrap().expect("the guest is stored");
        assert_eq!(p.name, g.name);
        assert_eq!(index.get(&g.id).unwrap().name, g.name);
        assert_eq!(archive.history_of(&g.id).await.unwrap().len(), 2);
    }
    assert_eq!(archive.all_profiles().await.unwrap().len(), 2000);
    archive.close();
    // Many records to a chunk, not one IndexedDB record each.
    let (chunks, singles) =
        (raw_count("t-round-first-pull", "chunks").await, raw_count("t-round-first-pull", "profiles").await);
    assert!(chunks > 0 && chunks < 200 && singles == 0, "{chunks} chunks, {singles} single profiles");
}

/// Issue 18: with end-to-end encryption the endpoint knows records only by keyed ids; a
/// destruction names the records by exactly the ids their pushed changes carry, and never by
/// their plain keys.
#[wasm_bindgen_test]
async fn a_destruction_names_an_encrypted_archive_s_records_by_the_keyed_ids_the_endpoint_stores() {
    use dangan::app::sync::record_keys;
    use dangan::domain::sync::RecordKey;
    let net = FakeEndpoint::default();
    let a = device("t-round-keys").await;
    let guest = save_guest(a, "欧阳锋", "13987654321").await;
    let other = save_guest(a, "黄药师", "13800000001").await;
    let setup =
        RoundSetup { archive: "hotel".into(), passphrase: "白驼山庄的夜".into(), pages: Pages::default() };
    let cache = KeyCache::default();
    round(a, &net, &setup, &cache, || {}).await.unwrap();
    let stored: Vec<String> = net.changes.borrow().iter().map(|p| p.change.record.clone()).collect();
    assert_eq!(stored.len(), 2);
    let text = |id: &str| RecordKey::profile(id).text();
    let named = record_keys(&net, &setup, &cache, &[text(&guest.id)]).await.unwrap();
    assert_eq!(named.len(), 1);
    assert!(stored.contains(&named[0]), "the id the endpoint stores");
    assert_ne!(named[0], text(&guest.id), "not the plain key");
    assert!(!named.contains(&record_keys(&net, &setup, &cache, &[text(&other.id)]).await.unwrap()[0]));
    // A plain archive names them by their text.
    let plain = RoundSetup { passphrase: String::new(), ..setup.clone() };
    let empty = FakeEndpoint::default();
    assert_eq!(record_keys(&empty, &plain, &KeyCache::default(), &[text(&guest.id)]).await.unwrap(), [text(&guest.id)]);
}

/// A real 1×1 PNG (a picture the browser decodes).
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n";

#[wasm_bindgen_test]
async fn documents_travel_sealed_their_files_go_before_their_descriptions_and_a_cut_upload_is_sent_again() {
    use dangan::app::documents::{Chosen, DocError};
    use dangan::app::sync::files;
    use dangan::domain::documents::{sha256_hex, DocKind, Document, Refused};
    let net = FakeEndpoint::default();
    let a = device("t-docs-a").await;
    let b = device("t-docs-b").await;
    let setup = RoundSetup { archive: "hotel".into(), passphrase: "前台的钥匙".into(), pages: Pages::default() };
    let (cache_a, cache_b) = (KeyCache::default(), KeyCache::default());
    let guest = save_guest(a, "欧阳锋", "13987654321").await;
    let png = dangan::domain::sync::b64::decode(PNG).unwrap();

    // A program named like a photo is refused by its content; nothing is stored.
    let exe = Chosen { name: "photo.png".into(), bytes: b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec() };
    assert!(matches!(a.attach(&guest.id, "", exe).await, Err(DocError::Refused(_, Refused::Unknown(_)))));
    let photo = a.attach(&guest.id, "", Chosen { name: "门牌.png".into(), bytes: png.clone() }).await.unwrap();
    let pdf = a.attach(&guest.id, "", Chosen { name: "合同.jpg".into(), bytes: PDF.to_vec() }).await.unwrap();
    assert_eq!((photo.kind, photo.title.as_str()), (DocKind::Photo, "门牌"));
    assert_eq!((pdf.mime.as_str(), pdf.title.as_str()), ("application/pdf", "合同"), "a PDF named .jpg is a PDF");
    assert!(!photo.thumb.is_empty() && pdf.thumb.is_empty(), "a picture gets a thumbnail made here");
    assert_eq!(a.documents(&guest.id).await.unwrap().len(), 2);

    // The connection drops during the uploads: the descriptions may go, the files wait.
    net.cut_uploads.set(true);
    assert_eq!(round(a, &net, &setup, &cache_a, || {}).await, Err(SyncError::Offline));
    assert_eq!(a.archive().unwrap().queued_blobs().await.unwrap().len(), 2);
    assert!(net.blobs.borrow().is_empty());
    round(b, &net, &setup, &cache_b, || {}).await.unwrap();
    let on_b = b.documents(&guest.id).await.unwrap();
    assert_eq!(on_b.len(), 2, "B has the descriptions");
    let keys_b = archive_keys(&net, &setup, &cache_b).await.unwrap();
    let photo_b = on_b.iter().find(|d| d.id == photo.id).unwrap().clone();
    assert_eq!(photo_b.thumb, photo.thumb, "the thumbnail came with the description");
    assert_eq!(files::fetch(b, &net, keys_b.as_deref(), &photo_b).await, Err(DocError::NotYet));

    // Next round the files go (sealed); B then opens them.
    net.cut_uploads.set(false);
    round(a, &net, &setup, &cache_a, || {}).await.unwrap();
    assert!(a.archive().unwrap().queued_blobs().await.unwrap().is_empty());
    round(b, &net, &setup, &cache_b, || {}).await.unwrap();
    let on_b = b.documents(&guest.id).await.unwrap();
    for (d, original) in [(&photo, &png), (&pdf, &PDF.to_vec())] {
        let there = on_b.iter().find(|x| x.id == d.id).unwrap();
        assert_ne!(there.blob, d.hash, "stored under the sealed bytes' hash");
        let stored = net.blobs.borrow()[&there.blob].clone();
        assert_ne!(&stored, original);
        assert!(!stored.starts_with(b"\x89PNG") && !stored.starts_with(b"%PDF"), "no readable file at the endpoint");
        assert!(!b.archive().unwrap().has_blob(&d.hash).await.unwrap(), "originals come on opening");
        assert_eq!(&files::fetch(b, &net, keys_b.as_deref(), there).await.unwrap(), original);
        assert_eq!(b.file_here(there).await.unwrap().as_ref(), Some(original), "kept once opened");
    }

    // The same file on another guest is stored once, here and at the endpoint.
    let other = save_guest(a, "黄药师", "13800000001").await;
    a.attach(&other.id, "", Chosen { name: "副本.pdf".into(), bytes: PDF.to_vec() }).await.unwrap();
    round(a, &net, &setup, &cache_a, || {}).await.unwrap();
    assert_eq!(net.blobs.borrow().len(), 2);

    // A file altered at the endpoint is refused, not kept.
    let c = device("t-docs-c").await;
    round(c, &net, &setup, &KeyCache::default(), || {}).await.unwrap();
    let pdf_c = c.documents(&guest.id).await.unwrap().into_iter().find(|d| d.id == pdf.id).unwrap();
    net.blobs.borrow_mut().get_mut(&pdf_c.blob).unwrap()[20] ^= 1;
    let keys_c = archive_keys(&net, &setup, &KeyCache::default()).await.unwrap();
    assert_eq!(files::fetch(c, &net, keys_c.as_deref(), &pdf_c).await, Err(DocError::Damaged));
    assert!(!c.archive().unwrap().has_blob(&sha256_hex(PDF)).await.unwrap());

    // A description edited from a copy read before the round named the sealed file (the viewer
    // was open meanwhile): the edit lands, the file's name stays.
    assert!(photo.blob.is_empty(), "the copy from before the round");
    let renamed = a.save_document(Document { title: "门牌（新）".into(), ..photo.clone() }).await.unwrap();
    assert_eq!(renamed.title, "门牌（新）");
    let stored = a.archive().unwrap().document(&photo.id).await.unwrap().unwrap();
    assert_eq!((stored.title.as_str(), stored.blob.is_empty()), ("门牌（新）", false));

    // Deleted, then restored (the undo): gone from the list, then back.
    let gone = a.delete_document(photo.clone()).await.unwrap();
    assert_eq!(a.documents(&guest.id).await.unwrap().len(), 1);
    a.restore_document(gone).await.unwrap();
    assert_eq!(a.documents(&guest.id).await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn a_backup_with_files_restores_the_originals_on_a_new_device_which_sends_them_on() {
    use dangan::app::backup::{restore_bundle, FilesRestored};
    use dangan::app::documents::Chosen;
    use dangan::domain::documents::sha256_hex;
    use dangan::domain::transfer::backup::{Backup, BackupSettings};
    use dangan::domain::transfer::bundle;
    let a = device("t-bundle-a").await;
    let guest = save_guest(a, "郭靖", "13811112222").await;
    let png = dangan::domain::sync::b64::decode(PNG).unwrap();
    let photo = a.attach(&guest.id, "", Chosen { name: "门牌.png".into(), bytes: png.clone() }).await.unwrap();
    let pdf = a.attach(&guest.id, "", Chosen { name: "合同.pdf".into(), bytes: PDF.to_vec() }).await.unwrap();
    let records = a.backup_records().await.unwrap();
    let backup = Backup::new(0, "A", BackupSettings::default(), records);
    let mut files = Vec::new();
    for d in [&photo, &pdf] {
        files.push((d.hash.clone(), a.file_here(d).await.unwrap().unwrap()));
    }
    // A file no document names is left aside; a damaged one is named when the ZIP is read.
    files.push((sha256_hex(b"stray"), b"stray".to_vec()));
    let mut zip = bundle::write(&backup.to_json(), &files);
    let at = zip.windows(PDF.len()).position(|w| w == PDF).unwrap();
    let read = bundle::read(&zip).unwrap();
    assert!(read.damaged.is_empty() && read.files.len() == 3);

    // A new device, no sync: the profile, its documents and their originals, openable offline.
    let b = device("t-bundle-b").await;
    let (_, _, done) = restore_bundle(b, &read, dangan::domain::i18n::Locale::Zh).await.unwrap();
    assert_eq!(done, FilesRestored { added: 2, present: 0, unused: 1, damaged: 0 });
    let docs = b.documents(&guest.id).await.unwrap();
    assert_eq!(docs.len(), 2);
    let here = b.file_here(docs.iter().find(|d| d.id == photo.id).unwrap()).await.unwrap();
    assert_eq!(here, Some(png));
    // They wait for an endpoint, as files attached here would.
    assert_eq!(b.archive().unwrap().queued_count().await.unwrap(), 2);
    // Restored again: nothing is added twice.
    let (_, _, again) = restore_bundle(b, &read, dangan::domain::i18n::Locale::Zh).await.unwrap();
    assert_eq!((again.added, again.present), (0, 2));

    // The PDF damaged in the ZIP: named, and not restored on a third device.
    zip[at + 12] ^= 0x20;
    let read = bundle::read(&zip).unwrap();
    assert_eq!(read.damaged, std::slice::from_ref(&pdf.hash));
    let c = device("t-bundle-c").await;
    let (_, _, done) = restore_bundle(c, &read, dangan::domain::i18n::Locale::Zh).await.unwrap();
    assert_eq!((done.added, done.damaged), (1, 1));
    assert_eq!(c.file_here(&pdf).await.unwrap(), None);
}
