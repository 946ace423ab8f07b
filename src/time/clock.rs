//! Clocks: where the library reads the time when it must — the instant a
//! store records a change, and the live-use guard of an engine. The rules
//! never read a clock: a decision is judged at the request's `at`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, FixedOffset, Utc};

use super::china_offset;

/// A source of the current time.
///
/// [`SystemClock`] reads the system clock; [`ManualClock`] is set by hand,
/// for tests and for a host that keeps its own trusted time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The system clock, read in China Standard Time.
///
/// # Example
///
/// ```
/// use govshare::time::{Clock, SystemClock};
///
/// let now = SystemClock.now();
/// assert_eq!(now.offset().local_minus_utc(), 8 * 60 * 60);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Utc::now().with_timezone(&china_offset())
    }
}

/// A clock that shows the time it was set to until it is set again. Clones
/// share one time, so a test can hand a clone to a store or an engine and
/// move the time from outside.
///
/// # Example
///
/// ```
/// use govshare::time::{Clock, ManualClock, parse_rfc3339};
///
/// let clock = ManualClock::new(parse_rfc3339("2026-03-03T09:00:00+08:00")?);
/// let shared = clock.clone();
/// clock.set(parse_rfc3339("2026-03-20T09:00:00+08:00")?);
/// assert_eq!(shared.now(), parse_rfc3339("2026-03-20T09:00:00+08:00")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<FixedOffset>>>);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: DateTime<FixedOffset>) -> Self {
        Self(Arc::new(Mutex::new(now)))
    }

    /// Sets the time every clone shows.
    pub fn set(&self, now: DateTime<FixedOffset>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
