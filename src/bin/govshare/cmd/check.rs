//! `govshare check`: a registry against the Regulation.

use std::path::Path;

use govshare::lifecycle::validate;

use crate::args::Format;
use crate::io::{emit, journaled, print_json};
use crate::{CliError, Exit};

pub fn run(registry: &Path, journal: Option<&Path>, format: Format) -> Result<Exit, CliError> {
    let registry = journaled(registry, journal)?;
    let findings = validate(&registry);
    let errors = findings.iter().filter(|f| f.is_error()).count();
    match format {
        Format::Json => print_json(&findings),
        Format::Text => {
            for f in &findings {
                emit!("{f}");
            }
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
