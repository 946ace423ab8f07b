//! Facts over time and who may change them (issue #12): each problem the
//! issue lists, reproduced on its registry — one conditional entry and one
//! grant `g-1` for [2025-09-01, 2026-09-01) +08:00 — through a durable
//! registry whose clock the test sets, and the journal replayed.
//!
//! The retention problem (item 7) belongs to the record store and is
//! tested with it.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use govshare::lifecycle::{
    CORRECTION_OVERDUE, Change, DisposalState, Transition, disposal_due, disposal_state,
    overdue_corrections, overdue_disposals, validate, validate_at,
};
use govshare::store::{DurableRegistry, FileJournal};
use govshare::time::ManualClock;
use govshare::{
    Calendar, DepartmentId, Engine, GrantId, GrantStatus, JournalError, LoadError, Registry,
    TransitionError, UsageRequest, Violation,
};
use serde_json::{Value, json};

use super::common::t;

/// The registry, with a competent authority `hz-dsj`.
fn registry_json() -> Value {
    json!({
      "departments": [
        {"id": "hz-amr", "name": "杭州市市场监督管理局", "level": "municipal", "region": "330100"},
        {"id": "hz-hrss", "name": "杭州市人力资源和社会保障局", "level": "municipal", "region": "330100"},
        {"id": "hz-dsj", "name": "杭州市数据资源管理局", "level": "municipal", "region": "330100", "authority": true}],
      "datasets": [
        {"id": "ent-reg", "name": "企业登记信息", "provider": "hz-amr", "status": "published",
         "items": [{"name": "uscc", "grade": "general"}, {"name": "name", "grade": "general"},
                   {"name": "legal_rep_id_number", "grade": "important"}],
         "sharing": {"class": "conditional", "scope": "本市政府部门", "uses": ["社会保险经办"]},
         "methods": ["service_interface", "bulk_exchange"], "format": "database", "update_frequency": "daily"}],
      "grants": [grant("g-1"), grant("g-2")]
    })
}

fn grant(id: &str) -> Value {
    json!({"id": id, "dataset": "ent-reg", "requester": "hz-hrss",
           "purpose": "social-insurance.enrollment-check",
           "basis": "《社会保险法》第五十七条", "scenario": "参保登记核验",
           "items": ["uscc", "name"], "methods": ["service_interface"],
           "valid_from": "2025-09-01T00:00:00+08:00", "valid_until": "2026-09-01T00:00:00+08:00",
           "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"})
}

fn base() -> Registry {
    Registry::from_json_str(&registry_json().to_string()).unwrap()
}

fn dept(s: &str) -> DepartmentId {
    DepartmentId::new(s).unwrap()
}

fn gid(s: &str) -> GrantId {
    s.parse().unwrap()
}

/// A durable registry over a journal in `dir`, with a clock the test sets.
struct Store {
    durable: DurableRegistry,
    clock: ManualClock,
}

impl Store {
    fn open(dir: &Path) -> Self {
        let path = dir.join("journal.jsonl");
        let clock = ManualClock::new(t("2026-01-01T00:00:00+08:00"));
        let durable = DurableRegistry::open(base(), FileJournal::open(&path, &base()).unwrap())
            .unwrap()
            .with_clock(clock.clone());
        Self { durable, clock }
    }

    /// Applies `change` dated `at` by `by`, recorded at `now`.
    fn apply(&self, now: &str, at: &str, by: &str, change: Change) -> Result<(), JournalError> {
        self.clock.set(t(now));
        self.durable.apply(&Transition::new(
            t(at),
            dept(by),
            "经办人",
            "依《政务数据共享条例》",
            change,
        ))
    }

    fn registry(&self) -> Registry {
        self.durable.registry().clone()
    }
}

fn use_request(grant: &str, items: &[&str], at: &str) -> UsageRequest {
    UsageRequest::from_json(
        &json!({"requester": "hz-hrss", "dataset": "ent-reg", "grant": grant, "action": "access",
                "method": "service_interface", "purpose": "social-insurance.enrollment-check",
                "items": items, "at": at})
        .to_string(),
    )
    .unwrap()
}

fn rules(engine: &Engine, registry: &Registry, grant: &str, at: &str) -> Vec<String> {
    engine
        .evaluate(&use_request(grant, &["uscc"], at), registry)
        .rule_ids()
        .into_iter()
        .map(ToOwned::to_owned)
        .collect()
}

fn suspend(grant: &str, correct_by: &str) -> Change {
    Change::Suspended {
        grant: gid(grant),
        violation: Violation::ScopeExpansion,
        correct_by: t(correct_by),
    }
}

fn journal_transitions(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("journal.jsonl"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["transition"].clone())
        .collect()
}

fn replayed(dir: &Path) -> Registry {
    let path = dir.join("journal.jsonl");
    DurableRegistry::open(base(), FileJournal::open(&path, &base()).unwrap())
        .unwrap()
        .into_registry()
}

/// Item 1: suspension and termination are judged at the time of use; a
/// reinstatement keeps the suspension's record and does not reach back.
#[test]
fn suspension_and_termination_hold_only_from_their_own_instants() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let engine = Engine::builder().build().unwrap();
    store
        .apply(
            "2026-03-03T10:00:00+08:00",
            "2026-03-03T09:00:00+08:00",
            "hz-amr",
            suspend("g-1", "2026-03-17T18:00:00+08:00"),
        )
        .unwrap();
    let r = store.registry();
    assert_eq!(
        rules(&engine, &r, "g-1", "2026-03-02T10:00:00+08:00"),
        ["GS-PERMIT"],
        "a use the day before the suspension stands"
    );
    assert_eq!(
        rules(&engine, &r, "g-1", "2026-03-10T10:00:00+08:00"),
        ["GS-GRANT-SUSPENDED"]
    );
    store
        .apply(
            "2026-03-20T09:00:00+08:00",
            "2026-03-20T09:00:00+08:00",
            "hz-amr",
            Change::Reinstated { grant: gid("g-1") },
        )
        .unwrap();
    let r = store.registry();
    assert_eq!(
        rules(&engine, &r, "g-1", "2026-03-10T10:00:00+08:00"),
        ["GS-GRANT-SUSPENDED"],
        "a use inside the suspension stays denied after the reinstatement"
    );
    assert_eq!(
        rules(&engine, &r, "g-1", "2026-03-25T10:00:00+08:00"),
        ["GS-PERMIT"]
    );
    let suspended = engine.evaluate(
        &use_request("g-1", &["uscc"], "2026-03-10T10:00:00+08:00"),
        &r,
    );
    assert_eq!(
        suspended.reasons()[0].facts["status"],
        "suspended",
        "{suspended:?}"
    );
    assert!(r.get_grant(&gid("g-1")).unwrap().suspension.is_none());
    assert_eq!(r.get_grant(&gid("g-1")).unwrap().history.len(), 2);

    // Termination: from its own instant, after the deadline to correct.
    store
        .apply(
            "2026-03-03T10:00:00+08:00",
            "2026-03-03T09:00:00+08:00",
            "hz-dsj",
            suspend("g-2", "2026-03-17T18:00:00+08:00"),
        )
        .unwrap();
    store
        .apply(
            "2026-03-18T09:00:00+08:00",
            "2026-03-18T09:00:00+08:00",
            "hz-dsj",
            Change::Terminated {
                grant: gid("g-2"),
                refused_at: None,
            },
        )
        .unwrap();
    let r = store.registry();
    for (at, expected) in [
        ("2026-03-02T10:00:00+08:00", "GS-PERMIT"),
        ("2026-03-10T10:00:00+08:00", "GS-GRANT-SUSPENDED"),
        ("2026-03-20T10:00:00+08:00", "GS-GRANT-TERMINATED"),
    ] {
        assert_eq!(rules(&engine, &r, "g-2", at), [expected], "at {at}");
    }

    // The journal keeps each change's department and recording time, and
    // replays to the same decisions.
    let lines = journal_transitions(dir.path());
    assert_eq!(lines[1]["by"], "hz-amr");
    assert_eq!(lines[1]["recorded_at"], "2026-03-20T09:00:00+08:00");
    drop(store);
    let again = replayed(dir.path());
    assert_eq!(again.to_json(), r.to_json());
    assert_eq!(
        rules(&engine, &again, "g-1", "2026-03-10T10:00:00+08:00"),
        ["GS-GRANT-SUSPENDED"]
    );
}

/// A §4 registry whose suspension record has a time keeps loading; the
/// suspension counts from that time, and reinstating it keeps it.
#[test]
fn a_registry_suspension_record_counts_from_its_time() {
    let mut v = registry_json();
    v["grants"][0]["status"] = json!("suspended");
    v["grants"][0]["suspension"] = json!({"violation": "purpose_change",
        "at": "2026-03-03T09:00:00+08:00", "correct_by": "2026-03-17T18:00:00+08:00",
        "by": "市场监管局", "reason": "超目的使用"});
    let mut registry = Registry::from_json_str(&v.to_string()).unwrap();
    let engine = Engine::builder().build().unwrap();
    assert_eq!(
        rules(&engine, &registry, "g-1", "2026-03-02T10:00:00+08:00"),
        ["GS-PERMIT"]
    );
    assert_eq!(
        rules(&engine, &registry, "g-1", "2026-03-10T10:00:00+08:00"),
        ["GS-GRANT-SUSPENDED"]
    );
    registry
        .apply(&Transition::new(
            t("2026-03-20T09:00:00+08:00"),
            dept("hz-amr"),
            "x",
            "已改正",
            Change::Reinstated { grant: gid("g-1") },
        ))
        .unwrap();
    assert_eq!(
        rules(&engine, &registry, "g-1", "2026-03-10T10:00:00+08:00"),
        ["GS-GRANT-SUSPENDED"]
    );
    assert_eq!(
        rules(&engine, &registry, "g-1", "2026-03-21T10:00:00+08:00"),
        ["GS-PERMIT"]
    );
    // Written out and read back, the history says the same.
    let back = Registry::from_json_str(&registry.to_json()).unwrap();
    assert_eq!(
        rules(&engine, &back, "g-1", "2026-03-10T10:00:00+08:00"),
        ["GS-GRANT-SUSPENDED"]
    );
}

/// Item 2: only the provider consents (Art. 25), and a consent takes effect
/// no earlier than it is recorded.
#[test]
fn a_consent_is_the_providers_and_never_reaches_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let engine = Engine::builder().build().unwrap();
    let consent = |at: &str| Change::ConsentAdded {
        grant: gid("g-1"),
        consent: serde_json::from_value(
            json!({"kind": "item", "value": "legal_rep_id_number", "at": at}),
        )
        .unwrap(),
    };
    let wider = |at| use_request("g-1", &["uscc", "legal_rep_id_number"], at);
    let now = "2026-05-01T10:00:00+08:00";
    // The requester cannot consent to its own widening.
    let err = store
        .apply(
            now,
            "2026-05-01T09:00:00+08:00",
            "hz-hrss",
            consent("2025-09-01T00:00:00+08:00"),
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            JournalError::Transition(TransitionError::Unauthorized { article: "25", .. })
        ),
        "{text}"
    );
    assert!(
        text.contains("`hz-hrss` may not make `consent_added`"),
        "{text}"
    );
    assert!(text.contains("`hz-amr`"), "{text}");
    // The provider cannot date its consent back to the start of the grant.
    let err = store
        .apply(
            now,
            "2026-05-01T09:00:00+08:00",
            "hz-amr",
            consent("2025-09-01T00:00:00+08:00"),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            JournalError::Transition(TransitionError::Untimely { .. })
        ),
        "{err}"
    );
    assert!(err.to_string().contains("cannot reach back"), "{err}");
    // Nothing was written or changed.
    assert!(journal_transitions(dir.path()).is_empty());
    let r = store.registry();
    assert_eq!(
        engine
            .evaluate(&wider("2026-03-02T10:00:00+08:00"), &r)
            .rule_ids(),
        ["GS-SCOPE-EXPANSION"]
    );
    // A consent given now widens the grant from now on only.
    store.apply(now, now, "hz-amr", consent(now)).unwrap();
    let r = store.registry();
    assert_eq!(
        engine
            .evaluate(&wider("2026-03-02T10:00:00+08:00"), &r)
            .rule_ids(),
        ["GS-SCOPE-EXPANSION"],
        "a consent recorded after the use does not cover it"
    );
    assert!(
        engine
            .evaluate(&wider("2026-05-02T10:00:00+08:00"), &r)
            .is_allow()
    );
}

/// Who may make each change (DESIGN §7), with the rule and the article.
#[test]
fn each_change_is_made_by_the_department_the_regulation_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let now = "2026-03-03T10:00:00+08:00";
    let refused = |by: &str, change: Change| -> String {
        let err = store.apply(now, now, by, change).unwrap_err();
        assert!(
            matches!(
                err,
                JournalError::Transition(TransitionError::Unauthorized { .. })
            ),
            "{err}"
        );
        err.to_string()
    };
    let err = refused("hz-hrss", suspend("g-1", "2026-03-17T18:00:00+08:00"));
    assert!(err.contains("(Art. 27(2))"), "{err}");
    let err = refused("no-such-dept", suspend("g-1", "2026-03-17T18:00:00+08:00"));
    assert!(
        err.contains("not a registered government department (Art. 2)"),
        "{err}"
    );
    let err = refused(
        "hz-amr",
        Change::DisposalRecorded {
            grant: gid("g-1"),
            method: govshare::DisposalMethod::Delete,
            attested_by: "安全员".into(),
        },
    );
    assert!(err.contains("only the requester `hz-hrss`"), "{err}");
    let err = refused(
        "hz-hrss",
        Change::GrantRenewed {
            grant: gid("g-1"),
            valid_until: t("2026-12-01T00:00:00+08:00"),
        },
    );
    assert!(err.contains("(Art. 21)"), "{err}");
    // The requester ends its own purpose; an authority suspends.
    store
        .apply(
            now,
            now,
            "hz-hrss",
            Change::PurposeEnded {
                grant: gid("g-2"),
                trigger: govshare::EndTrigger::PurposeAchieved,
            },
        )
        .unwrap();
    store
        .apply(
            now,
            now,
            "hz-dsj",
            suspend("g-1", "2026-03-17T18:00:00+08:00"),
        )
        .unwrap();
}

/// Item 3: a withdrawal is dated and filed; uses before it replay as
/// before; after it the grant has ended and disposal is owed from it.
#[test]
fn a_withdrawn_entry_ends_its_grants_from_the_withdrawal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let engine = Engine::builder().build().unwrap();
    let calendar = Calendar::embedded().unwrap();
    let withdraw = |filed_with: &str| Change::EntryWithdrawn {
        dataset: "ent-reg".parse().unwrap(),
        filed_with: dept(filed_with),
        reason: "登记职责划转，经协商后停止该共享服务".into(),
    };
    let now = "2026-06-01T10:00:00+08:00";
    let at = "2026-06-01T09:00:00+08:00";
    // Only the provider withdraws, filed with a competent authority.
    let err = store
        .apply(now, at, "hz-hrss", withdraw("hz-dsj"))
        .unwrap_err();
    assert!(err.to_string().contains("(Art. 27(3))"), "{err}");
    let err = store
        .apply(now, at, "hz-amr", withdraw("hz-hrss"))
        .unwrap_err();
    assert!(err.to_string().contains("not marked `authority`"), "{err}");
    store.apply(now, at, "hz-amr", withdraw("hz-dsj")).unwrap();
    let r = store.registry();
    assert_eq!(
        rules(&engine, &r, "g-1", "2026-05-29T10:00:00+08:00"),
        ["GS-PERMIT"],
        "a use before the withdrawal replays as before"
    );
    let after = engine.evaluate(
        &use_request("g-1", &["uscc"], "2026-06-02T10:00:00+08:00"),
        &r,
    );
    assert_eq!(after.rule_ids(), ["GS-NOT-PUBLISHED"]);
    assert_eq!(after.reasons()[0].facts["filed_with"], "hz-dsj");
    let dispose = &after.obligations()[0];
    assert_eq!(dispose.obligation, "GS-OBL-DISPOSE");
    assert_eq!(dispose.facts["trigger"], "entry_withdrawn");
    // Ten working days after Monday 1 June 2026.
    assert_eq!(dispose.facts["due"], "2026-06-15");
    // `disposals` lists what is owed, `check` no longer blames the grants.
    let owed = overdue_disposals(&r, &t("2026-06-16T09:00:00+08:00"), &calendar);
    assert_eq!(owed.len(), 2);
    assert!(
        owed.iter()
            .all(|e| e.trigger == "entry_withdrawn" && e.overdue == Some(true))
    );
    assert!(
        !validate(&r)
            .iter()
            .any(|f| f.code == "GRANT-UNPUBLISHED-DATASET"),
        "{:?}",
        validate(&r)
    );
    // A registry whose entry is `withdrawn` with no record still denies
    // every use: its time is unknown.
    let mut v = registry_json();
    v["datasets"][0]["status"] = json!("withdrawn");
    let legacy = Registry::from_json_str(&v.to_string()).unwrap();
    assert_eq!(
        rules(&engine, &legacy, "g-1", "2026-03-02T10:00:00+08:00"),
        ["GS-NOT-PUBLISHED"]
    );
}

/// Item 4: a renewal before the period ends carries the use on; no
/// disposal falls due for the period it continues.
#[test]
fn a_renewal_carries_the_use_on_without_a_disposal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let calendar = Calendar::embedded().unwrap();
    let renew = |until: &str| Change::GrantRenewed {
        grant: gid("g-1"),
        valid_until: t(until),
    };
    store
        .apply(
            "2026-08-20T10:00:00+08:00",
            "2026-08-20T10:00:00+08:00",
            "hz-amr",
            renew("2026-12-01T00:00:00+08:00"),
        )
        .unwrap();
    let r = store.registry();
    let at = t("2026-09-20T09:00:00+08:00");
    // g-2 was not renewed and owes disposal; g-1 owes none.
    let owed = overdue_disposals(&r, &at, &calendar);
    let ids: Vec<&str> = owed.iter().map(|e| e.grant.as_str()).collect();
    assert_eq!(ids, ["g-2"]);
    assert_eq!(
        disposal_state(r.get_grant(&gid("g-1")).unwrap(), &at, &calendar).unwrap(),
        DisposalState::NotDue
    );
    // New access is not blocked by a disposal the renewal moved on.
    let mut only_g1 = registry_json();
    only_g1["grants"] = json!([grant("g-1")]);
    let dir2 = tempfile::tempdir().unwrap();
    let path = dir2.path().join("j.jsonl");
    let base1 = Registry::from_json_str(&only_g1.to_string()).unwrap();
    let durable = DurableRegistry::open(base1.clone(), FileJournal::open(&path, &base1).unwrap())
        .unwrap()
        .with_clock(ManualClock::new(t("2026-08-20T10:00:00+08:00")));
    durable
        .apply(&Transition::new(
            t("2026-08-20T10:00:00+08:00"),
            dept("hz-amr"),
            "x",
            "续期",
            renew("2026-12-01T00:00:00+08:00"),
        ))
        .unwrap();
    let blocking = Engine::builder()
        .enable_optional("block-while-disposal-overdue")
        .build()
        .unwrap();
    let decision = blocking.evaluate(
        &use_request("g-1", &["uscc"], "2026-09-20T09:00:00+08:00"),
        &*durable.registry(),
    );
    assert!(decision.is_allow(), "{}", decision.to_json());
    // The duty moved to the renewed period: due ten working days after its
    // last day, 30 November.
    assert_eq!(
        decision.obligations()[1].facts["due"],
        "2026-12-14",
        "{}",
        decision.to_json()
    );
    let engine = Engine::builder().build().unwrap();
    assert_eq!(
        rules(&engine, &r, "g-1", "2026-12-01T00:00:00+08:00"),
        ["GS-PERIOD-ENDED"]
    );
    // A lapsed grant is applied for again, not renewed; a renewal moves the
    // end later.
    let err = store
        .apply(
            "2026-09-02T10:00:00+08:00",
            "2026-09-02T10:00:00+08:00",
            "hz-amr",
            Change::GrantRenewed {
                grant: gid("g-2"),
                valid_until: t("2026-12-01T00:00:00+08:00"),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("applied for again"), "{err}");
    let err = store
        .apply(
            "2026-08-21T10:00:00+08:00",
            "2026-08-21T10:00:00+08:00",
            "hz-amr",
            renew("2026-10-01T00:00:00+08:00"),
        )
        .unwrap_err();
    assert!(err.to_string().contains("later than"), "{err}");
}

/// Amendments: a narrowing is filed with the authority and may carry the
/// event's own instant; a widening counts from its recording.
#[test]
fn an_amendment_narrows_with_a_filing_and_widens_from_its_recording() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let engine = Engine::builder().build().unwrap();
    let amend = |items: &[&str], filed_with: Option<&str>| Change::GrantAmended {
        grant: gid("g-1"),
        items: Some(items.iter().map(|i| i.parse().unwrap()).collect()),
        methods: None,
        purposes: None,
        filed_with: filed_with.map(dept),
    };
    let now = "2026-05-01T10:00:00+08:00";
    let err = store
        .apply(
            now,
            "2026-04-30T10:00:00+08:00",
            "hz-amr",
            amend(&["uscc"], None),
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("报政务数据共享主管部门备案"),
        "{err}"
    );
    store
        .apply(
            now,
            "2026-04-30T10:00:00+08:00",
            "hz-amr",
            amend(&["uscc"], Some("hz-dsj")),
        )
        .unwrap();
    let r = store.registry();
    let name = |at| {
        engine
            .evaluate(&use_request("g-1", &["name"], at), &r)
            .rule_ids()
            .join(",")
    };
    assert_eq!(name("2026-04-29T10:00:00+08:00"), "GS-PERMIT");
    assert_eq!(name("2026-04-30T10:00:00+08:00"), "GS-SCOPE-EXPANSION");
    // Widening back to `name`, dated before it is recorded: refused; dated
    // when it is recorded: from then on.
    let later = "2026-05-10T10:00:00+08:00";
    let err = store
        .apply(later, now, "hz-amr", amend(&["uscc", "name"], None))
        .unwrap_err();
    assert!(err.to_string().contains("cannot reach back"), "{err}");
    store
        .apply(later, later, "hz-amr", amend(&["uscc", "name"], None))
        .unwrap();
    let r = store.registry();
    let name = |at| {
        engine
            .evaluate(&use_request("g-1", &["name"], at), &r)
            .rule_ids()
            .join(",")
    };
    assert_eq!(name("2026-05-05T10:00:00+08:00"), "GS-SCOPE-EXPANSION");
    assert_eq!(name("2026-05-11T10:00:00+08:00"), "GS-PERMIT");
}

/// Item 5: termination only after the deadline to correct (or a recorded
/// refusal), reinstatement only after the suspension, and overdue
/// corrections reported.
#[test]
fn the_suspension_lifecycle_keeps_its_order_and_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    store
        .apply(
            "2026-03-03T10:00:00+08:00",
            "2026-03-03T09:00:00+08:00",
            "hz-amr",
            suspend("g-1", "2026-03-17T18:00:00+08:00"),
        )
        .unwrap();
    let terminate = |refused_at: Option<&str>| Change::Terminated {
        grant: gid("g-1"),
        refused_at: refused_at.map(t),
    };
    let at = "2026-03-04T09:00:00+08:00";
    let err = store.apply(at, at, "hz-amr", terminate(None)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("Art. 27(2)") && text.contains("2026-03-17T18:00:00+08:00"),
        "{text}"
    );
    // A reinstatement dated before the suspension.
    let err = store
        .apply(
            "2026-03-04T09:00:00+08:00",
            "2026-03-02T09:00:00+08:00",
            "hz-amr",
            Change::Reinstated { grant: gid("g-1") },
        )
        .unwrap_err();
    assert!(err.to_string().contains("comes after it"), "{err}");
    // Past the deadline with no outcome: reported.
    let registry = store.registry();
    assert!(overdue_corrections(&registry, &t("2026-03-17T18:00:00+08:00")).is_empty());
    let late = overdue_corrections(&registry, &t("2026-03-18T09:00:00+08:00"));
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].grant, gid("g-1"));
    assert_eq!(late[0].correct_by, t("2026-03-17T18:00:00+08:00"));
    let findings = validate_at(&registry, &t("2026-03-18T09:00:00+08:00"));
    let finding = findings
        .iter()
        .find(|f| f.code == CORRECTION_OVERDUE)
        .unwrap();
    assert_eq!(finding.articles, ["27(2)"]);
    assert_eq!(finding.subject.id, "g-1");
    // A recorded refusal allows termination before the deadline.
    store
        .apply(
            "2026-03-05T09:00:00+08:00",
            "2026-03-05T09:00:00+08:00",
            "hz-amr",
            terminate(Some("2026-03-04T15:00:00+08:00")),
        )
        .unwrap();
    let registry = store.registry();
    assert_eq!(
        registry.get_grant(&gid("g-1")).unwrap().status,
        GrantStatus::Terminated
    );
    assert!(overdue_corrections(&registry, &t("2026-03-18T09:00:00+08:00")).is_empty());
}

/// Item 6: both spellings of a period that ends on 31 August owe disposal
/// by the same day.
#[test]
fn the_disposal_due_date_counts_from_the_last_day_of_use() {
    let calendar = Calendar::embedded().unwrap();
    let mut v = registry_json();
    v["grants"][1]["valid_until"] = json!("2026-08-31T23:59:59+08:00");
    let registry = Registry::from_json_str(&v.to_string()).unwrap();
    let engine = Engine::builder().build().unwrap();
    let due = |g: &str| disposal_due(registry.get_grant(&gid(g)).unwrap(), &calendar).unwrap();
    assert_eq!(due("g-1"), NaiveDate::from_ymd_opt(2026, 9, 14).unwrap());
    assert_eq!(due("g-2"), due("g-1"));
    for g in ["g-1", "g-2"] {
        let d = engine.evaluate(
            &use_request(g, &["uscc"], "2026-09-02T10:00:00+08:00"),
            &registry,
        );
        assert_eq!(d.rule_ids(), ["GS-PERIOD-ENDED"]);
        assert_eq!(d.obligations()[0].facts["due"], "2026-09-14", "{g}");
    }
}

/// Item 8: a host that decides live uses sets a maximum skew; replay stays
/// the default.
#[test]
fn a_clock_guard_refuses_a_time_far_from_the_engines() {
    let registry = base();
    let request = use_request("g-1", &["uscc"], "2026-03-02T10:00:00+08:00");
    let replay = Engine::builder().build().unwrap();
    assert_eq!(replay.max_clock_skew(), None);
    assert!(replay.evaluate(&request, &registry).is_allow());
    let clock = ManualClock::new(t("2026-12-01T10:00:00+08:00"));
    let live = Engine::builder()
        .max_clock_skew(Duration::from_secs(300))
        .clock(clock.clone())
        .build()
        .unwrap();
    let d = live.evaluate(&request, &registry);
    assert!(!d.is_allow());
    assert_eq!(d.rule_ids(), ["GS-CLOCK-SKEW"]);
    let facts = &d.reasons()[0].facts;
    assert_eq!(facts["at"], "2026-03-02T10:00:00+08:00");
    assert_eq!(facts["engine_time"], "2026-12-01T10:00:00+08:00");
    assert_eq!(facts["max_skew_seconds"], 300);
    assert!(d.reasons()[0].en.contains("2026-03-02T10:00:00+08:00"));
    // Within the skew, either side, the request is decided on its merits.
    clock.set(t("2026-03-02T10:04:59+08:00"));
    assert!(live.evaluate(&request, &registry).is_allow());
    clock.set(t("2026-03-02T09:55:00+08:00"));
    assert!(live.evaluate(&request, &registry).is_allow());
    clock.set(t("2026-03-02T09:54:59+08:00"));
    assert_eq!(
        live.evaluate(&request, &registry).rule_ids(),
        ["GS-CLOCK-SKEW"]
    );
}

/// A decision on a store's registry names the version it was made on.
#[test]
fn decisions_name_the_registry_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path());
    let engine = Engine::builder().build().unwrap();
    let request = use_request("g-1", &["uscc"], "2026-03-02T10:00:00+08:00");
    assert_eq!(engine.evaluate(&request, &base()).registry_version(), None);
    let d = engine.evaluate(&request, &*store.durable.registry());
    assert_eq!(d.registry_version(), Some(0));
    store
        .apply(
            "2026-03-03T10:00:00+08:00",
            "2026-03-03T09:00:00+08:00",
            "hz-amr",
            suspend("g-1", "2026-03-17T18:00:00+08:00"),
        )
        .unwrap();
    let d = engine.evaluate(&request, &*store.durable.registry());
    assert_eq!(d.registry_version(), Some(1));
    let json: Value = serde_json::from_str(&d.to_json()).unwrap();
    assert_eq!(json["registry_version"], 1);
}

/// A registry's history runs forward and agrees with its `status`.
#[test]
fn a_history_that_contradicts_itself_does_not_load() {
    let mut v = registry_json();
    v["grants"][0]["history"] = json!([
        {"at": "2026-03-20T09:00:00+08:00", "change": {"kind": "reinstated"}},
        {"at": "2026-03-03T09:00:00+08:00", "change": {"kind": "suspended",
         "violation": "third_party", "correct_by": "2026-03-17T18:00:00+08:00"}}]);
    let err = Registry::from_json_str(&v.to_string()).unwrap_err();
    assert!(matches!(err, LoadError::Grant { .. }), "{err}");
    assert!(err.to_string().contains("runs backwards"), "{err}");
    v["grants"][0]["history"] = json!([
        {"at": "2026-03-03T09:00:00+08:00", "change": {"kind": "suspended",
         "violation": "third_party", "correct_by": "2026-03-17T18:00:00+08:00"}}]);
    let err = Registry::from_json_str(&v.to_string()).unwrap_err();
    assert!(
        err.to_string()
            .contains("`status` is `active` but its history leaves it `suspended`"),
        "{err}"
    );
    v["grants"][0]["status"] = json!("suspended");
    assert!(Registry::from_json_str(&v.to_string()).is_ok());
}
