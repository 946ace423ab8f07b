//! Conditions that reach the decision (the five problems of the issue on
//! conditions, each through the Rust API): Art. 2 and 3 at decision time,
//! the structured scope and uses of conditional entries, the registered
//! purpose vocabulary, backflow within the region, replies that make
//! sense.

use govshare::lifecycle::{
    Application, Reply, ReplyDecision, Severity, Unchecked, check_application, coverage, reply,
    validate,
};
use govshare::{
    Approval, Calendar, DisposalInstruction, DisposalMethod, Engine, Registry, ReplyError,
    UsageRequest,
};
use serde_json::{Value, json};

use super::common::t;

/// The corpus registry with structured conditions and a purpose
/// vocabulary.
const CONDITIONS: &str = include_str!("../cases/registry-conditions.json");

fn conditions() -> Registry {
    Registry::from_json_str(CONDITIONS).unwrap()
}

fn conditions_with(edit: impl FnOnce(&mut Value)) -> Registry {
    let mut v: Value = serde_json::from_str(CONDITIONS).unwrap();
    edit(&mut v);
    Registry::from_json_str(&v.to_string()).unwrap()
}

fn decide(registry: &Registry, request: Value) -> govshare::Decision {
    let engine = Engine::builder().build().unwrap();
    let request = UsageRequest::from_json(&request.to_string()).unwrap();
    engine.evaluate(&request, registry)
}

fn use_of(requester: &str, dataset: &str, purpose: &str) -> Value {
    json!({"requester": requester, "dataset": dataset, "action": "use", "purpose": purpose,
           "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"})
}

fn codes(findings: &[govshare::lifecycle::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

// --- Problem 1: Art. 2 and 3 reach the decision, not only `check`. ---

#[test]
fn a_secret_entry_and_an_unregistered_provider_are_denied_at_decision_time() {
    let registry = conditions();
    let secret = decide(
        &registry,
        use_of("hz-hrss", "secret-plan", "social-insurance.audit"),
    );
    assert!(!secret.is_allow());
    assert_eq!(secret.rule_ids(), ["GS-SECRET-DATA"]);
    assert_eq!(secret.reasons()[0].articles, ["3"]);
    assert!(secret.reasons()[0].zh.contains("国家秘密"));
    // `check` says the same of the catalog.
    assert!(
        validate(&registry)
            .iter()
            .any(|f| f.code == "CAT-SECRET" && f.subject.id == "secret-plan")
    );

    let acme = decide(
        &registry,
        use_of("hz-hrss", "acme-data", "social-insurance.audit"),
    );
    assert!(!acme.is_allow());
    assert_eq!(acme.rule_ids(), ["GS-UNKNOWN-PROVIDER"]);
    assert_eq!(acme.reasons()[0].facts["provider"], "acme-corp");

    // Registering the provider and clearing the mark allow the same uses.
    let fixed = conditions_with(|v| {
        v["departments"].as_array_mut().unwrap().push(
            json!({"id": "acme-corp", "name": "某法律法规授权组织", "level": "municipal", "region": "330100"}),
        );
        for d in v["datasets"].as_array_mut().unwrap() {
            d.as_object_mut().unwrap().remove("secret");
        }
    });
    assert!(
        decide(
            &fixed,
            use_of("hz-hrss", "secret-plan", "social-insurance.audit")
        )
        .is_allow()
    );
    assert!(
        decide(
            &fixed,
            use_of("hz-hrss", "acme-data", "social-insurance.audit")
        )
        .is_allow()
    );
}

// --- Problem 2: 有条件共享 conditions are enforced. ---

/// The Ningbo application of the issue: an entry scoped to Hangzhou's own
/// departments, a marketing purpose, basis 无, ten years.
fn ningbo_application() -> Application {
    serde_json::from_value(json!({
        "id": "app-nb-1", "requester": "nb-hrss", "dataset": "ent-reg",
        "items": ["uscc", "name"], "methods": ["service_interface"],
        "purpose": "marketing.lead-generation", "basis": "无", "scenario": "企业客户开发",
        "valid_from": "2026-03-01T00:00:00+08:00", "valid_until": "2036-03-01T00:00:00+08:00",
        "attestation": {"authenticity": true, "legality": true, "necessity": true},
        "approval": {"by": "宁波市人社局数据共享工作机构负责人", "at": "2026-02-26T10:00:00+08:00"},
        "received_at": "2026-02-27T10:00:00+08:00"
    }))
    .unwrap()
}

fn answer(decision: ReplyDecision, at: &str, by: &str) -> Reply {
    Reply {
        decision,
        replied_at: t(at),
        approval: Approval {
            by: by.into(),
            at: t(at),
        },
        extension: None,
    }
}

fn approve(conditions: &[&str]) -> ReplyDecision {
    ReplyDecision::Approve {
        items: None,
        methods: None,
        disposal: DisposalInstruction {
            method: DisposalMethod::Delete,
            within_working_days: 10,
        },
        conditions: conditions.iter().map(|c| (*c).to_owned()).collect(),
    }
}

const HEAD: &str = "杭州市市场监管局数据共享工作机构负责人";

#[test]
fn the_ningbo_application_is_neither_complete_nor_approvable() {
    let registry = conditions();
    let calendar = Calendar::embedded().unwrap();
    let app = ningbo_application();
    let found = check_application(&app, &registry);
    assert_eq!(
        codes(&found),
        [
            "APP-MISSING-BASIS",
            "APP-UNREGISTERED-PURPOSE",
            "APP-OUTSIDE-SHARING-SCOPE",
            "APP-USE-NOT-PERMITTED"
        ]
    );
    let scope = found
        .iter()
        .find(|f| f.code == "APP-OUTSIDE-SHARING-SCOPE")
        .unwrap();
    assert_eq!(scope.articles, ["14", "15"]);
    assert!(scope.en.contains("region 330200"), "{}", scope.en);
    // Incomplete (no basis): only a supplement request, listing everything.
    let err = reply(
        &app,
        &registry,
        &calendar,
        &answer(approve(&[]), "2026-03-02T10:00:00+08:00", HEAD),
    )
    .unwrap_err();
    assert!(matches!(err, ReplyError::Incomplete { .. }), "{err}");
    let back = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::RequestSupplement,
            "2026-03-02T10:00:00+08:00",
            HEAD,
        ),
    )
    .unwrap();
    assert_eq!(back.missing.len(), 4);

    // With a basis and a registered purpose, the scope still excludes
    // Ningbo: no approval, and a refusal leads with the ground.
    let mut supplemented = app.clone();
    supplemented.basis = "《中华人民共和国社会保险法》第五十七条".into();
    supplemented.purpose = Some("social-insurance.enrollment-check".parse().unwrap());
    assert_eq!(
        codes(&check_application(&supplemented, &registry)),
        ["APP-OUTSIDE-SHARING-SCOPE"]
    );
    let err = reply(
        &supplemented,
        &registry,
        &calendar,
        &answer(approve(&[]), "2026-03-02T10:00:00+08:00", HEAD),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ReplyError::ContradictsConditions { codes, .. } if codes == "APP-OUTSIDE-SHARING-SCOPE"),
        "{err}"
    );
    assert!(err.to_string().contains("(Art. 14–15)"), "{err}");
    let refused = reply(
        &supplemented,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: Vec::new(),
            },
            "2026-03-02T10:00:00+08:00",
            HEAD,
        ),
    )
    .unwrap();
    assert_eq!(refused.decision, "refuse");
    assert!(refused.reasons[0].contains("不在目录列明的共享范围内"));

    // The same application from a Hangzhou department is approved.
    let mut hangzhou = supplemented;
    hangzhou.requester = "hz-hrss".parse().unwrap();
    let approved = reply(
        &hangzhou,
        &registry,
        &calendar,
        &answer(approve(&[]), "2026-03-02T10:00:00+08:00", HEAD),
    )
    .unwrap();
    assert_eq!(approved.decision, "approve");
}

#[test]
fn the_ningbo_use_is_denied_at_decision_time() {
    let registry = conditions();
    let d = decide(
        &registry,
        json!({"requester": "nb-hrss", "dataset": "ent-reg", "grant": "g-nb-ent", "action": "use",
               "purpose": "marketing.lead-generation", "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"}),
    );
    assert_eq!(
        d.rule_ids(),
        [
            "GS-OUTSIDE-SHARING-SCOPE",
            "GS-USE-NOT-PERMITTED",
            "GS-UNREGISTERED-PURPOSE",
            "GS-PURPOSE-CHANGE"
        ]
    );
}

#[test]
fn grant_conditions_the_entry_does_not_state_are_refused_and_found() {
    let calendar = Calendar::embedded().unwrap();
    // `check`: any grant, not only backflow.
    let registry = conditions_with(|v| {
        let g = &mut v["grants"][0];
        g["conditions"] = json!(["每次调用须书面报批", "本市政府部门"]);
    });
    let found: Vec<_> = validate(&registry)
        .into_iter()
        .filter(|f| f.code == "GRANT-EXTRA-CONDITIONS")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject.id, "g-hrss-ent");
    assert_eq!(found[0].severity, Severity::Error);
    assert_eq!(found[0].articles, ["15", "39(2)"]);
    assert!(found[0].zh.contains("每次调用须书面报批"));
    assert!(
        !found[0].zh.contains("本市政府部门"),
        "the entry states its own scope"
    );
    // The grant's conditions are not machine-checkable.
    let report = coverage(&registry);
    let g = report
        .grants
        .iter()
        .find(|g| g.subject.id == "g-hrss-ent")
        .unwrap();
    assert_eq!(g.unchecked, [Unchecked::GrantConditions]);

    // `reply`: an approval may carry only conditions the entry states.
    let mut app = ningbo_application();
    app.requester = "hz-hrss".parse().unwrap();
    app.basis = "《中华人民共和国社会保险法》第五十七条".into();
    app.purpose = Some("social-insurance.enrollment-check".parse().unwrap());
    let err = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            approve(&["每次调用须书面报批"]),
            "2026-03-02T10:00:00+08:00",
            HEAD,
        ),
    )
    .unwrap_err();
    assert!(matches!(err, ReplyError::ExtraConditions { .. }), "{err}");
    assert!(err.to_string().contains("`每次调用须书面报批`"), "{err}");
    let stated = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            approve(&["社会保险经办"]),
            "2026-03-02T10:00:00+08:00",
            HEAD,
        ),
    )
    .unwrap();
    assert_eq!(stated.grant.unwrap().conditions, ["社会保险经办"]);
}

#[test]
fn a_complete_application_for_an_unconditional_entry_cannot_be_refused() {
    let registry = conditions();
    let calendar = Calendar::embedded().unwrap();
    let mut app = ningbo_application();
    app.dataset = "ent-public".parse().unwrap();
    app.basis = "《中华人民共和国社会保险法》第五十七条".into();
    app.purpose = Some("social-insurance.enrollment-check".parse().unwrap());
    assert!(check_application(&app, &registry).is_empty());
    let err = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: vec!["本局暂不对外提供".into()],
            },
            "2026-02-27T16:00:00+08:00",
            HEAD,
        ),
    )
    .unwrap_err();
    assert!(
        matches!(err, ReplyError::RefusesUnconditional { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("Art. 14, 21, 39(2)"), "{err}");
    // A secret unconditional entry is refused, its mark leading the reasons.
    app.dataset = "secret-plan".parse().unwrap();
    let refused = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: Vec::new(),
            },
            "2026-02-27T16:00:00+08:00",
            HEAD,
        ),
    )
    .unwrap();
    assert!(
        refused.reasons[0].contains("国家秘密"),
        "{:?}",
        refused.reasons
    );
}

// --- Problem 3: purposes cannot be invented. ---

#[test]
fn an_invented_sub_purpose_is_not_under_the_granted_one() {
    let registry = conditions();
    let invented = decide(
        &registry,
        use_of(
            "hz-hrss",
            "ent-free",
            "social-insurance.enrollment-check.marketing-to-insurers",
        ),
    );
    assert!(!invented.is_allow());
    assert_eq!(
        invented.rule_ids(),
        ["GS-UNREGISTERED-PURPOSE", "GS-PURPOSE-CHANGE"]
    );
    assert_eq!(invented.reasons()[0].articles, ["20", "25"]);
    // The registered purpose itself is allowed.
    assert!(
        decide(
            &registry,
            use_of("hz-hrss", "ent-free", "social-insurance.enrollment-check")
        )
        .is_allow()
    );
    // Without a vocabulary the old rule stands, and `check` warns.
    let open = conditions_with(|v| {
        v.as_object_mut().unwrap().remove("purposes");
    });
    assert!(
        decide(
            &open,
            use_of(
                "hz-hrss",
                "ent-free",
                "social-insurance.enrollment-check.marketing-to-insurers"
            )
        )
        .is_allow()
    );
    let warning = validate(&open)
        .into_iter()
        .find(|f| f.code == "REG-NO-PURPOSE-VOCABULARY")
        .unwrap();
    assert_eq!(warning.severity, Severity::Warning);
    assert!(!coverage(&open).summary.purpose_vocabulary);
}

// --- Problem 4: backflow stays within the region. ---

fn backflow_registry() -> Registry {
    Registry::from_json_str(
        &json!({
            "departments": [
                {"id": "zj-amr", "name": "浙江省市场监督管理局", "level": "provincial", "region": "330000"},
                {"id": "hz-amr", "name": "杭州市市场监督管理局", "level": "municipal", "region": "330100"},
                {"id": "nj-amr", "name": "南京市市场监督管理局", "level": "municipal", "region": "320100"},
                {"id": "zj-dsj", "name": "浙江省大数据发展管理局", "level": "provincial", "region": "330000"}
            ],
            "datasets": [
                {"id": "zj-ent", "name": "全省企业登记信息", "provider": "zj-amr", "status": "published",
                 "items": [{"name": "uscc", "grade": "general"}], "sharing": {"class": "unconditional"},
                 "methods": ["bulk_exchange"], "format": "database", "update_frequency": "daily"}
            ],
            "grants": [
                {"id": "g-to-nanjing", "dataset": "zj-ent", "requester": "nj-amr", "purpose": "market-regulation",
                 "basis": "《某法》", "scenario": "回流", "items": ["uscc"], "methods": ["bulk_exchange"],
                 "valid_from": "2026-01-01T00:00:00+08:00", "valid_until": "2027-01-01T00:00:00+08:00",
                 "disposal": {"method": "delete", "within_working_days": 10}, "status": "active", "backflow": true},
                {"id": "g-to-hangzhou", "dataset": "zj-ent", "requester": "hz-amr", "purpose": "market-regulation",
                 "basis": "《某法》", "scenario": "回流", "items": ["uscc"], "methods": ["bulk_exchange"],
                 "valid_from": "2026-01-01T00:00:00+08:00", "valid_until": "2027-01-01T00:00:00+08:00",
                 "disposal": {"method": "delete", "within_working_days": 10}, "status": "active", "backflow": true},
                {"id": "g-to-peer", "dataset": "zj-ent", "requester": "zj-dsj", "purpose": "market-regulation",
                 "basis": "《某法》", "scenario": "回流", "items": ["uscc"], "methods": ["bulk_exchange"],
                 "valid_from": "2026-01-01T00:00:00+08:00", "valid_until": "2027-01-01T00:00:00+08:00",
                 "disposal": {"method": "delete", "within_working_days": 10}, "status": "active", "backflow": true}
            ]
        })
        .to_string(),
    )
    .unwrap()
}

#[test]
fn backflow_outside_the_provider_region_or_not_below_it_is_an_error() {
    let findings: Vec<_> = validate(&backflow_registry())
        .into_iter()
        .filter(|f| f.code == "GRANT-BACKFLOW-OUTSIDE-REGION")
        .collect();
    let ids: Vec<&str> = findings.iter().map(|f| f.subject.id.as_str()).collect();
    assert_eq!(ids, ["g-to-nanjing", "g-to-peer"]);
    assert!(
        findings
            .iter()
            .all(|f| f.is_error() && f.articles == ["24"])
    );
    assert!(
        findings[0]
            .en
            .contains("the requester's region 320100 lies outside the provider's region 330000"),
        "{}",
        findings[0].en
    );
    assert!(findings[1].en.contains("is not at a lower level"));
}

// --- Problem 5: replies are checked. ---

#[test]
fn a_reply_before_its_application_or_without_an_approver_is_refused() {
    let registry = conditions();
    let calendar = Calendar::embedded().unwrap();
    let mut app = ningbo_application();
    app.requester = "hz-hrss".parse().unwrap();
    app.basis = "《中华人民共和国社会保险法》第五十七条".into();
    app.purpose = Some("social-insurance.enrollment-check".parse().unwrap());
    let early = reply(
        &app,
        &registry,
        &calendar,
        &answer(approve(&[]), "2026-01-01T10:00:00+08:00", HEAD),
    )
    .unwrap_err();
    assert!(
        matches!(early, ReplyError::BeforeApplication { .. }),
        "{early}"
    );
    assert!(early.to_string().contains("2026-02-27T10:00:00+08:00"));
    let nameless = reply(
        &app,
        &registry,
        &calendar,
        &answer(approve(&[]), "2026-03-02T10:00:00+08:00", ""),
    )
    .unwrap_err();
    assert!(matches!(nameless, ReplyError::NoApprover), "{nameless}");
    assert!(nameless.to_string().contains("(Art. 20)"));
    let blank = reply(
        &app,
        &registry,
        &calendar,
        &answer(
            ReplyDecision::Refuse {
                reasons: vec!["x".into()],
            },
            "2026-03-02T10:00:00+08:00",
            "  ",
        ),
    );
    assert!(matches!(blank, Err(ReplyError::NoApprover)));
    // Named and dated after the application: approved, delivery due after it.
    let ok = reply(
        &app,
        &registry,
        &calendar,
        &answer(approve(&[]), "2026-03-02T10:00:00+08:00", HEAD),
    )
    .unwrap();
    assert!(ok.delivery_due.unwrap() > govshare::time::china_date(&app.received_at));
}

// --- What `check` reports of the conditions. ---

#[test]
fn coverage_reports_what_is_enforced_by_code() {
    let report = coverage(&conditions());
    let s = report.summary;
    assert!(s.purpose_vocabulary);
    assert_eq!((s.entries, s.conditional_entries), (11, 7));
    let free = report
        .entries
        .iter()
        .find(|e| e.subject.id == "ent-free")
        .unwrap();
    assert!(!free.machine_checkable);
    assert_eq!(free.unchecked, [Unchecked::Scope, Unchecked::Uses]);
    let reg = report
        .entries
        .iter()
        .find(|e| e.subject.id == "ent-reg")
        .unwrap();
    assert!(reg.machine_checkable && reg.unchecked.is_empty());
    assert_eq!(
        s.conditional_entries_enforced,
        report
            .entries
            .iter()
            .filter(|e| e.machine_checkable)
            .count()
    );
    assert_eq!(s.grants, 24);
    let text = report.to_string();
    assert!(text.contains("dataset `ent-free`"), "{text}");
    assert!(!text.contains("dataset `ent-reg`"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["entries"][0]["subject"]["kind"], "dataset");
    assert_eq!(json["summary"]["grants"], 24);
    // Without a vocabulary every grant's purpose is checked by code alone.
    let open = conditions_with(|v| {
        v.as_object_mut().unwrap().remove("purposes");
    });
    let report = coverage(&open);
    assert_eq!(report.summary.grants_enforced, 0);
    assert!(
        report
            .grants
            .iter()
            .all(|g| g.unchecked.contains(&Unchecked::PurposeVocabulary))
    );
}

#[test]
fn structured_conditions_are_validated() {
    let registry = conditions_with(|v| {
        v["datasets"][0]["sharing"]["conditions"] = json!({
            "regions": [], "departments": ["hz-nobody"], "purposes": ["tax", "not-registered"]
        });
        v["purposes"][2]["parent"] = json!("tax");
    });
    let findings = validate(&registry);
    let of = |code: &str| {
        findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code}"))
    };
    assert!(of("CAT-CONDITIONS-EMPTY").en.contains("regions"));
    assert!(
        of("CAT-CONDITIONS-UNKNOWN-DEPARTMENT")
            .en
            .contains("hz-nobody")
    );
    assert!(
        of("CAT-CONDITIONS-UNREGISTERED-PURPOSE")
            .en
            .contains("not-registered")
    );
    let parent = of("PURPOSE-BAD-PARENT");
    assert_eq!(parent.subject.id, "social-insurance.audit");
    assert!(parent.en.contains("not an ancestor"), "{}", parent.en);
}

#[test]
fn a_registry_in_the_old_shape_loads_and_prints_as_before() {
    let text = include_str!("../cases/registry.json");
    let registry = Registry::from_json_str(text).unwrap();
    assert!(registry.purpose_vocabulary().is_none());
    let printed: Value = serde_json::from_str(&registry.to_json()).unwrap();
    assert!(printed.get("purposes").is_none());
    let again = conditions();
    let round = Registry::from_json_str(&again.to_json()).unwrap();
    assert_eq!(round.to_json(), again.to_json());
    assert!(round.to_json().contains("\"authority\": true"));
    // Conditions on an entry that is not conditional would be ignored:
    // they are refused, as any key that does not belong.
    let mut v: Value = serde_json::from_str(CONDITIONS).unwrap();
    v["datasets"][3]["sharing"]["conditions"] = json!({"regions": ["330100"]});
    let err = govshare::error_report(&Registry::from_json_str(&v.to_string()).unwrap_err());
    assert!(err.contains("datasets[3].sharing"), "{err}");
    assert!(
        err.contains("`conditions` does not belong to an entry of class `unconditional`"),
        "{err}"
    );
    // A vocabulary listing a code twice is refused.
    let mut v: Value = serde_json::from_str(CONDITIONS).unwrap();
    v["purposes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"code": "tax", "name": "重复"}));
    let err = Registry::from_json_str(&v.to_string()).unwrap_err();
    assert!(
        err.to_string().contains("duplicate purpose id `tax`"),
        "{err}"
    );
}
