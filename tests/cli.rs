//! The command line for the people who run a sharing platform: exit codes
//! and output of `check`, `deadline`, `disposals`, `duplicates`,
//! `application`, `reply`, `apply` and `record`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output};

#[path = "support/cli.rs"]
mod cli;
use cli::{govshare, stderr, stdout};

const REGISTRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/registry.json");
const ALLOW: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/requests/01-allow.json"
);

/// A scratch folder, removed when the test ends.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// An instant as RFC 3339 with its offset.
fn rfc3339(at: &chrono::DateTime<chrono::FixedOffset>) -> String {
    govshare::time::format_rfc3339(at)
}

/// A calendar folder with weekends only, for the years around `now`: the
/// official calendars of future years are not published yet.
fn weekend_calendar(dir: &Path, now: &chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Datelike as _;
    let folder = dir.join("calendar");
    std::fs::create_dir_all(&folder).unwrap();
    for year in now.year() - 1..=now.year() + 2 {
        std::fs::write(
            folder.join(format!("cn-{year}.json")),
            format!(
                r#"{{"year": {year}, "source": "a test calendar: weekends only", "holidays": [], "make_up_workdays": []}}"#
            ),
        )
        .unwrap();
    }
    folder.display().to_string()
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
    let scratch = scratch();
    let dir = scratch.path();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(REGISTRY).unwrap()).unwrap();
    v["datasets"][3]["sharing"]["basis"]["kind"] = "policy".into();
    let bad = write(dir, "bad.json", &v.to_string());
    let out = govshare(&["check", "--registry", &bad, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        report["coverage"]["summary"]["entries"].is_u64(),
        "{report}"
    );
    assert!(
        report["findings"]
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

/// The demo department ends its contractor's entrustment early (Art. 36).
const END_ENTRUSTMENT: &str = r#"{"at": "2026-05-06T09:00:00+08:00", "by": "hz-hrss", "actor": "杭州市人力资源和社会保障局数据管理处",
    "reason": "提前终止委托", "change": {"kind": "entrustment_ended", "contractor": "c-hz-cloud"}}"#;

#[test]
fn contractors_in_apply_disposals_and_check() {
    let dir = scratch();
    let journal = dir.path().join("govshare.db").display().to_string();
    // Only the entrusting department ends the entrustment.
    let by_other = write(
        dir.path(),
        "other.json",
        &END_ENTRUSTMENT.replace(r#""by": "hz-hrss""#, r#""by": "hz-amr""#),
    );
    let refused = apply(&journal, &by_other);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("contractor `c-hz-cloud`")
            && stderr(&refused).contains("(Art. 36)"),
        "{}",
        stderr(&refused)
    );
    let end = write(dir.path(), "end.json", END_ENTRUSTMENT);
    let out = apply(&journal, &end);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // From the end of its entrustment the contractor owes disposal of the
    // data it held, while the department's grant runs on.
    let disposals = |format: &str| {
        govshare(&[
            "disposals",
            "--registry",
            REGISTRY,
            "--journal",
            &journal,
            "--at",
            "2026-05-07T09:00:00+08:00",
            "--format",
            format,
        ])
    };
    let text = disposals("text");
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = stdout(&text);
    assert!(
        text.contains("contractor c-hz-cloud of hz-hrss (contract HT-2026-001) holds ent-reg")
            && text.contains("after entrustment_ended at 2026-05-06T09:00:00+08:00"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&disposals("json"))).unwrap();
    let holders: Vec<(&str, &str)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["holder"].as_str().unwrap(),
                e["holder_kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(holders.contains(&("c-hz-cloud", "contractor")), "{json}");
    // A contract past its end whose entrustment is on record is an error of
    // `check`; once ended through the journal it is not.
    let late = govshare(&[
        "check",
        "--registry",
        REGISTRY,
        "--at",
        "2027-01-02T00:00:00+08:00",
    ]);
    assert_eq!(late.status.code(), Some(1), "{}", stdout(&late));
    assert!(
        stdout(&late).contains("[CONTRACTOR-CONTRACT-ENDED]")
            && stdout(&late).contains("contractor `c-hz-cloud`"),
        "{}",
        stdout(&late)
    );
    let settled = govshare(&[
        "check",
        "--registry",
        REGISTRY,
        "--journal",
        &journal,
        "--at",
        "2027-01-02T00:00:00+08:00",
    ]);
    assert!(
        !stdout(&settled).contains("CONTRACTOR-CONTRACT-ENDED"),
        "{}",
        stdout(&settled)
    );
    // A unified social credit code whose check character is wrong.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(REGISTRY).unwrap()).unwrap();
    v["contractors"][0]["uscc"] = "91330106MA2H0CLD15".into();
    let bad = write(dir.path(), "bad-uscc.json", &v.to_string());
    let out = govshare(&["check", "--registry", &bad, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "CONTRACTOR-BAD-USCC")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(finding["subject"]["kind"], "contractor");
    assert_eq!(finding["articles"], serde_json::json!(["36"]));
}

const SUSPEND: &str = r#"{"at": "2026-03-01T09:00:00+08:00", "by": "hz-amr", "actor": "杭州市市场监督管理局", "reason": "超范围调用",
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
    // A reinstatement widens what the requester may do: it is dated now,
    // when it is recorded (it may not reach back).
    let now = chrono::Utc::now().with_timezone(&govshare::time::china_offset());
    let reinstate = write(
        dir.path(),
        "reinstate.json",
        &format!(
            r#"{{"at": "{}", "by": "hz-amr", "actor": "x", "reason": "已整改",
            "change": {{"kind": "reinstated", "grant": "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01"}}}}"#,
            rfc3339(&now)
        ),
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
    let before = stdout(&checkpoints).lines().count();
    // The operator seals the logs now; without the key the store refuses.
    let unsigned = govshare(&["record", "checkpoint", &store]);
    assert_eq!(unsigned.status.code(), Some(4), "{}", stderr(&unsigned));
    let seal = govshare(&["record", "checkpoint", &store, "--signing-key", &key]);
    assert_eq!(seal.status.code(), Some(0), "{}", stderr(&seal));
    assert!(
        stdout(&seal).contains("record through 3"),
        "{}",
        stdout(&seal)
    );
    let checkpoints = govshare(&["record", "checkpoints", &store]);
    assert_eq!(stdout(&checkpoints).lines().count(), before + 1);
    assert!(
        stdout(&checkpoints).contains("\"manual\""),
        "{}",
        stdout(&checkpoints)
    );
    let verify = govshare(&["record", "verify", &store, "--public-key", &public]);
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
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
    // An approval widens what the requester may do, so it is recorded when
    // it is given: the dates are the present's, and the working-day
    // calendar of these years is made up (weekends only) for the test.
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now().with_timezone(&govshare::time::china_offset());
    let calendar = weekend_calendar(dir.path(), &now);
    let ts = |days: i64| rfc3339(&(now + chrono::Duration::days(days)));
    let app = write(
        dir.path(),
        "app.json",
        &format!(
            r#"{{"id": "app-7", "requester": "hz-hrss", "dataset": "ent-reg", "items": ["uscc"], "methods": ["service_interface"],
            "purpose": "social-insurance.audit", "basis": "《社会保险法》第五十七条", "scenario": "参保稽核",
            "valid_from": "{}", "valid_until": "{}",
            "attestation": {{"authenticity": true, "legality": true, "necessity": true}},
            "approval": {{"by": "人社局负责人", "at": "{}"}},
            "received_at": "{}"}}"#,
            ts(-1),
            ts(365),
            ts(-31),
            ts(-30)
        ),
    );
    let late = write(
        dir.path(),
        "reply.json",
        &format!(
            r#"{{"decision": {{"decision": "approve", "disposal": {{"method": "delete", "within_working_days": 10}}}},
            "replied_at": "{}", "approval": {{"by": "市场监管局负责人", "at": "{}"}}}}"#,
            ts(0),
            ts(0)
        ),
    );
    let journal = dir.path().join("govshare.db").display().to_string();
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
        "--calendar",
        &calendar,
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
    let request = |at: &str| {
        write(
            dir.path(),
            "req.json",
            &format!(
                r#"{{"requester": "hz-hrss", "dataset": "ent-reg", "grant": "{grant}", "action": "use",
                "purpose": "social-insurance.audit", "items": ["uscc"], "at": "{at}"}}"#
            ),
        )
    };
    let decide = |at: &str| -> serde_json::Value {
        let out = govshare(&[
            "decide",
            "--registry",
            REGISTRY,
            "--journal",
            &journal,
            "--request",
            &request(at),
        ]);
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let d = decide(&ts(1));
    assert_eq!(d["decision"], "allow", "{d}");
    assert_eq!(d["registry_version"], 1, "{d}");
    // The period applied for began the day before the approval, which does
    // not reach back.
    let before = decide(&ts(-1));
    assert_eq!(before["reasons"][0]["rule"], "GS-NOT-YET-VALID", "{before}");
}

#[test]
fn record_verify_names_a_tampered_record() {
    let scratch = scratch();
    let dir = scratch.path();
    let log = dir.join("govshare.db").display().to_string();
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
        stdout(&ok).contains("record 3 entries") && stdout(&ok).contains("intact"),
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
    // The first decision rewritten from allow to deny, in place.
    rusqlite::Connection::open(&log)
        .unwrap()
        .execute_batch("UPDATE govshare_records SET record = CAST(replace(CAST(record AS TEXT), '\"allow\"', '\"deny\"') AS BLOB) WHERE seq = 1")
        .unwrap();
    let broken = govshare(&["record", "verify", &log]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stdout(&broken).contains("record entry 1"),
        "{}",
        stdout(&broken)
    );
    // An altered record is never served as evidence: a store failure.
    let q = govshare(&["record", "query", &log]);
    assert_eq!(q.status.code(), Some(4), "{}", stderr(&q));
    assert!(stdout(&q).is_empty());
}

#[test]
fn invalid_utf8_and_malformed_input_are_errors_naming_the_file() {
    let scratch = scratch();
    let dir = scratch.path();
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

/// Facts over time through the command line (issue #12): `apply
/// --journal`, then `decide --journal`. The transitions are recorded now,
/// by the system clock, so their dates are the present's.
mod over_time {
    use super::*;

    type Instant = chrono::DateTime<chrono::FixedOffset>;

    /// A registry like the issue's: one conditional entry, grants `g-1`
    /// and `g-2` of `hz-hrss`, a competent authority `hz-dsj`; the period
    /// of use runs from 200 days ago to `until_days` from now.
    fn registry(dir: &Path, now: &Instant, until_days: i64) -> String {
        let grant = |id: &str| {
            serde_json::json!({"id": id, "dataset": "ent-reg", "requester": "hz-hrss",
                "purpose": "social-insurance.enrollment-check", "basis": "《社会保险法》第五十七条",
                "scenario": "参保登记核验", "items": ["uscc", "name"], "methods": ["service_interface"],
                "valid_from": rfc3339(&(*now - chrono::Duration::days(200))),
                "valid_until": rfc3339(&(*now + chrono::Duration::days(until_days))),
                "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"})
        };
        let v = serde_json::json!({
            "departments": [
                {"id": "hz-amr", "name": "杭州市市场监督管理局", "level": "municipal", "region": "330100"},
                {"id": "hz-hrss", "name": "杭州市人力资源和社会保障局", "level": "municipal", "region": "330100"},
                {"id": "hz-dsj", "name": "杭州市数据资源管理局", "level": "municipal", "region": "330100", "authority": true}],
            "datasets": [
                {"id": "ent-reg", "name": "企业登记信息", "provider": "hz-amr", "status": "published",
                 "items": [{"name": "uscc", "grade": "general"}, {"name": "name", "grade": "general"},
                           {"name": "legal_rep_id_number", "grade": "important"}],
                 "sharing": {"class": "conditional", "scope": "本市政府部门", "uses": ["社会保险经办"]},
                 "methods": ["service_interface"], "format": "database", "update_frequency": "daily"}],
            "grants": [grant("g-1"), grant("g-2")]});
        write(dir, "registry.json", &v.to_string())
    }

    struct Scene {
        dir: tempfile::TempDir,
        now: Instant,
        registry: String,
        journal: String,
        calendar: String,
        n: std::cell::Cell<usize>,
    }

    impl Scene {
        fn new(until_days: i64) -> Self {
            let dir = tempfile::tempdir().unwrap();
            let now = chrono::Utc::now().with_timezone(&govshare::time::china_offset());
            let registry = registry(dir.path(), &now, until_days);
            let calendar = weekend_calendar(dir.path(), &now);
            let journal = dir.path().join("govshare.db").display().to_string();
            Self {
                dir,
                now,
                registry,
                journal,
                calendar,
                n: std::cell::Cell::new(0),
            }
        }

        /// The instant `days` from now.
        fn at(&self, days: i64) -> String {
            rfc3339(&(self.now + chrono::Duration::days(days)))
        }

        fn file(&self, text: &str) -> String {
            self.n.set(self.n.get() + 1);
            write(self.dir.path(), &format!("in-{}.json", self.n.get()), text)
        }

        /// `govshare apply` of a change dated `days` from now.
        fn apply(&self, days: i64, by: &str, change: serde_json::Value) -> Output {
            let t = serde_json::json!({"at": self.at(days), "by": by, "actor": "经办人",
                                       "reason": "依《政务数据共享条例》", "change": change});
            govshare(&[
                "apply",
                "--registry",
                &self.registry,
                "--journal",
                &self.journal,
                "--transition",
                &self.file(&t.to_string()),
            ])
        }

        fn request(&self, grant: &str, items: &[&str], days: i64) -> String {
            self.file(
                &serde_json::json!({"requester": "hz-hrss", "dataset": "ent-reg", "grant": grant,
                    "action": "access", "method": "service_interface",
                    "purpose": "social-insurance.enrollment-check", "items": items,
                    "at": self.at(days)})
                .to_string(),
            )
        }

        /// `govshare decide --journal` of a use of `grant` `days` from now.
        fn decide(
            &self,
            grant: &str,
            items: &[&str],
            days: i64,
            extra: &[&str],
        ) -> serde_json::Value {
            let request = self.request(grant, items, days);
            let mut args = vec![
                "decide",
                "--registry",
                &self.registry,
                "--request",
                &request,
            ];
            // The store exists once a change was applied; a journal that
            // does not exist is an error, not an empty one.
            if Path::new(&self.journal).exists() {
                args.extend_from_slice(&["--journal", &self.journal]);
            }
            args.extend_from_slice(extra);
            let out = govshare(&args);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            serde_json::from_str(&stdout(&out)).unwrap()
        }

        fn rules(&self, grant: &str, days: i64) -> Vec<String> {
            let d = self.decide(grant, &["uscc"], days, &[]);
            d["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["rule"].as_str().unwrap().to_owned())
                .collect()
        }
    }

    fn ok(out: &Output) {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    }

    fn refused(out: &Output, phrases: &[&str]) {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
        for p in phrases {
            assert!(stderr(out).contains(p), "{p:?} not in {}", stderr(out));
        }
    }

    /// Item 1.
    #[test]
    fn suspension_and_termination_are_judged_at_the_time_of_use() {
        let s = Scene::new(100);
        let suspend = |g: &str, correct_by: i64| {
            serde_json::json!({"kind": "suspended", "grant": g, "violation": "scope_expansion",
                               "correct_by": s.at(correct_by)})
        };
        ok(&s.apply(-20, "hz-amr", suspend("g-1", -6)));
        assert_eq!(s.rules("g-1", -21), ["GS-PERMIT"]);
        assert_eq!(s.rules("g-1", -10), ["GS-GRANT-SUSPENDED"]);
        ok(&s.apply(
            0,
            "hz-amr",
            serde_json::json!({"kind": "reinstated", "grant": "g-1"}),
        ));
        assert_eq!(s.rules("g-1", -10), ["GS-GRANT-SUSPENDED"]);
        assert_eq!(s.rules("g-1", 1), ["GS-PERMIT"]);
        // Termination counts from its own instant too.
        ok(&s.apply(-30, "hz-dsj", suspend("g-2", -20)));
        ok(&s.apply(
            -10,
            "hz-dsj",
            serde_json::json!({"kind": "terminated", "grant": "g-2"}),
        ));
        assert_eq!(s.rules("g-2", -31), ["GS-PERMIT"]);
        assert_eq!(s.rules("g-2", -25), ["GS-GRANT-SUSPENDED"]);
        assert_eq!(s.rules("g-2", -5), ["GS-GRANT-TERMINATED"]);
        let d = s.decide("g-2", &["uscc"], -5, &[]);
        assert_eq!(d["registry_version"], 4, "{d}");
    }

    /// Item 2.
    #[test]
    fn a_consent_is_the_providers_and_counts_from_its_recording() {
        let s = Scene::new(100);
        let consent = |at: String| {
            serde_json::json!({"kind": "consent_added", "grant": "g-1",
                "consent": {"kind": "item", "value": "legal_rep_id_number", "at": at}})
        };
        refused(
            &s.apply(0, "hz-hrss", consent(s.at(-200))),
            &["`hz-hrss` may not make `consent_added`", "(Art. 25)"],
        );
        refused(
            &s.apply(0, "hz-amr", consent(s.at(-200))),
            &["cannot reach back"],
        );
        ok(&s.apply(0, "hz-amr", consent(s.at(0))));
        let wider = &["uscc", "legal_rep_id_number"];
        let before = s.decide("g-1", wider, -30, &[]);
        assert_eq!(
            before["reasons"][0]["rule"], "GS-SCOPE-EXPANSION",
            "{before}"
        );
        assert_eq!(s.decide("g-1", wider, 1, &[])["decision"], "allow");
    }

    /// Item 3.
    #[test]
    fn a_withdrawal_ends_the_grants_from_its_date_and_owes_disposal() {
        let s = Scene::new(100);
        let withdraw = |filed_with: &str| {
            serde_json::json!({"kind": "entry_withdrawn", "dataset": "ent-reg",
                               "filed_with": filed_with, "reason": "职责调整，经协商停止共享服务"})
        };
        refused(
            &s.apply(-10, "hz-hrss", withdraw("hz-dsj")),
            &["(Art. 27(3))"],
        );
        let out = s.apply(-10, "hz-amr", withdraw("hz-dsj"));
        ok(&out);
        assert!(
            stdout(&out).contains("dataset `ent-reg`"),
            "{}",
            stdout(&out)
        );
        assert_eq!(s.rules("g-1", -11), ["GS-PERMIT"]);
        let after = s.decide("g-1", &["uscc"], -5, &[]);
        assert_eq!(after["reasons"][0]["rule"], "GS-NOT-PUBLISHED", "{after}");
        assert_eq!(after["obligations"][0]["obligation"], "GS-OBL-DISPOSE");
        assert_eq!(
            after["obligations"][0]["facts"]["trigger"],
            "entry_withdrawn"
        );
        let out = govshare(&[
            "disposals",
            "--registry",
            &s.registry,
            "--journal",
            &s.journal,
            "--at",
            &s.at(0),
            "--calendar",
            &s.calendar,
            "--format",
            "json",
        ]);
        ok(&out);
        let owed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(owed.as_array().unwrap().len(), 2, "{owed}");
        assert_eq!(owed[0]["trigger"], "entry_withdrawn");
        let check = govshare(&[
            "check",
            "--registry",
            &s.registry,
            "--journal",
            &s.journal,
            "--format",
            "json",
        ]);
        assert!(
            !stdout(&check).contains("GRANT-UNPUBLISHED-DATASET"),
            "{}",
            stdout(&check)
        );
    }

    /// Item 4.
    #[test]
    fn a_renewal_before_the_end_leaves_no_disposal_overdue() {
        let s = Scene::new(5);
        ok(&s.apply(
            0,
            "hz-amr",
            serde_json::json!({"kind": "grant_renewed", "grant": "g-1", "valid_until": s.at(100)}),
        ));
        let disposals = || {
            let out = govshare(&[
                "disposals",
                "--registry",
                &s.registry,
                "--journal",
                &s.journal,
                "--at",
                &s.at(25),
                "--calendar",
                &s.calendar,
                "--format",
                "json",
            ]);
            ok(&out);
            let owed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
            owed.as_array()
                .unwrap()
                .iter()
                .map(|e| e["grant"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            disposals(),
            ["g-2"],
            "only the grant not renewed owes disposal"
        );
        ok(&s.apply(
            0,
            "hz-amr",
            serde_json::json!({"kind": "grant_renewed", "grant": "g-2", "valid_until": s.at(100)}),
        ));
        assert!(disposals().is_empty());
        // Nothing overdue blocks new access under the renewed grants.
        let d = s.decide(
            "g-1",
            &["uscc"],
            25,
            &["--optional", "block-while-disposal-overdue"],
        );
        assert_eq!(d["decision"], "allow", "{d}");
        refused(
            &s.apply(
                0,
                "hz-hrss",
                serde_json::json!({"kind": "grant_renewed", "grant": "g-1", "valid_until": s.at(200)}),
            ),
            &["(Art. 21)"],
        );
    }

    /// Item 5.
    #[test]
    fn termination_waits_for_the_deadline_and_overdue_corrections_are_listed() {
        let s = Scene::new(100);
        ok(&s.apply(
            -3,
            "hz-amr",
            serde_json::json!({"kind": "suspended", "grant": "g-1", "violation": "third_party",
                               "correct_by": s.at(10)}),
        ));
        refused(
            &s.apply(
                -2,
                "hz-amr",
                serde_json::json!({"kind": "terminated", "grant": "g-1"}),
            ),
            &["Art. 27(2)", "has not passed"],
        );
        refused(
            &s.apply(
                -4,
                "hz-amr",
                serde_json::json!({"kind": "reinstated", "grant": "g-1"}),
            ),
            &["comes after it"],
        );
        let listing = |days: i64| {
            let out = govshare(&[
                "corrections",
                "--registry",
                &s.registry,
                "--journal",
                &s.journal,
                "--at",
                &s.at(days),
            ]);
            ok(&out);
            stdout(&out)
        };
        assert!(listing(5).contains("0 suspensions"), "{}", listing(5));
        assert!(listing(11).contains("grant g-1"), "{}", listing(11));
        let check = govshare(&[
            "check",
            "--registry",
            &s.registry,
            "--journal",
            &s.journal,
            "--at",
            &s.at(11),
        ]);
        assert!(
            stdout(&check).contains("[GRANT-CORRECTION-OVERDUE]"),
            "{}",
            stdout(&check)
        );
    }

    /// Item 6.
    #[test]
    fn both_spellings_of_a_period_end_owe_disposal_the_same_day() {
        let dir = tempfile::tempdir().unwrap();
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(REGISTRY).unwrap()).unwrap();
        let mut second = v["grants"][0].clone();
        second["id"] = "g-last-second".into();
        second["valid_until"] = "2026-08-31T23:59:59+08:00".into();
        v["grants"].as_array_mut().unwrap().push(second);
        let registry = write(dir.path(), "registry.json", &v.to_string());
        let out = govshare(&[
            "disposals",
            "--registry",
            &registry,
            "--at",
            "2026-09-02T00:00:00+08:00",
            "--format",
            "json",
        ]);
        ok(&out);
        let owed: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let due = |g: &str| {
            owed.as_array()
                .unwrap()
                .iter()
                .find(|e| e["grant"] == g)
                .map(|e| e["due"].clone())
                .unwrap()
        };
        assert_eq!(due("6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01"), "2026-09-14");
        assert_eq!(due("g-last-second"), "2026-09-14");
    }

    /// Item 8.
    #[test]
    fn a_live_decision_refuses_a_time_far_from_the_clock() {
        let s = Scene::new(100);
        let replay = s.decide("g-1", &["uscc"], -30, &[]);
        assert_eq!(replay["decision"], "allow");
        let live = s.decide("g-1", &["uscc"], -30, &["--max-clock-skew", "5m"]);
        assert_eq!(live["reasons"][0]["rule"], "GS-CLOCK-SKEW", "{live}");
        assert!(live["reasons"][0]["facts"]["engine_time"].is_string());
        assert_eq!(live["reasons"][0]["facts"]["max_skew_seconds"], 300);
        let now = s.decide("g-1", &["uscc"], 0, &["--max-clock-skew", "300"]);
        assert_eq!(now["decision"], "allow", "{now}");
        let bad = govshare(&[
            "decide",
            "--registry",
            &s.registry,
            "--request",
            &s.request("g-1", &["uscc"], 0),
            "--max-clock-skew",
            "five minutes",
        ]);
        assert_eq!(bad.status.code(), Some(2));
    }

    /// A journal that does not verify is a store failure: exit 4, naming
    /// the store; a file that is not a store at all is the wrong input:
    /// exit 2, and it is left as it was.
    #[test]
    fn a_damaged_journal_exits_four() {
        let s = Scene::new(100);
        ok(&s.apply(
            -1,
            "hz-amr",
            serde_json::json!({"kind": "suspended", "grant": "g-1", "violation": "scope_expansion",
                               "correct_by": s.at(10)}),
        ));
        rusqlite::Connection::open(&s.journal)
            .unwrap()
            .execute_batch("UPDATE govshare_journal SET transition = CAST(replace(CAST(transition AS TEXT), 'scope_expansion', 'purpose_change') AS BLOB)")
            .unwrap();
        let decide = |journal: &str| {
            govshare(&[
                "decide",
                "--registry",
                &s.registry,
                "--journal",
                journal,
                "--request",
                &s.request("g-1", &["uscc"], 0),
            ])
        };
        let out = decide(&s.journal);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains("govshare.db"), "{}", stderr(&out));
        assert!(stdout(&out).is_empty());
        let notes = s.file("not a journal\n");
        let out = decide(&notes);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("not a govshare store"),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), "not a journal\n");
    }
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
