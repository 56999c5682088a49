//! Check digits of Chinese identifiers: the resident ID number (GB 11643-1999) and the unified
//! social credit code (GB 32100-2015).

use super::date::Date;
use super::model::Gender;

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Why a resident ID number is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResidentIdError {
    /// Not 18 characters of 17 digits plus a digit or X.
    Format,
    /// Characters 7–14 are not a real birth date.
    BirthDate,
    /// The last character does not match the GB 11643 check digit.
    CheckDigit,
}

/// What an 18-digit resident ID number says about its holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResidentIdInfo {
    pub birth_date: Date,
    pub gender: Gender,
}

/// The GB 11643 check character for the first 17 digits.
pub fn resident_id_check_char(first17: &[u8]) -> char {
    let sum: u32 = first17.iter().zip(ID_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    ID_CHECK[(sum % 11) as usize] as char
}

/// Validates an 18-character resident ID and decodes birth date and gender.
pub fn parse_resident_id(raw: &str) -> Result<ResidentIdInfo, ResidentIdError> {
    let s = raw.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(ResidentIdError::Format);
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().unwrap_or(0);
    let birth_date = Date::new(num(6..10), num(10..12) as u8, num(12..14) as u8)
        .filter(|d| d.year >= 1900)
        .ok_or(ResidentIdError::BirthDate)?;
    if resident_id_check_char(&b[..17]) != b[17] as char {
        return Err(ResidentIdError::CheckDigit);
    }
    let gender = if (b[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female };
    Ok(ResidentIdInfo { birth_date, gender })
}

const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a unified social credit code is not valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters from the code's alphabet (digits and capitals without I, O, S, V, Z).
    Format,
    /// The last character does not match the GB 32100 check character.
    CheckChar,
}

/// The GB 32100 check character for the first 17 characters, if they are all in the alphabet.
pub fn uscc_check_char(first17: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(USCC_WEIGHTS) {
        sum += USCC_CHARS.iter().position(|x| x == c)? as u32 * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(USCC_CHARS[check as usize] as char)
}

/// Validates an 18-character unified social credit code.
pub fn check_uscc(raw: &str) -> Result<(), UsccError> {
    let s = raw.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    if b.len() != 18 || !b.iter().all(|c| USCC_CHARS.contains(c)) {
        return Err(UsccError::Format);
    }
    match uscc_check_char(&b[..17]) {
        Some(c) if c == b[17] as char => Ok(()),
        _ => Err(UsccError::CheckChar),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_from_the_standard_and_public_samples() {
        // The GB 11643 sample number, a woman born 1949-12-31.
        let info = parse_resident_id("11010519491231002X").unwrap();
        assert_eq!(info.birth_date, Date::new(1949, 12, 31).unwrap());
        assert_eq!(info.gender, Gender::Female);
        // Lower-case x is accepted.
        assert!(parse_resident_id("11010519491231002x").is_ok());
        // A man born 1990-03-07 (check digit 4).
        let info = parse_resident_id("440305199003070014").unwrap();
        assert_eq!(info.gender, Gender::Male);
        assert_eq!(info.birth_date.to_string(), "1990-03-07");
    }

    #[test]
    fn resident_id_errors_are_told_apart() {
        assert_eq!(parse_resident_id("110105194912310021"), Err(ResidentIdError::CheckDigit));
        assert_eq!(parse_resident_id("11010519491231002"), Err(ResidentIdError::Format));
        assert_eq!(parse_resident_id("1101051949123100XX"), Err(ResidentIdError::Format));
        assert_eq!(parse_resident_id("110105194913310028"), Err(ResidentIdError::BirthDate));
        assert_eq!(parse_resident_id(""), Err(ResidentIdError::Format));
    }

    #[test]
    fn every_single_digit_typo_is_caught() {
        let good = b"11010519491231002X";
        for i in 0..17 {
            let mut bad = *good;
            bad[i] = if bad[i] == b'9' { b'0' } else { bad[i] + 1 };
            let s = std::str::from_utf8(&bad).unwrap();
            assert!(parse_resident_id(s).is_err(), "{s} should be rejected");
        }
    }

    #[test]
    fn uscc_samples() {
        // Widely published valid codes.
        assert_eq!(check_uscc("91350100M000100Y43"), Ok(()));
        assert_eq!(check_uscc("91110108551385082Q"), Ok(()));
        assert_eq!(check_uscc("91350100M000100Y44"), Err(UsccError::CheckChar));
        assert_eq!(check_uscc("91350100M000100Y4"), Err(UsccError::Format));
        // 'I' is not in the alphabet.
        assert_eq!(check_uscc("91350100I000100Y43"), Err(UsccError::Format));
        assert_eq!(check_uscc("91350100m000100y43"), Ok(()));
    }
}
