//! Tests of the public API: policy loading, failing closed, the optional
//! policies, and the sharing lifecycle.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod calendar;
mod common;
mod conditions;
mod contractors;
mod durability;
mod engine;
mod hostile;
mod lifecycle;
mod tamper;
mod time;
