//! The decision cache is exact: on generated registries (with contractors
//! entrusted by the requesters), requests (some through a processor), times
//! (every time boundary of the records, contracts included, one
//! microsecond either side, and sub-microsecond instants) and changes to
//! the records between requests, an engine with the cache and one without
//! give the same decisions, ids and decision times aside. So does an
//! engine with only the record cache (the grants' and contractors' Cedar
//! records), kept small so that its entries are evicted and built again;
//! the cached engine has both caches, the engine without caches neither.
//!
//! One cached engine serves every case, so entries made on one registry
//! are looked up again on the next: a stale entry would show as a
//! difference. Reproduce a failure with `PROPTEST_RNG_SEED=<seed> cargo
//! test --test decision_cache`; raise the number of cases with
//! `PROPTEST_CASES=<n>`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset};
use govshare::lifecycle::{Change, Transition};
use govshare::{
    CacheLimits, Contractor, ContractorId, Dataset, DatasetId, Decision, Department, DepartmentId,
    Engine, FactError, FactSource, Grant, GrantId, PurposeVocabulary, Registry, UsageRequest,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Value, json};

const ITEMS: [&str; 4] = ["i0", "i1", "i2", "i3"];
const PURPOSES: [&str; 6] = ["a", "a.b", "a.b.c", "a.z", "x", "y"];
const REQUESTERS: [&str; 5] = ["r0", "r1", "r2", "r3", "ghost"];
const DATASETS: [&str; 6] = ["ds0", "ds1", "ds2", "ds3", "ds4", "nods"];
const ACTIVITIES: [&str; 3] = ["storage", "processing", "operation"];
const PROCESSORS: [&str; 4] = ["c0", "c1", "c2", "c-ghost"];

fn cached() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let e = Engine::builder()
            .decision_cache(CacheLimits::new(4_096, 8 << 20))
            .record_cache(CacheLimits::RECORDS)
            .build()
            .unwrap();
        assert!(e.decision_cache_in_use());
        e
    })
}

fn uncached() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let e = Engine::builder()
            .decision_cache(CacheLimits::disabled())
            .record_cache(CacheLimits::disabled())
            .build()
            .unwrap();
        assert!(!e.decision_cache_in_use());
        assert!(e.record_cache_stats().is_none());
        e
    })
}

fn records_only() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let e = Engine::builder()
            .decision_cache(CacheLimits::disabled())
            .record_cache(CacheLimits::new(64, 1 << 20))
            .build()
            .unwrap();
        assert!(!e.decision_cache_in_use());
        assert!(e.record_cache_stats().is_some());
        e
    })
}

fn base() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00+08:00").unwrap()
}

/// Slot `k` of the time line: `k` days after the base, plus half a
/// microsecond on odd slots past 20 (so rounding to the microsecond
/// matters), written in +08:00 or UTC.
fn slot(k: u32) -> DateTime<FixedOffset> {
    let mut t = base() + Duration::days(i64::from(k));
    if k > 20 && k % 2 == 1 {
        t += Duration::nanoseconds(500);
    }
    if k.is_multiple_of(3) {
        t.with_timezone(&FixedOffset::east_opt(0).unwrap())
    } else {
        t
    }
}

fn text(t: DateTime<FixedOffset>) -> String {
    govshare::time::format_rfc3339(&t)
}

/// One grant's history, in order, and the status it leaves.
#[derive(Debug, Clone)]
enum History {
    None,
    Legacy { suspended: u32 },
    Suspended { from: u32, reinstated: Option<u32> },
    Terminated { at: u32 },
    Renewed { at: u32, until: u32 },
    Amended { at: u32, items: Vec<&'static str> },
    Approved { at: u32 },
}

#[derive(Debug, Clone)]
struct GrantSpec {
    requester: usize,
    dataset: usize,
    purpose: &'static str,
    items: Vec<&'static str>,
    bulk: bool,
    from: u32,
    until: u32,
    history: History,
    consents: Vec<(u32, &'static str, &'static str)>,
    ended: Option<u32>,
    disposed: Option<u32>,
}

fn grant_spec() -> impl Strategy<Value = GrantSpec> {
    let history = prop_oneof![
        Just(History::None),
        (0u32..40).prop_map(|suspended| History::Legacy { suspended }),
        (0u32..30, prop::option::of(1u32..10)).prop_map(|(from, r)| History::Suspended {
            from,
            reinstated: r.map(|d| from + d)
        }),
        (0u32..40).prop_map(|at| History::Terminated { at }),
        (0u32..30, 1u32..20).prop_map(|(at, d)| History::Renewed {
            at,
            until: at + 10 + d
        }),
        (0u32..40, subsequence(&ITEMS[..], 1..3))
            .prop_map(|(at, items)| History::Amended { at, items }),
        (0u32..20).prop_map(|at| History::Approved { at }),
    ];
    let consent = (
        0u32..40,
        prop_oneof![
            select(&ITEMS[..]).prop_map(|v| ("item", v)),
            select(&PURPOSES[..]).prop_map(|v| ("purpose", v)),
            select(&["r9", "r0"][..]).prop_map(|v| ("recipient", v)),
        ],
    )
        .prop_map(|(at, (kind, value))| (at, kind, value));
    (
        (0usize..3, 0usize..5, select(&PURPOSES[..])),
        (subsequence(&ITEMS[..], 1..4), any::<bool>()),
        (0u32..20, 1u32..30),
        history,
        prop::collection::vec(consent, 0..3),
        (prop::option::of(0u32..40), prop::option::of(0u32..40)),
    )
        .prop_map(
            |(
                (requester, dataset, purpose),
                (items, bulk),
                (from, len),
                history,
                consents,
                (ended, disposed),
            )| {
                GrantSpec {
                    requester,
                    dataset,
                    purpose,
                    items,
                    bulk,
                    from,
                    until: from + len,
                    history,
                    consents,
                    ended,
                    disposed,
                }
            },
        )
}

fn grant_json(i: usize, g: &GrantSpec) -> Value {
    let mut methods = vec!["service_interface"];
    if g.bulk {
        methods.push("bulk_exchange");
    }
    let mut v = json!({
        "id": format!("g{i}"), "dataset": DATASETS[g.dataset], "requester": REQUESTERS[g.requester],
        "purpose": g.purpose, "basis": "《某法》", "scenario": "核验", "items": g.items,
        "methods": methods, "valid_from": text(slot(g.from)), "valid_until": text(slot(g.until)),
        "disposal": {"method": "delete", "within_working_days": 10}, "status": "active",
    });
    let event =
        |at: u32, change: Value| json!({"at": text(slot(at)), "by": "p0", "change": change});
    match &g.history {
        History::None => {}
        History::Legacy { suspended } => {
            v["status"] = json!("suspended");
            v["suspension"] = json!({"violation": "scope_expansion", "at": text(slot(*suspended)),
                "correct_by": text(slot(suspended + 5)), "by": "p0", "reason": "越权"});
        }
        History::Suspended { from, reinstated } => {
            let mut h = vec![event(
                *from,
                json!({"kind": "suspended", "violation": "third_party", "correct_by": text(slot(from + 3))}),
            )];
            match reinstated {
                Some(r) => h.push(event(*r, json!({"kind": "reinstated"}))),
                None => v["status"] = json!("suspended"),
            }
            v["history"] = json!(h);
        }
        History::Terminated { at } => {
            v["status"] = json!("terminated");
            v["history"] = json!([event(*at, json!({"kind": "terminated"}))]);
        }
        History::Renewed { at, until } => {
            v["history"] = json!([event(
                *at,
                json!({"kind": "renewed", "valid_until": text(slot(*until))})
            )]);
        }
        History::Amended { at, items } => {
            v["history"] = json!([event(*at, json!({"kind": "amended", "items": items}))]);
        }
        History::Approved { at } => {
            v["history"] = json!([event(*at, json!({"kind": "approved"}))]);
        }
    }
    if !g.consents.is_empty() {
        v["consents"] = json!(
            g.consents
                .iter()
                .map(
                    |(at, kind, value)| json!({"kind": kind, "value": value, "at": text(slot(*at))})
                )
                .collect::<Vec<_>>()
        );
    }
    if let Some(e) = g.ended {
        v["ended"] = json!({"trigger": "purpose_achieved", "at": text(slot(e))});
    }
    if let Some(d) = g.disposed {
        v["disposed"] = json!({"method": "delete", "at": text(slot(d)), "attested_by": "安全员"});
    }
    v
}

/// A contractor entry: its department (a requester), the datasets and
/// activities it is entrusted with (or those of a grant's requester and
/// dataset, so that it holds the grant's data), its contract's period and
/// agreement, its recorded entrustment and end, and a disposal receipt for
/// the first grant of its department.
#[derive(Debug, Clone)]
struct ContractorSpec {
    mirror: Option<usize>,
    department: usize,
    datasets: Vec<&'static str>,
    activities: Vec<&'static str>,
    from: u32,
    until: u32,
    agreement: bool,
    entrusted: Option<u32>,
    ended: Option<u32>,
    disposed: Option<u32>,
}

fn contractor_spec() -> impl Strategy<Value = ContractorSpec> {
    (
        (
            prop::option::weighted(0.6, 0usize..5),
            0usize..4,
            subsequence(&DATASETS[..5], 1..3),
        ),
        (
            subsequence(&ACTIVITIES[..], 1..=3),
            prop::bool::weighted(0.8),
        ),
        (0u32..20, 1u32..30),
        (
            prop::option::weighted(0.3, 0u32..10),
            prop::option::weighted(0.3, 0u32..20),
            prop::option::weighted(0.2, 0u32..40),
        ),
    )
        .prop_map(
            |(
                (mirror, department, datasets),
                (activities, agreement),
                (from, len),
                (entrusted, ended, disposed),
            )| {
                let entrusted = entrusted.map(|d| from + d);
                ContractorSpec {
                    mirror,
                    department,
                    datasets,
                    activities,
                    from,
                    until: from + len,
                    agreement,
                    entrusted,
                    ended: ended.map(|d| entrusted.unwrap_or(from) + d),
                    disposed,
                }
            },
        )
}

fn contractor_json(i: usize, c: &ContractorSpec, grants: &[GrantSpec]) -> Value {
    let mirrored = c.mirror.and_then(|k| grants.get(k % grants.len().max(1)));
    let (department, datasets) = match mirrored {
        Some(g) => (g.requester, vec![DATASETS[g.dataset]]),
        None => (c.department, c.datasets.clone()),
    };
    let by = REQUESTERS[department];
    let mut history = Vec::new();
    if let Some(at) = c.entrusted {
        history.push(json!({"at": text(slot(at)), "by": by, "change": {"kind": "entrusted"}}));
    }
    if let Some(at) = c.ended {
        history.push(json!({"at": text(slot(at)), "by": by, "change": {"kind": "ended"}}));
    }
    let mut v = json!({"id": format!("c{i}"), "name": "某公司", "uscc": "91330106MA2H0CLD14",
        "department": by,
        "contract": {"id": format!("HT-{i}"), "valid_from": text(slot(c.from)),
                     "valid_until": text(slot(c.until)), "security_agreement": c.agreement},
        "datasets": datasets, "activities": c.activities, "history": history});
    let held = grants.iter().position(|g| g.requester == department);
    if let (Some(at), Some(g)) = (c.disposed, held) {
        v["disposals"] = json!([{"grant": format!("g{g}"), "method": "delete",
            "at": text(slot(at)), "attested_by": "安全员"}]);
    }
    v
}

#[derive(Debug, Clone)]
struct WorldSpec {
    grants: Vec<GrantSpec>,
    contractors: Vec<ContractorSpec>,
    vocabulary: bool,
    /// When ds2 is withdrawn.
    withdrawn: u32,
    /// r1's region: inside the scope of ds1 or not.
    r1_region: &'static str,
}

fn world_spec() -> impl Strategy<Value = WorldSpec> {
    (
        prop::collection::vec(grant_spec(), 1..5),
        prop::collection::vec(contractor_spec(), 0..4),
        any::<bool>(),
        0u32..40,
        select(&["330106", "330200"][..]),
    )
        .prop_map(
            |(grants, contractors, vocabulary, withdrawn, r1_region)| WorldSpec {
                grants,
                contractors,
                vocabulary,
                withdrawn,
                r1_region,
            },
        )
}

fn registry_json(w: &WorldSpec) -> Value {
    let items: Vec<Value> = ITEMS
        .iter()
        .map(|i| json!({"name": i, "grade": "general"}))
        .collect();
    let dataset = |id: &str, provider: &str, extra: Value| {
        let mut d = json!({"id": id, "name": "数据", "provider": provider, "status": "published",
            "items": items, "sharing": {"class": "unconditional"},
            "methods": ["service_interface", "bulk_exchange"], "format": "database",
            "update_frequency": "daily"});
        for (k, v) in extra.as_object().unwrap() {
            d[k] = v.clone();
        }
        d
    };
    let mut v = json!({
        "departments": [
            {"id": "p0", "name": "提供部门", "level": "municipal", "region": "330100"},
            {"id": "auth", "name": "主管部门", "level": "municipal", "region": "330100", "authority": true},
            {"id": "r0", "name": "甲", "level": "municipal", "region": "330100"},
            {"id": "r1", "name": "乙", "level": "county", "region": w.r1_region},
            {"id": "r2", "name": "丙", "level": "provincial", "region": "330000"},
            {"id": "r3", "name": "丁", "level": "county"}
        ],
        "datasets": [
            dataset("ds0", "p0", json!({})),
            dataset("ds1", "p0", json!({"sharing": {"class": "conditional", "scope": "本市", "uses": ["a"],
                "conditions": {"regions": ["330100"], "levels": ["municipal", "county"], "purposes": ["a"]}}})),
            dataset("ds2", "p0", json!({"status": "withdrawn", "withdrawn": {"at": text(slot(w.withdrawn)),
                "filed_with": "auth", "reason": "职责调整"}})),
            dataset("ds3", "p-gone", json!({})),
            dataset("ds4", "p0", json!({"secret": "work_secret"}))
        ],
        "grants": w.grants.iter().enumerate().map(|(i, g)| grant_json(i, g)).collect::<Vec<_>>(),
        "contractors": w.contractors.iter().enumerate()
            .map(|(i, c)| contractor_json(i, c, &w.grants)).collect::<Vec<_>>()
    });
    if w.vocabulary {
        v["purposes"] = json!(
            ["a", "a.b", "a.b.c", "x"]
                .iter()
                .map(|c| json!({"code": c, "name": c}))
                .collect::<Vec<_>>()
        );
    }
    v
}

#[derive(Debug, Clone)]
struct RequestSpec {
    /// Ask for a grant's requester and dataset rather than `requester` and
    /// `dataset`.
    mirror: Option<usize>,
    requester: usize,
    dataset: usize,
    grant: Option<usize>,
    action: usize,
    purpose: &'static str,
    items: Vec<&'static str>,
    processor: Option<&'static str>,
}

fn request_spec() -> impl Strategy<Value = RequestSpec> {
    (
        (prop::option::weighted(0.5, 0usize..5), 0usize..5, 0usize..6),
        prop::option::of(0usize..6),
        0usize..4,
        select(&PURPOSES[..]),
        subsequence(&ITEMS[..], 1..4),
        prop::option::weighted(0.5, select(&PROCESSORS[..])),
    )
        .prop_map(
            |((mirror, requester, dataset), grant, action, purpose, items, processor)| {
                RequestSpec {
                    mirror,
                    requester,
                    dataset,
                    grant,
                    action,
                    purpose,
                    items,
                    processor,
                }
            },
        )
}

fn request(r: &RequestSpec, w: &WorldSpec, at: DateTime<FixedOffset>) -> UsageRequest {
    let (requester, dataset) = match r.mirror.and_then(|k| w.grants.get(k % w.grants.len())) {
        Some(g) => (g.requester, g.dataset),
        None => (r.requester, r.dataset),
    };
    let mut v = json!({"requester": REQUESTERS[requester], "dataset": DATASETS[dataset],
        "purpose": r.purpose, "items": r.items, "at": text(at)});
    if let Some(g) = r.grant {
        v["grant"] = json!(format!("g{g}"));
    }
    if let Some(p) = r.processor {
        v["processor"] = json!(p);
    }
    match r.action {
        0 => {
            v["action"] = json!("access");
            v["method"] = json!("service_interface");
        }
        1 => {
            v["action"] = json!("access");
            v["method"] = json!("bulk_exchange");
        }
        2 => v["action"] = json!("use"),
        _ => {
            v["action"] = json!("transfer");
            v["recipient"] = json!("r9");
        }
    }
    UsageRequest::from_json(&v.to_string()).unwrap()
}

/// Every time a decision on the world compares with, one microsecond
/// either side, and a few in between.
fn times(w: &WorldSpec) -> Vec<DateTime<FixedOffset>> {
    let mut slots: Vec<u32> = vec![w.withdrawn, 0, 45];
    for g in &w.grants {
        slots.extend([g.from, g.until]);
        slots.extend(g.consents.iter().map(|c| c.0));
        slots.extend(g.ended);
        slots.extend(g.disposed);
        match &g.history {
            History::None => {}
            History::Legacy { suspended } => slots.push(*suspended),
            History::Suspended { from, reinstated } => {
                slots.push(*from);
                slots.extend(*reinstated);
            }
            History::Terminated { at } | History::Approved { at } => slots.push(*at),
            History::Renewed { at, until } => slots.extend([*at, *until]),
            History::Amended { at, .. } => slots.push(*at),
        }
    }
    for c in &w.contractors {
        slots.extend([c.from, c.until]);
        slots.extend(c.entrusted);
        slots.extend(c.ended);
        slots.extend(c.disposed);
    }
    slots.sort_unstable();
    slots.dedup();
    let micro = Duration::microseconds(1);
    let mut out = Vec::new();
    for k in slots {
        let t = slot(k);
        // The whole microsecond at or below a sub-microsecond instant comes
        // right after the instant before it, so that an entry made on one
        // is looked up on the other.
        let whole = t - Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos() % 1000));
        out.extend([t - micro, whole, t, t + micro, t + Duration::hours(12)]);
    }
    out
}

fn comparable(d: &Decision) -> Value {
    let mut v: Value = serde_json::from_str(&d.to_json()).unwrap();
    let o = v.as_object_mut().unwrap();
    assert!(o.remove("decision_id").is_some());
    assert!(o.remove("decided_at").is_some());
    v
}

fn agree<F: FactSource + ?Sized>(request: &UsageRequest, facts: &F) -> Result<(), TestCaseError> {
    let fresh = uncached().evaluate(request, facts);
    // Twice: the second is a hit whenever the first was stored.
    for _ in 0..2 {
        let cached = cached().evaluate(request, facts);
        prop_assert_eq!(
            comparable(&cached),
            comparable(&fresh),
            "cached and fresh disagree on {}",
            request.to_json()
        );
        prop_assert_ne!(cached.decision_id(), fresh.decision_id());
    }
    // Once: the engine is shared by every case, so its entries made on one
    // registry are looked up on the next.
    let records = records_only().evaluate(request, facts);
    prop_assert_eq!(
        comparable(&records),
        comparable(&fresh),
        "decisions with the record cache and fresh ones disagree on {}",
        request.to_json()
    );
    #[cfg(feature = "bench-internals")]
    agrees_with_the_authorizer(&fresh, request, facts)?;
    Ok(())
}

/// The engine evaluates its policies with Cedar's evaluator on conditions
/// prepared once; Cedar's public `Authorizer::is_authorized`, on the same
/// Cedar requests, must lead to the same outcome and the same rules: the
/// first candidate grant it allows, otherwise the one with the fewest
/// broken rules, ties to the first.
#[cfg(feature = "bench-internals")]
fn agrees_with_the_authorizer<F: FactSource + ?Sized>(
    decision: &Decision,
    request: &UsageRequest,
    facts: &F,
) -> Result<(), TestCaseError> {
    let engine = uncached();
    let Ok(requests) = engine.cedar_requests(request, facts) else {
        // The engine stopped before Cedar (facts it could not read).
        return Ok(());
    };
    if request.check().is_err() {
        return Ok(());
    }
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let mut chosen: Option<(bool, Vec<String>)> = None;
    for r in &requests {
        let response = authorizer.is_authorized(r, engine.cedar_policy_set(), &entities);
        prop_assert_eq!(response.diagnostics().errors().count(), 0);
        let mut rules: Vec<String> = response
            .diagnostics()
            .reason()
            .map(ToString::to_string)
            .collect();
        let allow = response.decision() == cedar_policy::Decision::Allow && rules == ["GS-PERMIT"];
        if allow {
            chosen = Some((true, Vec::new()));
            break;
        }
        rules.retain(|r| r != "GS-PERMIT");
        rules.sort();
        if chosen.as_ref().is_none_or(|(_, c)| rules.len() < c.len()) {
            chosen = Some((false, rules));
        }
    }
    let (allow, rules) = chosen.unwrap();
    prop_assert_eq!(decision.is_allow(), allow, "on {}", request.to_json());
    if !allow {
        let mut ours: Vec<String> = decision
            .rule_ids()
            .into_iter()
            .filter(|r| *r != "GS-DEFAULT-DENY")
            .map(str::to_owned)
            .collect();
        ours.sort();
        prop_assert_eq!(ours, rules, "on {}", request.to_json());
    }
    Ok(())
}

/// A host's source that keeps no digests and hands out copies, so the
/// engine digests every record itself.
struct Copies<'a>(&'a Registry);

impl FactSource for Copies<'_> {
    fn department(&self, id: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError> {
        Ok(self.0.get_department(id).cloned().map(Cow::Owned))
    }
    fn dataset(&self, id: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError> {
        Ok(self.0.get_dataset(id).cloned().map(Cow::Owned))
    }
    fn grant(&self, id: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError> {
        Ok(self.0.get_grant(id).cloned().map(Cow::Owned))
    }
    fn grants_for(
        &self,
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Ok(self
            .0
            .iter_grants_for(requester, dataset)
            .cloned()
            .map(Cow::Owned)
            .collect())
    }
    fn purposes(&self) -> Result<Option<Cow<'_, PurposeVocabulary>>, FactError> {
        Ok(self.0.purpose_vocabulary().cloned().map(Cow::Owned))
    }
    fn contractor(&self, id: &ContractorId) -> Result<Option<Cow<'_, Contractor>>, FactError> {
        Ok(self.0.get_contractor(id).cloned().map(Cow::Owned))
    }
    fn contractors_of(
        &self,
        department: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Contractor>>, FactError> {
        Ok(self
            .0
            .iter_contractors_of(department)
            .filter(|c| c.datasets.contains(dataset))
            .cloned()
            .map(Cow::Owned)
            .collect())
    }
}

/// A change to one record between requests.
#[derive(Debug, Clone)]
enum Edit {
    /// A further consent to grant `i` at slot `at`.
    Consent {
        grant: usize,
        at: u32,
        item: &'static str,
    },
    /// Grant `i`'s items narrowed to one.
    Narrow { grant: usize },
    /// r1 moves to another region.
    Move,
    /// The vocabulary added or dropped.
    Vocabulary,
    /// ds0 becomes conditional on the region of Hangzhou.
    Scope,
    /// Contractor `i`'s data-security agreement is signed or withdrawn.
    Agreement { contractor: usize },
    /// Contractor `i` is entrusted with one more activity, or one fewer.
    Activities { contractor: usize },
    /// Contractor `i`'s contract ends a day after it starts.
    Shorten { contractor: usize },
    /// Contractor `i`'s entrustment is ended on record at slot `at`.
    End { contractor: usize, at: u32 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..5, 0u32..40, select(&ITEMS[..])).prop_map(|(grant, at, item)| Edit::Consent {
            grant,
            at,
            item
        }),
        (0usize..5).prop_map(|grant| Edit::Narrow { grant }),
        Just(Edit::Move),
        Just(Edit::Vocabulary),
        Just(Edit::Scope),
        (0usize..4).prop_map(|contractor| Edit::Agreement { contractor }),
        (0usize..4).prop_map(|contractor| Edit::Activities { contractor }),
        (0usize..4).prop_map(|contractor| Edit::Shorten { contractor }),
        (0usize..4, 0u32..40).prop_map(|(contractor, at)| Edit::End { contractor, at }),
    ]
}

/// A change to a contractor entry only.
fn contractor_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..4).prop_map(|contractor| Edit::Agreement { contractor }),
        (0usize..4).prop_map(|contractor| Edit::Activities { contractor }),
        (0usize..4).prop_map(|contractor| Edit::Shorten { contractor }),
        (0usize..4, 0u32..40).prop_map(|(contractor, at)| Edit::End { contractor, at }),
    ]
}

fn apply(v: &mut Value, e: &Edit) {
    match e {
        Edit::Consent { grant, at, item } => {
            let grants = v["grants"].as_array_mut().unwrap();
            let n = grants.len();
            let g = &mut grants[grant % n];
            let mut consents = g["consents"].as_array().cloned().unwrap_or_default();
            consents.push(json!({"kind": "item", "value": item, "at": text(slot(*at))}));
            g["consents"] = json!(consents);
        }
        Edit::Narrow { grant } => {
            let grants = v["grants"].as_array_mut().unwrap();
            let n = grants.len();
            let g = &mut grants[grant % n];
            let first = g["items"][0].clone();
            g["items"] = json!([first]);
        }
        Edit::Move => {
            let r1 = &mut v["departments"][3];
            r1["region"] = json!(if r1["region"] == "330106" {
                "330200"
            } else {
                "330106"
            });
        }
        Edit::Vocabulary => {
            let o = v.as_object_mut().unwrap();
            if o.remove("purposes").is_none() {
                o.insert(
                    "purposes".into(),
                    json!([{"code": "a", "name": "a"}, {"code": "a.z", "name": "a.z"}]),
                );
            }
        }
        Edit::Scope => {
            v["datasets"][0]["sharing"] = json!({"class": "conditional", "scope": "本市", "uses": ["a"],
                "conditions": {"regions": ["330100"]}});
        }
        Edit::Agreement { contractor } => {
            let contractors = v["contractors"].as_array_mut().unwrap();
            let n = contractors.len();
            if n > 0 {
                let c = &mut contractors[contractor % n]["contract"]["security_agreement"];
                *c = json!(c != true);
            }
        }
        Edit::Shorten { contractor } => {
            let contractors = v["contractors"].as_array_mut().unwrap();
            let n = contractors.len();
            if n > 0 {
                let contract = &mut contractors[contractor % n]["contract"];
                let from =
                    DateTime::parse_from_rfc3339(contract["valid_from"].as_str().unwrap()).unwrap();
                contract["valid_until"] = json!(text(from + Duration::days(1)));
            }
        }
        Edit::End { contractor, at } => {
            let contractors = v["contractors"].as_array_mut().unwrap();
            let n = contractors.len();
            if n > 0 {
                let c = &mut contractors[contractor % n];
                let by = c["department"].clone();
                let history = c["history"].as_array_mut().unwrap();
                // One end at most, after the entrustment.
                if history.iter().all(|e| e["change"]["kind"] != "ended") {
                    let after = history
                        .iter()
                        .map(|e| DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap())
                        .max();
                    let end = slot(*at).max(after.unwrap_or(slot(0)));
                    history.push(json!({"at": text(end), "by": by, "change": {"kind": "ended"}}));
                }
            }
        }
        Edit::Activities { contractor } => {
            let contractors = v["contractors"].as_array_mut().unwrap();
            let n = contractors.len();
            if n > 0 {
                let a = contractors[contractor % n]["activities"]
                    .as_array_mut()
                    .unwrap();
                if a.len() > 1 {
                    a.pop();
                } else if a[0] == "storage" {
                    a.push(json!("operation"));
                } else {
                    a.push(json!("storage"));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn cached_and_fresh_decisions_agree(
        world in world_spec(),
        requests in prop::collection::vec(request_spec(), 1..6),
        edits in prop::collection::vec(edit(), 0..3),
        pivots in prop::collection::vec(any::<prop::sample::Index>(), 6),
    ) {
        let mut doc = registry_json(&world);
        let times = times(&world);
        for round in 0..=edits.len() {
            let registry = Registry::from_json_str(&doc.to_string()).unwrap();
            for (r, pivot) in requests.iter().zip(&pivots) {
                // The entry a round leaves for a request is the one of its
                // last time; the next round, after an edit, asks at that
                // time first, so a key that misses what the edit changed
                // answers from the entry made before it.
                let pivot = request(r, &world, times[pivot.index(times.len())]);
                if round > 0 {
                    agree(&pivot, &registry)?;
                }
                // Forward, then backward: each entry is looked up from
                // both sides of its interval.
                for at in times.iter().chain(times.iter().rev()) {
                    let req = request(r, &world, *at);
                    agree(&req, &registry)?;
                    if round == 0 && at.timestamp_subsec_nanos() == 0 {
                        agree(&req, &Copies(&registry))?;
                    }
                }
                agree(&pivot, &registry)?;
            }
            if let Some(e) = edits.get(round) {
                apply(&mut doc, e);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The same over worlds whose requests ask for a grant's requester and
    /// dataset, and whose edits change contractor entries only: what a
    /// decision reads of its processor and of the contractors holding the
    /// data is in its key.
    #[test]
    fn contractor_changes_reach_cached_decisions(
        world in world_spec(),
        requests in prop::collection::vec(request_spec(), 1..4),
        edits in prop::collection::vec(contractor_edit(), 1..4),
    ) {
        let mut doc = registry_json(&world);
        let times = times(&world);
        let requests: Vec<RequestSpec> = requests
            .into_iter()
            .enumerate()
            .map(|(i, r)| RequestSpec { mirror: Some(r.mirror.unwrap_or(i)), ..r })
            .collect();
        let mut previous = Registry::from_json_str(&doc.to_string()).unwrap();
        for e in &edits {
            apply(&mut doc, e);
            let registry = Registry::from_json_str(&doc.to_string()).unwrap();
            // At every time, the registry before the edit and then the one
            // after it: the second is answered from the entry the first
            // made, unless its key sees what the edit changed.
            for r in &requests {
                for at in &times {
                    let req = request(r, &world, *at);
                    agree(&req, &previous)?;
                    agree(&req, &registry)?;
                }
            }
            previous = registry;
        }
    }
}

/// Changes applied through the registry's own transitions (a suspension,
/// a consent, a reinstatement) between requests: the cached engine sees
/// each from its instant on, exactly as a fresh one does.
#[test]
fn transitions_between_requests() {
    let mut registry =
        Registry::from_json_str(include_str!("../examples/data/registry.json")).unwrap();
    let grant: GrantId = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01".parse().unwrap();
    let ask = |at: &str, items: &str| {
        UsageRequest::from_json(&format!(
            r#"{{"requester": "hz-hrss", "dataset": "ent-reg", "action": "access",
                "method": "service_interface", "purpose": "social-insurance.enrollment-check",
                "items": {items}, "at": "{at}"}}"#
        ))
        .unwrap()
    };
    let times = [
        "2026-03-02T09:59:59.999999+08:00",
        "2026-03-02T10:00:00+08:00",
        "2026-03-02T10:00:00.000001+08:00",
        "2026-04-01T10:00:00+08:00",
        "2026-05-01T08:59:59.999999+08:00",
        "2026-05-01T09:00:00+08:00",
        "2026-05-01T09:00:00.000001+08:00",
        "2026-06-01T10:00:00+08:00",
    ];
    let check = |registry: &Registry| {
        for at in times {
            for items in [r#"["uscc", "name"]"#, r#"["uscc", "legal_rep_id_number"]"#] {
                let req = ask(at, items);
                let fresh = uncached().evaluate(&req, registry);
                for _ in 0..2 {
                    let c = cached().evaluate(&req, registry);
                    assert_eq!(comparable(&c), comparable(&fresh), "{}", req.to_json());
                }
            }
        }
    };
    check(&registry);
    let by = DepartmentId::new("hz-amr").unwrap();
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    let before = cached().decision_cache_stats().unwrap();
    registry
        .apply(&Transition::new(
            at("2026-03-02T10:00:00+08:00"),
            by.clone(),
            "科长",
            "越权使用",
            Change::Suspended {
                grant: grant.clone(),
                violation: govshare::Violation::ScopeExpansion,
                correct_by: at("2026-03-16T18:00:00+08:00"),
            },
        ))
        .unwrap();
    check(&registry);
    registry
        .apply(&Transition::new(
            at("2026-04-01T10:00:00+08:00"),
            by.clone(),
            "科长",
            "已改正",
            Change::Reinstated {
                grant: grant.clone(),
            },
        ))
        .unwrap();
    check(&registry);
    registry
        .apply(&Transition::new(
            at("2026-05-01T09:00:00+08:00"),
            by,
            "科长",
            "同意增加数据项",
            Change::ConsentAdded {
                grant,
                consent: serde_json::from_value(json!({"kind": "item",
                    "value": "legal_rep_id_number", "at": "2026-05-01T09:00:00+08:00"}))
                .unwrap(),
            },
        ))
        .unwrap();
    check(&registry);
    let after = cached().decision_cache_stats().unwrap();
    assert!(after.hits > before.hits, "the cache answered: {after:?}");
}

/// An entrustment, its end and the contractor's disposal receipt applied
/// through transitions between requests through the processor and by the
/// department alone: the cached engine sees each from its instant on,
/// exactly as a fresh one does.
#[test]
fn entrustments_between_requests() {
    let mut registry =
        Registry::from_json_str(include_str!("../examples/data/registry.json")).unwrap();
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
    let ask = |at: &str, processor: bool| {
        let mut v = json!({"requester": "hz-hrss", "dataset": "ent-reg", "action": "use",
            "purpose": "social-insurance.enrollment-check", "items": ["uscc"], "at": at});
        if processor {
            v["processor"] = json!("c-test");
        }
        UsageRequest::from_json(&v.to_string()).unwrap()
    };
    let times = [
        "2026-03-02T09:59:59.999999+08:00",
        "2026-03-02T10:00:00+08:00",
        "2026-03-02T10:00:00.000001+08:00",
        "2026-03-31T23:59:59.999999+08:00",
        "2026-04-01T00:00:00+08:00",
        "2026-04-02T10:00:00+08:00",
        "2026-04-02T10:00:00.000001+08:00",
    ];
    let check = |registry: &Registry| {
        for t in times {
            for processor in [true, false] {
                let req = ask(t, processor);
                let fresh = uncached().evaluate(&req, registry);
                for _ in 0..2 {
                    let c = cached().evaluate(&req, registry);
                    assert_eq!(comparable(&c), comparable(&fresh), "{}", req.to_json());
                }
            }
        }
    };
    check(&registry);
    let by = DepartmentId::new("hz-hrss").unwrap();
    let contractor: Contractor = serde_json::from_value(json!({"id": "c-test",
        "name": "某公司", "uscc": "91330106MA2H0CLD14", "department": "hz-hrss",
        "contract": {"id": "HT-T", "valid_from": "2026-01-01T00:00:00+08:00",
                     "valid_until": "2027-01-01T00:00:00+08:00", "security_agreement": true},
        "datasets": ["ent-reg"], "activities": ["processing"]}))
    .unwrap();
    let contractor_id = contractor.id.clone();
    for (t, change) in [
        (
            "2026-03-02T10:00:00+08:00",
            Change::ContractorEntrusted {
                contractor: Box::new(contractor),
            },
        ),
        (
            "2026-04-01T00:00:00+08:00",
            Change::EntrustmentEnded {
                contractor: contractor_id.clone(),
            },
        ),
        (
            "2026-04-02T10:00:00+08:00",
            Change::ContractorDisposalRecorded {
                contractor: contractor_id.clone(),
                grant: "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01".parse().unwrap(),
                method: govshare::DisposalMethod::Delete,
                attested_by: "安全员".into(),
            },
        ),
    ] {
        registry
            .apply(&Transition::new(
                at(t),
                by.clone(),
                "数据管理处",
                "委托",
                change,
            ))
            .unwrap();
        check(&registry);
    }
}

/// With local policies the cache is not used: a forbid may compare `at`
/// with anything.
#[test]
fn local_policies_switch_the_cache_off() {
    let engine = Engine::builder()
        .local_policies(
            "late.cedar",
            r#"@id("ZJ-LATE") @articles("3") @zh("晚") @en("late")
               forbid (principal, action, resource) when { context.at > 1780000000000000 };"#,
        )
        .build()
        .unwrap();
    assert!(!engine.decision_cache_in_use());
    assert!(engine.decision_cache_stats().is_none());
    // The record cache serves any policies (its records are what they
    // read), and is off unless set.
    assert!(engine.record_cache_stats().is_none());
    let records = Engine::builder()
        .local_policies(
            "late.cedar",
            r#"@id("ZJ-LATE") @articles("3") @zh("晚") @en("late")
               forbid (principal, action, resource) when { context.at > 1780000000000000 };"#,
        )
        .record_cache(CacheLimits::RECORDS)
        .build()
        .unwrap();
    assert!(!records.decision_cache_in_use());
    assert!(records.record_cache_stats().is_some());
    let optional = Engine::builder()
        .enable_optional("block-while-disposal-overdue")
        .build()
        .unwrap();
    assert!(!optional.decision_cache_in_use());
    let shipped = Engine::builder()
        .policies_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies"))
        .build()
        .unwrap();
    assert!(
        shipped.decision_cache_in_use(),
        "the shipped files are the embedded set"
    );
}
