//! Reading the command's inputs and writing its output.

use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use govshare::limits::MAX_DOCUMENT_BYTES;
use govshare::store::{DurableRegistry, FileJournal, TornTail};
use govshare::{Calendar, Registry, WireError};

use crate::CliError;

/// Prints a line to standard output. A reader that went away (a closed
/// pipe, as with `| head`) ends the output quietly; any other write error
/// ends the program with exit code 2.
macro_rules! emit {
    ($($arg:tt)*) => {
        $crate::io::write_line(format_args!($($arg)*))
    };
}
pub(crate) use emit;

pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("govshare: error: cannot write the output: {e}");
            std::process::exit(2);
        }
    }
}

/// Prints a value as indented JSON.
pub fn print_json(value: &impl serde::Serialize) {
    emit!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// The text of a file, or of standard input for `-`, read through the
/// library's bounded reader: no further than `max` bytes, and only a
/// regular file (a FIFO, a directory or a device is refused at once).
pub fn read_input(path: &Path, max: usize) -> Result<String, CliError> {
    let stdin = path == Path::new("-");
    let name = if stdin {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes = govshare::wire::read_input(path, max).map_err(|e| match e {
        // The error names the file itself.
        WireError::Io { .. } if !stdin => CliError::input(&e),
        _ => CliError::input_in(&name, &e),
    })?;
    String::from_utf8(bytes).map_err(|e| CliError::Input(format!("{name}: not valid UTF-8 ({e})")))
}

/// A JSON document of the command line (an application, a reply, a
/// transition), named `what` in errors; at most
/// [`MAX_DOCUMENT_BYTES`] bytes.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, CliError> {
    serde_json::from_str(&read_input(path, MAX_DOCUMENT_BYTES)?)
        .map_err(|e| CliError::Input(format!("{}: invalid {what}: {e}", path.display())))
}

/// The calendar of a folder, or the embedded one.
pub fn calendar(dir: Option<&Path>) -> Result<Calendar, CliError> {
    match dir {
        Some(dir) => Calendar::load_dir(dir),
        None => Calendar::embedded(),
    }
    .map_err(|e| CliError::deployment(&e))
}

/// An instant given as a flag's value.
pub fn time_arg(flag: &str, value: &str) -> Result<DateTime<FixedOffset>, CliError> {
    govshare::time::parse_rfc3339(value).map_err(|e| CliError::input_in(format!("--{flag}"), &e))
}

/// A registry file.
pub fn registry_arg(path: &Path) -> Result<Registry, CliError> {
    crate::progress::load_registry(path)
}

/// The registry with a journal replayed onto it, reporting a torn tail.
pub fn journaled(path: &Path, journal: Option<&Path>) -> Result<Registry, CliError> {
    let base = registry_arg(path)?;
    let Some(journal) = journal else {
        return Ok(base);
    };
    Ok(open_durable(journal, base)?.into_registry())
}

/// Opens a journal over `base`, reports a torn tail, and replays it. New
/// transitions are stamped from the system clock.
pub fn open_durable(journal: &Path, base: Registry) -> Result<DurableRegistry, CliError> {
    let store = FileJournal::open(journal, &base).map_err(|e| CliError::journal(&e))?;
    report_torn(journal, store.report().torn.as_ref());
    DurableRegistry::open(base, store).map_err(|e| {
        CliError::Store(format!(
            "{}: {}",
            journal.display(),
            govshare::error_report(&e)
        ))
    })
}

/// Warns of a torn final line cut off a file.
pub fn report_torn(path: &Path, torn: Option<&TornTail>) {
    if let Some(t) = torn {
        eprintln!(
            "govshare: warning: {}: line {} was torn by an interrupted write; its {} bytes were cut off at offset {}",
            path.display(),
            t.line,
            t.bytes,
            t.offset
        );
    }
}
