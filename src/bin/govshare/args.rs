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
        /// A store whose journal of lifecycle changes is replayed onto the
        /// registry (opened read-only).
        #[arg(long, value_name = "STORE")]
        journal: Option<PathBuf>,
        /// Append the decision to the usage record (Art. 29) of this store,
        /// created when absent.
        #[arg(long, value_name = "STORE")]
        record: Option<PathBuf>,
        #[command(flatten)]
        key: KeyArg,
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
    /// Check a registry against the Regulation (Art. 2–3, 13–27, 39) and
    /// report how much of it is enforced by code; exits 1 when any
    /// error-severity finding exists. Suspensions past their deadline to
    /// correct at `--at` are warnings (Art. 27(2)), and so is a working-day
    /// calendar whose last year ends within 60 days of `--at`. `--format
    /// json` prints `{"findings": [...], "coverage": {...}, "calendar":
    /// {...}}`.
    Check {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A store whose journal of lifecycle changes is replayed onto the
        /// registry (opened read-only).
        #[arg(long, value_name = "STORE")]
        journal: Option<PathBuf>,
        /// The time to judge deadlines at, RFC 3339 with an offset; the
        /// system clock without it.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
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
        /// A store whose journal of lifecycle changes is replayed onto the
        /// registry (opened read-only).
        #[arg(long, value_name = "STORE")]
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
        /// Record an approved grant in this store's journal.
        #[arg(long, value_name = "STORE")]
        journal: Option<PathBuf>,
        #[command(flatten)]
        key: KeyArg,
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
        /// The store whose journal the transition is appended to (created
        /// when absent).
        #[arg(long, value_name = "STORE")]
        journal: PathBuf,
        /// The transition in JSON; `-` reads standard input. Without an
        /// `idempotency_key`, the digest of its content is used, so
        /// applying the same transition again is recognised.
        #[arg(long, value_name = "FILE")]
        transition: PathBuf,
        #[command(flatten)]
        key: KeyArg,
    },
    /// Verify, query, export, prune or import an Art. 29 usage record.
    Record {
        #[command(subcommand)]
        command: RecordCommand,
    },
    /// Import a registry journal of the JSON-lines format into a store.
    Journal {
        #[command(subcommand)]
        command: JournalCommand,
    },
    /// Make a signing key for a store's checkpoints.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
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
        /// The store whose journal of lifecycle changes is replayed onto
        /// the registry: a file, or `postgres://…`.
        #[arg(long, value_name = "STORE")]
        journal: Option<PathBuf>,
        /// The usage record whose hash chain is verified (Art. 29): a store
        /// file, its JSON-lines export, or `postgres://…`.
        #[arg(long, value_name = "STORE")]
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
    /// Keep an in-memory replica of the registry from a PostgreSQL store's
    /// journal and answer JSON lines on standard input, one JSON line out
    /// for each: `{"decide": REQUEST, "at_least": VERSION}` (the version is
    /// optional) gives `{"decision": …}` (and `"recorded"` with
    /// `--record`, printed only once committed); `{"apply": TRANSITION}`
    /// records a lifecycle change and gives `{"applied": {"seq", "retried"}}`;
    /// `{"status": true}` gives the replica's version and whether it serves
    /// facts. A failed line gives `{"error": …}`. Every decision carries
    /// `registry_version`; a replica past its staleness bound, or short of
    /// the version asked for after the wait, denies with
    /// GS-FACTS-UNAVAILABLE.
    Serve {
        /// The base registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The PostgreSQL store (`postgres://…`) whose journal the replica
        /// follows and appends to (migrated and created when needed).
        #[arg(long, value_name = "URL")]
        journal: PathBuf,
        /// Append each decision to the usage record of this store.
        #[arg(long, value_name = "STORE")]
        record: Option<PathBuf>,
        #[command(flatten)]
        key: KeyArg,
        /// Deny with GS-FACTS-UNAVAILABLE once the journal has not been
        /// read for this long.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "5s")]
        staleness: Duration,
        /// Read the journal at least this often.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "500ms")]
        poll: Duration,
        /// How long a decision waits for the version it asks for.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
        wait: Duration,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// The working-day calendar: make a year file from the State Council's
    /// holiday notice or the holiday-cn data set, show a loaded year, and
    /// check that the loaded years reach far enough.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Manage a store's schema.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
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

/// The deployment's signing key.
#[derive(clap::Args)]
pub struct KeyArg {
    /// The store's signing key (PKCS#8 PEM, SM2 or Ed25519). A new store is
    /// created signed with it; a signed store is written only with it.
    #[arg(
        long = "signing-key",
        value_name = "FILE",
        env = "GOVSHARE_SIGNING_KEY"
    )]
    pub signing_key: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum RecordCommand {
    /// Verify a store or an export: header, every checkpoint signature,
    /// every entry's hash and link, each log's end. Exits 1 and names the
    /// first damaged place when anything was altered, removed or cut.
    Verify {
        /// The store, or a JSON-lines export of one.
        file: PathBuf,
        /// The deployment's public key (PEM), obtained apart from the store;
        /// without it the signatures are checked against the key the store
        /// itself names.
        #[arg(long = "public-key", value_name = "FILE")]
        public_key: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print the records that match, as JSON lines (the store is verified
    /// first).
    Query {
        /// The store.
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
    /// Write the store as JSON lines an auditor can verify with
    /// `record verify`.
    Export {
        /// The store.
        file: PathBuf,
        /// Where to write; standard output without it.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print the signed checkpoints, to send to the provider or the
    /// competent authority.
    Checkpoints {
        /// The store.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// Seal both logs now with a signed checkpoint (before handing the
    /// head to the provider or the competent authority, or before a backup).
    Checkpoint {
        /// The store: a file, or `postgres://…`.
        file: PathBuf,
        #[command(flatten)]
        key: KeyArg,
    },
    /// Remove records appended more than three years ago (by the store's
    /// clock), leaving a signed anchor.
    Prune {
        /// The store.
        file: PathBuf,
        /// Remove records appended before this time (at most three years
        /// before now).
        #[arg(long, value_name = "TIME")]
        before: String,
        #[command(flatten)]
        key: KeyArg,
    },
    /// Import a usage record of the JSON-lines format (govshare 0.2) into
    /// a store whose record is empty, verifying its chain as it goes.
    Import {
        /// The JSON-lines record log.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The store (created when absent).
        store: PathBuf,
        #[command(flatten)]
        key: KeyArg,
    },
}

#[derive(Subcommand)]
pub enum JournalCommand {
    /// Import a JSON-lines journal (govshare 0.2) into a store whose
    /// journal is empty, replaying each change onto the registry as it goes.
    Import {
        /// The base registry the journal applies to.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The JSON-lines journal.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The store (created when absent).
        store: PathBuf,
        #[command(flatten)]
        key: KeyArg,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Read the text of the notice 《国务院办公厅关于YYYY年部分节假日安排的通知》
    /// as published (title, items, issuing office and date; UTF-8) and
    /// write the year file `cn-YYYY.json`. Every weekday and day count the
    /// notice states is checked; a mismatch, an unknown festival or a line
    /// that cannot be read is an error naming the line (exit 2), and
    /// nothing is written.
    FromNotice {
        /// The notice's text, UTF-8.
        notice: PathBuf,
        /// The year the notice arranges (as its title says).
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// Where to write the year file (`cn-YYYY.json`, so that
        /// `--calendar DIR` loads it); `-` writes to standard output.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Read a year file of another format and write the year file
    /// `cn-YYYY.json`: `--from holiday-cn` reads the holiday-cn data set's
    /// `YYYY.json`, refused when its `days` or its `papers` (the notices it
    /// cites) are empty.
    Import {
        /// The format of the file.
        #[arg(long, value_enum)]
        from: CalendarFormat,
        /// The file.
        file: PathBuf,
        /// Where to write the year file (`cn-YYYY.json`); `-` writes to
        /// standard output.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the holidays and make-up workdays of a loaded year.
    Show {
        /// The year.
        year: i32,
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
        /// Output format: `json` prints the year file.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List the loaded years; exits 1 with a warning when the last one
    /// ends within 60 days of `--at` (or has ended).
    Check {
        /// Folder of `cn-YYYY.json` calendars; the embedded 2025–2026 without it.
        #[arg(long, value_name = "DIR")]
        calendar: Option<PathBuf>,
        /// The time to judge at, RFC 3339 with an offset; the system clock
        /// without it.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

/// A calendar format `calendar import` reads.
#[derive(Clone, Copy, ValueEnum)]
pub enum CalendarFormat {
    /// The holiday-cn data set's `YYYY.json` (`year`, `papers`, `days`).
    HolidayCn,
}

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Apply the pending schema migrations (recorded in the store) and
    /// create the store's header when it has none: a PostgreSQL database
    /// (`postgres://…`) or an SQLite file.
    Migrate {
        /// The store.
        store: PathBuf,
        #[command(flatten)]
        key: KeyArg,
    },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Generate a signing key (PKCS#8 PEM, mode 0600) and its public key.
    Generate {
        /// The algorithm.
        #[arg(long, value_enum, default_value = "sm2")]
        algorithm: AlgorithmArg,
        /// Where to write the private key (must not exist).
        #[arg(long, value_name = "FILE")]
        private: PathBuf,
        /// Where to write the public key (must not exist).
        #[arg(long, value_name = "FILE")]
        public: PathBuf,
    },
}

/// A signature algorithm on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum AlgorithmArg {
    /// SM2 with SM3 (GB/T 32918, GB/T 39786-2021).
    Sm2,
    /// Ed25519 with SHA-256.
    Ed25519,
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
        "ms" => return Ok(Duration::from_millis(n)),
        "" | "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => None,
    };
    seconds
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is not a duration such as `300`, `90s`, `5m` or `1h`"))
}
