//! A host's failure to produce a fact.

/// A host's failure to produce a fact (a database down, a timeout). The
/// engine turns it into a deny that says so.
///
/// It keeps the host's own error: [`FactError::get_ref`] and
/// [`FactError::into_inner`] give it back, and it is the `source` a
/// reporter walks.
///
/// # Example
///
/// ```
/// use govshare::FactError;
///
/// let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "database timed out");
/// let err = FactError::new(io);
/// assert_eq!(err.to_string(), "database timed out");
/// assert!(err.get_ref().downcast_ref::<std::io::Error>().is_some());
/// let text = FactError::new("replica not loaded");
/// assert_eq!(text.to_string(), "replica not loaded");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct FactError {
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl FactError {
    /// A fact error wrapping the host's error, or a message (`&str` and
    /// `String` convert).
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self {
            source: source.into(),
        }
    }

    /// The host's error.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// The host's error, consuming this one.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self.source
    }
}
