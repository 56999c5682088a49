//! The import preview: each row becomes a profile or the list of its problems, and is checked
//! against the archive and the rows before it for duplicates (same ID number, phone, customer
//! code or name). Nothing is written here; the user confirms what the plan shows.

use super::columns::{apply, looks_like_organisation, Column};
use super::{col_name, Table};
use crate::domain::dupes::DupReason;
use crate::domain::fields::Field;
use crate::domain::governance::sealed::{index_key, Tagger};
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::model::*;
use crate::domain::search::SearchIndex;
use crate::domain::text::{fold, phone_digits};
use crate::domain::validate::{
    clear_field, is_identity_field, tidy_profile, validate_profile, ArchiveContext, FieldError,
};
use std::collections::HashMap;

/// What to do with a row that matches an existing profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DupPolicy {
    /// Leave the existing profile as it is.
    #[default]
    Skip,
    /// Fill the existing profile with the row's non-empty cells.
    Update,
    /// Create a new profile anyway.
    Create,
}

/// A problem with a row; `col` is the 1-based source column. A *blocking* problem (no name, an
/// invalid identity number) holds the row back; any other bad value is left out of the profile
/// and the row is imported with it flagged, so one bad contact phone never costs a customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowIssue {
    pub col: Option<u32>,
    pub header: String,
    pub msg: Msg,
    pub detail: Option<String>,
    pub blocking: bool,
}

impl RowIssue {
    /// `B 列 电话：手机号格式不对（12345）`.
    pub fn message(&self, l: Locale) -> String {
        let mut s = String::new();
        if let Some(c) = self.col {
            s = fill(l.t(Msg::ImpAtColumn), &[&col_name(c), &self.header]);
        }
        s.push_str(l.t(self.msg));
        if let Some(d) = &self.detail {
            s.push_str(&format!(" ({d})"));
        }
        if !self.blocking {
            s.push_str(l.t(Msg::ImpLeftOut));
        }
        s
    }
}

/// Whom a duplicate row matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    /// A live profile in the archive (id, display name).
    Archive { id: String, name: String },
    /// An earlier row of the same file (its sheet row number).
    Row(u32),
}

/// One row of the preview.
#[derive(Clone, Debug, PartialEq)]
pub struct RowPlan {
    /// The sheet row number.
    pub row: u32,
    /// The profile the row makes (also when it has issues, to show what was read).
    pub profile: Profile,
    pub issues: Vec<RowIssue>,
    pub dup: Option<(DupReason, Match)>,
}

impl RowPlan {
    /// Whether the row can be imported (it has no blocking issue).
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(|i| i.blocking)
    }

    /// Whether the row is imported with a value left out.
    pub fn is_flagged(&self) -> bool {
        self.is_valid() && !self.issues.is_empty()
    }
}

/// What will happen to a row under a duplicate policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Update(String),
    Skip(SkipReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    Invalid,
    Duplicate,
    DuplicateInFile,
}

impl RowPlan {
    /// The row's issues in words.
    pub fn issues_text(&self, l: Locale) -> String {
        self.issues.iter().map(|i| i.message(l)).collect::<Vec<_>>().join("；")
    }

    /// Whom the row repeats, in words (empty when it repeats nobody).
    pub fn dup_text(&self, l: Locale) -> String {
        match &self.dup {
            Some((r, Match::Archive { name, .. })) => fill(l.t(Msg::ImpDupArchive), &[name, &l.t(r.msg())]),
            Some((r, Match::Row(n))) => fill(l.t(Msg::ImpDupRow), &[n, &l.t(r.msg())]),
            None => String::new(),
        }
    }

    /// Why the row is skipped, in words: its blocking issues, or whom it repeats.
    pub fn skip_text(&self, why: SkipReason, l: Locale) -> String {
        match why {
            SkipReason::Invalid => {
                self.issues.iter().filter(|i| i.blocking).map(|i| i.message(l)).collect::<Vec<_>>().join("；")
            }
            SkipReason::Duplicate | SkipReason::DuplicateInFile => self.dup_text(l),
        }
    }

    /// What happens to this row under `policy`. A row repeating an earlier row of the file is
    /// always skipped (the earlier one is imported); `Update` needs an archive match.
    pub fn action(&self, policy: DupPolicy) -> Action {
        if !self.is_valid() {
            return Action::Skip(SkipReason::Invalid);
        }
        match (&self.dup, policy) {
            (None, _) => Action::Create,
            (Some((_, Match::Row(_))), _) => Action::Skip(SkipReason::DuplicateInFile),
            (Some(_), DupPolicy::Skip) => Action::Skip(SkipReason::Duplicate),
            (Some(_), DupPolicy::Create) => Action::Create,
            (Some((_, Match::Archive { id, .. })), DupPolicy::Update) => Action::Update(id.clone()),
        }
    }
}

/// Who else has a key: a profile in the archive or an earlier row.
#[derive(Clone, Debug)]
enum Owner {
    Archive(u32),
    Row(u32),
}

/// Builds row plans for a table under a mapping, chunk by chunk (so the page can show progress
/// between chunks; the table and index are lent to each step).
pub struct Planner {
    mapping: Vec<Option<Column>>,
    today: crate::domain::date::Date,
    by_id: HashMap<String, Owner>,
    by_phone: HashMap<String, Owner>,
    by_code: HashMap<String, Owner>,
    by_name: HashMap<String, Owner>,
    next: usize,
    /// The archive's search key at work: a row's ID number is compared by its tag with the
    /// sealed ones of the archive.
    tags: Option<Tagger>,
}

/// Mapping problems that stop an import before any row is read.
pub fn mapping_problem(mapping: &[Option<Column>]) -> Option<Msg> {
    if !mapping.contains(&Some(Column::Name)) {
        return Some(Msg::ImpNeedName);
    }
    None
}

fn id_key(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

impl Planner {
    /// Compares rows' ID numbers with the archive's sealed ones by their tags (when the archive
    /// holds any: rows are compared with each other by the number itself, which costs nothing).
    pub fn with_tags(mut self, tags: Option<Tagger>) -> Planner {
        self.tags = tags.filter(|_| !self.by_id.is_empty());
        self
    }

    pub fn new(mapping: Vec<Option<Column>>, index: &SearchIndex, today: crate::domain::date::Date) -> Planner {
        let mut pl = Planner {
            mapping,
            today,
            by_id: HashMap::new(),
            by_phone: HashMap::new(),
            by_code: HashMap::new(),
            by_name: HashMap::new(),
            next: 0,
            tags: None,
        };
        for (pos, e) in index.rows().enumerate() {
            if e.deleted_at.is_some() {
                continue;
            }
            let o = || Owner::Archive(pos as u32);
            if !e.id_no.is_empty() {
                pl.by_id.entry(e.id_no.to_string()).or_insert_with(o);
            }
            for ph in e.phones.iter() {
                pl.by_phone.entry(ph.to_string()).or_insert_with(o);
            }
            if !e.code.is_empty() {
                pl.by_code.entry(id_key(e.code)).or_insert_with(o);
            }
            pl.by_name.entry(fold(e.name.trim())).or_insert_with(o);
        }
        pl
    }

    /// Rows planned so far.
    pub fn planned(&self) -> usize {
        self.next
    }

    /// Plans up to `n` more rows of `table`.
    pub fn step(&mut self, table: &Table, index: &SearchIndex, n: usize) -> Vec<RowPlan> {
        let end = self.next.saturating_add(n).min(table.rows.len());
        let out = (self.next..end).map(|i| self.plan_row(table, index, i)).collect();
        self.next = end;
        out
    }

    /// Every row.
    pub fn all(mut self, table: &Table, index: &SearchIndex) -> Vec<RowPlan> {
        self.step(table, index, usize::MAX)
    }

    fn plan_row(&mut self, table: &Table, index: &SearchIndex, i: usize) -> RowPlan {
        let header = |col: usize| table.headers.get(col).cloned().unwrap_or_default();
        let cells = &table.rows[i];
        let row = table.row_numbers.get(i).copied().unwrap_or(i as u32 + 2);
        let mut p = Profile::default();
        let mut issues = Vec::new();
        let mut id_type_read = false;
        // Organisation fields and the type first: contacts go to an organisation's contact
        // list but to a person's emergency contact.
        let later = |c: Column| matches!(c, Column::ContactName | Column::ContactPhone);
        for pass in [false, true] {
            if pass {
                if !self.mapping.contains(&Some(Column::Kind)) && looks_like_organisation(&p) {
                    p.kind = CustomerKind::Organisation;
                }
                if !id_type_read {
                    if let Some(d) = p.id_doc.as_mut() {
                        let n = d.number.trim();
                        // Bytes, not a string slice: 18 bytes may hold a character cut at 17.
                        let resident = n.len() == 18
                            && n.as_bytes()[..17].iter().all(u8::is_ascii_digit)
                            && n.ends_with(|c: char| c.is_ascii_digit() || c == 'X');
                        if !resident {
                            d.kind = IdDocType::Other;
                        }
                    }
                }
            }
            for (c, col) in self.mapping.iter().enumerate() {
                let Some(col) = col else { continue };
                if later(*col) != pass {
                    continue;
                }
                let cell = cells.get(c).map(String::as_str).unwrap_or_default();
                match apply(&mut p, *col, cell) {
                    Ok(()) => id_type_read |= *col == Column::IdType && !cell.trim().is_empty(),
                    Err(e) => issues.push(RowIssue {
                        col: Some(c as u32 + 1),
                        header: header(c),
                        msg: e.msg,
                        detail: Some(e.value),
                        blocking: matches!(col, Column::Name | Column::IdNumber),
                    }),
                }
            }
        }
        settle_contacts(&mut p);
        if cells.len() > table.headers.len() {
            let extra: Vec<&str> =
                cells[table.headers.len()..].iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            issues.push(RowIssue {
                col: None,
                header: String::new(),
                msg: Msg::ImpExtraCells,
                detail: Some(extra.join(" · ").chars().take(40).collect()),
                blocking: false,
            });
        }
        // The archive's rules, as on the form (the customer code against the archive too).
        let code_owner = |code: &str| index.code_owner(code, "").map(|e| e.display_name().to_string());
        let exists = |id: &str| index.get(id).is_some();
        let ctx = ArchiveContext { today: self.today, code_owner: &code_owner, profile_exists: &exists };
        let (errors, _) = keep_valid(&mut p, &ctx);
        for e in errors {
            let col = Column::for_field(&e.field).and_then(|c| self.mapping.iter().position(|m| *m == Some(c)));
            if issues.iter().any(|x: &RowIssue| x.col.is_some() && x.col == col.map(|c| c as u32 + 1)) {
                continue;
            }
            // The value as the file holds it, so the report says what was left out.
            let cell = col.and_then(|c| cells.get(c)).map(|v| v.trim().chars().take(40).collect::<String>());
            issues.push(RowIssue {
                col: col.map(|c| c as u32 + 1),
                header: col.map(header).unwrap_or_default(),
                msg: e.msg,
                detail: e.detail.or(cell.filter(|v| !v.is_empty())),
                blocking: is_identity_field(&e.field),
            });
        }
        let mut plan = RowPlan { row, profile: p, issues, dup: None };
        if plan.is_valid() {
            plan.dup = self.find_dup(index, &plan.profile, row);
        }
        plan
    }

    /// The first existing owner of one of the row's keys; the row's keys are then recorded so
    /// later rows repeating it are found.
    fn find_dup(&mut self, index: &SearchIndex, p: &Profile, row: u32) -> Option<(DupReason, Match)> {
        let id = p
            .id_doc
            .as_ref()
            .map(|d| index_key(&d.number, Field::IdDocNumber, self.tags.as_ref()))
            .filter(|s| !s.is_empty());
        let phones: Vec<String> = p.phones.iter().map(|x| phone_digits(x)).filter(|x| x.len() >= 7).collect();
        let code = Some(id_key(&p.customer_code)).filter(|s| !s.is_empty());
        let name = fold(p.name.trim());
        let found = id
            .as_ref()
            .and_then(|k| self.by_id.get(k).map(|o| (DupReason::SameId, o)))
            .or_else(|| phones.iter().find_map(|k| self.by_phone.get(k).map(|o| (DupReason::SamePhone, o))))
            .or_else(|| code.as_ref().and_then(|k| self.by_code.get(k).map(|o| (DupReason::SameCode, o))))
            // Two guests may share a name; a name alone identifies an organisation, or a row
            // with neither phone nor ID number to tell them apart.
            .or_else(|| {
                let by_name = p.kind == CustomerKind::Organisation || (phones.is_empty() && id.is_none());
                by_name.then(|| self.by_name.get(&name).map(|o| (DupReason::SimilarName, o))).flatten()
            })
            .map(|(r, o)| {
                let m = match o {
                    Owner::Archive(pos) => {
                        let e = index.entry(*pos);
                        Match::Archive { id: e.id.clone(), name: e.display_name().to_string() }
                    }
                    Owner::Row(n) => Match::Row(*n),
                };
                (r, m)
            });
        if found.is_none() {
            let o = || Owner::Row(row);
            if let Some(k) = id {
                self.by_id.insert(k, o());
            }
            for k in phones {
                self.by_phone.entry(k).or_insert_with(o);
            }
            if let Some(k) = code {
                self.by_code.insert(k, o());
            }
            self.by_name.entry(name).or_insert_with(o);
        }
        found
    }
}

/// An organisation's contact with a phone but no name is the organisation's own phone (a
/// 联系电话 column with the 联系人 cell left empty).
fn settle_contacts(p: &mut Profile) {
    if p.kind != CustomerKind::Organisation {
        return;
    }
    let mut moved = Vec::new();
    p.org.contacts.retain(|c| {
        let nameless = c.name.trim().is_empty() && !c.phone.trim().is_empty();
        if nameless {
            moved.push(c.phone.clone());
        }
        !nameless
    });
    for ph in moved {
        if !p.phones.contains(&ph) {
            p.phones.push(ph);
        }
    }
}

/// Validates `p` as the form would and clears every secondary value that fails (see
/// [`clear_field`]). Returns the errors found (a customer code already used is a duplicate, not an
/// error) and whether the profile is now valid (only identity errors can remain).
fn keep_valid(p: &mut Profile, ctx: &ArchiveContext<'_>) -> (Vec<FieldError>, bool) {
    tidy_profile(p);
    let errors: Vec<FieldError> = validate_profile(p, ctx).into_iter().filter(|e| e.msg != Msg::ErrCodeTaken).collect();
    // List items from the highest index down, so clearing one does not move the next.
    let mut blocked = false;
    for e in errors.iter().rev() {
        if !clear_field(p, &e.field) {
            blocked = true;
        }
    }
    (errors, !blocked)
}

/// The profile an `Update` row makes: the existing profile with the row's non-empty cells; a cell
/// whose value would not pass validation is left out, as it is for a new profile.
pub fn merged_update(
    existing: &Profile,
    table: &Table,
    mapping: &[Option<Column>],
    row_index: usize,
    today: crate::domain::date::Date,
) -> Profile {
    let mut p = existing.clone();
    let cells = &table.rows[row_index];
    for (c, col) in mapping.iter().enumerate() {
        if let Some(col) = col {
            let _ = apply(&mut p, *col, cells.get(c).map(String::as_str).unwrap_or_default());
        }
    }
    settle_contacts(&mut p);
    let none = |_: &str| None;
    let exists = |_: &str| true;
    let (_, valid) = keep_valid(&mut p, &ArchiveContext { today, code_owner: &none, profile_exists: &exists });
    if valid {
        p
    } else {
        existing.clone()
    }
}

/// Counts for the preview and the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub invalid: usize,
    /// Rows created or updated with a value left out.
    pub flagged: usize,
    pub duplicate: usize,
    pub duplicate_in_file: usize,
}

pub fn summarize(plans: &[RowPlan], policy: DupPolicy) -> Summary {
    let mut s = Summary::default();
    for p in plans {
        match p.action(policy) {
            Action::Create => s.create += 1,
            Action::Update(_) => s.update += 1,
            Action::Skip(SkipReason::Invalid) => s.invalid += 1,
            Action::Skip(SkipReason::Duplicate) => s.duplicate += 1,
            Action::Skip(SkipReason::DuplicateInFile) => s.duplicate_in_file += 1,
        }
        if p.is_flagged() && matches!(p.action(policy), Action::Create | Action::Update(_)) {
            s.flagged += 1;
        }
    }
    s
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::columns::guess_mapping;
    use super::super::csv;
    use super::*;
    use crate::domain::date::Date;
    use crate::domain::search::IndexEntry;

    fn archive() -> SearchIndex {
        let mut a = Profile::new("a1".into(), 0, "t");
        a.name = "张三".into();
        a.phones = vec!["13800138000".into()];
        let mut b = Profile::new("b1".into(), 0, "t");
        b.name = "华联超市有限公司".into();
        b.kind = CustomerKind::Organisation;
        b.customer_code = "C001".into();
        SearchIndex::from_entries([IndexEntry::from_profile(&a), IndexEntry::from_profile(&b)])
    }

    fn plan(text: &str) -> Vec<RowPlan> {
        let t = csv::parse(text).unwrap();
        let ix = archive();
        Planner::new(guess_mapping(&t.headers), &ix, Date::new(2026, 11, 23).unwrap()).all(&t, &ix)
    }

    #[test]
    fn a_row_finds_the_archive_profile_holding_its_id_number_sealed() {
        use crate::domain::governance::sealed::{DataKey, Sealer};
        let s = Sealer { data: DataKey::new("k", &[5; 32]).unwrap(), tags: Tagger::new(b"search") };
        let mut a = Profile::new("a1".into(), 0, "t");
        a.name = "张三".into();
        a.id_doc = Some(IdDocument { kind: IdDocType::ResidentId, number: "11010519491231002X".into() });
        s.seal_profile(&mut a);
        let ix = SearchIndex::from_entries([IndexEntry::from_profile(&a)]);
        let t = csv::parse("姓名,证件号码\n张三丰,11010519491231002x\n").unwrap();
        let plans = Planner::new(guess_mapping(&t.headers), &ix, Date::new(2026, 11, 23).unwrap())
            .with_tags(Some(s.tags.clone()))
            .all(&t, &ix);
        assert_eq!(plans[0].dup.as_ref().map(|d| d.0), Some(DupReason::SameId));
        // A masked export imported back carries no number: it cannot overwrite the real one.
        let t = csv::parse("姓名,证件号码,银行账号\n张三丰,**************002X,************2233\n").unwrap();
        let plans = Planner::new(guess_mapping(&t.headers), &ix, Date::new(2026, 11, 23).unwrap()).all(&t, &ix);
        assert_eq!(plans[0].profile.id_doc, None);
        assert_eq!(plans[0].profile.org.account, "");
    }

    /// Found by tests/parsers_never_fall_over.rs: an 18-byte ID number whose 17th byte falls
    /// inside a character made the planner slice a string mid-character and panic.
    #[test]
    fn an_id_number_of_18_bytes_with_chinese_in_it_is_read_not_a_crash() {
        let rows = plan("姓名,证件号码\n张三,=1/0N:客户编码\n");
        assert_eq!(rows.len(), 1);
        assert_eq!("=1/0N:客户编码".len(), 18);
    }

    #[test]
    fn rows_become_profiles_or_say_what_is_wrong() {
        let rows = plan(
            "名称,法人代表,电话,邮箱,合作性质,建立关系日期,联系人,联系电话\n\
             深圳市海景贸易有限公司,王海,0755-88886666,info@haijing.cn,供应商,2019-03-01,刘敏,13912345678\n\
             李四,,12345,not-mail,,2030-01-01,,\n\
             ,,,,,,,\n",
        );
        assert_eq!(rows.len(), 2, "an empty line is no row");
        let org = &rows[0];
        assert!(org.is_valid(), "{:?}", org.issues);
        assert_eq!(org.profile.kind, CustomerKind::Organisation);
        assert_eq!(
            org.profile.org.contacts[0],
            Contact { name: "刘敏".into(), role: String::new(), phone: "13912345678".into() }
        );
        assert_eq!(org.profile.tags, ["供应商"]);
        assert_eq!(org.profile.since, Date::new(2019, 3, 1));
        let bad = &rows[1];
        assert_eq!(bad.row, 3);
        let cols: Vec<Option<u32>> = bad.issues.iter().map(|i| i.col).collect();
        assert_eq!(cols, [Some(3), Some(4), Some(6)], "phone, email and a future date: {:?}", bad.issues);
        assert!(bad.issues[0].message(Locale::Zh).starts_with("C 列“电话”："));
        assert!(bad.issues[0].message(Locale::Zh).contains("(12345)"), "the report says which value");
        // Bad secondary values are left out and flagged; the guest is still imported.
        assert!(bad.is_valid() && bad.is_flagged());
        assert_eq!(bad.action(DupPolicy::Create), Action::Create);
        assert!(bad.profile.phones.is_empty() && bad.profile.email.is_empty() && bad.profile.since.is_none());
        assert_eq!(bad.profile.name, "李四");
    }

    #[test]
    fn only_a_missing_name_or_a_bad_identity_number_holds_a_row_back() {
        let rows = plan(
            "名称,身份证号,联系电话,邮箱\n\
             ,11010519491231002X,13800138001,\n\
             王五,110105194912310021,13800138002,\n\
             赵六,11010519491231002X,138,x@\n",
        );
        assert_eq!(rows[0].action(DupPolicy::Create), Action::Skip(SkipReason::Invalid));
        assert_eq!(rows[1].action(DupPolicy::Create), Action::Skip(SkipReason::Invalid));
        assert!(rows[1].issues.iter().any(|i| i.blocking && i.col == Some(2)));
        assert_eq!(rows[2].action(DupPolicy::Create), Action::Create);
        assert_eq!(rows[2].issues.len(), 2);
        assert!(rows[2].issues.iter().all(|i| !i.blocking));
        let s = summarize(&rows, DupPolicy::Skip);
        assert_eq!((s.create, s.invalid, s.flagged), (1, 2, 1));
    }

    #[test]
    fn a_real_shaped_company_list_with_full_width_phones_loses_no_company() {
        let rows = plan(
            "单位名称,法人代表,银行名称,账号,联系人,联系电话\n\
             北京大学出版社,张明,中国工商银行北京海淀支行,0200004509089131550,王老师,０１０－６２７５１２３４\n\
             海淀图书城有限公司,李华,招商银行北京分行,110902123410601,,（０１０）８２６１ ２３４５\n\
             五道口酒店用品有限公司,赵强,建设银行,11001019500053012345,刘经理,电话待补\n",
        );
        assert!(rows.iter().all(|r| r.action(DupPolicy::Skip) == Action::Create), "{:?}", rows);
        assert_eq!(rows[0].profile.org.contacts[0].phone, "010-62751234");
        assert_eq!(rows[0].profile.org.bank, "中国工商银行北京海淀支行");
        assert_eq!(rows[1].profile.phones, ["(010)8261 2345"], "a contact phone without a contact is the company's");
        assert!(rows[1].profile.org.contacts.is_empty());
        let flagged = &rows[2];
        assert!(flagged.is_flagged());
        assert_eq!(flagged.profile.org.contacts[0].name, "刘经理");
        assert_eq!(flagged.profile.org.contacts[0].phone, "");
        assert_eq!(
            flagged.issues[0].message(Locale::Zh),
            "F 列“联系电话”：电话号码格式不对：手机11位，座机带区号 (电话待补)（此值未导入，这一行的其他内容已导入）"
        );
    }

    #[test]
    fn duplicates_against_the_archive_and_earlier_rows() {
        let rows = plan(
            "姓名,手机,客户编码\n\
             张叁,+86 138 0013 8000,\n\
             华联超市有限公司,,c001\n\
             王五,13700000000,\n\
             王五,13700000000,\n\
             赵六,13600000000,\n\
             张三,13500000000,\n\
             张三,,\n",
        );
        let a1 = Match::Archive { id: "a1".into(), name: "张三".into() };
        assert_eq!(rows[0].dup, Some((DupReason::SamePhone, a1)));
        assert_eq!(rows[1].dup.as_ref().map(|d| d.0), Some(DupReason::SameCode));
        assert_eq!(rows[2].dup, None);
        assert_eq!(rows[3].dup.as_ref().map(|d| &d.1), Some(&Match::Row(4)));
        assert_eq!(rows[0].action(DupPolicy::Update), Action::Update("a1".into()));
        assert_eq!(rows[0].action(DupPolicy::Skip), Action::Skip(SkipReason::Duplicate));
        assert_eq!(rows[0].action(DupPolicy::Create), Action::Create);
        assert_eq!(rows[3].action(DupPolicy::Create), Action::Skip(SkipReason::DuplicateInFile));
        assert_eq!(rows[5].dup, None, "another 张三 with another phone is another guest");
        assert_eq!(rows[6].dup.as_ref().map(|d| d.0), Some(DupReason::SimilarName), "nothing else to tell them apart");
        let s = summarize(&rows, DupPolicy::Skip);
        assert_eq!(s, Summary { create: 3, update: 0, invalid: 0, flagged: 0, duplicate: 3, duplicate_in_file: 1 });
    }

    #[test]
    fn an_update_fills_only_what_the_row_has() {
        let t = csv::parse("姓名,手机,邮箱,备注\n张三,13900000000,zs@example.com,\n").unwrap();
        let mut existing = Profile::new("a1".into(), 0, "t");
        existing.name = "张三".into();
        existing.phones = vec!["13800138000".into()];
        existing.notes = "老客户".into();
        let p = merged_update(&existing, &t, &guess_mapping(&t.headers), 0, Date::new(2026, 11, 23).unwrap());
        assert_eq!(p.phones, ["13800138000", "13900000000"]);
        assert_eq!(p.email, "zs@example.com");
        assert_eq!(p.notes, "老客户");
        assert_eq!(p.id, "a1");
    }

    #[test]
    fn a_sheet_without_a_name_column_cannot_be_imported() {
        assert_eq!(mapping_problem(&[Some(Column::Phone), None]), Some(Msg::ImpNeedName));
        assert_eq!(mapping_problem(&[Some(Column::Name)]), None);
    }

    #[test]
    fn why_a_row_is_skipped_in_words() {
        let issue =
            |blocking: bool, msg: Msg| RowIssue { col: Some(2), header: "电话".into(), msg, detail: None, blocking };
        let row = RowPlan {
            row: 7,
            profile: Profile::default(),
            issues: vec![issue(false, Msg::ErrEmail), issue(true, Msg::ErrPhone)],
            dup: Some((DupReason::SamePhone, Match::Row(3))),
        };
        let l = Locale::Zh;
        assert_eq!(row.skip_text(SkipReason::Invalid, l), issue(true, Msg::ErrPhone).message(l), "only what blocks");
        assert_eq!(row.issues_text(l).matches('；').count(), 1, "every issue");
        assert_eq!(
            row.skip_text(SkipReason::DuplicateInFile, l),
            fill(l.t(Msg::ImpDupRow), &[&3, &l.t(DupReason::SamePhone.msg())])
        );
        let archive =
            RowPlan { dup: Some((DupReason::SameId, Match::Archive { id: "x".into(), name: "张三".into() })), ..row };
        assert!(archive.dup_text(Locale::En).contains("张三"));
        assert_eq!(RowPlan { dup: None, ..archive }.dup_text(l), "");
    }
}
