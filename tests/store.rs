//! Storage layer tests in headless Chromium (wasm-bindgen-test): the real IndexedDB.
#![cfg(target_arch = "wasm32")]

use dangan::domain::date::Date;
use dangan::domain::model::*;
use dangan::domain::search::Filter;
use dangan::store::schema::{self, Version};
use dangan::store::Archive;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

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
    assert_eq!(db.get_profile("p1").await.unwrap(), Some(p.clone()));

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
    let many: Vec<Profile> =
        (0..50).map(|i| guest(&format!("g{i}"), &format!("客人{i}"), &format!("1390000{i:04}"))).collect();
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&many, &mut index, true).await.unwrap();
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
async fn migrates_a_version_1_database_with_data_in_it() {
    Archive::delete("t-migrate").await.unwrap();
    let v1 = Archive::open_at("t-migrate", Version::V1).await.unwrap();
    assert_eq!(v1.version(), 1);
    v1.close();
    // Write a record exactly as version 1 of the app stored it, with the raw IndexedDB API.
    let p = guest("old", "曾小贤", "13600001111");
    write_v1_record(&p).await;

    let db = Archive::open("t-migrate").await.unwrap();
    assert_eq!(db.version(), Version::LATEST as u32);
    assert_eq!(db.get_profile("old").await.unwrap(), Some(p));
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot, "no snapshot existed in v1: rebuilt from profiles");
    assert_eq!(index.len(), 1);
    assert_eq!(index.entry(index.search("zxx", &Filter::default(), 5).hits[0]).id, "old");
    let (_, stats) = db.load_index().await.unwrap();
    assert!(stats.from_snapshot, "the rebuild wrote a snapshot");
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

#[wasm_bindgen_test]
async fn a_bulk_write_interrupted_before_its_snapshot_is_rebuilt_on_the_next_load() {
    let db = fresh("t-bulk").await;
    let first: Vec<Profile> = (0..20).map(|i| guest(&format!("a{i}"), &format!("甲{i}"), "13500000000")).collect();
    let mut index = dangan::domain::search::SearchIndex::default();
    db.put_profiles(&first, &mut index, true).await.unwrap();
    // A second batch written without its snapshot (the import stopped before its last batch).
    let second: Vec<Profile> = (0..5).map(|i| guest(&format!("b{i}"), &format!("乙{i}"), "13600000000")).collect();
    db.put_profiles(&second, &mut index, false).await.unwrap();
    assert_eq!(db.count_profiles().await.unwrap(), 25);
    let (index, stats) = db.load_index().await.unwrap();
    assert!(!stats.from_snapshot, "the snapshot is behind the profiles, so it is not trusted");
    assert_eq!(index.len(), 25);
    assert!(index.get("b4").is_some());
    db.close();
}
