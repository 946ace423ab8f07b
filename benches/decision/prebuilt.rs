//! The secondary line: Rego given the facts govshare computed (the grant
//! already looked up, the purpose lineage already expanded), answering only
//! allow or not (`benches/rego/prebuilt.rego`).

use std::sync::Arc;

use govshare::{Registry, UsageRequest};
use serde_json::{Value, json};

fn micros(t: &chrono::DateTime<chrono::FixedOffset>) -> i64 {
    t.timestamp_micros()
}

/// The facts the engine passes to Cedar, as JSON, for the Rego peer: one
/// per candidate grant.
pub fn facts(registry: &Registry, request: &UsageRequest) -> Vec<Value> {
    let lineage: Vec<&str> = {
        let p = request.purpose.as_str();
        let mut v = vec![p];
        v.extend(
            p.char_indices()
                .filter(|&(_, c)| c == '.')
                .map(|(i, _)| &p[..i]),
        );
        v
    };
    let vocabulary = registry.purpose_vocabulary();
    let within: Vec<&str> = match vocabulary {
        Some(v) => v.within(&request.purpose),
        None => lineage.clone(),
    };
    let requester = registry.get_department(&request.requester);
    let mut base = json!({
        "principal": request.requester,
        "dataset_id": request.dataset,
        "action": request.action.as_str(),
        "requester_registered": requester.is_some(),
        "items": request.items,
        "purpose_lineage": lineage,
        "purpose_within": within,
        "purpose_vocabulary": vocabulary.is_some(),
        "purpose_registered": vocabulary.is_some_and(|v| v.contains(request.purpose.as_str())),
        "at": micros(&request.at),
    });
    if let Some(m) = request.method {
        base["method"] = json!(m.as_str());
    }
    if let Some(r) = &request.recipient {
        base["recipient"] = json!(r);
    }
    if let Some(p) = &request.processor {
        base["processor"] = json!(p);
        if let Some(c) = registry.get_contractor(p) {
            let c = c.as_of(&request.at);
            base["contractor"] = json!({
                "department": c.department,
                "datasets": c.datasets,
                "activities": c.activities.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                "valid_from": micros(&c.contract.valid_from),
                "valid_until": micros(&c.contract.valid_until),
                "security_agreement": c.contract.security_agreement,
            });
        }
    }
    if let Some(d) = registry.get_dataset(&request.dataset) {
        let mut dataset = json!({"status": d.as_of(&request.at).status.as_str(), "class": d.sharing.class_name(),
                                 "provider_registered": registry.get_department(&d.provider).is_some()});
        if let Some(kind) = d.secret {
            dataset["secret"] = json!(kind.as_str());
        }
        if let Some(c) = d.sharing.conditions() {
            if let (true, Some(r)) = (c.states_scope(), requester) {
                dataset["requester_in_scope"] = json!(c.admits(r));
            }
            if c.states_uses() {
                dataset["use_permitted"] = json!(c.permits(&within));
            }
        }
        base["dataset"] = dataset;
    }
    let candidates: Vec<&govshare::Grant> = match &request.grant {
        Some(id) => registry
            .get_grant(id)
            .filter(|g| g.dataset == request.dataset)
            .into_iter()
            .collect(),
        None => registry
            .iter_grants_for(&request.requester, &request.dataset)
            .collect(),
    };
    if candidates.is_empty() {
        return vec![base];
    }
    candidates
        .into_iter()
        .map(|g| {
            let g = g.as_of(&request.at);
            let mut f = base.clone();
            let mut grant = json!({
                "requester": g.requester,
                "items": g.effective_items(&request.at).collect::<Vec<_>>(),
                "purposes": g.effective_purposes(&request.at).collect::<Vec<_>>(),
                "recipients": g.consented_recipients(&request.at).collect::<Vec<_>>(),
                "methods": g.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "valid_from": micros(&g.valid_from),
                "valid_until": micros(&g.valid_until),
                "status": g.status.as_str(),
            });
            if let Some(e) = &g.ended {
                grant["purpose_ended_at"] = json!(micros(&e.at));
            }
            if let Some(d) = &g.disposed {
                grant["disposed_at"] = json!(micros(&d.at));
            }
            f["grant"] = grant;
            f
        })
        .collect()
}

pub struct Rego {
    pub interpreter: regorus::Engine,
    pub program: Arc<regorus::rvm::Program>,
}

pub fn rego() -> Rego {
    let mut interpreter = regorus::Engine::new();
    interpreter
        .add_policy(
            "govshare.rego".into(),
            include_str!("../rego/prebuilt.rego").into(),
        )
        .unwrap();
    let entry: regorus::Rc<str> = "data.govshare_prebuilt.allow".into();
    let compiled = interpreter.compile_with_entrypoint(&entry).unwrap();
    let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(
        &compiled,
        &["data.govshare_prebuilt.allow"],
    )
    .unwrap();
    Rego {
        interpreter,
        program,
    }
}

pub fn rego_allows_interpreter(rego: &mut Rego, inputs: &[regorus::Value]) -> bool {
    inputs.iter().any(|input| {
        rego.interpreter.set_input(input.clone());
        rego.interpreter
            .eval_rule("data.govshare_prebuilt.allow".into())
            .unwrap()
            == regorus::Value::Bool(true)
    })
}

pub fn rego_allows_rvm(vm: &mut regorus::rvm::RegoVM, inputs: &[regorus::Value]) -> bool {
    inputs.iter().any(|input| {
        vm.set_input(input.clone());
        vm.execute().unwrap() == regorus::Value::Bool(true)
    })
}
