//! A deployment that cannot be loaded.

use std::path::PathBuf;

use super::CalendarError;

/// A deployment that cannot be loaded: policies, schema, registry or
/// calendar. An engine is never built from a failed load.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read `{}`", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A registry document is JSON that does not fit the wire format.
    #[error("registry `{origin}`{}", at_location(.location))]
    RegistryJson {
        /// Where the registry came from (a file name, or `<memory>`).
        origin: String,
        /// The path of the offending value, such as `grants[3].valid_until`,
        /// when it is not the document itself.
        location: Option<String>,
        /// The parser's error, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// A registry document breaks a rule of the wire format that the
    /// parser does not check (it must be an object, nested no deeper than
    /// [`crate::limits::MAX_JSON_DEPTH`]).
    #[error("registry `{origin}`: {message}")]
    Registry {
        /// Where the registry came from.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// Two records of the registry share an id.
    #[error("registry `{origin}`: duplicate {kind} id `{id}`")]
    DuplicateId {
        /// Where the registry came from.
        origin: String,
        /// `department`, `purpose`, `dataset`, `grant` or `contractor`.
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A grant's records contradict each other (status `active` with a
    /// suspension record), or record an event dated in the future.
    #[error("registry `{origin}`: grant `{grant}`: {message}")]
    Grant {
        /// Where the registry came from.
        origin: String,
        /// The grant's id.
        grant: String,
        /// What is wrong.
        message: String,
    },
    /// A contractor entry names what the registry does not hold (its
    /// department, a dataset, the grant of a disposal receipt), entrusts
    /// nothing, or its records contradict each other or record an event
    /// dated in the future.
    #[error("registry `{origin}`: contractor `{contractor}`: {message}")]
    Contractor {
        /// Where the registry came from.
        origin: String,
        /// The contractor's id.
        contractor: String,
        /// What is wrong.
        message: String,
    },
    /// The Cedar schema does not parse.
    #[error("policy schema `{origin}` does not parse")]
    Schema {
        /// Where the schema came from.
        origin: String,
        /// The parser's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A policy file does not parse, or holds no policy.
    #[error("policy file `{file}`: {message}")]
    PolicySyntax {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
        /// The parser's error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
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
    /// A policy file or schema nests deeper than
    /// [`crate::limits::MAX_POLICY_NESTING`] (checked before it is parsed).
    #[error(
        "{what} `{origin}`, line {line}: nested {depth} levels deep, over the limit of {max} (`MAX_POLICY_NESTING`)"
    )]
    TooDeep {
        /// `policy file` or `schema`.
        what: &'static str,
        /// The file name.
        origin: String,
        /// The 1-based line where the limit was first passed.
        line: usize,
        /// The depth reached on that line.
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// The thread that parses and validates the policies, on a stack of
    /// known size, could not be started.
    #[error("cannot start the thread that parses the policies")]
    Thread {
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The working-day calendar cannot be loaded.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Engine options (the C ABI's `options_json`) that are not understood.
    #[error("engine options: {message}")]
    Options {
        /// What is wrong.
        message: String,
    },
}

fn at_location(location: &Option<String>) -> String {
    location
        .as_ref()
        .map(|l| format!(": `{l}`"))
        .unwrap_or_default()
}

impl LoadError {
    /// Names the origin of a registry error (a file, after it was parsed
    /// from memory).
    pub(crate) fn with_origin(mut self, name: &str) -> Self {
        match &mut self {
            LoadError::RegistryJson { origin, .. }
            | LoadError::Registry { origin, .. }
            | LoadError::DuplicateId { origin, .. }
            | LoadError::Grant { origin, .. }
            | LoadError::Contractor { origin, .. }
            | LoadError::TooLarge { origin, .. } => *origin = name.to_owned(),
            _ => {}
        }
        self
    }
}
