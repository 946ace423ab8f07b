//! Facts → the Cedar request. The engine computes facts (the items asked
//! for, the purpose and its ancestors, the grant's granted-plus-consented
//! items, purposes and recipients, instants as epoch microseconds, whether
//! the provider is registered, whether the requester lies inside an
//! entry's structured scope and the purpose within its permitted uses,
//! whether the purpose is registered); the policies decide.

use cedar_policy::{Context, EntityId, EntityTypeName, EntityUid, Request, RestrictedExpression};

use super::request::{Action, UsageRequest};
use crate::error::BoxError;
use crate::model::{Dataset, Department, Grant, PurposeVocabulary, purpose_within};
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

    fn action(&self, action: Action) -> EntityUid {
        match action {
            Action::Access => self.access.clone(),
            Action::Use => self.use_.clone(),
            Action::Transfer => self.transfer.clone(),
        }
    }
}

fn string(s: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(s.to_owned())
}

fn set<'a>(values: impl IntoIterator<Item = &'a str>) -> RestrictedExpression {
    RestrictedExpression::new_set(values.into_iter().map(string))
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
        }
    }
}

/// Builds the Cedar request for one candidate grant (or none).
pub(crate) fn cedar_request(
    names: &CedarNames,
    facts: &RequestFacts<'_>,
    grant: Option<&Grant>,
) -> Result<Request, BoxError> {
    let req = facts.request;
    let mut pairs: Vec<(String, RestrictedExpression)> = Vec::with_capacity(12);
    pairs.push((
        "requester_registered".into(),
        RestrictedExpression::new_bool(facts.requester_registered),
    ));
    if let Some(d) = facts.dataset {
        let mut fields = vec![
            ("status".to_owned(), string(d.status.as_str())),
            ("class".to_owned(), string(d.sharing.class_name())),
            (
                "provider".to_owned(),
                RestrictedExpression::new_entity_uid(names.department(d.provider.as_str())),
            ),
            (
                "provider_registered".to_owned(),
                RestrictedExpression::new_bool(facts.provider_registered),
            ),
        ];
        if let Some(secret) = d.secret {
            fields.push(("secret".to_owned(), string(secret.as_str())));
        }
        if let Some(inside) = facts.requester_in_scope {
            fields.push((
                "requester_in_scope".to_owned(),
                RestrictedExpression::new_bool(inside),
            ));
        }
        if let Some(permitted) = facts.use_permitted {
            fields.push((
                "use_permitted".to_owned(),
                RestrictedExpression::new_bool(permitted),
            ));
        }
        pairs.push((
            "dataset".into(),
            RestrictedExpression::new_record(fields).map_err(text_error)?,
        ));
    }
    if let Some(g) = grant {
        let mut fields = vec![
            ("id".to_owned(), string(g.id.as_str())),
            (
                "requester".to_owned(),
                RestrictedExpression::new_entity_uid(names.department(g.requester.as_str())),
            ),
            (
                "items".to_owned(),
                set(g.effective_items(&req.at).map(|i| i.as_str())),
            ),
            (
                "purposes".to_owned(),
                set(g.effective_purposes(&req.at).map(|p| p.as_str())),
            ),
            (
                "recipients".to_owned(),
                set(g.consented_recipients(&req.at).map(|r| r.as_str())),
            ),
            (
                "methods".to_owned(),
                set(g.methods.iter().map(|m| m.as_str())),
            ),
            (
                "valid_from".to_owned(),
                RestrictedExpression::new_long(epoch_micros_ceil(&g.valid_from)),
            ),
            (
                "valid_until".to_owned(),
                RestrictedExpression::new_long(epoch_micros(&g.valid_until)),
            ),
            ("status".to_owned(), string(g.status.as_str())),
        ];
        if let Some(end) = &g.ended {
            fields.push((
                "purpose_ended_at".to_owned(),
                RestrictedExpression::new_long(epoch_micros(&end.at)),
            ));
        }
        if let Some(d) = &g.disposed {
            fields.push((
                "disposed_at".to_owned(),
                RestrictedExpression::new_long(epoch_micros(&d.at)),
            ));
        }
        pairs.push((
            "grant".into(),
            RestrictedExpression::new_record(fields).map_err(text_error)?,
        ));
    }
    pairs.push(("items".into(), set(req.items.iter().map(|i| i.as_str()))));
    pairs.push(("purpose_lineage".into(), set(req.purpose.lineage())));
    pairs.push((
        "purpose_within".into(),
        set(facts.purpose_within.iter().copied()),
    ));
    pairs.push((
        "purpose_vocabulary".into(),
        RestrictedExpression::new_bool(facts.purpose_vocabulary),
    ));
    pairs.push((
        "purpose_registered".into(),
        RestrictedExpression::new_bool(facts.purpose_registered),
    ));
    if let Some(m) = req.method {
        pairs.push(("method".into(), string(m.as_str())));
    }
    if let Some(r) = &req.recipient {
        pairs.push(("recipient".into(), string(r.as_str())));
    }
    pairs.push((
        "at".into(),
        RestrictedExpression::new_long(epoch_micros(&req.at)),
    ));
    pairs.push((
        crate::policy::OVERDUE_FACT.into(),
        RestrictedExpression::new_bool(facts.overdue_disposal_with_provider),
    ));
    let context = Context::from_pairs(pairs).map_err(text_error)?;
    Request::new(
        names.department(req.requester.as_str()),
        names.action(req.action),
        EntityUid::from_type_name_and_id(
            names.dataset.clone(),
            EntityId::new(req.dataset.as_str()),
        ),
        context,
        None,
    )
    .map_err(text_error)
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
