//! Benchmark entry (browser only): step functions the benchmark driver calls through
//! `window.wasmBindings`. See `scripts/bench.sh`.

#[cfg(target_arch = "wasm32")]
mod bench {
    use dangan::domain::governance::sealed::{DataKey, Sealer, Tagger};
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

    /// Runs `f` `rounds` times (at least once): the median and the longest, in ms.
    fn median_and_longest(rounds: u32, f: &mut dyn FnMut() -> usize) -> (f64, f64) {
        let mut ms: Vec<f64> = (0..rounds.max(1))
            .map(|_| {
                let t = now();
                std::hint::black_box(f());
                now() - t
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        (ms[ms.len() / 2], ms[ms.len() - 1])
    }

    fn err(e: impl std::fmt::Display) -> JsValue {
        JsValue::from_str(&e.to_string())
    }

    /// Generates `n` profiles and writes them to a fresh database in batches through the
    /// storage API; the last batch writes the start-up snapshot. History items are written
    /// afterwards and timed separately. Returns JSON timings.
    /// `sealed`: ID numbers and bank accounts sealed as a signed-in device stores them (the
    /// shape of every archive since issue 15); otherwise in clear (the shape before).
    #[wasm_bindgen]
    pub async fn bench_insert(n: u32, batch: u32, sealed: bool) -> Result<String, JsValue> {
        seed(DB, n, batch, sealed).await
    }

    /// Fills database `name` (the app's own, in large-archive tests) with `n` generated profiles.
    #[wasm_bindgen]
    /// `sealed`: ID numbers sealed under a stand-in key (the app keeps them masked and has none
    /// to seal at sign-in), as an archive is after the upgrade.
    pub async fn seed_archive(name: String, n: u32, sealed: bool) -> Result<String, JsValue> {
        seed(&name, n, n, sealed).await
    }

    /// A sealer with fixed keys, standing in for a signed-in session's.
    fn bench_sealer() -> Sealer {
        Sealer { data: DataKey::new("bench", &[7; 32]).expect("a 32-byte key"), tags: Tagger::new(b"bench search key") }
    }

    async fn seed(name: &str, n: u32, batch: u32, sealed: bool) -> Result<String, JsValue> {
        Archive::delete(name).await.map_err(err)?;
        let db = Archive::open(name).await.map_err(err)?;
        let t0 = now();
        let mut profiles: Vec<_> = (0..n as usize).map(|i| testdata::profile(SEED, i, NOW)).collect();
        if sealed {
            let s = bench_sealer();
            for p in profiles.iter_mut() {
                s.seal_profile(p);
            }
        }
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

    /// Adds `n` access-log events of three other desks over the last year to database `name`
    /// (most of them profiles of a `profiles`-sized generated archive opened). Returns JSON.
    #[wasm_bindgen]
    pub async fn seed_events(name: String, n: u32, profiles: u32) -> Result<String, JsValue> {
        let t0 = now();
        let events = testdata::events(SEED, n as usize, profiles as usize, 3, NOW);
        let db = Archive::open(&name).await.map_err(err)?;
        for part in events.chunks(20_000) {
            db.put_events(part).await.map_err(err)?;
        }
        db.close();
        Ok(format!(r#"{{"events":{},"ms":{:.1}}}"#, events.len(), now() - t0))
    }

    /// Opening `n` profiles of the benchmark archive as the profile page does (the profile and
    /// its history read), first without and then with the access-log event the page appends
    /// (waited for here; the page does not wait for it). Returns JSON: per-open medians and 95th
    /// percentiles in milliseconds, and the append alone.
    #[wasm_bindgen]
    pub async fn bench_profile_open(n: u32, total: u32) -> Result<String, JsValue> {
        use dangan::domain::governance::chain::{Entry, EventKind};
        let db = Archive::open(DB).await.map_err(err)?;
        let ids: Vec<String> =
            (0..n as usize).map(|k| testdata::profile(SEED, (k * 7919) % total.max(1) as usize, NOW).id).collect();
        let (mut plain, mut logged, mut append) = (Vec::new(), Vec::new(), Vec::new());
        // Round 0 warms the database's caches; round 1 opens, round 2 opens and logs.
        for round in 0..3 {
            for id in &ids {
                let t = now();
                let p = db.get_profile(id).await.map_err(err)?;
                let h = db.history_of(id).await.map_err(err)?;
                std::hint::black_box((p, h));
                if round < 2 {
                    if round == 1 {
                        plain.push(now() - t);
                    }
                    continue;
                }
                let ta = now();
                let entry = Entry {
                    staff: "s-bench".into(),
                    staff_name: "值班经理".into(),
                    kind: Some(EventKind::Open),
                    profile: id.clone(),
                    ..Entry::default()
                };
                db.append_event(NOW, entry).await.map_err(err)?;
                append.push(now() - ta);
                logged.push(now() - t);
            }
        }
        db.close();
        let stat = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
        };
        let ((pm, pp), (lm, lp), (am, ap)) = (stat(&mut plain), stat(&mut logged), stat(&mut append));
        Ok(format!(
            r#"{{"opens":{n},"plain_median_ms":{pm:.2},"plain_p95_ms":{pp:.2},"logged_median_ms":{lm:.2},"logged_p95_ms":{lp:.2},"append_median_ms":{am:.2},"append_p95_ms":{ap:.2}}}"#
        ))
    }

    /// Where the log screen's time goes, step by step, in database `name`. Returns JSON.
    #[wasm_bindgen]
    pub async fn bench_log_parts(name: String) -> Result<String, JsValue> {
        use dangan::domain::governance::{chain, report};
        let db = Archive::open(&name).await.map_err(err)?;
        let tn = now();
        let newest = db.newest_events(200).await.map_err(err)?.len();
        let newest_ms = now() - tn;
        let ts = now();
        let mut sliced = 0;
        let mut after: Option<String> = None;
        loop {
            let part = db.events_after(after.as_deref(), 10_000).await.map_err(err)?;
            let Some(last) = part.last() else { break };
            after = Some(last.record_id());
            sliced += part.len();
        }
        let slices_ms = now() - ts;
        let t0 = now();
        let events = db.events().await.map_err(err)?;
        let t1 = now();
        let witness = db.witness().await.map_err(err)?;
        let integrity = chain::verify(&events, &witness);
        let t2 = now();
        let f = report::Filter::default();
        let mut kept: Vec<usize> = (0..events.len()).filter(|&i| f.keeps(&events[i])).collect();
        kept.sort_by_key(|&i| std::cmp::Reverse((events[i].at, events[i].seq)));
        let t3 = now();
        let days = report::by_period(kept.iter().map(|&i| &events[i]), report::Period::Day, 480);
        let staff = report::by_staff(kept.iter().map(|&i| &events[i]));
        let t4 = now();
        db.close();
        std::hint::black_box((days.len(), staff.len(), integrity));
        Ok(format!(
            r#"{{"events":{},"newest":{newest},"newest_ms":{newest_ms:.1},"sliced":{sliced},"slices_ms":{slices_ms:.1},"read_ms":{:.1},"verify_ms":{:.1},"filter_sort_ms":{:.1},"stats_ms":{:.1}}}"#,
            events.len(),
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t4 - t3
        ))
    }

    /// The manager's views on database `name` as the overview screens compute them: the facts
    /// read a slice at a time (with the longest slice of work between two paints), then each
    /// screen's computation `rounds` times (median and longest): the dashboard for a year (its
    /// figures beside the year before, the revenue trend by month, the customers behind
    /// revenue), ABC with three weighted indicators, the four reminder lists, archive quality.
    /// Returns JSON.
    #[wasm_bindgen]
    pub async fn bench_overview(name: String, rounds: u32) -> Result<String, JsValue> {
        use dangan::domain::model::{AbcIndicator, CustomerClass};
        use dangan::domain::overview::{abc, dashboard, period, quality, reminders};
        let db = Archive::open(&name).await.map_err(err)?;
        let today = dangan::domain::date::Date::from_millis(NOW);
        let local = dangan::app::overview::local_day(480);
        let longest = std::cell::Cell::new(0f64);
        let t0 = now();
        let facts =
            dangan::app::overview::read_facts(&db, today, &local, |_, _, ms| longest.set(longest.get().max(ms)))
                .await
                .map_err(err)?;
        let read_ms = now() - t0;
        db.close();
        let year = period::Period::of(period::Preset::ThisYear, today);
        let required = quality::Required::default();
        let time = |f: &mut dyn FnMut() -> usize| median_and_longest(rounds, f);
        let q0 = quality::Quality::of(&facts, &required, today);
        let nv = dashboard::NowValues::of(&facts, &q0);
        let dash = time(&mut || {
            let rows = dashboard::figures(&facts, year, NOW, &nv);
            let tr = dashboard::trend(&facts, dashboard::Figure::Revenue, &year.trend_months(), NOW, &nv);
            let who = dashboard::behind(&facts, dashboard::Figure::Revenue, year, NOW, &q0);
            rows.len() + tr.len() + who.len()
        });
        let spec = abc::Spec {
            weights: vec![(AbcIndicator::Revenue, 50), (AbcIndicator::Stays, 30), (AbcIndicator::Covers, 20)],
            period: year,
            cut_a: 70,
            cut_b: 20,
        };
        let abc_t = time(&mut || abc::analyse(&facts, &spec).map(|a| a.rows.len()).unwrap_or(0));
        let rem = time(&mut || {
            reminders::special_days(&facts, today, 30).len()
                + reminders::visits_due(&facts, today, 30).len()
                + reminders::not_visited(&facts, today, 90, &[CustomerClass::Important, CustomerClass::Main]).len()
                + reminders::overdue_complaints(&facts, NOW).len()
        });
        let qual = time(&mut || {
            let q = quality::Quality::of(&facts, &required, today);
            q.by_class(&facts).len() + q.by_creator(&facts).len() + q.fix_first(&facts, 50).len()
        });
        Ok(format!(
            r#"{{"customers":{},"events":{},"read_ms":{read_ms:.0},"longest_slice_ms":{:.1},"dashboard_year_ms":{:.1},"dashboard_year_max_ms":{:.1},"abc_3_ms":{:.1},"abc_3_max_ms":{:.1},"reminders_ms":{:.1},"reminders_max_ms":{:.1},"quality_ms":{:.1},"quality_max_ms":{:.1}}}"#,
            facts.live_count(),
            facts.events.len(),
            longest.get(),
            dash.0,
            dash.1,
            abc_t.0,
            abc_t.1,
            rem.0,
            rem.1,
            qual.0,
            qual.1
        ))
    }

    /// Adds about `mean` ledger entries to each of the `n` generated customers of database `name`
    /// (as `seed_archive` made them), in bulk writes of 10,000 customers'. Returns JSON with the
    /// first customer's id.
    #[wasm_bindgen]
    pub async fn seed_ledger(name: String, n: u32, mean: u32) -> Result<String, JsValue> {
        let db = Archive::open(&name).await.map_err(err)?;
        let t0 = now();
        let mut entries = 0usize;
        let mut first = String::new();
        for start in (0..n as usize).step_by(10_000) {
            let batch: Vec<_> = (start..(start + 10_000).min(n as usize))
                .flat_map(|i| {
                    let p = testdata::profile(SEED, i, NOW);
                    testdata::ledger(&p, SEED, mean as usize, NOW)
                })
                .collect();
            if first.is_empty() {
                first = batch.first().map(|e| e.profile_id.clone()).unwrap_or_default();
            }
            entries += batch.len();
            db.put_entries(&batch).await.map_err(err)?;
        }
        db.close();
        Ok(format!(r#"{{"entries":{entries},"ms":{:.0},"first":"{first}"}}"#, now() - t0))
    }

    /// The receivables' figures on database `name`: reading every profile and entry into the
    /// accounts (longest slice of work), the archive-wide aging as of a date and the list of who
    /// owes (median and longest of `rounds`), one customer's ledger and aging read and computed
    /// (50 customers: median and 95th percentile), and recording an entry (storage). JSON.
    #[wasm_bindgen]
    pub async fn bench_ledger(name: String, customers: u32, rounds: u32) -> Result<String, JsValue> {
        use dangan::domain::ledger::aging::{self, Basis, Buckets};
        use dangan::domain::ledger::{credit, Account};
        let db = Archive::open(&name).await.map_err(err)?;
        let today = dangan::domain::date::Date::from_millis(NOW);
        let longest = std::cell::Cell::new(0f64);
        let t0 = now();
        let (gather, who) =
            dangan::app::receivables::read_parts(&db, &Default::default(), |_, ms| longest.set(longest.get().max(ms)))
                .await
                .map_err(err)?;
        let read_ms = now() - t0;
        let t1 = now();
        let mut f = gather.finishing();
        let mut finish_slice = 0f64;
        loop {
            let t = now();
            let all = f.step(10_000, &|_| false);
            finish_slice = finish_slice.max(now() - t);
            if all {
                break;
            }
        }
        let accounts = f.done();
        let finish_ms = now() - t1;
        let buckets = Buckets::default();
        let time = |f: &mut dyn FnMut() -> usize| median_and_longest(rounds, f);
        let mut open = 0;
        let aging_t = time(&mut || {
            let r = accounts.aging(today, Basis::Due, &buckets);
            open = r.rows.len();
            r.rows.len()
        });
        let owing_t = time(&mut || accounts.owing(today, &|_| None).len());
        // One customer at a time, as the account screen reads it.
        let mut one: Vec<f64> = Vec::new();
        let mut entries_seen = 0;
        for k in 0..50u32 {
            let i = (k as usize * 7919) % customers.max(1) as usize;
            let id = testdata::profile(SEED, i, NOW).id;
            let t = now();
            let es = db.ledger_of(&id).await.map_err(err)?;
            let a = Account::of(&es, &|_| false);
            let row = aging::row(&a, today, Basis::Due, &buckets);
            let items = aging::items(&a, today, Basis::Due, &buckets);
            let w = credit::standing(&a, today, credit::Limit { amount_fen: Some(1_000_000), days: Some(60) });
            std::hint::black_box((row, items, w));
            one.push(now() - t);
            entries_seen += es.len();
        }
        one.sort_by(f64::total_cmp);
        let mut rec: Vec<f64> = Vec::new();
        let id = testdata::profile(SEED, 0, NOW).id;
        for k in 0..20 {
            let e = dangan::domain::ledger::Entry {
                id: format!("bench-r{k}"),
                profile_id: id.clone(),
                date: today,
                body: dangan::domain::ledger::Body::Receipt {
                    amount_fen: 100,
                    method: dangan::domain::ledger::PayMethod::Cash,
                    doc: String::new(),
                    pays: Vec::new(),
                },
                note: String::new(),
                meta: dangan::domain::model::Meta::new(NOW, "bench"),
            };
            let t = now();
            db.put_entry(&e).await.map_err(err)?;
            rec.push(now() - t);
        }
        rec.sort_by(f64::total_cmp);
        db.close();
        Ok(format!(
            r#"{{"customers":{},"with_entries":{},"entries":{},"open_accounts":{open},"read_ms":{read_ms:.0},"longest_slice_ms":{:.1},"accounts_ms":{finish_ms:.0},"accounts_slice_ms":{finish_slice:.1},"aging_ms":{:.1},"aging_max_ms":{:.1},"owing_ms":{:.1},"owing_max_ms":{:.1},"customer_ms":{:.1},"customer_p95_ms":{:.1},"customer_mean_entries":{:.1},"record_ms":{:.1},"record_max_ms":{:.1}}}"#,
            who.len(),
            accounts.customers.len(),
            accounts.entries,
            longest.get(),
            aging_t.0,
            aging_t.1,
            owing_t.0,
            owing_t.1,
            one[one.len() / 2],
            one[one.len() * 95 / 100],
            entries_seen as f64 / 50.0,
            rec[rec.len() / 2],
            rec[rec.len() - 1]
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

fn main() {
    // The benchmark page carries the pinyin table in its own code (the app fetches it after its
    // first paint: domain/pinyin.rs); its figures then start with the table there, as the app's
    // writes do.
    dangan::domain::pinyin::install(include_bytes!("../../public/pinyin.bin"));
}
