//! Facts → the Cedar request. The engine computes facts (the items asked
//! for, the purpose and its ancestors, the grant's granted-plus-consented
//! items, purposes and recipients, instants as epoch microseconds, whether
//! the provider is registered, whether the requester lies inside an
//! entry's structured scope and the purpose within its permitted uses,
//! whether the purpose is registered, the contractor a request names as
//! its processor as its entry stood at `at`); the policies decide.
//!
//! The context is built as Cedar values, not as restricted expressions:
//! `cedar_policy::Context::from_pairs` would evaluate every expression
//! into a value on every request, which was a quarter of a cold
//! decision. Values are built with `cedar-policy-core`, the crate
//! `cedar-policy` is made of, pinned to the same exact version (a
//! mismatch does not build); the part of the context that is the same for
//! every candidate grant is built once per decision. The test
//! `values_match_the_public_api` checks the result against
//! `Context::from_pairs`.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::Arc;

#[cfg(any(test, feature = "bench-internals"))]
use cedar_policy::{Context, Request};
use cedar_policy::{EntityId, EntityTypeName, EntityUid};
use cedar_policy_core::ast::{self as cedar_ast, Literal, Value};
use smol_str::SmolStr;

use super::request::{Action, UsageRequest};
use crate::error::BoxError;
use crate::model::{Contractor, Dataset, Department, Grant, PurposeVocabulary, purpose_within};
use crate::time::{epoch_micros, epoch_micros_ceil};

fn text_error(e: impl std::fmt::Display) -> BoxError {
    e.to_string().into()
}

/// Names parsed once when the engine is built, never per request.
#[derive(Debug)]
pub(crate) struct CedarNames {
    department: EntityTypeName,
    dataset: EntityTypeName,
    access: EntityUid,
    use_: EntityUid,
    transfer: EntityUid,
}

impl CedarNames {
    pub(crate) fn new() -> Result<Self, BoxError> {
        let parse_type = |s: &str| s.parse::<EntityTypeName>().map_err(text_error);
        let parse_uid = |s: &str| s.parse::<EntityUid>().map_err(text_error);
        Ok(Self {
            department: parse_type("Govshare::Department")?,
            dataset: parse_type("Govshare::Dataset")?,
            access: parse_uid(r#"Govshare::Action::"access""#)?,
            use_: parse_uid(r#"Govshare::Action::"use""#)?,
            transfer: parse_uid(r#"Govshare::Action::"transfer""#)?,
        })
    }

    fn department(&self, id: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(self.department.clone(), EntityId::new(id))
    }

    fn department_value(&self, id: &str) -> Value {
        Value::from(cedar_ast::EntityUID::from(self.department(id)))
    }

    fn dataset(&self, id: &str) -> EntityUid {
        EntityUid::from_type_name_and_id(self.dataset.clone(), EntityId::new(id))
    }

    fn dataset_value(&self, id: &str) -> Value {
        Value::from(cedar_ast::EntityUID::from(self.dataset(id)))
    }

    fn action(&self, action: Action) -> EntityUid {
        match action {
            Action::Access => self.access.clone(),
            Action::Use => self.use_.clone(),
            Action::Transfer => self.transfer.clone(),
        }
    }
}

/// A record of the context, keyed by attribute name.
type Record = BTreeMap<SmolStr, Value>;

fn string(s: &str) -> Value {
    Value::from(SmolStr::new(s))
}

fn long(n: i64) -> Value {
    Value::from(n)
}

fn boolean(b: bool) -> Value {
    Value::from(b)
}

fn set<'a>(values: impl IntoIterator<Item = &'a str>) -> Value {
    Value::set_of_lits(
        values.into_iter().map(|v| Literal::from(SmolStr::new(v))),
        None,
    )
}

fn record(fields: Record) -> Value {
    Value::record_arc(Arc::new(fields), None)
}

fn key(k: &'static str) -> SmolStr {
    SmolStr::new_static(k)
}

/// The per-request facts that are the same for every candidate grant.
pub(crate) struct RequestFacts<'a> {
    pub request: &'a UsageRequest,
    pub requester_registered: bool,
    pub dataset: Option<&'a Dataset>,
    pub overdue_disposal_with_provider: bool,
    /// Whether the dataset's provider is a registered department (Art. 2).
    pub provider_registered: bool,
    /// Whether the registry has a purpose vocabulary (DESIGN §7).
    pub purpose_vocabulary: bool,
    /// Whether the stated purpose is a registered code.
    pub purpose_registered: bool,
    /// The codes the stated purpose counts as within.
    pub purpose_within: Vec<&'a str>,
    /// Inside the entry's structured scope, when it states one and the
    /// requester is registered.
    pub requester_in_scope: Option<bool>,
    /// Within the entry's permitted uses, when it states them as codes.
    pub use_permitted: Option<bool>,
    /// The contractor the request names as its processor, as its entry
    /// stood at `at`, when one has that id.
    pub contractor: Option<&'a Contractor>,
    /// `contractor` as its Cedar record, when the engine has it already
    /// (from its record cache); built from `contractor` otherwise.
    contractor_record: Option<Value>,
    /// The context without the grant, built on first use and shared by
    /// every candidate grant.
    base: OnceCell<Record>,
}

impl<'a> RequestFacts<'a> {
    /// The facts of `request` given what the fact source answered.
    pub(crate) fn new(
        request: &'a UsageRequest,
        requester: Option<&Department>,
        dataset: Option<&'a Dataset>,
        provider_registered: bool,
        purposes: Option<&PurposeVocabulary>,
        overdue_disposal_with_provider: bool,
    ) -> Self {
        let within = purpose_within(purposes, &request.purpose);
        let conditions = dataset.and_then(|d| d.sharing.conditions());
        let requester_in_scope = match (conditions, requester) {
            (Some(c), Some(r)) if c.states_scope() => Some(c.admits(r)),
            _ => None,
        };
        let use_permitted = conditions
            .filter(|c| c.states_uses())
            .map(|c| c.permits(&within));
        Self {
            request,
            requester_registered: requester.is_some(),
            dataset,
            overdue_disposal_with_provider,
            provider_registered,
            purpose_vocabulary: purposes.is_some(),
            purpose_registered: purposes.is_some_and(|v| v.contains(request.purpose.as_str())),
            purpose_within: within,
            requester_in_scope,
            use_permitted,
            contractor: None,
            contractor_record: None,
            base: OnceCell::new(),
        }
    }

    /// The facts with the contractor the request names as its processor,
    /// as its entry stood at `at` (`None` when no contractor has its id).
    pub(crate) fn with_contractor(mut self, contractor: Option<&'a Contractor>) -> Self {
        self.contractor = contractor;
        self.contractor_record = None;
        self.base = OnceCell::new();
        self
    }

    /// The facts with the processor's Cedar record given: the record
    /// [`contractor_record`] builds from the contractor set by
    /// [`RequestFacts::with_contractor`].
    pub(crate) fn with_contractor_record(mut self, record: Option<Value>) -> Self {
        self.contractor_record = record;
        self.base = OnceCell::new();
        self
    }

    /// The context's attributes other than `grant`.
    fn base(&self, names: &CedarNames) -> &Record {
        self.base.get_or_init(|| self.build_base(names))
    }

    fn build_base(&self, names: &CedarNames) -> Record {
        let req = self.request;
        let mut ctx = Record::new();
        ctx.insert(
            key("requester_registered"),
            boolean(self.requester_registered),
        );
        if let Some(d) = self.dataset {
            let mut fields = Record::new();
            fields.insert(key("status"), string(d.status.as_str()));
            fields.insert(key("class"), string(d.sharing.class_name()));
            fields.insert(key("provider"), names.department_value(d.provider.as_str()));
            fields.insert(
                key("provider_registered"),
                boolean(self.provider_registered),
            );
            if let Some(secret) = d.secret {
                fields.insert(key("secret"), string(secret.as_str()));
            }
            if let Some(inside) = self.requester_in_scope {
                fields.insert(key("requester_in_scope"), boolean(inside));
            }
            if let Some(permitted) = self.use_permitted {
                fields.insert(key("use_permitted"), boolean(permitted));
            }
            ctx.insert(key("dataset"), record(fields));
        }
        ctx.insert(key("items"), set(req.items.iter().map(|i| i.as_str())));
        ctx.insert(key("purpose_lineage"), set(req.purpose.lineage()));
        ctx.insert(
            key("purpose_within"),
            set(self.purpose_within.iter().copied()),
        );
        ctx.insert(key("purpose_vocabulary"), boolean(self.purpose_vocabulary));
        ctx.insert(key("purpose_registered"), boolean(self.purpose_registered));
        if let Some(m) = req.method {
            ctx.insert(key("method"), string(m.as_str()));
        }
        if let Some(r) = &req.recipient {
            ctx.insert(key("recipient"), string(r.as_str()));
        }
        if let Some(p) = &req.processor {
            ctx.insert(key("processor"), string(p.as_str()));
            if let Some(c) = self.contractor {
                let record = match &self.contractor_record {
                    Some(r) => r.clone(),
                    None => contractor_record(names, c),
                };
                ctx.insert(key("contractor"), record);
            }
        }
        ctx.insert(key("at"), long(epoch_micros(&req.at)));
        ctx.insert(
            key(crate::policy::OVERDUE_FACT),
            boolean(self.overdue_disposal_with_provider),
        );
        ctx
    }
}

/// The contractor as the record `context.contractor`, as its entry stood
/// at the time of use.
pub(crate) fn contractor_record(names: &CedarNames, c: &Contractor) -> Value {
    let mut fields = Record::new();
    fields.insert(
        key("department"),
        names.department_value(c.department.as_str()),
    );
    fields.insert(
        key("datasets"),
        Value::set(
            c.datasets.iter().map(|d| names.dataset_value(d.as_str())),
            None,
        ),
    );
    fields.insert(
        key("activities"),
        set(c.activities.iter().map(|a| a.as_str())),
    );
    fields.insert(
        key("valid_from"),
        long(epoch_micros_ceil(&c.contract.valid_from)),
    );
    fields.insert(
        key("valid_until"),
        long(epoch_micros(&c.contract.valid_until)),
    );
    fields.insert(
        key("security_agreement"),
        boolean(c.contract.security_agreement),
    );
    record(fields)
}

/// The grant as the record `context.grant`, as it stands at `at`.
pub(crate) fn grant_record(
    names: &CedarNames,
    g: &Grant,
    at: &chrono::DateTime<chrono::FixedOffset>,
) -> Value {
    let mut fields = Record::new();
    fields.insert(key("id"), string(g.id.as_str()));
    fields.insert(
        key("requester"),
        names.department_value(g.requester.as_str()),
    );
    fields.insert(key("items"), set(g.effective_items(at).map(|i| i.as_str())));
    fields.insert(
        key("purposes"),
        set(g.effective_purposes(at).map(|p| p.as_str())),
    );
    fields.insert(
        key("recipients"),
        set(g.consented_recipients(at).map(|r| r.as_str())),
    );
    fields.insert(key("methods"), set(g.methods.iter().map(|m| m.as_str())));
    fields.insert(key("valid_from"), long(epoch_micros_ceil(&g.valid_from)));
    fields.insert(key("valid_until"), long(epoch_micros(&g.valid_until)));
    fields.insert(key("status"), string(g.status.as_str()));
    if let Some(end) = &g.ended {
        fields.insert(key("purpose_ended_at"), long(epoch_micros(&end.at)));
    }
    if let Some(d) = &g.disposed {
        fields.insert(key("disposed_at"), long(epoch_micros(&d.at)));
    }
    record(fields)
}

/// Builds the Cedar request for one candidate grant (or none), the grant
/// as it stood at the request's `at`.
#[cfg(test)]
pub(crate) fn cedar_request(
    names: &CedarNames,
    facts: &RequestFacts<'_>,
    grant: Option<&Grant>,
) -> Result<Request, BoxError> {
    let record = grant.map(|g| grant_record(names, g, &facts.request.at));
    cedar_request_with(names, facts, record)
}

/// The request's principal, action and resource, and its context with
/// `grant` (the candidate grant's record, [`grant_record`]) when there is
/// one.
fn request_parts(
    names: &CedarNames,
    facts: &RequestFacts<'_>,
    grant: Option<Value>,
) -> (EntityUid, EntityUid, EntityUid, cedar_ast::Context) {
    let req = facts.request;
    let mut ctx = facts.base(names).clone();
    if let Some(g) = grant {
        ctx.insert(key("grant"), g);
    }
    (
        names.department(req.requester.as_str()),
        names.action(req.action),
        names.dataset(req.dataset.as_str()),
        cedar_ast::Context::Value(Arc::new(ctx)),
    )
}

/// The request the engine's prepared policies evaluate for one candidate
/// grant given as its record ([`grant_record`]), or for none.
pub(crate) fn policy_request(
    names: &CedarNames,
    facts: &RequestFacts<'_>,
    grant: Option<Value>,
) -> cedar_ast::Request {
    let (principal, action, resource, context) = request_parts(names, facts, grant);
    let known = |uid: EntityUid| cedar_ast::EntityUIDEntry::known(uid.into(), None);
    cedar_ast::Request::new_unchecked(
        known(principal),
        known(action),
        known(resource),
        Some(context),
    )
}

/// The same request as [`policy_request`], as `cedar_policy`'s public
/// type: what `Authorizer::is_authorized` takes.
#[cfg(any(test, feature = "bench-internals"))]
pub(crate) fn cedar_request_with(
    names: &CedarNames,
    facts: &RequestFacts<'_>,
    grant: Option<Value>,
) -> Result<Request, BoxError> {
    let (principal, action, resource, context) = request_parts(names, facts, grant);
    Request::new(principal, action, resource, Context::from(context), None).map_err(text_error)
}

#[cfg(test)]
mod tests {
    use cedar_policy::EvalResult;

    use super::*;
    use crate::registry::Registry;

    const DEMO: &str = include_str!("../../examples/data/registry.json");

    fn request(json: &str) -> UsageRequest {
        UsageRequest::from_json(json).unwrap()
    }

    fn strings(v: Option<EvalResult>) -> Vec<String> {
        let Some(EvalResult::Set(set)) = v else {
            panic!("not a set: {v:?}");
        };
        let mut out: Vec<String> = set
            .iter()
            .map(|x| match x {
                EvalResult::String(s) => s.clone(),
                other => panic!("not a string: {other:?}"),
            })
            .collect();
        out.sort();
        out
    }

    fn record_field(v: Option<EvalResult>, key: &str) -> Option<EvalResult> {
        let Some(EvalResult::Record(r)) = v else {
            panic!("not a record: {v:?}");
        };
        r.get(key).cloned()
    }

    /// The context as `cedar_policy`'s public API builds it from restricted
    /// expressions: the reference the value-built context must equal.
    fn reference_context(facts: &RequestFacts<'_>, grant: Option<&Grant>) -> Context {
        use cedar_policy::RestrictedExpression as X;
        let names = CedarNames::new().unwrap();
        let uid = |id: &str| X::new_entity_uid(names.department(id));
        let s = |v: &str| X::new_string(v.to_owned());
        let set = |vs: Vec<&str>| X::new_set(vs.into_iter().map(s));
        let rec = |fields: Vec<(&str, X)>| {
            X::new_record(fields.into_iter().map(|(k, v)| (k.to_owned(), v))).unwrap()
        };
        let req = facts.request;
        let mut pairs: Vec<(&str, X)> = vec![(
            "requester_registered",
            X::new_bool(facts.requester_registered),
        )];
        if let Some(d) = facts.dataset {
            let mut fields = vec![
                ("status", s(d.status.as_str())),
                ("class", s(d.sharing.class_name())),
                ("provider", uid(d.provider.as_str())),
                (
                    "provider_registered",
                    X::new_bool(facts.provider_registered),
                ),
            ];
            if let Some(secret) = d.secret {
                fields.push(("secret", s(secret.as_str())));
            }
            if let Some(inside) = facts.requester_in_scope {
                fields.push(("requester_in_scope", X::new_bool(inside)));
            }
            if let Some(permitted) = facts.use_permitted {
                fields.push(("use_permitted", X::new_bool(permitted)));
            }
            pairs.push(("dataset", rec(fields)));
        }
        if let Some(g) = grant {
            let at = &req.at;
            let mut fields = vec![
                ("id", s(g.id.as_str())),
                ("requester", uid(g.requester.as_str())),
                (
                    "items",
                    set(g.effective_items(at).map(|i| i.as_str()).collect()),
                ),
                (
                    "purposes",
                    set(g.effective_purposes(at).map(|p| p.as_str()).collect()),
                ),
                (
                    "recipients",
                    set(g.consented_recipients(at).map(|r| r.as_str()).collect()),
                ),
                (
                    "methods",
                    set(g.methods.iter().map(|m| m.as_str()).collect()),
                ),
                ("valid_from", X::new_long(epoch_micros_ceil(&g.valid_from))),
                ("valid_until", X::new_long(epoch_micros(&g.valid_until))),
                ("status", s(g.status.as_str())),
            ];
            if let Some(end) = &g.ended {
                fields.push(("purpose_ended_at", X::new_long(epoch_micros(&end.at))));
            }
            if let Some(d) = &g.disposed {
                fields.push(("disposed_at", X::new_long(epoch_micros(&d.at))));
            }
            pairs.push(("grant", rec(fields)));
        }
        pairs.push(("items", set(req.items.iter().map(|i| i.as_str()).collect())));
        pairs.push(("purpose_lineage", set(req.purpose.lineage().collect())));
        pairs.push(("purpose_within", set(facts.purpose_within.clone())));
        pairs.push(("purpose_vocabulary", X::new_bool(facts.purpose_vocabulary)));
        pairs.push(("purpose_registered", X::new_bool(facts.purpose_registered)));
        if let Some(m) = req.method {
            pairs.push(("method", s(m.as_str())));
        }
        if let Some(r) = &req.recipient {
            pairs.push(("recipient", s(r.as_str())));
        }
        if let Some(p) = &req.processor {
            pairs.push(("processor", s(p.as_str())));
            if let Some(c) = facts.contractor {
                let dataset = |id: &str| X::new_entity_uid(names.dataset(id));
                pairs.push((
                    "contractor",
                    rec(vec![
                        ("department", uid(c.department.as_str())),
                        (
                            "datasets",
                            X::new_set(c.datasets.iter().map(|d| dataset(d.as_str()))),
                        ),
                        (
                            "activities",
                            set(c.activities.iter().map(|a| a.as_str()).collect()),
                        ),
                        (
                            "valid_from",
                            X::new_long(epoch_micros_ceil(&c.contract.valid_from)),
                        ),
                        (
                            "valid_until",
                            X::new_long(epoch_micros(&c.contract.valid_until)),
                        ),
                        (
                            "security_agreement",
                            X::new_bool(c.contract.security_agreement),
                        ),
                    ]),
                ));
            }
        }
        pairs.push(("at", X::new_long(epoch_micros(&req.at))));
        pairs.push((
            crate::policy::OVERDUE_FACT,
            X::new_bool(facts.overdue_disposal_with_provider),
        ));
        Context::from_pairs(pairs.into_iter().map(|(k, v)| (k.to_owned(), v))).unwrap()
    }

    /// Every request of the decision corpus, against every grant of its
    /// registry as the grant stood at the request's time (and against no
    /// grant), with every combination of the derived facts: the context
    /// built as values equals the one `Context::from_pairs` builds.
    #[test]
    fn values_match_the_public_api() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
        let names = CedarNames::new().unwrap();
        let mut compared = 0usize;
        let mut with_contractor = 0usize;
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let Some(cases) = json.as_array() else {
                continue;
            };
            for case in cases {
                let (Some(reg), Some(req)) = (case["registry"].as_str(), case.get("request"))
                else {
                    continue;
                };
                let Ok(req) = UsageRequest::from_json(&req.to_string()) else {
                    continue;
                };
                let registry = Registry::from_json_str(
                    &std::fs::read_to_string(format!("{dir}/{reg}")).unwrap(),
                )
                .unwrap();
                let dataset = registry.get_dataset(&req.dataset).map(|d| d.as_of(&req.at));
                let contractor = req
                    .processor
                    .as_ref()
                    .and_then(|p| registry.get_contractor(p))
                    .map(|c| c.as_of(&req.at));
                for (provider, overdue) in [(true, false), (false, true)] {
                    let facts = RequestFacts::new(
                        &req,
                        registry.get_department(&req.requester),
                        dataset.as_deref(),
                        provider,
                        registry.purpose_vocabulary(),
                        overdue,
                    )
                    .with_contractor(contractor.as_deref());
                    let grants = registry.grants().iter().map(|g| Some(g.as_of(&req.at)));
                    for grant in std::iter::once(None).chain(grants) {
                        let built = cedar_request(&names, &facts, grant.as_deref()).unwrap();
                        assert_eq!(
                            built.context().unwrap(),
                            &reference_context(&facts, grant.as_deref()),
                            "{}: {}",
                            path.display(),
                            case["name"]
                        );
                        compared += 1;
                        with_contractor += usize::from(contractor.is_some());
                    }
                }
            }
        }
        assert!(compared > 1_000, "only {compared} contexts compared");
        assert!(
            with_contractor > 100,
            "only {with_contractor} contexts with a contractor compared"
        );
    }

    #[test]
    fn facts_reach_the_context() {
        let registry = Registry::from_json_str(DEMO).unwrap();
        let names = CedarNames::new().unwrap();
        let req = request(
            r#"{"requester": "hz-housing", "dataset": "hh-reg", "action": "transfer", "recipient": "hz-civil",
                "purpose": "housing.subsidy-eligibility.review", "items": ["name", "id_number"],
                "at": "2026-04-20T15:00:00.0000005+08:00"}"#,
        );
        let grant = registry
            .get_grant(&"6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e03".parse().unwrap())
            .unwrap();
        let facts = RequestFacts::new(
            &req,
            registry.get_department(&req.requester),
            registry.get_dataset(&req.dataset),
            true,
            None,
            false,
        );
        let cedar = cedar_request(&names, &facts, Some(grant)).unwrap();
        let ctx = cedar.context().unwrap();
        assert_eq!(
            strings(ctx.get("purpose_lineage")),
            [
                "housing",
                "housing.subsidy-eligibility",
                "housing.subsidy-eligibility.review"
            ]
        );
        assert_eq!(strings(ctx.get("items")), ["id_number", "name"]);
        assert_eq!(
            ctx.get("recipient"),
            Some(EvalResult::String("hz-civil".into()))
        );
        assert_eq!(ctx.get("method"), None);
        // Microseconds since the epoch, rounded down for the time of use.
        assert_eq!(ctx.get("at"), Some(EvalResult::Long(1_776_668_400_000_000)));
        let grant_ctx = ctx.get("grant");
        assert_eq!(
            strings(record_field(grant_ctx.clone(), "recipients")),
            ["hz-civil"],
            "consented recipients"
        );
        assert_eq!(
            strings(record_field(grant_ctx.clone(), "purposes")),
            ["housing.subsidy-eligibility"]
        );
        assert_eq!(record_field(grant_ctx.clone(), "purpose_ended_at"), None);
        assert_eq!(
            record_field(grant_ctx, "valid_from"),
            Some(EvalResult::Long(1_767_196_800_000_000))
        );
        let dataset = ctx.get("dataset");
        assert_eq!(
            record_field(dataset.clone(), "class"),
            Some(EvalResult::String("conditional".into()))
        );
        assert_eq!(
            record_field(dataset, "status"),
            Some(EvalResult::String("published".into()))
        );
    }

    #[test]
    fn absent_facts_are_absent_attributes() {
        let names = CedarNames::new().unwrap();
        let req = request(
            r#"{"requester": "x", "dataset": "y", "action": "access", "method": "other",
                "purpose": "p", "items": ["i"], "at": "2026-04-20T15:00:00+08:00"}"#,
        );
        let facts = RequestFacts::new(&req, None, None, false, None, false);
        let cedar = cedar_request(&names, &facts, None).unwrap();
        let ctx = cedar.context().unwrap();
        assert_eq!(ctx.get("grant"), None);
        assert_eq!(ctx.get("dataset"), None);
        assert_eq!(
            ctx.get("requester_registered"),
            Some(EvalResult::Bool(false))
        );
        assert_eq!(ctx.get("method"), Some(EvalResult::String("other".into())));
    }

    #[test]
    fn conditions_and_the_vocabulary_become_facts() {
        let registry =
            Registry::from_json_str(include_str!("../../tests/cases/registry-conditions.json"))
                .unwrap();
        let names = CedarNames::new().unwrap();
        let context = |json: &str| {
            let req = request(json);
            let facts = RequestFacts::new(
                &req,
                registry.get_department(&req.requester),
                registry.get_dataset(&req.dataset),
                true,
                registry.purpose_vocabulary(),
                false,
            );
            cedar_request(&names, &facts, None)
                .unwrap()
                .context()
                .unwrap()
                .clone()
        };
        // Ningbo, an invented purpose, an entry scoped to Hangzhou.
        let ctx = context(
            r#"{"requester": "nb-hrss", "dataset": "ent-reg", "action": "use",
                "purpose": "social-insurance.enrollment-check.marketing", "items": ["uscc"],
                "at": "2026-03-02T10:00:00+08:00"}"#,
        );
        let dataset = ctx.get("dataset");
        assert_eq!(
            record_field(dataset.clone(), "requester_in_scope"),
            Some(EvalResult::Bool(false))
        );
        assert_eq!(
            record_field(dataset.clone(), "use_permitted"),
            Some(EvalResult::Bool(false))
        );
        assert_eq!(record_field(dataset, "secret"), None);
        assert_eq!(ctx.get("purpose_vocabulary"), Some(EvalResult::Bool(true)));
        assert_eq!(ctx.get("purpose_registered"), Some(EvalResult::Bool(false)));
        assert!(strings(ctx.get("purpose_within")).is_empty());
        assert_eq!(strings(ctx.get("purpose_lineage")).len(), 3);
        // A Xihu bureau, a registered purpose under a permitted one; a
        // secret entry without structured conditions.
        let ctx = context(
            r#"{"requester": "xh-amr", "dataset": "ent-reg", "action": "use",
                "purpose": "market-regulation.inspection", "items": ["uscc"],
                "at": "2026-03-02T10:00:00+08:00"}"#,
        );
        let dataset = ctx.get("dataset");
        assert_eq!(
            record_field(dataset.clone(), "requester_in_scope"),
            Some(EvalResult::Bool(true))
        );
        assert_eq!(
            record_field(dataset, "use_permitted"),
            Some(EvalResult::Bool(true))
        );
        assert_eq!(
            strings(ctx.get("purpose_within")),
            ["market-regulation", "market-regulation.inspection"]
        );
        let ctx = context(
            r#"{"requester": "hz-hrss", "dataset": "secret-plan", "action": "use",
                "purpose": "social-insurance", "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"}"#,
        );
        let dataset = ctx.get("dataset");
        assert_eq!(
            record_field(dataset.clone(), "secret"),
            Some(EvalResult::String("state_secret".into()))
        );
        assert_eq!(record_field(dataset.clone(), "requester_in_scope"), None);
        assert_eq!(record_field(dataset, "use_permitted"), None);
    }

    #[test]
    fn consents_widen_items_and_purposes() {
        let mut registry_json: serde_json::Value = serde_json::from_str(DEMO).unwrap();
        registry_json["grants"][0]["consents"] = serde_json::json!([
            {"kind": "item", "value": "address", "at": "2026-01-01T00:00:00+08:00"},
            {"kind": "purpose", "value": "tax.audit", "at": "2026-01-01T00:00:00+08:00"}
        ]);
        let registry = Registry::from_json_str(&registry_json.to_string()).unwrap();
        let grant = &registry.grants()[0];
        let names = CedarNames::new().unwrap();
        let req = request(
            r#"{"requester": "hz-hrss", "dataset": "ent-reg", "action": "use",
                "purpose": "tax.audit", "items": ["address"], "at": "2026-04-20T15:00:00+08:00"}"#,
        );
        let facts = RequestFacts::new(
            &req,
            registry.get_department(&req.requester),
            None,
            true,
            None,
            false,
        );
        let ctx_req = cedar_request(&names, &facts, Some(grant)).unwrap();
        let g = ctx_req.context().unwrap().get("grant");
        assert!(strings(record_field(g.clone(), "items")).contains(&"address".to_owned()));
        assert_eq!(
            strings(record_field(g, "purposes")),
            ["social-insurance.enrollment-check", "tax.audit"]
        );
    }
}
