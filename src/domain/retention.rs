//! How long a customer's record is kept (seeds 001–003; `domain.md`, issue 18), pure.
//!
//! An ordinary record is kept [`Rules::years`] (3 by default) after the customer's last activity
//! of any kind (the profile changed, a stay, a complaint, a visit, an account entry). A customer
//! who had receivables is kept [`Rules::debt_years`] (10 by default) after the account was
//! settled, and as long as anything is open. A **hold** keeps it permanently until lifted: a
//! major or critical complaint, or a dispute, an accident or an authority's instruction set by an
//! administrator with a reason.
//!
//! The semi-annual review (档案复核) runs in February and August: [`period_of`] names the review
//! a day belongs to.

use super::date::Date;
use super::i18n::{fill, Locale, Msg};
use super::model::{HistoryEntry, HistoryItem, Severity};
use serde::{Deserialize, Serialize};

/// The retention rules of the archive (the super administrator's, in the policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Years an ordinary record is kept after the last activity.
    pub years: u16,
    /// Years a customer who had receivables is kept after the account was settled.
    pub debt_years: u16,
}

impl Rules {
    pub fn is_default(&self) -> bool {
        *self == Rules::default()
    }
}

impl Default for Rules {
    fn default() -> Rules {
        Rules { years: 3, debt_years: 10 }
    }
}

coded_enum!(
    /// Why a record is kept permanently.
    HoldKind {
        Dispute = 0 => HoldDispute,
        Accident = 1 => HoldAccident,
        Authority = 2 => HoldAuthority,
        /// A major or critical complaint (derived from the history, not set by hand).
        Complaint = 3 => HoldComplaint,
    } default Dispute
);

/// A hold set by an administrator: kept permanently until it is lifted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// The signed record that set it (a `Scope::Hold` request).
    #[serde(default)]
    pub id: String,
    pub kind: HoldKind,
    pub reason: String,
    /// Who set it (staff id and name) and when (ms).
    pub by: String,
    pub by_name: String,
    pub at: i64,
    /// When it was lifted, and by whom; a lifted hold keeps nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifted: Option<(i64, String)>,
}

/// The customer's account, as retention sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Debt {
    /// Never had receivables.
    #[default]
    None,
    /// Something is owed (or owed to the customer) today.
    Open,
    /// Everything was settled on this day (the last entry that brought the balance to zero).
    Settled(Date),
}

/// What a customer's record holds that retention looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// The last day anything happened (profile changed, history, account entry).
    pub last_activity: Date,
    /// A major or critical complaint in the history.
    pub grave_complaint: bool,
    pub holds: Vec<Hold>,
    pub debt: Debt,
}

impl Facts {
    /// The facts of a profile last changed on `changed`, with its history, the day of its last
    /// account entry (if any) and whether its account is open today.
    pub fn of(changed: Date, history: &[HistoryItem], last_entry: Option<Date>, open: bool, holds: Vec<Hold>) -> Facts {
        let last_activity = history.iter().map(|h| h.date).chain(last_entry).fold(changed, Date::max);
        let grave_complaint = history.iter().any(|h| {
            matches!(&h.entry, HistoryEntry::Complaint { severity: Severity::Major | Severity::Critical, .. })
        });
        let debt = match (last_entry, open) {
            (None, _) => Debt::None,
            (Some(_), true) => Debt::Open,
            (Some(on), false) => Debt::Settled(on),
        };
        Facts { last_activity, grave_complaint, holds, debt }
    }
}

/// How long a record is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Retention {
    /// Kept until this day, because of `why`.
    Until { day: Date, why: Basis },
    /// Kept permanently for these reasons.
    Permanent(Vec<HoldKind>),
    /// Kept while its account is open.
    WhileOpen,
}

/// Which rule set the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// `years` after the last activity.
    Activity,
    /// `debt_years` after the account was settled.
    Settled,
}

/// `day` plus `years` (29 February becomes 28 February in a year without it).
pub fn add_years(day: Date, years: u16) -> Date {
    let y = day.year.saturating_add(years);
    Date::new(y, day.month, day.day).or_else(|| Date::new(y, day.month, day.day - 1)).unwrap_or(day)
}

/// How long the record with these facts is kept under `rules`.
pub fn retention(f: &Facts, rules: &Rules) -> Retention {
    let mut holds: Vec<HoldKind> = f.holds.iter().filter(|h| h.lifted.is_none()).map(|h| h.kind).collect();
    if f.grave_complaint {
        holds.push(HoldKind::Complaint);
    }
    holds.sort_by_key(|k| k.code());
    holds.dedup();
    if !holds.is_empty() {
        return Retention::Permanent(holds);
    }
    let by_activity = add_years(f.last_activity, rules.years);
    match f.debt {
        Debt::Open => Retention::WhileOpen,
        Debt::Settled(on) => {
            let by_debt = add_years(on, rules.debt_years);
            if by_debt >= by_activity {
                Retention::Until { day: by_debt, why: Basis::Settled }
            } else {
                Retention::Until { day: by_activity, why: Basis::Activity }
            }
        }
        Debt::None => Retention::Until { day: by_activity, why: Basis::Activity },
    }
}

impl Retention {
    /// Whether the record may be proposed for destruction on `today` (its retention is over).
    pub fn is_due(&self, today: Date) -> bool {
        matches!(self, Retention::Until { day, .. } if *day < today)
    }

    /// In words: `保留至 2029-08-31`, `永久保留：纠纷`, `账款未结清，保留`.
    pub fn words(&self, l: Locale) -> String {
        match self {
            Retention::Until { day, .. } => fill(l.t(Msg::RetUntil), &[day]),
            Retention::Permanent(why) => {
                let why: Vec<&str> = why.iter().map(|k| l.t(k.msg())).collect();
                fill(l.t(Msg::RetPermanent), &[&why.join("、")])
            }
            Retention::WhileOpen => l.t(Msg::RetWhileOpen).to_string(),
        }
    }
}

/// A semi-annual review: the year and its half (February's is the first, August's the second).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: u16,
    pub second: bool,
}

/// The review a day belongs to: from February to July the year's first (February's), from
/// August to January the year's second (August's; January belongs to the year before).
pub fn period_of(day: Date) -> Period {
    match day.month {
        1 => Period { year: day.year - 1, second: true },
        2..=7 => Period { year: day.year, second: false },
        _ => Period { year: day.year, second: true },
    }
}

impl Period {
    /// The month the review is due in (its first day).
    pub fn starts(self) -> Date {
        Date::new(self.year, if self.second { 8 } else { 2 }, 1).expect("a real day")
    }

    /// `2026 年 8 月复核`.
    pub fn words(self, l: Locale) -> String {
        fill(l.t(if self.second { Msg::RetPeriodAug } else { Msg::RetPeriodFeb }), &[&self.year])
    }
}

coded_enum!(
    /// Why a profile is on the review list.
    DueWhy {
        /// Its retention is over: keep it (with a reason) or propose it for destruction.
        PastRetention = 0 => RevPastRetention,
        /// Nothing happened for a year: update it, or mark it trade suspended or past customer.
        Inactive = 1 => RevInactive,
        /// It lacks required items (archive quality).
        Incomplete = 2 => RevIncomplete,
        /// Another profile looks like the same customer: merge them.
        Duplicate = 3 => RevDuplicate,
    } default PastRetention
);

/// What the review looks at for one profile besides its retention.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signs {
    pub complete: bool,
    pub duplicate_suspected: bool,
    /// Already marked trade suspended or past customer: inactivity is expected then.
    pub closed: bool,
}

/// Why a profile is due for the review on `today` (empty: not due).
pub fn due(r: &Retention, last_activity: Date, signs: Signs, today: Date) -> Vec<DueWhy> {
    let mut why = Vec::new();
    if r.is_due(today) {
        why.push(DueWhy::PastRetention);
    }
    if !signs.closed && add_years(last_activity, 1) < today && !r.is_due(today) {
        why.push(DueWhy::Inactive);
    }
    if !signs.complete {
        why.push(DueWhy::Incomplete);
    }
    if signs.duplicate_suspected {
        why.push(DueWhy::Duplicate);
    }
    why
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn facts(last: &str) -> Facts {
        Facts { last_activity: d(last), grave_complaint: false, holds: Vec::new(), debt: Debt::None }
    }

    fn hold(kind: HoldKind) -> Hold {
        Hold { kind, reason: "客人投诉房价".into(), ..Hold::default() }
    }

    #[test]
    fn an_ordinary_record_is_kept_three_years_after_its_last_activity_or_as_configured() {
        let r = retention(&facts("2026-08-31"), &Rules::default());
        assert_eq!(r, Retention::Until { day: d("2029-08-31"), why: Basis::Activity });
        assert_eq!(r.words(Locale::Zh), "保留至 2029-08-31");
        assert!(!r.is_due(d("2029-08-31")), "kept through its last day");
        assert!(r.is_due(d("2029-09-01")));
        let five = Rules { years: 5, ..Rules::default() };
        assert_eq!(
            retention(&facts("2026-08-31"), &five),
            Retention::Until { day: d("2031-08-31"), why: Basis::Activity }
        );
        assert_eq!(add_years(d("2024-02-29"), 3), d("2027-02-28"), "a leap day in a year without one");
    }

    #[test]
    fn a_customer_who_had_receivables_is_kept_ten_years_after_settlement_and_while_open() {
        let mut f = facts("2026-03-01");
        f.debt = Debt::Settled(d("2026-02-10"));
        assert_eq!(retention(&f, &Rules::default()), Retention::Until { day: d("2036-02-10"), why: Basis::Settled });
        f.debt = Debt::Open;
        assert_eq!(retention(&f, &Rules::default()), Retention::WhileOpen);
        assert!(!Retention::WhileOpen.is_due(d("2099-01-01")));
        // Activity long after settlement decides when it is later.
        let short = Rules { years: 3, debt_years: 1 };
        f.debt = Debt::Settled(d("2020-01-01"));
        assert_eq!(retention(&f, &short), Retention::Until { day: d("2029-03-01"), why: Basis::Activity });
    }

    #[test]
    fn a_hold_or_a_grave_complaint_keeps_it_permanently_until_lifted() {
        let mut f = facts("2020-01-01");
        f.holds = vec![hold(HoldKind::Dispute), hold(HoldKind::Authority), hold(HoldKind::Dispute)];
        f.debt = Debt::Open;
        let r = retention(&f, &Rules::default());
        assert_eq!(r, Retention::Permanent(vec![HoldKind::Dispute, HoldKind::Authority]));
        assert_eq!(r.words(Locale::Zh), "永久保留：纠纷、有权机关要求");
        assert!(!r.is_due(d("2099-01-01")));
        // Lifted holds keep nothing; a major complaint does.
        for h in &mut f.holds {
            h.lifted = Some((1, "经理".into()));
        }
        f.debt = Debt::None;
        assert_eq!(retention(&f, &Rules::default()), Retention::Until { day: d("2023-01-01"), why: Basis::Activity });
        f.grave_complaint = true;
        assert_eq!(retention(&f, &Rules::default()), Retention::Permanent(vec![HoldKind::Complaint]));
    }

    #[test]
    fn the_review_lists_what_is_past_retention_inactive_incomplete_or_duplicated() {
        let today = d("2026-08-03");
        let ok = Signs { complete: true, ..Signs::default() };
        let r = |last: &str| retention(&facts(last), &Rules::default());
        assert_eq!(due(&r("2026-01-10"), d("2026-01-10"), ok, today), []);
        assert_eq!(due(&r("2025-08-02"), d("2025-08-02"), ok, today), [DueWhy::Inactive], "a year and a day");
        assert_eq!(due(&r("2025-08-03"), d("2025-08-03"), ok, today), [], "a year to the day is not yet");
        assert_eq!(due(&r("2023-08-02"), d("2023-08-02"), ok, today), [DueWhy::PastRetention], "not also inactive");
        let closed = Signs { closed: true, ..ok };
        assert_eq!(
            due(&r("2025-01-01"), d("2025-01-01"), closed, today),
            [],
            "a past customer is expected to be quiet"
        );
        let messy = Signs { complete: false, duplicate_suspected: true, closed: false };
        assert_eq!(due(&r("2026-01-10"), d("2026-01-10"), messy, today), [DueWhy::Incomplete, DueWhy::Duplicate]);
        let held =
            retention(&Facts { holds: vec![hold(HoldKind::Accident)], ..facts("2010-01-01") }, &Rules::default());
        assert_eq!(due(&held, d("2010-01-01"), closed, today), [], "a hold keeps it off the destruction side");
    }

    #[test]
    fn a_policy_with_the_default_rules_is_written_as_before_so_its_signature_holds() {
        use crate::domain::governance::policy::Policy;
        assert!(!serde_json::to_string(&Policy::new()).unwrap().contains("retention"));
        let changed = Policy { retention: Rules { years: 5, ..Rules::default() }, ..Policy::new() };
        let back: Policy = serde_json::from_str(&serde_json::to_string(&changed).unwrap()).unwrap();
        assert_eq!(back.retention, Rules { years: 5, debt_years: 10 });
    }

    #[test]
    fn a_profile_s_facts_come_from_its_changes_history_and_account() {
        use crate::domain::model::{ComplaintStatus, Meta};
        let item = |day: &str, entry: HistoryEntry| HistoryItem {
            id: day.into(),
            profile_id: "p".into(),
            date: d(day),
            entry,
            meta: Meta::new(0, "t"),
        };
        let complaint = |severity| HistoryEntry::Complaint {
            reason: "噪音".into(),
            severity,
            status: ComplaintStatus::Closed,
            deadline: 0,
            handling: String::new(),
            feedback: String::new(),
            return_visit: String::new(),
            satisfaction: None,
        };
        let history = [
            item("2025-05-01", HistoryEntry::Note { text: "x".into() }),
            item("2024-01-01", complaint(Severity::General)),
        ];
        let f = Facts::of(d("2024-03-01"), &history, None, false, vec![]);
        assert_eq!((f.last_activity, f.grave_complaint, f.debt), (d("2025-05-01"), false, Debt::None));
        let f = Facts::of(d("2024-03-01"), &history, Some(d("2026-01-02")), false, vec![]);
        assert_eq!((f.last_activity, f.debt), (d("2026-01-02"), Debt::Settled(d("2026-01-02"))));
        assert_eq!(Facts::of(d("2024-03-01"), &history, Some(d("2026-01-02")), true, vec![]).debt, Debt::Open);
        let grave = [item("2020-01-01", complaint(Severity::Major))];
        assert!(Facts::of(d("2024-03-01"), &grave, None, false, vec![]).grave_complaint);
    }

    #[test]
    fn reviews_are_in_february_and_august() {
        assert_eq!(period_of(d("2026-02-01")), Period { year: 2026, second: false });
        assert_eq!(period_of(d("2026-07-31")), Period { year: 2026, second: false });
        assert_eq!(period_of(d("2026-08-01")), Period { year: 2026, second: true });
        assert_eq!(period_of(d("2027-01-31")), Period { year: 2026, second: true }, "January is August's");
        assert_eq!(period_of(d("2026-12-04")).starts(), d("2026-08-01"));
        assert_eq!(period_of(d("2026-12-04")).words(Locale::Zh), "2026 年 8 月复核");
    }
}
