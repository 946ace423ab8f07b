//! The main job on bundled demo data: a city's departments, catalog, grants
//! and a contractor (`examples/data/registry.json`), and six requests — an
//! allow, a scope expansion, a purpose change, an ended period with its
//! disposal obligation, a third-party transfer, and a use through the
//! department's contractor (Art. 36) — decided and explained.
//!
//! Run: `cargo run --example quickstart`

use govshare::{Engine, Registry, UsageRequest};

const REQUESTS: [(&str, &str); 6] = [
    ("allow / 允许", include_str!("data/requests/01-allow.json")),
    (
        "scope expansion / 超范围使用",
        include_str!("data/requests/02-scope-expansion.json"),
    ),
    (
        "purpose change / 改变用途",
        include_str!("data/requests/03-purpose-change.json"),
    ),
    (
        "ended period / 使用时限届满",
        include_str!("data/requests/04-period-ended.json"),
    ),
    (
        "third-party transfer / 向第三方提供",
        include_str!("data/requests/05-third-party.json"),
    ),
    (
        "through a contractor / 受托方代为处理",
        include_str!("data/requests/06-processor.json"),
    ),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::builder().build()?;
    let registry = Registry::from_json_str(include_str!("data/registry.json"))?;
    println!(
        "govshare {} — {} rules loaded, policy digest {}",
        env!("CARGO_PKG_VERSION"),
        engine.rules().len(),
        engine.policy_digest()
    );
    println!(
        "registry: {} departments, {} catalog entries, {} grants, {} contractors\n",
        registry.departments().len(),
        registry.datasets().len(),
        registry.grants().len(),
        registry.contractors().len()
    );
    for (title, json) in REQUESTS {
        let request = UsageRequest::from_json(json)?;
        let decision = engine.evaluate(&request, &registry);
        println!("== {title}");
        println!(
            "   {} asks to {} {} {:?} for `{}` at {}{}",
            request.requester,
            request.action,
            request.dataset,
            request.items.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
            request.purpose,
            request.at.to_rfc3339(),
            request
                .processor
                .as_ref()
                .map(|p| format!(", through its contractor {p}"))
                .unwrap_or_default()
        );
        for line in decision.to_string().lines() {
            println!("   {line}");
        }
        println!();
    }
    Ok(())
}
