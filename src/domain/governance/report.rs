//! The access log as administrators read it: which events a filter keeps, counts per day, month
//! or year and per staff member, the integrity line in words, and the CSV export.

use super::chain::{Break, Event, EventKind, Integrity};
use crate::domain::date::Date;
use crate::domain::i18n::{Locale, Msg};
use std::collections::BTreeMap;

impl EventKind {
    pub fn msg(self) -> Msg {
        match self {
            EventKind::Open => Msg::EvOpen,
            EventKind::Reveal => Msg::EvReveal,
            EventKind::Print => Msg::EvPrint,
            EventKind::Export => Msg::EvExport,
            EventKind::Import => Msg::EvImport,
            EventKind::Backup => Msg::EvBackup,
            EventKind::Restore => Msg::EvRestore,
            EventKind::Request => Msg::EvRequest,
            EventKind::Approve => Msg::EvApprove,
            EventKind::Refuse => Msg::EvRefuse,
            EventKind::SignIn => Msg::EvSignIn,
            EventKind::SignOut => Msg::EvSignOut,
            EventKind::PinWrong => Msg::EvPinWrong,
            EventKind::Lockout => Msg::EvLockout,
            EventKind::StaffChange => Msg::EvStaffChange,
            EventKind::PolicyChange => Msg::EvPolicyChange,
            EventKind::LogExport => Msg::EvLogExport,
            EventKind::Refused => Msg::EvRefused,
            EventKind::Destroy => Msg::EvDestroy,
            EventKind::Revived => Msg::EvRevived,
        }
    }
}

/// What the log screen shows: every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// A staff member's id.
    pub staff: Option<String>,
    /// A profile's id.
    pub profile: Option<String>,
    pub kind: Option<EventKind>,
    /// From this time on, and before that one (ms since the epoch).
    pub from: Option<i64>,
    pub until: Option<i64>,
}

impl Filter {
    pub fn keeps(&self, e: &Event) -> bool {
        self.staff.as_ref().is_none_or(|s| &e.entry.staff == s)
            && self.profile.as_ref().is_none_or(|p| &e.entry.profile == p)
            && self.kind.is_none_or(|k| e.entry.kind == Some(k))
            && self.from.is_none_or(|t| e.at >= t)
            && self.until.is_none_or(|t| e.at < t)
    }
}

/// The period statistics are counted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Day,
    Month,
    Year,
}

/// The period an event falls in, in local time (`offset_min`: minutes east of UTC), as
/// `2026-12-03`, `2026-12` or `2026`.
pub fn period_of(at: i64, period: Period, offset_min: i32) -> String {
    let d = Date::from_millis(at + offset_min as i64 * 60_000);
    match period {
        Period::Day => d.to_string(),
        Period::Month => format!("{:04}-{:02}", d.year, d.month),
        Period::Year => format!("{:04}", d.year),
    }
}

/// Events per period, newest period first, each with its count per kind.
pub fn by_period<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    period: Period,
    offset_min: i32,
) -> Vec<(String, BTreeMap<EventKind, usize>)> {
    let mut out: BTreeMap<String, BTreeMap<EventKind, usize>> = BTreeMap::new();
    for e in events {
        if let Some(k) = e.entry.kind {
            *out.entry(period_of(e.at, period, offset_min)).or_default().entry(k).or_default() += 1;
        }
    }
    out.into_iter().rev().collect()
}

/// Events per staff member (name as recorded), most first.
pub fn by_staff<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<(String, usize)> {
    let mut out: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in events {
        *out.entry((e.entry.staff.clone(), e.entry.staff_name.clone())).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = out.into_iter().map(|((_, name), n)| (name, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The integrity line: "访问日志完整性：已验证 N 条", or the alarm naming the first broken event.
pub fn integrity_words(i: &Integrity, device_name: impl Fn(&str) -> String, l: Locale) -> String {
    match i {
        Integrity::Verified(n) => format!("{}{n}{}", l.t(Msg::LogVerified), l.t(Msg::LogVerifiedUnit)),
        Integrity::Broken { device, seq, how } => {
            let how = match how {
                Break::Edited => Msg::LogEdited,
                Break::Reordered => Msg::LogReordered,
                Break::Missing => Msg::LogMissing,
            };
            format!("{}{} #{seq}{}", l.t(Msg::LogBroken), device_name(device), l.t(how))
        }
    }
}

/// The events as CSV (the filter's, newest first), in a language.
pub fn csv<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    device_name: impl Fn(&str) -> String,
    offset_min: i32,
    l: Locale,
) -> String {
    let headers: Vec<String> = [
        Msg::LogWhen,
        Msg::LogWho,
        Msg::StaffRole,
        Msg::LogWhat,
        Msg::LogProfile,
        Msg::LogFields,
        Msg::LogReason,
        Msg::LogDevice,
        Msg::LogNumber,
    ]
    .iter()
    .map(|m| l.t(*m).to_string())
    .collect();
    let rows: Vec<Vec<String>> = events
        .into_iter()
        .map(|e| {
            let local = e.at + offset_min as i64 * 60_000;
            let (d, mins) = (Date::from_millis(local), local.rem_euclid(86_400_000) / 60_000);
            vec![
                format!("{d} {:02}:{:02}", mins / 60, mins % 60),
                e.entry.staff_name.clone(),
                e.entry.role.map(|r| l.t(r.msg()).to_string()).unwrap_or_default(),
                e.entry.kind.map(|k| l.t(k.msg()).to_string()).unwrap_or_default(),
                e.entry.profile.clone(),
                e.entry.fields.join(" "),
                e.entry.reason.clone(),
                device_name(&e.device),
                e.seq.to_string(),
            ]
        })
        .collect();
    crate::domain::transfer::csv::write(&headers, &rows)
}

/// Who looked at a profile recently (opened it, revealed a value, printed it): the newest `n`,
/// newest first, from every device's chain.
pub fn recent_looks<'a>(events: &'a [Event], profile: &str, n: usize) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = events
        .iter()
        .filter(|e| {
            e.entry.profile == profile
                && matches!(e.entry.kind, Some(EventKind::Open | EventKind::Reveal | EventKind::Print))
        })
        .collect();
    v.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.seq.cmp(&a.seq)));
    v.truncate(n);
    v
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::chain::{verify, Entry, Witness};
    use super::super::staff::Role;
    use super::*;

    const DAY: i64 = 86_400_000;
    /// 2026-12-01 00:00 UTC.
    const T0: i64 = 1_796_083_200_000;

    fn log() -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        let who = [("s1", "王芳"), ("s2", "李娜")];
        for i in 0..10i64 {
            let (id, name) = who[(i % 3 == 0) as usize];
            let kind = if i % 2 == 0 { EventKind::Open } else { EventKind::SignIn };
            let entry = Entry {
                staff: id.into(),
                staff_name: name.into(),
                role: Some(Role::User),
                kind: Some(kind),
                profile: if kind == EventKind::Open { format!("p{}", i % 4) } else { String::new() },
                ..Entry::default()
            };
            // Two a day, the last ones in the next month.
            out.push(Event::next(
                "dev1",
                out.last(),
                T0 + (i / 2) * DAY + (i % 2) * 3_600_000 + if i >= 8 { 31 * DAY } else { 0 },
                entry,
            ));
        }
        out
    }

    #[test]
    fn the_newest_looks_at_a_profile_first() {
        let events = log();
        let looks = recent_looks(&events, "p0", 5);
        // Opens of p0: i = 0, 4, 8 (8 is a month later).
        assert_eq!(looks.iter().map(|e| e.seq).collect::<Vec<_>>(), [9, 5, 1]);
        assert_eq!(recent_looks(&events, "p0", 1).len(), 1);
        assert!(recent_looks(&events, "nobody", 5).is_empty());
    }

    #[test]
    fn filters_keep_what_they_name() {
        let events = log();
        let keep = |f: Filter| events.iter().filter(|e| f.keeps(e)).count();
        assert_eq!(keep(Filter::default()), 10);
        assert_eq!(keep(Filter { staff: Some("s2".into()), ..Filter::default() }), 4);
        assert_eq!(keep(Filter { kind: Some(EventKind::Open), ..Filter::default() }), 5);
        assert_eq!(keep(Filter { profile: Some("p0".into()), ..Filter::default() }), 3);
        assert_eq!(keep(Filter { from: Some(T0 + DAY), until: Some(T0 + 3 * DAY), ..Filter::default() }), 4);
    }

    #[test]
    fn counts_per_day_month_year_and_staff_member() {
        let events = log();
        let days = by_period(&events, Period::Day, 0);
        assert_eq!(days.len(), 5);
        assert_eq!(days[0].0, "2027-01-05", "newest first");
        assert_eq!(days.last().unwrap().1.values().sum::<usize>(), 2);
        let months = by_period(&events, Period::Month, 0);
        assert_eq!(
            months.iter().map(|(m, c)| (m.as_str(), c.values().sum::<usize>())).collect::<Vec<_>>(),
            [("2027-01", 2), ("2026-12", 8)]
        );
        assert_eq!(by_period(&events, Period::Year, 0).len(), 2);
        // Local time: an event at 20:00 UTC on the 1st counts on the 2nd in Beijing.
        assert_eq!(period_of(T0 + 20 * 3_600_000, Period::Day, 480), "2026-12-02");
        assert_eq!(
            by_staff(&events),
            [("李娜".to_string(), 4), ("王芳".to_string(), 6)].into_iter().rev().collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_integrity_line_says_verified_or_names_the_first_broken_event() {
        let mut events = log();
        let name = |d: &str| format!("「{d}」");
        let ok = verify(&events, &Witness::new());
        assert_eq!(integrity_words(&ok, name, Locale::Zh), "访问日志完整性：已验证 10 条");
        events[3].entry.reason = "改过".into();
        let broken = verify(&events, &Witness::new());
        let words = integrity_words(&broken, name, Locale::Zh);
        assert!(words.contains("「dev1」 #4") && words.contains("被修改"), "{words}");
    }

    #[test]
    fn the_csv_has_a_row_per_event_in_the_language() {
        let events = log();
        let text = csv(events.iter().rev(), |d| d.to_string(), 480, Locale::Zh);
        let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').lines().collect();
        assert_eq!(lines.len(), 11);
        assert!(lines[0].starts_with("时间,员工,角色,操作"));
        assert!(lines[1].starts_with("2027-01-05 09:00,李娜,普通用户,登录"), "{}", lines[1]);
    }
}
