//! The report's figures on the demo registry.

use super::*;
use crate::time::parse_rfc3339;

const DEMO: &str = include_str!("../../examples/data/registry.json");

fn demo_at(at: &str, inputs: ReportInputs<'_>) -> Report {
    let registry = Registry::from_json_str(DEMO).unwrap();
    let calendar = Calendar::embedded().unwrap();
    Report::build(&registry, &calendar, parse_rfc3339(at).unwrap(), inputs)
}

#[test]
fn grant_states_count_every_grant_once() {
    let r = demo_at("2026-08-20T09:00:00+08:00", ReportInputs::default());
    let total: usize = r.grants.by_state.iter().map(|(_, n)| n).sum();
    assert_eq!(total, r.summary.grants);
    assert_eq!(r.grants.by_state.len(), GrantState::ALL.len());
}

#[test]
fn grants_ending_within_thirty_days_are_listed_soonest_first() {
    // The demo's hz-hrss grant runs until 2026-09-01.
    let r = demo_at("2026-08-20T09:00:00+08:00", ReportInputs::default());
    let ids: Vec<_> = r.grants.expiring.iter().map(|g| g.grant.as_str()).collect();
    assert!(
        ids.contains(&"6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01"),
        "{ids:?}"
    );
    assert!(
        r.grants
            .expiring
            .iter()
            .all(|g| (0..=30).contains(&g.days_left))
    );
    let early = demo_at("2026-03-02T09:00:00+08:00", ReportInputs::default());
    assert!(
        !early
            .grants
            .expiring
            .iter()
            .any(|g| g.grant == "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01")
    );
}

#[test]
fn findings_fall_to_the_provider_and_cite_their_articles() {
    let mut v: serde_json::Value = serde_json::from_str(DEMO).unwrap();
    v["datasets"][3]["sharing"]["basis"]["kind"] = "policy".into();
    let registry = Registry::from_json_str(&v.to_string()).unwrap();
    let calendar = Calendar::embedded().unwrap();
    let at = parse_rfc3339("2026-03-02T09:00:00+08:00").unwrap();
    let r = Report::build(&registry, &calendar, at, ReportInputs::default());
    let tax = r
        .departments
        .iter()
        .find(|d| d.id.as_str() == "hz-tax")
        .unwrap();
    assert!(
        tax.findings
            .iter()
            .any(|f| f.code == "CAT-NOT-SHARED-BAD-BASIS")
    );
    assert_eq!(r.departments[0].id.as_str(), "hz-tax", "most errors first");
    let art14 = r.articles.iter().find(|a| a.article == 14).unwrap();
    assert!(art14.errors >= 1);
    assert!(art14.zh.contains("不予共享"));
}

#[test]
fn sharing_mix_counts_each_entry_under_its_provider() {
    let r = demo_at("2026-03-02T09:00:00+08:00", ReportInputs::default());
    let amr = r
        .sharing_mix
        .iter()
        .find(|m| m.department.as_str() == "hz-amr")
        .unwrap();
    assert_eq!(
        (amr.unconditional, amr.conditional, amr.not_shared),
        (1, 1, 0)
    );
    let total: usize = r
        .sharing_mix
        .iter()
        .map(|m| m.unconditional + m.conditional + m.not_shared)
        .sum();
    assert_eq!(total, r.summary.datasets);
}

#[test]
fn pending_applications_carry_their_reply_deadline_and_what_they_lack() {
    let app: Application = serde_json::from_str(
        r#"{"id": "app-1", "requester": "hz-civil", "dataset": "hh-reg",
            "items": ["name"], "methods": ["service_interface"],
            "received_at": "2026-03-02T09:00:00+08:00"}"#,
    )
    .unwrap();
    let apps = [app];
    let inputs = ReportInputs {
        applications: &apps,
        ..ReportInputs::default()
    };
    // Conditional data: ten working days from Monday 2026-03-02.
    let r = demo_at("2026-03-20T09:00:00+08:00", inputs.clone());
    let a = &r.applications[0];
    assert_eq!(a.reply_due, NaiveDate::from_ymd_opt(2026, 3, 16));
    assert_eq!(a.overdue, Some(true));
    assert!(a.missing.iter().any(|f| f.code == "APP-MISSING-BASIS"));
    assert_eq!(r.summary.applications_overdue, 1);
    let civil = r
        .departments
        .iter()
        .find(|d| d.id.as_str() == "hz-civil")
        .unwrap();
    assert!(civil.findings.iter().any(|f| f.code == "APP-MISSING-BASIS"));
    let r = demo_at("2026-03-10T09:00:00+08:00", inputs);
    assert_eq!(r.applications[0].overdue, Some(false));
}

#[test]
fn an_altered_record_shows_as_broken() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("govshare.db");
    let store = crate::store::Store::open(&db).unwrap();
    let event: crate::audit::UseEvent = serde_json::from_value(serde_json::json!({
        "category": "storage", "at": "2026-03-02T10:00:00+08:00",
        "grant": "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01", "requester": "hz-hrss",
        "dataset": "ent-reg", "detail": "存储于本局数据库", "actor": "数据管理员"}))
    .unwrap();
    let record = crate::audit::Record::UseEvent(event);
    crate::audit::RecordSink::record(&store, &record).unwrap();
    crate::audit::RecordSink::record(&store, &record).unwrap();
    let export = dir.path().join("usage.jsonl");
    store
        .export(&mut std::fs::File::create(&export).unwrap())
        .unwrap();
    drop(store);
    let mut walked = 0;
    let good = record_status(&db, &mut |p| walked = p.done);
    assert!(good.intact(), "{good:?}");
    assert_eq!((good.entries, walked), (2, 2));
    assert_eq!(
        good.signatures,
        Some(crate::store::SignatureCheck::Unsigned)
    );
    let good = record_status(&export, &mut |_| {});
    assert!(good.intact(), "{good:?}");
    assert_eq!(good.entries, 2);
    let text = std::fs::read_to_string(&export)
        .unwrap()
        .replacen("本局", "他局", 1);
    std::fs::write(&export, text).unwrap();
    let bad = record_status(&export, &mut |_| {});
    assert!(!bad.intact());
    assert!(
        matches!(
            bad.broken.as_ref().unwrap().place,
            crate::error::Place::Line { .. }
        ),
        "{bad:?}"
    );
    let inputs = ReportInputs {
        record: Some(bad),
        ..ReportInputs::default()
    };
    let r = demo_at("2026-03-10T09:00:00+08:00", inputs);
    assert_eq!(r.summary.record_intact, Some(false));
}

#[cfg(feature = "report-html")]
#[test]
fn a_large_registry_gives_a_report_a_person_can_read() {
    // 400 entries of one provider, each missing its format: 400 findings
    // for one department. The page lists the first ones and says how many
    // more the JSON holds.
    let mut v: serde_json::Value = serde_json::from_str(DEMO).unwrap();
    let template = v["datasets"][1].clone();
    let entries: Vec<serde_json::Value> = (0..400)
        .map(|i| {
            let mut d = template.clone();
            d["id"] = format!("bulk-{i}").into();
            d["format"] = "".into();
            d
        })
        .collect();
    v["datasets"] = entries.into();
    v["grants"] = serde_json::json!([]);
    v["contractors"] = serde_json::json!([]);
    let registry = Registry::from_json_str(&v.to_string()).unwrap();
    let calendar = Calendar::embedded().unwrap();
    let at = parse_rfc3339("2026-03-02T09:00:00+08:00").unwrap();
    let r = Report::build(&registry, &calendar, at, ReportInputs::default());
    let amr = r
        .departments
        .iter()
        .find(|d| d.id.as_str() == "hz-amr")
        .unwrap();
    assert_eq!(amr.errors, 400);
    let html = r.to_html();
    assert!(html.contains("data-more=\"350\""), "the rest is counted");
    assert_eq!(
        html.matches("<td><code>CAT-MISSING-FIELD</code>").count(),
        50
    );
    assert!(html.len() < 200_000, "{} bytes", html.len());
    assert_eq!(
        r.to_json().matches("\"CAT-MISSING-FIELD\"").count(),
        801,
        "the JSON holds every finding by registry and by department, and the code once under its article"
    );
}
