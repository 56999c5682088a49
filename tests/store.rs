//! Storage layer tests in headless Chromium (wasm-bindgen-test): the real IndexedDB.
#![cfg(target_arch = "wasm32")]

use dangan::domain::date::Date;
use dangan::domain::model::*;
use dangan::domain::search::Filter;
use dangan::store::schema::{self, Version};
use dangan::store::Archive;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod common;
use common::raw_count;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Archive {
    Archive::delete(name).await.unwrap();
    Archive::open(name).await.unwrap()
}

fn guest(id: &str, name: &str, phone: &str) -> Profile {
    let mut p = Profile::new(id.into(), 1_700_000_000_000, "前台");
    p.name = name.into();
    p.phones = vec![phone.into()];
    p
}

#[wasm_bindgen_test]
async fn create_read_update_soft_delete() {
    let db = fresh("t-crud").await;
    let mut p = guest("p1", "张三", "138 0013 8000");
    p.preferences.push(Preference { kind: PrefKind::Taboo, value: "忌数字4".into() });
    let entry = db.put_profile(&p).await.unwrap();
    assert_eq!(entry.initials, "zs");
    let stored = db.get_profile("p1").await.unwrap().unwrap();
    assert_eq!((&stored.name, &stored.phones, &stored.preferences), (&p.name, &p.phones, &p.preferences));
    assert!(stored.meta.hlc.is_some(), "a created record carries its creation clock");

    p.email = "zs@example.cn".into();
    p.meta.touch(1_700_000_000_500, "经理");
    db.put_profile(&p).await.unwrap();
    let back = db.get_profile("p1").await.unwrap().unwrap();
    assert_eq!(back.email, "zs@example.cn");
    assert_eq!(back.meta.updated_by, "经理");

    p.meta.deleted_at = Some(1_700_000_001_000);
    db.put_profile(&p).await.unwrap();
    assert!(db.get_profile("p1").await.unwrap().unwrap().is_deleted(), "soft delete keeps the record");
    assert_eq!(db.count_profiles().await.unwrap(), 1);
    assert_eq!(db.get_profile("nope").await.unwrap(), None);
    db.close();
}

#[wasm_bindgen_test]
async fn history_index_queries() {
    let db = fresh("t-index").await;
    db.put_profile(&guest("a", "张三", "13800138000")).await.unwrap();
    db.put_profile(&guest("b", "李四", "0755-88881234")).await.unwrap();
    let item = |id: &str, pid: &str, day: u8, text: &str| HistoryItem {
        id: id.into(),
        profile_id: pid.into(),
        date: Date::new(2026, 11, day).unwrap(),
        entry: HistoryEntry::Note { text: text.into() },
        meta: Meta::new(1, "前台"),
    };
    db.put_history(&item("h1", "a", 1, "第一次入住")).await.unwrap();
    db.put_history_many(&[item("h2", "a", 20, "喜欢高楼层"), item("h3", "b", 5, "团队客人")]).await.unwrap();
    let hist = db.history_of("a").await.unwrap();
    assert_eq!(hist.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["h2", "h1"], "newest first");
    assert_eq!(hist[0].entry, HistoryEntry::Note { text: "喜欢高楼层".into() });
    assert_eq!(db.history_count("a").await.unwrap(), 2);
    assert_eq!(db.history_count("b").await.unwrap(), 1);
    assert!(db.history_of("nobody").await.unwrap().is_empty());
    db.close();
}

#[wasm_bindgen_test]
async fn data_survives_close_and_reopen_and_the_index_loads_from_snapshot_plus_journal() {
    let db = fresh("t-reopen").await;
    let mut many: Vec<Profile> =
        (0..50).map(|i| guest(&format!("g{i}"), &format!("客人{i}"), &format!("1390000{i:04}"))).collect();
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&mut many, &mut index, true).await.unwrap();
    assert_eq!(index.len(), 50, "the caller's index has the profiles once committed");
    db.put_profile(&guest("late", "王五", "13712345678")).await.unwrap();
    assert_eq!(db.journal_len().await.unwrap(), 1);
    db.close();

    let db = Archive::open("t-reopen").await.unwrap();
    assert_eq!(db.get_profile("g7").await.unwrap().unwrap().name, "客人7");
    let (index, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "{stats:?}");
    assert_eq!(stats.journal_entries, 1);
    assert_eq!(index.len(), 51);
    let hit = index.search("ww", &Filter::default(), 5);
    assert_eq!(index.entry(hit.hits[0]).name, "王五");

    db.write_snapshot(&index).await.unwrap();
    assert_eq!(db.journal_len().await.unwrap(), 0, "compaction drops covered journal entries");
    let (again, stats) = db.load_index().await.unwrap();
    assert_eq!((again.len(), stats.from_snapshot, stats.journal_entries), (51, true, 0));
    db.close();
}

#[wasm_bindgen_test]
async fn an_archive_that_started_empty_opens_from_its_journal_without_a_rebuild() {
    let db = fresh("t-journal-only").await;
    let (empty, _) = db.load_snapshot().await.unwrap().expect("an empty archive needs no rebuild");
    assert_eq!(empty.len(), 0);
    db.put_profile(&guest("a", "赵敏", "13800000001")).await.unwrap();
    db.put_profile(&guest("b", "周芷若", "13800000002")).await.unwrap();
    db.close();

    let db = Archive::open("t-journal-only").await.unwrap();
    let (index, stats) = db.load_snapshot().await.unwrap().expect("the journal names every profile");
    assert_eq!((index.len(), stats.from_snapshot, stats.journal_entries), (2, false, 2));
    assert_eq!(index.entry(index.search("zzr", &Filter::default(), 5).hits[0]).id, "b");
    db.close();
}

#[wasm_bindgen_test]
async fn migrates_a_version_1_database_with_data_in_it() {
    Archive::delete("t-migrate").await.unwrap();
    let v1 = Archive::open_at("t-migrate", Version::V1).await.unwrap();
    assert_eq!(v1.version(), 1);
    v1.close();
    // Write a record exactly as version 1 of the app stored it, with the raw IndexedDB API.
    let p = guest("old", "曾小贤", "13600001111");
    write_v1_record(&p).await;
    let stay = HistoryItem {
        id: "old-stay".into(),
        profile_id: "old".into(),
        date: Date::new(2020, 5, 1).unwrap(),
        entry: HistoryEntry::Note { text: "住过 1208".into() },
        meta: Meta::new(1, "前台"),
    };
    write_v1_history(&stay).await;

    let db = Archive::open("t-migrate").await.unwrap();
    assert_eq!(db.version(), Version::LATEST as u32);
    let old = db.get_profile("old").await.unwrap().unwrap();
    assert_eq!(old.name, p.name);
    assert!(old.meta.hlc.is_some(), "a record from before sync enters the change log");
    let history = db.history_of("old").await.unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].meta.hlc.is_some(), "so does its history");
    assert_eq!(history[0].entry, stay.entry, "and nothing else of it changes");
    let pending = db.outbox(100).await.unwrap();
    assert_eq!(pending.len(), 1);
    let changes = &pending[0].1;
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].set["name"].value, serde_json::json!("曾小贤"));
    assert_eq!(changes[1].record.id, "old-stay");
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot, "no snapshot existed in v1: rebuilt from profiles");
    assert_eq!(stats.journal_entries, 0, "not from a journal either");
    assert_eq!(index.len(), 1);
    assert_eq!(index.entry(index.search("zxx", &Filter::default(), 5).hits[0]).id, "old");
    let (_, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "the rebuild wrote a snapshot");
    db.close();
}

/// The desk opens without adopting (its code is a chunk fetched only for an archive from before
/// sync): a new archive needs none, one with version-1 records says so until adopted.
#[wasm_bindgen_test]
async fn the_desk_learns_whether_records_from_before_sync_wait_for_adoption() {
    Archive::delete("t-adopt-new").await.unwrap();
    let (db, adopted) = Archive::open_leaving_adoption("t-adopt-new").await.unwrap();
    assert!(adopted, "an empty archive has nothing to adopt");
    db.close();
    let (db, adopted) = Archive::open_leaving_adoption("t-adopt-new").await.unwrap();
    assert!(adopted, "and is marked so");
    db.close();

    Archive::delete("t-migrate").await.unwrap();
    Archive::open_at("t-migrate", Version::V1).await.unwrap().close();
    write_v1_record(&guest("old", "曾小贤", "13600001111")).await;
    let (db, adopted) = Archive::open_leaving_adoption("t-migrate").await.unwrap();
    assert!(!adopted, "a version-1 profile waits for adoption");
    assert!(db.get_profile("old").await.unwrap().unwrap().meta.hlc.is_none(), "not adopted by opening");
    db.close();
    let (db, adopted) = Archive::open_leaving_adoption("t-migrate").await.unwrap();
    assert!(!adopted, "still waiting at the next start");
    db.adopt_unlogged().await.unwrap();
    assert!(db.get_profile("old").await.unwrap().unwrap().meta.hlc.is_some(), "adopted");
    assert_eq!(db.outbox(100).await.unwrap().len(), 1);
    db.close();
    let (db, adopted) = Archive::open_leaving_adoption("t-migrate").await.unwrap();
    assert!(adopted, "once");
    db.close();
}

async fn write_v1_record(p: &Profile) {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = Database::open("t-migrate").with_version(1u32).await.unwrap();
    // Version 1 stored a profile as its JSON bytes under its id.
    let bytes = js_sys::Uint8Array::from(serde_json::to_vec(p).unwrap().as_slice());
    let tx = db.transaction(schema::PROFILES).with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store(schema::PROFILES).unwrap().put(JsValue::from(bytes)).with_key(p.id.as_str()).primitive().unwrap();
    tx.commit().await.unwrap();
    db.close();
}

/// A history item as version 1 stored it: its index fields beside its JSON body.
async fn write_v1_history(h: &HistoryItem) {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = Database::open("t-migrate").with_version(1u32).await.unwrap();
    let record = serde_json::json!({
        "id": h.id, "profile_id": h.profile_id, "date": h.date.to_string(), "body": serde_json::to_string(h).unwrap(),
    });
    let value = js_sys::JSON::parse(&record.to_string()).unwrap();
    let tx = db.transaction(schema::HISTORY).with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store(schema::HISTORY).unwrap().put(value).primitive().unwrap();
    tx.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn a_corrupt_snapshot_is_rebuilt_not_trusted() {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = fresh("t-corrupt").await;
    db.put_profile(&guest("x", "赵四", "13655550000")).await.unwrap();
    db.close();
    let raw = indexed_db_futures::database::Database::open("t-corrupt").await.unwrap();
    let tx = raw.transaction(schema::META).with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store(schema::META)
        .unwrap()
        .put(JsValue::from(js_sys::Uint8Array::from(&b"DGS1garbage"[..])))
        .with_key(schema::KEY_SNAPSHOT)
        .primitive()
        .unwrap();
    tx.commit().await.unwrap();
    raw.close();

    let db = Archive::open("t-corrupt").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot);
    assert_eq!(index.len(), 1);
    db.close();
}

/// A snapshot whose sizes are right but one row is damaged loads (start-up does not walk the
/// rows), shows that row as nothing, and the walk after start-up finds it; the snapshot is then
/// rebuilt from the profiles and loads whole.
#[wasm_bindgen_test]
async fn a_damaged_snapshot_row_is_found_after_start_up_and_the_snapshot_rebuilt() {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let name = "t-damaged-row";
    let db = fresh(name).await;
    for (id, n) in [("a", "张三"), ("b", "李四"), ("c", "王五")] {
        db.put_profile(&guest(id, n, "13800138000")).await.unwrap();
    }
    let (index, _) = db.load_index().await.unwrap();
    db.write_snapshot(&index).await.unwrap();
    db.close();
    let raw = indexed_db_futures::database::Database::open(name).await.unwrap();
    let tx = raw.transaction(schema::META).with_mode(TransactionMode::Readwrite).build().unwrap();
    let store = tx.object_store(schema::META).unwrap();
    let stored: JsValue = store.get(schema::KEY_SNAPSHOT).primitive().unwrap().await.unwrap().unwrap();
    let mut bytes = js_sys::Uint8Array::new(&stored).to_vec();
    let row_at = dangan::domain::snapshot::decode_bytes(&bytes).unwrap().row_at;
    // The second row's id claims more bytes than the rows hold (the header is 32 bytes).
    let at = 32 + row_at[1] as usize;
    bytes[at] = 0xff;
    bytes[at + 1] = 0x7f;
    store.put(JsValue::from(js_sys::Uint8Array::from(&bytes[..]))).with_key(schema::KEY_SNAPSHOT).primitive().unwrap();
    tx.commit().await.unwrap();
    raw.close();

    let db = Archive::open(name).await.unwrap();
    let (mut index, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "sizes and order are right: start-up takes it");
    assert_eq!(index.row(1).id, "");
    assert!(index.check_rows(100).is_err());
    let index = db.rebuild_snapshot().await.unwrap();
    assert_eq!(index.len(), 3);
    let (mut again, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot);
    assert_eq!(again.check_rows(100), Ok(true));
    let mut names: Vec<&str> = again.rows().map(|e| e.name).collect();
    names.sort();
    assert_eq!(names, ["张三", "李四", "王五"]);
    db.close();
}

/// An archive indexed by the previous snapshot format (no contacts, legal representative or
/// address): its snapshot and journal entries are not misread but rebuilt from the profiles, the
/// old journal entries are dropped, and an organisation is then found by its contact.
#[wasm_bindgen_test]
async fn a_snapshot_of_the_previous_format_is_rebuilt_and_its_journal_dropped() {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = fresh("t-oldformat").await;
    let mut org = guest("o", "北京大学出版社", "010-62750000");
    org.kind = CustomerKind::Organisation;
    org.org.contacts = vec![Contact { name: "王老师".into(), role: String::new(), phone: "13911112222".into() }];
    org.address = "北京市海淀区成府路 205 号".into();
    db.put_profile(&org).await.unwrap();
    db.close();
    let raw = indexed_db_futures::database::Database::open("t-oldformat").await.unwrap();
    let tx =
        raw.transaction([schema::META, schema::INDEX_JOURNAL]).with_mode(TransactionMode::Readwrite).build().unwrap();
    let bytes = |b: &[u8]| JsValue::from(js_sys::Uint8Array::from(b));
    tx.object_store(schema::META)
        .unwrap()
        .put(bytes(b"DGS1\0\0\0\0"))
        .with_key(schema::KEY_SNAPSHOT)
        .primitive()
        .unwrap();
    let journal = tx.object_store(schema::INDEX_JOURNAL).unwrap();
    journal.clear().unwrap();
    journal.put(bytes(b"\x01\0\0\0o\0\0\0\0\0\0")).with_key("o").primitive().unwrap();
    tx.commit().await.unwrap();
    raw.close();

    let db = Archive::open("t-oldformat").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot, "a DGS1 snapshot is not read");
    assert_eq!(db.journal_len().await.unwrap(), 0, "the old journal entry is dropped by the rebuild's snapshot");
    for q in ["王老师", "2222", "成府路"] {
        let r = index.search(q, &Filter::default(), 10);
        assert_eq!(r.hits.iter().map(|&i| index.row(i).id).collect::<Vec<_>>(), ["o"], "{q}");
    }
    let (_, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "the rewritten snapshot is read next time");
    db.close();
}

#[wasm_bindgen_test]
async fn a_bulk_write_interrupted_before_its_snapshot_is_rebuilt_on_the_next_load() {
    let db = fresh("t-bulk").await;
    let mut first: Vec<Profile> = (0..20).map(|i| guest(&format!("a{i}"), &format!("甲{i}"), "13500000000")).collect();
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&mut first, &mut index, true).await.unwrap();
    // A second batch written without its snapshot (the import stopped before its last batch).
    let mut second: Vec<Profile> = (0..5).map(|i| guest(&format!("b{i}"), &format!("乙{i}"), "13600000000")).collect();
    db.put_profiles(&mut second, &mut index, false).await.unwrap();
    assert_eq!(db.count_profiles().await.unwrap(), 25);
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot, "the snapshot is behind the profiles, so it is not trusted");
    assert_eq!(index.len(), 25);
    assert!(index.get("b4").is_some());
    db.close();
}

/// The JSON of a profile as another device would save it.
fn json_of(p: &Profile) -> serde_json::Value {
    serde_json::to_value(p).unwrap()
}

#[wasm_bindgen_test]
async fn every_local_save_records_its_change_and_the_outbox_empties_when_acknowledged() {
    use dangan::domain::sync::RecordKey;
    let db = fresh("t-log").await;
    let mut p = guest("p1", "张三", "13800138000");
    db.put_profile(&p).await.unwrap();
    p.email = "zs@example.cn".into();
    p.meta.touch(1_700_000_000_500, "经理");
    db.put_profile(&p).await.unwrap();
    // Saving the same content again records nothing.
    db.put_profile(&p).await.unwrap();
    assert_eq!(db.outbox_len().await.unwrap(), 2);
    let pending = db.outbox(100).await.unwrap();
    let changes: Vec<_> = pending.iter().flat_map(|(_, c)| c.clone()).collect();
    assert_eq!(changes.len(), 2);
    assert!(changes[0].hlc < changes[1].hlc);
    assert_eq!(changes[0].device(), db.device());
    assert_eq!(changes[1].staff, "经理");
    assert_eq!(changes[1].set.keys().collect::<Vec<_>>(), ["email"], "only the changed field");
    assert_eq!(changes[1].set["email"].seen, Vec::<dangan::domain::sync::Hlc>::new(), "a new field replaces nothing");
    assert!(changes[0].set.contains_key("name") && changes[0].set.contains_key("phones"));
    // The field history is there.
    let state = db.record_state(&RecordKey::profile("p1")).await.unwrap();
    assert_eq!(state.history().len(), changes[0].set.len() + 1);
    db.ack_outbox(&pending.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()).await.unwrap();
    assert_eq!(db.outbox_len().await.unwrap(), 0);
    // The clock survives a restart: later changes still sort after earlier ones.
    let last = changes[1].hlc.clone();
    db.close();
    let db = Archive::open("t-log").await.unwrap();
    p.notes = "常住".into();
    db.put_profile(&p).await.unwrap();
    let next = db.outbox(10).await.unwrap()[0].1[0].hlc.clone();
    assert!(next > last, "{next} after {last}");
    db.close();
}

#[wasm_bindgen_test]
async fn a_page_merged_while_the_index_is_rebuilt_is_in_the_index_that_replaces_the_desk_s() {
    use dangan::domain::sync::{RecordKey, Replica};
    let db = fresh("t-rebuild-race").await;
    let now = js_sys::Date::now() as u64;
    let mut many: Vec<Profile> = (0..5000).map(|i| guest(&format!("h{i}"), "王五", "13900002222")).collect();
    db.put_profiles(&mut many, &mut dangan::domain::search::SearchIndex::default(), true).await.unwrap();
    let mut other = Replica::new("tablet2");
    let created =
        other.save(&RecordKey::profile("g1"), &json_of(&guest("g1", "李四", "13900001111")), "乙", now).unwrap();
    // As the desk does: the rebuilt index replaces its own when the rebuild ends, a merged page's
    // entries are added when its merge ends, whichever ends first.
    let order = std::cell::RefCell::new(Vec::new());
    let rebuild = async {
        let ix = db.rebuild_snapshot().await.unwrap();
        order.borrow_mut().push("rebuilt");
        ix
    };
    let pull = async {
        let r = db.apply_remote(vec![(1, created)], 0, &|_| true, &|_| false).await.unwrap();
        order.borrow_mut().push("merged");
        r.entries
    };
    // The page's merge starts first and the rebuild's reading right after it, as when the first
    // sign-in reseals in the middle of a pull: the page is written between the rebuild's reading
    // and its end unless the rebuild waits for the merge.
    let (entries, mut index) = futures::join!(pull, rebuild);
    if order.borrow()[0] == "rebuilt" {
        entries.into_iter().for_each(|e| index.upsert(e));
    }
    assert_eq!(db.get_profile("g1").await.unwrap().unwrap().name, "李四");
    assert!(index.get("g1").is_some(), "the pulled guest is in the index ({:?})", order.borrow());
    assert_eq!(index.get("h0").map(|e| e.name), Some("王五".to_string()));
}

#[wasm_bindgen_test]
async fn changes_from_another_device_merge_keep_the_concurrent_loser_and_are_idempotent() {
    use dangan::domain::search::SearchIndex;
    use dangan::domain::sync::{RecordKey, Replica};
    let db = fresh("t-merge").await;
    let now = js_sys::Date::now() as u64;
    // Another device creates a guest; this device receives it.
    let mut other = Replica::new("tablet2");
    let key = RecordKey::profile("g1");
    let mut p = guest("g1", "李四", "13900001111");
    let created = other.save(&key, &json_of(&p), "乙", now - 10_000).unwrap();
    let mut index = SearchIndex::default();
    let r = db.apply_remote(vec![(1, created.clone())], 0, &|_| true, &|_| false).await.unwrap();
    r.entries.iter().for_each(|e| index.upsert(e.clone()));
    assert_eq!((r.applied, r.known, r.cursor), (1, 0, 1));
    assert_eq!(r.conflicts, vec![(key.clone(), None)], "a merged profile is told to have no conflict");
    assert_eq!(db.get_profile("g1").await.unwrap().unwrap().name, "李四");
    assert_eq!(index.get("g1").map(|e| e.name), Some("李四".to_string()));
    assert_eq!(db.cursor().await.unwrap(), 1);
    assert_eq!(db.outbox_len().await.unwrap(), 0, "received changes are not sent back");

    // Apart, both devices change the notes; the other device's change is later.
    let mut here = db.get_profile("g1").await.unwrap().unwrap();
    here.notes = "本机写的".into();
    here.meta.touch(now as i64, "甲");
    db.put_profile(&here).await.unwrap();
    p.notes = "平板写的".into();
    let theirs = other.save(&key, &json_of(&p), "乙", now + 60_000).unwrap();
    let r = db.apply_remote(vec![(2, theirs.clone()), (1, created)], 1, &|_| true, &|_| false).await.unwrap();
    assert_eq!((r.applied, r.known, r.cursor), (1, 1, 2));
    // The merge tells the conflict, with the profile it belongs to, as a read of every state does.
    assert_eq!(r.conflicts, vec![(key.clone(), Some("g1".to_string()))]);
    assert_eq!(db.conflicted().await.unwrap(), vec![(key.clone(), "g1".to_string())]);
    let merged = db.get_profile("g1").await.unwrap().unwrap();
    assert_eq!(merged.notes, "平板写的", "the later clock wins");
    let state = db.record_state(&key).await.unwrap();
    let conflicts = state.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].losers[0].value, serde_json::json!("本机写的"), "the loser is kept");
    // The same change again changes nothing.
    let r = db.apply_remote(vec![(2, theirs)], 2, &|_| true, &|_| false).await.unwrap();
    assert_eq!((r.applied, r.known), (0, 1));
    assert!(r.conflicts.is_empty(), "nothing merged, nothing told");
    assert_eq!(db.record_state(&key).await.unwrap(), state);
    db.close();
}

#[wasm_bindgen_test]
async fn a_change_from_a_clock_far_ahead_is_refused_and_the_cursor_stops_before_it() {
    use dangan::domain::sync::{RecordKey, Replica};
    let db = fresh("t-drift").await;
    let now = js_sys::Date::now() as u64;
    let mut other = Replica::new("fast");
    let ok = other.save(&RecordKey::profile("a"), &json_of(&guest("a", "甲", "13800000001")), "乙", now).unwrap();
    let ahead = other
        .save(&RecordKey::profile("b"), &json_of(&guest("b", "乙", "13800000002")), "乙", now + 3_600_000)
        .unwrap();
    let r = db.apply_remote(vec![(1, ok), (2, ahead)], 0, &|_| true, &|_| false).await.unwrap();
    assert_eq!(r.cursor, 1);
    let drift = r.drift.expect("drift reported");
    assert_eq!(drift.device, "fast");
    assert!(drift.ahead_ms > 3_000_000);
    assert!(db.get_profile("a").await.unwrap().is_some());
    assert!(db.get_profile("b").await.unwrap().is_none(), "nothing of the refused change is stored");
    assert_eq!(db.cursor().await.unwrap(), 1);
    db.close();
}

#[wasm_bindgen_test]
async fn a_bulk_write_logs_its_creations_in_one_outbox_entry() {
    let db = fresh("t-bulk-log").await;
    let mut many: Vec<Profile> = (0..30).map(|i| guest(&format!("m{i}"), &format!("客{i}"), "13500000000")).collect();
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&mut many, &mut index, true).await.unwrap();
    assert_eq!(db.outbox_len().await.unwrap(), 30);
    let pending = db.outbox(1000).await.unwrap();
    assert_eq!(pending.len(), 1);
    let changes = &pending[0].1;
    assert_eq!(changes.len(), 30);
    assert_eq!(changes[7].record.id, "m7");
    assert_eq!(changes[7].set["name"].value, serde_json::json!("客7"));
    db.close();
}

/// Every stored value of the archive's record stores, as comparable text, by key.
async fn dump(db: &Archive) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for p in db.all_profiles().await.unwrap() {
        out.push((format!("p:{}", p.id), serde_json::to_string(&p).unwrap()));
    }
    for r in db.backup_records().await.unwrap() {
        out.push((format!("state:{:?}:{}", r.key.kind, r.key.id), serde_json::to_string(&r.state).unwrap()));
        if r.key.kind == dangan::domain::sync::RecordKind::History {
            let owner = r.state.value()["profile_id"].as_str().unwrap_or_default().to_string();
            let p = db.history_of(&owner).await.unwrap();
            for h in p.into_iter().filter(|h| h.id == r.key.id) {
                out.push((format!("h:{}", h.id), serde_json::to_string(&h).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[wasm_bindgen_test]
async fn a_backup_restored_into_an_empty_archive_is_identical_and_merging_it_again_changes_nothing() {
    use dangan::domain::search::SearchIndex;
    use dangan::domain::sync::{RecordKey, Replica};
    use dangan::domain::transfer::backup::{Backup, BackupSettings};
    let db = fresh("t-backup-a").await;
    // Bulk-created guests, one edited twice, one with a conflict from another device, history.
    let mut index = SearchIndex::default();
    let mut many: Vec<Profile> = (0..50).map(|i| dangan::testdata::profile(5, i, 1_763_856_000_000)).collect();
    db.put_profiles(&mut many, &mut index, true).await.unwrap();
    let mut edited = db.get_profile(&many[3].id).await.unwrap().unwrap();
    edited.notes = "第一次".into();
    db.put_profile(&edited).await.unwrap();
    edited.notes = "第二次".into();
    edited.tags.push("长住".into());
    db.put_profile(&edited).await.unwrap();
    let mut other = Replica::new("tablet2");
    let key = RecordKey::profile(&many[4].id);
    let now = js_sys::Date::now() as u64;
    let mut theirs = many[4].clone();
    theirs.notes = "平板写的".into();
    other
        .receive(db.record_state(&key).await.unwrap().change_at(&key, many[4].meta.hlc.as_ref().unwrap()).unwrap(), now)
        .unwrap();
    let c = other.save(&key, &json_of(&theirs), "乙", now + 1000).unwrap();
    let mut mine = db.get_profile(&many[4].id).await.unwrap().unwrap();
    mine.notes = "本机写的".into();
    db.put_profile(&mine).await.unwrap();
    db.apply_remote(vec![(1, c)], 0, &|_| true, &|_| false).await.unwrap();
    db.put_history_many(&dangan::testdata::history(&many[0], 5, 4)).await.unwrap();

    let backup = Backup::new(1, &db.device(), BackupSettings::default(), db.backup_records().await.unwrap());
    let bytes = backup.to_json();
    let original = dump(&db).await;
    assert!(original.len() > 100);

    let copy = fresh("t-backup-b").await;
    let parsed = Backup::parse(&bytes).unwrap();
    let mut copy_index = SearchIndex::default();
    let r = copy.restore(&parsed.records, &|f| f(&copy_index)).await.unwrap();
    r.entries.iter().for_each(|e| copy_index.upsert(e.clone()));
    assert_eq!((r.records, r.unchanged), (parsed.records.len(), 0));
    // Every record, history item and change-log state identical.
    let restored = dump(&copy).await;
    let keys = |v: &[(String, String)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&restored), keys(&original));
    for (a, b) in restored.iter().zip(&original) {
        assert_eq!(a, b);
    }
    assert_eq!(copy_index.len(), 50);
    assert_eq!(copy.record_state(&key).await.unwrap().conflicts().len(), 1, "the kept conflict came along");
    // Restoring again into either archive adds nothing.
    let again = copy.restore(&parsed.records, &|f| f(&copy_index)).await.unwrap();
    assert_eq!((again.records, again.writes), (0, 0));
    let (reloaded, _) = copy.load_index().await.unwrap();
    assert_eq!(reloaded.len(), 50, "the start-up snapshot knows the restored profiles");
    db.close();
    copy.close();
}

#[wasm_bindgen_test]
async fn a_backup_restored_into_an_archive_that_changed_since_keeps_the_conflict_the_index_and_the_outbox() {
    use dangan::domain::search::SearchIndex;
    use dangan::domain::sync::RecordKey;
    use dangan::domain::transfer::backup::{Backup, BackupSettings};
    // Two devices share a guest (B restored A's first backup).
    let a = fresh("t-restore-changed-a").await;
    let mut p = guest("g-restore", "张三", "13800000001");
    p.notes = "原来".into();
    a.put_profile(&p).await.unwrap();
    let shared = Backup::new(1, &a.device(), BackupSettings::default(), a.backup_records().await.unwrap());
    let b = fresh("t-restore-changed-b").await;
    let mut b_index = SearchIndex::default();
    let first = b.restore(&shared.records, &|f| f(&b_index)).await.unwrap();
    first.entries.into_iter().for_each(|e| b_index.upsert(e));

    // Apart: A renames the guest and rewrites the note, then backs up; B rewrites the same note
    // and registers another guest, and sends everything it has.
    let mut on_a = a.get_profile(&p.id).await.unwrap().unwrap();
    on_a.name = "张三丰".into();
    on_a.notes = "A 改的".into();
    a.put_profile(&on_a).await.unwrap();
    let from_a = Backup::new(1, &a.device(), BackupSettings::default(), a.backup_records().await.unwrap());
    let mut on_b = b.get_profile(&p.id).await.unwrap().unwrap();
    on_b.notes = "B 改的".into();
    b_index.upsert(b.put_profile(&on_b).await.unwrap());
    b_index.upsert(b.put_profile(&guest("g-other", "李四", "13900000002")).await.unwrap());
    let sent: Vec<String> = b.outbox(1000).await.unwrap().into_iter().map(|(k, _)| k).collect();
    b.ack_outbox(&sent).await.unwrap();
    assert_eq!(b.outbox_len().await.unwrap(), 0);

    // B restores A's backup.
    let r = b.restore(&from_a.records, &|f| f(&b_index)).await.unwrap();
    r.entries.iter().for_each(|e| b_index.upsert(e.clone()));
    assert_eq!(r.records, 1, "only the guest A changed is merged");
    let key = RecordKey::profile(&p.id);
    let state = b.record_state(&key).await.unwrap();
    assert_eq!(state.conflicts().len(), 1, "both notes are kept: one wins, the other is a conflict");
    let merged = b.get_profile(&p.id).await.unwrap().unwrap();
    assert_eq!(merged.name, "张三丰", "A's rename, which B did not touch, is taken");
    assert!(["A 改的", "B 改的"].contains(&merged.notes.as_str()));
    // The index the desk searches and the start-up snapshot both know the merged guest.
    assert_eq!(b_index.get(&p.id).unwrap().name, "张三丰");
    let (reloaded, _) = b.load_index().await.unwrap();
    assert_eq!(reloaded.len(), 2);
    assert_eq!(reloaded.get(&p.id).unwrap().name, "张三丰");
    assert!(reloaded.get("g-other").is_some(), "B's own guest is still there");
    // What the restore brought is queued for the other devices (A's writes B lacked).
    let queued: Vec<_> = b.outbox(1000).await.unwrap().into_iter().flat_map(|(_, c)| c).collect();
    assert!(!queued.is_empty() && queued.iter().all(|c| c.record == key), "{queued:?}");
    assert!(queued.iter().any(|c| c.device() == a.device()), "A's changes go out again from B");
    a.close();
    b.close();
}

#[wasm_bindgen_test]
async fn an_import_is_one_transaction_cancelled_means_nothing_written() {
    use dangan::domain::search::SearchIndex;
    use dangan::store::Imported;
    use std::cell::Cell;
    let db = fresh("t-import").await;
    let mut index = SearchIndex::default();
    let mut existing = guest("old", "张三", "13800138000");
    db.put_profiles(std::slice::from_mut(&mut existing), &mut index, true).await.unwrap();
    let outbox_before = db.outbox_len().await.unwrap();

    // Cancelled after the first step: nothing of the import remains, the index is untouched.
    let mut rows: Vec<Profile> = (0..5000).map(|i| dangan::testdata::profile(9, i, 1_763_856_000_000)).collect();
    let steps = Cell::new(0);
    let mut update = existing.clone();
    update.email = "zs@example.cn".into();
    let (r, entries) = db
        .import_profiles(
            &mut rows.clone(),
            &[update.clone()],
            "前台",
            &|f| f(&index),
            &|_| steps.set(steps.get() + 1),
            &|| steps.get() >= 1,
        )
        .await
        .unwrap();
    assert_eq!((r, entries.created.len(), entries.updated.len()), (Imported::Cancelled, 0, 0));
    assert_eq!(db.count_profiles().await.unwrap(), 1);
    assert_eq!(db.get_profile("old").await.unwrap().unwrap().email, "");
    assert_eq!(db.outbox_len().await.unwrap(), outbox_before);
    assert_eq!(index.len(), 1);

    // Not cancelled: created and updated, progress reported per step, logged for sync.
    let seen = std::cell::RefCell::new(Vec::new());
    let (r, added) = db
        .import_profiles(&mut rows, &[update], "前台", &|f| f(&index), &|n| seen.borrow_mut().push(n), &|| false)
        .await
        .unwrap();
    assert_eq!(r, Imported::Done { created: 5000, updated: 1 });
    index.append(added.created);
    added.updated.into_iter().for_each(|e| index.upsert(e));
    let seen = seen.into_inner();
    assert_eq!(seen.last(), Some(&5000), "progress ends at the total: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "progress only grows: {seen:?}");
    assert_eq!(db.count_profiles().await.unwrap(), 5001);
    let old = db.get_profile("old").await.unwrap().unwrap();
    assert_eq!(old.email, "zs@example.cn");
    assert!(db.record_state(&dangan::domain::sync::RecordKey::profile("old")).await.unwrap().history().len() > 1);
    assert_eq!(index.len(), 5001);
    let (reloaded, _) = db.load_index().await.unwrap();
    assert_eq!(reloaded.len(), 5001);
    assert!(db.outbox_len().await.unwrap() >= outbox_before + 5001);
    db.close();
}

/// Records in one raw store of a database (to see where the archive put things).
/// Reads (or, with `put`, replaces or deletes) one value of `meta`, the way an older version
/// would have left it.
async fn raw_meta(db_name: &str, key: &str, put: Option<Option<f64>>) -> Option<f64> {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let raw = indexed_db_futures::database::Database::open(db_name).await.unwrap();
    let tx = raw.transaction(schema::META).with_mode(TransactionMode::Readwrite).build().unwrap();
    let meta = tx.object_store(schema::META).unwrap();
    let v: Option<JsValue> = meta.get(key).primitive().unwrap().await.unwrap();
    match put {
        Some(Some(x)) => drop(meta.put(JsValue::from_f64(x)).with_key(key).primitive().unwrap()),
        Some(None) => drop(meta.delete(key).primitive().unwrap()),
        None => {}
    }
    tx.commit().await.unwrap();
    raw.close();
    v.and_then(|v| v.as_f64())
}

#[wasm_bindgen_test]
async fn start_up_counts_chunked_profiles_without_reading_their_ids() {
    let db = fresh("t-chunkcount").await;
    let mut index = dangan::domain::search::SearchIndex::default();
    let mut first: Vec<Profile> = (0..100).map(|i| guest(&format!("k{i:03}"), &format!("甲{i}"), "")).collect();
    db.put_profiles(&mut first, &mut index, true).await.unwrap();
    let mut second: Vec<Profile> = (100..250).map(|i| guest(&format!("k{i:03}"), &format!("乙{i}"), "")).collect();
    db.put_profiles(&mut second, &mut index, true).await.unwrap();
    assert_eq!(raw_meta("t-chunkcount", schema::KEY_CHUNK_COUNT, None).await, Some(250.0), "kept with the chunks");
    db.close();

    // A new connection loads the index from the snapshot with the stored count; a profile
    // opened before the map was warmed is still found in its chunk.
    let db = Archive::open("t-chunkcount").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "{stats:?}");
    assert_eq!(index.len(), 250);
    assert_eq!(db.get_profile("k042").await.unwrap().unwrap().name, "甲42");
    db.close();

    // An archive from before the count was kept: start-up counts from the map, and warming the
    // map stores the count for next time.
    raw_meta("t-chunkcount", schema::KEY_CHUNK_COUNT, Some(None)).await;
    let db = Archive::open("t-chunkcount").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot && index.len() == 250, "{stats:?}");
    db.warm_chunk_map().await.unwrap();
    assert_eq!(raw_meta("t-chunkcount", schema::KEY_CHUNK_COUNT, None).await, Some(250.0));
    db.close();

    // A wrong count is caught by the snapshot check: the index is rebuilt from the profiles.
    raw_meta("t-chunkcount", schema::KEY_CHUNK_COUNT, Some(Some(7.0))).await;
    let db = Archive::open("t-chunkcount").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot);
    assert_eq!(index.len(), 250);
    db.close();
}

#[wasm_bindgen_test]
async fn bulk_writes_go_in_chunks_that_every_connection_finds_edits_and_counts() {
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    let db = fresh("t-chunks").await;
    // One id of the bulk write is already stored on its own: it stays there.
    db.put_profile(&guest("c150", "旧名", "13900000150")).await.unwrap();
    let other = Archive::open("t-chunks").await.unwrap(); // another tab's connection
    assert_eq!(other.count_profiles().await.unwrap(), 1);
    let mut many: Vec<Profile> =
        (0..300).map(|i| guest(&format!("c{i:03}"), &format!("客人{i}"), &format!("1390000{i:04}"))).collect();
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&mut many, &mut index, true).await.unwrap();
    assert_eq!(raw_count("t-chunks", schema::PROFILES).await, 1, "only the one stored before has its own record");
    assert!(raw_count("t-chunks", schema::CHUNKS).await >= 1);
    assert_eq!(db.count_profiles().await.unwrap(), 300);
    assert_eq!(other.count_profiles().await.unwrap(), 300, "the other connection sees the new chunks");
    assert_eq!(other.get_profile("c007").await.unwrap().unwrap().name, "客人7");
    assert_eq!(other.get_profile("c150").await.unwrap().unwrap().name, "客人150", "rewritten in its own record");

    // An edit of a chunked profile, from the other connection, is rewritten inside its chunk.
    let mut p = other.get_profile("c200").await.unwrap().unwrap();
    p.name = "改过的名字".into();
    p.meta.touch(1_700_000_100_000, "前台");
    other.put_profile(&p).await.unwrap();
    assert_eq!(db.get_profile("c200").await.unwrap().unwrap().name, "改过的名字");
    assert_eq!(db.get_profile("c201").await.unwrap().unwrap().name, "客人201", "its neighbours are kept");
    assert_eq!(raw_count("t-chunks", schema::PROFILES).await, 1, "it did not move out of its chunk");
    let state = db.record_state(&dangan::domain::sync::RecordKey::profile("c200")).await.unwrap();
    assert_eq!(state.value()["name"], serde_json::json!("改过的名字"));
    let all = db.all_profiles().await.unwrap();
    let ids: std::collections::HashSet<&str> = all.iter().map(|p| p.id.as_str()).collect();
    assert_eq!((all.len(), ids.len()), (300, 300), "each profile once");
    other.close();
    db.close();

    // The snapshot's count check holds; a broken snapshot is rebuilt from chunks and records.
    let db = Archive::open("t-chunks").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "{stats:?}");
    assert_eq!(index.len(), 300);
    db.close();
    let raw = indexed_db_futures::database::Database::open("t-chunks").await.unwrap();
    let tx = raw.transaction(schema::META).with_mode(TransactionMode::Readwrite).build().unwrap();
    tx.object_store(schema::META).unwrap().delete(schema::KEY_SNAPSHOT).primitive().unwrap();
    tx.commit().await.unwrap();
    raw.close();
    let db = Archive::open("t-chunks").await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot);
    assert_eq!(index.len(), 300);
    let hit = index.search("改过的名字", &Filter::default(), 5);
    assert_eq!(index.entry(hit.hits[0]).id, "c200");
    db.close();
}

#[wasm_bindgen_test]
async fn a_connection_keeps_its_chunk_map_through_its_own_writes_and_reads_it_after_another_s() {
    let db = fresh("t-chunkmap").await;
    let other = Archive::open("t-chunkmap").await.unwrap();
    let batch = |from: usize| -> Vec<Profile> {
        (from..from + 200).map(|i| guest(&format!("m{i:04}"), &format!("客人{i}"), &format!("1380000{i:04}"))).collect()
    };
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&mut batch(0), &mut index, true).await.unwrap();
    let reads = db.chunk_map_reads();
    // Page after page, as a pull writes them: the map follows each write in memory.
    for page in 1..4 {
        db.put_profiles(&mut batch(page * 200), &mut index, true).await.unwrap();
        assert_eq!(
            db.get_profile(&format!("m{:04}", page * 200 + 7)).await.unwrap().unwrap().name,
            format!("客人{}", page * 200 + 7)
        );
    }
    assert_eq!(db.chunk_map_reads(), reads, "its own writes did not make it read the map again");
    assert_eq!(db.count_profiles().await.unwrap(), 800);
    // Another connection's chunks: the map is read again, and its profiles are found.
    let mut theirs = dangan::domain::search::SearchIndex::default();
    other.put_profiles(&mut batch(5000), &mut theirs, true).await.unwrap();
    assert_eq!(db.get_profile("m5123").await.unwrap().unwrap().name, "客人5123");
    assert!(db.chunk_map_reads() > reads, "another connection's write is read");
    assert_eq!(other.get_profile("m0321").await.unwrap().unwrap().name, "客人321");
    assert_eq!(db.count_profiles().await.unwrap(), 1000);
    other.close();
    db.close();
}

#[wasm_bindgen_test]
async fn history_written_in_bulk_goes_in_chunks_that_reads_edits_merges_and_backups_find() {
    use dangan::domain::sync::{RecordKey, RecordKind, Replica};
    let db = fresh("t-history-chunks").await;
    let note = |id: String, pid: &str, day: u8, text: &str| HistoryItem {
        id,
        profile_id: pid.into(),
        date: Date::new(2026, 10, day).unwrap(),
        entry: HistoryEntry::Note { text: text.into() },
        meta: Meta::new(1, "前台"),
    };
    // 40 guests with three items each, in one bulk write; one more item saved on its own.
    let items: Vec<HistoryItem> = (0..40)
        .flat_map(|g| (1..=3).map(move |k| (g, k)))
        .map(|(g, k)| note(format!("b{g:02}-{k}"), &format!("g{g:02}"), k as u8, &format!("第{k}次")))
        .collect();
    db.put_history_many(&items).await.unwrap();
    db.put_history(&note("own".into(), "g07", 20, "单独保存")).await.unwrap();
    assert_eq!(raw_count("t-history-chunks", schema::HISTORY).await, 1, "only the single save has its own record");
    assert!(raw_count("t-history-chunks", schema::HISTORY_CHUNKS).await >= 1);
    let of7: Vec<String> = db.history_of("g07").await.unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(of7, ["own", "b07-3", "b07-2", "b07-1"], "newest first, from its record and its chunk");
    assert_eq!(db.history_count("g07").await.unwrap(), 4);
    assert_eq!(db.history_count("g39").await.unwrap(), 3);
    assert!(db.history_of("nobody").await.unwrap().is_empty());

    // An edit of a chunked item is rewritten inside its chunk; its neighbours are kept.
    let mut item = db.history_of("g12").await.unwrap().pop().unwrap();
    assert_eq!(item.id, "b12-1");
    item.entry = HistoryEntry::Note { text: "改过".into() };
    item.meta.touch(1_700_000_100_000, "经理");
    db.put_history(&item).await.unwrap();
    let of12 = db.history_of("g12").await.unwrap();
    assert_eq!(of12.len(), 3);
    assert_eq!(of12[2].entry, HistoryEntry::Note { text: "改过".into() });
    assert_eq!(of12[1].entry, HistoryEntry::Note { text: "第2次".into() });
    assert_eq!(raw_count("t-history-chunks", schema::HISTORY).await, 1, "it did not move out of its chunk");
    // One item by its id, as a reload of the profile reads it: from its chunk or its own record.
    assert_eq!(db.history_item("b12-1").await.unwrap().as_ref(), of12.get(2));
    let own = db.history_item("own").await.unwrap().unwrap();
    assert_eq!(Some(&own), db.history_of("g07").await.unwrap().first());
    assert_eq!(own.entry, HistoryEntry::Note { text: "单独保存".into() });
    assert!(own.meta.hlc.is_some(), "with its change's clock, which the item saved did not have");
    assert_eq!(db.history_item("nobody").await.unwrap(), None);
    let state = db.record_state(&RecordKey::history("b12-1")).await.unwrap();
    assert_eq!(state.value()["entry"]["text"], serde_json::json!("改过"));
    let backup = db.backup_records().await.unwrap();
    assert_eq!(backup.iter().filter(|r| r.key.kind == RecordKind::History).count(), 121, "a backup holds every item");

    // Another device's bulk creations are merged into chunks, once; its later edit lands in the chunk.
    let mut other = Replica::new("tablet2");
    let now = js_sys::Date::now() as u64;
    let theirs: Vec<_> = (0..40)
        .map(|i| {
            let h = note(format!("r{i:02}"), "g01", 1 + (i % 28) as u8, "对方设备");
            (
                i as u64 + 1,
                other.save(&RecordKey::history(&h.id), &serde_json::to_value(&h).unwrap(), "乙", now).unwrap(),
            )
        })
        .collect();
    let r = db.apply_remote(theirs.clone(), 0, &|_| true, &|_| false).await.unwrap();
    assert_eq!((r.applied, r.known), (40, 0));
    assert_eq!(raw_count("t-history-chunks", schema::HISTORY).await, 1, "pulled in bulk, they went in a chunk");
    assert_eq!(db.history_count("g01").await.unwrap(), 43);
    let r = db.apply_remote(theirs, 0, &|_| true, &|_| false).await.unwrap();
    assert_eq!((r.applied, r.known), (0, 40), "delivered twice, merged once");
    assert_eq!(db.history_count("g01").await.unwrap(), 43);
    let mut edited = note("r05".into(), "g01", 6, "对方改过");
    edited.meta = Meta::new(1, "前台");
    let change =
        other.save(&RecordKey::history("r05"), &serde_json::to_value(&edited).unwrap(), "乙", now + 1000).unwrap();
    let r = db.apply_remote(vec![(41, change)], 40, &|_| true, &|_| false).await.unwrap();
    assert_eq!(r.applied, 1);
    let r05 = db.history_of("g01").await.unwrap().into_iter().find(|h| h.id == "r05").unwrap();
    assert_eq!(r05.entry, HistoryEntry::Note { text: "对方改过".into() });
    assert_eq!(db.history_count("g01").await.unwrap(), 43);
    db.close();
}

#[wasm_bindgen_test]
async fn governance_records_and_the_access_log_are_stored_chained_queued_backed_up_and_restored() {
    use dangan::domain::governance::chain::{verify, Entry, EventKind, Integrity, Witness};
    use dangan::domain::governance::signed;
    use dangan::domain::search::SearchIndex;
    use dangan::domain::sync::RecordKind;
    let db = fresh("t-gov").await;
    let staff = signed::seal("s1", r#"{"id":"s1","name":"王芳"}"#.into(), "s1", "c2ln".into());
    db.put_governance(RecordKind::Staff, &staff, "王芳").await.unwrap();
    let gov = signed::seal("archive", "{}".into(), "s1", "c2ln".into());
    db.put_governance(RecordKind::Gov, &gov, "王芳").await.unwrap();
    assert_eq!(db.governance(RecordKind::Staff).await.unwrap(), vec![staff.clone()]);
    assert_eq!(db.governance(RecordKind::Gov).await.unwrap(), vec![gov.clone()]);
    assert!(db.governance(RecordKind::Request).await.unwrap().is_empty());

    // Two tabs append at the same moment: each event gets its own number, one chain.
    let tab2 = Archive::open("t-gov").await.unwrap();
    let entry = |kind, profile: &str| Entry {
        staff: "s1".into(),
        staff_name: "王芳".into(),
        kind: Some(kind),
        profile: profile.into(),
        ..Entry::default()
    };
    let (a, b) = futures::join!(
        db.append_event(1, entry(EventKind::SignIn, "")),
        tab2.append_event(2, entry(EventKind::Open, "p1"))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut seqs = [a.seq, b.seq];
    seqs.sort();
    assert_eq!(seqs, [1, 2]);
    let c = db.append_event(3, entry(EventKind::Reveal, "p1")).await.unwrap();
    assert_eq!((c.seq, c.device.as_str()), (3, db.device().as_str()));
    let events = db.events().await.unwrap();
    assert_eq!(verify(&events, &Witness::new()), Integrity::Verified(3));
    db.set_witness(&dangan::domain::governance::chain::witness_of(&events)).await.unwrap();
    assert_eq!(db.witness().await.unwrap()[&db.device()].0, 3);

    // All of it waits to be sent: two governance records and three events.
    let sent: Vec<_> = db.outbox(100).await.unwrap().into_iter().flat_map(|(_, cs)| cs).collect();
    let kinds = |k| sent.iter().filter(|c| c.record.kind == k).count();
    assert_eq!((kinds(RecordKind::Staff), kinds(RecordKind::Gov), kinds(RecordKind::Event)), (1, 1, 3));

    // Another device receives them as changes and stores them where they belong.
    let other = fresh("t-gov-b").await;
    let batch: Vec<(u64, _)> = sent.into_iter().enumerate().map(|(i, c)| (i as u64 + 1, c)).collect();
    let applied = other.apply_remote(batch, 0, &|_| true, &|_| false).await.unwrap();
    assert_eq!(applied.applied, 5);
    assert_eq!(other.governance(RecordKind::Staff).await.unwrap(), vec![staff.clone()]);
    assert_eq!(verify(&other.events().await.unwrap(), &Witness::new()), Integrity::Verified(3));

    // A backup carries them; restored elsewhere they are the same.
    let records = db.backup_records().await.unwrap();
    assert_eq!(records.iter().filter(|r| r.key.kind.is_governance()).count(), 5);
    let copy = fresh("t-gov-c").await;
    let index = SearchIndex::default();
    copy.restore(&records, &|f| f(&index)).await.unwrap();
    assert_eq!(copy.governance(RecordKind::Gov).await.unwrap(), vec![gov]);
    assert_eq!(copy.events().await.unwrap(), events);
    // Governance records are never listed as conflicts.
    assert!(copy.conflicted().await.unwrap().is_empty());
    for d in [db, tab2, other, copy] {
        d.close();
    }
}

#[wasm_bindgen_test]
async fn ledger_entries_are_their_own_records_written_once_in_bulk_or_alone_merged_once_and_never_changed() {
    use dangan::domain::ledger::stock::Item;
    use dangan::domain::ledger::{Account, Body, Entry, PayMethod};
    use dangan::domain::sync::{RecordKey, RecordKind, Replica};
    let db = fresh("t-ledger").await;
    let sale = |id: String, pid: &str, day: u8, fen: i64| Entry {
        id,
        profile_id: pid.into(),
        date: Date::new(2026, 10, day).unwrap(),
        body: Body::Sale {
            doc: "INV".into(),
            amount_fen: fen,
            due: Date::new(2026, 11, day).unwrap(),
            override_: None,
        },
        note: String::new(),
        meta: Meta::new(1, "前台"),
    };
    // An import of opening invoices: 40 customers with two each, in one bulk write (chunked).
    let bulk: Vec<Entry> = (0..40)
        .flat_map(|g| (1..=2).map(move |k| sale(format!("o{g:02}-{k}"), &format!("c{g:02}"), k, 10_000)))
        .collect();
    db.put_entries(&bulk).await.unwrap();
    assert_eq!(raw_count("t-ledger", schema::LEDGER).await, 0, "written in bulk, they went in chunks");
    assert!(raw_count("t-ledger", schema::LEDGER_CHUNKS).await >= 1);
    assert_eq!(raw_count("t-ledger", schema::HISTORY).await, 0, "not among the history");
    // A receipt recorded at the desk: its own record, with its change in the outbox.
    let outbox = db.outbox_len().await.unwrap();
    let receipt = Entry {
        id: "r1".into(),
        profile_id: "c07".into(),
        date: Date::new(2026, 10, 20).unwrap(),
        body: Body::Receipt { amount_fen: 15_000, method: PayMethod::Cash, doc: String::new(), pays: vec![] },
        note: String::new(),
        meta: Meta::new(2, "前台"),
    };
    db.put_entry(&receipt).await.unwrap();
    assert_eq!(db.outbox_len().await.unwrap(), outbox + 1);
    let of7 = db.ledger_of("c07").await.unwrap();
    assert_eq!(
        of7.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["o07-1", "o07-2", "r1"],
        "in the account's order"
    );
    let on = Date::new(2026, 12, 31).unwrap();
    assert_eq!(Account::of(&of7, &|_| true).balance(on), 5_000);
    assert!(db.history_of("c07").await.unwrap().is_empty());

    // Another device's receipt for the same customer arrives twice: it counts once.
    let mut other = Replica::new("tablet2");
    let now = js_sys::Date::now() as u64;
    let mut theirs = receipt.clone();
    theirs.id = "r2".into();
    theirs.body = Body::Receipt { amount_fen: 2_000, method: PayMethod::WeChat, doc: String::new(), pays: vec![] };
    let key = RecordKey::ledger("r2");
    let created = other.save(&key, &serde_json::to_value(&theirs).unwrap(), "乙", now).unwrap();
    let r = db.apply_remote(vec![(1, created.clone()), (2, created)], 0, &|_| true, &|_| false).await.unwrap();
    assert_eq!((r.applied, r.known), (1, 1));
    assert_eq!(Account::of(&db.ledger_of("c07").await.unwrap(), &|_| true).balance(on), 3_000);
    // A later change to an entry (edited elsewhere, against the rules) is ignored.
    theirs.body = Body::Receipt { amount_fen: 2_000_000, method: PayMethod::WeChat, doc: String::new(), pays: vec![] };
    let edit = other.save(&key, &serde_json::to_value(&theirs).unwrap(), "乙", now + 1_000).unwrap();
    let r = db.apply_remote(vec![(3, edit.clone())], 2, &|_| true, &|_| false).await.unwrap();
    assert_eq!((r.applied, r.known, r.cursor), (0, 1, 3));
    assert_eq!(Account::of(&db.ledger_of("c07").await.unwrap(), &|_| true).balance(on), 3_000);

    // Items are records of their own kind; every record is in a backup.
    let item = Item {
        id: "i1".into(),
        code: "T-01".into(),
        name: "普洱茶".into(),
        unit: "盒".into(),
        price_fen: 12_800,
        meta: Meta::new(3, "经理"),
    };
    db.put_item(&item).await.unwrap();
    assert_eq!(db.items().await.unwrap().into_iter().map(|i| i.name).collect::<Vec<_>>(), ["普洱茶"]);
    let backup = db.backup_records().await.unwrap();
    let kinds = |k: RecordKind| backup.iter().filter(|r| r.key.kind == k).count();
    assert_eq!((kinds(RecordKind::Ledger), kinds(RecordKind::Item)), (82, 1));
    // Restored into an empty archive, the accounts are the same.
    let copy = fresh("t-ledger-copy").await;
    let index = dangan::domain::search::SearchIndex::default();
    copy.restore(&backup, &|f| f(&index)).await.unwrap();
    let bodies = |es: Vec<Entry>| es.into_iter().map(|e| (e.id, e.date, e.body, e.meta.created_by)).collect::<Vec<_>>();
    assert_eq!(bodies(copy.ledger_of("c07").await.unwrap()), bodies(db.ledger_of("c07").await.unwrap()));
    assert_eq!(copy.ledger_of("c39").await.unwrap().len(), 2);
    assert_eq!(copy.items().await.unwrap(), db.items().await.unwrap());
    // Nor does a backup edited to change an entry: the entry here stays as it was written.
    let mut forged = backup.iter().find(|r| r.key == key).cloned().unwrap();
    assert!(forged.state.apply(&edit));
    let r = db.restore(&[forged], &|f| f(&index)).await.unwrap();
    assert_eq!((r.records, r.unchanged), (0, 1));
    assert_eq!(Account::of(&db.ledger_of("c07").await.unwrap(), &|_| true).balance(on), 3_000);
    db.close();
    copy.close();
}

/// Issue 18: destroying profiles erases them from their own records and from chunks, with their
/// history and ledger entries wherever they are, their merge states, their unsent changes and
/// their journal entries; nothing of them is left in any store once the snapshot is written
/// without them, and their neighbours in the same chunks are kept.
#[wasm_bindgen_test]
async fn destroyed_profiles_leave_no_byte_in_any_store_and_their_neighbours_are_kept() {
    use dangan::domain::ledger::{Body, Entry};
    use dangan::domain::sync::{RecordKey, RecordKind};
    let name = "t-erase";
    let db = fresh(name).await;
    let mut many: Vec<Profile> =
        (0..300).map(|i| guest(&format!("c{i:03}"), &format!("客人{i}"), &format!("1390000{i:04}"))).collect();
    many[10] = guest("c010", "欧阳锋", "13987654321");
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&mut many, &mut index, true).await.unwrap();
    let mut solo = guest("solo", "欧阳克", "13911112222");
    db.put_profile(&solo).await.unwrap();
    solo.notes = "欧阳克 喜欢安静".into();
    solo.meta.touch(1_700_000_100_000, "前台");
    db.put_profile(&solo).await.unwrap();
    let note = |id: &str, pid: &str, text: &str| HistoryItem {
        id: id.into(),
        profile_id: pid.into(),
        date: Date::new(2026, 10, 3).unwrap(),
        entry: HistoryEntry::Note { text: text.into() },
        meta: Meta::new(1, "前台"),
    };
    let bulk: Vec<HistoryItem> = (0..40)
        .map(|i| note(&format!("b{i:02}"), &format!("c{:03}", i % 20), &format!("第{i}次")))
        .chain([note("bx", "c010", "欧阳锋 住 808")])
        .collect();
    db.put_history_many(&bulk).await.unwrap();
    db.put_history(&note("own", "solo", "欧阳克 的投诉")).await.unwrap();
    let entry = Entry {
        id: "l1".into(),
        profile_id: "c010".into(),
        date: Date::new(2026, 10, 5).unwrap(),
        body: Body::Opening { amount_fen: 0, doc: String::new(), due: None },
        note: "欧阳锋 期初".into(),
        meta: Meta::new(2, "前台"),
    };
    db.put_entry(&entry).await.unwrap();
    // Documents with their files: an ID scan of solo's, and one photo held by c010 and c011 both.
    let doc = |id: &str, pid: &str, bytes: &[u8]| dangan::domain::documents::Document {
        id: id.into(),
        profile_id: pid.into(),
        title: format!("{id} 的文件"),
        hash: dangan::domain::documents::sha256_hex(bytes),
        size: bytes.len() as u64,
        mime: "image/jpeg".into(),
        meta: Meta::new(3, "前台"),
        ..Default::default()
    };
    let scan = "欧阳克 身份证扫描件".as_bytes();
    let shared = b"one photo of two guests".as_slice();
    db.put_document(&doc("d1", "solo", scan), Some(scan)).await.unwrap();
    db.put_document(&doc("d2", "c010", shared), Some(shared)).await.unwrap();
    db.put_document(&doc("d3", "c011", shared), Some(shared)).await.unwrap();
    let gone = ["c010".to_string(), "solo".to_string()];

    let records = db.records_of(&gone).await.unwrap();
    let kinds = |k: RecordKind| records.iter().filter(|(r, _)| r.kind == k).count();
    assert_eq!((kinds(RecordKind::Profile), kinds(RecordKind::History), kinds(RecordKind::Ledger)), (2, 4, 1));
    assert_eq!(kinds(RecordKind::Document), 2);
    let files = db.files_only_of(&gone).await.unwrap();
    assert_eq!(files.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>(), [doc("d1", "", scan).hash.as_str()]);

    let seen = common::raw_bytes(name, schema::CHUNKS).await;
    assert!(seen.windows(9).any(|w| w == "欧阳锋".as_bytes()), "the scan sees a chunked name before");
    let keys = db.erase(&gone).await.unwrap();
    assert_eq!(keys.len(), 9, "{keys:?}");
    assert_eq!(db.blob(&doc("", "", scan).hash).await.unwrap(), None, "the scan went with its guest");
    assert_eq!(db.blob(&doc("", "", shared).hash).await.unwrap().as_deref(), Some(shared), "c011's photo stays");
    assert_eq!(db.queued_blobs().await.unwrap().len(), 1, "only c011's file still waits for the endpoint");
    assert_eq!(db.documents_of("c011").await.unwrap().len(), 1);
    db.write_snapshot(&index.without(&gone.iter().map(String::as_str).collect())).await.unwrap();
    assert_eq!(db.get_profile("c010").await.unwrap(), None);
    assert_eq!(db.get_profile("solo").await.unwrap(), None);
    assert!(db.history_of("c010").await.unwrap().is_empty() && db.history_of("solo").await.unwrap().is_empty());
    assert!(db.ledger_of("c010").await.unwrap().is_empty());
    assert_eq!(db.record_state(&RecordKey::profile("solo")).await.unwrap().fields.len(), 0);
    // The neighbours: in the same chunk, and in the same history chunk.
    assert_eq!(db.get_profile("c011").await.unwrap().unwrap().name, "客人11");
    assert_eq!(db.count_profiles().await.unwrap(), 299);
    assert_eq!(db.history_of("c011").await.unwrap().len(), 2);
    assert_eq!(db.history_of("c000").await.unwrap().len(), 2);
    for (_, changes) in db.outbox(100_000).await.unwrap() {
        assert!(changes
            .iter()
            .all(|c| !gone.contains(&c.record.id) && !["bx", "own", "l1", "d1", "d2"].contains(&c.record.id.as_str())));
    }
    let also = [schema::OUTBOX, schema::INDEX_JOURNAL, schema::BLOBS, schema::BLOB_QUEUE];
    for store in dangan::store::schema::READ_STORES.iter().chain(&also) {
        let bytes = common::raw_bytes(name, store).await;
        for needle in ["欧阳锋", "欧阳克", "13987654321", "13911112222"] {
            let n = needle.as_bytes();
            assert!(!bytes.windows(n.len()).any(|w| w == n), "{needle} is still in {store}");
        }
    }
    db.close();
    // Opened again: the index loads from the snapshot without them and agrees with the count.
    let db = Archive::open(name).await.unwrap();
    let (index, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "{stats:?}");
    assert_eq!(index.len(), 299);
    assert_eq!(index.search("欧阳", &Filter::default(), 5).hits.len(), 0);
    db.close();
}
