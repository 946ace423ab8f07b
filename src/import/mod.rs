//! Catalog import (目录梳理): the government data resource catalog as
//! departments keep it — a spreadsheet in the layout of the national
//! catalog template (政务信息资源目录编制指南, 2017) or a province's variant
//! of it — turned into a registry that `lifecycle::validate` and the engine
//! read.
//!
//! A sheet may hold one resource per row with its items listed in one cell
//! (`统一社会信用代码、企业名称、住所`), or one item per row, the rows of a
//! resource sharing its code (or left blank under a merged cell). Headers
//! are found by their names in the first rows, over one to three header
//! rows with merged cells; a [`Mapping`] renames the columns of a variant.
//!
//! Nothing is dropped silently: every row that cannot be imported is an
//! [`Issue`] naming its sheet, row and column and the reason, and so is
//! every column that is read past. The registry keeps what the sheet says
//! and no more. Where the Regulation wants something the template does not
//! hold, the import leaves it for `govshare check` to ask for rather than
//! inventing it:
//!
//! - a provider's level of government and region come from a departments
//!   file, or from defaults the caller states
//!   ([`ImportOptions::default_level`]); a provider with neither is not
//!   written, and `check` reports its entries' provider as unregistered;
//! - an entry with a 发布日期 is `published`, one without is `draft`
//!   (unless a 状态 column says otherwise);
//! - a conditional entry's 共享条件 fills its scope, and its uses only when
//!   the text labels them (`共享范围：…；使用用途：…`) or columns hold them;
//! - a not-shared entry's 共享条件 is its legal basis (the template's
//!   convention); the kind of basis is taken only from a 依据类型 column or
//!   an unmistakable title (《中华人民共和国…法》), else left unclassified
//!   for a person to classify;
//! - assessments and the department head's approval (Art. 13) are not in
//!   the template and are left out.

mod build;
mod columns;
mod sheet;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use columns::{Field, Mapping};

use crate::error::ImportError;
use crate::limits::MAX_CATALOG_BYTES;
use crate::model::{DataGrade, Department, Level, RegionCode};
use crate::progress::Progress;
use crate::registry::Registry;

/// How serious an import issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueSeverity {
    /// Worth knowing; nothing was lost.
    Note,
    /// Imported, but a person must look at it (a value read past, a
    /// department that could not be written).
    Warning,
    /// A row, or a whole sheet, was not imported.
    Error,
}

impl IssueSeverity {
    /// The wire name: `note`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueSeverity::Note => "note",
            IssueSeverity::Warning => "warning",
            IssueSeverity::Error => "error",
        }
    }

    /// The Chinese name: 说明, 提示 or 错误.
    pub fn zh(self) -> &'static str {
        match self {
            IssueSeverity::Note => "说明",
            IssueSeverity::Warning => "提示",
            IssueSeverity::Error => "错误",
        }
    }
}

/// A column of a sheet: its letter and its header as the sheet writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnRef {
    /// The column's letter, such as `C` or `AB`.
    pub letter: String,
    /// Its header text (the header rows joined with `/`), or the field's
    /// template name when the sheet has no such column.
    pub header: String,
}

/// Something the import found: where it is and what it means, in Chinese
/// and in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Issue {
    /// Stable code, such as `IMP-BAD-SHARING-TYPE`.
    pub code: &'static str,
    /// How serious it is.
    pub severity: IssueSeverity,
    /// The sheet (for a CSV file, the file's name).
    pub sheet: String,
    /// The row as the spreadsheet numbers it (1-based), when the issue is
    /// about a row.
    pub row: Option<u32>,
    /// The column, when the issue is about one.
    pub column: Option<ColumnRef>,
    /// The issue in Chinese.
    pub zh: String,
    /// The issue in English.
    pub en: String,
}

/// An issue as a person reads it: severity, code and place, then the
/// Chinese and the English on lines of their own.
impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {} {} sheet `{}`",
            self.code,
            self.severity.zh(),
            self.severity.as_str(),
            self.sheet
        )?;
        if let Some(row) = self.row {
            write!(f, " row {row}")?;
        }
        if let Some(c) = &self.column {
            write!(f, " column {} ({})", c.letter, c.header)?;
        }
        write!(f, "\n    {}\n    {}", self.zh, self.en)
    }
}

/// Every issue code the import can report, with its severity, for
/// documentation and for hosts that map codes to actions.
pub const ISSUE_CODES: &[(&str, IssueSeverity)] = &[
    ("IMP-NO-HEADER", IssueSeverity::Error),
    ("IMP-MISSING-COLUMN", IssueSeverity::Error),
    ("IMP-NO-GRADE", IssueSeverity::Error),
    ("IMP-NO-CODE", IssueSeverity::Error),
    ("IMP-BAD-VALUE", IssueSeverity::Error),
    ("IMP-BAD-SHARING-TYPE", IssueSeverity::Error),
    ("IMP-BAD-GRADE", IssueSeverity::Error),
    ("IMP-BAD-DATE", IssueSeverity::Error),
    ("IMP-BAD-STATUS", IssueSeverity::Error),
    ("IMP-CONFLICT", IssueSeverity::Error),
    ("IMP-ORPHAN-ITEMS", IssueSeverity::Error),
    ("IMP-CELL-OUT-OF-RANGE", IssueSeverity::Error),
    ("IMP-DEPARTMENT-NOT-WRITTEN", IssueSeverity::Warning),
    ("IMP-DEPARTMENT-NAME-CONFLICT", IssueSeverity::Warning),
    ("IMP-DUPLICATE-COLUMN", IssueSeverity::Warning),
    ("IMP-DUPLICATE-ITEM", IssueSeverity::Warning),
    ("IMP-METHOD-OTHER", IssueSeverity::Warning),
    ("IMP-CONDITIONS-NOT-KEPT", IssueSeverity::Warning),
    ("IMP-BASIS-UNCLASSIFIED", IssueSeverity::Warning),
    ("IMP-SHEET-SKIPPED", IssueSeverity::Warning),
    ("IMP-EMPTY-SHEET", IssueSeverity::Note),
    ("IMP-UNUSED-COLUMN", IssueSeverity::Note),
    ("IMP-DRAFT", IssueSeverity::Note),
    ("IMP-BASIS-INFERRED", IssueSeverity::Note),
    ("IMP-DEFAULTS-USED", IssueSeverity::Note),
    ("IMP-ENCODING", IssueSeverity::Note),
];

/// What an import amounts to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Sheets read.
    pub sheets: usize,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Rows imported.
    pub rows_imported: usize,
    /// Rows not imported, each reported as an error issue.
    pub rows_rejected: usize,
    /// Catalog entries written.
    pub datasets: usize,
    /// Data items written, over all entries.
    pub items: usize,
    /// Departments written.
    pub departments: usize,
    /// Providers not written because their level of government is unknown.
    pub departments_not_written: usize,
}

/// The registry a catalog import produced, with everything it found.
#[derive(Debug, Clone)]
pub struct CatalogImport {
    registry: Registry,
    issues: Vec<Issue>,
    summary: ImportSummary,
}

impl CatalogImport {
    /// The registry: the departments and catalog entries, no grants.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The registry, taken out.
    pub fn into_registry(self) -> Registry {
        self.registry
    }

    /// Every issue, in sheet and row order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The counts.
    pub fn summary(&self) -> &ImportSummary {
        &self.summary
    }

    /// Whether any row or sheet was not imported.
    pub fn has_errors(&self) -> bool {
        self.issues
            .iter()
            .any(|i| i.severity == IssueSeverity::Error)
    }
}

/// The kind of spreadsheet file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Comma-separated values, UTF-8 or GB18030 (`.csv`).
    Csv,
}

impl SourceKind {
    /// The kind a file name's extension names.
    ///
    /// # Errors
    ///
    /// [`ImportError::UnsupportedFormat`] for any other extension (an old
    /// `.xls` or an `.ods` must be saved as `.xlsx` or `.csv` first).
    ///
    /// # Example
    ///
    /// ```
    /// use std::path::Path;
    /// use govshare::import::SourceKind;
    ///
    /// assert_eq!(SourceKind::from_path(Path::new("目录.XLSX"))?, SourceKind::Xlsx);
    /// assert!(SourceKind::from_path(Path::new("目录.xls")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<Self, ImportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("xlsx" | "xlsm") => Ok(SourceKind::Xlsx),
            Some("csv") => Ok(SourceKind::Csv),
            _ => Err(ImportError::UnsupportedFormat {
                path: path.to_owned(),
            }),
        }
    }
}

/// How to import: column renaming, known departments, the defaults the
/// caller states for what the template does not hold, and which sheets.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    mapping: Mapping,
    departments: Vec<Department>,
    default_level: Option<Level>,
    default_region: Option<RegionCode>,
    default_grade: Option<DataGrade>,
    sheets: Vec<String>,
}

impl ImportOptions {
    /// The built-in column names, no departments, no defaults, every sheet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renames columns.
    pub fn mapping(mut self, mapping: Mapping) -> Self {
        self.mapping = mapping;
        self
    }

    /// Departments known in advance (with their level and region), written
    /// to the registry and matched to providers by id (the provider code)
    /// or by name.
    pub fn departments(mut self, departments: Vec<Department>) -> Self {
        self.departments = departments;
        self
    }

    /// The level of government of providers not among the known
    /// departments, as the caller states it (a city's bureau importing its
    /// own catalog: `municipal`).
    pub fn default_level(mut self, level: Level) -> Self {
        self.default_level = Some(level);
        self
    }

    /// The region of providers not among the known departments.
    pub fn default_region(mut self, region: RegionCode) -> Self {
        self.default_region = Some(region);
        self
    }

    /// The grade of items whose row states none (a catalog kept before
    /// GB/T 43697-2024 has no 数据分级 column). Without it, such rows are
    /// not imported: a grade is never guessed.
    pub fn default_grade(mut self, grade: DataGrade) -> Self {
        self.default_grade = Some(grade);
        self
    }

    /// Reads only this sheet (repeatable); every sheet without it.
    pub fn sheet(mut self, name: impl Into<String>) -> Self {
        self.sheets.push(name.into());
        self
    }
}

/// Departments for [`ImportOptions::departments`] from JSON: an array of
/// departments in the registry's wire format, or a whole registry, whose
/// departments are taken.
///
/// # Errors
///
/// [`ImportError::Departments`] when the text is neither.
///
/// # Example
///
/// ```
/// use govshare::import::read_departments;
///
/// let departments = read_departments(
///     r#"[{"id": "hz-amr", "name": "杭州市市场监督管理局", "level": "municipal", "region": "330100"}]"#,
/// )?;
/// assert_eq!(departments[0].name, "杭州市市场监督管理局");
/// let from_registry = read_departments(include_str!("../../examples/data/registry.json"))?;
/// assert!(from_registry.len() > 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_departments(text: &str) -> Result<Vec<Department>, ImportError> {
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text).map_err(|e| ImportError::Departments {
            source: Box::new(e),
        });
    }
    Registry::from_json_str(text)
        .map(|r| r.departments().to_vec())
        .map_err(|e| ImportError::Departments {
            source: Box::new(e),
        })
}

/// Imports a catalog spreadsheet file (`.xlsx` or `.csv`), reporting
/// progress as it reads and imports rows.
///
/// # Errors
///
/// [`ImportError`] when the file as a whole cannot be read: missing, too
/// large ([`crate::limits::MAX_CATALOG_BYTES`]), not a workbook, not UTF-8
/// or GB18030 text, a named sheet that does not exist, or over a limit on
/// rows, columns or cells. Rows that cannot be imported are issues of the
/// result, not errors.
///
/// # Example
///
/// ```
/// use govshare::import::{ImportOptions, catalog};
/// use govshare::lifecycle::validate;
///
/// let import = catalog("examples/data/catalog.csv", &ImportOptions::new(), &mut |_| {})?;
/// assert!(import.registry().datasets().len() >= 5);
/// // The registry goes straight into the check.
/// let findings = validate(import.registry());
/// assert!(findings.iter().any(|f| f.code == "CAT-NO-APPROVAL"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn catalog(
    path: impl AsRef<Path>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<CatalogImport, ImportError> {
    let path = path.as_ref();
    let kind = SourceKind::from_path(path)?;
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_CATALOG_BYTES as u64 {
        return Err(ImportError::TooLarge {
            origin: path.display().to_string(),
            size,
            max: MAX_CATALOG_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    catalog_from_bytes(&name, kind, &bytes, options, progress)
        .map_err(|e| e.with_origin(&path.display().to_string()))
}

/// Imports a catalog spreadsheet held in memory (an upload, say). `name`
/// names it in errors and, for a CSV file, is the sheet name in issues.
///
/// # Errors
///
/// As [`catalog`].
///
/// # Example
///
/// ```
/// use govshare::import::{ImportOptions, SourceKind, catalog_from_bytes};
///
/// let csv = "信息资源名称,信息资源代码,信息资源提供方,提供方代码,信息项,数据分级,共享类型,共享方式,信息资源格式,更新周期,发布日期\n\
///            企业公示信息,330100-AMR-0002,杭州市市场监督管理局,hz-amr,统一社会信用代码、企业名称,一般,无条件共享,接口,数据库,每日,2025-06-20\n";
/// let import = catalog_from_bytes("目录.csv", SourceKind::Csv, csv.as_bytes(), &ImportOptions::new(), &mut |_| {})?;
/// let entry = &import.registry().datasets()[0];
/// assert_eq!(entry.id.as_str(), "330100-AMR-0002");
/// assert_eq!(entry.items.len(), 2);
/// assert_eq!(entry.status.as_str(), "published");
/// // No level of government was given for the provider: it is not
/// // written, and the import says so.
/// assert!(import.issues().iter().any(|i| i.code == "IMP-DEPARTMENT-NOT-WRITTEN"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn catalog_from_bytes(
    name: &str,
    kind: SourceKind,
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<CatalogImport, ImportError> {
    if bytes.len() > MAX_CATALOG_BYTES {
        return Err(ImportError::TooLarge {
            origin: name.to_owned(),
            size: bytes.len() as u64,
            max: MAX_CATALOG_BYTES,
        });
    }
    let mut issues = Vec::new();
    let sheets = match kind {
        SourceKind::Xlsx => sheet::read_xlsx(name, bytes, &options.sheets, progress, &mut issues)?,
        SourceKind::Csv => {
            if let Some(wanted) = options.sheets.iter().find(|s| s.as_str() != name) {
                return Err(ImportError::NoSuchSheet {
                    origin: name.to_owned(),
                    sheet: wanted.clone(),
                    available: name.to_owned(),
                });
            }
            vec![sheet::read_csv(name, bytes, progress, &mut issues)?]
        }
    };
    build::build(sheets, options, issues, progress)
}
