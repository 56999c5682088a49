//! Deterministic generated archives for the benchmark and large tests: Chinese and Latin names,
//! mobile phones, valid resident ID numbers, companies, customer codes, preferences and a few
//! history items per profile. Invented data, never presented in the app.

use crate::domain::date::Date;
use crate::domain::governance::chain::{Entry, Event, EventKind};
use crate::domain::governance::staff::Role;
use crate::domain::ids::resident_id_check_char;
use crate::domain::model::*;

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志红梅琳晨浩宇轩子涵欣怡雨婷佳俊博文思彤嘉睿泽晓东海波斌宁凯瑶颖雪琪梓萱一诺";
const FIRST: [&str; 12] =
    ["John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Olivia", "Robert", "Sophie", "Kenji", "Yuki"];
const LAST: [&str; 12] =
    ["Smith", "Brown", "Wilson", "Taylor", "Clark", "Walker", "Young", "King", "Wright", "Scott", "Tanaka", "Sato"];
const CITIES: [&str; 10] = ["北京", "上海", "广州", "深圳", "杭州", "成都", "南京", "武汉", "西安", "苏州"];
const WORDS: [&str; 12] =
    ["华远", "新纪元", "恒信", "东方", "锦程", "博远", "中联", "天成", "瑞丰", "海纳", "金桥", "宏达"];
const TRADES: [&str; 6] = ["科技", "贸易", "旅行社", "投资", "医药", "建设"];
const AREAS: [&str; 6] = ["110105", "310104", "440305", "330106", "510107", "420102"];

/// A small deterministic PRNG (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn pick_char(&mut self, s: &str) -> char {
        let n = s.chars().count();
        s.chars().nth(self.below(n)).expect("in range")
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A valid 18-digit resident ID number.
pub fn resident_id(rng: &mut Rng, birth: Date) -> String {
    let mut s =
        format!("{}{:04}{:02}{:02}{:03}", rng.pick(&AREAS), birth.year, birth.month, birth.day, rng.below(1000));
    let c = resident_id_check_char(s.as_bytes());
    s.push(c);
    s
}

/// Profile `i` of a generated archive; the same `(seed, i)` always gives the same profile.
pub fn profile(seed: u64, i: usize, now: Millis) -> Profile {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x1000_0000_01B3));
    let mut p =
        Profile::new(format!("g{seed:x}-{i:07}"), now - (rng.next_u64() % (3 * 365 * 86_400_000u64)) as i64, "bench");
    p.meta.updated_at = p.meta.created_at + rng.below(86_400_000) as i64;
    if rng.chance(12) {
        p.kind = CustomerKind::Organisation;
        let city = *rng.pick(&CITIES);
        let word = *rng.pick(&WORDS);
        p.name = format!("{city}{word}{}有限公司", rng.pick(&TRADES));
        p.short_name = format!("{word}{}", rng.below(100));
        p.customer_code = format!("C{:06}", i);
        p.org.legal_rep = format!("{}{}", rng.pick_char(SURNAMES), rng.pick_char(GIVEN));
    } else if rng.chance(10) {
        p.name = format!("{} {}", rng.pick(&FIRST), rng.pick(&LAST));
        p.nationality = "UK".into();
    } else {
        let mut name = String::new();
        name.push(rng.pick_char(SURNAMES));
        name.push(rng.pick_char(GIVEN));
        if rng.chance(60) {
            name.push(rng.pick_char(GIVEN));
        }
        p.name = name;
        let birth =
            Date::new(1950 + rng.below(55) as u16, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8).expect("valid");
        p.birth_date = Some(birth);
        if rng.chance(70) {
            p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: resident_id(&mut rng, birth) });
        }
        if rng.chance(40) {
            p.company = format!("{}{}{}", rng.pick(&CITIES), rng.pick(&WORDS), rng.pick(&TRADES));
        }
    }
    p.phones = vec![format!("1{}{:09}", 3 + rng.below(7), rng.next_u64() % 1_000_000_000)];
    p.class = CustomerClass::from_code(rng.below(4) as u8);
    p.mark = if rng.chance(5) {
        GuestMark::Vip
    } else if rng.chance(15) {
        GuestMark::Regular
    } else {
        GuestMark::None
    };
    p.credit = CreditRating::from_code(rng.below(4) as u8);
    if rng.chance(20) {
        p.preferences.push(Preference { kind: PrefKind::Taboo, value: "忌数字4".into() });
    }
    if rng.chance(30) {
        p.preferences.push(Preference { kind: PrefKind::Pillow, value: "荞麦枕".into() });
    }
    if rng.chance(25) {
        p.tags.push((*rng.pick(&["商务", "团队", "会员", "长住"])).into());
    }
    p
}

/// A few history items of a generated profile: in turn a stay, a restaurant bill and a (closed)
/// complaint, the shape of a hotel's history.
pub fn history(p: &Profile, seed: u64, count: usize) -> Vec<HistoryItem> {
    let mut rng = Rng::new(seed ^ 0xABCD ^ p.id.len() as u64 ^ p.meta.created_at as u64);
    (0..count)
        .map(|k| {
            let entry = match k % 3 {
                0 => HistoryEntry::Stay {
                    nights: 1 + rng.below(5) as u16,
                    room_type: "大床房".into(),
                    channel: "携程".into(),
                    amenities: String::new(),
                    amount_fen: 40_000 + rng.below(60_000) as i64,
                },
                1 => HistoryEntry::Consumption {
                    category: "中餐".into(),
                    covers: 1 + rng.below(8) as u16,
                    amount_fen: 20_000 + rng.below(200_000) as i64,
                    discount_pct: 0,
                    payment: "微信".into(),
                },
                _ => HistoryEntry::Complaint {
                    reason: "空调噪音大，夜里被吵醒".into(),
                    severity: Severity::General,
                    status: ComplaintStatus::Closed,
                    deadline: p.meta.created_at + (k as i64 + 3) * 86_400_000,
                    handling: "当晚换房，赠送早餐".into(),
                    feedback: "客人表示满意".into(),
                    return_visit: "三日后电话回访".into(),
                    satisfaction: Some(4),
                },
            };
            HistoryItem {
                id: format!("{}-h{k}", p.id),
                profile_id: p.id.clone(),
                date: Date::from_millis(p.meta.created_at + k as i64 * 86_400_000),
                entry,
                meta: Meta::new(p.meta.created_at, "bench"),
            }
        })
        .collect()
}

/// A customer's account over the year before `now`: sometimes an opening balance, about one
/// sale a month due after 30 days, receipts paying most of it (now and then naming the invoice),
/// now and then a return, an adjustment waiting for approval or a reversed receipt; `mean`
/// entries on average. Ids `<profile>-l<k>`.
pub fn ledger(p: &Profile, seed: u64, mean: usize, now: Millis) -> Vec<crate::domain::ledger::Entry> {
    use crate::domain::ledger::{Body, Entry, PayMethod};
    let mut rng =
        Rng::new(seed ^ 0x1ED6 ^ p.id.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
    let today = Date::from_millis(now).days_since_epoch();
    let day = |d: i64| Date::from_days_since_epoch(d);
    let mut out: Vec<Entry> = Vec::new();
    let push = |out: &mut Vec<Entry>, date: i64, body: Body| {
        let k = out.len();
        out.push(Entry {
            id: format!("{}-l{k}", p.id),
            profile_id: p.id.clone(),
            date: day(date),
            body,
            note: String::new(),
            meta: Meta::new(now - (today - date) * 86_400_000, "bench"),
        });
    };
    if rng.chance(30) {
        push(
            &mut out,
            today - 365,
            Body::Opening { amount_fen: 10_000 * (1 + rng.below(50)) as i64, doc: "期初".into(), due: None },
        );
    }
    // About half the entries are sales, most of the rest receipts.
    let sales = (mean / 2).max(1) + rng.below(3) - 1;
    for s in 0..sales {
        let date = today - 360 + (s as i64 * 360 / sales as i64) + rng.below(20) as i64;
        let date = date.min(today);
        let amount = 5_000 + rng.below(500_000) as i64;
        let sale = out.len();
        push(
            &mut out,
            date,
            Body::Sale {
                doc: format!("INV-{}", 1000 + sale),
                amount_fen: amount,
                due: day(date + 30),
                override_: None,
            },
        );
        // Paid after 10 to 70 days (most of them), in full or in part.
        if rng.chance(93) && date + 10 < today {
            let paid = (date + 10 + rng.below(60) as i64).min(today);
            let part = if rng.chance(92) { amount } else { amount / 2 };
            let pays = if rng.chance(20) { vec![out[sale].id.clone()] } else { Vec::new() };
            push(
                &mut out,
                paid,
                Body::Receipt { amount_fen: part, method: *rng.pick(PayMethod::ALL), doc: String::new(), pays },
            );
            if rng.chance(3) {
                let r = out.last().expect("just pushed").clone();
                push(
                    &mut out,
                    paid,
                    Body::Reversal { of: r.id.clone(), amount_fen: -r.body.effect(), reason: "收款录错".into() },
                );
            }
        }
        if rng.chance(8) {
            let against = Some(out[sale].id.clone());
            push(
                &mut out,
                (date + 5).min(today),
                Body::Return { amount_fen: amount / 10, doc: format!("RED-{sale}"), against },
            );
        }
        if rng.chance(4) {
            push(
                &mut out,
                (date + 20).min(today),
                Body::Adjustment { amount_fen: -(amount % 100), reason: "抹零".into() },
            );
        }
    }
    out
}

/// A year of access-log events from `devices` front-desk devices (each its own chain, in order):
/// staff of the desk opening profiles `g<seed>-…` of a `profiles`-sized archive, with now and
/// then a print, an export, a reveal with its reason, sign-ins and sign-outs; `n` in all.
pub fn events(seed: u64, n: usize, profiles: usize, devices: usize, now: Millis) -> Vec<Event> {
    const STAFF: [(&str, &str, Role); 5] = [
        ("s-li", "李前台", Role::User),
        ("s-wang", "王前台", Role::User),
        ("s-zhao", "赵前台", Role::User),
        ("s-chen", "陈主管", Role::DeptAdmin),
        ("s-zhou", "周经理", Role::SuperAdmin),
    ];
    let mut rng = Rng::new(seed ^ 0x5EED_1065);
    let year = 365 * 86_400_000i64;
    let per = n.div_ceil(devices.max(1));
    let mut out = Vec::with_capacity(n);
    for d in 0..devices.max(1) {
        let device = format!("desk{d}-{seed:x}");
        let count = per.min(n - out.len());
        let mut last: Option<Event> = None;
        for k in 0..count {
            let at = now - year + (k as i64 * year) / count.max(1) as i64;
            let (staff, staff_name, role) = *rng.pick(&STAFF);
            let kind = match rng.below(100) {
                0..=84 => EventKind::Open,
                85..=89 => EventKind::Print,
                90..=91 => EventKind::Export,
                92..=93 if role.is_admin() => EventKind::Reveal,
                92..=95 => EventKind::SignIn,
                _ => EventKind::SignOut,
            };
            let mut entry = Entry {
                staff: staff.into(),
                staff_name: staff_name.into(),
                role: Some(role),
                kind: Some(kind),
                ..Entry::default()
            };
            if matches!(kind, EventKind::Open | EventKind::Print | EventKind::Reveal) {
                entry.profile = format!("g{seed:x}-{:07}", rng.below(profiles.max(1)));
            }
            if kind == EventKind::Reveal {
                entry.fields = vec!["id_doc.number".into()];
                entry.reason = "核对入住登记".into();
            }
            if kind == EventKind::Export {
                entry.detail = format!("dangan-{}.csv", rng.below(1000));
            }
            let e = Event::next(&device, last.as_ref(), at, entry);
            out.push(e.clone());
            last = Some(e);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::search::{Filter, IndexEntry, SearchIndex};
    use crate::domain::validate::{validate_history, validate_profile, ArchiveContext};

    #[test]
    fn generated_profiles_are_deterministic_and_valid() {
        let now = 1_800_000_000_000;
        assert_eq!(profile(7, 42, now), profile(7, 42, now));
        let none = |_: &str| None;
        let yes = |_: &str| true;
        let ctx = ArchiveContext { today: Date::new(2027, 6, 1).unwrap(), code_owner: &none, profile_exists: &yes };
        for i in 0..2000 {
            let p = profile(7, i, now);
            assert_eq!(validate_profile(&p, &ctx), vec![], "{p:?}");
            for h in history(&p, 7, 3) {
                assert!(validate_history(&h, Date::new(2027, 6, 1).unwrap()).is_empty());
            }
        }
    }

    #[test]
    fn generated_events_make_whole_chains() {
        use crate::domain::governance::chain::{verify, Integrity, Witness};
        let ev = events(1, 1000, 100, 3, 1_800_000_000_000);
        assert_eq!(ev.len(), 1000);
        assert_eq!(verify(&ev, &Witness::new()), Integrity::Verified(1000));
        assert!(ev.iter().filter(|e| e.entry.kind == Some(EventKind::Open)).count() > 700);
    }

    #[test]
    fn a_generated_archive_is_searchable_by_initials() {
        let ps: Vec<Profile> = (0..3000).map(|i| profile(1, i, 1_800_000_000_000)).collect();
        let ix = SearchIndex::from_entries(ps.iter().map(IndexEntry::from_profile));
        let r = ix.search("zh", &Filter::default(), 50);
        assert!(r.total > 50, "{}", r.total);
        let first = ix.entry(r.hits[0]);
        assert!(
            first.initials.starts_with("zh")
                || first.pinyin.starts_with("zh")
                || first.initials.split(' ').any(|x| x == "zh"),
            "{first:?}"
        );
    }
}

/// The small archive whose manager's figures are computed by hand (`domain/overview/tests.rs`,
/// and the e2e `tests/e2e/overview.test.mjs` through `examples/overview_seed.rs`):
/// - 甲 person, important, VIP, since 2026-12-01, complete; stays 2026-12-01 (2 nights, ¥1,000) and
///   12-02 (1 night, ¥500), a meal 12-02 (2 covers, ¥300); a stay 12-03 deleted; born 1980 on the
///   day two days after `today`.
/// - 乙 person, main, since 2025-01-10, name/gender/address only, last changed 2025-06-01, a lunar
///   birthday on the lunar day of `today` + 10; stay 12-02 (3 nights, ¥1,500), an open complaint
///   12-02 two hours past its deadline at `now`, a visit 2026-08-01 planning the next for `today`
///   + 7.
/// - 丙 organisation, ordinary, since 2020-05-01, created by 李四, a bad e-mail; stay 2026-11-20
///   (1 night, ¥400), a resolved complaint 11-21, a visit 2026-06-01.
/// - 丁 person, deleted, with a stay of ¥99,999 on 12-01: counts nowhere.
/// - 戊 person, ordinary, since 2024-01-01, a name only, no history.
pub fn overview_archive(today: Date, now: Millis) -> (Vec<Profile>, Vec<HistoryItem>) {
    const HOUR: i64 = 3_600_000;
    let d = |y, m, day| Date::new(y, m, day).expect("a real day");
    let after = |n: i64| Date::from_days_since_epoch(today.days_since_epoch() + n);
    let at = |day: Date| day.days_since_epoch() * 24 * HOUR;
    let person = |id: &str, name: &str, class: CustomerClass, since: Date| {
        let mut p = Profile::new(id.into(), now - HOUR, "张三");
        p.name = name.into();
        p.class = class;
        p.since = Some(since);
        p
    };
    let item = |id: &str, pid: &str, date: Date, entry: HistoryEntry| HistoryItem {
        id: id.into(),
        profile_id: pid.into(),
        date,
        entry,
        meta: Meta::new(now, "张三"),
    };
    let stay = |nights: u16, yuan: i64| HistoryEntry::Stay {
        nights,
        room_type: String::new(),
        channel: String::new(),
        amenities: String::new(),
        amount_fen: yuan * 100,
    };
    let complaint = |status: ComplaintStatus, deadline: Millis| HistoryEntry::Complaint {
        reason: "噪音".into(),
        severity: Severity::General,
        status,
        deadline,
        handling: String::new(),
        feedback: String::new(),
        return_visit: String::new(),
        satisfaction: None,
    };
    let visit = |next: Option<Date>| HistoryEntry::Visit {
        visitor: "王经理".into(),
        purpose: String::new(),
        notes: String::new(),
        next_step: String::new(),
        next_date: next,
    };
    let mut jia = person("p0", "甲", CustomerClass::Important, d(2026, 12, 1));
    jia.mark = GuestMark::Vip;
    jia.gender = Gender::Male;
    let born = after(2);
    jia.birth_date = Date::new(1980, born.month, born.day.min(28));
    jia.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
    jia.phones = vec!["13800138000".into()];
    jia.address = "上海".into();
    let mut yi = person("p1", "乙", CustomerClass::Main, d(2025, 1, 10));
    yi.gender = Gender::Female;
    yi.address = "杭州".into();
    if let Some(l) = crate::domain::lunar::to_lunar(after(10)) {
        yi.special_days = vec![SpecialDay {
            kind: DayKind::Birthday,
            month: l.month,
            day: l.day,
            label: String::new(),
            calendar: if l.leap { DayCalendar::LunarLeap } else { DayCalendar::Lunar },
        }];
    }
    yi.meta.updated_at = at(d(2025, 6, 1));
    let mut bing = person("p2", "丙", CustomerClass::Ordinary, d(2020, 5, 1));
    bing.kind = CustomerKind::Organisation;
    bing.phones = vec!["13900139000".into()];
    bing.address = "福州".into();
    bing.email = "bad@".into();
    bing.meta.created_by = "李四".into();
    let mut ding = person("p3", "丁", CustomerClass::Potential, d(2026, 1, 1));
    ding.meta.deleted_at = Some(now);
    let wu = person("p4", "戊", CustomerClass::Ordinary, d(2024, 1, 1));
    let mut deleted_stay = item("h9", "p0", d(2026, 12, 3), stay(1, 800));
    deleted_stay.meta.deleted_at = Some(now);
    let meal = HistoryEntry::Consumption {
        category: "中餐".into(),
        covers: 2,
        amount_fen: 30_000,
        discount_pct: 0,
        payment: String::new(),
    };
    let history = vec![
        item("h0", "p0", d(2026, 12, 1), stay(2, 1000)),
        item("h1", "p0", d(2026, 12, 2), stay(1, 500)),
        item("h2", "p0", d(2026, 12, 2), meal),
        deleted_stay,
        item("h3", "p1", d(2026, 12, 2), stay(3, 1500)),
        item("h4", "p1", d(2026, 12, 2), complaint(ComplaintStatus::Open, now - 2 * HOUR)),
        item("h5", "p1", d(2026, 8, 1), visit(Some(after(7)))),
        item("h6", "p2", d(2026, 11, 20), stay(1, 400)),
        item("h7", "p2", d(2026, 11, 21), complaint(ComplaintStatus::Resolved, at(d(2026, 11, 22)))),
        item("h8", "p2", d(2026, 6, 1), visit(None)),
        item("h10", "p3", d(2026, 12, 1), stay(5, 99_999)),
    ];
    (vec![jia, yi, bing, ding, wu], history)
}

/// A grade of class `class` from a one-indicator analysis of 2026 (tests of what carries it).
pub fn grade(class: AbcClass) -> AbcGrade {
    let d = |m, day| Date::new(2026, m, day).expect("a real day");
    AbcGrade {
        class,
        on: d(12, 3),
        by: String::new(),
        from: d(1, 1),
        to: d(12, 31),
        weights: vec![(AbcIndicator::Revenue, 100)],
        inputs: vec![1],
        score: 1,
        rank: 1,
        of: 1,
        cut_a: 70,
        cut_b: 20,
        data_updated: None,
    }
}
