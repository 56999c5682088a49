//! Staff (值班人员 / 员工): who signs in, in which department, with which role.

use crate::domain::i18n::Msg;
use serde::{Deserialize, Serialize};

/// What a staff member may do (seed 000 §6: 普通用户, 部门管理员, 超级管理员).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works with the archive; sees sensitive values only with an approved request.
    #[default]
    User,
    /// Approves its department's requests; sees sensitive values after giving a reason.
    DeptAdmin,
    /// Manages staff, roles and policy; approves everything.
    SuperAdmin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::User, Role::DeptAdmin, Role::SuperAdmin];

    pub fn msg(self) -> Msg {
        match self {
            Role::User => Msg::RoleUser,
            Role::DeptAdmin => Msg::RoleDeptAdmin,
            Role::SuperAdmin => Msg::RoleSuperAdmin,
        }
    }

    /// Either administrator.
    pub fn is_admin(self) -> bool {
        self != Role::User
    }
}

/// The departments a new archive starts with, named in the language of its setup; the super
/// administrator edits the list. (A stored policy without a list reads the Chinese names.)
pub const DEFAULT_DEPARTMENTS: [Msg; 5] =
    [Msg::DeptFront, Msg::DeptSales, Msg::DeptFinance, Msg::DeptRooms, Msg::DeptDining];

/// [`DEFAULT_DEPARTMENTS`] in `l`.
pub fn default_departments(l: crate::domain::i18n::Locale) -> Vec<String> {
    DEFAULT_DEPARTMENTS.iter().map(|&m| l.t(m).to_string()).collect()
}

/// A staff member's record: who they are and their role. It syncs; another device accepts it
/// only when a super administrator signed it (`authority.rs`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub department: String,
    pub role: Role,
    /// False once removed: they can no longer sign in; their name stays on what they did.
    #[serde(default = "yes")]
    pub active: bool,
    /// Their signing key (ECDSA P-256 public key, raw, base64): checks what they sign, their
    /// credentials first.
    pub sign: String,
}

fn yes() -> bool {
    true
}

/// A staff member's credentials, signed with their own key (so changing one's PIN needs nobody
/// else, and cannot change one's role): the PIN's slow hash, their sealing key, and their
/// private keys and the archive keys they hold, wrapped by the key their PIN derives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The staff member's id.
    pub staff: String,
    pub pin: super::pin::PinHash,
    /// ECDH P-256 public key (raw, base64): values granted to them are sealed to it.
    pub seal: String,
    pub wrapped: Wrapped,
}

impl Credentials {
    /// The id of a staff member's credentials record (kind `Gov`).
    pub fn record_id(staff: &str) -> String {
        format!("keys.{staff}")
    }
}

/// Secrets wrapped by a staff member's PIN-derived key (AES-256-GCM, base64).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    /// Their signing key (PKCS#8).
    pub sign: String,
    /// Their own sealing key (PKCS#8): opens values granted to them.
    pub seal: String,
    /// The archive's search key (exact-match tags of sealed values): every staff member.
    pub search: String,
    /// The archive's sealing key (PKCS#8): administrators only; empty for ordinary users.
    #[serde(default)]
    pub archive: String,
}

impl Staff {
    /// The name as shown: the name, and the department when there is one.
    pub fn label(&self) -> String {
        if self.department.is_empty() {
            self.name.clone()
        } else {
            format!("{} · {}", self.name, self.department)
        }
    }
}

/// Checks a staff member's name and department as typed: the name is needed and at most 40
/// characters; a department at most 20.
pub fn check_names(name: &str, department: &str) -> Result<(), Msg> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Msg::ErrStaffName);
    }
    if name.chars().count() > 40 || department.trim().chars().count() > 20 {
        return Err(Msg::ErrStaffNameLong);
    }
    Ok(())
}
