//! Properties over generated registries and requests: the statutory rules
//! hold whatever else a request says, and the library never allows by
//! accident.
//!
//! Reproduce a failure with `PROPTEST_RNG_SEED=<seed> cargo test --test
//! properties`; raise the number of cases with `PROPTEST_CASES=<n>`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use govshare::{Decision, Engine, Registry, UsageRequest};
use proptest::prelude::*;
use proptest::sample::subsequence;
use serde_json::{Value, json};

const ITEMS: [&str; 6] = ["i0", "i1", "i2", "i3", "i4", "i5"];
const PURPOSES: [&str; 7] = ["a", "a.b", "a.b.c", "a.bc", "a.b.c.d", "x", "x.y"];
const METHODS: [&str; 4] = [
    "service_interface",
    "bulk_exchange",
    "file_download",
    "other",
];
const RECIPIENTS: [&str; 3] = ["r0", "r1", "d1"];
const OFFSETS: [&str; 4] = ["+08:00", "Z", "-05:00", "+05:45"];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builder().build().unwrap())
}

/// An instant `hours` after 2025-09-01T00:00+08:00, written in one of
/// several offsets.
fn instant(hours: i64, offset: usize) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2025-09-01T00:00:00+08:00").unwrap();
    let t = base + chrono::Duration::hours(hours);
    let off = OFFSETS[offset % OFFSETS.len()];
    let fixed = match off {
        "Z" => chrono::FixedOffset::east_opt(0).unwrap(),
        "+08:00" => chrono::FixedOffset::east_opt(8 * 3600).unwrap(),
        "-05:00" => chrono::FixedOffset::west_opt(5 * 3600).unwrap(),
        _ => chrono::FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap(),
    };
    t.with_timezone(&fixed).to_rfc3339()
}

fn consent() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(&ITEMS[..])
            .prop_map(|v| json!({"kind": "item", "value": v, "at": "2025-10-01T00:00:00+08:00"})),
        prop::sample::select(&PURPOSES[..]).prop_map(
            |v| json!({"kind": "purpose", "value": v, "at": "2025-10-01T00:00:00+08:00"})
        ),
        prop::sample::select(&RECIPIENTS[..]).prop_map(
            |v| json!({"kind": "recipient", "value": v, "at": "2025-10-01T00:00:00+08:00"})
        ),
    ]
}

fn grant(id: usize) -> impl Strategy<Value = Value> {
    (
        0..4usize,
        prop::sample::select(&PURPOSES[..]),
        subsequence(&ITEMS[..], 1..=ITEMS.len()),
        subsequence(&METHODS[..], 1..=METHODS.len()),
        (-200i64..3000, 1i64..6000, 0..4usize),
        prop::sample::select(&["active", "active", "active", "active", "active", "active", "suspended", "terminated"][..]),
        prop::collection::vec(consent(), 0..4),
        prop::option::weighted(0.15, (0i64..8000, 0..4usize)),
        prop::option::weighted(0.08, (0i64..8000, 0..4usize)),
        prop::sample::select(&["ds", "ds", "ds", "ds", "ds", "ds", "other-ds"][..]),
    )
        .prop_map(move |(requester, purpose, items, methods, (from, len, off), status, consents, ended, disposed, dataset)| {
            let mut g = json!({
                "id": format!("g{id}"), "dataset": dataset, "requester": format!("d{requester}"),
                "purpose": purpose, "basis": "《某法》", "scenario": "场景",
                "items": items, "methods": methods,
                "valid_from": instant(from, off), "valid_until": instant(from + len, off + 1),
                "disposal": {"method": "delete", "within_working_days": 5}, "status": status,
                "consents": consents,
            });
            if let Some((h, o)) = ended {
                g["ended"] = json!({"trigger": "purpose_achieved", "at": instant(h, o)});
            }
            if let Some((h, o)) = disposed {
                g["disposed"] = json!({"method": "delete", "at": instant(h, o), "attested_by": "安全员"});
            }
            g
        })
}

fn registry() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["published", "published", "published", "published", "published", "published", "published", "draft", "withdrawn"][..]),
        prop::sample::select(&["conditional", "unconditional", "conditional", "conditional", "unconditional", "conditional", "not_shared"][..]),
        prop::collection::vec(any::<u8>(), 1..=4).prop_flat_map(|seeds| {
            seeds.into_iter().enumerate().map(|(i, _)| grant(i)).collect::<Vec<_>>()
        }),
    )
        .prop_map(|(status, class, grants)| {
            let sharing = match class {
                "conditional" => json!({"class": "conditional", "scope": "本市", "uses": ["审批"]}),
                "not_shared" => json!({"class": "not_shared", "reason": "保密", "basis": {"kind": "law", "citation": "《某法》"}}),
                _ => json!({"class": "unconditional"}),
            };
            json!({
                "departments": (0..4).map(|i| json!({"id": format!("d{i}"), "name": format!("部门{i}"), "level": "municipal"})).collect::<Vec<_>>(),
                "datasets": [{"id": "ds", "name": "数据集", "provider": "d3", "status": status,
                              "items": ITEMS.iter().map(|i| json!({"name": i, "grade": "general"})).collect::<Vec<_>>(),
                              "sharing": sharing, "methods": METHODS, "format": "database", "update_frequency": "daily"}],
                "grants": grants,
            })
        })
}

fn request() -> impl Strategy<Value = Value> {
    (
        0..5usize,
        prop::option::weighted(0.6, 0..5usize),
        prop::sample::select(&["access", "use", "transfer"][..]),
        prop::sample::select(&METHODS[..]),
        prop::sample::select(&PURPOSES[..]),
        subsequence(&ITEMS[..], 1..=ITEMS.len()),
        (-300i64..9000, 0..4usize),
        prop::sample::select(&RECIPIENTS[..]),
        prop::sample::select(&["ds", "ds", "ds", "ds", "other-ds"][..]),
    )
        .prop_map(|(requester, grant, action, method, purpose, items, (at, off), recipient, dataset)| {
            let mut r = json!({"requester": format!("d{requester}"), "dataset": dataset, "action": action,
                               "purpose": purpose, "items": items, "at": instant(at, off)});
            if let Some(g) = grant {
                r["grant"] = json!(format!("g{g}"));
            }
            match action {
                "access" => r["method"] = json!(method),
                "transfer" => r["recipient"] = json!(recipient),
                _ => {}
            }
            r
        })
}

/// A registry and a request, the request often shaped after one of the
/// registry's grants (so allows are common) and then disturbed in a few
/// random ways (so every rule is reached near an allow).
fn case() -> impl Strategy<Value = (Value, Value)> {
    (
        registry(),
        request(),
        any::<bool>(),
        any::<usize>(),
        prop::collection::vec(prop::bool::weighted(0.12), 8),
    )
        .prop_map(|(reg, random, conform, pick, disturb)| {
            if !conform {
                return (reg, random);
            }
            let grants = reg["grants"].as_array().unwrap();
            let g = &grants[pick % grants.len()];
            let mut req = random.clone();
            req["requester"] = g["requester"].clone();
            req["dataset"] = g["dataset"].clone();
            if pick % 2 == 0 {
                req["grant"] = g["id"].clone();
            } else if let Some(r) = req.as_object_mut() {
                r.remove("grant");
            }
            req["purpose"] = if pick % 3 == 0 {
                json!(format!("{}.z", g["purpose"].as_str().unwrap()))
            } else {
                g["purpose"].clone()
            };
            let items = g["items"].as_array().unwrap();
            req["items"] = json!(items[..1 + pick % items.len()]);
            let from = time(&g["valid_from"]);
            let until = time(&g["valid_until"]);
            req["at"] = json!((from + (until - from) / 2).to_rfc3339());
            match req["action"].as_str().unwrap() {
                "access" => req["method"] = g["methods"][0].clone(),
                "transfer" => {
                    if let Some(r) = consented(g, "recipient", &req).into_iter().next() {
                        req["recipient"] = json!(r);
                    }
                }
                _ => {}
            }
            for (i, flip) in disturb.iter().enumerate() {
                if !flip {
                    continue;
                }
                let key = [
                    "requester",
                    "dataset",
                    "purpose",
                    "items",
                    "at",
                    "method",
                    "recipient",
                    "grant",
                ][i];
                match (random.get(key), req.get(key)) {
                    (Some(v), Some(_)) => req[key] = v.clone(),
                    (Some(v), None) if key == "grant" => req[key] = v.clone(),
                    _ => {}
                }
            }
            (reg, req)
        })
}

fn load(registry: &Value) -> Registry {
    Registry::from_json_str(&registry.to_string()).unwrap()
}

fn parse(request: &Value) -> UsageRequest {
    UsageRequest::from_json(&request.to_string()).unwrap()
}

/// The grant a request names, when it exists and is for the request's
/// dataset (otherwise the request is judged against no grant).
fn named_grant<'a>(registry: &'a Value, request: &Value) -> Option<&'a Value> {
    let id = request.get("grant")?.as_str()?;
    registry["grants"]
        .as_array()?
        .iter()
        .find(|g| g["id"] == id && g["dataset"] == request["dataset"])
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The values of `kind` the provider consented to by the time of `request`
/// (a consent counts from its own time).
fn consented(grant: &Value, kind: &str, request: &Value) -> BTreeSet<String> {
    let at = time(&request["at"]);
    grant["consents"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|c| c["kind"] == kind && time(&c["at"]) <= at)
                .filter_map(|c| c["value"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn time(v: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap()
}

fn has(decision: &Decision, rule: &str) -> bool {
    decision.rule_ids().contains(&rule)
}

/// The parts of a decision that must not vary: everything but its id and
/// the time it was made.
fn essence(
    d: &Decision,
) -> (
    govshare::Outcome,
    Option<String>,
    Vec<govshare::Reason>,
    Vec<govshare::Obligation>,
) {
    (
        d.outcome(),
        d.grant().map(ToString::to_string),
        d.reasons().to_vec(),
        d.obligations().to_vec(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn items_outside_the_grant_and_its_consents_are_denied((reg, req) in case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        if let Some(g) = named_grant(&reg, &req) {
            let mut allowed = strings(&g["items"]);
            allowed.extend(consented(g, "item", &req));
            if !strings(&req["items"]).is_subset(&allowed) {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-SCOPE-EXPANSION"), "{:?}", decision.rule_ids());
            }
        }
    }

    #[test]
    fn a_purpose_outside_the_granted_ones_is_denied((reg, req) in case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        if let Some(g) = named_grant(&reg, &req) {
            let mut granted = consented(g, "purpose", &req);
            granted.insert(g["purpose"].as_str().unwrap().to_owned());
            let stated = req["purpose"].as_str().unwrap();
            let within = granted.iter().any(|p| stated == p || stated.starts_with(&format!("{p}.")));
            if !within {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-PURPOSE-CHANGE"), "{:?}", decision.rule_ids());
            } else {
                prop_assert!(!has(&decision, "GS-PURPOSE-CHANGE"));
            }
        }
    }

    #[test]
    fn nothing_is_allowed_once_the_period_or_the_purpose_has_ended((reg, req) in case()) {
        let registry = load(&reg);
        let decision = engine().evaluate(&parse(&req), &registry);
        let at = time(&req["at"]);
        // Whichever grant the decision names, none may have ended.
        if let Some(id) = decision.grant() {
            let g = reg["grants"].as_array().unwrap().iter().find(|g| g["id"] == id.as_str()).unwrap();
            if at >= time(&g["valid_until"]) {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-PERIOD-ENDED"));
            }
            if g.get("ended").is_some() && at >= time(&g["ended"]["at"]) {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-PURPOSE-ENDED"));
            }
        }
        // And an allow means some grant of the requester was in force.
        if decision.is_allow() {
            let g = reg["grants"].as_array().unwrap().iter().find(|g| g["id"] == decision.grant().unwrap().as_str()).unwrap();
            prop_assert!(at < time(&g["valid_until"]) && at >= time(&g["valid_from"]));
            prop_assert_eq!(&g["requester"], &req["requester"]);
            prop_assert_eq!(&g["status"], "active");
        }
    }

    #[test]
    fn a_transfer_to_an_unconsented_recipient_is_denied((reg, req) in case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        if req["action"] == "transfer" {
            if let Some(g) = named_grant(&reg, &req)
                && !consented(g, "recipient", &req).contains(req["recipient"].as_str().unwrap())
            {
                prop_assert!(has(&decision, "GS-THIRD-PARTY"), "{:?}", decision.rule_ids());
            }
            if decision.is_allow() {
                let g = reg["grants"].as_array().unwrap().iter().find(|g| g["id"] == decision.grant().unwrap().as_str()).unwrap();
                prop_assert!(consented(g, "recipient", &req).contains(req["recipient"].as_str().unwrap()));
            }
        }
    }

    #[test]
    fn a_local_forbid_never_turns_a_deny_into_an_allow((reg, req) in case(), which in 0..4usize) {
        static LOCAL: OnceLock<Vec<Engine>> = OnceLock::new();
        let locals = LOCAL.get_or_init(|| {
            [
                r#"forbid (principal, action, resource) when { context.items.contains("i0") };"#,
                r#"forbid (principal, action == Govshare::Action::"transfer", resource);"#,
                r#"forbid (principal, action, resource) when { context has grant && context.grant.status == "active" && context.at > 0 };"#,
                r#"forbid (principal, action, resource) when { context.purpose_lineage.contains("x") };"#,
            ]
            .iter()
            .enumerate()
            .map(|(i, body)| {
                Engine::builder()
                    .local_policies(format!("local-{i}.cedar"), format!("@id(\"LOCAL-{i}\") @articles(\"25\") @zh(\"地方规则\") @en(\"local rule\")\n{body}"))
                    .build()
                    .unwrap()
            })
            .collect()
        });
        let registry = load(&reg);
        let request = parse(&req);
        let base = engine().evaluate(&request, &registry);
        let local = locals[which].evaluate(&request, &registry);
        if !base.is_allow() {
            prop_assert!(!local.is_allow());
        }
        if local.is_allow() {
            prop_assert!(base.is_allow());
        }
    }

    #[test]
    fn order_of_grants_items_and_consents_does_not_matter((reg, req) in case(), seed in any::<u64>()) {
        let mut shuffled = reg.clone();
        let mut rng = seed;
        let mut next = move |n: usize| { rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (rng >> 33) as usize % n.max(1) };
        let grants = shuffled["grants"].as_array_mut().unwrap();
        for i in (1..grants.len()).rev() { let j = next(i + 1); grants.swap(i, j); }
        for g in grants.iter_mut() {
            for key in ["consents", "items", "methods"] {
                if let Some(a) = g[key].as_array_mut() {
                    for i in (1..a.len()).rev() { let j = next(i + 1); a.swap(i, j); }
                }
            }
        }
        let mut req2 = req.clone();
        let items = req2["items"].as_array_mut().unwrap();
        for i in (1..items.len()).rev() { let j = next(i + 1); items.swap(i, j); }
        let a = engine().evaluate(&parse(&req), &load(&reg));
        let b = engine().evaluate(&parse(&req2), &load(&shuffled));
        prop_assert_eq!(a.outcome(), b.outcome());
        prop_assert_eq!(a.rule_ids(), b.rule_ids());
        prop_assert_eq!(a.grant(), b.grant());
        prop_assert_eq!(a.obligations(), b.obligations());
    }

    #[test]
    fn the_same_request_gets_the_same_decision((reg, req) in case()) {
        let registry = load(&reg);
        let request = parse(&req);
        let a = engine().evaluate(&request, &registry);
        let b = engine().evaluate(&request, &registry);
        prop_assert_eq!(essence(&a), essence(&b));
        prop_assert_ne!(a.decision_id(), b.decision_id());
    }

    #[test]
    fn decisions_registries_and_requests_round_trip_through_json((reg, req) in case()) {
        let registry = load(&reg);
        let again = Registry::from_json_str(&registry.to_json()).unwrap();
        prop_assert_eq!(again.to_json(), registry.to_json());
        let request = parse(&req);
        prop_assert_eq!(&UsageRequest::from_json(&request.to_json()).unwrap(), &request);
        let decision = engine().evaluate(&request, &registry);
        prop_assert_eq!(serde_json::from_str::<Decision>(&decision.to_json()).unwrap(), decision);
    }

    #[test]
    fn an_allow_always_carries_the_duty_to_record((reg, req) in case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        if decision.is_allow() {
            prop_assert_eq!(decision.rule_ids(), vec!["GS-PERMIT"]);
            let ids: Vec<&str> = decision.obligations().iter().map(|o| o.obligation.as_str()).collect();
            prop_assert!(ids.contains(&"GS-OBL-RECORD-USE"));
            prop_assert!(ids.contains(&"GS-OBL-DISPOSE"));
        } else {
            prop_assert!(!decision.reasons().is_empty());
            prop_assert!(!decision.rule_ids().contains(&"GS-PERMIT"));
        }
    }
}

#[test]
fn the_generators_reach_allows_and_every_rule() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    let mut allows = 0;
    for _ in 0..4000 {
        let (reg, req) = case().new_tree(&mut runner).unwrap().current();
        let d = engine().evaluate(&parse(&req), &load(&reg));
        if d.is_allow() {
            allows += 1;
        }
        seen.extend(d.rule_ids().into_iter().map(str::to_owned));
    }
    assert!(
        allows >= 300,
        "only {allows} allows: the properties would test little"
    );
    for rule in govshare::StatutoryRule::CATALOG.map(|r| r.as_str()) {
        assert!(seen.contains(rule), "the generators never reach {rule}");
    }
}
