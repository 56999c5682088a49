//! Merging two profiles in the application layer (issue 18; the rules in `domain/merging.rs`): an
//! administrator keeps one, picks each differing value, and the other is merged away; the
//! survivor shows the history and account of the profiles merged into it; after a pull, this
//! device writes again on the survivor its own edits of a merged-away profile the merge had not
//! seen.

use crate::app::archive::{SaveError, Services};
use crate::app::governance::GovError;
use crate::domain::fields::Field;
use crate::domain::governance::sealed::SEALED;
use crate::domain::i18n::Msg;
use crate::domain::merging::{late_writes, merged, merged_away, with_late};
use crate::domain::model::Profile;
use crate::domain::sync::RecordKey;
use crate::platform::clock::now_ms;
use crate::store::StoreError;
use std::collections::BTreeSet;

/// Where this device keeps the edits it wrote again on a survivor (clock texts): each once.
const LANDED: &str = "merge-landed";

impl Services {
    /// The signed-in administrator merges profile `other` into `survivor`, taking the values of
    /// `take` from `other`. A sealed value taken is opened (a logged reveal) and sealed again for
    /// the survivor. Returns the survivor as saved.
    pub async fn merge_profiles(self, survivor: &str, other: &str, take: &[Field]) -> Result<Profile, GovError> {
        let me = self.session.signed_in().ok_or(GovError::NotEntitled)?;
        if !me.staff.role.is_admin() {
            return Err(GovError::NotEntitled);
        }
        let (Some(s), Some(o)) = (self.profile(survivor).await?, self.profile(other).await?) else {
            return Err(GovError::Invalid(Msg::MrgGone));
        };
        if s.id == o.id || s.is_deleted() || o.is_deleted() {
            return Err(GovError::Invalid(Msg::MrgGone));
        }
        let mut m = merged(&s, &o, take);
        for f in SEALED.into_iter().filter(|f| take.contains(f)) {
            let value = match f {
                Field::IdDocNumber => o.id_doc.as_ref().map(|d| d.number.clone()).unwrap_or_default(),
                Field::OrgAccount => o.org.account.clone(),
                _ => String::new(),
            };
            if value.is_empty() {
                continue;
            }
            let plain = self.reveal(&o.id, f, &value, crate::app::lang::t(Msg::MrgRevealReason)).await?;
            match f {
                Field::IdDocNumber => {
                    if let Some(d) = m.id_doc.as_mut() {
                        d.number = plain;
                    }
                }
                Field::OrgAccount => m.org.account = plain,
                _ => {}
            }
        }
        let state = self.record_state(&RecordKey::profile(&o.id)).await?;
        let saved = self.save_profile(m).await.map_err(|e| match e {
            SaveError::Invalid(_) => GovError::Invalid(Msg::MrgInvalid),
            SaveError::Store(e) => GovError::Store(e),
        })?;
        let away = merged_away(&o, &s.id, &state, now_ms(), &self.session.staff());
        self.write_checked_elsewhere(away).await?;
        Ok(saved)
    }

    /// Writes again on each survivor the edits this device made to profiles merged away that the
    /// merge had not seen (after a pull that brought merges: `merged` are those profiles' ids).
    pub async fn land_late_edits(self, merged: &[String]) -> Result<usize, StoreError> {
        let archive = self.archive()?;
        let device = archive.device();
        let mut landed: BTreeSet<String> = archive.local_value(LANDED).await?.unwrap_or_default();
        let mut n = 0;
        for id in merged {
            let Some(away) = self.profile(id).await? else { continue };
            let Some(survivor) = away.merged_into.clone() else { continue };
            let state = self.record_state(&RecordKey::profile(id)).await?;
            let late: std::collections::BTreeMap<_, _> = late_writes(&state, &away, &device)
                .into_iter()
                .filter(|(_, (h, _))| !landed.contains(&h.encode()))
                .collect();
            if late.is_empty() {
                continue;
            }
            let Some(s) = self.profile(&survivor).await? else { continue };
            let s2 = with_late(&s, &late);
            if s2 != s {
                self.write_checked_elsewhere(s2).await?;
                n += 1;
            }
            landed.extend(late.values().map(|(h, _)| h.encode()));
        }
        archive.set_local_value(LANDED, &landed).await?;
        Ok(n)
    }
}
