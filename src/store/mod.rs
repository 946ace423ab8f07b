//! Durable state: the registry journal ([`FileJournal`] behind
//! [`JournalStore`], replayed by [`DurableRegistry`]) and the Art. 29 usage
//! record ([`RecordLog`], a [`crate::audit::RecordSink`]), each in a
//! JSON-lines file. The engine and the lifecycle functions never touch
//! files themselves; a host can keep the same records in its own database
//! by implementing the traits.

mod file;
mod journal;
mod record_log;

pub use file::TornTail;
pub use journal::{DurableRegistry, FileJournal, JournalStore, OpenReport, registry_digest};
pub use record_log::{RecordLog, VerifyReport};
