//! `govshare serve`: one instance of several sharing a PostgreSQL store,
//! answering JSON lines on standard input from its in-memory replica.

use std::path::PathBuf;
use std::time::Duration;

use crate::args::PolicyArgs;
use crate::{CliError, Exit};

/// The command's flags.
#[cfg_attr(
    not(feature = "postgres"),
    expect(dead_code, reason = "read only with PostgreSQL support")
)]
pub struct Options {
    pub registry: PathBuf,
    pub journal: PathBuf,
    pub record: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub staleness: Duration,
    pub poll: Duration,
    pub wait: Duration,
}

#[cfg(not(feature = "postgres"))]
pub fn run(options: &Options, policy: &PolicyArgs) -> Result<Exit, CliError> {
    let _ = policy;
    Err(CliError::Input(format!(
        "{}: `govshare serve` needs PostgreSQL support, and this govshare was built without it (cargo feature `postgres`)",
        crate::io::redacted(&options.journal)
    )))
}

#[cfg(feature = "postgres")]
pub fn run(options: &Options, policy: &PolicyArgs) -> Result<Exit, CliError> {
    use std::io::BufRead as _;

    use govshare::UsageRequest;
    use govshare::lifecycle::Transition;
    use govshare::store::{PgStore, Replica, ReplicaOptions, StoreOptions};
    use serde_json::{Value, json};

    use crate::io::{AnyStore, emit, is_postgres, keyed, redacted, registry_arg, signing_key};

    if !is_postgres(&options.journal) {
        return Err(CliError::Input(format!(
            "--journal {}: `govshare serve` follows a PostgreSQL store; give its `postgres://` URL",
            options.journal.display()
        )));
    }
    let engine = policy.engine(None)?;
    let base = registry_arg(&options.registry)?;
    let mut store_options = StoreOptions::new();
    if let Some(k) = signing_key(options.key.as_deref())? {
        store_options = store_options.signing_key(k);
    }
    let store = PgStore::connect_with(&options.journal.to_string_lossy(), store_options)
        .map_err(|e| CliError::store(&e))?;
    let replica = Replica::open(
        &store,
        base,
        ReplicaOptions::new()
            .staleness(options.staleness)
            .poll(options.poll)
            .wait(options.wait),
    )
    .map_err(|e| CliError::journal_in(redacted(&options.journal), &e))?;
    let sink = options
        .record
        .as_deref()
        .map(|r| AnyStore::writable(r, options.key.as_deref()))
        .transpose()?;
    let error = |message: String| emit!("{}", json!({ "error": message }));
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| CliError::input_in("standard input", &e))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(&line) {
            Ok(Value::Object(o)) => Value::Object(o),
            Ok(_) => {
                error("a line must be a JSON object".into());
                continue;
            }
            Err(e) => {
                error(format!("a line is not JSON: {e}"));
                continue;
            }
        };
        if let Some(request) = value.get("decide") {
            let request = match UsageRequest::from_json(&request.to_string()) {
                Ok(r) => r,
                Err(e) => {
                    error(govshare::error_report(&e));
                    continue;
                }
            };
            let decision = match value.get("at_least").and_then(Value::as_u64) {
                Some(v) => engine.evaluate(&request, &replica.facts_at_least(v)),
                None => engine.evaluate(&request, &replica.facts()),
            };
            let decision_value: Value =
                serde_json::from_str(&decision.to_json()).unwrap_or(Value::Null);
            match &sink {
                None => emit!("{}", json!({ "decision": decision_value })),
                // The decision is printed only once its record is committed.
                Some(s) => match s.record_decision(&request, &decision) {
                    Ok(a) => emit!("{}", json!({ "decision": decision_value, "recorded": a })),
                    Err(e) => error(govshare::error_report(&e)),
                },
            }
        } else if let Some(t) = value.get("apply") {
            let t: Transition = match serde_json::from_value(t.clone()) {
                Ok(t) => t,
                Err(e) => {
                    error(format!("invalid transition: {e}"));
                    continue;
                }
            };
            let t = keyed(t)?;
            match replica.apply(&t) {
                Ok(a) => emit!("{}", json!({ "applied": a })),
                Err(e) => error(govshare::error_report(&e)),
            }
        } else if value.get("status").is_some() {
            let facts = replica.facts();
            emit!(
                "{}",
                json!({ "version": replica.version(), "unavailable": facts.unavailable() })
            );
        } else {
            error("a line holds `decide`, `apply` or `status`".into());
        }
    }
    Ok(Exit::Done)
}
