//! 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet, the last a
//! check character computed from the first 17.

use std::fmt;

/// The code's alphabet: digits and capitals without I, O, S, V, Z. A character's position is
/// its value.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

#[derive(Clone, Debug, PartialEq, Eq)]
/// Why a text is not a unified social credit code.
pub enum CreditCodeError {
    /// Not 18 characters long (the length found).
    Length(usize),
    /// A character outside the alphabet, at a 1-based position.
    Character {
        /// The position, 1-based.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The check character does not match.
    CheckCharacter {
        /// The check character found.
        found: char,
        /// The check character the code should end with.
        expected: char,
    },
}

impl fmt::Display for CreditCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreditCodeError::Length(n) => {
                write!(f, "统一社会信用代码应为18位,实为{n}位 (a credit code has 18 characters, found {n})")
            }
            CreditCodeError::Character { position, found } => write!(
                f,
                "第{position}位“{found}”不是有效字符 (character {position} \"{found}\" is not allowed: digits and capitals except I, O, S, V, Z)"
            ),
            CreditCodeError::CheckCharacter { found, expected } => write!(
                f,
                "校验码错误:末位应为“{expected}”,实为“{found}” (wrong check character: \"{found}\", it should be \"{expected}\")"
            ),
        }
    }
}

impl std::error::Error for CreditCodeError {}

fn value_of(c: char) -> Option<u32> {
    ALPHABET.iter().position(|a| char::from(*a) == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, which must be valid.
pub fn check_character(first17: &[u32; 17]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    char::from(ALPHABET[check as usize])
}

/// Validates a code (surrounding blanks ignored; lower-case letters accepted) and returns it in
/// canonical form.
pub fn validate(code: &str) -> Result<String, CreditCodeError> {
    let canonical: String = code.trim().to_uppercase();
    let chars: Vec<char> = canonical.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length(chars.len()));
    }
    let mut values = [0u32; 17];
    for (i, c) in chars.iter().enumerate() {
        let value = value_of(*c).ok_or(CreditCodeError::Character { position: i + 1, found: *c })?;
        if i < 17 {
            values[i] = value;
        }
    }
    let expected = check_character(&values);
    if chars[17] != expected {
        return Err(CreditCodeError::CheckCharacter { found: chars[17], expected });
    }
    Ok(canonical)
}

/// Completes 17 valid characters into a valid code (for synthetic data and tests).
pub fn complete(first17: &str) -> Option<String> {
    let chars: Vec<char> = first17.chars().collect();
    if chars.len() != 17 {
        return None;
    }
    let mut values = [0u32; 17];
    for (i, c) in chars.iter().enumerate() {
        values[i] = value_of(*c)?;
    }
    Some(format!("{first17}{}", check_character(&values)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn well_formed_codes_are_valid() {
        // Check characters computed independently of this code (GB 32100-2015, Annex B).
        for code in ["91330200MA2CL7RN9T", "91110000100005220B", "9133020071320465XM", "12330200002950476E"] {
            assert_eq!(validate(code).as_deref(), Ok(code), "{code}");
        }
        assert_eq!(validate(" 91330200ma2cl7rn9t ").as_deref(), Ok("91330200MA2CL7RN9T"));
    }

    #[test]
    fn a_wrong_check_character_names_the_right_one() {
        assert_eq!(validate("91330200MA2CL7RN9A"), Err(CreditCodeError::CheckCharacter { found: 'A', expected: 'T' }));
        let message = validate("91330200MA2CL7RN9A").map_err(|e| e.to_string()).unwrap_err();
        assert!(message.contains("末位应为“T”"), "{message}");
    }

    #[test]
    fn length_and_alphabet_are_checked() {
        assert_eq!(validate("9133020"), Err(CreditCodeError::Length(7)));
        assert_eq!(validate("91330200MI2CL7RN9T"), Err(CreditCodeError::Character { position: 10, found: 'I' }));
        assert!(matches!(validate("９１３３０２００ＭＡ２ＣＬ７ＲＮ９Ａ"), Err(CreditCodeError::Character { .. })));
    }

    proptest! {
        #[test]
        fn completed_codes_validate_and_any_single_change_is_caught(
            body in "[0-9A-HJ-NP-RTUWXY]{17}",
            position in 0usize..18,
            replacement in 0usize..31,
        ) {
            let code = complete(&body).expect("17 valid characters");
            prop_assert_eq!(validate(&code), Ok(code.clone()));
            let mut chars: Vec<char> = code.chars().collect();
            let new = char::from(ALPHABET[replacement]);
            prop_assume!(chars[position] != new);
            chars[position] = new;
            let changed: String = chars.into_iter().collect();
            prop_assert!(validate(&changed).is_err(), "{} passed", changed);
        }

        #[test]
        fn validation_never_panics(text in "\\PC{0,30}") {
            let _ = validate(&text);
        }
    }
}
