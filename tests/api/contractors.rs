//! Contractors (受托方, Art. 36): entries parsed strictly, entrustments made
//! and ended only by the entrusting department and never reaching back,
//! decisions that see an entry as it stood, disposals owed by every holder
//! of the data, and what `check` reports.

use std::sync::Arc;

use govshare::lifecycle::{
    CONTRACT_ENDED, Change, Transition, overdue_disposals, validate, validate_at,
};
use govshare::report::{Report, ReportInputs};
use govshare::store::{DurableRegistry, Store, StoreOptions};
use govshare::time::ManualClock;
use govshare::{
    Calendar, Contractor, ContractorId, DepartmentId, DisposalMethod, Engine, GrantId, LoadError,
    Registry, TransitionError, UsageRequest,
};
use serde_json::{Value, json};

use super::common::{DEMO, demo, t};

const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";
const G3: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e03";

fn dept(s: &str) -> DepartmentId {
    DepartmentId::new(s).unwrap()
}

fn contractor_id(s: &str) -> ContractorId {
    ContractorId::new(s).unwrap()
}

/// A contractor of hz-hrss entrusted with ent-reg, as JSON.
fn entry(id: &str) -> Value {
    json!({"id": id, "name": "杭州某某数据服务有限公司", "uscc": "91330108MA27WQ0P3M",
           "department": "hz-hrss",
           "contract": {"id": format!("HT-{id}"), "valid_from": "2026-01-01T00:00:00+08:00",
                        "valid_until": "2027-01-01T00:00:00+08:00", "security_agreement": true},
           "datasets": ["ent-reg"], "activities": ["processing"]})
}

fn contractor(id: &str) -> Contractor {
    serde_json::from_value(entry(id)).unwrap()
}

/// The demo registry with `contractors` in place of its own, loaded.
fn load_with(contractors: Value) -> Result<Registry, LoadError> {
    let mut v: Value = serde_json::from_str(DEMO).unwrap();
    v["contractors"] = contractors;
    Registry::from_json_str(&v.to_string())
}

fn load_error(contractors: Value) -> String {
    govshare::error_report(&load_with(contractors).expect_err("the registry loads"))
}

fn transition(at: &str, by: &str, change: Change) -> Transition {
    Transition::new(
        t(at),
        dept(by),
        "市人社局数据管理处",
        "委托数据加工",
        change,
    )
}

/// hz-hrss uses ent-reg for its enrollment checks, through `processor`.
fn use_through(processor: Option<&str>, at: &str) -> UsageRequest {
    let mut v = json!({"requester": "hz-hrss", "dataset": "ent-reg", "action": "use",
        "purpose": "social-insurance.enrollment-check", "items": ["uscc"], "at": at});
    if let Some(p) = processor {
        v["processor"] = json!(p);
    }
    UsageRequest::from_json(&v.to_string()).unwrap()
}

fn engine() -> Engine {
    Engine::builder().build().unwrap()
}

#[test]
fn contractor_entries_are_parsed_strictly_and_errors_name_the_entry() {
    assert_eq!(
        load_with(json!([entry("c-1")]))
            .unwrap()
            .contractors()
            .len(),
        1
    );
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut e = entry("c-1");
        edit(&mut e);
        load_error(json!([e]))
    };
    let cases: Vec<(String, &[&str])> = vec![
        (
            with(&|e| e["department"] = json!("hz-nobody")),
            &["contractor `c-1`", "department `hz-nobody`", "Art. 36"],
        ),
        (
            with(&|e| e["datasets"] = json!(["ent-reg", "no-such-entry"])),
            &[
                "contractor `c-1`",
                "dataset `no-such-entry`",
                "not in the catalog",
            ],
        ),
        (
            with(&|e| e["datasets"] = json!([])),
            &["contractor `c-1`", "no dataset"],
        ),
        (
            with(&|e| e["activities"] = json!([])),
            &["contractor `c-1`", "no activity"],
        ),
        (
            with(&|e| e["activities"] = json!(["processing", "transfer"])),
            &["contractors[0].activities[1]", "transfer"],
        ),
        (
            with(&|e| e["id"] = json!("")),
            &["contractors[0].id", "contractor id must not be empty"],
        ),
        (
            with(&|e| e["contract"]["id"] = json!("HT\u{202E}1")),
            &["contractors[0].contract.id", "U+202E"],
        ),
        (
            with(&|e| e["contract"]["valid_until"] = json!("2027-01-01")),
            &["contractors[0].contract.valid_until"],
        ),
        (
            with(&|e| e["contract"]["signed"] = json!(true)),
            &["contractors[0].contract", "signed"],
        ),
        (
            with(&|e| e["extra"] = json!(1)),
            &["contractors[0]", "extra"],
        ),
        (
            with(&|e| {
                e["history"] = json!([
                    {"at": "2026-01-02T00:00:00+08:00", "change": {"kind": "entrusted"}},
                    {"at": "2026-01-03T00:00:00+08:00", "change": {"kind": "entrusted"}}])
            }),
            &["contractor `c-1`", "`entrusted` more than once"],
        ),
        (
            with(&|e| {
                e["history"] = json!([
                    {"at": "2026-02-02T00:00:00+08:00", "change": {"kind": "entrusted"}},
                    {"at": "2026-01-03T00:00:00+08:00", "change": {"kind": "ended"}}])
            }),
            &["contractor `c-1`", "runs backwards"],
        ),
        (
            with(&|e| {
                e["history"] =
                    json!([{"at": "2199-01-01T00:00:00+08:00", "change": {"kind": "ended"}}])
            }),
            &[
                "contractor `c-1`",
                "the end of its entrustment",
                "MAX_EVENT_LEAD_SECONDS",
            ],
        ),
        (
            with(&|e| {
                e["disposals"] = json!([{"grant": "g-none", "method": "delete",
                    "at": "2026-10-01T00:00:00+08:00", "attested_by": "安全员"}])
            }),
            &["contractor `c-1`", "grant `g-none`"],
        ),
        (
            with(&|e| {
                e["disposals"] = json!([{"grant": G3, "method": "delete",
                    "at": "2026-10-01T00:00:00+08:00", "attested_by": "安全员"}])
            }),
            &["contractor `c-1`", "a grant of `hz-housing`"],
        ),
        (
            load_error(json!([entry("c-1"), entry("c-1")])),
            &["duplicate contractor id `c-1`"],
        ),
        (
            load_error(json!([entry("c-2"), entry("c-1"), entry("c-2")])),
            &["duplicate contractor id `c-2`"],
        ),
    ];
    for (message, phrases) in cases {
        for phrase in phrases {
            assert!(message.contains(phrase), "{phrase:?} not in {message:?}");
        }
    }
}

#[test]
fn a_registry_round_trips_with_its_contractors_and_without_them_as_before() {
    let registry = demo();
    let again = Registry::from_json_str(&registry.to_json()).unwrap();
    assert_eq!(again.to_json(), registry.to_json());
    assert_eq!(again.contractors(), registry.contractors());
    let cloud = registry
        .get_contractor(&contractor_id("c-hz-cloud"))
        .unwrap();
    assert_eq!(
        registry
            .iter_contractors_of(&dept("hz-hrss"))
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["c-hz-cloud"]
    );
    assert!(cloud.entrusted_with(&"ent-reg".parse().unwrap()));
    let mut v: Value = serde_json::from_str(DEMO).unwrap();
    v.as_object_mut().unwrap().remove("contractors");
    let without = Registry::from_json_str(&v.to_string()).unwrap();
    assert!(!without.to_json().contains("contractors"));
    let built = without.with_contractors(vec![cloud.clone()]).unwrap();
    assert_eq!(built.contractors(), registry.contractors());
}

#[test]
fn only_the_entrusting_department_entrusts_and_ends_an_entrustment() {
    let mut registry = demo();
    let entrust = |by: &str| {
        transition(
            "2026-03-01T09:00:00+08:00",
            by,
            Change::ContractorEntrusted {
                contractor: Box::new(contractor("c-new")),
            },
        )
    };
    let err = registry.apply(&entrust("hz-amr")).unwrap_err();
    assert!(matches!(err, TransitionError::Unauthorized { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("contractor `c-new`")
            && text.contains("`hz-hrss`")
            && text.contains("(Art. 36)"),
        "{text}"
    );
    let err = registry.apply(&entrust("hz-nobody")).unwrap_err();
    assert!(err.to_string().contains("(Art. 2)"), "{err}");
    registry.apply(&entrust("hz-hrss")).unwrap();
    let again = registry.apply(&entrust("hz-hrss")).unwrap_err();
    assert!(
        matches!(again, TransitionError::DuplicateContractor { .. }),
        "{again}"
    );
    let entered = registry.get_contractor(&contractor_id("c-new")).unwrap();
    assert_eq!(entered.entrusted_at(), Some(t("2026-03-01T09:00:00+08:00")));
    assert_eq!(entered.history[0].by, Some(dept("hz-hrss")));

    let end = |by: &str, at: &str| {
        transition(
            at,
            by,
            Change::EntrustmentEnded {
                contractor: contractor_id("c-new"),
            },
        )
    };
    let err = registry
        .apply(&end("hz-amr", "2026-05-01T00:00:00+08:00"))
        .unwrap_err();
    assert!(err.to_string().contains("(Art. 36)"), "{err}");
    registry
        .apply(&end("hz-hrss", "2026-05-01T00:00:00+08:00"))
        .unwrap();
    let err = registry
        .apply(&end("hz-hrss", "2026-06-01T00:00:00+08:00"))
        .unwrap_err();
    assert!(err.to_string().contains("already ended"), "{err}");
    let unknown = registry
        .apply(&transition(
            "2026-05-01T00:00:00+08:00",
            "hz-hrss",
            Change::EntrustmentEnded {
                contractor: contractor_id("c-none"),
            },
        ))
        .unwrap_err();
    assert!(
        matches!(unknown, TransitionError::UnknownContractor { .. }),
        "{unknown}"
    );
}

#[test]
fn a_new_entrustment_is_checked_like_an_entry_and_never_reaches_back() {
    let registry = demo();
    // Recorded in May, it cannot make a March use through the contractor
    // lawful.
    let mut late = transition(
        "2026-03-01T09:00:00+08:00",
        "hz-hrss",
        Change::ContractorEntrusted {
            contractor: Box::new(contractor("c-new")),
        },
    );
    late.recorded_at = Some(t("2026-05-01T09:00:00+08:00"));
    let err = registry.check(&late).unwrap_err();
    assert!(matches!(err, TransitionError::Untimely { .. }), "{err}");
    assert!(err.to_string().contains("cannot reach back"), "{err}");
    // Within the clock tolerance it is on time.
    late.recorded_at = Some(t("2026-03-01T09:04:00+08:00"));
    registry.check(&late).unwrap();
    // The entry must hold up as a registry entry would.
    let mut bad = contractor("c-new");
    bad.datasets = vec!["no-such-entry".parse().unwrap()];
    let err = registry
        .check(&transition(
            "2026-03-01T09:00:00+08:00",
            "hz-hrss",
            Change::ContractorEntrusted {
                contractor: Box::new(bad),
            },
        ))
        .unwrap_err();
    assert!(
        matches!(err, TransitionError::ContractorNotAllowed { .. }),
        "{err}"
    );
    // A new entrustment carries no history of its own.
    let mut storied: Contractor = contractor("c-new");
    storied.history = contractor_with_end().history;
    let err = registry
        .check(&transition(
            "2026-03-01T09:00:00+08:00",
            "hz-hrss",
            Change::ContractorEntrusted {
                contractor: Box::new(storied),
            },
        ))
        .unwrap_err();
    assert!(err.to_string().contains("no history"), "{err}");
}

fn contractor_with_end() -> Contractor {
    let mut e = entry("c-x");
    e["history"] = json!([{"at": "2026-02-01T00:00:00+08:00", "change": {"kind": "ended"}}]);
    serde_json::from_value(e).unwrap()
}

#[test]
fn the_end_of_an_entrustment_narrows_and_may_not_reach_forward_or_before_its_start() {
    let mut registry = demo();
    registry
        .apply(&transition(
            "2026-03-01T09:00:00+08:00",
            "hz-hrss",
            Change::ContractorEntrusted {
                contractor: Box::new(contractor("c-new")),
            },
        ))
        .unwrap();
    let end = |at: &str, recorded: &str| {
        let mut tr = transition(
            at,
            "hz-hrss",
            Change::EntrustmentEnded {
                contractor: contractor_id("c-new"),
            },
        );
        tr.recorded_at = Some(t(recorded));
        tr
    };
    let err = registry
        .check(&end(
            "2026-06-01T00:00:00+08:00",
            "2026-05-01T00:00:00+08:00",
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("never one after it is recorded"),
        "{err}"
    );
    let err = registry
        .check(&end(
            "2026-02-01T00:00:00+08:00",
            "2026-05-01T00:00:00+08:00",
        ))
        .unwrap_err();
    assert!(err.to_string().contains("previous event"), "{err}");
    // The event's own earlier instant is kept.
    registry
        .apply(&end(
            "2026-04-01T00:00:00+08:00",
            "2026-05-01T00:00:00+08:00",
        ))
        .unwrap();
    let c = registry.get_contractor(&contractor_id("c-new")).unwrap();
    assert_eq!(c.in_force_until(), t("2026-04-01T00:00:00+08:00"));
}

#[test]
fn decisions_see_an_entrustment_as_it_stood_at_the_time_of_use() {
    let engine = engine();
    let mut registry = demo();
    let decide = |registry: &Registry, at: &str| {
        let d = engine.evaluate(&use_through(Some("c-new"), at), registry);
        (d.is_allow(), d.rule_ids().join(","))
    };
    // Unknown before it is entrusted: denied, never an error.
    assert_eq!(
        decide(&registry, "2026-03-02T10:00:00+08:00"),
        (false, "GS-PROCESSOR-NOT-ENTRUSTED".into())
    );
    registry
        .apply(&transition(
            "2026-03-02T10:00:00+08:00",
            "hz-hrss",
            Change::ContractorEntrusted {
                contractor: Box::new(contractor("c-new")),
            },
        ))
        .unwrap();
    // The contract runs from January, the entrustment from its recording.
    assert!(
        !decide(&registry, "2026-03-02T09:59:59+08:00").0,
        "an entrustment does not reach back"
    );
    assert!(decide(&registry, "2026-03-02T10:00:00+08:00").0);
    registry
        .apply(&transition(
            "2026-04-01T00:00:00+08:00",
            "hz-hrss",
            Change::EntrustmentEnded {
                contractor: contractor_id("c-new"),
            },
        ))
        .unwrap();
    assert!(decide(&registry, "2026-03-31T23:59:59+08:00").0);
    assert!(!decide(&registry, "2026-04-01T00:00:00+08:00").0);
    // The requester alone is judged as before.
    assert!(
        engine
            .evaluate(&use_through(None, "2026-04-01T00:00:00+08:00"), &registry)
            .is_allow()
    );
}

#[test]
fn disposals_are_owed_by_every_holder_until_each_is_receipted() {
    let calendar = Calendar::embedded().unwrap();
    let mut registry = demo();
    // Grant …01 of hz-hrss ended on 1 September 2026; its contractor
    // c-hz-cloud held the data throughout.
    let at = t("2026-09-10T09:00:00+08:00");
    let owed: Vec<_> = overdue_disposals(&registry, &at, &calendar)
        .into_iter()
        .filter(|e| e.grant.as_str() == G1)
        .collect();
    assert_eq!(owed.len(), 2, "{owed:?}");
    assert_eq!(
        (
            owed[0].holder.as_str(),
            owed[0].holder_kind,
            owed[0].contract.as_ref()
        ),
        ("hz-hrss", "requester", None)
    );
    assert_eq!(
        (owed[1].holder.as_str(), owed[1].holder_kind),
        ("c-hz-cloud", "contractor")
    );
    assert_eq!(owed[1].contract.as_ref().unwrap().as_str(), "HT-2026-001");
    assert_eq!(owed[1].trigger, "period_ended");
    assert_eq!(owed[1].due, owed[0].due);
    assert_eq!(owed[1].due.unwrap().to_string(), "2026-09-14");
    assert!(
        owed[1]
            .to_string()
            .contains("contractor c-hz-cloud of hz-hrss")
    );

    // Only the department records its contractor's receipt, with the
    // provider's method, once, for data the contractor held.
    let receipt = |by: &str, grant: &str, method: DisposalMethod| {
        transition(
            "2026-09-09T10:00:00+08:00",
            by,
            Change::ContractorDisposalRecorded {
                contractor: contractor_id("c-hz-cloud"),
                grant: grant.parse::<GrantId>().unwrap(),
                method,
                attested_by: "某某云计算数据安全员".into(),
            },
        )
    };
    let err = registry
        .apply(&receipt("hz-amr", G1, DisposalMethod::Delete))
        .unwrap_err();
    assert!(err.to_string().contains("(Art. 36)"), "{err}");
    let err = registry
        .apply(&receipt("hz-hrss", G1, DisposalMethod::Archive))
        .unwrap_err();
    assert!(err.to_string().contains("provider's instruction"), "{err}");
    let err = registry
        .apply(&receipt("hz-hrss", G3, DisposalMethod::Delete))
        .unwrap_err();
    assert!(err.to_string().contains("does not hold the data"), "{err}");
    registry
        .apply(&receipt("hz-hrss", G1, DisposalMethod::Delete))
        .unwrap();
    let err = registry
        .apply(&receipt("hz-hrss", G1, DisposalMethod::Delete))
        .unwrap_err();
    assert!(err.to_string().contains("already recorded"), "{err}");
    let owed: Vec<_> = overdue_disposals(&registry, &at, &calendar)
        .into_iter()
        .filter(|e| e.grant.as_str() == G1)
        .map(|e| e.holder)
        .collect();
    assert_eq!(owed, ["hz-hrss"]);
}

#[test]
fn an_entrustment_that_ends_while_the_grant_is_in_force_owes_disposal_from_its_end() {
    let calendar = Calendar::embedded().unwrap();
    let mut registry = demo();
    registry
        .apply(&transition(
            "2026-05-06T09:00:00+08:00",
            "hz-hrss",
            Change::EntrustmentEnded {
                contractor: contractor_id("c-hz-cloud"),
            },
        ))
        .unwrap();
    // Before the end nothing is owed; from it the contractor owes, the
    // grant running on.
    let before = overdue_disposals(&registry, &t("2026-05-06T08:59:59+08:00"), &calendar);
    assert!(
        before.iter().all(|e| e.holder != "c-hz-cloud"),
        "{before:?}"
    );
    let at = t("2026-05-07T09:00:00+08:00");
    let owed: Vec<_> = overdue_disposals(&registry, &at, &calendar)
        .into_iter()
        .filter(|e| e.grant.as_str() == G1)
        .collect();
    assert_eq!(owed.len(), 1, "{owed:?}");
    assert_eq!(owed[0].holder, "c-hz-cloud");
    assert_eq!(owed[0].trigger, "entrustment_ended");
    assert_eq!(owed[0].triggered_at, t("2026-05-06T09:00:00+08:00"));
    let due = calendar
        .add_working_days("2026-05-06".parse().unwrap(), 10)
        .unwrap()
        .due;
    assert_eq!(owed[0].due, Some(due));
    assert_eq!(owed[0].overdue, Some(false));
    // A decision by the department names the contractor's own duty.
    let d = engine().evaluate(&use_through(None, "2026-05-07T09:00:00+08:00"), &registry);
    assert!(d.is_allow());
    let dispose = &d.obligations()[1];
    let holders = dispose.facts["holders"].as_array().unwrap();
    assert_eq!(holders.len(), 2);
    assert_eq!(holders[1]["holder"], "c-hz-cloud");
    assert_eq!(holders[1]["trigger"], "entrustment_ended");
    assert_eq!(holders[1]["due"], due.to_string());
    assert!(
        dispose
            .zh
            .contains("受托方 c-hz-cloud 的委托于 2026-05-06T09:00:00+08:00 终止")
    );
}

#[test]
fn check_reports_contractors_that_break_the_rules() {
    let mut bad = entry("c-bad");
    bad["uscc"] = json!("91330106MA2H0CLD15");
    bad["contract"]["security_agreement"] = json!(false);
    bad["datasets"] = json!(["ent-reg", "taxpayer-detail"]);
    let mut own = entry("c-own");
    own["department"] = json!("hz-tax");
    own["datasets"] = json!(["taxpayer-detail"]);
    own["uscc"] = json!("91330106MA2XXXXXXX");
    let mut empty = entry("c-empty");
    empty["contract"]["valid_until"] = json!("2026-01-01T00:00:00+08:00");
    let registry = load_with(json!([entry("c-good"), bad, own, empty])).unwrap();
    let findings = validate(&registry);
    let of = |id: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f.subject.kind == "contractor" && f.subject.id == id)
            .map(|f| f.code)
            .collect()
    };
    assert!(of("c-good").is_empty(), "{:?}", of("c-good"));
    assert_eq!(
        of("c-bad"),
        [
            "CONTRACTOR-BAD-USCC",
            "CONTRACTOR-NO-SECURITY-AGREEMENT",
            "CONTRACTOR-NOT-SHARED-DATA"
        ]
    );
    assert_eq!(
        of("c-own"),
        ["CONTRACTOR-BAD-USCC", "CONTRACTOR-OWN-NOT-SHARED-DATA"]
    );
    assert_eq!(of("c-empty"), ["CONTRACTOR-EMPTY-PERIOD"]);
    let uscc = findings
        .iter()
        .find(|f| f.subject.id == "c-bad" && f.code == "CONTRACTOR-BAD-USCC")
        .unwrap();
    assert!(
        uscc.en
            .contains("its check character is `5`, but the first 17 characters give `4`"),
        "{}",
        uscc.en
    );
    assert!(
        uscc.zh.contains("校验码为 5，按前 17 位计算应为 4"),
        "{}",
        uscc.zh
    );
    let own_finding = findings
        .iter()
        .find(|f| f.code == "CONTRACTOR-OWN-NOT-SHARED-DATA")
        .unwrap();
    assert!(!own_finding.is_error());
    for (code, severity, _) in govshare::lifecycle::CATALOG_CODES {
        if let Some(f) = findings.iter().find(|f| f.code == *code) {
            assert_eq!(f.severity, *severity, "{code}");
        }
    }

    // At a time: a contract past its end whose entrustment is on record.
    let ended = |at: &str| -> Vec<String> {
        validate_at(&registry, &t(at))
            .into_iter()
            .filter(|f| f.code == CONTRACT_ENDED)
            .map(|f| f.subject.id)
            .collect()
    };
    assert_eq!(ended("2026-12-31T23:59:59+08:00"), ["c-empty"]);
    let mut after = ended("2027-01-01T00:00:00+08:00");
    after.sort();
    assert_eq!(after, ["c-bad", "c-empty", "c-good", "c-own"]);
    // Ending the entrustment settles it.
    let mut registry = registry;
    registry
        .apply(&transition(
            "2026-06-30T18:00:00+08:00",
            "hz-hrss",
            Change::EntrustmentEnded {
                contractor: contractor_id("c-good"),
            },
        ))
        .unwrap();
    assert!(
        !validate_at(&registry, &t("2027-01-01T00:00:00+08:00"))
            .iter()
            .any(|f| f.code == CONTRACT_ENDED && f.subject.id == "c-good")
    );

    // The self-check report files them under the entrusting department.
    let report = Report::build(
        &registry,
        &Calendar::embedded().unwrap(),
        t("2026-08-20T09:00:00+08:00"),
        ReportInputs::default(),
    );
    let hrss = report
        .departments
        .iter()
        .find(|d| d.id.as_str() == "hz-hrss")
        .unwrap();
    assert!(
        hrss.findings
            .iter()
            .any(|f| f.code == "CONTRACTOR-NO-SECURITY-AGREEMENT" && f.subject.id == "c-bad")
    );
    let tax = report
        .departments
        .iter()
        .find(|d| d.id.as_str() == "hz-tax")
        .unwrap();
    assert!(
        tax.findings
            .iter()
            .any(|f| f.code == "CONTRACTOR-OWN-NOT-SHARED-DATA")
    );
    assert!(report.articles.iter().any(|a| a.article == 36));
}

#[test]
fn a_store_replays_entrustments_to_the_same_registry_and_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("govshare.db");
    let clock = ManualClock::new(t("2026-03-02T10:00:00+08:00"));
    let store =
        Store::open_with(&path, StoreOptions::new().clock(Arc::new(clock.clone()))).unwrap();
    let base = demo();
    let durable = DurableRegistry::open(base.clone(), store.journal(&base).unwrap()).unwrap();
    durable
        .apply(&transition(
            "2026-03-02T10:00:00+08:00",
            "hz-hrss",
            Change::ContractorEntrusted {
                contractor: Box::new(contractor("c-new")),
            },
        ))
        .unwrap();
    clock.set(t("2026-09-10T09:00:00+08:00"));
    durable
        .apply(&transition(
            "2026-09-01T00:00:00+08:00",
            "hz-hrss",
            Change::EntrustmentEnded {
                contractor: contractor_id("c-new"),
            },
        ))
        .unwrap();
    durable
        .apply(&transition(
            "2026-09-09T10:00:00+08:00",
            "hz-hrss",
            Change::ContractorDisposalRecorded {
                contractor: contractor_id("c-new"),
                grant: G1.parse().unwrap(),
                method: DisposalMethod::Delete,
                attested_by: "数据安全员".into(),
            },
        ))
        .unwrap();
    let live = durable.into_registry();
    let c = live.get_contractor(&contractor_id("c-new")).unwrap();
    assert_eq!(
        c.history[0].recorded_at,
        Some(t("2026-03-02T10:00:00+08:00")),
        "the store stamps when it recorded the change"
    );
    assert_eq!(c.disposals.len(), 1);
    drop(store);
    let reopened = Store::open_read_only(&path).unwrap();
    let again = DurableRegistry::open(base.clone(), reopened.journal(&base).unwrap())
        .unwrap()
        .into_registry();
    assert_eq!(again.to_json(), live.to_json());
    let engine = engine();
    for at in [
        "2026-03-02T09:59:59+08:00",
        "2026-03-02T10:00:00+08:00",
        "2026-08-31T23:59:59+08:00",
    ] {
        let request = use_through(Some("c-new"), at);
        assert_eq!(
            engine.evaluate(&request, &again).rule_ids(),
            engine.evaluate(&request, &live).rule_ids()
        );
    }
    assert!(
        engine
            .evaluate(
                &use_through(Some("c-new"), "2026-03-02T10:00:00+08:00"),
                &again
            )
            .is_allow()
    );
}
