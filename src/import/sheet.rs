//! Reading a workbook or a CSV file into sheets of cells: only non-empty
//! cells are kept, with the merged regions that cover others, under the
//! limits on rows, columns and cells.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{DataRef, Reader as _, Xlsx};
use chrono::NaiveDateTime;

use super::{ColumnRef, Issue, IssueSeverity};
use crate::error::ImportError;
use crate::limits::{MAX_CATALOG_CELLS, MAX_CATALOG_COLUMNS, MAX_CATALOG_ROWS};
use crate::progress::{Progress, ProgressStage, REPORT_EVERY};

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    /// Text, as written.
    Text(String),
    /// A number (a date serial number too, in a general-format cell).
    Number(f64),
    /// A cell formatted as a date.
    Date(NaiveDateTime),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value such as `#N/A`.
    Error(String),
}

impl Value {
    /// The value as text: a number without a needless `.0`.
    pub(super) fn text(&self) -> String {
        match self {
            Value::Text(s) | Value::Error(s) => s.clone(),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    n.to_string()
                }
            }
            Value::Date(d) => d.date().to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        }
    }
}

/// One row: its 0-based index in the sheet and its non-empty cells, by
/// column.
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    pub(super) index: u32,
    pub(super) cells: Vec<(u32, Value)>,
}

impl Row {
    fn get(&self, col: u32) -> Option<&Value> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .and_then(|i| self.cells.get(i))
            .map(|(_, v)| v)
    }
}

/// A sheet's non-empty rows, in order, and its merged regions.
#[derive(Debug, Clone, Default)]
pub(super) struct Sheet {
    pub(super) name: String,
    pub(super) rows: Vec<Row>,
    /// Row index → position in `rows`.
    positions: HashMap<u32, usize>,
    /// A cell covered by a merged region (not its top-left cell) → the
    /// region's top-left cell.
    merged: HashMap<(u32, u32), (u32, u32)>,
    /// Whether dates count from 1904 (a workbook setting).
    pub(super) is_1904: bool,
}

impl Sheet {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    fn push(&mut self, row: Row) {
        self.positions.insert(row.index, self.rows.len());
        self.rows.push(row);
    }

    /// The cell's own value.
    fn own(&self, row: u32, col: u32) -> Option<&Value> {
        self.positions
            .get(&row)
            .and_then(|&i| self.rows.get(i))
            .and_then(|r| r.get(col))
    }

    /// The value shown at a cell: its own, or that of the merged region
    /// covering it. With `across` false, only a region's first column takes
    /// its value (a data cell merged down a resource's rows); with `across`
    /// true, every cell does (a header merged over its sub-headers).
    pub(super) fn shown(&self, row: u32, col: u32, across: bool) -> Option<&Value> {
        if let Some(v) = self.own(row, col) {
            return Some(v);
        }
        let &(r0, c0) = self.merged.get(&(row, col))?;
        if !across && c0 != col {
            return None;
        }
        self.own(r0, c0)
    }

    /// Whether a cell takes its value from a merged region above it.
    pub(super) fn merged_from_above(&self, row: u32, col: u32) -> bool {
        self.merged
            .get(&(row, col))
            .is_some_and(|&(r0, _)| r0 < row)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A column's letter: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(super) fn column_letter(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Counts cells against [`MAX_CATALOG_CELLS`] and reports rows read.
struct Reading<'p> {
    origin: String,
    cells: usize,
    progress: &'p mut dyn FnMut(Progress),
}

impl Reading<'_> {
    fn count(&mut self, n: usize) -> Result<(), ImportError> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > MAX_CATALOG_CELLS {
            return Err(ImportError::Limit {
                origin: self.origin.clone(),
                what: "cells",
                max: MAX_CATALOG_CELLS,
            });
        }
        Ok(())
    }

    fn row_limit(&self, index: u32) -> Result<(), ImportError> {
        if index as usize >= MAX_CATALOG_ROWS {
            return Err(ImportError::Limit {
                origin: self.origin.clone(),
                what: "rows in one sheet",
                max: MAX_CATALOG_ROWS,
            });
        }
        Ok(())
    }

    fn report(&mut self, done: u64, total: Option<u64>) {
        (self.progress)(Progress {
            stage: ProgressStage::ReadCatalog,
            done,
            total,
        });
    }
}

fn out_of_range(sheet: &str, row: u32, col: u32) -> Issue {
    Issue {
        code: "IMP-CELL-OUT-OF-RANGE",
        severity: IssueSeverity::Error,
        sheet: sheet.to_owned(),
        row: Some(row + 1),
        column: Some(ColumnRef {
            letter: column_letter(col),
            header: String::new(),
        }),
        zh: format!("第 {MAX_CATALOG_COLUMNS} 列之后的单元格未读取"),
        en: format!("a value beyond the first {MAX_CATALOG_COLUMNS} columns was not read"),
    }
}

fn convert(value: &DataRef<'_>) -> Option<Value> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_owned()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => Value::Date(d),
            _ => Value::Number(dt.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    })
}

/// Reads the sheets of an `.xlsx` workbook: all of them, or those named.
pub(super) fn read_xlsx(
    origin: &str,
    bytes: &[u8],
    wanted: &[String],
    progress: &mut dyn FnMut(Progress),
    issues: &mut Vec<Issue>,
) -> Result<Vec<Sheet>, ImportError> {
    let workbook_error = |e: calamine::XlsxError| ImportError::Workbook {
        origin: origin.to_owned(),
        source: Box::new(e),
    };
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(workbook_error)?;
    let names = workbook.sheet_names();
    if let Some(missing) = wanted.iter().find(|w| !names.contains(w)) {
        return Err(ImportError::NoSuchSheet {
            origin: origin.to_owned(),
            sheet: missing.clone(),
            available: names.join(", "),
        });
    }
    let is_1904 = workbook.has_1904_epoch();
    let mut reading = Reading {
        origin: origin.to_owned(),
        cells: 0,
        progress,
    };
    let mut sheets = Vec::new();
    for name in names {
        if !wanted.is_empty() && !wanted.contains(&name) {
            continue;
        }
        let mut sheet = Sheet::new(&name);
        sheet.is_1904 = is_1904;
        for region in workbook
            .merge_cells_by_sheet_name(&name)
            .map_err(workbook_error)?
        {
            let (r0, c0) = region.start;
            let (r1, c1) = region.end;
            let c1 = c1.min(MAX_CATALOG_COLUMNS.saturating_sub(1));
            reading.row_limit(r1)?;
            for r in r0..=r1 {
                reading.count(c1.saturating_sub(c0) as usize + 1)?;
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        sheet.merged.insert((r, c), (r0, c0));
                    }
                }
            }
        }
        let mut cells = workbook
            .worksheet_cells_reader(&name)
            .map_err(workbook_error)?;
        let declared = cells.dimensions();
        let total = (declared.end.0 >= declared.start.0).then(|| u64::from(declared.end.0) + 1);
        let mut current = Row::default();
        let mut last_reported = 0u64;
        while let Some(cell) = cells.next_cell().map_err(workbook_error)? {
            let (row, col) = cell.get_position();
            reading.row_limit(row)?;
            let Some(value) = convert(cell.get_value()) else {
                continue;
            };
            if col >= MAX_CATALOG_COLUMNS {
                issues.push(out_of_range(&name, row, col));
                continue;
            }
            reading.count(1)?;
            if row != current.index || current.cells.is_empty() {
                if !current.cells.is_empty() {
                    current.cells.sort_by_key(|(c, _)| *c);
                    sheet.push(std::mem::take(&mut current));
                }
                current.index = row;
                if u64::from(row) >= last_reported + REPORT_EVERY {
                    last_reported = u64::from(row);
                    reading.report(last_reported, total);
                }
            }
            current.cells.push((col, value));
        }
        if !current.cells.is_empty() {
            current.cells.sort_by_key(|(c, _)| *c);
            sheet.push(current);
        }
        // Rows come in order in every workbook Excel writes; a hand-made
        // one may not.
        if sheet.rows.windows(2).any(|w| match w {
            [a, b] => a.index >= b.index,
            _ => false,
        }) {
            sheet.rows = merge_rows(std::mem::take(&mut sheet.rows));
            sheet.positions = sheet
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.index, i))
                .collect();
        }
        let done = sheet.rows.last().map_or(0, |r| u64::from(r.index) + 1);
        reading.report(done, total.map(|t| t.max(done)));
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Rows sorted by index, the cells of a repeated index joined.
fn merge_rows(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by_key(|r| r.index);
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        match out.last_mut() {
            Some(last) if last.index == row.index => {
                last.cells.extend(row.cells);
                last.cells.sort_by_key(|(c, _)| *c);
                last.cells.dedup_by_key(|(c, _)| *c);
            }
            _ => out.push(row),
        }
    }
    out
}

/// Reads a CSV file as one sheet named after the file. The text is UTF-8
/// (a byte-order mark is skipped) or, failing that, GB18030 — what Excel
/// on a Chinese Windows saves as "CSV" — which is then noted.
pub(super) fn read_csv(
    origin: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(Progress),
    issues: &mut Vec<Issue>,
) -> Result<Sheet, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let decoded = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or_else(|| ImportError::Encoding {
                    origin: origin.to_owned(),
                })?;
            issues.push(Issue {
                code: "IMP-ENCODING",
                severity: IssueSeverity::Note,
                sheet: origin.to_owned(),
                row: None,
                column: None,
                zh: "文件不是 UTF-8 编码，已按 GB18030（GBK）读取".into(),
                en: "the file is not UTF-8; it was read as GB18030 (GBK)".into(),
            });
            decoded
        }
    };
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut reading = Reading {
        origin: origin.to_owned(),
        cells: 0,
        progress,
    };
    let mut sheet = Sheet::new(origin);
    let mut record = csv::StringRecord::new();
    let mut index: u32 = 0;
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| ImportError::Csv {
                origin: origin.to_owned(),
                source: Box::new(e),
            })?;
        if !more {
            break;
        }
        reading.row_limit(index)?;
        let mut row = Row {
            index,
            cells: Vec::new(),
        };
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            if col >= MAX_CATALOG_COLUMNS {
                issues.push(out_of_range(origin, index, col));
                continue;
            }
            reading.count(1)?;
            row.cells.push((col, Value::Text(field.to_owned())));
        }
        if !row.cells.is_empty() {
            sheet.push(row);
        }
        index += 1;
        if u64::from(index).is_multiple_of(REPORT_EVERY) {
            reading.report(u64::from(index), None);
        }
    }
    reading.report(u64::from(index), Some(u64::from(index)));
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn numbers_read_as_text_without_a_needless_fraction() {
        assert_eq!(Value::Number(330100.0).text(), "330100");
        assert_eq!(Value::Number(1.5).text(), "1.5");
    }
}
