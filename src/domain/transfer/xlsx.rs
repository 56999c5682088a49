//! Excel workbooks: read with calamine (the first sheet that holds data), written with
//! rust_xlsxwriter (bold frozen header, column widths from the content, dates as real dates).

use super::{ImportError, Table};
use crate::domain::date::Date;
use calamine::{Data, Reader};
use std::io::Cursor;

/// The most a workbook may unpack to, all its parts together. A 200,000-row customer sheet (the
/// import's row limit) unpacks to about 150 MB; a zip bomb of the allowed file size would unpack
/// to tens of gigabytes and take the tab's memory with it.
pub const MAX_UNPACKED_BYTES: u64 = 400 * 1024 * 1024;

/// Reads the first non-empty sheet of an `.xlsx` file.
pub fn read(bytes: &[u8]) -> Result<Table, ImportError> {
    check_unpacked(bytes, MAX_UNPACKED_BYTES)?;
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

/// Unpacks every part of the workbook once, counting the bytes that actually come out (the sizes
/// a zip file declares can lie) and stopping as soon as they pass `limit`.
fn check_unpacked(bytes: &[u8], limit: u64) -> Result<(), ImportError> {
    use std::io::Read;
    let bad = |e: &dyn std::fmt::Display| ImportError::BadWorkbook { detail: e.to_string() };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| bad(&e))?;
        let mut counted = part.take(limit - total + 1);
        total += std::io::copy(&mut counted, &mut std::io::sink()).map_err(|e| bad(&e))?;
        if total > limit {
            return Err(ImportError::Unpacks);
        }
    }
    Ok(())
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
    /// An amount in fen, written as a number of yuan with two decimals (sums in Excel work).
    Money(i64),
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
    let money = Format::new().set_num_format("#,##0.00");
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
                Cell::Money(fen) => {
                    ws.write_number_with_format(r, col, *fen as f64 / 100.0, &money).map_err(e)?;
                    widths[c] = widths[c].max(crate::domain::model::format_yuan(*fen).len());
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
        // Money is a number of yuan (reads back as typed), not text.
        let money = write("账", &["金额".into()], &[vec![Cell::Money(128_050)], vec![Cell::Money(-3_000)]]).unwrap();
        assert_eq!(read(&money).unwrap().rows, [["1280.5"], ["-30"]]);
    }

    #[test]
    fn numbers_read_as_typed_and_lost_digits_are_refused() {
        assert_eq!(number_text(13800138000.0, 2, 1).unwrap(), "13800138000");
        assert_eq!(number_text(1280.5, 2, 1).unwrap(), "1280.5");
        assert_eq!(number_text(110105194912310000.0, 4, 2), Err(ImportError::NumberTooLong { row: 4, col: 2 }));
    }

    /// A zip whose one part is `size` zero bytes, declared (or not) with its real size.
    fn bomb(size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let block = vec![0u8; 1 << 20];
        for _ in 0..size >> 20 {
            z.write_all(&block).unwrap();
        }
        z.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_after_unpacking_no_more_than_the_limit() {
        let b = bomb(64 << 20);
        assert!(b.len() < 200_000, "64 MB of zeros pack into {} bytes", b.len());
        let t = std::time::Instant::now();
        assert_eq!(check_unpacked(&b, 8 << 20), Err(ImportError::Unpacks));
        assert!(t.elapsed() < std::time::Duration::from_secs(5), "stopped at the limit: {:?}", t.elapsed());
        assert_eq!(check_unpacked(&b, 128 << 20), Ok(()), "under the limit it passes on to calamine");
        // Through the reader with the real limit: a workbook of a real size passes the check.
        let real = write("S", &["a".into()], &[vec![Cell::Text("x".into())]]).unwrap();
        assert!(read(&real).is_ok());
        let msg = ImportError::Unpacks.message(crate::domain::i18n::Locale::En);
        assert!(msg.contains("unpacks to more than 400") && msg.contains("Nothing was imported"), "{msg}");
    }

    #[test]
    fn a_broken_zip_is_a_clear_error() {
        let mut bytes = write("S", &["a".into()], &[vec![Cell::Text("x".into())]]).unwrap();
        bytes.truncate(bytes.len() / 2);
        assert!(matches!(read(&bytes), Err(ImportError::BadWorkbook { .. })));
    }
}
