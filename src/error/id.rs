//! Identifiers that cannot be accepted.

/// An identifier, item name, purpose code or region code that cannot be
/// accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The id is the empty string.
    #[error("{kind} must not be empty")]
    Empty {
        /// What kind of id.
        kind: &'static str,
    },
    /// The id is longer than [`crate::limits::MAX_ID_LEN`].
    #[error("{kind} is {len} bytes long, over the limit of {max}")]
    TooLong {
        /// What kind of id.
        kind: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The id holds a control character (NUL, newline, …).
    #[error("{kind} `{value}` contains a control character")]
    ControlCharacter {
        /// What kind of id.
        kind: &'static str,
        /// The id, escaped.
        value: String,
    },
    /// The id holds a character a reader cannot see as it is: a format or
    /// bidi control character, a separator, a space other than U+0020, an
    /// invisible, private-use or unassigned code point, or a combining mark
    /// first (the README's Hostile input section lists them).
    #[error("{kind} `{value}` contains {why} ({character}): ids must be plain visible text")]
    Hidden {
        /// What kind of id.
        kind: &'static str,
        /// The id, with such characters written as `\u{…}`.
        value: String,
        /// The first such character, as `U+202E`.
        character: String,
        /// What kind of character it is.
        why: &'static str,
    },
    /// The id starts or ends with white space.
    #[error("{kind} `{value}` starts or ends with white space")]
    Whitespace {
        /// What kind of id.
        kind: &'static str,
        /// The id.
        value: String,
    },
    /// A purpose code with an empty segment.
    #[error(
        "purpose `{value}` has an empty segment: purposes are dot-separated codes such as `a.b.c`"
    )]
    EmptyPurposeSegment {
        /// The code.
        value: String,
    },
    /// A code listed twice where each must be unique, such as a purpose of
    /// the vocabulary.
    #[error("duplicate {kind} `{value}`")]
    Duplicate {
        /// What kind of code.
        kind: &'static str,
        /// The repeated code.
        value: String,
    },
    /// A region that is not a six-digit administrative division code.
    #[error("region `{value}` is not a six-digit administrative division code (GB/T 2260)")]
    Region {
        /// The code as given.
        value: String,
    },
}
