//! Import of CSV text made for the tests; workbooks are made and read in
//! `tests/import.rs`.

use super::*;
use crate::model::{CatalogStatus, DataGrade, LegalBasisKind, Sharing, SharingMethod};

fn csv(text: &str, options: &ImportOptions) -> CatalogImport {
    catalog_from_bytes(
        "t.csv",
        SourceKind::Csv,
        text.as_bytes(),
        options,
        &mut |_| {},
    )
    .unwrap()
}

fn codes(import: &CatalogImport) -> Vec<&'static str> {
    import.issues().iter().map(|i| i.code).collect()
}

const HEADER: &str = "信息资源名称,信息资源代码,信息资源提供方,提供方代码,信息项,数据分级,共享类型,共享条件,共享方式,信息资源格式,更新周期,发布日期\n";

#[test]
fn one_resource_per_row_with_its_items_in_a_cell() {
    let text = format!(
        "{HEADER}企业登记信息,330100-AMR-001,杭州市市场监督管理局,hz-amr,\"统一社会信用代码、企业名称，住所；法定代表人身份证号（重要）\",一般,有条件共享,共享范围：本市政府部门；使用用途：行政审批、监管执法,\"服务接口、批量交换\",数据库,每日,2025-06-20\n"
    );
    let import = csv(
        &text,
        &ImportOptions::new().default_level(crate::model::Level::Municipal),
    );
    assert!(!import.has_errors(), "{:#?}", import.issues());
    let d = &import.registry().datasets()[0];
    assert_eq!(d.id.as_str(), "330100-AMR-001");
    let items: Vec<_> = d.items.iter().map(|i| (i.name.as_str(), i.grade)).collect();
    assert_eq!(
        items,
        [
            ("统一社会信用代码", DataGrade::General),
            ("企业名称", DataGrade::General),
            ("住所", DataGrade::General),
            ("法定代表人身份证号", DataGrade::Important)
        ]
    );
    assert_eq!(
        d.sharing,
        Sharing::Conditional {
            scope: "本市政府部门".into(),
            uses: vec!["行政审批".into(), "监管执法".into()],
            conditions: None,
        }
    );
    assert_eq!(
        d.methods,
        [SharingMethod::ServiceInterface, SharingMethod::BulkExchange]
    );
    assert_eq!(d.status, CatalogStatus::Published);
    assert_eq!(d.published_on, chrono::NaiveDate::from_ymd_opt(2025, 6, 20));
    assert_eq!(import.registry().departments()[0].id.as_str(), "hz-amr");
    assert_eq!(import.summary().rows_imported, 1);
}

#[test]
fn one_item_per_row_grouped_by_code_and_continued_under_blank_cells() {
    let text = format!(
        "{HEADER}户籍人口基本信息,330100-PSB-001,杭州市公安局,hz-psb,公民身份号码,重要,有条件共享,本市政府部门,服务接口,数据库,实时,45828\n\
         户籍人口基本信息,330100-PSB-001,杭州市公安局,hz-psb,姓名,一般,有条件共享,,,,,\n\
         ,,,,户籍地址,一般,,,,,,\n"
    );
    let import = csv(&text, &ImportOptions::new());
    let d = &import.registry().datasets()[0];
    let names: Vec<_> = d.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["公民身份号码", "姓名", "户籍地址"]);
    assert_eq!(d.items[0].grade, DataGrade::Important);
    // An Excel serial day number written as digits.
    assert_eq!(d.published_on, chrono::NaiveDate::from_ymd_opt(2025, 6, 20));
    // No labels: the text is the scope, and the uses are left for `check`.
    assert_eq!(
        d.sharing,
        Sharing::Conditional {
            scope: "本市政府部门".into(),
            uses: vec![],
            conditions: None,
        }
    );
    assert_eq!(import.summary().rows_imported, 3);
}

#[test]
fn full_width_characters_and_trailing_spaces_are_folded_where_they_are_codes() {
    let text = format!(
        "{HEADER}\u{3000}企业公示信息 ,３３０１００－ＡＭＲ－００２ ,杭州市市场监督管理局  ,ＨＺ－ＡＭＲ,统一社会信用代码 ,一般 ,１ ,,接口 ,数据库 ,每日 ,２０２５／６／２０ \n"
    );
    let import = csv(&text, &ImportOptions::new());
    assert!(!import.has_errors(), "{:#?}", import.issues());
    let d = &import.registry().datasets()[0];
    assert_eq!(d.id.as_str(), "330100-AMR-002");
    assert_eq!(d.name, "企业公示信息");
    assert_eq!(d.provider.as_str(), "HZ-AMR");
    assert_eq!(d.items[0].name.as_str(), "统一社会信用代码");
    assert_eq!(d.sharing, Sharing::Unconditional);
    assert_eq!(d.published_on, chrono::NaiveDate::from_ymd_opt(2025, 6, 20));
}

#[test]
fn every_row_that_cannot_be_imported_is_reported_with_its_place() {
    let text = format!(
        "{HEADER}A,c-1,某局,d-1,x,一般,部分共享,,接口,数据库,每日,2025-06-20\n\
         B,,某局,d-1,y,一般,无条件共享,,接口,数据库,每日,2025-06-20\n\
         C,c-3,某局,d-1,z,很重要,无条件共享,,接口,数据库,每日,2025-06-20\n\
         D,c-4,某局,d-1,w,一般,无条件共享,,接口,数据库,每日,2025-13-45\n\
         E,c-5,某局,d-1,v,一般,无条件共享,,接口,数据库,每日,2025-06-20\n\
         E2,c-5,某局,d-1,u,一般,无条件共享,,接口,数据库,每日,2025-06-20\n\
         F,c-6,某局,d-1,t,一般,无条件共享,,接口,数据库,每日,2025-06-20\n"
    );
    let import = csv(
        &text,
        &ImportOptions::new().default_level(crate::model::Level::County),
    );
    let errors: Vec<(&str, Option<u32>, Option<&str>)> = import
        .issues()
        .iter()
        .filter(|i| i.severity == IssueSeverity::Error)
        .map(|i| (i.code, i.row, i.column.as_ref().map(|c| c.letter.as_str())))
        .collect();
    assert_eq!(
        errors,
        [
            ("IMP-BAD-SHARING-TYPE", Some(2), Some("G")),
            ("IMP-NO-CODE", Some(3), Some("B")),
            ("IMP-BAD-GRADE", Some(4), Some("F")),
            ("IMP-BAD-DATE", Some(5), Some("L")),
            ("IMP-CONFLICT", Some(7), Some("A")),
        ]
    );
    let ids: Vec<_> = import
        .registry()
        .datasets()
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(ids, ["c-5", "c-6"]);
    let s = import.summary();
    assert_eq!((s.rows, s.rows_imported, s.rows_rejected), (7, 2, 5));
    let shown = import
        .issues()
        .iter()
        .find(|i| i.code == "IMP-BAD-SHARING-TYPE")
        .unwrap()
        .to_string();
    assert!(
        shown.contains("sheet `t.csv` row 2 column G (共享类型)"),
        "{shown}"
    );
}

#[test]
fn a_provider_of_unknown_level_is_not_invented() {
    let text = format!("{HEADER}A,c-1,某局,d-1,x,一般,无条件共享,,接口,数据库,每日,2025-06-20\n");
    let import = csv(&text, &ImportOptions::new());
    assert!(import.registry().departments().is_empty());
    assert_eq!(import.registry().datasets()[0].provider.as_str(), "d-1");
    assert!(codes(&import).contains(&"IMP-DEPARTMENT-NOT-WRITTEN"));
    assert_eq!(import.summary().departments_not_written, 1);
    // `check` then names the provider as unregistered.
    let findings = crate::lifecycle::validate(import.registry());
    assert!(findings.iter().any(|f| f.code == "CAT-UNKNOWN-PROVIDER"));
    // A departments file matched by name supplies it, under its own id.
    let known = read_departments(
        r#"[{"id": "x-1", "name": "某局", "level": "county", "region": "330106"}]"#,
    )
    .unwrap();
    let import = csv(&text, &ImportOptions::new().departments(known));
    assert_eq!(import.registry().datasets()[0].provider.as_str(), "x-1");
    assert!(!codes(&import).contains(&"IMP-DEPARTMENT-NOT-WRITTEN"));
}

#[test]
fn a_grade_is_never_guessed() {
    let header = "信息资源名称,信息资源代码,信息资源提供方,信息项,共享类型\n";
    let text = format!("{header}A,c-1,某局,x,无条件共享\nB,c-2,某局,y,无条件共享\n");
    let import = csv(&text, &ImportOptions::new());
    assert!(import.registry().datasets().is_empty());
    let no_grade: Vec<_> = import
        .issues()
        .iter()
        .filter(|i| i.code == "IMP-NO-GRADE")
        .collect();
    assert_eq!(no_grade.len(), 1, "one issue for the sheet");
    assert!(
        no_grade[0].en.contains("2 rows (rows 2–3)"),
        "{}",
        no_grade[0].en
    );
    let import = csv(
        &text,
        &ImportOptions::new().default_grade(DataGrade::Important),
    );
    assert_eq!(import.registry().datasets().len(), 2);
    assert_eq!(
        import.registry().datasets()[0].items[0].grade,
        DataGrade::Important
    );
}

#[test]
fn not_shared_takes_its_basis_from_the_conditions_and_classifies_only_the_unmistakable() {
    let text = format!(
        "{HEADER}A,c-1,某局,d,x,一般,不予共享,《中华人民共和国统计法》第三十九条,接口,数据库,每月,2025-06-20\n\
         B,c-2,某局,d,y,一般,3,《某某省数据条例》第十条,接口,数据库,每月,2025-06-20\n"
    );
    let import = csv(&text, &ImportOptions::new());
    let kinds: Vec<_> = import
        .registry()
        .datasets()
        .iter()
        .map(|d| match &d.sharing {
            Sharing::NotShared { basis: Some(b), .. } => b.kind.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            LegalBasisKind::Law,
            LegalBasisKind::Unrecognized("unclassified".into())
        ]
    );
    assert!(codes(&import).contains(&"IMP-BASIS-INFERRED"));
    assert!(codes(&import).contains(&"IMP-BASIS-UNCLASSIFIED"));
}

#[test]
fn a_mapping_renames_a_provincial_variant() {
    let text = "目录名称,目录编码,数源单位,数据项清单,安全级别,共享属性,交换方式,格式,更新频率,上架日期\n\
                A,c-1,某局,\"x,y\",一般,无条件共享,文件下载,表格,每年,2025-06-20\n";
    let unmapped = csv(text, &ImportOptions::new());
    assert!(unmapped.has_errors());
    assert!(codes(&unmapped).contains(&"IMP-MISSING-COLUMN"));
    let mapping = Mapping::from_json_str(
        r#"{"columns": {"数源单位": "provider", "数据项清单": "items", "交换方式": "methods", "上架日期": "published_on"}}"#,
    )
    .unwrap();
    let import = csv(text, &ImportOptions::new().mapping(mapping));
    assert!(!import.has_errors(), "{:#?}", import.issues());
    let d = &import.registry().datasets()[0];
    assert_eq!(d.items.len(), 2);
    assert_eq!(d.methods, [SharingMethod::FileDownload]);
    assert_eq!(d.status, CatalogStatus::Published);
}

#[test]
fn columns_read_past_and_drafts_are_noted() {
    let text = format!(
        "序号,{}A,c-1,某局,d,x,一般,无条件共享,,接口,数据库,每日,,自定义\n",
        HEADER.replace('\n', ",自定义列\n1,")
    );
    let import = csv(&text, &ImportOptions::new());
    let unused: Vec<_> = import
        .issues()
        .iter()
        .filter(|i| i.code == "IMP-UNUSED-COLUMN")
        .map(|i| i.column.as_ref().unwrap().header.as_str())
        .collect();
    assert_eq!(unused, ["序号", "自定义列"]);
    assert_eq!(import.registry().datasets()[0].status, CatalogStatus::Draft);
    assert!(codes(&import).contains(&"IMP-DRAFT"));
}

#[test]
fn gb18030_text_is_read_and_noted() {
    let text = format!("{HEADER}A,c-1,某局,d,x,一般,无条件共享,,接口,数据库,每日,2025-06-20\n");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let import = catalog_from_bytes(
        "t.csv",
        SourceKind::Csv,
        &bytes,
        &ImportOptions::new(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(import.registry().datasets()[0].name, "A");
    assert!(codes(&import).contains(&"IMP-ENCODING"));
}

#[test]
fn a_sheet_without_a_header_is_reported_not_read() {
    let import = csv("填表说明\n请按模板填写\n", &ImportOptions::new());
    assert_eq!(codes(&import), ["IMP-NO-HEADER"]);
    assert!(import.has_errors());
}

#[test]
fn progress_reaches_its_total() {
    let text = format!("{HEADER}A,c-1,某局,d,x,一般,无条件共享,,接口,数据库,每日,2025-06-20\n");
    let mut seen = Vec::new();
    catalog_from_bytes(
        "t.csv",
        SourceKind::Csv,
        text.as_bytes(),
        &ImportOptions::new(),
        &mut |p| seen.push(p),
    )
    .unwrap();
    let last = seen.last().unwrap();
    assert_eq!(last.stage, crate::ProgressStage::ImportCatalog);
    assert_eq!(Some(last.done), last.total);
    assert!(
        seen.iter()
            .any(|p| p.stage == crate::ProgressStage::ReadCatalog)
    );
}
