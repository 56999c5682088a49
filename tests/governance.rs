//! Governance in headless Chromium: setting up the first super administrator, signing in with a
//! PIN (Web Crypto PBKDF2, 600,000 iterations), lockout, adding staff, and a role raised by
//! editing one device's database refused by another.
#![cfg(target_arch = "wasm32")]

use dangan::app::governance::{self, GovError};
use dangan::domain::governance::authority::Refusal;
use dangan::domain::governance::chain::{verify, EventKind, Integrity, Witness};
use dangan::domain::governance::signed;
use dangan::domain::governance::staff::{Role, Staff};
use dangan::domain::sync::RecordKind;
use dangan::store::Archive;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Archive {
    Archive::delete(name).await.unwrap();
    Archive::open(name).await.unwrap()
}

const T0: i64 = 1_764_000_000_000;

#[wasm_bindgen_test]
async fn the_first_super_administrator_signs_in_and_five_wrong_pins_lock_the_name() {
    let db = fresh("g-setup").await;
    assert!(!governance::roster(&db).await.unwrap().is_set_up());
    assert_eq!(
        governance::setup(&db, "王芳", "前厅", "123456", T0).await.err(),
        Some(GovError::Invalid(dangan::domain::i18n::Msg::ErrPinWeak))
    );
    let (me, code) = governance::setup(&db, "王芳", "前厅", "204816", T0).await.unwrap();
    assert_eq!(code.len(), 29, "24 characters in six groups: {code}");
    assert_eq!(me.staff.role, Role::SuperAdmin);
    assert!(me.secrets.archive.is_some());
    assert_eq!(governance::setup(&db, "李四", "", "204816", T0).await.err(), Some(GovError::AlreadySetUp));

    let roster = governance::roster(&db).await.unwrap();
    assert!(roster.is_set_up() && roster.refused.is_empty(), "{:?}", roster.refused);
    let id = me.staff.id.clone();
    let back = governance::sign_in(&db, &roster, &id, "204816", T0).await.unwrap();
    assert_eq!(back.secrets, me.secrets, "the PIN unwraps the same secrets");
    // The stored credentials hold no PIN and no key in clear.
    let creds = &roster.keys[&id];
    assert!(!serde_json::to_string(creds).unwrap().contains("204816"));
    assert_eq!(creds.pin.iterations, 600_000);

    for left in (1..5).rev() {
        assert_eq!(governance::sign_in(&db, &roster, &id, "111111", T0).await.err(), Some(GovError::WrongPin(left)));
    }
    let locked = governance::sign_in(&db, &roster, &id, "111111", T0).await.err();
    assert_eq!(locked, Some(GovError::Locked(T0 + 5 * 60 * 1000)));
    // Even the right PIN waits out the lock; after it, it works.
    assert!(matches!(governance::sign_in(&db, &roster, &id, "204816", T0 + 1000).await, Err(GovError::Locked(_))));
    assert!(governance::sign_in(&db, &roster, &id, "204816", T0 + 5 * 60 * 1000).await.is_ok());

    // Each step is in the access log, chained.
    let events = db.events().await.unwrap();
    assert_eq!(verify(&events, &Witness::new()), Integrity::Verified(events.len()));
    let count = |k| events.iter().filter(|e| e.entry.kind == Some(k)).count();
    assert_eq!((count(EventKind::SignIn), count(EventKind::PinWrong), count(EventKind::Lockout)), (2, 5, 1));
    db.close();
}

#[wasm_bindgen_test]
async fn staff_sync_to_another_device_and_a_role_raised_on_one_is_refused_there() {
    let a = fresh("g-dev-a").await;
    let (boss, _) = governance::setup(&a, "王芳", "前厅", "204816", T0).await.unwrap();
    let clerk = governance::add_staff(&a, &boss, "李娜", "前厅", Role::User, "580213", T0).await.unwrap();
    // An ordinary user cannot add staff.
    let roster = governance::roster(&a).await.unwrap();
    let me = governance::sign_in(&a, &roster, &clerk.id, "580213", T0).await.unwrap();
    assert!(me.secrets.archive.is_none(), "an ordinary user holds no archive key");
    assert_eq!(me.secrets.search, boss.secrets.search, "but the same search key");
    assert_eq!(
        governance::add_staff(&a, &me, "赵六", "", Role::SuperAdmin, "580214", T0).await.err(),
        Some(GovError::NotEntitled)
    );

    // The clerk raises their own role in device A's database, signing with their own key.
    let raised = Staff { role: Role::SuperAdmin, ..clerk.clone() };
    let (text, msg) = signed::prepare("s", &clerk.id, &raised);
    let sig = dangan::platform::keys::sign(&me.secrets.sign, &msg).await.unwrap();
    let forged = signed::seal(&clerk.id, text, &clerk.id, dangan::domain::sync::b64::encode(&sig));
    a.put_governance(RecordKind::Staff, &forged, "李娜").await.unwrap();
    let here = governance::roster(&a).await.unwrap();
    assert!(!here.staff.contains_key(&clerk.id), "refused on the tablet itself");
    assert!(here.refused.iter().any(|(id, _)| id == &clerk.id));

    // Device B receives everything A sends, the forged record included.
    let b = fresh("g-dev-b").await;
    let sent: Vec<_> = a.outbox(1000).await.unwrap().into_iter().flat_map(|(_, cs)| cs).collect();
    let batch = sent.into_iter().enumerate().map(|(i, c)| (i as u64 + 1, c)).collect();
    b.apply_remote(batch, 0, &|_| true).await.unwrap();
    let there = governance::roster(&b).await.unwrap();
    assert!(there.is_set_up());
    assert_eq!(there.staff[&boss.staff.id].role, Role::SuperAdmin);
    assert!(!there.staff.contains_key(&clerk.id));
    assert!(there.refused.contains(&(clerk.id.clone(), Refusal::UnknownAuthor)), "{:?}", there.refused);
    // The refusal is logged on B, once however often the roster is read.
    for _ in 0..2 {
        governance::log_refusals(&b, &there, T0).await.unwrap();
    }
    let refusals: Vec<_> =
        b.events().await.unwrap().into_iter().filter(|e| e.entry.kind == Some(EventKind::Refused)).collect();
    // Two records fall: the raised staff record, and with it the clerk's credentials (their
    // author no longer stands). Each is logged once, not once per reading.
    assert_eq!(refusals.len(), 2, "{refusals:?}");
    assert!(refusals.iter().all(|e| e.entry.detail.contains(&clerk.id)));
    // The boss signs in on B with the same PIN.
    assert!(governance::sign_in(&b, &there, &boss.staff.id, "204816", T0).await.is_ok());
    a.close();
    b.close();
}

#[wasm_bindgen_test]
async fn the_recovery_code_sets_a_new_pin_for_the_first_super_administrator() {
    let db = fresh("g-recover").await;
    let (me, code) = governance::setup(&db, "王芳", "前厅", "204816", T0).await.unwrap();
    let roster = governance::roster(&db).await.unwrap();
    let wrong = governance::recover(&db, &roster, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "615243", T0).await.err();
    assert_eq!(wrong, Some(GovError::Invalid(dangan::domain::i18n::Msg::ErrRecoveryCode)));
    // Typed in lower case with spaces, as read from paper.
    let typed = code.to_lowercase().replace('-', " ");
    let back = governance::recover(&db, &roster, &typed, "615243", T0).await.unwrap();
    assert_eq!(back.secrets, me.secrets, "the same keys, under the new PIN");
    let roster = governance::roster(&db).await.unwrap();
    assert!(roster.refused.is_empty(), "{:?}", roster.refused);
    assert!(governance::sign_in(&db, &roster, &me.staff.id, "615243", T0).await.is_ok());
    assert_eq!(governance::sign_in(&db, &roster, &me.staff.id, "204816", T0).await.err(), Some(GovError::WrongPin(4)));
    db.close();
}
