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

#[test]
fn apply_keeps_a_journal_that_decide_reads() {
    let dir = scratch("apply");
    let journal = dir.join("journal.jsonl").display().to_string();
    let suspend = write(
        &dir,
        "suspend.json",
        r#"{"at": "2026-03-01T09:00:00+08:00", "actor": "杭州市市场监督管理局", "reason": "超范围调用",
            "change": {"kind": "suspended", "grant": "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01",
                       "violation": "scope_expansion", "correct_by": "2026-03-15T18:00:00+08:00"}}"#,
    );
    let out = govshare(&[
        "apply",
        "--registry",
        REGISTRY,
        "--journal",
        &journal,
        "--transition",
        &suspend,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let again = govshare(&[
        "apply",
        "--registry",
        REGISTRY,
        "--journal",
        &journal,
        "--transition",
        &suspend,
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already suspended"),
        "{}",
        stderr(&again)
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
    // A torn tail is reported on stderr and cut off.
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(b"{\"seq\":2,\"transi");
    std::fs::write(&journal, bytes).unwrap();
    let torn = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--journal",
        &journal,
        "--request",
        ALLOW,
    ]);
    assert_eq!(torn.status.code(), Some(0));
    assert!(stderr(&torn).contains("torn"), "{}", stderr(&torn));
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
    let journal = dir.join("journal.jsonl").display().to_string();
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
fn record_verify_names_a_tampered_line() {
    let dir = scratch("record");
    let log = dir.join("usage.jsonl").display().to_string();
    for _ in 0..3 {
        let out = govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--request",
            ALLOW,
            "--record",
            &log,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let ok = govshare(&["record", "verify", &log]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(
        stdout(&ok).contains("3 entries, chain intact"),
        "{}",
        stdout(&ok)
    );
    let q = govshare(&[
        "record",
        "query",
        &log,
        "--grant",
        "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01",
    ]);
    assert_eq!(stdout(&q).lines().count(), 3);
    let text = std::fs::read_to_string(&log)
        .unwrap()
        .replacen("\"allow\"", "\"deny\"", 2);
    std::fs::write(&log, text).unwrap();
    let broken = govshare(&["record", "verify", &log]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("line 1"), "{}", stdout(&broken));
    let q = govshare(&["record", "query", &log]);
    assert_eq!(q.status.code(), Some(2));
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

/// A local forbid whose condition is nested `depth` times in `open` and
/// `close` around `inner`.
fn deep_local(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!(
        "@id(\"ZJ-DEEP\") @articles(\"25\") @zh(\"深\") @en(\"deep\")\n\
         forbid (principal, action, resource)\n\
         when {{ {}{inner}{} }};\n",
        open.repeat(depth),
        close.repeat(depth)
    )
}

#[test]
fn a_deeply_nested_local_policy_is_a_load_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("parens.cedar", deep_local("(", "true", ")", 1000)),
        ("sets.cedar", deep_local("[", "1", "]", 1000)),
        (
            "ifs.cedar",
            deep_local("if ", "true", " then true else false", 5000),
        ),
    ] {
        let file = write(dir.path(), name, &text);
        let out = govshare(&["policies", "--local", &file]);
        // It used to abort with status 134 (a stack overflow in the parser).
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "policy file `{file}`, line 3: nested 65 levels deep"
            )) && err.contains("MAX_POLICY_NESTING"),
            "{err}"
        );
        let decide = govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--request",
            ALLOW,
            "--local",
            &file,
        ]);
        assert_eq!(decide.status.code(), Some(3), "{}", stderr(&decide));
    }
}

/// Runs the CLI and waits at most 30 s for it: one that blocks on its
/// input is killed and the test fails.
fn govshare_within(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govshare"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("govshare {args:?} blocked on its input");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn fifos_devices_and_folders_given_as_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.cedar");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo = fifo.to_str().unwrap();
    // `--local` used to hang forever on a FIFO.
    let out = govshare_within(&["policies", "--local", fifo]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a FIFO (named pipe), not a regular file"),
        "{}",
        stderr(&out)
    );
    for args in [
        vec!["decide", "--registry", REGISTRY, "--request", fifo],
        vec!["decide", "--registry", fifo, "--request", ALLOW],
        vec!["decide", "--registry", "/dev/zero", "--request", ALLOW],
        vec!["decide", "--registry", REGISTRY, "--request", "/dev/zero"],
        vec!["check", "--registry", "/tmp"],
    ] {
        let out = govshare_within(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let calendar = dir.path().join("calendar");
    std::fs::create_dir(&calendar).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(calendar.join("cn-2026.json"))
            .status()
            .unwrap()
            .success()
    );
    let out = govshare_within(&[
        "deadline",
        "--received",
        "2026-03-02T10:00:00+08:00",
        "--class",
        "conditional",
        "--calendar",
        calendar.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("a FIFO"), "{}", stderr(&out));
}

#[test]
fn standard_input_is_read_no_further_than_the_request_limit() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_govshare"))
        .args(["decide", "--registry", REGISTRY, "--request", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // An endless request: the command must stop reading past the limit
    // and exit, which breaks this pipe. Before, it read to the end (512 MiB
    // took 534 MB of memory) before checking the limit.
    let chunk = vec![b' '; 64 * 1024];
    let mut written = 0usize;
    let cap = 64 * 1024 * 1024;
    while written < cap {
        match stdin.write(&chunk) {
            Ok(n) => written += n,
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
                break;
            }
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(written < cap, "the command read all {written} bytes");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("standard input: input size in bytes is 65537, over the limit of 65536"),
        "{}",
        stderr(&out)
    );
}
