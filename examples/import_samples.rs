//! Writes Dangan's sample import files (generated data, Chinese and English) and the broken files
//! the import must refuse, or one large sheet for the e2e test and the benchmark.
//!
//! ```text
//! cargo run --example import_samples -- tests/data/import      # the committed samples
//! cargo run --example import_samples -- --xlsx 10000 out.xlsx  # a generated sheet
//! cargo run --example import_samples -- --csv 100000 out.csv
//! cargo run --example import_samples -- --csv 250000 part2.csv 250000  # rows from the 250,000th
//! ```

use dangan::domain::i18n::Locale;
use dangan::domain::text::{has_han, pinyin_keys};
use dangan::domain::transfer::columns::{cell_text, export_sheet};
use dangan::domain::transfer::xlsx::{self, Cell};
use dangan::domain::transfer::{csv, vcard};
use dangan::testdata;
use std::fs;
use std::path::Path;

fn profiles(n: usize) -> Vec<dangan::domain::model::Profile> {
    profiles_from(0, n)
}

/// Generated profiles `from..from + n` (parts of one large archive in several files).
fn profiles_from(from: usize, n: usize) -> Vec<dangan::domain::model::Profile> {
    (from..from + n).map(|i| testdata::profile(42, i, 1_763_856_000_000)).collect()
}

fn csv_of(headers: &[String], rows: &[Vec<Cell>]) -> String {
    let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell_text).collect()).collect();
    csv::write(headers, &text)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn text_rows(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
    rows.iter().map(|r| r.iter().map(|c| Cell::Text(c.to_string())).collect()).collect()
}

fn samples(dir: &Path) -> std::io::Result<()> {
    let good = dir.join("good");
    let broken = dir.join("broken");
    fs::create_dir_all(&good)?;
    fs::create_dir_all(&broken)?;

    // The seeds' 往来客户一览表, saved by Chinese Excel as CSV: GBK.
    let list = "序号,名称,法人代表,地址,邮箱,开户银行,账号,合作性质,建立关系日期,联系人,联系电话\r\n\
        1,深圳市海景贸易有限公司,王海,深圳市福田区深南大道 1001 号,info@haijing.cn,招商银行深圳分行,755912345610801,客户,2019-03-01,刘敏,13912345678\r\n\
        2,广州白云酒店用品有限公司,陈东,广州市白云区机场路 88 号,sales@byjd.com,工商银行广州分行,3602000109000012345,供应商,2020/7/15,黄丽,13822223333\r\n\
        3,杭州西湖旅行社有限公司,赵明,杭州市西湖区北山街 12 号,,建设银行杭州分行,33001616735059001234,客户及供应商,2021年11月2日,周杰,13733334444\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(list);
    fs::write(good.join("customers-zh-gbk.csv"), &gbk)?;

    // A real-shaped customer list as people keep it: a title row (a merged cell in Excel) and a
    // date line above the headers, 银行名称 for the bank, phones typed with a Chinese input
    // method (full-width digits and dashes), and one e-mail cell that is not an address.
    let title = ["往来客户一览表", "", "", "", "", "", "", "", "", "", ""];
    let made = ["制表日期：2026年11月30日", "", "", "", "", "", "", "", "", "", ""];
    let headers = [
        "序号",
        "单位名称",
        "法定代表人",
        "地址",
        "电子邮箱",
        "银行名称",
        "银行账号",
        "合作性质",
        "建立关系日期",
        "联系人",
        "联系电话",
    ];
    let titled: [[&str; 11]; 8] = [
        [
            "1",
            "北京大学出版社",
            "张明",
            "北京市海淀区成府路 205 号",
            "pup@pup.cn",
            "中国工商银行北京海淀支行",
            "0200004509089131550",
            "客户",
            "2018-05-01",
            "王老师",
            "０１０－６２７５１２３４",
        ],
        [
            "2",
            "海淀图书城有限公司",
            "李华",
            "北京市海淀区海淀西大街 36 号",
            "",
            "招商银行北京分行",
            "110902123410601",
            "客户",
            "2019/3/12",
            "",
            "（０１０）８２６１ ２３４５",
        ],
        [
            "3",
            "五道口酒店用品有限公司",
            "赵强",
            "北京市海淀区成府路 28 号",
            "无",
            "建设银行北京五道口支行",
            "11001019500053012345",
            "供应商",
            "2020年6月8日",
            "刘经理",
            "１３９１１２２３３４４",
        ],
        [
            "4",
            "中关村会议服务有限公司",
            "孙丽",
            "北京市海淀区中关村大街 1 号",
            "meet@zgc-hy.cn",
            "北京银行中关村支行",
            "20000001234500012345",
            "客户",
            "2021-01-15",
            "周敏",
            "13700001111",
        ],
        [
            "5",
            "清华科技园物业管理有限公司",
            "钱伟",
            "北京市海淀区双清路 77 号",
            "wy@thsp.cn",
            "交通银行北京清华园支行",
            "110060149018000123456",
            "客户及供应商",
            "2017-09-01",
            "吴涛",
            "010-62791234",
        ],
        [
            "6",
            "燕园餐饮管理有限公司",
            "郑洁",
            "北京市海淀区颐和园路 5 号",
            "",
            "中国银行北京燕园支行",
            "345670001234",
            "供应商",
            "2022-04-20",
            "冯刚",
            "13811112222",
        ],
        [
            "7",
            "西郊宾馆有限公司",
            "陈红",
            "北京市海淀区王庄路 18 号",
            "sales@xijiao.cn",
            "农业银行北京西郊支行",
            "11210101040001234",
            "客户",
            "2016-12-30",
            "褚静",
            "13622223333",
        ],
        [
            "8",
            "上地文化传播有限公司",
            "卫东",
            "北京市海淀区上地十街 10 号",
            "info@sdwh.cn",
            "民生银行北京上地支行",
            "691234567",
            "客户",
            "2023-08-08",
            "蒋平",
            "13533334444",
        ],
    ];
    let mut text = String::new();
    for r in [&title[..], &made[..], &[""; 11][..], &headers[..]].into_iter().chain(titled.iter().map(|r| &r[..])) {
        text.push_str(&r.join(","));
        text.push_str("\r\n");
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    fs::write(good.join("customer-list-titled-gbk.csv"), &gbk)?;
    fs::write(good.join("customer-list-titled.xlsx"), titled_book(title[0], made[0], &headers, &titled)?)?;

    // Guests with English headers, UTF-8 with BOM.
    let all = profiles(60);
    let (headers, rows) = export_sheet(&all[..30], Locale::En);
    fs::write(good.join("guests-en.csv"), csv_of(&headers, &rows))?;
    let (headers, rows) = export_sheet(&all[30..], Locale::Zh);
    fs::write(good.join("guests-zh.xlsx"), xlsx::write("客户", &headers, &rows).map_err(std::io::Error::other)?)?;
    fs::write(good.join("contacts.vcf"), vcard::write(&all[..10]))?;

    // Broken files, each with the error it must give (`expected.tsv`).
    let mut expected = vec![];
    let mut put = |name: &str, bytes: Vec<u8>, want: &str| -> std::io::Result<()> {
        fs::write(broken.join(name), bytes)?;
        expected.push(format!("{name}\t{want}"));
        Ok(())
    };
    put("empty.csv", vec![], "Empty")?;
    put("blank-lines.csv", b"\r\n  \r\n\t\r\n".to_vec(), "Empty")?;
    put("header-only.csv", "名称,电话\r\n".as_bytes().to_vec(), "NoDataRows")?;
    put(
        "unclosed-quote.csv",
        "名称,备注\r\n张三,好\r\n李四,\"没有闭合\r\n王五,x\r\n".as_bytes().to_vec(),
        "UnclosedQuote { row: 3 }",
    )?;
    put("quote-then-text.csv", "名称,备注\r\n\"张三\"先生,x\r\n".as_bytes().to_vec(), "StrayQuote { row: 2, col: 1 }")?;
    put("unclosed-at-end.csv", "name,note\r\nA,\"x\"\"y".as_bytes().to_vec(), "UnclosedQuote { row: 2 }")?;
    put("not-utf8-nor-gbk.csv", b"name,phone\r\nA\xFF\xFE,1\r\n".to_vec(), "Encoding")?;
    let mut bom_gbk = b"\xEF\xBB\xBF".to_vec();
    bom_gbk.extend_from_slice(&gbk);
    put("bom-but-gbk.csv", bom_gbk, "Encoding")?;
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "名称\t电话\r\n张三\t138\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    put("utf16-text.csv", utf16, "NotASheet")?;
    put("picture.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "NotASheet")?;
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(512, 0);
    put("old-excel.xls", xls, "LegacyXls")?;
    put(
        "huge-cell.csv",
        format!("名称,备注\r\n张三,{}\r\n", "长".repeat(40_000)).into_bytes(),
        "CellTooLong { row: 2, col: 2, chars: 40000 }",
    )?;
    put(
        "formula-error.csv",
        "名称,消费\r\n张三,1280\r\n李四,#DIV/0!\r\n".as_bytes().to_vec(),
        "FormulaError { row: 3, col: 2, code: \"#DIV/0!\" }",
    )?;
    put("no-header.csv", ",,,\r\n张三,138,\r\n".as_bytes().to_vec(), "NoHeader")?;
    put("no-name-column.csv", "电话,邮箱\r\n13800138000,a@b.cn\r\n".as_bytes().to_vec(), "mapping: ImpNeedName")?;
    put(
        "wrong-types.csv",
        "姓名,性别,出生日期,电话,邮箱,客户分类\r\n张三,外星,1990-13-45,abc,not-mail,超级\r\n李四,男,明天,12,x@,普通\r\n".as_bytes().to_vec(),
        "rows: values left out",
    )?;
    put(
        "extra-cells.csv",
        "姓名,电话\r\n张三,13800138000,多出来的,还有\r\n".as_bytes().to_vec(),
        "rows: values left out",
    )?;
    put(
        "bad-identity.csv",
        "姓名,身份证号,电话\r\n,11010519491231002X,13800138000\r\n王五,110105194912310021,13900139000\r\n"
            .as_bytes()
            .to_vec(),
        "rows: 0 valid",
    )?;
    let book = xlsx::write(
        "S",
        &strings(&["名称", "电话"]),
        &text_rows(&[&["张三", "13800138000"], &["李四", "13900139000"]]),
    )
    .map_err(std::io::Error::other)?;
    let mut cut = book.clone();
    cut.truncate(book.len() * 2 / 3);
    put("truncated.xlsx", cut, "BadWorkbook")?;
    let mut scrambled = book.clone();
    let mid = scrambled.len() / 2;
    for b in &mut scrambled[mid - 200..mid + 200] {
        *b ^= 0x5A;
    }
    put("corrupted.xlsx", scrambled, "BadWorkbook")?;
    put("empty-sheet.xlsx", xlsx::write("S", &[], &[]).map_err(std::io::Error::other)?, "NoDataRows")?;
    put(
        "header-only.xlsx",
        xlsx::write("S", &strings(&["名称", "电话"]), &[]).map_err(std::io::Error::other)?,
        "NoDataRows",
    )?;
    put("formula-error.xlsx", formula_error_book()?, "FormulaError { row: 3, col: 2, code: \"#DIV/0!\" }")?;
    put("id-as-number.xlsx", number_book()?, "NumberTooLong { row: 2, col: 2 }")?;
    put(
        "wrong-types.xlsx",
        xlsx::write(
            "S",
            &strings(&["Name", "Gender", "Date of birth", "Credit rating"]),
            &text_rows(&[&["Alice", "robot", "someday", "AAA"]]),
        )
        .map_err(std::io::Error::other)?,
        "rows: values left out",
    )?;
    put(
        "broken.vcf",
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nTEL 138\r\nEND:VCARD\r\n".to_vec(),
        "BadVcard { line: 4 }",
    )?;
    put("unfinished.vcf", b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\n".to_vec(), "BadVcard { line: 3 }")?;
    expected.sort();
    fs::write(broken.join("expected.tsv"), expected.join("\n") + "\n")?;
    Ok(())
}

/// The titled customer list as Excel keeps it: the title merged across the columns, a date line,
/// a blank row, then the headers.
fn titled_book(title: &str, made: &str, headers: &[&str], rows: &[[&str; 11]]) -> std::io::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut b = Workbook::new();
    let ws = b.add_worksheet();
    let e = std::io::Error::other;
    ws.merge_range(0, 0, 0, headers.len() as u16 - 1, title, &Format::new().set_bold()).map_err(e)?;
    ws.write_string(1, 0, made).map_err(e)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(3, c as u16, *h).map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(4 + r as u32, c as u16, *v).map_err(e)?;
            }
        }
    }
    b.save_to_buffer().map_err(e)
}

/// A workbook whose cell B3 is a formula that evaluated to #DIV/0!.
fn formula_error_book() -> std::io::Result<Vec<u8>> {
    use rust_xlsxwriter::{Formula, Workbook};
    let mut b = Workbook::new();
    let ws = b.add_worksheet();
    let e = std::io::Error::other;
    ws.write_string(0, 0, "名称").map_err(e)?;
    ws.write_string(0, 1, "消费").map_err(e)?;
    ws.write_string(1, 0, "张三").map_err(e)?;
    ws.write_number(1, 1, 1280).map_err(e)?;
    ws.write_string(2, 0, "李四").map_err(e)?;
    ws.write_formula(2, 1, Formula::new("=1/0").set_result("#DIV/0!")).map_err(e)?;
    b.save_to_buffer().map_err(e)
}

/// A workbook with an 18-digit ID number typed into a number cell.
fn number_book() -> std::io::Result<Vec<u8>> {
    use rust_xlsxwriter::Workbook;
    let mut b = Workbook::new();
    let ws = b.add_worksheet();
    let e = std::io::Error::other;
    ws.write_string(0, 0, "姓名").map_err(e)?;
    ws.write_string(0, 1, "身份证号").map_err(e)?;
    ws.write_string(1, 0, "张三").map_err(e)?;
    ws.write_number(1, 1, 110105194912310021.0).map_err(e)?;
    b.save_to_buffer().map_err(e)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--xlsx", n, out] | ["--csv", n, out] | ["--xlsx", n, out, _] | ["--csv", n, out, _] => {
            let n: usize = n.parse().map_err(std::io::Error::other)?;
            let from: usize = args.get(3).map_or(Ok(0), |f| f.parse()).map_err(std::io::Error::other)?;
            let all = profiles_from(from, n);
            let (headers, rows) = export_sheet(&all, Locale::Zh);
            let bytes = if args[0] == "--xlsx" {
                xlsx::write("客户", &headers, &rows).map_err(std::io::Error::other)?
            } else {
                csv_of(&headers, &rows).into_bytes()
            };
            fs::write(out, &bytes)?;
            // One three-character Chinese name from the second half, for a test to search by pinyin.
            let sample = all[n / 2..]
                .iter()
                .find(|p| {
                    p.kind == dangan::domain::model::CustomerKind::Person
                        && p.name.chars().count() == 3
                        && has_han(&p.name)
                })
                .or(all.last())
                .map(|p| (p.name.clone(), pinyin_keys(&p.name).0))
                .unwrap_or_default();
            println!(
                "{}",
                serde_json::json!({ "rows": n, "bytes": bytes.len(), "name": sample.0, "pinyin": sample.1 })
            );
            Ok(())
        }
        ["--time", path] => {
            // Native timing of reading and checking a sheet (the browser runs the same code).
            use dangan::domain::transfer::{columns::guess_mapping, plan::Planner, read_sheet};
            let bytes = fs::read(path)?;
            let t = std::time::Instant::now();
            let table = read_sheet(&bytes).map_err(|e| std::io::Error::other(format!("{e:?}")))?;
            let read = t.elapsed();
            let ix = dangan::domain::search::SearchIndex::default();
            let t = std::time::Instant::now();
            let plans = Planner::new(
                guess_mapping(&table.headers),
                &ix,
                dangan::domain::date::Date::new(2026, 11, 23).unwrap(),
            )
            .all(&table, &ix);
            let plan = t.elapsed();
            println!(
                "{path}: {} rows, read {read:?}, checked {plan:?} ({:.1} µs/row)",
                plans.len(),
                plan.as_secs_f64() * 1e6 / plans.len() as f64
            );
            Ok(())
        }
        [dir] => samples(Path::new(dir)),
        _ => {
            eprintln!("usage: import_samples DIR | --xlsx N OUT | --csv N OUT");
            std::process::exit(2)
        }
    }
}
