//! Duplicate warning on create: an existing profile with the same phone, ID number or customer
//! code, or a very similar name, is shown before saving.

use super::fields::Field;
use super::governance::sealed::{index_key, Tagger};
use super::i18n::Msg;
use super::model::Profile;
use super::search::SearchIndex;
use super::text::{edit_distance, fold, has_han, phone_digits, pinyin_keys};

/// Why an existing profile may be the same customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DupReason {
    SameId,
    SamePhone,
    SameCode,
    SimilarName,
}

impl DupReason {
    /// The i18n key describing the reason.
    pub fn msg(self) -> Msg {
        match self {
            DupReason::SameId => Msg::DupSameId,
            DupReason::SamePhone => Msg::DupSamePhone,
            DupReason::SameCode => Msg::DupSameCode,
            DupReason::SimilarName => Msg::DupSimilarName,
        }
    }
}

/// A possible duplicate and every reason it matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub id: String,
    pub name: String,
    pub reasons: Vec<DupReason>,
}

fn similar_names(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a.trim()), fold(b.trim()));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if has_han(&a) && has_han(&b) {
        // Homophones (张珊 / 张姗) and one-character typos in names of three or more characters.
        // No pinyin (the table not fetched yet: domain/pinyin.rs) is no homophone.
        let (pa, pb) = (pinyin_keys(&a).0, pinyin_keys(&b).0);
        return (!pa.is_empty() && pa == pb) || (la >= 3 && la == lb && edit_distance(&a, &b) <= 1);
    }
    let (na, nb): (String, String) = (a.split_whitespace().collect(), b.split_whitespace().collect());
    na == nb || (la >= 5 && la.abs_diff(lb) <= 1 && edit_distance(&na, &nb) <= 1)
}

/// Live profiles in `index` that may be the same customer as `draft` (excluding the draft
/// itself), most reasons first; at most `limit`.
/// `tags` is the archive's search key at work: a number typed in clear is compared by its tag
/// with the sealed ones the index holds.
pub fn find_duplicates(draft: &Profile, index: &SearchIndex, tags: Option<&Tagger>, limit: usize) -> Vec<Duplicate> {
    let phones: Vec<String> = draft.phones.iter().map(|p| phone_digits(p)).filter(|p| p.len() >= 7).collect();
    let id_no = draft.id_doc.as_ref().map(|d| index_key(&d.number, Field::IdDocNumber, tags)).unwrap_or_default();
    let code = draft.customer_code.trim();
    let name = draft.name.trim();
    let mut out: Vec<Duplicate> = Vec::new();
    for e in index.rows().filter(|e| e.deleted_at.is_none() && e.id != draft.id) {
        let mut reasons = Vec::new();
        if !id_no.is_empty() && e.id_no == id_no {
            reasons.push(DupReason::SameId);
        }
        if e.phones.iter().any(|p| phones.iter().any(|x| x == p)) {
            reasons.push(DupReason::SamePhone);
        }
        if !code.is_empty() && e.code.eq_ignore_ascii_case(code) {
            reasons.push(DupReason::SameCode);
        }
        if quick_name_candidate(name, e.name) && similar_names(name, e.name) {
            reasons.push(DupReason::SimilarName);
        }
        if !reasons.is_empty() {
            out.push(Duplicate { id: e.id.to_string(), name: e.display_name().to_string(), reasons });
        }
    }
    out.sort_by(|a, b| b.reasons.len().cmp(&a.reasons.len()).then_with(|| a.reasons.cmp(&b.reasons)));
    out.truncate(limit);
    out
}

/// A cheap pre-check so that 100,000 names are not all compared in full.
fn quick_name_candidate(name: &str, other: &str) -> bool {
    !name.is_empty() && name.chars().count().abs_diff(other.chars().count()) <= 1
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::model::{IdDocType, IdDocument};
    use crate::domain::search::IndexEntry;

    fn p(id: &str, name: &str, phone: &str) -> Profile {
        let mut p = Profile::new(id.into(), 0, "t");
        p.name = name.into();
        if !phone.is_empty() {
            p.phones = vec![phone.into()];
        }
        p
    }

    fn index() -> SearchIndex {
        let mut with_id = p("3", "王五", "");
        with_id.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
        with_id.customer_code = "A001".into();
        let mut deleted = p("4", "赵六", "13999999999");
        deleted.meta.deleted_at = Some(1);
        SearchIndex::from_entries(
            [p("1", "张三", "13800138000"), p("2", "欧阳娜娜", ""), with_id, deleted, p("5", "John Smith", "")]
                .iter()
                .map(IndexEntry::from_profile),
        )
    }

    fn found(draft: &Profile) -> Vec<(String, Vec<DupReason>)> {
        find_duplicates(draft, &index(), None, 5).into_iter().map(|d| (d.id, d.reasons)).collect()
    }

    #[test]
    fn same_phone_id_or_code() {
        assert_eq!(found(&p("new", "李雷", "+86 138-0013-8000")), [("1".to_string(), vec![DupReason::SamePhone])]);
        let mut d = p("new", "某人", "");
        d.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002x".into() });
        d.customer_code = "a001".into();
        assert_eq!(found(&d), [("3".to_string(), vec![DupReason::SameId, DupReason::SameCode])]);
    }

    #[test]
    fn a_number_typed_in_clear_finds_its_sealed_twin() {
        use crate::domain::governance::sealed::{DataKey, Sealer};
        let s = Sealer { data: DataKey::new("k", &[3; 32]).unwrap(), tags: Tagger::new(b"search") };
        let mut sealed = p("3", "王五", "");
        sealed.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
        s.seal_profile(&mut sealed);
        let index = SearchIndex::from_entries([IndexEntry::from_profile(&sealed)]);
        let mut d = p("new", "某人", "");
        d.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002x".into() });
        let found = |tags| find_duplicates(&d, &index, tags, 5).into_iter().map(|d| d.reasons).collect::<Vec<_>>();
        assert_eq!(found(Some(&s.tags)), [vec![DupReason::SameId]]);
        assert!(found(None).is_empty(), "without the search key the tag cannot be made");
        let other = Tagger::new(b"another archive");
        assert!(found(Some(&other)).is_empty());
    }

    #[test]
    fn names_without_pinyin_are_not_homophones() {
        // As every Han name is in a page that has not fetched the pinyin table yet: two different
        // two-character names (empty pinyin each) are not the same name.
        let bare: Vec<char> =
            ('\u{3400}'..='\u{9FFF}').filter(|c| crate::domain::pinyin::reading(*c).is_none()).take(4).collect();
        assert_eq!(bare.len(), 4, "{bare:?}");
        let (a, b): (String, String) = (bare[..2].iter().collect(), bare[2..].iter().collect());
        assert!(!similar_names(&a, &b), "{a} {b}");
        assert!(similar_names(&a, &a));
    }

    #[test]
    fn similar_names_but_not_merely_sharing_a_surname() {
        assert_eq!(found(&p("new", "张三", "")), [("1".to_string(), vec![DupReason::SimilarName])]);
        assert_eq!(found(&p("new", "章三", "")).len(), 1, "homophone");
        assert_eq!(found(&p("new", "欧阳娜拉", "")).len(), 1, "one character off in a long name");
        assert_eq!(found(&p("new", "john  smith", "")).len(), 1);
        assert_eq!(found(&p("new", "Jon Smith", "")).len(), 1);
        assert!(found(&p("new", "张四", "")).is_empty());
        assert!(found(&p("new", "Jane Smith", "")).is_empty());
    }

    #[test]
    fn deleted_profiles_and_the_profile_itself_are_ignored() {
        assert!(found(&p("new", "某某", "13999999999")).is_empty());
        assert!(found(&p("1", "张三", "13800138000")).is_empty());
    }
}
