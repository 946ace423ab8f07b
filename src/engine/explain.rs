//! Explanations: each reason's sentence is the deciding policy's `@zh` /
//! `@en` annotation followed by the facts the engine computed. Nothing here
//! decides; it only describes what the policies decided. Each rule states
//! its Chinese, its English and its facts once, in [`detail`].

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, TimeDelta};
use serde_json::json;

use super::{Action, UsageRequest};
use crate::calendar::Calendar;
use crate::decision::{
    EngineReason, Explanation, Obligation, ObligationId, Reason, RuleId, StatutoryRule,
};
use crate::model::{
    Activity, CatalogStatus, Contractor, Dataset, Department, DisposalTrigger, Grant, GrantId,
    ScopeDimension, Sharing,
};
use crate::policy::Rule;
use crate::registry::{ContractorHolding, HoldingTrigger, disposal_due, holding_due};
use crate::time::{epoch_micros, epoch_micros_ceil, format_rfc3339};

/// Why a grant the request named could not be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NamedGrantProblem {
    /// No grant has the id.
    NotFound,
    /// The grant is for another dataset.
    OtherDataset,
}

impl NamedGrantProblem {
    /// The wire name, in the `named_grant_problem` fact.
    fn as_str(self) -> &'static str {
        match self {
            NamedGrantProblem::NotFound => "not_found",
            NamedGrantProblem::OtherDataset => "other_dataset",
        }
    }
}

/// What the request was judged against.
pub(crate) struct Situation<'a> {
    pub request: &'a UsageRequest,
    /// The requester, when it is a registered department.
    pub requester: Option<&'a Department>,
    pub dataset: Option<&'a Dataset>,
    pub grant: Option<&'a Grant>,
    /// The grant the request named, when it was not usable, with the
    /// problem.
    pub named_grant_problem: Option<(&'a GrantId, NamedGrantProblem)>,
    /// The codes the stated purpose counts as within.
    pub purpose_within: &'a [&'a str],
    /// The contractor the request names as its processor, as its entry
    /// stood at `at`, when one has that id.
    pub processor: Option<&'a Contractor>,
    /// The contractors of the requester entrusted with the dataset, as the
    /// source holds them.
    pub holders: &'a [Cow<'a, Contractor>],
}

fn list(values: impl IntoIterator<Item = impl ToString>) -> Vec<String> {
    let mut v: Vec<String> = values.into_iter().map(|x| x.to_string()).collect();
    v.sort();
    v.dedup();
    v
}

fn joined(values: &[String], sep: &str) -> String {
    if values.is_empty() {
        "（无）".into()
    } else {
        values.join(sep)
    }
}

fn joined_en(values: &[String]) -> String {
    if values.is_empty() {
        "(none)".into()
    } else {
        values.join(", ")
    }
}

/// The reason for one deciding rule.
pub(crate) fn reason(rule: &Rule, s: &Situation<'_>) -> Reason {
    detail(&rule.id, s).into_reason(rule.id.clone(), rule.articles.clone(), &rule.zh, &rule.en)
}

/// What `rule` says about the situation. A rule of an optional or local
/// policy, or a grant rule without a grant, has only its annotation.
fn detail(rule: &RuleId, s: &Situation<'_>) -> Explanation {
    let req = s.request;
    match (rule, s.grant) {
        (RuleId::Permit, Some(g)) => {
            let until = format_rfc3339(&g.valid_until);
            Explanation::new(
                format!("共享授权 {}，使用时限至 {until}", g.id),
                format!("grant {}, period of use until {until}", g.id),
            )
            .fact("grant", &g.id)
            .fact("purpose", &req.purpose)
            .fact("valid_until", until)
        }
        (RuleId::Statutory(r), grant) => statutory(*r, grant, s),
        (RuleId::Permit | RuleId::Engine(_) | RuleId::Policy(_), _) => Explanation::facts_only(),
    }
}

fn statutory(rule: StatutoryRule, grant: Option<&Grant>, s: &Situation<'_>) -> Explanation {
    let req = s.request;
    match rule {
        StatutoryRule::UnknownRequester => {
            Explanation::new(req.requester.to_string(), format!("`{}`", req.requester))
                .fact("requester", &req.requester)
        }
        StatutoryRule::NotPublished => match s.dataset {
            Some(d) => match (&d.withdrawn, d.status) {
                (Some(w), CatalogStatus::Withdrawn) => {
                    let at = format_rfc3339(&w.at);
                    Explanation::new(
                        format!(
                            "{}（{}）已于 {at} 撤销，报 {} 备案：{}",
                            d.id, d.name, w.filed_with, w.reason
                        ),
                        format!(
                            "`{}` was withdrawn at {at}, filed with `{}`: {}",
                            d.id, w.filed_with, w.reason
                        ),
                    )
                    .fact("dataset", &d.id)
                    .fact("status", d.status.as_str())
                    .fact("withdrawn_at", at)
                    .fact("filed_with", &w.filed_with)
                }
                _ => Explanation::new(
                    format!("{}（{}）当前状态为 {}", d.id, d.name, d.status.as_str()),
                    format!("`{}` has status `{}`", d.id, d.status.as_str()),
                )
                .fact("dataset", &d.id)
                .fact("status", d.status.as_str()),
            },
            None => Explanation::new(
                format!("目录中没有数据集 {}", req.dataset),
                format!("no catalog entry `{}`", req.dataset),
            )
            .fact("dataset", &req.dataset)
            .fact("status", None::<&str>),
        },
        StatutoryRule::NotShared => match s.dataset.map(|d| &d.sharing) {
            Some(Sharing::NotShared { reason, basis }) => {
                let citation = basis.as_ref().map(|b| b.citation.as_str()).unwrap_or("");
                Explanation::new(
                    format!("{reason}（依据：{citation}）"),
                    format!("{reason} (basis: {citation})"),
                )
                .fact("dataset", &req.dataset)
                .fact("reason", reason)
                .fact("basis", basis)
            }
            _ => Explanation::facts_only().fact("dataset", &req.dataset),
        },
        StatutoryRule::UnknownProvider => match s.dataset {
            Some(d) => Explanation::new(
                format!("{}（{}）的提供单位 {} 未登记", d.id, d.name, d.provider),
                format!(
                    "`{}` is provided by `{}`, which is not registered",
                    d.id, d.provider
                ),
            )
            .fact("dataset", &d.id)
            .fact("provider", &d.provider),
            None => Explanation::facts_only().fact("dataset", &req.dataset),
        },
        StatutoryRule::SecretData => match s.dataset.and_then(|d| Some((d, d.secret?))) {
            Some((d, kind)) => Explanation::new(
                format!("{}（{}）标注为{}", d.id, d.name, kind.zh()),
                format!("`{}` is marked `{}`", d.id, kind.as_str()),
            )
            .fact("dataset", &d.id)
            .fact("secret", kind.as_str()),
            None => Explanation::facts_only().fact("dataset", &req.dataset),
        },
        StatutoryRule::OutsideSharingScope => outside_scope(s),
        StatutoryRule::UseNotPermitted => {
            let permitted = list(
                s.dataset
                    .and_then(|d| d.sharing.conditions())
                    .and_then(|c| c.purposes.as_ref())
                    .into_iter()
                    .flatten(),
            );
            Explanation::new(
                format!(
                    "申请目的 {}，目录列明的使用用途 {}",
                    req.purpose,
                    joined(&permitted, "、")
                ),
                format!(
                    "stated `{}`, permitted {}",
                    req.purpose,
                    joined_en(&permitted)
                ),
            )
            .fact("purpose", &req.purpose)
            .fact("permitted_purposes", &permitted)
        }
        StatutoryRule::ProcessorNotEntrusted => processor_not_entrusted(s),
        StatutoryRule::UnregisteredPurpose => Explanation::new(
            format!("{} 未在共享目的目录中登记", req.purpose),
            format!("`{}` is not in the purpose vocabulary", req.purpose),
        )
        .fact("purpose", &req.purpose),
        StatutoryRule::NoGrant => {
            let base = |zh: String, en: String| {
                Explanation::new(zh, en)
                    .fact("requester", &req.requester)
                    .fact("dataset", &req.dataset)
            };
            match s.named_grant_problem {
                Some((id, problem)) => {
                    let (zh, en) = match problem {
                        NamedGrantProblem::NotFound => (
                            format!("指定的共享授权 {id} 不存在"),
                            format!("the named grant `{id}` does not exist"),
                        ),
                        NamedGrantProblem::OtherDataset => (
                            format!("指定的共享授权 {id} 不是针对数据集 {} 的", req.dataset),
                            format!(
                                "the named grant `{id}` is not for dataset `{}`",
                                req.dataset
                            ),
                        ),
                    };
                    base(zh, en)
                        .fact("named_grant", id)
                        .fact("named_grant_problem", problem.as_str())
                }
                None => base(
                    format!("{} 对 {} 没有共享授权", req.requester, req.dataset),
                    format!("`{}` holds no grant for `{}`", req.requester, req.dataset),
                ),
            }
        }
        // These judge a grant; without one they have only their annotation
        // (a policy would not have decided so).
        StatutoryRule::GrantOtherRequester
        | StatutoryRule::ScopeExpansion
        | StatutoryRule::PurposeChange
        | StatutoryRule::ThirdParty
        | StatutoryRule::MethodNotGranted
        | StatutoryRule::NotYetValid
        | StatutoryRule::PeriodEnded
        | StatutoryRule::PurposeEnded
        | StatutoryRule::GrantSuspended
        | StatutoryRule::GrantTerminated
        | StatutoryRule::Disposed => match grant {
            Some(g) => grant_rule(rule, g, s),
            None => Explanation::facts_only(),
        },
    }
}

/// Whether a contractor's activities cover an action (DESIGN §8): access
/// needs processing or operation, use needs processing, and a contractor
/// passes data to no one. The policy decides; this only says which
/// condition of it failed.
fn covers(activities: &[Activity], action: Action) -> bool {
    match action {
        Action::Access => activities
            .iter()
            .any(|a| matches!(a, Activity::Processing | Activity::Operation)),
        Action::Use => activities.contains(&Activity::Processing),
        Action::Transfer => false,
    }
}

/// The Chinese name of an action.
fn action_zh(action: Action) -> &'static str {
    match action {
        Action::Access => "获取数据",
        Action::Use => "使用数据",
        Action::Transfer => "向他人提供数据",
    }
}

/// `GS-PROCESSOR-NOT-ENTRUSTED`: the processor, and each condition of its
/// entrustment that the request does not meet (the codes in `failed`, in
/// this order): `not_a_contractor`, `other_requester`,
/// `dataset_not_entrusted`, `activity_not_covering`,
/// `contract_not_in_force`, `no_security_agreement`.
fn processor_not_entrusted(s: &Situation<'_>) -> Explanation {
    let req = s.request;
    let id = req
        .processor
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let Some(c) = s.processor else {
        return Explanation::new(
            format!("{id} 不是已登记的受托方"),
            format!("`{id}` is not a registered contractor"),
        )
        .fact("processor", &id)
        .fact("failed", ["not_a_contractor"]);
    };
    let at = format_rfc3339(&req.at);
    let (from, until) = (
        format_rfc3339(&c.contract.valid_from),
        format_rfc3339(&c.contract.valid_until),
    );
    // As the policy compares them: microseconds, the start rounded up.
    let micros = epoch_micros(&req.at);
    let in_force = epoch_micros_ceil(&c.contract.valid_from) <= micros
        && micros < epoch_micros(&c.contract.valid_until);
    let datasets = list(c.datasets.iter());
    let activities = list(c.activities.iter());
    let activities_zh: Vec<&str> = c.activities.iter().map(|a| a.zh()).collect();
    let mut failed: Vec<&str> = Vec::new();
    let mut zh: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    if c.department != req.requester {
        failed.push("other_requester");
        zh.push(format!(
            "受 {} 委托，不是 {} 的受托方",
            c.department, req.requester
        ));
        en.push(format!(
            "it is entrusted by `{}`, not by `{}`",
            c.department, req.requester
        ));
    }
    if !c.entrusted_with(&req.dataset) {
        failed.push("dataset_not_entrusted");
        zh.push(format!(
            "未受托处理数据集 {}（受托数据集 {}）",
            req.dataset,
            joined(&datasets, "、")
        ));
        en.push(format!(
            "it is not entrusted with `{}` (entrusted with {})",
            req.dataset,
            joined_en(&datasets)
        ));
    }
    if !covers(&c.activities, req.action) {
        failed.push("activity_not_covering");
        zh.push(format!(
            "受托事项 {} 不涵盖{}（获取数据须受托加工或运行维护，使用数据须受托加工，受托方不得向他人提供数据）",
            activities_zh.join("、"),
            action_zh(req.action)
        ));
        en.push(format!(
            "its activities ({}) do not cover `{}` (access needs processing or operation, use needs processing; a contractor passes data to no one)",
            joined_en(&activities),
            req.action
        ));
    }
    if !in_force {
        failed.push("contract_not_in_force");
        zh.push(format!(
            "委托合同 {} 的有效期为 {from} 至 {until}，使用时间 {at} 不在其内",
            c.contract.id
        ));
        en.push(format!(
            "contract {} is in force from {from} until {until}, not at {at}",
            c.contract.id
        ));
    }
    if !c.contract.security_agreement {
        failed.push("no_security_agreement");
        zh.push(format!("委托合同 {} 未签订数据安全协议", c.contract.id));
        en.push(format!(
            "no data-security agreement is signed under contract {}",
            c.contract.id
        ));
    }
    Explanation::new(
        format!("{id}（{}）{}", c.name, zh.join("；")),
        format!("`{id}` ({}): {}", c.name, en.join("; ")),
    )
    .fact("processor", &id)
    .fact("failed", &failed)
    .fact("department", &c.department)
    .fact("contract", &c.contract.id)
    .fact("datasets", &datasets)
    .fact("activities", &activities)
    .fact("valid_from", from)
    .fact("valid_until", until)
    .fact("security_agreement", c.contract.security_agreement)
    .fact("at", at)
}

/// `GS-OUTSIDE-SHARING-SCOPE`: the requester, where it stands, and each
/// dimension of the entry's scope it falls outside of.
fn outside_scope(s: &Situation<'_>) -> Explanation {
    let req = s.request;
    let conditions = s.dataset.and_then(|d| d.sharing.conditions());
    let (Some(c), Some(r)) = (conditions, s.requester) else {
        return Explanation::facts_only().fact("requester", &req.requester);
    };
    let outside = c.outside(r);
    let region = r.region.as_ref().map(ToString::to_string);
    let stated = |dim: ScopeDimension| -> Option<Vec<String>> {
        match dim {
            ScopeDimension::Regions => c.regions.as_ref().map(|v| list(v.iter())),
            ScopeDimension::Levels => c.levels.as_ref().map(|v| list(v.iter())),
            ScopeDimension::Departments => c.departments.as_ref().map(|v| list(v.iter())),
        }
    };
    let zh_parts: Vec<String> = outside
        .iter()
        .map(|d| {
            format!(
                "{}限于 {}",
                d.zh(),
                joined(&stated(*d).unwrap_or_default(), "、")
            )
        })
        .collect();
    let en_parts: Vec<String> = outside
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.as_str(),
                joined_en(&stated(*d).unwrap_or_default())
            )
        })
        .collect();
    let region_zh = region.clone().unwrap_or_else(|| "未登记".into());
    let region_en = region.clone().unwrap_or_else(|| "none".into());
    Explanation::new(
        format!(
            "{}（{}，行政区划 {region_zh}）不在共享范围内：{}",
            r.id,
            r.level,
            zh_parts.join("；")
        ),
        format!(
            "`{}` ({}, region {region_en}) is outside {}",
            r.id,
            r.level,
            en_parts.join("; ")
        ),
    )
    .fact("requester", &r.id)
    .fact("level", r.level)
    .fact("region", region)
    .fact("outside", &outside)
    .fact("regions", stated(ScopeDimension::Regions))
    .fact("levels", stated(ScopeDimension::Levels))
    .fact("departments", stated(ScopeDimension::Departments))
}

fn grant_rule(rule: StatutoryRule, g: &Grant, s: &Situation<'_>) -> Explanation {
    let req = s.request;
    let at = format_rfc3339(&req.at);
    match rule {
        StatutoryRule::GrantOtherRequester => Explanation::new(
            format!(
                "共享授权 {} 的申请部门为 {}，不是 {}",
                g.id, g.requester, req.requester
            ),
            format!(
                "grant `{}` was approved for `{}`, not `{}`",
                g.id, g.requester, req.requester
            ),
        )
        .fact("grant", &g.id)
        .fact("grant_requester", &g.requester)
        .fact("requester", &req.requester),
        StatutoryRule::ScopeExpansion => {
            let granted = list(g.effective_items(&req.at));
            let outside = list(
                req.items
                    .iter()
                    .filter(|i| !g.effective_items(&req.at).any(|x| x == *i)),
            );
            Explanation::new(joined(&outside, "、"), outside.join(", "))
                .fact("items_outside_grant", &outside)
                .fact("granted_items", &granted)
        }
        StatutoryRule::PurposeChange => {
            let granted = list(g.effective_purposes(&req.at));
            let mut zh = format!(
                "申请目的 {}，授权目的 {}",
                req.purpose,
                joined(&granted, "、")
            );
            let mut en = format!("stated `{}`, granted {}", req.purpose, joined_en(&granted));
            // With a purpose vocabulary only registered codes count: say
            // which, when that is not simply the purpose and its ancestors.
            let counted = !req.purpose.lineage().eq(s.purpose_within.iter().copied());
            if counted {
                let within = list(s.purpose_within.iter());
                zh.push_str(&format!(
                    "（按已登记的共享目的，申请目的仅属于 {}）",
                    joined(&within, "、")
                ));
                en.push_str(&format!(
                    " (by the purpose vocabulary, the stated purpose counts as within {})",
                    joined_en(&within)
                ));
            }
            let mut explanation = Explanation::new(zh, en)
                .fact("purpose", &req.purpose)
                .fact("granted_purposes", &granted);
            if counted {
                explanation = explanation.fact("counted_within", list(s.purpose_within.iter()));
            }
            explanation
        }
        StatutoryRule::ThirdParty => {
            let consented = list(g.consented_recipients(&req.at));
            let recipient = req
                .recipient
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            Explanation::new(
                format!(
                    "接收方 {recipient}，已同意的接收方 {}",
                    joined(&consented, "、")
                ),
                format!(
                    "recipient `{recipient}`, consented recipients {}",
                    joined_en(&consented)
                ),
            )
            .fact("recipient", &recipient)
            .fact("consented_recipients", &consented)
        }
        StatutoryRule::MethodNotGranted => {
            let granted = list(g.methods.iter().map(|m| m.as_str()));
            let method = req.method.map(|m| m.as_str()).unwrap_or("");
            Explanation::new(
                format!("申请方式 {method}，授权方式 {}", joined(&granted, "、")),
                format!("method `{method}`, granted {}", joined_en(&granted)),
            )
            .fact("method", method)
            .fact("granted_methods", &granted)
        }
        StatutoryRule::NotYetValid => {
            let from = format_rfc3339(&g.valid_from);
            Explanation::new(
                format!("使用时间 {at}，使用时限自 {from} 起"),
                format!("at {at}, period starts {from}"),
            )
            .fact("at", &at)
            .fact("valid_from", from)
        }
        StatutoryRule::PeriodEnded => {
            let until = format_rfc3339(&g.valid_until);
            Explanation::new(
                format!("使用时限已于 {until} 届满，使用时间 {at}"),
                format!("period ended {until}, at {at}"),
            )
            .fact("at", &at)
            .fact("valid_until", until)
        }
        StatutoryRule::PurposeEnded => match g.ended {
            Some(end) => {
                let ended_at = format_rfc3339(&end.at);
                Explanation::new(
                    format!("{}（{ended_at}）", end.trigger.zh()),
                    format!("{} at {ended_at}", end.trigger.as_str()),
                )
                .fact("trigger", end.trigger)
                .fact("ended_at", ended_at)
            }
            None => Explanation::facts_only(),
        },
        StatutoryRule::GrantSuspended | StatutoryRule::GrantTerminated => {
            Explanation::new(format!("共享授权 {}", g.id), format!("grant `{}`", g.id))
                .fact("grant", &g.id)
                .fact("status", g.status.as_str())
        }
        StatutoryRule::Disposed => match &g.disposed {
            Some(d) => {
                let disposed_at = format_rfc3339(&d.at);
                Explanation::new(
                    format!(
                        "已于 {disposed_at} 以{}方式处置，证明人 {}",
                        d.method.zh(),
                        d.attested_by
                    ),
                    format!(
                        "disposed by {} at {disposed_at}, attested by {}",
                        d.method.as_str(),
                        d.attested_by
                    ),
                )
                .fact("method", d.method)
                .fact("disposed_at", disposed_at)
                .fact("attested_by", &d.attested_by)
            }
            None => Explanation::facts_only(),
        },
        // Explained by `statutory` before a grant is looked at.
        StatutoryRule::UnknownRequester
        | StatutoryRule::NotPublished
        | StatutoryRule::NotShared
        | StatutoryRule::UnknownProvider
        | StatutoryRule::SecretData
        | StatutoryRule::OutsideSharingScope
        | StatutoryRule::UseNotPermitted
        | StatutoryRule::UnregisteredPurpose
        | StatutoryRule::NoGrant
        | StatutoryRule::ProcessorNotEntrusted => Explanation::facts_only(),
    }
}

/// The sentence of each engine reason, and the key of its detail fact.
fn engine_texts(reason: EngineReason) -> (&'static str, &'static str, &'static str) {
    match reason {
        EngineReason::EvaluationError => (
            "策略求值出错，为安全起见拒绝",
            "the policies could not be evaluated; denied to fail closed",
            "errors",
        ),
        EngineReason::FactsUnavailable => (
            "无法取得判定所需的事实，为安全起见拒绝",
            "the facts needed to decide could not be obtained; denied to fail closed",
            "error",
        ),
        EngineReason::InvalidRequest => (
            "请求不符合格式要求，拒绝",
            "the request is malformed; denied",
            "error",
        ),
        EngineReason::DefaultDeny => (
            "没有策略允许本次使用",
            "no policy permits this use",
            "error",
        ),
        EngineReason::ClockSkew => (
            "请求所称的使用时间与本引擎时钟相差超过允许的偏差，拒绝",
            "the request's time lies farther from the engine's clock than the host allows; denied",
            "error",
        ),
    }
}

/// A deny reason raised by the engine itself rather than by a policy.
pub(crate) fn engine_reason(reason: EngineReason, detail: &str) -> Reason {
    let (zh, en, key) = engine_texts(reason);
    let explanation = if detail.is_empty() {
        Explanation::facts_only()
    } else {
        Explanation::new(detail, detail).fact(key, detail)
    };
    explanation.into_reason(RuleId::Engine(reason), Vec::new(), zh, en)
}

/// `GS-CLOCK-SKEW`: the request's time and the engine's, and how far apart
/// they may be.
pub(crate) fn clock_skew(
    at: &DateTime<FixedOffset>,
    now: &DateTime<FixedOffset>,
    max: std::time::Duration,
    skew: TimeDelta,
) -> Reason {
    let (zh, en, _) = engine_texts(EngineReason::ClockSkew);
    let (at, now, max_s) = (format_rfc3339(at), format_rfc3339(now), max.as_secs());
    Explanation::new(
        format!("请求时间 {at}，引擎时间 {now}，允许偏差 {max_s} 秒"),
        format!("request at {at}, engine clock at {now}, maximum skew {max_s}s"),
    )
    .fact("at", &at)
    .fact("engine_time", &now)
    .fact("max_skew_seconds", max_s)
    .fact("skew_seconds", skew.num_seconds())
    .into_reason(RuleId::Engine(EngineReason::ClockSkew), Vec::new(), zh, en)
}

/// `GS-OBL-RECORD-USE` (Art. 29).
pub(crate) fn record_use(grant: &Grant) -> Obligation {
    Explanation::new(
        "记录本次使用的使用场景、使用过程、应用成效、存储情况和销毁情况，留存不少于三年",
        "record the use scenario, process, results, storage and destruction of this use; keep the records at least three years",
    )
    .fact("grant", &grant.id)
    .fact("retain_years", 3)
    .fact(
        "record",
        ["scenario", "process", "results", "storage", "destruction"],
    )
    .into_obligation(ObligationId::RecordUse, &["29"])
}

/// `GS-OBL-DISPOSE` (Art. 27, 36): the provider's method, due a number of
/// PRC working days after the disposal trigger, owed by every holder of the
/// data: the requester, and each contractor holding it for the requester
/// that has not disposed of it yet (`holdings`, as they stood at the time
/// judged), a contractor whose entrustment ends first from that end.
pub(crate) fn dispose(
    grant: &Grant,
    calendar: &Calendar,
    holdings: &[ContractorHolding<'_>],
) -> Obligation {
    let (at, trigger) = grant.disposal_trigger();
    let triggered_at = format_rfc3339(&at);
    let method = grant.disposal.method;
    let days = grant.disposal.within_working_days;
    let due = disposal_due(grant, calendar);
    let (due_zh, due_en) = match &due {
        Ok(d) => (d.to_string(), d.to_string()),
        Err(e) => (
            format!("（到期日无法计算：{e}）"),
            format!("(due date cannot be computed: {e})"),
        ),
    };
    let (when_zh, when_en) = match trigger {
        DisposalTrigger::PeriodEnded => (
            format!("使用时限于 {triggered_at} 届满后"),
            format!("after the period of use ends at {triggered_at}"),
        ),
        DisposalTrigger::PurposeEnded(t) => (
            format!("{}（{triggered_at}）后", t.zh()),
            format!("after the purpose ended ({}) at {triggered_at}", t.as_str()),
        ),
        DisposalTrigger::EntryWithdrawn => (
            format!("目录于 {triggered_at} 撤销后"),
            format!("after the catalog entry was withdrawn at {triggered_at}"),
        ),
    };
    let mut holders = vec![json!({
        "holder": grant.requester, "kind": "requester", "trigger": trigger.as_str(),
        "triggered_at": triggered_at, "due": due.as_ref().ok().map(ToString::to_string),
    })];
    let mut zh = format!(
        "{when_zh}，按提供部门要求以{}方式处置数据，{days}个工作日内完成，截止 {due_zh}",
        method.zh()
    );
    let mut en = format!(
        "{when_en}, dispose of the data by {} as the provider requires within {days} working days, due {due_en}",
        method.as_str()
    );
    for h in holdings
        .iter()
        .filter(|h| h.contractor.disposal_of(&grant.id).is_none())
    {
        let c = &h.contractor;
        let at = format_rfc3339(&h.triggered_at);
        let due = holding_due(grant, h, calendar);
        let (due_zh, due_en) = match &due {
            Ok(d) => (d.to_string(), d.to_string()),
            Err(e) => (
                format!("（到期日无法计算：{e}）"),
                format!("(due date cannot be computed: {e})"),
            ),
        };
        match h.trigger {
            HoldingTrigger::Grant(_) => {
                zh.push_str(&format!(
                    "；受托方 {}（委托合同 {}）持有该数据，一并处置，截止 {due_zh}",
                    c.id, c.contract.id
                ));
                en.push_str(&format!(
                    "; contractor `{}` (contract {}) holds the data and disposes of it too, due {due_en}",
                    c.id, c.contract.id
                ));
            }
            HoldingTrigger::ContractEnded | HoldingTrigger::EntrustmentEnded => {
                zh.push_str(&format!(
                    "；受托方 {} 的委托于 {at} 终止（委托合同 {}），自终止起处置其持有的数据，截止 {due_zh}",
                    c.id, c.contract.id
                ));
                en.push_str(&format!(
                    "; contractor `{}`'s entrustment ends at {at} (contract {}): it disposes of the data it holds from then, due {due_en}",
                    c.id, c.contract.id
                ));
            }
        }
        let mut holder = json!({
            "holder": c.id, "kind": "contractor", "department": c.department,
            "contract": c.contract.id, "trigger": h.trigger.as_str(), "triggered_at": at,
            "due": due.as_ref().ok().map(ToString::to_string),
        });
        if let (Err(e), Some(o)) = (&due, holder.as_object_mut()) {
            o.insert("due_error".into(), json!(e.to_string()));
        }
        holders.push(holder);
    }
    let mut explanation = Explanation::new(zh, en)
        .fact("grant", &grant.id)
        .fact("method", method)
        .fact("due", due.as_ref().ok().map(ToString::to_string))
        .fact("trigger", trigger.as_str())
        .fact("triggered_at", &triggered_at)
        .fact("within_working_days", days)
        .fact("holders", holders);
    if let Err(e) = &due {
        explanation = explanation.fact("due_error", e.to_string());
    }
    explanation.into_obligation(ObligationId::Dispose, &["27", "40(4)"])
}

/// `GS-OBL-SUPERVISE-PROCESSOR` (Art. 36): the requester supervises the
/// contractor that processed the data for it, within its contract.
pub(crate) fn supervise(c: &Contractor) -> Obligation {
    let until = format_rfc3339(&c.contract.valid_until);
    let activities = list(c.activities.iter());
    Explanation::new(
        format!(
            "委托方应当监督受托方 {}（{}，统一社会信用代码 {}）依照委托合同 {}（有效期至 {until}）处理数据，受托方不得擅自访问、获取、留存、使用、泄露或者向他人提供政务数据",
            c.id, c.name, c.uscc, c.contract.id
        ),
        format!(
            "supervise contractor `{}` ({}) processing the data under contract {} until {until}: it may not access, obtain, retain, use, leak or pass on the data beyond its entrustment",
            c.id, c.name, c.contract.id
        ),
    )
    .fact("contractor", &c.id)
    .fact("name", &c.name)
    .fact("uscc", &c.uscc)
    .fact("department", &c.department)
    .fact("contract", &c.contract.id)
    .fact("valid_until", until)
    .fact("activities", activities)
    .into_obligation(ObligationId::SuperviseProcessor, &["36"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_reasons_carry_their_detail_as_a_fact() {
        let r = engine_reason(EngineReason::FactsUnavailable, "db down");
        assert_eq!(r.rule, RuleId::Engine(EngineReason::FactsUnavailable));
        assert_eq!(r.facts["error"], json!("db down"));
        assert!(r.en.ends_with(": db down"));
        let bare = engine_reason(EngineReason::DefaultDeny, "");
        assert!(bare.facts.is_empty());
        assert_eq!(bare.zh, "没有策略允许本次使用");
    }
}
