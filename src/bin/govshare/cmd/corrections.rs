//! `govshare corrections`: suspensions past their deadline to correct.

use std::path::Path;

use govshare::lifecycle::overdue_corrections;
use govshare::time::{Clock as _, SystemClock};

use crate::args::Format;
use crate::io::{emit, journaled, print_json, time_arg};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    journal: Option<&Path>,
    at: Option<&str>,
    format: Format,
) -> Result<Exit, CliError> {
    let at = match at {
        Some(at) => time_arg("at", at)?,
        None => SystemClock.now(),
    };
    let registry = journaled(registry, journal)?;
    let entries = overdue_corrections(&registry, &at);
    match format {
        Format::Json => print_json(&entries),
        Format::Text => {
            for e in &entries {
                emit!("{e}");
            }
            emit!(
                "{} suspensions past their deadline to correct",
                entries.len()
            );
        }
    }
    Ok(Exit::Done)
}
