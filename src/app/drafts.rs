//! The profile form's draft across reloads: what the form opens with, and keeping what the clerk
//! typed (in local storage) until it is saved or cancelled.

use super::archive::Services;
use super::prefs;
use crate::domain::forms::profile::ProfileDraft;
use crate::platform::ids::new_id;

/// What the form opens with, and what it held when it opened (`None` for a kept draft: that is
/// unsaved input, still unsaved). A kept draft first (nothing typed is lost), else the stored
/// profile `id`, else a new profile started from the search text `query`.
pub async fn open(svc: Services, key: &str, id: Option<&str>, query: &str) -> (ProfileDraft, Option<ProfileDraft>) {
    if let Some(d) = prefs::draft::<ProfileDraft>(key) {
        return (d, None);
    }
    let d = match id {
        Some(id) => match svc.profile(id).await {
            Ok(Some(p)) => {
                let code = p
                    .org
                    .head_office_id
                    .as_ref()
                    .and_then(|h| svc.with_index_untracked(|ix| ix.get(h).map(|e| e.code.clone())))
                    .unwrap_or_default();
                ProfileDraft::from_profile(p, code)
            }
            _ => ProfileDraft::default(),
        },
        None => ProfileDraft::new(new_id(), query),
    };
    (d.clone(), Some(d))
}

/// Keeps `d` while it differs from what the form opened with (without sensitive values typed in
/// clear, see [`ProfileDraft::kept`]); drops the kept draft otherwise.
pub fn keep(key: &str, d: &ProfileDraft, opened_with: Option<&ProfileDraft>) {
    if opened_with == Some(d) {
        prefs::clear_draft(key);
    } else {
        prefs::set_draft(key, &d.kept());
    }
}

/// Forgets the kept draft (saved, cancelled, or the clerk went to an existing guest).
pub fn forget(key: &str) {
    prefs::clear_draft(key);
}
