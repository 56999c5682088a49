//! A profile as a viewer may have it for one use (an export, a print): every field the access
//! table ([`access`]) does not show them is masked. Sealed values are masked whatever the table
//! says (opening one needs the archive key and a reason, `app/sealing.rs`).

use super::policy::{access, Access, Action, Policy};
use super::sealed::SEALED;
use super::staff::Role;
use crate::domain::fields::{mask_id, mask_phone, Field};
use crate::domain::model::*;
use crate::domain::text::phone_digits;

/// Masked text: the first character, then stars (a name still tells two rows apart).
fn initial(s: &str) -> String {
    match s.trim().chars().next() {
        Some(c) => format!("{c}**"),
        None => String::new(),
    }
}

fn stars(s: &str) -> String {
    if s.trim().is_empty() {
        String::new()
    } else {
        "***".into()
    }
}

fn phone(s: &str) -> String {
    let d = phone_digits(s);
    if d.is_empty() {
        stars(s)
    } else {
        mask_phone(&d)
    }
}

/// An e-mail address with its name hidden (`z***@example.cn`).
fn email(s: &str) -> String {
    match s.trim().split_once('@') {
        Some((name, domain)) => format!("{}***@{domain}", name.chars().next().unwrap_or('*')),
        None => stars(s),
    }
}

fn contact(c: &mut Contact) {
    c.name = initial(&c.name);
    c.phone = phone(&c.phone);
}

/// Masks one field of `p` (enumerations, which say little alone, stay).
pub fn mask_field(p: &mut Profile, f: Field) {
    match f {
        Field::Name => p.name = initial(&p.name),
        Field::ShortName => p.short_name = initial(&p.short_name),
        Field::Code => p.customer_code = stars(&p.customer_code),
        Field::BirthDate => p.birth_date = None,
        Field::Since => p.since = None,
        Field::Ethnicity => p.ethnicity = stars(&p.ethnicity),
        Field::NativePlace => p.native_place = stars(&p.native_place),
        Field::Nationality => p.nationality = stars(&p.nationality),
        Field::Language => p.language = stars(&p.language),
        Field::IdDocNumber => {
            if let Some(d) = p.id_doc.as_mut() {
                d.number = mask_id(&d.number);
            }
        }
        Field::Phones => p.phones.iter_mut().for_each(|x| *x = phone(x)),
        Field::Email => p.email = email(&p.email),
        Field::Address => {
            let keep: String = p.address.trim().chars().take(6).collect();
            p.address = if p.address.trim().chars().count() > 6 { keep + "***" } else { stars(&p.address) };
        }
        Field::Company => p.company = initial(&p.company),
        Field::EmergencyContact => {
            if let Some(c) = p.emergency_contact.as_mut() {
                contact(c);
            }
        }
        Field::OrgCategory => p.org.category_code = stars(&p.org.category_code),
        Field::OrgRegion => p.org.region_code = stars(&p.org.region_code),
        Field::OrgHeadOffice => p.org.head_office_id = None,
        Field::OrgTaxNo => p.org.tax_no = mask_id(&p.org.tax_no),
        Field::OrgLegalRep => p.org.legal_rep = initial(&p.org.legal_rep),
        Field::OrgCapital => p.org.registered_capital = stars(&p.org.registered_capital),
        Field::OrgBank => p.org.bank = stars(&p.org.bank),
        Field::OrgAccount => p.org.account = mask_id(&p.org.account),
        Field::OrgContacts => p.org.contacts.iter_mut().for_each(contact),
        Field::Preferences => p.preferences.iter_mut().for_each(|x| x.value = stars(&x.value)),
        Field::SpecialDays => p.special_days.clear(),
        Field::Tags => p.tags.clear(),
        Field::Notes => p.notes = stars(&p.notes),
        Field::CreditAmount => p.credit_limit.amount_fen = None,
        Field::CreditDays => p.credit_limit.days = None,
        Field::Terms => p.terms_days = None,
        Field::Kind
        | Field::Gender
        | Field::IdDocType
        | Field::OrgIndustry
        | Field::OrgNature
        | Field::Class
        | Field::Mark
        | Field::Credit
        | Field::Standing
        | Field::Deleted => {}
    }
}

/// `p` as `role` may have it for `action` under `policy`; also whether anything was masked.
pub fn for_viewer(p: &Profile, role: Role, policy: &Policy, action: Action) -> (Profile, bool) {
    for_viewer_granted(p, role, policy, action, false)
}

/// As [`for_viewer`], where `granted` says an administrator approved the viewer's request for
/// this action (a full export): what the access table leaves to a request shows. Sealed values
/// stay masked all the same: no file or sheet carries them.
pub fn for_viewer_granted(p: &Profile, role: Role, policy: &Policy, action: Action, granted: bool) -> (Profile, bool) {
    let mut out = p.clone();
    for &f in Field::ALL {
        // Sealed values are masked below (on the profile page they stay sealed: the page's
        // reveal and request need them).
        let shown = match access(role, policy.class(f), action) {
            Access::Show => true,
            Access::Ask => granted,
            _ => false,
        };
        if !SEALED.contains(&f) && !shown {
            mask_field(&mut out, f);
        }
    }
    // Sealed values never leave in their sealed form: what a file or a sheet of paper holds is
    // their mask (and a number not yet sealed is masked the same).
    if action != Action::Profile {
        SEALED.into_iter().for_each(|f| mask_field(&mut out, f));
    }
    let masked = out != *p;
    (out, masked)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::fields::Sensitivity;

    fn guest() -> Profile {
        let mut p = Profile::new("p1".into(), 0, "t");
        p.name = "张三".into();
        p.phones = vec!["138 0013 8000".into()];
        p.email = "zhangsan@example.cn".into();
        p.address = "深圳市南山区科技园南区".into();
        p.birth_date = crate::domain::date::Date::new(1949, 12, 31);
        p.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
        p.notes = "喜欢安静".into();
        p.tags = vec!["常客".into()];
        p
    }

    #[test]
    fn an_ordinary_user_s_export_masks_personal_and_sensitive_values_an_administrator_s_only_sensitive() {
        let policy = Policy::new();
        let (u, masked) = for_viewer(&guest(), Role::User, &policy, Action::Export);
        assert!(masked);
        assert_eq!(u.name, "张三", "public");
        assert_eq!(u.tags, ["常客"], "public");
        assert_eq!(u.phones, ["138****8000"]);
        assert_eq!(u.email, "z***@example.cn");
        assert_eq!(u.address, "深圳市南山区***");
        assert_eq!(u.birth_date, None);
        assert_eq!(u.notes, "***");
        assert_eq!(u.id_doc.unwrap().number, "**************002X");
        let (a, masked) = for_viewer(&guest(), Role::DeptAdmin, &policy, Action::Export);
        assert!(masked, "the ID number");
        assert_eq!((a.phones[0].as_str(), a.email.as_str()), ("138 0013 8000", "zhangsan@example.cn"));
        assert_eq!(a.id_doc.unwrap().number, "**************002X", "revealed one at a time, with a reason");
    }

    #[test]
    fn a_field_moved_between_classes_is_masked_or_shown_accordingly() {
        let mut policy = Policy::new();
        policy.set_class(Field::Tags, Sensitivity::Personal);
        policy.set_class(Field::Phones, Sensitivity::Public);
        let (u, _) = for_viewer(&guest(), Role::User, &policy, Action::Export);
        assert!(u.tags.is_empty());
        assert_eq!(u.phones, ["138 0013 8000"]);
    }

    #[test]
    fn an_approved_full_export_shows_an_ordinary_user_personal_values_never_sealed_ones() {
        let p = guest();
        let (out, masked) = for_viewer_granted(&p, Role::User, &Policy::default(), Action::Export, true);
        assert!(masked);
        assert_eq!(
            (out.phones.clone(), out.email.clone(), out.address.clone()),
            (p.phones.clone(), p.email.clone(), p.address.clone())
        );
        assert_eq!(out.id_doc.unwrap().number, "**************002X");
        // Without the approval, as before; and an approval for exports opens nothing in lists.
        assert_ne!(for_viewer_granted(&p, Role::User, &Policy::default(), Action::Export, false).0.phones, p.phones);
        assert_ne!(for_viewer_granted(&p, Role::User, &Policy::default(), Action::List, true).0.phones, p.phones);
    }

    #[test]
    fn a_profile_with_nothing_to_mask_is_unchanged() {
        let mut p = Profile::new("p2".into(), 0, "t");
        p.name = "李四".into();
        let (u, masked) = for_viewer(&p, Role::User, &Policy::new(), Action::Export);
        assert!(!masked);
        assert_eq!(u, p);
    }
}
