//! Native timing of the search index on a generated archive: `cargo run --release --example
//! search_profile [n]`. A quick look at where keystroke time goes, beside the browser benchmark.
//! `ADDRESSES=1` gives every profile an address and every organisation a contact (as a hotel's
//! guests registered from their ID cards have), to see what indexing them costs.

use dangan::domain::search::{Filter, IndexEntry, SearchIndex};
use dangan::testdata;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let t = Instant::now();
    let addresses = std::env::var("ADDRESSES").is_ok();
    let ix = SearchIndex::from_entries((0..n).map(|i| {
        let mut p = testdata::profile(2026, i, 1_795_000_000_000);
        if addresses {
            const CITIES: [&str; 6] =
                ["北京市海淀区", "上海市黄浦区", "广州市天河区", "深圳市福田区", "杭州市西湖区", "成都市锦江区"];
            const ROADS: [&str; 6] = ["成府路", "南京东路", "天河北路", "深南大道", "北山街", "春熙路"];
            p.address = format!("{}{} {} 号 {} 室", CITIES[i % 6], ROADS[(i / 6) % 6], i % 997, 100 + i % 1300);
            if p.kind == dangan::domain::model::CustomerKind::Organisation {
                p.org.contacts = vec![dangan::domain::model::Contact {
                    name: "刘经理".into(),
                    role: String::new(),
                    phone: format!("139{:08}", i),
                }];
            }
        }
        IndexEntry::from_profile(&p)
    }));
    println!("built {n} entries in {:?}", t.elapsed());
    let t = Instant::now();
    let bytes = dangan::domain::snapshot::encode(ix.sections()).concat();
    println!("snapshot: {} bytes, encoded in {:?}", bytes.len(), t.elapsed());
    let t = Instant::now();
    let sections = dangan::domain::snapshot::decode_bytes(&bytes).expect("decodes");
    let read = t.elapsed();
    if std::env::var("PARTS").is_ok() {
        let t = Instant::now();
        let mut end = 0;
        for _ in 0..sections.n {
            end = dangan::domain::snapshot::read_row(&sections.rows, end).unwrap().1;
        }
        println!("rows read again in {:?}", t.elapsed());
    }
    let again = SearchIndex::from_sections(sections);
    println!("snapshot: read and checked in {read:?}, loaded in {:?} ({} entries)", t.elapsed(), again.len());
    drop(again);
    let f = Filter::default();
    let t = Instant::now();
    let listed = ix.list(&f, dangan::domain::search::Sort::Updated).len();
    println!("list of {listed} by last change in {:?}", t.elapsed());
    if let Ok(q) = std::env::var("ONLY") {
        let mut ix = ix;
        if std::env::var("SCAN_ONLY").is_err() {
            ix.build_grams();
        }
        // `ONLY=1101>11010` times the second as typed after the first.
        let (before, q) = q.split_once('>').map_or(("@@", q.as_str()), |(a, b)| (a, b));
        let mut spent = std::time::Duration::ZERO;
        for _ in 0..200 {
            std::hint::black_box(ix.search("@@", &f, 200));
            std::hint::black_box(ix.search(before, &f, 200));
            let t = Instant::now();
            std::hint::black_box(ix.search(q, &f, 200));
            spent += t.elapsed();
        }
        println!("{q} after {before}: {:.2}ms per search", spent.as_secs_f64() * 1000.0 / 200.0);
        return;
    }
    println!("scanning:");
    keystrokes(&ix, &f);
    let hay = ix.haystack();
    for q in ["13", "80", "zh", "li"] {
        let t = Instant::now();
        let c = raw_scan(hay, q);
        println!("raw memmem {q}: {c} occurrences in {} bytes, {:.2}ms", hay.len(), t.elapsed().as_secs_f64() * 1000.0);
    }
    if std::env::var("SCAN_ONLY").is_err() {
        let mut ix = ix;
        let t = Instant::now();
        ix.build_grams();
        println!("candidate lists: {:.1} MB, built in {:?}", ix.grams_size().unwrap_or(0) as f64 / 1e6, t.elapsed());
        println!("with candidate lists:");
        keystrokes(&ix, &f);
    }
}

/// Types each of a few queries a key at a time, printing each keystroke's count and time.
fn keystrokes(ix: &SearchIndex, f: &Filter) {
    // The browser benchmark's sequences (tests/e2e/bench.mjs).
    for seq in [
        "zhang", "wangfang", "li", "zs", "wf", "lyh", "chenjing", "huayuan", "华远", "王", "john", "smith", "13800",
        "1391", "8000", "0521", "110105", "c0001",
    ] {
        let chars: Vec<char> = seq.chars().collect();
        let line: Vec<String> = (1..=chars.len())
            .map(|k| {
                let q: String = chars[..k].iter().collect();
                let t = Instant::now();
                let r = ix.search(&q, f, 200);
                format!("{q}:{}={:.2}ms", r.total, t.elapsed().as_secs_f64() * 1000.0)
            })
            .collect();
        println!("{}", line.join("  "));
    }
}

#[allow(dead_code)]
fn raw_scan(hay: &[u8], q: &str) -> usize {
    memchr::memmem::find_iter(hay, q.as_bytes()).count()
}
