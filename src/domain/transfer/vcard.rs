//! Contacts as vCard 4.0 (RFC 6350) for phones and mail programs: name, kind, organisation,
//! phones, email, address, birthday, categories (tags), note and the customer code. Reading a
//! `.vcf` gives a table with Dangan's own headers, so it goes through the same import preview.

use super::columns::Column;
use super::{ImportError, Table};
use crate::domain::i18n::Locale;
use crate::domain::model::{CustomerKind, Profile};

/// Escapes a text value (RFC 6350 §3.4).
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ',' => o.push_str("\\,"),
            ';' => o.push_str("\\;"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o
}

fn unesc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n' | 'N') => o.push('\n'),
                Some(x) => o.push(x),
                None => {}
            }
        } else {
            o.push(c);
        }
    }
    o
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold_line(out: &mut String, line: &str) {
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// One vCard per profile.
pub fn write(profiles: &[Profile]) -> String {
    let mut out = String::new();
    for p in profiles {
        let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:4.0".to_string()];
        lines.push(format!("FN:{}", esc(p.name.trim())));
        if p.kind == CustomerKind::Organisation {
            lines.push("KIND:org".into());
            lines.push(format!("ORG:{}", esc(p.name.trim())));
        } else if !p.company.is_empty() {
            lines.push(format!("ORG:{}", esc(&p.company)));
        }
        for (i, ph) in p.phones.iter().enumerate() {
            let pref = if i == 0 { ";PREF=1" } else { "" };
            lines.push(format!("TEL;VALUE=text{pref}:{}", esc(ph)));
        }
        if !p.email.is_empty() {
            lines.push(format!("EMAIL:{}", esc(&p.email)));
        }
        if !p.address.is_empty() {
            lines.push(format!("ADR:;;{};;;;", esc(&p.address)));
        }
        if let Some(b) = p.birth_date {
            lines.push(format!("BDAY:{:04}{:02}{:02}", b.year, b.month, b.day));
        }
        if !p.tags.is_empty() {
            lines.push(format!("CATEGORIES:{}", p.tags.iter().map(|t| esc(t)).collect::<Vec<_>>().join(",")));
        }
        if !p.notes.is_empty() {
            lines.push(format!("NOTE:{}", esc(&p.notes)));
        }
        if !p.customer_code.is_empty() {
            lines.push(format!("X-CUSTOMER-CODE:{}", esc(&p.customer_code)));
        }
        if !p.id.is_empty() {
            lines.push(format!("UID:urn:dangan:{}", esc(&p.id)));
        }
        lines.push("END:VCARD".into());
        for l in lines {
            fold_line(&mut out, &l);
        }
    }
    out
}

/// Splits a structured value at unescaped `sep`.
fn split_unescaped(v: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            parts.last_mut().unwrap().push(c);
            if let Some(n) = it.next() {
                parts.last_mut().unwrap().push(n);
            }
        } else if c == sep {
            parts.push(String::new());
        } else {
            parts.last_mut().unwrap().push(c);
        }
    }
    parts
}

/// Reads vCards (3.0 or 4.0) into a table with Dangan's headers.
pub fn read(bytes: &[u8]) -> Result<Table, ImportError> {
    let (text, _) = super::csv::decode(bytes)?;
    // Unfold: a line starting with a space or tab continues the previous one.
    let mut lines: Vec<(u32, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            if let Some(last) = lines.last_mut() {
                last.1.push_str(rest);
                continue;
            }
        }
        lines.push((i as u32 + 1, raw.to_string()));
    }
    let cols = [
        Column::Name,
        Column::Kind,
        Column::Company,
        Column::Phone,
        Column::Email,
        Column::Address,
        Column::BirthDate,
        Column::Tags,
        Column::Notes,
        Column::Code,
    ];
    let mut t = Table {
        headers: cols.iter().map(|c| Locale::Zh.t(c.msg()).to_string()).collect(),
        source: "vCard".into(),
        ..Table::default()
    };
    let mut card: Option<(u32, Vec<String>)> = None;
    let at = |c: Column| cols.iter().position(|x| *x == c).unwrap_or(0);
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let Some((name_params, value)) = line.split_once(':') else {
            return Err(ImportError::BadVcard { line: n });
        };
        let name = name_params.split(';').next().unwrap_or_default().to_ascii_uppercase();
        let name = name.rsplit('.').next().unwrap_or_default().to_string(); // item1.TEL
        match (name.as_str(), card.as_mut()) {
            ("BEGIN", None) if value.eq_ignore_ascii_case("VCARD") => card = Some((n, vec![String::new(); cols.len()])),
            ("END", Some(_)) if value.eq_ignore_ascii_case("VCARD") => {
                let (start, row) = card.take().unwrap_or_default();
                t.rows.push(row);
                t.row_numbers.push(start);
            }
            ("BEGIN" | "END", _) => return Err(ImportError::BadVcard { line: n }),
            (_, None) => return Err(ImportError::BadVcard { line: n }),
            (_, Some((_, row))) => {
                let mut set = |c: Column, v: String| {
                    let cell = &mut row[at(c)];
                    if cell.is_empty() {
                        *cell = v;
                    } else if c == Column::Phone {
                        cell.push_str("; ");
                        cell.push_str(&v);
                    }
                };
                match name.as_str() {
                    "FN" => set(Column::Name, unesc(value)),
                    "KIND" if value.eq_ignore_ascii_case("org") => set(Column::Kind, "单位".into()),
                    "ORG" => set(Column::Company, unesc(&split_unescaped(value, ';')[0])),
                    "TEL" => set(Column::Phone, unesc(value.trim_start_matches("tel:"))),
                    "EMAIL" => set(Column::Email, unesc(value)),
                    "ADR" => {
                        let parts: Vec<String> =
                            split_unescaped(value, ';').iter().map(|s| unesc(s)).filter(|s| !s.is_empty()).collect();
                        set(Column::Address, parts.join(" "))
                    }
                    "BDAY" => {
                        let d: String = value.chars().filter(|c| c.is_ascii_digit()).collect();
                        if d.len() == 8 {
                            set(Column::BirthDate, format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]));
                        }
                    }
                    "CATEGORIES" => set(
                        Column::Tags,
                        split_unescaped(value, ',').iter().map(|s| unesc(s)).collect::<Vec<_>>().join("; "),
                    ),
                    "NOTE" => set(Column::Notes, unesc(value)),
                    "X-CUSTOMER-CODE" => set(Column::Code, unesc(value)),
                    _ => {}
                }
            }
        }
    }
    if card.is_some() {
        return Err(ImportError::BadVcard { line: text.lines().count() as u32 });
    }
    // An organisation's ORG repeats its name; a person's is the company.
    let (kind, company) = (at(Column::Kind), at(Column::Company));
    for r in &mut t.rows {
        if !r[kind].is_empty() {
            r[company].clear();
        }
    }
    Ok(t)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::columns::guess_mapping;
    use super::super::plan::Planner;
    use super::*;
    use crate::domain::date::Date;
    use crate::domain::search::SearchIndex;

    #[test]
    fn cards_round_trip_through_the_import_preview() {
        let mut a = Profile::new("x1".into(), 0, "t");
        a.name = "欧阳娜娜".into();
        a.phones = vec!["13800138000".into(), "0755-1234567".into()];
        a.email = "nana@example.com".into();
        a.address = "深圳市南山区科技园南区; 8 栋, 3 楼".into();
        a.company = "海景贸易".into();
        a.birth_date = Date::new(1990, 5, 17);
        a.tags = vec!["VIP客户".into(), "商务".into()];
        a.notes = "喜欢安静的房间，\n不要靠近电梯。这是一段很长的备注，用来检查折行不会切断汉字的编码。".repeat(2);
        let mut b = Profile::new("x2".into(), 0, "t");
        b.kind = CustomerKind::Organisation;
        b.name = "深圳市海景贸易有限公司".into();
        b.customer_code = "C-0001".into();
        b.phones = vec!["0755-88886666".into()];
        let text = write(&[a.clone(), b.clone()]);
        assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets");
        assert!(text.contains("VERSION:4.0") && text.contains("KIND:org"));
        let t = read(text.as_bytes()).unwrap();
        let ix = SearchIndex::default();
        let rows = Planner::new(guess_mapping(&t.headers), &ix, Date::new(2026, 1, 1).unwrap()).all(&t, &ix);
        for (row, want) in rows.iter().zip([&a, &b]) {
            assert!(row.is_valid(), "{:?}", row.issues);
            let mut got = row.profile.clone();
            got.id = want.id.clone();
            got.meta = want.meta.clone();
            assert_eq!(&got, want);
        }
    }

    #[test]
    fn broken_cards_name_the_line() {
        assert_eq!(
            read(b"BEGIN:VCARD\r\nFN:x\r\nno colon here\r\nEND:VCARD\r\n"),
            Err(ImportError::BadVcard { line: 3 })
        );
        assert_eq!(read(b"BEGIN:VCARD\r\nFN:x\r\n"), Err(ImportError::BadVcard { line: 2 }));
    }
}
