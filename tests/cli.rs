//! The command line for the people who run a sharing platform: exit codes
//! and output of `check`, `deadline`, `disposals`, `duplicates`,
//! `application`, `reply`, `apply` and `record`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REGISTRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/registry.json");
const ALLOW: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/requests/01-allow.json"
);

fn govshare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_govshare"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("govshare-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn check_exits_one_on_errors_and_zero_when_clean() {
    let clean = govshare(&["check", "--registry", REGISTRY]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(stdout(&clean).contains("0 errors"));
    let dir = scratch("check");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(REGISTRY).unwrap()).unwrap();
    v["datasets"][3]["sharing"]["basis"]["kind"] = "policy".into();
    let bad = write(&dir, "bad.json", &v.to_string());
    let out = govshare(&["check", "--registry", &bad, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "CAT-NOT-SHARED-BAD-BASIS")
    );
    let missing = govshare(&["check", "--registry", "/no/such/registry.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/no/such/registry.json"));
}

#[test]
fn deadline_lists_the_days_it_skipped() {
    let out = govshare(&[
        "deadline",
        "--received",
        "2025-09-26T10:00:00+08:00",
        "--class",
        "conditional",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("due 2025-10-16"), "{text}");
    assert!(text.contains("2025-10-01 国庆节、中秋节 holiday"), "{text}");
    let json = govshare(&[
        "deadline",
        "--received",
        "2025-09-26T10:00:00+08:00",
        "--class",
        "unconditional",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["due"], "2025-09-28");
    let ext = govshare(&[
        "deadline",
        "--received",
        "2025-09-26T10:00:00+08:00",
        "--extension",
        "11",
    ]);
    assert_eq!(ext.status.code(), Some(2));
    let outside = govshare(&["deadline", "--received", "2026-12-28T10:00:00+08:00"]);
    assert_eq!(outside.status.code(), Some(2));
    assert!(stderr(&outside).contains("2027"), "{}", stderr(&outside));
    let no_zone = govshare(&["deadline", "--received", "2025-09-26T10:00:00"]);
    assert_eq!(no_zone.status.code(), Some(2));
    assert!(stderr(&no_zone).contains("--received"));
}

#[test]
fn disposals_and_duplicates() {
    let out = govshare(&[
        "disposals",
        "--registry",
        REGISTRY,
        "--at",
        "2026-08-20T00:00:00+08:00",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let due: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["due"].as_str().unwrap())
        .collect();
    assert_eq!(due, ["2026-07-07", "2026-08-14"]);
    let dup = govshare(&[
        "duplicates",
        "--registry",
        REGISTRY,
        "--requester",
        "hz-hrss",
        "--items",
        "uscc,phone",
    ]);
    assert!(stdout(&dup).contains("uscc: obtainable from ent-public"));
    assert!(!stdout(&dup).contains("phone:"));
}

const SUSPEND: &str = r#"{"at": "2026-03-01T09:00:00+08:00", "actor": "杭州市市场监督管理局", "reason": "超范围调用",
    "change": {"kind": "suspended", "grant": "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01",
               "violation": "scope_expansion", "correct_by": "2026-03-15T18:00:00+08:00"}}"#;

fn apply(journal: &str, transition: &str) -> Output {
    govshare(&[
        "apply",
        "--registry",
        REGISTRY,
        "--journal",
        journal,
        "--transition",
        transition,
    ])
}

#[test]
fn apply_keeps_a_journal_that_decide_reads() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("govshare.db").display().to_string();
    let suspend = write(dir.path(), "suspend.json", SUSPEND);
    let out = apply(&journal, &suspend);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("recorded as change 1"),
        "{}",
        stdout(&out)
    );
    // Applying the same transition again (a retry after a lost
    // acknowledgement) is recognised, not duplicated.
    let again = apply(&journal, &suspend);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("already recorded") && stdout(&again).contains("change 1"),
        "{}",
        stdout(&again)
    );
    // Another suspension of the same grant is refused: bad input, exit 2.
    let other = write(
        dir.path(),
        "other.json",
        &SUSPEND.replace("超范围调用", "再次超范围调用"),
    );
    let refused = apply(&journal, &other);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("already suspended"),
        "{}",
        stderr(&refused)
    );
    let decided = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--journal",
        &journal,
        "--request",
        ALLOW,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&decided)).unwrap();
    assert_eq!(v["reasons"][0]["rule"], "GS-GRANT-SUSPENDED");
    let verify = govshare(&["record", "verify", &journal]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    assert!(
        stdout(&verify).contains("journal 1 entries"),
        "{}",
        stdout(&verify)
    );
}

#[test]
fn a_mistyped_path_destroys_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The issue's three cases: a one-line JSON file given as the record, the
    // registry given as the journal, a text file given to a read-only decide.
    let victim = write(
        dir.path(),
        "victim.json",
        &serde_json::json!({"note": "x".repeat(7_500)}).to_string(),
    );
    let registry = write(
        dir.path(),
        "reg.json",
        &std::fs::read_to_string(REGISTRY).unwrap(),
    );
    let notes = write(dir.path(), "notes.txt", "第一行\n第二行\n最后一行没有换行");
    let suspend = write(dir.path(), "suspend.json", SUSPEND);
    let before: Vec<Vec<u8>> = [&victim, &registry, &notes]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let runs = [
        govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--request",
            ALLOW,
            "--record",
            &victim,
        ]),
        apply(&registry, &suspend),
        govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--request",
            ALLOW,
            "--journal",
            &notes,
        ]),
        govshare(&["record", "verify", &registry]),
        govshare(&["record", "query", &notes]),
    ];
    for out in &runs {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
        assert!(
            stderr(out).contains("not a govshare store"),
            "{}",
            stderr(out)
        );
        assert!(
            stdout(out).is_empty(),
            "no decision is printed: {}",
            stdout(out)
        );
    }
    let after: Vec<Vec<u8>> = [&victim, &registry, &notes]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after, "every file byte-for-byte untouched");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        4,
        "no file was created"
    );
}

#[test]
fn a_held_lock_is_a_store_failure_and_readers_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("govshare.db").display().to_string();
    let suspend = write(dir.path(), "suspend.json", SUSPEND);
    assert_eq!(apply(&store, &suspend).status.code(), Some(0));
    let decide_record = || {
        govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--request",
            ALLOW,
            "--journal",
            &store,
            "--record",
            &store,
        ])
    };
    assert_eq!(decide_record().status.code(), Some(0));
    // Another process holds the write lock, mid-change.
    let holder = rusqlite::Connection::open(&store).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE govshare_heads SET seq = seq;")
        .unwrap();
    let reinstate = write(
        dir.path(),
        "reinstate.json",
        r#"{"at": "2026-03-10T09:00:00+08:00", "actor": "x", "reason": "已整改",
            "change": {"kind": "reinstated", "grant": "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01"}}"#,
    );
    for out in [apply(&store, &reinstate), decide_record()] {
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
        assert!(
            stdout(&out).is_empty(),
            "nothing acknowledged: {}",
            stdout(&out)
        );
    }
    // Read-only commands need no lock.
    let read = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--request",
        ALLOW,
        "--journal",
        &store,
    ]);
    assert_eq!(read.status.code(), Some(0), "{}", stderr(&read));
    assert_eq!(
        govshare(&["record", "verify", &store]).status.code(),
        Some(0)
    );
    assert_eq!(
        govshare(&["record", "query", &store]).status.code(),
        Some(0)
    );
    assert_eq!(
        govshare(&["check", "--registry", REGISTRY, "--journal", &store])
            .status
            .code(),
        Some(0)
    );
    holder.execute_batch("ROLLBACK").unwrap();
    let verify = govshare(&["record", "verify", &store]);
    assert!(
        stdout(&verify).contains("journal 1 entries")
            && stdout(&verify).contains("record 1 entries"),
        "{}",
        stdout(&verify)
    );
}

#[test]
fn an_edited_journal_is_a_store_failure_naming_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("govshare.db").display().to_string();
    let suspend = write(dir.path(), "suspend.json", SUSPEND);
    assert_eq!(apply(&store, &suspend).status.code(), Some(0));
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch("UPDATE govshare_journal SET transition = CAST(replace(CAST(transition AS TEXT), '2026-03-15', '2027-03-15') AS BLOB)")
        .unwrap();
    let out = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--request",
        ALLOW,
        "--journal",
        &store,
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("journal change 1"),
        "{}",
        stderr(&out)
    );
    let verify = govshare(&["record", "verify", &store]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stdout(&verify).contains("journal change 1"),
        "{}",
        stdout(&verify)
    );
}

#[test]
fn signed_stores_export_verify_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).display().to_string();
    let (key, public) = (d("key.pem"), d("public.pem"));
    let out = govshare(&[
        "key",
        "generate",
        "--algorithm",
        "sm2",
        "--private",
        &key,
        "--public",
        &public,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let store = d("govshare.db");
    for _ in 0..3 {
        let out = govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--request",
            ALLOW,
            "--record",
            &store,
            "--signing-key",
            &key,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // Without its key a signed store is not written.
    let out = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--request",
        ALLOW,
        "--record",
        &store,
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let verify = govshare(&["record", "verify", &store, "--public-key", &public]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    assert!(
        stdout(&verify).contains("record 3 entries"),
        "{}",
        stdout(&verify)
    );
    let export = d("export.jsonl");
    let out = govshare(&["record", "export", &store, "--output", &export]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let verify = govshare(&["record", "verify", &export, "--public-key", &public]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    // Another deployment's key: not this store's signer.
    let (k2, p2) = (d("k2.pem"), d("p2.pem"));
    govshare(&[
        "key",
        "generate",
        "--algorithm",
        "ed25519",
        "--private",
        &k2,
        "--public",
        &p2,
    ]);
    let wrong = govshare(&["record", "verify", &export, "--public-key", &p2]);
    assert_eq!(wrong.status.code(), Some(1), "{}", stdout(&wrong));
    // An edited export line is named.
    let text = std::fs::read_to_string(&export).unwrap();
    std::fs::write(&export, text.replacen("\"allow\"", "\"deny\"", 1)).unwrap();
    let broken = govshare(&["record", "verify", &export]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("line 2"), "{}", stdout(&broken));
    let checkpoints = govshare(&["record", "checkpoints", &store]);
    assert_eq!(checkpoints.status.code(), Some(0));
    let q = govshare(&[
        "record",
        "query",
        &store,
        "--grant",
        "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01",
    ]);
    assert_eq!(stdout(&q).lines().count(), 3);
    // A record too young to prune.
    let prune = govshare(&[
        "record",
        "prune",
        &store,
        "--before",
        "2030-01-01T00:00:00+08:00",
        "--signing-key",
        &key,
    ]);
    assert_eq!(prune.status.code(), Some(2), "{}", stderr(&prune));
    assert!(
        stderr(&prune).contains("cannot be pruned"),
        "{}",
        stderr(&prune)
    );
}

#[test]
fn reply_records_an_approved_grant() {
    let dir = scratch("reply");
    let app = write(
        &dir,
        "app.json",
        r#"{"id": "app-7", "requester": "hz-hrss", "dataset": "ent-reg", "items": ["uscc"], "methods": ["service_interface"],
            "purpose": "social-insurance.audit", "basis": "《社会保险法》第五十七条", "scenario": "参保稽核",
            "valid_from": "2025-11-01T00:00:00+08:00", "valid_until": "2026-11-01T00:00:00+08:00",
            "attestation": {"authenticity": true, "legality": true, "necessity": true},
            "approval": {"by": "人社局负责人", "at": "2025-09-25T10:00:00+08:00"},
            "received_at": "2025-09-26T10:00:00+08:00"}"#,
    );
    let late = write(
        &dir,
        "reply.json",
        r#"{"decision": {"decision": "approve", "disposal": {"method": "delete", "within_working_days": 10}},
            "replied_at": "2025-10-20T10:00:00+08:00", "approval": {"by": "市场监管局负责人", "at": "2025-10-20T09:00:00+08:00"}}"#,
    );
    let journal = dir.join("govshare.db").display().to_string();
    let out = govshare(&[
        "reply",
        "--registry",
        REGISTRY,
        "--application",
        &app,
        "--reply",
        &late,
        "--journal",
        &journal,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a late reply is a provider violation: {}",
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["violations"][0]["code"], "PROVIDER-LATE-REPLY");
    let grant = v["grant"]["id"].as_str().unwrap().to_owned();
    let request = write(
        &dir,
        "req.json",
        &format!(
            r#"{{"requester": "hz-hrss", "dataset": "ent-reg", "grant": "{grant}", "action": "use",
                "purpose": "social-insurance.audit", "items": ["uscc"], "at": "2026-01-05T10:00:00+08:00"}}"#
        ),
    );
    let decided = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--journal",
        &journal,
        "--request",
        &request,
    ]);
    let d: serde_json::Value = serde_json::from_str(&stdout(&decided)).unwrap();
    assert_eq!(d["decision"], "allow", "{d}");
}

#[test]
fn invalid_utf8_and_malformed_input_are_errors_naming_the_file() {
    let dir = scratch("utf8");
    let path = dir.join("req.json");
    std::fs::write(&path, b"{\"requester\": \"hz\xff\"}").unwrap();
    let out = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--request",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("UTF-8") && stderr(&out).contains("req.json"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    let bad_policies = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--request",
        ALLOW,
        "--policies",
        "/no/such/dir",
    ]);
    assert_eq!(bad_policies.status.code(), Some(3));
}

#[test]
fn record_verify_reports_a_damaged_header_as_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("govshare.db").display().to_string();
    let out = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--request",
        ALLOW,
        "--record",
        &store,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch("UPDATE govshare_meta SET value = 'sha256' WHERE key = 'hash'")
        .unwrap();
    let verify = govshare(&["record", "verify", &store]);
    assert_eq!(verify.status.code(), Some(1), "{}", stderr(&verify));
    assert!(
        stdout(&verify).contains("the store header"),
        "{}",
        stdout(&verify)
    );
}
