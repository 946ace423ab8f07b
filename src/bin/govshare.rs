//! `govshare`: decide usage requests and inspect the loaded rules from the
//! command line.
//!
//! Exit codes: 0 for any decision (allow or deny — read the output);
//! 2 for a malformed request, registry or command line; 3 when the policies
//! or the calendar cannot be loaded.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use govshare::{Engine, EngineBuilder, Registry, UsageRequest};

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
        /// The usage request in the wire format; `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        request: PathBuf,
        #[command(flatten)]
        policy: PolicyArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
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

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Decide {
            registry,
            request,
            policy,
            format,
        } => {
            let engine = policy.engine()?;
            let registry =
                Registry::from_path(&registry).map_err(|e| Failure::Input(e.to_string()))?;
            let text = read_input(&request)?;
            let request = UsageRequest::from_json(&text)
                .map_err(|e| Failure::Input(format!("{}: {e}", request.display())))?;
            let decision = engine.evaluate(&request, &registry);
            match format {
                Format::Json => println!("{}", decision.to_json_pretty()),
                Format::Text => println!("{}", decision.explain()),
            }
            Ok(())
        }
        Command::Policies { policy, format } => {
            let engine = policy.engine()?;
            match format {
                Format::Json => {
                    let out = serde_json::json!({
                        "policy_digest": engine.policy_digest(),
                        "rules": engine.rules(),
                    });
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
                Format::Text => {
                    println!("policy digest: {}", engine.policy_digest());
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
                        println!(
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
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
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
