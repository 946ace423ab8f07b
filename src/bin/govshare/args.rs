//! The command line: every command, its flags and their help.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use govshare::{DataGrade, Engine, Level, SharingClass};

use crate::CliError;

#[derive(Parser)]
#[command(
    name = "govshare",
    version,
    about = "Enforce 《政务数据共享条例》 (State Council Decree No. 809) on government data sharing"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The wire format (JSON).
    Json,
    /// An explanation for a person, Chinese first.
    Text,
}

#[derive(clap::Args)]
pub struct PolicyArgs {
    /// Folder laid out like `policies/` (schema, statutory/, optional/,
    /// calendar/); the embedded copies are used without it.
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// Switch on a shipped optional policy, such as
    /// `block-while-disposal-overdue` (repeatable).
    #[arg(long = "optional", value_name = "NAME")]
    pub optional: Vec<String>,
    /// A file of local policies, forbids only (repeatable).
    #[arg(long = "local", value_name = "FILE")]
    pub local: Vec<PathBuf>,
}

impl PolicyArgs {
    /// The engine these flags describe, with the live-use clock guard when
    /// a maximum skew is given.
    pub fn engine(&self, max_clock_skew: Option<Duration>) -> Result<Engine, CliError> {
        let mut builder = Engine::builder();
        if let Some(skew) = max_clock_skew {
            builder = builder.max_clock_skew(skew);
        }
        if let Some(dir) = &self.policies {
            builder = builder.policies_dir(dir);
        }
        for name in &self.optional {
            builder = builder.enable_optional(name);
        }
        for file in &self.local {
            builder = builder.local_policy_file(file);
        }
        builder.build().map_err(|e| CliError::deployment(&e))
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Decide one usage request against a registry.
    Decide {
        /// The registry (catalog and grants) in the wire format.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A journal of lifecycle changes to replay onto the registry.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
        /// Append the decision to this usage record (Art. 29).
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// The usage request in the wire format; `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        #[command(flatten)]
        policy: PolicyArgs,
        /// Live use: deny the request (`GS-CLOCK-SKEW`) when its `at` lies
        /// farther than this from the system clock, such as `300`, `90s`,
        /// `5m` or `1h`. Without it the request is replayed at its `at`.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        max_clock_skew: Option<Duration>,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// Check a registry against the Regulation (Art. 2â3, 13â27, 39) and
    /// report how much of it is enforced by code; exits 1 when any
    /// error-severity finding exists. Suspensions past their deadline to
    /// correct at `--at` are warnings (Art. 27(2)). `--format json` prints
    /// `{"findings": [...], "coverage": {...}}`.
    Check {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A journal of lifecycle changes to replay onto the registry.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
        /// The time to judge deadlines at, RFC 3339 with an offset; the
        /// system clock without it.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List suspended grants whose deadline to correct has passed with no
    /// reinstatement or termination, oldest deadline first (Art. 27(2)).
    Corrections {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A journal of lifecycle changes to replay onto the registry.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
        /// The time to judge at, RFC 3339 with an offset; the system clock
        /// without it.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Compute a reply or delivery deadline in PRC working days (Art. 21–22).
    Deadline {
        /// When the application was received (reply) or approved (delivery),
        /// RFC 3339 with an offset.
        #[arg(long, value_name = "TIME")]
        received: String,
        /// The dataset's sharing class.
        #[arg(long, value_enum, default_value = "conditional")]
        class: ClassArg,
        /// Working days of an approved extension (at most 10).
        #[arg(long, default_value_t = 0)]
        extension: u32,
        /// Compute the delivery deadline (20 working days after approval)
        /// instead of the reply deadline.
        #[arg(long)]
        delivery: bool,
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List disposals due and overdue at a time, oldest first (Art. 27, 40(4)).
    Disposals {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A journal of lifecycle changes to replay onto the registry.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
        /// The time to judge at, RFC 3339 with an offset.
        #[arg(long, value_name = "TIME")]
        at: String,
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Name the items a department is about to collect from citizens that it
    /// could obtain through sharing instead (Art. 19, 40(1)).
    Duplicates {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The collecting department.
        #[arg(long, value_name = "ID")]
        requester: String,
        /// The items of the collection form, comma-separated.
        #[arg(long, value_name = "ITEMS", value_delimiter = ',', required = true)]
        items: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Check a sharing application for completeness (Art. 20–21); exits 1
    /// when anything is missing or invalid.
    Application {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The application in JSON.
        #[arg(long, value_name = "FILE")]
        application: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Answer an application (Art. 21–22): approve into a grant, refuse with
    /// reasons, or send back for supplement; prints the outcome with its
    /// deadlines. With `--journal`, an approval is recorded as a new grant.
    Reply {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The application in JSON.
        #[arg(long, value_name = "FILE")]
        application: PathBuf,
        /// The reply in JSON (`decision`, `replied_at`, `approval`,
        /// optional `extension`).
        #[arg(long, value_name = "FILE")]
        reply: PathBuf,
        /// Record an approved grant in this journal.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
    },
    /// Apply a lifecycle transition (a new grant, consent, renewal,
    /// amendment, purpose end, disposal receipt, suspension, reinstatement,
    /// termination, withdrawal of a catalog entry), stamped with the time it
    /// is recorded, and append it to the journal before returning (Art. 21,
    /// 25, 27).
    Apply {
        /// The base registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The journal the transition is appended to (created when absent).
        #[arg(long, value_name = "FILE")]
        journal: PathBuf,
        /// The transition in JSON; `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        transition: PathBuf,
    },
    /// Verify or query an Art. 29 usage record.
    Record {
        #[command(subcommand)]
        command: RecordCommand,
    },
    /// Import data into a registry: `import catalog` reads the catalog
    /// spreadsheet departments keep.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Write the self-check report (合规体检报告): one self-contained HTML
    /// file a department head can read, or the same content as JSON.
    Report {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A journal of lifecycle changes to replay onto the registry.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
        /// The usage record whose hash chain is verified (Art. 29).
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// Applications still awaiting a reply: a JSON file (one application
        /// or an array of them) or a folder of `*.json` application files,
        /// as `govshare application` reads them.
        #[arg(long, value_name = "FILE|DIR")]
        applications: Option<PathBuf>,
        /// The time the report judges at, RFC 3339 with an offset.
        #[arg(long, value_name = "TIME")]
        at: String,
        /// Where to write the report; `-` writes to standard output.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "html")]
        format: ReportFormat,
    },
    /// List the loaded rules with their articles.
    Policies {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Subcommand)]
pub enum RecordCommand {
    /// Walk the hash chain; exits 1 and names the first broken entry when
    /// the log was altered.
    Verify {
        /// The record log.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print the records that match, as JSON lines (the chain is verified
    /// first).
    Query {
        /// The record log.
        file: PathBuf,
        /// Only this grant.
        #[arg(long, value_name = "ID")]
        grant: Option<String>,
        /// Only this requester.
        #[arg(long, value_name = "ID")]
        requester: Option<String>,
        /// Only this dataset.
        #[arg(long, value_name = "ID")]
        dataset: Option<String>,
        /// Only records at or after this time.
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// Only records before this time.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Read a government data resource catalog spreadsheet (.xlsx or .csv,
    /// the national template's columns or a mapped variant) and write a
    /// registry; every row that cannot be imported is reported with its
    /// sheet, row and column. Exits 1 when any row was not imported.
    Catalog {
        /// The catalog spreadsheet (.xlsx or .csv).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Where to write the registry.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A JSON file renaming a variant's columns:
        /// `{"columns": {"数源单位": "provider"}}`.
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Departments with their level and region: a JSON array of
        /// departments, or a registry whose departments are taken.
        #[arg(long, value_name = "FILE")]
        departments: Option<PathBuf>,
        /// The level of government of providers not in `--departments`.
        #[arg(long, value_enum)]
        level: Option<LevelArg>,
        /// The region (GB/T 2260 code) of providers not in `--departments`.
        #[arg(long, value_name = "CODE")]
        region: Option<String>,
        /// The grade of items whose row states none.
        #[arg(long, value_enum)]
        default_grade: Option<GradeArg>,
        /// Read only this sheet (repeatable).
        #[arg(long = "sheet", value_name = "NAME")]
        sheets: Vec<String>,
        /// Output format of the report on standard output.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

/// The report's format.
#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file, for people and for print.
    Html,
    /// The same content as JSON, for dashboards.
    Json,
}

/// A level of government on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum LevelArg {
    National,
    Provincial,
    Municipal,
    County,
    Township,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Self {
        match l {
            LevelArg::National => Level::National,
            LevelArg::Provincial => Level::Provincial,
            LevelArg::Municipal => Level::Municipal,
            LevelArg::County => Level::County,
            LevelArg::Township => Level::Township,
        }
    }
}

/// A data grade on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum GradeArg {
    General,
    Important,
    Core,
}

impl From<GradeArg> for DataGrade {
    fn from(g: GradeArg) -> Self {
        match g {
            GradeArg::General => DataGrade::General,
            GradeArg::Important => DataGrade::Important,
            GradeArg::Core => DataGrade::Core,
        }
    }
}

/// A sharing class on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum ClassArg {
    Unconditional,
    Conditional,
    NotShared,
}

impl From<ClassArg> for SharingClass {
    fn from(c: ClassArg) -> Self {
        match c {
            ClassArg::Unconditional => SharingClass::Unconditional,
            ClassArg::Conditional => SharingClass::Conditional,
            ClassArg::NotShared => SharingClass::NotShared,
        }
    }
}

/// A duration on the command line: whole seconds, or a number followed by
/// `s`, `m` or `h`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as `300`, `90s`, `5m` or `1h`"))?;
    let seconds = match unit {
        "" | "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => None,
    };
    seconds
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is not a duration such as `300`, `90s`, `5m` or `1h`"))
}
