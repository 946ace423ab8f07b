//! Facts → the Cedar request. The engine computes facts (the items asked
//! for, the purpose and its ancestors, the grant's granted-plus-consented
//! items, purposes and recipients, instants as epoch microseconds); the
//! policies decide.

use cedar_policy::{Context, EntityId, EntityTypeName, EntityUid, Request, RestrictedExpression};

use super::request::{Action, UsageRequest};
use crate::error::BoxError;
use crate::model::{Dataset, Grant};
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
}

/// Builds the Cedar request for one candidate grant (or none).
pub(crate) fn cedar_request(
    names: &CedarNames,
    facts: &RequestFacts<'_>,
    grant: Option<&Grant>,
) -> Result<Request, BoxError> {
    let req = facts.request;
    let mut pairs: Vec<(String, RestrictedExpression)> = Vec::with_capacity(9);
    pairs.push((
        "requester_registered".into(),
        RestrictedExpression::new_bool(facts.requester_registered),
    ));
    if let Some(d) = facts.dataset {
        pairs.push((
            "dataset".into(),
            RestrictedExpression::new_record([
                ("status".to_owned(), string(d.status.as_str())),
                ("class".to_owned(), string(d.sharing.class_name())),
                (
                    "provider".to_owned(),
                    RestrictedExpression::new_entity_uid(names.department(d.provider.as_str())),
                ),
            ])
            .map_err(text_error)?,
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
        let facts = RequestFacts {
            request: &req,
            requester_registered: true,
            dataset: registry.get_dataset(&req.dataset),
            overdue_disposal_with_provider: false,
        };
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
        let facts = RequestFacts {
            request: &req,
            requester_registered: false,
            dataset: None,
            overdue_disposal_with_provider: false,
        };
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
        let facts = RequestFacts {
            request: &req,
            requester_registered: true,
            dataset: None,
            overdue_disposal_with_provider: false,
        };
        let ctx_req = cedar_request(&names, &facts, Some(grant)).unwrap();
        let g = ctx_req.context().unwrap().get("grant");
        assert!(strings(record_field(g.clone(), "items")).contains(&"address".to_owned()));
        assert_eq!(
            strings(record_field(g, "purposes")),
            ["social-insurance.enrollment-check", "tax.audit"]
        );
    }
}
