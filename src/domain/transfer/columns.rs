//! The columns of an imported or exported sheet and the profile fields they fill: recognised by
//! their Chinese or English headers (the seeds' 往来客户一览表 and U8 archive headers among them),
//! read from text cells in either language, and written back in the user's language so that an
//! exported sheet imports as the same profiles.

use super::xlsx::Cell;
use crate::domain::date::Date;
use crate::domain::governance::sealed::{is_masked, shown};
use crate::domain::i18n::{Locale, Msg};
use crate::domain::model::*;
use crate::domain::text::{fold, fold_chars, fold_phone};

macro_rules! columns {
    ($($col:ident $key:literal => $msg:ident [$($syn:literal),*];)+) => {
        /// A column Dangan knows how to read and write.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Column { $($col,)+ }
        impl Column {
            /// Every column, in export order.
            pub const ALL: &'static [Column] = &[$(Column::$col,)+];
            /// A stable key (mapping screen, saved mappings).
            pub fn key(self) -> &'static str { match self { $(Column::$col => $key,)+ } }
            /// The header written on export (and shown on the mapping screen).
            pub fn msg(self) -> Msg { match self { $(Column::$col => Msg::$msg,)+ } }
            /// Other headers that mean this column, folded and without spaces.
            fn synonyms(self) -> &'static [&'static str] { match self { $(Column::$col => &[$($syn),*],)+ } }
            pub fn from_key(k: &str) -> Option<Column> { Column::ALL.iter().copied().find(|c| c.key() == k) }
        }
    };
}

columns! {
    Code "code" => XcCode ["客户编码", "编码", "客户编号", "编号", "客户代码", "代码", "code", "customercode", "customerno", "customerid", "no"];
    Name "name" => XcName ["名称", "客户名称", "姓名", "客户姓名", "宾客姓名", "客人姓名", "公司名称", "单位名称", "客户全称", "全称", "单位全称", "企业名称", "公司全称", "name", "customername", "guestname", "fullname", "companyname", "customer", "客户"];
    ShortName "short_name" => XcShortName ["简称", "客户简称", "单位简称", "shortname", "abbreviation"];
    Kind "kind" => XcKind ["客户类型", "类型", "个人单位", "客户类别", "kind", "type", "customertype"];
    Gender "gender" => XcGender ["性别", "客户性别", "gender", "sex"];
    BirthDate "birth_date" => XcBirth ["出生日期", "生日", "出生年月日", "出生年月", "客户生日", "生日日期", "birthdate", "dateofbirth", "birthday", "dob"];
    IdType "id_type" => XcIdType ["证件类型", "idtype", "documenttype", "doctype"];
    IdNumber "id_number" => XcIdNumber ["证件号码", "证件号", "身份证号", "身份证号码", "身份证", "身份证件号码", "公民身份号码", "护照号码", "护照号", "idnumber", "idno", "idcard", "documentnumber", "passportnumber", "passportno"];
    Phone "phone" => XcPhone ["电话", "手机", "手机号", "手机号码", "电话号码", "联系方式", "固定电话", "移动电话", "联系手机", "办公电话", "座机", "单位电话", "公司电话", "phone", "mobile", "tel", "telephone", "phonenumber", "mobilephone", "cellphone"];
    Email "email" => XcEmail ["邮箱", "电子邮箱", "电子邮件", "邮件", "电子信箱", "邮件地址", "邮箱地址", "email", "e-mail", "mail", "emailaddress"];
    Address "address" => XcAddress ["地址", "通讯地址", "联系地址", "公司地址", "住址", "单位地址", "详细地址", "注册地址", "办公地址", "家庭住址", "address"];
    Company "company" => XcCompany ["工作单位", "单位", "公司", "所在单位", "所属公司", "company", "employer", "organization", "organisation"];
    LegalRep "legal_rep" => XcLegalRep ["法人代表", "法定代表人", "法人", "法人姓名", "法定代表人姓名", "legalrepresentative", "legalrep"];
    TaxNo "tax_no" => XcTaxNo ["税号", "纳税人识别号", "纳税人识别码", "统一社会信用代码", "社会信用代码", "统一信用代码", "信用代码", "税务登记号", "taxno", "taxnumber", "uscc", "taxid"];
    Bank "bank" => XcBank ["开户银行", "开户行", "银行", "银行名称", "开户银行名称", "开户行名称", "开户网点", "bank", "openingbank", "bankname"];
    Account "account" => XcAccount ["账号", "银行账号", "帐号", "银行帐号", "开户账号", "银行卡号", "对公账号", "account", "bankaccount", "accountnumber", "accountno"];
    ContactName "contact_name" => XcContactName ["联系人", "联系人姓名", "单位联系人", "对接人", "contact", "contactname", "contactperson"];
    ContactPhone "contact_phone" => XcContactPhone ["联系电话", "联系人电话", "联系人手机", "联系人手机号", "联系人电话号码", "contactphone"];
    Partner "partner" => XcPartner ["合作性质", "客户性质", "往来类型", "往来性质", "relationship", "partnertype", "customerorsupplier"];
    Since "since" => XcSince ["建立关系日期", "建立日期", "合作日期", "开始合作日期", "建档日期", "customersince", "since", "startdate", "relationshipsince"];
    Class "class" => XcClass ["客户分类", "分类", "客户等级", "客户级别", "class", "category", "customerclass"];
    Mark "mark" => XcMark ["会员标记", "标记", "vip", "贵宾", "mark", "guestmark"];
    Credit "credit" => XcCredit ["信用等级", "信用", "credit", "creditrating"];
    CreditAmount "credit_amount" => XcCreditAmount ["信用额度", "额度", "授信额度", "creditlimit", "creditamount"];
    CreditDays "credit_days" => XcCreditDays ["信用天数", "信用期限", "信用期", "creditdays", "creditperiod"];
    Terms "terms" => XcTerms ["账期", "账期天数", "付款期限", "付款天数", "结算期", "terms", "paymentterms", "termsdays"];
    Tags "tags" => XcTags ["标签", "tags", "tag", "labels"];
    Preferences "preferences" => XcPreferences ["偏好", "喜好", "偏好与禁忌", "特殊信息", "preferences", "preference"];
    SpecialDays "special_days" => XcSpecialDays ["特殊日子", "纪念日", "specialdays", "anniversaries"];
    Nationality "nationality" => XcNationality ["国籍", "nationality", "country"];
    Ethnicity "ethnicity" => XcEthnicity ["民族", "ethnicity"];
    Notes "notes" => XcNotes ["备注", "说明", "附注", "备注信息", "其他说明", "notes", "note", "remark", "remarks", "comment", "comments"];
}

/// A number of days as typed in a sheet or a form (`30`, `30天`, `30 days`): 0 to 3650.
pub fn days_value(v: &str) -> Option<u16> {
    let t = v.trim().trim_end_matches("天").trim_end_matches("days").trim_end_matches("day").trim();
    t.parse::<u16>().ok().filter(|d| *d <= crate::domain::validate::limits::MAX_DAYS)
}

impl Column {
    /// Columns that may be mapped from several source columns (their values add up).
    pub fn repeatable(self) -> bool {
        matches!(self, Column::Phone | Column::Tags | Column::Notes | Column::Preferences)
    }

    /// The column a validation error's field belongs to (from the field registry; a contact's
    /// phone is its own column, and any error of the identity document is the number's).
    pub fn for_field(field: &str) -> Option<Column> {
        use crate::domain::fields::Field;
        let root = field.split('.').next().unwrap_or(field);
        match root {
            "emergency_contact" | "org" if field.contains("phone") => Some(Column::ContactPhone),
            "id_doc" => Some(Column::IdNumber),
            _ => Field::of_path(field).and_then(Field::column),
        }
    }
}

/// A header made comparable: folded, without spaces and marks such as `*` (required) or `:`.
pub(crate) fn norm_header(h: &str) -> String {
    norm_chars(h).collect()
}

/// The characters of [`norm_header`], without allocating.
fn norm_chars(h: &str) -> impl Iterator<Item = char> + '_ {
    fold_chars(h).filter(|c| !c.is_whitespace() && !"*＊:：_-./、".contains(*c))
}

/// Whether `label` normalises to `normalized` (a cell compared with many labels).
fn norm_eq(label: &str, normalized: &str) -> bool {
    norm_chars(label).eq(normalized.chars())
}

/// The column a header means, if any. Text in brackets is tried without it: `电话（手机）`.
pub fn column_for_header(h: &str) -> Option<Column> {
    let n = norm_header(h);
    let find = |n: &str| {
        Column::ALL.iter().copied().find(|c| {
            c.synonyms().iter().any(|s| norm_header(s) == n)
                || norm_header(Locale::Zh.t(c.msg())) == n
                || norm_header(Locale::En.t(c.msg())) == n
        })
    };
    find(&n).or_else(|| {
        let cut: String = n.split(['(', '（', '[', '【']).next().unwrap_or_default().to_string();
        (!cut.is_empty() && cut != n).then(|| find(&cut)).flatten()
    })
}

/// For each source column, the column it fills (`None`: ignored). A column that is not
/// repeatable is taken by its first header only; a second name column that names a company
/// (`姓名` then `单位名称`) is the guest's employer.
pub fn guess_mapping(headers: &[String]) -> Vec<Option<Column>> {
    let mut taken = std::collections::HashSet::new();
    headers
        .iter()
        .map(|h| {
            let col = column_for_header(h)?;
            if col.repeatable() || taken.insert(col) {
                return Some(col);
            }
            let company =
                ["公司名称", "单位名称", "企业名称", "companyname"].iter().any(|s| norm_eq(s, &norm_header(h)));
            (col == Column::Name && company && taken.insert(Column::Company)).then_some(Column::Company)
        })
        .collect()
}

/// A problem with one cell's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    pub msg: Msg,
    pub value: String,
}

fn err(msg: Msg, value: &str) -> CellError {
    CellError { msg, value: value.chars().take(40).collect() }
}

/// Matches a cell against the labels of an enum in both languages (whole label, or its first
/// word: `A` for `A 按时付款`, `重要` for `重要客户`).
fn enum_value<E: Copy>(all: &[E], msg: impl Fn(E) -> Msg, cell: &str, extra: &[(&str, E)]) -> Option<E> {
    let c = norm_header(cell);
    if let Some((_, e)) = extra.iter().find(|(s, _)| norm_eq(s, &c)) {
        return Some(*e);
    }
    all.iter().copied().find(|e| {
        let (zh, en) = msg(*e).texts();
        [zh, en].iter().any(|l| {
            norm_eq(l, &c)
                || l.split_whitespace().next().is_some_and(|w| norm_eq(w, &c))
                || (l.ends_with("客户") && norm_eq(l.trim_end_matches("客户"), &c))
        })
    })
}

/// Splits a cell holding several values: `a；b`, `a; b`, one per line.
fn items(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '；', '\n', '、', '/', '，']).map(str::trim).filter(|s| !s.is_empty())
}

/// A date as people write it: `2019-03-01`, `2019/3/1`, `2019.3.1`, `2019年3月1日`, `20190301`.
pub fn parse_date(s: &str) -> Option<Date> {
    let t: String = s.trim().replace(['年', '月'], "-").replace('日', "");
    let t = t.split([' ', 'T']).next().unwrap_or_default();
    Date::parse(t)
}

/// Fills a profile from one cell. An empty cell changes nothing (so an update keeps what the
/// archive has); values add to lists (phones, tags, preferences, special days) without repeats.
pub fn apply(p: &mut Profile, col: Column, cell: &str) -> Result<(), CellError> {
    let v = cell.trim();
    if v.is_empty() {
        return Ok(());
    }
    let text = |s: &str| s.to_string();
    match col {
        Column::Code => p.customer_code = text(v),
        Column::Name => p.name = text(v),
        Column::ShortName => p.short_name = text(v),
        Column::Kind => {
            p.kind = enum_value(
                CustomerKind::ALL,
                CustomerKind::msg,
                v,
                &[
                    ("企业", CustomerKind::Organisation),
                    ("公司", CustomerKind::Organisation),
                    ("org", CustomerKind::Organisation),
                    ("organization", CustomerKind::Organisation),
                    ("company", CustomerKind::Organisation),
                    ("个人客户", CustomerKind::Person),
                ],
            )
            .ok_or_else(|| err(Msg::ImpBadKind, v))?
        }
        Column::Gender => {
            p.gender = enum_value(
                Gender::ALL,
                Gender::msg,
                v,
                &[("m", Gender::Male), ("f", Gender::Female), ("先生", Gender::Male), ("女士", Gender::Female)],
            )
            .ok_or_else(|| err(Msg::ImpBadGender, v))?
        }
        Column::BirthDate => p.birth_date = Some(parse_date(v).ok_or_else(|| err(Msg::ErrDate, v))?),
        Column::Since => p.since = Some(parse_date(v).ok_or_else(|| err(Msg::ErrDate, v))?),
        Column::IdType => {
            let kind = enum_value(IdDocType::ALL, IdDocType::msg, v, &[("身份证", IdDocType::ResidentId)])
                .ok_or_else(|| err(Msg::ImpBadIdType, v))?;
            p.id_doc.get_or_insert_with(IdDocument::default).kind = kind;
        }
        // A masked number (an export made by someone who could not see it) says nothing: it
        // must not replace the number on an import that updates.
        Column::IdNumber | Column::Account if is_masked(v) => {}
        Column::IdNumber => {
            let number = v.to_uppercase();
            let doc = p.id_doc.get_or_insert_with(IdDocument::default);
            doc.number = number;
        }
        Column::Phone => {
            for ph in items(v).map(fold_phone) {
                if !p.phones.contains(&ph) {
                    p.phones.push(ph);
                }
            }
        }
        Column::Email => p.email = text(v),
        Column::Address => p.address = text(v),
        Column::Company => p.company = text(v),
        Column::LegalRep => p.org.legal_rep = text(v),
        Column::TaxNo => p.org.tax_no = v.to_uppercase(),
        Column::Bank => p.org.bank = text(v),
        Column::Account => p.org.account = v.split_whitespace().collect(),
        Column::ContactName => contact_of(p).name = text(v),
        Column::ContactPhone => contact_of(p).phone = fold_phone(v),
        Column::Partner | Column::Tags => {
            for t in items(v) {
                if !p.tags.iter().any(|x| x == t) {
                    p.tags.push(t.to_string());
                }
            }
        }
        Column::Class => {
            p.class =
                enum_value(CustomerClass::ALL, CustomerClass::msg, v, &[]).ok_or_else(|| err(Msg::ImpBadClass, v))?
        }
        Column::Mark => {
            p.mark = enum_value(
                GuestMark::ALL,
                GuestMark::msg,
                v,
                &[("是", GuestMark::Vip), ("yes", GuestMark::Vip), ("否", GuestMark::None), ("no", GuestMark::None)],
            )
            .ok_or_else(|| err(Msg::ImpBadMark, v))?
        }
        Column::Credit => {
            p.credit =
                enum_value(CreditRating::ALL, CreditRating::msg, v, &[]).ok_or_else(|| err(Msg::ImpBadCredit, v))?
        }
        Column::CreditAmount => {
            p.credit_limit.amount_fen = Some(parse_yuan(v).filter(|f| *f >= 0).ok_or_else(|| err(Msg::ErrAmount, v))?)
        }
        Column::CreditDays => p.credit_limit.days = Some(days_value(v).ok_or_else(|| err(Msg::ErrDays, v))?),
        Column::Terms => p.terms_days = Some(days_value(v).ok_or_else(|| err(Msg::ErrDays, v))?),
        Column::Preferences => add_preferences(p, v),
        Column::SpecialDays => add_special_days(p, v)?,
        Column::Nationality => p.nationality = text(v),
        Column::Ethnicity => p.ethnicity = text(v),
        Column::Notes => {
            if p.notes.is_empty() || p.notes == v {
                p.notes = text(v);
            } else if !p.notes.contains(v) {
                p.notes = format!("{}\n{v}", p.notes);
            }
        }
    }
    Ok(())
}

/// The contact a contact column fills: an organisation's first contact, a person's emergency
/// contact.
fn contact_of(p: &mut Profile) -> &mut Contact {
    if p.kind == CustomerKind::Organisation {
        if p.org.contacts.is_empty() {
            p.org.contacts.push(Contact::default());
        }
        &mut p.org.contacts[0]
    } else {
        p.emergency_contact.get_or_insert_with(Contact::default)
    }
}

/// Adds `忌口：辣; 枕头：荞麦` to the preferences (an unknown kind, or none, is "other").
fn add_preferences(p: &mut Profile, v: &str) {
    for item in v.split([';', '；', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let pref = match item.split_once([':', '：']) {
            Some((k, val)) => match enum_value(PrefKind::ALL, PrefKind::msg, k, &[]) {
                Some(kind) => Preference { kind, value: val.trim().to_string() },
                None => Preference { kind: PrefKind::Other, value: item.to_string() },
            },
            None => Preference { kind: PrefKind::Other, value: item.to_string() },
        };
        if !p.preferences.contains(&pref) {
            p.preferences.push(pref);
        }
    }
}

/// Adds `生日 03-01; 纪念日 06-18 结婚; 生日 农历四月初八` to the special days (kind, day, label).
fn add_special_days(p: &mut Profile, v: &str) -> Result<(), CellError> {
    for item in v.split([';', '；', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let words: Vec<&str> = item.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| SpecialDay::parse_written(w).is_some())
            .ok_or_else(|| err(Msg::ErrMonthDay, item))?;
        let (calendar, month, day) = SpecialDay::parse_written(words[at]).ok_or_else(|| err(Msg::ErrMonthDay, item))?;
        let kind = enum_value(DayKind::ALL, DayKind::msg, &words[..at].join(" "), &[]).unwrap_or(DayKind::Other);
        let day = SpecialDay { kind, month, day, label: words[at + 1..].join(" "), calendar };
        if !p.special_days.contains(&day) {
            p.special_days.push(day);
        }
    }
    Ok(())
}

/// Guesses whether a row without a type column is an organisation: it has organisation fields,
/// or its name reads like one.
pub fn looks_like_organisation(p: &Profile) -> bool {
    const ENDINGS: [&str; 16] = [
        "公司", "集团", "厂", "店", "局", "院", "所", "中心", "协会", "酒店", "银行", "学校", "大学", "ltd", "inc",
        "co",
    ];
    let n = fold(p.name.trim());
    !p.org.legal_rep.is_empty()
        || !p.org.tax_no.is_empty()
        || !p.org.bank.is_empty()
        || !p.org.account.is_empty()
        || !p.short_name.is_empty()
        || ENDINGS.iter().any(|e| n.trim_end_matches('.').ends_with(e))
}

/// One exported cell of a profile, in language `l`.
pub fn cell(p: &Profile, col: Column, l: Locale) -> Cell {
    let t = |s: &str| Cell::Text(s.to_string());
    let contact =
        if p.kind == CustomerKind::Organisation { p.org.contacts.first() } else { p.emergency_contact.as_ref() };
    match col {
        Column::Code => t(&p.customer_code),
        Column::Name => t(&p.name),
        Column::ShortName => t(&p.short_name),
        Column::Kind => t(l.t(p.kind.msg())),
        Column::Gender => t(if p.gender == Gender::Unknown { "" } else { l.t(p.gender.msg()) }),
        Column::BirthDate => p.birth_date.map(Cell::Date).unwrap_or(Cell::Text(String::new())),
        Column::Since => p.since.map(Cell::Date).unwrap_or(Cell::Text(String::new())),
        Column::IdType => t(p.id_doc.as_ref().map(|d| l.t(d.kind.msg())).unwrap_or_default()),
        Column::IdNumber => t(&shown(p.id_doc.as_ref().map(|d| d.number.as_str()).unwrap_or_default())),
        Column::Phone => Cell::Text(p.phones.join("; ")),
        Column::Email => t(&p.email),
        Column::Address => t(&p.address),
        Column::Company => t(&p.company),
        Column::LegalRep => t(&p.org.legal_rep),
        Column::TaxNo => t(&p.org.tax_no),
        Column::Bank => t(&p.org.bank),
        Column::Account => t(&shown(&p.org.account)),
        Column::ContactName => t(contact.map(|c| c.name.as_str()).unwrap_or_default()),
        Column::ContactPhone => t(contact.map(|c| c.phone.as_str()).unwrap_or_default()),
        Column::Partner => t(""),
        Column::Class => t(l.t(p.class.msg())),
        Column::Mark => t(if p.mark == GuestMark::None { "" } else { l.t(p.mark.msg()) }),
        Column::Credit => t(if p.credit == CreditRating::Unrated { "" } else { l.t(p.credit.msg()) }),
        Column::CreditAmount => t(&p.credit_limit.amount_fen.map(format_fen).unwrap_or_default()),
        Column::CreditDays => t(&p.credit_limit.days.map(|d| d.to_string()).unwrap_or_default()),
        Column::Terms => t(&p.terms_days.map(|d| d.to_string()).unwrap_or_default()),
        Column::Tags => Cell::Text(p.tags.join("; ")),
        Column::Preferences => Cell::Text(
            p.preferences.iter().map(|x| format!("{}: {}", l.t(x.kind.msg()), x.value)).collect::<Vec<_>>().join("; "),
        ),
        Column::SpecialDays => Cell::Text(
            p.special_days
                .iter()
                .map(|d| format!("{} {} {}", l.t(d.kind.msg()), d.written(), d.label).trim().to_string())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Column::Nationality => t(&p.nationality),
        Column::Ethnicity => t(&p.ethnicity),
        Column::Notes => t(&p.notes),
    }
}

/// The columns an export writes: every column but the import-only ones.
pub fn export_columns() -> Vec<Column> {
    Column::ALL.iter().copied().filter(|c| *c != Column::Partner).collect()
}

/// Profiles as a sheet (headers and cells) in language `l`.
pub fn export_sheet(profiles: &[Profile], l: Locale) -> (Vec<String>, Vec<Vec<Cell>>) {
    let cols = export_columns();
    let headers = cols.iter().map(|c| l.t(c.msg()).to_string()).collect();
    let rows = profiles.iter().map(|p| cols.iter().map(|c| cell(p, *c, l)).collect()).collect();
    (headers, rows)
}

/// A cell as CSV text (dates as `YYYY-MM-DD`).
pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Date(d) => d.to_string(),
        Cell::Money(fen) => crate::domain::model::format_fen(*fen),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_seed_customer_list_headers_map_by_themselves() {
        let headers: Vec<String> = [
            "序号",
            "名称",
            "法人代表",
            "地址",
            "邮箱",
            "开户银行",
            "账号",
            "合作性质",
            "建立关系 日期",
            "联系人",
            "联系电话",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            guess_mapping(&headers),
            [
                None,
                Some(Column::Name),
                Some(Column::LegalRep),
                Some(Column::Address),
                Some(Column::Email),
                Some(Column::Bank),
                Some(Column::Account),
                Some(Column::Partner),
                Some(Column::Since),
                Some(Column::ContactName),
                Some(Column::ContactPhone)
            ]
        );
        let en: Vec<String> =
            ["Customer Name", "Phone", "E-mail", "Tax No.", "Customer code*", "电话（手机）", "Mobile"]
                .map(String::from)
                .to_vec();
        assert_eq!(
            guess_mapping(&en),
            [
                Some(Column::Name),
                Some(Column::Phone),
                Some(Column::Email),
                Some(Column::TaxNo),
                Some(Column::Code),
                Some(Column::Phone),
                Some(Column::Phone)
            ]
        );
        // A second name column is left for the user to decide.
        assert_eq!(guess_mapping(&["姓名".into(), "客户名称".into()]), [Some(Column::Name), None]);
    }

    #[test]
    fn headers_of_real_chinese_lists_map_to_their_columns() {
        use Column::*;
        for (header, want) in [
            ("银行名称", Bank),
            ("开户行", Bank),
            ("开户银行名称", Bank),
            ("银行账号", Account),
            ("账号", Account),
            ("手机", Phone),
            ("手机号码", Phone),
            ("联系方式", Phone),
            ("单位名称", Name),
            ("公司名称", Name),
            ("客户名称", Name),
            ("统一社会信用代码", TaxNo),
            ("纳税人识别号", TaxNo),
            ("身份证", IdNumber),
            ("身份证号码", IdNumber),
            ("证件号码", IdNumber),
            ("出生年月", BirthDate),
            ("生日", BirthDate),
            ("备注", Notes),
            ("联系人", ContactName),
            ("联系电话", ContactPhone),
            ("法定代表人", LegalRep),
            ("电子信箱", Email),
            ("详细地址", Address),
            ("银行名称*", Bank),
            ("手机号码（必填）", Phone),
        ] {
            assert_eq!(column_for_header(header), Some(want), "{header}");
        }
        assert_eq!(
            guess_mapping(&["姓名".into(), "单位名称".into(), "手机".into()]),
            [Some(Name), Some(Company), Some(Phone)],
            "a guest list's second name column is the employer"
        );
    }

    #[test]
    fn full_width_phones_are_stored_half_width() {
        let mut p = Profile { kind: CustomerKind::Organisation, ..Profile::default() };
        apply(&mut p, Column::Phone, "０１０－６２７５１２３４；１３８００１３８０００").unwrap();
        apply(&mut p, Column::ContactPhone, "１３９１２３４５６７８").unwrap();
        assert_eq!(p.phones, ["010-62751234", "13800138000"]);
        assert_eq!(p.org.contacts[0].phone, "13912345678");
    }

    #[test]
    fn every_export_header_maps_back_to_its_column_in_both_languages() {
        for l in [Locale::Zh, Locale::En] {
            for c in export_columns() {
                assert_eq!(column_for_header(l.t(c.msg())), Some(c), "{l:?} {c:?}");
            }
        }
    }

    #[test]
    fn cells_in_either_language() {
        let mut p = Profile::default();
        apply(&mut p, Column::Gender, "女").unwrap();
        assert_eq!(p.gender, Gender::Female);
        apply(&mut p, Column::Gender, "Male").unwrap();
        assert_eq!(p.gender, Gender::Male);
        apply(&mut p, Column::Class, "重要").unwrap();
        assert_eq!(p.class, CustomerClass::Important);
        apply(&mut p, Column::Credit, "B").unwrap();
        assert_eq!(p.credit, CreditRating::B);
        apply(&mut p, Column::Since, "2019年3月1日").unwrap();
        assert_eq!(p.since, Date::new(2019, 3, 1));
        apply(&mut p, Column::Phone, "13800138000；0755-12345678").unwrap();
        apply(&mut p, Column::Phone, "13800138000").unwrap();
        assert_eq!(p.phones, ["13800138000", "0755-12345678"]);
        apply(&mut p, Column::Preferences, "禁忌：香菜; Pillow: buckwheat; 安静").unwrap();
        assert_eq!(p.preferences[0], Preference { kind: PrefKind::Taboo, value: "香菜".into() });
        assert_eq!(p.preferences[1].kind, PrefKind::Pillow);
        assert_eq!(p.preferences[2], Preference { kind: PrefKind::Other, value: "安静".into() });
        apply(&mut p, Column::SpecialDays, "生日 03-05; Anniversary 06-18 结婚").unwrap();
        assert_eq!(
            p.special_days[1],
            SpecialDay {
                kind: DayKind::Anniversary, month: 6, day: 18, label: "结婚".into(), ..SpecialDay::default()
            }
        );
        // A lunar birthday reads back as it is written out.
        apply(&mut p, Column::SpecialDays, "生日 农历闰四月初八 阴历").unwrap();
        let lunar = SpecialDay {
            kind: DayKind::Birthday,
            month: 4,
            day: 8,
            label: "阴历".into(),
            calendar: DayCalendar::LunarLeap,
        };
        assert_eq!(p.special_days[2], lunar);
        let Cell::Text(out) = cell(&p, Column::SpecialDays, Locale::Zh) else { panic!() };
        assert!(out.ends_with("生日 农历闰四月初八 阴历"), "{out}");
        assert_eq!(apply(&mut p, Column::Gender, "x").unwrap_err().msg, Msg::ImpBadGender);
        assert_eq!(apply(&mut p, Column::BirthDate, "2023-13-45").unwrap_err().msg, Msg::ErrDate);
        let before = p.clone();
        apply(&mut p, Column::Name, "  ").unwrap();
        assert_eq!(p, before, "an empty cell changes nothing");
    }
}
