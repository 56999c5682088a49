//! The semi-annual review (档案复核, issue 18) in the application layer: what was kept in a review,
//! keeping a profile with a reason, marking its trading status, and recording a review as done
//! with its counts (signed statements of an administrator, synced and logged). The list itself is
//! `domain::review::list` over the manager's facts (`app/overview.rs`) and the accounts
//! (`app/receivables.rs`).

use crate::app::archive::Services;
use crate::app::governance::GovError;
use crate::domain::governance::grant::{Asked, Scope};
use crate::domain::model::Standing;
use crate::domain::retention::Period;
use crate::domain::review::Counts;
use leptos::prelude::*;
use std::collections::HashSet;

/// A review recorded as done.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub period: Period,
    pub counts: Counts,
    pub by: String,
    pub at: i64,
}

/// The profiles kept in `period` (from the statements that stand).
pub fn kept_in(asked: &[Asked], period: Period) -> HashSet<String> {
    asked
        .iter()
        .filter_map(|a| match &a.request.scope {
            Scope::Kept { profile, period: p } if *p == period => Some(profile.clone()),
            _ => None,
        })
        .collect()
}

/// The reviews recorded as done, newest first.
pub fn done(asked: &[Asked]) -> Vec<Done> {
    asked
        .iter()
        .filter_map(|a| match &a.request.scope {
            Scope::Reviewed { period, counts } => {
                Some(Done { period: *period, counts: *counts, by: a.request.requester_name.clone(), at: a.request.at })
            }
            _ => None,
        })
        .collect()
}

impl Services {
    /// Refuses unless an administrator is signed in (holds, the review's statements).
    pub(crate) fn check_admin(self) -> Result<(), GovError> {
        if self.session.role().is_some_and(|r| r.is_admin()) {
            Ok(())
        } else {
            Err(GovError::NotEntitled)
        }
    }

    /// The signed-in administrator keeps profile `id` in the review of `period`, with a reason.
    pub async fn keep_in_review(self, id: &str, period: Period, reason: &str) -> Result<(), GovError> {
        self.check_admin()?;
        self.ask(Scope::Kept { profile: id.to_string(), period }, reason).await?;
        self.gov_rev.update(|n| *n += 1);
        Ok(())
    }

    /// Records the review of `period` as done with its counts.
    pub async fn record_review(self, period: Period, counts: Counts, note: &str) -> Result<(), GovError> {
        self.check_admin()?;
        self.ask(Scope::Reviewed { period, counts }, note).await?;
        self.gov_rev.update(|n| *n += 1);
        Ok(())
    }

    /// Marks profile `id` trading, trade suspended or a past customer (a change of the profile,
    /// synced and in its field history like any other).
    pub async fn mark_standing(self, id: &str, standing: Standing) -> Result<(), GovError> {
        self.check_admin()?;
        let Some(mut p) = self.profile(id).await? else { return Err(GovError::NotEntitled) };
        p.standing = standing;
        self.save_profile(p).await.map_err(|e| match e {
            crate::app::archive::SaveError::Store(e) => GovError::Store(e),
            crate::app::archive::SaveError::Invalid(_) => GovError::Invalid(crate::domain::i18n::Msg::RevMarkInvalid),
        })?;
        Ok(())
    }
}
