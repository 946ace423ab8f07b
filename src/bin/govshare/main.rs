//! `govshare`: decide usage requests, check a registry, run the lifecycle
//! and inspect the usage record from the command line.
//!
//! Exit codes, decided here and nowhere else: 0 for any decision (allow or
//! deny — read the output) and for a clean check; 1 when `check`,
//! `application`, `reply` or `record verify` finds a problem; 2 for a
//! malformed request, registry or command line, or a refused transition;
//! 3 when the policies or the calendar cannot be loaded; 4 when a store (the
//! journal, the usage record) cannot be opened, read or written.

mod args;
mod cmd;
mod io;
mod progress;

use std::process::ExitCode;

use clap::Parser as _;

/// How a command that ran ends.
pub enum Exit {
    /// Exit 0.
    Done,
    /// Exit 1: the check found problems.
    Findings,
}

/// Why a command could not run.
pub enum CliError {
    /// Bad input: exit 2.
    Input(String),
    /// Policies or calendar cannot be loaded: exit 3.
    Deployment(String),
    /// A store cannot be opened, read or written: exit 4.
    Store(String),
}

impl CliError {
    /// Bad input, with every cause of the error.
    pub fn input(e: &dyn std::error::Error) -> Self {
        CliError::Input(govshare::error_report(e))
    }

    /// Bad input, naming where it came from.
    pub fn input_in(origin: impl std::fmt::Display, e: &dyn std::error::Error) -> Self {
        CliError::Input(format!("{origin}: {}", govshare::error_report(e)))
    }

    /// A deployment that cannot be loaded, with every cause of the error.
    pub fn deployment(e: &dyn std::error::Error) -> Self {
        CliError::Deployment(govshare::error_report(e))
    }

    /// A journal error: a refused transition is bad input (exit 2); a
    /// journal that cannot be opened, read, replayed or written is a store
    /// failure (exit 4).
    pub fn journal(e: &govshare::JournalError) -> Self {
        match e {
            govshare::JournalError::Transition(_) => CliError::input(e),
            _ => CliError::Store(govshare::error_report(e)),
        }
    }

    /// A store failure, with every cause of the error.
    pub fn store(e: &dyn std::error::Error) -> Self {
        CliError::Store(govshare::error_report(e))
    }
}

fn main() -> ExitCode {
    match cmd::run(args::Cli::parse()) {
        Ok(Exit::Done) => ExitCode::SUCCESS,
        Ok(Exit::Findings) => ExitCode::from(1),
        Err(CliError::Input(message)) => {
            eprintln!("govshare: error: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Deployment(message)) => {
            eprintln!("govshare: error: {message}");
            ExitCode::from(3)
        }
        Err(CliError::Store(message)) => {
            eprintln!("govshare: error: {message}");
            ExitCode::from(4)
        }
    }
}
