//! The sample import files under `tests/data/import` (written by `examples/import_samples.rs`):
//! the good ones import as the profiles they were made from; every broken one gives its clear
//! error, and nothing of it can be imported.
#![cfg(not(target_arch = "wasm32"))]

use dangan::domain::date::Date;
use dangan::domain::i18n::Locale;
use dangan::domain::model::{CustomerKind, Profile};
use dangan::domain::search::SearchIndex;
use dangan::domain::transfer::columns::guess_mapping;
use dangan::domain::transfer::plan::{mapping_problem, summarize, DupPolicy, Planner, RowPlan};
use dangan::domain::transfer::{read_sheet, ImportError, MAX_FILE_BYTES, MAX_ROWS};
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import");

fn plan(bytes: &[u8]) -> Vec<RowPlan> {
    let t = read_sheet(bytes).unwrap();
    let ix = SearchIndex::default();
    Planner::new(guess_mapping(&t.headers), &ix, Date::new(2026, 11, 23).unwrap()).all(&t, &ix)
}

fn file(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(DIR).join(path)).unwrap()
}

fn same(got: &Profile, want: &Profile) {
    let mut g = got.clone();
    g.id = want.id.clone();
    g.meta = want.meta.clone();
    assert_eq!(&g, want);
}

#[test]
fn the_seed_customer_list_in_gbk_imports() {
    let rows = plan(&file("good/customers-zh-gbk.csv"));
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(RowPlan::is_valid), "{:?}", rows.iter().map(|r| &r.issues).collect::<Vec<_>>());
    let p = &rows[1].profile;
    assert_eq!(p.name, "广州白云酒店用品有限公司");
    assert_eq!(p.kind, CustomerKind::Organisation);
    assert_eq!(p.org.legal_rep, "陈东");
    assert_eq!(p.org.account, "3602000109000012345");
    assert_eq!(p.org.contacts[0].phone, "13822223333");
    assert_eq!(p.tags, ["供应商"]);
    assert_eq!(p.since, Date::new(2020, 7, 15));
    assert_eq!(rows[2].profile.since, Date::new(2021, 11, 2));
}

/// The list as people keep it: a title row and a date line above the headers, 银行名称, phones
/// typed full-width. Every company is imported, in CSV (GBK) and in XLSX (title merged).
#[test]
fn a_titled_customer_list_with_full_width_phones_imports_every_company() {
    for path in ["good/customer-list-titled-gbk.csv", "good/customer-list-titled.xlsx"] {
        let t = read_sheet(&file(path)).unwrap();
        assert_eq!(t.header_row, 4, "{path}: the header row is found below the title");
        assert_eq!(t.headers[1], "单位名称", "{path}");
        let rows = plan(&file(path));
        assert_eq!(rows.len(), 8, "{path}");
        let s = summarize(&rows, DupPolicy::Skip);
        assert_eq!((s.create, s.invalid, s.flagged), (8, 0, 1), "{path}: {:?}", rows);
        assert_eq!(rows[0].row, 5);
        assert_eq!(rows[0].profile.org.bank, "中国工商银行北京海淀支行", "{path}: 银行名称 is the bank");
        assert_eq!(rows[0].profile.org.contacts[0].phone, "010-62751234", "{path}");
        assert_eq!(rows[1].profile.phones, ["(010)8261 2345"], "{path}");
        assert_eq!(rows[2].profile.org.contacts[0].phone, "13911223344", "{path}");
        assert!(rows[2].is_flagged() && rows[2].profile.email.is_empty(), "{path}: the e-mail 无 is left out");
        assert!(rows.iter().all(|r| r.profile.kind == CustomerKind::Organisation));
    }
}

#[test]
fn generated_guest_sheets_import_as_the_profiles_they_came_from() {
    let all: Vec<Profile> = (0..60).map(|i| dangan::testdata::profile(42, i, 1_763_856_000_000)).collect();
    for (path, want) in
        [("good/guests-en.csv", &all[..30]), ("good/guests-zh.xlsx", &all[30..]), ("good/contacts.vcf", &all[..10])]
    {
        let rows = plan(&file(path));
        assert_eq!(rows.len(), want.len(), "{path}");
        for (r, w) in rows.iter().zip(want) {
            assert!(r.is_valid(), "{path} row {}: {:?}", r.row, r.issues);
            if path.ends_with(".vcf") {
                // vCards carry contact fields only.
                assert_eq!(
                    (&r.profile.name, &r.profile.phones, r.profile.kind),
                    (&w.name, &w.phones, w.kind),
                    "{path}"
                );
            } else {
                same(&r.profile, w);
            }
        }
    }
}

#[test]
fn every_broken_file_is_refused_with_its_reason() {
    let list = std::fs::read_to_string(Path::new(DIR).join("broken/expected.tsv")).unwrap();
    let mut checked = 0;
    for line in list.lines().filter(|l| !l.is_empty()) {
        let (name, want) = line.split_once('\t').unwrap();
        let bytes = file(&format!("broken/{name}"));
        let got = read_sheet(&bytes);
        if let Some(msg) = want.strip_prefix("mapping: ") {
            let t = got.unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(format!("{:?}", mapping_problem(&guess_mapping(&t.headers))), format!("Some({msg})"), "{name}");
        } else if want == "rows: values left out" {
            // Bad secondary values: every row is imported, each bad value left out and named.
            let rows = plan(&bytes);
            assert!(!rows.is_empty(), "{name}");
            for r in &rows {
                assert!(r.is_flagged(), "{name} row {}: {:?}", r.row, r.issues);
                assert!(r.issues.iter().all(|i| !i.blocking && i.message(Locale::Zh).contains("未导入")), "{name}");
            }
            let s = summarize(&rows, DupPolicy::Skip);
            assert_eq!((s.create, s.flagged, s.invalid), (rows.len(), rows.len(), 0), "{name}");
        } else if want == "rows: 0 valid" {
            let rows = plan(&bytes);
            assert!(!rows.is_empty(), "{name}");
            for policy in [DupPolicy::Skip, DupPolicy::Update, DupPolicy::Create] {
                let s = summarize(&rows, policy);
                assert_eq!((s.create, s.update, s.invalid), (0, 0, rows.len()), "{name}");
            }
            assert!(rows.iter().all(|r| r.issues.iter().all(|i| !i.message(Locale::Zh).is_empty())));
        } else {
            let e = got.err().unwrap_or_else(|| panic!("{name} was accepted"));
            assert!(format!("{e:?}").starts_with(want), "{name}: {e:?}, expected {want}");
            for l in [Locale::Zh, Locale::En] {
                let m = e.message(l);
                assert!(m.len() > 10 && !m.contains("{}"), "{name}: {m}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "at least 20 broken files, found {checked}");
}

#[test]
fn oversize_files_and_sheets_are_refused_before_reading() {
    let mut big = "名称,备注\r\n".as_bytes().to_vec();
    big.resize(50 * 1024 * 1024, b'x');
    assert_eq!(read_sheet(&big), Err(ImportError::TooLarge { bytes: 50 * 1024 * 1024 }));
    assert!(MAX_FILE_BYTES < big.len());
    let mut many = String::from("名称\n");
    for i in 0..=MAX_ROWS {
        many.push_str(&format!("客人{i}\n"));
    }
    assert_eq!(read_sheet(many.as_bytes()), Err(ImportError::TooManyRows { rows: MAX_ROWS + 1 }));
}
