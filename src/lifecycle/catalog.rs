//! Catalog validation (Art. 2–3, 13–16, 19–25, 27): every problem a
//! registry holds, each as a [`Finding`] with a stable code, a severity, the
//! articles, the record it concerns and a sentence in Chinese and English.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::model::{CatalogStatus, DataGrade, Dataset, Grant, Level, SecretKind, Sharing};
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
    /// `department`, `dataset`, `grant` or `application`.
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
    ("DEPT-UNKNOWN-PARENT", Severity::Warning, "8"),
    ("GRANT-UNKNOWN-DATASET", Severity::Error, "16,20"),
    ("GRANT-UNPUBLISHED-DATASET", Severity::Error, "16"),
    ("GRANT-NOT-SHARED-DATASET", Severity::Error, "14,21"),
    ("GRANT-REQUESTER-NOT-DEPARTMENT", Severity::Error, "2"),
    ("GRANT-ITEM-NOT-IN-DATASET", Severity::Error, "20"),
    ("GRANT-METHOD-NOT-OFFERED", Severity::Error, "20,22"),
    ("GRANT-CONSENT-ITEM-NOT-IN-DATASET", Severity::Error, "25"),
    ("GRANT-EMPTY-PERIOD", Severity::Error, "20"),
    ("GRANT-BACKFLOW-CONDITIONS", Severity::Error, "24,39(5)"),
    ("GRANT-BACKFLOW-NOT-DOWNWARD", Severity::Warning, "24"),
    ("GRANT-SUSPENSION-MISMATCH", Severity::Warning, "27"),
    ("GRANT-DISPOSAL-METHOD-MISMATCH", Severity::Error, "27"),
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
/// order: departments, datasets, then grants.
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
    for d in registry.datasets() {
        check_dataset(registry, d, &mut out);
    }
    for g in registry.grants() {
        check_grant(registry, g, &mut out);
    }
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
    if dataset.status != CatalogStatus::Published {
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
    if g.backflow {
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
