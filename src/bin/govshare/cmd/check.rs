//! `govshare check`: a registry against the Regulation, and how much of it
//! the engine enforces by code.

use std::path::Path;

use govshare::CalendarReach;
use govshare::lifecycle::{Coverage, Finding, coverage, validate_at};
use govshare::time::{Clock as _, SystemClock, china_date};

use crate::args::Format;
use crate::io::{calendar, emit, journaled, print_json, time_arg};
use crate::{CliError, Exit};

/// The JSON output: the findings and the coverage report.
#[derive(serde::Serialize)]
struct Report<'a> {
    findings: &'a [Finding],
    coverage: &'a Coverage,
    calendar: &'a CalendarReach,
}

pub fn run(
    registry: &Path,
    journal: Option<&Path>,
    at: Option<&str>,
    calendar_dir: Option<&Path>,
    format: Format,
) -> Result<Exit, CliError> {
    let at = match at {
        Some(at) => time_arg("at", at)?,
        None => SystemClock.now(),
    };
    let reach = calendar(calendar_dir)?.reach(china_date(&at));
    let registry = journaled(registry, journal)?;
    let findings = validate_at(&registry, &at);
    let coverage = coverage(&registry);
    let errors = findings.iter().filter(|f| f.is_error()).count();
    match format {
        Format::Json => print_json(&Report {
            findings: &findings,
            coverage: &coverage,
            calendar: &reach,
        }),
        Format::Text => {
            for f in &findings {
                emit!("{f}");
            }
            // Judged at the same time as the findings; like every warning,
            // it does not change the exit code.
            if reach.ends_soon {
                emit!("{reach}");
            }
            emit!("{}", coverage.to_string().trim_end());
            emit!(
                "{errors} errors, {} warnings in {} departments, {} catalog entries, {} grants",
                findings.len() - errors,
                registry.departments().len(),
                registry.datasets().len(),
                registry.grants().len()
            );
        }
    }
    Ok(if errors > 0 {
        Exit::Findings
    } else {
        Exit::Done
    })
}
