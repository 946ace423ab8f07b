//! The store's own clock: every usage record is stamped with the time it
//! was appended, and retention counts from that stamp, never from a time a
//! caller supplies.

use chrono::{DateTime, FixedOffset};

/// Where a store reads the time. [`SystemClock`] is the default; tests
/// (and hosts with a trusted time source) inject their own.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The time now.
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The operating system's clock, in China Standard Time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        chrono::Utc::now().with_timezone(&crate::time::china_offset())
    }
}
