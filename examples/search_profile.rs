//! Native timing of the search index on a generated archive: `cargo run --release --example
//! search_profile [n]`. A quick look at where keystroke time goes, beside the browser benchmark.

use dangan::domain::search::{Filter, IndexEntry, SearchIndex};
use dangan::testdata;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let t = Instant::now();
    let ix = SearchIndex::from_entries(
        (0..n).map(|i| IndexEntry::from_profile(&testdata::profile(2026, i, 1_795_000_000_000))),
    );
    println!("built {n} entries in {:?}", t.elapsed());
    let f = Filter::default();
    if let Ok(q) = std::env::var("ONLY") {
        let t = Instant::now();
        for _ in 0..20 {
            std::hint::black_box(ix.search("@@", &f, 200));
            std::hint::black_box(ix.search(&q, &f, 200));
        }
        println!("{q}: {:.2}ms per search", t.elapsed().as_secs_f64() * 1000.0 / 20.0);
        return;
    }
    for seq in ["zhang", "wangfang", "li", "zs", "13800", "8000", "华远", "王", "john"] {
        let chars: Vec<char> = seq.chars().collect();
        let line: Vec<String> = (1..=chars.len())
            .map(|k| {
                let q: String = chars[..k].iter().collect();
                let t = Instant::now();
                let r = ix.search(&q, &f, 200);
                format!("{q}:{}={:.2}ms", r.total, t.elapsed().as_secs_f64() * 1000.0)
            })
            .collect();
        println!("{}", line.join("  "));
    }
    let hay = ix.haystack();
    for q in ["13", "80", "zh", "li"] {
        let t = Instant::now();
        let c = raw_scan(hay, q);
        println!("raw memmem {q}: {c} occurrences in {} bytes, {:.2}ms", hay.len(), t.elapsed().as_secs_f64() * 1000.0);
    }
}

#[allow(dead_code)]
fn raw_scan(hay: &[u8], q: &str) -> usize {
    memchr::memmem::find_iter(hay, q.as_bytes()).count()
}
