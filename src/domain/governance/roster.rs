//! Which governance records stand: from every signed record of the archive (each signature
//! already checked against the key its claimed author's record names), the root, the staff,
//! their credentials and the policy that a device accepts, and the records it refuses with why.
//! Acceptance grows from the root: the first super administrator signs the root and their own
//! record; every other record counts when its author counts and was entitled to make it.

use super::authority::{judge, Act, Refusal};
use super::policy::Policy;
use super::staff::{Credentials, Role, Staff};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The archive's governance root (record `g:archive`), signed by its first super administrator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    /// The first super administrator's staff id.
    pub genesis: String,
    /// The archive's sealing key (ECDH P-256 public key, raw, base64): sensitive values are
    /// sealed to it.
    pub seal: String,
    /// The recovery code's wrap of the first super administrator's secrets.
    pub recovery: Recovery,
    /// When the archive was set up (ms since the epoch).
    #[serde(default)]
    pub created_at: i64,
}

/// What the recovery code opens: PBKDF2 of the code with this salt wraps the first super
/// administrator's secrets (so a forgotten PIN does not lose the archive).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recovery {
    pub salt: String,
    pub iterations: u32,
    pub blob: String,
}

/// The record ids of kind `Gov`.
pub const ROOT_ID: &str = "archive";
pub const POLICY_ID: &str = "policy";

/// A signed record as read, with its signature checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub what: What,
    /// The record's id.
    pub id: String,
    /// Who claims to have signed it.
    pub by: String,
    /// Whether the signature checks against the signing key in `by`'s staff record.
    pub sig_ok: bool,
}

/// A signed record's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    Root(Root),
    Staff(Staff),
    Keys(Credentials),
    Policy(Policy),
}

/// The accepted governance of the archive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Roster {
    pub root: Option<Root>,
    pub staff: BTreeMap<String, Staff>,
    pub keys: BTreeMap<String, Credentials>,
    pub policy: Policy,
    /// Records refused, by id, and why.
    pub refused: Vec<(String, Refusal)>,
}

impl Roster {
    /// Builds the roster from every checked record.
    pub fn accept(records: &[Checked]) -> Roster {
        let mut r = Roster { policy: Policy::new(), ..Roster::default() };
        // The root and its first super administrator stand or fall together.
        let root = records.iter().find_map(|c| match &c.what {
            What::Root(root) => Some((c, root)),
            _ => None,
        });
        let mut done = vec![false; records.len()];
        if let Some((c, root)) = root {
            let genesis = records.iter().position(|g| matches!(&g.what, What::Staff(s) if s.id == root.genesis));
            let ok = c.by == root.genesis
                && c.sig_ok
                && genesis.is_some_and(|i| {
                    let g = &records[i];
                    let What::Staff(s) = &g.what else { return false };
                    g.by == s.id && g.sig_ok && judge(Some(s), true, Act::Genesis { staff: s }, false, &[]).is_ok()
                });
            let root_at = records.iter().position(|x| std::ptr::eq(x, c)).expect("from the list");
            done[root_at] = true;
            match (ok, genesis) {
                (true, Some(i)) => {
                    let What::Staff(s) = &records[i].what else { unreachable!() };
                    r.staff.insert(s.id.clone(), s.clone());
                    r.root = Some(root.clone());
                    done[i] = true;
                }
                _ => r.refused.push((c.id.clone(), Refusal::BadSignature)),
            }
        }
        // Then, again and again, whatever an accepted author was entitled to sign.
        loop {
            let mut progress = false;
            for (i, c) in records.iter().enumerate() {
                if done[i] || !r.staff.contains_key(&c.by) {
                    continue;
                }
                let author = r.staff.get(&c.by).cloned();
                let all: Vec<Staff> = r.staff.values().cloned().collect();
                let verdict = match &c.what {
                    What::Root(_) => Err(Refusal::SecondGenesis),
                    What::Staff(s) => judge(author.as_ref(), c.sig_ok, Act::Staff { after: s }, true, &all),
                    What::Keys(k) => judge(author.as_ref(), c.sig_ok, Act::Keys { staff: &k.staff }, true, &all),
                    What::Policy(_) => judge(author.as_ref(), c.sig_ok, Act::Policy, true, &all),
                };
                done[i] = true;
                progress = true;
                match (verdict, &c.what) {
                    (Ok(()), What::Staff(s)) => {
                        r.staff.insert(s.id.clone(), s.clone());
                    }
                    (Ok(()), What::Keys(k)) => {
                        r.keys.insert(k.staff.clone(), k.clone());
                    }
                    (Ok(()), What::Policy(p)) => r.policy = p.clone(),
                    (Ok(()), What::Root(_)) => {}
                    (Err(why), _) => r.refused.push((c.id.clone(), why)),
                }
            }
            if !progress {
                break;
            }
        }
        for (i, c) in records.iter().enumerate() {
            if !done[i] {
                r.refused.push((c.id.clone(), Refusal::UnknownAuthor));
            }
        }
        r
    }

    /// Whether the archive has its first super administrator (else the setup screen).
    pub fn is_set_up(&self) -> bool {
        self.root.is_some()
    }

    /// The staff who can sign in (active, with credentials), by name.
    pub fn can_sign_in(&self) -> Vec<&Staff> {
        let mut v: Vec<&Staff> = self.staff.values().filter(|s| s.active && self.keys.contains_key(&s.id)).collect();
        v.sort_unstable_by(|a, b| {
            (a.role != Role::User, &a.department, &a.name, &a.id).cmp(&(
                b.role != Role::User,
                &b.department,
                &b.name,
                &b.id,
            ))
        });
        v
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn staff(id: &str, role: Role) -> Staff {
        Staff {
            id: id.into(),
            name: id.into(),
            department: "前厅".into(),
            role,
            active: true,
            sign: format!("key-{id}"),
        }
    }

    fn checked(what: What, id: &str, by: &str) -> Checked {
        Checked { what, id: id.into(), by: by.into(), sig_ok: true }
    }

    fn archive() -> Vec<Checked> {
        let root = Root { genesis: "boss".into(), seal: "pub".into(), ..Root::default() };
        vec![
            checked(What::Staff(staff("clerk", Role::User)), "clerk", "boss"),
            checked(What::Keys(Credentials { staff: "clerk".into(), ..Default::default() }), "keys.clerk", "clerk"),
            checked(What::Root(root), "archive", "boss"),
            checked(What::Staff(staff("boss", Role::SuperAdmin)), "boss", "boss"),
            checked(What::Keys(Credentials { staff: "boss".into(), ..Default::default() }), "keys.boss", "boss"),
        ]
    }

    #[test]
    fn acceptance_grows_from_the_root_in_any_order() {
        let mut records = archive();
        let r = Roster::accept(&records);
        assert!(r.is_set_up() && r.refused.is_empty(), "{:?}", r.refused);
        assert_eq!(r.staff.len(), 2);
        assert_eq!(r.can_sign_in().iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["clerk", "boss"]);
        records.reverse();
        assert_eq!(Roster::accept(&records).staff.len(), 2);
        assert!(!Roster::accept(&[]).is_set_up());
    }

    #[test]
    fn a_role_raised_on_one_tablet_is_refused() {
        let mut records = archive();
        // The clerk's record rewritten to super administrator, signed with the clerk's key (the
        // signature is valid for the clerk, who is not entitled).
        records[0] = checked(What::Staff(staff("clerk", Role::SuperAdmin)), "clerk", "clerk");
        let r = Roster::accept(&records);
        assert!(!r.staff.contains_key("clerk"));
        assert!(r.refused.contains(&("clerk".into(), Refusal::UnknownAuthor)), "{:?}", r.refused);
        // Claimed to be the boss's, the signature does not check.
        records[0] =
            Checked { sig_ok: false, ..checked(What::Staff(staff("clerk", Role::SuperAdmin)), "clerk", "boss") };
        let r = Roster::accept(&records);
        assert!(!r.staff.contains_key("clerk"));
        assert!(r.refused.contains(&("clerk".into(), Refusal::BadSignature)));
        // A policy signed by the clerk is refused; the default stands.
        let mut records = archive();
        let mut p = Policy::new();
        p.idle_minutes = 600;
        records.push(checked(What::Policy(p), "policy", "clerk"));
        let r = Roster::accept(&records);
        assert_eq!(r.policy.idle_minutes, 10);
        assert!(r.refused.contains(&("policy".into(), Refusal::NotEntitled)));
    }

    #[test]
    fn a_forged_root_or_a_genesis_not_its_own_is_refused() {
        let mut records = archive();
        records[2].sig_ok = false;
        let r = Roster::accept(&records);
        assert!(!r.is_set_up() && r.staff.is_empty());
        // A root naming a clerk as its first super administrator.
        let mut records = archive();
        records[2] = checked(What::Root(Root { genesis: "clerk".into(), ..Root::default() }), "archive", "clerk");
        records[0] = checked(What::Staff(staff("clerk", Role::User)), "clerk", "clerk");
        assert!(!Roster::accept(&records).is_set_up());
    }
}
