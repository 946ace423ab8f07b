//! Government departments (政府部门), Art. 2.

use serde::{Deserialize, Serialize};

use super::DepartmentId;
use crate::error::IdError;

/// The level of government a department belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国家级: State Council ministries and national bodies.
    National,
    /// 省级.
    Provincial,
    /// 市级.
    Municipal,
    /// 县级.
    County,
    /// 乡镇（街道）.
    Township,
}

impl Level {
    /// The wire name (`national`, `provincial`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::Municipal => "municipal",
            Level::County => "county",
            Level::Township => "township",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A six-digit administrative division code (GB/T 2260), such as `330100`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Validates a division code.
    ///
    /// # Errors
    ///
    /// [`IdError::Region`] when the code is not exactly six ASCII digits.
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value))
        } else {
            Err(IdError::Region { value })
        }
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RegionCode {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, IdError> {
        Self::new(value)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.0
    }
}

/// A registered government department, or an organisation authorised by law
/// to manage public affairs, which the Regulation treats alike (Art. 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Stable id, such as `hz-amr`.
    pub id: DepartmentId,
    /// Official name, such as 杭州市市场监督管理局.
    pub name: String,
    /// Level of government.
    pub level: Level,
    /// Administrative division code of its jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
    /// The department one level up in the same line, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<DepartmentId>,
    /// Set on a competent department for data sharing (政务数据共享主管部门,
    /// Art. 8): it may suspend, reinstate and terminate grants (Art. 27(2))
    /// and receives the filing of a withdrawn catalog entry (Art. 27(3)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub authority: bool,
}
