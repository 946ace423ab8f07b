//! `govshare decide`: one usage request against a registry.

use std::path::Path;
use std::time::Duration;

use govshare::UsageRequest;
use govshare::limits::MAX_REQUEST_BYTES;

use crate::args::{Format, PolicyArgs};
use crate::io::{AnyStore, emit, journaled, read_input};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    journal: Option<&Path>,
    // The usage record's store, and the key that signs it.
    record: Option<(&Path, Option<&Path>)>,
    request: &Path,
    policy: &PolicyArgs,
    max_clock_skew: Option<Duration>,
    format: Format,
) -> Result<Exit, CliError> {
    let engine = policy.engine(max_clock_skew)?;
    let registry = journaled(registry, journal)?;
    let text = read_input(request, MAX_REQUEST_BYTES)?;
    let request_value =
        UsageRequest::from_json(&text).map_err(|e| CliError::input_in(request.display(), &e))?;
    let decision = engine.evaluate(&request_value, &registry);
    if let Some((path, key)) = record {
        // The decision is printed only once its record is committed.
        AnyStore::writable(path, key)?
            .record_decision(&request_value, &decision)
            .map_err(|e| CliError::record(&e))?;
    }
    match format {
        Format::Json => emit!("{}", decision.to_json_pretty()),
        Format::Text => emit!("{decision}"),
    }
    Ok(Exit::Done)
}
