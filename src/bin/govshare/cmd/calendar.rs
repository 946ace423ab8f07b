//! `govshare calendar`: a year file from the State Council's holiday
//! notice or the holiday-cn data set, a loaded year shown, and whether the
//! loaded years reach far enough.

use std::path::Path;

use chrono::{Datelike as _, NaiveDate, Weekday};
use govshare::limits::MAX_POLICY_FILE_BYTES;
use govshare::time::{Clock as _, SystemClock, china_date};
use govshare::{Notice, YearFile};

use crate::args::{CalendarCommand, CalendarFormat, Format};
use crate::io::{calendar, emit, print_json, read_input, time_arg};
use crate::{CliError, Exit};

pub fn run(command: CalendarCommand) -> Result<Exit, CliError> {
    match command {
        CalendarCommand::FromNotice { notice, year, out } => from_notice(&notice, year, &out),
        CalendarCommand::Import {
            from: CalendarFormat::HolidayCn,
            file,
            out,
        } => {
            let json = read_input(&file, MAX_POLICY_FILE_BYTES)?;
            let year_file = YearFile::from_holiday_cn(&json, &file.display().to_string())
                .map_err(|e| CliError::input(&e))?;
            write(&year_file, &out, &file)
        }
        CalendarCommand::Show {
            year,
            calendar: dir,
            format,
        } => {
            let file = calendar(dir.as_deref())?
                .year_file(year)
                .map_err(|e| CliError::input(&e))?;
            show(&file, format);
            Ok(Exit::Done)
        }
        CalendarCommand::Check {
            calendar: dir,
            at,
            format,
        } => {
            let at = match at {
                Some(at) => time_arg("at", &at)?,
                None => SystemClock.now(),
            };
            let reach = calendar(dir.as_deref())?.reach(china_date(&at));
            match format {
                Format::Json => print_json(&reach),
                Format::Text => emit!("{reach}"),
            }
            Ok(if reach.ends_soon {
                Exit::Findings
            } else {
                Exit::Done
            })
        }
    }
}

fn from_notice(path: &Path, year: i32, out: &Path) -> Result<Exit, CliError> {
    let text = read_input(path, MAX_POLICY_FILE_BYTES)?;
    let notice =
        Notice::parse(&text, year, &path.display().to_string()).map_err(|e| CliError::input(&e))?;
    for day in &notice.outside_year {
        eprintln!(
            "govshare: note: {day} ({}) is a day off the notice gives in {}; a weekend day \
             there, it is left out of the {year} file and is not a working day in the {} \
             calendar either",
            weekday_zh(day.weekday()),
            day.year(),
            day.year()
        );
    }
    write(&notice.year_file, out, path)
}

/// Writes the year file, and says on standard error what was written.
fn write(file: &YearFile, out: &Path, from: &Path) -> Result<Exit, CliError> {
    let json = file.to_json();
    if out == Path::new("-") {
        emit!("{}", json.trim_end());
        return Ok(Exit::Done);
    }
    super::import::write_whole(out, &json)?;
    eprintln!(
        "govshare: {} holidays and {} make-up workdays of {} from {} written to {}",
        file.holidays.len(),
        file.make_up_workdays.len(),
        file.year,
        from.display(),
        out.display()
    );
    let expected = format!("cn-{}.json", file.year);
    if out.file_name().is_none_or(|name| *name != *expected) {
        eprintln!(
            "govshare: note: `--calendar DIR` and `calendar_dir` load only files named {expected}"
        );
    }
    Ok(Exit::Done)
}

fn weekday_zh(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

/// `2026-01-01 周四`.
fn day(date: NaiveDate) -> String {
    format!("{date} {}", weekday_zh(date.weekday()))
}

fn show(file: &YearFile, format: Format) {
    match format {
        Format::Json => print_json(file),
        Format::Text => {
            emit!("{} {}", file.year, file.source);
            emit!("放假 holidays:");
            for h in &file.holidays {
                let days = (h.to - h.from).num_days() + 1;
                let en =
                    h.en.as_deref()
                        .map(|en| format!(" {en}"))
                        .unwrap_or_default();
                emit!(
                    "  {}{en}: {} – {}, {days}天 days",
                    h.name,
                    day(h.from),
                    day(h.to)
                );
            }
            emit!("调休上班 make-up workdays:");
            if file.make_up_workdays.is_empty() {
                emit!("  none");
            }
            for m in &file.make_up_workdays {
                emit!("  {} for {}", day(m.date), m.for_holiday);
            }
        }
    }
}
