//! The working-day calendar cannot answer, or cannot be loaded.

use std::path::PathBuf;

/// The working-day calendar cannot answer, or a year file cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A date lies in a year whose calendar is not loaded.
    #[error(
        "no working-day calendar is loaded for year `{year}` (loaded: {})",
        year_list(.loaded)
    )]
    YearNotLoaded {
        /// The year asked about.
        year: i32,
        /// The years loaded, ascending.
        loaded: Vec<i32>,
    },
    /// A year file is not JSON in the year-file format.
    #[error("cannot parse working-day calendar `{origin}`")]
    Parse {
        /// The file, as named by the caller.
        origin: String,
        /// The parser's error, with its line and column.
        #[source]
        source: serde_json::Error,
    },
    /// A year file parses but breaks a rule of the format.
    #[error("invalid working-day calendar `{origin}`: {message}")]
    Invalid {
        /// The file (or folder), as named by the caller.
        origin: String,
        /// What is wrong, naming the year.
        message: String,
    },
    /// A line of a holiday notice (《国务院办公厅关于…年部分节假日安排的通知》)
    /// cannot be read, or states what is not so: a weekday that is not the
    /// date's, a day count that is not the range's, an unknown festival.
    #[error("notice `{origin}` line {line} `{text}`: {message}")]
    NoticeLine {
        /// The notice, as named by the caller.
        origin: String,
        /// The line's number, from 1.
        line: usize,
        /// The line as written, without its surrounding spaces.
        text: String,
        /// What is wrong with it.
        message: String,
    },
    /// A holiday notice as a whole cannot become a year file: it has no
    /// title, no date, no festival, or is for another year.
    #[error("notice `{origin}`: {message}")]
    Notice {
        /// The notice, as named by the caller.
        origin: String,
        /// What is wrong with it.
        message: String,
    },
    /// A year file is over [`crate::limits::MAX_POLICY_FILE_BYTES`].
    #[error("working-day calendar `{origin}` is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// The file.
        origin: String,
        /// Its size (or the bytes read before the limit stopped the read).
        size: usize,
        /// The limit.
        max: usize,
    },
    /// A year file or folder cannot be read.
    #[error("cannot read working-day calendar `{}`", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// `2025, 2026`, or `none`.
fn year_list(years: &[i32]) -> String {
    if years.is_empty() {
        return "none".to_owned();
    }
    years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
