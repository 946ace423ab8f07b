//! Catalog entries (政务数据目录), Art. 12–16.

use serde::{Deserialize, Serialize};

use super::{
    DatasetId, Department, DepartmentId, ItemName, Level, PurposeCode, RegionCode, Withdrawal,
};

/// Review and publication status of a catalog entry (Art. 16). Only a
/// `published` entry can be requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogStatus {
    /// Being compiled by the provider.
    Draft,
    /// Submitted to the competent authority for review.
    Submitted,
    /// Reviewed and announced (通告); open to applications.
    Published,
    /// Taken out of the catalog.
    Withdrawn,
}

impl CatalogStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogStatus::Draft => "draft",
            CatalogStatus::Submitted => "submitted",
            CatalogStatus::Published => "published",
            CatalogStatus::Withdrawn => "withdrawn",
        }
    }
}

/// Data classification grade (GB/T 43697-2024), lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataGrade {
    /// 一般数据.
    General,
    /// 重要数据.
    Important,
    /// 核心数据.
    Core,
}

/// One data item (数据项) of a catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataItem {
    /// Item name, such as `uscc`.
    pub name: ItemName,
    /// Classification grade.
    pub grade: DataGrade,
    /// The authoritative source department (数源部门) named by the competent
    /// authority, when several departments collect this item (Art. 19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_department: Option<DepartmentId>,
}

/// The kind of legal basis that may justify `not_shared` (Art. 14–15): only
/// a law, an administrative regulation or a State Council decision.
///
/// Any other kind (such as `policy`, which the 2016 Interim Measures
/// accepted) still loads, as [`LegalBasisKind::Unrecognized`], so that a
/// legacy catalog can be checked; catalog validation reports it as an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum LegalBasisKind {
    /// 法律.
    Law,
    /// 行政法规.
    AdministrativeRegulation,
    /// 国务院决定.
    StateCouncilDecision,
    /// A kind the Regulation does not accept.
    Unrecognized(String),
}

impl LegalBasisKind {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            LegalBasisKind::Law => "law",
            LegalBasisKind::AdministrativeRegulation => "administrative_regulation",
            LegalBasisKind::StateCouncilDecision => "state_council_decision",
            LegalBasisKind::Unrecognized(s) => s,
        }
    }

    /// Whether Art. 14 accepts this kind of basis for `not_shared`.
    pub fn is_accepted(&self) -> bool {
        !matches!(self, LegalBasisKind::Unrecognized(_))
    }
}

impl From<String> for LegalBasisKind {
    fn from(s: String) -> Self {
        match s.as_str() {
            "law" => LegalBasisKind::Law,
            "administrative_regulation" => LegalBasisKind::AdministrativeRegulation,
            "state_council_decision" => LegalBasisKind::StateCouncilDecision,
            _ => LegalBasisKind::Unrecognized(s),
        }
    }
}

impl From<LegalBasisKind> for String {
    fn from(k: LegalBasisKind) -> String {
        k.as_str().to_owned()
    }
}

/// The legal basis of a `not_shared` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// What kind of instrument it is.
    pub kind: LegalBasisKind,
    /// The citation, such as 《中华人民共和国统计法》第三十九条.
    pub citation: String,
}

/// The sharing class (共享属性) of a catalog entry with the conditions each
/// class needs (Art. 14–15).
///
/// On the wire, a key that does not belong to the class (`conditions` or
/// `scope` on an `unconditional` entry, `reason` on a `conditional` one) is
/// an error, as any unknown key is: conditions that would be silently
/// ignored are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "class", rename_all = "snake_case", try_from = "WireSharing")]
pub enum Sharing {
    /// 无条件共享: may be provided to all government departments.
    Unconditional,
    /// 有条件共享: provided to relevant departments under the listed
    /// conditions.
    Conditional {
        /// 共享范围, such as 本市政府部门. Required; a catalog without it
        /// loads but fails validation.
        #[serde(default)]
        scope: String,
        /// 使用用途: the permitted uses. Required, as `scope`.
        #[serde(default)]
        uses: Vec<String>,
        /// The scope and uses in a form a machine can check (DESIGN §7).
        /// Without it the entry decides as before, and catalog validation
        /// warns that its conditions are not checked by machine.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conditions: Option<SharingConditions>,
    },
    /// 不予共享: a law, administrative regulation or State Council decision
    /// forbids sharing.
    NotShared {
        /// 理由. Required; a catalog without it loads but fails validation.
        #[serde(default)]
        reason: String,
        /// 依据. Required, as `reason`.
        #[serde(default)]
        basis: Option<LegalBasis>,
    },
}

impl Sharing {
    /// The sharing class, without its conditions.
    pub fn class(&self) -> SharingClass {
        match self {
            Sharing::Unconditional => SharingClass::Unconditional,
            Sharing::Conditional { .. } => SharingClass::Conditional,
            Sharing::NotShared { .. } => SharingClass::NotShared,
        }
    }

    /// The wire name of the class: `unconditional`, `conditional` or
    /// `not_shared`.
    pub fn class_name(&self) -> &'static str {
        self.class().as_str()
    }
}

/// `sharing` as it is written: every key of every class, checked against
/// the class it names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireSharing {
    class: SharingClass,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    uses: Option<Vec<String>>,
    #[serde(default)]
    conditions: Option<SharingConditions>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    basis: Option<LegalBasis>,
}

impl TryFrom<WireSharing> for Sharing {
    type Error = String;
    fn try_from(w: WireSharing) -> Result<Self, String> {
        let present = [
            ("scope", w.scope.is_some()),
            ("uses", w.uses.is_some()),
            ("conditions", w.conditions.is_some()),
            ("reason", w.reason.is_some()),
            ("basis", w.basis.is_some()),
        ];
        let allowed: &[&str] = match w.class {
            SharingClass::Unconditional => &[],
            SharingClass::Conditional => &["scope", "uses", "conditions"],
            SharingClass::NotShared => &["reason", "basis"],
        };
        if let Some((key, _)) = present
            .iter()
            .find(|(key, here)| *here && !allowed.contains(key))
        {
            return Err(format!(
                "`{key}` does not belong to an entry of class `{}`",
                w.class.as_str()
            ));
        }
        Ok(match w.class {
            SharingClass::Unconditional => Sharing::Unconditional,
            SharingClass::Conditional => Sharing::Conditional {
                scope: w.scope.unwrap_or_default(),
                uses: w.uses.unwrap_or_default(),
                conditions: w.conditions,
            },
            SharingClass::NotShared => Sharing::NotShared {
                reason: w.reason.unwrap_or_default(),
                basis: w.basis,
            },
        })
    }
}

impl Sharing {
    /// The structured conditions of a conditional entry, if it states them.
    pub fn conditions(&self) -> Option<&SharingConditions> {
        match self {
            Sharing::Conditional { conditions, .. } => conditions.as_ref(),
            Sharing::Unconditional | Sharing::NotShared { .. } => None,
        }
    }
}

/// The conditions of a conditional entry (有条件共享, Art. 14–15) in a form a
/// machine can check (DESIGN §7). Each key is optional.
///
/// A requester is inside the sharing scope when every dimension present
/// holds: its region lies within one of `regions` (GB/T 2260 containment;
/// a requester without a region is outside), its level is one of `levels`,
/// its id is one of `departments`. A stated purpose is a permitted use when
/// it equals one of `purposes` or lies under one.
///
/// # Example
///
/// ```
/// use govshare::{Department, ScopeDimension, SharingConditions};
///
/// let conditions: SharingConditions = serde_json::from_str(
///     r#"{"regions": ["330100"], "levels": ["municipal", "county"], "purposes": ["social-insurance"]}"#)?;
/// let ningbo: Department = serde_json::from_str(
///     r#"{"id": "nb-hrss", "name": "宁波市人力资源和社会保障局", "level": "municipal", "region": "330200"}"#)?;
/// assert!(!conditions.admits(&ningbo));
/// assert_eq!(conditions.outside(&ningbo), [ScopeDimension::Regions]);
/// assert!(conditions.permits(&["social-insurance.enrollment-check", "social-insurance"]));
/// assert!(!conditions.permits(&["marketing.lead-generation", "marketing"]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharingConditions {
    /// The administrative divisions inside the scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<RegionCode>>,
    /// The levels of government inside the scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<Level>>,
    /// The departments inside the scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departments: Option<Vec<DepartmentId>>,
    /// The purposes the entry may be used for (使用用途), as codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<PurposeCode>>,
}

/// A dimension of a structured sharing scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeDimension {
    /// `regions`.
    Regions,
    /// `levels`.
    Levels,
    /// `departments`.
    Departments,
}

impl ScopeDimension {
    /// The wire name, the key of [`SharingConditions`].
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeDimension::Regions => "regions",
            ScopeDimension::Levels => "levels",
            ScopeDimension::Departments => "departments",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            ScopeDimension::Regions => "行政区划",
            ScopeDimension::Levels => "层级",
            ScopeDimension::Departments => "部门",
        }
    }
}

impl SharingConditions {
    /// Whether the scope is stated in a checkable form: any of `regions`,
    /// `levels` or `departments`.
    pub fn states_scope(&self) -> bool {
        self.regions.is_some() || self.levels.is_some() || self.departments.is_some()
    }

    /// Whether the uses are stated in a checkable form (`purposes`).
    pub fn states_uses(&self) -> bool {
        self.purposes.is_some()
    }

    /// The dimensions of the scope that `department` falls outside of, in
    /// the order regions, levels, departments; empty when it is inside.
    pub fn outside(&self, department: &Department) -> Vec<ScopeDimension> {
        let mut out = Vec::new();
        if let Some(regions) = &self.regions {
            let inside = department
                .region
                .as_ref()
                .is_some_and(|r| regions.iter().any(|c| c.covers(r)));
            if !inside {
                out.push(ScopeDimension::Regions);
            }
        }
        if let Some(levels) = &self.levels
            && !levels.contains(&department.level)
        {
            out.push(ScopeDimension::Levels);
        }
        if let Some(departments) = &self.departments
            && !departments.contains(&department.id)
        {
            out.push(ScopeDimension::Departments);
        }
        out
    }

    /// Whether `department` is inside the scope: every dimension present
    /// holds.
    pub fn admits(&self, department: &Department) -> bool {
        self.outside(department).is_empty()
    }

    /// Whether a stated purpose is a permitted use, given the codes it
    /// counts as within (itself and its ancestors; with a purpose
    /// vocabulary only registered ones, see [`crate::PurposeVocabulary::within`]).
    /// Always `true` when `purposes` is absent.
    pub fn permits(&self, within: &[&str]) -> bool {
        self.purposes
            .as_ref()
            .is_none_or(|ps| ps.iter().any(|p| within.contains(&p.as_str())))
    }
}

/// The sharing class (共享属性) alone, Art. 14: what the reply deadline and
/// the rules on refusal depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingClass {
    /// 无条件共享.
    Unconditional,
    /// 有条件共享.
    Conditional,
    /// 不予共享.
    NotShared,
}

impl SharingClass {
    /// The wire name: `unconditional`, `conditional` or `not_shared`.
    pub fn as_str(self) -> &'static str {
        match self {
            SharingClass::Unconditional => "unconditional",
            SharingClass::Conditional => "conditional",
            SharingClass::NotShared => "not_shared",
        }
    }

    /// The Chinese name of the class.
    pub fn zh(self) -> &'static str {
        match self {
            SharingClass::Unconditional => "无条件共享",
            SharingClass::Conditional => "有条件共享",
            SharingClass::NotShared => "不予共享",
        }
    }
}

impl std::fmt::Display for SharingClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sharing method (共享方式), Art. 22.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingMethod {
    /// 服务接口.
    ServiceInterface,
    /// 批量交换.
    BulkExchange,
    /// 文件下载.
    FileDownload,
    /// Another method (the article's list ends in 等).
    Other,
}

impl SharingMethod {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SharingMethod::ServiceInterface => "service_interface",
            SharingMethod::BulkExchange => "bulk_exchange",
            SharingMethod::FileDownload => "file_download",
            SharingMethod::Other => "other",
        }
    }
}

/// A catalog entry: one dataset a provider shares (Art. 13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Stable id, such as `ent-reg`.
    pub id: DatasetId,
    /// 数据目录名称.
    pub name: String,
    /// 提供单位: the providing department.
    pub provider: DepartmentId,
    /// Review and publication status.
    pub status: CatalogStatus,
    /// 数据项 with their grades.
    pub items: Vec<DataItem>,
    /// 共享属性 and its conditions or legal basis.
    pub sharing: Sharing,
    /// 共享方式 offered.
    pub methods: Vec<SharingMethod>,
    /// 数据格式.
    pub format: String,
    /// 数据更新频率.
    pub update_frequency: String,
    /// 信息资源摘要: what the data describes, as the catalog states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// 发布日期: the day the entry was published in the catalog (Art. 16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_on: Option<chrono::NaiveDate>,
    /// Set when the data is a state or work secret: such data is not
    /// government data under the Regulation and cannot be catalogued (Art. 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretKind>,
    /// The confidentiality-risk and personal-information impact assessments
    /// made before cataloguing (Art. 13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// The department head's approval of the entry (Art. 13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// The withdrawal of the entry, once recorded: its time and its filing
    /// with the competent authority (Art. 27(3)). Before that time the
    /// entry stood `published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Box<Withdrawal>>,
}

/// The kind of secret that takes data out of the Regulation (Art. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretKind {
    /// 国家秘密.
    StateSecret,
    /// 工作秘密.
    WorkSecret,
}

impl SecretKind {
    /// The wire name: `state_secret` or `work_secret`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::StateSecret => "state_secret",
            SecretKind::WorkSecret => "work_secret",
        }
    }

    /// The Chinese name: 国家秘密 or 工作秘密.
    pub fn zh(self) -> &'static str {
        match self {
            SecretKind::StateSecret => "国家秘密",
            SecretKind::WorkSecret => "工作秘密",
        }
    }
}

/// Assessments made before an entry is catalogued (Art. 13:
/// 保密风险、个人信息保护影响等评估).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Reference to the confidentiality-risk assessment.
    pub confidentiality_risk: String,
    /// Reference to the personal-information impact assessment.
    pub personal_information_impact: String,
    /// When the assessments were completed.
    #[serde(with = "crate::time::rfc3339")]
    pub at: chrono::DateTime<chrono::FixedOffset>,
}

/// A recorded approval by a named official (Art. 13 部门负责人审核同意;
/// Art. 20 the sharing office head's approval).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Who approved.
    pub by: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    pub at: chrono::DateTime<chrono::FixedOffset>,
}

impl Dataset {
    /// The item of this name, if the entry lists it.
    pub fn item(&self, name: &ItemName) -> Option<&DataItem> {
        self.items.iter().find(|i| &i.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_belong_to_conditional_entries_only() {
        let conditional: Sharing = serde_json::from_str(
            r#"{"class": "conditional", "scope": "本市", "uses": ["审批"],
                "conditions": {"regions": ["330100"]}}"#,
        )
        .unwrap();
        assert!(conditional.conditions().is_some_and(|c| c.states_scope()));
        for other in [
            r#"{"class": "unconditional", "conditions": {"regions": ["330100"]}}"#,
            r#"{"class": "not_shared", "reason": "保密", "conditions": {}}"#,
            r#"{"class": "conditional", "scope": "本市", "uses": [], "conditions": {"cities": []}}"#,
            r#"{"class": "conditional", "scope": "本市", "uses": [], "conditions": {"regions": ["3301"]}}"#,
        ] {
            assert!(
                serde_json::from_str::<Sharing>(other).is_err(),
                "{other} accepted"
            );
        }
    }
}
