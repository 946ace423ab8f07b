//! `govshare apply`: one lifecycle transition, committed to the store's
//! journal before it is acknowledged.

use std::path::Path;

use govshare::lifecycle::Transition;
use govshare::limits::MAX_DOCUMENT_BYTES;

use crate::io::{emit, keyed, open_durable, read_input, redacted, registry_arg};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    journal: &Path,
    transition: &Path,
    key: Option<&Path>,
) -> Result<Exit, CliError> {
    let base = registry_arg(registry)?;
    let text = read_input(transition, MAX_DOCUMENT_BYTES)?;
    let t: Transition = serde_json::from_str(&text).map_err(|e| {
        CliError::Input(format!("{}: invalid transition: {e}", transition.display()))
    })?;
    // The store stamps the time it records the change; the same transition
    // applied twice is one change.
    let t = keyed(t)?;
    let durable = open_durable(journal, base, key)?;
    let applied = durable.apply(&t).map_err(|e| CliError::journal(&e))?;
    let key = t.idempotency_key.as_deref().unwrap_or_default();
    if applied.retried {
        emit!(
            "already recorded: {} of {} is change {} in {} (idempotency key `{key}`); nothing new was written",
            t.change.kind(),
            t.change.subject(),
            applied.seq,
            redacted(journal)
        );
    } else {
        emit!(
            "applied {} to {}; recorded as change {} in {} (idempotency key `{key}`)",
            t.change.kind(),
            t.change.subject(),
            applied.seq,
            redacted(journal)
        );
    }
    Ok(Exit::Done)
}
