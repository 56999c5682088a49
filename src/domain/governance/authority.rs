//! Which governance records a device accepts: staff, roles, policy and decisions are signed by
//! their author, and count only when the author was entitled to make them. A role raised by
//! editing one tablet's database carries no signature of a super administrator, so every other
//! device refuses it (and logs the refusal).

use super::grant::{Request, Scope};
use super::staff::{Role, Staff};

/// What a governance record does.
#[derive(Clone, Copy, Debug)]
pub enum Act<'a> {
    /// The archive's first super administrator, signed by themselves.
    Genesis { staff: &'a Staff },
    /// A staff member added or changed.
    Staff { after: &'a Staff },
    /// A staff member's credentials (PIN hash, wrapped keys) for `staff`.
    Keys { staff: &'a str },
    /// The policy changed.
    Policy,
    /// A view request.
    Request { request: &'a Request },
    /// An approval or refusal of a request.
    Decide { request: &'a Request },
}

/// Why a record is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its signature does not check against its author's key.
    BadSignature,
    /// Its author is not a known staff member.
    UnknownAuthor,
    /// Its author was removed.
    Inactive,
    /// Its author's role does not allow it.
    NotEntitled,
    /// The archive already has its first super administrator.
    SecondGenesis,
    /// It would leave the archive without an active super administrator.
    NoSuperAdmin,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::BadSignature => "bad_signature",
            Refusal::UnknownAuthor => "unknown_author",
            Refusal::Inactive => "inactive_author",
            Refusal::NotEntitled => "not_entitled",
            Refusal::SecondGenesis => "second_genesis",
            Refusal::NoSuperAdmin => "no_super_admin",
        }
    }
}

/// Whether `actor` may do `act` (the signature aside).
pub fn entitled(actor: &Staff, act: Act) -> bool {
    if !actor.active {
        return false;
    }
    match act {
        Act::Genesis { staff } => staff.id == actor.id && staff.role == Role::SuperAdmin,
        // Credentials are signed by their owner's own key: a PIN change needs nobody else.
        Act::Keys { staff } => staff == actor.id,
        Act::Staff { .. } | Act::Policy => actor.role == Role::SuperAdmin,
        // Only an administrator applies for a destruction; only a super administrator other
        // than the applicant approves it.
        Act::Request { request } => {
            request.requester == actor.id && (request.scope.is_view_request() || actor.role != Role::User)
        }
        // Any administrator lifts a hold, the one who set it too.
        Act::Decide { request } if matches!(request.scope, Scope::Hold { .. }) => actor.role != Role::User,
        Act::Decide { request } if matches!(request.scope, Scope::Destroy { .. }) => {
            request.requester != actor.id && actor.role == Role::SuperAdmin
        }
        Act::Decide { request } => {
            request.requester != actor.id
                && match actor.role {
                    Role::SuperAdmin => true,
                    Role::DeptAdmin => actor.department == request.department,
                    Role::User => false,
                }
        }
    }
}

/// Judges a record: `author` is its author as this device knows them (None if unknown),
/// `signature_ok` whether the signature checked against the author's key (done in Web Crypto
/// before), `has_genesis` whether the archive already has its first super administrator, and
/// `staff` every staff member as accepted so far (to keep one super administrator).
pub fn judge(
    author: Option<&Staff>,
    signature_ok: bool,
    act: Act,
    has_genesis: bool,
    staff: &[Staff],
) -> Result<(), Refusal> {
    if let Act::Genesis { .. } = act {
        if has_genesis {
            return Err(Refusal::SecondGenesis);
        }
    }
    let author = author.ok_or(Refusal::UnknownAuthor)?;
    if !signature_ok {
        return Err(Refusal::BadSignature);
    }
    if !author.active {
        return Err(Refusal::Inactive);
    }
    if !entitled(author, act) {
        return Err(Refusal::NotEntitled);
    }
    if let Act::Staff { after, .. } = act {
        if !leaves_super_admin(staff, after) {
            return Err(Refusal::NoSuperAdmin);
        }
    }
    Ok(())
}

/// Whether the staff, with `changed` in place of its old version, still has an active super
/// administrator.
pub fn leaves_super_admin(staff: &[Staff], changed: &Staff) -> bool {
    staff
        .iter()
        .filter(|s| s.id != changed.id)
        .chain(std::iter::once(changed))
        .any(|s| s.active && s.role == Role::SuperAdmin)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::grant::Scope;
    use super::*;

    fn staff(id: &str, role: Role, dept: &str) -> Staff {
        Staff { id: id.into(), name: id.into(), department: dept.into(), role, active: true, ..Staff::default() }
    }

    fn request(by: &str, dept: &str) -> Request {
        Request {
            id: "r".into(),
            at: 0,
            requester: by.into(),
            requester_name: by.into(),
            department: dept.into(),
            scope: Scope::Export,
            reason: "年度对账".into(),
        }
    }

    #[test]
    fn only_a_super_administrator_manages_staff_and_policy() {
        let boss = staff("boss", Role::SuperAdmin, "前厅");
        let head = staff("head", Role::DeptAdmin, "前厅");
        let clerk = staff("clerk", Role::User, "前厅");
        let all = [boss.clone(), head.clone(), clerk.clone()];
        let raised = Staff { role: Role::SuperAdmin, ..clerk.clone() };
        let act = Act::Staff { after: &raised };
        assert_eq!(judge(Some(&boss), true, act, true, &all), Ok(()));
        // The clerk raising themselves, with their own valid signature: refused.
        assert_eq!(judge(Some(&clerk), true, act, true, &all), Err(Refusal::NotEntitled));
        assert_eq!(judge(Some(&head), true, act, true, &all), Err(Refusal::NotEntitled));
        // Or claiming the boss signed it: the signature does not check.
        assert_eq!(judge(Some(&boss), false, act, true, &all), Err(Refusal::BadSignature));
        assert_eq!(judge(None, true, act, true, &all), Err(Refusal::UnknownAuthor));
        assert_eq!(judge(Some(&clerk), true, Act::Policy, true, &all), Err(Refusal::NotEntitled));
        assert_eq!(judge(Some(&boss), true, Act::Policy, true, &all), Ok(()));
        let gone = Staff { active: false, ..boss.clone() };
        assert_eq!(judge(Some(&gone), true, Act::Policy, true, &all), Err(Refusal::Inactive));
    }

    #[test]
    fn credentials_are_signed_by_their_owner_only() {
        let boss = staff("boss", Role::SuperAdmin, "前厅");
        let clerk = staff("clerk", Role::User, "前厅");
        let all = [boss.clone(), clerk.clone()];
        assert_eq!(judge(Some(&clerk), true, Act::Keys { staff: "clerk" }, true, &all), Ok(()));
        // Not even a super administrator signs someone else's credentials (a PIN reset gives
        // them a new signing key in their staff record instead).
        assert_eq!(judge(Some(&boss), true, Act::Keys { staff: "clerk" }, true, &all), Err(Refusal::NotEntitled));
        assert_eq!(judge(Some(&clerk), true, Act::Keys { staff: "boss" }, true, &all), Err(Refusal::NotEntitled));
        // And a clerk's own change of their staff record (a department, a role) is refused.
        let moved = Staff { department: "财务".into(), ..clerk.clone() };
        assert_eq!(judge(Some(&clerk), true, Act::Staff { after: &moved }, true, &all), Err(Refusal::NotEntitled));
    }

    #[test]
    fn the_archive_has_one_first_super_administrator_and_keeps_one() {
        let boss = staff("boss", Role::SuperAdmin, "");
        let genesis = Act::Genesis { staff: &boss };
        assert_eq!(judge(Some(&boss), true, genesis, false, &[]), Ok(()));
        assert_eq!(judge(Some(&boss), true, genesis, true, std::slice::from_ref(&boss)), Err(Refusal::SecondGenesis));
        let clerk = staff("c", Role::User, "");
        assert_eq!(judge(Some(&clerk), true, Act::Genesis { staff: &boss }, false, &[]), Err(Refusal::NotEntitled));
        // The last super administrator cannot step down or be removed.
        let demoted = Staff { role: Role::DeptAdmin, ..boss.clone() };
        let all = [boss.clone(), clerk];
        assert_eq!(judge(Some(&boss), true, Act::Staff { after: &demoted }, true, &all), Err(Refusal::NoSuperAdmin));
        let second = staff("boss2", Role::SuperAdmin, "");
        let all = [boss.clone(), second];
        assert_eq!(judge(Some(&boss), true, Act::Staff { after: &demoted }, true, &all), Ok(()));
    }

    #[test]
    fn a_department_administrator_decides_for_their_department_only() {
        let boss = staff("boss", Role::SuperAdmin, "销售");
        let head = staff("head", Role::DeptAdmin, "前厅");
        let clerk = staff("clerk", Role::User, "前厅");
        let all = [boss.clone(), head.clone(), clerk.clone()];
        let front = request("clerk", "前厅");
        let sales = request("x", "销售");
        assert_eq!(judge(Some(&head), true, Act::Decide { request: &front }, true, &all), Ok(()));
        assert_eq!(judge(Some(&head), true, Act::Decide { request: &sales }, true, &all), Err(Refusal::NotEntitled));
        assert_eq!(judge(Some(&boss), true, Act::Decide { request: &front }, true, &all), Ok(()));
        assert_eq!(judge(Some(&clerk), true, Act::Decide { request: &front }, true, &all), Err(Refusal::NotEntitled));
        let own = request("head", "前厅");
        assert_eq!(
            judge(Some(&head), true, Act::Decide { request: &own }, true, &all),
            Err(Refusal::NotEntitled),
            "nobody approves themselves"
        );
        // A request is made by its requester only.
        assert_eq!(judge(Some(&clerk), true, Act::Request { request: &front }, true, &all), Ok(()));
        assert_eq!(judge(Some(&head), true, Act::Request { request: &front }, true, &all), Err(Refusal::NotEntitled));
    }

    #[test]
    fn an_administrator_applies_for_a_destruction_and_another_super_administrator_approves_it() {
        let boss = staff("boss", Role::SuperAdmin, "管理");
        let boss2 = staff("boss2", Role::SuperAdmin, "管理");
        let head = staff("head", Role::DeptAdmin, "前厅");
        let clerk = staff("clerk", Role::User, "前厅");
        let all = [boss.clone(), boss2.clone(), head.clone(), clerk.clone()];
        let destroy = |by: &str, dept: &str| Request {
            scope: Scope::Destroy { profiles: vec!["p1".into()] },
            ..request(by, dept)
        };
        let by_head = destroy("head", "前厅");
        assert_eq!(judge(Some(&head), true, Act::Request { request: &by_head }, true, &all), Ok(()));
        let by_clerk = destroy("clerk", "前厅");
        assert_eq!(
            judge(Some(&clerk), true, Act::Request { request: &by_clerk }, true, &all),
            Err(Refusal::NotEntitled)
        );
        // The department's administrator decides its view requests, not its destructions.
        assert_eq!(
            judge(Some(&head), true, Act::Decide { request: &destroy("x", "前厅") }, true, &all),
            Err(Refusal::NotEntitled)
        );
        assert_eq!(judge(Some(&boss), true, Act::Decide { request: &by_head }, true, &all), Ok(()));
        let by_boss = destroy("boss", "管理");
        assert_eq!(
            judge(Some(&boss), true, Act::Decide { request: &by_boss }, true, &all),
            Err(Refusal::NotEntitled),
            "a super administrator does not approve their own application"
        );
        assert_eq!(judge(Some(&boss2), true, Act::Decide { request: &by_boss }, true, &all), Ok(()));
    }

    #[test]
    fn an_administrator_sets_a_hold_and_any_administrator_lifts_it() {
        use crate::domain::retention::HoldKind;
        let head = staff("head", Role::DeptAdmin, "前厅");
        let clerk = staff("clerk", Role::User, "前厅");
        let all = [head.clone(), clerk.clone()];
        let hold = |by: &str| Request {
            scope: Scope::Hold { profile: "p1".into(), kind: HoldKind::Dispute },
            ..request(by, "前厅")
        };
        assert_eq!(judge(Some(&head), true, Act::Request { request: &hold("head") }, true, &all), Ok(()));
        assert_eq!(
            judge(Some(&clerk), true, Act::Request { request: &hold("clerk") }, true, &all),
            Err(Refusal::NotEntitled)
        );
        assert_eq!(judge(Some(&head), true, Act::Decide { request: &hold("head") }, true, &all), Ok(()), "their own");
        assert_eq!(
            judge(Some(&clerk), true, Act::Decide { request: &hold("head") }, true, &all),
            Err(Refusal::NotEntitled)
        );
    }
}
