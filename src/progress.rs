//! Progress of long work (loading a large registry, importing a large
//! catalog, verifying a large usage record), reported through a plain
//! callback so that a host draws it however it likes — or not at all. The
//! library never writes to a terminal itself.

/// What a long piece of work is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProgressStage {
    /// Reading a registry file; counted in bytes.
    ReadRegistry,
    /// Parsing a registry; counted in records (departments, catalog entries
    /// and grants) parsed so far, with no total known in advance.
    ParseRegistry,
    /// Indexing a parsed registry; counted in grants.
    IndexRegistry,
    /// Reading the rows of a catalog spreadsheet; counted in rows, against
    /// the rows the sheet declares when it declares them.
    ReadCatalog,
    /// Turning catalog rows into catalog entries; counted in rows.
    ImportCatalog,
    /// Walking the hash chain of a usage record; counted in entries.
    VerifyRecord,
}

impl ProgressStage {
    /// A short label, Chinese first: `读取登记簿 reading the registry`.
    pub fn label(self) -> &'static str {
        match self {
            ProgressStage::ReadRegistry => "读取登记簿 reading the registry",
            ProgressStage::ParseRegistry => "解析登记簿 parsing the registry",
            ProgressStage::IndexRegistry => "建立索引 indexing the grants",
            ProgressStage::ReadCatalog => "读取目录表 reading the catalog",
            ProgressStage::ImportCatalog => "导入目录 importing the catalog",
            ProgressStage::VerifyRecord => "校验使用记录 verifying the usage record",
        }
    }
}

/// One report of progress: `done` units of `stage` out of `total`, when the
/// total is known. Reports of a stage come in order of `done`; a stage
/// ends with a report whose `done` equals its total (or the final count,
/// when no total was known).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The work being done.
    pub stage: ProgressStage,
    /// Units done so far.
    pub done: u64,
    /// Units in all, when known in advance.
    pub total: Option<u64>,
}

/// How often, in units, work that counts records reports progress: often
/// enough for a smooth bar, rarely enough to cost nothing.
pub(crate) const REPORT_EVERY: u64 = 4096;

/// A callback that ignores every report.
pub(crate) fn ignore(_: Progress) {}
