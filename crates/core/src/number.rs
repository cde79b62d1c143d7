//! Numbers as people type them into forms and spreadsheets: full-width digits and punctuation
//! (１２．５, the input method's default), thousands separators (1,234.5 or １，２３４), a trailing
//! % (98% in a percent field means 98), spaces around. Anything that could mean two numbers is
//! refused with the reason, never guessed: `12,5` is a decimal comma to some and 125 to others.
//!
//! One parser serves every entry path: the web form, uploaded files, the command line.

/// Why a text is not a number, in Chinese, with the English after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotANumber {
    /// The text refused (its first 40 characters, trimmed).
    pub text: String,
    /// Why, in Chinese with the English after it.
    pub reason: &'static str,
}

impl std::fmt::Display for NotANumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\" 不是有效数字 (is not a number):{}", self.text, self.reason)
    }
}

impl std::error::Error for NotANumber {}

/// Full-width and typographic forms mapped to the ASCII character they stand for.
fn ascii_form(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' | '。' => '.',
        '，' => ',',
        '－' | '−' => '-',
        '＋' => '+',
        '％' => '%',
        'Ｅ' | 'ｅ' => 'e',
        '\u{3000}' | '\u{a0}' | '\t' => ' ',
        other => other,
    }
}

/// Reads a number as typed. Accepts a sign, thousands separators in groups of three, a decimal
/// point, an exponent (Excel writes 1.5E+07 into CSV files), one trailing %, and spaces around;
/// full-width forms of all of these. Refuses everything else, saying why.
pub fn parse(text: &str) -> Result<f64, NotANumber> {
    let fail = |reason| Err(NotANumber { text: text.trim().chars().take(40).collect(), reason });
    let normal: String = text.chars().map(ascii_form).collect();
    let mut body = normal.trim();
    if body.is_empty() {
        return fail("未填写数值 (empty)");
    }
    if let Some(rest) = body.strip_suffix('%') {
        body = rest.trim_end();
    }
    if body.contains('%') {
        return fail("百分号只能写在末尾 (% only at the end)");
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let unsigned = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    if whole.is_empty() && fraction.is_none_or(str::is_empty) {
        return fail("没有数字 (no digits)");
    }
    if fraction.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit())) {
        return fail("小数部分只能是数字 (the decimals are digits only)");
    }
    let digits = if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
            return fail("逗号只能作千位分隔符(如 1,234.5);小数请用小数点 (a comma separates thousands only)");
        }
        groups.concat()
    } else {
        if !whole.bytes().all(|b| b.is_ascii_digit()) {
            return fail("只能包含数字、小数点、千位分隔符和末尾的% (digits, point, thousands separators, trailing %)");
        }
        whole.to_string()
    };
    if let Some(e) = exponent {
        let e_digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        if e_digits.is_empty() || e_digits.len() > 4 || !e_digits.bytes().all(|b| b.is_ascii_digit()) {
            return fail("科学计数法的指数不正确 (bad exponent)");
        }
    }
    let sign = if mantissa.starts_with('-') { "-" } else { "" };
    let mut canonical = format!("{sign}{}", if digits.is_empty() { "0" } else { &digits });
    if let Some(f) = fraction.filter(|f| !f.is_empty()) {
        canonical.push('.');
        canonical.push_str(f);
    }
    if let Some(e) = exponent {
        canonical.push('e');
        canonical.push_str(e);
    }
    match canonical.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => fail("数值过大 (out of range)"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn reads_what_people_type() {
        for (text, expected) in [
            ("12.5", 12.5),
            ("１２．５", 12.5),
            (" 1,234.5 ", 1234.5),
            ("１，２３４", 1234.0),
            ("98%", 98.0),
            ("９８％", 98.0),
            ("98 %", 98.0),
            ("-3", -3.0),
            ("－３．２", -3.2),
            ("+7", 7.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("1.5E+07", 1.5e7),
            ("\u{3000}42\u{3000}", 42.0),
            ("1,234,567", 1_234_567.0),
        ] {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn refuses_what_could_mean_two_numbers_or_none() {
        for text in ["", "  ", "abc", "12,5", "1,2345", "1 234", "12.5.1", "%", "5%%", "1e", "--1", "1,,234", "十二"]
        {
            let refused = parse(text);
            assert!(refused.is_err(), "{text} gave {refused:?}");
        }
        let message = parse("12,5").expect_err("ambiguous").to_string();
        assert!(message.contains("千位分隔符"), "{message}");
    }

    fn full_width(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32('０' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                '.' => '．',
                ',' => '，',
                '-' => '－',
                other => other,
            })
            .collect()
    }

    fn grouped(value: f64) -> String {
        let plain = format!("{:.2}", value.abs());
        let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, "00"));
        let mut out = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        format!("{}{out}.{fraction}", if value < 0.0 { "-" } else { "" })
    }

    proptest! {
        #[test]
        fn every_finite_number_reads_back(value in -1e15f64..1e15) {
            prop_assert_eq!(parse(&value.to_string()), Ok(value));
        }

        #[test]
        fn typed_forms_of_a_number_read_the_same(value in -1e12f64..1e12, percent in any::<bool>(), wide in any::<bool>()) {
            let plain = format!("{value:.2}");
            let expected: f64 = plain.parse().expect("formatted");
            let mut typed = grouped(value);
            if percent {
                typed.push('%');
            }
            if wide {
                typed = full_width(&typed);
            }
            prop_assert_eq!(parse(&format!("  {typed} ")), Ok(expected), "{}", typed);
        }

        #[test]
        fn never_panics_and_never_returns_infinity(text in "\\PC{0,30}") {
            if let Ok(value) = parse(&text) {
                prop_assert!(value.is_finite());
            }
        }

        #[test]
        fn a_comma_not_between_thousands_is_refused(whole in 1u32..1000, decimals in 1u32..100) {
            prop_assume!(decimals.to_string().len() != 3);
            let text = format!("{whole},{decimals}");
            prop_assert!(parse(&text).is_err(), "{}", text);
        }
    }
}
