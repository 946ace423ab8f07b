//! Store benchmarks: appending a usage record (one writer, and four
//! writers on their own connections), verifying a store of 1,000,000
//! records, and the fsynced JSON-lines append the store replaced, measured
//! the same way on the same disk.
//!
//! `cargo bench --all-features --bench store`. `GOVSHARE_BENCH_RECORDS`
//! sets the size of the verified store (default 1,000,000).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::io::Write as _;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use govshare::audit::{Record, RecordSink as _, UseCategory, UseEvent};
use govshare::store::{SignatureAlgorithm, SigningKey, Store, StoreOptions};
use govshare::{Engine, Registry, UsageRequest};
use sha2::Digest as _;

fn decision() -> Record {
    let engine = Engine::builder().build().unwrap();
    let registry = Registry::from_json_str(include_str!("../examples/data/registry.json")).unwrap();
    let request =
        UsageRequest::from_json(include_str!("../examples/data/requests/01-allow.json")).unwrap();
    Record::decision(&request, &engine.evaluate(&request, &registry))
}

fn use_event(i: usize) -> Record {
    Record::UseEvent(UseEvent {
        at: govshare::time::parse_rfc3339("2026-03-02T10:00:00+08:00").unwrap()
            + chrono::Duration::seconds(i as i64),
        grant: "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01".parse().unwrap(),
        requester: "hz-hrss".parse().unwrap(),
        dataset: "ent-reg".parse().unwrap(),
        category: UseCategory::Process,
        detail: format!("第{i}次参保登记核验"),
        actor: "hz-hrss 系统".into(),
    })
}

fn signed(path: &std::path::Path) -> Store {
    let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    Store::open_with(path, StoreOptions::new().signing_key(key)).unwrap()
}

/// The append of govshare 0.2's record log, as it was: one JSON line with
/// its SHA-256 chain hash, written and `sync_data`ed.
struct JsonlLog {
    file: std::fs::File,
    seq: u64,
    head: String,
}

impl JsonlLog {
    fn append(&mut self, record: &Record) {
        let json = serde_json::to_string(record).unwrap();
        self.seq += 1;
        let mut h = sha2::Sha256::new();
        h.update(format!("{}\n{}\n", self.seq, self.head).as_bytes());
        h.update(json.as_bytes());
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let line = format!(
            "{{\"seq\":{},\"prev\":\"{}\",\"hash\":\"{hash}\",\"record\":{json}}}\n",
            self.seq, self.head
        );
        self.file.write_all(line.as_bytes()).unwrap();
        self.file.sync_data().unwrap();
        self.head = hash;
    }
}

fn append(c: &mut Criterion) {
    let record = decision();
    let mut g = c.benchmark_group("record_append");
    g.throughput(Throughput::Elements(1));

    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = JsonlLog {
        file: std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.path().join("usage.jsonl"))
            .unwrap(),
        seq: 0,
        head: "0".repeat(64),
    };
    g.bench_function("jsonl_fsync_baseline", |b| b.iter(|| jsonl.append(&record)));

    let store = signed(&dir.path().join("one.db"));
    g.bench_function("store_1_writer", |b| {
        b.iter(|| black_box(store.record(&record).unwrap()))
    });

    for writers in [2usize, 4] {
        let path = dir.path().join(format!("w{writers}.db"));
        let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
        let handles: Vec<Store> = (0..writers)
            .map(|_| {
                Store::open_with(
                    &path,
                    StoreOptions::new()
                        .signing_key(key.clone())
                        .busy_timeout(Duration::from_secs(60)),
                )
                .unwrap()
            })
            .collect();
        g.bench_function(format!("store_{writers}_writers"), |b| {
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
    }
    g.finish();
}

fn verify(c: &mut Criterion) {
    let n: usize = std::env::var("GOVSHARE_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.db");
    let store = signed(&path);
    let started = Instant::now();
    let batch = 50_000;
    for start in (0..n).step_by(batch) {
        let records: Vec<Record> = (start..(start + batch).min(n)).map(use_event).collect();
        store.record_batch(&records).unwrap();
    }
    eprintln!(
        "built a store of {n} records in {:.1} s ({} bytes)",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&path).unwrap().len()
    );
    drop(store);
    let reader = Store::open_read_only(&path).unwrap();
    let mut g = c.benchmark_group("verify");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("store_{n}_records"), |b| {
        b.iter(|| {
            let report = reader.verify(None).unwrap();
            assert!(report.is_intact());
            black_box(report)
        })
    });
    g.finish();
}

criterion_group!(benches, append, verify);
criterion_main!(benches);
