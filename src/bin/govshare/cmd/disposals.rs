//! `govshare disposals`: disposals due and overdue at a time.

use std::path::Path;

use govshare::lifecycle::overdue_disposals;

use crate::args::Format;
use crate::io::{calendar, emit, journaled, print_json, time_arg};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    journal: Option<&Path>,
    at: &str,
    calendar_dir: Option<&Path>,
    format: Format,
) -> Result<Exit, CliError> {
    let calendar = calendar(calendar_dir)?;
    let registry = journaled(registry, journal)?;
    let at = time_arg("at", at)?;
    let entries = overdue_disposals(&registry, &at, &calendar);
    match format {
        Format::Json => print_json(&entries),
        Format::Text => {
            for e in &entries {
                emit!("{e}");
            }
            let overdue = entries.iter().filter(|e| e.overdue == Some(true)).count();
            emit!("{} disposals owed, {overdue} overdue", entries.len());
        }
    }
    Ok(Exit::Done)
}
