//! `govshare`: decide usage requests and inspect the loaded rules from the
//! command line.
//!
//! Exit codes: 0 for any decision (allow or deny — read the output) and
//! for a clean check; 1 when `check`, `application`, `reply` or `record
//! verify` finds a problem; 2 for a
//! malformed request, registry or command line; 3 when the policies or the
//! calendar cannot be loaded.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Prints a line to standard output. A reader that went away (a closed
/// pipe, as with `| head`) ends the output quietly; any other write error
/// ends the program with exit code 2.
macro_rules! emit {
    ($($arg:tt)*) => {
        write_line(format_args!($($arg)*))
    };
}

fn write_line(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
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
use govshare::audit::{Query, RecordLog, query, verify};
use govshare::lifecycle::application::{
    Application, check_application, delivery_deadline, reply_deadline,
};
use govshare::lifecycle::application::{Reply, reply};
use govshare::lifecycle::calendar::DayKind;
use govshare::lifecycle::catalog::{Finding, validate};
use govshare::lifecycle::collection::duplicate_collection;
use govshare::lifecycle::disposal::overdue_disposals;
use govshare::lifecycle::transition::Transition;
use govshare::model::time::parse_rfc3339;
use govshare::registry::journal::{DurableRegistry, FileJournal, TornTail};
use govshare::{
    Calendar, DepartmentId, Engine, EngineBuilder, ItemName, Registry, Sharing, UsageRequest,
};
use govshare::{DatasetId, GrantId};

#[derive(Parser)]
#[command(
    name = "govshare",
    version,
    about = "Enforce 《政务数据共享条例》 (State Council Decree No. 809) on government data sharing"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The wire format (JSON).
    Json,
    /// An explanation for a person, Chinese first.
    Text,
}

#[derive(clap::Args)]
struct PolicyArgs {
    /// Folder laid out like `policies/` (schema, statutory/, optional/,
    /// calendar/); the embedded copies are used without it.
    #[arg(long, value_name = "DIR")]
    policies: Option<PathBuf>,
    /// Switch on a shipped optional policy, such as
    /// `block-while-disposal-overdue` (repeatable).
    #[arg(long = "optional", value_name = "NAME")]
    optional: Vec<String>,
    /// A file of local policies, forbids only (repeatable).
    #[arg(long = "local", value_name = "FILE")]
    local: Vec<PathBuf>,
}

impl PolicyArgs {
    fn engine(&self) -> Result<Engine, Failure> {
        let mut builder: EngineBuilder = Engine::builder();
        if let Some(dir) = &self.policies {
            builder = builder.policies_dir(dir);
        }
        for name in &self.optional {
            builder = builder.enable_optional(name);
        }
        for file in &self.local {
            builder = builder.local_policy_file(file);
        }
        builder
            .build()
            .map_err(|e| Failure::Deployment(e.to_string()))
    }
}

#[derive(Subcommand)]
enum Command {
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
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// Check a registry against the Regulation (Art. 2–3, 13–27); exits 1
    /// when any error-severity finding exists.
    Check {
        /// The registry.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// A journal of lifecycle changes to replay onto the registry.
        #[arg(long, value_name = "FILE")]
        journal: Option<PathBuf>,
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
    /// Apply a lifecycle transition (consent, purpose end, disposal receipt,
    /// suspension, reinstatement, termination, a new grant) and append it to
    /// the journal before returning (Art. 25, 27).
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
enum RecordCommand {
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

#[derive(Clone, Copy, ValueEnum)]
enum ClassArg {
    Unconditional,
    Conditional,
    NotShared,
}

enum Failure {
    /// Bad input: exit 2.
    Input(String),
    /// Policies or calendar cannot be loaded: exit 3.
    Deployment(String),
}

fn read_input(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Input(format!("standard input: {e}")))?;
        return Ok(text);
    }
    let bytes =
        std::fs::read(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map_err(|e| Failure::Input(format!("{}: not valid UTF-8 ({e})", path.display())))
}

fn calendar(dir: Option<&Path>) -> Result<Calendar, Failure> {
    match dir {
        Some(dir) => Calendar::load_dir(dir),
        None => Calendar::embedded(),
    }
    .map_err(|e| Failure::Deployment(e.to_string()))
}

fn time_arg(flag: &str, value: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, Failure> {
    parse_rfc3339(value).map_err(|e| Failure::Input(format!("--{flag}: {e}")))
}

fn registry_arg(path: &Path) -> Result<Registry, Failure> {
    Registry::from_path(path).map_err(|e| Failure::Input(e.to_string()))
}

/// The registry with a journal replayed onto it, reporting a torn tail.
fn journaled(path: &Path, journal: Option<&Path>) -> Result<Registry, Failure> {
    let base = registry_arg(path)?;
    let Some(journal) = journal else {
        return Ok(base);
    };
    Ok(open_durable(journal, base)?.into_registry())
}

/// Opens a journal over `base`, reports a torn tail, and replays it.
fn open_durable(journal: &Path, base: Registry) -> Result<DurableRegistry, Failure> {
    let store = FileJournal::open(journal, &base).map_err(|e| Failure::Input(e.to_string()))?;
    report_torn(journal, store.report().torn.as_ref());
    DurableRegistry::open(base, store)
        .map_err(|e| Failure::Input(format!("{}: {e}", journal.display())))
}

fn report_torn(path: &Path, torn: Option<&TornTail>) {
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

fn print_json(value: &impl serde::Serialize) {
    emit!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        let severity = if f.is_error() {
            "错误 error"
        } else {
            "提示 warning"
        };
        emit!(
            "[{}] {severity} 第{}条 {} `{}`",
            f.code,
            f.articles.join("、"),
            f.subject.kind,
            f.subject.id
        );
        emit!("    {}", f.zh);
        emit!("    {}", f.en);
    }
}

fn run(cli: Cli) -> Result<Outcome, Failure> {
    match cli.command {
        Command::Decide {
            registry,
            journal,
            record,
            request,
            policy,
            format,
        } => {
            let engine = policy.engine()?;
            let registry = journaled(&registry, journal.as_deref())?;
            let text = read_input(&request)?;
            let request = UsageRequest::from_json(&text)
                .map_err(|e| Failure::Input(format!("{}: {e}", request.display())))?;
            let decision = engine.evaluate(&request, &registry);
            if let Some(path) = &record {
                let log = RecordLog::open(path).map_err(|e| Failure::Input(e.to_string()))?;
                report_torn(path, log.torn());
                log.record_decision(&request, &decision)
                    .map_err(|e| Failure::Input(e.to_string()))?;
            }
            match format {
                Format::Json => emit!("{}", decision.to_json_pretty()),
                Format::Text => emit!("{}", decision.explain()),
            }
            Ok(Outcome::Done)
        }
        Command::Check {
            registry,
            journal,
            format,
        } => {
            let registry = journaled(&registry, journal.as_deref())?;
            let findings = validate(&registry);
            let errors = findings.iter().filter(|f| f.is_error()).count();
            match format {
                Format::Json => print_json(&findings),
                Format::Text => {
                    print_findings(&findings);
                    emit!(
                        "{errors} errors, {} warnings in {} departments, {} catalog entries, {} grants",
                        findings.len() - errors,
                        registry.departments().len(),
                        registry.datasets().len(),
                        registry.grants().len()
                    );
                }
            }
            Ok(if errors > 0 {
                Outcome::Findings
            } else {
                Outcome::Done
            })
        }
        Command::Deadline {
            received,
            class,
            extension,
            delivery,
            calendar: dir,
            format,
        } => {
            let calendar = calendar(dir.as_deref())?;
            let received = time_arg("received", &received)?;
            let sharing = match class {
                ClassArg::Unconditional => Sharing::Unconditional,
                ClassArg::Conditional => Sharing::Conditional {
                    scope: String::new(),
                    uses: Vec::new(),
                },
                ClassArg::NotShared => Sharing::NotShared {
                    reason: String::new(),
                    basis: None,
                },
            };
            let (what, days) = if delivery {
                if extension > 0 {
                    return Err(Failure::Input(
                        "--extension applies to reply deadlines only".into(),
                    ));
                }
                (
                    "delivery (Art. 22)",
                    delivery_deadline(&calendar, &received)
                        .map_err(|e| Failure::Input(e.to_string()))?,
                )
            } else {
                (
                    "reply (Art. 21)",
                    reply_deadline(&calendar, &received, &sharing, extension)
                        .map_err(|e| Failure::Input(e.to_string()))?,
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
                        emit!("  skipped {} {}", day.date, describe(&day.kind));
                    }
                }
            }
            Ok(Outcome::Done)
        }
        Command::Disposals {
            registry,
            journal,
            at,
            calendar: dir,
            format,
        } => {
            let calendar = calendar(dir.as_deref())?;
            let registry = journaled(&registry, journal.as_deref())?;
            let at = time_arg("at", &at)?;
            let entries = overdue_disposals(&registry, &at, &calendar);
            match format {
                Format::Json => print_json(&entries),
                Format::Text => {
                    for e in &entries {
                        let state = match e.overdue {
                            Some(true) => "逾期 OVERDUE",
                            Some(false) => "待处置 due",
                            None => "到期日未知 due date unknown",
                        };
                        let due = e.due.map(|d| d.to_string()).unwrap_or_else(|| "?".into());
                        emit!(
                            "{state:<14} due {due}  grant {}  {} holds {} ({}) — {} after {} at {}",
                            e.grant,
                            e.requester,
                            e.dataset,
                            e.provider.as_ref().map(|p| p.as_str()).unwrap_or("?"),
                            e.method.as_str(),
                            e.trigger,
                            e.triggered_at.to_rfc3339()
                        );
                        if let Some(err) = &e.due_error {
                            emit!("    {err}");
                        }
                    }
                    let overdue = entries.iter().filter(|e| e.overdue == Some(true)).count();
                    emit!("{} disposals owed, {overdue} overdue", entries.len());
                }
            }
            Ok(Outcome::Done)
        }
        Command::Duplicates {
            registry,
            requester,
            items,
            format,
        } => {
            let registry = registry_arg(&registry)?;
            let requester = DepartmentId::new(requester)
                .map_err(|e| Failure::Input(format!("--requester: {e}")))?;
            let items = items
                .into_iter()
                .map(ItemName::new)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Failure::Input(format!("--items: {e}")))?;
            let found = duplicate_collection(&registry, &requester, &items);
            match format {
                Format::Json => print_json(&found),
                Format::Text => {
                    for f in &found {
                        emit!(
                            "{}: obtainable from {} ({}, {}) — 不得重复收集 (Art. 19, 40(1))",
                            f.item,
                            f.dataset,
                            f.provider,
                            f.class
                        );
                    }
                    emit!(
                        "{} of {} items obtainable through sharing",
                        {
                            let mut names: Vec<_> = found.iter().map(|f| &f.item).collect();
                            names.dedup();
                            names.len()
                        },
                        items.len()
                    );
                }
            }
            Ok(Outcome::Done)
        }
        Command::Application {
            registry,
            application,
            format,
        } => {
            let registry = registry_arg(&registry)?;
            let text = read_input(&application)?;
            let app: Application = serde_json::from_str(&text).map_err(|e| {
                Failure::Input(format!(
                    "{}: invalid application: {e}",
                    application.display()
                ))
            })?;
            let findings = check_application(&app, &registry);
            match format {
                Format::Json => print_json(&findings),
                Format::Text => {
                    print_findings(&findings);
                    if findings.is_empty() {
                        emit!("application `{}` is complete", app.id);
                    } else {
                        emit!(
                            "application `{}`: {} parts missing or invalid, to be supplemented at once (Art. 21)",
                            app.id,
                            findings.len()
                        );
                    }
                }
            }
            Ok(if findings.is_empty() {
                Outcome::Done
            } else {
                Outcome::Findings
            })
        }
        Command::Reply {
            registry,
            application,
            reply: reply_path,
            journal,
            calendar: dir,
        } => {
            let calendar = calendar(dir.as_deref())?;
            let base = registry_arg(&registry)?;
            let app: Application =
                serde_json::from_str(&read_input(&application)?).map_err(|e| {
                    Failure::Input(format!(
                        "{}: invalid application: {e}",
                        application.display()
                    ))
                })?;
            let answer: Reply = serde_json::from_str(&read_input(&reply_path)?).map_err(|e| {
                Failure::Input(format!("{}: invalid reply: {e}", reply_path.display()))
            })?;
            let answered = |registry: &Registry| {
                reply(&app, registry, &calendar, &answer).map_err(|e| Failure::Input(e.to_string()))
            };
            let (outcome, durable) = match &journal {
                Some(path) => {
                    let durable = open_durable(path, base)?;
                    let outcome = answered(&durable.registry())?;
                    (outcome, Some(durable))
                }
                None => (answered(&base)?, None),
            };
            if let (Some(durable), Some(grant)) = (&durable, &outcome.grant) {
                let t = Transition::new(
                    answer.replied_at,
                    answer.approval.by.clone(),
                    format!("approval of application `{}`", app.id),
                    govshare::lifecycle::transition::Change::GrantApproved {
                        grant: Box::new(grant.clone()),
                    },
                );
                durable
                    .apply(&t)
                    .map_err(|e| Failure::Input(e.to_string()))?;
            }
            print_json(&outcome);
            Ok(if outcome.violations.is_empty() {
                Outcome::Done
            } else {
                Outcome::Findings
            })
        }
        Command::Apply {
            registry,
            journal,
            transition,
        } => {
            let base = registry_arg(&registry)?;
            let text = read_input(&transition)?;
            let t: Transition = serde_json::from_str(&text).map_err(|e| {
                Failure::Input(format!("{}: invalid transition: {e}", transition.display()))
            })?;
            let durable = open_durable(&journal, base)?;
            durable
                .apply(&t)
                .map_err(|e| Failure::Input(e.to_string()))?;
            emit!(
                "applied {} to grant `{}`; recorded in {}",
                t.change.kind(),
                t.change.grant_id(),
                journal.display()
            );
            Ok(Outcome::Done)
        }
        Command::Record { command } => match command {
            RecordCommand::Verify { file, format } => {
                let report = verify(&file).map_err(|e| Failure::Input(e.to_string()))?;
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
                    Outcome::Findings
                } else {
                    Outcome::Done
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
                        .map_err(|e| Failure::Input(format!("--grant: {e}")))?,
                    requester: requester
                        .map(DepartmentId::new)
                        .transpose()
                        .map_err(|e| Failure::Input(format!("--requester: {e}")))?,
                    dataset: dataset
                        .map(DatasetId::new)
                        .transpose()
                        .map_err(|e| Failure::Input(format!("--dataset: {e}")))?,
                    from: from.map(|f| time_arg("from", &f)).transpose()?,
                    until: until.map(|u| time_arg("until", &u)).transpose()?,
                };
                for r in query(&file, &q).map_err(|e| Failure::Input(e.to_string()))? {
                    emit!("{}", serde_json::to_string(&r).unwrap_or_default());
                }
                Ok(Outcome::Done)
            }
        },
        Command::Policies { policy, format } => {
            let engine = policy.engine()?;
            match format {
                Format::Json => {
                    let out = serde_json::json!({
                        "policy_digest": engine.policy_digest(),
                        "rules": engine.rules(),
                    });
                    emit!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
                Format::Text => {
                    emit!("policy digest: {}", engine.policy_digest());
                    for rule in engine.rules() {
                        let effect = match rule.effect {
                            govshare::RuleEffect::Permit => "permit",
                            govshare::RuleEffect::Forbid => "forbid",
                        };
                        let origin = match rule.origin {
                            govshare::RuleOrigin::Statutory => "statutory",
                            govshare::RuleOrigin::Optional => "optional",
                            govshare::RuleOrigin::Local => "local",
                        };
                        emit!(
                            "{:<26} {:<7} {:<9} 第{}条  {} / {}",
                            rule.id,
                            effect,
                            origin,
                            rule.articles.join("、"),
                            rule.zh,
                            rule.en
                        );
                    }
                }
            }
            Ok(Outcome::Done)
        }
    }
}

fn describe(kind: &DayKind) -> String {
    match kind {
        DayKind::Weekend => "周末 weekend".into(),
        DayKind::Holiday { name } => format!("{name} holiday"),
        DayKind::Workday => "workday".into(),
        DayKind::MakeUpWorkday { for_holiday } => format!("{for_holiday}调休上班 make-up workday"),
    }
}

/// How a successful run ends.
enum Outcome {
    /// Exit 0.
    Done,
    /// Exit 1: the check found errors.
    Findings,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(Failure::Input(message)) => {
            eprintln!("govshare: error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Deployment(message)) => {
            eprintln!("govshare: error: {message}");
            ExitCode::from(3)
        }
    }
}
