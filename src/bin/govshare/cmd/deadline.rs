//! `govshare deadline`: a reply or delivery deadline in PRC working days.

use std::path::Path;

use govshare::SharingClass;
use govshare::lifecycle::{delivery_deadline, reply_deadline};

use crate::args::Format;
use crate::io::{calendar, emit, print_json, time_arg};
use crate::{CliError, Exit};

pub fn run(
    received: &str,
    class: SharingClass,
    extension: u32,
    delivery: bool,
    calendar_dir: Option<&Path>,
    format: Format,
) -> Result<Exit, CliError> {
    let calendar = calendar(calendar_dir)?;
    let received = time_arg("received", received)?;
    let (what, days) = if delivery {
        if extension > 0 {
            return Err(CliError::Input(
                "--extension applies to reply deadlines only".into(),
            ));
        }
        (
            "delivery (Art. 22)",
            delivery_deadline(&calendar, &received).map_err(|e| CliError::input(&e))?,
        )
    } else {
        (
            "reply (Art. 21)",
            reply_deadline(&calendar, &received, class, extension)
                .map_err(|e| CliError::input(&e))?,
        )
    };
    match format {
        Format::Json => print_json(&days),
        Format::Text => {
            emit!(
                "{what}: {} working days after {} → due {} ({})",
                days.working_days,
                days.start,
                days.due,
                days.due.format("%A")
            );
            for day in &days.skipped {
                emit!("  skipped {} {}", day.date, day.kind);
            }
        }
    }
    Ok(Exit::Done)
}
