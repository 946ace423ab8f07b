//! Facts → the Cedar request. The engine computes facts (the items asked
//! for, the purpose and its ancestors, the grant's granted-plus-consented
//! items, purposes and recipients, instants as epoch microseconds); the
//! policies decide.

use cedar_policy::{Context, EntityId, EntityTypeName, EntityUid, Request, RestrictedExpression};

use super::request::{Action, UsageRequest};
use crate::model::time::{epoch_micros, epoch_micros_ceil};
use crate::model::{Dataset, Grant};

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
    pub(crate) fn new() -> Result<Self, String> {
        let parse_type = |s: &str| s.parse::<EntityTypeName>().map_err(|e| e.to_string());
        let parse_uid = |s: &str| s.parse::<EntityUid>().map_err(|e| e.to_string());
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
) -> Result<Request, String> {
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
            .map_err(|e| e.to_string())?,
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
                set(g.effective_items().map(|i| i.as_str())),
            ),
            (
                "purposes".to_owned(),
                set(g.effective_purposes().map(|p| p.as_str())),
            ),
            (
                "recipients".to_owned(),
                set(g.consented_recipients().map(|r| r.as_str())),
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
            RestrictedExpression::new_record(fields).map_err(|e| e.to_string())?,
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
        "overdue_disposal_with_provider".into(),
        RestrictedExpression::new_bool(facts.overdue_disposal_with_provider),
    ));
    let context = Context::from_pairs(pairs).map_err(|e| e.to_string())?;
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
    .map_err(|e| e.to_string())
}
