//! The checks behind each fuzz target, as plain functions so the seed
//! corpus replays as an ordinary test on stable (`cargo test` in this
//! folder) and the same code runs under libFuzzer on nightly
//! (`cargo fuzz run <target>`).
//!
//! Each check asserts more than "no crash": parsed input round-trips
//! through its printed form, and input that fails to parse never yields a
//! decision, let alone an allow.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use govshare::{Engine, Registry, UsageRequest};

const DEMO: &str = include_str!("../../examples/data/registry.json");

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .build()
            .expect("the statutory policies load")
    })
}

fn demo() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::from_json_str(DEMO).expect("the demo registry loads"))
}

/// A request in bytes: parse → print → parse gives the same request; a
/// decision (made only for a parsed request) round-trips and is an allow
/// only with `GS-PERMIT` alone and the record-use duty.
pub fn request_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match engine().evaluate_json(text, demo()) {
        Err(_) => assert!(
            UsageRequest::from_json(text).is_err(),
            "evaluate_json refused what from_json accepts"
        ),
        Ok(decision) => {
            let request = UsageRequest::from_json(text).expect("a decided request parses");
            let again =
                UsageRequest::from_json(&request.to_json()).expect("a printed request parses");
            assert_eq!(again, request, "request round trip");
            let back = govshare::Decision::from_json(&decision.to_json())
                .expect("a printed decision parses");
            assert_eq!(back, decision, "decision round trip");
            if decision.is_allow() {
                assert_eq!(decision.rule_ids(), ["GS-PERMIT"]);
                assert!(
                    decision
                        .obligations()
                        .iter()
                        .any(|o| o.obligation == "GS-OBL-RECORD-USE")
                );
            } else {
                assert!(!decision.reasons().is_empty());
            }
        }
    }
}

/// A registry in bytes: parse → print → parse → print is stable, and
/// validation and a decision against it complete.
pub fn registry_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(registry) = Registry::from_json_str(text) else {
        return;
    };
    let printed = registry.to_json();
    let again = Registry::from_json_str(&printed).expect("a printed registry parses");
    assert_eq!(again.to_json(), printed, "registry round trip");
    let _ = govshare::lifecycle::catalog::validate(&registry);
    let request =
        UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))
            .unwrap();
    let decision = engine().evaluate(&request, &registry);
    if decision.is_allow() {
        let grant = registry
            .get_grant(decision.grant().expect("an allow names its grant"))
            .expect("the grant exists");
        assert_eq!(grant.requester, request.requester);
        assert_eq!(grant.status, govshare::GrantStatus::Active);
    }
}

/// Policy text as a local policy file: a load either fails, or yields an
/// engine whose extra rules only forbid, so every request the statutory
/// engine denies stays denied.
pub fn policy_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(local) = Engine::builder().local_policies("fuzz.cedar", text).build() else {
        return;
    };
    for rule in local
        .rules()
        .iter()
        .filter(|r| r.origin == govshare::RuleOrigin::Local)
    {
        assert_eq!(
            rule.effect,
            govshare::RuleEffect::Forbid,
            "a local permit was loaded"
        );
        assert!(!rule.id.starts_with("GS-"));
    }
    for request in [
        include_str!("../../examples/data/requests/01-allow.json"),
        include_str!("../../examples/data/requests/02-scope-expansion.json"),
        include_str!("../../examples/data/requests/03-purpose-change.json"),
        include_str!("../../examples/data/requests/04-period-ended.json"),
        include_str!("../../examples/data/requests/05-third-party.json"),
    ] {
        let request = UsageRequest::from_json(request).unwrap();
        let base = engine().evaluate(&request, demo());
        let with_local = local.evaluate(&request, demo());
        if with_local.is_allow() {
            assert!(
                base.is_allow(),
                "a local policy turned a deny into an allow"
            );
        }
    }
}
