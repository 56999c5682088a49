//! Store and index names, per schema version, and the step-by-step upgrade plan.

/// Database name used by the app.
pub const DB_NAME: &str = "dangan";

pub const PROFILES: &str = "profiles";
pub const HISTORY: &str = "history";
pub const META: &str = "meta";
pub const INDEX_JOURNAL: &str = "index_journal";

/// Index of `profiles` on every phone (multi-entry, digits only).
pub const IDX_PHONES: &str = "phones";
/// Index of `profiles` on the ID document number.
pub const IDX_ID_NO: &str = "id_no";
/// Index of `profiles` on the customer code.
pub const IDX_CODE: &str = "code";
/// Index of `profiles` on the last change time.
pub const IDX_UPDATED: &str = "updated_at";
/// Index of `history` on the profile it belongs to.
pub const IDX_PROFILE: &str = "profile_id";

/// Key of the search snapshot in `meta`.
pub const KEY_SNAPSHOT: &str = "search_snapshot";

/// Schema versions. Each upgrade runs every step from the stored version to the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// Profiles and history with their indexes.
    V1 = 1,
    /// Adds `meta` and `index_journal` for the start-up snapshot. Existing data needs no rewrite:
    /// the first open after the upgrade finds no snapshot and rebuilds it from `profiles`.
    V2 = 2,
}

impl Version {
    /// The version this build writes.
    pub const LATEST: Version = Version::V2;

    /// The versions after `old` up to `self`, in order.
    pub fn steps_from(self, old: u32) -> impl Iterator<Item = Version> {
        [Version::V1, Version::V2]
            .into_iter()
            .filter(move |v| (*v as u32) > old && *v <= self)
    }
}
