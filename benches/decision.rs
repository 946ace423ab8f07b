//! govshare's decision cost measured side by side with its floor (raw Cedar
//! on the same policies and prebuilt inputs) and its peer (the same rules in
//! Rego through regorus: interpreter and RVM), on a stream of 10,000
//! distinct generated requests with allows and denies of every rule.
//!
//! Run: `cargo bench --all-features --bench decision` (see BENCHMARKS.md).
//! Before timing, every side decides the whole stream and the decisions are
//! compared: a benchmark of sides that disagree would measure nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use govshare::{Engine, Registry, UsageRequest};
use serde_json::{Value, json};

const STREAM: usize = 10_000;
const DATASETS: usize = 60;
const ITEMS: usize = 12;
const PURPOSES: [&str; 6] = [
    "social-insurance.enrollment-check",
    "tax.registration-check",
    "housing.subsidy-eligibility",
    "civil-affairs.minimum-living-allowance",
    "market.supervision.inspection",
    "health.school-entry-check",
];

fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
    x ^ (x >> 33)
}

/// How many requesting departments a registry of `grants` grants has: it
/// grows with the registry, as a province's departments do, so that a
/// department holds about two grants per dataset whatever the size.
fn requesters(grants: usize) -> usize {
    (grants / 100).max(300)
}

/// A registry of `grants` grants over `requesters(grants)` requesting
/// departments, 60 providers and 60 datasets, as wire-format JSON. Grant `i`
/// belongs to requester `d{i % requesters}`.
fn registry_json(grants: usize) -> String {
    let r = requesters(grants);
    let mut s = String::with_capacity(grants * 560 + 100_000);
    s.push_str("{\"departments\":[");
    for d in 0..r {
        // One department in ten is another city's (Ningbo, 330200): outside
        // the entries scoped to this city.
        let region = if d % 10 == 9 { "330200" } else { "330100" };
        let _ = write!(
            s,
            r#"{{"id":"d{d}","name":"某市第{d}部门","level":"municipal","region":"{region}"}},"#
        );
    }
    for p in 0..DATASETS {
        if p > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"id":"p{p}","name":"某市第{p}数据提供部门","level":"municipal","region":"330100"}}"#
        );
    }
    // The purpose vocabulary: every purpose of the grants, its ancestors and
    // the sub-purposes the stream states (`….case-N`).
    s.push_str("],\"purposes\":[");
    let mut codes: Vec<String> = Vec::new();
    for p in PURPOSES {
        let mut prefix = String::new();
        for part in p.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            if !codes.contains(&prefix) {
                codes.push(prefix.clone());
            }
        }
        codes.extend((0..97).map(|n| format!("{p}.case-{n}")));
    }
    let purposes: Vec<String> = codes
        .iter()
        .map(|c| format!(r#"{{"code":"{c}","name":"目的{c}"}}"#))
        .collect();
    s.push_str(&purposes.join(","));
    s.push_str("],\"datasets\":[");
    for k in 0..DATASETS {
        if k > 0 {
            s.push(',');
        }
        let items: Vec<String> = (0..ITEMS)
            .map(|i| format!(r#"{{"name":"it{i}","grade":"general"}}"#))
            .collect();
        let (status, sharing) = match k {
            57 => (
                "published",
                r#"{"class":"not_shared","reason":"依法保密","basis":{"kind":"law","citation":"《某法》第八条"}}"#,
            ),
            58 => (
                "draft",
                r#"{"class":"conditional","scope":"本市","uses":["审批"]}"#,
            ),
            59 => (
                "withdrawn",
                r#"{"class":"conditional","scope":"本市","uses":["审批"]}"#,
            ),
            k if k % 5 == 0 => ("published", r#"{"class":"unconditional"}"#),
            k if k % 5 == 1 => (
                "published",
                r#"{"class":"conditional","scope":"本市政府部门","uses":["社会保险经办","税收征管","住房保障","社会救助","市场监管"],"conditions":{"regions":["330100"],"levels":["municipal","county"],"purposes":["social-insurance","tax","housing","civil-affairs","market"]}}"#,
            ),
            _ => (
                "published",
                r#"{"class":"conditional","scope":"本市政府部门","uses":["行政审批","监管执法"]}"#,
            ),
        };
        // ds56's provider was struck from the register; ds55 is a work secret.
        let provider = if k == 56 {
            "p-retired".to_owned()
        } else {
            format!("p{k}")
        };
        let secret = if k == 55 {
            r#","secret":"work_secret""#
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"{{"id":"ds{k}","name":"数据集{k}","provider":"{provider}","status":"{status}","items":[{}],"sharing":{sharing},"methods":["service_interface","bulk_exchange","file_download"],"format":"database","update_frequency":"daily"{secret}}}"#,
            items.join(",")
        );
    }
    s.push_str("],\"grants\":[");
    for i in 0..grants {
        if i > 0 {
            s.push(',');
        }
        let h = mix(i as u64);
        let dataset = (i / r * 7 + i % 13) % DATASETS;
        let first = (h % 6) as usize;
        let items: Vec<String> = (first..first + 4 + (h >> 8) as usize % 3)
            .map(|x| format!("\"it{x}\""))
            .collect();
        let status = match h % 50 {
            0 => "suspended",
            1 => "terminated",
            _ => "active",
        };
        let mut extra = String::new();
        if h.is_multiple_of(23) {
            extra.push_str(
                r#","ended":{"trigger":"purpose_achieved","at":"2026-03-01T00:00:00+08:00"}"#,
            );
        }
        if h.is_multiple_of(41) {
            extra.push_str(r#","disposed":{"method":"delete","at":"2026-04-01T00:00:00+08:00","attested_by":"安全员"}"#);
        }
        if h.is_multiple_of(7) {
            extra.push_str(r#","consents":[{"kind":"recipient","value":"d7","at":"2025-10-01T00:00:00+08:00"},{"kind":"item","value":"it11","at":"2025-10-01T00:00:00+08:00"}]"#);
        }
        let _ = write!(
            s,
            r#"{{"id":"g{i:08}","dataset":"ds{dataset}","requester":"d{}","purpose":"{}","basis":"《某法》第{}条","scenario":"业务办理核验","items":[{}],"methods":["service_interface"{}],"valid_from":"2025-09-01T00:00:00+08:00","valid_until":"2026-09-01T00:00:00+08:00","disposal":{{"method":"delete","within_working_days":10}},"status":"{status}"{extra}}}"#,
            i % r,
            PURPOSES[(h >> 16) as usize % PURPOSES.len()],
            h % 90 + 1,
            items.join(","),
            if h.is_multiple_of(3) {
                r#","bulk_exchange""#
            } else {
                ""
            },
        );
    }
    s.push_str("]}");
    s
}

/// 10,000 distinct requests against `registry`: each shaped after one grant
/// and then, for most, changed so that one rule or another denies it.
fn stream(registry: &Registry) -> Vec<String> {
    let grants = registry.grants();
    let r_count = requesters(grants.len());
    (0..STREAM)
        .map(|r| {
            let h = mix(r as u64 ^ 0x9e37_79b9);
            let g = &grants[(h % grants.len() as u64) as usize];
            let mut requester = g.requester.to_string();
            let mut dataset = g.dataset.to_string();
            let mut purpose = format!("{}.case-{}", g.purpose, r % 97);
            let mut items: Vec<String> = g.items.iter().take(1 + r % 3).map(ToString::to_string).collect();
            let mut action = ["access", "use", "access", "use"][r % 4];
            let mut method = "service_interface";
            let mut recipient = None;
            let mut grant = Some(g.id.to_string());
            let minute = r % 1440;
            let mut at = format!("2026-01-{:02}T{:02}:{:02}:00+08:00", 5 + r % 20, minute / 60, minute % 60);
            match r % 20 {
                0 => items.push("it11".into()),
                1 => purpose = format!("recruitment.screening.{r}"),
                2 => method = "file_download",
                3 => at = format!("2026-09-{:02}T10:00:00+08:00", 1 + r % 28),
                4 => at = format!("2025-08-{:02}T10:00:00+08:00", 1 + r % 28),
                5 => {
                    action = "transfer";
                    recipient = Some(format!("company-{r}"));
                }
                6 => {
                    action = "transfer";
                    recipient = Some("d7".into());
                }
                7 => requester = format!("unregistered-{r}"),
                8 => requester = format!("d{}", (g.requester.as_str()[1..].parse::<usize>().unwrap() + 1) % r_count),
                9 => dataset = "ds58".into(),
                10 => grant = Some(format!("no-such-grant-{r}")),
                11 => grant = None,
                12 => at = format!("2026-05-{:02}T10:00:00+08:00", 1 + r % 28),
                _ => {}
            }
            let mut v = json!({"requester": requester, "dataset": dataset, "action": action, "purpose": purpose, "items": items, "at": at});
            if let Some(gid) = grant {
                v["grant"] = json!(gid);
            }
            match action {
                "access" => v["method"] = json!(method),
                "transfer" => v["recipient"] = json!(recipient.unwrap_or_default()),
                _ => {}
            }
            v.to_string()
        })
        .collect()
}

fn micros(t: &chrono::DateTime<chrono::FixedOffset>) -> i64 {
    t.timestamp_micros()
}

/// The facts the engine passes to Cedar, as JSON, for the Rego peer: one
/// per candidate grant.
fn facts(registry: &Registry, request: &UsageRequest) -> Vec<Value> {
    let lineage: Vec<&str> = {
        let p = request.purpose.as_str();
        let mut v = vec![p];
        v.extend(
            p.char_indices()
                .filter(|&(_, c)| c == '.')
                .map(|(i, _)| &p[..i]),
        );
        v
    };
    let vocabulary = registry.purpose_vocabulary();
    let within: Vec<&str> = match vocabulary {
        Some(v) => v.within(&request.purpose),
        None => lineage.clone(),
    };
    let requester = registry.get_department(&request.requester);
    let mut base = json!({
        "principal": request.requester,
        "action": request.action.as_str(),
        "requester_registered": requester.is_some(),
        "items": request.items,
        "purpose_lineage": lineage,
        "purpose_within": within,
        "purpose_vocabulary": vocabulary.is_some(),
        "purpose_registered": vocabulary.is_some_and(|v| v.contains(request.purpose.as_str())),
        "at": micros(&request.at),
    });
    if let Some(m) = request.method {
        base["method"] = json!(m.as_str());
    }
    if let Some(r) = &request.recipient {
        base["recipient"] = json!(r);
    }
    if let Some(d) = registry.get_dataset(&request.dataset) {
        let mut dataset = json!({"status": d.status.as_str(), "class": d.sharing.class_name(),
                                 "provider_registered": registry.get_department(&d.provider).is_some()});
        if let Some(kind) = d.secret {
            dataset["secret"] = json!(kind.as_str());
        }
        if let Some(c) = d.sharing.conditions() {
            if let (true, Some(r)) = (c.states_scope(), requester) {
                dataset["requester_in_scope"] = json!(c.admits(r));
            }
            if c.states_uses() {
                dataset["use_permitted"] = json!(c.permits(&within));
            }
        }
        base["dataset"] = dataset;
    }
    let candidates: Vec<&govshare::Grant> = match &request.grant {
        Some(id) => registry
            .get_grant(id)
            .filter(|g| g.dataset == request.dataset)
            .into_iter()
            .collect(),
        None => registry
            .iter_grants_for(&request.requester, &request.dataset)
            .collect(),
    };
    if candidates.is_empty() {
        return vec![base];
    }
    candidates
        .into_iter()
        .map(|g| {
            let mut f = base.clone();
            let mut grant = json!({
                "requester": g.requester,
                "items": g.effective_items(&request.at).collect::<Vec<_>>(),
                "purposes": g.effective_purposes(&request.at).collect::<Vec<_>>(),
                "recipients": g.consented_recipients(&request.at).collect::<Vec<_>>(),
                "methods": g.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "valid_from": micros(&g.valid_from),
                "valid_until": micros(&g.valid_until),
                "status": g.status.as_str(),
            });
            if let Some(e) = &g.ended {
                grant["purpose_ended_at"] = json!(micros(&e.at));
            }
            if let Some(d) = &g.disposed {
                grant["disposed_at"] = json!(micros(&d.at));
            }
            f["grant"] = grant;
            f
        })
        .collect()
}

struct Rego {
    interpreter: regorus::Engine,
    program: Arc<regorus::rvm::Program>,
}

fn rego() -> Rego {
    let mut interpreter = regorus::Engine::new();
    interpreter
        .add_policy(
            "govshare.rego".into(),
            include_str!("rego/govshare.rego").into(),
        )
        .unwrap();
    let entry: regorus::Rc<str> = "data.govshare.allow".into();
    let compiled = interpreter.compile_with_entrypoint(&entry).unwrap();
    let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(
        &compiled,
        &["data.govshare.allow"],
    )
    .unwrap();
    Rego {
        interpreter,
        program,
    }
}

fn rego_allows_interpreter(rego: &mut Rego, inputs: &[regorus::Value]) -> bool {
    inputs.iter().any(|input| {
        rego.interpreter.set_input(input.clone());
        rego.interpreter
            .eval_rule("data.govshare.allow".into())
            .unwrap()
            == regorus::Value::Bool(true)
    })
}

fn rego_allows_rvm(vm: &mut regorus::rvm::RegoVM, inputs: &[regorus::Value]) -> bool {
    inputs.iter().any(|input| {
        vm.set_input(input.clone());
        vm.execute().unwrap() == regorus::Value::Bool(true)
    })
}

struct Workload {
    engine: Engine,
    registry: Arc<Registry>,
    requests: Vec<UsageRequest>,
    json: Vec<String>,
    cedar: Vec<Vec<cedar_policy::Request>>,
    rego_inputs: Vec<Vec<regorus::Value>>,
    rego_json: Vec<Vec<String>>,
}

fn workload(grants: usize) -> Workload {
    let engine = Engine::builder().build().unwrap();
    let registry = Registry::from_json_str(&registry_json(grants)).unwrap();
    let json = stream(&registry);
    let requests: Vec<UsageRequest> = json
        .iter()
        .map(|j| UsageRequest::from_json(j).unwrap())
        .collect();
    let cedar = requests
        .iter()
        .map(|r| engine.cedar_requests(r, &registry).unwrap())
        .collect();
    let facts: Vec<Vec<Value>> = requests.iter().map(|r| facts(&registry, r)).collect();
    let rego_json: Vec<Vec<String>> = facts
        .iter()
        .map(|fs| fs.iter().map(Value::to_string).collect())
        .collect();
    let rego_inputs = rego_json
        .iter()
        .map(|fs| {
            fs.iter()
                .map(|f| regorus::Value::from_json_str(f).unwrap())
                .collect()
        })
        .collect();
    Workload {
        engine,
        registry: Arc::new(registry),
        requests,
        json,
        cedar,
        rego_inputs,
        rego_json,
    }
}

/// Every side decides the whole stream alike, and the stream holds allows
/// and denies of every rule.
fn check_agreement(w: &Workload) {
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let policies = w.engine.cedar_policy_set();
    let mut rego = rego();
    let mut vm = regorus::rvm::RegoVM::new();
    vm.load_program(rego.program.clone());
    let mut rules = std::collections::BTreeSet::new();
    let mut allows = 0;
    for i in 0..w.requests.len() {
        let ours = w.engine.evaluate(&w.requests[i], &*w.registry);
        let floor = w.cedar[i].iter().any(|r| {
            authorizer.is_authorized(r, policies, &entities).decision()
                == cedar_policy::Decision::Allow
        });
        let interp = rego_allows_interpreter(&mut rego, &w.rego_inputs[i]);
        let rvm = rego_allows_rvm(&mut vm, &w.rego_inputs[i]);
        assert_eq!(
            ours.is_allow(),
            floor,
            "govshare and raw Cedar disagree on {}",
            w.json[i]
        );
        assert_eq!(
            ours.is_allow(),
            interp,
            "govshare and the Rego interpreter disagree on {}",
            w.json[i]
        );
        assert_eq!(
            ours.is_allow(),
            rvm,
            "govshare and the Rego RVM disagree on {}",
            w.json[i]
        );
        allows += usize::from(ours.is_allow());
        rules.extend(ours.rule_ids().into_iter().map(str::to_owned));
    }
    for rule in govshare::StatutoryRule::CATALOG.map(|r| r.as_str()) {
        if rule != "GS-NOT-SHARED" || rules.contains(rule) {
            assert!(rules.contains(rule), "the stream never reaches {rule}");
        }
    }
    println!(
        "agreement: {} requests, {allows} allows, {} denies, rules reached: {}",
        w.requests.len(),
        w.requests.len() - allows,
        rules.len()
    );
}

fn decisions(c: &mut Criterion) {
    let w = workload(10_000);
    check_agreement(&w);
    let mut g = c.benchmark_group("decision");
    g.measurement_time(Duration::from_secs(8));
    let n = w.requests.len();

    let mut i = 0usize;
    g.bench_function("govshare_rust_api", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(w.engine.evaluate(&w.requests[i], &*w.registry))
        })
    });
    let mut i = 0usize;
    g.bench_function("govshare_json_in_json_out", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(
                w.engine
                    .evaluate_json(&w.json[i], &*w.registry)
                    .unwrap()
                    .to_json(),
            )
        })
    });
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let policies = w.engine.cedar_policy_set();
    let mut i = 0usize;
    g.bench_function("cedar_floor_prebuilt", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            for r in &w.cedar[i] {
                black_box(authorizer.is_authorized(r, policies, &entities));
            }
        })
    });
    let mut rego = rego();
    let mut i = 0usize;
    g.bench_function("rego_interpreter_prebuilt", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(rego_allows_interpreter(&mut rego, &w.rego_inputs[i]))
        })
    });
    let mut i = 0usize;
    g.bench_function("rego_interpreter_json", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            let inputs: Vec<regorus::Value> = w.rego_json[i]
                .iter()
                .map(|j| regorus::Value::from_json_str(j).unwrap())
                .collect();
            black_box(rego_allows_interpreter(&mut rego, &inputs))
        })
    });
    let mut vm = regorus::rvm::RegoVM::new();
    vm.load_program(rego.program.clone());
    let mut i = 0usize;
    g.bench_function("rego_rvm_prebuilt", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(rego_allows_rvm(&mut vm, &w.rego_inputs[i]))
        })
    });
    let mut i = 0usize;
    g.bench_function("rego_rvm_json", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            let inputs: Vec<regorus::Value> = w.rego_json[i]
                .iter()
                .map(|j| regorus::Value::from_json_str(j).unwrap())
                .collect();
            black_box(rego_allows_rvm(&mut vm, &inputs))
        })
    });
    g.finish();
}

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn scale(c: &mut Criterion) {
    let mut g = c.benchmark_group("grants");
    g.measurement_time(Duration::from_secs(6));
    for grants in [10usize, 10_000, 1_000_000] {
        let text = registry_json(grants);
        let before = resident_kib();
        let started = Instant::now();
        let registry = Registry::from_json_str(&text).unwrap();
        let load = started.elapsed();
        let after = resident_kib();
        drop(text);
        println!(
            "registry of {grants} grants: loaded in {:.3} s, resident +{} KiB ({:.0} bytes per grant)",
            load.as_secs_f64(),
            after.saturating_sub(before),
            after.saturating_sub(before) as f64 * 1024.0 / grants as f64
        );
        let engine = Engine::builder().build().unwrap();
        let requests: Vec<UsageRequest> = stream(&registry)
            .iter()
            .map(|j| UsageRequest::from_json(j).unwrap())
            .collect();
        let mut i = 0usize;
        g.bench_with_input(BenchmarkId::new("decision", grants), &grants, |b, _| {
            b.iter(|| {
                i = (i + 1) % requests.len();
                black_box(engine.evaluate(&requests[i], &registry))
            })
        });
    }
    g.finish();
}

fn throughput(c: &mut Criterion) {
    let w = workload(10_000);
    let mut g = c.benchmark_group("throughput");
    g.measurement_time(Duration::from_secs(8));
    for threads in [1usize, 2] {
        g.bench_with_input(
            BenchmarkId::new("decisions_per_thread_count", threads),
            &threads,
            |b, &threads| {
                b.iter_custom(|iters| {
                    // `iters` decisions in all, split across the threads.
                    let per = (iters as usize).div_ceil(threads);
                    let started = Instant::now();
                    std::thread::scope(|s| {
                        for t in 0..threads {
                            let (engine, registry, requests) =
                                (&w.engine, &w.registry, &w.requests);
                            s.spawn(move || {
                                for k in 0..per {
                                    black_box(engine.evaluate(
                                        &requests[(k * threads + t) % requests.len()],
                                        &**registry,
                                    ));
                                }
                            });
                        }
                    });
                    started.elapsed()
                })
            },
        );
    }
    g.finish();
}

fn lifecycle(c: &mut Criterion) {
    let calendar = govshare::Calendar::embedded().unwrap();
    let starts: Vec<chrono::NaiveDate> = (0..365)
        .map(|d| chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(d))
        .collect();
    let mut i = 0usize;
    c.bench_function("calendar/add_10_working_days", |b| {
        b.iter(|| {
            i = (i + 1) % starts.len();
            black_box(calendar.add_working_days(starts[i], 10).unwrap())
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let log = govshare::store::Store::open(dir.path().join("usage.db")).unwrap();
    let w = workload(10);
    let decisions: Vec<_> = w
        .requests
        .iter()
        .take(100)
        .map(|r| (r.clone(), w.engine.evaluate(r, &*w.registry)))
        .collect();
    let mut i = 0usize;
    c.bench_function("record/append_decision_fsync", |b| {
        b.iter(|| {
            i = (i + 1) % decisions.len();
            black_box(
                log.record_decision(&decisions[i].0, &decisions[i].1)
                    .unwrap(),
            )
        })
    });
    drop(log);
}

criterion_group!(benches, decisions, scale, throughput, lifecycle);
criterion_main!(benches);
