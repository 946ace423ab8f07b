//! The durable store (the registry journal and the usage record), its keys
//! and the files it imports and exports cannot be opened, read, written or
//! trusted.

use std::path::PathBuf;

use serde::Serialize;

use super::{BoxError, TransitionError};

/// One of the two logs a store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Log {
    /// The registry journal: lifecycle transitions.
    Journal,
    /// The Art. 29 usage record.
    Record,
}

impl Log {
    /// `journal` or `record`.
    pub fn as_str(self) -> &'static str {
        match self {
            Log::Journal => "journal",
            Log::Record => "record",
        }
    }
}

/// Where verification found damage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Place {
    /// The store's header: its identity, algorithms and key.
    Header,
    /// The record of applied schema migrations.
    Schema,
    /// The head a log keeps of its last entry.
    Head {
        /// Which log.
        log: Log,
    },
    /// An entry of a log, by its sequence number.
    Entry {
        /// Which log.
        log: Log,
        /// The entry's sequence number.
        seq: u64,
    },
    /// A signed checkpoint, by its number.
    Checkpoint {
        /// The checkpoint's number.
        id: u64,
    },
    /// A line of a JSON-lines file (an export or a legacy log).
    Line {
        /// The 1-based line number.
        line: usize,
    },
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Header => f.write_str("the store header"),
            Place::Schema => f.write_str("the schema record"),
            Place::Head { log } => write!(f, "the head of the {}", log.as_str()),
            Place::Entry {
                log: Log::Journal,
                seq,
            } => write!(f, "journal change {seq}"),
            Place::Entry {
                log: Log::Record,
                seq,
            } => write!(f, "record entry {seq}"),
            Place::Checkpoint { id } => write!(f, "checkpoint {id}"),
            Place::Line { line } => write!(f, "line {line}"),
        }
    }
}

/// Where a store, an export or a legacy log fails verification, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct Break {
    /// Where: the first place whose check fails.
    pub place: Place,
    /// What is wrong there.
    pub problem: String,
}

/// A store that cannot be opened, read, written or trusted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file is not a govshare store; it was not changed.
    #[error("`{}` is not a govshare store ({why}); it was left untouched", .path.display())]
    NotAStore {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        why: String,
    },
    /// Another writer held the store's write lock for longer than the
    /// wait allowed.
    #[error("store `{}` is locked by another writer", .path.display())]
    Locked {
        /// The store.
        path: PathBuf,
    },
    /// The disk (or the file size allowed) is full; the change was not made.
    #[error("store `{}`: no space left; the change was not made", .path.display())]
    Full {
        /// The store.
        path: PathBuf,
        /// The database's report.
        #[source]
        source: BoxError,
    },
    /// Reading or writing failed (an I/O or fsync error, a read-only file);
    /// a change that was being made was not made.
    #[error("store `{}`", .path.display())]
    Io {
        /// The store.
        path: PathBuf,
        /// The cause.
        #[source]
        source: BoxError,
    },
    /// The schema cannot be used or brought up to date.
    #[error("store `{}`: {why}", .path.display())]
    Schema {
        /// The store.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// The store's content fails verification: it was altered or damaged.
    #[error("store `{}` is damaged at {broken}", .path.display())]
    Broken {
        /// The store.
        path: PathBuf,
        /// Where and how.
        broken: Break,
    },
    /// A signed store is written only with its signing key, so that its
    /// checkpoints keep coming.
    #[error("store `{}` is signed: writing to it needs its signing key", .path.display())]
    KeyRequired {
        /// The store.
        path: PathBuf,
    },
    /// The signing key given is not the one the store was created with.
    #[error("the signing key given is not the key of store `{}`", .path.display())]
    WrongKey {
        /// The store.
        path: PathBuf,
    },
    /// The store was opened read-only.
    #[error("store `{}` was opened read-only", .path.display())]
    ReadOnly {
        /// The store.
        path: PathBuf,
    },
    /// A log already holds entries, so nothing can be imported into it.
    #[error("store `{}`: the {} already holds entries; import into a new store", .path.display(), .log.as_str())]
    NotEmpty {
        /// The store.
        path: PathBuf,
        /// The log.
        log: Log,
    },
}

/// A signing or public key that cannot be read, made or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key file cannot be read or written.
    #[error("key file `{}`", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The key is not a PKCS#8 (private) or SPKI (public) PEM key of a
    /// supported algorithm.
    #[error("{origin}: {why}")]
    Invalid {
        /// The file, or `<memory>`.
        origin: String,
        /// What is wrong.
        why: String,
    },
}

/// A journal that cannot be opened, read, written or imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A legacy JSON-lines journal cannot be read.
    #[error("journal `{}`", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A line of a legacy JSON-lines journal is damaged.
    #[error("journal `{}` line {line}: {message}", .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The journal was written over another base registry.
    #[error("journal `{}` applies to base registry {journal}, not {base}", .path.display())]
    OtherBase {
        /// The store or file.
        path: PathBuf,
        /// The digest the journal records.
        journal: String,
        /// The digest of the registry given.
        base: String,
    },
    /// A recorded transition does not apply on replay.
    #[error("journal change {seq}: a recorded transition does not apply")]
    Replay {
        /// The change's sequence number.
        seq: u64,
        /// Why it does not apply.
        #[source]
        source: TransitionError,
    },
    /// An idempotency key was used before for a different change.
    #[error(
        "idempotency key `{key}` was already used by journal change {seq} for a different change"
    )]
    KeyConflict {
        /// The key.
        key: String,
        /// The change recorded under it.
        seq: u64,
    },
    /// An idempotency key is empty or too long.
    #[error("idempotency key must be 1 to {max} bytes, not {len}")]
    BadKey {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Other writers kept appending, so the change could not be checked
    /// against the latest state; it was not made.
    #[error("the journal kept moving under {attempts} attempts; the change was not made")]
    Contended {
        /// Attempts made.
        attempts: u32,
    },
    /// A change cannot be written as JSON.
    #[error("journal: cannot serialize the change")]
    Serialize(#[source] serde_json::Error),
    /// A new transition was refused; nothing was written.
    #[error(transparent)]
    Transition(#[from] TransitionError),
}

/// A usage record that cannot be opened, read, written or imported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file (a legacy log, an export) cannot be read or written.
    #[error("record log `{}`", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A legacy JSON-lines record log does not verify; nothing was imported.
    #[error("record log `{}`: {broken}", .path.display())]
    Broken {
        /// The file.
        path: PathBuf,
        /// Where and how.
        broken: Break,
    },
    /// An entry cannot be serialized.
    #[error("record log: cannot serialize the entry")]
    Serialize(#[source] serde_json::Error),
    /// A prune would remove records still within their retention period.
    #[error(
        "records appended less than {years} years ago cannot be pruned: cutoff {cutoff} is after {limit}"
    )]
    Retention {
        /// The retention period in years.
        years: u32,
        /// The cutoff asked for.
        cutoff: String,
        /// The latest cutoff allowed by the store's clock.
        limit: String,
    },
    /// Pruning needs a signed store: a prune anchor is valid only when
    /// signed.
    #[error(
        "store `{}` has no signing key: a prune anchor is valid only when signed", .path.display()
    )]
    Unsigned {
        /// The store.
        path: PathBuf,
    },
}
