//! Running the `govshare` binary from a test: its output and the text of
//! its standard output and standard error.

#![allow(dead_code, clippy::unwrap_used)]

use std::process::{Command, Output};

/// Runs `govshare` with `args` and waits for it.
pub fn govshare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govshare"))
        .args(args)
        .output()
        .unwrap()
}

/// Its standard output, which must be UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Its standard error, which must be UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
