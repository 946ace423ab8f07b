//! `govshare apply`: one lifecycle transition, committed to the store's
//! journal before it is acknowledged.

use std::path::Path;

use govshare::lifecycle::Transition;
use govshare::limits::MAX_DOCUMENT_BYTES;

use crate::io::{emit, open_durable, read_input, registry_arg};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    journal: &Path,
    transition: &Path,
    key: Option<&Path>,
) -> Result<Exit, CliError> {
    let base = registry_arg(registry)?;
    let text = read_input(transition, MAX_DOCUMENT_BYTES)?;
    let mut t: Transition = serde_json::from_str(&text).map_err(|e| {
        CliError::Input(format!("{}: invalid transition: {e}", transition.display()))
    })?;
    // The store stamps the time it records the change; a time given here
    // is not the caller's to set.
    t.recorded_at = None;
    // The same transition applied twice is one change: without a key of
    // its own, the digest of its content names it.
    if t.idempotency_key.is_none() {
        let canonical = serde_json::to_vec(&t).map_err(|e| CliError::input(&e))?;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(&canonical);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        t.idempotency_key = Some(format!("sha256:{hex}"));
    }
    let durable = open_durable(journal, base, key)?;
    let applied = durable.apply(&t).map_err(|e| CliError::journal(&e))?;
    let key = t.idempotency_key.as_deref().unwrap_or_default();
    if applied.retried {
        emit!(
            "already recorded: {} of {} is change {} in {} (idempotency key `{key}`); nothing new was written",
            t.change.kind(),
            t.change.subject(),
            applied.seq,
            journal.display()
        );
    } else {
        emit!(
            "applied {} to {}; recorded as change {} in {} (idempotency key `{key}`)",
            t.change.kind(),
            t.change.subject(),
            applied.seq,
            journal.display()
        );
    }
    Ok(Exit::Done)
}
