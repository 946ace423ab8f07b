//! Conditions that reach the decision, through the command line: the five
//! problems of the issue on conditions as a platform operator meets them
//! with `govshare decide`, `check`, `application` and `reply`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "support/cli.rs"]
mod cli;
use cli::{govshare, stderr, stdout};

use serde_json::{Value, json};

const CONDITIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/cases/registry-conditions.json"
);

/// A scratch folder, removed when the test ends.
struct Scratch(tempfile::TempDir);

impl Scratch {
    fn new() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    fn write(&self, name: &str, value: &Value) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, value.to_string()).unwrap();
        path
    }
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn decide(scratch: &Scratch, registry: &str, request: Value) -> Value {
    let request = scratch.write("request.json", &request);
    let out = govshare(&["decide", "--registry", registry, "--request", arg(&request)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn rules(decision: &Value) -> Vec<&str> {
    decision["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect()
}

fn use_of(requester: &str, dataset: &str, purpose: &str) -> Value {
    json!({"requester": requester, "dataset": dataset, "action": "use", "purpose": purpose,
           "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"})
}

fn check_json(registry: &Path) -> (Option<i32>, Value) {
    let out = govshare(&["check", "--registry", arg(registry), "--format", "json"]);
    (
        out.status.code(),
        serde_json::from_str(&stdout(&out)).unwrap(),
    )
}

fn codes_of(report: &Value, subject: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"]["id"] == subject)
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Problem 1: `decide` denies what `check` already refuses.
#[test]
fn decide_denies_secret_data_and_an_unregistered_provider() {
    let scratch = Scratch::new();
    let secret = decide(
        &scratch,
        CONDITIONS,
        use_of("hz-hrss", "secret-plan", "social-insurance.audit"),
    );
    assert_eq!(secret["decision"], "deny");
    assert_eq!(rules(&secret), ["GS-SECRET-DATA"]);
    let acme = decide(
        &scratch,
        CONDITIONS,
        use_of("hz-hrss", "acme-data", "social-insurance.audit"),
    );
    assert_eq!(acme["decision"], "deny");
    assert_eq!(rules(&acme), ["GS-UNKNOWN-PROVIDER"]);
    // The text form names the rule in Chinese first.
    let request = scratch.write(
        "request.json",
        &use_of("hz-hrss", "acme-data", "social-insurance.audit"),
    );
    let text = govshare(&[
        "decide",
        "--registry",
        CONDITIONS,
        "--request",
        arg(&request),
        "--format",
        "text",
    ]);
    assert!(
        stdout(&text).contains("数据集的提供单位不是已登记的政府部门"),
        "{}",
        stdout(&text)
    );
    // `govshare policies` lists the new rules in catalog order.
    let policies = stdout(&govshare(&["policies"]));
    let at = |id: &str| policies.find(id).unwrap_or_else(|| panic!("{id} missing"));
    assert!(at("GS-NOT-SHARED") < at("GS-UNKNOWN-PROVIDER"));
    assert!(at("GS-UNKNOWN-PROVIDER") < at("GS-SECRET-DATA"));
    assert!(at("GS-SECRET-DATA") < at("GS-OUTSIDE-SHARING-SCOPE"));
    assert!(at("GS-OUTSIDE-SHARING-SCOPE") < at("GS-USE-NOT-PERMITTED"));
    assert!(at("GS-USE-NOT-PERMITTED") < at("GS-UNREGISTERED-PURPOSE"));
    assert!(at("GS-UNREGISTERED-PURPOSE") < at("GS-NO-GRANT"));
}

fn ningbo_application() -> Value {
    json!({
        "id": "app-nb-1", "requester": "nb-hrss", "dataset": "ent-reg",
        "items": ["uscc", "name"], "methods": ["service_interface"],
        "purpose": "marketing.lead-generation", "basis": "无", "scenario": "企业客户开发",
        "valid_from": "2026-03-01T00:00:00+08:00", "valid_until": "2036-03-01T00:00:00+08:00",
        "attestation": {"authenticity": true, "legality": true, "necessity": true},
        "approval": {"by": "宁波市人社局数据共享工作机构负责人", "at": "2026-02-26T10:00:00+08:00"},
        "received_at": "2026-02-27T10:00:00+08:00"
    })
}

fn approval(by: &str, at: &str) -> Value {
    json!({"by": by, "at": at})
}

const HEAD: &str = "杭州市市场监管局数据共享工作机构负责人";

fn run_reply(scratch: &Scratch, app: &Value, reply: &Value) -> Output {
    let app = scratch.write("application.json", app);
    let reply = scratch.write("reply.json", reply);
    govshare(&[
        "reply",
        "--registry",
        CONDITIONS,
        "--application",
        arg(&app),
        "--reply",
        arg(&reply),
    ])
}

/// Problem 2: the Ningbo application, an added condition, a refused
/// unconditional entry.
#[test]
fn conditional_sharing_conditions_are_enforced_on_applications_replies_and_grants() {
    let scratch = Scratch::new();
    let app = scratch.write("application.json", &ningbo_application());
    let out = govshare(&[
        "application",
        "--registry",
        CONDITIONS,
        "--application",
        arg(&app),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let found: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "APP-MISSING-BASIS",
            "APP-UNREGISTERED-PURPOSE",
            "APP-OUTSIDE-SHARING-SCOPE",
            "APP-USE-NOT-PERMITTED"
        ]
    );

    let approve = json!({"decision": {"decision": "approve",
                                      "disposal": {"method": "delete", "within_working_days": 10}},
                         "replied_at": "2026-03-02T10:00:00+08:00",
                         "approval": approval(HEAD, "2026-03-02T10:00:00+08:00")});
    let out = run_reply(&scratch, &ningbo_application(), &approve);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("incomplete"), "{}", stderr(&out));
    let mut supplemented = ningbo_application();
    supplemented["basis"] = json!("《中华人民共和国社会保险法》第五十七条");
    supplemented["purpose"] = json!("social-insurance.enrollment-check");
    let out = run_reply(&scratch, &supplemented, &approve);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("outside the entry's sharing conditions (APP-OUTSIDE-SHARING-SCOPE)"),
        "{}",
        stderr(&out)
    );
    let decision = decide(
        &scratch,
        CONDITIONS,
        json!({"requester": "nb-hrss", "dataset": "ent-reg", "grant": "g-nb-ent", "action": "use",
               "purpose": "marketing.lead-generation", "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"}),
    );
    assert_eq!(
        rules(&decision)[..2],
        ["GS-OUTSIDE-SHARING-SCOPE", "GS-USE-NOT-PERMITTED"]
    );

    // A condition the entry does not state: refused in a reply, an error
    // finding in `check`.
    let mut hangzhou = supplemented.clone();
    hangzhou["requester"] = json!("hz-hrss");
    let mut added = approve.clone();
    added["decision"]["conditions"] = json!(["每次调用须书面报批"]);
    let out = run_reply(&scratch, &hangzhou, &added);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a provider may not add conditions of its own (Art. 15, 39(2))"),
        "{}",
        stderr(&out)
    );
    let mut registry: Value =
        serde_json::from_str(&std::fs::read_to_string(CONDITIONS).unwrap()).unwrap();
    registry["grants"][0]["conditions"] = json!(["每次调用须书面报批"]);
    let path = scratch.write("registry.json", &registry);
    let (code, report) = check_json(&path);
    assert_eq!(code, Some(1));
    assert!(codes_of(&report, "g-hrss-ent").contains(&"GRANT-EXTRA-CONDITIONS".to_owned()));
    let grant = report["coverage"]["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["subject"]["id"] == "g-hrss-ent")
        .unwrap();
    assert_eq!(grant["machine_checkable"], false);
    assert_eq!(grant["unchecked"], json!(["grant_conditions"]));

    // Refusing a complete application for an unconditional entry.
    let mut open = hangzhou;
    open["dataset"] = json!("ent-public");
    let refuse = json!({"decision": {"decision": "refuse", "reasons": ["本局暂不对外提供"]},
                        "replied_at": "2026-02-27T16:00:00+08:00",
                        "approval": approval(HEAD, "2026-02-27T16:00:00+08:00")});
    let out = run_reply(&scratch, &open, &refuse);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is unconditional"),
        "{}",
        stderr(&out)
    );
}

/// Problem 3: an invented purpose is denied once the registry has a
/// vocabulary.
#[test]
fn an_invented_purpose_is_denied_with_a_vocabulary() {
    let scratch = Scratch::new();
    let invented = use_of(
        "hz-hrss",
        "ent-free",
        "social-insurance.enrollment-check.marketing-to-insurers",
    );
    let decision = decide(&scratch, CONDITIONS, invented.clone());
    assert_eq!(
        rules(&decision),
        ["GS-UNREGISTERED-PURPOSE", "GS-PURPOSE-CHANGE"]
    );
    // `check` warns when there is no vocabulary, and says so in coverage.
    let mut registry: Value =
        serde_json::from_str(&std::fs::read_to_string(CONDITIONS).unwrap()).unwrap();
    registry.as_object_mut().unwrap().remove("purposes");
    let path = scratch.write("no-vocabulary.json", &registry);
    let (_, report) = check_json(&path);
    assert_eq!(codes_of(&report, "purposes"), ["REG-NO-PURPOSE-VOCABULARY"]);
    assert_eq!(report["coverage"]["summary"]["purpose_vocabulary"], false);
    assert_eq!(decide(&scratch, arg(&path), invented)["decision"], "allow");
}

/// Problem 4: backflow across provinces is an error finding.
#[test]
fn check_refuses_backflow_across_regions() {
    let scratch = Scratch::new();
    let mut registry: Value =
        serde_json::from_str(&std::fs::read_to_string(CONDITIONS).unwrap()).unwrap();
    let grants = registry["grants"].as_array_mut().unwrap();
    for (id, requester) in [("g-back-nj", "nj-hrss"), ("g-back-nb", "nb-hrss")] {
        grants.push(
            json!({"id": id, "dataset": "zj-insured", "requester": requester,
            "purpose": "social-insurance.enrollment-check", "basis": "《某法》", "scenario": "回流",
            "items": ["uscc"], "methods": ["bulk_exchange"],
            "valid_from": "2026-01-01T00:00:00+08:00", "valid_until": "2027-01-01T00:00:00+08:00",
            "disposal": {"method": "delete", "within_working_days": 10}, "status": "active",
            "backflow": true}),
        );
    }
    let path = scratch.write("backflow.json", &registry);
    let (code, report) = check_json(&path);
    assert_eq!(code, Some(1));
    assert!(codes_of(&report, "g-back-nj").contains(&"GRANT-BACKFLOW-OUTSIDE-REGION".to_owned()));
    assert!(!codes_of(&report, "g-back-nb").contains(&"GRANT-BACKFLOW-OUTSIDE-REGION".to_owned()));
    let text = govshare(&["check", "--registry", arg(&path)]);
    assert!(
        stdout(&text).contains("申请部门的行政区划 320100 不在提供部门的行政区划 330000 之内"),
        "{}",
        stdout(&text)
    );
}

/// Problem 5: a reply dated before its application, or approved by no one.
#[test]
fn replies_before_the_application_or_without_an_approver_are_refused() {
    let scratch = Scratch::new();
    let mut app = ningbo_application();
    app["requester"] = json!("hz-hrss");
    app["basis"] = json!("《中华人民共和国社会保险法》第五十七条");
    app["purpose"] = json!("social-insurance.enrollment-check");
    let approve = |at: &str, by: &str| {
        json!({"decision": {"decision": "approve",
                            "disposal": {"method": "delete", "within_working_days": 10}},
               "replied_at": at, "approval": approval(by, at)})
    };
    let early = run_reply(&scratch, &app, &approve("2026-01-01T10:00:00+08:00", HEAD));
    assert_eq!(early.status.code(), Some(2));
    assert!(
        stderr(&early).contains("is dated before application `app-nb-1` was received"),
        "{}",
        stderr(&early)
    );
    assert!(stdout(&early).is_empty());
    let nameless = run_reply(&scratch, &app, &approve("2026-03-02T10:00:00+08:00", ""));
    assert_eq!(nameless.status.code(), Some(2));
    assert!(
        stderr(&nameless).contains("approval.by"),
        "{}",
        stderr(&nameless)
    );
    let ok = run_reply(&scratch, &app, &approve("2026-03-02T10:00:00+08:00", HEAD));
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let outcome: Value = serde_json::from_str(&stdout(&ok)).unwrap();
    assert_eq!(outcome["decision"], "approve");
    assert!(outcome["delivery_due"].as_str().unwrap() > "2026-03-02");
}

/// `check` prints the coverage summary in text and JSON.
#[test]
fn check_reports_how_much_is_enforced_by_code() {
    let out = govshare(&["check", "--registry", CONDITIONS]);
    let text = stdout(&out);
    assert!(text.contains("机器校验覆盖 enforced by code"), "{text}");
    assert!(text.contains("dataset `ent-free`"), "{text}");
    let (_, report) = check_json(Path::new(CONDITIONS));
    let summary = &report["coverage"]["summary"];
    assert_eq!(summary["conditional_entries"], 7);
    assert_eq!(summary["purpose_vocabulary"], true);
    assert!(summary["grants_enforced"].as_u64().unwrap() <= summary["grants"].as_u64().unwrap());
}
