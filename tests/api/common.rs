//! Shared fixtures.

use chrono::{DateTime, FixedOffset};
use govshare::Registry;
use serde_json::{Value, json};

pub const DEMO: &str = include_str!("../../examples/data/registry.json");

pub fn demo() -> Registry {
    Registry::from_json_str(DEMO).unwrap()
}

pub fn t(s: &str) -> DateTime<FixedOffset> {
    govshare::time::parse_rfc3339(s).unwrap()
}

/// The demo registry as JSON, changed by `edit`, then loaded.
pub fn demo_with(edit: impl FnOnce(&mut Value)) -> Registry {
    let mut v: Value = serde_json::from_str(DEMO).unwrap();
    edit(&mut v);
    Registry::from_json_str(&v.to_string()).unwrap()
}

/// A minimal grant of `requester` for `dataset`.
pub fn grant(id: &str, dataset: &str, requester: &str) -> Value {
    json!({"id": id, "dataset": dataset, "requester": requester, "purpose": "tax.check",
           "basis": "《税收征收管理法》", "scenario": "核验",
           "items": ["uscc"], "methods": ["service_interface"],
           "valid_from": "2026-01-01T00:00:00+08:00", "valid_until": "2027-01-01T00:00:00+08:00",
           "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"})
}
