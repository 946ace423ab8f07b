//! The clock guard for live use: a host that decides requests as they
//! happen sets a maximum skew, and a request whose `at` lies farther than
//! that from the engine's clock is denied (`GS-CLOCK-SKEW`). Without it the
//! engine judges whatever time the request names, which is what replaying
//! a past use needs.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, TimeDelta};

use super::explain;
use crate::decision::Reason;
use crate::time::Clock;

/// The maximum skew and the clock it is measured against.
#[derive(Debug, Clone)]
pub(crate) struct ClockGuard {
    pub max: std::time::Duration,
    pub clock: Arc<dyn Clock>,
}

impl ClockGuard {
    /// The deny reason when `at` lies farther than the maximum from the
    /// clock's time; `None` when it is within.
    pub fn check(&self, at: &DateTime<FixedOffset>) -> Option<Reason> {
        let now = self.clock.now();
        let skew = at.signed_duration_since(now).abs();
        let max = TimeDelta::from_std(self.max).unwrap_or(TimeDelta::MAX);
        (skew > max).then(|| explain::clock_skew(at, &now, self.max, skew))
    }
}
