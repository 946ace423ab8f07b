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
