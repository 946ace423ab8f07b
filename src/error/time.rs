//! Instants that cannot be accepted.

/// A timestamp that is not RFC 3339 with an offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not an RFC 3339 timestamp with an offset ({reason})")]
pub struct InstantError {
    value: String,
    reason: String,
}

impl InstantError {
    pub(crate) fn new(value: &str, reason: impl std::fmt::Display) -> Self {
        Self {
            value: value.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// The text that was refused.
    pub fn value(&self) -> &str {
        &self.value
    }
}
