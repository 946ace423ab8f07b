//! `govshare apply`: one lifecycle transition, journaled before it returns.

use std::path::Path;

use govshare::lifecycle::Transition;

use crate::io::{emit, open_durable, read_json, registry_arg};
use crate::{CliError, Exit};

pub fn run(registry: &Path, journal: &Path, transition: &Path) -> Result<Exit, CliError> {
    let base = registry_arg(registry)?;
    let t: Transition = read_json(transition, "transition")?;
    let durable = open_durable(journal, base)?;
    durable.apply(&t).map_err(|e| CliError::journal(&e))?;
    emit!(
        "applied {} to {}; recorded in {}",
        t.change.kind(),
        t.change.subject(),
        journal.display()
    );
    Ok(Exit::Done)
}
