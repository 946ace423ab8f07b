//! The columns of a catalog spreadsheet: the fields of a registry entry
//! they can hold, the header texts each is known by in the national catalog
//! template and its common provincial variants, a mapping file for others,
//! and the normalization that makes a header or a code comparable
//! (full-width forms folded, white space and required-field marks removed).

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::ImportError;

/// A field of a catalog entry that a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// 信息资源名称 / 数据目录名称: the entry's name.
    Name,
    /// 信息资源代码: the entry's code, which becomes its dataset id.
    Code,
    /// 信息资源提供方 / 提供单位: the provider's name.
    Provider,
    /// 提供方代码: the provider's code, which becomes its department id.
    ProviderCode,
    /// 信息资源摘要.
    Summary,
    /// 信息资源格式 / 数据格式.
    Format,
    /// 信息项 / 数据项: one item, or a list of items, per row.
    Items,
    /// 数据分级: the grade (一般 / 重要 / 核心) of the row's items.
    Grade,
    /// 共享类型 / 共享属性: 无条件共享, 有条件共享 or 不予共享.
    SharingType,
    /// 共享条件: the conditions of a conditional entry, or the legal basis
    /// of a not-shared one.
    SharingConditions,
    /// 共享范围: the scope of a conditional entry.
    Scope,
    /// 使用用途: the permitted uses of a conditional entry.
    Uses,
    /// 不予共享理由.
    NotSharedReason,
    /// 不予共享依据: the citation of the legal basis.
    Basis,
    /// 依据类型: 法律, 行政法规 or 国务院决定.
    BasisKind,
    /// 共享方式.
    Methods,
    /// 更新周期 / 数据更新频率.
    UpdateFrequency,
    /// 发布日期.
    PublishedOn,
    /// 状态: the review and publication status.
    Status,
    /// A column the registry has no place for (信息资源分类, 开放属性, an
    /// item's data type, 备注, …): read past, and named once in the report.
    Ignore,
}

impl Field {
    /// The wire name used in a mapping file, such as `provider_code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Code => "code",
            Field::Provider => "provider",
            Field::ProviderCode => "provider_code",
            Field::Summary => "summary",
            Field::Format => "format",
            Field::Items => "items",
            Field::Grade => "grade",
            Field::SharingType => "sharing_type",
            Field::SharingConditions => "sharing_conditions",
            Field::Scope => "scope",
            Field::Uses => "uses",
            Field::NotSharedReason => "not_shared_reason",
            Field::Basis => "basis",
            Field::BasisKind => "basis_kind",
            Field::Methods => "methods",
            Field::UpdateFrequency => "update_frequency",
            Field::PublishedOn => "published_on",
            Field::Status => "status",
            Field::Ignore => "ignore",
        }
    }

    /// The field's name in the national template, such as 信息资源代码.
    pub fn zh(self) -> &'static str {
        match self {
            Field::Name => "信息资源名称",
            Field::Code => "信息资源代码",
            Field::Provider => "信息资源提供方",
            Field::ProviderCode => "提供方代码",
            Field::Summary => "信息资源摘要",
            Field::Format => "信息资源格式",
            Field::Items => "信息项",
            Field::Grade => "数据分级",
            Field::SharingType => "共享类型",
            Field::SharingConditions => "共享条件",
            Field::Scope => "共享范围",
            Field::Uses => "使用用途",
            Field::NotSharedReason => "不予共享理由",
            Field::Basis => "不予共享依据",
            Field::BasisKind => "依据类型",
            Field::Methods => "共享方式",
            Field::UpdateFrequency => "更新周期",
            Field::PublishedOn => "发布日期",
            Field::Status => "状态",
            Field::Ignore => "（不导入）",
        }
    }
}

/// The header texts each field is known by, normalized (see
/// [`normalize_header`]). The national template's names first, then the
/// variants seen in provincial templates and in Art. 13's own wording.
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "信息资源名称",
            "资源名称",
            "数据资源名称",
            "政务数据资源名称",
            "数据目录名称",
            "目录名称",
            "政务数据目录名称",
        ],
    ),
    (
        Field::Code,
        &[
            "信息资源代码",
            "资源代码",
            "数据资源代码",
            "资源编码",
            "信息资源编码",
            "数据目录代码",
            "目录代码",
            "目录编码",
        ],
    ),
    (
        Field::Provider,
        &[
            "信息资源提供方",
            "提供方",
            "提供方名称",
            "信息资源提供方名称",
            "提供单位",
            "提供单位名称",
            "数据提供单位",
            "提供部门",
            "数据提供部门",
            "政务数据提供部门",
        ],
    ),
    (
        Field::ProviderCode,
        &[
            "提供方代码",
            "信息资源提供方代码",
            "提供单位代码",
            "提供部门代码",
            "数据提供单位代码",
        ],
    ),
    (
        Field::Summary,
        &["信息资源摘要", "资源摘要", "摘要", "数据摘要", "目录摘要"],
    ),
    (
        Field::Format,
        &["信息资源格式", "资源格式", "数据格式", "格式"],
    ),
    (
        Field::Items,
        &[
            "信息项",
            "信息项名称",
            "数据项",
            "数据项名称",
            "信息项列表",
            "数据项列表",
        ],
    ),
    (
        Field::Grade,
        &[
            "数据分级",
            "分级",
            "数据分类分级",
            "数据级别",
            "数据安全级别",
            "安全级别",
            "数据等级",
        ],
    ),
    (
        Field::SharingType,
        &["共享类型", "共享属性", "共享属性类型", "共享分类"],
    ),
    (
        Field::SharingConditions,
        &["共享条件", "使用条件", "共享使用条件"],
    ),
    (Field::Scope, &["共享范围"]),
    (Field::Uses, &["使用用途", "共享用途", "用途"]),
    (
        Field::NotSharedReason,
        &["不予共享理由", "不共享理由", "不予共享原因", "理由"],
    ),
    (
        Field::Basis,
        &["不予共享依据", "不共享依据", "法律依据", "依据"],
    ),
    (Field::BasisKind, &["依据类型", "依据种类"]),
    (Field::Methods, &["共享方式", "共享方式类型", "共享途径"]),
    (
        Field::UpdateFrequency,
        &["更新周期", "更新频率", "数据更新频率", "更新频度"],
    ),
    (
        Field::PublishedOn,
        &["发布日期", "发布时间", "公布日期", "目录发布日期"],
    ),
    (Field::Status, &["状态", "目录状态", "发布状态"]),
    (
        Field::Ignore,
        &[
            "序号",
            "信息资源分类",
            "资源分类",
            "类",
            "项",
            "目",
            "细目",
            "数据类型",
            "信息项数据类型",
            "数据项类型",
            "开放属性",
            "开放类型",
            "开放条件",
            "是否向社会开放",
            "关联资源代码",
            "备注",
        ],
    ),
];

/// Folds the full-width forms of ASCII (`ＡＢＣ１２３（）`) and the
/// ideographic space to their ASCII forms.
pub(crate) fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Trims a cell's text of white space, including the ideographic space and
/// no-break spaces that pasted text carries.
pub(crate) fn clean(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
}

/// A header as it is compared: widths folded, every white space (line
/// breaks inside a header cell too) and required-field mark (`*`, `★`)
/// removed, and ASCII lowercased.
pub(crate) fn normalize_header(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '★' | '☆' | '\u{FEFF}'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A header without a trailing note in brackets: `信息资源代码(必填)` →
/// `信息资源代码`. `None` when there is no such note.
fn without_note(header: &str) -> Option<&str> {
    let stripped = header.strip_suffix(')')?;
    let open = stripped.rfind('(')?;
    let base = stripped.get(..open)?;
    (!base.is_empty()).then_some(base)
}

/// A renaming of columns for a province's own template: header text →
/// field. Header texts are compared normalized, as the built-in names are,
/// and a mapping is consulted before them.
///
/// The file is JSON:
///
/// ```json
/// {"columns": {"目录名称": "name", "数源单位": "provider", "备注说明": "ignore"}}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    columns: HashMap<String, Field>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingDoc {
    columns: HashMap<String, Field>,
}

impl Mapping {
    /// No renaming: the built-in names only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header text for a field.
    pub fn column(mut self, header: &str, field: Field) -> Self {
        self.columns.insert(normalize_header(header), field);
        self
    }

    /// Parses a mapping file.
    ///
    /// # Errors
    ///
    /// [`ImportError::Mapping`] when the text is not an object with a
    /// `columns` object whose values are field names (`name`, `code`,
    /// `provider`, `provider_code`, `summary`, `format`, `items`, `grade`,
    /// `sharing_type`, `sharing_conditions`, `scope`, `uses`,
    /// `not_shared_reason`, `basis`, `basis_kind`, `methods`,
    /// `update_frequency`, `published_on`, `status`, `ignore`).
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::import::{Field, Mapping};
    ///
    /// let mapping = Mapping::from_json_str(r#"{"columns": {"数源单位": "provider"}}"#)?;
    /// assert_eq!(mapping.field("数源单位"), Some(Field::Provider));
    /// assert_eq!(mapping.field("信息资源名称"), Some(Field::Name));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str(text: &str) -> Result<Self, ImportError> {
        let doc: MappingDoc =
            serde_json::from_str(text).map_err(|source| ImportError::Mapping { source })?;
        Ok(Self {
            columns: doc
                .columns
                .into_iter()
                .map(|(header, field)| (normalize_header(&header), field))
                .collect(),
        })
    }

    /// The field a header names: this mapping first, then the built-in
    /// names; a trailing note in brackets (`（必填）`) is ignored when the
    /// whole text is not known.
    pub fn field(&self, header: &str) -> Option<Field> {
        let header = normalize_header(header);
        self.lookup(&header)
            .or_else(|| without_note(&header).and_then(|base| self.lookup(base)))
    }

    fn lookup(&self, header: &str) -> Option<Field> {
        if header.is_empty() {
            return None;
        }
        self.columns.get(header).copied().or_else(|| {
            ALIASES
                .iter()
                .find(|(_, names)| names.contains(&header))
                .map(|(field, _)| *field)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_compared_folded_and_without_marks_or_notes() {
        let m = Mapping::new();
        assert_eq!(m.field("信息资源代码"), Some(Field::Code));
        assert_eq!(m.field(" *信息资源\n代码（必填） "), Some(Field::Code));
        assert_eq!(m.field("提供方代码\u{3000}"), Some(Field::ProviderCode));
        assert_eq!(m.field("开放条件"), Some(Field::Ignore));
        assert_eq!(m.field("某某字段"), None);
        assert_eq!(m.field(""), None);
    }

    #[test]
    fn a_mapping_comes_before_the_built_in_names() {
        let m = Mapping::new().column("摘要", Field::Ignore);
        assert_eq!(m.field("摘要"), Some(Field::Ignore));
        let bad = Mapping::from_json_str(r#"{"columns": {"x": "nope"}}"#).unwrap_err();
        assert!(crate::error_report(&bad).contains("unknown variant `nope`"));
    }

    #[test]
    fn full_width_ascii_folds() {
        assert_eq!(fold_width("３３０１００－Ａ１\u{3000}"), "330100-A1 ");
        assert_eq!(clean("\u{3000} 名称 \u{a0}"), "名称");
    }
}
