//! Hostile input: every breach of a limit or of the wire format is a clear
//! error, never a decision; engines shared and swapped under load.

use std::sync::{Arc, RwLock};

use govshare::limits::{
    MAX_ID_LEN, MAX_JSON_DEPTH, MAX_POLICY_FILE_BYTES, MAX_REGISTRY_BYTES, MAX_REQUEST_BYTES,
    MAX_REQUEST_ITEMS,
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
