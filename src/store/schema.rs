//! Store and index names, per schema version, and the step-by-step upgrade plan.

/// Database name used by the app.
pub const DB_NAME: &str = "dangan";

/// Profiles: key = profile id (out-of-line), value = the profile as UTF-8 JSON in a `Uint8Array`.
/// No IndexedDB indexes: every lookup goes through the in-memory search index, and one index
/// alone costs over a third of the insert throughput (measured, see docs/performance.md).
pub const PROFILES: &str = "profiles";
/// History items: `{id, profile_id, date, body}` objects, indexed by `profile_id`.
pub const HISTORY: &str = "history";
/// Small values: the search snapshot.
pub const META: &str = "meta";
/// Search-index entries written since the last snapshot, keyed by profile id.
pub const INDEX_JOURNAL: &str = "index_journal";

/// Index of `history` on the profile it belongs to.
pub const IDX_PROFILE: &str = "profile_id";

/// Key of the search snapshot in `meta`.
pub const KEY_SNAPSHOT: &str = "search_snapshot";

/// Schema versions. Each upgrade runs every step from the stored version to the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// Profiles and history.
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
        [Version::V1, Version::V2].into_iter().filter(move |v| (*v as u32) > old && *v <= self)
    }
}
