//! Every figure of the manager's views on a small archive, computed by hand (in the comments).
//!
//! Today is 2026-12-03 (Beijing time); the archive is `testdata::overview_archive` (its doc
//! says what each customer holds).

use super::abc::{analyse, Spec};
use super::dashboard::{behind, figures, trend, Figure, NowValues, Tally, Value};
use super::facts::Facts;
use super::period::{Period, Preset};
use super::quality::{Quality, Required};
use super::reminders::*;
use crate::domain::date::Date;
use crate::domain::fields::Field;
use crate::domain::model::*;

const HOUR: i64 = 3_600_000;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn today() -> Date {
    d(2026, 12, 3)
}

/// 2026-12-03 12:00 in Beijing.
fn now() -> Millis {
    (d(2026, 12, 3).days_since_epoch() * 24 + 4) * HOUR
}

fn local(ms: Millis) -> Date {
    Date::from_millis(ms + 8 * HOUR)
}

/// The hand-computed archive (`testdata::overview_archive`), with 乙's lunar birthday on 正月初一
/// (Spring Festival 2027 is published as 6 February).
fn archive() -> (Vec<Profile>, Vec<HistoryItem>) {
    let (mut p, h) = crate::testdata::overview_archive(today(), now());
    p[1].special_days[0] =
        SpecialDay { kind: DayKind::Birthday, month: 1, day: 1, label: String::new(), calendar: DayCalendar::Lunar };
    (p, h)
}

fn at(day: Date) -> Millis {
    day.days_since_epoch() * 24 * HOUR
}

fn item(id: &str, pid: &str, date: Date, entry: HistoryEntry) -> HistoryItem {
    HistoryItem { id: id.into(), profile_id: pid.into(), date, entry, meta: Meta::new(now(), "张三") }
}

fn stay(nights: u16, yuan: i64) -> HistoryEntry {
    HistoryEntry::Stay {
        nights,
        room_type: String::new(),
        channel: String::new(),
        amenities: String::new(),
        amount_fen: yuan * 100,
    }
}

fn facts() -> Facts {
    let (p, h) = archive();
    Facts::build(&p, &h, today(), &local)
}

fn names(f: &Facts, who: &[u32]) -> Vec<String> {
    who.iter().map(|w| f.customer(*w).name.clone()).collect()
}

fn quality(f: &Facts) -> Quality {
    Quality::of(f, &Required::default(), today())
}

#[test]
fn the_dashboard_of_december_beside_november() {
    let f = facts();
    let q = quality(&f);
    let nv = NowValues::of(&f, &q);
    let dec = Period::of(Preset::ThisMonth, today());
    let rows = figures(&f, dec, now(), &nv);
    let get = |fig: Figure| rows.iter().find(|r| r.0 == fig).map(|r| (r.1.text(), r.2.map(|v| v.text()))).unwrap();
    let s = |x: &str| x.to_string();
    // New: 甲 (since 12-01); none in November.
    assert_eq!(get(Figure::NewCustomers), (s("1"), Some(s("0"))));
    // Active: 甲, 乙 (stays); November: 丙 (stay). 丁 is deleted.
    assert_eq!(get(Figure::ActiveCustomers), (s("2"), Some(s("1"))));
    assert_eq!(get(Figure::Stays), (s("3"), Some(s("1"))));
    assert_eq!(get(Figure::Nights), (s("6"), Some(s("1"))));
    // ¥1,000 + ¥500 + ¥1,500 stays + ¥300 meal; November ¥400.
    assert_eq!(get(Figure::Revenue), (s("¥3,300.00"), Some(s("¥400.00"))));
    assert_eq!(get(Figure::SpendPerStay), (s("¥1,000.00"), Some(s("¥400.00"))));
    // ¥300 over 2 covers; November had no meal: "—", no division by zero.
    assert_eq!(get(Figure::SpendPerCover), (s("¥150.00"), Some(s("—"))));
    // 甲 stayed twice of the two who stayed; November 丙 once.
    assert_eq!(get(Figure::RepeatRate), (s("50.0%"), Some(s("0.0%"))));
    assert_eq!(get(Figure::Complaints), (s("1"), Some(s("1"))));
    assert_eq!(get(Figure::ComplaintRate), (s("33.3%"), Some(s("100.0%"))));
    // 乙's is open and past its deadline; 丙's was resolved.
    assert_eq!(get(Figure::OverdueComplaints), (s("1"), Some(s("0"))));
    assert_eq!(get(Figure::VisitsDone), (s("0"), Some(s("0"))));
    // 乙's visit of 08-01 plans the next for 12-10.
    assert_eq!(get(Figure::VisitsPlanned), (s("1"), Some(s("0"))));
    assert_eq!(get(Figure::ACustomers), (s("0"), None));
    let working = rows.iter().find(|r| r.0 == Figure::ComplaintRate).unwrap().1.working();
    assert_eq!(working.as_deref(), Some("1 / 3"));
}

#[test]
fn an_empty_period_shows_dashes_not_a_division_by_zero() {
    let f = facts();
    let q = quality(&f);
    let nv = NowValues::of(&f, &q);
    let t = Tally::of(&f, Period::of(Preset::ThisYear, d(2030, 1, 1)), now());
    for fig in [Figure::SpendPerStay, Figure::SpendPerCover, Figure::RepeatRate, Figure::ComplaintRate] {
        assert_eq!(t.value(fig, &nv).text(), "—", "{fig:?}");
        assert_eq!(t.value(fig, &nv).number(), None);
    }
    assert_eq!(t.value(Figure::Revenue, &nv).text(), "¥0.00");
    let empty = Facts::default();
    let q = quality(&empty);
    assert_eq!(q.completeness().text(), "—");
    assert_eq!(q.accuracy().text(), "—");
}

#[test]
fn each_figure_opens_the_customers_behind_it() {
    let f = facts();
    let q = quality(&f);
    let dec = Period::of(Preset::ThisMonth, today());
    let who = |fig| names(&f, &behind(&f, fig, dec, now(), &q));
    assert_eq!(who(Figure::NewCustomers), ["甲"]);
    assert_eq!(who(Figure::ActiveCustomers), ["甲", "乙"]);
    assert_eq!(who(Figure::Revenue), ["甲", "乙"]);
    assert_eq!(who(Figure::RepeatRate), ["甲"]);
    assert_eq!(who(Figure::SpendPerCover), ["甲"]);
    assert_eq!(who(Figure::OverdueComplaints), ["乙"]);
    assert_eq!(who(Figure::VisitsPlanned), ["乙"]);
    assert!(who(Figure::VisitsDone).is_empty());
    assert_eq!(who(Figure::Completeness), ["乙", "丙", "戊"]);
    assert_eq!(who(Figure::Accuracy), ["乙", "丙"]);
}

#[test]
fn the_trend_is_month_by_month() {
    let f = facts();
    let q = quality(&f);
    let nv = NowValues::of(&f, &q);
    let months = Period::of(Preset::ThisMonth, today()).trend_months();
    let t = trend(&f, Figure::Revenue, &months, now(), &nv);
    assert_eq!(t.len(), 12);
    assert_eq!(t[0].0, (2026, 1));
    let by = |m: (u16, u8)| t.iter().find(|x| x.0 == m).unwrap().1;
    assert_eq!(by((2026, 12)), Value::Fen(330_000));
    assert_eq!(by((2026, 11)), Value::Fen(40_000));
    assert_eq!(by((2026, 6)), Value::Fen(0));
}

#[test]
fn archive_quality_by_hand() {
    let f = facts();
    let q = quality(&f);
    // Persons need 6 items, organisations 8. 甲 6/6; 乙 name, gender, address 3/6; 丙 name, phone,
    // address 3/8; 戊 name 1/6 (166‰). Mean (1000 + 500 + 375 + 166) / 4 = 510.25‰.
    assert_eq!(q.completeness().text(), "51.0%");
    // 乙 is stale (unchanged since 2025-06-01, stayed this year); 丙's e-mail is invalid.
    assert_eq!(q.accuracy(), Value::Share { part: 2, whole: 4 });
    let yi = q.grades[1].unwrap();
    assert!(yi.stale && yi.invalid == 0);
    assert_eq!(super::quality::Grade::fields(yi.missing), [Field::BirthDate, Field::IdDocNumber, Field::Phones]);
    assert_eq!(super::quality::Grade::fields(q.grades[2].unwrap().invalid), [Field::Email]);
    assert_eq!(
        yi.problems(crate::domain::i18n::Locale::Zh),
        ["缺：出生日期、证件号码、手机/电话", "超过一年未更新（期间仍有往来）"]
    );
    // Most important first, least complete first within a class: 乙 (main), then the ordinary 戊
    // (1/6) before 丙 (3/8).
    assert_eq!(names(&f, &q.fix_first(&f, 10)), ["乙", "戊", "丙"]);
    let classes = q.by_class(&f);
    assert_eq!(
        classes.iter().map(|g| (g.key, g.customers)).collect::<Vec<_>>(),
        [(CustomerClass::Important, 1), (CustomerClass::Main, 1), (CustomerClass::Ordinary, 2)]
    );
    assert_eq!(classes[2].completeness.text(), "27.1%", "(375 + 166) / 2 = 270.5‰, 27.05% shown to one place");
    let creators = q.by_creator(&f);
    assert_eq!(creators.iter().map(|g| (g.key.as_str(), g.customers)).collect::<Vec<_>>(), [("张三", 3), ("李四", 1)]);
    assert_eq!(creators[1].accuracy.text(), "0.0%");
    // A super administrator requiring only the name: everyone complete.
    let lax = Required { person: vec![Field::Name], organisation: vec![Field::Name], ..Required::default() };
    assert_eq!(Quality::of(&f, &lax, today()).completeness().text(), "100.0%");
}

#[test]
fn a_required_document_counts_toward_completeness_once_a_live_one_is_on_the_profile() {
    use crate::domain::documents::{DocKind, Document};
    let mut f = facts();
    let bing = f.customers.iter().position(|c| c.name == "丙").unwrap();
    let id = f.customers[bing].id.clone();
    // The organisation 丙 holds 3 of its 8 fields; with the licence required, 3 of 9.
    let licence = Required { organisation_docs: vec![DocKind::License], ..Required::default() };
    let grade = |f: &Facts| Quality::of(f, &licence, today()).grades[bing].unwrap();
    assert_eq!(grade(&f).permille, 333);
    let words = grade(&f).problems(crate::domain::i18n::Locale::Zh).remove(0);
    assert!(words.starts_with("缺：") && words.ends_with("、营业执照"), "{words}");
    // A deleted licence or a contract does not count; a live licence does.
    let doc = |kind, deleted| {
        let mut d = Document { profile_id: id.clone(), kind, title: "x".into(), ..Document::default() };
        d.meta.deleted_at = deleted;
        d
    };
    f.add_document(&doc(DocKind::License, Some(1)));
    f.add_document(&doc(DocKind::Contract, None));
    f.add_document(&Document { profile_id: "nobody".into(), ..doc(DocKind::License, None) });
    assert_eq!(grade(&f).missing_docs, super::quality::doc_bit(DocKind::License));
    f.add_document(&doc(DocKind::License, None));
    assert_eq!((grade(&f).permille, grade(&f).missing_docs), (444, 0), "4 of 9");
    // Persons require none: their figures stay as they were.
    assert_eq!(Quality::of(&f, &licence, today()).grades[0].unwrap().permille, 1000);
}

#[test]
fn abc_by_one_indicator_and_by_a_weighted_score() {
    let f = facts();
    let nov_dec = Period::new(d(2026, 11, 1), d(2026, 12, 31)).unwrap();
    let revenue = Spec { weights: vec![(AbcIndicator::Revenue, 100)], period: nov_dec, cut_a: 70, cut_b: 20 };
    let a = analyse(&f, &revenue).unwrap();
    // 甲 ¥1,800, 乙 ¥1,500, 丙 ¥400, 戊 0 of ¥3,700: 甲 48.6% (A), 乙 starts at 48.6% < 70% (A),
    // 丙 starts at 89.2% < 90% (B), 戊 has nothing (C).
    let got: Vec<(String, AbcClass)> = a.rows.iter().map(|r| (f.customer(r.who).name.clone(), r.class)).collect();
    let want = [("甲", AbcClass::A), ("乙", AbcClass::A), ("丙", AbcClass::B), ("戊", AbcClass::C)];
    assert_eq!(got, want.map(|(n, c)| (n.to_string(), c)));
    assert_eq!(a.rows[0].inputs, [180_000]);
    assert_eq!(a.classes[0].customers, 2);
    assert!((a.classes[0].share - 3300.0 / 3700.0).abs() < 1e-9);

    // Revenue 60 and stays 40: 甲 0.6·1800/3700 + 0.4·2/4 = 0.4919, 乙 0.6·1500/3700 + 0.4·1/4 =
    // 0.3432, 丙 0.6·400/3700 + 0.4·1/4 = 0.1649. With A at 40%: 甲 A, 乙 starts at 49.2% (B), 丙
    // starts at 83.5% ≥ 60% (C).
    let weighted = Spec {
        weights: vec![(AbcIndicator::Revenue, 60), (AbcIndicator::Stays, 40), (AbcIndicator::Visits, 0)],
        period: nov_dec,
        cut_a: 40,
        cut_b: 20,
    };
    let w = analyse(&f, &weighted).unwrap();
    let scores: Vec<f64> = w.rows.iter().map(|r| (r.score * 10_000.0).round() / 10_000.0).collect();
    assert_eq!(scores, [0.4919, 0.3432, 0.1649, 0.0]);
    assert_eq!(
        w.rows.iter().map(|r| r.class).collect::<Vec<_>>(),
        [AbcClass::A, AbcClass::B, AbcClass::C, AbcClass::C]
    );
    assert_eq!(w.rows[1].inputs, [150_000, 1], "zero weights are left out");
    let g = w.grade(&weighted, 1, today(), "经理");
    assert_eq!((g.class, g.rank, g.of, g.score), (AbcClass::B, 2, 4, 343_243));
    assert_eq!(g.weights, [(AbcIndicator::Revenue, 60), (AbcIndicator::Stays, 40)]);

    assert_eq!(
        super::abc::explain(&g, crate::domain::i18n::Locale::Zh),
        "B 类 · 排名 2 / 4 · 得分：收入占比 × 60% + 入住次数占比 × 40% · 本客户：收入 ¥1,500.00，入住次数 1 · 期间 2026-11-01 – 2026-12-31 · 2026-12-03 由 经理 应用"
    );
    // Applying with the mapping sets the class; the undo puts grade and class back.
    let (mut profiles, _) = archive();
    let before = super::abc::Before::of(&profiles[1]);
    super::abc::apply_to(&mut profiles[1], g.clone(), Some(&super::abc::DEFAULT_CLASSES), &local);
    assert_eq!(
        (profiles[1].class, profiles[1].abc.as_ref().map(|x| x.class)),
        (CustomerClass::Main, Some(AbcClass::B))
    );
    let a_grade = w.grade(&weighted, 0, today(), "经理");
    // Written today by 经理: the profile's data is as old as before (乙 stays stale).
    profiles[1].meta.touch(now(), "经理");
    assert_eq!(profiles[1].data_updated_at(&local), at(d(2025, 6, 1)));
    let f = Facts::build(&profiles, &[item("s", "p1", d(2026, 12, 2), stay(1, 1))], today(), &local);
    assert!(Quality::of(&f, &Required::default(), today()).grades[1].unwrap().stale);
    super::abc::apply_to(&mut profiles[1], a_grade, None, &local);
    assert_eq!(profiles[1].abc.as_ref().unwrap().data_updated, Some(at(d(2025, 6, 1))), "carried to the next grade");
    assert_eq!(profiles[1].class, CustomerClass::Main, "no mapping: the class stays");
    before.restore(&mut profiles[1]);
    assert_eq!((profiles[1].class, profiles[1].abc.clone()), (CustomerClass::Main, None));

    let bad = Spec { cut_a: 80, cut_b: 30, ..weighted.clone() };
    assert_eq!(analyse(&f, &bad), Err(crate::domain::i18n::Msg::AbcErrCuts));
    let none = Spec { weights: vec![(AbcIndicator::Revenue, 0)], ..weighted };
    assert_eq!(analyse(&f, &none), Err(crate::domain::i18n::Msg::AbcErrNoWeight));
}

#[test]
fn reminders_by_hand() {
    let f = facts();
    // 甲's birthday (from the date of birth) in 2 days.
    let week = special_days(&f, today(), 7);
    assert_eq!(
        week.iter().map(|r| (f.customer(r.who).name.as_str(), r.in_days, r.on)).collect::<Vec<_>>(),
        [("甲", 2, d(2026, 12, 5))]
    );
    // 乙's lunar birthday 正月初一 is Spring Festival 2027, 6 February: 65 days away.
    let later = special_days(&f, today(), 65);
    assert_eq!(later.last().map(|r| (f.customer(r.who).name.as_str(), r.on)), Some(("乙", d(2027, 2, 6))));
    assert_eq!(special_days(&f, today(), 64).len(), 1);
    // 乙's planned visit of 12-10 is 7 days away.
    assert_eq!(visits_due(&f, today(), 7), [VisitDue { who: 1, on: d(2026, 12, 10), late_days: -7 }]);
    assert!(visits_due(&f, today(), 6).is_empty());
    assert_eq!(visits_due(&f, d(2026, 12, 12), 0)[0].late_days, 2);
    // Not visited in 90 days among important and main customers: 乙 (last 08-01, 124 days); 甲
    // became a customer 2 days ago.
    let key = [CustomerClass::Important, CustomerClass::Main];
    let n = not_visited(&f, today(), 90, &key);
    assert_eq!(n, [Neglected { who: 1, last: Some(d(2026, 8, 1)), days: 124 }]);
    // Every class: 乙 first (main), then the ordinary ones, the longest gap first: 戊 never visited
    // since 2024-01-01 (1,067 days), 丙 last on 06-01 (185 days).
    let all = not_visited(&f, today(), 90, CustomerClass::ALL);
    assert_eq!(names(&f, &all.iter().map(|n| n.who).collect::<Vec<_>>()), ["乙", "戊", "丙"]);
    assert_eq!(all[1].days, 1067);
    let late = overdue_complaints(&f, now());
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].who, late[0].late_hours), (1, 2));
}

#[test]
fn a_profile_changed_elsewhere_replaces_its_facts() {
    let (mut profiles, mut history) = archive();
    let mut f = Facts::build(&profiles, &history, today(), &local);
    let q = quality(&f);
    let dec = Period::of(Preset::ThisMonth, today());
    // Another device adds a stay of 戊 on 12-02 (after the pull).
    history.push(item("h11", "p4", d(2026, 12, 2), stay(1, 700)));
    let wu_history: Vec<HistoryItem> = history.iter().filter(|h| h.profile_id == "p4").cloned().collect();
    f.replace(&profiles[4], &wu_history, today(), &local);
    let nv = NowValues::of(&f, &q);
    assert_eq!(Tally::of(&f, dec, now()).value(Figure::Revenue, &nv), Value::Fen(400_000));
    // 甲 is deleted there: their stays leave the figures.
    profiles[0].meta.deleted_at = Some(now());
    f.replace(&profiles[0], &[], today(), &local);
    assert_eq!(Tally::of(&f, dec, now()).value(Figure::Revenue, &nv), Value::Fen(220_000));
    assert_eq!(f.live_count(), 3);
}

#[test]
fn chart_axes_end_on_round_numbers() {
    use super::dashboard::axis_top;
    assert_eq!(axis_top(3300.0), 5000.0);
    assert_eq!(axis_top(1000.0), 1000.0);
    assert_eq!(axis_top(1001.0), 2000.0);
    assert_eq!(axis_top(0.37), 0.5);
    assert_eq!(axis_top(0.0), 1.0);
    assert_eq!(axis_top(f64::NAN), 1.0);
}

#[test]
fn required_items_are_those_of_the_kind_and_kept_in_the_policy() {
    let r = Required::default();
    let person: Vec<Field> = Required::choices(CustomerKind::Person).collect();
    let org: Vec<Field> = Required::choices(CustomerKind::Organisation).collect();
    assert!(r.person.iter().all(|f| person.contains(f)));
    assert!(r.organisation.iter().all(|f| org.contains(f)));
    assert!(!person.contains(&Field::OrgTaxNo) && !org.contains(&Field::BirthDate));
    assert!(person.contains(&Field::Phones) && org.contains(&Field::Phones));
    let mut policy = crate::domain::governance::policy::Policy::new();
    assert_eq!(policy.required(), r, "no setting: the defaults");
    let lax = Required {
        person: vec![Field::Name, Field::Phones],
        organisation: vec![Field::OrgTaxNo],
        organisation_docs: vec![
            crate::domain::documents::DocKind::License,
            crate::domain::documents::DocKind::Contract,
        ],
        ..Required::default()
    };
    policy.set_required(&lax);
    let back: crate::domain::governance::policy::Policy =
        serde_json::from_str(&serde_json::to_string(&policy).unwrap()).unwrap();
    assert_eq!(back.required(), lax, "documents required are kept with the fields");
    // A policy signed before required items existed reads with the defaults.
    let old: crate::domain::governance::policy::Policy = serde_json::from_str(r#"{"idle_minutes":10}"#).unwrap();
    assert_eq!(old.required(), r);
}
