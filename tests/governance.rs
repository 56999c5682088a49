//! Governance in headless Chromium: setting up the first super administrator, signing in with a
//! PIN (Web Crypto PBKDF2, 600,000 iterations), lockout, adding staff, and a role raised by
//! editing one device's database refused by another.
#![cfg(target_arch = "wasm32")]

use dangan::app::governance::{self, GovError};
use dangan::domain::governance::authority::Refusal;
use dangan::domain::governance::chain::{verify, EventKind, Integrity, Witness};
use dangan::domain::governance::signed;
use dangan::domain::governance::staff::{Role, Staff};
use dangan::domain::i18n::Locale;
use dangan::domain::sync::RecordKind;
use dangan::store::Archive;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Archive {
    Archive::delete(name).await.unwrap();
    Archive::open(name).await.unwrap()
}

const T0: i64 = 1_764_000_000_000;

/// A request to see a profile's ID number.
fn reveal_id(profile: &str) -> dangan::domain::governance::grant::Scope {
    dangan::domain::governance::grant::Scope::Reveal {
        profile: profile.to_string(),
        fields: vec![dangan::domain::fields::Field::IdDocNumber.path().to_string()],
    }
}

#[wasm_bindgen_test]
async fn an_archive_set_up_in_english_names_its_departments_in_english() {
    let db = fresh("g-setup-en").await;
    governance::setup(&db, "Jane Smith", "Front desk", "204816", T0, Locale::En).await.unwrap();
    let roster = governance::roster(&db).await.unwrap();
    assert!(roster.refused.is_empty(), "{:?}", roster.refused);
    assert_eq!(roster.policy.departments, ["Front desk", "Sales", "Finance", "Housekeeping", "Food and beverage"]);
    assert_eq!(roster.staff.values().next().unwrap().department, "Front desk");
}

#[wasm_bindgen_test]
async fn the_first_super_administrator_signs_in_and_five_wrong_pins_lock_the_name() {
    let db = fresh("g-setup").await;
    assert!(!governance::roster(&db).await.unwrap().is_set_up());
    assert_eq!(
        governance::setup(&db, "王芳", "前厅", "123456", T0, Locale::Zh).await.err(),
        Some(GovError::Invalid(dangan::domain::i18n::Msg::ErrPinWeak))
    );
    let (me, code) = governance::setup(&db, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
    assert_eq!(code.len(), 29, "24 characters in six groups: {code}");
    assert_eq!(me.staff.role, Role::SuperAdmin);
    assert!(me.secrets.archive.is_some());
    assert_eq!(governance::setup(&db, "李四", "", "204816", T0, Locale::Zh).await.err(), Some(GovError::AlreadySetUp));

    let roster = governance::roster(&db).await.unwrap();
    assert!(roster.is_set_up() && roster.refused.is_empty(), "{:?}", roster.refused);
    assert_eq!(roster.policy.departments, ["前厅", "销售", "财务", "客房", "餐饮"], "signed with the setup");
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
    let (boss, _) = governance::setup(&a, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
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
    b.apply_remote(batch, 0, &|_| true, &|_| false).await.unwrap();
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
    let (me, code) = governance::setup(&db, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
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

/// Every stored value that holds one of `needles` in clear, with its store.
async fn in_clear(db: &Archive, needles: &[&str]) -> Vec<String> {
    let raw = db.raw_text().await.unwrap();
    assert!(raw.len() > 8, "the dump reads the stores ({} values)", raw.len());
    raw.into_iter()
        .filter(|(_, text)| needles.iter().any(|n| text.contains(n)))
        .map(|(store, text)| format!("{store}: {}", text.chars().take(120).collect::<String>()))
        .collect()
}

#[wasm_bindgen_test]
async fn an_archive_set_up_empty_has_nothing_to_seal_at_the_first_sign_in() {
    use dangan::app::archive::Services;
    use dangan::app::session::Session;
    let _ = any_spawner::Executor::init_wasm_bindgen();
    Archive::delete("g-empty").await.unwrap();
    let svc = Services::new(Session::restore());
    svc.open_named("g-empty").await;
    let db = svc.archive().unwrap();
    assert!(svc.needs_sealing().await.unwrap(), "not known before the setup");
    let (boss, _) = governance::setup(&db, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
    svc.session.sign_in(boss);
    assert!(!svc.needs_sealing().await.unwrap());
}

#[wasm_bindgen_test]
async fn after_the_upgrade_and_a_clerk_s_new_guest_no_store_holds_an_id_number_or_account_in_clear() {
    use dangan::app::archive::Services;
    use dangan::app::session::Session;
    use dangan::domain::fields::Field;
    use dangan::domain::governance::sealed::{is_sealed, Sealed};
    use dangan::domain::model::{IdDocType, IdDocument, Profile};
    use dangan::domain::search::Filter;
    let _ = any_spawner::Executor::init_wasm_bindgen();
    Archive::delete("g-seal").await.unwrap();
    let svc = Services::new(Session::restore());
    svc.open_named("g-seal").await;

    // An archive from before sealing: a guest whose ID number was corrected once (its field
    // history holds both), an organisation with a bank account, and 40 imported guests (chunked).
    const FIRST: &str = "110105194912310021"; // a wrong check digit, typed before the rule existed
    const ID: &str = "11010519491231002X";
    const ACCOUNT: &str = "6222020200112233";
    let mut guest = Profile::new(dangan::platform::ids::new_id(), 0, "");
    guest.name = "张三".into();
    guest.id_doc = Some(IdDocument { kind: IdDocType::Other, number: FIRST.into() });
    let guest = svc.save_profile(guest).await.unwrap();
    let mut fixed = guest.clone();
    fixed.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: ID.into() });
    svc.save_profile(fixed).await.unwrap();
    let mut org = Profile::new(dangan::platform::ids::new_id(), 0, "");
    org.kind = dangan::domain::model::CustomerKind::Organisation;
    org.name = "华联超市有限公司".into();
    org.org.account = ACCOUNT.into();
    let org = svc.save_profile(org).await.unwrap();
    let imported: Vec<Profile> = (0..40).map(|i| dangan::testdata::profile(77, i, T0)).collect();
    let imported_ids: Vec<String> =
        imported.iter().filter_map(|p| p.id_doc.as_ref().map(|d| d.number.clone())).collect();
    assert!(imported_ids.len() > 10);
    svc.import(imported, Vec::new(), &|_| {}, &|| false).await.unwrap();
    let db = svc.archive().unwrap();
    let mut needles: Vec<&str> = vec!["1101051949", ACCOUNT];
    needles.extend(imported_ids.iter().map(|n| &n[..14]));
    assert!(!in_clear(&db, &needles).await.is_empty(), "the check finds them before the upgrade");

    // The upgrade: governance set up, an ordinary user signs in; the archive is sealed.
    let (boss, _) = governance::setup(&db, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
    let clerk = governance::add_staff(&db, &boss, "李娜", "前厅", Role::User, "580213", T0).await.unwrap();
    let roster = governance::roster(&db).await.unwrap();
    let me = governance::sign_in(&db, &roster, &clerk.id, "580213", T0).await.unwrap();
    svc.session.sign_in(me);
    assert!(svc.needs_sealing().await.unwrap());
    assert!(svc.seal_archive().await.unwrap() >= 3);
    assert!(!svc.needs_sealing().await.unwrap());

    // The clerk creates a guest with an ID number.
    let new_id = imported_ids[0].clone();
    let mut walk_in = Profile::new(dangan::platform::ids::new_id(), 0, "");
    walk_in.name = "赵敏".into();
    walk_in.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: new_id.clone() });
    // The duplicate warning still finds the imported guest holding the same number, sealed.
    let dupes = svc.duplicates(&walk_in);
    assert_eq!(dupes.len(), 1, "{dupes:?}");
    let walk_in = svc.save_profile(walk_in).await.unwrap();
    assert!(is_sealed(&walk_in.id_doc.as_ref().unwrap().number));

    let found = in_clear(&db, &needles).await;
    assert!(found.is_empty(), "in clear after sealing: {found:#?}");

    // The desk still finds guests by the whole number and by its last four.
    let q = svc.tag_query(ID).expect("a whole number is looked up by its tag");
    let hits = svc.with_index_untracked(|ix| ix.search(&q, &Filter::default(), 10).hits);
    assert_eq!(hits.len(), 1);
    assert_eq!(svc.with_index_untracked(|ix| ix.entry(hits[0]).id.clone()), guest.id);
    let by_tail = svc.with_index_untracked(|ix| ix.search("002X", &Filter::default(), 10).total);
    assert_eq!(by_tail, 1);

    // The clerk holds no key that opens it; an administrator does, with a reason, logged.
    let stored = svc.profile(&guest.id).await.unwrap().unwrap().id_doc.unwrap().number;
    assert_eq!(Sealed::parse(&stored).unwrap().masked(), "**************002X");
    assert_eq!(svc.reveal(&guest.id, Field::IdDocNumber, &stored, "核对身份").await.err(), Some(GovError::NotEntitled));
    let boss_in = governance::sign_in(&db, &roster, &boss.staff.id, "204816", T0).await.unwrap();
    svc.session.sign_in(boss_in);
    assert!(matches!(svc.reveal(&guest.id, Field::IdDocNumber, &stored, "").await, Err(GovError::Invalid(_))));
    assert_eq!(svc.reveal(&guest.id, Field::IdDocNumber, &stored, "核对身份").await.unwrap(), ID);
    let acct = svc.profile(&org.id).await.unwrap().unwrap().org.account;
    assert_eq!(svc.reveal(&org.id, Field::OrgAccount, &acct, "核对账户").await.unwrap(), ACCOUNT);
    // Sealed for one profile, it does not open as another's.
    assert!(svc.reveal(&org.id, Field::IdDocNumber, &stored, "核对身份").await.is_err());
    let reveals: Vec<_> =
        db.events().await.unwrap().into_iter().filter(|e| e.entry.kind == Some(EventKind::Reveal)).collect();
    assert_eq!(reveals.len(), 2);
    assert_eq!((reveals[0].entry.reason.as_str(), reveals[0].entry.profile.as_str()), ("核对身份", guest.id.as_str()));

    // A change from a device not yet sealing (or from before the upgrade, pulled from the
    // endpoint) arrives in clear: sealed before it is stored.
    const PULLED: &str = "440305198506123021";
    let pulled = |db_id: &str| {
        let mut old = dangan::domain::sync::Replica::new("olddevice");
        let mut p = Profile::new(db_id.to_string(), 0, "t");
        p.name = "钱七".into();
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: PULLED.into() });
        let key = dangan::domain::sync::RecordKey::profile(db_id);
        old.save(&key, &serde_json::to_value(&p).unwrap(), "t", T0 as u64).unwrap()
    };
    svc.apply_remote(vec![(1, pulled("pulled-1"))], 0, false).await.unwrap();
    assert_eq!(in_clear(&db, &["4403051985"]).await, Vec::<String>::new());
    let q = svc.tag_query(PULLED).unwrap();
    assert_eq!(svc.with_index_untracked(|ix| ix.search(&q, &Filter::default(), 10).total), 1);

    // A new device pulling before anyone signed in there stores it as it comes, notes it, and
    // seals it at the first sign-in.
    Archive::delete("g-seal-b").await.unwrap();
    let b = Services::new(Session::restore());
    b.open_named("g-seal-b").await;
    let bdb = b.archive().unwrap();
    // Its governance arrives first (copied here from device A's records).
    let records = db.backup_records().await.unwrap();
    let gov: Vec<_> = records.into_iter().filter(|r| r.key.kind.is_governance()).collect();
    b.restore(&gov).await.unwrap();
    b.apply_remote(vec![(1, pulled("pulled-2"))], 0, false).await.unwrap();
    assert!(b.needs_sealing().await.unwrap());
    assert!(!in_clear(&bdb, &["4403051985"]).await.is_empty(), "in clear until someone signs in");
    let roster_b = governance::roster(&bdb).await.unwrap();
    b.session.sign_in(governance::sign_in(&bdb, &roster_b, &clerk.id, "580213", T0).await.unwrap());
    b.seal_archive().await.unwrap();
    assert_eq!(in_clear(&bdb, &["4403051985"]).await, Vec::<String>::new());
    assert!(!b.needs_sealing().await.unwrap());
}

#[wasm_bindgen_test]
async fn a_request_made_on_one_device_is_approved_on_another_and_the_value_opens_only_for_the_requester() {
    use dangan::app::archive::Services;
    use dangan::app::session::Session;
    use dangan::domain::fields::Field;
    use dangan::domain::governance::grant::State;
    use dangan::domain::model::{IdDocType, IdDocument, Profile};
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let device = |name: &'static str| async move {
        Archive::delete(name).await.unwrap();
        let svc = Services::new(Session::restore());
        svc.open_named(name).await;
        svc
    };
    // Sync, as far as these records go: every record of one device merged into the other.
    let sync = |from: Services, to: Services| async move {
        let records = from.backup_records().await.unwrap();
        to.restore(&records).await.unwrap();
    };
    let a = device("g-req-a").await;
    let b = device("g-req-b").await;
    let adb = a.archive().unwrap();
    let (boss, _) = governance::setup(&adb, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
    let clerk = governance::add_staff(&adb, &boss, "李娜", "前厅", Role::User, "580213", T0).await.unwrap();
    let roster = governance::roster(&adb).await.unwrap();
    a.session.sign_in(governance::sign_in(&adb, &roster, &clerk.id, "580213", T0).await.unwrap());
    const ID: &str = "11010519491231002X";
    let mut p = Profile::new(dangan::platform::ids::new_id(), 0, "");
    p.name = "张三".into();
    p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: ID.into() });
    let p = a.save_profile(p).await.unwrap();
    let sealed = p.id_doc.as_ref().unwrap().number.clone();

    // The clerk asks on A; a reason is needed.
    assert!(matches!(a.ask(reveal_id(&p.id), "看看").await, Err(GovError::Invalid(_))));
    a.ask(reveal_id(&p.id), "客人要求核对证件").await.unwrap();
    let mine = a.asked().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].state(js_sys::Date::now() as i64), State::Pending);
    // Signatures are checked once a session; a request edited in IndexedDB afterwards (for
    // another profile, under its old signature) no longer stands.
    let stored = adb.governance(RecordKind::Request).await.unwrap().pop().unwrap();
    let edited = stored.signed.replace(&p.id, "another-profile");
    assert_ne!(edited, stored.signed);
    let edited = signed::Stored { id: stored.id.clone(), signed: edited };
    adb.put_governance(RecordKind::Request, &edited, "李娜").await.unwrap();
    assert!(a.asked().await.unwrap().is_empty(), "an edited request is refused");
    adb.put_governance(RecordKind::Request, &stored, "李娜").await.unwrap();
    let mine = a.asked().await.unwrap();
    assert_eq!(mine.len(), 1);
    // The clerk cannot decide their own request.
    assert_eq!(a.decide(&mine[0].request, true, "").await.err(), Some(GovError::NotEntitled));

    // B receives it; its administrator approves.
    sync(a, b).await;
    let bdb = b.archive().unwrap();
    let roster_b = governance::roster(&bdb).await.unwrap();
    b.session.sign_in(governance::sign_in(&bdb, &roster_b, &boss.staff.id, "204816", T0).await.unwrap());
    let waiting = b.asked().await.unwrap();
    assert_eq!(waiting.len(), 1, "the request arrived on B");
    b.decide(&waiting[0].request, true, "").await.unwrap();
    let decided = b.asked().await.unwrap();
    let d = decided[0].decision.clone().unwrap();
    assert!(d.approved && d.until > js_sys::Date::now() as i64 + 23 * 3_600_000);
    // The approval carries no number in clear.
    let text = serde_json::to_string(&d).unwrap();
    assert!(!text.contains("1101051949"), "{text}");

    // Back on A, the clerk opens the granted value with their own key; nobody else can.
    sync(b, a).await;
    let now = js_sys::Date::now() as i64;
    let mine = a.asked().await.unwrap();
    assert!(matches!(mine[0].state(now), State::Active { .. }));
    let d = mine[0].decision.clone().unwrap();
    assert_eq!(a.open_granted(&d, "id_doc.number").await.unwrap(), ID);
    assert_eq!(mine[0].state(now + 25 * 3_600_000), State::Expired, "a day later it shows nothing");
    assert!(b.open_granted(&d, "id_doc.number").await.is_err(), "sealed to the requester alone");
    // The clerk's own reveal is still refused: only the grant opens it.
    assert_eq!(a.reveal(&p.id, Field::IdDocNumber, &sealed, "核对身份").await.err(), Some(GovError::NotEntitled));

    // Each step is in the logs: the request on A, the approval on B.
    let kinds = |events: Vec<dangan::domain::governance::chain::Event>| {
        events.into_iter().filter_map(|e| e.entry.kind).collect::<Vec<_>>()
    };
    assert!(kinds(adb.events().await.unwrap()).contains(&EventKind::Request));
    assert!(kinds(bdb.events().await.unwrap()).contains(&EventKind::Approve));
}

#[wasm_bindgen_test]
async fn a_long_log_is_read_newest_first_then_whole_in_slices() {
    let db = fresh("g-log-read").await;
    // Three desks' chains of 30 events each; the first two arrive before the log's heads exist.
    let all = dangan::testdata::events(3, 90, 10, 3, T0);
    db.put_events(&all[..60]).await.unwrap();
    let ids = |v: &[dangan::domain::governance::chain::Event]| {
        let mut ids: Vec<String> = v.iter().map(|e| e.record_id()).collect();
        ids.sort();
        ids
    };
    let expect = |devices: usize, n: u64| {
        let mut ids: Vec<String> = all
            .iter()
            .filter(|e| e.seq > 30 - n)
            .map(|e| e.record_id())
            .filter(|id| all[..devices * 30].iter().any(|e| &e.record_id() == id))
            .collect();
        ids.sort();
        ids
    };
    // Built from the keys the first time.
    assert_eq!(ids(&db.newest_events(5).await.unwrap()), expect(2, 5));
    // Then kept by every write: events arriving later, and this device's own.
    db.put_events(&all[60..]).await.unwrap();
    assert_eq!(ids(&db.newest_events(5).await.unwrap()), expect(3, 5));
    let own = db.append_event(T0, dangan::domain::governance::chain::Entry::default()).await.unwrap();
    let newest = db.newest_events(2).await.unwrap();
    assert_eq!(newest.len(), 7);
    assert!(newest.contains(&own));

    // The whole log a slice at a time: every event once, in key order.
    let mut read = Vec::new();
    loop {
        let part = db
            .events_after(read.last().map(|e: &dangan::domain::governance::chain::Event| e.record_id()).as_deref(), 7)
            .await
            .unwrap();
        if part.is_empty() {
            break;
        }
        assert!(part.len() <= 7);
        read.extend(part);
    }
    assert_eq!(read.len(), 91);
    assert_eq!(ids(&read), read.iter().map(|e| e.record_id()).collect::<Vec<_>>());
    let seen = std::cell::Cell::new(0);
    let (events, integrity) = governance::access_log(&db, |n| seen.set(n)).await.unwrap();
    assert_eq!((events.len(), seen.get()), (91, 91));
    assert_eq!(integrity, Integrity::Verified(91));
}

#[wasm_bindgen_test]
async fn an_id_scan_is_sealed_on_the_device_opens_for_an_administrator_or_an_approved_clerk_and_every_view_is_logged() {
    use dangan::app::archive::Services;
    use dangan::app::documents::{Chosen, DocError, Opening};
    use dangan::app::session::Session;
    use dangan::domain::documents::{grant_path, DocKind};
    use dangan::domain::governance::grant::Scope;
    use dangan::domain::governance::sealed::{is_sealed, shown};
    use dangan::domain::model::Profile;
    const PNG: &str =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const ID: &str = "11010519491231002X";
    let _ = any_spawner::Executor::init_wasm_bindgen();
    Archive::delete("g-scan").await.unwrap();
    let a = Services::new(Session::restore());
    a.open_named("g-scan").await;
    let db = a.archive().unwrap();
    let (boss, _) = governance::setup(&db, "王芳", "前厅", "204816", T0, Locale::Zh).await.unwrap();
    let clerk = governance::add_staff(&db, &boss, "李娜", "前厅", Role::User, "580213", T0).await.unwrap();
    let roster = governance::roster(&db).await.unwrap();
    a.session.sign_in(governance::sign_in(&db, &roster, &clerk.id, "580213", T0).await.unwrap());
    let mut p = Profile::new(dangan::platform::ids::new_id(), 0, "");
    p.name = "张三".into();
    let p = a.save_profile(p).await.unwrap();
    let png = dangan::domain::sync::b64::decode(PNG).unwrap();

    // The clerk scans the guest's ID: what is stored is sealed, the picture and the file alike.
    let scan = a.attach_id_scan(&p.id, Chosen { name: "身份证.png".into(), bytes: png.clone() }).await.unwrap();
    assert!(scan.is_sealed() && scan.kind == DocKind::IdCopy);
    let stored = a.file_here(&scan).await.unwrap().expect("kept here");
    assert_ne!(stored, png);
    assert!(!stored.starts_with(b"\x89PNG") && infer::get(&stored).is_none(), "no picture's signature");
    let thumb = dangan::domain::sync::b64::decode(&scan.thumb).unwrap();
    assert!(!thumb.is_empty() && infer::get(&thumb).is_none(), "the thumbnail is sealed too");
    // Its number, typed in clear, is stored sealed and shows masked.
    let mut described = scan.clone();
    described.number = ID.into();
    let saved = a.save_document(described).await.unwrap();
    assert!(is_sealed(&saved.number) && !saved.number.contains("1101051949"));
    assert_eq!(shown(&saved.number), "**************002X");
    // An ID scan stays one; a photo cannot become one afterwards.
    let as_photo = dangan::domain::documents::Document { kind: DocKind::Photo, ..saved.clone() };
    assert!(matches!(a.save_document(as_photo).await, Err(DocError::Invalid(_))));
    let photo = a.attach(&p.id, "", Chosen { name: "门牌.png".into(), bytes: png.clone() }).await.unwrap();
    let became = dangan::domain::documents::Document { kind: DocKind::IdCopy, ..photo };
    assert!(matches!(a.save_document(became).await, Err(DocError::Invalid(_))));

    // The clerk cannot open it by a reason; they ask, and the manager approves at the tablet.
    let saved = a.documents(&p.id).await.unwrap().into_iter().find(|d| d.id == scan.id).unwrap();
    let refused = a.open_id_scan(&saved, Opening::Reason("核对客人身份")).await;
    assert!(matches!(refused, Err(DocError::Gov(GovError::NotEntitled))), "{refused:?}");
    let scope = Scope::Reveal { profile: p.id.clone(), fields: vec![grant_path(&scan.id)] };
    a.ask(scope, "客人要求复印证件").await.unwrap();
    let request = a.asked().await.unwrap().remove(0).request;
    a.approve_here(&request, &boss.staff.id, "204816").await.unwrap();
    let decision = a.asked().await.unwrap().remove(0).decision.unwrap();
    let carried = serde_json::to_string(&decision).unwrap();
    assert!(!carried.contains("1101051949"), "the approval carries nothing in clear");
    let opened = a.open_id_scan(&saved, Opening::Granted(&decision)).await.unwrap();
    assert_eq!(opened.number, ID);
    // The approval covers this scan only: another scan of the guest stays shut.
    let other = a.attach_id_scan(&p.id, Chosen { name: "背面.png".into(), bytes: png.clone() }).await.unwrap();
    let refused = a.open_id_scan(&other, Opening::Granted(&decision)).await;
    assert!(matches!(refused, Err(DocError::Gov(GovError::NotEntitled))), "{refused:?}");
    assert_eq!(opened.file(&saved, &stored).unwrap(), png);
    assert!(opened.thumb(&saved).is_some_and(|t| t.starts_with(b"\xff\xd8")), "a JPEG thumbnail");

    // The manager, signed in, opens it with a reason (none: refused).
    let roster = governance::roster(&db).await.unwrap();
    a.session.sign_in(governance::sign_in(&db, &roster, &boss.staff.id, "204816", T0).await.unwrap());
    assert!(matches!(a.open_id_scan(&saved, Opening::Reason("看")).await, Err(DocError::Gov(GovError::Invalid(_)))));
    let borrowed = a.open_id_scan(&saved, Opening::Granted(&decision)).await;
    assert!(matches!(borrowed, Err(DocError::Gov(GovError::NotEntitled))), "another's approval: {borrowed:?}");
    let by_boss = a.open_id_scan(&saved, Opening::Reason("公安登记核对")).await.unwrap();
    assert_eq!((by_boss.number.as_str(), by_boss.file(&saved, &stored).unwrap()), (ID, png.clone()));

    // Both views are in the log, with who, the profile, the document and why.
    let views: Vec<_> = db
        .events()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entry.kind == Some(EventKind::Reveal) && e.entry.fields == [grant_path(&scan.id)])
        .map(|e| (e.entry.profile, e.entry.reason))
        .collect();
    assert_eq!(views, [(p.id.clone(), "客人要求复印证件".to_string()), (p.id.clone(), "公安登记核对".to_string())]);
}
