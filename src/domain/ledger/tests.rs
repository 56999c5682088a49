//! The ledger's rules, by hand-made examples and by properties over any interleaving of entries
//! from several devices.

use super::aging::{self, Basis, Buckets, EdgesError};
use super::credit::{self, Behaviour, Limit, Warning};
use super::stock::{self, Refusal};
use super::*;
use crate::domain::i18n::Locale;
use crate::domain::model::CreditRating;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn entry(id: &str, date: &str, body: Body) -> Entry {
    // Written in the order of their ids' numbers, so examples read in the order they happen.
    let n: i64 = id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(0);
    Entry {
        id: id.into(),
        profile_id: "p1".into(),
        date: d(date),
        body,
        note: String::new(),
        meta: Meta::new(1_700_000_000_000 + n, "clerk"),
    }
}

fn sale(id: &str, date: &str, amount: i64, due: &str) -> Entry {
    entry(id, date, Body::Sale { doc: format!("INV-{id}"), amount_fen: amount, due: d(due), override_: None })
}

fn receipt(id: &str, date: &str, amount: i64, pays: &[&str]) -> Entry {
    entry(
        id,
        date,
        Body::Receipt {
            amount_fen: amount,
            method: PayMethod::Transfer,
            doc: String::new(),
            pays: pays.iter().map(|s| s.to_string()).collect(),
        },
    )
}

fn reversal(id: &str, date: &str, of: &Entry) -> Entry {
    entry(id, date, Body::Reversal { of: of.id.clone(), amount_fen: -of.body.effect(), reason: "录错".into() })
}

fn all(_: &str) -> bool {
    true
}

fn open_of(p: &Position) -> Vec<(i64, i64)> {
    p.debits.iter().map(|o| (o.amount, o.open)).collect()
}

#[test]
fn receipts_pay_the_oldest_invoices_first() {
    let es = [
        sale("s1", "2026-01-01", 10_000, "2026-01-31"),
        sale("s2", "2026-01-10", 20_000, "2026-02-09"),
        sale("s3", "2026-02-01", 5_000, "2026-03-03"),
        receipt("r4", "2026-02-15", 25_000, &[]),
    ];
    let a = Account::of(&es, &all);
    let p = a.position(d("2026-02-28"));
    assert_eq!(open_of(&p), vec![(10_000, 0), (20_000, 5_000), (5_000, 5_000)]);
    assert_eq!(p.balance(), 10_000);
    assert_eq!(p.debits[0].paid_on, Some(d("2026-02-15")));
    // On the day before the receipt, everything was open.
    assert_eq!(a.position(d("2026-02-14")).balance(), 35_000);
    assert_eq!(p.oldest_open().map(|o| o.date), Some(d("2026-01-10")));
    assert_eq!(p.overdue(d("2026-02-28")), 5_000);
}

#[test]
fn a_receipt_pays_the_invoices_it_names_first_then_the_oldest() {
    let es = [
        sale("s1", "2026-01-01", 10_000, "2026-01-31"),
        sale("s2", "2026-01-10", 20_000, "2026-02-09"),
        sale("s3", "2026-02-01", 5_000, "2026-03-03"),
        receipt("r4", "2026-02-15", 12_000, &["s3", "s2"]),
    ];
    let p = Account::of(&es, &all).position(d("2026-02-28"));
    // s3 paid in full (5,000), s2 gets the remaining 7,000; s1 untouched.
    assert_eq!(open_of(&p), vec![(10_000, 10_000), (20_000, 13_000), (5_000, 0)]);
    // A named invoice paid already: the money goes on to the oldest.
    let es2 = [
        es[0].clone(),
        es[1].clone(),
        receipt("r5", "2026-02-01", 20_000, &["s2"]),
        receipt("r6", "2026-02-02", 5_000, &["s2"]),
    ];
    let p = Account::of(&es2, &all).position(d("2026-02-28"));
    assert_eq!(open_of(&p), vec![(10_000, 5_000), (20_000, 0)]);
}

#[test]
fn more_money_than_owed_stays_as_credit_and_pays_a_later_invoice() {
    let es = [receipt("r1", "2026-01-05", 30_000, &[]), sale("s2", "2026-01-20", 10_000, "2026-02-19")];
    let a = Account::of(&es, &all);
    let before = a.position(d("2026-01-10"));
    assert_eq!((before.unapplied, before.balance()), (30_000, -30_000));
    let after = a.position(d("2026-01-31"));
    assert_eq!((after.unapplied, after.balance()), (20_000, -20_000));
    assert_eq!(after.debits[0].paid_on, Some(d("2026-01-20")));
}

#[test]
fn returns_and_credits_reduce_what_is_owed() {
    let es = [
        sale("s1", "2026-03-01", 10_000, "2026-03-31"),
        sale("s2", "2026-03-05", 8_000, "2026-04-04"),
        entry("t3", "2026-03-10", Body::Return { amount_fen: 3_000, doc: "RED-1".into(), against: Some("s2".into()) }),
        entry("o0", "2026-01-01", Body::Opening { amount_fen: -1_000, doc: String::new(), due: None }),
    ];
    let p = Account::of(&es, &all).position(d("2026-03-31"));
    // The opening credit pays the oldest (s1), the return its own invoice.
    assert_eq!(open_of(&p), vec![(10_000, 9_000), (8_000, 5_000)]);
    assert_eq!(p.balance(), 14_000);
}

#[test]
fn an_adjustment_counts_once_approved() {
    let es = [
        sale("s1", "2026-03-01", 10_000, "2026-03-31"),
        entry("a2", "2026-03-02", Body::Adjustment { amount_fen: -500, reason: "抹零".into() }),
    ];
    let pending = Account::of(&es, &|_| false);
    assert_eq!(pending.balance(d("2026-03-31")), 10_000);
    assert_eq!(pending.standing, vec![Standing::Counts, Standing::Pending]);
    let approved = Account::of(&es, &|id| id == "a2");
    assert_eq!(approved.balance(d("2026-03-31")), 9_500);
}

#[test]
fn a_reversal_cancels_exactly() {
    let s1 = sale("s1", "2026-04-01", 10_000, "2026-05-01");
    let s2 = sale("s2", "2026-04-02", 7_000, "2026-05-02");
    let r3 = receipt("r3", "2026-04-10", 10_000, &[]);
    let x4 = reversal("x4", "2026-04-12", &r3);
    let es = [s1.clone(), s2.clone(), r3.clone(), x4.clone()];
    let a = Account::of(&es, &all);
    // Before the reversal the receipt paid s1; from its day s1 is open again.
    assert_eq!(open_of(&a.position(d("2026-04-11"))), vec![(10_000, 0), (7_000, 7_000)]);
    assert_eq!(open_of(&a.position(d("2026-04-12"))), vec![(10_000, 10_000), (7_000, 7_000)]);
    assert_eq!(a.balance(d("2026-04-30")), 17_000);
    // A reversed sale leaves nothing open and nothing owed.
    let x5 = reversal("x5", "2026-04-03", &s2);
    let a = Account::of(&[s1.clone(), s2.clone(), x5.clone()], &all);
    assert_eq!(a.balance(d("2026-04-30")), 10_000);
    assert_eq!(open_of(&a.position(d("2026-04-30"))), vec![(10_000, 10_000)]);
    // Reversed twice (two devices offline): the second reversal is void.
    let x6 = reversal("x6", "2026-04-04", &s2);
    let a = Account::of(&[s1.clone(), s2.clone(), x5.clone(), x6], &all);
    assert_eq!(a.balance(d("2026-04-30")), 10_000);
    assert_eq!(a.standing[3], Standing::Void);
    // A reversal of a reversal is void.
    let x7 = reversal("x7", "2026-04-05", &x5);
    let a = Account::of(&[s1.clone(), s2.clone(), x5.clone(), x7], &all);
    assert_eq!((a.balance(d("2026-04-30")), a.standing[3]), (10_000, Standing::Void));
    // A reversal whose entry has not arrived yet counts on its own: the balance is right.
    let a = Account::of(&[s1.clone(), x5], &all);
    assert_eq!(a.balance(d("2026-04-30")), 3_000);
}

#[test]
fn a_reversal_dated_before_its_entry_counts_from_the_entry_s_day() {
    let s1 = sale("s1", "2026-04-10", 10_000, "2026-05-10");
    let x2 = reversal("x2", "2026-04-01", &s1);
    let a = Account::of(&[s1, x2], &all);
    for day in ["2026-04-01", "2026-04-09", "2026-04-10", "2026-05-30"] {
        assert_eq!(a.balance(d(day)), 0, "{day}");
        assert_eq!(a.position(d(day)).balance(), 0, "{day}");
    }
}

#[test]
fn aging_buckets_have_their_edges_where_people_expect() {
    let on = d("2026-06-30");
    let b = Buckets::default();
    let due_days_ago = |n: i64| Date::from_days_since_epoch(on.days_since_epoch() - n);
    // Each invoice 1 fen × days, due so many days before the 30th of June.
    let days = [-1i64, 0, 30, 31, 60, 61, 90, 91];
    let es: Vec<Entry> = days
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let due = due_days_ago(n);
            entry(
                &format!("s{i}"),
                "2026-01-01",
                Body::Sale { doc: String::new(), amount_fen: 100 + n, due, override_: None },
            )
        })
        .collect();
    let a = Account::of(&es, &all);
    let items = aging::items(&a, on, Basis::Due, &b);
    let by_days: Vec<(i64, usize)> = items.iter().map(|i| (i.days, i.bucket)).collect();
    let mut expected: Vec<(i64, usize)> = vec![(-1, 0), (0, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4)];
    expected.sort();
    let mut got = by_days.clone();
    got.sort();
    assert_eq!(got, expected);
    let row = aging::row(&a, on, Basis::Due, &b);
    assert_eq!(row.cells, vec![99, 100 + 130, 131 + 160, 161 + 190, 191]);
    assert_eq!(row.total(), a.balance(on));
    assert_eq!(row.overdue(), row.total() - 99);
    // By invoice date every one of them is 180 days old.
    let by_invoice = aging::row(&a, on, Basis::Invoice, &b);
    assert_eq!(by_invoice.cells[4], a.balance(on));
    assert_eq!(
        (0..b.len()).map(|i| b.range(i)).collect::<Vec<_>>(),
        vec![None, Some("0–30".into()), Some("31–60".into()), Some("61–90".into()), Some("> 90".into())]
    );
}

#[test]
fn bucket_edges_are_typed_and_checked() {
    assert_eq!(Buckets::parse("30, 60, 90").unwrap(), Buckets::default());
    assert_eq!(Buckets::parse("15，45/120").unwrap().edges(), &[15, 45, 120]);
    assert_eq!(Buckets::parse("30,30"), Err(EdgesError::NotIncreasing));
    assert_eq!(Buckets::parse("0,30"), Err(EdgesError::NotIncreasing));
    assert_eq!(Buckets::parse("三十"), Err(EdgesError::NotNumbers));
    assert_eq!(Buckets::parse(""), Err(EdgesError::Count));
    assert_eq!(Buckets::parse("1,2,3,4,5,6,7"), Err(EdgesError::Count));
    let b = Buckets::parse("15,45").unwrap();
    assert_eq!((b.of(15), b.of(16), b.of(45), b.of(46)), (1, 2, 2, 3));
    assert_eq!(b.range(2), Some("16–45".into()));
}

#[test]
fn a_statement_closes_where_the_next_one_opens() {
    let es = [
        entry("o0", "2026-01-01", Body::Opening { amount_fen: 50_000, doc: "期初".into(), due: None }),
        sale("s1", "2026-02-03", 12_000, "2026-03-05"),
        receipt("r2", "2026-02-20", 40_000, &[]),
        sale("s3", "2026-03-02", 8_000, "2026-04-01"),
        entry("t4", "2026-03-15", Body::Return { amount_fen: 1_000, doc: String::new(), against: None }),
    ];
    let a = Account::of(&es, &all);
    let b = Buckets::default();
    let feb = statement::of(&a, d("2026-02-01"), d("2026-02-28"), &b);
    let mar = statement::of(&a, d("2026-03-01"), d("2026-03-31"), &b);
    assert_eq!((feb.opening, feb.debits, feb.credits, feb.closing), (50_000, 12_000, 40_000, 22_000));
    assert_eq!(feb.closing, mar.opening);
    assert_eq!(mar.closing, 29_000);
    assert_eq!(mar.lines.iter().map(|l| l.balance).collect::<Vec<_>>(), vec![30_000, 29_000]);
    assert_eq!(mar.aging.total(), mar.closing);
}

#[test]
fn the_credit_check_says_what_a_sale_would_do() {
    let es = [sale("s1", "2026-01-01", 80_000, "2026-01-31"), sale("s2", "2026-03-01", 10_000, "2026-03-31")];
    let a = Account::of(&es, &all);
    let on = d("2026-03-10");
    let limit = Limit { amount_fen: Some(100_000), days: Some(60) };
    let w = credit::check_sale(&a, on, limit, 15_000);
    assert_eq!(w[0], Warning::WouldExceed { by: 5_000, limit: 100_000 });
    assert!(matches!(w[1], Warning::PastDays { days: 68, limit: 60, open: 80_000, .. }));
    assert_eq!(w[0].words(Locale::Zh), "保存后将超出信用额度 ¥1,000.00，超出 ¥50.00。");
    assert!(credit::check_sale(&a, on, limit, 10_000).iter().all(|w| !matches!(w, Warning::WouldExceed { .. })));
    let tight = Limit { amount_fen: Some(50_000), days: None };
    assert_eq!(credit::check_sale(&a, on, tight, 100), vec![Warning::AlreadyOver { by: 40_000, limit: 50_000 }]);
    assert!(credit::check_sale(&a, on, Limit::default(), 1_000_000).is_empty());
    // The class's default fills what the customer's own limit leaves open.
    let own = Limit { amount_fen: Some(1), days: None };
    assert_eq!(own.or(Limit { amount_fen: Some(9), days: Some(30) }), Limit { amount_fen: Some(1), days: Some(30) });
}

#[test]
fn a_customer_s_own_limit_and_terms_come_first_then_the_class_s() {
    use crate::domain::model::{CustomerClass, Profile};
    let mut defaults = credit::Defaults::new();
    defaults.insert(
        CustomerClass::Important,
        credit::ClassTerms { limit: Limit { amount_fen: Some(20_000_000), days: Some(90) }, terms_days: Some(60) },
    );
    let mut p = Profile::new("p1".into(), 0, "");
    assert_eq!(credit::terms_for(&p, &defaults), (Limit::default(), credit::DEFAULT_TERMS_DAYS));
    p.class = CustomerClass::Important;
    assert_eq!(credit::terms_for(&p, &defaults), (Limit { amount_fen: Some(20_000_000), days: Some(90) }, 60));
    p.credit_limit.amount_fen = Some(5_000_000);
    p.terms_days = Some(15);
    assert_eq!(credit::terms_for(&p, &defaults), (Limit { amount_fen: Some(5_000_000), days: Some(90) }, 15));
    // Typed on the receivables screen; a bad one is named.
    assert_eq!(
        credit::ClassTerms::parse("200,000", "90", "60"),
        Ok(credit::ClassTerms { limit: Limit { amount_fen: Some(20_000_000), days: Some(90) }, terms_days: Some(60) })
    );
    assert_eq!(credit::ClassTerms::parse("", "", ""), Ok(credit::ClassTerms::default()));
    assert_eq!(credit::ClassTerms::parse("-5", "", ""), Err((0, crate::domain::i18n::Msg::ErrAmount)));
    assert_eq!(credit::ClassTerms::parse("", "两月", ""), Err((1, crate::domain::i18n::Msg::ErrDays)));
    assert_eq!(credit::ClassTerms::parse("1", "1", "9999"), Err((2, crate::domain::i18n::Msg::ErrDays)));
    assert_eq!(credit::ClassTerms::parse("200000", "90", "60").unwrap().texts(), ["200000.00", "90", "60"]);
    // The policy keeps the defaults (and an old policy without them reads as none).
    let mut policy = crate::domain::governance::policy::Policy::new();
    let old = serde_json::to_string(&policy).unwrap();
    assert!(!old.contains("credit"), "an unchanged policy is written as before: {old}");
    policy.credit = defaults.clone();
    let back: crate::domain::governance::policy::Policy =
        serde_json::from_str(&serde_json::to_string(&policy).unwrap()).unwrap();
    assert_eq!(back.credit, defaults);
}

#[test]
fn the_rating_is_suggested_from_payment_behaviour() {
    let on = d("2026-12-31");
    // Always paid on the due day: A.
    let good = [
        sale("s1", "2026-03-01", 10_000, "2026-03-31"),
        receipt("r2", "2026-03-31", 10_000, &[]),
        sale("s3", "2026-06-01", 10_000, "2026-07-01"),
        receipt("r4", "2026-06-30", 10_000, &[]),
    ];
    let b = credit::behaviour(&Account::of(&good, &all), on);
    assert_eq!(b, Behaviour { invoices: 2, late: 0, late_share: 0, avg_days_late: 0, worst_open: 0 });
    assert_eq!(credit::suggest(&b), Some(CreditRating::A));
    // One of two paid 20 days late: B, and the words say so.
    let slow = [
        sale("s1", "2026-03-01", 10_000, "2026-03-31"),
        receipt("r2", "2026-04-20", 10_000, &[]),
        sale("s3", "2026-06-01", 30_000, "2026-07-01"),
        receipt("r4", "2026-06-30", 30_000, &[]),
    ];
    let b = credit::behaviour(&Account::of(&slow, &all), on);
    assert_eq!(b, Behaviour { invoices: 2, late: 1, late_share: 25, avg_days_late: 20, worst_open: 0 });
    assert_eq!(credit::suggest(&b), Some(CreditRating::B));
    assert_eq!(
        credit::reason(&b, Locale::Zh),
        "近 12 个月 2 张发票，1 张逾期付款（按金额占 25%），逾期的平均超期 20 天"
    );
    // More than half the amount late, but by days, not months: still B.
    let half = [sale("s1", "2026-10-01", 10_000, "2026-10-31"), receipt("r2", "2026-11-10", 10_000, &[])];
    let b = credit::behaviour(&Account::of(&half, &all), on);
    assert_eq!((b.late_share, b.avg_days_late, credit::suggest(&b)), (100, 10, Some(CreditRating::B)));
    // Most of it two months late: C.
    let late = [sale("s1", "2026-08-01", 10_000, "2026-08-31"), receipt("r2", "2026-10-15", 10_000, &[])];
    assert_eq!(credit::suggest(&credit::behaviour(&Account::of(&late, &all), on)), Some(CreditRating::C));
    // An invoice open 120 days past due: C.
    let bad = [sale("s1", "2026-08-01", 10_000, "2026-09-01")];
    let b = credit::behaviour(&Account::of(&bad, &all), on);
    assert_eq!((b.worst_open, credit::suggest(&b)), (121, Some(CreditRating::C)));
    assert!(credit::reason(&b, Locale::En).ends_with("the oldest open one is 121 days past due"));
    // Nothing invoiced in the year: no suggestion.
    let old = [sale("s1", "2024-01-01", 10_000, "2024-01-31"), receipt("r2", "2024-01-10", 10_000, &[])];
    assert_eq!(credit::suggest(&credit::behaviour(&Account::of(&old, &all), on)), None);
}

fn consign(id: &str, date: &str, movement: Movement, lines: &[(&str, i64)]) -> Entry {
    entry(
        id,
        date,
        Body::Consignment {
            movement,
            lines: lines.iter().map(|(i, q)| Line { item: i.to_string(), qty: *q, price_fen: 1_000 }).collect(),
            doc: String::new(),
            due: None,
        },
    )
}

#[test]
fn consignment_stock_as_of_any_date() {
    let es = [
        consign("m1", "2026-05-01", Movement::FillUp, &[("tea", 10), ("cup", 4)]),
        consign("m2", "2026-05-10", Movement::Issue, &[("tea", 3)]),
        consign("m3", "2026-05-12", Movement::Return, &[("tea", 1)]),
        consign("m4", "2026-05-20", Movement::PickUp, &[("cup", 4)]),
        consign("m5", "2026-05-25", Movement::Count, &[("tea", 6)]),
    ];
    let at = |day: &str, approved: &dyn Fn(&str) -> bool| stock::as_of(&es, d(day), approved);
    assert_eq!(at("2026-04-30", &all), Stock::new());
    assert_eq!(at("2026-05-11", &all), Stock::from([("cup".into(), 4), ("tea".into(), 7)]));
    assert_eq!(at("2026-05-21", &all), Stock::from([("cup".into(), 0), ("tea".into(), 8)]));
    // The count found 6 where 8 were expected; it sets the stock once approved.
    assert_eq!(stock::count_difference(&es, &es[4]), std::collections::BTreeMap::from([("tea".into(), (8, 6))]));
    assert_eq!(at("2026-05-31", &|id| id != "m5")["tea"], 8);
    assert_eq!(at("2026-05-31", &all)["tea"], 6);
    // The issue billed 3 × ¥10 and the return credited 1 × ¥10.
    let a = Account::of(&es, &all);
    assert_eq!(a.balance(d("2026-05-31")), 2_000);
    assert_eq!(stock::total([&at("2026-05-11", &all), &at("2026-05-11", &all)])["tea"], 14);
}

use super::stock::Stock;

#[test]
fn the_stock_at_every_customer_s_site_and_its_value_archive_wide() {
    let mut other = consign("n1", "2026-05-03", Movement::FillUp, &[("tea", 5)]);
    other.profile_id = "other".into();
    let es = [
        consign("m1", "2026-05-01", Movement::FillUp, &[("tea", 10), ("cup", 4)]),
        consign("m2", "2026-05-10", Movement::Issue, &[("tea", 3)]),
        other,
    ];
    let by = stock::by_customer(&es, d("2026-05-10"), &all);
    assert_eq!(by.len(), 2);
    assert_eq!(by[&es[0].profile_id], Stock::from([("cup".into(), 4), ("tea".into(), 7)]));
    assert_eq!(by["other"], Stock::from([("tea".into(), 5)]));
    assert_eq!(stock::by_customer(&es, d("2026-05-02"), &all).len(), 1, "nobody else had goods yet");
    let whole = stock::total(by.values());
    assert_eq!(whole, Stock::from([("cup".into(), 4), ("tea".into(), 12)]));
    let items = [
        stock::Item { id: "tea".into(), price_fen: 1_000, ..Default::default() },
        stock::Item { id: "cup".into(), price_fen: 250, ..Default::default() },
    ];
    assert_eq!(stock::value(&whole, &items), 12 * 1_000 + 4 * 250);
}

#[test]
fn a_movement_that_would_empty_a_stock_below_zero_is_refused() {
    let es = vec![
        consign("m1", "2026-05-01", Movement::FillUp, &[("tea", 10)]),
        consign("m2", "2026-05-10", Movement::Issue, &[("tea", 6)]),
    ];
    assert!(stock::admit(&es, &consign("m3", "2026-05-11", Movement::PickUp, &[("tea", 4)]), &all).is_ok());
    assert_eq!(
        stock::admit(&es, &consign("m3", "2026-05-11", Movement::PickUp, &[("tea", 5)]), &all),
        Err(Refusal { item: "tea".into(), date: d("2026-05-11"), stock: -1 })
    );
    // Dated back before the issue, a pick-up of 5 leaves 5 then, but the issue of 6 then fails.
    assert_eq!(
        stock::admit(&es, &consign("m3", "2026-05-05", Movement::PickUp, &[("tea", 5)]), &all),
        Err(Refusal { item: "tea".into(), date: d("2026-05-10"), stock: -1 })
    );
    assert!(stock::admit(&es, &consign("m3", "2026-05-11", Movement::Issue, &[("cup", 1)]), &all).is_err());
    assert!(stock::admit(&es, &consign("m3", "2026-05-11", Movement::FillUp, &[("tea", -1)]), &all).is_err());
}

#[test]
fn the_archive_s_aging_adds_up_its_customers_and_lists_who_owes_most_overdue_first() {
    let mut g = super::all::Gather::default();
    let mut mk = |pid: &str, e: Entry| {
        let mut e = e;
        e.profile_id = pid.into();
        g.add(&e);
        e
    };
    mk("a", sale("a1", "2026-01-01", 10_000, "2026-01-31"));
    mk("b", sale("b1", "2026-03-01", 50_000, "2026-03-31"));
    mk("b", receipt("b2", "2026-03-05", 20_000, &[]));
    mk("c", sale("c1", "2026-04-01", 7_000, "2026-12-31"));
    mk("a", sale("a2", "2026-02-01", 5_000, "2026-03-03"));
    assert_eq!(g.len(), 5);
    let all = g.finish(&|_| true);
    let on = d("2026-04-30");
    let report = all.aging(on, Basis::Due, &Buckets::default());
    assert_eq!(report.rows.len(), 3);
    assert_eq!(report.total.total(), 15_000 + 30_000 + 7_000);
    // a: 10,000 is 89 days past due, 5,000 is 58; b: 30,000 is 30; c not due.
    assert_eq!(report.total.cells, vec![7_000, 30_000, 5_000, 10_000, 0]);
    let owing = all.owing(on, &|_| None);
    assert_eq!(owing.iter().map(|o| all.customers[o.who].as_str()).collect::<Vec<_>>(), ["b", "a"]);
    // With a limit of ¥50 for c, c is listed too (nothing overdue, over by ¥20), last.
    let c = all.customers.iter().position(|x| x == "c").unwrap();
    let owing = all.owing(on, &|who| (who == c).then_some(5_000));
    assert_eq!((all.customers[owing[2].who].as_str(), owing[2].over_by, owing[2].overdue), ("c", Some(2_000), 0));
    assert_eq!((owing[1].overdue, owing[1].oldest), (15_000, Some((d("2026-01-01"), 89))));
    assert_eq!(all.of("c").map(|a| a.balance(on)), Some(7_000));
}

// ---- Properties ----

/// An entry drawn from a small space so that references (receipts naming invoices, reversals)
/// hit: `n` numbers it, `kind` picks the body.
fn arb_entry() -> impl Strategy<Value = (u8, u16, i64, u8, Vec<u8>)> {
    (0u8..6, 0u16..200, 1i64..50_000, 0u8..30, prop::collection::vec(0u8..30, 0..3))
}

fn build(raw: &[(u8, u16, i64, u8, Vec<u8>)]) -> Vec<Entry> {
    let day = |n: u16| Date::from_days_since_epoch(d("2026-01-01").days_since_epoch() + i64::from(n));
    let mut out: Vec<Entry> = Vec::new();
    for (n, (kind, date, amount, target, pays)) in raw.iter().enumerate() {
        let id = format!("e{n}");
        let date_s = day(*date).to_string();
        let body = match kind {
            0 | 1 => Body::Sale {
                doc: String::new(),
                amount_fen: *amount,
                due: day(date + u16::from(*target)),
                override_: None,
            },
            2 => Body::Receipt {
                amount_fen: *amount,
                method: PayMethod::Cash,
                doc: String::new(),
                pays: pays.iter().map(|p| format!("e{p}")).collect(),
            },
            3 => Body::Return { amount_fen: amount / 3 + 1, doc: String::new(), against: Some(format!("e{target}")) },
            4 => Body::Adjustment { amount_fen: amount - 25_000, reason: "r".into() },
            _ => match out.get(*target as usize) {
                Some(of) => Body::Reversal { of: of.id.clone(), amount_fen: -of.body.effect(), reason: "r".into() },
                None => Body::Opening { amount_fen: *amount, doc: String::new(), due: None },
            },
        };
        out.push(entry(&id, &date_s, body));
    }
    out
}

fn approved_odd(id: &str) -> bool {
    id.trim_start_matches('e').parse::<u32>().is_ok_and(|n| n % 2 == 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Several devices' entries arriving in any order, some twice: the same balance, the same open
    /// items and the same aging everywhere, and the balance is the sum of the distinct entries
    /// that count.
    #[test]
    fn every_device_computes_the_same_account(
        raw in prop::collection::vec(arb_entry(), 1..40),
        shuffle in prop::collection::vec(any::<u32>(), 40),
        dupes in prop::collection::vec(0usize..40, 0..10),
        on in 0i64..400,
    ) {
        let entries = build(&raw);
        let on = Date::from_days_since_epoch(d("2026-01-01").days_since_epoch() + on);
        let mut arrived = entries.clone();
        for &i in &dupes {
            if let Some(e) = entries.get(i) { arrived.push(e.clone()); }
        }
        let keys: Vec<u32> = (0..arrived.len()).map(|i| shuffle[i % shuffle.len()].wrapping_mul(i as u32 + 1)).collect();
        let mut idx: Vec<usize> = (0..arrived.len()).collect();
        idx.sort_by_key(|&i| keys[i]);
        let arrived: Vec<Entry> = idx.into_iter().map(|i| arrived[i].clone()).collect();

        let a = Account::of(&entries, &approved_odd);
        let b = Account::of(&arrived, &approved_odd);
        let buckets = Buckets::default();
        prop_assert_eq!(a.balance(on), b.balance(on));
        prop_assert_eq!(a.position(on), b.position(on));
        prop_assert_eq!(aging::row(&a, on, Basis::Due, &buckets), aging::row(&b, on, Basis::Due, &buckets));
        // The balance is the sum of the distinct entries that count, dated up to the day (a
        // reversal counting from its entry's day).
        let counted: i64 = entries.iter().enumerate().filter(|(i, _)| {
            matches!(a.standing[*i], Standing::Counts | Standing::Reversed)
        }).filter(|(_, e)| {
            let day = match &e.body {
                Body::Reversal { of, .. } => entries.iter().find(|o| &o.id == of)
                    .filter(|o| a.standing[entries.iter().position(|x| x.id == o.id).unwrap()] == Standing::Reversed)
                    .map_or(e.date, |o| o.date.max(e.date)),
                _ => e.date,
            };
            day <= on
        }).map(|(_, e)| e.body.effect()).sum();
        prop_assert_eq!(a.balance(on), counted);
        // The position agrees with the balance, and so does the aging's total.
        let position = a.position(on);
        prop_assert_eq!(position.balance(), a.balance(on));
        prop_assert_eq!(aging::row(&a, on, Basis::Invoice, &buckets).total(), a.balance(on));
        prop_assert!(position.debits.iter().all(|o| o.open >= 0 && o.open <= o.amount));
        // Statements chain: one period closes where the next opens.
        let mid = Date::from_days_since_epoch(on.days_since_epoch() - 30);
        let first = statement::of(&a, d("2026-01-01"), mid, &buckets);
        let next = statement::of(&a, Date::from_days_since_epoch(mid.days_since_epoch() + 1), on, &buckets);
        prop_assert_eq!(first.closing, next.opening);
        prop_assert_eq!(next.closing, a.balance(on));
        prop_assert_eq!(next.opening + next.debits - next.credits, next.closing);
    }

    /// Movements admitted one by one (each checked against those before, in any date order)
    /// never leave a stock below zero on any day.
    #[test]
    fn admitted_movements_never_make_a_stock_negative(
        moves in prop::collection::vec((0u8..5, 0u16..60, 0u8..3, 0i64..8), 1..40),
        count_ok in any::<bool>(),
    ) {
        let mut kept: Vec<Entry> = Vec::new();
        let approved = |id: &str| count_ok || !id.ends_with('c');
        for (n, (m, day, item, qty)) in moves.iter().enumerate() {
            let movement = Movement::from_code(*m);
            let id = format!("m{n}{}", if movement == Movement::Count { "c" } else { "" });
            let date = Date::from_days_since_epoch(d("2026-05-01").days_since_epoch() + i64::from(*day));
            let e = consign(&id, &date.to_string(), movement, &[(["tea", "cup", "box"][*item as usize], *qty)]);
            if stock::admit(&kept, &e, &approved).is_ok() {
                kept.push(e);
            }
        }
        for day in 0..61 {
            let on = Date::from_days_since_epoch(d("2026-05-01").days_since_epoch() + day);
            let s = stock::as_of(&kept, on, &approved);
            prop_assert!(s.values().all(|&q| q >= 0), "{on}: {s:?}");
        }
    }
}

#[test]
fn the_benchmark_s_generated_accounts_have_the_shape_it_claims() {
    let now = 1_795_000_000_000;
    let all: Vec<Vec<Entry>> =
        (0..1000).map(|i| crate::testdata::ledger(&crate::testdata::profile(7, i, now), 7, 10, now)).collect();
    let n: usize = all.iter().map(Vec::len).sum();
    assert!((8_000..=12_000).contains(&n), "about ten entries a customer: {n}");
    let today = Date::from_millis(now);
    let mut owing = 0;
    for es in &all {
        let a = Account::of(es, &|_| false);
        let p = a.position(today);
        assert_eq!(p.balance(), a.balance(today));
        owing += usize::from(p.overdue(today) > 0);
        let mut ids: Vec<&str> = es.iter().map(|e| e.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), es.len());
    }
    assert!((100..900).contains(&owing), "some customers owe overdue money, not all: {owing}");
}
