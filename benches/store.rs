//! Store benchmarks (written below).
fn main() {}
