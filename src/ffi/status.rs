//! Status codes, and the one place where errors meet them.

use std::ffi::CStr;

use crate::error::{CalendarError, LoadError, RequestError, WireError, error_report};

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

impl WireError {
    /// The status this error is reported with. This is the one place where
    /// errors are mapped to status numbers.
    pub fn status(&self) -> Status {
        match self {
            WireError::NullParameter { .. } => Status::NullParameter,
            WireError::InvalidUtf8 { .. } => Status::InvalidUtf8,
            WireError::InvalidJson { .. } => Status::InvalidJson,
            WireError::Request(RequestError::Limit { .. }) => Status::LimitExceeded,
            WireError::Request(_) | WireError::InvalidBatch { .. } => Status::InvalidRequest,
            WireError::InBatch { source, .. } => source.status(),
            WireError::Load(LoadError::Io { .. })
            | WireError::Load(LoadError::Calendar(CalendarError::Io { .. })) => Status::Io,
            WireError::Load(
                LoadError::TooLarge { .. }
                | LoadError::TooDeep { .. }
                | LoadError::Calendar(CalendarError::TooLarge { .. }),
            ) => Status::LimitExceeded,
            WireError::Load(_) => Status::LoadFailed,
            WireError::Limit { .. } => Status::LimitExceeded,
            WireError::Io { .. } => Status::Io,
            WireError::Panic { .. } => Status::Panic,
            WireError::Internal { .. } => Status::Internal,
        }
    }

    /// The error as the JSON object the C ABI hands out through
    /// `error_out`: `status` (the name), `code` (the number), `message`, and
    /// `index` for an error in one request of a batch.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::wire::evaluate_batch_json;
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
        object.insert("message".into(), error_report(self).into());
        if let Some(index) = self.batch_index() {
            object.insert("index".into(), index.into());
        }
        serde_json::Value::Object(object).to_string()
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
        let e = WireError::InBatch {
            index: 3,
            source: Box::new(WireError::Limit {
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
