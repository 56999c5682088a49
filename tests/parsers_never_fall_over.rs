//! The readers of files a clerk brings (CSV, XLSX, vCard, backups) against arbitrary and mutated
//! bytes: never a panic, always either a table (which then goes through the import's planning)
//! or an error with words in both languages. Property tests (proptest): each property runs 256
//! cases in CI; `PROPTEST_CASES=20000 cargo test --release --test parsers_never_fall_over` runs
//! the full count (a failing case is shrunk and printed, and kept in
//! `tests/parsers_never_fall_over.proptest-regressions` to be run first next time).
#![cfg(not(target_arch = "wasm32"))]

use dangan::domain::date::Date;
use dangan::domain::i18n::Locale;
use dangan::domain::search::SearchIndex;
use dangan::domain::transfer::backup::Backup;
use dangan::domain::transfer::columns::guess_mapping;
use dangan::domain::transfer::plan::Planner;
use dangan::domain::transfer::read_sheet;
use proptest::prelude::*;
use std::time::{Duration, Instant};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import");

/// Every sample file, good and broken.
fn samples() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for sub in ["good", "broken"] {
        let mut names: Vec<_> = std::fs::read_dir(format!("{DIR}/{sub}")).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        out.extend(
            names.into_iter().filter(|p| p.extension().is_some_and(|e| e != "tsv")).map(|p| std::fs::read(p).unwrap()),
        );
    }
    out
}

/// Reads `bytes` as an import does: a table is planned row by row; an error has its words.
fn import(bytes: &[u8]) {
    let t = Instant::now();
    match read_sheet(bytes) {
        Ok(table) => {
            let ix = SearchIndex::default();
            let plans =
                Planner::new(guess_mapping(&table.headers), &ix, Date::new(2026, 12, 3).unwrap()).all(&table, &ix);
            assert_eq!(plans.len(), table.rows.len());
        }
        Err(e) => {
            assert!(!e.message(Locale::Zh).is_empty() && !e.message(Locale::En).is_empty());
        }
    }
    assert!(t.elapsed() < Duration::from_secs(10), "{} bytes took {:?}", bytes.len(), t.elapsed());
}

/// A change to a file: overwrite a byte, insert bytes, cut a range out, or cut the end off.
#[derive(Clone, Debug)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Remove(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, ms: &[Mutation]) -> Vec<u8> {
    for m in ms {
        let len = bytes.len().max(1);
        match m {
            Mutation::Set(i, b) if !bytes.is_empty() => bytes[i % len] = *b,
            Mutation::Insert(i, v) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Mutation::Remove(i, n) if !bytes.is_empty() => {
                let at = i % len;
                bytes.drain(at..(at + n).min(bytes.len()));
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
            _ => {}
        }
    }
    bytes
}

/// Text made of the pieces CSV and vCard readers care about.
fn sheetish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just(";".to_string()),
        Just("BEGIN:VCARD\r\n".to_string()),
        Just("END:VCARD\r\n".to_string()),
        Just("FN;CHARSET=UTF-8:".to_string()),
        Just("TEL;TYPE=CELL:".to_string()),
        Just("N:".to_string()),
        Just("ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=".to_string()),
        Just(" ".to_string()),
        Just("姓名,手机,身份证号\r\n".to_string()),
        Just("客户编码,单位全称,开户银行\r\n".to_string()),
        Just("11010519491231002X".to_string()),
        Just("=1/0".to_string()),
        Just("#DIV/0!".to_string()),
        "[a-z0-9张三李四]{0,8}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn arbitrary_bytes_are_read_or_refused_in_words(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        import(&bytes);
        let _ = Backup::parse(&bytes);
    }

    #[test]
    fn text_shaped_like_sheets_and_cards_is_read_or_refused_in_words(text in sheetish(), gbk in any::<bool>()) {
        let bytes = if gbk { encoding_rs::GBK.encode(&text).0.into_owned() } else { text.into_bytes() };
        import(&bytes);
    }

    #[test]
    fn mutated_sample_files_are_read_or_refused_in_words(
        which in any::<prop::sample::Index>(),
        ms in prop::collection::vec(mutation(), 1..8),
    ) {
        let all = samples();
        let original = all[which.index(all.len())].clone();
        import(&mutate(original, &ms));
    }

    #[test]
    fn a_mutated_backup_is_refused_or_is_a_valid_backup(
        ms in prop::collection::vec(mutation(), 1..6),
    ) {
        let good = backup_bytes();
        let bytes = mutate(good.clone(), &ms);
        if let Ok(b) = Backup::parse(&bytes) {
            // A mutation that still parses kept the file a valid backup: written out and read
            // again it is the same backup, every record checked.
            prop_assert_eq!(Backup::parse(&b.to_json()).unwrap(), b);
        }
    }
}

/// A small real backup: three profiles' records.
fn backup_bytes() -> Vec<u8> {
    use dangan::domain::sync::{RecordKey, Replica};
    use dangan::domain::transfer::backup::{BackupRecord, BackupSettings};
    let mut replica = Replica::new("tablet1");
    let records = (0..3)
        .map(|i| {
            let p = dangan::testdata::profile(3, i, 1_763_856_000_000);
            let key = RecordKey::profile(&p.id);
            replica.save(&key, &serde_json::to_value(&p).unwrap(), "前台", 1_763_856_000_000 + i as u64).unwrap();
            BackupRecord { key: key.clone(), state: replica.records[&key].clone() }
        })
        .collect();
    Backup::new(1, "tablet1", BackupSettings::default(), records).to_json()
}

#[test]
fn a_real_backup_parses_and_deeply_nested_json_is_refused_not_overflowed() {
    assert_eq!(Backup::parse(&backup_bytes()).unwrap().records.len(), 3);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Backup::parse(deep.as_bytes()).is_err());
    let deep_object =
        format!("{{\"format\":\"dangan-backup\",\"records\":{}{}}}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(Backup::parse(deep_object.as_bytes()).is_err());
    for sample in samples() {
        import(&sample);
    }
}
