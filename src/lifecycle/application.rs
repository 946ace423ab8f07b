//! Applications and replies (Art. 20–22): what an application must hold,
//! how the provider may answer it, and by when, in PRC working days.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::catalog::{Finding, Severity, Subject, stated_by_entry};
use crate::calendar::{Calendar, WorkingDays};
use crate::error::{CalendarError, ReplyError};
use crate::model::{
    Approval, CatalogStatus, Dataset, DatasetId, DepartmentId, DisposalInstruction, Grant, GrantId,
    GrantStatus, ItemName, PurposeCode, Sharing, SharingClass, SharingMethod, purpose_within,
};
use crate::registry::Registry;
use crate::time::{china_date, format_rfc3339, rfc3339};

/// Working days to reply to an application for `unconditional` data (Art. 21).
pub const REPLY_DAYS_UNCONDITIONAL: u32 = 1;
/// Working days to reply to an application for `conditional` data (Art. 21);
/// also used for `not_shared` entries, whose application is refused.
pub const REPLY_DAYS_CONDITIONAL: u32 = 10;
/// The longest extension of a reply deadline, in working days (Art. 21).
pub const MAX_EXTENSION_DAYS: u32 = 10;
/// Working days to deliver the data after approval (Art. 22).
pub const DELIVERY_DAYS: u32 = 20;

/// The requester's guarantee of 真实性、合法性和必要性 (Art. 20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// 真实性: the application is true.
    pub authenticity: bool,
    /// 合法性: the use is lawful.
    pub legality: bool,
    /// 必要性: the data is necessary for the duty.
    pub necessity: bool,
}

/// A sharing application (共享申请), Art. 20. Every content field may be
/// absent on the wire so that [`check_application`] can list everything
/// missing at once (Art. 21: 一次性告知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The application's id.
    pub id: String,
    /// The requesting department.
    pub requester: DepartmentId,
    /// The catalog entry applied for.
    pub dataset: DatasetId,
    /// 使用范围: the data items asked for.
    #[serde(default)]
    pub items: Vec<ItemName>,
    /// 共享方式 asked for.
    #[serde(default)]
    pub methods: Vec<SharingMethod>,
    /// 共享目的: the purpose.
    #[serde(default)]
    pub purpose: Option<PurposeCode>,
    /// 使用依据: the legal basis of the duty the data serves.
    #[serde(default)]
    pub basis: String,
    /// 使用场景.
    #[serde(default)]
    pub scenario: String,
    /// 使用时限: start of the period of use.
    #[serde(default, with = "rfc3339::option")]
    pub valid_from: Option<DateTime<FixedOffset>>,
    /// 使用时限: end of the period of use (exclusive).
    #[serde(default, with = "rfc3339::option")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// The requester's attestation.
    #[serde(default)]
    pub attestation: Option<Attestation>,
    /// Approval by the head of the requester's sharing office.
    #[serde(default)]
    pub approval: Option<Approval>,
    /// When the provider received it; starts the reply clock.
    #[serde(with = "rfc3339")]
    pub received_at: DateTime<FixedOffset>,
}

fn subject(app: &Application) -> Subject {
    Subject {
        kind: "application",
        id: app.id.clone(),
    }
}

fn missing(
    app: &Application,
    code: &'static str,
    articles: &[&'static str],
    zh: &str,
    en: &str,
) -> Finding {
    Finding::new(
        code,
        Severity::Error,
        articles,
        subject(app),
        format!("申请材料缺少：{zh}"),
        format!("the application lacks {en}"),
    )
}

/// Findings that are grounds to refuse an application rather than parts to
/// supplement: the entry's structured conditions exclude the requester or
/// the purpose (Art. 14–15), or the data is a secret (Art. 3).
const REFUSAL_GROUNDS: [&str; 3] = [
    "APP-SECRET-DATA",
    "APP-OUTSIDE-SHARING-SCOPE",
    "APP-USE-NOT-PERMITTED",
];

fn is_refusal_ground(f: &Finding) -> bool {
    REFUSAL_GROUNDS.contains(&f.code)
}

/// Words that fill a field without stating anything (无, none, n/a, …): a
/// basis or scenario given as one of them is missing.
fn is_blank(text: &str) -> bool {
    const PLACEHOLDERS: [&str; 12] = [
        "无", "暂无", "没有", "不详", "略", "/", "-", "—", "none", "n/a", "na", "null",
    ];
    let t = text.trim();
    t.is_empty() || PLACEHOLDERS.iter().any(|p| t.eq_ignore_ascii_case(p))
}

/// Every missing or invalid part of an application, all at once (Art. 21:
/// 一次性告知), and every ground the catalog entry gives to refuse it. An
/// empty list means the application is complete and may be approved.
///
/// Beside the parts Art. 20 asks for (a basis or scenario of `无` or
/// `n/a` counts as missing), it checks the purpose against the registry's
/// purpose vocabulary (`APP-UNREGISTERED-PURPOSE`, Art. 20, 25) and, as
/// grounds for refusal, the entry's structured conditions
/// (`APP-OUTSIDE-SHARING-SCOPE`, `APP-USE-NOT-PERMITTED`, Art. 14–15) and
/// its secret mark (`APP-SECRET-DATA`, Art. 3).
pub fn check_application(app: &Application, registry: &Registry) -> Vec<Finding> {
    let mut out = Vec::new();
    let invalid = |code, articles: &[&'static str], zh: String, en: String| {
        Finding::new(code, Severity::Error, articles, subject(app), zh, en)
    };
    if registry.get_department(&app.requester).is_none() {
        out.push(invalid(
            "APP-REQUESTER-NOT-DEPARTMENT",
            &["2"],
            format!("申请方 {} 不是已登记的政府部门", app.requester),
            format!(
                "requester `{}` is not a registered government department",
                app.requester
            ),
        ));
    }
    if is_blank(&app.basis) {
        out.push(missing(
            app,
            "APP-MISSING-BASIS",
            &["20"],
            "使用依据",
            "the legal basis for use",
        ));
    }
    if is_blank(&app.scenario) {
        out.push(missing(
            app,
            "APP-MISSING-SCENARIO",
            &["20"],
            "使用场景",
            "the use scenario",
        ));
    }
    if app.items.is_empty() {
        out.push(missing(
            app,
            "APP-MISSING-ITEMS",
            &["20"],
            "使用范围（数据项）",
            "the scope of use (data items)",
        ));
    }
    if app.methods.is_empty() {
        out.push(missing(
            app,
            "APP-MISSING-METHOD",
            &["20", "22"],
            "共享方式",
            "the sharing method",
        ));
    }
    match (app.valid_from, app.valid_until) {
        (Some(from), Some(until)) if from >= until => out.push(invalid(
            "APP-EMPTY-PERIOD",
            &["20"],
            "使用时限的起始时间不早于截止时间".into(),
            "the period of use starts at or after its end".into(),
        )),
        (Some(_), Some(_)) => {}
        _ => out.push(missing(
            app,
            "APP-MISSING-PERIOD",
            &["20"],
            "使用时限",
            "the period of use",
        )),
    }
    match (&app.purpose, registry.purpose_vocabulary()) {
        (None, _) => out.push(missing(
            app,
            "APP-MISSING-PURPOSE",
            &["20", "25"],
            "共享目的",
            "the purpose",
        )),
        (Some(p), Some(v)) if !v.contains(p.as_str()) => out.push(invalid(
            "APP-UNREGISTERED-PURPOSE",
            &["20", "25"],
            format!("共享目的 {p} 不是已登记的共享目的"),
            format!("purpose `{p}` is not a registered purpose"),
        )),
        (Some(_), _) => {}
    }
    let attested = app
        .attestation
        .is_some_and(|a| a.authenticity && a.legality && a.necessity);
    if !attested {
        out.push(missing(
            app,
            "APP-MISSING-ATTESTATION",
            &["20"],
            "对真实性、合法性和必要性的承诺",
            "the attestation of authenticity, legality and necessity",
        ));
    }
    if app.approval.as_ref().is_none_or(|a| a.by.trim().is_empty()) {
        out.push(missing(
            app,
            "APP-MISSING-APPROVAL",
            &["20"],
            "本部门政务数据共享工作机构负责人的审核同意",
            "the approval of the head of the requester's sharing office",
        ));
    }
    match registry.get_dataset(&app.dataset) {
        Some(d) if d.status == CatalogStatus::Published => {
            let outside: Vec<String> = app
                .items
                .iter()
                .filter(|i| d.item(i).is_none())
                .map(ToString::to_string)
                .collect();
            if !outside.is_empty() {
                out.push(invalid(
                    "APP-ITEM-NOT-IN-CATALOG",
                    &["16", "20"],
                    format!("申请的数据项不在目录中：{}", outside.join("、")),
                    format!("items not in the catalog entry: {}", outside.join(", ")),
                ));
            }
            let methods: Vec<&str> = app
                .methods
                .iter()
                .filter(|m| !d.methods.contains(m))
                .map(|m| m.as_str())
                .collect();
            if !methods.is_empty() {
                out.push(invalid(
                    "APP-METHOD-NOT-OFFERED",
                    &["22"],
                    format!("目录未提供该共享方式：{}", methods.join("、")),
                    format!(
                        "sharing methods the entry does not offer: {}",
                        methods.join(", ")
                    ),
                ));
            }
            out.extend(refusal_grounds(app, registry, d));
        }
        _ => out.push(invalid(
            "APP-DATASET-NOT-PUBLISHED",
            &["16", "20"],
            format!("申请的数据集 {} 不在已发布的目录中", app.dataset),
            format!("dataset `{}` is not a published catalog entry", app.dataset),
        )),
    }
    out
}

/// What the catalog entry itself says against the application: a secret
/// mark, a requester outside its structured scope, a purpose outside its
/// structured uses.
fn refusal_grounds(app: &Application, registry: &Registry, d: &Dataset) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |code, articles: &[&'static str], zh: String, en: String| {
        Finding::new(code, Severity::Error, articles, subject(app), zh, en)
    };
    if let Some(kind) = d.secret {
        out.push(finding(
            "APP-SECRET-DATA",
            &["3"],
            format!(
                "数据集 {} 标注为{}，不是政务数据，不通过共享提供",
                d.id,
                kind.zh()
            ),
            format!(
                "dataset `{}` is marked `{}`: not government data, never shared through the Regulation",
                d.id,
                kind.as_str()
            ),
        ));
    }
    let Some(c) = d.sharing.conditions() else {
        return out;
    };
    if let Some(requester) = registry.get_department(&app.requester) {
        let outside = c.outside(requester);
        if !outside.is_empty() {
            let region = requester
                .region
                .as_ref()
                .map_or_else(|| "none".to_owned(), ToString::to_string);
            out.push(finding(
                "APP-OUTSIDE-SHARING-SCOPE",
                &["14", "15"],
                format!(
                    "申请部门 {}（{}，行政区划 {region}）不在目录列明的共享范围内：{}",
                    app.requester,
                    requester.level,
                    outside
                        .iter()
                        .map(|d| d.zh())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                format!(
                    "requester `{}` ({}, region {region}) is outside the entry's sharing scope: {}",
                    app.requester,
                    requester.level,
                    outside
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    if let (Some(p), Some(permitted)) = (&app.purpose, &c.purposes)
        && !c.permits(&purpose_within(registry.purpose_vocabulary(), p))
    {
        let permitted: Vec<String> = permitted.iter().map(ToString::to_string).collect();
        out.push(finding(
            "APP-USE-NOT-PERMITTED",
            &["14", "15"],
            format!(
                "共享目的 {p} 不在目录列明的使用用途内：{}",
                permitted.join("、")
            ),
            format!(
                "purpose `{p}` is not a use the entry permits: {}",
                permitted.join(", ")
            ),
        ));
    }
    out
}

/// The reply deadline in working days for a dataset's sharing class
/// (Art. 21).
pub fn reply_days(class: SharingClass) -> u32 {
    match class {
        SharingClass::Unconditional => REPLY_DAYS_UNCONDITIONAL,
        SharingClass::Conditional | SharingClass::NotShared => REPLY_DAYS_CONDITIONAL,
    }
}

/// An approved extension of the reply deadline (Art. 21: 因特殊原因,
/// the same-level authority approves and the requester is told).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Working days added; at most [`MAX_EXTENSION_DAYS`].
    pub working_days: u32,
    /// The authority's approval.
    pub approved_by: String,
    /// The special reason.
    pub reason: String,
}

/// How the provider answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReplyDecision {
    /// Approve, possibly narrower than asked; yields a [`Grant`].
    Approve {
        /// Items approved; all asked for when absent.
        #[serde(default)]
        items: Option<Vec<ItemName>>,
        /// Methods approved; all asked for when absent.
        #[serde(default)]
        methods: Option<Vec<SharingMethod>>,
        /// The provider's disposal instruction (Art. 27).
        disposal: DisposalInstruction,
        /// Conditions attached to the grant. Each must be one the catalog
        /// entry states (its scope or one of its uses): a provider may not
        /// add conditions of its own (Art. 15, 39(2)).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        conditions: Vec<String>,
    },
    /// Refuse, with reasons (Art. 21).
    Refuse {
        /// The reasons.
        reasons: Vec<String>,
    },
    /// Send back for supplement; the missing parts are listed by
    /// [`check_application`], all at once.
    RequestSupplement,
}

/// The provider's reply (答复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// The answer.
    pub decision: ReplyDecision,
    /// When it was given.
    #[serde(with = "rfc3339")]
    pub replied_at: DateTime<FixedOffset>,
    /// Approval by the head of the provider's sharing office (Art. 20).
    pub approval: Approval,
    /// An extension of the deadline, if one was approved.
    #[serde(default)]
    pub extension: Option<Extension>,
}

/// What a reply leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyOutcome {
    /// `approve`, `refuse` or `request_supplement`.
    pub decision: &'static str,
    /// The grant an approval yields.
    pub grant: Option<Grant>,
    /// The refusal's reasons (a `not_shared` refusal starts with the entry's
    /// legal basis).
    pub reasons: Vec<String>,
    /// Everything missing or invalid, for a supplement request.
    pub missing: Vec<Finding>,
    /// The reply deadline.
    pub reply_due: NaiveDate,
    /// The delivery deadline after an approval (Art. 22).
    pub delivery_due: Option<NaiveDate>,
    /// Provider violations found, such as a late reply (Art. 39(4)).
    pub violations: Vec<Finding>,
}

/// The reply deadline: `received` plus 1 (unconditional) or 10
/// (conditional) working days, plus an approved extension of at most 10.
///
/// # Errors
///
/// [`ReplyError::Extension`] over [`MAX_EXTENSION_DAYS`];
/// [`ReplyError::Calendar`] when the calendar does not cover the dates.
pub fn reply_deadline(
    calendar: &Calendar,
    received: &DateTime<FixedOffset>,
    class: SharingClass,
    extension_days: u32,
) -> Result<WorkingDays, ReplyError> {
    if extension_days > MAX_EXTENSION_DAYS {
        return Err(ReplyError::Extension(format!(
            "{extension_days} working days is over the limit of {MAX_EXTENSION_DAYS} (Art. 21)"
        )));
    }
    Ok(calendar.add_working_days(china_date(received), reply_days(class) + extension_days)?)
}

/// The delivery deadline: 20 working days after the approving reply
/// (Art. 22).
///
/// # Errors
///
/// [`CalendarError`] when the calendar does not cover the dates.
pub fn delivery_deadline(
    calendar: &Calendar,
    approved: &DateTime<FixedOffset>,
) -> Result<WorkingDays, CalendarError> {
    calendar.add_working_days(china_date(approved), DELIVERY_DAYS)
}

/// A delivery made after its deadline, as an Art. 39(4) finding.
///
/// # Errors
///
/// [`CalendarError`] when the calendar does not cover the dates.
pub fn check_delivery(
    calendar: &Calendar,
    grant: &GrantId,
    approved: &DateTime<FixedOffset>,
    delivered: &DateTime<FixedOffset>,
) -> Result<Option<Finding>, CalendarError> {
    let due = delivery_deadline(calendar, approved)?.due;
    Ok((china_date(delivered) > due).then(|| {
        Finding::new(
            "PROVIDER-LATE-DELIVERY",
            Severity::Error,
            &["22", "39(4)"],
            Subject {
                kind: "grant",
                id: grant.to_string(),
            },
            format!(
                "数据应于 {due} 前提供，实际于 {} 提供",
                format_rfc3339(delivered)
            ),
            format!(
                "data was due by {due} and delivered at {}",
                format_rfc3339(delivered)
            ),
        )
    }))
}

/// Answers an application.
///
/// Every reply names the head of the provider's sharing office who approved
/// it (Art. 20) and is dated no earlier than the application's receipt. An
/// incomplete application can only be sent back for supplement; a refusal
/// needs reasons; a `not_shared` entry can only be refused, and its legal
/// basis leads the reasons; a complete application for an `unconditional`
/// entry cannot be refused (Art. 14); an application the entry's structured
/// conditions exclude cannot be approved, and the grounds lead a refusal's
/// reasons (Art. 14–15); an approval yields a [`Grant`] (a fresh UUID) no
/// wider than the application or the catalog entry, carrying only
/// conditions the entry states (Art. 15, 39(2)). A reply after its deadline
/// is flagged as an Art. 39(4) provider violation.
///
/// # Errors
///
/// [`ReplyError`] naming what makes the reply impossible.
pub fn reply(
    app: &Application,
    registry: &Registry,
    calendar: &Calendar,
    reply: &Reply,
) -> Result<ReplyOutcome, ReplyError> {
    if reply.approval.by.trim().is_empty() {
        return Err(ReplyError::NoApprover);
    }
    if reply.replied_at < app.received_at {
        return Err(ReplyError::BeforeApplication {
            application: app.id.clone(),
            replied_at: format_rfc3339(&reply.replied_at),
            received_at: format_rfc3339(&app.received_at),
        });
    }
    let findings = check_application(app, registry);
    let (grounds, material): (Vec<Finding>, Vec<Finding>) =
        findings.iter().cloned().partition(is_refusal_ground);
    let dataset: Option<&Dataset> = registry.get_dataset(&app.dataset);
    let sharing = dataset
        .map(|d| &d.sharing)
        .unwrap_or(&Sharing::Unconditional);
    if let Some(ext) = &reply.extension
        && ext.approved_by.trim().is_empty()
    {
        return Err(ReplyError::Extension(
            "an extension needs the approval of the same-level competent authority (Art. 21)"
                .into(),
        ));
    }
    let extension_days = reply.extension.as_ref().map_or(0, |e| e.working_days);
    let due = reply_deadline(calendar, &app.received_at, sharing.class(), extension_days)?.due;
    let mut violations = Vec::new();
    if china_date(&reply.replied_at) > due {
        violations.push(Finding::new(
            "PROVIDER-LATE-REPLY",
            Severity::Error,
            &["21", "39(4)"],
            subject(app),
            format!(
                "应于 {due} 前答复，实际于 {} 答复",
                format_rfc3339(&reply.replied_at)
            ),
            format!(
                "the reply was due by {due} and given at {}",
                format_rfc3339(&reply.replied_at)
            ),
        ));
    }
    let codes = |fs: &[Finding]| fs.iter().map(|f| f.code).collect::<Vec<_>>().join(", ");
    let incomplete = || ReplyError::Incomplete {
        application: app.id.clone(),
        codes: codes(&material),
    };
    let not_shared_basis = match sharing {
        Sharing::NotShared { reason, basis } => Some(match basis {
            Some(b) => format!("{reason}（依据：{}）", b.citation),
            None => reason.clone(),
        }),
        _ => None,
    };
    let mut outcome = ReplyOutcome {
        decision: "",
        grant: None,
        reasons: Vec::new(),
        missing: Vec::new(),
        reply_due: due,
        delivery_due: None,
        violations,
    };
    match &reply.decision {
        ReplyDecision::RequestSupplement => {
            if material.is_empty() {
                return Err(ReplyError::NothingToSupplement {
                    application: app.id.clone(),
                });
            }
            outcome.decision = "request_supplement";
            outcome.missing = findings;
        }
        ReplyDecision::Refuse { reasons } => {
            if !material.is_empty() {
                return Err(incomplete());
            }
            if sharing.class() == SharingClass::Unconditional && grounds.is_empty() {
                return Err(ReplyError::RefusesUnconditional {
                    dataset: app.dataset.to_string(),
                });
            }
            let mut all: Vec<String> = not_shared_basis.into_iter().collect();
            all.extend(grounds.iter().map(|f| f.zh.clone()));
            all.extend(reasons.iter().filter(|r| !r.trim().is_empty()).cloned());
            if all.is_empty() {
                return Err(ReplyError::RefusalWithoutReasons);
            }
            outcome.decision = "refuse";
            outcome.reasons = all;
        }
        ReplyDecision::Approve {
            items,
            methods,
            disposal,
            conditions,
        } => {
            if !material.is_empty() {
                return Err(incomplete());
            }
            if not_shared_basis.is_some() {
                return Err(ReplyError::NotShared {
                    dataset: app.dataset.to_string(),
                });
            }
            if !grounds.is_empty() {
                return Err(ReplyError::ContradictsConditions {
                    application: app.id.clone(),
                    codes: codes(&grounds),
                });
            }
            let extra: Vec<String> = conditions
                .iter()
                .filter(|c| !stated_by_entry(sharing, c))
                .map(|c| format!("`{c}`"))
                .collect();
            if !extra.is_empty() {
                return Err(ReplyError::ExtraConditions {
                    dataset: app.dataset.to_string(),
                    conditions: extra.join(", "),
                });
            }
            let items = items.clone().unwrap_or_else(|| app.items.clone());
            if let Some(extra) = items.iter().find(|i| !app.items.contains(i)) {
                return Err(ReplyError::ExceedsApplication(format!(
                    "the application: item `{extra}` was not asked for"
                )));
            }
            if let Some(d) = dataset
                && let Some(extra) = items.iter().find(|i| d.item(i).is_none())
            {
                return Err(ReplyError::ExceedsApplication(format!(
                    "the catalog entry: no item `{extra}`"
                )));
            }
            let methods = methods.clone().unwrap_or_else(|| app.methods.clone());
            if let Some(extra) = methods.iter().find(|m| !app.methods.contains(m)) {
                return Err(ReplyError::ExceedsApplication(format!(
                    "the application: method `{}` was not asked for",
                    extra.as_str()
                )));
            }
            let (Some(purpose), Some(valid_from), Some(valid_until)) =
                (app.purpose.clone(), app.valid_from, app.valid_until)
            else {
                return Err(incomplete());
            };
            if items.is_empty() || methods.is_empty() {
                return Err(ReplyError::ExceedsApplication(
                    "nothing: an approval must keep at least one item and one method".into(),
                ));
            }
            let id = GrantId::new(uuid::Uuid::new_v4().to_string())
                .map_err(|e| ReplyError::ExceedsApplication(e.to_string()))?;
            outcome.decision = "approve";
            outcome.delivery_due = Some(delivery_deadline(calendar, &reply.replied_at)?.due);
            outcome.grant = Some(Grant {
                id,
                dataset: app.dataset.clone(),
                requester: app.requester.clone(),
                purpose,
                basis: app.basis.clone(),
                scenario: app.scenario.clone(),
                items,
                methods,
                valid_from,
                valid_until,
                disposal: *disposal,
                status: GrantStatus::Active,
                consents: Vec::new(),
                ended: None,
                disposed: None,
                backflow: false,
                conditions: conditions.clone(),
                suspension: None,
                history: Vec::new(),
            });
        }
    }
    Ok(outcome)
}
