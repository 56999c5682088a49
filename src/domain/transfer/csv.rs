//! CSV as Excel and WPS write it: UTF-8 with or without a byte-order mark, or GB18030/GBK (what
//! Chinese Excel saves as "CSV"); comma, semicolon or tab separated; RFC 4180 quoting, checked
//! strictly so that a broken file is refused with the row where it breaks.
//!
//! Why not the `csv` crate: it is the ecosystem's standard and fast, but it reads broken quoting
//! leniently, by design of csv-core's state machine, and gives no way to learn that it did: a
//! quote followed by text (`"x"y`) becomes the cell `xy`, an unclosed quote swallows the rest of
//! the file into one cell, and blank lines vanish, so row numbers no longer match what the clerk
//! sees in the spreadsheet. Checking its output for these would mean rescanning the raw bytes
//! with the same quote state machine this module is. The test
//! `the_csv_crate_reads_broken_quoting_without_a_word` shows each case.

use super::{ImportError, Table};

/// The text encoding a CSV file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8Bom,
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8Bom => "UTF-8 BOM",
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Decodes text: a UTF-8 BOM wins; valid UTF-8 is UTF-8; anything else must be valid GB18030
/// (a superset of GBK and GB2312), else the file is refused rather than read as mojibake.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), Encoding::Utf8Bom))
            .map_err(|_| ImportError::Encoding);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), Encoding::Gb18030))
        .ok_or(ImportError::Encoding)
}

/// Reads a CSV file.
pub fn read(bytes: &[u8]) -> Result<Table, ImportError> {
    let (text, enc) = decode(bytes)?;
    let mut t = parse(&text)?;
    t.source = format!("CSV ({})", enc.label());
    Ok(t)
}

/// The separator: whichever of comma, semicolon and tab is most frequent outside quotes in the
/// first line that has any (a title line above the headers may have none).
fn separator(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut lines = 0;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                lines += 1;
                if counts.iter().any(|&n| n > 0) || lines >= super::HEADER_SEARCH_ROWS {
                    break;
                }
            }
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], usize::from(i == 0))).unwrap_or(0);
    [',', ';', '\t'][best]
}

/// Parses CSV text into a header row and data rows. Blank lines are skipped; a row shorter than
/// the header is padded. Row numbers count records (as a spreadsheet shows them), not lines.
pub fn parse(text: &str) -> Result<Table, ImportError> {
    let sep = separator(text);
    let mut records: Vec<(u32, Vec<String>)> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut n: u32 = 1;
    let mut chars = text.chars().peekable();
    // State: at the start of a cell, inside quotes, after a closing quote, or in a plain cell.
    #[derive(PartialEq)]
    enum S {
        Start,
        Quoted,
        AfterQuote,
        Plain,
    }
    let mut s = S::Start;
    let mut quote_row = 0;
    let end_record = |row: &mut Vec<String>, cell: &mut String, records: &mut Vec<(u32, Vec<String>)>, n: &mut u32| {
        row.push(std::mem::take(cell));
        let r = std::mem::take(row);
        // Blank lines are skipped, but a first row of empty cells is a header without names.
        let blank = r.iter().all(|c| c.trim().is_empty());
        if !blank || (records.is_empty() && r.len() > 1) {
            records.push((*n, r));
        }
        *n += 1;
    };
    while let Some(c) = chars.next() {
        match s {
            S::Quoted => {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cell.push('"');
                    } else {
                        s = S::AfterQuote;
                    }
                } else {
                    cell.push(c);
                }
            }
            _ if c == sep => {
                row.push(std::mem::take(&mut cell));
                s = S::Start;
            }
            _ if c == '\r' || c == '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                end_record(&mut row, &mut cell, &mut records, &mut n);
                s = S::Start;
            }
            S::Start if c == '"' => {
                s = S::Quoted;
                quote_row = n;
            }
            S::AfterQuote => {
                return Err(ImportError::StrayQuote { row: n, col: row.len() as u32 + 1 });
            }
            _ => {
                cell.push(c);
                s = S::Plain;
            }
        }
    }
    if s == S::Quoted {
        return Err(ImportError::UnclosedQuote { row: quote_row });
    }
    if s != S::Start || !row.is_empty() {
        end_record(&mut row, &mut cell, &mut records, &mut n);
    }
    for (_, r) in records.iter_mut() {
        r.iter_mut().for_each(unguard);
    }
    Table::from_records(records, String::new())
}

/// Whether a cell would be taken for a formula by a spreadsheet (CSV injection, OWASP): it
/// starts with `=`, `@`, or with `+`/`-` not followed by a digit (phone numbers stay as written).
fn needs_guard(s: &str) -> bool {
    let mut c = s.chars();
    match c.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !c.next().is_some_and(|d| d.is_ascii_digit() || d == ' '),
        _ => false,
    }
}

/// Removes the apostrophe [`write`] put before a formula-like cell.
fn unguard(s: &mut String) {
    if s.starts_with('\'') && needs_guard(&s[1..]) {
        s.remove(0);
    }
}

/// Writes rows as CSV for Excel: UTF-8 with a BOM (so Excel opens Chinese correctly), CRLF,
/// quotes where needed, and formula-like cells prefixed with an apostrophe.
pub fn write(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{FEFF}");
    for r in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        for (i, c) in r.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let guarded;
            let c = if needs_guard(c) {
                guarded = format!("'{c}");
                &guarded
            } else {
                c
            };
            if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') || c.ends_with(' ') {
                out.push('"');
                out.push_str(&c.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(c);
            }
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn rows(t: &Table) -> Vec<Vec<&str>> {
        t.rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
    }

    #[test]
    fn a_title_line_without_separators_does_not_hide_them() {
        let t = parse("客户一览表\n名称\t电话\n张三\t13800138000\n").unwrap();
        assert_eq!((t.header_row, t.headers.as_slice()), (2, &["名称".to_string(), "电话".to_string()][..]));
    }

    #[test]
    fn quoting_newlines_and_separators() {
        let t = parse("名称,电话,备注\r\n\"甲,乙公司\",138,\"说 \"\"好\"\"\n第二行\"\n\n张三,139,\r\n").unwrap();
        assert_eq!(t.headers, ["名称", "电话", "备注"]);
        assert_eq!(rows(&t), [vec!["甲,乙公司", "138", "说 \"好\"\n第二行"], vec!["张三", "139", ""]]);
        assert_eq!(t.row_numbers, [2, 4], "the blank line counts as a row, as in a spreadsheet");
        let t = parse("name;phone\nA;1\n").unwrap();
        assert_eq!(rows(&t), [vec!["A", "1"]]);
        let t = parse("name\tphone\nA\t1").unwrap();
        assert_eq!(rows(&t), [vec!["A", "1"]]);
    }

    #[test]
    fn broken_quoting_names_the_row() {
        assert_eq!(parse("a,b\n1,\"open\n2,3\n"), Err(ImportError::UnclosedQuote { row: 2 }));
        assert_eq!(parse("a,b\n1,2\n\"x\"y,3\n"), Err(ImportError::StrayQuote { row: 3, col: 1 }));
        // A quote inside a plain cell is just a character.
        assert_eq!(rows(&parse("a\n5\"3\n").unwrap()), [vec!["5\"3"]]);
    }

    #[test]
    fn encodings_are_detected() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,电话\n张三,13800138000\n");
        let t = read(&gbk).unwrap();
        assert_eq!(t.source, "CSV (GB18030)");
        assert_eq!(rows(&t), [vec!["张三", "13800138000"]]);
        let t = read("\u{FEFF}名称\n李四\n".as_bytes()).unwrap();
        assert_eq!((t.headers[0].as_str(), t.source.as_str()), ("名称", "CSV (UTF-8 BOM)"));
        assert_eq!(decode(b"\xEF\xBB\xBF\xFF\xFE"), Err(ImportError::Encoding));
        // 0xFF is neither UTF-8 nor GB18030.
        assert_eq!(decode(b"abc\xFF"), Err(ImportError::Encoding));
    }

    #[test]
    fn written_csv_reads_back_and_is_safe_in_excel() {
        let headers = vec!["名称".to_string(), "备注".to_string()];
        let data = vec![
            vec!["=HYPERLINK(\"x\")".to_string(), "a,b \"c\"\r\nd".to_string()],
            vec!["+86 138 0013 8000".to_string(), "-5".to_string()],
            vec!["@sum".to_string(), " padded ".to_string()],
        ];
        let text = write(&headers, &data);
        assert!(text.starts_with('\u{FEFF}'));
        assert!(text.contains("'=HYPERLINK") && text.contains("'@sum") && text.contains("\r\n+86 138"));
        let back = read(text.as_bytes()).unwrap();
        assert_eq!(back.headers, headers);
        assert_eq!(back.rows, data);
    }

    /// What the `csv` crate (1.x, csv-core) makes of the files this reader refuses or numbers
    /// differently (see the module doc): it reports no error for any of them.
    #[test]
    fn the_csv_crate_reads_broken_quoting_without_a_word() {
        let crate_rows = |text: &str| -> Vec<(u64, Vec<String>)> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes())
                .records()
                .map(|r| {
                    let r = r.expect("the crate reports no error");
                    (r.position().expect("position").line(), r.iter().map(str::to_string).collect())
                })
                .collect()
        };
        // A quote followed by text: merged silently.
        let text = "a,b\n1,2\n\"x\"y,3\n";
        assert_eq!(crate_rows(text)[2].1, ["xy", "3"]);
        assert_eq!(parse(text), Err(ImportError::StrayQuote { row: 3, col: 1 }));
        // An unclosed quote: the rest of the file becomes one cell.
        let text = "a,b\n1,\"open\n2,3\n";
        assert_eq!(crate_rows(text)[1].1, ["1", "open\n2,3\n"]);
        assert_eq!(parse(text), Err(ImportError::UnclosedQuote { row: 2 }));
        // A blank line: skipped, so the third row of the sheet is the crate's second record.
        let text = "name\nA\n\nB\n";
        assert_eq!(crate_rows(text).len(), 3);
        assert_eq!(parse(text).unwrap().row_numbers, [2, 4]);
    }
}
