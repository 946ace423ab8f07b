//! The JSON wire layer under the C ABI (`govshare::wire`): each error
//! kind and its status, batch behaviour, and the whole decision corpus of
//! `tests/cases/` run through the same functions the C exports call.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use govshare::WireError;
use govshare::ffi::Status;
use govshare::lifecycle;
use govshare::limits::{MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, MAX_JSON_DEPTH, MAX_REQUEST_BYTES};
use govshare::wire::{
    evaluate_batch_json, evaluate_json, load_engine, load_registry_file, load_registry_json,
    parse_request, validate_registry_json,
};
use govshare::{Engine, Registry, UsageRequest};
use govshare::{LoadError, RequestError};
use serde_json::Value;

const REGISTRY: &str = include_str!("../examples/data/registry.json");
const REQUESTS: [(&str, &str, &str); 5] = [
    (
        "01-allow.json",
        include_str!("../examples/data/requests/01-allow.json"),
        "allow",
    ),
    (
        "02-scope-expansion.json",
        include_str!("../examples/data/requests/02-scope-expansion.json"),
        "deny",
    ),
    (
        "03-purpose-change.json",
        include_str!("../examples/data/requests/03-purpose-change.json"),
        "deny",
    ),
    (
        "04-period-ended.json",
        include_str!("../examples/data/requests/04-period-ended.json"),
        "deny",
    ),
    (
        "05-third-party.json",
        include_str!("../examples/data/requests/05-third-party.json"),
        "deny",
    ),
];
const ALLOW: &str = REQUESTS[0].1;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn engine() -> Engine {
    load_engine(None).expect("the embedded policies load")
}

fn registry() -> Registry {
    load_registry_json(REGISTRY.as_bytes()).expect("the demo registry loads")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The error of a call that must fail, checked against its status.
fn fails<T: std::fmt::Debug>(result: Result<T, WireError>, status: Status) -> WireError {
    let err = result.expect_err("the call must fail");
    assert_eq!(err.status(), status, "{err}");
    let rendered = json(&err.to_json());
    assert_eq!(rendered["status"], status.name(), "{rendered}");
    assert_eq!(rendered["code"], status.code(), "{rendered}");
    assert_eq!(
        rendered["message"],
        govshare::error_report(&err),
        "{rendered}"
    );
    err
}

/// A decision without the fields that differ on every call.
fn without_envelope(decision: &Value) -> Value {
    let mut d = decision.clone();
    let object = d.as_object_mut().expect("a decision is an object");
    object.remove("decision_id");
    object.remove("decided_at");
    d
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// ---------------------------------------------------------------- requests

#[test]
fn a_request_is_decided_as_the_rust_api_decides_it() {
    let (engine, registry) = (engine(), registry());
    for (name, text, outcome) in REQUESTS {
        let decision = json(&evaluate_json(&engine, &registry, text.as_bytes()).unwrap());
        assert_eq!(decision["decision"], outcome, "{name}");
        let api = engine.evaluate(&UsageRequest::from_json(text).unwrap(), &registry);
        assert_eq!(
            without_envelope(&decision),
            without_envelope(&serde_json::to_value(&api).unwrap()),
            "{name}"
        );
    }
}

#[test]
fn invalid_utf8_is_its_own_error() {
    let (engine, registry) = (engine(), registry());
    let mut bytes = ALLOW.as_bytes().to_vec();
    bytes.insert(10, 0xff);
    let err = fails(
        evaluate_json(&engine, &registry, &bytes),
        Status::InvalidUtf8,
    );
    assert!(matches!(
        err,
        WireError::InvalidUtf8 {
            what: "request",
            valid_up_to: 10
        }
    ));
    assert!(
        govshare::error_report(&err).contains("not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn text_that_is_not_json_is_invalid_json() {
    let (engine, registry) = (engine(), registry());
    for text in [
        "",
        "   ",
        "{",
        "{\"requester\": ",
        "{} trailing",
        "nul",
        "{'requester': 'hz-hrss'}",
    ] {
        let err = fails(
            evaluate_json(&engine, &registry, text.as_bytes()),
            Status::InvalidJson,
        );
        // The request parser's own message, so hosts see one wording.
        assert_eq!(
            govshare::error_report(&err),
            govshare::error_report(&UsageRequest::from_json(text).unwrap_err()),
            "{text:?}"
        );
        assert!(
            govshare::error_report(&err).starts_with("invalid request: "),
            "{err}"
        );
    }
}

#[test]
fn json_that_is_not_a_request_is_invalid_request() {
    let (engine, registry) = (engine(), registry());
    let mut unknown = json(ALLOW);
    unknown["reason"] = "核验".into();
    let mut no_method = json(ALLOW);
    no_method.as_object_mut().unwrap().remove("method");
    for text in [
        "{}".to_owned(),
        "[]".to_owned(),
        "42".to_owned(),
        "null".to_owned(),
        unknown.to_string(),
        no_method.to_string(),
    ] {
        let err = fails(
            evaluate_json(&engine, &registry, text.as_bytes()),
            Status::InvalidRequest,
        );
        assert!(matches!(err, WireError::Request(_)), "{err:?}");
        assert!(
            govshare::error_report(&err).contains("invalid request"),
            "{err}"
        );
    }
}

#[test]
fn requests_over_a_limit_are_limit_exceeded() {
    let (engine, registry) = (engine(), registry());

    let padded = format!("{}{}", ALLOW.trim_end(), " ".repeat(MAX_REQUEST_BYTES));
    let err = fails(
        evaluate_json(&engine, &registry, padded.as_bytes()),
        Status::LimitExceeded,
    );
    // The library's own error, as the Rust API reports it.
    assert_eq!(
        govshare::error_report(&err),
        govshare::error_report(&UsageRequest::from_json(&padded).unwrap_err())
    );
    // Exactly at the limit is still read.
    let at_limit = format!(
        "{}{}",
        ALLOW.trim_end(),
        " ".repeat(MAX_REQUEST_BYTES - ALLOW.trim_end().len())
    );
    assert_eq!(at_limit.len(), MAX_REQUEST_BYTES);
    assert!(evaluate_json(&engine, &registry, at_limit.as_bytes()).is_ok());

    // Over the size limit even when not UTF-8: the size is checked first.
    let mut big = vec![b' '; MAX_REQUEST_BYTES + 1];
    big[0] = 0xff;
    fails(parse_request(&big), Status::LimitExceeded);

    for depth in [MAX_JSON_DEPTH + 1, 10_000] {
        let err = fails(
            evaluate_json(&engine, &registry, nested(depth).as_bytes()),
            Status::LimitExceeded,
        );
        assert!(
            govshare::error_report(&err).contains("nesting depth"),
            "{err}"
        );
    }
    // Unclosed deep nesting is refused for its depth, before parsing.
    fails(
        parse_request("[".repeat(100).as_bytes()),
        Status::LimitExceeded,
    );
    // At the depth limit it parses (and is not a request).
    fails(
        parse_request(nested(MAX_JSON_DEPTH).as_bytes()),
        Status::InvalidRequest,
    );

    let items: Vec<String> = (0..=govshare::limits::MAX_REQUEST_ITEMS)
        .map(|i| format!("i{i}"))
        .collect();
    let mut many = json(ALLOW);
    many["items"] = items.into();
    let err = fails(
        evaluate_json(&engine, &registry, many.to_string().as_bytes()),
        Status::LimitExceeded,
    );
    assert!(
        matches!(
            err,
            WireError::Request(RequestError::Limit {
                what: "number of items",
                ..
            })
        ),
        "{err:?}"
    );
}

// ----------------------------------------------------------------- batches

fn batch_of(texts: &[&str]) -> String {
    format!("[{}]", texts.join(","))
}

#[test]
fn a_batch_decides_every_request_in_order() {
    let (engine, registry) = (engine(), registry());
    let texts: Vec<&str> = REQUESTS.iter().map(|r| r.1).collect();
    let out = json(&evaluate_batch_json(&engine, &registry, batch_of(&texts).as_bytes()).unwrap());
    let decisions = out.as_array().expect("an array of decisions");
    assert_eq!(decisions.len(), REQUESTS.len());
    for ((name, text, outcome), decision) in REQUESTS.iter().zip(decisions) {
        assert_eq!(decision["decision"], *outcome, "{name}");
        let single = json(&evaluate_json(&engine, &registry, text.as_bytes()).unwrap());
        assert_eq!(
            without_envelope(decision),
            without_envelope(&single),
            "{name}"
        );
    }
    let ids: std::collections::HashSet<&str> = decisions
        .iter()
        .map(|d| d["decision_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), decisions.len(), "every decision has its own id");

    // Empty, and white space around.
    assert_eq!(
        evaluate_batch_json(&engine, &registry, b"[]").unwrap(),
        "[]"
    );
    assert_eq!(
        evaluate_batch_json(&engine, &registry, b" \n[ ]\n").unwrap(),
        "[]"
    );
}

#[test]
fn a_malformed_request_refuses_the_whole_batch_naming_its_index() {
    let (engine, registry) = (engine(), registry());
    let batch = batch_of(&[ALLOW, ALLOW, "{\"requester\": \"hz-hrss\"}", ALLOW, "{}"]);
    let err = fails(
        evaluate_batch_json(&engine, &registry, batch.as_bytes()),
        Status::InvalidRequest,
    );
    assert_eq!(err.batch_index(), Some(2), "the first bad request");
    let rendered = json(&err.to_json());
    assert_eq!(rendered["index"], 2);
    assert!(
        rendered["message"]
            .as_str()
            .unwrap()
            .starts_with("request at index 2 of the batch: invalid request: "),
        "{rendered}"
    );

    // An element nested too deep makes the whole batch too deep: refused
    // before any element is read, so without an index.
    let deep = nested(MAX_JSON_DEPTH + 1);
    let err = fails(
        evaluate_batch_json(&engine, &registry, batch_of(&[ALLOW, &deep]).as_bytes()),
        Status::LimitExceeded,
    );
    assert_eq!(err.batch_index(), None);

    // An element over the request size limit (white space inside it: the
    // space between elements is not part of them).
    let padded = format!(
        "{{{}{}",
        " ".repeat(MAX_REQUEST_BYTES),
        ALLOW.trim().strip_prefix('{').unwrap()
    );
    let err = fails(
        evaluate_batch_json(&engine, &registry, batch_of(&[&padded]).as_bytes()),
        Status::LimitExceeded,
    );
    assert_eq!(err.batch_index(), Some(0));
}

#[test]
fn a_batch_that_is_not_an_array_of_json_is_refused() {
    let (engine, registry) = (engine(), registry());
    for (text, status) in [
        ("", Status::InvalidJson),
        ("[", Status::InvalidJson),
        ("[{}", Status::InvalidJson),
        ("[] []", Status::InvalidJson),
        ("[{\"a\": }]", Status::InvalidJson),
        (ALLOW, Status::InvalidRequest),
        ("{}", Status::InvalidRequest),
        ("\"requests\"", Status::InvalidRequest),
        ("null", Status::InvalidRequest),
    ] {
        let err = fails(
            evaluate_batch_json(&engine, &registry, text.as_bytes()),
            status,
        );
        assert_eq!(err.batch_index(), None, "{text:?}");
        assert!(
            govshare::error_report(&err).contains("invalid batch"),
            "{err}"
        );
    }
    fails(
        evaluate_batch_json(&engine, &registry, b"[\xff]"),
        Status::InvalidUtf8,
    );
}

#[test]
fn batches_over_a_limit_are_limit_exceeded() {
    let (engine, registry) = (engine(), registry());
    // One level more than a request, for the array.
    let err = fails(
        evaluate_batch_json(&engine, &registry, nested(MAX_JSON_DEPTH + 2).as_bytes()),
        Status::LimitExceeded,
    );
    assert_eq!(err.batch_index(), None);

    let too_many = format!("[{}]", vec!["{}"; MAX_BATCH_REQUESTS + 1].join(","));
    let err = fails(
        evaluate_batch_json(&engine, &registry, too_many.as_bytes()),
        Status::LimitExceeded,
    );
    assert!(
        govshare::error_report(&err).contains(&format!(
            "is {}, over the limit of {MAX_BATCH_REQUESTS}",
            MAX_BATCH_REQUESTS + 1
        )),
        "{err}"
    );
    assert_eq!(MAX_BATCH_BYTES, MAX_BATCH_REQUESTS * MAX_REQUEST_BYTES);
}

// -------------------------------------------------------- engines, registries

#[test]
fn registries_load_from_bytes_and_files() {
    let from_bytes = registry();
    let path = root().join("examples/data/registry.json");
    let from_file = load_registry_file(&path).unwrap();
    assert_eq!(from_bytes.to_json(), from_file.to_json());
    assert_eq!(
        from_bytes.to_json(),
        Registry::from_json_str(REGISTRY).unwrap().to_json()
    );
}

#[test]
fn registry_errors_have_their_status() {
    fails(
        load_registry_json(b"{\"departments\": \xc3\x28"),
        Status::InvalidUtf8,
    );
    for text in ["", "{", "{\"departments\": [}", "{} {}"] {
        let err = fails(load_registry_json(text.as_bytes()), Status::InvalidJson);
        assert!(
            govshare::error_report(&err).starts_with("registry `<memory>`: "),
            "{err}"
        );
    }
    for text in [
        "{}",
        "[]",
        r#"{"departments": [], "datasets": [], "grants": [], "extra": 1}"#,
        r#"{"departments": [{"id": "a", "name": "A", "level": "municipal"},
                            {"id": "a", "name": "A", "level": "municipal"}],
            "datasets": [], "grants": []}"#,
    ] {
        fails(load_registry_json(text.as_bytes()), Status::LoadFailed);
    }
    let deep = format!(
        "{{\"departments\": {}, \"datasets\": [], \"grants\": []}}",
        nested(MAX_JSON_DEPTH + 5)
    );
    fails(load_registry_json(deep.as_bytes()), Status::LimitExceeded);
}

#[test]
fn registry_file_errors_name_the_file() {
    let missing = root().join("tests/c/fixtures/no-such-registry.json");
    let err = fails(load_registry_file(&missing), Status::Io);
    assert!(
        govshare::error_report(&err).contains("no-such-registry.json"),
        "{err}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bad = dir.join("bad-registry.json");
    std::fs::write(
        &bad,
        r#"{"departments": [], "datasets": [], "grants": [], "x": 1}"#,
    )
    .unwrap();
    let err = fails(load_registry_file(&bad), Status::LoadFailed);
    assert!(
        govshare::error_report(&err).contains("bad-registry.json"),
        "{err}"
    );
    assert!(matches!(
        err,
        WireError::Load(LoadError::RegistryJson { .. })
    ));
    std::fs::write(&bad, "{").unwrap();
    let err = fails(load_registry_file(&bad), Status::InvalidJson);
    assert!(
        govshare::error_report(&err).contains("bad-registry.json"),
        "{err}"
    );
}

#[test]
fn engines_load_from_the_embedded_set_or_a_folder() {
    let embedded = engine();
    let folder = load_engine(Some(&root().join("policies"))).unwrap();
    let ids = |e: &Engine| e.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&embedded), ids(&folder));

    let err = fails(
        load_engine(Some(&root().join("tests/c/fixtures/no-such-folder"))),
        Status::Io,
    );
    assert!(
        govshare::error_report(&err).contains("no-such-folder"),
        "{err}"
    );
    fails(
        load_engine(Some(&root().join("tests/c/fixtures/bad-policies"))),
        Status::LoadFailed,
    );
}

#[test]
fn validation_returns_the_findings_as_json() {
    let registry = registry();
    let findings = json(&validate_registry_json(&registry).unwrap());
    let expected = serde_json::to_value(lifecycle::validate(&registry)).unwrap();
    assert_eq!(findings, expected);

    let broken = load_registry_json(
        r#"{"departments": [], "grants": [], "datasets": [
          {"id": "ent-reg", "name": "企业登记信息", "provider": "hz-amr", "status": "published",
           "items": [{"name": "uscc", "grade": "general"}],
           "sharing": {"class": "unconditional"},
           "methods": ["service_interface"], "format": "database", "update_frequency": "daily"}]}"#
            .as_bytes(),
    )
    .unwrap();
    let findings = json(&validate_registry_json(&broken).unwrap());
    let codes: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"CAT-UNKNOWN-PROVIDER"), "{findings}");
    let first = &findings[0];
    for key in ["code", "severity", "articles", "subject", "zh", "en"] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
}

#[test]
fn every_error_maps_to_one_status() {
    let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
    let cases: Vec<(WireError, Status)> = vec![
        (
            WireError::NullParameter {
                parameter: "engine",
            },
            Status::NullParameter,
        ),
        (
            WireError::InvalidUtf8 {
                what: "request",
                valid_up_to: 0,
            },
            Status::InvalidUtf8,
        ),
        (
            WireError::InvalidJson {
                what: "request",
                message: "m".into(),
            },
            Status::InvalidJson,
        ),
        (
            WireError::Request(RequestError::Json {
                location: None,
                source: serde_json::from_str::<Value>("{").unwrap_err(),
            }),
            Status::InvalidRequest,
        ),
        (
            WireError::Request(RequestError::Limit {
                what: "w",
                size: 2,
                max: 1,
            }),
            Status::LimitExceeded,
        ),
        (
            WireError::InvalidBatch {
                message: "m".into(),
            },
            Status::InvalidRequest,
        ),
        (
            WireError::Load(LoadError::Registry {
                origin: "o".into(),
                message: "m".into(),
            }),
            Status::LoadFailed,
        ),
        (
            WireError::Load(LoadError::Io {
                path: PathBuf::from("p"),
                source: io(),
            }),
            Status::Io,
        ),
        (
            WireError::Load(LoadError::TooLarge {
                what: "registry",
                origin: "o".into(),
                size: 2,
                max: 1,
            }),
            Status::LimitExceeded,
        ),
        (
            WireError::Limit {
                what: "w",
                size: 2,
                max: 1,
            },
            Status::LimitExceeded,
        ),
        (
            WireError::Io {
                path: PathBuf::from("p"),
                source: io(),
            },
            Status::Io,
        ),
        (
            WireError::Panic {
                message: "m".into(),
            },
            Status::Panic,
        ),
        (
            WireError::Internal {
                message: "m".into(),
            },
            Status::Internal,
        ),
    ];
    for (err, status) in cases {
        assert_eq!(err.status(), status, "{err:?}");
        assert_ne!(err.status(), Status::Ok);
        let rendered = json(&err.to_json());
        assert_eq!(rendered["code"], status.code());
        assert!(rendered.get("index").is_none());
    }
}

// ------------------------------------------------------------------ corpus

/// A case of `tests/cases/` (the format is documented in `tests/corpus.rs`).
struct Case {
    label: String,
    registry: String,
    text: String,
    expect: Value,
}

fn load_corpus() -> (Vec<Case>, HashMap<String, Registry>) {
    let dir = root().join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut registries = HashMap::new();
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let value = json(&std::fs::read_to_string(path).unwrap());
        if value.get("departments").is_some() {
            // Registries load through the JSON layer too.
            let registry = load_registry_file(path)
                .unwrap_or_else(|e| panic!("{file}: registry does not load: {e}"));
            registries.insert(file, registry);
            continue;
        }
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        for item in items {
            let text = match (&item.get("request"), &item.get("request_text")) {
                (Some(request), None) => serde_json::to_string_pretty(request).unwrap(),
                (None, Some(Value::String(text))) => text.clone(),
                _ => panic!("{file}: a case needs `request` or `request_text`: {item}"),
            };
            cases.push(Case {
                label: format!("{file} › {}", item["name"].as_str().unwrap_or("?")),
                registry: item
                    .get("registry")
                    .and_then(Value::as_str)
                    .unwrap_or("registry.json")
                    .to_owned(),
                text,
                expect: item["expect"].clone(),
            });
        }
    }
    (cases, registries)
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or("<not a string>"))
        .collect()
}

/// Whether `expected` is a subset of `actual`, objects key by key.
fn subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| subset(v, av))),
        _ => expected == actual,
    }
}

fn check_error(case: &Case, err: &WireError) -> Vec<String> {
    let mut out = Vec::new();
    let message = govshare::error_report(&err);
    let phrases = case.expect["error"]
        .as_str()
        .into_iter()
        .chain(strings(&case.expect["contains"]));
    for phrase in phrases {
        if !message.contains(phrase) {
            out.push(format!("the error message lacks {phrase:?}: {message:?}"));
        }
    }
    let is_json = serde_json::from_str::<serde::de::IgnoredAny>(&case.text).is_ok();
    let allowed: &[Status] = if is_json {
        &[Status::InvalidRequest, Status::LimitExceeded]
    } else {
        &[Status::InvalidJson, Status::LimitExceeded]
    };
    if !allowed.contains(&err.status()) {
        out.push(format!(
            "status {} for a request that {} JSON",
            err.status().name(),
            if is_json { "is" } else { "is not" }
        ));
    }
    if let Err(api) = UsageRequest::from_json(&case.text)
        && govshare::error_report(&api) != message
    {
        out.push(format!(
            "the Rust API says otherwise: {api} (JSON layer: {message})"
        ));
    }
    out
}

fn check_decision(case: &Case, d: &Value, api: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let e = &case.expect;
    if without_envelope(d) != without_envelope(api) {
        out.push(format!(
            "the JSON layer decided otherwise than the Rust API:\n      json: {d}\n      api:  {api}"
        ));
    }
    if d["decision"] != e["decision"] {
        out.push(format!(
            "decision: expected {}, got {}",
            e["decision"], d["decision"]
        ));
    }
    let rules: Vec<&str> = d["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["rule"].as_str().unwrap_or("?"))
        .collect();
    if rules != strings(&e["rules"]) {
        out.push(format!("rules: expected {}, got {rules:?}", e["rules"]));
    }
    if let Some(grant) = e.get("grant")
        && &d["grant"] != grant
    {
        out.push(format!("grant: expected {grant}, got {}", d["grant"]));
    }
    let obligations: Vec<&str> = d["obligations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["obligation"].as_str().unwrap_or("?"))
        .collect();
    if let Some(want) = e.get("obligations")
        && obligations != strings(want)
    {
        out.push(format!("obligations: expected {want}, got {obligations:?}"));
    }
    if let Some(due) = e.get("due") {
        let got = d["obligations"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|o| o["obligation"] == "GS-OBL-DISPOSE")
            .map(|o| &o["facts"]["due"]);
        if got != Some(due) {
            out.push(format!("due: expected {due}, got {got:?}"));
        }
    }
    let texts: Vec<&str> = d["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(d["obligations"].as_array().into_iter().flatten())
        .flat_map(|r| [r["zh"].as_str(), r["en"].as_str()])
        .flatten()
        .collect();
    for phrase in strings(&e["contains"]) {
        if !texts.iter().any(|t| t.contains(phrase)) {
            out.push(format!("no reason or obligation text contains {phrase:?}"));
        }
    }
    for (rule, want) in e["facts"].as_object().into_iter().flatten() {
        let reason = d["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["rule"] == rule.as_str());
        match reason {
            Some(r) if subset(want, &r["facts"]) => {}
            Some(r) => out.push(format!(
                "facts of {rule}: expected a superset of {want}, got {}",
                r["facts"]
            )),
            None => out.push(format!("facts: no reason {rule}")),
        }
    }
    out
}

/// Every case of the decision corpus, through the JSON layer the C ABI
/// uses: one request at a time, then all of a registry's well-formed
/// requests as one batch.
#[test]
fn the_decision_corpus_runs_through_the_json_layer() {
    let (cases, registries) = load_corpus();
    assert!(
        cases.len() >= 80,
        "only {} corpus cases were found",
        cases.len()
    );
    let engine = engine();
    let mut failures = Vec::new();
    let mut errors = 0;
    for case in &cases {
        let Some(registry) = registries.get(&case.registry) else {
            failures.push(format!("{}: no registry `{}`", case.label, case.registry));
            continue;
        };
        let result = evaluate_json(&engine, registry, case.text.as_bytes());
        let problems = match (result, case.expect.get("error").is_some()) {
            (Err(err), true) => {
                errors += 1;
                check_error(case, &err)
            }
            (Ok(decision), true) => vec![format!("expected an error, got {decision}")],
            (Err(err), false) => vec![format!(
                "expected a decision, got {}: {err}",
                err.status().name()
            )],
            (Ok(decision), false) => {
                let api = engine.evaluate(&UsageRequest::from_json(&case.text).unwrap(), registry);
                check_decision(case, &json(&decision), &serde_json::to_value(&api).unwrap())
            }
        };
        failures.extend(problems.into_iter().map(|p| format!("{}: {p}", case.label)));
    }
    assert!(errors >= 13, "only {errors} malformed-request cases");

    // The same cases as batches, one per registry: the same decisions.
    for (name, registry) in &registries {
        let group: Vec<&Case> = cases
            .iter()
            .filter(|c| &c.registry == name && c.expect.get("error").is_none())
            .collect();
        if group.is_empty() {
            continue;
        }
        let texts: Vec<&str> = group.iter().map(|c| c.text.as_str()).collect();
        let out =
            json(&evaluate_batch_json(&engine, registry, batch_of(&texts).as_bytes()).unwrap());
        for (case, decision) in group.iter().zip(out.as_array().unwrap()) {
            let api = engine.evaluate(&UsageRequest::from_json(&case.text).unwrap(), registry);
            if without_envelope(decision) != without_envelope(&serde_json::to_value(&api).unwrap())
            {
                failures.push(format!("{}: [batch] decided otherwise", case.label));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus problems through the JSON layer:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn the_bad_policies_fixture_is_in_place() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/fixtures/bad-policies");
    assert!(dir.join("govshare.cedarschema").is_file());
    assert!(dir.join("statutory").is_dir());
}
