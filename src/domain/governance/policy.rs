//! Who sees which class of field where: one table of role × class × view. The application layer
//! asks it once for every value it hands a screen, an export, a print or a backup; the
//! cryptography (sensitive values sealed to a key only administrators hold) makes the answer for
//! sensitive values binding rather than a display preference.

use super::sealed::SEALED;
use super::staff::Role;
use crate::domain::fields::{Field, Sensitivity};
use crate::domain::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a value is being shown or sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The profile page (its cards, field history and conflicts included).
    Profile,
    /// A list row or a search result: seen over the shoulder, so the least.
    List,
    /// The archive form printed on paper.
    Print,
    /// CSV, XLSX or vCard export.
    Export,
    /// A backup file: every record as stored.
    Backup,
}

impl Action {
    pub const ALL: [Action; 5] = [Action::Profile, Action::List, Action::Print, Action::Export, Action::Backup];
}

/// What a viewer gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// The value.
    Show,
    /// A masked value, and no way to more here.
    Mask,
    /// Masked until the viewer (an administrator) gives a reason; the reveal is logged.
    Reason,
    /// Masked; the viewer may ask an administrator for it (查阅申请), with a reason.
    Ask,
}

/// The table. An approved request turns `Ask` into `Show` for what it covers (`grant.rs`).
pub fn access(role: Role, class: Sensitivity, action: Action) -> Access {
    use Access::*;
    use Action::*;
    use Sensitivity::*;
    match (class, action) {
        (Public, Backup) | (Personal, Backup) | (Sensitive, Backup) if !role.is_admin() => Ask,
        (Public, _) => Show,
        // Lists are read over the shoulder: personal and sensitive values masked for everyone.
        (Personal | Sensitive, List) => Mask,
        (Personal, Export) if !role.is_admin() => Ask,
        (Personal, _) => Show,
        // A backup keeps sensitive values sealed, as stored: it restores the archive, it does not
        // read it.
        (Sensitive, Backup) => Show,
        (Sensitive, _) if role.is_admin() => Reason,
        (Sensitive, _) => Ask,
    }
}

/// The archive's policy: the class of each field, where the super administrator moved it from
/// the registry's default. Synced as a governance record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Field path → class, only where it differs from the registry.
    #[serde(default)]
    pub classes: BTreeMap<String, Sensitivity>,
    /// Minutes of no use before the app locks itself (default 10).
    #[serde(default = "default_idle")]
    pub idle_minutes: u32,
    /// Hours an approval lasts unless the approver says otherwise (default 24).
    #[serde(default = "default_grant_hours")]
    pub grant_hours: u32,
    /// The departments staff can be in.
    #[serde(default = "default_departments")]
    pub departments: Vec<String>,
    /// The items a complete profile holds (archive quality), as field paths per kind of customer
    /// (person, organisation), where the super administrator changed them from the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<(Vec<String>, Vec<String>)>,
    /// Credit limits and payment terms per customer class (a customer's own override them).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub credit: crate::domain::ledger::credit::Defaults,
    /// How long records are kept (written only when changed, so policies signed before keep
    /// their signature).
    #[serde(default, skip_serializing_if = "crate::domain::retention::Rules::is_default")]
    pub retention: crate::domain::retention::Rules,
}

/// How a required document kind is written among the required items' paths.
const REQUIRED_DOC: &str = "doc.kind.";

fn default_departments() -> Vec<String> {
    super::staff::default_departments(crate::domain::i18n::Locale::Zh)
}

fn default_idle() -> u32 {
    10
}
fn default_grant_hours() -> u32 {
    24
}

impl Policy {
    pub fn new() -> Policy {
        Policy {
            classes: BTreeMap::new(),
            idle_minutes: default_idle(),
            grant_hours: default_grant_hours(),
            departments: default_departments(),
            required: None,
            credit: Default::default(),
            retention: Default::default(),
        }
    }

    /// The items a complete profile holds, per kind of customer.
    pub fn required(&self) -> crate::domain::overview::quality::Required {
        use crate::domain::documents::DocKind;
        let fields = |paths: &[String]| paths.iter().filter_map(|p| Field::of_path(p)).collect::<Vec<_>>();
        let docs = |paths: &[String]| {
            paths
                .iter()
                .filter_map(|p| p.strip_prefix(REQUIRED_DOC)?.parse::<u8>().ok())
                .filter_map(|code| DocKind::ALL.iter().copied().find(|k| k.code() == code))
                .collect::<Vec<_>>()
        };
        match &self.required {
            Some((person, org)) => crate::domain::overview::quality::Required {
                person: fields(person),
                organisation: fields(org),
                person_docs: docs(person),
                organisation_docs: docs(org),
            },
            None => Default::default(),
        }
    }

    /// Keeps `r` as the required items (as field paths, then `doc.kind.<code>` for documents).
    pub fn set_required(&mut self, r: &crate::domain::overview::quality::Required) {
        use crate::domain::documents::DocKind;
        let paths = |f: &[Field], d: &[DocKind]| {
            f.iter()
                .map(|f| f.path().to_string())
                .chain(d.iter().map(|k| format!("{REQUIRED_DOC}{}", k.code())))
                .collect()
        };
        self.required = Some((paths(&r.person, &r.person_docs), paths(&r.organisation, &r.organisation_docs)));
    }

    /// A field's class under this policy.
    pub fn class(&self, f: Field) -> Sensitivity {
        self.classes.get(f.path()).copied().unwrap_or(f.sensitivity())
    }

    /// Moves a field to a class (back to the registry's default drops the override).
    pub fn set_class(&mut self, f: Field, class: Sensitivity) {
        if class == f.sensitivity() {
            self.classes.remove(f.path());
        } else {
            self.classes.insert(f.path().to_string(), class);
        }
    }

    /// Checks the settings a super administrator typed: idle lock 1–120 minutes, approvals
    /// 1–168 hours, at least one department, each named and at most 20 characters, none twice.
    pub fn check(&self) -> Result<(), Msg> {
        if SEALED.iter().any(|f| self.class(*f) != Sensitivity::Sensitive) {
            return Err(Msg::ErrSealedClass);
        }
        if !(1..=120).contains(&self.idle_minutes) {
            return Err(Msg::ErrIdleMinutes);
        }
        if !(super::grant::MIN_HOURS..=super::grant::MAX_HOURS).contains(&self.grant_hours) {
            return Err(Msg::ErrGrantHours);
        }
        if !(1..=30).contains(&self.retention.years) || !(10..=30).contains(&self.retention.debt_years) {
            return Err(Msg::ErrRetentionYears);
        }
        let mut seen = std::collections::BTreeSet::new();
        if self.departments.is_empty()
            || self.departments.iter().any(|d| d.trim().is_empty() || d.chars().count() > 20 || !seen.insert(d.trim()))
        {
            return Err(Msg::ErrDepartments);
        }
        Ok(())
    }

    /// Departments as typed in one line (comma, 、 or ， separated), trimmed.
    pub fn parse_departments(text: &str) -> Vec<String> {
        text.split([',', '，', '、']).map(str::trim).filter(|d| !d.is_empty()).map(str::to_string).collect()
    }

    /// The fields whose class the super administrator may change: all but the sealed ones
    /// (stored sealed, they stay sensitive: nobody but an administrator could read them anyway)
    /// and the record's kind and deletion.
    pub fn movable() -> impl Iterator<Item = Field> {
        Field::ALL.iter().copied().filter(|f| !SEALED.contains(f) && !matches!(f, Field::Kind | Field::Deleted))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use Access::*;

    /// Every role × class × view, written out: the table a reviewer checks against the rules.
    #[test]
    fn every_role_class_and_view() {
        #[rustfmt::skip]
        let expected: [(Role, Sensitivity, [Access; 5]); 9] = [
            //                                        Profile  List  Print   Export  Backup
            (Role::User,       Sensitivity::Public,    [Show,   Show, Show,   Show,   Ask]),
            (Role::User,       Sensitivity::Personal,  [Show,   Mask, Show,   Ask,    Ask]),
            (Role::User,       Sensitivity::Sensitive, [Ask,    Mask, Ask,    Ask,    Ask]),
            (Role::DeptAdmin,  Sensitivity::Public,    [Show,   Show, Show,   Show,   Show]),
            (Role::DeptAdmin,  Sensitivity::Personal,  [Show,   Mask, Show,   Show,   Show]),
            (Role::DeptAdmin,  Sensitivity::Sensitive, [Reason, Mask, Reason, Reason, Show]),
            (Role::SuperAdmin, Sensitivity::Public,    [Show,   Show, Show,   Show,   Show]),
            (Role::SuperAdmin, Sensitivity::Personal,  [Show,   Mask, Show,   Show,   Show]),
            (Role::SuperAdmin, Sensitivity::Sensitive, [Reason, Mask, Reason, Reason, Show]),
        ];
        for (role, class, row) in expected {
            for (action, want) in Action::ALL.into_iter().zip(row) {
                assert_eq!(access(role, class, action), want, "{role:?} {class:?} {action:?}");
            }
        }
    }

    #[test]
    fn the_super_administrator_moves_a_field_between_classes() {
        let mut p = Policy::new();
        assert_eq!(p.class(Field::IdDocNumber), Sensitivity::Sensitive);
        assert_eq!(p.class(Field::Email), Sensitivity::Personal);
        p.set_class(Field::Email, Sensitivity::Sensitive);
        assert_eq!(p.class(Field::Email), Sensitivity::Sensitive);
        assert_eq!(p.check(), Ok(()));
        // The sealed fields stay sensitive.
        assert!(!Policy::movable().any(|f| f == Field::IdDocNumber || f == Field::OrgAccount));
        let mut open = p.clone();
        open.set_class(Field::IdDocNumber, Sensitivity::Public);
        assert_eq!(open.check(), Err(Msg::ErrSealedClass));
        p.set_class(Field::Email, Sensitivity::Personal);
        assert!(p.classes.is_empty(), "back to the default leaves no override");
        assert_eq!(p.check(), Ok(()));
        assert_eq!(Policy { idle_minutes: 0, ..Policy::new() }.check(), Err(Msg::ErrIdleMinutes));
        let rules = |years, debt_years| Policy {
            retention: crate::domain::retention::Rules { years, debt_years },
            ..Policy::new()
        };
        assert_eq!(rules(0, 10).check(), Err(Msg::ErrRetentionYears));
        assert_eq!(rules(3, 9).check(), Err(Msg::ErrRetentionYears), "a settled debt is kept ten years at least");
        assert_eq!(rules(5, 15).check(), Ok(()));
        assert_eq!(Policy { grant_hours: 200, ..Policy::new() }.check(), Err(Msg::ErrGrantHours));
        let depts = Policy::parse_departments("前厅, 销售，财务、 ");
        assert_eq!(depts, ["前厅", "销售", "财务"]);
        assert_eq!(Policy { departments: vec![], ..Policy::new() }.check(), Err(Msg::ErrDepartments));
        assert_eq!(
            Policy { departments: vec!["前厅".into(), "前厅".into()], ..Policy::new() }.check(),
            Err(Msg::ErrDepartments)
        );
        // A policy written by an older version reads with the defaults.
        let old: Policy = serde_json::from_str("{}").unwrap();
        assert_eq!((old.idle_minutes, old.grant_hours), (10, 24));
    }
}
