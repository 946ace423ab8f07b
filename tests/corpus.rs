//! The decision corpus: data-driven cases in `tests/cases/*.json`, each run
//! through the Rust API and through the `govshare decide` command line.
//!
//! A file in `tests/cases/` is either a registry in the wire format (a JSON
//! object with a `departments` key; `registry.json` is the default one) or
//! a case file holding one case object or an array of them. A case is
//!
//! ```json
//! {"name": "scope expansion names the item outside the grant",
//!  "registry": "registry.json",
//!  "request": {"requester": "hz-hrss", "...": "..."},
//!  "expect": {"decision": "deny", "rules": ["GS-SCOPE-EXPANSION"],
//!             "grant": "g-01-hrss-ent", "contains": ["legal_rep_id_number"],
//!             "facts": {"GS-SCOPE-EXPANSION": {"items_outside_grant": ["legal_rep_id_number"]}},
//!             "obligations": []}}
//! ```
//!
//! `registry` is optional. Instead of `request` a case may give
//! `request_text`, the raw text of the request (for broken JSON, duplicate
//! keys and the like). `expect` holds either a decision — `decision` and
//! `rules` (the exact ordered reason rule ids) are required; `grant` (`null`
//! for none), `contains` (phrases each found in the Chinese or English text
//! of some reason or obligation), `facts` (per rule, a subset of the
//! reason's facts), `obligations` (the exact ordered obligation ids) and
//! `due` (the `due` fact of `GS-OBL-DISPOSE`) are optional — or an `error`
//! (a phrase of the error message, such as `invalid request`) with
//! `contains` phrases the message must hold.
//!
//! Adding a case needs no code. Every failure names the case file and the
//! case; all failures of a run are reported together.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use govshare::{Engine, Registry, UsageRequest};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// The rule catalog of DESIGN §3 and §8, in catalog order.
const CATALOG: [&str; 21] = [
    "GS-UNKNOWN-REQUESTER",
    "GS-NOT-PUBLISHED",
    "GS-NOT-SHARED",
    "GS-UNKNOWN-PROVIDER",
    "GS-SECRET-DATA",
    "GS-OUTSIDE-SHARING-SCOPE",
    "GS-USE-NOT-PERMITTED",
    "GS-UNREGISTERED-PURPOSE",
    "GS-NO-GRANT",
    "GS-GRANT-OTHER-REQUESTER",
    "GS-SCOPE-EXPANSION",
    "GS-PURPOSE-CHANGE",
    "GS-THIRD-PARTY",
    "GS-PROCESSOR-NOT-ENTRUSTED",
    "GS-METHOD-NOT-GRANTED",
    "GS-NOT-YET-VALID",
    "GS-PERIOD-ENDED",
    "GS-PURPOSE-ENDED",
    "GS-GRANT-SUSPENDED",
    "GS-GRANT-TERMINATED",
    "GS-DISPOSED",
];

const PERMIT: &str = "GS-PERMIT";
const RECORD_USE: &str = "GS-OBL-RECORD-USE";
const DISPOSE: &str = "GS-OBL-DISPOSE";
const SUPERVISE: &str = "GS-OBL-SUPERVISE-PROCESSOR";
const DEFAULT_REGISTRY: &str = "registry.json";

/// Fewer cases than this means cases were lost.
const MIN_CASES: usize = 80;
/// Fewer malformed-request cases than this means cases were lost.
const MIN_MALFORMED_CASES: usize = 13;

/// A case as written in a case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDoc {
    name: String,
    #[serde(default)]
    registry: Option<String>,
    #[serde(default)]
    request: Option<Value>,
    #[serde(default)]
    request_text: Option<String>,
    expect: Expect,
}

/// What a case expects.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    decision: Option<String>,
    #[serde(default)]
    rules: Option<Vec<String>>,
    /// Absent: not checked; `null`: no grant; a string: that grant.
    #[serde(default, deserialize_with = "present")]
    grant: Option<Option<String>>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    facts: BTreeMap<String, Map<String, Value>>,
    #[serde(default)]
    obligations: Option<Vec<String>>,
    /// Absent: not checked; `null`: the due date is unknown; a date.
    #[serde(default, deserialize_with = "present")]
    due: Option<Option<String>>,
    #[serde(default)]
    error: Option<String>,
}

/// Tells a key given as `null` apart from a key left out.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A case ready to run.
#[derive(Debug)]
struct Case {
    /// The case file, such as `grant-scope.json`.
    file: String,
    name: String,
    /// The registry file name inside `tests/cases/`.
    registry: String,
    /// The request text handed to the parser and to the CLI.
    text: String,
    expect: Expect,
}

impl Case {
    fn label(&self) -> String {
        format!("{} › {}", self.file, self.name)
    }

    fn is_error(&self) -> bool {
        self.expect.error.is_some()
    }

    fn is_allow(&self) -> bool {
        self.expect.decision.as_deref() == Some("allow")
    }

    fn is_deny(&self) -> bool {
        self.expect.decision.as_deref() == Some("deny")
    }

    fn rules(&self) -> &[String] {
        self.expect.rules.as_deref().unwrap_or(&[])
    }
}

/// The loaded corpus, or the problems that kept cases from loading.
struct Corpus {
    cases: Vec<Case>,
    registries: HashMap<String, Registry>,
    problems: Vec<String>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("cases")
}

fn is_registry(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.contains_key("departments"))
}

/// Checks the shape of a case's expectations; returns the problems.
fn check_case_shape(case: &CaseDoc) -> Vec<String> {
    let mut out = Vec::new();
    let e = &case.expect;
    match (&case.request, &case.request_text) {
        (Some(_), None) | (None, Some(_)) => {}
        _ => out.push("give exactly one of `request` and `request_text`".to_owned()),
    }
    if e.error.is_some() {
        if e.decision.is_some()
            || e.rules.is_some()
            || e.grant.is_some()
            || !e.facts.is_empty()
            || e.obligations.is_some()
            || e.due.is_some()
        {
            out.push(
                "an `error` case expects no decision, rules, grant, facts, obligations or due"
                    .into(),
            );
        }
        return out;
    }
    match e.decision.as_deref() {
        Some("allow") => {
            if e.rules.as_deref() != Some(&[PERMIT.to_owned()][..]) {
                out.push(format!("an allow case must expect rules [\"{PERMIT}\"]"));
            }
        }
        Some("deny") => match &e.rules {
            Some(rules) if !rules.is_empty() => {
                for r in rules {
                    if !CATALOG.contains(&r.as_str()) {
                        out.push(format!("`{r}` is not a rule of the catalog"));
                    }
                }
            }
            _ => out.push("a deny case must expect a non-empty `rules` list".into()),
        },
        other => out.push(format!(
            "`expect.decision` must be \"allow\" or \"deny\" (or give `error`), got {other:?}"
        )),
    }
    for rule in e.facts.keys() {
        if !e.rules.as_ref().is_some_and(|r| r.contains(rule)) {
            out.push(format!(
                "`facts` names `{rule}`, which `rules` does not list"
            ));
        }
    }
    out
}

fn load_corpus() -> Corpus {
    let dir = cases_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();

    let mut cases = Vec::new();
    let mut registries = HashMap::new();
    let mut problems = Vec::new();
    let mut docs = Vec::new();
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{file}: cannot read: {e}"));
                continue;
            }
        };
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: not JSON: {e}"));
                continue;
            }
        };
        if is_registry(&value) {
            match Registry::from_path(path) {
                Ok(r) => {
                    registries.insert(file, r);
                }
                Err(e) => problems.push(format!("{file}: registry does not load: {e}")),
            }
            continue;
        }
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        docs.push((file, items));
    }

    for (file, items) in docs {
        let mut names = BTreeSet::new();
        for (i, item) in items.into_iter().enumerate() {
            let doc: CaseDoc = match serde_json::from_value(item) {
                Ok(d) => d,
                Err(e) => {
                    problems.push(format!("{file} › case #{}: not a case: {e}", i + 1));
                    continue;
                }
            };
            let label = format!("{file} › {}", doc.name);
            if !names.insert(doc.name.clone()) {
                problems.push(format!("{label}: the name is used twice in the file"));
            }
            let shape = check_case_shape(&doc);
            if !shape.is_empty() {
                problems.extend(shape.into_iter().map(|p| format!("{label}: {p}")));
                continue;
            }
            let registry = doc
                .registry
                .clone()
                .unwrap_or_else(|| DEFAULT_REGISTRY.to_owned());
            if !registries.contains_key(&registry) {
                problems.push(format!(
                    "{label}: registry `{registry}` is not a registry file in tests/cases/"
                ));
                continue;
            }
            let text = match (doc.request, doc.request_text) {
                (Some(v), None) => serde_json::to_string_pretty(&v).unwrap(),
                (None, Some(t)) => t,
                _ => unreachable!("checked by check_case_shape"),
            };
            cases.push(Case {
                file: file.clone(),
                name: doc.name,
                registry,
                text,
                expect: doc.expect,
            });
        }
    }
    Corpus {
        cases,
        registries,
        problems,
    }
}

fn corpus() -> Corpus {
    let corpus = load_corpus();
    assert!(
        corpus.problems.is_empty(),
        "the corpus does not load:\n  {}",
        corpus.problems.join("\n  ")
    );
    corpus
}

fn engine() -> Engine {
    Engine::builder()
        .build()
        .expect("the embedded policies load")
}

/// Whether `expected` is a subset of `actual`: objects key by key
/// (recursively), everything else by equality.
fn subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| subset(v, av))),
        _ => expected == actual,
    }
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("<not a string>").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x[key].as_str().unwrap_or("<missing>").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The envelope every decision carries: an id, a time, the policy digest.
fn check_envelope(d: &Value, out: &mut Vec<String>) {
    match d.get("decision_id").and_then(Value::as_str) {
        Some(id) if uuid::Uuid::parse_str(id).is_ok() => {}
        other => out.push(format!("decision_id is not a UUID: {other:?}")),
    }
    match d.get("decided_at").and_then(Value::as_str) {
        Some(t) if chrono::DateTime::parse_from_rfc3339(t).is_ok() => {}
        other => out.push(format!("decided_at is not an RFC 3339 time: {other:?}")),
    }
    match d.get("policy_digest").and_then(Value::as_str) {
        Some(digest)
            if digest.strip_prefix("sha256:").is_some_and(|hex| {
                hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
            }) => {}
        other => out.push(format!("policy_digest is not `sha256:<64 hex>`: {other:?}")),
    }
}

/// Whether a request's text names a `processor` (a contractor acting for
/// the requester, DESIGN §8).
fn names_processor(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|v| v.get("processor").is_some())
}

/// Checks a decision in the wire format against a case (whose request
/// names a processor or not); returns the problems found.
fn check_decision(d: &Value, e: &Expect, processor: bool) -> Vec<String> {
    let mut out = Vec::new();
    check_envelope(d, &mut out);
    let reasons = &d["reasons"];
    let obligations = &d["obligations"];
    if !reasons.is_array() || !obligations.is_array() {
        out.push(format!("`reasons` and `obligations` must be arrays: {d}"));
        return out;
    }

    let decision = d["decision"].as_str().unwrap_or("<missing>");
    if let Some(want) = &e.decision
        && decision != want
    {
        out.push(format!("decision: expected {want}, got {decision}"));
    }
    let rules = ids(reasons, "rule");
    if let Some(want) = &e.rules
        && &rules != want
    {
        out.push(format!("rules: expected {want:?}, got {rules:?}"));
    }
    if let Some(want) = &e.grant {
        let got = d["grant"].as_str().map(ToOwned::to_owned);
        if d["grant"].is_null() || got.is_some() {
            if &got != want {
                out.push(format!("grant: expected {want:?}, got {got:?}"));
            }
        } else {
            out.push(format!("grant: not a string or null: {}", d["grant"]));
        }
    }

    let texts: Vec<&str> = reasons
        .as_array()
        .into_iter()
        .chain(obligations.as_array())
        .flatten()
        .flat_map(|r| [r["zh"].as_str(), r["en"].as_str()])
        .flatten()
        .collect();
    for phrase in &e.contains {
        if !texts.iter().any(|t| t.contains(phrase.as_str())) {
            out.push(format!(
                "no reason or obligation text contains {phrase:?}; the texts are {texts:?}"
            ));
        }
    }

    for (rule, want) in &e.facts {
        let found = reasons
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["rule"].as_str() == Some(rule.as_str()));
        match found {
            None => out.push(format!("facts: no reason `{rule}`")),
            Some(r) => {
                let want = Value::Object(want.clone());
                if !subset(&want, &r["facts"]) {
                    out.push(format!(
                        "facts of `{rule}`: expected a superset of {want}, got {}",
                        r["facts"]
                    ));
                }
            }
        }
    }

    let obligation_ids = ids(obligations, "obligation");
    if let Some(want) = &e.obligations
        && &obligation_ids != want
    {
        out.push(format!(
            "obligations: expected {want:?}, got {obligation_ids:?}"
        ));
    }
    if let Some(want) = &e.due {
        let dispose = obligations
            .as_array()
            .into_iter()
            .flatten()
            .find(|o| o["obligation"].as_str() == Some(DISPOSE));
        match dispose {
            None => out.push(format!("due: expected {want:?}, but there is no {DISPOSE}")),
            Some(o) => {
                let got = &o["facts"]["due"];
                let got_str = got.as_str().map(ToOwned::to_owned);
                if !(got.is_null() || got_str.is_some()) || &got_str != want {
                    let why = o["facts"]["due_error"]
                        .as_str()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default();
                    out.push(format!("due: expected {want:?}, got {got}{why}"));
                }
            }
        }
    }

    // Invariants of DESIGN §3 that hold for every decision.
    match decision {
        "allow" => {
            if rules != [PERMIT] {
                out.push(format!("an allow must have exactly one reason, {PERMIT}"));
            }
            // Through a processor, the duty to supervise it comes too.
            let want: &[&str] = if processor {
                &[RECORD_USE, DISPOSE, SUPERVISE]
            } else {
                &[RECORD_USE, DISPOSE]
            };
            if obligation_ids != want {
                out.push(format!(
                    "an allow must carry {want:?}, got {obligation_ids:?}"
                ));
            }
        }
        "deny" => {
            let positions: Vec<Option<usize>> = rules
                .iter()
                .map(|r| CATALOG.iter().position(|c| c == r))
                .collect();
            if positions.iter().any(Option::is_none) || !positions.is_sorted() {
                out.push(format!(
                    "a deny must list catalog rules in catalog order: {rules:?}"
                ));
            }
            // Disposal is owed once the period or purpose ended, or the
            // catalog entry was withdrawn (its obligation names that
            // trigger), unless the data was disposed of.
            let withdrawn = rules.iter().any(|r| r == "GS-NOT-PUBLISHED")
                && obligations.as_array().into_iter().flatten().any(|o| {
                    o["obligation"] == DISPOSE && o["facts"]["trigger"] == "entry_withdrawn"
                });
            let owes_disposal = (withdrawn
                || rules
                    .iter()
                    .any(|r| r == "GS-PERIOD-ENDED" || r == "GS-PURPOSE-ENDED"))
                && !rules.iter().any(|r| r == "GS-DISPOSED");
            if !owes_disposal && !obligation_ids.is_empty() {
                out.push(format!(
                    "a deny that owes no disposal must carry no obligation, got {obligation_ids:?}"
                ));
            }
        }
        other => out.push(format!("decision is neither allow nor deny: {other:?}")),
    }
    for r in reasons.as_array().into_iter().flatten() {
        let rule = r["rule"].as_str().unwrap_or("<missing>");
        if r["zh"].as_str().is_none_or(str::is_empty) || r["en"].as_str().is_none_or(str::is_empty)
        {
            out.push(format!("reason `{rule}` lacks its zh or en text"));
        }
        if strings(r, "articles").is_empty() {
            out.push(format!("reason `{rule}` cites no article"));
        }
        if !r["facts"].is_object() {
            out.push(format!("reason `{rule}` has no facts object"));
        }
    }
    out
}

/// Checks an error message against an `error` case.
fn check_error(message: &str, e: &Expect) -> Vec<String> {
    let mut out = Vec::new();
    for phrase in e.error.iter().chain(&e.contains) {
        if !message.contains(phrase.as_str()) {
            out.push(format!("the error message lacks {phrase:?}: {message:?}"));
        }
    }
    out
}

/// Runs a case through the Rust API. Returns the decision in the wire
/// format (for comparison with the CLI) and the problems found.
fn run_api(engine: &Engine, registry: &Registry, case: &Case) -> (Option<Value>, Vec<String>) {
    let parsed = UsageRequest::from_json(&case.text);
    let via_json = engine.evaluate_json(&case.text, registry);
    match (parsed, case.is_error()) {
        (Err(e), true) => {
            let mut out = check_error(&govshare::error_report(&e), &case.expect);
            match via_json {
                Ok(d) => out.push(format!(
                    "Engine::evaluate_json decided a malformed request: {}",
                    d.to_json()
                )),
                Err(e2) if govshare::error_report(&e2) != govshare::error_report(&e) => out.push(
                    format!("Engine::evaluate_json gave another error: {e2} (from_json: {e})"),
                ),
                Err(_) => {}
            }
            (None, out)
        }
        (Err(e), false) => (None, vec![format!("the request was rejected: {e}")]),
        (Ok(request), true) => {
            let d = engine.evaluate(&request, registry);
            (
                None,
                vec![format!(
                    "expected an error, but the request parsed and was decided: {:?} {:?}",
                    d.outcome(),
                    d.rule_ids()
                )],
            )
        }
        (Ok(request), false) => {
            let decision = engine.evaluate(&request, registry);
            let value = serde_json::to_value(&decision).expect("a decision serializes");
            let mut out = check_decision(&value, &case.expect, names_processor(&case.text));
            // The typed accessors must agree with the wire format.
            let rule_ids: Vec<String> = decision
                .rule_ids()
                .into_iter()
                .map(ToOwned::to_owned)
                .collect();
            if rule_ids != ids(&value["reasons"], "rule") {
                out.push(format!(
                    "Decision::rule_ids() disagrees with `reasons`: {rule_ids:?}"
                ));
            }
            if decision.is_allow() != (value["decision"] == "allow") {
                out.push("Decision::is_allow() disagrees with `decision`".into());
            }
            let grant = decision.grant().map(|g| g.as_str().to_owned());
            if grant.as_deref() != value["grant"].as_str() {
                out.push(format!(
                    "Decision::grant() disagrees with `grant`: {grant:?}"
                ));
            }
            if decision.policy_digest() != engine.policy_digest() {
                out.push("the decision's policy digest is not the engine's".into());
            }
            match via_json {
                Ok(d) if d.rule_ids() == decision.rule_ids() => {}
                Ok(d) => out.push(format!(
                    "Engine::evaluate_json decided otherwise: {:?}",
                    d.rule_ids()
                )),
                Err(e) => out.push(format!("Engine::evaluate_json rejected the request: {e}")),
            }
            (Some(value), out)
        }
    }
}

/// A request written to a file the CLI reads; removed when dropped.
struct TempRequest(tempfile::NamedTempFile);

impl TempRequest {
    fn new(text: &str) -> Self {
        let file = tempfile::Builder::new()
            .prefix("govshare-corpus-")
            .suffix(".json")
            .tempfile()
            .unwrap_or_else(|e| panic!("cannot create a request file: {e}"));
        std::fs::write(file.path(), text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.path().display()));
        Self(file)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// Runs `govshare decide` on a request; returns exit code, stdout, stderr.
fn run_cli(registry: &Path, request: &Path) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_govshare"))
        .arg("decide")
        .arg("--registry")
        .arg(registry)
        .arg("--request")
        .arg(request)
        .output()
        .expect("the govshare binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The decision without what differs between two runs.
fn without_envelope(d: &Value) -> Value {
    let mut d = d.clone();
    if let Some(o) = d.as_object_mut() {
        o.remove("decision_id");
        o.remove("decided_at");
    }
    d
}

/// Runs a case through the CLI; compares with the API's decision when
/// there is one.
fn run_cli_case(case: &Case, api: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    let request = TempRequest::new(&case.text);
    let registry = cases_dir().join(&case.registry);
    let (code, stdout, stderr) = run_cli(&registry, request.path());
    if case.is_error() {
        if code != Some(2) {
            out.push(format!("exit code: expected 2, got {code:?}"));
        }
        if !stdout.is_empty() {
            let head: String = stdout.chars().take(160).collect();
            out.push(format!("stdout must be empty, got {head:?}…"));
        }
        let message = stderr.trim_end();
        if message.lines().count() != 1 {
            out.push(format!("stderr must be one line, got {stderr:?}"));
        }
        out.extend(check_error(message, &case.expect));
        let path = request.path().display().to_string();
        if !message.contains(&path) {
            out.push(format!(
                "stderr does not name the request file {path}: {message:?}"
            ));
        }
        return out;
    }
    if code != Some(0) {
        out.push(format!(
            "exit code: expected 0, got {code:?}; stderr: {stderr}"
        ));
        return out;
    }
    if !stderr.is_empty() {
        out.push(format!(
            "stderr must be empty on a decision, got {stderr:?}"
        ));
    }
    let value: Value = match serde_json::from_str(&stdout) {
        Ok(v) => v,
        Err(e) => {
            out.push(format!("stdout is not JSON ({e}): {stdout}"));
            return out;
        }
    };
    out.extend(check_decision(
        &value,
        &case.expect,
        names_processor(&case.text),
    ));
    if let Some(api) = api
        && without_envelope(api) != without_envelope(&value)
    {
        out.push(format!(
            "the CLI decided otherwise than the API:\n      cli: {}\n      api: {}",
            without_envelope(&value),
            without_envelope(api)
        ));
    }
    out
}

/// Runs `f` over every case on a few threads; returns the failures in case
/// order.
fn for_each_case(
    cases: &[Case],
    f: impl Fn(&Case) -> Vec<String> + Sync,
) -> Vec<(usize, Vec<String>)> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map(std::num::NonZero::get)
        .unwrap_or(2)
        .clamp(1, 8);
    let mut results: Vec<(usize, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = cases.get(i) else { break };
                        let problems = f(case);
                        if !problems.is_empty() {
                            mine.push((i, problems));
                        }
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results
}

fn report(cases: &[Case], problems: &[String], failures: &[(usize, Vec<String>)]) {
    if failures.is_empty() && problems.is_empty() {
        return;
    }
    let mut text = String::new();
    if !problems.is_empty() {
        text.push_str(&format!(
            "\n{} case files or cases do not load:\n",
            problems.len()
        ));
        for p in problems {
            text.push_str(&format!("    - {p}\n"));
        }
    }
    for (i, problems) in failures {
        text.push_str(&format!("\n{}\n", cases[*i].label()));
        for p in problems {
            text.push_str(&format!("    - {p}\n"));
        }
    }
    panic!(
        "{} of {} corpus cases failed:{text}",
        failures.len(),
        cases.len()
    );
}

/// Every case, through the Rust API and through `govshare decide`.
#[test]
fn corpus_cases_decide_as_expected() {
    let corpus = load_corpus();
    let engine = engine();
    let failures = for_each_case(&corpus.cases, |case| {
        let registry = &corpus.registries[&case.registry];
        let (api, api_problems) = run_api(&engine, registry, case);
        let cli_problems = run_cli_case(case, api.as_ref());
        api_problems
            .into_iter()
            .map(|p| format!("[api] {p}"))
            .chain(cli_problems.into_iter().map(|p| format!("[cli] {p}")))
            .collect()
    });
    report(&corpus.cases, &corpus.problems, &failures);
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A guard against losing cases: every catalog rule has a deny case and,
/// in the same file, an allow case; a Chinese phrase is checked for every
/// rule; the corpus keeps its size.
#[test]
fn corpus_covers_the_catalog() {
    let corpus = corpus();
    let mut problems = Vec::new();

    let catalog: Vec<&str> = govshare::StatutoryRule::CATALOG
        .iter()
        .map(|r| r.as_str())
        .collect();
    if catalog != CATALOG {
        problems.push(format!(
            "the library's catalog {catalog:?} is not DESIGN §3's {CATALOG:?}"
        ));
    }
    let engine = engine();
    let loaded: Vec<&str> = engine
        .rules()
        .iter()
        .filter(|r| r.id != PERMIT && r.origin == govshare::RuleOrigin::Statutory)
        .map(|r| r.id.as_str())
        .collect();
    if loaded != CATALOG {
        problems.push(format!("the engine loads {loaded:?}, not the catalog"));
    }

    for rule in CATALOG {
        let deny_files: BTreeSet<&str> = corpus
            .cases
            .iter()
            .filter(|c| c.is_deny() && c.rules().iter().any(|r| r == rule))
            .map(|c| c.file.as_str())
            .collect();
        if deny_files.is_empty() {
            problems.push(format!("no deny case expects {rule}"));
            continue;
        }
        let with_allow = deny_files
            .iter()
            .any(|f| corpus.cases.iter().any(|c| c.file == *f && c.is_allow()));
        if !with_allow {
            problems.push(format!(
                "{rule} is expected in {deny_files:?}, but none of these files has an allow case"
            ));
        }
        let chinese = corpus.cases.iter().any(|c| {
            c.is_deny()
                && c.rules().iter().any(|r| r == rule)
                && c.expect.contains.iter().any(|p| has_han(p))
        });
        if !chinese {
            problems.push(format!("no deny case for {rule} checks a Chinese phrase"));
        }
    }
    let allow_with_chinese = corpus
        .cases
        .iter()
        .any(|c| c.is_allow() && c.expect.contains.iter().any(|p| has_han(p)));
    if !allow_with_chinese {
        problems.push("no allow case checks a Chinese phrase".into());
    }

    let total = corpus.cases.len();
    if total < MIN_CASES {
        problems.push(format!(
            "only {total} cases; the corpus holds at least {MIN_CASES}"
        ));
    }
    let malformed = corpus.cases.iter().filter(|c| c.is_error()).count();
    if malformed < MIN_MALFORMED_CASES {
        problems.push(format!(
            "only {malformed} malformed-request cases; at least {MIN_MALFORMED_CASES} expected"
        ));
    }
    let with_due = corpus
        .cases
        .iter()
        .filter(|c| matches!(c.expect.due, Some(Some(_))))
        .count();
    if with_due < 10 {
        problems.push(format!("only {with_due} cases check a disposal due date"));
    }
    assert!(
        problems.is_empty(),
        "corpus coverage:\n  {}",
        problems.join("\n  ")
    );
}

/// Every decision carries `decision_id`, `decided_at` and a `sha256:`
/// policy digest, through the API and through the CLI.
#[test]
fn decisions_carry_their_envelope() {
    let corpus = corpus();
    let engine = engine();
    assert!(
        engine.policy_digest().starts_with("sha256:"),
        "{}",
        engine.policy_digest()
    );
    let mut problems = Vec::new();
    let mut seen_ids = BTreeSet::new();
    let before = chrono::Utc::now();
    for case in corpus.cases.iter().filter(|c| !c.is_error()) {
        let Ok(request) = UsageRequest::from_json(&case.text) else {
            problems.push(format!("{}: the request does not parse", case.label()));
            continue;
        };
        let decision = engine.evaluate(&request, &corpus.registries[&case.registry]);
        let value = serde_json::to_value(&decision).unwrap();
        let mut out = Vec::new();
        check_envelope(&value, &mut out);
        if !seen_ids.insert(decision.decision_id()) {
            out.push(format!(
                "decision_id {} was issued twice",
                decision.decision_id()
            ));
        }
        let decided = decision.decided_at();
        if decided < before - chrono::Duration::seconds(5)
            || decided > chrono::Utc::now() + chrono::Duration::seconds(5)
        {
            out.push(format!(
                "decided_at {decided} is not the time the decision was made"
            ));
        }
        problems.extend(
            out.into_iter()
                .map(|p| format!("{}: [api] {p}", case.label())),
        );
    }

    // Through the CLI: the first allow and the first deny.
    for case in [
        corpus.cases.iter().find(|c| c.is_allow()),
        corpus.cases.iter().find(|c| c.is_deny()),
    ]
    .into_iter()
    .flatten()
    {
        let request = TempRequest::new(&case.text);
        let (code, stdout, stderr) = run_cli(&cases_dir().join(&case.registry), request.path());
        if code != Some(0) {
            problems.push(format!("{}: [cli] exit {code:?}: {stderr}", case.label()));
            continue;
        }
        match serde_json::from_str::<Value>(&stdout) {
            Ok(value) => {
                let mut out = Vec::new();
                check_envelope(&value, &mut out);
                if value["policy_digest"].as_str() != Some(engine.policy_digest()) {
                    out.push(format!(
                        "policy_digest {} is not the embedded policies' {}",
                        value["policy_digest"],
                        engine.policy_digest()
                    ));
                }
                problems.extend(
                    out.into_iter()
                        .map(|p| format!("{}: [cli] {p}", case.label())),
                );
            }
            Err(e) => problems.push(format!("{}: [cli] not JSON ({e}): {stdout}", case.label())),
        }
    }
    assert!(
        problems.is_empty(),
        "decision envelopes:\n  {}",
        problems.join("\n  ")
    );
}
