//! Writes the hand-computed archive of the manager's views (`testdata::overview_archive`) as a
//! backup to restore on a new device (the e2e `tests/e2e/overview.test.mjs`):
//! `cargo run --example overview_seed -- <today YYYY-MM-DD> <now ms> > seed.json`.

use dangan::domain::date::Date;
use dangan::domain::sync::records::created_state;
use dangan::domain::sync::{Hlc, RecordKey};
use dangan::domain::transfer::backup::{Backup, BackupRecord, BackupSettings, FORMAT, VERSION};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(today), Some(now)) =
        (args.get(1).and_then(|s| Date::parse(s)), args.get(2).and_then(|s| s.parse::<i64>().ok()))
    else {
        eprintln!("usage: overview_seed <today YYYY-MM-DD> <now ms>");
        std::process::exit(2);
    };
    let (profiles, history) = dangan::testdata::overview_archive(today, now);
    // Each record as written when it was last changed (乙's in 2025: stale while active).
    let hlc = |at: i64, n: u32| Hlc { millis: at as u64, counter: n, device: "seed".into() };
    let mut records = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        let v = serde_json::to_value(p).expect("a profile is JSON");
        records.push(BackupRecord {
            key: RecordKey::profile(&p.id),
            state: created_state(&v, &hlc(p.meta.updated_at, i as u32), &p.meta.created_by),
        });
    }
    for (i, h) in history.iter().enumerate() {
        let v = serde_json::to_value(h).expect("an item is JSON");
        let n = (profiles.len() + i) as u32;
        records.push(BackupRecord {
            key: RecordKey::history(&h.id),
            state: created_state(&v, &hlc(h.meta.updated_at, n), &h.meta.created_by),
        });
    }
    let backup = Backup {
        format: FORMAT.into(),
        version: VERSION,
        created_at: now,
        device: "seed".into(),
        profiles: profiles.len(),
        history: history.len(),
        settings: BackupSettings { language: "zh-CN".into(), ..BackupSettings::default() },
        records,
    };
    println!("{}", serde_json::to_string(&backup).expect("a backup is JSON"));
}
