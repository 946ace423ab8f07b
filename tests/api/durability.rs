//! The store loses nothing acknowledged, changes nothing on a failure,
//! refuses files that are not stores, and shows every alteration.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use govshare::audit::{Query, Record, RecordSink, UseCategory, UseEvent};
use govshare::lifecycle::{Change, Transition};
use govshare::store::{
    Append, Applied, DurableRegistry, Journal, JournalStore, SignatureAlgorithm, SignatureCheck,
    SigningKey, Store, StoreOptions, verify_export,
};
use govshare::time::ManualClock;
use govshare::{
    DepartmentId, DisposalMethod, EndTrigger, Engine, GrantId, JournalError, Place, RecordError,
    StoreError, UsageRequest, Violation,
};

use super::common::{DEMO, demo, t};

const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";
const G3: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e03";
const G4: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e04";

fn id(s: &str) -> GrantId {
    s.parse().unwrap()
}

fn dept(s: &str) -> DepartmentId {
    DepartmentId::new(s).unwrap()
}

/// A clock a test sets, showing `s`.
pub fn clock_at(s: &str) -> ManualClock {
    ManualClock::new(t(s))
}

/// Store options whose clock is `clock`.
pub fn clocked(clock: &ManualClock) -> StoreOptions {
    StoreOptions::new().clock(Arc::new(clock.clone()))
}

/// The demo's transitions, each made by a department allowed to make it
/// (the provider suspends, reinstates and consents; the requester ends a
/// purpose and records a disposal), and each stamped as recorded at its own
/// instant, as [`Durable::apply`] records it.
pub fn transitions() -> Vec<Transition> {
    let tr = |at: &str, by: &str, change| {
        Transition::new(
            t(at),
            dept(by),
            "杭州市数据资源管理局",
            "依第二十七条",
            change,
        )
    };
    let mut all = vec![
        Transition::for_violation(id(G1), Violation::ScopeExpansion, t("2026-03-03T09:00:00+08:00"), t("2026-03-17T18:00:00+08:00"), dept("hz-amr"), "杭州市市场监督管理局", "超范围调用身份证号"),
        tr("2026-03-10T09:00:00+08:00", "hz-amr", Change::Reinstated { grant: id(G1) }),
        tr(
            "2026-03-11T09:00:00+08:00",
            "hz-psb",
            Change::ConsentAdded {
                grant: id(G3),
                consent: serde_json::from_value(serde_json::json!({"kind": "item", "value": "household_address", "at": "2026-03-11T09:00:00+08:00"})).unwrap(),
            },
        ),
        tr("2026-06-01T09:00:00+08:00", "hz-housing", Change::PurposeEnded { grant: id(G3), trigger: EndTrigger::PurposeAchieved }),
        tr("2026-07-02T09:00:00+08:00", "hz-civil", Change::DisposalRecorded { grant: id(G4), method: DisposalMethod::Anonymize, attested_by: "市民政局数据安全员".into() }),
    ];
    for tr in &mut all {
        tr.recorded_at = Some(tr.at);
    }
    all
}

/// A durable registry over a store's journal whose clock a test sets: each
/// change is recorded at its own instant unless the test says otherwise,
/// so widening changes (reinstatement, consent) do not reach back.
#[derive(Debug)]
pub struct Durable {
    registry: DurableRegistry,
    clock: ManualClock,
}

impl Durable {
    /// Over the journal of `store` (a journal of the host's own with
    /// [`Durable::over_journal`]).
    pub fn over(store: &Store) -> Self {
        Self::over_journal(store.journal(&demo()).unwrap())
    }

    pub fn over_journal(journal: Journal) -> Self {
        let clock = clock_at("2026-01-01T00:00:00+08:00");
        let registry = DurableRegistry::open(demo(), journal)
            .unwrap()
            .with_clock(clock.clone());
        Self { registry, clock }
    }

    /// Applies `tr` recorded at its own instant.
    pub fn apply(&self, tr: &Transition) -> Result<Applied, JournalError> {
        self.apply_recorded(tr, tr.at)
    }

    /// Applies `tr` recorded at `now`.
    pub fn apply_recorded(
        &self,
        tr: &Transition,
        now: DateTime<FixedOffset>,
    ) -> Result<Applied, JournalError> {
        self.clock.set(now);
        self.registry.apply(tr)
    }

    pub fn into_registry(self) -> govshare::Registry {
        self.registry.into_registry()
    }
}

impl std::ops::Deref for Durable {
    type Target = DurableRegistry;

    fn deref(&self) -> &DurableRegistry {
        &self.registry
    }
}

pub fn event(i: usize) -> Record {
    Record::UseEvent(UseEvent {
        at: t("2026-03-02T10:00:00+08:00") + chrono::Duration::minutes(i as i64),
        grant: id(G1),
        requester: "hz-hrss".parse().unwrap(),
        dataset: "ent-reg".parse().unwrap(),
        category: UseCategory::Process,
        detail: format!("第{i}批参保登记核验"),
        actor: "hz-hrss 系统".into(),
    })
}

fn durable(store: &Store) -> Durable {
    Durable::over(store)
}

fn replayed(path: &Path) -> govshare::Registry {
    let store = Store::open_read_only(path).unwrap();
    durable(&store).into_registry()
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // The three cases of the issue: a one-line JSON file, a registry, a
    // text file; and an empty file and a foreign SQLite database.
    let victim = dir.path().join("victim.json");
    let line = serde_json::json!({"note": "x".repeat(7_500)}).to_string();
    std::fs::write(&victim, &line).unwrap();
    let registry = dir.path().join("reg.json");
    std::fs::write(&registry, DEMO).unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "第一行\n第二行\nlast line without newline").unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let foreign = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    for path in [&victim, &registry, &notes, &empty, &foreign] {
        let before = std::fs::read(path).unwrap();
        let listing = |p: &Path| {
            let mut v: Vec<_> = std::fs::read_dir(p.parent().unwrap())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            v.sort();
            v
        };
        let files = listing(path);
        for result in [
            Store::open(path).map(drop),
            Store::open_read_only(path).map(drop),
            Store::open_with(
                path,
                StoreOptions::new()
                    .signing_key(SigningKey::generate(SignatureAlgorithm::Sm2).unwrap()),
            )
            .map(drop),
        ] {
            let err = result.unwrap_err();
            assert!(
                matches!(err, StoreError::NotAStore { .. }),
                "{}: {err}",
                path.display()
            );
            assert!(err.to_string().contains("left untouched"), "{err}");
        }
        assert_eq!(std::fs::read(path).unwrap(), before, "{}", path.display());
        assert_eq!(listing(path), files, "no companion files were left");
    }
}

#[test]
fn a_store_replays_to_the_same_registry_and_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).unwrap();
    let d = durable(&store);
    for (i, tr) in transitions().iter().enumerate() {
        let applied = d.apply(tr).unwrap();
        assert_eq!(applied.seq, i as u64 + 1);
        assert!(!applied.retried);
        // One version: the journal's sequence number, as the store, the
        // durable registry and the registry itself give it.
        assert_eq!(d.version(), applied.seq);
        assert_eq!(d.registry().version(), Some(applied.seq));
    }
    let live = d.into_registry();
    let mut direct = demo();
    for tr in transitions() {
        direct.apply(&tr).unwrap();
    }
    // Replayed now, months after the changes were recorded: each is checked
    // as of its stored `recorded_at`, so the reinstatement and the consent
    // (which widen, and may not reach back before their recording) replay.
    let again = replayed(&path);
    assert_eq!(again.version(), Some(5));
    assert_eq!(again.to_json(), direct.to_json());
    assert_eq!(live.to_json(), direct.to_json());
    let engine = Engine::builder().build().unwrap();
    let requests = [
        (
            G1,
            "access",
            r#""method": "service_interface","#,
            "social-insurance.enrollment-check",
            r#"["uscc"]"#,
            "2026-03-05T10:00:00+08:00",
        ),
        (
            G1,
            "access",
            r#""method": "service_interface","#,
            "social-insurance.enrollment-check",
            r#"["uscc"]"#,
            "2026-03-12T10:00:00+08:00",
        ),
        (
            G3,
            "use",
            "",
            "housing.subsidy-eligibility",
            r#"["household_address"]"#,
            "2026-04-01T10:00:00+08:00",
        ),
        (
            G3,
            "use",
            "",
            "housing.subsidy-eligibility",
            r#"["name"]"#,
            "2026-06-02T10:00:00+08:00",
        ),
        (
            G4,
            "use",
            "",
            "social-assistance.minimum-living-allowance",
            r#"["name"]"#,
            "2026-07-03T10:00:00+08:00",
        ),
    ];
    let mut seen = Vec::new();
    for (g, action, method, purpose, items, at) in requests {
        let grant = demo().get_grant(&id(g)).cloned().unwrap();
        let request = UsageRequest::from_json(&format!(
            r#"{{"requester": "{}", "dataset": "{}", "grant": "{g}", "action": "{action}", {method}
                "purpose": "{purpose}", "items": {items}, "at": "{at}"}}"#,
            grant.requester, grant.dataset
        ))
        .unwrap();
        let a = engine.evaluate(&request, &direct);
        let b = engine.evaluate(&request, &again);
        assert_eq!(
            (a.outcome(), a.rule_ids(), a.obligations()),
            (b.outcome(), b.rule_ids(), b.obligations())
        );
        // A decision on the replayed registry names the journal's last
        // change, so a host can compare it with what it wrote.
        assert_eq!(b.registry_version(), Some(5));
        assert_eq!(a.registry_version(), None);
        seen.push(a.rule_ids().join(","));
    }
    // G1 is judged as it stood: suspended on 5 March, reinstated by the
    // 12th; purpose end and disposal carry their own times.
    assert_eq!(
        seen,
        [
            "GS-GRANT-SUSPENDED",
            "GS-PERMIT",
            "GS-PERMIT",
            "GS-PURPOSE-ENDED",
            "GS-PURPOSE-ENDED,GS-DISPOSED"
        ]
    );
    // A journal belongs to its base registry.
    let mut other = demo();
    other.apply(&transitions()[0]).unwrap();
    assert!(matches!(
        store.journal(&other).unwrap_err(),
        JournalError::OtherBase { .. }
    ));
}

#[test]
fn a_retried_change_is_recognised_by_its_idempotency_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s.db")).unwrap();
    let d = durable(&store);
    // As a caller sends it: not yet recorded.
    let mut suspend = transitions()[0].clone();
    suspend.recorded_at = None;
    suspend.idempotency_key = Some("case-2026-0303".into());
    let first = d
        .apply_recorded(&suspend, t("2026-03-03T09:30:00+08:00"))
        .unwrap();
    assert!(!first.retried);
    let stored = |store: &Store| {
        let mut j = store.journal(&demo()).unwrap();
        j.find("case-2026-0303").unwrap().unwrap().transition
    };
    assert_eq!(
        stored(&store).recorded_at,
        Some(t("2026-03-03T09:30:00+08:00")),
        "stamped by the store's clock, not the caller"
    );
    // The retry (after a lost acknowledgement, an hour later) is the same
    // change, though the change stored carries a `recorded_at` the retry
    // does not: the time of recording is the store's, not part of the
    // change. Its earlier acknowledgement is returned, nothing new written.
    let again = d
        .apply_recorded(&suspend, t("2026-03-03T10:30:00+08:00"))
        .unwrap();
    assert_eq!((again.seq, again.retried), (first.seq, true));
    assert_eq!(
        stored(&store).recorded_at,
        Some(t("2026-03-03T09:30:00+08:00"))
    );
    // Even through another handle, after a restart.
    let d2 = durable(&store);
    assert_eq!(d2.apply(&suspend).unwrap(), again);
    // The same key for another change is an error, and changes nothing.
    let mut other = transitions()[1].clone();
    other.idempotency_key = Some("case-2026-0303".into());
    assert!(matches!(
        d2.apply(&other),
        Err(JournalError::KeyConflict { seq: 1, .. })
    ));
    assert_eq!(store.verify(None).unwrap().journal.entries, 1);
    // A refused transition writes nothing.
    let reinstate_active = Transition::new(
        t("2026-03-10T09:00:00+08:00"),
        dept("hz-psb"),
        "x",
        "y",
        Change::Reinstated { grant: id(G3) },
    );
    assert!(matches!(
        d2.apply(&reinstate_active),
        Err(JournalError::Transition(_))
    ));
    assert_eq!(store.verify(None).unwrap().journal.entries, 1);
}

#[test]
fn writers_in_two_processes_check_against_each_others_changes() {
    // Two handles on one file stand for two processes: each sees the
    // other's change before checking its own.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let a = durable(&Store::open(&path).unwrap());
    let b = durable(&Store::open(&path).unwrap());
    a.apply(&transitions()[0]).unwrap();
    // b has not read a's suspension, yet a second suspension is refused.
    let err = b.apply(&transitions()[0]).unwrap_err();
    assert!(matches!(err, JournalError::Transition(_)), "{err}");
    assert_eq!(b.apply(&transitions()[1]).unwrap().seq, 2);
    assert_eq!(a.refresh().unwrap(), 2);
    assert_eq!(a.registry().to_json(), b.registry().to_json());
}

#[test]
fn concurrent_writers_in_one_process_are_serialized() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let d = Arc::new(durable(&Store::open(&path).unwrap()));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let d = Arc::clone(&d);
            std::thread::spawn(move || {
                for k in 0..10 {
                    let consent = serde_json::json!({"kind": "recipient", "value": format!("dept-{i}-{k}"), "at": "2026-03-11T09:00:00+08:00"});
                    d.apply(&Transition::new(
                        t("2026-03-11T09:00:00+08:00"),
                        dept("hz-psb"),
                        "x",
                        "y",
                        Change::ConsentAdded { grant: id(G3), consent: serde_json::from_value(consent).unwrap() },
                    ))
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let live = Arc::try_unwrap(d).unwrap().into_registry();
    let again = replayed(&path);
    assert_eq!(again.get_grant(&id(G3)).unwrap().consents.len(), 41);
    assert_eq!(again.to_json(), live.to_json());
}

/// Edits one column of one row as an attacker with the file would.
fn sql(path: &Path, statement: &str) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(statement).unwrap();
}

#[test]
fn an_edited_journal_is_refused_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let d = durable(&Store::open(&path).unwrap());
        for tr in transitions() {
            d.apply(&tr).unwrap();
        }
    }
    // The issue's flip: the purpose end moved a year later (2026 → 2027),
    // which would turn a GS-PURPOSE-ENDED deny into an allow.
    sql(
        &path,
        "UPDATE govshare_journal SET transition = CAST(replace(CAST(transition AS TEXT), '2026-06-01', '2027-06-01') AS BLOB) WHERE seq = 4",
    );
    let store = Store::open_read_only(&path).unwrap();
    let err = DurableRegistry::open(demo(), store.journal(&demo()).unwrap()).unwrap_err();
    match &err {
        JournalError::Store(StoreError::Broken { broken, .. }) => {
            assert_eq!(
                broken.place,
                Place::Entry {
                    log: govshare::Log::Journal,
                    seq: 4
                }
            );
        }
        other => panic!("{other}"),
    }
    let report = store.verify(None).unwrap();
    assert_eq!(
        report.broken.unwrap().place,
        Place::Entry {
            log: govshare::Log::Journal,
            seq: 4
        }
    );
}

#[test]
fn a_held_write_lock_fails_writers_cleanly_and_never_blocks_readers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).unwrap();
    store.record(&event(0)).unwrap();
    durable(&store).apply(&transitions()[0]).unwrap();
    // Another process holds the write lock with a change in flight.
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE govshare_heads SET seq = seq WHERE log = 'record';")
        .unwrap();
    let writer = Store::open_with(
        &path,
        StoreOptions::new().busy_timeout(std::time::Duration::from_millis(200)),
    )
    .unwrap();
    let err = writer.record(&event(1)).unwrap_err();
    assert!(
        matches!(err, RecordError::Store(StoreError::Locked { .. })),
        "{err}"
    );
    let err = durable(&writer).apply(&transitions()[1]).unwrap_err();
    assert!(
        matches!(err, JournalError::Store(StoreError::Locked { .. })),
        "{err}"
    );
    // Readers go on: verify, query, replay.
    let reader = Store::open_read_only(&path).unwrap();
    assert!(reader.verify(None).unwrap().is_intact());
    assert_eq!(reader.query(&Query::default()).unwrap().len(), 1);
    assert_eq!(durable(&reader).version(), 1);
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(writer.record(&event(1)).unwrap().seq, 2);
    // A read-only store refuses to write.
    assert!(matches!(
        reader.record(&event(2)).unwrap_err(),
        RecordError::Store(StoreError::ReadOnly { .. })
    ));
}

#[test]
fn threads_appending_at_once_lose_nothing_and_the_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let options = StoreOptions::new()
        .signing_key(key.clone())
        .checkpoint_every(25);
    Store::open_with(&path, options.clone()).unwrap();
    // Four writers, two of them on their own connections.
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let store = Store::open_with(&path, options.clone()).unwrap();
            std::thread::spawn(move || {
                let mut seqs = Vec::new();
                for k in 0..25 {
                    seqs.push(store.record(&event(i * 100 + k)).unwrap().seq);
                }
                seqs
            })
        })
        .collect();
    let mut seqs: Vec<u64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=100).collect::<Vec<_>>());
    let store = Store::open_read_only(&path).unwrap();
    let report = store.verify(Some(&key.public_key())).unwrap();
    assert!(report.is_intact(), "{:?}", report.broken);
    assert_eq!(report.record.entries, 100);
    assert_eq!(report.signatures, SignatureCheck::GivenKey);
    assert!(report.checkpoints >= 4, "{}", report.checkpoints);
}

#[test]
fn records_are_queried_by_grant_requester_dataset_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("r.db")).unwrap();
    for i in 0..5 {
        store.record(&event(i)).unwrap();
    }
    let engine = Engine::builder().build().unwrap();
    let other = UsageRequest::from_json(include_str!(
        "../../examples/data/requests/05-third-party.json"
    ))
    .unwrap();
    store
        .record_decision(&other, &engine.evaluate(&other, &demo()))
        .unwrap();
    let q = |q: Query| store.query(&q).unwrap().len();
    assert_eq!(
        q(Query {
            grant: Some(id(G1)),
            ..Query::default()
        }),
        5
    );
    assert_eq!(
        q(Query {
            requester: Some("hz-housing".parse().unwrap()),
            ..Query::default()
        }),
        1
    );
    assert_eq!(
        q(Query {
            dataset: Some("hh-reg".parse().unwrap()),
            ..Query::default()
        }),
        1
    );
    assert_eq!(
        q(Query {
            from: Some(t("2026-03-02T10:01:00+08:00")),
            until: Some(t("2026-03-02T10:03:00+08:00")),
            ..Query::default()
        }),
        2
    );
}

fn signed_store(
    path: &Path,
    clock: &ManualClock,
    algorithm: SignatureAlgorithm,
) -> (Store, SigningKey) {
    let key = SigningKey::generate(algorithm).unwrap();
    let store = Store::open_with(path, clocked(clock).signing_key(key.clone())).unwrap();
    (store, key)
}

#[test]
fn retention_counts_from_the_stores_clock_never_from_the_callers() {
    let dir = tempfile::tempdir().unwrap();
    let clock = clock_at("2026-03-02T10:00:00+08:00");
    let (store, key) = signed_store(&dir.path().join("r.db"), &clock, SignatureAlgorithm::Sm2);
    // Records whose `at` is backdated to 2020 are still appended now.
    let mut old = event(0);
    if let Record::UseEvent(e) = &mut old {
        e.at = t("2020-01-01T00:00:00+08:00");
    }
    store.record(&old).unwrap();
    store.record(&event(1)).unwrap();
    clock.set(t("2027-01-01T00:00:00+08:00"));
    store.record(&event(2)).unwrap();
    // A cutoff the store's clock does not allow is refused, whatever the
    // caller believes "now" is: nothing is pruned.
    let err = store.prune(t("2030-01-01T00:00:00+08:00")).unwrap_err();
    assert!(matches!(err, RecordError::Retention { .. }), "{err}");
    // The latest cutoff allowed is three years before the store's clock:
    // the backdated record is young by that measure and stays.
    let allowed = t("2024-01-01T00:00:00+08:00");
    assert_eq!(store.prune(allowed).unwrap().records, 0);
    assert_eq!(store.verify(None).unwrap().record.entries, 3);
    // Three years and a day after the first appends, they go — only they.
    clock.set(t("2029-03-03T10:00:00+08:00"));
    let pruned = store.prune(t("2026-03-03T10:00:00+08:00")).unwrap();
    assert_eq!(pruned.records, 2);
    let anchor = pruned.anchor.unwrap();
    assert_eq!(anchor.pruned.as_ref().unwrap().seq, 2);
    store.record(&event(3)).unwrap();
    let report = store.verify(Some(&key.public_key())).unwrap();
    assert!(report.is_intact(), "{:?}", report.broken);
    assert_eq!(report.record.first, Some(3));
    assert_eq!(report.record.entries, 2);
    // An unsigned store cannot prune: an anchor is valid only when signed.
    let plain = Store::open(dir.path().join("plain.db")).unwrap();
    assert!(matches!(
        plain.prune(t("2020-01-01T00:00:00+08:00")),
        Err(RecordError::Unsigned { .. })
    ));
}

#[test]
fn a_forged_prune_anchor_does_not_pass() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let clock = clock_at("2026-03-02T10:00:00+08:00");
    let (store, key) = signed_store(&path, &clock, SignatureAlgorithm::Sm2);
    for i in 0..8 {
        store.record(&event(i)).unwrap();
    }
    store.checkpoint().unwrap();
    // The issue's attack: delete entries 1..7 (all inside retention) and
    // add an anchor whose pruned range copies entry 7's hash, unsigned…
    let hash7: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT hash FROM govshare_records WHERE seq = 7", [], |r| {
            r.get(0)
        })
        .unwrap();
    sql(
        &path,
        &format!(
            "DELETE FROM govshare_records WHERE seq <= 7;
             INSERT INTO govshare_checkpoints (id, kind, at, journal_seq, journal_head, record_seq, record_head, pruned_seq, pruned_head, pruned_cutoff, signature)
             VALUES (2, 'prune', '2029-06-01T00:00:00+08:00', 0, '', 8, (SELECT hash FROM govshare_records WHERE seq = 8), 7, '{hash7}', '2026-03-02T10:08:00+08:00', '00');"
        ),
    );
    let report = Store::open_read_only(&path)
        .unwrap()
        .verify(Some(&key.public_key()))
        .unwrap();
    assert_eq!(
        report.broken.unwrap().place,
        Place::Checkpoint { id: 2 },
        "the unsigned anchor is refused"
    );
    // …or signed with a key of the forger's own, header key swapped: the
    // deployment's public key shows it.
    let forger = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let forged = Store::open_with(
        dir.path().join("forged.db"),
        StoreOptions::new().signing_key(forger.clone()),
    )
    .unwrap();
    forged.record(&event(0)).unwrap();
    let err = forged.verify(Some(&key.public_key())).unwrap_err();
    assert!(
        matches!(&err, StoreError::Broken { broken, .. } if broken.place == Place::Header),
        "{err}"
    );
}

#[test]
fn a_cut_tail_is_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let (store, key) = signed_store(
        &path,
        &clock_at("2026-03-02T10:00:00+08:00"),
        SignatureAlgorithm::Ed25519,
    );
    for i in 0..6 {
        store.record(&event(i)).unwrap();
    }
    store.checkpoint().unwrap();
    // The last two entries deleted: the head shows it.
    sql(&path, "DELETE FROM govshare_records WHERE seq > 4");
    let report = store.verify(Some(&key.public_key())).unwrap();
    assert!(!report.is_intact());
    // And with the head rewritten too, the signed checkpoint shows it.
    sql(
        &path,
        "UPDATE govshare_heads SET seq = 4, hash = (SELECT hash FROM govshare_records WHERE seq = 4) WHERE log = 'record'",
    );
    let report = store.verify(Some(&key.public_key())).unwrap();
    assert_eq!(
        report.broken.unwrap().place,
        Place::Entry {
            log: govshare::Log::Record,
            seq: 5
        }
    );
}

#[test]
fn a_store_created_with_a_key_needs_it_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let (store, key) = signed_store(
        &path,
        &clock_at("2026-03-02T10:00:00+08:00"),
        SignatureAlgorithm::Sm2,
    );
    store.record(&event(0)).unwrap();
    assert_eq!(store.signature_algorithm(), Some(SignatureAlgorithm::Sm2));
    assert_eq!(store.hash_algorithm(), govshare::store::HashAlgorithm::Sm3);
    let keyless = Store::open(&path).unwrap();
    assert!(matches!(
        keyless.record(&event(1)).unwrap_err(),
        RecordError::Store(StoreError::KeyRequired { .. })
    ));
    let other = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    assert!(matches!(
        Store::open_with(&path, StoreOptions::new().signing_key(other)).unwrap_err(),
        StoreError::WrongKey { .. }
    ));
    // PEM round trips, as files an operator keeps.
    let pem = key.to_pkcs8_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let again = SigningKey::from_pkcs8_pem(&pem).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    let public = govshare::store::PublicKey::from_pem(&key.public_key().to_pem().unwrap()).unwrap();
    assert_eq!(store.public_key(), Some(public));
}

#[test]
fn a_journal_store_of_the_hosts_own_is_driven_the_same_way() {
    // A host's own JournalStore: a vector. DurableRegistry appends only at
    // the position it has seen and recognises keys through `find`.
    #[derive(Default)]
    struct Memory(Vec<Transition>);
    impl JournalStore for Memory {
        fn since(&mut self, after: u64) -> Result<Vec<govshare::store::Journaled>, JournalError> {
            Ok(self
                .0
                .iter()
                .enumerate()
                .skip(after as usize)
                .map(|(i, t)| govshare::store::Journaled {
                    seq: i as u64 + 1,
                    transition: t.clone(),
                })
                .collect())
        }
        fn find(&mut self, key: &str) -> Result<Option<govshare::store::Journaled>, JournalError> {
            Ok(self
                .0
                .iter()
                .position(|t| t.idempotency_key.as_deref() == Some(key))
                .map(|i| govshare::store::Journaled {
                    seq: i as u64 + 1,
                    transition: self.0[i].clone(),
                }))
        }
        fn append(&mut self, after: u64, t: &Transition) -> Result<Append, JournalError> {
            if after != self.0.len() as u64 {
                return Ok(Append::Behind);
            }
            self.0.push(t.clone());
            Ok(Append::Recorded {
                seq: self.0.len() as u64,
            })
        }
    }
    let d = DurableRegistry::open(demo(), Memory::default())
        .unwrap()
        .with_clock(clock_at("2026-03-03T09:00:00+08:00"));
    let mut tr = transitions()[0].clone();
    tr.idempotency_key = Some("k".into());
    assert!(!d.apply(&tr).unwrap().retried);
    assert!(d.apply(&tr).unwrap().retried);
}

#[test]
fn an_export_verifies_with_the_same_chain_and_imports_check_the_old_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let (store, key) = signed_store(
        &path,
        &clock_at("2026-03-02T10:00:00+08:00"),
        SignatureAlgorithm::Sm2,
    );
    let d = durable(&store);
    for tr in transitions() {
        d.apply(&tr).unwrap();
    }
    for i in 0..4 {
        store.record(&event(i)).unwrap();
    }
    store.checkpoint().unwrap();
    let export = dir.path().join("export.jsonl");
    store
        .export(&mut std::fs::File::create(&export).unwrap())
        .unwrap();
    let from_store = store.verify(Some(&key.public_key())).unwrap();
    let from_export = verify_export(&export, Some(&key.public_key())).unwrap();
    assert!(from_export.is_intact(), "{:?}", from_export.broken);
    assert_eq!(from_export.journal, from_store.journal);
    assert_eq!(from_export.record, from_store.record);
    // A cut export (its end line gone) is damage.
    let text = std::fs::read_to_string(&export).unwrap();
    let cut: String = text
        .lines()
        .take(text.lines().count() - 2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&export, cut).unwrap();
    assert!(!verify_export(&export, None).unwrap().is_intact());

    // The 0.2 formats import, verified as they are read.
    let legacy = dir.path().join("usage.jsonl");
    let mut prev = "0".repeat(64);
    let mut lines = String::new();
    for i in 0..3 {
        let record = serde_json::to_string(&event(i)).unwrap();
        let seq = i + 1;
        let hash = {
            use sha2::Digest as _;
            let mut h = sha2::Sha256::new();
            h.update(format!("{seq}\n{prev}\n").as_bytes());
            h.update(record.as_bytes());
            h.finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        lines.push_str(&format!(
            "{{\"seq\":{seq},\"prev\":\"{prev}\",\"hash\":\"{hash}\",\"record\":{record}}}\n"
        ));
        prev = hash;
    }
    std::fs::write(&legacy, &lines).unwrap();
    let fresh = Store::open(dir.path().join("fresh.db")).unwrap();
    let imported = fresh.import_records(&legacy).unwrap();
    assert_eq!(
        (imported.entries, imported.source_head.as_str()),
        (3, prev.as_str())
    );
    assert_eq!(fresh.query(&Query::default()).unwrap().len(), 3);
    // Importing again into a log that holds entries is refused.
    assert!(fresh.import_records(&legacy).is_err());
    // An edited legacy line is refused, naming it; nothing is imported.
    std::fs::write(&legacy, lines.replace("第1批", "第7批")).unwrap();
    let other = Store::open(dir.path().join("other.db")).unwrap();
    let err = other.import_records(&legacy).unwrap_err();
    assert!(
        matches!(&err, RecordError::Broken { broken, .. } if broken.place == Place::Line { line: 2 }),
        "{err}"
    );
    assert_eq!(other.verify(None).unwrap().record.entries, 0);
    // A legacy prune anchor, which nothing signs, is refused.
    std::fs::write(
        &legacy,
        "{\"seq\":7,\"prev\":\"pruned\",\"hash\":\"x\",\"record\":{\"type\":\"pruned\",\"at\":\"2029-01-01T00:00:00+08:00\",\"through_seq\":7,\"last_hash\":\"y\",\"cutoff\":\"2026-01-01T00:00:00+08:00\"}}\n",
    )
    .unwrap();
    let err = other.import_records(&legacy).unwrap_err().to_string();
    assert!(err.contains("prune anchor"), "{err}");
    // A 0.2 journal imports, replayed onto its base.
    let journal = dir.path().join("journal.jsonl");
    let mut text = format!(
        "{{\"govshare_journal\":1,\"base\":\"{}\"}}\n",
        govshare::store::registry_digest(&demo())
    );
    for (i, tr) in transitions().iter().enumerate() {
        text.push_str(&format!(
            "{{\"seq\":{},\"transition\":{}}}\n",
            i + 1,
            serde_json::to_string(tr).unwrap()
        ));
    }
    std::fs::write(&journal, &text).unwrap();
    let j = Store::open(dir.path().join("j.db")).unwrap();
    assert_eq!(j.import_journal(&journal, &demo()).unwrap().entries, 5);
    let mut direct = demo();
    for tr in transitions() {
        direct.apply(&tr).unwrap();
    }
    assert_eq!(
        replayed(&dir.path().join("j.db")).to_json(),
        direct.to_json()
    );
}

#[test]
fn a_prune_racing_appends_loses_nothing_acknowledged() {
    // The issue's race: a prune while another process appends. Here the
    // prune is one transaction with its anchor, so an append either lands
    // before it (and, being young, is kept) or after it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let open = |clock: ManualClock| {
        Store::open_with(
            &path,
            clocked(&clock)
                .signing_key(key.clone())
                .busy_timeout(std::time::Duration::from_secs(30)),
        )
        .unwrap()
    };
    let old = open(clock_at("2026-03-02T10:00:00+08:00"));
    for i in 0..50 {
        old.record(&event(i)).unwrap();
    }
    let appender = open(clock_at("2029-03-05T10:00:00+08:00"));
    let pruner = open(clock_at("2029-03-06T10:00:00+08:00"));
    let writer = std::thread::spawn(move || {
        (0..200)
            .map(|i| appender.record(&event(1000 + i)).unwrap().seq)
            .collect::<Vec<_>>()
    });
    let mut pruned = 0;
    for _ in 0..20 {
        pruned += pruner
            .prune(t("2026-03-03T00:00:00+08:00"))
            .unwrap()
            .records;
    }
    let acknowledged = writer.join().unwrap();
    assert_eq!(pruned, 50, "exactly the old records were pruned");
    let reader = Store::open_read_only(&path).unwrap();
    let report = reader.verify(Some(&key.public_key())).unwrap();
    assert!(report.is_intact(), "{:?}", report.broken);
    let present: Vec<u64> = reader
        .query(&Query::default())
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(
        present, acknowledged,
        "every acknowledged append is present"
    );
}
