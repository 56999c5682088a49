//! Excel workbooks: read with calamine (the first sheet that holds data), written with
//! rust_xlsxwriter (bold frozen header, column widths from the content, dates as real dates).

use super::{ImportError, Table};
use crate::domain::date::Date;
use calamine::{Data, Reader};
use std::io::Cursor;

/// Reads the first non-empty sheet of an `.xlsx` file.
pub fn read(bytes: &[u8]) -> Result<Table, ImportError> {
    let bad = |e: &dyn std::fmt::Display| ImportError::BadWorkbook { detail: e.to_string() };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(ImportError::NoSheet);
    }
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| bad(&e))?;
        let Some((top, left)) = range.start() else { continue };
        let row_no = |i: usize| top + i as u32 + 1;
        let mut records = Vec::new();
        for (i, r) in range.rows().enumerate().filter(|(_, r)| r.iter().any(|c| !matches!(c, Data::Empty))) {
            let cells = r
                .iter()
                .enumerate()
                .map(|(c, d)| cell_text(d, row_no(i), left + c as u32 + 1))
                .collect::<Result<Vec<_>, _>>()?;
            records.push((row_no(i), cells));
        }
        if records.is_empty() {
            continue;
        }
        return Table::from_records(records, format!("XLSX: {name}"));
    }
    Err(ImportError::NoDataRows)
}

/// A cell as text: numbers without a spurious `.0`, dates as `YYYY-MM-DD`, errors refused.
fn cell_text(d: &Data, row: u32, col: u32) -> Result<String, ImportError> {
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f, row, col)?,
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(y, m, d).map(|d| d.to_string()).unwrap_or_else(|| dt.as_f64().to_string())
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::Error(e) => return Err(ImportError::FormulaError { row, col, code: e.to_string() }),
    })
}

/// A number as a person typed it. Excel keeps 15 significant digits: an 18-digit ID number
/// typed into a number cell has already lost its last digits, so it is refused, not guessed.
fn number_text(f: f64, row: u32, col: u32) -> Result<String, ImportError> {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        Ok(format!("{}", f as i64))
    } else if f.fract() == 0.0 {
        Err(ImportError::NumberTooLong { row, col })
    } else {
        Ok(format!("{f}"))
    }
}

/// A cell to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Date(Date),
}

/// Display width of text in Excel's character units (CJK characters count two).
fn width(s: &str) -> usize {
    s.lines().map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>()).max().unwrap_or(0)
}

/// Writes one sheet: a bold, frozen header row with a filter, columns as wide as their content
/// (within bounds), dates as Excel dates formatted `yyyy-mm-dd`, and everything else as text so
/// that phone and ID numbers keep their digits.
pub fn write(sheet: &str, headers: &[String], rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(e)?;
    let bold = Format::new().set_bold().set_background_color("DCE8EC");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(r, col, s, &text).map_err(e)?;
                    widths[c] = widths[c].max(width(s));
                }
                Cell::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year, d.month, d.day).map_err(e)?;
                    ws.write_datetime_with_format(r, col, &dt, &date).map_err(e)?;
                    widths[c] = widths[c].max(10);
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0).map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1).map_err(e)?;
    }
    book.save_to_buffer().map_err(e)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn written_workbooks_read_back_with_dates_and_long_numbers_intact() {
        let headers = vec!["名称".to_string(), "证件号码".to_string(), "建立关系日期".to_string()];
        let rows = vec![
            vec![
                Cell::Text("张三".into()),
                Cell::Text("11010519491231002X".into()),
                Cell::Date(Date::new(2019, 3, 1).unwrap()),
            ],
            vec![Cell::Text("李四".into()), Cell::Text("110105194912310021".into()), Cell::Text(String::new())],
        ];
        let bytes = write("客户", &headers, &rows).unwrap();
        let t = read(&bytes).unwrap();
        assert_eq!(t.source, "XLSX: 客户");
        assert_eq!(t.headers, headers);
        assert_eq!(t.rows[0], ["张三", "11010519491231002X", "2019-03-01"]);
        assert_eq!(t.rows[1][..2], ["李四", "110105194912310021"]);
        assert_eq!(t.row_numbers, [2, 3]);
    }

    #[test]
    fn numbers_read_as_typed_and_lost_digits_are_refused() {
        assert_eq!(number_text(13800138000.0, 2, 1).unwrap(), "13800138000");
        assert_eq!(number_text(1280.5, 2, 1).unwrap(), "1280.5");
        assert_eq!(number_text(110105194912310000.0, 4, 2), Err(ImportError::NumberTooLong { row: 4, col: 2 }));
    }

    #[test]
    fn a_broken_zip_is_a_clear_error() {
        let mut bytes = write("S", &["a".into()], &[vec![Cell::Text("x".into())]]).unwrap();
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(read(&bytes), Err(ImportError::BadWorkbook { .. })));
    }
}
