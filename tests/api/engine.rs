//! Loading policies and deciding: the floor cannot be lowered, and every
//! failure is a deny.

use std::borrow::Cow;

use govshare::{
    Dataset, DatasetId, Department, DepartmentId, Engine, FactError, FactSource, Grant, GrantId,
    LoadError, Registry, UsageRequest,
};

use super::common::{demo, demo_with, grant};

const ALLOW: &str = include_str!("../../examples/data/requests/01-allow.json");

fn local(text: &str) -> Result<Engine, LoadError> {
    Engine::builder()
        .local_policies("local/zj.cedar", text)
        .build()
}

#[test]
fn the_embedded_floor_holds_every_catalog_rule_once() {
    let engine = Engine::builder().build().unwrap();
    let ids: Vec<&str> = engine.rules().iter().map(|r| r.id.as_str()).collect();
    let mut expected = vec!["GS-PERMIT"];
    expected.extend(govshare::StatutoryRule::CATALOG.map(|r| r.as_str()));
    assert_eq!(ids, expected);
    for rule in engine.rules() {
        assert!(
            !rule.articles.is_empty() && !rule.zh.is_empty() && !rule.en.is_empty(),
            "{rule:?}"
        );
    }
    assert!(engine.policy_digest().starts_with("sha256:"));
    assert_eq!(engine.policy_digest().len(), "sha256:".len() + 64);
}

#[test]
fn the_policies_folder_loads_the_same_rules_and_digest_as_the_embedded_copy() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
    let from_dir = Engine::builder().policies_dir(dir).build().unwrap();
    let embedded = Engine::builder().build().unwrap();
    assert_eq!(from_dir.rules().len(), embedded.rules().len());
    let registry = demo();
    let request = UsageRequest::from_json(ALLOW).unwrap();
    assert!(from_dir.evaluate(&request, &registry).is_allow());
    assert_eq!(from_dir.calendar().years(), [2025, 2026]);
}

#[test]
fn a_local_permit_is_refused() {
    let err = local(
        r#"@id("ZJ-OPEN") @articles("25") @zh("放开") @en("open")
           permit (principal, action, resource);"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("local/zj.cedar") && err.contains("ZJ-OPEN") && err.contains("only `forbid`"),
        "{err}"
    );
}

#[test]
fn a_local_policy_without_an_annotation_is_refused() {
    for (missing, text) in [
        (
            "@id",
            r#"@articles("25") @zh("z") @en("e") forbid (principal, action, resource);"#,
        ),
        (
            "@articles",
            r#"@id("ZJ-A") @zh("z") @en("e") forbid (principal, action, resource);"#,
        ),
        (
            "@zh",
            r#"@id("ZJ-A") @articles("25") @en("e") forbid (principal, action, resource);"#,
        ),
        (
            "@en",
            r#"@id("ZJ-A") @articles("25") @zh("z") forbid (principal, action, resource);"#,
        ),
    ] {
        let err = local(text).unwrap_err().to_string();
        assert!(
            err.contains(&format!("missing annotation `{missing}`")),
            "{err}"
        );
        assert!(err.contains("local/zj.cedar"), "{err}");
    }
}

#[test]
fn duplicate_ids_reserved_ids_syntax_and_schema_errors_are_refused() {
    let dup = local(
        r#"@id("ZJ-A") @articles("25") @zh("z") @en("e") forbid (principal, action, resource);
           @id("ZJ-A") @articles("25") @zh("z") @en("e") forbid (principal, action, resource);"#,
    )
    .unwrap_err()
    .to_string();
    assert!(dup.contains("duplicate `@id`"), "{dup}");

    let reserved = local(r#"@id("GS-SCOPE-EXPANSION") @articles("25") @zh("z") @en("e") forbid (principal, action, resource);"#)
        .unwrap_err()
        .to_string();
    assert!(reserved.contains("reserved"), "{reserved}");

    let syntax = local("forbid (principal, action, resource) when {")
        .unwrap_err()
        .to_string();
    assert!(
        syntax.starts_with("policy file `local/zj.cedar`"),
        "{syntax}"
    );

    let schema = local(
        r#"@id("ZJ-B") @articles("25") @zh("z") @en("e")
           forbid (principal, action, resource) when { context.no_such_fact };"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        schema.contains("ZJ-B") && schema.contains("strict validation"),
        "{schema}"
    );
}

#[test]
fn a_statutory_folder_missing_a_rule_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
    std::fs::create_dir_all(dir.join("statutory")).unwrap();
    std::fs::copy(
        format!("{src}/govshare.cedarschema"),
        dir.join("govshare.cedarschema"),
    )
    .unwrap();
    for entry in std::fs::read_dir(format!("{src}/statutory")).unwrap() {
        let path = entry.unwrap().path();
        if !path.ends_with("06-scope-expansion.cedar") {
            std::fs::copy(&path, dir.join("statutory").join(path.file_name().unwrap())).unwrap();
        }
    }
    let err = Engine::builder().policies_dir(dir).build().unwrap_err();
    assert!(err.to_string().contains("GS-SCOPE-EXPANSION"), "{err}");
}

#[test]
fn a_local_forbid_adds_a_reason_and_never_allows() {
    let engine = local(
        r#"@id("ZJ-NO-NIGHT-BULK") @articles("25") @zh("夜间不得批量交换") @en("no bulk exchange at night")
           forbid (principal, action, resource) when { context has method && context.method == "service_interface" };"#,
    )
    .unwrap();
    let registry = demo();
    let decision = engine.evaluate(&UsageRequest::from_json(ALLOW).unwrap(), &registry);
    assert!(!decision.is_allow());
    assert_eq!(decision.rule_ids(), ["ZJ-NO-NIGHT-BULK"]);
    assert_eq!(decision.reasons()[0].zh, "夜间不得批量交换");
}

#[test]
fn a_local_policy_that_fails_to_evaluate_is_a_deny_that_names_it() {
    // Passes the schema, overflows at run time on every request.
    let engine = local(
        r#"@id("ZJ-OVERFLOW") @articles("25") @zh("溢出") @en("overflows")
           forbid (principal, action, resource) when { context.at + 9223372036854775807 > 0 };"#,
    )
    .unwrap();
    let registry = demo();
    let decision = engine.evaluate(&UsageRequest::from_json(ALLOW).unwrap(), &registry);
    assert!(!decision.is_allow());
    assert_eq!(decision.rule_ids(), ["GS-EVALUATION-ERROR"]);
    let en = &decision.reasons()[0].en;
    assert!(
        en.contains("error while evaluating policy `ZJ-OVERFLOW`") && en.contains("overflow"),
        "{en}"
    );
    // The same request without the local policy is allowed.
    let plain = Engine::builder().build().unwrap();
    assert!(
        plain
            .evaluate(&UsageRequest::from_json(ALLOW).unwrap(), &registry)
            .is_allow()
    );
}

#[test]
fn an_unknown_optional_policy_is_refused() {
    let err = Engine::builder()
        .enable_optional("no-such")
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no-such") && err.contains("block-while-disposal-overdue"),
        "{err}"
    );
}

struct Failing;

impl FactSource for Failing {
    fn department(&self, _: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError> {
        Err(FactError::new("database unreachable"))
    }
    fn dataset(&self, _: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError> {
        Ok(None)
    }
    fn grant(&self, _: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError> {
        Ok(None)
    }
    fn grants_for(
        &self,
        _: &DepartmentId,
        _: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Ok(Vec::new())
    }
}

#[test]
fn a_failing_fact_source_is_a_deny_that_says_so() {
    let engine = Engine::builder().build().unwrap();
    let decision = engine.evaluate(&UsageRequest::from_json(ALLOW).unwrap(), &Failing);
    assert!(!decision.is_allow());
    assert_eq!(decision.rule_ids(), ["GS-FACTS-UNAVAILABLE"]);
    assert!(decision.reasons()[0].en.contains("database unreachable"));
}

/// A source that returns every grant of the registry whatever is asked,
/// as a careless host might.
struct Careless(Registry);

impl FactSource for Careless {
    fn department(&self, id: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError> {
        self.0.department(id)
    }
    fn dataset(&self, id: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError> {
        self.0.dataset(id)
    }
    fn grant(&self, id: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError> {
        self.0.grant(id)
    }
    fn grants_for(
        &self,
        _: &DepartmentId,
        _: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Ok(self.0.grants().iter().map(Cow::Borrowed).collect())
    }
}

#[test]
fn grants_of_other_requesters_or_datasets_from_a_careless_source_are_ignored() {
    let engine = Engine::builder().build().unwrap();
    // hz-data holds no grant for ent-reg; the careless source offers hz-hrss's.
    let request = UsageRequest::from_json(
        r#"{"requester": "hz-data", "dataset": "ent-reg", "action": "use", "purpose": "social-insurance.enrollment-check",
            "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"}"#,
    )
    .unwrap();
    let decision = engine.evaluate(&request, &Careless(demo()));
    assert_eq!(decision.rule_ids(), ["GS-NO-GRANT"]);
}

#[test]
fn a_request_built_in_code_that_breaks_the_wire_format_is_denied() {
    let engine = Engine::builder().build().unwrap();
    let mut request = UsageRequest::from_json(ALLOW).unwrap();
    request.method = None;
    let decision = engine.evaluate(&request, &demo());
    assert!(!decision.is_allow());
    assert_eq!(decision.rule_ids(), ["GS-INVALID-REQUEST"]);
}

#[test]
fn decisions_round_trip_through_json() {
    let engine = Engine::builder().build().unwrap();
    let decision = engine.evaluate(&UsageRequest::from_json(ALLOW).unwrap(), &demo());
    let back = serde_json::from_str::<govshare::Decision>(&decision.to_json()).unwrap();
    assert_eq!(back, decision);
    let v: serde_json::Value = serde_json::from_str(&decision.to_json()).unwrap();
    for key in [
        "decision",
        "decision_id",
        "decided_at",
        "grant",
        "policy_digest",
        "reasons",
        "obligations",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v.as_object().unwrap().len(), 7);
}

#[test]
fn the_engine_is_clone_send_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Engine>();
}

mod overdue_policy {
    use super::*;

    /// hz-civil's grant 04 on hh-reg (provider hz-psb) ended 2026-06-30 and
    /// is due for disposal by 2026-07-07; give hz-civil a second, active
    /// grant on another hz-psb dataset and ask for new access after that.
    fn registry() -> Registry {
        demo_with(|v| {
            let mut g = grant("g-civil-2", "hh-reg", "hz-civil");
            g["items"] = serde_json::json!(["name"]);
            g["purpose"] = serde_json::json!("social-assistance.emergency-relief");
            v["grants"].as_array_mut().unwrap().push(g);
        })
    }

    fn request(at: &str) -> UsageRequest {
        UsageRequest::from_json(&format!(
            r#"{{"requester": "hz-civil", "dataset": "hh-reg", "grant": "g-civil-2", "action": "access",
                "method": "service_interface", "purpose": "social-assistance.emergency-relief",
                "items": ["name"], "at": "{at}"}}"#
        ))
        .unwrap()
    }

    #[test]
    fn off_by_default() {
        let engine = Engine::builder().build().unwrap();
        assert!(
            engine
                .evaluate(&request("2026-07-20T10:00:00+08:00"), &registry())
                .is_allow()
        );
    }

    #[test]
    fn denies_new_access_while_a_disposal_with_the_provider_is_overdue() {
        let engine = Engine::builder()
            .enable_optional("block-while-disposal-overdue")
            .build()
            .unwrap();
        assert!(
            engine
                .rules()
                .iter()
                .any(|r| r.id == "GS-OPT-DISPOSAL-OVERDUE")
        );
        let registry = registry();
        // Due by 2026-07-07: on that day still allowed, the day after denied.
        assert!(
            engine
                .evaluate(&request("2026-07-07T17:00:00+08:00"), &registry)
                .is_allow()
        );
        let late = engine.evaluate(&request("2026-07-08T09:00:00+08:00"), &registry);
        assert_eq!(late.rule_ids(), ["GS-OPT-DISPOSAL-OVERDUE"]);
        assert!(late.reasons()[0].articles.contains(&"40(4)".to_owned()));
        // A disposal receipt clears it.
        let mut cleared = registry.clone();
        cleared
            .apply(&govshare::lifecycle::Transition::new(
                super::super::common::t("2026-07-08T10:00:00+08:00"),
                "hz-civil".parse().unwrap(),
                "杭州市民政局",
                "已匿名化处理",
                govshare::lifecycle::Change::DisposalRecorded {
                    grant: "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e04".parse().unwrap(),
                    method: govshare::DisposalMethod::Anonymize,
                    attested_by: "市民政局数据安全员".into(),
                },
            ))
            .unwrap();
        assert!(
            engine
                .evaluate(&request("2026-07-08T11:00:00+08:00"), &cleared)
                .is_allow()
        );
    }

    /// A local forbid on the overdue fact, with the attribute written as
    /// `access`.
    fn local_on_overdue(access: &str) -> Engine {
        local_on_overdue_with(access, Engine::builder())
    }

    fn local_on_overdue_with(access: &str, builder: govshare::EngineBuilder) -> Engine {
        builder
            .local_policies(
                "zj.cedar",
                format!(
                    "@id(\"ZJ-OVERDUE\") @articles(\"27,40(4)\") @zh(\"处置逾期\") @en(\"disposal overdue\")\n\
                     forbid (principal, action, resource) when {{ {access} }};"
                ),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn every_spelling_of_the_overdue_fact_makes_the_engine_compute_it() {
        // The fact used to be computed only when the policy text contained
        // the attribute's name verbatim: an escaped spelling read a fact
        // that was always false, so the local forbid never fired.
        let registry = registry();
        let late = request("2026-07-08T09:00:00+08:00");
        for access in [
            "context.overdue_disposal_with_provider",
            r#"context["overdue_disposal_with_provider"]"#,
            r#"context["overdue_disposal_with_provide\u{72}"]"#,
            r#"context["\u{6f}verdue_disposal_with_provider"]"#,
            r#"context has overdue_disposal_with_provider && context["overdue_disposal_with_provid\u{0065}r"]"#,
        ] {
            let engine = local_on_overdue(access);
            assert_eq!(
                engine.evaluate(&late, &registry).rule_ids(),
                ["ZJ-OVERDUE"],
                "{access}"
            );
            assert!(
                engine
                    .evaluate(&request("2026-07-07T17:00:00+08:00"), &registry)
                    .is_allow(),
                "{access}"
            );
        }
        // Whether the fact is computed shows where computing it must fail:
        // with no calendar, an overdue disposal cannot be told, and a
        // policy that reads the fact fails closed. One that only names the
        // attribute in a comment or another string does not read it.
        let no_calendar = || Engine::builder().calendar(govshare::Calendar::new());
        let reads = local_on_overdue_with(
            r#"context["overdue_disposal_with_provide\u{72}"]"#,
            no_calendar(),
        );
        assert_eq!(
            reads.evaluate(&late, &registry).rule_ids(),
            ["GS-FACTS-UNAVAILABLE"]
        );
        let names_only = local_on_overdue_with(
            "// context.overdue_disposal_with_provider\n context.items.contains(\"overdue_disposal_with_provider!\")",
            no_calendar(),
        );
        assert!(names_only.evaluate(&late, &registry).is_allow());
    }

    #[test]
    fn an_unknowable_due_date_fails_closed() {
        let engine = Engine::builder()
            .enable_optional("block-while-disposal-overdue")
            .calendar(govshare::Calendar::new())
            .build()
            .unwrap();
        let decision = engine.evaluate(&request("2026-07-08T09:00:00+08:00"), &registry());
        assert_eq!(decision.rule_ids(), ["GS-FACTS-UNAVAILABLE"]);
    }
}
