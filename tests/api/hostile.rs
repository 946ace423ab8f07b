//! Hostile input: every breach of a limit or of the wire format is a clear
//! error, never a decision; engines shared and swapped under load.

use std::sync::{Arc, RwLock};

use govshare::limits::{
    MAX_ID_LEN, MAX_JSON_DEPTH, MAX_POLICY_FILE_BYTES, MAX_POLICY_NESTING, MAX_REGISTRY_BYTES,
    MAX_REQUEST_BYTES, MAX_REQUEST_ITEMS,
};
use govshare::{Engine, LoadError, Registry, RequestError, UsageRequest};

use super::common::demo;

const ALLOW: &str = include_str!("../../examples/data/requests/01-allow.json");

fn request_error(json: &str) -> RequestError {
    UsageRequest::from_json(json).expect_err(json)
}

fn with(key: &str, value: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(ALLOW).unwrap();
    v[key] = serde_json::from_str(value).unwrap();
    v.to_string()
}

#[test]
fn a_request_over_the_size_limit_is_refused() {
    let padded = format!("{}{}", ALLOW.trim_end(), " ".repeat(MAX_REQUEST_BYTES));
    assert!(matches!(
        request_error(&padded),
        RequestError::Limit {
            what: "request size in bytes",
            ..
        }
    ));
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = request_error(&deep);
    assert!(
        matches!(
            err,
            RequestError::Limit {
                what: "JSON nesting depth",
                max: MAX_JSON_DEPTH,
                ..
            }
        ),
        "{err}"
    );
    let registry = format!(
        "{{\"departments\": {}{}}}",
        "[".repeat(MAX_JSON_DEPTH + 5),
        "]".repeat(MAX_JSON_DEPTH + 5)
    );
    let err = Registry::from_json_str(&registry).unwrap_err().to_string();
    assert!(err.contains("nested deeper"), "{err}");
}

#[test]
fn too_many_items_is_refused() {
    let items: Vec<String> = (0..=MAX_REQUEST_ITEMS).map(|i| format!("i{i}")).collect();
    let err = request_error(&with("items", &serde_json::to_string(&items).unwrap()));
    assert!(
        matches!(
            err,
            RequestError::Limit {
                what: "number of items",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn ids_over_the_length_limit_are_refused() {
    let long = format!("\"{}\"", "x".repeat(MAX_ID_LEN + 1));
    for key in ["requester", "dataset", "grant", "purpose"] {
        let err = govshare::error_report(&request_error(&with(key, &long)));
        assert!(err.contains("over the limit"), "{key}: {err}");
    }
    let err = govshare::error_report(&request_error(&with("items", &format!("[{long}]"))));
    assert!(err.contains("over the limit"), "{err}");
}

#[test]
fn malformed_requests_are_errors_naming_the_problem() {
    let cases: [(String, &str); 12] = [
        (with("requester", "\"hz\\u0000hrss\""), "control character"),
        (with("requester", "42"), "invalid type"),
        (with("items", "[\"uscc\", 7]"), "invalid type"),
        (with("at", "\"2026-03-02T10:00:00\""), "with an offset"),
        (with("at", "\"2026-03-02\""), "with an offset"),
        (with("at", "1772416800"), "invalid type"),
        (with("action", "\"delete\""), "unknown variant"),
        (with("items", "[]"), "at least one data item"),
        (with("purpose", "\"a..b\""), "empty segment"),
        (
            ALLOW.replacen("\"action\"", "\"action\": \"use\", \"action\"", 1),
            "duplicate field",
        ),
        (with("extra", "true"), "unknown field"),
        ("\u{feff}{}".to_owned(), "invalid request"),
    ];
    for (json, phrase) in cases {
        let err = govshare::error_report(&request_error(&json));
        assert!(err.contains(phrase), "{json}\n→ {err}\n(lacks {phrase})");
    }
    assert!(govshare::error_report(&request_error("")).starts_with("invalid request"));
    assert!(govshare::error_report(&request_error("null")).starts_with("invalid request"));
}

#[test]
fn a_registry_over_the_size_limit_is_refused_without_parsing() {
    let huge = " ".repeat(MAX_REGISTRY_BYTES + 1);
    let err = Registry::from_json_str(&huge).unwrap_err();
    assert!(
        matches!(
            err,
            LoadError::TooLarge {
                what: "registry",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn malformed_registries_name_the_problem() {
    let demo: serde_json::Value = serde_json::from_str(super::common::DEMO).unwrap();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = demo.clone();
        f(&mut v);
        govshare::error_report(&Registry::from_json_str(&v.to_string()).unwrap_err())
    };
    assert!(edit(&|v| v["grants"][0]["colour"] = "red".into()).contains("unknown field `colour`"));
    assert!(
        edit(&|v| v["grants"][1]["id"] = v["grants"][0]["id"].clone())
            .contains("duplicate grant id")
    );
    assert!(
        edit(&|v| v["datasets"][1]["id"] = "ent-reg".into())
            .contains("duplicate dataset id `ent-reg`")
    );
    assert!(
        edit(&|v| v["departments"][1]["id"] = "zj-amr".into()).contains("duplicate department id")
    );
    assert!(
        edit(&|v| v["grants"][0]["valid_until"] = "2026-09-01".into()).contains("with an offset")
    );
    assert!(edit(&|v| v["grants"][0]["items"] = serde_json::json!([1])).contains("invalid type"));
    assert!(edit(&|v| v["departments"][0]["region"] = "33".into()).contains("six-digit"));
    assert!(
        edit(&|v| v["datasets"][0]["sharing"]["class"] = "secret".into())
            .contains("unknown variant")
    );
    assert!(
        edit(&|v| {
            v["grants"][0].as_object_mut().unwrap().remove("disposal");
        })
        .contains("missing field `disposal`")
    );
}

#[test]
fn a_policy_file_over_the_size_limit_is_refused() {
    let text = format!("// {}\n", "x".repeat(MAX_POLICY_FILE_BYTES));
    let err = Engine::builder()
        .local_policies("big.cedar", text)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            LoadError::TooLarge {
                what: "policy file",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_refused_load_leaves_the_running_engine_untouched() {
    let live = Arc::new(RwLock::new(Engine::builder().build().unwrap()));
    let digest = live.read().unwrap().policy_digest().to_owned();
    let registry = demo();
    let request = UsageRequest::from_json(ALLOW).unwrap();
    // A reload with a bad local policy fails; the host keeps its engine.
    let reload = Engine::builder()
        .local_policies(
            "bad.cedar",
            r#"@id("ZJ") @articles("25") @zh("z") @en("e") permit (principal, action, resource);"#,
        )
        .build();
    assert!(reload.is_err());
    if let Ok(engine) = reload {
        *live.write().unwrap() = engine;
    }
    let engine = live.read().unwrap().clone();
    assert_eq!(engine.policy_digest(), digest);
    assert!(engine.evaluate(&request, &registry).is_allow());
}

fn requests() -> Vec<UsageRequest> {
    let base: Vec<&str> = vec![
        include_str!("../../examples/data/requests/01-allow.json"),
        include_str!("../../examples/data/requests/02-scope-expansion.json"),
        include_str!("../../examples/data/requests/03-purpose-change.json"),
        include_str!("../../examples/data/requests/04-period-ended.json"),
        include_str!("../../examples/data/requests/05-third-party.json"),
    ];
    let mut out = Vec::new();
    for i in 0..1000 {
        let mut r = UsageRequest::from_json(base[i % base.len()]).unwrap();
        r.at += chrono::Duration::hours((i as i64 * 37) % 9000 - 4000);
        out.push(r);
    }
    out
}

#[test]
fn eight_threads_sharing_one_engine_decide_as_one_thread_does() {
    let engine = Engine::builder().build().unwrap();
    let registry = Arc::new(demo());
    let requests = Arc::new(requests());
    let expected: Vec<(govshare::Outcome, Vec<String>)> = requests
        .iter()
        .map(|r| {
            let d = engine.evaluate(r, &*registry);
            (
                d.outcome(),
                d.rule_ids().into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    assert!(expected.iter().any(|(o, _)| *o == govshare::Outcome::Allow));
    assert!(expected.iter().any(|(o, _)| *o == govshare::Outcome::Deny));
    let expected = Arc::new(expected);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let (engine, registry, requests, expected) = (
                engine.clone(),
                Arc::clone(&registry),
                Arc::clone(&requests),
                Arc::clone(&expected),
            );
            std::thread::spawn(move || {
                for k in 0..requests.len() {
                    let i = (k + t * 131) % requests.len();
                    let d = engine.evaluate(&requests[i], &*registry);
                    let got = (
                        d.outcome(),
                        d.rule_ids()
                            .into_iter()
                            .map(str::to_owned)
                            .collect::<Vec<_>>(),
                    );
                    assert_eq!(got, expected[i], "thread {t}, request {i}");
                }
                requests.len()
            })
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, 8000);
}

#[test]
fn swapping_in_a_reloaded_engine_under_load_loses_no_request() {
    let base = Engine::builder().build().unwrap();
    let stricter = Engine::builder()
        .local_policies("zj.cedar", r#"@id("ZJ-NO-TRANSFER") @articles("25") @zh("本省禁止转交") @en("no transfers in this province") forbid (principal, action == Govshare::Action::"transfer", resource);"#)
        .build()
        .unwrap();
    let digests = [
        base.policy_digest().to_owned(),
        stricter.policy_digest().to_owned(),
    ];
    let live = Arc::new(RwLock::new(base.clone()));
    let registry = Arc::new(demo());
    let requests = Arc::new(requests());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let (live, stop, engines) = (Arc::clone(&live), Arc::clone(&stop), [base, stricter]);
        std::thread::spawn(move || {
            let mut swaps = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                *live.write().unwrap() = engines[swaps % 2].clone();
                swaps += 1;
                std::thread::yield_now();
            }
            swaps
        })
    };
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (live, registry, requests, digests) = (
                Arc::clone(&live),
                Arc::clone(&registry),
                Arc::clone(&requests),
                digests.clone(),
            );
            std::thread::spawn(move || {
                let mut answered = 0;
                for r in requests.iter() {
                    let engine = live.read().unwrap().clone();
                    let d = engine.evaluate(r, &*registry);
                    assert!(digests.contains(&d.policy_digest().to_owned()));
                    if r.action == govshare::Action::Transfer && d.policy_digest() == digests[1] {
                        assert!(!d.is_allow());
                    }
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    let answered: usize = workers.into_iter().map(|h| h.join().unwrap()).sum();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(swapper.join().unwrap() > 1);
    assert_eq!(answered, 4 * requests.len());
}

fn local_policy(id: &str, zh: &str) -> Result<Engine, LoadError> {
    Engine::builder()
        .local_policies(
            "zj.cedar",
            format!(
                r#"@id("{id}") @articles("25") @zh("{zh}") @en("local rule")
                   forbid (principal, action == Govshare::Action::"transfer", resource);"#
            ),
        )
        .build()
}

/// Whether a report shows any character a reader cannot see as it is.
fn shows_hidden(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_control() && c != '\n'
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    })
}

#[test]
fn a_local_rule_id_that_reads_as_a_statutory_one_is_refused() {
    for (id, phrase) in [
        // U+2010 HYPHEN for the first `-`: it read as GS-SCOPE-EXPANSION.
        ("GS\u{2010}SCOPE-EXPANSION", "U+2010"),
        ("GS-SCOPE-EXPANSION", "reserved"),
        ("GSCOPE-EXPANSION", "reserved"),
        ("G5-SCOPE-EXPANSION", "reserved"),
        ("\u{0413}S-SCOPE", "U+0413"), // Cyrillic Ge
        ("ＧＳ-SCOPE", "U+FF27"),      // fullwidth
        ("gs-scope-expansion", "ASCII capital letters"),
        ("zj-no-transfer", "ASCII capital letters"),
        ("ZJ-\u{202E}REFSNART", "U+202E"),
        ("ZJ\u{200B}-X", "U+200B"),
        ("-ZJ", "starts with a letter"),
        ("ZJ--X", "double hyphen"),
        ("9ZJ", "starts with a letter"),
    ] {
        let err = govshare::error_report(&local_policy(id, "本省禁止转交").expect_err(id));
        assert!(err.contains(phrase), "{id:?}: {err} (lacks {phrase})");
        assert!(err.contains("zj.cedar"), "{err}");
        assert!(!shows_hidden(&err), "{err:?} shows a hidden character");
    }
    let engine = local_policy("ZJ-NO-TRANSFER-2", "本省禁止转交").unwrap();
    assert!(
        engine
            .rules()
            .iter()
            .any(|r| r.id.as_str() == "ZJ-NO-TRANSFER-2")
    );
}

#[test]
fn rule_text_a_reader_cannot_see_as_it_is_is_refused() {
    for zh in [
        "本省\u{202E}交转止禁",
        "本省\u{2066}禁止\u{2069}",
        "禁止\u{200D}转交",
    ] {
        let err = govshare::error_report(&local_policy("ZJ-X", zh).expect_err(zh));
        assert!(err.contains("annotation `@zh`"), "{err}");
        assert!(!shows_hidden(&err), "{err:?}");
    }
    // An ideographic space is ordinary Chinese prose.
    assert!(local_policy("ZJ-X", "本省　禁止转交").is_ok());
}

#[test]
fn ids_item_names_and_purposes_a_reader_cannot_see_are_refused_at_load_and_at_parse() {
    let demo: serde_json::Value = serde_json::from_str(super::common::DEMO).unwrap();
    for (path, value) in [
        ("/departments/0/id", "hz-\u{202E}rma"),
        ("/datasets/0/items/0/name", "uscc\u{2066}"),
        ("/grants/0/purpose", "social-insurance\u{200B}.check"),
        ("/grants/0/items/0", "us\u{00A0}cc"),
    ] {
        let mut v = demo.clone();
        *v.pointer_mut(path).unwrap() = value.into();
        let err = govshare::error_report(&Registry::from_json_str(&v.to_string()).unwrap_err());
        assert!(err.contains("plain visible text"), "{path}: {err}");
        assert!(!shows_hidden(&err), "{err:?}");
    }
    for (key, value) in [
        ("requester", "\"hz-\\u202ersrh\""),
        ("purpose", "\"social-insurance\\u2066.enrollment-check\""),
        ("items", "[\"uscc\\u200b\"]"),
        ("dataset", "\"ent\\u2028reg\""),
    ] {
        let err = govshare::error_report(&request_error(&with(key, value)));
        assert!(err.contains("plain visible text"), "{key}: {err}");
        assert!(!shows_hidden(&err), "{err:?}");
    }
    // Error reports escape hidden characters from any source, such as an
    // unknown key the parser quotes.
    let err = govshare::error_report(&request_error(&with("x\u{202E}y", "1")));
    assert!(err.contains("x\\u{202E}y"), "{err}");
}

/// A local forbid on `access` whose condition is `shape` nested `depth`
/// times, and true.
fn deep_policy(shape: &str, depth: usize) -> String {
    let d = depth;
    let condition = match shape {
        "parentheses" => format!("context.at > {}0{}", "(".repeat(d), ")".repeat(d)),
        "sets" => {
            let set = format!("{}1{}", "[".repeat(d), "]".repeat(d));
            format!("{set} == {set}")
        }
        "records" => {
            let record = format!("{}1{}", "{a: ".repeat(d), "}".repeat(d));
            format!("{record} == {record}")
        }
        "if" => format!(
            "{}true{}",
            "if ".repeat(d),
            " then true else false".repeat(d)
        ),
        "negations" => format!("{}{}{}", "!(".repeat(d), d.is_multiple_of(2), ")".repeat(d)),
        "calls" => format!("{}true{}", "[true].contains(".repeat(d), ")".repeat(d)),
        "and-chain" => format!("{}true", "true && ".repeat(d)),
        "sum" => format!("{}1 > 0", "1 + ".repeat(d)),
        _ => unreachable!("{shape}"),
    };
    format!(
        "@id(\"ZJ-DEEP\") @articles(\"25\") @zh(\"深\") @en(\"deep\")\n\
         forbid (principal, action == Govshare::Action::\"access\", resource)\n\
         when {{ {condition} }};\n"
    )
}

const SHAPES: [&str; 8] = [
    "parentheses",
    "sets",
    "records",
    "if",
    "negations",
    "calls",
    "and-chain",
    "sum",
];

#[test]
fn policy_text_nested_past_the_limit_is_refused_before_cedar_parses_it() {
    // The three shapes that overflowed the parser's stack and killed the
    // process: 1,000 nested parentheses, 1,000 nested sets, 5,000 nested `if`.
    for (shape, depth) in [("parentheses", 1000), ("sets", 1000), ("if", 5000)] {
        let text = deep_policy(shape, depth);
        assert!(
            text.len() < MAX_POLICY_FILE_BYTES,
            "{shape}: within the size limit"
        );
        let err = Engine::builder()
            .local_policies("deep.cedar", text)
            .build()
            .expect_err(shape);
        assert!(
            matches!(
                err,
                LoadError::TooDeep {
                    what: "policy file",
                    line: 3,
                    max: MAX_POLICY_NESTING,
                    ..
                }
            ),
            "{shape}: {err:?}"
        );
        let report = govshare::error_report(&err);
        assert!(
            report.starts_with("policy file `deep.cedar`, line 3: nested 65 levels deep"),
            "{report}"
        );
    }
}

/// The deepest `shape` the nesting limit admits, and the engine built with it.
fn deepest_admitted(shape: &str) -> (usize, Engine) {
    let build = |depth| {
        Engine::builder()
            .local_policies("deep.cedar", deep_policy(shape, depth))
            .build()
    };
    // Refusals by depth cost no parse, so counting down is cheap.
    for depth in (1..=MAX_POLICY_NESTING).rev() {
        if let Ok(engine) = build(depth) {
            let deeper = build(depth + 1).expect_err("one level deeper is refused");
            assert!(matches!(deeper, LoadError::TooDeep { .. }), "{deeper}");
            return (depth, engine);
        }
    }
    panic!("{shape}: nothing near the limit loads");
}

#[test]
fn the_deepest_policy_admitted_decides_correctly_on_small_thread_stacks() {
    let registry = Arc::new(demo());
    let allow = UsageRequest::from_json(ALLOW).unwrap();
    for shape in SHAPES {
        let (depth, engine) = deepest_admitted(shape);
        for stack in [64 * 1024, 128 * 1024, 256 * 1024] {
            let (engine, registry, request) =
                (engine.clone(), Arc::clone(&registry), allow.clone());
            let rules = std::thread::Builder::new()
                .stack_size(stack)
                .spawn(move || {
                    let decision = engine.evaluate(&request, &*registry);
                    decision
                        .rule_ids()
                        .into_iter()
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .unwrap()
                .join()
                .unwrap();
            // The local forbid fires, and nothing failed to evaluate.
            assert_eq!(
                rules,
                ["ZJ-DEEP"],
                "{shape} at depth {depth}, {stack}-byte stack"
            );
        }
    }
}

/// Runs `f` on a thread and waits for it at most 30 s, so a read that
/// blocks (opening a FIFO for reading waits for a writer) fails the test
/// instead of hanging it.
fn returns<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(30))
        .expect("the call returned instead of waiting for input forever")
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn only_regular_files_are_read_and_never_past_their_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    mkfifo(&fifo);

    let path = fifo.clone();
    let err = returns(move || govshare::error_report(&Registry::from_path(&path).unwrap_err()));
    assert!(
        err.contains("pipe.json") && err.contains("a FIFO (named pipe), not a regular file"),
        "{err}"
    );
    let path = fifo.clone();
    let err = returns(move || govshare::wire::load_registry_file(&path).unwrap_err());
    assert_eq!(err.status(), govshare::ffi::Status::Io, "{err}");
    let err = returns(|| govshare::error_report(&Registry::from_path("/dev/zero").unwrap_err()));
    assert!(
        err.contains("a character device, not a regular file"),
        "{err}"
    );
    let folder = dir.path().to_owned();
    let err = returns(move || govshare::error_report(&Registry::from_path(&folder).unwrap_err()));
    assert!(err.contains("a directory, not a regular file"), "{err}");

    // A local policy file, a statutory file of a policies folder, a
    // calendar year file.
    let path = fifo.clone();
    let err = returns(move || {
        govshare::error_report(
            &Engine::builder()
                .local_policy_file(&path)
                .build()
                .unwrap_err(),
        )
    });
    assert!(err.contains("a FIFO"), "{err}");
    let policies = dir.path().join("policies");
    std::fs::create_dir_all(policies.join("statutory")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/policies/govshare.cedarschema"),
        policies.join("govshare.cedarschema"),
    )
    .unwrap();
    mkfifo(&policies.join("statutory/00-permit.cedar"));
    let path = policies.clone();
    let err = returns(move || {
        govshare::error_report(&Engine::builder().policies_dir(&path).build().unwrap_err())
    });
    assert!(
        err.contains("00-permit.cedar") && err.contains("a FIFO"),
        "{err}"
    );
    let calendar = dir.path().join("calendar");
    std::fs::create_dir(&calendar).unwrap();
    mkfifo(&calendar.join("cn-2026.json"));
    let path = calendar.clone();
    let err =
        returns(move || govshare::error_report(&govshare::Calendar::load_dir(&path).unwrap_err()));
    assert!(
        err.contains("cn-2026.json") && err.contains("a FIFO"),
        "{err}"
    );

    // A file over its limit is refused from its size, unread.
    let big = dir.path().join("big.cedar");
    std::fs::write(&big, " ".repeat(MAX_POLICY_FILE_BYTES + 1)).unwrap();
    let err = Engine::builder()
        .local_policy_file(&big)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, LoadError::TooLarge { what: "policy file", size, .. } if size == MAX_POLICY_FILE_BYTES + 1),
        "{err}"
    );
    let err = govshare::wire::read_input(&big, 1024).unwrap_err();
    assert_eq!(err.status(), govshare::ffi::Status::LimitExceeded);
}

#[test]
fn a_grant_whose_status_contradicts_its_records_is_refused_at_load() {
    // Grant 05 is suspended, with its suspension record. Marked `active`
    // with the record kept, it used to load and allow.
    let mut v: serde_json::Value = serde_json::from_str(super::common::DEMO).unwrap();
    v["grants"][4]["status"] = "active".into();
    let err = Registry::from_json_str(&v.to_string()).unwrap_err();
    let report = govshare::error_report(&err);
    assert!(
        matches!(&err, LoadError::Grant { grant, .. } if grant == "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05"),
        "{report}"
    );
    assert!(
        report.contains("status is `active` but it carries a suspension record"),
        "{report}"
    );
    // A deadline to correct that does not follow the suspension.
    let mut v: serde_json::Value = serde_json::from_str(super::common::DEMO).unwrap();
    v["grants"][4]["suspension"]["correct_by"] = "2026-10-20T09:00:00+08:00".into();
    let report = govshare::error_report(&Registry::from_json_str(&v.to_string()).unwrap_err());
    assert!(
        report.contains("does not lie after the suspension"),
        "{report}"
    );
}

#[test]
fn events_dated_past_the_horizon_are_refused_in_registries_and_transitions() {
    use govshare::lifecycle::{Change, Transition};
    use govshare::limits::MAX_EVENT_LEAD_SECONDS;
    let future = chrono::Utc::now() + chrono::Duration::seconds(MAX_EVENT_LEAD_SECONDS + 3600);
    let future = govshare::time::format_rfc3339(&future.fixed_offset());
    let soon = chrono::Utc::now() + chrono::Duration::seconds(MAX_EVENT_LEAD_SECONDS - 3600);
    let soon = govshare::time::format_rfc3339(&soon.fixed_offset());
    let doc: serde_json::Value = serde_json::from_str(super::common::DEMO).unwrap();
    for (record, value) in [
        (
            "disposed",
            serde_json::json!({"method": "delete", "at": future, "attested_by": "安全员"}),
        ),
        (
            "ended",
            serde_json::json!({"trigger": "purpose_achieved", "at": future}),
        ),
    ] {
        let mut v = doc.clone();
        v["grants"][0][record] = value;
        let report = govshare::error_report(&Registry::from_json_str(&v.to_string()).unwrap_err());
        assert!(
            report.contains("a record of an event that has not happened"),
            "{report}"
        );
    }
    // Year 9999 is not even an instant the library accepts.
    let mut v = doc.clone();
    v["grants"][0]["disposed"] = serde_json::json!({"method": "delete", "at": "9999-12-31T00:00:00+08:00", "attested_by": "安全员"});
    let report = govshare::error_report(&Registry::from_json_str(&v.to_string()).unwrap_err());
    assert!(report.contains("outside the accepted range"), "{report}");
    // Within the horizon, a record loads.
    let mut v = doc.clone();
    v["grants"][0]["ended"] = serde_json::json!({"trigger": "purpose_achieved", "at": soon});
    assert!(Registry::from_json_str(&v.to_string()).is_ok());

    // A disposal receipt dated in 2150 used to be recorded, so the denial
    // that follows disposal never started.
    let mut registry = demo();
    let grant: govshare::GrantId = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01".parse().unwrap();
    let dispose = |at: &str| {
        Transition::new(
            govshare::time::parse_rfc3339(at).unwrap(),
            "hz-hrss".parse().unwrap(),
            "杭州市人力资源和社会保障局",
            "已删除",
            Change::DisposalRecorded {
                grant: grant.clone(),
                method: govshare::DisposalMethod::Delete,
                attested_by: "数据安全员".into(),
            },
        )
    };
    let err = registry
        .apply(&dispose("2150-01-01T00:00:00+08:00"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            govshare::TransitionError::Invalid {
                change: "disposal_recorded",
                ..
            }
        ),
        "{err}"
    );
    assert!(registry.get_grant(&grant).unwrap().disposed.is_none());
    // A consent may take effect ahead (it widens the grant from its own
    // time; the horizon bounds only records of what has happened)...
    registry
        .clone()
        .apply(&Transition::new(
            govshare::time::parse_rfc3339("2150-01-01T00:00:00+08:00").unwrap(),
            "hz-amr".parse().unwrap(),
            "杭州市市场监督管理局",
            "同意增加数据项",
            Change::ConsentAdded {
                grant: grant.clone(),
                consent: serde_json::from_value(serde_json::json!(
                    {"kind": "item", "value": "status", "at": "2150-01-01T00:00:00+08:00"}
                ))
                .unwrap(),
            },
        ))
        .unwrap();
    // ...and a disposal now is recorded.
    registry
        .apply(&dispose("2026-09-02T10:00:00+08:00"))
        .unwrap();
}
