//! `govshare application`: an application checked for completeness.

use std::path::Path;

use govshare::lifecycle::{Application, check_application};

use crate::args::Format;
use crate::io::{emit, print_json, read_json, registry_arg};
use crate::{CliError, Exit};

pub fn run(registry: &Path, application: &Path, format: Format) -> Result<Exit, CliError> {
    let registry = registry_arg(registry)?;
    let app: Application = read_json(application, "application")?;
    let findings = check_application(&app, &registry);
    match format {
        Format::Json => print_json(&findings),
        Format::Text => {
            for f in &findings {
                emit!("{f}");
            }
            if findings.is_empty() {
                emit!("application `{}` is complete", app.id);
            } else {
                emit!(
                    "application `{}`: {} parts missing or invalid, to be supplemented at once (Art. 21)",
                    app.id,
                    findings.len()
                );
            }
        }
    }
    Ok(if findings.is_empty() {
        Exit::Done
    } else {
        Exit::Findings
    })
}
