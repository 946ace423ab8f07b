//! Several instances of govshare, each its own process (`govshare serve`),
//! sharing one PostgreSQL cluster: a change recorded through one is honoured
//! by all; a version token makes it immediate; a database outage makes
//! every instance deny once the staleness bound passes, and they recover;
//! appends from four writers at once leave one verifiable record with every
//! acknowledged entry, even when a writer is killed mid-append.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/pg.rs"]
mod pg;

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use govshare::store::{DurableRegistry, PgStore, SignatureAlgorithm, SigningKey};
use govshare::{Engine, Registry, UsageRequest};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_govshare");
const REGISTRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/registry.json");
const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";
const STALENESS_MS: u64 = 1500;

/// Requests of the demo, under several grants, on 4 March 2026.
fn requests() -> Vec<Value> {
    let req = |requester: &str, grant: &str, method: &str, purpose: &str, items: &[&str]| {
        json!({"requester": requester, "dataset": "ent-reg", "grant": grant, "action": "access",
               "method": method, "purpose": purpose, "items": items,
               "at": "2026-03-04T10:00:00+08:00"})
    };
    let hrss = "social-insurance.enrollment-check";
    vec![
        req("hz-hrss", G1, "service_interface", hrss, &["uscc", "name"]),
        req(
            "hz-hrss",
            G1,
            "service_interface",
            hrss,
            &["uscc", "legal_rep_id_number"],
        ),
        req(
            "hz-tax",
            "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e02",
            "bulk_exchange",
            "tax.registration-check",
            &["uscc"],
        ),
    ]
}

fn suspension() -> Value {
    json!({"at": "2026-03-03T09:00:00+08:00", "by": "hz-amr", "actor": "杭州市市场监督管理局",
           "reason": "超范围调用身份证号",
           "change": {"kind": "suspended", "grant": G1, "violation": "scope_expansion",
                      "correct_by": "2026-03-17T18:00:00+08:00"}})
}

/// One `govshare serve` process.
struct Instance {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Instance {
    fn start(url: &str, extra: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["serve", "--registry", REGISTRY, "--journal", url])
            .args([
                "--staleness",
                &format!("{STALENESS_MS}ms"),
                "--poll",
                "100ms",
            ])
            .args(["--wait", "3s"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("govshare serve starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Self {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, line: &Value) {
        let stdin = self.stdin.as_mut().expect("open stdin");
        writeln!(stdin, "{line}").expect("write a line");
        stdin.flush().expect("flush");
    }

    /// Sends `lines` from a thread of their own, so that neither pipe
    /// fills while the other waits; stdin is closed after them.
    fn feed(&mut self, lines: Vec<Value>) -> std::thread::JoinHandle<()> {
        let mut stdin = self.stdin.take().expect("open stdin");
        std::thread::spawn(move || {
            for line in lines {
                // A killed instance stops reading: stop writing.
                if writeln!(stdin, "{line}").is_err() {
                    return;
                }
            }
        })
    }

    fn read(&mut self) -> Option<Value> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(serde_json::from_str(&line).expect("a JSON line")),
        }
    }

    fn ask(&mut self, line: &Value) -> Value {
        self.send(line);
        self.read().expect("an answer")
    }

    fn decide(&mut self, request: &Value, at_least: Option<u64>) -> Value {
        let mut line = json!({ "decide": request });
        if let Some(v) = at_least {
            line["at_least"] = json!(v);
        }
        let answer = self.ask(&line);
        answer
            .get("decision")
            .cloned()
            .unwrap_or_else(|| panic!("not a decision: {answer}"))
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rule_ids(decision: &Value) -> Vec<String> {
    decision["reasons"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter_map(|r| r["rule"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn outcome(decision: &Value) -> String {
    decision["decision"].as_str().unwrap_or_default().to_owned()
}

fn govshare(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("govshare runs")
}

#[test]
fn four_instances_honour_one_history() {
    let mut cluster = pg::Cluster::start();
    let url = cluster.create_db("instances");
    let out = govshare(&["store", "migrate", &url]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied 0001_logs"));
    let again = govshare(&["store", "migrate", &url]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing applied"));

    let mut all: Vec<Instance> = (0..4).map(|_| Instance::start(&url, &[])).collect();
    let request = &requests()[0];
    for i in &mut all {
        let d = i.decide(request, None);
        assert_eq!(outcome(&d), "allow", "{d}");
        assert_eq!(d["registry_version"], json!(0));
    }

    // Recorded through instance 0.
    let applied = all[0].ask(&json!({ "apply": suspension() }));
    let seq = applied["applied"]["seq"].as_u64().expect("applied");
    assert_eq!(seq, 1);
    // With the version token, at once on instance 1.
    let start = Instant::now();
    let d = all[1].decide(request, Some(seq));
    assert_eq!(rule_ids(&d), ["GS-GRANT-SUSPENDED"], "{d}");
    assert_eq!(d["registry_version"], json!(1));
    assert!(start.elapsed() < Duration::from_secs(1));
    // Without it, instances 2 and 3 honour it within the staleness bound.
    for i in &mut all[2..] {
        loop {
            let d = i.decide(request, None);
            if outcome(&d) == "deny" {
                assert_eq!(rule_ids(&d), ["GS-GRANT-SUSPENDED"], "{d}");
                assert_eq!(d["registry_version"], json!(1));
                break;
            }
            assert!(
                start.elapsed() < Duration::from_millis(STALENESS_MS),
                "the suspension did not reach an instance within the staleness bound"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    // Every instance decides as one in-memory engine given the same
    // history (the journal's changes replayed onto the same registry).
    let base = Registry::from_path(REGISTRY).unwrap();
    let store = PgStore::connect_read_only(&url).unwrap();
    let memory = DurableRegistry::open(base.clone(), store.journal(&base).unwrap())
        .unwrap()
        .into_registry();
    let engine = Engine::builder().build().unwrap();
    for r in requests() {
        let expected: Value = serde_json::from_str(
            &engine
                .evaluate(&UsageRequest::from_json(&r.to_string()).unwrap(), &memory)
                .to_json(),
        )
        .unwrap();
        for i in &mut all {
            let got = i.decide(&r, Some(1));
            assert_eq!(outcome(&got), outcome(&expected), "{got} vs {expected}");
            assert_eq!(rule_ids(&got), rule_ids(&expected));
            assert_eq!(got["registry_version"], expected["registry_version"]);
        }
    }

    // The database goes away: once the bound passes, every instance denies.
    cluster.kill();
    std::thread::sleep(Duration::from_millis(STALENESS_MS + 700));
    for i in &mut all {
        let d = i.decide(&requests()[2], None);
        assert_eq!(rule_ids(&d), ["GS-FACTS-UNAVAILABLE"], "{d}");
    }
    // It returns: every instance serves facts again.
    cluster.resume();
    let start = Instant::now();
    for i in &mut all {
        loop {
            let d = i.decide(&requests()[2], None);
            if rule_ids(&d) != ["GS-FACTS-UNAVAILABLE"] {
                assert_eq!(outcome(&d), "allow", "{d}");
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "an instance did not recover: {d}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn write_key(dir: &Path) -> (String, String) {
    let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let private = dir.join("key.pem");
    let public = dir.join("key.pub.pem");
    std::fs::write(&private, key.to_pkcs8_pem().unwrap()).unwrap();
    std::fs::write(&public, key.public_key().to_pem().unwrap()).unwrap();
    (
        private.to_str().unwrap().to_owned(),
        public.to_str().unwrap().to_owned(),
    )
}

fn recorded(answer: &Value) -> u64 {
    answer["recorded"]["seq"]
        .as_u64()
        .unwrap_or_else(|| panic!("not recorded: {answer}"))
}

#[test]
fn four_writers_leave_one_record_and_a_killed_writer_loses_nothing_acknowledged() {
    const EACH: usize = 40;
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("writers");
    let keys = tempfile::tempdir().unwrap();
    let (private, public) = write_key(keys.path());
    let out = govshare(&["store", "migrate", &url, "--signing-key", &private]);
    assert!(out.status.success(), "{out:?}");
    let writer = || Instance::start(&url, &["--record", &url, "--signing-key", &private]);

    let mut acknowledged = BTreeSet::new();
    let mut all: Vec<Instance> = (0..4).map(|_| writer()).collect();
    let lines = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|k| json!({ "decide": requests()[k % 3] }))
            .collect()
    };
    // Every writer's lines are sent at once: the four processes append at
    // the same time.
    let feeders: Vec<_> = all.iter_mut().map(|i| i.feed(lines(EACH))).collect();
    for i in &mut all {
        for _ in 0..EACH {
            let a = i.read().expect("an answer");
            assert!(acknowledged.insert(recorded(&a)), "a sequence number twice");
        }
    }
    for f in feeders {
        f.join().unwrap();
    }
    assert_eq!(
        acknowledged.iter().copied().collect::<Vec<_>>(),
        (1..=(4 * EACH) as u64).collect::<Vec<_>>()
    );

    // A writer killed while it appends.
    let mut victim = writer();
    let feeder = victim.feed(lines(400));
    for _ in 0..10 {
        acknowledged.insert(recorded(&victim.read().expect("an answer")));
    }
    victim.child.kill().unwrap();
    victim.child.wait().unwrap();
    feeder.join().unwrap();
    // Whatever it printed before it died was acknowledged.
    while let Some(a) = victim.read() {
        acknowledged.insert(recorded(&a));
    }

    let out = govshare(&["record", "verify", &url, "--public-key", &public]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(": intact;"), "{text}");
    let out = govshare(&["record", "query", &url]);
    assert!(out.status.success(), "{out:?}");
    let present: BTreeSet<u64> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let lost: Vec<_> = acknowledged.difference(&present).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    // No gaps: the record is 1..=n.
    assert_eq!(
        present.iter().copied().collect::<Vec<_>>(),
        (1..=present.len() as u64).collect::<Vec<_>>()
    );
}

#[test]
fn the_command_line_takes_a_connection_url_wherever_it_takes_a_store_file() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("cli");
    let dir = tempfile::tempdir().unwrap();
    let (private, public) = write_key(dir.path());
    let transition = dir.path().join("suspend.json");
    std::fs::write(&transition, suspension().to_string()).unwrap();
    let request = dir.path().join("request.json");
    std::fs::write(&request, requests()[0].to_string()).unwrap();
    let t = transition.to_str().unwrap();
    let r = request.to_str().unwrap();

    let out = govshare(&[
        "apply",
        "--registry",
        REGISTRY,
        "--journal",
        &url,
        "--transition",
        t,
        "--signing-key",
        &private,
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("recorded as change 1"), "{text}");
    // The same file again is the same change.
    let again = govshare(&[
        "apply",
        "--registry",
        REGISTRY,
        "--journal",
        &url,
        "--transition",
        t,
        "--signing-key",
        &private,
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already recorded"));

    let out = govshare(&[
        "decide",
        "--registry",
        REGISTRY,
        "--journal",
        &url,
        "--record",
        &url,
        "--signing-key",
        &private,
        "--request",
        r,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rule_ids(&d), ["GS-GRANT-SUSPENDED"], "{d}");
    assert_eq!(d["registry_version"], json!(1));

    let out = govshare(&["check", "--registry", REGISTRY, "--journal", &url]);
    assert_ne!(out.status.code(), Some(2), "{out:?}");
    assert_ne!(out.status.code(), Some(4), "{out:?}");

    let export = dir.path().join("audit.jsonl");
    let out = govshare(&[
        "record",
        "export",
        &url,
        "--output",
        export.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let out = govshare(&[
        "record",
        "verify",
        export.to_str().unwrap(),
        "--public-key",
        &public,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("record 1 entries"));
    let out = govshare(&["record", "checkpoints", &url, "--format", "text"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("checkpoints of store"));

    // An operator's checkpoint, and the self-check report over the URL: the
    // record's status with that checkpoint.
    let out = govshare(&["record", "checkpoint", &url, "--signing-key", &private]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("record through 1"));
    let report = dir.path().join("report.json");
    let out = govshare(&[
        "report",
        "--registry",
        REGISTRY,
        "--journal",
        &url,
        "--record",
        &url,
        "--at",
        "2026-08-20T09:00:00+08:00",
        "--out",
        report.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        v["summary"]["record_intact"],
        json!(true),
        "{}",
        v["record"]
    );
    assert_eq!(v["record"]["entries"], json!(1));
    assert_eq!(v["record"]["journal_entries"], json!(1));
    assert!(
        v["record"]["last_checkpoint"]["id"].is_u64(),
        "{}",
        v["record"]
    );

    // Pruning works as on a file: nothing is three years old here.
    let out = govshare(&[
        "record",
        "prune",
        &url,
        "--before",
        "2020-01-01T00:00:00+08:00",
        "--signing-key",
        &private,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to prune"));
    // What works on SQLite files only says so, and changes nothing.
    let legacy = dir.path().join("usage.jsonl");
    std::fs::write(&legacy, "").unwrap();
    let out = govshare(&[
        "record",
        "import",
        "--from",
        legacy.to_str().unwrap(),
        &url,
        "--signing-key",
        &private,
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("SQLite file"));
    // A password never appears in what the command line prints.
    let secret = url.replace("govshare@", "govshare:hunter2@");
    let out = govshare(&["record", "verify", &secret]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("hunter2"), "{all}");
}
