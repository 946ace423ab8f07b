//! govshare's decision cost measured against its floor (raw Cedar on the
//! same policies and prebuilt inputs) and its fair peer (the same rules in
//! Rego, given the registry as `data` and the raw request as `input`,
//! through regorus' interpreter and RVM), on two streams: 10,000 distinct
//! generated requests, and 1,000,000 calls drawn from 10,000 request shapes
//! by a Zipf law, with `at` running through 2026 and changes to grants
//! applied mid-stream.
//!
//! Run: `cargo bench --all-features --bench decision` (see BENCHMARKS.md).
//! Before anything is timed, every side decides every request of both
//! streams and the answers are compared — outcome, rule ids in order, and
//! the facts of every reason: a benchmark of sides that disagree would
//! measure nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "decision/fair.rs"]
mod fair;
#[path = "decision/prebuilt.rs"]
mod prebuilt;
#[path = "decision/workload.rs"]
mod workload;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use govshare::{CacheLimits, Engine, FactSource, Registry, UsageRequest};
use workload::{MidStream, ZIPF_CALLS};

/// Whether to run the part `name`: every part, unless `GOVSHARE_BENCH`
/// lists some (`decisions,interleaved,zipf,scale,one_pair,throughput,rego_memory,lifecycle`).
fn part(name: &str) -> bool {
    std::env::var("GOVSHARE_BENCH").map_or(true, |v| v.split(',').any(|p| p.trim() == name))
}

/// The global allocator, counting the bytes held while counting is on:
/// memory figures are taken as the change in held bytes between two
/// points, which the resident set size cannot show once the allocator has
/// pages to reuse. The flag and the count are the measuring thread's own
/// (what `held_by` measures runs on one thread), so counting costs a plain
/// add, not an atomic one, and the load time taken around a counted load
/// is the library's, not the counter's.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static HELD: Cell<isize> = const { Cell::new(0) };
}

fn count(bytes: isize) {
    // `try_with`: a thread's allocations after its locals are gone (its
    // exit) are not counted, and never fail.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = HELD.try_with(|held| held.set(held.get() + bytes));
        }
    });
}

#[expect(
    unsafe_code,
    reason = "a global allocator is an unsafe trait; this one only counts and hands every call to the system allocator"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes held by what `f` makes and keeps, measured by the counting
/// allocator on this thread.
fn held_by<T>(f: impl FnOnce() -> T) -> (T, isize) {
    let before = HELD.with(Cell::get);
    COUNTING.with(|on| on.set(true));
    let value = f();
    COUNTING.with(|on| on.set(false));
    (value, HELD.with(Cell::get) - before)
}

fn cold_engine() -> Engine {
    Engine::builder()
        .decision_cache(CacheLimits::disabled())
        .build()
        .unwrap()
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

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default()
}

struct Workload {
    cold: Engine,
    registry: Arc<Registry>,
    requests: Vec<UsageRequest>,
    json: Vec<String>,
    cedar: Vec<Vec<cedar_policy::Request>>,
    data: regorus::Value,
    inputs: Vec<regorus::Value>,
    prebuilt_inputs: Vec<Vec<regorus::Value>>,
}

fn workload(grants: usize) -> Workload {
    let cold = cold_engine();
    let registry = Registry::from_json_str(&workload::registry_json(grants)).unwrap();
    let json = workload::stream(&registry);
    let requests: Vec<UsageRequest> = json
        .iter()
        .map(|j| UsageRequest::from_json(j).unwrap())
        .collect();
    let cedar = requests
        .iter()
        .map(|r| cold.cedar_requests(r, &registry).unwrap())
        .collect();
    let inputs = json
        .iter()
        .map(|j| regorus::Value::from_json_str(j).unwrap())
        .collect();
    let prebuilt_inputs = requests
        .iter()
        .map(|r| {
            prebuilt::facts(&registry, r)
                .iter()
                .map(|f| regorus::Value::from_json_str(&f.to_string()).unwrap())
                .collect()
        })
        .collect();
    let data = fair::to_regorus(&fair::data(&registry));
    Workload {
        cold,
        registry: Arc::new(registry),
        requests,
        json,
        cedar,
        data,
        inputs,
        prebuilt_inputs,
    }
}

/// Every side decides the whole distinct stream alike, and the stream
/// holds allows and denies of every rule.
fn check_agreement(w: &Workload) {
    let cached = Engine::builder().build().unwrap();
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let policies = w.cold.cedar_policy_set();
    let mut fair = fair::Fair::new(&w.data);
    let mut vm = fair.vm(&w.data);
    let mut old = prebuilt::rego();
    let mut old_vm = regorus::rvm::RegoVM::new();
    old_vm.load_program(old.program.clone());
    let mut rules = std::collections::BTreeSet::new();
    let mut allows = 0;
    for i in 0..w.requests.len() {
        let ours = w.cold.evaluate(&w.requests[i], &*w.registry);
        let expected = fair::ours(&ours);
        for _ in 0..2 {
            let c = cached.evaluate(&w.requests[i], &*w.registry);
            assert_eq!(fair::ours(&c), expected, "cached: {}", w.json[i]);
        }
        let floor = w.cedar[i].iter().any(|r| {
            authorizer.is_authorized(r, policies, &entities).decision()
                == cedar_policy::Decision::Allow
        });
        assert_eq!(ours.is_allow(), floor, "raw Cedar: {}", w.json[i]);
        let interp = fair::theirs(&fair.interpret(w.inputs[i].clone()));
        assert_eq!(interp, expected, "Rego interpreter: {}", w.json[i]);
        let rvm = fair::theirs(&fair::run_vm(&mut vm, w.inputs[i].clone()));
        assert_eq!(rvm, expected, "Rego RVM: {}", w.json[i]);
        assert_eq!(
            ours.is_allow(),
            prebuilt::rego_allows_interpreter(&mut old, &w.prebuilt_inputs[i]),
            "prebuilt Rego interpreter: {}",
            w.json[i]
        );
        assert_eq!(
            ours.is_allow(),
            prebuilt::rego_allows_rvm(&mut old_vm, &w.prebuilt_inputs[i]),
            "prebuilt Rego RVM: {}",
            w.json[i]
        );
        allows += usize::from(ours.is_allow());
        rules.extend(ours.rule_ids().into_iter().map(str::to_owned));
    }
    for rule in govshare::StatutoryRule::CATALOG.map(|r| r.as_str()) {
        assert!(rules.contains(rule), "the stream never reaches {rule}");
    }
    println!(
        "agreement: {} distinct requests, {allows} allows, {} denies, rules reached: {}; \
         outcome, rule ids and facts agree on govshare (cache on and off), the fair Rego \
         interpreter and RVM; outcomes agree on raw Cedar and the prebuilt Rego",
        w.requests.len(),
        w.requests.len() - allows,
        rules.len()
    );
}

fn decisions(c: &mut Criterion) {
    if !part("decisions") {
        return;
    }
    println!("load before the distinct stream: {}", load());
    let w = workload(10_000);
    check_agreement(&w);
    let mut g = c.benchmark_group("decision");
    g.measurement_time(Duration::from_secs(6));
    g.warm_up_time(Duration::from_secs(1));
    let n = w.requests.len();

    let mut i = 0usize;
    g.bench_function("govshare_rust_api_cold", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(w.cold.evaluate(&w.requests[i], &*w.registry))
        })
    });
    let records = Engine::builder()
        .decision_cache(CacheLimits::disabled())
        .record_cache(CacheLimits::RECORDS)
        .build()
        .unwrap();
    let mut i = 0usize;
    g.bench_function("govshare_rust_api_cold_record_cache", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(records.evaluate(&w.requests[i], &*w.registry))
        })
    });
    println!(
        "record cache after its cold Rust API line: {:?}",
        records.record_cache_stats()
    );
    let mut i = 0usize;
    g.bench_function("govshare_json_cold", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(
                w.cold
                    .evaluate_json(&w.json[i], &*w.registry)
                    .unwrap()
                    .to_json(),
            )
        })
    });
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let policies = w.cold.cedar_policy_set();
    let mut i = 0usize;
    g.bench_function("cedar_floor_prebuilt", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            for r in &w.cedar[i] {
                black_box(authorizer.is_authorized(r, policies, &entities));
            }
        })
    });
    let mut fair = fair::Fair::new(&w.data);
    let mut i = 0usize;
    g.bench_function("fair_rego_interpreter_json", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            let input = regorus::Value::from_json_str(&w.json[i]).unwrap();
            black_box(fair.interpret(input).to_json_str().unwrap())
        })
    });
    let mut vm = fair.vm(&w.data);
    let mut i = 0usize;
    g.bench_function("fair_rego_rvm_json", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            let input = regorus::Value::from_json_str(&w.json[i]).unwrap();
            black_box(fair::run_vm(&mut vm, input).to_json_str().unwrap())
        })
    });
    let mut i = 0usize;
    g.bench_function("fair_rego_rvm_values", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(fair::run_vm(&mut vm, w.inputs[i].clone()))
        })
    });
    let mut old = prebuilt::rego();
    let mut i = 0usize;
    g.bench_function("prebuilt_rego_interpreter", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(prebuilt::rego_allows_interpreter(
                &mut old,
                &w.prebuilt_inputs[i],
            ))
        })
    });
    let mut old_vm = regorus::rvm::RegoVM::new();
    old_vm.load_program(old.program.clone());
    let mut i = 0usize;
    g.bench_function("prebuilt_rego_rvm", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(prebuilt::rego_allows_rvm(
                &mut old_vm,
                &w.prebuilt_inputs[i],
            ))
        })
    });
    g.finish();
}

/// The Zipf stream, one side: `decide(call, shape, at)` for every call,
/// with `changes` applied at their calls; the time of the decisions only.
fn zipf_pass(
    ranks: &[u32],
    changes: &[MidStream],
    mut apply: impl FnMut(usize),
    mut decide: impl FnMut(usize, usize),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut start = 0;
    for (k, end) in changes
        .iter()
        .map(|c| c.call)
        .chain([ZIPF_CALLS])
        .enumerate()
    {
        let t = Instant::now();
        for (call, &rank) in ranks.iter().enumerate().take(end).skip(start) {
            decide(call, rank as usize);
        }
        total += t.elapsed();
        if k < changes.len() {
            apply(k);
        }
        start = end;
    }
    total
}

/// The JSON of a shape with `at` at a fixed place, to be overwritten per
/// call (every `at` of the stream has the same length).
struct JsonShape {
    text: String,
    at: std::ops::Range<usize>,
}

fn json_shape(shape: &UsageRequest) -> JsonShape {
    let text = shape.to_json();
    let at = govshare::time::format_rfc3339(&shape.at);
    let start = text.find(&at).unwrap();
    JsonShape {
        at: start..start + at.len(),
        text,
    }
}

fn zipf(_c: &mut Criterion) {
    if !part("zipf") {
        return;
    }
    println!("load before the Zipf stream: {}", load());
    let base = Registry::from_json_str(&workload::registry_json(10_000)).unwrap();
    let mut shapes: Vec<UsageRequest> = workload::stream(&base)
        .iter()
        .map(|j| UsageRequest::from_json(j).unwrap())
        .collect();
    for s in &mut shapes {
        s.at = workload::zipf_start();
    }
    let ranks = workload::zipf_ranks(shapes.len());
    let changes = workload::transitions(&base, &shapes);
    let ats: Vec<String> = (0..ZIPF_CALLS)
        .map(|i| govshare::time::format_rfc3339(&workload::zipf_at(i)))
        .collect();
    let at_of = |i: usize| workload::zipf_at(i);
    // The registry after each change, for every side.
    let mut registries = vec![base.clone()];
    for c in &changes {
        let mut next = registries.last().unwrap().clone();
        next.apply(&c.transition).unwrap();
        registries.push(next);
    }
    let datas: Vec<regorus::Value> = registries
        .iter()
        .map(|r| fair::to_regorus(&fair::data(r)))
        .collect();
    let distinct = {
        let mut seen = vec![false; shapes.len()];
        ranks
            .iter()
            .filter(|&&r| !std::mem::replace(&mut seen[r as usize], true))
            .count()
    };
    let top: usize = ranks.iter().filter(|&&r| r < 100).count();
    println!(
        "Zipf stream: {ZIPF_CALLS} calls over {} shapes (s = {}), {distinct} shapes drawn, \
         the 100 most frequent make {:.1} % of calls; at from {} to {}; changes at calls {:?}",
        shapes.len(),
        workload::ZIPF_S,
        top as f64 * 100.0 / ZIPF_CALLS as f64,
        ats[0],
        ats[ZIPF_CALLS - 1],
        changes.iter().map(|c| c.call).collect::<Vec<_>>()
    );
    let rego_input = |shape: &regorus::Value, at: &str| {
        let mut v = shape.clone();
        v.as_object_mut()
            .unwrap()
            .insert(regorus::Value::from("at"), regorus::Value::from(at));
        v
    };
    let rego_shapes: Vec<regorus::Value> = shapes
        .iter()
        .map(|s| regorus::Value::from_json_str(&s.to_json()).unwrap())
        .collect();

    // Agreement on the whole stream: govshare cached and uncached, the
    // fair Rego interpreter and RVM; outcome, rule ids and facts.
    {
        let cold = cold_engine();
        let cached = Engine::builder().build().unwrap();
        let mut fair = fair::Fair::new(&datas[0]);
        let mut vm = fair.vm(&datas[0]);
        let mut shapes = shapes.clone();
        let mut segment = 0;
        let (mut allows, mut hits_before) = (0usize, 0u64);
        let started = Instant::now();
        for call in 0..ZIPF_CALLS {
            while segment < changes.len() && changes[segment].call == call {
                segment += 1;
                fair.set_data(&datas[segment]);
                vm.set_data(datas[segment].clone()).unwrap();
            }
            let registry = &registries[segment];
            let rank = ranks[call] as usize;
            let s = &mut shapes[rank];
            s.at = at_of(call);
            let expected = cold.evaluate(s, registry);
            allows += usize::from(expected.is_allow());
            let expected = fair::ours(&expected);
            let got = fair::ours(&cached.evaluate(s, registry));
            assert_eq!(got, expected, "cached, call {call}: {}", s.to_json());
            let input = rego_input(&rego_shapes[rank], &ats[call]);
            let rvm = fair::theirs(&fair::run_vm(&mut vm, input.clone()));
            assert_eq!(rvm, expected, "Rego RVM, call {call}: {}", s.to_json());
            if call % 4 == 0 {
                let interp = fair::theirs(&fair.interpret(input));
                assert_eq!(
                    interp,
                    expected,
                    "Rego interpreter, call {call}: {}",
                    s.to_json()
                );
            }
            if call == ZIPF_CALLS / 2 {
                hits_before = cached.decision_cache_stats().unwrap().hits;
            }
        }
        let stats = cached.decision_cache_stats().unwrap();
        println!(
            "Zipf agreement ({:.0} s): {allows} allows, {} denies; govshare cached = uncached = \
             Rego RVM on every call, = Rego interpreter on every 4th; cache {stats:?} \
             (hits in the second half: {})",
            started.elapsed().as_secs_f64(),
            ZIPF_CALLS - allows,
            stats.hits - hits_before
        );
    }

    let report = |side: &str, d: Duration| {
        println!(
            "zipf/{side}: {:.3} s, {:.3} µs per decision",
            d.as_secs_f64(),
            d.as_secs_f64() * 1e6 / ZIPF_CALLS as f64
        );
    };
    for cached in [true, false] {
        let engine = if cached {
            Engine::builder().build().unwrap()
        } else {
            cold_engine()
        };
        let mut shapes = shapes.clone();
        let segment = std::cell::Cell::new(0usize);
        let d = zipf_pass(
            &ranks,
            &changes,
            |_| segment.set(segment.get() + 1),
            |call, rank| {
                let s = &mut shapes[rank];
                s.at = at_of(call);
                black_box(engine.evaluate(s, &registries[segment.get()]));
            },
        );
        report(
            if cached {
                "govshare_rust_api_cache_on"
            } else {
                "govshare_rust_api_cache_off"
            },
            d,
        );
        if cached {
            println!(
                "zipf cache after the stream: {:?}",
                engine.decision_cache_stats()
            );
        }
    }
    {
        let engine = Engine::builder().build().unwrap();
        let mut json: Vec<JsonShape> = shapes.iter().map(json_shape).collect();
        let segment = std::cell::Cell::new(0usize);
        let d = zipf_pass(
            &ranks,
            &changes,
            |_| segment.set(segment.get() + 1),
            |call, rank| {
                let s = &mut json[rank];
                s.text.replace_range(s.at.clone(), &ats[call]);
                black_box(
                    engine
                        .evaluate_json(&s.text, &registries[segment.get()])
                        .unwrap()
                        .to_json(),
                );
            },
        );
        report("govshare_json_cache_on", d);
    }
    {
        let fair_ = fair::Fair::new(&datas[0]);
        // Data is replaced between the timed segments, as the registry is
        // for govshare.
        let vm = std::cell::RefCell::new(fair_.vm(&datas[0]));
        let mut segment = 0usize;
        let d = zipf_pass(
            &ranks,
            &changes,
            |_| {
                segment += 1;
                vm.borrow_mut().set_data(datas[segment].clone()).unwrap();
            },
            |call, rank| {
                let input = rego_input(&rego_shapes[rank], &ats[call]);
                black_box(fair::run_vm(&mut vm.borrow_mut(), input));
            },
        );
        report("fair_rego_rvm_values", d);
        let vm = std::cell::RefCell::new(fair_.vm(&datas[0]));
        let mut json: Vec<JsonShape> = shapes.iter().map(json_shape).collect();
        let mut segment = 0usize;
        let d = zipf_pass(
            &ranks,
            &changes,
            |_| {
                segment += 1;
                vm.borrow_mut().set_data(datas[segment].clone()).unwrap();
            },
            |call, rank| {
                let s = &mut json[rank];
                s.text.replace_range(s.at.clone(), &ats[call]);
                let input = regorus::Value::from_json_str(&s.text).unwrap();
                black_box(
                    fair::run_vm(&mut vm.borrow_mut(), input)
                        .to_json_str()
                        .unwrap(),
                );
            },
        );
        report("fair_rego_rvm_json", d);
    }
}

/// Set in the child process that loads a registry of this many grants
/// afresh.
const FRESH_LOAD: &str = "GOVSHARE_BENCH_FRESH_LOAD";

/// Loads a registry of `grants` grants in a fresh process (this benchmark
/// again, which does nothing else): the load a platform sees when it
/// starts, not one into a heap the earlier parts of this run have left.
fn fresh_load(grants: usize) -> String {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--bench")
        .env("GOVSHARE_BENCH", "scale")
        .env(FRESH_LOAD, grants.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "the fresh process failed: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("fresh process"))
        .expect("the fresh process printed its load")
        .to_owned()
}

fn scale(c: &mut Criterion) {
    if !part("scale") {
        return;
    }
    if let Ok(grants) = std::env::var(FRESH_LOAD) {
        let grants: usize = grants.parse().unwrap();
        let text = workload::registry_json(grants);
        let before = resident_kib();
        let started = Instant::now();
        let (registry, held) = held_by(|| Registry::from_json_str(&text).unwrap());
        let load_time = started.elapsed();
        let after = resident_kib();
        println!(
            "fresh process: {grants} grants loaded in {:.3} s; held {held} bytes ({:.0} per grant), \
             resident +{} KiB ({:.0} per grant)",
            load_time.as_secs_f64(),
            held as f64 / grants as f64,
            after.saturating_sub(before),
            after.saturating_sub(before) as f64 * 1024.0 / grants as f64,
        );
        black_box(registry);
        return;
    }
    println!("load before the registry sizes: {}", load());
    println!("{}", fresh_load(1_000_000));
    let mut g = c.benchmark_group("grants");
    g.measurement_time(Duration::from_secs(4));
    g.warm_up_time(Duration::from_secs(1));
    for grants in [10usize, 10_000, 1_000_000] {
        let text = workload::registry_json(grants);
        let before = resident_kib();
        let started = Instant::now();
        let (registry, registry_bytes) = held_by(|| Registry::from_json_str(&text).unwrap());
        let load_time = started.elapsed();
        let after = resident_kib();
        drop(text);
        let cold = cold_engine();
        let requests: Vec<UsageRequest> = workload::stream(&registry)
            .iter()
            .map(|j| UsageRequest::from_json(j).unwrap())
            .collect();
        // An engine as built by default (the decision cache at its default
        // bound), filled with the whole stream twice (every grant the
        // stream reads gets its digest), and with every other grant's
        // digest made too.
        let (engine, cache_bytes) = held_by(|| {
            let engine = Engine::builder().build().unwrap();
            for r in requests.iter().chain(&requests) {
                black_box(engine.evaluate(r, &registry));
            }
            for g in registry.grants() {
                black_box(registry.content_digest(govshare::FactRecord::Grant(g)));
            }
            engine
        });
        let stats = engine.decision_cache_stats().unwrap();
        let records = engine.record_cache_stats();
        let per = |b: isize| b as f64 / grants as f64;
        println!(
            "registry of {grants} grants: loaded in {:.3} s; held {registry_bytes} bytes \
             ({:.0} per grant), resident +{} KiB ({:.0} per grant); the decision cache holding {} \
             entries ({} KiB by its weight, bound {} MiB) and every grant's digest: +{cache_bytes} \
             bytes ({:.0} per grant), the record cache (off by default): {:?}; in all {:.0} bytes \
             per grant",
            load_time.as_secs_f64(),
            per(registry_bytes),
            after.saturating_sub(before),
            after.saturating_sub(before) as f64 * 1024.0 / grants as f64,
            stats.entries,
            stats.bytes / 1024,
            CacheLimits::DECISIONS.bytes() >> 20,
            per(cache_bytes),
            records,
            per(registry_bytes + cache_bytes),
        );
        let mut i = 0usize;
        g.bench_with_input(
            BenchmarkId::new("decision_cold", grants),
            &grants,
            |b, _| {
                b.iter(|| {
                    i = (i + 1) % requests.len();
                    black_box(cold.evaluate(&requests[i], &registry))
                })
            },
        );
    }
    g.finish();
}

fn one_pair(c: &mut Criterion) {
    if !part("one_pair") {
        return;
    }
    let mut g = c.benchmark_group("one_pair");
    g.measurement_time(Duration::from_secs(3));
    g.warm_up_time(Duration::from_secs(1));
    let cold = cold_engine();
    for n in [1usize, 10, 100, 1_000] {
        let (registry, request) = workload::many_on_one_pair(n);
        let d = cold.evaluate(&request, &registry);
        assert_eq!(d.rule_ids(), ["GS-PURPOSE-CHANGE"]);
        assert_eq!(d.grant().unwrap().as_str(), "g0000000");
        g.bench_with_input(BenchmarkId::new("grants", n), &n, |b, _| {
            b.iter(|| black_box(cold.evaluate(&request, &registry)))
        });
    }
    g.finish();
}

fn throughput(c: &mut Criterion) {
    if !part("throughput") {
        return;
    }
    let w = workload(10_000);
    let mut g = c.benchmark_group("throughput");
    g.measurement_time(Duration::from_secs(5));
    g.warm_up_time(Duration::from_secs(1));
    for threads in [1usize, 2] {
        g.bench_with_input(
            BenchmarkId::new("cold_decisions_per_thread_count", threads),
            &threads,
            |b, &threads| {
                b.iter_custom(|iters| {
                    // `iters` decisions in all, split across the threads.
                    let per = (iters as usize).div_ceil(threads);
                    let started = Instant::now();
                    std::thread::scope(|s| {
                        for t in 0..threads {
                            let (engine, registry, requests) = (&w.cold, &w.registry, &w.requests);
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

/// regorus' memory for the registry as `data`.
fn rego_memory(_c: &mut Criterion) {
    if !part("rego_memory") {
        return;
    }
    for grants in [10_000usize, 100_000] {
        let registry = Registry::from_json_str(&workload::registry_json(grants)).unwrap();
        let json = fair::data(&registry).to_string();
        let (ours, ours_bytes) = held_by(|| Registry::from_json_str(&registry.to_json()).unwrap());
        drop(registry);
        drop(ours);
        let (data, value_bytes) = held_by(|| regorus::Value::from_json_str(&json).unwrap());
        let (engine, engine_bytes) = held_by(|| {
            let mut engine = regorus::Engine::new();
            engine
                .add_policy("govshare.rego".into(), fair::POLICY.into())
                .unwrap();
            engine.add_data(data.clone()).unwrap();
            engine
        });
        println!(
            "regorus data for {grants} grants ({} bytes of JSON): the value holds {value_bytes} bytes \
             ({:.0} per grant); an interpreter with the policy and the data {engine_bytes} bytes more \
             (shares the value); govshare's registry of the same grants holds {ours_bytes} bytes \
             ({:.0} per grant)",
            json.len(),
            value_bytes as f64 / grants as f64,
            ours_bytes as f64 / grants as f64,
        );
        drop(engine);
        drop(data);
    }
}

fn lifecycle(c: &mut Criterion) {
    if !part("lifecycle") {
        return;
    }
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
        .map(|r| (r.clone(), w.cold.evaluate(r, &*w.registry)))
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

/// The median, first and third quartiles of `v` (sorted in place).
fn quartiles(v: &mut [f64]) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: usize| v[(v.len() - 1) * q / 4];
    (at(2), at(1), at(3))
}

/// Times `a` and `b` in alternating rounds of `per_round` calls each (which
/// goes first alternates too), after one untimed round, and prints the
/// median time per call of each and the median and quartiles of the
/// per-round ratio `a / b`. The machine's speed drifts over minutes, so two
/// sides timed minutes apart (as criterion's lines are) can differ by more
/// than the ratio measured; rounds of a fraction of a second see the same
/// machine.
fn ratio_rounds(
    label: &str,
    (a_name, mut a): (&str, impl FnMut(usize)),
    (b_name, mut b): (&str, impl FnMut(usize)),
    rounds: usize,
    per_round: usize,
) {
    let time = |f: &mut dyn FnMut(usize), start: usize| {
        let t = Instant::now();
        for k in 0..per_round {
            f(start + k);
        }
        t.elapsed().as_secs_f64() * 1e6 / per_round as f64
    };
    time(&mut a, 0);
    time(&mut b, 0);
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let start = round * per_round;
        let (x, y) = if round % 2 == 0 {
            let x = time(&mut a, start);
            (x, time(&mut b, start))
        } else {
            let y = time(&mut b, start);
            (time(&mut a, start), y)
        };
        ta.push(x);
        tb.push(y);
        ratios.push(x / y);
    }
    let (ma, _, _) = quartiles(&mut ta);
    let (mb, _, _) = quartiles(&mut tb);
    let (r, q1, q3) = quartiles(&mut ratios);
    println!(
        "{label}, {rounds} alternating rounds of {per_round} calls: {a_name} {ma:.2} µs, \
         {b_name} {mb:.2} µs a call (medians); ratio median {r:.3} (quartiles {q1:.3}–{q3:.3})"
    );
}

/// Decisions in a batch of the throughput rounds.
const BATCH: usize = 200;

/// Set in the partner process of the two-process rounds.
const PARTNER: &str = "GOVSHARE_BENCH_PARTNER";

/// The partner process: this benchmark again, deciding on request the odd
/// half of a batch (the parent decides the even half at the same time).
struct Partner {
    child: std::process::Child,
    to: Option<std::process::ChildStdin>,
    from: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Partner {
    fn start() -> Self {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("--bench")
            .env("GOVSHARE_BENCH", "interleaved")
            .env(PARTNER, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let to = child.stdin.take();
        let from = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let mut p = Self { child, to, from };
        p.wait();
        p
    }

    /// Asks for the odd half of batch `call`.
    fn send(&mut self, call: usize) {
        use std::io::Write;
        let to = self.to.as_mut().unwrap();
        writeln!(to, "{call}").unwrap();
        to.flush().unwrap();
    }

    /// Waits for the partner's `done` (or, at the start, `ready`).
    fn wait(&mut self) {
        loop {
            let line = self
                .from
                .next()
                .expect("the partner process ended")
                .unwrap();
            if line == "done" || line == "ready" {
                return;
            }
        }
    }

    /// The partner's side: builds the same workload, then decides the odd
    /// half of each batch it is sent.
    fn serve() {
        use std::io::{BufRead, Write};
        let w = workload(10_000);
        let n = w.requests.len();
        let mut out = std::io::stdout().lock();
        writeln!(out, "ready").unwrap();
        out.flush().unwrap();
        for line in std::io::stdin().lock().lines() {
            let call: usize = line.unwrap().trim().parse().unwrap();
            for k in (1..BATCH).step_by(2) {
                black_box(
                    w.cold
                        .evaluate(&w.requests[(call * BATCH + k) % n], &*w.registry),
                );
            }
            writeln!(out, "done").unwrap();
            out.flush().unwrap();
        }
    }
}

impl Drop for Partner {
    fn drop(&mut self) {
        // Closing its input ends the partner.
        drop(self.to.take());
        let _ = self.child.wait();
    }
}

/// The ratio targets measured side by side, in alternating rounds: the
/// cold Rust API against the raw Cedar floor on the distinct stream, two
/// threads against one, and a cold decision on 1,000,000 grants against
/// one on 10.
fn interleaved(_c: &mut Criterion) {
    if !part("interleaved") {
        return;
    }
    if std::env::var_os(PARTNER).is_some() {
        return Partner::serve();
    }
    println!("load before the interleaved ratios: {}", load());
    let w = workload(10_000);
    let authorizer = cedar_policy::Authorizer::new();
    let entities = cedar_policy::Entities::empty();
    let policies = w.cold.cedar_policy_set();
    let n = w.requests.len();
    ratio_rounds(
        "distinct stream",
        ("govshare Rust API, cold", |i: usize| {
            black_box(w.cold.evaluate(&w.requests[i % n], &*w.registry));
        }),
        ("raw Cedar floor", |i: usize| {
            for r in &w.cedar[i % n] {
                black_box(authorizer.is_authorized(r, policies, &entities));
            }
        }),
        61,
        2_000,
    );
    let records = Engine::builder()
        .decision_cache(CacheLimits::disabled())
        .record_cache(CacheLimits::RECORDS)
        .build()
        .unwrap();
    ratio_rounds(
        "distinct stream, the record cache",
        (
            "govshare Rust API, cold, with the record cache",
            |i: usize| {
                black_box(records.evaluate(&w.requests[i % n], &*w.registry));
            },
        ),
        ("without it (the default)", |i: usize| {
            black_box(w.cold.evaluate(&w.requests[i % n], &*w.registry));
        }),
        61,
        2_000,
    );
    // Throughput: a batch of cold decisions on this thread against the
    // same batch split between this thread and one more sharing the engine,
    // and against the batch split between this process and a partner
    // process (the same benchmark, started with `GOVSHARE_BENCH_PARTNER`):
    // two processes share nothing but the machine, so theirs is the most
    // two threads could reach on it.
    let run = |engine: &Engine, t: usize, stride: usize, call: usize| {
        for k in (t..BATCH).step_by(stride) {
            black_box(engine.evaluate(&w.requests[(call * BATCH + k) % n], &*w.registry));
        }
    };
    // The second thread lives through the rounds, as the partner process
    // does, and decides the odd half of each batch it is sent.
    let (run, cold) = (&run, &w.cold);
    std::thread::scope(|s| {
        let (go, calls) = std::sync::mpsc::channel::<usize>();
        let (finished, done) = std::sync::mpsc::channel::<()>();
        s.spawn(move || {
            for i in calls {
                run(cold, 1, 2, i);
                finished.send(()).unwrap();
            }
        });
        ratio_rounds(
            "threads (each call a batch of 200 cold decisions; the ratio is the throughput gained)",
            ("one thread", |i: usize| run(&w.cold, 0, 1, i)),
            ("two threads sharing one engine", |i: usize| {
                go.send(i).unwrap();
                run(&w.cold, 0, 2, i);
                done.recv().unwrap();
            }),
            61,
            20,
        );
        drop(go);
    });
    let mut partner = Partner::start();
    ratio_rounds(
        "processes (each call a batch of 200 cold decisions; the ratio is the throughput gained)",
        ("one process", |i: usize| run(&w.cold, 0, 1, i)),
        ("two processes", |i: usize| {
            partner.send(i);
            run(&w.cold, 0, 2, i);
            partner.wait();
        }),
        61,
        20,
    );
    drop(partner);
    drop(w);
    let load_registry = |grants: usize| {
        let registry = Registry::from_json_str(&workload::registry_json(grants)).unwrap();
        let requests: Vec<UsageRequest> = workload::stream(&registry)
            .iter()
            .map(|j| UsageRequest::from_json(j).unwrap())
            .collect();
        (registry, requests)
    };
    let (small, small_requests) = load_registry(10);
    let (large, large_requests) = load_registry(1_000_000);
    let cold = cold_engine();
    ratio_rounds(
        "registry size",
        ("cold decision, 1,000,000 grants", |i: usize| {
            black_box(cold.evaluate(&large_requests[i % large_requests.len()], &large));
        }),
        ("cold decision, 10 grants", |i: usize| {
            black_box(cold.evaluate(&small_requests[i % small_requests.len()], &small));
        }),
        61,
        2_000,
    );
}

criterion_group!(
    benches,
    decisions,
    interleaved,
    zipf,
    scale,
    one_pair,
    throughput,
    rego_memory,
    lifecycle
);
criterion_main!(benches);
