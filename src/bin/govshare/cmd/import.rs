//! `govshare import catalog`: a catalog spreadsheet into a registry.

use std::path::Path;

use govshare::RegionCode;
use govshare::import::{ImportOptions, IssueSeverity, Mapping, catalog, read_departments};

use govshare::limits::{MAX_DOCUMENT_BYTES, MAX_REGISTRY_BYTES};

use crate::args::{Format, ImportCommand};
use crate::io::{emit, print_json, read_input};
use crate::progress::Bars;
use crate::{CliError, Exit};

pub fn run(command: ImportCommand) -> Result<Exit, CliError> {
    let ImportCommand::Catalog {
        from,
        out,
        mapping,
        departments,
        level,
        region,
        default_grade,
        sheets,
        format,
    } = command;
    let mut options = ImportOptions::new();
    if let Some(path) = &mapping {
        let m = Mapping::from_json_str(&read_input(path, MAX_DOCUMENT_BYTES)?)
            .map_err(|e| CliError::input_in(path.display(), &e))?;
        options = options.mapping(m);
    }
    if let Some(path) = &departments {
        let d = read_departments(&read_input(path, MAX_REGISTRY_BYTES)?)
            .map_err(|e| CliError::input_in(path.display(), &e))?;
        options = options.departments(d);
    }
    if let Some(level) = level {
        options = options.default_level(level.into());
    }
    if let Some(region) = region {
        let region = RegionCode::new(region).map_err(|e| CliError::input_in("--region", &e))?;
        options = options.default_region(region);
    }
    if let Some(grade) = default_grade {
        options = options.default_grade(grade.into());
    }
    for sheet in sheets {
        options = options.sheet(sheet);
    }
    let mut bars = Bars::stderr();
    let import = catalog(&from, &options, &mut |p| bars.update(p));
    bars.clear();
    let import = import.map_err(|e| CliError::input(&e))?;
    write_whole(&out, &import.registry().to_json())?;
    let summary = import.summary();
    match format {
        Format::Json => print_json(&serde_json::json!({
            "out": out.display().to_string(),
            "summary": summary,
            "issues": import.issues(),
        })),
        Format::Text => {
            for issue in import.issues() {
                emit!("{issue}");
            }
            let count = |s| import.issues().iter().filter(|i| i.severity == s).count();
            emit!(
                "{}: {} rows read, {} imported, {} not imported; {} catalog entries with {} items, {} departments ({} providers not written) → {}",
                from.display(),
                summary.rows,
                summary.rows_imported,
                summary.rows_rejected,
                summary.datasets,
                summary.items,
                summary.departments,
                summary.departments_not_written,
                out.display()
            );
            emit!(
                "{} errors, {} warnings, {} notes; next: govshare check --registry {}",
                count(IssueSeverity::Error),
                count(IssueSeverity::Warning),
                count(IssueSeverity::Note),
                out.display()
            );
        }
    }
    Ok(if import.has_errors() {
        Exit::Findings
    } else {
        Exit::Done
    })
}

/// Writes a file whole: to a sibling first, then renamed over the target,
/// so a reader never sees half a registry.
pub fn write_whole(path: &Path, text: &str) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::input_in(path.display(), &e);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
