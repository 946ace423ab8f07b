//! Catalog entries (政务数据目录), Art. 12–16.

use serde::{Deserialize, Serialize};

use super::{DatasetId, DepartmentId, ItemName};

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
}

/// The kind of legal basis that may justify `not_shared` (Art. 14–15): only
/// a law, an administrative regulation or a State Council decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasisKind {
    /// 法律.
    Law,
    /// 行政法规.
    AdministrativeRegulation,
    /// 国务院决定.
    StateCouncilDecision,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "class", rename_all = "snake_case", deny_unknown_fields)]
pub enum Sharing {
    /// 无条件共享: may be provided to all government departments.
    Unconditional,
    /// 有条件共享: provided to relevant departments under the listed
    /// conditions.
    Conditional {
        /// 共享范围, such as 本市政府部门.
        scope: String,
        /// 使用用途: the permitted uses.
        uses: Vec<String>,
    },
    /// 不予共享: a law, administrative regulation or State Council decision
    /// forbids sharing.
    NotShared {
        /// 理由.
        reason: String,
        /// 依据.
        basis: LegalBasis,
    },
}

impl Sharing {
    /// The wire name of the class: `unconditional`, `conditional` or
    /// `not_shared`.
    pub fn class_name(&self) -> &'static str {
        match self {
            Sharing::Unconditional => "unconditional",
            Sharing::Conditional { .. } => "conditional",
            Sharing::NotShared { .. } => "not_shared",
        }
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
}

impl Dataset {
    /// The item of this name, if the entry lists it.
    pub fn item(&self, name: &ItemName) -> Option<&DataItem> {
        self.items.iter().find(|i| &i.name == name)
    }
}
