//! The sharing lifecycle: catalog validation, applications and replies,
//! transitions, disposal, duplicate collection.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use govshare::Approval;
use govshare::lifecycle::duplicate_collection;
use govshare::lifecycle::overdue_disposals;
use govshare::lifecycle::{
    Application, Extension, Reply, ReplyDecision, check_application, check_delivery, reply,
    reply_deadline,
};
use govshare::lifecycle::{CATALOG_CODES, Severity, validate};
use govshare::lifecycle::{Change, Transition};
use govshare::{
    Calendar, DepartmentId, DisposalInstruction, DisposalMethod, EndTrigger, Engine, GrantId,
    GrantStatus, ItemName, Registry, UsageRequest,
};
use govshare::{ReplyError, SharingClass, TransitionError};
use serde_json::json;

use super::common::{demo, demo_with, grant, t};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn codes(registry: &Registry) -> Vec<&'static str> {
    validate(registry).iter().map(|f| f.code).collect()
}

/// A registry that breaks every catalog rule at least once.
fn broken() -> Registry {
    demo_with(|v| {
        v["departments"][1]["parent"] = json!("no-such-parent");
        let datasets = v["datasets"].as_array_mut().unwrap();
        datasets.push(json!({"id": "bad-entry", "name": "", "provider": "no-such-dept", "status": "published",
            "items": [{"name": "a", "grade": "general", "source_department": "nobody"}, {"name": "a", "grade": "general"}],
            "sharing": {"class": "conditional"}, "methods": [], "format": "", "update_frequency": ""}));
        datasets.push(json!({"id": "legacy-secret", "name": "旧目录", "provider": "hz-tax", "status": "published",
            "items": [{"name": "x", "grade": "general"}],
            "sharing": {"class": "not_shared", "basis": {"kind": "policy", "citation": "某政策文件"}},
            "methods": ["service_interface"], "format": "database", "update_frequency": "daily",
            "secret": "work_secret"}));
        datasets.push(
            json!({"id": "no-basis", "name": "无依据", "provider": "hz-tax", "status": "published",
            "items": [{"name": "x", "grade": "general"}],
            "sharing": {"class": "not_shared", "reason": "保密"},
            "methods": ["service_interface"], "format": "database", "update_frequency": "daily"}),
        );
        datasets.push(json!({"id": "open-core", "name": "核心数据", "provider": "hz-amr", "status": "published",
            "items": [{"name": "x", "grade": "core"}], "sharing": {"class": "unconditional"},
            "methods": ["service_interface"], "format": "database", "update_frequency": "daily"}));
        let grants = v["grants"].as_array_mut().unwrap();
        grants.push(grant("g-unknown-dataset", "no-such-dataset", "hz-hrss"));
        grants.push(grant("g-unpublished", "vaccination", "hz-hrss"));
        grants.push(grant("g-not-shared", "taxpayer-detail", "hz-hrss"));
        let mut g = grant("g-stranger", "ent-public", "a-company");
        g["items"] = json!(["uscc", "phone"]);
        g["methods"] = json!(["bulk_exchange"]);
        g["valid_until"] = json!("2025-12-31T00:00:00+08:00");
        g["consents"] =
            json!([{"kind": "item", "value": "email", "at": "2026-02-01T00:00:00+08:00"}]);
        g["disposed"] =
            json!({"method": "archive", "at": "2026-02-02T00:00:00+08:00", "attested_by": "x"});
        g["status"] = json!("suspended");
        grants.push(g);
        // Backflow from the municipal bureau to the county bureau, with an
        // extra condition; and a "backflow" running upward.
        let mut b = grant("g-backflow", "ent-public", "xh-amr");
        b["backflow"] = json!(true);
        b["conditions"] = json!(["每季度报送使用报告"]);
        grants.push(b);
        let mut up = grant("g-backflow-up", "ent-public", "zj-amr");
        up["backflow"] = json!(true);
        grants.push(up);
        // A condition the entry does not state, on an ordinary grant.
        let mut extra = grant("g-extra-conditions", "ent-public", "hz-tax");
        extra["conditions"] = json!(["每次调用须书面报批"]);
        grants.push(extra);
        // A contractor with a wrong check character, an empty contract
        // without a security agreement, entrusted with secret data another
        // department provides; and one entrusted with its own department's
        // not-shared entry.
        let contract = |from: &str, until: &str, agreement: bool| {
            json!({"id": "HT-1", "valid_from": from, "valid_until": until,
                   "security_agreement": agreement})
        };
        v["contractors"] = json!([
            {"id": "c-broken", "name": "某公司", "uscc": "91330106MA2H0CLD15", "department": "hz-hrss",
             "contract": contract("2026-01-01T00:00:00+08:00", "2026-01-01T00:00:00+08:00", false),
             "datasets": ["ent-reg", "legacy-secret"], "activities": ["storage"]},
            {"id": "c-own", "name": "某公司", "uscc": "91330106MA2H0CLD14", "department": "hz-tax",
             "contract": contract("2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00", true),
             "datasets": ["no-basis"], "activities": ["storage"]}
        ]);
    })
}

/// A registry with a purpose vocabulary and structured conditions that
/// break every rule about them.
fn broken_with_vocabulary() -> Registry {
    demo_with(|v| {
        v["purposes"] = json!([
            {"code": "tax", "name": "税收征管"},
            {"code": "tax.check", "name": "税务核验", "parent": "tax"},
            {"code": "tax.audit", "name": "税务稽查", "parent": "social"},
            {"code": "housing", "name": "住房保障", "parent": "tax"}
        ]);
        let datasets = v["datasets"].as_array_mut().unwrap();
        datasets.push(json!({"id": "scoped", "name": "限定范围目录", "provider": "hz-amr", "status": "published",
            "items": [{"name": "uscc", "grade": "general"}],
            "sharing": {"class": "conditional", "scope": "本市市场监管部门", "uses": ["市场监管"],
                        "conditions": {"regions": ["330100"], "levels": [], "departments": ["hz-amr", "hz-nobody"],
                                       "purposes": ["market-regulation", "tax"]}},
            "methods": ["service_interface"], "format": "database", "update_frequency": "daily"}));
        let grants = v["grants"].as_array_mut().unwrap();
        grants.push(grant("g-outside", "scoped", "hz-tax"));
        let mut legacy = grant("g-legacy-purpose", "ent-public", "hz-tax");
        legacy["purpose"] = json!("tax.legacy");
        grants.push(legacy);
    })
}

#[test]
fn every_catalog_code_is_found_and_documented() {
    let found: BTreeSet<&str> = codes(&broken())
        .into_iter()
        .chain(codes(&broken_with_vocabulary()))
        .collect();
    let documented: BTreeSet<&str> = CATALOG_CODES.iter().map(|(c, _, _)| *c).collect();
    assert_eq!(found, documented, "found and documented codes differ");
    for f in validate(&broken())
        .into_iter()
        .chain(validate(&broken_with_vocabulary()))
    {
        let (_, severity, articles) = CATALOG_CODES.iter().find(|(c, _, _)| *c == f.code).unwrap();
        assert_eq!(f.severity, *severity, "{}", f.code);
        assert_eq!(f.articles.join(","), *articles, "{}", f.code);
        assert!(!f.zh.is_empty() && !f.en.is_empty());
    }
}

#[test]
fn findings_name_their_subject_and_problem() {
    let findings = validate(&broken());
    let find = |code: &str, id: &str| {
        findings
            .iter()
            .find(|f| f.code == code && f.subject.id == id)
            .unwrap_or_else(|| panic!("no {code} for {id}"))
    };
    assert!(
        find("CAT-NOT-SHARED-BAD-BASIS", "legacy-secret")
            .en
            .contains("`policy`")
    );
    assert!(find("CAT-SECRET", "legacy-secret").zh.contains("工作秘密"));
    assert!(
        find("GRANT-ITEM-NOT-IN-DATASET", "g-stranger")
            .en
            .contains("phone")
    );
    assert!(
        find("GRANT-CONSENT-ITEM-NOT-IN-DATASET", "g-stranger")
            .en
            .contains("email")
    );
    assert!(
        find("GRANT-METHOD-NOT-OFFERED", "g-stranger")
            .en
            .contains("bulk_exchange")
    );
    assert!(
        find("GRANT-BACKFLOW-CONDITIONS", "g-backflow")
            .zh
            .contains("每季度报送使用报告")
    );
    assert_eq!(
        find("GRANT-BACKFLOW-NOT-DOWNWARD", "g-backflow-up").severity,
        Severity::Warning
    );
    assert!(
        findings
            .iter()
            .any(|f| f.code == "CAT-MISSING-FIELD" && f.en.contains("`format`"))
    );
    assert_eq!(
        findings
            .iter()
            .filter(|f| f.code == "CAT-MISSING-FIELD" && f.subject.id == "bad-entry")
            .count(),
        4,
        "name, format, update_frequency and methods are empty"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.code == "GRANT-BACKFLOW-CONDITIONS" && f.subject.id == "g-backflow-up")
    );
}

#[test]
fn the_demo_registry_has_no_errors() {
    assert!(validate(&demo()).iter().all(|f| !f.is_error()));
}

fn application() -> Application {
    serde_json::from_value(json!({
        "id": "app-1", "requester": "hz-hrss", "dataset": "ent-reg",
        "items": ["uscc", "name"], "methods": ["service_interface"],
        "purpose": "social-insurance.audit", "basis": "《社会保险法》第五十七条", "scenario": "参保稽核",
        "valid_from": "2025-11-01T00:00:00+08:00", "valid_until": "2026-11-01T00:00:00+08:00",
        "attestation": {"authenticity": true, "legality": true, "necessity": true},
        "approval": {"by": "人社局数据共享工作机构负责人", "at": "2025-09-25T10:00:00+08:00"},
        "received_at": "2025-09-26T10:00:00+08:00"
    }))
    .unwrap()
}

fn approval() -> Approval {
    Approval {
        by: "市场监管局数据共享工作机构负责人".into(),
        at: t("2025-10-09T10:00:00+08:00"),
    }
}

fn answer(decision: ReplyDecision, at: &str, extension: Option<Extension>) -> Reply {
    Reply {
        decision,
        replied_at: t(at),
        approval: approval(),
        extension,
    }
}

fn approve() -> ReplyDecision {
    ReplyDecision::Approve {
        items: None,
        methods: None,
        disposal: DisposalInstruction {
            method: DisposalMethod::Delete,
            within_working_days: 10,
        },
        conditions: Vec::new(),
    }
}

#[test]
fn an_application_lists_everything_missing_at_once() {
    let registry = demo();
    assert!(check_application(&application(), &registry).is_empty());
    let bare: Application = serde_json::from_value(json!({
        "id": "app-2", "requester": "hz-hrss", "dataset": "ent-reg",
        "received_at": "2025-09-26T10:00:00+08:00"
    }))
    .unwrap();
    let codes: Vec<&str> = check_application(&bare, &registry)
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(
        codes,
        [
            "APP-MISSING-BASIS",
            "APP-MISSING-SCENARIO",
            "APP-MISSING-ITEMS",
            "APP-MISSING-METHOD",
            "APP-MISSING-PERIOD",
            "APP-MISSING-PURPOSE",
            "APP-MISSING-ATTESTATION",
            "APP-MISSING-APPROVAL",
        ]
    );
    let mut bad = application();
    bad.requester = DepartmentId::new("a-company").unwrap();
    bad.items.push(ItemName::new("phone").unwrap());
    bad.methods.push(govshare::SharingMethod::Other);
    bad.valid_until = bad.valid_from;
    bad.attestation = Some(govshare::lifecycle::Attestation {
        authenticity: true,
        legality: true,
        necessity: false,
    });
    let codes: Vec<&str> = check_application(&bad, &registry)
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(
        codes,
        [
            "APP-REQUESTER-NOT-DEPARTMENT",
            "APP-EMPTY-PERIOD",
            "APP-MISSING-ATTESTATION",
            "APP-ITEM-NOT-IN-CATALOG",
            "APP-METHOD-NOT-OFFERED"
        ]
    );
    let mut unpublished = application();
    unpublished.dataset = "vaccination".parse().unwrap();
    let codes: Vec<&str> = check_application(&unpublished, &registry)
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["APP-DATASET-NOT-PUBLISHED"]);
}

#[test]
fn unknown_keys_in_an_application_are_refused() {
    let mut v = serde_json::to_value(application()).unwrap();
    v["urgent"] = json!(true);
    assert!(serde_json::from_value::<Application>(v).is_err());
}

#[test]
fn approving_yields_a_grant_no_wider_than_asked() {
    let registry = demo();
    let calendar = Calendar::embedded().unwrap();
    let out = reply(
        &application(),
        &registry,
        &calendar,
        &answer(approve(), "2025-10-09T10:00:00+08:00", None),
    )
    .unwrap();
    assert_eq!(out.decision, "approve");
    // Received Friday 2025-09-26, conditional: 10 working days → 2025-10-16.
    assert_eq!(out.reply_due, d(2025, 10, 16));
    assert!(out.violations.is_empty());
    // Delivery: 20 working days after Thursday 2025-10-09: Oct 10, the
    // make-up Saturday Oct 11, then 18 weekdays → 2025-11-05.
    assert_eq!(out.delivery_due, Some(d(2025, 11, 5)));
    let grant = out.grant.unwrap();
    assert!(uuid::Uuid::parse_str(grant.id.as_str()).is_ok());
    assert_eq!(grant.items, application().items);
    assert_eq!(grant.status, GrantStatus::Active);
    // The new grant decides like any other.
    let mut registry = registry;
    registry
        .apply(&Transition::new(
            t("2025-10-09T10:00:00+08:00"),
            "hz-amr".parse().unwrap(),
            "市场监管局",
            "批准",
            Change::GrantApproved {
                grant: Box::new(grant.clone()),
            },
        ))
        .unwrap();
    let engine = Engine::builder().build().unwrap();
    let request = UsageRequest::from_json(&format!(
        r#"{{"requester": "hz-hrss", "dataset": "ent-reg", "grant": "{}", "action": "access", "method": "service_interface",
            "purpose": "social-insurance.audit.annual", "items": ["uscc"], "at": "2026-01-05T10:00:00+08:00"}}"#,
        grant.id
    ))
    .unwrap();
    assert!(engine.evaluate(&request, &registry).is_allow());

    let wider = ReplyDecision::Approve {
        items: Some(vec![
            ItemName::new("uscc").unwrap(),
            ItemName::new("legal_rep_id_number").unwrap(),
        ]),
        methods: None,
        disposal: DisposalInstruction {
            method: DisposalMethod::Delete,
            within_working_days: 10,
        },
        conditions: Vec::new(),
    };
    let err = reply(
        &application(),
        &demo(),
        &calendar,
        &answer(wider, "2025-10-09T10:00:00+08:00", None),
    )
    .unwrap_err();
    assert!(matches!(err, ReplyError::ExceedsApplication(_)), "{err}");
    assert!(err.to_string().contains("legal_rep_id_number"));
}

#[test]
fn a_late_reply_is_a_provider_violation() {
    let calendar = Calendar::embedded().unwrap();
    let late = reply(
        &application(),
        &demo(),
        &calendar,
        &answer(approve(), "2025-10-17T09:00:00+08:00", None),
    )
    .unwrap();
    assert_eq!(late.violations.len(), 1);
    assert_eq!(late.violations[0].code, "PROVIDER-LATE-REPLY");
    assert!(late.violations[0].articles.contains(&"39(4)"));
    // An approved extension of 5 working days moves the deadline to 2025-10-23.
    let ext = Extension {
        working_days: 5,
        approved_by: "杭州市数据资源管理局".into(),
        reason: "需核查历史数据".into(),
    };
    let extended = reply(
        &application(),
        &demo(),
        &calendar,
        &answer(approve(), "2025-10-17T09:00:00+08:00", Some(ext)),
    )
    .unwrap();
    assert_eq!(extended.reply_due, d(2025, 10, 23));
    assert!(extended.violations.is_empty());
    let too_long = Extension {
        working_days: 11,
        approved_by: "杭州市数据资源管理局".into(),
        reason: "x".into(),
    };
    assert!(matches!(
        reply(
            &application(),
            &demo(),
            &calendar,
            &answer(approve(), "2025-10-17T09:00:00+08:00", Some(too_long))
        ),
        Err(ReplyError::Extension(_))
    ));
    let unapproved = Extension {
        working_days: 3,
        approved_by: " ".into(),
        reason: "x".into(),
    };
    assert!(matches!(
        reply(
            &application(),
            &demo(),
            &calendar,
            &answer(approve(), "2025-10-09T09:00:00+08:00", Some(unapproved))
        ),
        Err(ReplyError::Extension(_))
    ));
}

#[test]
fn reply_deadlines_by_class() {
    let calendar = Calendar::embedded().unwrap();
    let friday = t("2025-09-26T16:00:00+08:00");
    // Unconditional: one working day → the make-up Sunday 2025-09-28.
    assert_eq!(
        reply_deadline(&calendar, &friday, SharingClass::Unconditional, 0)
            .unwrap()
            .due,
        d(2025, 9, 28)
    );
    let conditional = SharingClass::Conditional;
    assert_eq!(
        reply_deadline(&calendar, &friday, conditional, 0)
            .unwrap()
            .due,
        d(2025, 10, 16)
    );
    assert_eq!(
        reply_deadline(&calendar, &friday, conditional, 10)
            .unwrap()
            .due,
        d(2025, 10, 30)
    );
    // The received date is taken in China time: 2025-09-26T20:00Z is already the 27th.
    let late_utc = t("2025-09-26T20:00:00Z");
    assert_eq!(
        reply_deadline(&calendar, &late_utc, SharingClass::Unconditional, 0)
            .unwrap()
            .due,
        d(2025, 9, 28)
    );
    assert!(reply_deadline(&calendar, &t("2026-12-30T10:00:00+08:00"), conditional, 0).is_err());
}

#[test]
fn a_late_delivery_is_a_provider_violation() {
    let calendar = Calendar::embedded().unwrap();
    let grant: GrantId = "g".parse().unwrap();
    let approved = t("2025-10-09T10:00:00+08:00");
    assert!(
        check_delivery(
            &calendar,
            &grant,
            &approved,
            &t("2025-11-05T17:00:00+08:00")
        )
        .unwrap()
        .is_none()
    );
    let late = check_delivery(
        &calendar,
        &grant,
        &approved,
        &t("2025-11-06T09:00:00+08:00"),
    )
    .unwrap()
    .unwrap();
    assert_eq!(late.code, "PROVIDER-LATE-DELIVERY");
}

#[test]
fn refusals_need_reasons_and_incomplete_applications_cannot_be_refused() {
    let calendar = Calendar::embedded().unwrap();
    let registry = demo();
    let at = "2025-10-09T10:00:00+08:00";
    let none = reply(
        &application(),
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: vec![" ".into()],
            },
            at,
            None,
        ),
    );
    assert!(matches!(none, Err(ReplyError::RefusalWithoutReasons)));
    let ok = reply(
        &application(),
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: vec!["与职责无关".into()],
            },
            at,
            None,
        ),
    )
    .unwrap();
    assert_eq!(ok.reasons, ["与职责无关"]);

    let mut incomplete = application();
    incomplete.scenario.clear();
    let err = reply(
        &incomplete,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: vec!["x".into()],
            },
            at,
            None,
        ),
    )
    .unwrap_err();
    assert!(err.to_string().contains("APP-MISSING-SCENARIO"), "{err}");
    assert!(
        reply(
            &incomplete,
            &registry,
            &calendar,
            &answer(approve(), at, None)
        )
        .is_err()
    );
    let back = reply(
        &incomplete,
        &registry,
        &calendar,
        &answer(ReplyDecision::RequestSupplement, at, None),
    )
    .unwrap();
    assert_eq!(back.decision, "request_supplement");
    assert_eq!(back.missing.len(), 1);
    assert!(matches!(
        reply(
            &application(),
            &registry,
            &calendar,
            &answer(ReplyDecision::RequestSupplement, at, None)
        ),
        Err(ReplyError::NothingToSupplement { .. })
    ));
}

#[test]
fn a_not_shared_application_is_refused_with_its_legal_basis() {
    let calendar = Calendar::embedded().unwrap();
    let registry = demo();
    let mut app = application();
    app.dataset = "taxpayer-detail".parse().unwrap();
    app.items = vec![ItemName::new("uscc").unwrap()];
    let at = "2025-10-09T10:00:00+08:00";
    assert!(matches!(
        reply(&app, &registry, &calendar, &answer(approve(), at, None)),
        Err(ReplyError::NotShared { .. })
    ));
    let out = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: Vec::new(),
            },
            at,
            None,
        ),
    )
    .unwrap();
    assert_eq!(out.decision, "refuse");
    assert!(
        out.reasons[0].contains("《中华人民共和国税收征收管理法》第八条"),
        "{:?}",
        out.reasons
    );
}

/// A transition by the provider of the demo's `ent-reg` and `ent-public`.
fn transition(change: Change, at: &str) -> Transition {
    by("hz-amr", change, at)
}

fn by(department: &str, change: Change, at: &str) -> Transition {
    Transition::new(
        t(at),
        DepartmentId::new(department).unwrap(),
        "杭州市数据资源管理局",
        "依第二十七条",
        change,
    )
}

fn id(s: &str) -> GrantId {
    s.parse().unwrap()
}

const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";
const G4: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e04";
const G5: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05";

#[test]
fn a_violation_suspends_correction_reinstates_failure_terminates() {
    let mut registry = demo();
    let suspend = Transition::for_violation(
        id(G1),
        govshare::Violation::ScopeExpansion,
        t("2026-03-03T09:00:00+08:00"),
        t("2026-03-17T18:00:00+08:00"),
        DepartmentId::new("hz-amr").unwrap(),
        "杭州市市场监督管理局",
        "超范围调用法定代表人身份证号",
    );
    registry.apply(&suspend).unwrap();
    let g = registry.get_grant(&id(G1)).unwrap();
    assert_eq!(g.status, GrantStatus::Suspended);
    assert_eq!(g.suspension.as_ref().unwrap().by, "杭州市市场监督管理局");
    // A suspended grant denies the uses judged while it is suspended; a use
    // the day before still stands (01-allow is dated 2 March).
    let engine = Engine::builder().build().unwrap();
    let allow = UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))
        .unwrap();
    assert!(engine.evaluate(&allow, &registry).is_allow());
    let mut during = allow.clone();
    during.at = t("2026-03-05T10:00:00+08:00");
    assert_eq!(
        engine.evaluate(&during, &registry).rule_ids(),
        ["GS-GRANT-SUSPENDED"]
    );
    assert!(matches!(
        registry.apply(&suspend),
        Err(TransitionError::NotAllowed { .. })
    ));
    registry
        .apply(&transition(
            Change::Reinstated { grant: id(G1) },
            "2026-03-10T09:00:00+08:00",
        ))
        .unwrap();
    assert!(engine.evaluate(&allow, &registry).is_allow());
    assert_eq!(
        engine.evaluate(&during, &registry).rule_ids(),
        ["GS-GRANT-SUSPENDED"],
        "a reinstatement does not reach back into the suspension"
    );
    assert!(registry.get_grant(&id(G1)).unwrap().suspension.is_none());
    // Reinstating an active grant, terminating without suspension: errors.
    assert!(
        registry
            .apply(&transition(
                Change::Reinstated { grant: id(G1) },
                "2026-03-11T09:00:00+08:00"
            ))
            .is_err()
    );
    let err = registry
        .apply(&transition(
            Change::Terminated {
                grant: id(G1),
                refused_at: None,
            },
            "2026-03-11T09:00:00+08:00",
        ))
        .unwrap_err();
    assert!(err.to_string().contains("suspend first"), "{err}");
    // G5 is suspended in the demo; its correction failed.
    registry
        .apply(&transition(
            Change::Terminated {
                grant: id(G5),
                refused_at: None,
            },
            "2026-11-04T09:00:00+08:00",
        ))
        .unwrap();
    let err = registry
        .apply(&transition(
            Change::Reinstated { grant: id(G5) },
            "2026-11-05T09:00:00+08:00",
        ))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("terminated grant cannot be reinstated"),
        "{err}"
    );
    assert!(
        registry
            .apply(&transition(
                Change::Suspended {
                    grant: id(G5),
                    violation: govshare::Violation::ThirdParty,
                    correct_by: t("2026-12-01T00:00:00+08:00")
                },
                "2026-11-05T09:00:00+08:00"
            ))
            .is_err()
    );
    // The deadline to correct must follow the suspension.
    let backwards = Transition::for_violation(
        id(G1),
        govshare::Violation::PurposeChange,
        t("2026-03-20T09:00:00+08:00"),
        t("2026-03-19T09:00:00+08:00"),
        DepartmentId::new("hz-amr").unwrap(),
        "x",
        "y",
    );
    assert!(matches!(
        registry.apply(&backwards),
        Err(TransitionError::Invalid { .. })
    ));
}

#[test]
fn purpose_end_and_disposal_transitions() {
    let mut registry = demo();
    let end = transition(
        Change::PurposeEnded {
            grant: id(G1),
            trigger: EndTrigger::NoLongerNecessary,
        },
        "2026-04-01T12:00:00+08:00",
    );
    registry.apply(&end).unwrap();
    let err = registry.apply(&end).unwrap_err();
    assert!(err.to_string().contains("already ended"), "{err}");
    let wrong = by(
        "hz-hrss",
        Change::DisposalRecorded {
            grant: id(G1),
            method: DisposalMethod::Archive,
            attested_by: "安全员".into(),
        },
        "2026-04-02T12:00:00+08:00",
    );
    let err = registry.apply(&wrong).unwrap_err();
    assert!(
        err.to_string()
            .contains("differs from the provider's instruction"),
        "{err}"
    );
    assert!(
        registry.get_grant(&id(G1)).unwrap().disposed.is_none(),
        "a refused receipt changes nothing"
    );
    let unsigned = by(
        "hz-hrss",
        Change::DisposalRecorded {
            grant: id(G1),
            method: DisposalMethod::Delete,
            attested_by: "".into(),
        },
        "2026-04-02T12:00:00+08:00",
    );
    assert!(registry.apply(&unsigned).is_err());
    let right = by(
        "hz-hrss",
        Change::DisposalRecorded {
            grant: id(G1),
            method: DisposalMethod::Delete,
            attested_by: "安全员".into(),
        },
        "2026-04-02T12:00:00+08:00",
    );
    registry.apply(&right).unwrap();
    let err = registry.apply(&right).unwrap_err();
    assert!(err.to_string().contains("already disposed"), "{err}");
    let consent = transition(
        Change::ConsentAdded {
            grant: id(G1),
            consent: serde_json::from_value(
                json!({"kind": "item", "value": "address", "at": "2026-04-03T00:00:00+08:00"}),
            )
            .unwrap(),
        },
        "2026-04-03T00:00:00+08:00",
    );
    assert!(
        registry.apply(&consent).is_err(),
        "no consent after disposal"
    );
    assert!(matches!(
        registry.apply(&transition(
            Change::Reinstated {
                grant: id("no-such")
            },
            "2026-04-03T00:00:00+08:00"
        )),
        Err(TransitionError::UnknownGrant { .. })
    ));
    let dup = demo().get_grant(&id(G4)).unwrap().clone();
    assert!(matches!(
        registry.apply(&transition(
            Change::GrantApproved {
                grant: Box::new(dup)
            },
            "2026-04-03T00:00:00+08:00"
        )),
        Err(TransitionError::DuplicateGrant { .. })
    ));
}

#[test]
fn a_consent_widens_the_grant() {
    let mut registry = demo();
    let engine = Engine::builder().build().unwrap();
    let wider = UsageRequest::from_json(include_str!(
        "../../examples/data/requests/02-scope-expansion.json"
    ))
    .unwrap();
    assert!(!engine.evaluate(&wider, &registry).is_allow());
    registry.apply(&transition(
            Change::ConsentAdded {
                grant: id(G1),
                consent: serde_json::from_value(json!({"kind": "item", "value": "legal_rep_id_number", "at": "2026-03-01T00:00:00+08:00"})).unwrap(),
            },
            "2026-03-01T00:00:00+08:00",
        ),
    )
    .unwrap();
    assert!(engine.evaluate(&wider, &registry).is_allow());
}

#[test]
fn transitions_round_trip_through_json() {
    let t1 = transition(
        Change::Suspended {
            grant: id(G1),
            violation: govshare::Violation::ThirdParty,
            correct_by: t("2026-05-01T00:00:00+08:00"),
        },
        "2026-04-01T00:00:00+08:00",
    );
    let text = serde_json::to_string(&t1).unwrap();
    assert!(text.contains(r#""kind":"suspended""#), "{text}");
    assert_eq!(serde_json::from_str::<Transition>(&text).unwrap(), t1);
}

#[test]
fn disposals_due_and_overdue_oldest_first() {
    let registry = demo();
    let calendar = Calendar::embedded().unwrap();
    // 2026-07-01: G4's purpose ended 2026-06-30, due 2026-07-07 (5 working days).
    let early = overdue_disposals(&registry, &t("2026-07-01T09:00:00+08:00"), &calendar);
    assert_eq!(early.len(), 1);
    assert_eq!(early[0].grant, id(G4));
    assert_eq!(early[0].due, Some(d(2026, 7, 7)));
    assert_eq!(early[0].overdue, Some(false));
    assert_eq!(early[0].trigger, "purpose_achieved");
    // 2026-08-20: G4 overdue; G2's period ended 2026-08-01, due 2026-08-14, overdue.
    let later = overdue_disposals(&registry, &t("2026-08-20T09:00:00+08:00"), &calendar);
    let ids: Vec<&str> = later.iter().map(|e| e.grant.as_str()).collect();
    assert_eq!(ids, [G4, "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e02"]);
    assert!(later.iter().all(|e| e.overdue == Some(true)));
    // A receipt clears it.
    let mut cleared = registry.clone();
    cleared
        .apply(&by(
            "hz-civil",
            Change::DisposalRecorded {
                grant: id(G4),
                method: DisposalMethod::Anonymize,
                attested_by: "x".into(),
            },
            "2026-08-19T09:00:00+08:00",
        ))
        .unwrap();
    assert_eq!(
        overdue_disposals(&cleared, &t("2026-08-20T09:00:00+08:00"), &calendar).len(),
        1
    );
    // With no calendar the due date is unknown, listed, never guessed.
    let unknown = overdue_disposals(&registry, &t("2026-08-20T09:00:00+08:00"), &Calendar::new());
    assert_eq!(unknown.len(), 2);
    assert!(
        unknown
            .iter()
            .all(|e| e.due.is_none() && e.overdue.is_none() && e.due_error.is_some())
    );
}

#[test]
fn duplicate_collection_names_obtainable_items() {
    let registry = demo();
    let items: Vec<ItemName> = ["uscc", "id_number", "phone", "tax_amount", "vaccine"]
        .iter()
        .map(|s| ItemName::new(*s).unwrap())
        .collect();
    let found = duplicate_collection(&registry, &DepartmentId::new("hz-hrss").unwrap(), &items);
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.item.as_str(), f.dataset.as_str()))
        .collect();
    // tax_amount is not_shared and vaccine unpublished: not obtainable.
    assert_eq!(
        pairs,
        [
            ("id_number", "hh-reg"),
            ("uscc", "ent-public"),
            ("uscc", "ent-reg")
        ]
    );
    // A provider's own datasets are not "obtainable through sharing".
    let own = duplicate_collection(&registry, &DepartmentId::new("hz-amr").unwrap(), &items);
    assert!(own.iter().all(|f| f.provider.as_str() != "hz-amr"));
}
