//! Archive quality (档案质量): completeness (查全率), the share of the required items a profile
//! holds, with the items per kind of customer; and accuracy (准确率), whether every value passes
//! validation and the profile is not stale (unchanged for over a year while the customer was
//! active in that year). Archive-wide, per class and per creator, and the profiles to fix first.

use super::dashboard::Value;
use super::facts::{bit, Customer, Facts};
use crate::domain::date::Date;
use crate::domain::documents::DocKind;
use crate::domain::fields::Field;
use crate::domain::i18n::{Locale, Msg};
use crate::domain::model::{CustomerClass, CustomerKind, GuestMark};

/// The items a complete profile holds, per kind of customer (set by the super administrator):
/// fields, and documents of some kinds (an organisation's business licence).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Required {
    pub person: Vec<Field>,
    pub organisation: Vec<Field>,
    pub person_docs: Vec<DocKind>,
    pub organisation_docs: Vec<DocKind>,
}

impl Default for Required {
    fn default() -> Required {
        Required {
            person: vec![
                Field::Name,
                Field::Gender,
                Field::BirthDate,
                Field::IdDocNumber,
                Field::Phones,
                Field::Address,
            ],
            organisation: vec![
                Field::Name,
                Field::OrgTaxNo,
                Field::OrgLegalRep,
                Field::OrgIndustry,
                Field::Phones,
                Field::Address,
                Field::OrgContacts,
                Field::OrgBank,
            ],
            // No document by default: requiring one (an organisation's business licence, seeds
            // 000 and 002) is the super administrator's choice, so the figures of an archive do
            // not drop on the day documents arrive.
            person_docs: Vec::new(),
            organisation_docs: Vec::new(),
        }
    }
}

impl Required {
    pub fn of(&self, kind: CustomerKind) -> &[Field] {
        match kind {
            CustomerKind::Person => &self.person,
            CustomerKind::Organisation => &self.organisation,
        }
    }

    pub fn docs_of(&self, kind: CustomerKind) -> &[DocKind] {
        match kind {
            CustomerKind::Person => &self.person_docs,
            CustomerKind::Organisation => &self.organisation_docs,
        }
    }

    /// The fields a super administrator may require of a kind of customer (those its form
    /// fills in: a person's own details, an organisation's registration).
    pub fn choices(kind: CustomerKind) -> impl Iterator<Item = Field> {
        use Field::*;
        Field::ALL.iter().copied().filter(move |f| match f {
            Kind | Class | Deleted => false,
            Gender | BirthDate | Ethnicity | NativePlace | Nationality | IdDocType | IdDocNumber | Company
            | EmergencyContact => kind == CustomerKind::Person,
            _ if f.path().starts_with("org.") => kind == CustomerKind::Organisation,
            _ => true,
        })
    }
}

/// One customer's quality.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Grade {
    /// Required items present, in per mille (1000 = complete).
    pub permille: u16,
    /// Required items missing (bits as in [`Customer::present`]).
    pub missing: u64,
    /// Required documents missing (bits as in [`Customer::docs`]).
    pub missing_docs: u8,
    /// Values that fail validation.
    pub invalid: u64,
    /// Unchanged for over a year while active in that year.
    pub stale: bool,
}

impl Grade {
    pub fn of(c: &Customer, required: &Required, active: bool, today: Date) -> Grade {
        let (need, docs) = (required.of(c.kind), required.docs_of(c.kind));
        let missing = need.iter().filter(|f| c.present & bit(**f) == 0).fold(0, |acc, f| acc | bit(*f));
        let missing_docs = docs.iter().filter(|k| c.docs & doc_bit(**k) == 0).fold(0, |acc, k| acc | doc_bit(*k));
        let all = need.len() + docs.len();
        let have = all - missing.count_ones() as usize - missing_docs.count_ones() as usize;
        let permille = (have * 1000).checked_div(all).map_or(1000, |p| p as u16);
        let stale = active && today.days_since_epoch() - c.updated.days_since_epoch() > 365;
        Grade { permille, missing, missing_docs, invalid: c.invalid, stale }
    }

    pub fn is_accurate(self) -> bool {
        self.invalid == 0 && !self.stale
    }

    /// What is wrong in words, in a language: the missing items, the values failing their check,
    /// staleness (`["缺：出生日期、证件号码", "超过一年未更新（期间仍有往来）"]`).
    pub fn problems(&self, l: Locale) -> Vec<String> {
        let sep = if l == Locale::Zh { "、" } else { ", " };
        let colon = if l == Locale::Zh { "：" } else { ": " };
        let names = |bits: u64| Grade::fields(bits).iter().map(|f| f.plain_label(l)).collect::<Vec<_>>().join(sep);
        let mut out = Vec::new();
        let docs =
            DocKind::ALL.iter().filter(|k| self.missing_docs & doc_bit(**k) != 0).map(|k| l.t(k.msg()).to_string());
        let missing: Vec<String> = [names(self.missing)].into_iter().filter(|n| !n.is_empty()).chain(docs).collect();
        if !missing.is_empty() {
            out.push(format!("{}{colon}{}", l.t(Msg::QMissing), missing.join(sep)));
        }
        if self.invalid != 0 {
            out.push(format!("{}{colon}{}", l.t(Msg::QInvalid), names(self.invalid)));
        }
        if self.stale {
            out.push(l.t(Msg::QStale).to_string());
        }
        out
    }

    /// The fields of a bit set, in form order.
    pub fn fields(bits: u64) -> Vec<Field> {
        Field::ALL.iter().copied().filter(|f| bits & bit(*f) != 0).collect()
    }
}

/// The bit of a document kind in [`Customer::docs`].
pub fn doc_bit(k: DocKind) -> u8 {
    1 << k.code()
}

/// Quality figures for a group of customers.
#[derive(Clone, Debug, PartialEq)]
pub struct Group<K> {
    pub key: K,
    pub customers: u64,
    pub completeness: Value,
    pub accuracy: Value,
}

/// The quality of every live customer of the archive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quality {
    /// By position in the facts; `None` for a customer no longer in the archive.
    pub grades: Vec<Option<Grade>>,
}

impl Quality {
    /// Grades every live customer of `facts` on `today` ("active" = any history in the year up to today).
    pub fn of(facts: &Facts, required: &Required, today: Date) -> Quality {
        let year_ago = Date::from_days_since_epoch(today.days_since_epoch() - 365);
        let mut active = vec![false; facts.customers.len()];
        for e in facts.events_in(year_ago, today) {
            active[e.who as usize] = true;
        }
        let mut grades = vec![None; facts.customers.len()];
        for (i, c) in facts.live() {
            grades[i as usize] = Some(Grade::of(c, required, active[i as usize], today));
        }
        Quality { grades }
    }

    fn live(&self) -> impl Iterator<Item = (u32, Grade)> + '_ {
        self.grades.iter().enumerate().filter_map(|(i, g)| g.map(|g| (i as u32, g)))
    }

    fn summary(grades: impl Iterator<Item = Grade>) -> (u64, Value, Value) {
        let (mut n, mut sum, mut ok) = (0u64, 0u64, 0u64);
        for g in grades {
            n += 1;
            sum += u64::from(g.permille);
            ok += u64::from(g.is_accurate());
        }
        (n, Value::Mean { permille_sum: sum, of: n }, Value::Share { part: ok, whole: n })
    }

    /// The mean completeness of the archive.
    pub fn completeness(&self) -> Value {
        Quality::summary(self.live().map(|(_, g)| g)).1
    }

    /// The share of accurate profiles.
    pub fn accuracy(&self) -> Value {
        Quality::summary(self.live().map(|(_, g)| g)).2
    }

    /// Customers missing a required item.
    pub fn incomplete(&self) -> Vec<u32> {
        self.live().filter(|(_, g)| g.permille < 1000).map(|(i, _)| i).collect()
    }

    /// Customers with an invalid or stale value.
    pub fn inaccurate(&self) -> Vec<u32> {
        self.live().filter(|(_, g)| !g.is_accurate()).map(|(i, _)| i).collect()
    }

    /// The figures per class, in class order (classes with no customer left out).
    pub fn by_class(&self, facts: &Facts) -> Vec<Group<CustomerClass>> {
        CustomerClass::ALL
            .iter()
            .filter_map(|k| {
                let (n, c, a) =
                    Quality::summary(self.live().filter(|(i, _)| facts.customer(*i).class == *k).map(|(_, g)| g));
                (n > 0).then_some(Group { key: *k, customers: n, completeness: c, accuracy: a })
            })
            .collect()
    }

    /// The figures per staff member who created the profiles, by name.
    pub fn by_creator(&self, facts: &Facts) -> Vec<Group<String>> {
        let mut names: Vec<&str> = self.live().map(|(i, _)| facts.customer(i).created_by.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let (n, c, a) = Quality::summary(
                    self.live().filter(|(i, _)| facts.customer(*i).created_by == name).map(|(_, g)| g),
                );
                Group { key: name.to_string(), customers: n, completeness: c, accuracy: a }
            })
            .collect()
    }

    /// The profiles to fix first, at most `n`: those missing an item or not accurate, the most
    /// important customers first (class, then VIP and regular marks), the least complete first
    /// within them.
    pub fn fix_first(&self, facts: &Facts, n: usize) -> Vec<u32> {
        let mark_rank = |m: GuestMark| match m {
            GuestMark::Vip => 0,
            GuestMark::Regular => 1,
            GuestMark::None => 2,
        };
        let mut out: Vec<(u32, Grade)> = self.live().filter(|(_, g)| g.permille < 1000 || !g.is_accurate()).collect();
        out.sort_by_cached_key(|(i, g)| {
            let c = facts.customer(*i);
            (c.class.code(), mark_rank(c.mark), g.permille, g.is_accurate(), c.name.clone())
        });
        out.into_iter().take(n).map(|(i, _)| i).collect()
    }
}
