//! A usage request that is malformed.

/// A usage request that is malformed. A malformed request is never decided.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The request is JSON that does not fit the wire format (unknown or
    /// duplicate key, wrong type, missing key, bad id or timestamp), or is
    /// not JSON at all.
    #[error("invalid request{}", at_location(.location))]
    Json {
        /// The path of the offending value, such as `items[2]`, when it is
        /// not the document itself.
        location: Option<String>,
        /// The parser's error, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// The request is not a JSON object.
    #[error("invalid request: a request must be a JSON object")]
    NotAnObject,
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

impl RequestError {
    /// Whether the text was not JSON at all (a syntax error or a truncated
    /// document), as opposed to JSON that is not a request.
    pub fn is_syntax(&self) -> bool {
        matches!(self, RequestError::Json { source, .. } if source.is_syntax() || source.is_eof())
    }
}

fn at_location(location: &Option<String>) -> String {
    location
        .as_ref()
        .map(|l| format!(": `{l}`"))
        .unwrap_or_default()
}
