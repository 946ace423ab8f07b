//! Catalog validation (Art. 2–3, 13–16, 19–25, 27, 39): every problem a
//! registry holds, each as a [`Finding`] with a stable code, a severity, the
//! articles, the record it concerns and a sentence in Chinese and English.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::model::{
    CatalogStatus, ConsentScope, DataGrade, Dataset, Department, Grant, Level, PurposeVocabulary,
    SecretKind, Sharing, SharingConditions, purpose_within,
};
use crate::registry::Registry;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the registry is usable.
    Warning,
    /// Breaks the Regulation; `govshare check` exits 1.
    Error,
}

/// The record a finding concerns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Subject {
    /// `department`, `purpose`, `dataset`, `grant`, `contractor`,
    /// `application`, or `registry` for the registry as a whole.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// Stable code, such as `CAT-NOT-SHARED-BAD-BASIS`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// Articles of the Regulation.
    pub articles: Vec<&'static str>,
    /// The record concerned.
    pub subject: Subject,
    /// The problem in Chinese.
    pub zh: String,
    /// The problem in English.
    pub en: String,
}

impl Finding {
    /// A finding.
    pub fn new(
        code: &'static str,
        severity: Severity,
        articles: &[&'static str],
        subject: Subject,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            code,
            severity,
            articles: articles.to_vec(),
            subject,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Severity {
    /// The wire name: `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The Chinese name: 提示 or 错误.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Warning => "提示",
            Severity::Error => "错误",
        }
    }
}

/// A finding as a person reads it: its code, severity, articles and the
/// record, then the problem in Chinese and in English on lines of their
/// own.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "[{}] {} {} 第{}条 {} `{}`",
            self.code,
            self.severity.zh(),
            self.severity.as_str(),
            self.articles.join("、"),
            self.subject.kind,
            self.subject.id
        )?;
        writeln!(f, "    {}", self.zh)?;
        write!(f, "    {}", self.en)
    }
}

/// Every finding code [`validate`] can report, with its severity and
/// articles, for documentation and for hosts that map codes to actions.
pub const CATALOG_CODES: &[(&str, Severity, &str)] = &[
    ("CAT-MISSING-FIELD", Severity::Error, "13"),
    ("CAT-NO-ASSESSMENT", Severity::Warning, "13"),
    ("CAT-NO-APPROVAL", Severity::Warning, "13"),
    ("CAT-DUPLICATE-ITEM", Severity::Error, "13"),
    ("CAT-UNKNOWN-PROVIDER", Severity::Error, "2,13"),
    ("CAT-CONDITIONAL-NO-SCOPE", Severity::Error, "15"),
    ("CAT-CONDITIONAL-NO-USES", Severity::Error, "15"),
    ("CAT-NOT-SHARED-NO-REASON", Severity::Error, "15"),
    ("CAT-NOT-SHARED-NO-BASIS", Severity::Error, "14,15"),
    ("CAT-NOT-SHARED-BAD-BASIS", Severity::Error, "14,15"),
    ("CAT-SECRET", Severity::Error, "3"),
    ("CAT-GRADE-UNCONDITIONAL", Severity::Warning, "13,14"),
    ("CAT-UNKNOWN-SOURCE-DEPARTMENT", Severity::Warning, "19"),
    ("CAT-CONDITIONS-UNCHECKED", Severity::Warning, "15"),
    ("CAT-CONDITIONS-EMPTY", Severity::Error, "15,39(2)"),
    ("CAT-CONDITIONS-UNKNOWN-DEPARTMENT", Severity::Warning, "15"),
    (
        "CAT-CONDITIONS-UNREGISTERED-PURPOSE",
        Severity::Error,
        "15,25",
    ),
    ("REG-NO-PURPOSE-VOCABULARY", Severity::Warning, "20,25"),
    ("PURPOSE-BAD-PARENT", Severity::Warning, "20"),
    ("DEPT-UNKNOWN-PARENT", Severity::Warning, "8"),
    ("GRANT-UNKNOWN-DATASET", Severity::Error, "16,20"),
    ("GRANT-UNPUBLISHED-DATASET", Severity::Error, "16"),
    ("GRANT-NOT-SHARED-DATASET", Severity::Error, "14,21"),
    ("GRANT-REQUESTER-NOT-DEPARTMENT", Severity::Error, "2"),
    ("GRANT-ITEM-NOT-IN-DATASET", Severity::Error, "20"),
    ("GRANT-METHOD-NOT-OFFERED", Severity::Error, "20,22"),
    ("GRANT-CONSENT-ITEM-NOT-IN-DATASET", Severity::Error, "25"),
    ("GRANT-EMPTY-PERIOD", Severity::Error, "20"),
    ("GRANT-UNREGISTERED-PURPOSE", Severity::Error, "20,25"),
    ("GRANT-OUTSIDE-CONDITIONS", Severity::Error, "14,15"),
    ("GRANT-EXTRA-CONDITIONS", Severity::Error, "15,39(2)"),
    ("GRANT-BACKFLOW-CONDITIONS", Severity::Error, "24,39(5)"),
    ("GRANT-BACKFLOW-OUTSIDE-REGION", Severity::Error, "24"),
    ("GRANT-BACKFLOW-NOT-DOWNWARD", Severity::Warning, "24"),
    ("GRANT-SUSPENSION-MISMATCH", Severity::Warning, "27"),
    ("GRANT-DISPOSAL-METHOD-MISMATCH", Severity::Error, "27"),
    ("CONTRACTOR-BAD-USCC", Severity::Error, "36"),
    ("CONTRACTOR-EMPTY-PERIOD", Severity::Error, "36"),
    ("CONTRACTOR-NO-SECURITY-AGREEMENT", Severity::Error, "36"),
    ("CONTRACTOR-SECRET-DATA", Severity::Error, "3,36"),
    ("CONTRACTOR-NOT-SHARED-DATA", Severity::Error, "14,36"),
    ("CONTRACTOR-OWN-NOT-SHARED-DATA", Severity::Warning, "14,36"),
];

fn dataset_subject(d: &Dataset) -> Subject {
    Subject {
        kind: "dataset",
        id: d.id.to_string(),
    }
}

fn grant_subject(g: &Grant) -> Subject {
    Subject {
        kind: "grant",
        id: g.id.to_string(),
    }
}

/// Checks a registry against the Regulation. Findings come in registry
/// order: departments, the purpose vocabulary (or a warning that there is
/// none), datasets, grants, then contractors.
///
/// # Example
///
/// ```
/// use govshare::Registry;
/// use govshare::lifecycle::validate;
///
/// let registry = Registry::from_json_str(r#"{"departments": [], "grants": [], "datasets": [
///   {"id": "tax-detail", "name": "涉税明细", "provider": "hz-tax", "status": "published",
///    "items": [{"name": "tax_amount", "grade": "important"}],
///    "sharing": {"class": "not_shared", "reason": "涉及纳税人秘密",
///                "basis": {"kind": "policy", "citation": "某政策文件"}},
///    "methods": ["service_interface"], "format": "database", "update_frequency": "monthly"}]}"#)?;
/// let codes: Vec<_> = validate(&registry).iter().map(|f| f.code).collect();
/// assert!(codes.contains(&"CAT-NOT-SHARED-BAD-BASIS"));
/// assert!(codes.contains(&"CAT-UNKNOWN-PROVIDER"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate(registry: &Registry) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in registry.departments() {
        if let Some(parent) = &d.parent
            && registry.get_department(parent).is_none()
        {
            out.push(Finding::new(
                "DEPT-UNKNOWN-PARENT",
                Severity::Warning,
                &["8"],
                Subject {
                    kind: "department",
                    id: d.id.to_string(),
                },
                format!("上级部门 {parent} 未登记"),
                format!("parent department `{parent}` is not registered"),
            ));
        }
    }
    check_purposes(registry, &mut out);
    for d in registry.datasets() {
        check_dataset(registry, d, &mut out);
    }
    for g in registry.grants() {
        check_grant(registry, g, &mut out);
    }
    super::contractor::check_contractors(registry, &mut out);
    out
}

fn check_dataset(registry: &Registry, d: &Dataset, out: &mut Vec<Finding>) {
    let subject = || dataset_subject(d);
    let mut missing: Vec<(&str, &str)> = Vec::new();
    if d.name.trim().is_empty() {
        missing.push(("数据目录名称", "name"));
    }
    if d.items.is_empty() {
        missing.push(("数据项", "items"));
    }
    if d.format.trim().is_empty() {
        missing.push(("数据格式", "format"));
    }
    if d.update_frequency.trim().is_empty() {
        missing.push(("数据更新频率", "update_frequency"));
    }
    if d.methods.is_empty() {
        missing.push(("共享方式", "methods"));
    }
    for (zh, en) in missing {
        out.push(Finding::new(
            "CAT-MISSING-FIELD",
            Severity::Error,
            &["13"],
            subject(),
            format!("目录缺少第十三条规定的事项：{zh}"),
            format!("the entry lacks a field Art. 13 requires: `{en}`"),
        ));
    }
    if d.assessment.is_none() {
        out.push(Finding::new(
            "CAT-NO-ASSESSMENT",
            Severity::Warning,
            &["13"],
            subject(),
            "未记录保密风险、个人信息保护影响等评估",
            "no record of the confidentiality-risk and personal-information impact assessments",
        ));
    }
    if d.approval.is_none() {
        out.push(Finding::new(
            "CAT-NO-APPROVAL",
            Severity::Warning,
            &["13"],
            subject(),
            "未记录部门负责人审核同意",
            "no record of the department head's approval",
        ));
    }
    let mut seen = HashSet::new();
    for item in &d.items {
        if !seen.insert(&item.name) {
            out.push(Finding::new(
                "CAT-DUPLICATE-ITEM",
                Severity::Error,
                &["13"],
                subject(),
                format!("数据项 {} 重复", item.name),
                format!("item `{}` is listed twice", item.name),
            ));
        }
        if let Some(src) = &item.source_department
            && registry.get_department(src).is_none()
        {
            out.push(Finding::new(
                "CAT-UNKNOWN-SOURCE-DEPARTMENT",
                Severity::Warning,
                &["19"],
                subject(),
                format!("数据项 {} 的数源部门 {src} 未登记", item.name),
                format!(
                    "source department `{src}` of item `{}` is not registered",
                    item.name
                ),
            ));
        }
    }
    if registry.get_department(&d.provider).is_none() {
        out.push(Finding::new(
            "CAT-UNKNOWN-PROVIDER",
            Severity::Error,
            &["2", "13"],
            subject(),
            format!("提供单位 {} 不是已登记的政府部门", d.provider),
            format!(
                "provider `{}` is not a registered government department",
                d.provider
            ),
        ));
    }
    match &d.sharing {
        Sharing::Unconditional => {
            let high: Vec<String> = d
                .items
                .iter()
                .filter(|i| i.grade >= DataGrade::Important)
                .map(|i| i.name.to_string())
                .collect();
            if !high.is_empty() {
                out.push(Finding::new(
                    "CAT-GRADE-UNCONDITIONAL",
                    Severity::Warning,
                    &["13", "14"],
                    subject(),
                    format!("无条件共享目录含重要或核心数据项：{}（分类分级就高从严）", high.join("、")),
                    format!(
                        "unconditional entry holds important or core items: {} (grade higher when in doubt)",
                        high.join(", ")
                    ),
                ));
            }
        }
        Sharing::Conditional { scope, uses, .. } => {
            if scope.trim().is_empty() {
                out.push(Finding::new(
                    "CAT-CONDITIONAL-NO-SCOPE",
                    Severity::Error,
                    &["15"],
                    subject(),
                    "有条件共享目录未列明共享范围",
                    "conditional entry does not state its sharing scope",
                ));
            }
            if uses.iter().all(|u| u.trim().is_empty()) {
                out.push(Finding::new(
                    "CAT-CONDITIONAL-NO-USES",
                    Severity::Error,
                    &["15"],
                    subject(),
                    "有条件共享目录未列明使用用途",
                    "conditional entry does not state its permitted uses",
                ));
            }
            check_conditions(registry, d, d.sharing.conditions(), out);
        }
        Sharing::NotShared { reason, basis } => {
            if reason.trim().is_empty() {
                out.push(Finding::new(
                    "CAT-NOT-SHARED-NO-REASON",
                    Severity::Error,
                    &["15"],
                    subject(),
                    "不予共享目录未说明理由",
                    "not_shared entry gives no reason",
                ));
            }
            match basis {
                None => out.push(Finding::new(
                    "CAT-NOT-SHARED-NO-BASIS",
                    Severity::Error,
                    &["14", "15"],
                    subject(),
                    "不予共享目录未列明法律、行政法规或国务院决定依据",
                    "not_shared entry names no law, administrative regulation or State Council decision",
                )),
                Some(b) if !b.kind.is_accepted() || b.citation.trim().is_empty() => out.push(Finding::new(
                    "CAT-NOT-SHARED-BAD-BASIS",
                    Severity::Error,
                    &["14", "15"],
                    subject(),
                    format!(
                        "不予共享的依据须为法律、行政法规或国务院决定，且须列明出处；现为 {}「{}」",
                        b.kind.as_str(),
                        b.citation
                    ),
                    format!(
                        "a not_shared basis must be a cited law, administrative regulation or State Council decision, not `{}` `{}`",
                        b.kind.as_str(),
                        b.citation
                    ),
                )),
                Some(_) => {}
            }
        }
    }
    if let Some(kind) = d.secret {
        let (zh, en) = match kind {
            SecretKind::StateSecret => ("国家秘密", "a state secret"),
            SecretKind::WorkSecret => ("工作秘密", "a work secret"),
        };
        out.push(Finding::new(
            "CAT-SECRET",
            Severity::Error,
            &["3"],
            subject(),
            format!("属于{zh}的数据不是政务数据，不得编入共享目录"),
            format!("data that is {en} is not government data and cannot be catalogued"),
        ));
    }
}

/// The purpose vocabulary: its absence, and parents that are not
/// registered or not an ancestor of the code.
fn check_purposes(registry: &Registry, out: &mut Vec<Finding>) {
    let Some(vocabulary) = registry.purpose_vocabulary() else {
        out.push(Finding::new(
            "REG-NO-PURPOSE-VOCABULARY",
            Severity::Warning,
            &["20", "25"],
            Subject {
                kind: "registry",
                id: "purposes".into(),
            },
            "未登记共享目的目录：使用目的只按代码层级判断，申请方自拟的下级目的也视为在授权目的之内",
            "the registry has no purpose vocabulary: purposes are judged by their dot-separated codes alone, so a sub-purpose a requester makes up counts as under the granted one",
        ));
        return;
    };
    for p in vocabulary.purposes() {
        let Some(parent) = &p.parent else { continue };
        let subject = || Subject {
            kind: "purpose",
            id: p.code.to_string(),
        };
        if !vocabulary.contains(parent.as_str()) {
            out.push(Finding::new(
                "PURPOSE-BAD-PARENT",
                Severity::Warning,
                &["20"],
                subject(),
                format!("上级目的 {parent} 未登记"),
                format!("parent purpose `{parent}` is not registered"),
            ));
        } else if p.code == *parent || !p.code.is_within(parent) {
            out.push(Finding::new(
                "PURPOSE-BAD-PARENT",
                Severity::Warning,
                &["20"],
                subject(),
                format!("上级目的 {parent} 不是代码 {} 的上级", p.code),
                format!("`{parent}` is not an ancestor of the code `{}`", p.code),
            ));
        }
    }
}

/// A conditional entry's structured conditions: whether a machine can
/// check them, and whether they make sense.
fn check_conditions(
    registry: &Registry,
    d: &Dataset,
    conditions: Option<&SharingConditions>,
    out: &mut Vec<Finding>,
) {
    let subject = || dataset_subject(d);
    // What is stated in words only, and why a machine cannot check it.
    let (zh, en, why_zh, why_en): (Vec<&str>, Vec<&str>, &str, String) = match conditions {
        None => (
            vec!["共享范围", "使用用途"],
            vec!["scope", "uses"],
            "未列明 sharing.conditions",
            "no `sharing.conditions`".into(),
        ),
        Some(c) => {
            let mut parts = (Vec::new(), Vec::new(), Vec::new());
            if !c.states_scope() {
                parts.0.push("共享范围");
                parts.1.push("scope");
                parts.2.push("`regions`, `levels` or `departments`");
            }
            if !c.states_uses() {
                parts.0.push("使用用途");
                parts.1.push("uses");
                parts.2.push("`purposes`");
            }
            let why = format!("`sharing.conditions` has no {}", parts.2.join(" and no "));
            (parts.0, parts.1, "sharing.conditions 未列明相应条件", why)
        }
    };
    if !zh.is_empty() {
        out.push(Finding::new(
            "CAT-CONDITIONS-UNCHECKED",
            Severity::Warning,
            &["15"],
            subject(),
            format!(
                "有条件共享目录的{}只有文字表述（{why_zh}），不能由机器校验",
                zh.join("和")
            ),
            format!(
                "the entry states its {} in words only ({why_en}): not checked by machine",
                en.join(" and ")
            ),
        ));
    }
    let Some(c) = conditions else { return };
    let empty: Vec<&str> = [
        ("regions", c.regions.as_ref().is_some_and(Vec::is_empty)),
        ("levels", c.levels.as_ref().is_some_and(Vec::is_empty)),
        (
            "departments",
            c.departments.as_ref().is_some_and(Vec::is_empty),
        ),
        ("purposes", c.purposes.as_ref().is_some_and(Vec::is_empty)),
    ]
    .into_iter()
    .filter_map(|(key, empty)| empty.then_some(key))
    .collect();
    if !empty.is_empty() {
        out.push(Finding::new(
            "CAT-CONDITIONS-EMPTY",
            Severity::Error,
            &["15", "39(2)"],
            subject(),
            format!(
                "共享条件 {} 为空列表，任何部门或用途都不符合，等于不予共享",
                empty.join("、")
            ),
            format!(
                "the conditions list nothing under {}: no department or use can meet them, which refuses sharing without a legal basis",
                empty.join(", ")
            ),
        ));
    }
    for id in c.departments.iter().flatten() {
        if registry.get_department(id).is_none() {
            out.push(Finding::new(
                "CAT-CONDITIONS-UNKNOWN-DEPARTMENT",
                Severity::Warning,
                &["15"],
                subject(),
                format!("共享范围列明的部门 {id} 未登记"),
                format!("the scope names `{id}`, which is not a registered department"),
            ));
        }
    }
    if let Some(vocabulary) = registry.purpose_vocabulary() {
        let unregistered: Vec<String> = c
            .purposes
            .iter()
            .flatten()
            .filter(|p| !vocabulary.contains(p.as_str()))
            .map(ToString::to_string)
            .collect();
        if !unregistered.is_empty() {
            out.push(Finding::new(
                "CAT-CONDITIONS-UNREGISTERED-PURPOSE",
                Severity::Error,
                &["15", "25"],
                subject(),
                format!("使用用途不是已登记的共享目的：{}", unregistered.join("、")),
                format!(
                    "permitted uses that are not registered purposes: {}",
                    unregistered.join(", ")
                ),
            ));
        }
    }
}

/// Whether the entry states this condition itself (its scope or one of its
/// uses): a condition it does not state is one the provider added
/// (擅自增设条件, Art. 15, 39(2)).
pub(super) fn stated_by_entry(sharing: &Sharing, condition: &str) -> bool {
    let condition = condition.trim();
    match sharing {
        Sharing::Conditional { scope, uses, .. } => {
            scope.trim() == condition || uses.iter().any(|u| u.trim() == condition)
        }
        Sharing::Unconditional | Sharing::NotShared { .. } => false,
    }
}

/// The purposes of a grant (granted and consented) that the vocabulary
/// does not hold.
fn unregistered_purposes(g: &Grant, vocabulary: &PurposeVocabulary) -> Vec<String> {
    let consented = g.consents.iter().filter_map(|c| match &c.scope {
        ConsentScope::Purpose(p) => Some(p),
        _ => None,
    });
    let mut out: Vec<String> = std::iter::once(&g.purpose)
        .chain(consented)
        .filter(|p| !vocabulary.contains(p.as_str()))
        .map(ToString::to_string)
        .collect();
    out.dedup();
    out
}

/// Why a backflow grant's requester is not a lower government within the
/// provider's territory (Art. 24), in Chinese and English; `None` when it
/// is.
fn backflow_outside(provider: &Department, requester: &Department) -> Option<(String, String)> {
    let lower = level_rank(requester.level) > level_rank(provider.level);
    if provider.level == Level::National {
        return (!lower).then(|| {
            (
                "回流数据应提供给下级政府部门，而申请部门也是国家级部门".to_owned(),
                "backflow goes to a lower government, but the requester is national as well"
                    .to_owned(),
            )
        });
    }
    let (Some(p), Some(r)) = (&provider.region, &requester.region) else {
        let whose = if provider.region.is_none() {
            ("提供部门", "the provider")
        } else {
            ("申请部门", "the requester")
        };
        return Some((
            format!(
                "{}未登记行政区划，无法确认回流数据属于申请部门的辖区",
                whose.0
            ),
            format!(
                "{} has no region: the data cannot be shown to concern the requester's own territory",
                whose.1
            ),
        ));
    };
    if !p.covers(r) {
        return Some((
            format!("申请部门的行政区划 {r} 不在提供部门的行政区划 {p} 之内"),
            format!("the requester's region {r} lies outside the provider's region {p}"),
        ));
    }
    (p == r && !lower).then(|| {
        (
            format!("申请部门与提供部门同属行政区划 {p}，且不是下级部门"),
            format!("the requester shares the provider's region {p} and is not at a lower level"),
        )
    })
}

fn check_grant(registry: &Registry, g: &Grant, out: &mut Vec<Finding>) {
    let subject = || grant_subject(g);
    let requester = registry.get_department(&g.requester);
    if requester.is_none() {
        out.push(Finding::new(
            "GRANT-REQUESTER-NOT-DEPARTMENT",
            Severity::Error,
            &["2"],
            subject(),
            format!("申请方 {} 不是已登记的政府部门", g.requester),
            format!(
                "requester `{}` is not a registered government department",
                g.requester
            ),
        ));
    }
    if g.valid_from >= g.valid_until {
        out.push(Finding::new(
            "GRANT-EMPTY-PERIOD",
            Severity::Error,
            &["20"],
            subject(),
            "使用时限的起始时间不早于截止时间",
            "the period of use starts at or after its end",
        ));
    }
    if let Some(vocabulary) = registry.purpose_vocabulary() {
        let unregistered = unregistered_purposes(g, vocabulary);
        if !unregistered.is_empty() {
            out.push(Finding::new(
                "GRANT-UNREGISTERED-PURPOSE",
                Severity::Error,
                &["20", "25"],
                subject(),
                format!(
                    "授权目的不是已登记的共享目的，不能据以使用：{}",
                    unregistered.join("、")
                ),
                format!(
                    "purposes of the grant that are not registered, so no use can rest on them: {}",
                    unregistered.join(", ")
                ),
            ));
        }
    }
    if let Some(d) = &g.disposed
        && d.method != g.disposal.method
    {
        out.push(Finding::new(
            "GRANT-DISPOSAL-METHOD-MISMATCH",
            Severity::Error,
            &["27"],
            subject(),
            format!(
                "处置方式 {} 与提供部门要求的 {} 不符",
                d.method.zh(),
                g.disposal.method.zh()
            ),
            format!(
                "disposed by `{}` but the provider requires `{}`",
                d.method.as_str(),
                g.disposal.method.as_str()
            ),
        ));
    }
    let suspended = g.status == crate::model::GrantStatus::Suspended;
    if suspended != g.suspension.is_some() {
        out.push(Finding::new(
            "GRANT-SUSPENSION-MISMATCH",
            Severity::Warning,
            &["27"],
            subject(),
            "授权状态与暂停记录不一致",
            "the grant's status and its suspension record disagree",
        ));
    }
    let Some(dataset) = registry.get_dataset(&g.dataset) else {
        out.push(Finding::new(
            "GRANT-UNKNOWN-DATASET",
            Severity::Error,
            &["16", "20"],
            subject(),
            format!("数据集 {} 不在目录中", g.dataset),
            format!("dataset `{}` is not in the catalog", g.dataset),
        ));
        return;
    };
    // A grant on an entry withdrawn with a dated, filed withdrawal was
    // approved while the entry stood published; the withdrawal ended it and
    // disposal is owed (Art. 27(3)): that is no fault of the grant.
    let withdrawn_on_record =
        dataset.status == CatalogStatus::Withdrawn && dataset.withdrawn.is_some();
    if dataset.status != CatalogStatus::Published && !withdrawn_on_record {
        out.push(Finding::new(
            "GRANT-UNPUBLISHED-DATASET",
            Severity::Error,
            &["16"],
            subject(),
            format!(
                "数据集 {} 的目录状态为 {}，未发布",
                dataset.id,
                dataset.status.as_str()
            ),
            format!(
                "dataset `{}` has status `{}`, not published",
                dataset.id,
                dataset.status.as_str()
            ),
        ));
    }
    if let Sharing::NotShared { .. } = dataset.sharing {
        out.push(Finding::new(
            "GRANT-NOT-SHARED-DATASET",
            Severity::Error,
            &["14", "21"],
            subject(),
            format!("数据集 {} 属于不予共享类，不得授权共享", dataset.id),
            format!(
                "dataset `{}` is not_shared and cannot be granted",
                dataset.id
            ),
        ));
    }
    let outside: Vec<String> = g
        .items
        .iter()
        .filter(|i| dataset.item(i).is_none())
        .map(ToString::to_string)
        .collect();
    if !outside.is_empty() {
        out.push(Finding::new(
            "GRANT-ITEM-NOT-IN-DATASET",
            Severity::Error,
            &["20"],
            subject(),
            format!("授权的数据项不在目录中：{}", outside.join("、")),
            format!(
                "granted items not in the catalog entry: {}",
                outside.join(", ")
            ),
        ));
    }
    let consented_outside: Vec<String> = g
        .consents
        .iter()
        .filter_map(|c| match &c.scope {
            crate::model::ConsentScope::Item(i) if dataset.item(i).is_none() => Some(i.to_string()),
            _ => None,
        })
        .collect();
    if !consented_outside.is_empty() {
        out.push(Finding::new(
            "GRANT-CONSENT-ITEM-NOT-IN-DATASET",
            Severity::Error,
            &["25"],
            subject(),
            format!(
                "同意追加的数据项不在目录中：{}",
                consented_outside.join("、")
            ),
            format!(
                "consented items not in the catalog entry: {}",
                consented_outside.join(", ")
            ),
        ));
    }
    let methods: Vec<&str> = g
        .methods
        .iter()
        .filter(|m| !dataset.methods.contains(m))
        .map(|m| m.as_str())
        .collect();
    if !methods.is_empty() {
        out.push(Finding::new(
            "GRANT-METHOD-NOT-OFFERED",
            Severity::Error,
            &["20", "22"],
            subject(),
            format!("授权的共享方式不在目录中：{}", methods.join("、")),
            format!(
                "granted methods the entry does not offer: {}",
                methods.join(", ")
            ),
        ));
    }
    if let Some(c) = dataset.sharing.conditions() {
        let outside = requester.map(|r| c.outside(r)).unwrap_or_default();
        let within = purpose_within(registry.purpose_vocabulary(), &g.purpose);
        let mut zh = Vec::new();
        let mut en = Vec::new();
        if !outside.is_empty() {
            let dims: Vec<&str> = outside.iter().map(|d| d.as_str()).collect();
            zh.push(format!(
                "申请部门 {} 不在目录的共享范围内（{}）",
                g.requester,
                outside
                    .iter()
                    .map(|d| d.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ));
            en.push(format!(
                "requester `{}` is outside the entry's scope ({})",
                g.requester,
                dims.join(", ")
            ));
        }
        if !c.permits(&within) {
            zh.push(format!("授权目的 {} 不在目录列明的使用用途内", g.purpose));
            en.push(format!(
                "purpose `{}` is not a use the entry permits",
                g.purpose
            ));
        }
        if !zh.is_empty() {
            out.push(Finding::new(
                "GRANT-OUTSIDE-CONDITIONS",
                Severity::Error,
                &["14", "15"],
                subject(),
                format!("授权与目录的共享条件相抵触：{}", zh.join("；")),
                format!(
                    "the grant contradicts the entry's sharing conditions: {}",
                    en.join("; ")
                ),
            ));
        }
    }
    let extra: Vec<&str> = g
        .conditions
        .iter()
        .map(String::as_str)
        .filter(|c| !stated_by_entry(&dataset.sharing, c))
        .collect();
    if !g.backflow && !extra.is_empty() {
        out.push(Finding::new(
            "GRANT-EXTRA-CONDITIONS",
            Severity::Error,
            &["15", "39(2)"],
            subject(),
            format!(
                "授权附加了目录未列明的条件，属于擅自增设条件：{}",
                extra.join("；")
            ),
            format!(
                "the grant adds conditions the catalog entry does not state: {}",
                extra.join("; ")
            ),
        ));
    }
    if g.backflow {
        if let (Some(p), Some(r)) = (registry.get_department(&dataset.provider), requester)
            && let Some((zh, en)) = backflow_outside(p, r)
        {
            out.push(Finding::new(
                "GRANT-BACKFLOW-OUTSIDE-REGION",
                Severity::Error,
                &["24"],
                subject(),
                format!("回流数据应是上级部门向本辖区内下级政府部门提供的数据：{zh}"),
                format!(
                    "backflow is data about a lower government's own territory, returned to it: {en}"
                ),
            ));
        }
        if !g.conditions.is_empty() {
            out.push(Finding::new(
                "GRANT-BACKFLOW-CONDITIONS",
                Severity::Error,
                &["24", "39(5)"],
                subject(),
                format!(
                    "回流数据不得设置额外的限制条件：{}",
                    g.conditions.join("；")
                ),
                format!(
                    "backflow data may carry no extra conditions: {}",
                    g.conditions.join("; ")
                ),
            ));
        }
        let provider_level = registry.get_department(&dataset.provider).map(|d| d.level);
        let requester_level = requester.map(|d| d.level);
        if let (Some(p), Some(r)) = (provider_level, requester_level)
            && level_rank(p) >= level_rank(r)
        {
            out.push(Finding::new(
                "GRANT-BACKFLOW-NOT-DOWNWARD",
                Severity::Warning,
                &["24"],
                subject(),
                format!("回流应由上级部门向下级部门提供，而提供部门为{}级、申请部门为{}级", p.as_str(), r.as_str()),
                format!("backflow runs from an upper to a lower level, but the provider is {} and the requester {}", p.as_str(), r.as_str()),
            ));
        }
    }
}

/// National is 0, township 4: a lower number is a higher level.
fn level_rank(level: Level) -> u8 {
    match level {
        Level::National => 0,
        Level::Provincial => 1,
        Level::Municipal => 2,
        Level::County => 3,
        Level::Township => 4,
    }
}
