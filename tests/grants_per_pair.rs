//! One requester's grants on one catalog entry are bounded
//! (`limits::MAX_GRANTS_PER_PAIR`): a request that names no grant is judged
//! against every one of them, so the bound is the bound of one decision's
//! work. Up to it the explanation is the one the contract gives (the grant
//! with the fewest broken rules, ties to the smallest id); past it a
//! registry is refused when loaded, a change that adds one more is
//! refused, and a host's source that returns more is a deny that says why.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use govshare::lifecycle::{Change, Transition};
use govshare::limits::MAX_GRANTS_PER_PAIR;
use govshare::{
    Dataset, DatasetId, Department, DepartmentId, Engine, FactError, FactSource, Grant, GrantId,
    LoadError, Registry, TransitionError, UsageRequest,
};
use serde_json::{Value, json};

fn grant(i: usize, purpose: &str, items: &[&str]) -> Value {
    json!({"id": format!("g{i:05}"), "dataset": "ds", "requester": "dm",
        "purpose": purpose, "basis": "b", "scenario": "s",
        "items": items, "methods": ["service_interface"],
        "valid_from": "2025-09-01T00:00:00+08:00", "valid_until": "2026-09-01T00:00:00+08:00",
        "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"})
}

fn registry_json(grants: Vec<Value>) -> String {
    json!({
        "departments": [{"id": "dm", "name": "甲", "level": "municipal"},
                        {"id": "pv", "name": "乙", "level": "municipal"}],
        "datasets": [{"id": "ds", "name": "数据", "provider": "pv", "status": "published",
            "items": [{"name": "it0", "grade": "general"}, {"name": "it1", "grade": "general"}],
            "sharing": {"class": "unconditional"}, "methods": ["service_interface"],
            "format": "database", "update_frequency": "daily"}],
        "grants": grants})
    .to_string()
}

/// `n` grants of `dm` on `ds`, each for a purpose of its own and item
/// `it0` only; grant 700 alone also covers `it1`.
fn grants(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let items: &[&str] = if i == 700 { &["it0", "it1"] } else { &["it0"] };
            grant(i, &format!("case.p{i}"), items)
        })
        .collect()
}

fn request() -> UsageRequest {
    UsageRequest::from_json(
        r#"{"requester": "dm", "dataset": "ds", "action": "use", "purpose": "other.p",
            "items": ["it0", "it1"], "at": "2026-03-02T10:00:00+08:00"}"#,
    )
    .unwrap()
}

#[test]
fn up_to_the_bound_the_explanation_is_the_contracts() {
    let registry = Registry::from_json_str(&registry_json(grants(MAX_GRANTS_PER_PAIR))).unwrap();
    let engine = Engine::builder().build().unwrap();
    let d = engine.evaluate(&request(), &registry);
    // Every grant breaks the purpose; only grant 700 covers both items.
    assert!(!d.is_allow());
    assert_eq!(d.grant().unwrap().as_str(), "g00700");
    assert_eq!(d.rule_ids(), ["GS-PURPOSE-CHANGE"]);
    // Without the item that sets grant 700 apart, the tie goes to the
    // smallest id.
    let mut r = request();
    r.items.truncate(1);
    let d = engine.evaluate(&r, &registry);
    assert_eq!(d.grant().unwrap().as_str(), "g00000");
    assert_eq!(d.rule_ids(), ["GS-PURPOSE-CHANGE"]);
}

#[test]
fn a_registry_past_the_bound_is_refused() {
    let err = Registry::from_json_str(&registry_json(grants(MAX_GRANTS_PER_PAIR + 1))).unwrap_err();
    match &err {
        LoadError::Grant { grant, message, .. } => {
            assert_eq!(grant, &format!("g{MAX_GRANTS_PER_PAIR:05}"));
            assert!(message.contains("MAX_GRANTS_PER_PAIR"), "{message}");
            assert!(
                message.contains("`dm`") && message.contains("`ds`"),
                "{message}"
            );
        }
        other => panic!("expected LoadError::Grant, got {other:?}"),
    }
}

#[test]
fn a_change_that_adds_one_past_the_bound_is_refused() {
    let mut registry =
        Registry::from_json_str(&registry_json(grants(MAX_GRANTS_PER_PAIR))).unwrap();
    let now = chrono::Utc::now().fixed_offset();
    let mut extra = grant(MAX_GRANTS_PER_PAIR, "case.extra", &["it0"]);
    extra["valid_from"] = json!(govshare::time::format_rfc3339(&now));
    let approve = |g: &Value| {
        Transition::new(
            now,
            DepartmentId::new("pv").unwrap(),
            "科长",
            "批准共享申请",
            Change::GrantApproved {
                grant: Box::new(serde_json::from_value(g.clone()).unwrap()),
            },
        )
    };
    let err = registry.apply(&approve(&extra)).unwrap_err();
    assert!(
        matches!(&err, TransitionError::NotAllowed { why, .. } if why.contains("MAX_GRANTS_PER_PAIR")),
        "{err:?}"
    );
    assert_eq!(registry.grants().len(), MAX_GRANTS_PER_PAIR);
    // Below the bound the same approval goes through.
    let mut small = Registry::from_json_str(&registry_json(grants(3))).unwrap();
    small.apply(&approve(&extra)).unwrap();
    assert_eq!(small.grants().len(), 4);
}

/// A host's source that returns every grant it is given for any pair.
struct Unbounded {
    registry: Registry,
    grants: Vec<Grant>,
}

impl FactSource for Unbounded {
    fn department(&self, id: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError> {
        Ok(self.registry.get_department(id).map(Cow::Borrowed))
    }
    fn dataset(&self, id: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError> {
        Ok(self.registry.get_dataset(id).map(Cow::Borrowed))
    }
    fn grant(&self, id: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError> {
        Ok(self.grants.iter().find(|g| &g.id == id).map(Cow::Borrowed))
    }
    fn grants_for(
        &self,
        _requester: &DepartmentId,
        _dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Ok(self.grants.iter().map(Cow::Borrowed).collect())
    }
}

#[test]
fn a_source_past_the_bound_is_a_deny_that_says_why() {
    let source = |n: usize| Unbounded {
        registry: Registry::from_json_str(&registry_json(Vec::new())).unwrap(),
        grants: grants(n)
            .into_iter()
            .map(|g| serde_json::from_value(g).unwrap())
            .collect(),
    };
    let engine = Engine::builder().build().unwrap();
    let d = engine.evaluate(&request(), &source(MAX_GRANTS_PER_PAIR + 1));
    assert!(!d.is_allow());
    assert_eq!(d.rule_ids(), ["GS-FACTS-UNAVAILABLE"]);
    let why = serde_json::to_string(&d.reasons()[0].facts).unwrap();
    assert!(
        why.contains(&format!("{}", MAX_GRANTS_PER_PAIR + 1)),
        "{why}"
    );
    // At the bound the source is judged as the registry would be.
    let d = engine.evaluate(&request(), &source(MAX_GRANTS_PER_PAIR));
    assert_eq!(d.grant().unwrap().as_str(), "g00700");
    assert_eq!(d.rule_ids(), ["GS-PURPOSE-CHANGE"]);
}
