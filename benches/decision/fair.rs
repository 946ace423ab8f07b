//! The fair peer: govshare's rules in Rego (`benches/rego/govshare.rego`)
//! given the registry as `data` and the raw request as `input`, through
//! regorus' interpreter and its bytecode VM (RVM).

use std::sync::Arc;

use govshare::{Decision, Registry};
use serde_json::{Map, Value, json};

pub const POLICY: &str = include_str!("../rego/govshare.rego");
const ENTRY: &str = "data.govshare.decision";

fn ns(text: &Value) -> Value {
    let t = chrono::DateTime::parse_from_rfc3339(text.as_str().unwrap()).unwrap();
    json!(t.timestamp_nanos_opt().unwrap())
}

/// Adds `<key>_ns` beside an instant `<key>` of `obj`, when present.
fn add_ns(obj: &mut Value, key: &str) {
    if let Some(t) = obj.get(key).cloned() {
        obj[format!("{key}_ns")] = ns(&t);
    }
}

fn grant_data(g: &Value) -> Value {
    let mut g = g.clone();
    add_ns(&mut g, "valid_from");
    add_ns(&mut g, "valid_until");
    for key in ["ended", "disposed", "suspension"] {
        if let Some(v) = g.get_mut(key) {
            add_ns(v, "at");
        }
    }
    if let Some(cs) = g.get_mut("consents").and_then(Value::as_array_mut) {
        for c in cs {
            add_ns(c, "at");
        }
    }
    if let Some(hs) = g.get_mut("history").and_then(Value::as_array_mut) {
        for e in hs {
            add_ns(e, "at");
            add_ns(&mut e["change"], "valid_until");
        }
    }
    g
}

/// A contractor entry with its contract's and history's instants also in
/// nanoseconds.
fn contractor_data(c: &Value) -> Value {
    let mut c = c.clone();
    add_ns(&mut c["contract"], "valid_from");
    add_ns(&mut c["contract"], "valid_until");
    if let Some(hs) = c.get_mut("history").and_then(Value::as_array_mut) {
        for e in hs {
            add_ns(e, "at");
        }
    }
    c
}

/// The registry as an OPA user would load it as `data`: records indexed
/// by id, the grants of each requester and dataset listed in id order,
/// the purpose vocabulary as a set of codes, contractors indexed by id,
/// instants also in nanoseconds.
pub fn data(registry: &Registry) -> Value {
    let doc: Value = serde_json::from_str(&registry.to_json()).unwrap();
    let mut departments = Map::new();
    for d in doc["departments"].as_array().unwrap() {
        departments.insert(d["id"].as_str().unwrap().to_owned(), d.clone());
    }
    let mut datasets = Map::new();
    for d in doc["datasets"].as_array().unwrap() {
        let mut d = d.clone();
        if let Some(w) = d.get_mut("withdrawn") {
            add_ns(w, "at");
        }
        datasets.insert(d["id"].as_str().unwrap().to_owned(), d);
    }
    let mut grants = Map::new();
    let mut pairs: Map<String, Value> = Map::new();
    for g in doc["grants"].as_array().unwrap() {
        let id = g["id"].as_str().unwrap().to_owned();
        let requester = g["requester"].as_str().unwrap();
        let dataset = g["dataset"].as_str().unwrap();
        let list = pairs
            .entry(requester.to_owned())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .unwrap()
            .entry(dataset.to_owned())
            .or_insert_with(|| json!([]));
        list.as_array_mut().unwrap().push(json!(id));
        grants.insert(id, grant_data(g));
    }
    for by_dataset in pairs.values_mut() {
        for list in by_dataset.as_object_mut().unwrap().values_mut() {
            list.as_array_mut()
                .unwrap()
                .sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        }
    }
    let contractors: Map<String, Value> = doc
        .get("contractors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), contractor_data(c)))
        .collect();
    let mut registry = json!({"departments": departments, "datasets": datasets,
        "grants": grants, "pairs": pairs, "contractors": contractors});
    if let Some(ps) = doc.get("purposes").and_then(Value::as_array) {
        let codes: Map<String, Value> = ps
            .iter()
            .map(|p| (p["code"].as_str().unwrap().to_owned(), json!(true)))
            .collect();
        registry["purposes"] = Value::Object(codes);
    }
    json!({ "registry": registry })
}

pub fn to_regorus(v: &Value) -> regorus::Value {
    regorus::Value::from_json_str(&v.to_string()).unwrap()
}

/// The interpreter and the compiled program of the fair policy.
pub struct Fair {
    pub interpreter: regorus::Engine,
    pub program: Arc<regorus::rvm::Program>,
}

impl Fair {
    pub fn new(data: &regorus::Value) -> Self {
        let mut interpreter = regorus::Engine::new();
        interpreter
            .add_policy("govshare.rego".into(), POLICY.into())
            .unwrap();
        interpreter.add_data(data.clone()).unwrap();
        let entry: regorus::Rc<str> = ENTRY.into();
        let compiled = interpreter.compile_with_entrypoint(&entry).unwrap();
        let program =
            regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[ENTRY])
                .unwrap();
        Self {
            interpreter,
            program,
        }
    }

    pub fn vm(&self, data: &regorus::Value) -> regorus::rvm::RegoVM {
        let mut vm = regorus::rvm::RegoVM::new();
        vm.load_program(self.program.clone());
        vm.set_data(data.clone()).unwrap();
        vm
    }

    pub fn set_data(&mut self, data: &regorus::Value) {
        self.interpreter.clear_data();
        self.interpreter.add_data(data.clone()).unwrap();
    }

    pub fn interpret(&mut self, input: regorus::Value) -> regorus::Value {
        self.interpreter.set_input(input);
        self.interpreter.eval_rule(ENTRY.into()).unwrap()
    }
}

pub fn run_vm(vm: &mut regorus::rvm::RegoVM, input: regorus::Value) -> regorus::Value {
    vm.set_input(input);
    vm.execute().unwrap()
}

/// What both sides answer: allow or deny, the grant, and each reason's
/// rule and facts, in order.
pub fn ours(d: &Decision) -> Value {
    let v: Value = serde_json::from_str(&d.to_json()).unwrap();
    json!({
        "decision": v["decision"],
        "grant": v["grant"],
        "reasons": v["reasons"].as_array().unwrap().iter()
            .map(|r| json!({"rule": r["rule"], "facts": r["facts"]}))
            .collect::<Vec<_>>(),
    })
}

pub fn theirs(v: &regorus::Value) -> Value {
    serde_json::from_str(&v.to_json_str().unwrap()).unwrap()
}
