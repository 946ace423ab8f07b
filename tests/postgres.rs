//! The PostgreSQL store, in one process: migrations, the usage record and
//! its verification, the journal shared by several connections, and the
//! replica's versions, staleness bound and recovery. Each test starts its
//! own throwaway cluster (see `support/pg.rs`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/pg.rs"]
mod pg;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use govshare::audit::{Query, Record, RecordSink as _};
use govshare::lifecycle::Transition;
use govshare::store::{
    DurableRegistry, PgStore, Replica, ReplicaOptions, SignatureAlgorithm, SignatureCheck,
    SigningKey, StoreOptions, verify_export_reader,
};
use govshare::time::ManualClock;
use govshare::{
    DepartmentId, Engine, GrantId, Place, Registry, StoreError, UsageRequest, Violation,
};

const DEMO: &str = include_str!("../examples/data/registry.json");
const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";

fn demo() -> Registry {
    Registry::from_json_str(DEMO).unwrap()
}

fn t(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    govshare::time::parse_rfc3339(s).unwrap()
}

/// A request under grant …01 on 4 March 2026: allowed until the grant is
/// suspended.
fn request() -> UsageRequest {
    UsageRequest::from_json(
        r#"{"requester": "hz-hrss", "dataset": "ent-reg", "grant": "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01",
            "action": "access", "method": "service_interface",
            "purpose": "social-insurance.enrollment-check",
            "items": ["uscc", "name"], "at": "2026-03-04T10:00:00+08:00"}"#,
    )
    .unwrap()
}

/// The provider suspends grant …01 on 3 March 2026.
fn suspension() -> Transition {
    Transition::for_violation(
        G1.parse::<GrantId>().unwrap(),
        Violation::ScopeExpansion,
        t("2026-03-03T09:00:00+08:00"),
        t("2026-03-17T18:00:00+08:00"),
        DepartmentId::new("hz-amr").unwrap(),
        "杭州市市场监督管理局",
        "超范围调用身份证号",
    )
}

fn clocked() -> StoreOptions {
    StoreOptions::new().clock(Arc::new(ManualClock::new(t("2026-03-03T10:00:00+08:00"))))
}

fn fast() -> ReplicaOptions {
    ReplicaOptions::new()
        .poll(Duration::from_millis(100))
        .staleness(Duration::from_millis(800))
        .wait(Duration::from_millis(500))
}

#[test]
fn migrations_are_applied_once_and_recorded() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("migrations");
    let first = PgStore::migrate(&url, StoreOptions::new()).unwrap();
    assert_eq!(first.applied, ["0001_logs"]);
    let again = PgStore::migrate(&url, StoreOptions::new()).unwrap();
    assert!(again.applied.is_empty());
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let n: i64 = c
        .query_one("SELECT count(*) FROM govshare_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    // A schema written by a newer library is refused, not guessed at.
    c.execute(
        "INSERT INTO govshare_migrations (version, name, checksum, applied_at) VALUES (2, '0002_future', 'x', 'now')",
        &[],
    )
    .unwrap();
    let err = PgStore::connect(&url).unwrap_err();
    assert!(
        matches!(&err, StoreError::Schema { why, .. } if why.contains("newer govshare")),
        "{err:?}"
    );
    // The password never appears in what errors name.
    assert!(!format!("{err}").contains("secret"));
}

#[test]
fn the_record_verifies_queries_and_exports_as_on_sqlite() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("record");
    let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let store = PgStore::connect_with(&url, clocked().signing_key(key.clone()).checkpoint_every(5))
        .unwrap();
    let engine = Engine::builder().build().unwrap();
    let registry = demo();
    let req = request();
    let decision = engine.evaluate(&req, &registry);
    assert!(decision.is_allow(), "{decision}");
    for i in 1..=12u64 {
        let a = store.record(&Record::decision(&req, &decision)).unwrap();
        assert_eq!(a.seq, i);
    }
    let report = store.verify(Some(&key.public_key())).unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.signatures, SignatureCheck::GivenKey);
    assert_eq!(report.record.entries, 12);
    assert_eq!(report.checkpoints, 2);
    let found = store
        .query(&Query {
            grant: Some(G1.parse().unwrap()),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(found.len(), 12);
    // The export is the SQLite store's format and verifies alike.
    let mut out = Vec::new();
    store.export(&mut out).unwrap();
    let exported = verify_export_reader(&out[..], Some(&key.public_key())).unwrap();
    assert!(exported.is_intact());
    assert_eq!(exported.record.entries, 12);
    // Without the key, a signed store is not written to.
    let unsigned = PgStore::connect(&url).unwrap();
    assert!(matches!(
        unsigned.record(&Record::decision(&req, &decision)),
        Err(govshare::RecordError::Store(StoreError::KeyRequired { .. }))
    ));
    // An entry edited in the database is found, and named.
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.execute(
        "UPDATE govshare_records SET record = convert_to(replace(convert_from(record, 'UTF8'), 'access', 'use'), 'UTF8') WHERE seq = 7",
        &[],
    )
    .unwrap();
    let report = store.verify(Some(&key.public_key())).unwrap();
    let broken = report.broken.expect("the edit is found");
    assert_eq!(
        broken.place,
        Place::Entry {
            log: govshare::Log::Record,
            seq: 7
        }
    );
    assert!(store.query(&Query::default()).is_err());
}

#[test]
fn appends_from_many_connections_leave_one_chain() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("appends");
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    PgStore::migrate(&url, StoreOptions::new().signing_key(key.clone())).unwrap();
    let engine = Engine::builder().build().unwrap();
    let req = request();
    let decision = engine.evaluate(&req, &demo());
    let acknowledged: Vec<Vec<u64>> = std::thread::scope(|s| {
        let writers: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                let key = key.clone();
                let (req, decision) = (&req, &decision);
                s.spawn(move || {
                    let store = PgStore::connect_with(
                        &url,
                        StoreOptions::new().signing_key(key).checkpoint_every(16),
                    )
                    .unwrap();
                    (0..25)
                        .map(|_| store.record(&Record::decision(req, decision)).unwrap().seq)
                        .collect()
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut all: Vec<u64> = acknowledged.into_iter().flatten().collect();
    all.sort_unstable();
    assert_eq!(all, (1..=100).collect::<Vec<_>>());
    let report = PgStore::connect_read_only(&url)
        .unwrap()
        .verify(Some(&key.public_key()))
        .unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.record.entries, 100);
    assert!(report.checkpoints >= 6);
}

#[test]
fn a_change_recorded_by_one_instance_reaches_the_others() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("replicas");
    let engine = Engine::builder().build().unwrap();
    let a = Replica::open(
        &PgStore::connect_with(&url, clocked()).unwrap(),
        demo(),
        fast(),
    )
    .unwrap();
    let b = Replica::open(&PgStore::connect(&url).unwrap(), demo(), fast()).unwrap();
    let before = engine.evaluate(&request(), &b.facts());
    assert!(before.is_allow(), "{before}");
    assert_eq!(before.registry_version(), Some(0));

    let applied = a.apply(&suspension()).unwrap();
    assert_eq!(applied.seq, 1);
    // With the version token: at once.
    let fresh = engine.evaluate(&request(), &b.facts_at_least(applied.seq));
    assert!(!fresh.is_allow());
    assert_eq!(fresh.registry_version(), Some(1));
    assert_eq!(fresh.rule_ids(), ["GS-GRANT-SUSPENDED"]);

    // Without it, a third instance hears of it by notification, well
    // within the staleness bound.
    let c = Replica::open(&PgStore::connect(&url).unwrap(), demo(), fast()).unwrap();
    assert_eq!(c.version(), 1);
    let d_store = PgStore::connect(&url).unwrap();
    let d = Replica::open(&d_store, demo(), fast()).unwrap();
    let second = a
        .apply(&Transition::new(
            t("2026-03-03T10:00:00+08:00"),
            DepartmentId::new("hz-amr").unwrap(),
            "杭州市市场监督管理局",
            "已改正",
            govshare::lifecycle::Change::Reinstated {
                grant: G1.parse().unwrap(),
            },
        ))
        .unwrap();
    let start = Instant::now();
    while d.version() < second.seq {
        assert!(
            start.elapsed() < Duration::from_millis(800),
            "the change did not arrive within the staleness bound"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Every instance decides as one in-memory registry given the same
    // history.
    let mut memory = demo();
    memory.apply(&suspension()).unwrap();
    let expected = engine.evaluate(&request(), &memory);
    let durable = DurableRegistry::open(demo(), d_store.journal(&demo()).unwrap()).unwrap();
    let replayed = engine.evaluate(&request(), &*durable.registry());
    for r in [&a, &b, &c, &d] {
        let got = engine.evaluate(&request(), &r.facts_at_least(second.seq));
        assert_eq!(got.is_allow(), replayed.is_allow());
        assert_eq!(got.rule_ids(), replayed.rule_ids());
        assert_eq!(got.registry_version(), Some(2));
    }
    assert!(!expected.is_allow());
}

#[test]
fn a_version_not_reached_in_time_is_a_deny() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("token");
    let engine = Engine::builder().build().unwrap();
    let r = Replica::open(&PgStore::connect(&url).unwrap(), demo(), fast()).unwrap();
    let start = Instant::now();
    let d = engine.evaluate(&request(), &r.facts_at_least(7));
    assert!(start.elapsed() >= Duration::from_millis(500));
    assert!(!d.is_allow());
    assert_eq!(d.rule_ids(), ["GS-FACTS-UNAVAILABLE"]);
    assert_eq!(d.registry_version(), Some(0));
    assert!(format!("{d}").contains("not yet at version 7"), "{d}");
}

#[test]
fn a_replica_cut_off_from_the_database_denies_then_recovers() {
    let mut cluster = pg::Cluster::start();
    let url = cluster.create_db("outage");
    let engine = Engine::builder().build().unwrap();
    let r = Replica::open(&PgStore::connect(&url).unwrap(), demo(), fast()).unwrap();
    assert!(engine.evaluate(&request(), &r.facts()).is_allow());
    cluster.kill();
    // Within the bound the replica still serves what it has; past it, it
    // denies.
    std::thread::sleep(Duration::from_millis(1200));
    let d = engine.evaluate(&request(), &r.facts());
    assert!(!d.is_allow());
    assert_eq!(d.rule_ids(), ["GS-FACTS-UNAVAILABLE"]);
    assert!(format!("{d}").contains("staleness bound"), "{d}");
    cluster.resume();
    let start = Instant::now();
    loop {
        let d = engine.evaluate(&request(), &r.facts());
        if d.is_allow() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the replica did not recover: {d}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // And it writes again through a store that reconnected.
    let w = PgStore::connect(&url).unwrap();
    let applied = Replica::open(&w, demo(), fast())
        .unwrap()
        .apply(&suspension())
        .unwrap();
    let d = engine.evaluate(&request(), &r.facts_at_least(applied.seq));
    assert_eq!(d.rule_ids(), ["GS-GRANT-SUSPENDED"]);
}

#[test]
fn a_journal_of_the_json_lines_format_imports_in_one_transaction() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("import");
    let dir = tempfile::tempdir().unwrap();
    let legacy = dir.path().join("journal.jsonl");
    let digest = govshare::store::registry_digest(&demo());
    std::fs::write(
        &legacy,
        format!(
            "{}\n{}\n",
            serde_json::json!({"govshare_journal": 1, "base": digest}),
            serde_json::json!({"seq": 1, "transition": suspension()})
        ),
    )
    .unwrap();
    let store = PgStore::connect(&url).unwrap();
    let imported = store.import_journal(&legacy, &demo()).unwrap();
    assert_eq!(imported.entries, 1);
    assert_eq!(imported.head.seq, 1);
    assert!(store.verify(None).unwrap().is_intact());
    let r = Replica::open(&store, demo(), fast()).unwrap();
    assert_eq!(r.version(), 1);
    let engine = Engine::builder().build().unwrap();
    assert_eq!(
        engine.evaluate(&request(), &r.facts()).rule_ids(),
        ["GS-GRANT-SUSPENDED"]
    );
    // Into a journal that holds changes: refused, nothing written.
    assert!(matches!(
        store.import_journal(&legacy, &demo()),
        Err(govshare::JournalError::Store(StoreError::NotEmpty { .. }))
    ));
    assert_eq!(store.verify(None).unwrap().journal.entries, 1);
}

#[test]
fn without_the_server_binaries_the_tests_fail_saying_how_to_install_them() {
    let empty = tempfile::tempdir().unwrap();
    let message = pg::find_bin_in(None, Some("".into()), empty.path()).unwrap_err();
    assert!(
        message.contains("apt-get install -y postgresql"),
        "{message}"
    );
    let message = pg::find_bin_in(
        Some(empty.path().into()),
        None,
        Path::new("/usr/lib/postgresql"),
    )
    .unwrap_err();
    assert!(
        message.contains("apt-get install -y postgresql"),
        "{message}"
    );
}

#[test]
fn a_lost_notification_delays_a_change_but_never_loses_it() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("lost");
    let a = Replica::open(
        &PgStore::connect_with(&url, clocked()).unwrap(),
        demo(),
        fast(),
    )
    .unwrap();
    // B is told of nothing: its listening connection is cut before every
    // change, so only its polling by sequence can find them.
    let b = Replica::open(
        &PgStore::connect(&url).unwrap(),
        demo(),
        fast().poll(Duration::from_millis(300)),
    )
    .unwrap();
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let cut = |admin: &mut postgres::Client| {
        admin
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
                &[],
            )
            .unwrap()
    };
    let start = Instant::now();
    while admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'",
            &[],
        )
        .unwrap()
        .get::<_, i64>(0)
        < 2
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the replicas listen"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(cut(&mut admin) >= 2, "both replicas listen");
    let seq = a.apply(&suspension()).unwrap().seq;
    let start = Instant::now();
    while b.version() < seq {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "polling did not find the change"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let engine = Engine::builder().build().unwrap();
    assert_eq!(
        engine.evaluate(&request(), &b.facts()).rule_ids(),
        ["GS-GRANT-SUSPENDED"]
    );
}

#[test]
fn records_older_than_three_years_are_pruned_with_a_signed_anchor() {
    let cluster = pg::Cluster::start();
    let url = cluster.create_db("prune");
    let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let then = PgStore::connect_with(&url, clocked().signing_key(key.clone())).unwrap();
    let engine = Engine::builder().build().unwrap();
    let record = Record::decision(&request(), &engine.evaluate(&request(), &demo()));
    for _ in 0..3 {
        then.record(&record).unwrap();
    }
    let later = PgStore::connect_with(
        &url,
        StoreOptions::new()
            .signing_key(key.clone())
            .clock(Arc::new(ManualClock::new(t("2030-01-01T00:00:00+08:00")))),
    )
    .unwrap();
    // Not yet three years before the store's clock: refused.
    assert!(matches!(
        later.prune(t("2027-06-01T00:00:00+08:00")),
        Err(govshare::RecordError::Retention { .. })
    ));
    let pruned = later.prune(t("2026-12-31T00:00:00+08:00")).unwrap();
    assert_eq!(pruned.records, 3);
    assert_eq!(
        pruned.anchor.as_ref().unwrap().pruned.as_ref().unwrap().seq,
        3
    );
    assert_eq!(later.record(&record).unwrap().seq, 4);
    let report = later.verify(Some(&key.public_key())).unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.record.entries, 1);
    assert_eq!(report.record.first, Some(4));
    // Without its key a signed store is not pruned.
    assert!(matches!(
        PgStore::connect(&url)
            .unwrap()
            .prune(t("2026-12-31T00:00:00+08:00")),
        Err(govshare::RecordError::Store(StoreError::KeyRequired { .. }))
    ));
}
