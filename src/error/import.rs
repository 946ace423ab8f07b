//! A catalog spreadsheet that cannot be imported as a whole. Rows that
//! cannot be imported are not errors: the import reports them as issues.

use std::path::PathBuf;

use super::BoxError;

/// A catalog spreadsheet, a mapping file or a departments file that cannot
/// be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A file could not be read.
    #[error("cannot read `{}`", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`crate::limits::MAX_CATALOG_BYTES`].
    #[error("catalog `{origin}` is {size} bytes, over the limit of {max}")]
    TooLarge {
        /// The file.
        origin: String,
        /// Its size.
        size: u64,
        /// The limit.
        max: usize,
    },
    /// Neither `.xlsx` nor `.csv`.
    #[error(
        "`{}` is neither an .xlsx workbook nor a .csv file (save an .xls or .ods file as .xlsx first)",
        .path.display()
    )]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
    },
    /// The workbook cannot be read (not a workbook, damaged).
    #[error("catalog `{origin}` is not a readable .xlsx workbook")]
    Workbook {
        /// The file.
        origin: String,
        /// The reader's error.
        #[source]
        source: BoxError,
    },
    /// The CSV text cannot be read.
    #[error("catalog `{origin}` is not readable CSV")]
    Csv {
        /// The file.
        origin: String,
        /// The reader's error.
        #[source]
        source: BoxError,
    },
    /// The CSV text is neither UTF-8 nor GB18030.
    #[error("catalog `{origin}` is neither UTF-8 nor GB18030 text")]
    Encoding {
        /// The file.
        origin: String,
    },
    /// A sheet asked for is not in the workbook.
    #[error("catalog `{origin}` has no sheet `{sheet}` (it has: {available})")]
    NoSuchSheet {
        /// The file.
        origin: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets it has, comma-separated.
        available: String,
    },
    /// Over a limit on rows, columns or cells.
    #[error("catalog `{origin}` has more {what} than the limit of {max}")]
    Limit {
        /// The file.
        origin: String,
        /// `rows in one sheet`, `cells`, …
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// A mapping file that does not parse.
    #[error("invalid column mapping")]
    Mapping {
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// A departments file that does not parse.
    #[error("invalid departments file: expected an array of departments or a registry")]
    Departments {
        /// The parser's error.
        #[source]
        source: BoxError,
    },
}

impl ImportError {
    /// The same error naming `name` (a full path) as its origin.
    #[cfg(feature = "import")]
    pub(crate) fn with_origin(mut self, name: &str) -> Self {
        match &mut self {
            ImportError::TooLarge { origin, .. }
            | ImportError::Workbook { origin, .. }
            | ImportError::Csv { origin, .. }
            | ImportError::Encoding { origin }
            | ImportError::NoSuchSheet { origin, .. }
            | ImportError::Limit { origin, .. } => *origin = name.to_owned(),
            _ => {}
        }
        self
    }
}
