//! `govshare apply`: one lifecycle transition, journaled before it returns.

use std::path::Path;

use govshare::lifecycle::Transition;

use crate::io::{emit, open_durable, read_json, registry_arg};
use crate::{CliError, Exit};

pub fn run(registry: &Path, journal: &Path, transition: &Path) -> Result<Exit, CliError> {
    let base = registry_arg(registry)?;
    let t: Transition = read_json(transition, "transition")?;
    let durable = open_durable(journal, base)?;
    durable.apply(&t).map_err(|e| CliError::input(&e))?;
    emit!(
        "applied {} to grant `{}`; recorded in {}",
        t.change.kind(),
        t.change.grant_id(),
        journal.display()
    );
    Ok(Exit::Done)
}
