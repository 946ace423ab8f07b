//! From sheets of cells to a registry: find the header rows and the column
//! of each field, group the rows of each resource, read its values, and
//! write its provider as a department when its level is known.

use std::collections::HashMap;

use chrono::{Datelike as _, Days, NaiveDate};

use super::columns::{Field, clean, fold_width, normalize_header};
use super::sheet::{Sheet, Value, column_letter};
use super::{CatalogImport, ColumnRef, ImportOptions, ImportSummary, Issue, IssueSeverity};
use crate::error::ImportError;
use crate::model::{
    CatalogStatus, DataGrade, DataItem, Dataset, DatasetId, Department, DepartmentId, ItemName,
    LegalBasis, LegalBasisKind, Sharing, SharingClass, SharingMethod,
};
use crate::progress::{Progress, ProgressStage, REPORT_EVERY};
use crate::registry::Registry;

/// How many rows from the top of a sheet are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;
/// The most rows a header may span (a title merged over sub-headers).
const MAX_HEADER_ROWS: usize = 3;
/// Fields a header row must name, at the least, to be taken for one.
const MIN_HEADER_FIELDS: usize = 3;

/// The fields that describe a resource (as opposed to its items): every
/// row of a resource must agree on them.
const RESOURCE_FIELDS: &[Field] = &[
    Field::Name,
    Field::Provider,
    Field::ProviderCode,
    Field::Summary,
    Field::Format,
    Field::SharingType,
    Field::SharingConditions,
    Field::Scope,
    Field::Uses,
    Field::NotSharedReason,
    Field::Basis,
    Field::BasisKind,
    Field::Methods,
    Field::UpdateFrequency,
    Field::PublishedOn,
    Field::Status,
];

/// A column the header names.
#[derive(Debug, Clone)]
struct Col {
    index: u32,
    header: String,
}

impl Col {
    fn as_ref(&self) -> ColumnRef {
        ColumnRef {
            letter: column_letter(self.index),
            header: self.header.clone(),
        }
    }
}

/// Where a sheet's header is and which column holds each field.
struct Layout {
    /// Position (in `Sheet::rows`) of the first data row.
    data_from: usize,
    columns: HashMap<Field, Col>,
    /// Columns read past: an unknown header (`None`), one the registry has
    /// no place for (`Ignore`), or a second column for a field.
    unused: Vec<(Col, Option<Field>)>,
}

/// The issues of one sheet.
struct Report<'a> {
    sheet: &'a str,
    issues: &'a mut Vec<Issue>,
}

impl Report<'_> {
    fn push(
        &mut self,
        code: &'static str,
        severity: IssueSeverity,
        row: Option<u32>,
        column: Option<ColumnRef>,
        zh: String,
        en: String,
    ) {
        self.issues.push(Issue {
            code,
            severity,
            sheet: self.sheet.to_owned(),
            row: row.map(|r| r + 1),
            column,
            zh,
            en,
        });
    }
}

/// A value and the cell it was read from.
#[derive(Debug, Clone)]
struct Cell {
    value: Value,
    row: u32,
    col: Col,
}

impl Cell {
    fn text(&self) -> String {
        clean(&self.value.text()).to_owned()
    }
}

/// A resource as its rows describe it, before its values are read.
struct Gathered {
    sheet: String,
    is_1904: bool,
    first_row: u32,
    rows: Vec<u32>,
    code: DatasetId,
    fields: HashMap<Field, Cell>,
    items: Vec<DataItem>,
}

/// Builds the registry from the sheets.
pub(super) fn build(
    sheets: Vec<Sheet>,
    options: &ImportOptions,
    mut issues: Vec<Issue>,
    progress: &mut dyn FnMut(Progress),
) -> Result<CatalogImport, ImportError> {
    let mut summary = ImportSummary::default();
    let total: u64 = sheets.iter().map(|s| s.rows.len() as u64).sum();
    let mut done: u64 = 0;
    let mut resources: Vec<Gathered> = Vec::new();
    let mut by_code: HashMap<DatasetId, usize> = HashMap::new();
    let mut skipped: Vec<(String, usize)> = Vec::new();
    let mut any_header = false;
    for sheet in &sheets {
        let mut report = Report {
            sheet: &sheet.name,
            issues: &mut issues,
        };
        if sheet.is_empty() {
            report.push(
                "IMP-EMPTY-SHEET",
                IssueSeverity::Note,
                None,
                None,
                "工作表为空".into(),
                "the sheet is empty".into(),
            );
            continue;
        }
        summary.sheets += 1;
        let Some(layout) = find_layout(sheet, options) else {
            skipped.push((sheet.name.clone(), sheet.rows.len()));
            done += sheet.rows.len() as u64;
            continue;
        };
        any_header = true;
        gather_sheet(
            sheet,
            &layout,
            options,
            &mut report,
            &mut summary,
            &mut resources,
            &mut by_code,
            &mut |n| {
                done += n;
                progress(Progress {
                    stage: ProgressStage::ImportCatalog,
                    done,
                    total: Some(total),
                });
            },
        );
    }
    for (name, rows) in skipped {
        let severity = if any_header && options.sheets.is_empty() {
            IssueSeverity::Warning
        } else {
            IssueSeverity::Error
        };
        let (code, zh_what, en_what) = if severity == IssueSeverity::Error {
            ("IMP-NO-HEADER", "未导入", "not imported")
        } else {
            ("IMP-SHEET-SKIPPED", "已跳过", "skipped")
        };
        if severity == IssueSeverity::Error {
            summary.rows += rows;
            summary.rows_rejected += rows;
        }
        issues.push(Issue {
            code,
            severity,
            sheet: name,
            row: None,
            column: None,
            zh: format!(
                "前 {HEADER_SEARCH_ROWS} 行中未找到目录表头（至少需要信息资源名称、信息资源代码、共享类型等 {MIN_HEADER_FIELDS} 列），{rows} 行{zh_what}"
            ),
            en: format!(
                "no catalog header in the first {HEADER_SEARCH_ROWS} rows (at least {MIN_HEADER_FIELDS} columns such as 信息资源名称, 信息资源代码, 共享类型); {rows} rows {en_what}"
            ),
        });
    }
    let (departments, providers) = departments(&resources, options, &mut issues);
    let mut datasets = Vec::with_capacity(resources.len());
    let mut drafts: HashMap<String, Vec<String>> = HashMap::new();
    for g in resources {
        let rows = g.rows.len();
        let mut report = Report {
            sheet: &g.sheet,
            issues: &mut issues,
        };
        match entry(&g, &providers, &mut report) {
            Some(d) => {
                if d.status == CatalogStatus::Draft && !g.fields.contains_key(&Field::Status) {
                    drafts
                        .entry(g.sheet.clone())
                        .or_default()
                        .push(d.id.to_string());
                }
                summary.rows_imported += rows;
                summary.items += d.items.len();
                datasets.push(d);
            }
            None => summary.rows_rejected += rows,
        }
    }
    for (sheet, codes) in drafts {
        let shown: Vec<&str> = codes.iter().take(5).map(String::as_str).collect();
        let more = if codes.len() > shown.len() {
            " …"
        } else {
            ""
        };
        issues.push(Issue {
            code: "IMP-DRAFT",
            severity: IssueSeverity::Note,
            sheet,
            row: None,
            column: None,
            zh: format!(
                "{} 个目录未填发布日期，按草稿（draft）导入，发布前不能申请使用：{}{more}",
                codes.len(),
                shown.join("、")
            ),
            en: format!(
                "{} entries have no 发布日期 and were imported as `draft`, which cannot be applied for until published: {}{more}",
                codes.len(),
                shown.join(", ")
            ),
        });
    }
    summary.datasets = datasets.len();
    summary.departments = departments.len();
    summary.departments_not_written = issues
        .iter()
        .filter(|i| i.code == "IMP-DEPARTMENT-NOT-WRITTEN")
        .count();
    progress(Progress {
        stage: ProgressStage::ImportCatalog,
        done: total,
        total: Some(total),
    });
    issues.sort_by(|a, b| {
        (sheet_order(&sheets, &a.sheet), a.row.unwrap_or(0))
            .cmp(&(sheet_order(&sheets, &b.sheet), b.row.unwrap_or(0)))
    });
    let registry = Registry::from_parts(departments, datasets, Vec::new()).map_err(|e| {
        ImportError::Departments {
            source: Box::new(e),
        }
    })?;
    Ok(CatalogImport {
        registry,
        issues,
        summary,
    })
}

fn sheet_order(sheets: &[Sheet], name: &str) -> usize {
    sheets
        .iter()
        .position(|s| s.name == name)
        .unwrap_or(usize::MAX)
}

/// The columns a row shows a value in, merged regions included.
fn row_columns(sheet: &Sheet, pos: usize, width: u32) -> Vec<u32> {
    let Some(row) = sheet.rows.get(pos) else {
        return Vec::new();
    };
    (0..width)
        .filter(|&c| sheet.shown(row.index, c, true).is_some())
        .collect()
}

fn header_text(sheet: &Sheet, row: u32, col: u32) -> String {
    sheet
        .shown(row, col, true)
        .map(|v| clean(&v.text()).to_owned())
        .unwrap_or_default()
}

/// Finds the header rows and the column of each field.
fn find_layout(sheet: &Sheet, options: &ImportOptions) -> Option<Layout> {
    let width = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS + MAX_HEADER_ROWS)
        .filter_map(|r| r.cells.last().map(|(c, _)| c + 1))
        .max()
        .unwrap_or(0)
        .saturating_add(8)
        .min(crate::limits::MAX_CATALOG_COLUMNS);
    let recognized = |pos: usize| -> Vec<(u32, Field)> {
        let Some(row) = sheet.rows.get(pos) else {
            return Vec::new();
        };
        row_columns(sheet, pos, width)
            .into_iter()
            .filter_map(|c| {
                options
                    .mapping
                    .field(&header_text(sheet, row.index, c))
                    .map(|f| (c, f))
            })
            .collect()
    };
    let start = (0..sheet.rows.len().min(HEADER_SEARCH_ROWS)).find(|&pos| {
        let mut fields: Vec<Field> = recognized(pos)
            .into_iter()
            .map(|(_, f)| f)
            .filter(|f| *f != Field::Ignore)
            .collect();
        fields.sort();
        fields.dedup();
        fields.len() >= MIN_HEADER_FIELDS
    })?;
    let first = sheet.rows.get(start)?;
    let name_col = recognized(start)
        .into_iter()
        .find(|(_, f)| *f == Field::Name)
        .map(|(c, _)| c);
    let mut header_rows = vec![first.index];
    let mut pos = start + 1;
    while header_rows.len() < MAX_HEADER_ROWS {
        let Some(row) = sheet.rows.get(pos) else {
            break;
        };
        let adjacent = header_rows
            .last()
            .is_some_and(|&last| row.index == last + 1);
        let name_free = name_col.is_none_or(|c| {
            sheet.merged_from_above(row.index, c) || sheet.shown(row.index, c, false).is_none()
        });
        let own_fields = recognized(pos)
            .into_iter()
            .filter(|(c, _)| !sheet.merged_from_above(row.index, *c))
            .count();
        if !(adjacent && name_free && own_fields > 0) {
            break;
        }
        header_rows.push(row.index);
        pos += 1;
    }
    let mut columns: HashMap<Field, Col> = HashMap::new();
    let mut extra: Vec<(Col, Option<Field>)> = Vec::new();
    for col in 0..width {
        let mut texts: Vec<String> = Vec::new();
        for &r in &header_rows {
            let t = header_text(sheet, r, col);
            if !t.is_empty() && texts.last() != Some(&t) {
                texts.push(t);
            }
        }
        if texts.is_empty() {
            continue;
        }
        let mut field = None;
        for j in (0..texts.len()).rev() {
            let here = texts.get(j).map(String::as_str).unwrap_or_default();
            field = options.mapping.field(here).or_else(|| {
                let parent = j.checked_sub(1).and_then(|p| texts.get(p))?;
                options.mapping.field(&format!("{parent}{here}"))
            });
            if field.is_some() {
                break;
            }
        }
        let c = Col {
            index: col,
            header: texts.join("/"),
        };
        match field {
            Some(f) if f != Field::Ignore && !columns.contains_key(&f) => {
                columns.insert(f, c);
            }
            other => extra.push((c, other)),
        }
    }
    Some(Layout {
        data_from: pos,
        columns,
        unused: extra,
    })
}

/// A message in Chinese and in English.
type Bilingual = (String, String);

/// Separators between the items of a list cell, and between uses.
const LIST_SEPARATORS: &[char] = &['、', '，', ',', '；', ';', '\n', '\r', '|', '｜'];

/// Reads the data rows of a sheet into resources.
#[expect(
    clippy::too_many_arguments,
    reason = "the state of one import pass, threaded through one function"
)]
fn gather_sheet(
    sheet: &Sheet,
    layout: &Layout,
    options: &ImportOptions,
    report: &mut Report<'_>,
    summary: &mut ImportSummary,
    resources: &mut Vec<Gathered>,
    by_code: &mut HashMap<DatasetId, usize>,
    advance: &mut dyn FnMut(u64),
) {
    advance(layout.data_from as u64);
    for (col, field) in &layout.unused {
        let (code, severity, zh, en) = match field {
            Some(Field::Ignore) => (
                "IMP-UNUSED-COLUMN",
                IssueSeverity::Note,
                format!("“{}”列不属于登记簿的内容，未导入", col.header),
                format!(
                    "column `{}` has no place in the registry and was read past",
                    col.header
                ),
            ),
            Some(f) => (
                "IMP-DUPLICATE-COLUMN",
                IssueSeverity::Warning,
                format!("“{}”列与前面的列同为{}，只读取第一列", col.header, f.zh()),
                format!(
                    "column `{}` is a second column for `{}`; only the first is read",
                    col.header,
                    f.as_str()
                ),
            ),
            None => (
                "IMP-UNUSED-COLUMN",
                IssueSeverity::Note,
                format!("无法识别“{}”列，未导入（可用映射文件指定）", col.header),
                format!(
                    "column `{}` is not a known catalog field and was read past (a mapping file can name it)",
                    col.header
                ),
            ),
        };
        report.push(code, severity, None, Some(col.as_ref()), zh, en);
    }
    let data_rows = sheet.rows.len().saturating_sub(layout.data_from);
    let required: &[(Field, Option<Field>)] = &[
        (Field::Name, None),
        (Field::Code, None),
        (Field::Provider, Some(Field::ProviderCode)),
        (Field::Items, None),
        (Field::SharingType, None),
    ];
    let mut missing = Vec::new();
    for (field, or) in required {
        if !layout.columns.contains_key(field)
            && or.is_none_or(|o| !layout.columns.contains_key(&o))
        {
            missing.push(*field);
        }
    }
    if !missing.is_empty() {
        summary.rows += data_rows;
        summary.rows_rejected += data_rows;
        for f in missing {
            report.push(
                "IMP-MISSING-COLUMN",
                IssueSeverity::Error,
                None,
                Some(ColumnRef {
                    letter: String::new(),
                    header: f.zh().to_owned(),
                }),
                format!("缺少“{}”列，本表 {data_rows} 行未导入", f.zh()),
                format!(
                    "no column for `{}` ({}); the sheet's {data_rows} rows were not imported",
                    f.as_str(),
                    f.zh()
                ),
            );
        }
        advance(data_rows as u64);
        return;
    }
    let no_grade_column =
        !layout.columns.contains_key(&Field::Grade) && options.default_grade.is_none();
    let mut ungraded: Vec<u32> = Vec::new();
    let mut last: Option<usize> = None;
    let mut pending = 0u64;
    for row in sheet.rows.iter().skip(layout.data_from) {
        pending += 1;
        if pending >= REPORT_EVERY {
            advance(pending);
            pending = 0;
        }
        let r = row.index;
        let cell = |field: Field| -> Option<Cell> {
            let col = layout.columns.get(&field)?;
            let value = sheet.shown(r, col.index, false)?.clone();
            let c = Cell {
                value,
                row: r,
                col: col.clone(),
            };
            (!c.text().is_empty()).then_some(c)
        };
        let code = cell(Field::Code);
        let name = cell(Field::Name);
        let items_cell = cell(Field::Items);
        let any_value = layout
            .columns
            .iter()
            .any(|(f, _)| *f != Field::Ignore && cell(*f).is_some());
        if !any_value {
            continue;
        }
        summary.rows += 1;
        let code_col = layout.columns.get(&Field::Code).map(Col::as_ref);
        let target = match (&code, &name) {
            (Some(code), _) => {
                let text = fold_width(&code.text());
                match DatasetId::new(clean(&text)) {
                    Ok(id) => Some(id),
                    Err(e) => {
                        report.push(
                            "IMP-BAD-VALUE",
                            IssueSeverity::Error,
                            Some(r),
                            code_col,
                            format!("信息资源代码无效：{e}"),
                            format!("the resource code cannot be an id: {e}"),
                        );
                        summary.rows_rejected += 1;
                        continue;
                    }
                }
            }
            (None, None) if items_cell.is_some() => None,
            (None, _) => {
                report.push(
                    "IMP-NO-CODE",
                    IssueSeverity::Error,
                    Some(r),
                    code_col,
                    "本行没有信息资源代码".into(),
                    "the row has no resource code".into(),
                );
                summary.rows_rejected += 1;
                continue;
            }
        };
        let grade = match cell(Field::Grade) {
            Some(c) => match grade_of(&c.text()) {
                Some(g) => Some(g),
                None => {
                    report.push(
                        "IMP-BAD-GRADE",
                        IssueSeverity::Error,
                        Some(r),
                        Some(c.col.as_ref()),
                        format!("数据分级“{}”不是一般、重要或核心", c.text()),
                        format!(
                            "grade `{}` is not 一般 (general), 重要 (important) or 核心 (core)",
                            c.text()
                        ),
                    );
                    summary.rows_rejected += 1;
                    continue;
                }
            },
            None => options.default_grade,
        };
        let items = match items_cell.as_ref().map(|c| parse_items(c, grade)) {
            Some(Ok(items)) => items,
            Some(Err((zh, en))) => {
                report.push(
                    "IMP-BAD-VALUE",
                    IssueSeverity::Error,
                    Some(r),
                    items_cell.as_ref().map(|c| c.col.as_ref()),
                    zh,
                    en,
                );
                summary.rows_rejected += 1;
                continue;
            }
            None => Vec::new(),
        };
        if items.iter().any(|(_, g)| g.is_none()) {
            if no_grade_column {
                ungraded.push(r);
            } else {
                report.push(
                    "IMP-NO-GRADE",
                    IssueSeverity::Error,
                    Some(r),
                    layout.columns.get(&Field::Grade).map(Col::as_ref),
                    "信息项未填数据分级".into(),
                    "the row's items have no grade".into(),
                );
            }
            summary.rows_rejected += 1;
            continue;
        }
        // The row's resource: a new one, the one of its code, or (a row
        // with items only, under a merged or blank code) the one above.
        let index = match target {
            Some(id) => match by_code.get(&id) {
                Some(&i) => {
                    let Some(g) = resources.get_mut(i) else {
                        continue;
                    };
                    if !agree(g, &cell, report) {
                        summary.rows_rejected += 1;
                        continue;
                    }
                    i
                }
                None => {
                    let mut fields = HashMap::new();
                    for f in RESOURCE_FIELDS {
                        if let Some(c) = cell(*f) {
                            fields.insert(*f, c);
                        }
                    }
                    by_code.insert(id.clone(), resources.len());
                    resources.push(Gathered {
                        sheet: sheet.name.clone(),
                        is_1904: sheet.is_1904,
                        first_row: r,
                        rows: Vec::new(),
                        code: id,
                        fields,
                        items: Vec::new(),
                    });
                    resources.len() - 1
                }
            },
            None => match last {
                Some(i) => i,
                None => {
                    report.push(
                        "IMP-ORPHAN-ITEMS",
                        IssueSeverity::Error,
                        Some(r),
                        code_col,
                        "本行只有信息项，上方没有所属的信息资源".into(),
                        "the row lists items but no resource above it to belong to".into(),
                    );
                    summary.rows_rejected += 1;
                    continue;
                }
            },
        };
        let Some(g) = resources.get_mut(index) else {
            continue;
        };
        for (item, grade) in items {
            let Some(grade) = grade else { continue };
            if g.items.iter().any(|i| i.name == item) {
                report.push(
                    "IMP-DUPLICATE-ITEM",
                    IssueSeverity::Warning,
                    Some(r),
                    items_cell.as_ref().map(|c| c.col.as_ref()),
                    format!("信息项“{item}”重复，只保留一次"),
                    format!("item `{item}` is listed twice; it is kept once"),
                );
                continue;
            }
            g.items.push(DataItem {
                name: item,
                grade,
                source_department: None,
            });
        }
        g.rows.push(r);
        last = Some(index);
    }
    advance(pending);
    if let (Some(first), Some(last_row)) = (ungraded.first(), ungraded.last()) {
        report.push(
            "IMP-NO-GRADE",
            IssueSeverity::Error,
            Some(*first),
            None,
            format!(
                "本表没有“数据分级”列，{} 行（第 {}–{} 行）未导入：请增加该列，或指定默认分级（--default-grade）",
                ungraded.len(),
                first + 1,
                last_row + 1
            ),
            format!(
                "the sheet has no 数据分级 (grade) column, so {} rows (rows {}–{}) were not imported: add the column, or state a default grade (--default-grade)",
                ungraded.len(),
                first + 1,
                last_row + 1
            ),
        );
    }
}

/// Whether a later row of a resource agrees with what its earlier rows
/// said; a field they left blank is taken from it. A disagreement is
/// reported, and the row is not imported.
fn agree(g: &mut Gathered, cell: &dyn Fn(Field) -> Option<Cell>, report: &mut Report<'_>) -> bool {
    let mut ok = true;
    for f in RESOURCE_FIELDS {
        let Some(c) = cell(*f) else { continue };
        match g.fields.get(f) {
            Some(prev) if normalize_header(&prev.text()) != normalize_header(&c.text()) => {
                report.push(
                    "IMP-CONFLICT",
                    IssueSeverity::Error,
                    Some(c.row),
                    Some(c.col.as_ref()),
                    format!(
                        "同一信息资源 {} 的{}在此为“{}”，而第 {} 行为“{}”",
                        g.code,
                        f.zh(),
                        c.text(),
                        prev.row + 1,
                        prev.text()
                    ),
                    format!(
                        "resource `{}`: `{}` is `{}` here but `{}` in row {}",
                        g.code,
                        f.as_str(),
                        c.text(),
                        prev.text(),
                        prev.row + 1
                    ),
                );
                ok = false;
            }
            Some(_) => {}
            None => {
                g.fields.insert(*f, c);
            }
        }
    }
    ok
}

/// A grade as the sheet writes it.
fn grade_of(text: &str) -> Option<DataGrade> {
    let t = normalize_header(text);
    let t = t.strip_suffix("数据").unwrap_or(&t);
    let t = t.strip_suffix("级").unwrap_or(t);
    match t {
        "一般" | "general" => Some(DataGrade::General),
        "重要" | "important" => Some(DataGrade::Important),
        "核心" | "core" => Some(DataGrade::Core),
        _ => None,
    }
}

/// Whether a bracketed note after an item's name states its data type
/// (`字符型`, `C`, `varchar(18)`), which the registry does not keep.
fn is_type_note(note: &str) -> bool {
    let n = normalize_header(note);
    n.contains('型')
        || matches!(
            n.as_str(),
            "c" | "n"
                | "d"
                | "t"
                | "b"
                | "字符"
                | "字符串"
                | "数值"
                | "数字"
                | "日期"
                | "时间"
                | "文本"
                | "整数"
                | "小数"
                | "浮点"
                | "布尔"
                | "二进制"
        )
        || [
            "varchar", "char", "number", "int", "date", "string", "text", "decimal",
        ]
        .iter()
        .any(|p| n.starts_with(p))
}

/// The items of a cell, each with its grade: one name, or a list. A
/// bracketed note after a name is a grade (`身份证号（重要）`) or a data type
/// (dropped); any other bracket is part of the name.
fn parse_items(
    cell: &Cell,
    grade: Option<DataGrade>,
) -> Result<Vec<(ItemName, Option<DataGrade>)>, Bilingual> {
    let mut out = Vec::new();
    for token in cell.text().split(LIST_SEPARATORS) {
        let token = clean(token);
        if token.is_empty() {
            continue;
        }
        let folded = fold_width(token);
        let (name, item_grade) = match folded
            .strip_suffix(')')
            .and_then(|s| s.rfind('(').map(|i| (s, i)))
        {
            Some((s, i)) => {
                let note = s.get(i + 1..).unwrap_or_default();
                let base = s.get(..i).map(clean).unwrap_or_default();
                // The name keeps its own width: only the note is read folded.
                let original = token
                    .char_indices()
                    .nth(base.chars().count())
                    .map_or(token, |(b, _)| clean(token.get(..b).unwrap_or(token)));
                match grade_of(note) {
                    Some(g) if !base.is_empty() => (original, Some(g)),
                    _ if is_type_note(note) && !base.is_empty() => (original, grade),
                    _ => (token, grade),
                }
            }
            None => (token, grade),
        };
        let name = ItemName::new(name).map_err(|e| {
            (
                format!("信息项“{name}”无效：{e}"),
                format!("item `{name}` cannot be an item name: {e}"),
            )
        })?;
        out.push((name, item_grade));
    }
    Ok(out)
}

/// Providers by their key (the provider code, or the name when the sheet
/// gives no code) → the department id their entries name.
type Providers = HashMap<String, DepartmentId>;

/// The key of a resource's provider, and the cell it was read from.
fn provider_key(g: &Gathered) -> Option<(String, &Cell)> {
    if let Some(c) = g.fields.get(&Field::ProviderCode) {
        return Some((clean(&fold_width(&c.text())).to_owned(), c));
    }
    g.fields.get(&Field::Provider).map(|c| (c.text(), c))
}

/// The departments to write: those given, then each provider whose level
/// the caller stated by default. A provider with neither is reported and
/// not written (its entries then name an unregistered provider, which
/// `check` reports).
fn departments(
    resources: &[Gathered],
    options: &ImportOptions,
    issues: &mut Vec<Issue>,
) -> (Vec<Department>, Providers) {
    let mut written: Vec<Department> = Vec::new();
    for d in &options.departments {
        if !written.iter().any(|w| w.id == d.id) {
            written.push(d.clone());
        }
    }
    let mut providers = Providers::new();
    let mut names: HashMap<String, (String, u32)> = HashMap::new();
    let mut defaulted: Vec<String> = Vec::new();
    for g in resources {
        let Some((key, cell)) = provider_key(g) else {
            continue;
        };
        let name = g
            .fields
            .get(&Field::Provider)
            .map(Cell::text)
            .unwrap_or_else(|| key.clone());
        let mut report = Report {
            sheet: &g.sheet,
            issues,
        };
        match names.get(&key) {
            Some((first, row)) if *first != name => report.push(
                "IMP-DEPARTMENT-NAME-CONFLICT",
                IssueSeverity::Warning,
                Some(cell.row),
                g.fields.get(&Field::Provider).map(|c| c.col.as_ref()),
                format!("提供方代码 {key} 在此名为“{name}”，而第 {} 行为“{first}”；沿用后者", row + 1),
                format!(
                    "provider `{key}` is named `{name}` here but `{first}` in row {}; the latter is kept",
                    row + 1
                ),
            ),
            Some(_) => {}
            None => {
                names.insert(key.clone(), (name.clone(), cell.row));
            }
        }
        if providers.contains_key(&key) {
            continue;
        }
        let Ok(id) = DepartmentId::new(key.clone()) else {
            // Reported with the entry, which is not imported.
            continue;
        };
        let known = options
            .departments
            .iter()
            .find(|d| d.id == id)
            .or_else(|| options.departments.iter().find(|d| d.name == name));
        match (known, options.default_level) {
            (Some(d), _) => {
                providers.insert(key, d.id.clone());
            }
            (None, Some(level)) => {
                written.push(Department {
                    id: id.clone(),
                    name,
                    level,
                    region: options.default_region.clone(),
                    parent: None,
                    authority: false,
                });
                defaulted.push(id.to_string());
                providers.insert(key, id);
            }
            (None, None) => {
                report.push(
                    "IMP-DEPARTMENT-NOT-WRITTEN",
                    IssueSeverity::Warning,
                    Some(cell.row),
                    Some(cell.col.as_ref()),
                    format!(
                        "提供方“{name}”（{key}）的层级未知，未写入登记簿；其目录将被检查为提供方未登记。请在部门文件（--departments）中列出，或指定默认层级（--level）"
                    ),
                    format!(
                        "provider `{name}` (`{key}`) was not written: its level of government is unknown, and `check` will report its entries' provider as unregistered; list it in a departments file (--departments) or state a default level (--level)"
                    ),
                );
                providers.insert(key, id);
            }
        }
    }
    if !defaulted.is_empty() {
        let level = options.default_level.map_or("", |l| l.as_str());
        let region = options
            .default_region
            .as_ref()
            .map_or("（无）/none", |r| r.as_str());
        issues.push(Issue {
            code: "IMP-DEFAULTS-USED",
            severity: IssueSeverity::Note,
            sheet: resources.first().map(|g| g.sheet.clone()).unwrap_or_default(),
            row: None,
            column: None,
            zh: format!(
                "{} 个提供方按指定的默认层级 {level}、行政区划 {region} 写入：{}",
                defaulted.len(),
                defaulted.join("、")
            ),
            en: format!(
                "{} providers were written with the stated default level `{level}` and region `{region}`: {}",
                defaulted.len(),
                defaulted.join(", ")
            ),
        });
    }
    (written, providers)
}

/// An error in a resource's cell: reported, and the resource not imported.
fn reject(report: &mut Report<'_>, code: &'static str, cell: &Cell, zh: String, en: String) {
    report.push(
        code,
        IssueSeverity::Error,
        Some(cell.row),
        Some(cell.col.as_ref()),
        zh,
        en,
    );
}

/// Reads a gathered resource's values into a catalog entry; `None` when a
/// value cannot be read (each reported).
fn entry(g: &Gathered, providers: &Providers, report: &mut Report<'_>) -> Option<Dataset> {
    let text = |f: Field| g.fields.get(&f).map(Cell::text).unwrap_or_default();
    let mut ok = true;
    let provider = match provider_key(g) {
        Some((key, cell)) => match DepartmentId::new(key.clone()) {
            Ok(id) => providers.get(&key).cloned().unwrap_or(id),
            Err(e) => {
                reject(
                    report,
                    "IMP-BAD-VALUE",
                    cell,
                    format!("提供方代码无效：{e}"),
                    format!("the provider cannot be a department id: {e}"),
                );
                return None;
            }
        },
        None => {
            report.push(
                "IMP-BAD-VALUE",
                IssueSeverity::Error,
                Some(g.first_row),
                None,
                format!("信息资源 {} 没有提供方", g.code),
                format!("resource `{}` names no provider", g.code),
            );
            return None;
        }
    };
    let class = match g.fields.get(&Field::SharingType) {
        Some(c) => match sharing_class(&c.text()) {
            Some(class) => Some(class),
            None => {
                reject(
                    report,
                    "IMP-BAD-SHARING-TYPE",
                    c,
                    format!("共享类型“{}”不是无条件共享、有条件共享或不予共享", c.text()),
                    format!(
                        "sharing type `{}` is not 无条件共享 (unconditional), 有条件共享 (conditional) or 不予共享 (not shared)",
                        c.text()
                    ),
                );
                None
            }
        },
        None => {
            report.push(
                "IMP-BAD-SHARING-TYPE",
                IssueSeverity::Error,
                Some(g.first_row),
                None,
                format!("信息资源 {} 未填共享类型", g.code),
                format!("resource `{}` has no sharing type", g.code),
            );
            None
        }
    };
    ok &= class.is_some();
    let published_on = match g.fields.get(&Field::PublishedOn) {
        Some(c) => match date_of(&c.value, g.is_1904) {
            Ok(d) => Some(d),
            Err(why) => {
                reject(
                    report,
                    "IMP-BAD-DATE",
                    c,
                    format!("发布日期“{}”无法识别：{}", c.text(), why.0),
                    format!("publication date `{}` cannot be read: {}", c.text(), why.1),
                );
                ok = false;
                None
            }
        },
        None => None,
    };
    let status = match g.fields.get(&Field::Status) {
        Some(c) => match status_of(&c.text()) {
            Some(s) => s,
            None => {
                reject(
                    report,
                    "IMP-BAD-STATUS",
                    c,
                    format!("状态“{}”无法识别（已发布、草稿、已提交、已撤销）", c.text()),
                    format!(
                        "status `{}` is not 已发布 (published), 草稿 (draft), 已提交 (submitted) or 已撤销 (withdrawn)",
                        c.text()
                    ),
                );
                ok = false;
                CatalogStatus::Draft
            }
        },
        None if published_on.is_some() => CatalogStatus::Published,
        None => CatalogStatus::Draft,
    };
    let methods = g
        .fields
        .get(&Field::Methods)
        .map(|c| methods_of(c, report))
        .unwrap_or_default();
    let sharing = match class? {
        SharingClass::Unconditional => {
            if let Some(c) = g.fields.get(&Field::SharingConditions) {
                let t = normalize_header(&c.text());
                if !matches!(
                    t.as_str(),
                    "无条件" | "无条件共享" | "无" | "-" | "/" | "不限"
                ) {
                    report.push(
                        "IMP-CONDITIONS-NOT-KEPT",
                        IssueSeverity::Warning,
                        Some(c.row),
                        Some(c.col.as_ref()),
                        format!(
                            "无条件共享的目录不得另设条件（第十五条），所填共享条件“{}”未导入",
                            c.text()
                        ),
                        format!(
                            "an unconditional entry may carry no conditions (Art. 15); its conditions `{}` were not kept",
                            c.text()
                        ),
                    );
                }
            }
            Sharing::Unconditional
        }
        SharingClass::Conditional => {
            let (mut scope, mut uses) = labelled_conditions(&text(Field::SharingConditions));
            if g.fields.contains_key(&Field::Scope) {
                scope = text(Field::Scope);
            }
            if g.fields.contains_key(&Field::Uses) {
                uses = split_list(&text(Field::Uses));
            }
            // A spreadsheet states conditions as text; structured ones
            // (DESIGN §7) are not invented from it: `check` reports the
            // entry as not machine-checkable until an operator adds them.
            Sharing::Conditional {
                scope,
                uses,
                conditions: None,
            }
        }
        SharingClass::NotShared => {
            let citation_cell = g
                .fields
                .get(&Field::Basis)
                .or_else(|| g.fields.get(&Field::SharingConditions));
            let basis = citation_cell.map(|c| {
                let citation = c.text();
                let kind = match g.fields.get(&Field::BasisKind) {
                    Some(k) => basis_kind_of(&k.text()),
                    None => match infer_basis_kind(&citation) {
                        Some(kind) => {
                            report.push(
                                "IMP-BASIS-INFERRED",
                                IssueSeverity::Note,
                                Some(c.row),
                                Some(c.col.as_ref()),
                                format!("依据类型按标题认定为{}：{citation}", kind_zh(&kind)),
                                format!(
                                    "the kind of basis was read from the title as `{}`: {citation}",
                                    kind.as_str()
                                ),
                            );
                            kind
                        }
                        None => {
                            report.push(
                                "IMP-BASIS-UNCLASSIFIED",
                                IssueSeverity::Warning,
                                Some(c.row),
                                Some(c.col.as_ref()),
                                format!(
                                    "无法从“{citation}”判断依据属于法律、行政法规还是国务院决定，记为 unclassified，请核定"
                                ),
                                format!(
                                    "cannot tell whether `{citation}` is a law, an administrative regulation or a State Council decision; recorded as `unclassified` for a person to classify"
                                ),
                            );
                            LegalBasisKind::Unrecognized("unclassified".into())
                        }
                    },
                };
                LegalBasis { kind, citation }
            });
            Sharing::NotShared {
                reason: text(Field::NotSharedReason),
                basis,
            }
        }
    };
    if !ok {
        return None;
    }
    let summary = Some(text(Field::Summary)).filter(|s| !s.is_empty());
    Some(Dataset {
        id: g.code.clone(),
        name: text(Field::Name),
        provider,
        status,
        items: g.items.clone(),
        sharing,
        methods,
        format: text(Field::Format),
        update_frequency: text(Field::UpdateFrequency),
        summary,
        published_on,
        secret: None,
        assessment: None,
        approval: None,
        withdrawn: None,
    })
}

/// A sharing type as the sheet writes it: the template's words, their
/// short forms, or its codes 1 / 2 / 3.
fn sharing_class(text: &str) -> Option<SharingClass> {
    let t = normalize_header(text);
    let code = t
        .chars()
        .next()
        .filter(|c| c.is_ascii_digit())
        .and_then(|c| {
            let rest = t.get(1..).unwrap_or_default();
            (!rest.starts_with(|r: char| r.is_ascii_digit())).then_some(c)
        });
    match code {
        Some('1') => return Some(SharingClass::Unconditional),
        Some('2') => return Some(SharingClass::Conditional),
        Some('3') => return Some(SharingClass::NotShared),
        _ => {}
    }
    if t.contains("不予") || t.contains("不共享") || t == "not_shared" {
        Some(SharingClass::NotShared)
    } else if t.contains("无条件") || t == "unconditional" {
        Some(SharingClass::Unconditional)
    } else if t.contains("有条件") || t == "conditional" {
        Some(SharingClass::Conditional)
    } else {
        None
    }
}

/// A status as the sheet writes it.
fn status_of(text: &str) -> Option<CatalogStatus> {
    match normalize_header(text).as_str() {
        "已发布" | "发布" | "已公布" | "published" => Some(CatalogStatus::Published),
        "草稿" | "编制中" | "未发布" | "draft" => Some(CatalogStatus::Draft),
        "已提交" | "待审核" | "审核中" | "submitted" => Some(CatalogStatus::Submitted),
        "已撤销" | "撤销" | "已下架" | "下架" | "已废止" | "withdrawn" => {
            Some(CatalogStatus::Withdrawn)
        }
        _ => None,
    }
}

/// The sharing methods of a cell (Art. 22). A method the cell names that is
/// none of the three is kept as `other`, and noted.
fn methods_of(cell: &Cell, report: &mut Report<'_>) -> Vec<SharingMethod> {
    let mut out = Vec::new();
    let text = cell.text();
    for token in
        text.split(|c| LIST_SEPARATORS.contains(&c) || matches!(c, '/' | '／' | '和' | '及' | ' '))
    {
        let t = normalize_header(token);
        if t.is_empty() {
            continue;
        }
        let m = if t.contains("接口")
            || t.contains("api")
            || t.contains("服务")
            || t == "service_interface"
        {
            SharingMethod::ServiceInterface
        } else if ["批量", "交换", "库表", "数据库", "前置"]
            .iter()
            .any(|k| t.contains(k))
            || t == "bulk_exchange"
        {
            SharingMethod::BulkExchange
        } else if t.contains("下载") || t.contains("文件") || t == "file_download" {
            SharingMethod::FileDownload
        } else {
            if !(t.contains("其他") || t.contains("其它") || t == "other") {
                report.push(
                    "IMP-METHOD-OTHER",
                    IssueSeverity::Warning,
                    Some(cell.row),
                    Some(cell.col.as_ref()),
                    format!("共享方式“{}”不是服务接口、批量交换或文件下载，记为其他（other）", clean(token)),
                    format!(
                        "sharing method `{}` is not a service interface, bulk exchange or file download; recorded as `other`",
                        clean(token)
                    ),
                );
            }
            SharingMethod::Other
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// A list cell's entries.
fn split_list(text: &str) -> Vec<String> {
    text.split(LIST_SEPARATORS)
        .map(clean)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A conditional entry's scope and uses from its 共享条件: labelled parts
/// (`共享范围：本市政府部门；使用用途：行政审批、监管执法`) when the text
/// has them, otherwise the whole text as the scope and no uses.
fn labelled_conditions(text: &str) -> (String, Vec<String>) {
    let mut scope = None;
    let mut uses = None;
    for part in text.split(['；', ';', '\n']) {
        let Some((label, value)) = part.split_once(['：', ':']) else {
            continue;
        };
        let label = normalize_header(label);
        if label.contains("范围") {
            scope = Some(clean(value).to_owned());
        } else if label.contains("用途") {
            uses = Some(split_list(value));
        }
    }
    if scope.is_none() && uses.is_none() {
        return (clean(text).to_owned(), Vec::new());
    }
    (scope.unwrap_or_default(), uses.unwrap_or_default())
}

/// The kind of basis a 依据类型 cell names.
fn basis_kind_of(text: &str) -> LegalBasisKind {
    match normalize_header(text).as_str() {
        "法律" | "law" => LegalBasisKind::Law,
        "行政法规" | "administrative_regulation" => LegalBasisKind::AdministrativeRegulation,
        "国务院决定" | "state_council_decision" => LegalBasisKind::StateCouncilDecision,
        _ => LegalBasisKind::Unrecognized(clean(text).to_owned()),
    }
}

/// The kind of basis an unmistakable title shows: 《中华人民共和国…法》 is a
/// law, 《中华人民共和国…条例》 an administrative regulation, 《国务院关于…
/// 的决定》 a State Council decision. Anything else is not guessed.
fn infer_basis_kind(citation: &str) -> Option<LegalBasisKind> {
    let open = citation.find('《')?;
    let rest = citation.get(open + '《'.len_utf8()..)?;
    let title = rest.get(..rest.find('》')?)?;
    if let Some(name) = title.strip_prefix("中华人民共和国") {
        if name.ends_with('法') {
            return Some(LegalBasisKind::Law);
        }
        if name.ends_with("条例") {
            return Some(LegalBasisKind::AdministrativeRegulation);
        }
    }
    (title.starts_with("国务院关于") && title.ends_with("决定"))
        .then_some(LegalBasisKind::StateCouncilDecision)
}

fn kind_zh(kind: &LegalBasisKind) -> &'static str {
    match kind {
        LegalBasisKind::Law => "法律",
        LegalBasisKind::AdministrativeRegulation => "行政法规",
        LegalBasisKind::StateCouncilDecision => "国务院决定",
        LegalBasisKind::Unrecognized(_) => "未分类",
    }
}

/// The earliest and latest publication dates taken for real: a serial
/// number or a text outside them is a typing slip, not a date.
const FIRST_YEAR: i32 = 1949;
const LAST_YEAR: i32 = 2100;

/// A date from a cell: a date-formatted cell, an Excel serial number (as a
/// number or as digits), or text (`2025-06-20`, `2025/6/20`, `2025.6.20`,
/// `2025年6月20日`, `20250620`, with or without a time after it).
fn date_of(value: &Value, is_1904: bool) -> Result<NaiveDate, (String, String)> {
    let date = match value {
        Value::Date(d) => d.date(),
        Value::Number(n) => serial(*n, is_1904)?,
        Value::Text(t) => {
            let t = fold_width(clean(t));
            let t = clean(&t);
            let day = t.split([' ', 'T']).next().unwrap_or_default();
            if day.chars().all(|c| c.is_ascii_digit()) && (1..=5).contains(&day.len()) {
                serial(day.parse::<f64>().unwrap_or(0.0), is_1904)?
            } else {
                ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"]
                    .iter()
                    .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
                    .ok_or_else(|| {
                        (
                            "应为日期，如 2025-06-20".to_owned(),
                            "expected a date such as 2025-06-20".to_owned(),
                        )
                    })?
            }
        }
        Value::Bool(_) | Value::Error(_) => {
            return Err(("不是日期".into(), "not a date".into()));
        }
    };
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err((
            format!("年份 {} 不在 {FIRST_YEAR}–{LAST_YEAR} 之间", date.year()),
            format!(
                "year {} is not within {FIRST_YEAR}–{LAST_YEAR}",
                date.year()
            ),
        ));
    }
    Ok(date)
}

/// An Excel serial day number: days since 1899-12-30 (after Excel's
/// phantom 1900-02-29), or since 1904-01-01 in a 1904 workbook.
fn serial(n: f64, is_1904: bool) -> Result<NaiveDate, (String, String)> {
    let bad = || {
        (
            format!("{n} 不是有效的 Excel 日期序号"),
            format!("{n} is not an Excel date serial number"),
        )
    };
    if !n.is_finite() || !(1.0..=2_958_465.0).contains(&n) {
        return Err(bad());
    }
    let days = n.floor() as u64;
    let base = if is_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)
    } else if days == 60 {
        return Err(bad());
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    base.and_then(|b| b.checked_add_days(Days::new(days)))
        .ok_or_else(bad)
}
