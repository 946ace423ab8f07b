//! Status codes and the error of the JSON layer.

use std::ffi::CStr;
use std::path::PathBuf;

use crate::error::{LoadError, RequestError};
use crate::lifecycle::calendar::CalendarError;

/// The result of a `govshare_*` call.
///
/// **Any status other than `GOVSHARE_STATUS_OK` must be treated as deny.**
///
/// The numbers are a public contract: a number is never changed or reused,
/// and new statuses are only appended. A host should treat a number it does
/// not know as an error (and so as deny).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// Success: the `*_out` parameters were written.
    Ok = 0,
    /// A required pointer parameter was NULL.
    NullParameter = 1,
    /// A text input (JSON or a path) is not valid UTF-8.
    InvalidUtf8 = 2,
    /// A JSON input does not parse as JSON (syntax error, truncated input,
    /// trailing characters).
    InvalidJson = 3,
    /// A usage request, or a batch of them, is JSON but not in the wire
    /// format (unknown, duplicate or missing key, wrong type, bad id or
    /// timestamp, `access` without `method`, …). A malformed request is never
    /// decided.
    InvalidRequest = 4,
    /// The policies or the registry cannot be loaded: a policy that does not
    /// parse or is refused, a registry that is not in the wire format, a
    /// duplicate id, a bad working-day calendar.
    LoadFailed = 5,
    /// An input is over a documented limit (size in bytes, JSON nesting
    /// depth, number of items or of batch requests).
    LimitExceeded = 6,
    /// The library panicked (a bug). The call was abandoned; its message is
    /// reported in `error_out`.
    Panic = 7,
    /// A file or folder could not be read (missing, permissions).
    Io = 8,
    /// An internal error that should not happen, such as a decision that
    /// could not be serialized (a bug).
    Internal = 9,
}

/// Every status, in number order.
const ALL: [Status; 10] = [
    Status::Ok,
    Status::NullParameter,
    Status::InvalidUtf8,
    Status::InvalidJson,
    Status::InvalidRequest,
    Status::LoadFailed,
    Status::LimitExceeded,
    Status::Panic,
    Status::Io,
    Status::Internal,
];

impl Status {
    /// Every status, in number order.
    pub fn all() -> impl Iterator<Item = Status> {
        ALL.into_iter()
    }

    /// The number of the status, as C sees it.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The status with this number, if there is one.
    pub fn from_code(code: u32) -> Option<Status> {
        ALL.into_iter().find(|s| s.code() == code)
    }

    /// The name, such as `INVALID_REQUEST` (the C enumerator without its
    /// `GOVSHARE_STATUS_` prefix).
    pub fn name(self) -> &'static str {
        self.name_c().to_str().unwrap_or("UNKNOWN")
    }

    /// A sentence saying what the status means.
    pub fn message(self) -> &'static str {
        self.message_c().to_str().unwrap_or("unknown status")
    }

    /// [`Status::name`] as a C string.
    pub fn name_c(self) -> &'static CStr {
        match self {
            Status::Ok => c"OK",
            Status::NullParameter => c"NULL_PARAMETER",
            Status::InvalidUtf8 => c"INVALID_UTF8",
            Status::InvalidJson => c"INVALID_JSON",
            Status::InvalidRequest => c"INVALID_REQUEST",
            Status::LoadFailed => c"LOAD_FAILED",
            Status::LimitExceeded => c"LIMIT_EXCEEDED",
            Status::Panic => c"PANIC",
            Status::Io => c"IO",
            Status::Internal => c"INTERNAL",
        }
    }

    /// [`Status::message`] as a C string.
    pub fn message_c(self) -> &'static CStr {
        match self {
            Status::Ok => c"success",
            Status::NullParameter => c"a required pointer parameter is NULL",
            Status::InvalidUtf8 => c"a text input is not valid UTF-8",
            Status::InvalidJson => c"a JSON input does not parse as JSON",
            Status::InvalidRequest => c"a usage request is not in the wire format",
            Status::LoadFailed => c"the policies or the registry cannot be loaded",
            Status::LimitExceeded => c"an input is over a documented limit",
            Status::Panic => c"the library panicked (a bug); the call was abandoned",
            Status::Io => c"a file or folder cannot be read",
            Status::Internal => c"an internal error (a bug)",
        }
    }
}

/// What went wrong in a call of the JSON layer or of the C ABI.
///
/// Each variant maps to one [`Status`] through [`FfiError::status`], the
/// only place where errors meet status numbers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FfiError {
    /// A required pointer parameter was NULL.
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
        /// What the input is: `request`, `batch` or `registry`.
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
    #[error("request at index {index} of the batch: {source}")]
    InBatch {
        /// The 0-based position of the request in the batch.
        index: usize,
        /// What is wrong with it.
        source: Box<FfiError>,
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
    #[error("cannot read `{}`: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
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

impl FfiError {
    /// The status this error is reported with. This is the one place where
    /// errors are mapped to status numbers.
    pub fn status(&self) -> Status {
        match self {
            FfiError::NullParameter { .. } => Status::NullParameter,
            FfiError::InvalidUtf8 { .. } => Status::InvalidUtf8,
            FfiError::InvalidJson { .. } => Status::InvalidJson,
            FfiError::Request(RequestError::Limit { .. }) => Status::LimitExceeded,
            FfiError::Request(_) | FfiError::InvalidBatch { .. } => Status::InvalidRequest,
            FfiError::InBatch { source, .. } => source.status(),
            FfiError::Load(LoadError::Io { .. })
            | FfiError::Load(LoadError::Calendar(CalendarError::Io { .. })) => Status::Io,
            FfiError::Load(LoadError::TooLarge { .. }) => Status::LimitExceeded,
            FfiError::Load(_) => Status::LoadFailed,
            FfiError::Limit { .. } => Status::LimitExceeded,
            FfiError::Io { .. } => Status::Io,
            FfiError::Panic { .. } => Status::Panic,
            FfiError::Internal { .. } => Status::Internal,
        }
    }

    /// For an error in one request of a batch, its 0-based index.
    pub fn batch_index(&self) -> Option<usize> {
        match self {
            FfiError::InBatch { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// The error as the JSON object the C ABI hands out through
    /// `error_out`: `status` (the name), `code` (the number), `message`, and
    /// `index` for an error in one request of a batch.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::ffi::json::evaluate_batch_json;
    /// use govshare::{Engine, Registry};
    ///
    /// let engine = Engine::builder().build()?;
    /// let registry = Registry::from_json_str(r#"{"departments": [], "datasets": [], "grants": []}"#)?;
    /// let err = evaluate_batch_json(&engine, &registry, br#"[{"requester": "x"}]"#).unwrap_err();
    /// let json: serde_json::Value = serde_json::from_str(&err.to_json())?;
    /// assert_eq!(json["status"], "INVALID_REQUEST");
    /// assert_eq!(json["code"], 4);
    /// assert_eq!(json["index"], 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        let status = self.status();
        let mut object = serde_json::Map::new();
        object.insert("status".into(), status.name().into());
        object.insert("code".into(), status.code().into());
        object.insert("message".into(), self.to_string().into());
        if let Some(index) = self.batch_index() {
            object.insert("index".into(), index.into());
        }
        serde_json::Value::Object(object).to_string()
    }
}

impl From<LoadError> for FfiError {
    fn from(e: LoadError) -> Self {
        FfiError::Load(e)
    }
}

impl From<RequestError> for FfiError {
    fn from(e: RequestError) -> Self {
        FfiError::Request(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_contract() {
        let numbers: Vec<(u32, &str)> = Status::all().map(|s| (s.code(), s.name())).collect();
        assert_eq!(
            numbers,
            [
                (0, "OK"),
                (1, "NULL_PARAMETER"),
                (2, "INVALID_UTF8"),
                (3, "INVALID_JSON"),
                (4, "INVALID_REQUEST"),
                (5, "LOAD_FAILED"),
                (6, "LIMIT_EXCEEDED"),
                (7, "PANIC"),
                (8, "IO"),
                (9, "INTERNAL"),
            ]
        );
        for s in Status::all() {
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert!(!s.message().is_empty());
        }
        assert_eq!(Status::from_code(10), None);
    }

    #[test]
    fn batch_errors_keep_the_status_of_their_cause() {
        let e = FfiError::InBatch {
            index: 3,
            source: Box::new(FfiError::Limit {
                what: "request size in bytes",
                size: 10,
                max: 5,
            }),
        };
        assert_eq!(e.status(), Status::LimitExceeded);
        let json: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(json["index"], 3);
        assert_eq!(json["code"], 6);
        assert_eq!(json["status"], "LIMIT_EXCEEDED");
        assert!(json["message"].as_str().unwrap().contains("index 3"));
    }
}
