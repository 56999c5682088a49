//! Getting the archive in and out: CSV and XLSX sheets (import and export), vCard contacts and
//! full backups. Pure Rust, tested natively; in the browser the parsing and the XLSX writing run
//! in a web worker (`src/bin/io_worker.rs`) so the page stays responsive.
//!
//! An import goes: bytes → [`read_sheet`] (format and encoding detected) → [`Table`] →
//! [`columns::guess_mapping`] (the user corrects it) → [`plan::Planner`] (each row becomes a
//! profile or a list of problems, duplicates found against the archive and earlier rows) → the
//! user confirms → the store writes the confirmed rows in one transaction.

pub mod backup;
pub mod bundle;
pub mod columns;
pub mod csv;
pub mod ledger;
pub mod plan;
pub mod vcard;
pub mod xlsx;

use super::i18n::{fill, Locale, Msg};
use serde::{Deserialize, Serialize};

/// Files larger than this are refused before parsing (a 100,000-row sheet is about 15 MB).
pub const MAX_FILE_BYTES: usize = 40 * 1024 * 1024;
/// Rows per import.
pub const MAX_ROWS: usize = 200_000;
/// Excel's own limit for one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// A sheet as read from a file: a header row and data rows of text cells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The sheet row number (1-based) of each data row, for messages.
    pub row_numbers: Vec<u32>,
    /// What was read: "CSV (UTF-8)", "XLSX: Sheet1"…
    pub source: String,
    /// The sheet row number (1-based) of the header row.
    pub header_row: u32,
    /// Rows above the header (a title, a date line), with their row numbers: skipped, but kept
    /// so that the clerk can choose another header row ([`Table::rehead`]).
    pub above: Vec<(u32, Vec<String>)>,
}

/// Rows looked at for the header row: titles and notes above it are a few lines at most.
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;

/// Which of a sheet's first rows holds the headers: the first whose cells name two known
/// columns (skipping a title, a date line or blank rows above it); else the row naming the most;
/// else, when the first row is a lone title cell, the first row with several cells; else the
/// first row.
pub fn detect_header(records: &[(u32, Vec<String>)]) -> usize {
    let head = &records[..records.len().min(HEADER_SEARCH_ROWS)];
    // A ledger sheet's headers (单据号, 金额…) count as much as a customer list's.
    let known = |r: &[String]| {
        r.iter().filter(|c| columns::column_for_header(c).is_some() || ledger::column_for_header(c).is_some()).count()
    };
    let filled = |r: &[String]| r.iter().filter(|c| !c.trim().is_empty()).count();
    if let Some(i) = head.iter().position(|(_, r)| known(r) >= 2) {
        return i;
    }
    let best = head.iter().enumerate().max_by_key(|(i, (_, r))| (known(r), std::cmp::Reverse(*i)));
    if let Some((i, _)) = best.filter(|(_, (_, r))| known(r) > 0) {
        return i;
    }
    match head.first() {
        Some((_, r)) if filled(r) == 1 => head.iter().position(|(_, r)| filled(r) >= 2).unwrap_or(0),
        _ => 0,
    }
}

impl Table {
    /// A table from a sheet's non-blank rows (row number, cells): the header row is detected
    /// ([`detect_header`]), rows above it are kept aside, data rows are padded to the header's
    /// width and lose empty cells beyond it.
    pub fn from_records(records: Vec<(u32, Vec<String>)>, source: String) -> Result<Table, ImportError> {
        if records.is_empty() {
            return Err(ImportError::Empty);
        }
        let at = detect_header(&records);
        Ok(Table::split(records, at, source))
    }

    fn split(mut records: Vec<(u32, Vec<String>)>, at: usize, source: String) -> Table {
        let rest = records.split_off(at.min(records.len().saturating_sub(1)));
        let mut rest = rest.into_iter();
        let (header_row, headers) = rest.next().unwrap_or_default();
        let headers: Vec<String> = headers.into_iter().map(|h| h.trim().to_string()).collect();
        let mut t = Table { headers, source, header_row, above: records, ..Table::default() };
        for (n, mut r) in rest {
            while r.len() < t.headers.len() {
                r.push(String::new());
            }
            // Cells beyond the header: kept only when they hold something (reported by the planner).
            while r.len() > t.headers.len() && r.last().is_some_and(|c| c.trim().is_empty()) {
                r.pop();
            }
            t.rows.push(r);
            t.row_numbers.push(n);
        }
        t
    }

    /// The rows a clerk may choose as the header: those above it, itself and the first rows
    /// below, each as `(row number, its non-empty cells)`.
    pub fn header_choices(&self) -> Vec<(u32, Vec<String>)> {
        let cells = |r: &[String]| r.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).map(String::from).collect();
        self.above
            .iter()
            .map(|(n, r)| (*n, cells(r)))
            .chain(std::iter::once((self.header_row, cells(&self.headers))))
            .chain(self.row_numbers.iter().zip(&self.rows).take(5).map(|(n, r)| (*n, cells(r))))
            .collect()
    }

    /// The same sheet with the header at sheet row `row` (one of [`Table::header_choices`]).
    pub fn rehead(&self, row: u32) -> Result<Table, ImportError> {
        let records: Vec<(u32, Vec<String>)> = self
            .above
            .iter()
            .cloned()
            .chain(std::iter::once((self.header_row, self.headers.clone())))
            .chain(self.row_numbers.iter().copied().zip(self.rows.iter().cloned()))
            .collect();
        let at = records.iter().position(|(n, _)| *n == row).unwrap_or(0);
        let t = Table::split(records, at, self.source.clone());
        check_table(&t)?;
        Ok(t)
    }
}

/// Why a whole file cannot be imported. Nothing of it is imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportError {
    Empty,
    NoDataRows,
    TooLarge {
        bytes: usize,
    },
    /// A workbook that unpacks to more than [`xlsx::MAX_UNPACKED_BYTES`] (a zip bomb, or damaged).
    Unpacks,
    TooManyRows {
        rows: usize,
    },
    NotASheet,
    LegacyXls,
    Encoding,
    UnclosedQuote {
        row: u32,
    },
    StrayQuote {
        row: u32,
        col: u32,
    },
    CellTooLong {
        row: u32,
        col: u32,
        chars: usize,
    },
    FormulaError {
        row: u32,
        col: u32,
        code: String,
    },
    NumberTooLong {
        row: u32,
        col: u32,
    },
    BadWorkbook {
        detail: String,
    },
    NoSheet,
    NoHeader,
    BadVcard {
        line: u32,
    },
}

impl ImportError {
    /// The message in a language.
    pub fn message(&self, l: Locale) -> String {
        let t = |m| l.t(m);
        match self {
            ImportError::Empty => t(Msg::ImpErrEmpty).into(),
            ImportError::NoDataRows => t(Msg::ImpErrNoRows).into(),
            ImportError::TooLarge { bytes } => fill(
                t(Msg::ImpErrTooLarge),
                &[&super::i18n::bytes(*bytes as f64), &super::i18n::bytes(MAX_FILE_BYTES as f64)],
            ),
            ImportError::Unpacks => {
                fill(t(Msg::ImpErrUnpacks), &[&super::i18n::bytes(xlsx::MAX_UNPACKED_BYTES as f64)])
            }
            ImportError::TooManyRows { rows } => fill(t(Msg::ImpErrTooManyRows), &[rows, &MAX_ROWS]),
            ImportError::NotASheet => t(Msg::ImpErrNotASheet).into(),
            ImportError::LegacyXls => t(Msg::ImpErrLegacyXls).into(),
            ImportError::Encoding => t(Msg::ImpErrEncoding).into(),
            ImportError::UnclosedQuote { row } => fill(t(Msg::ImpErrUnclosedQuote), &[row]),
            ImportError::StrayQuote { row, col } => fill(t(Msg::ImpErrStrayQuote), &[row, &col_name(*col)]),
            ImportError::CellTooLong { row, col, chars } => {
                fill(t(Msg::ImpErrCellTooLong), &[row, &col_name(*col), chars, &MAX_CELL_CHARS])
            }
            ImportError::FormulaError { row, col, code } => fill(t(Msg::ImpErrFormula), &[row, &col_name(*col), code]),
            ImportError::NumberTooLong { row, col } => fill(t(Msg::ImpErrNumberTooLong), &[row, &col_name(*col)]),
            ImportError::BadWorkbook { detail } => fill(t(Msg::ImpErrBadWorkbook), &[detail]),
            ImportError::NoSheet => t(Msg::ImpErrNoSheet).into(),
            ImportError::NoHeader => t(Msg::ImpErrNoHeader).into(),
            ImportError::BadVcard { line } => fill(t(Msg::ImpErrBadVcard), &[line]),
        }
    }
}

/// A spreadsheet column letter for a 1-based column number: 1 → A, 27 → AA.
pub fn col_name(col: u32) -> String {
    let mut n = col;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(b'A' + r);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The kind of file, from its first bytes (and name, for vCards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
    Vcard,
}

/// Recognises a file by content: a ZIP is a workbook, an OLE file is the old `.xls`, text that
/// starts with `BEGIN:VCARD` is contacts, other text is CSV; binary data is refused.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(FileKind::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::LegacyXls);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if text.iter().skip_while(|b| b.is_ascii_whitespace()).take(11).map(u8::to_ascii_uppercase).eq(*b"BEGIN:VCARD") {
        return Ok(FileKind::Vcard);
    }
    // Text files have no NUL bytes (UTF-16 would; Excel's "Unicode text" is not supported).
    if head.contains(&0) {
        return Err(ImportError::NotASheet);
    }
    Ok(FileKind::Csv)
}

/// Reads any supported file into a table.
pub fn read_sheet(bytes: &[u8]) -> Result<Table, ImportError> {
    let table = match sniff(bytes)? {
        FileKind::Csv => csv::read(bytes)?,
        FileKind::Xlsx => xlsx::read(bytes)?,
        FileKind::Vcard => vcard::read(bytes)?,
    };
    check_table(&table)?;
    Ok(table)
}

/// Limits every reader shares: a header, some rows, not too many, no giant cells, no formula
/// errors (Excel writes `#DIV/0!` and its kin as text into CSV too).
fn check_table(t: &Table) -> Result<(), ImportError> {
    if t.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::NoHeader);
    }
    if t.rows.is_empty() {
        return Err(ImportError::NoDataRows);
    }
    if t.rows.len() > MAX_ROWS {
        return Err(ImportError::TooManyRows { rows: t.rows.len() });
    }
    for (row, n) in t.rows.iter().zip(&t.row_numbers) {
        for (c, cell) in row.iter().enumerate() {
            if cell.len() > MAX_CELL_CHARS {
                let chars = cell.chars().count();
                if chars > MAX_CELL_CHARS {
                    return Err(ImportError::CellTooLong { row: *n, col: c as u32 + 1, chars });
                }
            }
            if cell.starts_with('#') && is_formula_error(cell) {
                return Err(ImportError::FormulaError { row: *n, col: c as u32 + 1, code: cell.clone() });
            }
        }
    }
    Ok(())
}

/// Excel's error values.
pub fn is_formula_error(s: &str) -> bool {
    matches!(
        s.trim(),
        "#DIV/0!"
            | "#N/A"
            | "#NAME?"
            | "#NULL!"
            | "#NUM!"
            | "#REF!"
            | "#VALUE!"
            | "#GETTING_DATA"
            | "#SPILL!"
            | "#CALC!"
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::domain::date::Date;
    use crate::domain::model::*;
    use crate::domain::search::SearchIndex;

    /// Generated profiles with every exported field used somewhere.
    fn sample(n: usize) -> Vec<Profile> {
        (0..n)
            .map(|i| {
                let mut p = crate::testdata::profile(11, i, 1_763_856_000_000);
                if i % 3 == 0 {
                    p.email = format!("guest{i}@example.com");
                    p.address = format!("上海市黄浦区南京东路 {i} 号, 2 楼");
                    p.since = Date::new(2015 + (i % 10) as u16, 1 + (i % 12) as u8, 1 + (i % 28) as u8);
                    p.notes = format!("第 {i} 位客人，\"安静\"，不要\n靠近电梯");
                    p.special_days.push(SpecialDay {
                        kind: DayKind::Anniversary,
                        month: 6,
                        day: 18,
                        label: "结婚".into(),
                        ..SpecialDay::default()
                    });
                    p.gender = Gender::Female;
                }
                if p.kind == CustomerKind::Organisation {
                    p.org.tax_no = String::new();
                    p.org.bank = "招商银行深圳分行".into();
                    p.org.account = "755912345610801".into();
                    p.org.contacts =
                        vec![Contact { name: "刘敏".into(), role: String::new(), phone: "13912345678".into() }];
                } else if i % 5 == 0 {
                    p.emergency_contact =
                        Some(Contact { name: "王芳".into(), role: String::new(), phone: "13700000000".into() });
                }
                p
            })
            .collect()
    }

    /// Export → file → import preview gives the same profiles, in both languages.
    fn round_trip(write: impl Fn(&[String], &[Vec<xlsx::Cell>]) -> Vec<u8>) {
        let profiles = sample(300);
        for l in [Locale::Zh, Locale::En] {
            let (headers, rows) = columns::export_sheet(&profiles, l);
            let bytes = write(&headers, &rows);
            let t = read_sheet(&bytes).unwrap();
            let mapping = columns::guess_mapping(&t.headers);
            let ix = SearchIndex::default();
            let plans = plan::Planner::new(mapping, &ix, Date::new(2026, 11, 23).unwrap()).all(&t, &ix);
            assert_eq!(plans.len(), profiles.len());
            for (row, want) in plans.iter().zip(&profiles) {
                assert!(row.is_valid(), "{:?}: {:?}", want.name, row.issues);
                let mut got = row.profile.clone();
                got.id = want.id.clone();
                got.meta = want.meta.clone();
                assert_eq!(&got, want, "{l:?}");
            }
        }
    }

    #[test]
    fn csv_export_imports_as_the_same_profiles() {
        round_trip(|h, rows| {
            let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(columns::cell_text).collect()).collect();
            csv::write(h, &text).into_bytes()
        });
    }

    #[test]
    fn xlsx_export_imports_as_the_same_profiles() {
        round_trip(|h, rows| xlsx::write("客户", h, rows).unwrap());
    }

    fn records(rows: &[&[&str]]) -> Vec<(u32, Vec<String>)> {
        rows.iter().enumerate().map(|(i, r)| (i as u32 + 1, r.iter().map(|c| c.to_string()).collect())).collect()
    }

    #[test]
    fn the_header_row_is_found_below_a_title() {
        let rows: &[&[&str]] = &[
            &["往来客户一览表", "", "", ""],
            &["制表：财务部", "", "", ""],
            &["序号", "名称", "银行名称", "联系电话"],
            &["1", "北京大学出版社", "工商银行", "０１０－６２７５１２３４"],
        ];
        assert_eq!(detect_header(&records(rows)), 2);
        let t = Table::from_records(records(rows), "CSV".into()).unwrap();
        assert_eq!((t.header_row, t.headers[1].as_str(), t.row_numbers.as_slice()), (3, "名称", &[4][..]));
        assert_eq!(t.above.len(), 2);
        // Headers nobody knows: the lone title cell is still skipped.
        let odd: &[&[&str]] = &[&["客户表", ""], &["甲", "乙"], &["1", "2"]];
        assert_eq!(detect_header(&records(odd)), 1);
        // A plain sheet keeps its first row; an empty first row stays the header (and is refused).
        assert_eq!(detect_header(&records(&[&["名称", "x"], &["张三", "1"]])), 0);
        assert_eq!(detect_header(&records(&[&["", ""], &["张三", "1"]])), 0);
    }

    #[test]
    fn the_clerk_can_choose_another_header_row() {
        let rows: &[&[&str]] = &[&["客户表", ""], &["名称", "电话"], &["张三", "13800138000"], &["李四", ""]];
        let t = Table::from_records(records(rows), "CSV".into()).unwrap();
        assert_eq!(t.header_row, 2);
        let choices: Vec<u32> = t.header_choices().iter().map(|c| c.0).collect();
        assert_eq!(choices, [1, 2, 3, 4]);
        let first = t.rehead(1).unwrap();
        assert_eq!((first.headers[0].as_str(), first.rows.len()), ("客户表", 3));
        let back = first.rehead(2).unwrap();
        assert_eq!(back, t);
        assert_eq!(t.rehead(4), Err(ImportError::NoDataRows));
    }

    #[test]
    fn column_letters() {
        assert_eq!(col_name(1), "A");
        assert_eq!(col_name(26), "Z");
        assert_eq!(col_name(27), "AA");
        assert_eq!(col_name(703), "AAA");
    }

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(b"name,phone\n"), Ok(FileKind::Csv));
        assert_eq!(sniff(b"PK\x03\x04rest"), Ok(FileKind::Xlsx));
        assert_eq!(sniff(b"\xEF\xBB\xBF begin:vcard\r\n"), Ok(FileKind::Vcard));
        assert_eq!(sniff(b"  \n\t"), Err(ImportError::Empty));
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]), Err(ImportError::LegacyXls));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Err(ImportError::NotASheet));
    }

    #[test]
    fn every_error_reads_in_both_languages_with_its_numbers() {
        let e = ImportError::CellTooLong { row: 7, col: 3, chars: 40_000 };
        assert_eq!(e.message(Locale::Zh), "第 7 行 C 列的单元格有 40000 个字符，超过上限 32767。");
        assert!(e.message(Locale::En).contains("row 7, column C"));
        assert!(!ImportError::FormulaError { row: 2, col: 1, code: "#DIV/0!".into() }
            .message(Locale::En)
            .contains("{}"));
    }
}
