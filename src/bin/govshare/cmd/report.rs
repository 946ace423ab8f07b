//! `govshare report`: the self-check report (合规体检报告), as one
//! self-contained HTML file or as JSON.

use std::path::{Path, PathBuf};

use govshare::lifecycle::Application;
use govshare::report::{Report, ReportInputs, Sources, record_status};

use govshare::limits::MAX_REGISTRY_BYTES;

use crate::args::ReportFormat;
use crate::io::{calendar, journaled, read_input, time_arg};
use crate::progress::Bars;
use crate::{CliError, Exit};

/// The command's inputs.
pub struct Inputs<'a> {
    pub registry: &'a Path,
    pub journal: Option<&'a Path>,
    pub record: Option<&'a Path>,
    pub applications: Option<&'a Path>,
    pub at: &'a str,
    pub out: &'a Path,
    pub calendar: Option<&'a Path>,
    pub format: ReportFormat,
}

pub fn run(i: &Inputs<'_>) -> Result<Exit, CliError> {
    let at = time_arg("at", i.at)?;
    let calendar = calendar(i.calendar)?;
    let registry = journaled(i.registry, i.journal)?;
    let applications = match i.applications {
        Some(path) => read_applications(path)?,
        None => Vec::new(),
    };
    let record = i.record.map(|path| {
        let mut bars = Bars::stderr();
        let status = record_status(path, &mut |p| bars.update(p));
        bars.clear();
        status
    });
    let sources = Sources {
        registry: i.registry.display().to_string(),
        journal: i.journal.map(|j| j.display().to_string()),
        applications: i.applications.map(|a| a.display().to_string()),
    };
    let inputs = ReportInputs {
        sources,
        applications: &applications,
        record,
    };
    let report = Report::build(&registry, &calendar, at, inputs);
    let text = match i.format {
        ReportFormat::Html => report.to_html(),
        ReportFormat::Json => report.to_json(),
    };
    if i.out == Path::new("-") {
        crate::io::emit!("{}", text.trim_end());
    } else {
        super::import::write_whole(i.out, &text)?;
        eprintln!(
            "govshare: report of {} catalog entries, {} errors, {} warnings written to {}",
            report.summary.datasets,
            report.summary.errors,
            report.summary.warnings,
            i.out.display()
        );
    }
    Ok(Exit::Done)
}

/// Applications from a JSON file (one application or an array of them) or
/// from the `*.json` files of a folder, in file-name order.
fn read_applications(path: &Path) -> Result<Vec<Application>, CliError> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| CliError::input_in(path.display(), &e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_owned()]
    };
    let mut out = Vec::new();
    for file in files {
        // A file may hold many applications: a registry's bound, not one
        // document's.
        let text = read_input(&file, MAX_REGISTRY_BYTES)?;
        let invalid = |e: serde_json::Error| {
            CliError::Input(format!("{}: invalid application: {e}", file.display()))
        };
        if text.trim_start().starts_with('[') {
            out.extend(serde_json::from_str::<Vec<Application>>(&text).map_err(invalid)?);
        } else {
            out.push(serde_json::from_str::<Application>(&text).map_err(invalid)?);
        }
    }
    Ok(out)
}
