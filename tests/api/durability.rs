//! The journal loses nothing; the usage record cannot be quietly edited.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use govshare::JournalError;
use govshare::Violation;
use govshare::audit::{Query, Record, RecordSink, UseCategory, UseEvent};
use govshare::lifecycle::{Change, Transition};
use govshare::store::{DurableRegistry, FileJournal, RecordLog};
use govshare::time::ManualClock;
use govshare::{DepartmentId, DisposalMethod, EndTrigger, Engine, GrantId, Registry, UsageRequest};

use super::common::{demo, t};

const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";
const G3: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e03";
const G4: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e04";

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("govshare-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn id(s: &str) -> GrantId {
    s.parse().unwrap()
}

fn dept(s: &str) -> DepartmentId {
    DepartmentId::new(s).unwrap()
}

/// The demo's transitions, each stamped as recorded at its own instant (as
/// a durable registry whose clock shows that instant stamps it).
fn transitions() -> Vec<Transition> {
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

/// A durable registry over the journal at `path`, with a clock a test sets.
fn durable_at(path: &Path) -> (DurableRegistry, ManualClock) {
    let clock = ManualClock::new(t("2026-01-01T00:00:00+08:00"));
    let durable = DurableRegistry::open(demo(), FileJournal::open(path, &demo()).unwrap())
        .unwrap()
        .with_clock(clock.clone());
    (durable, clock)
}

/// Applies a transition as recorded at its own instant.
fn apply_at(durable: &DurableRegistry, clock: &ManualClock, tr: &Transition) {
    clock.set(tr.at);
    durable.apply(tr).unwrap();
}

/// A journal holding every transition, written through a durable registry.
fn write_journal(path: &Path) {
    let (durable, clock) = durable_at(path);
    for tr in transitions() {
        apply_at(&durable, &clock, &tr);
    }
}

fn open(path: &Path) -> (Registry, Option<govshare::store::TornTail>, usize) {
    let store = FileJournal::open(path, &demo()).unwrap();
    let report = store.report().clone();
    (
        DurableRegistry::open(demo(), store)
            .unwrap()
            .into_registry(),
        report.torn,
        report.transitions,
    )
}

#[test]
fn a_crash_at_any_byte_of_the_last_append_loses_only_that_event() {
    let dir = scratch("torn");
    let full = dir.join("full.jsonl");
    write_journal(&full);
    let bytes = std::fs::read(&full).unwrap();
    let n = transitions().len();
    // The last line starts after the second-to-last newline.
    let last_start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    let mut expected = demo();
    for tr in &transitions()[..n - 1] {
        expected.apply(tr).unwrap();
    }
    for cut in last_start..bytes.len() {
        let path = dir.join(format!("cut-{cut}.jsonl"));
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let (registry, torn, count) = open(&path);
        assert_eq!(count, n - 1, "cut at {cut}");
        assert_eq!(registry.to_json(), expected.to_json(), "cut at {cut}");
        if cut == last_start {
            assert!(torn.is_none());
        } else {
            let torn = torn.unwrap_or_else(|| panic!("cut at {cut}: torn tail not reported"));
            assert_eq!(torn.offset, last_start as u64);
            assert_eq!(torn.bytes, cut - last_start);
            assert_eq!(torn.line, n + 1);
        }
        // The torn bytes are gone from disk, and appending works again.
        assert_eq!(std::fs::metadata(&path).unwrap().len(), last_start as u64);
        let (durable, clock) = durable_at(&path);
        apply_at(&durable, &clock, &transitions()[n - 1]);
        drop(durable);
        let (again, torn, count) = open(&path);
        assert!(torn.is_none());
        assert_eq!(count, n);
        assert_eq!(again.to_json(), open(&full).0.to_json());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn damage_before_the_last_line_is_an_error_naming_the_line() {
    let dir = scratch("corrupt");
    let path = dir.join("j.jsonl");
    write_journal(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();

    let mut edited = lines.clone();
    edited[2] = edited[2].replace("\"seq\":2", "\"seq\":2,");
    std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    let err = FileJournal::open(&path, &demo()).unwrap_err();
    assert!(
        matches!(err, JournalError::Corrupt { line: 3, .. }),
        "{err}"
    );

    lines.remove(2);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let err = FileJournal::open(&path, &demo()).unwrap_err().to_string();
    assert!(
        err.contains("line 3") && err.contains("missing or out of order"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_journal_belongs_to_its_base_registry() {
    let dir = scratch("base");
    let path = dir.join("j.jsonl");
    write_journal(&path);
    let mut other = demo();
    other.apply(&transitions()[0]).unwrap();
    let err = FileJournal::open(&path, &other).unwrap_err();
    assert!(matches!(err, JournalError::OtherBase { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_second_writer_is_refused_until_the_first_closes() {
    let dir = scratch("lock");
    let path = dir.join("j.jsonl");
    let first = FileJournal::open(&path, &demo()).unwrap();
    let err = FileJournal::open(&path, &demo()).unwrap_err();
    assert!(matches!(err, JournalError::Locked { .. }), "{err}");
    drop(first);
    assert!(FileJournal::open(&path, &demo()).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_refused_transition_writes_nothing() {
    let dir = scratch("refused");
    let path = dir.join("j.jsonl");
    let durable =
        DurableRegistry::open(demo(), FileJournal::open(&path, &demo()).unwrap()).unwrap();
    let before = std::fs::read(&path).unwrap();
    let reinstate_active = Transition::new(
        t("2026-03-10T09:00:00+08:00"),
        dept("hz-amr"),
        "x",
        "y",
        Change::Reinstated { grant: id(G1) },
    );
    assert!(matches!(
        durable.apply(&reinstate_active),
        Err(JournalError::Transition(_))
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_writers_in_one_process_are_serialized() {
    let dir = scratch("threads-journal");
    let path = dir.join("j.jsonl");
    let durable = Arc::new(
        DurableRegistry::open(demo(), FileJournal::open(&path, &demo()).unwrap())
            .unwrap()
            .with_clock(ManualClock::new(t("2026-03-11T09:00:00+08:00"))),
    );
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let durable = Arc::clone(&durable);
            std::thread::spawn(move || {
                for k in 0..10 {
                    let consent = serde_json::json!({"kind": "recipient", "value": format!("dept-{i}-{k}"), "at": "2026-03-11T09:00:00+08:00"});
                    durable
                        .apply(&Transition::new(
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
    let live = Arc::try_unwrap(durable).unwrap().into_registry();
    let (replayed, torn, count) = open(&path);
    assert!(torn.is_none());
    assert_eq!(count, 80);
    assert_eq!(replayed.get_grant(&id(G3)).unwrap().consents.len(), 81);
    assert_eq!(replayed.to_json(), live.to_json());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_journal_replays_to_the_same_decisions() {
    let dir = scratch("roundtrip");
    let path = dir.join("j.jsonl");
    write_journal(&path);
    let mut direct = demo();
    for tr in transitions() {
        direct.apply(&tr).unwrap();
    }
    let (replayed, _, _) = open(&path);
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
    let registry_of = |g: &str| {
        demo()
            .get_grant(&id(g))
            .map(|g| (g.requester.to_string(), g.dataset.to_string()))
            .unwrap()
    };
    let mut seen = Vec::new();
    for (g, action, method, purpose, items, at) in requests {
        let (requester, dataset) = registry_of(g);
        let request = UsageRequest::from_json(&format!(
            r#"{{"requester": "{requester}", "dataset": "{dataset}", "grant": "{g}", "action": "{action}", {method}
                "purpose": "{purpose}", "items": {items}, "at": "{at}"}}"#
        ))
        .unwrap();
        let a = engine.evaluate(&request, &direct);
        let b = engine.evaluate(&request, &replayed);
        assert_eq!(
            (a.outcome(), a.rule_ids(), a.obligations()),
            (b.outcome(), b.rule_ids(), b.obligations())
        );
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
    std::fs::remove_dir_all(&dir).unwrap();
}

fn event(i: usize) -> Record {
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

fn log_of(path: &Path, n: usize) -> Vec<String> {
    let log = RecordLog::open(path).unwrap();
    for i in 0..n {
        log.record(&event(i)).unwrap();
    }
    drop(log);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn broken_line(path: &Path, lines: &[String]) -> usize {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    let report = RecordLog::verify(path).unwrap();
    let broken = report
        .broken
        .unwrap_or_else(|| panic!("tampering not detected"));
    assert!(
        RecordLog::open(path).is_err(),
        "an altered log must not be opened for appending"
    );
    assert!(
        RecordLog::query(path, &Query::default()).is_err(),
        "an altered log must not be queried"
    );
    broken.line
}

#[test]
fn every_tampering_is_found_and_located() {
    let dir = scratch("tamper");
    let path = dir.join("r.jsonl");
    let lines = log_of(&path, 10);
    assert!(RecordLog::verify(&path).unwrap().broken.is_none());
    assert_eq!(RecordLog::verify(&path).unwrap().entries, 10);

    let mut edited = lines.clone();
    edited[4] = edited[4].replace("第4批", "第9批");
    assert_eq!(broken_line(&path, &edited), 5);

    let mut deleted = lines.clone();
    deleted.remove(4);
    assert_eq!(broken_line(&path, &deleted), 5);

    let mut swapped = lines.clone();
    swapped.swap(3, 4);
    assert_eq!(broken_line(&path, &swapped), 4);

    let mut inserted = lines.clone();
    inserted.insert(3, lines[2].clone());
    assert_eq!(broken_line(&path, &inserted), 4);

    // The last line edited: nothing follows it, its own hash gives it away.
    let mut forged = lines.clone();
    forged[9] = lines[9].replace("第9批", "第0批");
    assert_eq!(broken_line(&path, &forged), 10);

    let mut first_deleted = lines.clone();
    first_deleted.remove(0);
    assert_eq!(broken_line(&path, &first_deleted), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_torn_record_is_reported_and_cut_off() {
    let dir = scratch("torn-record");
    let path = dir.join("r.jsonl");
    log_of(&path, 3);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"seq\":4,\"prev\":\"ab");
    std::fs::write(&path, &bytes).unwrap();
    let report = RecordLog::verify(&path).unwrap();
    assert!(report.broken.is_none());
    assert_eq!(report.torn.unwrap().line, 4);
    let log = RecordLog::open(&path).unwrap();
    assert!(log.torn().is_some());
    log.record(&event(3)).unwrap();
    drop(log);
    let report = RecordLog::verify(&path).unwrap();
    assert!(report.broken.is_none() && report.torn.is_none());
    assert_eq!(report.entries, 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn threads_appending_at_once_lose_nothing_and_the_chain_verifies() {
    let dir = scratch("threads-record");
    let path = dir.join("r.jsonl");
    let log = Arc::new(RecordLog::open(&path).unwrap());
    let engine = Engine::builder().build().unwrap();
    let registry = Arc::new(demo());
    let request =
        UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))
            .unwrap();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (log, engine, registry, mut request) = (
                Arc::clone(&log),
                engine.clone(),
                Arc::clone(&registry),
                request.clone(),
            );
            std::thread::spawn(move || {
                for k in 0..25 {
                    request.at = t("2026-03-02T10:00:00+08:00")
                        + chrono::Duration::seconds((i * 100 + k) as i64);
                    let decision = engine.evaluate(&request, &*registry);
                    log.record_decision(&request, &decision).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let report = RecordLog::verify(&path).unwrap();
    assert!(report.broken.is_none());
    assert_eq!(report.entries, 200);
    let mut times: Vec<_> = RecordLog::query(&path, &Query::default())
        .unwrap()
        .iter()
        .map(Record::at)
        .collect();
    times.sort();
    times.dedup();
    assert_eq!(times.len(), 200, "every decision recorded exactly once");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn records_are_queried_by_grant_requester_dataset_and_time() {
    let dir = scratch("query");
    let path = dir.join("r.jsonl");
    let log = RecordLog::open(&path).unwrap();
    for i in 0..5 {
        log.record(&event(i)).unwrap();
    }
    let engine = Engine::builder().build().unwrap();
    let other = UsageRequest::from_json(include_str!(
        "../../examples/data/requests/05-third-party.json"
    ))
    .unwrap();
    log.record_decision(&other, &engine.evaluate(&other, &demo()))
        .unwrap();
    drop(log);
    let by_grant = RecordLog::query(
        &path,
        &Query {
            grant: Some(id(G1)),
            ..Query::default()
        },
    )
    .unwrap();
    assert_eq!(by_grant.len(), 5);
    let by_requester = RecordLog::query(
        &path,
        &Query {
            requester: Some("hz-housing".parse().unwrap()),
            ..Query::default()
        },
    )
    .unwrap();
    assert_eq!(by_requester.len(), 1);
    let by_dataset = RecordLog::query(
        &path,
        &Query {
            dataset: Some("hh-reg".parse().unwrap()),
            ..Query::default()
        },
    )
    .unwrap();
    assert_eq!(by_dataset.len(), 1);
    let window = Query {
        from: Some(t("2026-03-02T10:01:00+08:00")),
        until: Some(t("2026-03-02T10:03:00+08:00")),
        ..Query::default()
    };
    assert_eq!(RecordLog::query(&path, &window).unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn records_younger_than_three_years_cannot_be_pruned() {
    let dir = scratch("prune");
    let path = dir.join("r.jsonl");
    let log = RecordLog::open(&path).unwrap();
    for i in 0..4 {
        log.record(&event(i)).unwrap();
    }
    // In 2028 the 2026 records are under three years old.
    let err = log
        .prune(
            t("2026-03-02T10:02:00+08:00"),
            t("2028-06-01T00:00:00+08:00"),
        )
        .unwrap_err();
    assert!(err.to_string().contains("cannot be pruned"), "{err}");
    // In 2029-06 a cutoff at 10:02 drops the first two.
    assert_eq!(
        log.prune(
            t("2026-03-02T10:02:00+08:00"),
            t("2029-06-01T00:00:00+08:00")
        )
        .unwrap(),
        2
    );
    log.record(&event(9)).unwrap();
    drop(log);
    let report = RecordLog::verify(&path).unwrap();
    assert!(report.broken.is_none(), "{:?}", report.broken);
    assert_eq!(report.entries, 3);
    assert_eq!(RecordLog::query(&path, &Query::default()).unwrap().len(), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}
