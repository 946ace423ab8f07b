//! Errors: a bad deployment ([`LoadError`]) is told apart from a bad call
//! ([`RequestError`]). Deciding never fails: errors while deciding become a
//! deny that says why.

use std::path::PathBuf;

use crate::lifecycle::calendar::CalendarError;

/// An identifier that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is the empty string.
    #[error("{kind} must not be empty")]
    Empty {
        /// What kind of id.
        kind: &'static str,
    },
    /// The id is longer than [`crate::MAX_ID_LEN`].
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
}

/// A deployment that cannot be loaded: policies, schema, registry or
/// calendar. An engine is never built from a failed load.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A registry document is not in the wire format.
    #[error("registry `{origin}`: {message}")]
    Registry {
        /// Where the registry came from (a file name, or `<memory>`).
        origin: String,
        /// What is wrong, with line and column when known.
        message: String,
    },
    /// Two records of the registry share an id.
    #[error("registry `{origin}`: duplicate {kind} id `{id}`")]
    DuplicateId {
        /// Where the registry came from.
        origin: String,
        /// `department`, `dataset` or `grant`.
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// The Cedar schema does not parse.
    #[error("policy schema `{origin}`: {message}")]
    Schema {
        /// Where the schema came from.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A policy file does not parse.
    #[error("policy file `{file}`: {message}")]
    PolicySyntax {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A policy is refused: missing annotation, duplicate id, a local
    /// `permit`, a schema violation, an id outside the statutory catalog.
    #[error("policy file `{file}`, policy `{policy}`: {message}")]
    PolicyRejected {
        /// The file name.
        file: String,
        /// The policy's `@id`, or its position when it has none.
        policy: String,
        /// What is wrong.
        message: String,
    },
    /// The statutory set lacks a rule of the catalog: the floor would be
    /// lowered.
    #[error("statutory policies lack rule `{rule}`: every rule of the catalog must be present")]
    MissingStatutoryRule {
        /// The missing rule id.
        rule: String,
    },
    /// An optional policy was asked for that does not exist.
    #[error("no optional policy named `{name}` (available: {available})")]
    UnknownOptionalPolicy {
        /// The name asked for.
        name: String,
        /// The names available, comma-separated.
        available: String,
    },
    /// An input is over a documented size limit.
    #[error("{what} `{origin}` is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// What kind of input.
        what: &'static str,
        /// Where it came from.
        origin: String,
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The working-day calendar cannot be loaded.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// A usage request that is malformed. A malformed request is never decided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The request is not valid JSON in the wire format (unknown or
    /// duplicate key, wrong type, missing key, bad id or timestamp).
    #[error("invalid request: {message}")]
    Json {
        /// What is wrong, with line and column.
        message: String,
    },
    /// A field breaks a rule of the wire format.
    #[error("invalid request: `{field}` {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The request is over a documented limit.
    #[error("request over limit: {what} is {size}, the limit is {max}")]
    Limit {
        /// What is measured.
        what: &'static str,
        /// The value found.
        size: usize,
        /// The limit.
        max: usize,
    },
}
