//! Decoding text files as Chinese offices save them: UTF-8 with or without a byte-order mark,
//! or GB18030 (what Excel and WPS write for "CSV" on a Chinese system).

use std::borrow::Cow;

/// The text of a file and the encoding it was read as.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest), "UTF-8 (BOM)");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), "UTF-8");
    }
    let (text, _, _) = encoding_rs::GB18030.decode(bytes);
    (text, "GB18030")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_and_without_bom() {
        assert_eq!(decode("宁波市".as_bytes()).0, "宁波市");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").0, "abc");
    }

    #[test]
    fn falls_back_to_gb18030() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("北仑区,2026-05");
        let (text, encoding) = decode(&bytes);
        assert_eq!(text, "北仑区,2026-05");
        assert_eq!(encoding, "GB18030");
    }
}
