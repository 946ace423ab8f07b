//! `govshare record verify|query`: the Art. 29 usage record.

use govshare::audit::Query;
use govshare::store::RecordLog;
use govshare::{DatasetId, DepartmentId, GrantId};

use crate::args::{Format, RecordCommand};
use crate::io::{emit, print_json, report_torn, time_arg};
use crate::{CliError, Exit};

pub fn run(command: RecordCommand) -> Result<Exit, CliError> {
    match command {
        RecordCommand::Verify { file, format } => {
            let mut bars = crate::progress::Bars::stderr();
            let report = RecordLog::verify_with_progress(&file, &mut |p| bars.update(p));
            bars.clear();
            let report = report.map_err(|e| CliError::input(&e))?;
            match format {
                Format::Json => print_json(&report),
                Format::Text => {
                    report_torn(&file, report.torn.as_ref());
                    match &report.broken {
                        None => emit!(
                            "{}: {} entries, chain intact, head {}",
                            file.display(),
                            report.entries,
                            report.head
                        ),
                        Some(b) => emit!(
                            "{}: chain BROKEN at {b}; {} entries verified before it, last good head {}",
                            file.display(),
                            report.entries,
                            report.head
                        ),
                    }
                }
            }
            Ok(if report.broken.is_some() {
                Exit::Findings
            } else {
                Exit::Done
            })
        }
        RecordCommand::Query {
            file,
            grant,
            requester,
            dataset,
            from,
            until,
        } => {
            let q = Query {
                grant: grant
                    .map(GrantId::new)
                    .transpose()
                    .map_err(|e| CliError::input_in("--grant", &e))?,
                requester: requester
                    .map(DepartmentId::new)
                    .transpose()
                    .map_err(|e| CliError::input_in("--requester", &e))?,
                dataset: dataset
                    .map(DatasetId::new)
                    .transpose()
                    .map_err(|e| CliError::input_in("--dataset", &e))?,
                from: from.map(|f| time_arg("from", &f)).transpose()?,
                until: until.map(|u| time_arg("until", &u)).transpose()?,
            };
            for r in RecordLog::query(&file, &q).map_err(|e| CliError::input(&e))? {
                emit!("{}", serde_json::to_string(&r).unwrap_or_default());
            }
            Ok(Exit::Done)
        }
    }
}
