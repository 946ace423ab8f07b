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

/// Where a generated department sits: its region (GB/T 2260, or none) and
/// its level.
const REGIONS: [Option<&str>; 6] = [
    Some("330100"),
    Some("330106"),
    Some("330200"),
    Some("320100"),
    Some("330000"),
    None,
];
const LEVELS: [&str; 4] = ["provincial", "municipal", "county", "township"];
/// Region codes a conditional entry's scope may name: provinces, cities,
/// a district.
const SCOPE_REGIONS: [&str; 5] = ["330000", "330100", "330200", "320000", "330106"];
const DEPARTMENTS: [&str; 4] = ["d0", "d1", "d2", "d3"];

/// The structured conditions of a conditional entry, each key present or
/// not.
fn conditions() -> impl Strategy<Value = Value> {
    (
        prop::option::weighted(0.5, subsequence(&SCOPE_REGIONS[..], 1..=2)),
        prop::option::weighted(0.3, subsequence(&LEVELS[..], 1..=3)),
        prop::option::weighted(0.2, subsequence(&DEPARTMENTS[..], 1..=3)),
        prop::option::weighted(0.4, subsequence(&["a", "a.b", "x"][..], 1..=2)),
    )
        .prop_map(|(regions, levels, departments, purposes)| {
            let mut c = json!({});
            for (key, value) in [
                ("regions", regions),
                ("levels", levels),
                ("departments", departments),
                ("purposes", purposes),
            ] {
                if let Some(v) = value {
                    c[key] = json!(v);
                }
            }
            c
        })
}

fn registry() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["published", "published", "published", "published", "published", "published", "published", "draft", "withdrawn"][..]),
        prop::sample::select(&["conditional", "unconditional", "conditional", "conditional", "unconditional", "conditional", "not_shared"][..]),
        prop::collection::vec(any::<u8>(), 1..=4).prop_flat_map(|seeds| {
            seeds.into_iter().enumerate().map(|(i, _)| grant(i)).collect::<Vec<_>>()
        }),
        (
            prop::collection::vec((0..REGIONS.len(), 0..LEVELS.len()), 4),
            prop::option::weighted(0.2, conditions()),
            prop::option::weighted(0.3, subsequence(&PURPOSES[..], 5..=PURPOSES.len())),
            prop::bool::weighted(0.03).prop_map(|unknown| if unknown { "p-unregistered" } else { "d3" }),
            prop::option::weighted(0.03, prop::sample::select(&["state_secret", "work_secret"][..])),
        ),
    )
        .prop_map(|(status, class, grants, (places, conditions, vocabulary, provider, secret))| {
            let mut sharing = match class {
                "conditional" => json!({"class": "conditional", "scope": "本市", "uses": ["审批"]}),
                "not_shared" => json!({"class": "not_shared", "reason": "保密", "basis": {"kind": "law", "citation": "《某法》"}}),
                _ => json!({"class": "unconditional"}),
            };
            if let (Some(c), "conditional") = (conditions, class) {
                sharing["conditions"] = c;
            }
            let departments: Vec<Value> = places
                .iter()
                .enumerate()
                .map(|(i, &(region, level))| {
                    let mut d = json!({"id": format!("d{i}"), "name": format!("部门{i}"), "level": LEVELS[level]});
                    if let Some(r) = REGIONS[region] {
                        d["region"] = json!(r);
                    }
                    d
                })
                .collect();
            let mut dataset = json!({"id": "ds", "name": "数据集", "provider": provider, "status": status,
                          "items": ITEMS.iter().map(|i| json!({"name": i, "grade": "general"})).collect::<Vec<_>>(),
                          "sharing": sharing, "methods": METHODS, "format": "database", "update_frequency": "daily"});
            if let Some(kind) = secret {
                dataset["secret"] = json!(kind);
            }
            let mut registry = json!({
                "departments": departments,
                "datasets": [dataset],
                "grants": grants,
            });
            if let Some(codes) = vocabulary {
                registry["purposes"] = codes.iter().map(|c| json!({"code": c, "name": format!("目的 {c}")})).collect();
            }
            registry
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

const ACTIVITIES: [&str; 3] = ["storage", "processing", "operation"];

/// A contractor entry (Art. 36) for the generated registry: of one of the
/// departments, entrusted with the dataset or another entry, some
/// activities, a contract period among the grants', with or without a
/// data-security agreement, now and then entrusted later and ended through
/// its history.
fn contractor(id: usize) -> impl Strategy<Value = Value> {
    (
        0..4usize,
        prop::bool::weighted(0.85),
        subsequence(&ACTIVITIES[..], 1..=ACTIVITIES.len()),
        (-400i64..4000, 1i64..6000, 0..4usize),
        prop::bool::weighted(0.85),
        prop::option::weighted(0.25, 0i64..3000),
        prop::option::weighted(0.25, 0i64..3000),
    )
        .prop_map(
            move |(department, on_ds, activities, (from, len, off), agreement, entrusted, ended)| {
                let by = format!("d{department}");
                let mut history = Vec::new();
                let mut last = from;
                if let Some(e) = entrusted {
                    last = from + e;
                    history.push(json!({"at": instant(last, off), "by": by, "change": {"kind": "entrusted"}}));
                }
                if let Some(e) = ended {
                    // Never dated past the clock that loads it.
                    let at = (last + e).min(8000);
                    history.push(json!({"at": instant(at, off + 2), "by": by, "change": {"kind": "ended"}}));
                }
                json!({"id": format!("c{id}"), "name": format!("公司{id}"), "uscc": "91330106MA2H0CLD14",
                       "department": by,
                       "contract": {"id": format!("HT-{id}"), "valid_from": instant(from, off),
                                    "valid_until": instant(from + len, off + 1),
                                    "security_agreement": agreement},
                       "datasets": [if on_ds { "ds" } else { "ds-other" }],
                       "activities": activities, "history": history})
            },
        )
}

/// A case whose request names a processor: one of the generated
/// contractors, often fitted to the request (the requester's, entrusted
/// with the dataset and an activity covering the action, with a contract
/// around the time of use and a security agreement, each fitted or not on
/// its own), or an id no contractor has.
fn processor_case() -> impl Strategy<Value = (Value, Value)> {
    (
        case(),
        prop::collection::vec(any::<u8>(), 1..=3).prop_flat_map(|seeds| {
            seeds
                .into_iter()
                .enumerate()
                .map(|(i, _)| contractor(i))
                .collect::<Vec<_>>()
        }),
        0..8usize,
        prop::collection::vec(prop::bool::weighted(0.85), 5),
        (1i64..3000, 1i64..3000),
    )
        .prop_map(
            |((mut reg, mut req), mut contractors, pick, fit, (before, after))| {
                let mut other = reg["datasets"][0].clone();
                other["id"] = json!("ds-other");
                reg["datasets"].as_array_mut().unwrap().push(other);
                let n = contractors.len();
                let processor = if pick == 7 {
                    "c-ghost".to_owned()
                } else {
                    let c = &mut contractors[pick % n];
                    let requester = req["requester"].as_str().unwrap().to_owned();
                    let registered = reg["departments"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|d| d["id"] == requester.as_str());
                    if fit[0] && registered {
                        c["department"] = json!(requester);
                        for e in c["history"].as_array_mut().unwrap() {
                            e["by"] = json!(requester);
                        }
                    }
                    if fit[1] {
                        let at = time(&req["at"]);
                        c["contract"]["valid_from"] =
                            json!((at - chrono::Duration::hours(before)).to_rfc3339());
                        c["contract"]["valid_until"] =
                            json!((at + chrono::Duration::hours(after)).to_rfc3339());
                    }
                    let dataset = req["dataset"].as_str().unwrap();
                    if fit[2] && (dataset == "ds" || dataset == "ds-other") {
                        c["datasets"] = json!([dataset]);
                    }
                    let activities = c["activities"].as_array_mut().unwrap();
                    if fit[3] && !activities.iter().any(|a| a == "processing") {
                        activities.push(json!("processing"));
                    }
                    if fit[4] {
                        c["contract"]["security_agreement"] = json!(true);
                    }
                    c["id"].as_str().unwrap().to_owned()
                };
                reg["contractors"] = json!(contractors);
                req["processor"] = json!(processor);
                (reg, req)
            },
        )
}

/// The conditions of Art. 36 a request's processor fails, worked out from
/// the JSON alone, in the order the rule's facts name them.
fn processor_fails(registry: &Value, request: &Value) -> Vec<&'static str> {
    let id = request["processor"].as_str().unwrap();
    let Some(c) = registry["contractors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
    else {
        return vec!["not_a_contractor"];
    };
    let mut failed = Vec::new();
    if c["department"] != request["requester"] {
        failed.push("other_requester");
    }
    if !strings(&c["datasets"]).contains(request["dataset"].as_str().unwrap()) {
        failed.push("dataset_not_entrusted");
    }
    let activities = strings(&c["activities"]);
    let covered = match request["action"].as_str().unwrap() {
        "access" => activities.contains("processing") || activities.contains("operation"),
        "use" => activities.contains("processing"),
        _ => false,
    };
    if !covered {
        failed.push("activity_not_covering");
    }
    // In force from the contract's start, no earlier than the recorded
    // entrustment, until the contract's end or the recorded end of the
    // entrustment once that has come.
    let at = time(&request["at"]);
    let event = |kind: &str| {
        c["history"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["change"]["kind"] == kind)
            .map(|e| time(&e["at"]))
    };
    let mut from = time(&c["contract"]["valid_from"]);
    let mut until = time(&c["contract"]["valid_until"]);
    if let Some(e) = event("entrusted") {
        from = from.max(e);
    }
    if let Some(e) = event("ended").filter(|e| *e <= at) {
        until = until.min(e);
    }
    if !(from <= at && at < until) {
        failed.push("contract_not_in_force");
    }
    if c["contract"]["security_agreement"] != true {
        failed.push("no_security_agreement");
    }
    failed
}

/// A decision's rule ids without the processor's.
fn without_processor_rule(decision: &Decision) -> Vec<String> {
    decision
        .rule_ids()
        .into_iter()
        .filter(|r| *r != "GS-PROCESSOR-NOT-ENTRUSTED")
        .map(str::to_owned)
        .collect()
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

/// GB/T 2260 containment, stated independently of the library: a
/// province's code (`xx0000`) covers the codes of its first two digits, a
/// prefecture's (`xxyy00`) those of its first four, any code itself.
fn region_covers(outer: &str, inner: &str) -> bool {
    outer == inner
        || (outer.ends_with("0000") && inner.get(..2) == outer.get(..2))
        || (outer.ends_with("00") && inner.get(..4) == outer.get(..4))
}

/// The registered codes, when the registry has a purpose vocabulary.
fn vocabulary(registry: &Value) -> Option<BTreeSet<String>> {
    registry.get("purposes").map(|ps| {
        ps.as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap().to_owned())
            .collect()
    })
}

/// The codes a stated purpose counts as within: itself and its ancestors;
/// with a vocabulary, only registered ones and none when it is not
/// registered.
fn counted_within(registry: &Value, stated: &str) -> BTreeSet<String> {
    let mut lineage = BTreeSet::new();
    let mut code = stated;
    loop {
        lineage.insert(code.to_owned());
        match code.rfind('.') {
            Some(i) => code = &code[..i],
            None => break,
        }
    }
    match vocabulary(registry) {
        Some(v) if v.contains(stated) => lineage.intersection(&v).cloned().collect(),
        Some(_) => BTreeSet::new(),
        None => lineage,
    }
}

/// The dataset's structured conditions, when it is a conditional entry
/// that states them.
fn entry_conditions<'a>(registry: &'a Value, request: &Value) -> Option<&'a Value> {
    let d = &registry["datasets"][0];
    (d["id"] == request["dataset"] && d["sharing"]["class"] == "conditional")
        .then(|| d["sharing"].get("conditions"))
        .flatten()
}

/// Whether a registered requester lies inside a stated scope; `None` when
/// no scope dimension is stated or the requester is not registered.
fn inside_scope(registry: &Value, request: &Value) -> Option<bool> {
    let c = entry_conditions(registry, request)?;
    if ["regions", "levels", "departments"]
        .iter()
        .all(|k| c.get(k).is_none())
    {
        return None;
    }
    let dept = registry["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == request["requester"])?;
    let region = dept.get("region").and_then(Value::as_str);
    let regions_ok = c.get("regions").is_none_or(|rs| {
        region.is_some_and(|r| strings(rs).iter().any(|outer| region_covers(outer, r)))
    });
    let levels_ok = c
        .get("levels")
        .is_none_or(|ls| strings(ls).contains(dept["level"].as_str().unwrap()));
    let departments_ok = c
        .get("departments")
        .is_none_or(|ds| strings(ds).contains(dept["id"].as_str().unwrap()));
    Some(regions_ok && levels_ok && departments_ok)
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
            // With a vocabulary, "under" counts only between registered codes.
            let within = !counted_within(&reg, stated).is_disjoint(&granted);
            if !within {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-PURPOSE-CHANGE"), "{:?}", decision.rule_ids());
            } else {
                prop_assert!(!has(&decision, "GS-PURPOSE-CHANGE"));
            }
        }
    }

    #[test]
    fn a_purpose_that_is_not_registered_never_allows((reg, req) in case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        let stated = req["purpose"].as_str().unwrap();
        match vocabulary(&reg) {
            Some(v) if !v.contains(stated) => {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-UNREGISTERED-PURPOSE"), "{:?}", decision.rule_ids());
                if decision.grant().is_some() && !has(&decision, "GS-NO-GRANT") {
                    prop_assert!(has(&decision, "GS-PURPOSE-CHANGE"), "{:?}", decision.rule_ids());
                }
            }
            _ => prop_assert!(!has(&decision, "GS-UNREGISTERED-PURPOSE")),
        }
        // An allow under a vocabulary rests on registered codes only.
        if decision.is_allow() && let Some(v) = vocabulary(&reg) {
            let g = reg["grants"].as_array().unwrap().iter().find(|g| g["id"] == decision.grant().unwrap().as_str()).unwrap();
            let mut granted = consented(g, "purpose", &req);
            granted.insert(g["purpose"].as_str().unwrap().to_owned());
            prop_assert!(v.contains(stated));
            let rests_on_registered = granted
                .iter()
                .any(|p| v.contains(p) && (stated == p || stated.starts_with(&format!("{p}."))));
            prop_assert!(rests_on_registered);
        }
    }

    #[test]
    fn the_entry_rules_follow_the_entry_and_the_requester((reg, req) in case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        // Art. 14–15: a registered requester outside a stated scope.
        match inside_scope(&reg, &req) {
            Some(false) => {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-OUTSIDE-SHARING-SCOPE"), "{:?}", decision.rule_ids());
            }
            _ => prop_assert!(!has(&decision, "GS-OUTSIDE-SHARING-SCOPE"), "{:?}", decision.rule_ids()),
        }
        // Art. 14–15: a purpose outside the stated uses.
        let permitted = entry_conditions(&reg, &req).and_then(|c| c.get("purposes")).map(strings);
        let within = counted_within(&reg, req["purpose"].as_str().unwrap());
        match permitted {
            Some(p) if p.is_disjoint(&within) => {
                prop_assert!(!decision.is_allow());
                prop_assert!(has(&decision, "GS-USE-NOT-PERMITTED"), "{:?}", decision.rule_ids());
            }
            _ => prop_assert!(!has(&decision, "GS-USE-NOT-PERMITTED")),
        }
        // Art. 2–3: secrets and data of an unregistered provider.
        let d = &reg["datasets"][0];
        if d["id"] == req["dataset"] {
            let secret = d.get("secret").is_some();
            let unknown = !reg["departments"].as_array().unwrap().iter().any(|x| x["id"] == d["provider"]);
            prop_assert_eq!(has(&decision, "GS-SECRET-DATA"), secret);
            prop_assert_eq!(has(&decision, "GS-UNKNOWN-PROVIDER"), unknown);
            if secret || unknown {
                prop_assert!(!decision.is_allow());
            }
        }
    }

    #[test]
    fn region_containment_follows_the_division_codes(
        province in 11u32..66, city in 0u32..20, county in 0u32..30,
        other_city in 0u32..20, other_county in 0u32..30,
    ) {
        use govshare::RegionCode;
        let code = |p: u32, c: u32, k: u32| RegionCode::new(format!("{p:02}{c:02}{k:02}")).unwrap();
        let province_code = code(province, 0, 0);
        let city_code = code(province, city, 0);
        let place = code(province, city, county);
        let elsewhere = code(province, other_city, other_county);
        let other_province = code(province % 65 + 11 + u32::from(province % 65 + 11 == province), city, county);
        // A province covers every code of the province, a city every code
        // of the city, a code itself.
        prop_assert!(province_code.covers(&place) && province_code.covers(&elsewhere));
        prop_assert!(city_code.covers(&place));
        prop_assert!(place.covers(&place));
        prop_assert_eq!(city_code.covers(&elsewhere), city == 0 || other_city == city);
        prop_assert!(!province_code.covers(&other_province) || province_code == other_province);
        // Nothing smaller covers something larger.
        prop_assert!(!place.covers(&province_code) || place == province_code);
        // `covers` agrees with the lineage and with the oracle, both ways.
        for (a, b) in [(&province_code, &place), (&city_code, &elsewhere), (&place, &city_code), (&elsewhere, &place), (&other_province, &place)] {
            prop_assert_eq!(a.covers(b), b.lineage().contains(a));
            prop_assert_eq!(a.covers(b), region_covers(a.as_str(), b.as_str()));
        }
        // The lineage runs outward and every code in it covers the next ones.
        let lineage = place.lineage();
        prop_assert_eq!(lineage.first(), Some(&place));
        prop_assert_eq!(lineage.last(), Some(&province_code));
        for w in lineage.windows(2) {
            prop_assert!(w[1].covers(&w[0]) && w[0] != w[1]);
        }
    }

    #[test]
    fn under_counts_only_between_registered_codes(
        registered in subsequence(&PURPOSES[..], 0..=PURPOSES.len()),
        stated in prop::sample::select(&PURPOSES[..]),
        granted in prop::sample::select(&PURPOSES[..]),
    ) {
        use govshare::{Purpose, PurposeCode, PurposeVocabulary};
        let code = |s: &str| PurposeCode::new(s).unwrap();
        let vocabulary = PurposeVocabulary::new(
            registered.iter().map(|c| Purpose { code: code(c), name: (*c).to_owned(), parent: None, basis: None }).collect(),
        ).unwrap();
        let (s, g) = (code(stated), code(granted));
        prop_assert_eq!(
            vocabulary.is_within(&s, &g),
            registered.contains(&stated) && registered.contains(&granted) && s.is_within(&g)
        );
        // What a stated purpose counts as within is registered, and empty
        // for an unregistered purpose.
        let within = vocabulary.within(&s);
        prop_assert!(within.iter().all(|c| registered.contains(c)));
        prop_assert_eq!(within.is_empty(), !registered.contains(&stated));
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

    /// A processor adds a condition and takes nothing away: every other
    /// rule judges the request as the requester's, against the same grant,
    /// so a request through a processor is never allowed where the
    /// requester alone is denied (Art. 36).
    #[test]
    fn a_processor_never_allows_where_the_requester_alone_is_denied((reg, req) in processor_case()) {
        let registry = load(&reg);
        let through = engine().evaluate(&parse(&req), &registry);
        let mut alone_req = req.clone();
        alone_req.as_object_mut().unwrap().remove("processor");
        let alone = engine().evaluate(&parse(&alone_req), &registry);
        if through.is_allow() {
            prop_assert!(alone.is_allow(), "allowed through {} but not alone: {:?}", req["processor"], alone.rule_ids());
        }
        prop_assert_eq!(through.grant(), alone.grant());
        if alone.is_allow() {
            prop_assert!(
                through.is_allow() || through.rule_ids() == ["GS-PROCESSOR-NOT-ENTRUSTED"],
                "{:?}", through.rule_ids()
            );
        } else {
            prop_assert_eq!(without_processor_rule(&through), without_processor_rule(&alone));
        }
    }

    /// The processor's rule fires exactly when a condition of its
    /// entrustment fails, and its facts name each that does; an allow
    /// through a processor lies inside its contract's period and carries
    /// the duty to supervise it.
    #[test]
    fn a_processor_acts_only_within_its_entrustment_and_period((reg, req) in processor_case()) {
        let decision = engine().evaluate(&parse(&req), &load(&reg));
        let failed = processor_fails(&reg, &req);
        let reason = decision
            .reasons()
            .iter()
            .find(|r| r.rule == "GS-PROCESSOR-NOT-ENTRUSTED");
        prop_assert_eq!(reason.is_some(), !failed.is_empty(), "{:?} {:?}", failed, decision.rule_ids());
        if let Some(r) = reason {
            prop_assert_eq!(&r.facts["failed"], &json!(failed));
            prop_assert_eq!(&r.facts["processor"], &req["processor"]);
        }
        let ids: Vec<&str> = decision.obligations().iter().map(|o| o.obligation.as_str()).collect();
        if decision.is_allow() {
            prop_assert!(failed.is_empty(), "allowed outside the entrustment: {:?}", failed);
            prop_assert_eq!(ids, vec!["GS-OBL-RECORD-USE", "GS-OBL-DISPOSE", "GS-OBL-SUPERVISE-PROCESSOR"]);
            let supervise = &decision.obligations()[2];
            prop_assert_eq!(&supervise.facts["contractor"], &req["processor"]);
        } else {
            prop_assert!(!ids.contains(&"GS-OBL-SUPERVISE-PROCESSOR"));
        }
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
    let mut failed_seen = BTreeSet::new();
    let mut through = 0;
    for _ in 0..2000 {
        let (reg, req) = processor_case().new_tree(&mut runner).unwrap().current();
        let d = engine().evaluate(&parse(&req), &load(&reg));
        if d.is_allow() {
            through += 1;
        }
        seen.extend(d.rule_ids().into_iter().map(str::to_owned));
        failed_seen.extend(processor_fails(&reg, &req));
    }
    assert!(
        through >= 60,
        "only {through} allows through a processor: the properties would test little"
    );
    for rule in govshare::StatutoryRule::CATALOG.map(|r| r.as_str()) {
        assert!(seen.contains(rule), "the generators never reach {rule}");
    }
    for code in [
        "not_a_contractor",
        "other_requester",
        "dataset_not_entrusted",
        "activity_not_covering",
        "contract_not_in_force",
        "no_security_agreement",
    ] {
        assert!(
            failed_seen.contains(code),
            "the generators never fail a processor by {code}"
        );
    }
}
