//! Benchmark entry (browser only): step functions the benchmark driver calls through
//! `window.wasmBindings`. See `scripts/bench.sh`.

#[cfg(target_arch = "wasm32")]
mod bench {
    use dangan::domain::search::{Filter, IndexEntry, SearchIndex, Sort};
    use dangan::store::Archive;
    use dangan::testdata;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;

    const DB: &str = "dangan-bench";
    const SEED: u64 = 2026;
    const NOW: i64 = 1_795_000_000_000;

    thread_local! {
        static INDEX: RefCell<Option<SearchIndex>> = const { RefCell::new(None) };
    }

    fn now() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }

    fn err(e: impl std::fmt::Display) -> JsValue {
        JsValue::from_str(&e.to_string())
    }

    /// Generates `n` profiles and writes them to a fresh database in batches through the
    /// storage API; the last batch writes the start-up snapshot. History items are written
    /// afterwards and timed separately. Returns JSON timings.
    #[wasm_bindgen]
    pub async fn bench_insert(n: u32, batch: u32) -> Result<String, JsValue> {
        seed(DB, n, batch).await
    }

    /// Fills database `name` (the app's own, in large-archive tests) with `n` generated profiles.
    #[wasm_bindgen]
    pub async fn seed_archive(name: String, n: u32) -> Result<String, JsValue> {
        seed(&name, n, n).await
    }

    async fn seed(name: &str, n: u32, batch: u32) -> Result<String, JsValue> {
        Archive::delete(name).await.map_err(err)?;
        let db = Archive::open(name).await.map_err(err)?;
        let t0 = now();
        let mut profiles: Vec<_> = (0..n as usize).map(|i| testdata::profile(SEED, i, NOW)).collect();
        let gen_ms = now() - t0;
        let mut index = SearchIndex::default();
        let t1 = now();
        let batches = profiles.len().div_ceil(batch.max(1) as usize);
        for (k, chunk) in profiles.chunks_mut(batch.max(1) as usize).enumerate() {
            db.put_profiles(chunk, &mut index, k + 1 == batches).await.map_err(err)?;
        }
        let insert_ms = now() - t1;
        let t2 = now();
        for chunk in profiles.chunks(batch.max(1) as usize) {
            let items: Vec<_> = chunk.iter().flat_map(|p| testdata::history(p, SEED, 3)).collect();
            db.put_history_many(&items).await.map_err(err)?;
        }
        let history_ms = now() - t2;
        db.close();
        Ok(format!(
            r#"{{"n":{n},"generate_ms":{gen_ms:.1},"insert_ms":{insert_ms:.1},"history_items":{},"history_ms":{history_ms:.1}}}"#,
            n * 3
        ))
    }

    /// Where insert time goes: building index entries, encoding records (no storage).
    #[wasm_bindgen]
    pub fn bench_insert_parts(n: u32) -> Result<String, JsValue> {
        let profiles: Vec<_> = (0..n as usize).map(|i| testdata::profile(SEED, i, NOW)).collect();
        let t0 = now();
        let mut index = SearchIndex::default();
        for p in &profiles {
            index.upsert(IndexEntry::from_profile(p));
        }
        let t1 = now();
        let mut keep = Vec::with_capacity(profiles.len());
        for p in &profiles {
            keep.push(dangan::store::profile_to_js(p).map_err(err)?);
        }
        let t2 = now();
        let snap = dangan::domain::snapshot::encode(index.sections());
        let t3 = now();
        std::hint::black_box((keep.len(), snap.len()));
        Ok(format!(
            r#"{{"index_ms":{:.1},"encode_ms":{:.1},"snapshot_ms":{:.1},"snapshot_bytes":{}}}"#,
            t1 - t0,
            t2 - t1,
            t3 - t2,
            snap.len()
        ))
    }

    /// The same generated profiles as JSON, for the plain-JavaScript baselines.
    #[wasm_bindgen]
    pub fn bench_profiles_json(n: u32) -> String {
        let v: Vec<_> = (0..n as usize).map(|i| testdata::profile(SEED, i, NOW)).collect();
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// The texts the JS fuzzy-search baseline searches: the same fields our index holds.
    #[wasm_bindgen]
    pub fn bench_haystack(n: u32) -> Vec<String> {
        (0..n as usize)
            .map(|i| {
                let e = IndexEntry::from_profile(&testdata::profile(SEED, i, NOW));
                [e.name, e.short_name, e.pinyin, e.initials, e.code, e.phones.join(" "), e.id_no, e.company].join(" ")
            })
            .collect()
    }

    /// What the app does at start: open the database, load the index, list every profile.
    /// Returns JSON timings; the index stays loaded for [`bench_search`].
    #[wasm_bindgen]
    pub async fn bench_cold_start() -> Result<String, JsValue> {
        let t0 = now();
        let db = Archive::open(DB).await.map_err(err)?;
        let t1 = now();
        let (index, stats) = db.load_index().await.map_err(err)?;
        let t2 = now();
        let rows = index.list(&Filter::default(), Sort::Updated);
        let t3 = now();
        db.close();
        let n = index.len();
        INDEX.with(|i| *i.borrow_mut() = Some(index));
        Ok(format!(
            r#"{{"profiles":{n},"rows":{},"from_snapshot":{},"open_ms":{:.1},"load_index_ms":{:.1},"chunk_map_ms":{:.1},"read_ms":{:.1},"build_ms":{:.1},"list_ms":{:.1},"total_ms":{:.1},"since_navigation_ms":{t3:.1}}}"#,
            rows.len(),
            stats.from_snapshot,
            t1 - t0,
            t2 - t1,
            stats.chunk_map_ms,
            stats.read_ms,
            stats.build_ms,
            t3 - t2,
            t3 - t0
        ))
    }

    /// Builds the search's candidate lists as the desk does after start-up (in slices of
    /// 10,000 entries). Returns JSON: whether the archive wants them, the milliseconds of the
    /// whole build and of its longest slice, and the bytes they hold.
    #[wasm_bindgen]
    pub fn bench_build_lists() -> String {
        INDEX.with(|i| {
            let mut guard = i.borrow_mut();
            let Some(ix) = guard.as_mut() else { return "{}".into() };
            let wanted = ix.wants_grams();
            let (t0, mut longest) = (now(), 0f64);
            if wanted {
                loop {
                    let t = now();
                    let done = ix.build_grams_step(10_000);
                    longest = longest.max(now() - t);
                    if done {
                        break;
                    }
                }
            }
            format!(
                r#"{{"wanted":{wanted},"ms":{:.1},"longest_slice_ms":{longest:.1},"bytes":{}}}"#,
                now() - t0,
                ix.grams_size().unwrap_or(0)
            )
        })
    }

    /// Types each sequence one keystroke at a time, as the search box does: search, then read
    /// the rows a screen shows. Returns the milliseconds of every keystroke.
    #[wasm_bindgen]
    pub fn bench_search(sequences: Vec<String>) -> Vec<f64> {
        INDEX.with(|i| {
            let guard = i.borrow();
            let Some(ix) = guard.as_ref() else {
                return Vec::new();
            };
            let f = Filter::default();
            let mut out = Vec::new();
            for seq in &sequences {
                let chars: Vec<char> = seq.chars().collect();
                for k in 1..=chars.len() {
                    let q: String = chars[..k].iter().collect();
                    let t = now();
                    let r = ix.search(&q, &f, 200);
                    let shown: Vec<String> =
                        r.hits.iter().take(15).map(|&p| ix.entry(p).display_name().to_string()).collect();
                    std::hint::black_box((r.total, shown));
                    out.push(now() - t);
                }
            }
            out
        })
    }

    /// Bytes of wasm linear memory.
    #[wasm_bindgen]
    pub fn wasm_memory_bytes() -> f64 {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length() as f64
    }
}

fn main() {}
