//! The semi-annual review (档案复核, seeds 001–002; issue 18), pure: which profiles are due in a
//! review and why (past their retention, no activity for a year, incomplete, a duplicate
//! suspected), from the facts the manager's views read, the accounts, the holds and the profiles
//! already kept in this review. Each reason's rule is [`super::retention::due`].

use super::date::Date;
use super::model::{Severity, Standing};
use super::overview::facts::{Facts, What};
use super::overview::quality::{Grade, Required};
use super::retention::{due, retention, Debt, DueWhy, Facts as RetFacts, Hold, Retention, Rules, Signs};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A profile on the review list.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    /// Its position in the facts.
    pub who: u32,
    pub id: String,
    pub name: String,
    pub why: Vec<DueWhy>,
    pub retention: Retention,
    pub standing: Standing,
    pub last_activity: Date,
}

/// How many were due, by reason (a profile counts under each of its reasons).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub due: u32,
    pub past_retention: u32,
    pub inactive: u32,
    pub incomplete: u32,
    pub duplicate: u32,
}

/// What the review reads besides the facts.
pub struct Inputs<'a> {
    /// A customer's last account entry and whether the account is open today.
    pub account: &'a dyn Fn(&str) -> (Option<Date>, bool),
    /// The holds on a customer.
    pub holds: &'a dyn Fn(&str) -> Vec<Hold>,
    /// Customers already kept (with a reason) in this review.
    pub kept: &'a HashSet<String>,
    pub required: &'a Required,
    pub rules: Rules,
    pub today: Date,
}

/// Every live customer due in the review on `today`, with why, oldest activity first.
pub fn list(f: &Facts, i: &Inputs) -> (Vec<Listed>, Counts) {
    // Each customer's last history day and whether a major or critical complaint is among it.
    let mut last: HashMap<u32, Date> = HashMap::new();
    let mut grave: HashSet<u32> = HashSet::new();
    for e in &f.events {
        let d = last.entry(e.who).or_insert(e.date);
        *d = (*d).max(e.date);
        if matches!(e.what, What::Complaint { severity: Severity::Major | Severity::Critical, .. }) {
            grave.insert(e.who);
        }
    }
    // Duplicates suspected: the same phone, or the same name and date of birth.
    let mut by_phone: HashMap<&str, u32> = HashMap::new();
    let mut by_name: HashMap<(&str, Date), u32> = HashMap::new();
    for (_, c) in f.live() {
        if c.phone.len() >= 7 {
            *by_phone.entry(c.phone.as_str()).or_default() += 1;
        }
        if let Some(b) = c.birth_date {
            *by_name.entry((c.name.as_str(), b)).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for (who, c) in f.live() {
        if i.kept.contains(&c.id) {
            continue;
        }
        let (last_entry, open) = (i.account)(&c.id);
        let last_activity =
            [Some(c.updated), last.get(&who).copied(), last_entry].into_iter().flatten().max().unwrap_or(c.updated);
        let debt = match (last_entry, open) {
            (None, _) => Debt::None,
            (Some(_), true) => Debt::Open,
            (Some(on), false) => Debt::Settled(on),
        };
        let facts = RetFacts { last_activity, grave_complaint: grave.contains(&who), holds: (i.holds)(&c.id), debt };
        let r = retention(&facts, &i.rules);
        let duplicate = (c.phone.len() >= 7 && by_phone.get(c.phone.as_str()).is_some_and(|n| *n > 1))
            || c.birth_date.is_some_and(|b| by_name.get(&(c.name.as_str(), b)).is_some_and(|n| *n > 1));
        let signs = Signs {
            complete: Grade::of(c, i.required, false, i.today).permille == 1000,
            duplicate_suspected: duplicate,
            closed: c.standing != Standing::Active,
        };
        let why = due(&r, last_activity, signs, i.today);
        if why.is_empty() {
            continue;
        }
        counts.due += 1;
        for w in &why {
            match w {
                DueWhy::PastRetention => counts.past_retention += 1,
                DueWhy::Inactive => counts.inactive += 1,
                DueWhy::Incomplete => counts.incomplete += 1,
                DueWhy::Duplicate => counts.duplicate += 1,
            }
        }
        out.push(Listed {
            who,
            id: c.id.clone(),
            name: c.name.clone(),
            why,
            retention: r,
            standing: c.standing,
            last_activity,
        });
    }
    out.sort_by(|a, b| a.last_activity.cmp(&b.last_activity).then_with(|| a.name.cmp(&b.name)));
    (out, counts)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::model::{HistoryEntry, HistoryItem, Meta, Profile};
    use crate::domain::retention::HoldKind;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn guest(id: &str, name: &str, phone: &str, changed: &str) -> Profile {
        let at = d(changed).days_since_epoch() * 86_400_000;
        let mut p = Profile::new(id.into(), at, "前台");
        p.name = name.into();
        p.phones = vec![phone.into()];
        p
    }

    #[test]
    fn the_review_lists_who_is_due_and_why_and_leaves_out_the_kept_the_closed_and_the_active() {
        let today = d("2026-08-03");
        let local = |ms: i64| Date::from_millis(ms);
        let mut facts = Facts::default();
        let profiles = [
            guest("old", "老客人", "13900000001", "2022-01-10"),
            guest("quiet", "安静客人", "13900000002", "2025-03-01"),
            guest("fresh", "新客人", "13900000003", "2026-07-01"),
            guest("dup1", "张伟", "13900000009", "2026-07-01"),
            guest("dup2", "张伟2", "139 0000 0009", "2026-07-01"),
            guest("held", "纠纷客人", "13900000004", "2020-01-01"),
            guest("owes", "欠款客人", "13900000005", "2020-01-01"),
            guest("past", "历史客人", "13900000006", "2024-01-01"),
            guest("kept", "留着的", "13900000007", "2020-01-01"),
        ];
        for p in &profiles {
            let mut p = p.clone();
            if p.id == "past" {
                p.standing = Standing::Past;
            }
            facts.add_profile(&p, today, &local);
        }
        // A stay keeps "quiet" active after its profile was last changed.
        let stay = HistoryItem {
            id: "h1".into(),
            profile_id: "fresh".into(),
            date: d("2026-07-20"),
            entry: HistoryEntry::Note { text: "入住".into() },
            meta: Meta::new(0, "t"),
        };
        facts.add_history(&stay);
        facts.sort();
        let account = |id: &str| if id == "owes" { (Some(d("2021-01-01")), true) } else { (None, false) };
        let holds = |id: &str| {
            if id == "held" {
                vec![Hold { kind: HoldKind::Dispute, reason: "纠纷".into(), ..Hold::default() }]
            } else {
                Vec::new()
            }
        };
        let kept: HashSet<String> = ["kept".to_string()].into();
        // Only a name and a phone are required, so completeness does not decide here.
        let required = Required {
            person: vec![crate::domain::fields::Field::Name, crate::domain::fields::Field::Phones],
            organisation: vec![],
            ..Required::default()
        };
        let i = Inputs {
            account: &account,
            holds: &holds,
            kept: &kept,
            required: &required,
            rules: Rules::default(),
            today,
        };
        let (listed, counts) = list(&facts, &i);
        let why: Vec<(&str, Vec<DueWhy>)> = listed.iter().map(|l| (l.id.as_str(), l.why.clone())).collect();
        assert_eq!(
            why,
            [
                // Held or owing, they are kept; still, nothing happened for years: look at them.
                ("held", vec![DueWhy::Inactive]),
                ("owes", vec![DueWhy::Inactive]),
                ("old", vec![DueWhy::PastRetention]),
                ("quiet", vec![DueWhy::Inactive]),
                ("dup1", vec![DueWhy::Duplicate]),
                ("dup2", vec![DueWhy::Duplicate]),
            ]
        );
        assert_eq!(listed[0].retention, Retention::Permanent(vec![HoldKind::Dispute]));
        assert_eq!(listed[1].retention, Retention::WhileOpen);
        assert_eq!(counts, Counts { due: 6, past_retention: 1, inactive: 3, incomplete: 0, duplicate: 2 });
        assert!(listed.iter().all(|l| !["past", "kept", "fresh"].contains(&l.id.as_str())), "closed, kept, active");
    }
}
