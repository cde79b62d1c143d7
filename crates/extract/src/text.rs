//! The document as the extractor reads it: NFKC-normalised (full-width digits, `％`, `，`
//! become ASCII) with a map back to the original bytes, so that every clause the extractor
//! quotes is a verbatim slice of the document; and how it is cut into lines, sentences and
//! clauses.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

pub(crate) struct Normalized<'a> {
    original: &'a str,
    /// The normalised text.
    pub text: String,
    /// For every byte of `text`, the start of the original character it comes from.
    starts: Vec<usize>,
}

impl<'a> Normalized<'a> {
    pub fn new(original: &'a str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut starts = Vec::with_capacity(original.len() + 1);
        for (i, c) in original.char_indices() {
            let before = text.len();
            if c.is_ascii() || is_han(c) {
                text.push(c);
            } else {
                match c {
                    // Dashes stay dashes: NFKC keeps them, spell out the wide ones explicitly.
                    '\u{2014}' | '\u{2013}' | '\u{2015}' => text.push('—'),
                    '\u{3000}' | '\u{a0}' => text.push(' '),
                    _ => text.extend(std::iter::once(c).nfkc()),
                }
            }
            starts.extend(std::iter::repeat_n(i, text.len() - before));
        }
        starts.push(original.len());
        Normalized { original, text, starts }
    }

    /// The original text behind a range of the normalised text (at character boundaries).
    pub fn original(&self, range: Range<usize>) -> &'a str {
        let start = self.starts.get(range.start).copied().unwrap_or(self.original.len());
        let mut end_index = range.end.min(self.text.len());
        // A character NFKC expanded into several maps to one original character: take it whole.
        while end_index > range.start
            && end_index < self.text.len()
            && self.starts.get(end_index) == self.starts.get(end_index - 1)
        {
            end_index += 1;
        }
        let end = self.starts.get(end_index).copied().unwrap_or(self.original.len());
        self.original.get(start..end.max(start)).unwrap_or_default()
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '〇')
}

/// Characters that end a sentence for the purpose of scoping a year or a subject.
pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n' | '\r')
}

/// Characters that separate clauses within a sentence.
pub(crate) fn is_clause_sep(c: char) -> bool {
    matches!(c, ',' | ':' | '，' | '：')
}

/// Punctuation and spaces that do not belong to an indicator's name at either end.
pub(crate) fn is_trim(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '、' | ';' | ':' | '。' | '—' | '-' | '·' | '•' | '…' | '.')
}

/// Trims a range of `text` by `pred` at both ends.
pub(crate) fn trim_range(text: &str, range: Range<usize>, pred: impl Fn(char) -> bool) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else { return range.start..range.start };
    let start = range.start + (slice.len() - slice.trim_start_matches(&pred).len());
    let end = range.start + slice.trim_end_matches(&pred).len();
    start..end.max(start)
}

/// The text of a range, or "" for a range that is not on character boundaries.
pub(crate) fn slice(text: &str, range: Range<usize>) -> &str {
    text.get(range).unwrap_or_default()
}

/// The last character before `at`.
pub(crate) fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// The character at `at`.
pub(crate) fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// How a character changes the depth of brackets and quotes: `(`, `“`, `《` open, `)`, `”`, `》`
/// close. What stands inside them belongs to a name (`城市(县城、镇)`, `“四个百分百全覆盖”`).
pub(crate) fn nesting(c: char) -> i32 {
    match c {
        '(' | '“' | '《' => 1,
        ')' | '”' | '》' => -1,
        _ => 0,
    }
}

/// Where a window of at most `max` bytes ending at `end` starts, at a character boundary and
/// not before `start`.
pub(crate) fn window_start(text: &str, start: usize, end: usize, max: usize) -> usize {
    let mut at = end.saturating_sub(max).max(start);
    while at < end && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The non-empty lines of `text`, trimmed.
pub(crate) fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        if c == '\n' {
            let range = trim_range(text, start..i, char::is_whitespace);
            if !range.is_empty() {
                lines.push(range);
            }
            start = i + 1;
        }
    }
    lines
}

/// `range` split at every character matching `at`, without the separators.
pub(crate) fn split(text: &str, range: Range<usize>, at: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = range.start;
    for (i, c) in slice(text, range.clone()).char_indices() {
        if at(c) {
            let end = range.start + i;
            if end > start {
                parts.push(start..end);
            }
            start = end + c.len_utf8();
        }
    }
    if range.end > start {
        parts.push(start..range.end);
    }
    parts
}

/// The clauses of a sentence: split at commas and colons, and around a parenthesis that holds
/// clauses of its own (`(其中规模以上企业100家以上,…)`).
pub(crate) fn clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let s = slice(text, sentence.clone());
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => {
                if let Some(o) = open.pop() {
                    let inner = &s[o + 1..i];
                    // Only a parenthesis of reasonable length (nested ones stay linear).
                    if inner.len() <= 600 && (inner.contains([',', ':']) || inner.starts_with("其中")) {
                        cuts.push((o, 1));
                        cuts.push((i, 1));
                    }
                }
            }
            c if is_clause_sep(c) => cuts.push((i, c.len_utf8())),
            _ => {}
        }
    }
    cuts.sort_unstable();
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, len) in cuts {
        if at > start {
            parts.push(sentence.start + start..sentence.start + at);
        }
        start = start.max(at + len);
    }
    if s.len() > start {
        parts.push(sentence.start + start..sentence.end);
    }
    parts
}

/// The indicator as compared: without spaces, punctuation, brackets and quotes.
pub fn compact(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punct(*c)).collect()
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '、'
            | '。'
            | '—'
            | '·'
            | '•'
            | '…'
            | '～'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_full_width_and_maps_back() {
        let original = "比重达到６５％，全市";
        let n = Normalized::new(original);
        assert_eq!(n.text, "比重达到65%,全市");
        let at = n.text.find("65%").expect("found");
        assert_eq!(n.original(at..at + 3), "６５％");
        assert_eq!(n.original(0..n.text.len()), original);
    }

    #[test]
    fn maps_expanded_characters_whole() {
        let original = "面积10㎡以上";
        let n = Normalized::new(original);
        assert!(n.text.contains("m2"));
        let at = n.text.find('m').expect("m");
        assert_eq!(n.original(at..at + 1), "㎡");
    }

    #[test]
    fn compacts_for_comparison() {
        assert_eq!(compact("“浙江制造精品”(项)"), "浙江制造精品项");
    }
}
