//! `govshare decide`: one usage request against a registry.

use std::path::Path;
use std::time::Duration;

use govshare::UsageRequest;
use govshare::limits::MAX_REQUEST_BYTES;
use govshare::store::RecordLog;

use crate::args::{Format, PolicyArgs};
use crate::io::{emit, journaled, read_input, report_torn};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    journal: Option<&Path>,
    record: Option<&Path>,
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
    if let Some(path) = record {
        let log = RecordLog::open(path).map_err(|e| CliError::store(&e))?;
        report_torn(path, log.torn());
        log.record_decision(&request_value, &decision)
            .map_err(|e| CliError::store(&e))?;
    }
    match format {
        Format::Json => emit!("{}", decision.to_json_pretty()),
        Format::Text => emit!("{decision}"),
    }
    Ok(Exit::Done)
}
