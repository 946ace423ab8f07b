//! Catalog import from workbooks made for the tests (with rust_xlsxwriter)
//! and from the bundled example, through the library and the command line.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/cli.rs"]
mod cli;
use cli::govshare;

use govshare::import::{ImportOptions, IssueSeverity, catalog};
use govshare::{CatalogStatus, DataGrade, Level, Sharing};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");

fn example(name: &str) -> PathBuf {
    Path::new(EXAMPLES).join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The columns of the demo workbook's second header row, under their
/// merged parents in the first.
const DEMO_COLUMNS: usize = 16;

/// The demo catalog as a bureau keeps it: a title merged across the
/// sheet, a two-row header whose parents are merged over their
/// sub-headers, one item per row with each resource's cells merged down
/// its rows, dates as date cells, a serial number and text, and a sheet of
/// instructions beside it.
fn demo_workbook() -> Workbook {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new().set_align(FormatAlign::VerticalCenter);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::VerticalCenter);
    let ws = wb.add_worksheet();
    ws.set_name("政务数据资源目录").unwrap();
    let last_col = u16::try_from(DEMO_COLUMNS - 1).unwrap();
    ws.merge_range(0, 0, 0, last_col, "杭州市政务数据资源目录（示例）", &title)
        .unwrap();
    // Parents spanning two rows, or two and more columns.
    for (col, name) in [
        (0, "序号"),
        (1, "信息资源名称"),
        (2, "信息资源代码"),
        (5, "信息资源摘要"),
        (6, "信息资源格式"),
        (13, "更新周期"),
        (14, "发布日期"),
        (15, "开放属性"),
    ] {
        ws.merge_range(1, col, 2, col, name, &head).unwrap();
    }
    ws.merge_range(1, 3, 1, 4, "信息资源提供方", &head).unwrap();
    ws.merge_range(1, 7, 1, 8, "信息项", &head).unwrap();
    ws.merge_range(1, 9, 1, 12, "共享属性", &head).unwrap();
    for (col, name) in [
        (3, "名称"),
        (4, "代码"),
        (7, "信息项名称"),
        (8, "数据分级"),
        (9, "共享类型"),
        (10, "共享条件"),
        (11, "不予共享理由"),
        (12, "共享方式"),
    ] {
        ws.write_string_with_format(2, col, name, &head).unwrap();
    }
    enum Published<'a> {
        Date(u16, u8, u8),
        Serial(f64),
        Text(&'a str),
        None,
    }
    struct Resource<'a> {
        name: &'a str,
        code: &'a str,
        provider: &'a str,
        provider_code: &'a str,
        summary: &'a str,
        format: &'a str,
        items: &'a [(&'a str, &'a str)],
        class: &'a str,
        conditions: &'a str,
        reason: &'a str,
        methods: &'a str,
        frequency: &'a str,
        published: Published<'a>,
        open: &'a str,
    }
    let resources = [
        Resource {
            name: "企业登记信息",
            code: "330100-AMR-001",
            provider: "杭州市市场监督管理局",
            provider_code: "hz-amr",
            summary: "本市登记注册企业的基本登记信息",
            format: "数据库",
            items: &[
                ("统一社会信用代码", "一般"),
                ("企业名称", "一般"),
                ("住所", "一般"),
                ("法定代表人姓名", "一般"),
                ("法定代表人身份证号", "重要"),
            ],
            class: "有条件共享",
            conditions: "共享范围：本市政府部门；使用用途：行政审批、监管执法、社会保险经办",
            reason: "",
            methods: "服务接口、批量交换",
            frequency: "每日",
            published: Published::Date(2025, 6, 20),
            open: "不予开放",
        },
        Resource {
            name: "企业公示基础信息",
            code: "330100-AMR-002",
            provider: "杭州市市场监督管理局",
            provider_code: "hz-amr",
            summary: "依法公示的企业基础信息",
            format: "数据库",
            items: &[
                ("统一社会信用代码", "一般"),
                ("企业名称", "一般"),
                ("登记状态", "一般"),
            ],
            class: "无条件共享",
            conditions: "无条件",
            reason: "",
            methods: "服务接口、文件下载",
            frequency: "每日",
            published: Published::Date(2025, 6, 20),
            open: "无条件开放",
        },
        Resource {
            name: "户籍人口基本信息",
            code: "330100-PSB-001",
            provider: "杭州市公安局",
            provider_code: "hz-psb",
            summary: "本市户籍人口的基本信息",
            format: "数据库",
            items: &[
                ("公民身份号码", "重要"),
                ("姓名", "一般"),
                ("户籍地址", "一般"),
            ],
            class: "有条件共享",
            conditions: "本市政府部门依法履职需要",
            reason: "",
            methods: "服务接口",
            frequency: "实时",
            published: Published::Serial(45828.0),
            open: "不予开放",
        },
        Resource {
            name: "纳税人涉税明细信息",
            code: "330100-TAX-001",
            provider: "国家税务总局杭州市税务局",
            provider_code: "hz-tax",
            summary: "纳税人申报缴纳税款的明细",
            format: "数据库",
            items: &[("统一社会信用代码", "一般"), ("应纳税额", "重要")],
            class: "不予共享",
            conditions: "《中华人民共和国税收征收管理法》第八条",
            reason: "涉及纳税人商业秘密和个人隐私，依法应予保密",
            methods: "服务接口",
            frequency: "每月",
            published: Published::Date(2025, 6, 20),
            open: "不予开放",
        },
        Resource {
            name: "预防接种记录",
            code: "330100-HEALTH-001",
            provider: "杭州市卫生健康委员会",
            provider_code: "hz-health",
            summary: "儿童预防接种记录",
            format: "数据库",
            items: &[("身份证号", "重要"), ("疫苗名称", "一般")],
            class: "有条件共享",
            conditions: "共享范围：本市教育部门；使用用途：入学查验",
            reason: "",
            methods: "服务接口",
            frequency: "每日",
            published: Published::None,
            open: "不予开放",
        },
        Resource {
            name: "最低生活保障对象信息",
            code: "330100-CIVIL-001",
            provider: "杭州市民政局",
            provider_code: "hz-civil",
            summary: "本市最低生活保障对象名单",
            format: "电子表格",
            items: &[("姓名", "一般"), ("身份证号", "重要"), ("保障金额", "一般")],
            class: "有条件共享",
            conditions: "共享范围：本市政府部门；使用用途：社会救助、住房保障",
            reason: "",
            methods: "文件下载",
            frequency: "每月",
            published: Published::Text("2025年7月1日"),
            open: "不予开放",
        },
        Resource {
            name: "公共租赁住房房源信息",
            code: "330100-HOUSING-001",
            provider: "杭州市住房保障和房产管理局",
            provider_code: "hz-housing",
            summary: "本市公共租赁住房房源台账",
            format: "电子表格",
            items: &[
                ("房源编号", "一般"),
                ("小区名称", "一般"),
                ("户型面积", "一般"),
            ],
            class: "部分共享",
            conditions: "",
            reason: "",
            methods: "文件下载",
            frequency: "每季度",
            published: Published::Date(2025, 7, 15),
            open: "有条件开放",
        },
    ];
    let mut row: u32 = 3;
    for (n, r) in resources.iter().enumerate() {
        let rows = u32::try_from(r.items.len()).unwrap();
        let last = row + rows - 1;
        let merged = |ws: &mut Worksheet, col: u16, value: &str| {
            if rows > 1 {
                ws.merge_range(row, col, last, col, value, &cell).unwrap();
            } else {
                ws.write_string_with_format(row, col, value, &cell).unwrap();
            }
        };
        merged(ws, 0, &(n + 1).to_string());
        merged(ws, 1, r.name);
        merged(ws, 2, r.code);
        merged(ws, 3, r.provider);
        merged(ws, 4, r.provider_code);
        merged(ws, 5, r.summary);
        merged(ws, 6, r.format);
        merged(ws, 9, r.class);
        merged(ws, 10, r.conditions);
        merged(ws, 11, r.reason);
        merged(ws, 12, r.methods);
        merged(ws, 13, r.frequency);
        merged(ws, 14, "");
        merged(ws, 15, r.open);
        match r.published {
            Published::Date(y, m, d) => {
                ws.write_datetime_with_format(
                    row,
                    14,
                    ExcelDateTime::from_ymd(y, m, d).unwrap(),
                    &date,
                )
                .unwrap();
            }
            Published::Serial(n) => {
                ws.write_number_with_format(row, 14, n, &cell).unwrap();
            }
            Published::Text(t) => {
                ws.write_string_with_format(row, 14, t, &cell).unwrap();
            }
            Published::None => {}
        }
        for (k, (item, grade)) in r.items.iter().enumerate() {
            let at = row + u32::try_from(k).unwrap();
            ws.write_string(at, 7, *item).unwrap();
            ws.write_string(at, 8, *grade).unwrap();
        }
        row = last + 1;
    }
    ws.set_column_width(1, 22).unwrap();
    ws.set_column_width(10, 40).unwrap();
    let help = wb.add_worksheet();
    help.set_name("填表说明").unwrap();
    help.write_string(0, 0, "填表说明").unwrap();
    help.write_string(
        1,
        0,
        "一、每个信息项填写一行，同一信息资源的各行合并单元格。",
    )
    .unwrap();
    help.write_string(2, 0, "二、共享类型填写无条件共享、有条件共享或不予共享。")
        .unwrap();
    wb
}

#[test]
fn bundled_workbook_is_the_one_this_test_makes_and_imports_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let made = dir.path().join("catalog.xlsx");
    demo_workbook().save(&made).unwrap();
    if std::env::var_os("GOVSHARE_WRITE_EXAMPLES").is_some() {
        std::fs::copy(&made, example("catalog.xlsx")).unwrap();
    }
    let options = ImportOptions::new();
    let fresh = catalog(&made, &options, &mut |_| {}).unwrap();
    let bundled = catalog(example("catalog.xlsx"), &options, &mut |_| {}).unwrap();
    let csv = catalog(example("catalog.csv"), &options, &mut |_| {}).unwrap();
    assert_eq!(fresh.registry().to_json(), bundled.registry().to_json());
    assert_eq!(bundled.registry().to_json(), csv.registry().to_json());
    assert_eq!(bundled.summary().datasets, 6);
}

#[test]
fn merged_headers_and_merged_resource_cells_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.xlsx");
    demo_workbook().save(&path).unwrap();
    let import = catalog(&path, &ImportOptions::new(), &mut |_| {}).unwrap();
    let datasets = import.registry().datasets();
    let ent = &datasets[0];
    assert_eq!(ent.id.as_str(), "330100-AMR-001");
    assert_eq!(ent.name, "企业登记信息");
    // Provider name and code under the merged 信息资源提供方.
    assert_eq!(ent.provider.as_str(), "hz-amr");
    // Five rows merged into one resource, graded per row.
    let items: Vec<_> = ent
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.grade))
        .collect();
    assert_eq!(items.len(), 5);
    assert_eq!(items[4], ("法定代表人身份证号", DataGrade::Important));
    assert_eq!(
        ent.summary.as_deref(),
        Some("本市登记注册企业的基本登记信息")
    );
    let tax = datasets
        .iter()
        .find(|d| d.id.as_str() == "330100-TAX-001")
        .unwrap();
    match &tax.sharing {
        Sharing::NotShared { reason, basis } => {
            assert!(reason.contains("商业秘密"));
            assert_eq!(basis.as_ref().unwrap().kind.as_str(), "law");
        }
        other => panic!("{other:?}"),
    }
    // The instructions sheet is reported, not read and not silently dropped.
    let skipped = import
        .issues()
        .iter()
        .find(|i| i.code == "IMP-SHEET-SKIPPED")
        .unwrap();
    assert_eq!(skipped.sheet, "填表说明");
    assert_eq!(skipped.severity, IssueSeverity::Warning);
    // The 开放属性 and 序号 columns are named as read past.
    let unused: Vec<_> = import
        .issues()
        .iter()
        .filter(|i| i.code == "IMP-UNUSED-COLUMN")
        .map(|i| i.column.as_ref().unwrap().letter.as_str())
        .collect();
    assert_eq!(unused, ["A", "P"]);
}

#[test]
fn unmappable_rows_are_reported_with_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.xlsx");
    demo_workbook().save(&path).unwrap();
    let import = catalog(&path, &ImportOptions::new(), &mut |_| {}).unwrap();
    let errors: Vec<_> = import
        .issues()
        .iter()
        .filter(|i| i.severity == IssueSeverity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!(e.code, "IMP-BAD-SHARING-TYPE");
    assert_eq!(e.sheet, "政务数据资源目录");
    // The housing resource starts on spreadsheet row 22: a title row, two
    // header rows, then 5 + 3 + 3 + 2 + 2 + 3 item rows.
    assert_eq!(e.row, Some(22));
    let column = e.column.as_ref().unwrap();
    assert_eq!(column.letter, "J");
    assert_eq!(column.header, "共享属性/共享类型");
    assert!(e.zh.contains("部分共享"));
    // All three rows of the resource are counted as not imported.
    assert_eq!(import.summary().rows_rejected, 3);
    assert_eq!(import.summary().rows, 21);
}

#[test]
fn dates_as_date_cells_serial_numbers_and_text_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "信息资源名称",
        "信息资源代码",
        "信息资源提供方",
        "信息项",
        "数据分级",
        "共享类型",
        "发布日期",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    for (r, code) in ["d-cell", "d-serial", "d-text", "d-digits", "d-time"]
        .iter()
        .enumerate()
    {
        let row = u32::try_from(r).unwrap() + 1;
        for (c, v) in ["某资源", code, "某局", "某项", "一般", "无条件共享"]
            .iter()
            .enumerate()
        {
            ws.write_string(row, u16::try_from(c).unwrap(), *v).unwrap();
        }
    }
    ws.write_datetime_with_format(1, 6, ExcelDateTime::from_ymd(2025, 6, 20).unwrap(), &date)
        .unwrap();
    ws.write_number(2, 6, 45828.0).unwrap();
    ws.write_string(3, 6, "2025/6/20 ").unwrap();
    ws.write_string(4, 6, "45828").unwrap();
    ws.write_string(5, 6, "2025-06-20 09:30:00").unwrap();
    wb.save(&path).unwrap();
    let import = catalog(&path, &ImportOptions::new(), &mut |_| {}).unwrap();
    let dates: Vec<_> = import
        .registry()
        .datasets()
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.published_on.map(|p| p.to_string()),
                d.status,
            )
        })
        .collect();
    assert_eq!(dates.len(), 5, "{:#?}", import.issues());
    for (id, day, status) in dates {
        assert_eq!(day.as_deref(), Some("2025-06-20"), "{id}");
        assert_eq!(status, CatalogStatus::Published, "{id}");
    }
}

#[test]
fn full_width_characters_and_trailing_spaces_in_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("目录 ").unwrap();
    let header = [
        "信息资源名称 ",
        "＊信息资源代码（必填）",
        "信息资源\n提供方",
        "提供方代码\u{3000}",
        "信息项 ",
        "数据分级",
        "共享类型 ",
        "共享方式",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
    let row = [
        "企业公示信息  ",
        "３３０１００－ＡＭＲ－００２ ",
        "杭州市市场监督管理局\u{3000}",
        "ＨＺ－ＡＭＲ ",
        "统一社会信用代码 ， 企业名称（字符型） ",
        "一般 ",
        "无条件共享\u{3000}",
        "服务接口 ",
    ];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, u16::try_from(c).unwrap(), *v).unwrap();
    }
    wb.save(&path).unwrap();
    let import = catalog(
        &path,
        &ImportOptions::new().default_level(Level::Municipal),
        &mut |_| {},
    )
    .unwrap();
    assert!(!import.has_errors(), "{:#?}", import.issues());
    let d = &import.registry().datasets()[0];
    assert_eq!(d.id.as_str(), "330100-AMR-002");
    assert_eq!(d.name, "企业公示信息");
    assert_eq!(d.provider.as_str(), "HZ-AMR");
    let items: Vec<_> = d.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(items, ["统一社会信用代码", "企业名称"]);
    assert_eq!(d.sharing, Sharing::Unconditional);
    let dept = &import.registry().departments()[0];
    assert_eq!(dept.name, "杭州市市场监督管理局");
    assert_eq!(dept.level, Level::Municipal);
}

#[test]
fn an_empty_sheet_is_noted_and_the_others_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("空白").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("目录").unwrap();
    for (c, h) in [
        "信息资源名称",
        "信息资源代码",
        "信息资源提供方",
        "信息项",
        "数据分级",
        "共享类型",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
    for (c, v) in ["某资源", "c-1", "某局", "某项", "一般", "无条件共享"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, u16::try_from(c).unwrap(), *v).unwrap();
    }
    wb.save(&path).unwrap();
    let import = catalog(&path, &ImportOptions::new(), &mut |_| {}).unwrap();
    let empty = import
        .issues()
        .iter()
        .find(|i| i.code == "IMP-EMPTY-SHEET")
        .unwrap();
    assert_eq!(empty.sheet, "空白");
    assert_eq!(empty.severity, IssueSeverity::Note);
    assert_eq!(import.registry().datasets().len(), 1);
    // A workbook of nothing but an empty sheet imports nothing, and says so.
    let only = dir.path().join("empty.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.save(&only).unwrap();
    let import = catalog(&only, &ImportOptions::new(), &mut |_| {}).unwrap();
    assert!(import.registry().datasets().is_empty());
    assert_eq!(import.issues()[0].code, "IMP-EMPTY-SHEET");
    // Asking for a sheet that is not there is an error naming the sheets.
    let err = catalog(&only, &ImportOptions::new().sheet("目录"), &mut |_| {}).unwrap_err();
    assert!(govshare::error_report(&err).contains("has no sheet `目录`"));
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.xlsx");
    std::fs::write(&path, "not a zip").unwrap();
    let err = catalog(&path, &ImportOptions::new(), &mut |_| {}).unwrap_err();
    assert!(govshare::error_report(&err).contains("is not a readable .xlsx workbook"));
    let xls = dir.path().join("catalog.xls");
    std::fs::write(&xls, "x").unwrap();
    let err = catalog(&xls, &ImportOptions::new(), &mut |_| {}).unwrap_err();
    assert!(govshare::error_report(&err).contains("save an .xls or .ods file as .xlsx"));
}

#[test]
fn cli_imports_reports_and_the_registry_goes_straight_into_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("registry.json");
    let out_s = out.to_str().unwrap();
    let from = example("catalog.xlsx");
    let departments = example("registry.json");
    let run = govshare(&[
        "import",
        "catalog",
        "--from",
        from.to_str().unwrap(),
        "--departments",
        departments.to_str().unwrap(),
        "--out",
        out_s,
    ]);
    // One row is not importable: exit 1, and the registry is written.
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("[IMP-BAD-SHARING-TYPE] 错误 error sheet `政务数据资源目录` row 22 column J (共享属性/共享类型)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("21 rows read, 18 imported, 3 not imported"),
        "{stdout}"
    );
    // Progress is drawn only on a terminal: nothing on a pipe.
    assert_eq!(text(&run.stderr), "");
    let check = govshare(&["check", "--registry", out_s, "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    let findings: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let codes: Vec<&str> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    // The conditional entry whose 共享条件 names no uses: for a person to
    // fill in, not invented.
    assert!(codes.contains(&"CAT-CONDITIONAL-NO-USES"), "{codes:?}");
    assert!(!codes.contains(&"CAT-UNKNOWN-PROVIDER"), "{codes:?}");
    // The JSON report for scripts.
    let json = govshare(&[
        "import",
        "catalog",
        "--from",
        example("catalog.csv").to_str().unwrap(),
        "--out",
        out_s,
        "--level",
        "municipal",
        "--region",
        "330100",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["summary"]["datasets"], 6);
    assert!(
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "IMP-DEFAULTS-USED")
    );
    let missing = govshare(&[
        "import",
        "catalog",
        "--from",
        "/no/such.xlsx",
        "--out",
        out_s,
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("/no/such.xlsx"));
}

/// Runs a command under a pseudo-terminal (util-linux `script`), so that
/// its standard error is a terminal; returns what the terminal showed.
fn on_a_terminal(args: &[&str]) -> String {
    let mut line = String::from(env!("CARGO_BIN_EXE_govshare"));
    for a in args {
        line.push_str(" '");
        line.push_str(&a.replace('\'', "'\\''"));
        line.push('\'');
    }
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("TERM", "xterm")
        .output()
        .expect("util-linux `script`");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_large_catalog_shows_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("big.csv");
    let mut text_out =
        String::from("信息资源名称,信息资源代码,信息资源提供方,信息项,数据分级,共享类型\n");
    for i in 0..60_000 {
        text_out.push_str(&format!("资源{i},c-{i},某局,项{i},一般,无条件共享\n"));
    }
    std::fs::write(&csv, text_out).unwrap();
    let out = dir.path().join("registry.json");
    let args = [
        "import",
        "catalog",
        "--from",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--level",
        "municipal",
    ];
    let piped = govshare(&args);
    assert_eq!(piped.status.code(), Some(0), "{}", text(&piped.stderr));
    assert_eq!(
        text(&piped.stderr),
        "",
        "quiet when stderr is not a terminal"
    );
    let shown = on_a_terminal(&args);
    assert!(shown.contains("导入目录 importing the catalog"), "{shown}");
    assert!(shown.contains("60000 imported"), "{shown}");
}
