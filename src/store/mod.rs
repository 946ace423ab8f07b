//! Durable state: the registry journal and the Art. 29 usage record, kept
//! in one SQLite file ([`Store`]) — WAL mode, `synchronous=FULL`, one
//! transaction per change, acknowledged only once committed — with both
//! logs hash-chained over their exact stored bytes and signed checkpoints
//! (SM2 with SM3, or Ed25519 with SHA-256).
//!
//! The traits stay the seam: [`JournalStore`] (replayed and appended by
//! [`DurableRegistry`]) and `govshare::audit::RecordSink`. A host can keep
//! the same logs in its own database by implementing them; the chain,
//! checkpoint and export formats do not depend on SQLite, so another
//! backend produces stores that verify alike.
//!
//! With the `postgres` feature, `PgStore` keeps the same logs, in the same
//! formats, in a PostgreSQL database shared by several instances, and each
//! instance decides on a `Replica`: an in-memory registry kept current from
//! the shared journal, with named versions and a staleness bound.
//!
//! JSON lines remain the format an auditor reads: [`Store::export`] writes
//! them and [`verify_export`] checks them; the journal and usage record of
//! govshare 0.2 import with [`Store::import_journal`] and
//! [`Store::import_records`], verified as they are read.

mod chain;
mod crypto;
mod export;
mod journal;
mod legacy;
#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;
mod verify;

pub use chain::{Checkpoint, CheckpointKind, Position, PrunedRange};
pub use crypto::{HashAlgorithm, PublicKey, SM2_DEFAULT_ID, SignatureAlgorithm, SigningKey};
pub use export::{verify_export, verify_export_reader};
pub use journal::{Append, Applied, DurableRegistry, JournalStore, Journaled, registry_digest};
#[cfg(feature = "postgres")]
pub use postgres::{Migrated, PgJournal, PgStore, Replica, ReplicaFacts, ReplicaOptions};
pub use sqlite::{Entry, Imported, Journal, Pruned, Store, StoreOptions};
pub use verify::{LogSummary, SignatureCheck, VerifyReport};
