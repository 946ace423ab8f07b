//! The sharing lifecycle around a decision: the PRC working-day calendar,
//! purpose end and disposal.

pub mod application;
pub mod calendar;
pub mod catalog;
pub mod collection;
pub mod disposal;
pub mod transition;
