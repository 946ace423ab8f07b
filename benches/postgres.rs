//! PostgreSQL store benchmarks, against a throwaway cluster of their own
//! (fsync on, a Unix socket): the latency of a decision on the replica
//! against the in-memory registry it mirrors; the propagation delay of a
//! change from the instance that records it to another (median and 99th
//! percentile); usage record appends with one and four writers; and the
//! time to load a replica of 1,000,000 grants.
//!
//! `cargo bench --all-features --bench postgres`. `GOVSHARE_BENCH_GRANTS`
//! sets the grants of the load (default 1,000,000);
//! `GOVSHARE_BENCH_CHANGES` the changes timed for propagation (default 300).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "../tests/support/pg.rs"]
mod pg;

use std::hint::black_box;
use std::io::Write as _;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use govshare::audit::{Record, RecordSink as _};
use govshare::lifecycle::{Change, Transition};
use govshare::store::{
    PgStore, Replica, ReplicaOptions, SignatureAlgorithm, SigningKey, StoreOptions, registry_digest,
};
use govshare::{DepartmentId, Engine, Registry, UsageRequest, Violation};
use serde_json::{Value, json};

const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";

/// The demo registry, its grant …01 valid through 2030 so that changes
/// made now apply to it.
fn registry() -> Registry {
    Registry::from_json_str(&registry_json().to_string()).unwrap()
}

fn registry_json() -> Value {
    let mut v: Value =
        serde_json::from_str(include_str!("../examples/data/registry.json")).unwrap();
    for g in v["grants"].as_array_mut().unwrap() {
        if g["id"] == G1 {
            g["valid_until"] = json!("2030-01-01T00:00:00+08:00");
        }
    }
    v
}

/// Requesting departments for a large registry: one requester holds at
/// most `limits::MAX_GRANTS_PER_PAIR` grants on one catalog entry, so a
/// million grants on the demo's entry need about a thousand requesters.
const BENCH_REQUESTERS: usize = 1_000;

fn bench_requester(i: usize) -> String {
    format!("bench-dept-{:04}", i % BENCH_REQUESTERS)
}

/// The demo registry with the bench's requesting departments.
fn wide_registry() -> Registry {
    let mut v = registry_json();
    let departments = v["departments"].as_array_mut().unwrap();
    for i in 0..BENCH_REQUESTERS {
        departments.push(
            json!({"id": bench_requester(i), "name": format!("测试部门{i}"),
            "level": "municipal", "region": "330100"}),
        );
    }
    Registry::from_json_str(&v.to_string()).unwrap()
}

fn request() -> UsageRequest {
    UsageRequest::from_json(include_str!("../examples/data/requests/01-allow.json")).unwrap()
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn decision(c: &mut Criterion) {
    let cluster = pg::Cluster::start_with(true);
    let url = cluster.create_db("decision");
    let engine = Engine::builder().build().unwrap();
    let base = registry();
    let request = request();
    let replica = Replica::open(
        &PgStore::connect(&url).unwrap(),
        base.clone(),
        ReplicaOptions::new(),
    )
    .unwrap();
    assert!(engine.evaluate(&request, &replica.facts()).is_allow());
    let mut g = c.benchmark_group("decision");
    g.bench_function("in_memory_registry", |b| {
        b.iter(|| black_box(engine.evaluate(&request, &base)))
    });
    g.bench_function("postgres_replica", |b| {
        b.iter(|| black_box(engine.evaluate(&request, &replica.facts())))
    });
    g.finish();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Not a criterion measurement: the delay of each change is timed on its
/// own, and the median and 99th percentile printed.
fn propagation(_c: &mut Criterion) {
    let n = env("GOVSHARE_BENCH_CHANGES", 300);
    let cluster = pg::Cluster::start_with(true);
    let url = cluster.create_db("propagation");
    let writer = Replica::open(
        &PgStore::connect(&url).unwrap(),
        registry(),
        ReplicaOptions::new(),
    )
    .unwrap();
    let reader = Replica::open(
        &PgStore::connect(&url).unwrap(),
        registry(),
        ReplicaOptions::new(),
    )
    .unwrap();
    let amr = DepartmentId::new("hz-amr").unwrap();
    let mut acks = Vec::with_capacity(n);
    let mut delays = Vec::with_capacity(n);
    for i in 0..n {
        // Dated a second ahead: a reinstatement widens what the requester
        // may do, so it may not take effect before it is recorded.
        let at = chrono::Utc::now().with_timezone(&govshare::time::china_offset())
            + chrono::Duration::seconds(1);
        let t = if i % 2 == 0 {
            Transition::for_violation(
                G1.parse().unwrap(),
                Violation::ScopeExpansion,
                at,
                at + chrono::Duration::days(14),
                amr.clone(),
                "杭州市市场监督管理局",
                "基准测试",
            )
        } else {
            Transition::new(
                at,
                amr.clone(),
                "杭州市市场监督管理局",
                "基准测试",
                Change::Reinstated {
                    grant: G1.parse().unwrap(),
                },
            )
        };
        let start = Instant::now();
        let seq = writer.apply(&t).unwrap().seq;
        acks.push(start.elapsed());
        while reader.version() < seq {
            std::hint::spin_loop();
        }
        delays.push(start.elapsed());
    }
    acks.sort();
    delays.sort();
    println!(
        "propagation: {n} changes; from the start of the append to another instance's replica: median {:?}, p99 {:?}, max {:?}; the append's own acknowledgement: median {:?}, p99 {:?}",
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays.last().copied().unwrap_or_default(),
        percentile(&acks, 0.5),
        percentile(&acks, 0.99),
    );
}

fn append(c: &mut Criterion) {
    let cluster = pg::Cluster::start_with(true);
    let engine = Engine::builder().build().unwrap();
    let request = request();
    let record = Record::decision(&request, &engine.evaluate(&request, &registry()));
    let mut g = c.benchmark_group("record_append");
    g.throughput(Throughput::Elements(1));
    for writers in [1usize, 4] {
        let url = cluster.create_db(&format!("append{writers}"));
        let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
        let handles: Vec<PgStore> = (0..writers)
            .map(|_| {
                PgStore::connect_with(
                    &url,
                    StoreOptions::new()
                        .signing_key(key.clone())
                        .busy_timeout(Duration::from_secs(60)),
                )
                .unwrap()
            })
            .collect();
        g.bench_function(format!("postgres_{writers}_writers"), |b| {
            b.iter_custom(|iters| {
                let per = (iters as usize).div_ceil(writers);
                let started = Instant::now();
                std::thread::scope(|s| {
                    for h in &handles {
                        let record = &record;
                        s.spawn(move || {
                            for _ in 0..per {
                                black_box(h.record(record).unwrap());
                            }
                        });
                    }
                });
                // Time per record over all writers.
                started.elapsed() * iters as u32 / (per * writers) as u32
            })
        });
        assert!(handles[0].verify(None).unwrap().is_intact());
    }
    g.finish();
}

/// Writes a journal of `n` approved grants in the JSON-lines format the
/// store imports.
fn grants_journal(path: &std::path::Path, base: &Registry, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "{}",
        json!({"govshare_journal": 1, "base": registry_digest(base)})
    )
    .unwrap();
    for i in 0..n {
        let grant = json!({"id": format!("bench-{i:07}"), "dataset": "ent-reg",
            "requester": bench_requester(i), "purpose": "tax.registration-check",
            "basis": "《中华人民共和国税收征收管理法》第十五条", "scenario": "税务登记信息比对",
            "items": ["uscc", "name"], "methods": ["bulk_exchange"],
            "valid_from": "2026-01-01T00:00:00+08:00", "valid_until": "2027-01-01T00:00:00+08:00",
            "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"});
        let t = json!({"at": "2025-12-01T09:00:00+08:00", "by": "hz-amr",
            "actor": "杭州市市场监督管理局", "reason": "依第二十一条批准",
            "change": {"kind": "grant_approved", "grant": grant}});
        writeln!(out, "{}", json!({"seq": i + 1, "transition": t})).unwrap();
    }
    out.flush().unwrap();
}

/// Not a criterion measurement either: one load of a large replica takes
/// seconds; it is timed once (after the import that fills the journal)
/// and printed.
fn load(_c: &mut Criterion) {
    let n = env("GOVSHARE_BENCH_GRANTS", 1_000_000);
    let cluster = pg::Cluster::start_with(true);
    let url = cluster.create_db("load");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grants.jsonl");
    let base = wide_registry();
    grants_journal(&file, &base, n);
    let store = PgStore::connect(&url).unwrap();
    let started = Instant::now();
    let imported = store.import_journal(&file, &base).unwrap();
    let import = started.elapsed();
    assert_eq!(imported.entries as usize, n);
    drop(dir);
    let started = Instant::now();
    let replica = Replica::open(&store, base, ReplicaOptions::new()).unwrap();
    let loaded = started.elapsed();
    assert_eq!(replica.version() as usize, n);
    println!(
        "replica_load: {n} grants: the replica loaded (read, chain-checked, replayed) in {loaded:?}; the journal imported (replayed, multi-row INSERT, one transaction) in {import:?}"
    );
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = decision, append, propagation, load
}
criterion_main!(benches);
