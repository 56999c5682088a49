//! The push endpoint against arbitrary JSON and near-valid push requests (proptest, through the
//! router in memory): every answer is 200 or a 4xx with its JSON error code, never a 5xx or a
//! dropped connection, and what a 200 says it stored is what the database holds.
//! `PROPTEST_CASES=5000 cargo test --release -p dangan-server --test push_fuzz` for more cases.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dangan_server::limit::Rate;
use dangan_server::{router, token, Config, Store};
use proptest::prelude::*;
use serde_json::{json, Value};
use tower::ServiceExt;

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(prop_oneof![Just("changes".to_string()), ".{0,12}"], inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A change that is valid, or wrong in one of the ways a client could get it wrong.
fn near_change() -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        6 => (0u64..10_000_000_000_000_000, 0u32..100_000, "[a-z0-9_]{1,32}")
            .prop_map(|(m, c, d)| Value::String(format!("{m:016}-{c:05}-{d}"))),
        1 => ".{0,80}".prop_map(Value::String),
        1 => Just(json!(42)),
        1 => Just(Value::Null),
    ];
    let text = prop_oneof![
        8 => ".{1,140}".prop_map(Value::String),
        1 => Just(json!("")),
        1 => Just(json!([])),
        1 => Just(json!(1.5)),
    ];
    (id, text.clone(), text).prop_map(|(id, record, payload)| json!({"id": id, "record": record, "payload": payload}))
}

/// A change the endpoint stores.
fn valid_change() -> impl Strategy<Value = Value> {
    (0u64..10_000_000_000_000_000, 0u32..100_000, "[a-z0-9_]{1,32}", ".{1,140}", ".{1,140}").prop_map(
        |(m, c, d, record, payload)| json!({"id": format!("{m:016}-{c:05}-{d}"), "record": record, "payload": payload}),
    )
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Pushes that are stored, so the properties reach the storing path in most cases (a
        // near-valid push is all valid only about one time in twenty).
        prop::collection::vec(valid_change(), 1..8).prop_map(|c| serde_json::to_vec(&json!({"changes": c})).unwrap()),
        arbitrary_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        prop::collection::vec(near_change(), 0..12).prop_map(|c| serde_json::to_vec(&json!({"changes": c})).unwrap()),
        prop::collection::vec(any::<u8>(), 0..512),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn any_push_body_gets_a_clear_answer_and_stores_what_it_says(bodies in prop::collection::vec(body(), 1..6)) {
        STORED_SOMETHING.fetch_add(0, std::sync::atomic::Ordering::SeqCst);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let stored = rt.block_on(async {
            let dir = std::env::temp_dir().join(format!("dangan-push-fuzz-{}", &token::generate()[4..16]));
            std::fs::create_dir_all(&dir).unwrap();
            let store = Store::open(dir.join("s.db").to_str().unwrap()).await.unwrap();
            let t = token::generate();
            store.add_token("fuzz", &token::hash(&t), "").await.unwrap();
            let lots = Rate { per_second: 1e6, burst: 1e6 };
            let app = router(store.clone(), Config { ip_rate: lots, token_rate: lots, ..Config::default() });
            let mut stored = 0u64;
            for b in bodies {
                let req = Request::post("/sync/v1/fuzz/push")
                    .header("authorization", format!("Bearer {t}"))
                    .header("content-type", "application/json")
                    .body(Body::from(b))
                    .unwrap();
                let r = app.clone().oneshot(req).await.unwrap();
                let status = r.status();
                let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
                let answer: Value = serde_json::from_slice(&bytes).expect("every answer is JSON");
                if status == StatusCode::OK {
                    stored += answer["stored"].as_u64().unwrap();
                    assert_eq!(answer["cursor"].as_u64().unwrap(), stored);
                } else {
                    assert!(status.is_client_error(), "{status}: {answer}");
                    assert!(answer["error"].is_string() && !answer["message"].as_str().unwrap().is_empty(), "{answer}");
                }
                assert_eq!(store.count("fuzz").await.unwrap(), stored, "a refused push stores nothing");
            }
            let _ = std::fs::remove_dir_all(&dir);
            stored
        });
        if stored > 0 {
            STORED_SOMETHING.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// Cases in which some push was stored: the properties above must reach the storing path too.
static STORED_SOMETHING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[test]
fn valid_pushes_are_among_the_cases() {
    any_push_body_gets_a_clear_answer_and_stores_what_it_says();
    assert!(STORED_SOMETHING.load(std::sync::atomic::Ordering::SeqCst) > 10);
}
