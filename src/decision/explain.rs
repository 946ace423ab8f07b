//! Explanations: each reason's sentence is the deciding policy's `@zh` /
//! `@en` annotation followed by the facts the engine computed. Nothing here
//! decides; it only describes what the policies decided.

use serde_json::{Map, Value, json};

use super::{
    DEFAULT_DENY, EVALUATION_ERROR, FACTS_UNAVAILABLE, INVALID_REQUEST, OBLIGATION_DISPOSE,
    OBLIGATION_RECORD_USE, Obligation, Reason,
};
use crate::engine::UsageRequest;
use crate::lifecycle::calendar::Calendar;
use crate::lifecycle::disposal::disposal_due;
use crate::model::time::format_rfc3339;
use crate::model::{Dataset, DisposalTrigger, Grant, GrantId, Sharing};
use crate::policy::Rule;

/// What the request was judged against.
pub(crate) struct Situation<'a> {
    pub request: &'a UsageRequest,
    pub dataset: Option<&'a Dataset>,
    pub grant: Option<&'a Grant>,
    /// The grant the request named, when it was not usable (missing, or for
    /// another dataset), with the problem.
    pub named_grant_problem: Option<(&'a GrantId, &'static str)>,
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

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The reason for one deciding rule.
pub(crate) fn reason(rule: &Rule, s: &Situation<'_>) -> Reason {
    let req = s.request;
    let (zh_detail, en_detail, facts) = match (rule.id.as_str(), s.grant) {
        ("GS-PERMIT", Some(g)) => (
            format!(
                "共享授权 {}，使用时限至 {}",
                g.id,
                format_rfc3339(&g.valid_until)
            ),
            format!(
                "grant {}, period of use until {}",
                g.id,
                format_rfc3339(&g.valid_until)
            ),
            json!({"grant": g.id, "purpose": req.purpose, "valid_until": format_rfc3339(&g.valid_until)}),
        ),
        ("GS-UNKNOWN-REQUESTER", _) => (
            format!("{}", req.requester),
            format!("`{}`", req.requester),
            json!({"requester": req.requester}),
        ),
        ("GS-NOT-PUBLISHED", _) => match s.dataset {
            Some(d) => (
                format!("{}（{}）当前状态为 {}", d.id, d.name, d.status.as_str()),
                format!("`{}` has status `{}`", d.id, d.status.as_str()),
                json!({"dataset": d.id, "status": d.status.as_str()}),
            ),
            None => (
                format!("目录中没有数据集 {}", req.dataset),
                format!("no catalog entry `{}`", req.dataset),
                json!({"dataset": req.dataset, "status": null}),
            ),
        },
        ("GS-NOT-SHARED", _) => match s.dataset.map(|d| &d.sharing) {
            Some(Sharing::NotShared { reason, basis }) => {
                let citation = basis.as_ref().map(|b| b.citation.as_str()).unwrap_or("");
                (
                    format!("{reason}（依据：{citation}）"),
                    format!("{reason} (basis: {citation})"),
                    json!({"dataset": req.dataset, "reason": reason, "basis": basis}),
                )
            }
            _ => (
                String::new(),
                String::new(),
                json!({"dataset": req.dataset}),
            ),
        },
        ("GS-NO-GRANT", _) => {
            let mut facts = json!({"requester": req.requester, "dataset": req.dataset});
            let (zh, en) = match s.named_grant_problem {
                Some((id, problem)) => {
                    if let Value::Object(m) = &mut facts {
                        m.insert("named_grant".into(), json!(id));
                        m.insert("named_grant_problem".into(), json!(problem));
                    }
                    if problem == "not_found" {
                        (
                            format!("指定的共享授权 {id} 不存在"),
                            format!("the named grant `{id}` does not exist"),
                        )
                    } else {
                        (
                            format!("指定的共享授权 {id} 不是针对数据集 {} 的", req.dataset),
                            format!(
                                "the named grant `{id}` is not for dataset `{}`",
                                req.dataset
                            ),
                        )
                    }
                }
                None => (
                    format!("{} 对 {} 没有共享授权", req.requester, req.dataset),
                    format!("`{}` holds no grant for `{}`", req.requester, req.dataset),
                ),
            };
            (zh, en, facts)
        }
        ("GS-GRANT-OTHER-REQUESTER", Some(g)) => (
            format!(
                "共享授权 {} 的申请部门为 {}，不是 {}",
                g.id, g.requester, req.requester
            ),
            format!(
                "grant `{}` was approved for `{}`, not `{}`",
                g.id, g.requester, req.requester
            ),
            json!({"grant": g.id, "grant_requester": g.requester, "requester": req.requester}),
        ),
        ("GS-SCOPE-EXPANSION", Some(g)) => {
            let granted = list(g.effective_items(&req.at));
            let outside = list(
                req.items
                    .iter()
                    .filter(|i| !g.effective_items(&req.at).any(|x| x == *i)),
            );
            (
                joined(&outside, "、"),
                outside.join(", "),
                json!({"items_outside_grant": outside, "granted_items": granted}),
            )
        }
        ("GS-PURPOSE-CHANGE", Some(g)) => {
            let granted = list(g.effective_purposes(&req.at));
            (
                format!(
                    "申请目的 {}，授权目的 {}",
                    req.purpose,
                    joined(&granted, "、")
                ),
                format!("stated `{}`, granted {}", req.purpose, joined_en(&granted)),
                json!({"purpose": req.purpose, "granted_purposes": granted}),
            )
        }
        ("GS-THIRD-PARTY", Some(g)) => {
            let consented = list(g.consented_recipients(&req.at));
            let recipient = req
                .recipient
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            (
                format!(
                    "接收方 {recipient}，已同意的接收方 {}",
                    joined(&consented, "、")
                ),
                format!(
                    "recipient `{recipient}`, consented recipients {}",
                    joined_en(&consented)
                ),
                json!({"recipient": recipient, "consented_recipients": consented}),
            )
        }
        ("GS-METHOD-NOT-GRANTED", Some(g)) => {
            let granted = list(g.methods.iter().map(|m| m.as_str()));
            let method = req.method.map(|m| m.as_str()).unwrap_or("");
            (
                format!("申请方式 {method}，授权方式 {}", joined(&granted, "、")),
                format!("method `{method}`, granted {}", joined_en(&granted)),
                json!({"method": method, "granted_methods": granted}),
            )
        }
        ("GS-NOT-YET-VALID", Some(g)) => (
            format!(
                "使用时间 {}，使用时限自 {} 起",
                format_rfc3339(&req.at),
                format_rfc3339(&g.valid_from)
            ),
            format!(
                "at {}, period starts {}",
                format_rfc3339(&req.at),
                format_rfc3339(&g.valid_from)
            ),
            json!({"at": format_rfc3339(&req.at), "valid_from": format_rfc3339(&g.valid_from)}),
        ),
        ("GS-PERIOD-ENDED", Some(g)) => (
            format!(
                "使用时限已于 {} 届满，使用时间 {}",
                format_rfc3339(&g.valid_until),
                format_rfc3339(&req.at)
            ),
            format!(
                "period ended {}, at {}",
                format_rfc3339(&g.valid_until),
                format_rfc3339(&req.at)
            ),
            json!({"at": format_rfc3339(&req.at), "valid_until": format_rfc3339(&g.valid_until)}),
        ),
        ("GS-PURPOSE-ENDED", Some(g)) => match g.ended {
            Some(end) => (
                format!("{}（{}）", end.trigger.zh(), format_rfc3339(&end.at)),
                format!("{} at {}", end.trigger.as_str(), format_rfc3339(&end.at)),
                json!({"trigger": end.trigger, "ended_at": format_rfc3339(&end.at)}),
            ),
            None => (String::new(), String::new(), json!({})),
        },
        ("GS-GRANT-SUSPENDED" | "GS-GRANT-TERMINATED", Some(g)) => (
            format!("共享授权 {}", g.id),
            format!("grant `{}`", g.id),
            json!({"grant": g.id, "status": g.status.as_str()}),
        ),
        ("GS-DISPOSED", Some(g)) => match &g.disposed {
            Some(d) => (
                format!(
                    "已于 {} 以{}方式处置，证明人 {}",
                    format_rfc3339(&d.at),
                    d.method.zh(),
                    d.attested_by
                ),
                format!(
                    "disposed by {} at {}, attested by {}",
                    d.method.as_str(),
                    format_rfc3339(&d.at),
                    d.attested_by
                ),
                json!({"method": d.method, "disposed_at": format_rfc3339(&d.at), "attested_by": d.attested_by}),
            ),
            None => (String::new(), String::new(), json!({})),
        },
        _ => (String::new(), String::new(), json!({})),
    };
    Reason {
        rule: rule.id.clone(),
        articles: rule.articles.clone(),
        zh: sentence(&rule.zh, &zh_detail, "："),
        en: sentence(&rule.en, &en_detail, ": "),
        facts: object(facts),
    }
}

fn sentence(head: &str, detail: &str, sep: &str) -> String {
    if detail.is_empty() {
        head.to_owned()
    } else {
        format!("{head}{sep}{detail}")
    }
}

/// A deny reason raised by the engine itself rather than by a policy.
pub(crate) fn engine_reason(rule: &str, detail: &str) -> Reason {
    let (zh, en, key) = match rule {
        EVALUATION_ERROR => (
            "策略求值出错，为安全起见拒绝",
            "the policies could not be evaluated; denied to fail closed",
            "errors",
        ),
        FACTS_UNAVAILABLE => (
            "无法取得判定所需的事实，为安全起见拒绝",
            "the facts needed to decide could not be obtained; denied to fail closed",
            "error",
        ),
        INVALID_REQUEST => (
            "请求不符合格式要求，拒绝",
            "the request is malformed; denied",
            "error",
        ),
        DEFAULT_DENY => (
            "没有策略允许本次使用",
            "no policy permits this use",
            "error",
        ),
        _ => ("内部错误，拒绝", "internal error; denied", "error"),
    };
    let mut facts = Map::new();
    if !detail.is_empty() {
        facts.insert(key.into(), json!(detail));
    }
    Reason {
        rule: rule.to_owned(),
        articles: Vec::new(),
        zh: sentence(zh, detail, "："),
        en: sentence(en, detail, ": "),
        facts,
    }
}

/// `GS-OBL-RECORD-USE` (Art. 29).
pub(crate) fn record_use(grant: &Grant) -> Obligation {
    Obligation {
        obligation: OBLIGATION_RECORD_USE.into(),
        articles: vec!["29".into()],
        zh: "记录本次使用的使用场景、使用过程、应用成效、存储情况和销毁情况，留存不少于三年".into(),
        en: "record the use scenario, process, results, storage and destruction of this use; keep the records at least three years".into(),
        facts: object(json!({
            "grant": grant.id,
            "retain_years": 3,
            "record": ["scenario", "process", "results", "storage", "destruction"],
        })),
    }
}

/// `GS-OBL-DISPOSE` (Art. 27): the provider's method, due a number of PRC
/// working days after the disposal trigger.
pub(crate) fn dispose(grant: &Grant, calendar: &Calendar) -> Obligation {
    let (at, trigger) = grant.disposal_trigger();
    let method = grant.disposal.method;
    let days = grant.disposal.within_working_days;
    let due = disposal_due(grant, calendar);
    let (due_value, due_zh, due_en) = match &due {
        Ok(d) => (json!(d.to_string()), d.to_string(), d.to_string()),
        Err(e) => (
            Value::Null,
            format!("（到期日无法计算：{e}）"),
            format!("(due date cannot be computed: {e})"),
        ),
    };
    let (when_zh, when_en) = match trigger {
        DisposalTrigger::PeriodEnded => (
            format!("使用时限于 {} 届满后", format_rfc3339(&at)),
            format!("after the period of use ends at {}", format_rfc3339(&at)),
        ),
        DisposalTrigger::PurposeEnded(t) => (
            format!("{}（{}）后", t.zh(), format_rfc3339(&at)),
            format!(
                "after the purpose ended ({}) at {}",
                t.as_str(),
                format_rfc3339(&at)
            ),
        ),
    };
    let mut facts = object(json!({
        "grant": grant.id,
        "method": method,
        "due": due_value,
        "trigger": trigger.as_str(),
        "triggered_at": format_rfc3339(&at),
        "within_working_days": days,
    }));
    if let Err(e) = &due {
        facts.insert("due_error".into(), json!(e.to_string()));
    }
    Obligation {
        obligation: OBLIGATION_DISPOSE.into(),
        articles: vec!["27".into(), "40(4)".into()],
        zh: format!(
            "{when_zh}，按提供部门要求以{}方式处置数据，{days}个工作日内完成，截止 {due_zh}",
            method.zh()
        ),
        en: format!(
            "{when_en}, dispose of the data by {} as the provider requires within {days} working days, due {due_en}",
            method.as_str()
        ),
        facts,
    }
}
