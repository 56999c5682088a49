//! Text normalisation for search and comparison: width folding, case folding, phone digits and
//! pinyin (full and initials) of Chinese names.

use super::pinyin::reading;

/// Folds full-width ASCII (Ｚｓ１３８) to half-width, lower-cases, and drops control characters
/// (the search index uses them as separators).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(fold_chars(s));
    out
}

/// The characters of [`fold`], without allocating.
pub fn fold_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !c.is_control())
        .flat_map(char::to_lowercase)
}

/// A search query made comparable with indexed text: folded, trimmed, inner spaces removed
/// (`zhang san` finds `zhangsan`).
pub fn normalize_query(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// A phone number as typed by any input method, in plain ASCII: full-width digits, `＋` and
/// brackets (`（０１０）`) half-width, every kind of dash (`－`, `—`, `‐`, `−`…) a `-`, every kind
/// of space one space, and nothing else changed. `０１０－６２７５１２３４` becomes `010-62751234`.
pub fn fold_phone(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{30FC}' | '\u{2E3A}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Only the digits of a phone number, with a leading 86 country code removed from mobile numbers.
pub fn phone_digits(s: &str) -> String {
    let d: String = fold(s).chars().filter(char::is_ascii_digit).collect();
    match d.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_string(),
        _ => d,
    }
}

/// Surnames whose usual reading differs from the character's most common one.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('查', "zha"),
    ('朴', "piao"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('翟', "zhai"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('召', "shao"),
    ('尉', "yu"),
    ('长', "chang"),
    ('万', "wan"),
    ('秘', "bi"),
    ('繁', "po"),
    ('员', "yun"),
    ('种', "chong"),
    ('阚', "kan"),
    ('晟', "cheng"),
    ('重', "chong"),
    ('柏', "bai"),
];

/// The pinyin of a name: `(full, initials)`, e.g. `张三` gives `("zhangsan", "zs")`.
/// Latin letters and digits are kept (`Tom 李` gives `("tomli", "tl")`); other characters
/// are dropped. Surnames use their surname reading (`曾` is `zeng`, `单` is `shan`).
pub fn pinyin_keys(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    let mut in_latin_word = false;
    for (i, c) in fold(name).chars().enumerate() {
        let reading = if i == 0 { SURNAME_READINGS.iter().find(|(s, _)| *s == c).map(|(_, r)| *r) } else { None }
            .or_else(|| reading(c));
        if let Some(r) = reading {
            full.push_str(r);
            initials.push_str(&r[..1]);
            in_latin_word = false;
        } else if c.is_ascii_alphanumeric() {
            full.push(c);
            if !in_latin_word {
                initials.push(c);
            }
            in_latin_word = true;
        } else {
            in_latin_word = false;
        }
    }
    (full, initials)
}

/// Whether the text holds any Han character (then pinyin keys are worth indexing).
pub fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{3400}'..='\u{9FFF}').contains(&c))
}

/// Length in "bytes" as the U8 form counts them: a Chinese character counts 2, ASCII 1.
pub fn gbk_len(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Edit distance between two short strings (names), by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn pinyin_full_and_initials() {
        assert_eq!(pinyin_keys("张三"), ("zhangsan".into(), "zs".into()));
        assert_eq!(pinyin_keys("欧阳 娜娜"), ("ouyangnana".into(), "oynn".into()));
        assert_eq!(pinyin_keys("曾小贤"), ("zengxiaoxian".into(), "zxx".into()));
        assert_eq!(pinyin_keys("单田芳"), ("shantianfang".into(), "stf".into()));
        assert_eq!(pinyin_keys("Tom 李"), ("tomli".into(), "tl".into()));
        assert_eq!(pinyin_keys("John Smith"), ("johnsmith".into(), "js".into()));
    }

    #[test]
    fn folding_and_phones() {
        assert_eq!(fold("ＺＳ１３８"), "zs138");
        assert_eq!(normalize_query(" Zhang San "), "zhangsan");
        assert_eq!(phone_digits("+86 138-0013-8000"), "13800138000");
        assert_eq!(phone_digits("(0755) 8888 1234"), "075588881234");
    }

    #[test]
    fn phones_typed_with_a_chinese_input_method_fold_to_ascii() {
        assert_eq!(fold_phone("０１０－６２７５１２３４"), "010-62751234");
        assert_eq!(fold_phone("（０７５５）８８８８　１２３４"), "(0755)8888 1234");
        assert_eq!(fold_phone("＋８６ １３８—００１３—８０００"), "+86 138-0013-8000");
        assert_eq!(fold_phone(" 010\u{2010}6275\u{2212}1234 "), "010-6275-1234");
        assert_eq!(fold_phone("400 – 800 \u{00A0}\u{00A0}8888"), "400 - 800 8888");
        assert_eq!(fold_phone("13800138000"), "13800138000");
    }

    #[test]
    fn lengths_and_distance() {
        assert_eq!(gbk_len("华为a"), 5);
        assert_eq!(edit_distance("张三丰", "张三峰"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert!(has_han("Tom李") && !has_han("Tom"));
    }
}
