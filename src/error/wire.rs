//! What went wrong in a call of the JSON wire layer.

use std::path::PathBuf;

use super::{LoadError, RequestError};

/// What went wrong in a call of the JSON wire layer (`govshare::wire`),
/// which the C ABI reports as a status (`govshare::ffi::Status`, through
/// `WireError::status`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// A required pointer parameter was NULL (C ABI only).
    #[error("`{parameter}` is NULL")]
    NullParameter {
        /// The parameter's name in the C declaration.
        parameter: &'static str,
    },
    /// A text input is not valid UTF-8.
    #[error("{what} is not valid UTF-8 (valid up to byte {valid_up_to})")]
    InvalidUtf8 {
        /// What the input is: `request`, `registry`, `policies_dir`, …
        what: &'static str,
        /// The length of the valid prefix, in bytes.
        valid_up_to: usize,
    },
    /// A JSON input does not parse as JSON.
    #[error("{message}")]
    InvalidJson {
        /// What the input is: `request`, `batch`, `registry` or `options`.
        what: &'static str,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A usage request is JSON but not in the wire format, or over a limit
    /// of the request format.
    #[error(transparent)]
    Request(RequestError),
    /// A batch is JSON but not an array of requests.
    #[error("invalid batch: {message}")]
    InvalidBatch {
        /// What is wrong.
        message: String,
    },
    /// One request of a batch is wrong; the whole batch is refused and
    /// nothing is decided.
    #[error("request at index {index} of the batch")]
    InBatch {
        /// The 0-based position of the request in the batch.
        index: usize,
        /// What is wrong with it.
        #[source]
        source: Box<WireError>,
    },
    /// The policies or the registry cannot be loaded.
    #[error(transparent)]
    Load(LoadError),
    /// An input is over a documented limit before it could be parsed.
    #[error("{what} is {size}, over the limit of {max}")]
    Limit {
        /// What is measured.
        what: &'static str,
        /// The value found.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A file could not be read.
    #[error("cannot read `{}`", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The library panicked; the call was abandoned.
    #[error("govshare panicked: {message}")]
    Panic {
        /// The panic message, when it was a string.
        message: String,
    },
    /// An internal error that should not happen.
    #[error("internal error: {message}")]
    Internal {
        /// What happened.
        message: String,
    },
}

impl WireError {
    /// For an error in one request of a batch, its 0-based index.
    pub fn batch_index(&self) -> Option<usize> {
        match self {
            WireError::InBatch { index, .. } => Some(*index),
            _ => None,
        }
    }
}

impl From<LoadError> for WireError {
    fn from(e: LoadError) -> Self {
        WireError::Load(e)
    }
}

impl From<RequestError> for WireError {
    fn from(e: RequestError) -> Self {
        WireError::Request(e)
    }
}
