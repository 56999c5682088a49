//! The pinyin table is not in the app's code (domain/pinyin.rs): the first write that indexes a
//! Han name fetches it and waits for it. Alone in its file, so that nothing installed the table
//! before (each file is a page of its own in headless Chromium).
#![cfg(target_arch = "wasm32")]

use dangan::domain::model::Profile;
use dangan::domain::pinyin;
use dangan::store::Archive;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_first_write_of_a_han_name_waits_for_the_table_and_indexes_its_pinyin() {
    assert!(!pinyin::installed(), "nothing fetched the table yet");
    assert_eq!(dangan::domain::text::pinyin_keys("张三").0, "", "without the table a Han name has no pinyin");
    Archive::delete("t-pinyin").await.unwrap();
    let db = Archive::open("t-pinyin").await.unwrap();
    db.load_index().await.unwrap();
    assert!(
        !pinyin::installed(),
        "opening an empty archive and listing it (a new device's first paint) does not wait for it"
    );
    let mut p = Profile::new("p1".into(), 1_700_000_000_000, "前台");
    p.name = "欧阳𠀁".into();
    let entry = db.put_profile(&p).await.unwrap();
    assert!(pinyin::installed());
    assert_eq!((entry.pinyin.as_str(), entry.initials.as_str()), ("ouyangqi", "oyq"), "Extension B too");
    let index = db.load_index().await.unwrap().0;
    assert_eq!(
        index.search("oyq", &dangan::domain::search::Filter::default(), 10).total,
        1,
        "found by its initials after a reload"
    );
}
