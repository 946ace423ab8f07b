//! `govshare`: decide usage requests, check a registry, run the lifecycle
//! and inspect the usage record from the command line.
//!
//! Exit codes, decided here and nowhere else: 0 for any decision (allow or
//! deny — read the output) and for a clean check; 1 when `check`,
//! `application`, `reply` or `record verify` finds a problem; 2 for a
//! malformed request, registry or command line (a file given as a store
//! that is not one included), or a refused transition (who may make it,
//! when, or the grant's state); 3 when the policies or the calendar cannot
//! be loaded; 4 when a store (the journal, the usage record) fails: its
//! lock is held, the disk is full, a write or fsync fails, or its content
//! does not verify or replay.

mod args;
mod cmd;
mod io;
mod progress;

use std::process::ExitCode;

use clap::Parser as _;
use govshare::{JournalError, RecordError, StoreError};

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
    /// A store or I/O failure: exit 4.
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

    /// A store error: a file that is not a store is bad input (2); a
    /// lock, a full disk, an I/O failure or damage is a store failure (4).
    pub fn store(e: &StoreError) -> Self {
        let report = govshare::error_report(e);
        match e {
            StoreError::NotAStore { .. }
            | StoreError::WrongKey { .. }
            | StoreError::NotEmpty { .. } => CliError::Input(report),
            _ => CliError::Store(report),
        }
    }

    /// A journal error: the store's failures as [`CliError::store`]; a
    /// refused transition (who may make it, when, or the grant's state), a
    /// conflicting or bad idempotency key, a registry that is not the
    /// journal's base, or a bad file to import is input (2); a journal
    /// that cannot be replayed or kept moving is a store failure (4).
    pub fn journal(e: &JournalError) -> Self {
        match e {
            JournalError::Store(s) => Self::store_in(s, e),
            JournalError::Transition(_)
            | JournalError::KeyConflict { .. }
            | JournalError::BadKey { .. }
            | JournalError::OtherBase { .. }
            | JournalError::Corrupt { .. }
            | JournalError::Io { .. } => CliError::input(e),
            _ => CliError::Store(govshare::error_report(e)),
        }
    }

    /// A journal error while replaying the journal at `origin`: as
    /// [`CliError::journal`], naming the store when the error does not.
    pub fn journal_in(origin: impl std::fmt::Display, e: &JournalError) -> Self {
        match (Self::journal(e), e) {
            (CliError::Store(m), JournalError::Replay { .. } | JournalError::Contended { .. }) => {
                CliError::Store(format!("{origin}: {m}"))
            }
            (other, _) => other,
        }
    }

    /// A record error: the store's failures as [`CliError::store`]; a
    /// refused prune or a bad file to import is input.
    pub fn record(e: &RecordError) -> Self {
        match e {
            RecordError::Store(s) => Self::store_in(s, e),
            _ => CliError::input(e),
        }
    }

    fn store_in(s: &StoreError, outer: &dyn std::error::Error) -> Self {
        match Self::store(s) {
            CliError::Input(_) => CliError::input(outer),
            _ => CliError::Store(govshare::error_report(outer)),
        }
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
