//! The sharing lifecycle around a decision: the PRC working-day calendar,
//! purpose end and disposal.

pub mod calendar;
pub mod disposal;
