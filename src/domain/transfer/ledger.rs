//! Opening balances and invoices from a sheet (issue 17): the import screen's second kind of
//! sheet. Columns are recognised by their headers as profile columns are ([`LedgerColumn`]);
//! each row names its customer by code or name, and becomes an entry to record or the list of
//! what is wrong with it, in words, with its column.
//!
//! The plan is pure and goes in two steps, because the second needs what the archive holds for
//! the customers the sheet names: [`LedgerPlanner`] reads the rows against the search index
//! (which customer, what kind, date, amount, due date); then [`settle`] takes each named
//! customer's payment terms and recorded entries, fills the due dates the sheet left empty and
//! finds the rows already recorded (the same invoice number, or the same opening balance) or
//! repeated in the file. Importing the same sheet twice records nothing the second time, and two
//! devices importing it offline make the same entries ([`entry_id`]), counted once.

use super::columns::{norm_header, parse_date};
use super::plan::RowIssue;
use super::Table;
use crate::domain::date::Date;
use crate::domain::forms::ledger::{DOC_CHARS, MAX_FEN};
use crate::domain::i18n::{fill, Locale, Msg};
use crate::domain::ledger::{key_of, Body, Entry};
use crate::domain::model::{format_yuan, parse_yuan};
use crate::domain::search::SearchIndex;
use crate::domain::text::fold;
use std::collections::HashMap;

/// A column of a ledger sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LedgerColumn {
    Code,
    Name,
    Kind,
    Doc,
    Date,
    Amount,
    Due,
}

impl LedgerColumn {
    pub const ALL: [LedgerColumn; 7] = [
        LedgerColumn::Code,
        LedgerColumn::Name,
        LedgerColumn::Kind,
        LedgerColumn::Doc,
        LedgerColumn::Date,
        LedgerColumn::Amount,
        LedgerColumn::Due,
    ];

    /// A stable key (the mapping screen's options).
    pub fn key(self) -> &'static str {
        match self {
            LedgerColumn::Code => "code",
            LedgerColumn::Name => "name",
            LedgerColumn::Kind => "kind",
            LedgerColumn::Doc => "doc",
            LedgerColumn::Date => "date",
            LedgerColumn::Amount => "amount",
            LedgerColumn::Due => "due",
        }
    }

    pub fn from_key(k: &str) -> Option<LedgerColumn> {
        LedgerColumn::ALL.into_iter().find(|c| c.key() == k)
    }

    /// The header written in the template and shown on the mapping screen.
    pub fn msg(self) -> Msg {
        match self {
            LedgerColumn::Code => Msg::XcCode,
            LedgerColumn::Name => Msg::XcName,
            LedgerColumn::Kind => Msg::XlKind,
            LedgerColumn::Doc => Msg::XlDoc,
            LedgerColumn::Date => Msg::XlDate,
            LedgerColumn::Amount => Msg::XlAmount,
            LedgerColumn::Due => Msg::XlDue,
        }
    }

    /// Headers that mean this column in the accounting packages' exports (U8, Kingdee) and
    /// hand-made sheets, normalised as [`norm_header`] makes them.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            LedgerColumn::Code => &[
                "客户编码",
                "客户编号",
                "客户代码",
                "往来单位编码",
                "单位编码",
                "编码",
                "code",
                "customercode",
                "customerno",
            ],
            LedgerColumn::Name => &[
                "客户名称",
                "客户",
                "名称",
                "往来单位",
                "往来单位名称",
                "单位名称",
                "客户全称",
                "姓名",
                "customer",
                "customername",
                "name",
            ],
            LedgerColumn::Kind => &["类型", "单据类型", "业务类型", "款项类型", "kind", "type", "entrytype"],
            LedgerColumn::Doc => &[
                "单据号",
                "单据编号",
                "单号",
                "发票号",
                "发票号码",
                "凭证号",
                "凭证编号",
                "document",
                "documentno",
                "docno",
                "invoiceno",
                "invoicenumber",
            ],
            LedgerColumn::Date => &[
                "日期",
                "单据日期",
                "开票日期",
                "发票日期",
                "业务日期",
                "入账日期",
                "期初日期",
                "date",
                "invoicedate",
                "documentdate",
            ],
            LedgerColumn::Amount => &[
                "金额",
                "应收金额",
                "发票金额",
                "价税合计",
                "本币金额",
                "期初余额",
                "余额",
                "期初金额",
                "未收金额",
                "amount",
                "balance",
                "openingbalance",
                "invoiceamount",
            ],
            LedgerColumn::Due => {
                &["到期日", "到期日期", "应收日期", "收款日期", "付款到期日", "due", "duedate", "dueon"]
            }
        }
    }
}

/// The ledger column a header means, if any (text in brackets tried without it).
pub fn column_for_header(h: &str) -> Option<LedgerColumn> {
    let find = |n: &str| {
        LedgerColumn::ALL.into_iter().find(|c| {
            c.synonyms().iter().any(|s| norm_header(s) == n)
                || [Locale::Zh, Locale::En].iter().any(|l| norm_header(l.t(c.msg())) == n)
        })
    };
    let n = norm_header(h);
    find(&n).or_else(|| {
        let cut = n.split(['(', '（', '[', '【']).next().unwrap_or_default();
        (!cut.is_empty() && cut != n).then(|| find(cut)).flatten()
    })
}

/// The mapping guessed from the headers: each ledger column from its first source column.
pub fn guess_mapping(headers: &[String]) -> Vec<Option<LedgerColumn>> {
    let mut seen = Vec::new();
    headers
        .iter()
        .map(|h| {
            let c = column_for_header(h).filter(|c| !seen.contains(c));
            seen.extend(c);
            c
        })
        .collect()
}

/// Whether a sheet with these headers holds amounts owed rather than customers: an amount, a
/// date or document number, and whom.
pub fn looks_like_ledger(headers: &[String]) -> bool {
    let m = guess_mapping(headers);
    let has = |c: LedgerColumn| m.contains(&Some(c));
    has(LedgerColumn::Amount)
        && (has(LedgerColumn::Date) || has(LedgerColumn::Doc) || has(LedgerColumn::Due))
        && (has(LedgerColumn::Code) || has(LedgerColumn::Name))
}

/// What stops a ledger import before any row is read.
pub fn mapping_problem(mapping: &[Option<LedgerColumn>]) -> Option<Msg> {
    let has = |c: LedgerColumn| mapping.contains(&Some(c));
    if !has(LedgerColumn::Code) && !has(LedgerColumn::Name) {
        return Some(Msg::ImpLedNeedCustomer);
    }
    if !has(LedgerColumn::Amount) {
        return Some(Msg::ImpLedNeedAmount);
    }
    if !has(LedgerColumn::Date) {
        return Some(Msg::ImpLedNeedDate);
    }
    None
}

/// What a row brings in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RowKind {
    /// 期初: the balance the account starts with (negative: a credit).
    Opening,
    /// 发票: a sale, due after the customer's terms unless the sheet gives a due date.
    #[default]
    Invoice,
}

impl RowKind {
    pub fn msg(self) -> Msg {
        match self {
            RowKind::Opening => Msg::LedOpening,
            RowKind::Invoice => Msg::XlInvoice,
        }
    }

    /// A kind as a sheet writes it.
    fn parse(cell: &str) -> Option<RowKind> {
        let n = norm_header(cell);
        let opening = ["期初", "期初余额", "期初数", "期初应收", "余额", "opening", "openingbalance", "balance"];
        let invoice = ["发票", "销售", "销售发票", "应收", "应收单", "销售单", "发货单", "invoice", "sale", "sales"];
        if opening.iter().any(|s| norm_header(s) == n) || n == norm_header(Locale::En.t(Msg::LedOpening)) {
            Some(RowKind::Opening)
        } else if invoice.iter().any(|s| norm_header(s) == n) {
            Some(RowKind::Invoice)
        } else {
            None
        }
    }
}

/// An amount as a sheet holds it: `1,234.50`, `¥1234.5`, `1234.5元`, `(300.00)` for a negative
/// one, or a number Excel computed (`1130.0000000001`) when it is a whole number of fen.
pub fn sheet_amount(cell: &str) -> Option<i64> {
    let t = cell.trim().trim_end_matches('元').trim();
    let (neg, t) = match t.strip_prefix(['(', '（']).and_then(|r| r.strip_suffix([')', '）'])) {
        Some(inner) => (true, inner),
        None => (false, t),
    };
    let fen = parse_yuan(t).filter(|_| !t.is_empty()).or_else(|| {
        let f: f64 = t.replace([',', '¥', '￥', ' '], "").parse().ok()?;
        let fen = (f * 100.0).round();
        (f.is_finite() && (f * 100.0 - fen).abs() < 1e-4 && fen.abs() < 1e15).then_some(fen as i64)
    })?;
    Some(if neg { -fen } else { fen })
}

/// The customer a row names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub name: String,
}

/// Why a row that could be recorded is not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// The customer's account holds it already (its day and amount).
    Recorded { date: Date, amount_fen: i64 },
    /// An earlier row of the file is the same entry (its sheet row number).
    Row(u32),
}

/// One row of a ledger sheet, planned.
#[derive(Clone, Debug, PartialEq)]
pub struct LedgerRow {
    /// The sheet row number.
    pub row: u32,
    /// Whom the sheet names (code or name, as written).
    pub named: String,
    pub customer: Option<Customer>,
    pub kind: RowKind,
    pub date: Option<Date>,
    pub doc: String,
    pub amount_fen: i64,
    /// The due date: the sheet's, or after [`settle`] the customer's terms from the date.
    pub due: Option<Date>,
    pub issues: Vec<RowIssue>,
    pub repeat: Option<Repeat>,
}

impl LedgerRow {
    /// No blocking problem.
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(|i| i.blocking)
    }

    /// Recorded with a value left out (a bad due date: the terms apply).
    pub fn is_flagged(&self) -> bool {
        self.is_valid() && !self.issues.is_empty()
    }

    /// Whether importing records it.
    pub fn records(&self) -> bool {
        self.is_valid() && self.repeat.is_none() && self.customer.is_some() && self.date.is_some()
    }

    /// What identifies the entry: its customer, kind and document number, or without a number
    /// its day and amount. The same row imported again has the same key.
    pub fn key(&self) -> String {
        let who = self.customer.as_ref().map(|c| c.id.as_str()).unwrap_or_default();
        entry_key(who, self.kind, self.date, &self.doc, self.amount_fen)
    }

    /// The entry's day and body (a recordable row).
    pub fn body(&self) -> Option<(Date, Body)> {
        let date = self.date?;
        let body = match self.kind {
            RowKind::Opening => Body::Opening { amount_fen: self.amount_fen, doc: self.doc.clone(), due: self.due },
            RowKind::Invoice => Body::Sale {
                doc: self.doc.clone(),
                amount_fen: self.amount_fen,
                due: self.due.unwrap_or(date),
                override_: None,
            },
        };
        Some((date, body))
    }

    /// Why it is not recorded, or what was left out, in words.
    pub fn detail(&self, l: Locale) -> String {
        let blocking: Vec<String> = self.issues.iter().filter(|i| i.blocking).map(|i| i.message(l)).collect();
        if !blocking.is_empty() {
            return blocking.join("；");
        }
        let mut words: Vec<String> = self.issues.iter().map(|i| i.message(l)).collect();
        match &self.repeat {
            Some(Repeat::Recorded { date, amount_fen }) => {
                words.push(fill(l.t(Msg::ImpLedRecorded), &[date, &format_yuan(*amount_fen)]))
            }
            Some(Repeat::Row(n)) => words.push(fill(l.t(Msg::ImpLedRepeats), &[n])),
            None => {}
        }
        words.join("；")
    }
}

/// What identifies an opening balance or invoice of customer `who` (see [`LedgerRow::key`]): a
/// row of the sheet and an entry of the account have the same key when they are the same entry.
fn entry_key(who: &str, kind: RowKind, date: Option<Date>, doc: &str, amount_fen: i64) -> String {
    let kind = match kind {
        RowKind::Opening => "o",
        RowKind::Invoice => "s",
    };
    match doc.trim() {
        "" => format!("{who}|{kind}|{}|{amount_fen}", date.map(|d| d.to_string()).unwrap_or_default()),
        doc => format!("{who}|{kind}|#{}", fold(doc)),
    }
}

/// An entry id made from a row's key: the same row makes the same id on every device.
pub fn entry_id(key: &str) -> String {
    // Two independent 64-bit hashes (the key, and the key salted), as long as a random id.
    let salted = format!("dangan-import|{key}");
    format!("{:011x}{:016x}", key_of(&salted) >> 20, key_of(key))
}

/// Reads ledger rows against the search index, a slice at a time.
pub struct LedgerPlanner {
    mapping: Vec<Option<LedgerColumn>>,
    today: Date,
    /// Live profiles by folded name (several when names repeat).
    by_name: HashMap<String, Vec<u32>>,
    /// The kind of a row whose sheet says none: an amount headed 期初余额 means opening balances.
    default_kind: RowKind,
    next: usize,
}

impl LedgerPlanner {
    pub fn new(mapping: Vec<Option<LedgerColumn>>, table: &Table, index: &SearchIndex, today: Date) -> LedgerPlanner {
        let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
        if mapping.contains(&Some(LedgerColumn::Name)) {
            for (pos, e) in index.rows().enumerate() {
                if e.deleted_at.is_none() {
                    by_name.entry(fold(e.name.trim())).or_default().push(pos as u32);
                }
            }
        }
        let amount_header = mapping
            .iter()
            .position(|m| *m == Some(LedgerColumn::Amount))
            .and_then(|i| table.headers.get(i))
            .map(|h| norm_header(h))
            .unwrap_or_default();
        let default_kind = if ["期初", "余额", "opening", "balance"].iter().any(|w| amount_header.contains(w)) {
            RowKind::Opening
        } else {
            RowKind::Invoice
        };
        LedgerPlanner { mapping, today, by_name, default_kind, next: 0 }
    }

    /// Rows read so far.
    pub fn planned(&self) -> usize {
        self.next
    }

    /// Reads up to `n` more rows.
    pub fn step(&mut self, table: &Table, index: &SearchIndex, n: usize) -> Vec<LedgerRow> {
        let end = self.next.saturating_add(n).min(table.rows.len());
        let out = (self.next..end).map(|i| self.plan_row(table, index, i)).collect();
        self.next = end;
        out
    }

    /// Every row.
    pub fn all(mut self, table: &Table, index: &SearchIndex) -> Vec<LedgerRow> {
        self.step(table, index, usize::MAX)
    }

    fn plan_row(&self, table: &Table, index: &SearchIndex, i: usize) -> LedgerRow {
        let cells = &table.rows[i];
        let col = |c: LedgerColumn| self.mapping.iter().position(|m| *m == Some(c));
        let cell = |c: LedgerColumn| col(c).and_then(|i| cells.get(i)).map(|v| v.trim()).unwrap_or_default();
        let mut issues = Vec::new();
        let mut issue = |c: LedgerColumn, msg: Msg, detail: &str, blocking: bool| {
            let at = col(c);
            issues.push(RowIssue {
                col: at.map(|i| i as u32 + 1),
                header: at.and_then(|i| table.headers.get(i)).cloned().unwrap_or_default(),
                msg,
                detail: (!detail.is_empty()).then(|| detail.chars().take(40).collect()),
                blocking,
            });
        };
        let (code, name) = (cell(LedgerColumn::Code), cell(LedgerColumn::Name));
        let found = |e: crate::domain::snapshot::EntryRef<'_>| Customer {
            id: e.id.to_string(),
            name: e.display_name().to_string(),
        };
        let by_code = index.code_owner(code, "").map(found);
        let by_name = || match self.by_name.get(&fold(name)).map(Vec::as_slice) {
            Some([one]) => Ok(Some(found(index.row(*one)))),
            Some([_, _, ..]) => Err(()),
            _ => Ok(None),
        };
        let customer = match (by_code, code.is_empty(), name.is_empty()) {
            (Some(c), ..) => Some(c),
            (None, true, true) => {
                let which = if col(LedgerColumn::Code).is_some() { LedgerColumn::Code } else { LedgerColumn::Name };
                issue(which, Msg::ImpLedNoWho, "", true);
                None
            }
            (None, no_code, no_name) => match if no_name { Ok(None) } else { by_name() } {
                Ok(Some(c)) => Some(c),
                Ok(None) if !no_code => {
                    issue(LedgerColumn::Code, Msg::ImpLedNoCustomer, code, true);
                    None
                }
                Ok(None) => {
                    issue(LedgerColumn::Name, Msg::ImpLedNoCustomer, name, true);
                    None
                }
                Err(()) => {
                    issue(LedgerColumn::Name, Msg::ImpLedManyCustomers, name, true);
                    None
                }
            },
        };
        let kind_cell = cell(LedgerColumn::Kind);
        let kind = match kind_cell {
            "" => self.default_kind,
            v => RowKind::parse(v).unwrap_or_else(|| {
                issue(LedgerColumn::Kind, Msg::ImpLedKind, v, true);
                self.default_kind
            }),
        };
        let date_cell = cell(LedgerColumn::Date);
        let date = match parse_date(date_cell).filter(|d| d.year >= 1900) {
            _ if date_cell.is_empty() => {
                issue(LedgerColumn::Date, Msg::ErrRequired, "", true);
                None
            }
            Some(d) if d > self.today => {
                issue(LedgerColumn::Date, Msg::ErrDateFuture, date_cell, true);
                None
            }
            Some(d) => Some(d),
            None => {
                issue(LedgerColumn::Date, Msg::ErrDate, date_cell, true);
                None
            }
        };
        let amount_cell = cell(LedgerColumn::Amount);
        let amount_fen = match sheet_amount(amount_cell) {
            _ if amount_cell.is_empty() => {
                issue(LedgerColumn::Amount, Msg::ErrRequired, "", true);
                0
            }
            Some(f) if f.abs() > MAX_FEN => {
                issue(LedgerColumn::Amount, Msg::ErrAmountTooLarge, amount_cell, true);
                0
            }
            Some(f) if f <= 0 && kind == RowKind::Invoice || f == 0 => {
                issue(LedgerColumn::Amount, Msg::ErrAmountPositive, amount_cell, true);
                0
            }
            Some(f) => f,
            None => {
                issue(LedgerColumn::Amount, Msg::ErrAmount, amount_cell, true);
                0
            }
        };
        let doc = cell(LedgerColumn::Doc).to_string();
        if doc.chars().count() > DOC_CHARS {
            issue(LedgerColumn::Doc, Msg::ErrTooLong, "", true);
        }
        // A due date that cannot be read or falls before the date is left out: the customer's
        // terms apply, and the row is recorded with the problem named.
        let due_cell = cell(LedgerColumn::Due);
        let due = match (parse_date(due_cell), date) {
            _ if due_cell.is_empty() => None,
            (Some(d), Some(on)) if d < on => {
                issue(LedgerColumn::Due, Msg::ImpLedDueBefore, due_cell, false);
                None
            }
            (Some(d), _) => Some(d),
            (None, _) => {
                issue(LedgerColumn::Due, Msg::ErrDate, due_cell, false);
                None
            }
        };
        let row = table.row_numbers.get(i).copied().unwrap_or(i as u32 + 2);
        let named = if code.is_empty() { name.to_string() } else { code.to_string() };
        LedgerRow { row, named, customer, kind, date, doc, amount_fen, due, issues, repeat: None }
    }
}

/// The customers the rows name (each once, in the rows' order): whose terms and entries
/// [`settle`] needs.
pub fn customers(rows: &[LedgerRow]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .filter_map(|r| r.customer.as_ref())
        .filter(|c| seen.insert(c.id.as_str()))
        .map(|c| c.id.clone())
        .collect()
}

/// What the archive holds for one customer the sheet names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Known {
    /// The payment terms that apply (days).
    pub terms: u16,
    pub entries: Vec<Entry>,
}

/// Fills the due dates the sheet left empty (an invoice: its date plus the customer's terms) and
/// marks the rows whose entry the account holds already or an earlier row repeats.
pub fn settle(rows: &mut [LedgerRow], known: &HashMap<String, Known>) {
    let mut recorded: HashMap<String, (Date, i64)> = HashMap::new();
    for k in known.values() {
        for e in &k.entries {
            let kind = match e.body {
                Body::Opening { .. } => RowKind::Opening,
                Body::Sale { .. } => RowKind::Invoice,
                _ => continue,
            };
            let key = entry_key(&e.profile_id, kind, Some(e.date), e.body.doc(), e.body.effect());
            recorded.insert(key, (e.date, e.body.effect()));
        }
    }
    let mut earlier: HashMap<String, u32> = HashMap::new();
    for r in rows.iter_mut().filter(|r| r.is_valid()) {
        let Some(c) = &r.customer else { continue };
        if r.kind == RowKind::Invoice && r.due.is_none() {
            let terms = known.get(&c.id).map(|k| k.terms).unwrap_or_default();
            r.due = r.date.map(|d| Date::from_days_since_epoch(d.days_since_epoch() + i64::from(terms)));
        }
        let key = r.key();
        r.repeat = match (recorded.get(&key), earlier.get(&key)) {
            (Some((date, amount_fen)), _) => Some(Repeat::Recorded { date: *date, amount_fen: *amount_fen }),
            (None, Some(n)) => Some(Repeat::Row(*n)),
            (None, None) => {
                earlier.insert(key, r.row);
                None
            }
        };
    }
}

/// Counts for the preview: rows to record and their total, rows repeated, rows in error,
/// rows recorded with a value left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub record: usize,
    pub total_fen: i64,
    pub repeated: usize,
    pub invalid: usize,
    pub flagged: usize,
}

pub fn summarize(rows: &[LedgerRow]) -> Summary {
    let mut s = Summary::default();
    for r in rows {
        if !r.is_valid() {
            s.invalid += 1;
        } else if r.repeat.is_some() {
            s.repeated += 1;
        } else if r.records() {
            s.record += 1;
            s.total_fen = s.total_fen.saturating_add(r.amount_fen);
            s.flagged += usize::from(r.is_flagged());
        }
    }
    s
}

/// The template's headers, in the user's language.
pub fn template_headers(l: Locale) -> Vec<String> {
    LedgerColumn::ALL.iter().map(|c| l.t(c.msg()).to_string()).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::csv;
    use super::*;
    use crate::domain::model::{Meta, Profile};
    use crate::domain::search::IndexEntry;

    fn today() -> Date {
        Date::new(2026, 12, 4).unwrap()
    }

    fn index() -> SearchIndex {
        let p = |id: &str, name: &str, code: &str| {
            let mut p = Profile::new(id.into(), 0, "t");
            p.name = name.into();
            p.customer_code = code.into();
            IndexEntry::from_profile(&p)
        };
        SearchIndex::from_entries([
            p("a", "华联超市有限公司", "C001"),
            p("b", "海景贸易", "C002"),
            p("c", "张三", ""),
            p("d", "张三", ""),
        ])
    }

    fn plan(text: &str) -> Vec<LedgerRow> {
        let t = csv::parse(text).unwrap();
        let ix = index();
        LedgerPlanner::new(guess_mapping(&t.headers), &t, &ix, today()).all(&t, &ix)
    }

    #[test]
    fn a_u8_style_sheet_is_told_from_a_customer_list_and_mapped() {
        let h = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        assert!(looks_like_ledger(&h("客户编码,客户名称,单据号,开票日期,价税合计,到期日")));
        assert!(looks_like_ledger(&h("Customer,Invoice no.,Date,Amount")));
        assert!(!looks_like_ledger(&h("客户编码,客户名称,电话,信用额度")), "a credit limit is no amount owed");
        let m = guess_mapping(&h("往来单位,单据类型,单据编号,单据日期,本币金额,到期日期,备注"));
        use LedgerColumn::*;
        assert_eq!(m, [Some(Name), Some(Kind), Some(Doc), Some(Date), Some(Amount), Some(Due), None]);
        assert_eq!(mapping_problem(&[Some(Amount), Some(Date)]), Some(Msg::ImpLedNeedCustomer));
        assert_eq!(mapping_problem(&[Some(Code), Some(Date)]), Some(Msg::ImpLedNeedAmount));
        assert_eq!(mapping_problem(&[Some(Code), Some(Amount), Some(Date)]), None);
    }

    #[test]
    fn amounts_as_sheets_write_them() {
        assert_eq!(sheet_amount("1,234.50"), Some(123_450));
        assert_eq!(sheet_amount("¥1234.5"), Some(123_450));
        assert_eq!(sheet_amount("1234.5元"), Some(123_450));
        assert_eq!(sheet_amount("(300.00)"), Some(-30_000));
        assert_eq!(sheet_amount("-300"), Some(-30_000));
        assert_eq!(sheet_amount("1130.0000000001"), Some(113_000), "what Excel computes for 1000 × 1.13");
        assert_eq!(sheet_amount("12.345"), None, "a part of a fen is no amount");
        assert_eq!(sheet_amount("abc"), None);
        assert_eq!(sheet_amount(""), None);
    }

    #[test]
    fn rows_become_entries_or_say_what_is_wrong_in_their_column() {
        let rows = plan(
            "客户编码,客户名称,类型,单据号,日期,金额,到期日\n\
             C001,,发票,FP-001,2026-10-01,1200.00,2026-10-31\n\
             ,海景贸易,期初,,2026-01-01,(500),\n\
             C009,,发票,FP-002,2026-10-02,100,\n\
             ,张三,发票,FP-003,2026-10-02,100,\n\
             C002,,发票,FP-004,2026/13/01,abc,\n\
             C002,,赊账,FP-005,2027-01-01,0,\n\
             C002,,发票,FP-006,2026-11-01,300,2026-10-01\n",
        );
        assert_eq!(rows.len(), 7);
        let ok = &rows[0];
        assert!(ok.records());
        assert_eq!(ok.customer, Some(Customer { id: "a".into(), name: "华联超市有限公司".into() }));
        assert_eq!(
            ok.body(),
            Some((
                Date::new(2026, 10, 1).unwrap(),
                Body::Sale {
                    doc: "FP-001".into(),
                    amount_fen: 120_000,
                    due: Date::new(2026, 10, 31).unwrap(),
                    override_: None
                }
            ))
        );
        let opening = &rows[1];
        assert_eq!((opening.kind, opening.amount_fen), (RowKind::Opening, -50_000), "a credit brought in");
        assert!(opening.records());
        let at = |r: &LedgerRow| r.issues.iter().map(|i| (i.col, i.msg)).collect::<Vec<_>>();
        assert_eq!(at(&rows[2]), [(Some(1), Msg::ImpLedNoCustomer)]);
        assert!(rows[2].detail(Locale::Zh).starts_with("A 列“客户编码”："), "{}", rows[2].detail(Locale::Zh));
        assert!(rows[2].detail(Locale::Zh).contains("C009"));
        assert_eq!(at(&rows[3]), [(Some(2), Msg::ImpLedManyCustomers)], "two 张三: the code tells them apart");
        assert_eq!(at(&rows[4]), [(Some(5), Msg::ErrDate), (Some(6), Msg::ErrAmount)], "every problem of the row");
        assert_eq!(
            at(&rows[5]),
            [(Some(3), Msg::ImpLedKind), (Some(5), Msg::ErrDateFuture), (Some(6), Msg::ErrAmountPositive)]
        );
        let flagged = &rows[6];
        assert!(flagged.records() && flagged.is_flagged(), "a due date before the invoice costs only the due date");
        assert_eq!(flagged.due, None);
        let s = summarize(&rows);
        assert_eq!((s.record, s.invalid, s.flagged, s.total_fen), (3, 4, 1, 120_000 - 50_000 + 30_000));
    }

    fn entry(id: &str, profile: &str, date: Date, body: Body) -> Entry {
        Entry { id: id.into(), profile_id: profile.into(), date, body, note: String::new(), meta: Meta::new(0, "t") }
    }

    #[test]
    fn settling_fills_due_dates_from_terms_and_finds_what_is_recorded_or_repeated() {
        let mut rows = plan(
            "客户编码,单据号,日期,金额\n\
             C001,FP-001,2026-10-01,1200\n\
             C001,fp-001,2026-10-01,1200\n\
             C002,FP-009,2026-10-05,80\n\
             C002,,2026-10-05,80\n",
        );
        let d = |m, day| Date::new(2026, m, day).unwrap();
        let sale = Body::Sale { doc: "FP-009".into(), amount_fen: 8_000, due: d(11, 4), override_: None };
        let known = HashMap::from([
            ("a".to_string(), Known { terms: 30, entries: vec![] }),
            ("b".to_string(), Known { terms: 0, entries: vec![entry("x", "b", d(10, 5), sale)] }),
        ]);
        assert_eq!(customers(&rows), ["a", "b"]);
        settle(&mut rows, &known);
        assert_eq!(rows[0].due, Some(d(10, 31)), "30 days after the invoice");
        assert!(rows[0].records());
        assert_eq!(rows[1].repeat, Some(Repeat::Row(2)), "the same invoice number, whatever its case");
        assert_eq!(rows[2].repeat, Some(Repeat::Recorded { date: d(10, 5), amount_fen: 8_000 }));
        assert!(rows[2].detail(Locale::Zh).contains("¥80.00"));
        assert!(rows[3].records(), "without a number it is another sale of that day");
        let s = summarize(&rows);
        assert_eq!((s.record, s.repeated), (2, 2));
    }

    #[test]
    fn the_same_row_makes_the_same_entry_id_and_another_row_another() {
        let rows = plan("客户编码,单据号,日期,金额\nC001,FP-001,2026-10-01,1200\nC001,FP-002,2026-10-01,1200\n");
        let (a, b) = (entry_id(&rows[0].key()), entry_id(&rows[1].key()));
        assert_eq!(a, entry_id(&plan("客户编码,单据号,日期,金额\nC001,FP-001,2026-10-01,1200\n")[0].key()));
        assert_ne!(a, b);
        assert_eq!(a.len(), 27, "as long as a random id");
    }

    #[test]
    fn an_amount_headed_opening_balance_brings_opening_balances() {
        let rows = plan("客户名称,日期,期初余额\n海景贸易,2026-01-01,3000\n");
        assert_eq!(rows[0].kind, RowKind::Opening);
        assert!(rows[0].records());
    }
}
