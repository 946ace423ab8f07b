//! What a reader can see. Ids, item names, purpose codes and rule text end
//! up in explanations a person reads; characters that do not show, or that
//! reorder what is shown (bidi controls), would let a record read as
//! something it is not. This module names those characters, and escapes
//! them wherever text from outside is shown.
//!
//! The character policy (README, Hostile input):
//!
//! - refused everywhere (ids, item names, purposes, rule ids and
//!   annotations): control characters (Cc) other than in error messages,
//!   format characters (Cf: bidi embeddings, overrides and isolates
//!   U+202A–U+202E and U+2066–U+2069, zero-width characters, the BOM, soft
//!   hyphen, tags), line and paragraph separators (Zl, Zp), the other
//!   default-ignorable code points of Unicode (variation selectors, the
//!   combining grapheme joiner, Hangul fillers, …), U+2800 BRAILLE PATTERN
//!   BLANK, private-use (Co) and unassigned (Cn) code points, which have no
//!   agreed appearance;
//! - also refused in ids: any space other than U+0020 (U+00A0, U+3000, …,
//!   which look like a plain space), and a combining mark as the first
//!   character (it would attach to the text shown before the id).

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Default-ignorable code points (Unicode `DerivedCoreProperties.txt`,
/// `Default_Ignorable_Code_Point`) that are not format or unassigned
/// characters, which the general category catches, plus U+2800, a blank
/// that is not a space.
const INVISIBLE: [(char, char); 10] = [
    ('\u{034F}', '\u{034F}'),   // COMBINING GRAPHEME JOINER
    ('\u{115F}', '\u{1160}'),   // HANGUL CHOSEONG / JUNGSEONG FILLER
    ('\u{17B4}', '\u{17B5}'),   // KHMER VOWEL INHERENT AQ, AA
    ('\u{180B}', '\u{180D}'),   // MONGOLIAN FREE VARIATION SELECTORS 1–3
    ('\u{180F}', '\u{180F}'),   // MONGOLIAN FREE VARIATION SELECTOR 4
    ('\u{2800}', '\u{2800}'),   // BRAILLE PATTERN BLANK
    ('\u{3164}', '\u{3164}'),   // HANGUL FILLER
    ('\u{FE00}', '\u{FE0F}'),   // VARIATION SELECTORS
    ('\u{FFA0}', '\u{FFA0}'),   // HALFWIDTH HANGUL FILLER
    ('\u{E0100}', '\u{E01EF}'), // VARIATION SELECTORS SUPPLEMENT
];

/// Whether `c` is one of the characters that make up nearly all of a
/// registry and of an explanation, which are always shown as themselves:
/// printable ASCII (the space included) and the CJK Unified Ideographs of
/// the basic block (U+4E00–U+9FFF, every one assigned, a letter, Lo). For
/// these the answers below are known without the general-category table,
/// whose lookup is otherwise a fifth of loading a registry; the test
/// `plainly_visible_characters_need_no_table` checks the claim against the
/// table for every one of them.
fn plainly_visible(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{4E00}'..='\u{9FFF}')
}

/// Why `c` may not appear in text a person reads (rule annotations), or
/// `None` when it may.
pub(crate) fn hidden_in_text(c: char) -> Option<&'static str> {
    if plainly_visible(c) {
        return None;
    }
    match c.general_category() {
        GeneralCategory::Control => Some("a control character"),
        GeneralCategory::Format => {
            Some("an invisible format character (bidi control, zero-width …)")
        }
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => {
            Some("a line or paragraph separator")
        }
        GeneralCategory::PrivateUse => Some("a private-use character"),
        GeneralCategory::Unassigned => Some("an unassigned code point"),
        _ if INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)) => {
            Some("an invisible character")
        }
        _ => None,
    }
}

/// Why `c` may not appear in an id, item name or purpose code, or `None`
/// when it may. Stricter than [`hidden_in_text`]: spaces other than U+0020
/// are refused too.
pub(crate) fn hidden_in_id(c: char) -> Option<&'static str> {
    if plainly_visible(c) {
        return None;
    }
    match hidden_in_text(c) {
        Some(why) => Some(why),
        None if c != ' ' && c.general_category() == GeneralCategory::SpaceSeparator => {
            Some("a space other than U+0020")
        }
        None => None,
    }
}

/// Whether `c` is a combining mark, which may not start an id.
pub(crate) fn is_combining(c: char) -> bool {
    !plainly_visible(c)
        && matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        )
}

/// `text` with every character of [`hidden_in_id`] written as `\u{…}`, so
/// what is shown is what is there. Newlines and tabs are kept when
/// `keep_layout` is set (multi-line messages).
pub(crate) fn escape_hidden(text: &str, keep_layout: bool) -> Cow<'_, str> {
    let escape = |c: char| hidden_in_id(c).is_some() && !(keep_layout && matches!(c, '\n' | '\t'));
    if !text.chars().any(escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `U+202E`: how a refused character is named in an error.
pub(crate) fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plainly_visible_characters_need_no_table() {
        let mut checked = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if !plainly_visible(c) {
                continue;
            }
            checked += 1;
            let category = c.general_category();
            assert!(
                !matches!(
                    category,
                    GeneralCategory::Control
                        | GeneralCategory::Format
                        | GeneralCategory::LineSeparator
                        | GeneralCategory::ParagraphSeparator
                        | GeneralCategory::PrivateUse
                        | GeneralCategory::Unassigned
                        | GeneralCategory::NonspacingMark
                        | GeneralCategory::SpacingMark
                        | GeneralCategory::EnclosingMark
                ),
                "{} is {category:?}",
                code_point(c)
            );
            assert!(c == ' ' || category != GeneralCategory::SpaceSeparator);
            assert!(!INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)));
        }
        assert_eq!(checked, 95 + 0x5200);
    }

    #[test]
    fn invisible_and_reordering_characters_are_named() {
        for c in [
            '\u{0}',
            '\n',
            '\u{7F}',
            '\u{85}',
            '\u{AD}',
            '\u{200B}',
            '\u{200D}',
            '\u{200E}',
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{2028}',
            '\u{2029}',
            '\u{034F}',
            '\u{115F}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{E0100}',
            '\u{2800}',
            '\u{E000}',
            '\u{10FFFF}',
            '\u{FFFE}',
            '\u{061C}',
            '\u{180E}',
        ] {
            assert!(hidden_in_text(c).is_some(), "{c:?} passes");
            assert!(hidden_in_id(c).is_some(), "{c:?} passes in an id");
        }
        for c in ['a', 'Z', '0', '-', '.', '_', '杭', '‐', 'é', '。'] {
            assert_eq!(hidden_in_id(c), None, "{c:?} refused");
        }
        for c in ['\u{A0}', '\u{3000}', '\u{2009}', '\u{1680}'] {
            assert_eq!(hidden_in_text(c), None, "{c:?} refused in text");
            assert!(hidden_in_id(c).is_some(), "{c:?} passes in an id");
        }
        assert!(is_combining('\u{301}'));
        assert!(!is_combining('a'));
    }

    #[test]
    fn escaping_shows_what_is_there() {
        assert_eq!(escape_hidden("hz-amr", false), "hz-amr");
        assert_eq!(escape_hidden("杭州市", false), "杭州市");
        assert_eq!(
            escape_hidden("a\u{202E}b\u{3000}c", false),
            "a\\u{202E}b\\u{3000}c"
        );
        assert_eq!(escape_hidden("a\nb", true), "a\nb");
        assert_eq!(escape_hidden("a\nb", false), "a\\u{000A}b");
        assert_eq!(code_point('\u{202E}'), "U+202E");
    }
}
