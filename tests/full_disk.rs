//! A full disk, faithfully: the process's file size limit (`RLIMIT_FSIZE`)
//! is lowered so that the store's next write fails as a full disk's does
//! (the kernel refuses it, or cuts it short), then raised again, in one
//! long-running process — the host the issue describes. A failed append
//! must change nothing, and the next append must carry on as if it had
//! never been tried.
//!
//! The limit is process-wide, so this file holds one test, run in a child
//! that ignores SIGXFSZ (a write past the limit then fails with EFBIG
//! instead of ending the process).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

use govshare::audit::{Record, RecordSink as _, UseCategory, UseEvent};
use govshare::lifecycle::Transition;
use govshare::store::{DurableRegistry, Store};
use govshare::{GrantStatus, JournalError, RecordError, Registry, StoreError, Violation};
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

const G1: &str = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01";
const CHILD: &str = "GOVSHARE_FULL_DISK_CHILD";

fn t(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    govshare::time::parse_rfc3339(s).unwrap()
}

fn event(i: i64) -> Record {
    Record::UseEvent(UseEvent {
        at: t("2026-03-02T10:00:00+08:00") + chrono::Duration::minutes(i),
        grant: G1.parse().unwrap(),
        requester: "hz-hrss".parse().unwrap(),
        dataset: "ent-reg".parse().unwrap(),
        category: UseCategory::Storage,
        detail: format!("第{i}批 {}", "存储情况".repeat(400)),
        actor: "hz-hrss".into(),
    })
}

fn limit_file_size(bytes: Option<u64>) {
    let max = getrlimit(Resource::Fsize).maximum;
    setrlimit(
        Resource::Fsize,
        Rlimit {
            current: bytes.or(max),
            maximum: max,
        },
    )
    .unwrap();
}

fn is_write_failure(e: &StoreError) -> bool {
    matches!(e, StoreError::Full { .. } | StoreError::Io { .. })
}

#[test]
fn a_failed_write_changes_nothing_and_the_next_append_continues() {
    if std::env::var_os(CHILD).is_none() {
        let out = Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; exec \"$0\" --exact a_failed_write_changes_nothing_and_the_next_append_continues --nocapture --test-threads 1")
            .arg(std::env::current_exe().unwrap())
            .env(CHILD, "1")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{text}");
        assert!(text.contains("1 passed"), "{text}");
        return;
    }
    let base = Registry::from_json_str(include_str!("../examples/data/registry.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = Store::open(&path).unwrap();
    let durable = DurableRegistry::open(base.clone(), store.journal(&base).unwrap()).unwrap();
    assert_eq!(store.record(&event(0)).unwrap().seq, 1);
    let suspend = Transition::for_violation(
        G1.parse().unwrap(),
        Violation::ScopeExpansion,
        t("2026-03-03T09:00:00+08:00"),
        t("2026-03-17T18:00:00+08:00"),
        govshare::DepartmentId::new("hz-amr").unwrap(),
        "杭州市市场监督管理局",
        "超范围调用身份证号",
    );
    let db_before = std::fs::read(&path).unwrap();

    // Nothing can be written: every write of the append fails.
    // Then: a write cut short part-way (the file may grow 100 bytes).
    for room in [0u64, 100] {
        let wal = std::fs::metadata(dir.path().join("s.db-wal")).map_or(0, |m| m.len());
        limit_file_size(Some(wal + room));
        let err = store.record(&event(1)).unwrap_err();
        assert!(
            matches!(&err, RecordError::Store(e) if is_write_failure(e)),
            "room {room}: {err}"
        );
        let err = durable.apply(&suspend).unwrap_err();
        assert!(
            matches!(&err, JournalError::Store(e) if is_write_failure(e)),
            "room {room}: {err}"
        );
        limit_file_size(None);
        // Nothing changed: not the registry in memory, not the store.
        let grant = durable
            .registry()
            .get_grant(&G1.parse().unwrap())
            .unwrap()
            .status;
        assert_eq!(
            grant,
            GrantStatus::Active,
            "the suspension did not take effect"
        );
        let report = Store::open_read_only(&path).unwrap().verify(None).unwrap();
        assert!(report.is_intact(), "{:?}", report.broken);
        assert_eq!((report.journal.entries, report.record.entries), (0, 1));
    }
    // The disk has room again: the next appends take the next numbers.
    assert_eq!(store.record(&event(1)).unwrap().seq, 2);
    assert_eq!(durable.apply(&suspend).unwrap().seq, 1);
    assert_eq!(store.record(&event(2)).unwrap().seq, 3);
    drop((store, durable));
    let store = Store::open_read_only(&path).unwrap();
    let report = store.verify(None).unwrap();
    assert!(report.is_intact(), "{:?}", report.broken);
    assert_eq!((report.journal.entries, report.record.entries), (1, 3));
    let replayed = DurableRegistry::open(base.clone(), store.journal(&base).unwrap())
        .unwrap()
        .into_registry();
    assert_eq!(
        replayed.get_grant(&G1.parse().unwrap()).unwrap().status,
        GrantStatus::Suspended
    );
    assert_ne!(std::fs::read(&path).unwrap(), db_before);
}
