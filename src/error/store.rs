//! The registry journal and the usage record cannot be opened, read or
//! written.

use std::path::PathBuf;

use serde::Serialize;

use super::TransitionError;

/// A journal that cannot be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// A file operation failed.
    #[error("journal `{}`", .path.display())]
    Io {
        /// The journal.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the journal open for writing.
    #[error("journal `{}` is open for writing by another process", .path.display())]
    Locked {
        /// The journal.
        path: PathBuf,
    },
    /// A complete line is damaged.
    #[error("journal `{}` line {line}: {message}", .path.display())]
    Corrupt {
        /// The journal.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The journal was written over another base registry.
    #[error("journal `{}` applies to base registry {journal}, not {base}", .path.display())]
    OtherBase {
        /// The journal.
        path: PathBuf,
        /// The digest the journal records.
        journal: String,
        /// The digest of the registry given.
        base: String,
    },
    /// A recorded transition does not apply on replay.
    #[error("journal line {line}: a recorded transition does not apply")]
    Replay {
        /// The 1-based line number.
        line: usize,
        /// Why it does not apply.
        #[source]
        source: TransitionError,
    },
    /// A new transition was refused; nothing was written.
    #[error(transparent)]
    Transition(#[from] TransitionError),
}

/// A usage record that cannot be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// A file operation failed.
    #[error("record log `{}`", .path.display())]
    Io {
        /// The log.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the log open for writing.
    #[error("record log `{}` is open for writing by another process", .path.display())]
    Locked {
        /// The log.
        path: PathBuf,
    },
    /// The chain is broken: the log was altered.
    #[error("record log `{}`: {broken}", .path.display())]
    Broken {
        /// The log.
        path: PathBuf,
        /// Where and how.
        broken: Break,
    },
    /// An entry cannot be serialized.
    #[error("record log: cannot serialize the entry")]
    Serialize(#[source] serde_json::Error),
    /// A prune would remove records still within their retention period.
    #[error(
        "records younger than {years} years cannot be pruned: cutoff {cutoff} is after {limit}"
    )]
    Retention {
        /// The retention period in years.
        years: u32,
        /// The cutoff asked for.
        cutoff: String,
        /// The latest cutoff allowed.
        limit: String,
    },
}

/// Where a hash chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct Break {
    /// The 1-based line number of the first entry whose chain breaks.
    pub line: usize,
    /// What is wrong there.
    pub problem: String,
}
