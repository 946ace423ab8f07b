//! `govshare calendar` for the people who keep a deployment's calendar:
//! a year file from the notice in one command, loaded with `--calendar`;
//! the holiday-cn route; `show`; and the warning that the last loaded year
//! ends soon, from `calendar check`, `check` and the self-check report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

#[path = "support/cli.rs"]
mod cli;
use cli::{govshare, stderr, stdout};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const REGISTRY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/registry.json");

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn notice(year: i32) -> String {
    format!("{ROOT}/policies/calendar/notices/{year}.txt")
}

fn shipped(year: i32) -> String {
    std::fs::read_to_string(format!("{ROOT}/policies/calendar/cn-{year}.json")).unwrap()
}

/// The README's steps: the notice into `cn-YYYY.json` in one command, then
/// loaded with `--calendar`. For the shipped notices the file written is
/// the shipped file, byte for byte.
#[test]
fn from_notice_writes_the_shipped_files_and_they_load() {
    let dir = tempfile::tempdir().unwrap();
    for year in [2025, 2026] {
        let out = dir.path().join(format!("cn-{year}.json"));
        let run = govshare(&[
            "calendar",
            "from-notice",
            &notice(year),
            "--year",
            &year.to_string(),
            "--out",
            path(&out),
        ]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), shipped(year));
        assert!(stderr(&run).contains("written to"), "{}", stderr(&run));
    }
    // Loaded: a deadline across the Spring Festival of 2026.
    let due = govshare(&[
        "deadline",
        "--received",
        "2026-02-13T10:00:00+08:00",
        "--calendar",
        path(dir.path()),
        "--format",
        "json",
    ]);
    assert_eq!(due.status.code(), Some(0), "{}", stderr(&due));
    let v: serde_json::Value = serde_json::from_str(&stdout(&due)).unwrap();
    // 10 working days: Saturday the 14th and the 28th are worked, 15–23 off.
    assert_eq!(v["due"], "2026-03-05");
    // Shown from the folder.
    let show = govshare(&["calendar", "show", "2026", "--calendar", path(dir.path())]);
    assert_eq!(show.status.code(), Some(0), "{}", stderr(&show));
    let text = stdout(&show);
    assert!(
        text.starts_with("2026 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）\n"),
        "{text}"
    );
    assert!(
        text.contains("  春节 Spring Festival: 2026-02-15 周日 – 2026-02-23 周一, 9天 days\n"),
        "{text}"
    );
    assert!(text.contains("  2026-09-20 周日 for 国庆节\n"), "{text}");
    // To standard output.
    let stdout_run = govshare(&[
        "calendar",
        "from-notice",
        &notice(2025),
        "--year",
        "2025",
        "--out",
        "-",
    ]);
    assert_eq!(stdout(&stdout_run), shipped(2025));
}

#[test]
fn a_notice_with_a_mistake_writes_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(notice(2026))
        .unwrap()
        .replace("5月1日（周五）", "5月1日（周四）");
    let bad = dir.path().join("2026.txt");
    std::fs::write(&bad, text).unwrap();
    let out = dir.path().join("cn-2026.json");
    let run = govshare(&[
        "calendar",
        "from-notice",
        path(&bad),
        "--year",
        "2026",
        "--out",
        path(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let message = stderr(&run);
    assert!(message.contains("line 7 `四、劳动节："), "{message}");
    assert!(
        message.contains("2026-05-01 is a 周五 (Friday)"),
        "{message}"
    );
    assert!(!out.exists());
    // The notice of another year.
    let run = govshare(&[
        "calendar",
        "from-notice",
        &notice(2026),
        "--year",
        "2027",
        "--out",
        path(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("for year `2026`, not `2027`"),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
}

#[test]
fn import_from_holiday_cn() {
    let dir = tempfile::tempdir().unwrap();
    // The data set's shape: every day of each holiday, and the days worked.
    let mut days = Vec::new();
    for (name, from, to) in [("元旦", 1, 3)] {
        for day in from..=to {
            days.push(serde_json::json!({"name": name, "date": format!("2026-01-0{day}"), "isOffDay": true}));
        }
    }
    days.push(serde_json::json!({"name": "元旦", "date": "2026-01-04", "isOffDay": false}));
    let file = dir.path().join("2026.json");
    std::fs::write(
        &file,
        serde_json::json!({"year": 2026, "papers": ["https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"], "days": days})
            .to_string(),
    )
    .unwrap();
    let out = dir.path().join("cn-2026.json");
    let run = govshare(&[
        "calendar",
        "import",
        "--from",
        "holiday-cn",
        path(&file),
        "--out",
        path(&out),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains(
            r#"{"name": "元旦", "en": "New Year's Day", "from": "2026-01-01", "to": "2026-01-03"}"#
        ),
        "{written}"
    );
    assert!(
        written.contains(r#"{"date": "2026-01-04", "for": "元旦"}"#),
        "{written}"
    );
    let show = govshare(&[
        "calendar",
        "show",
        "2026",
        "--calendar",
        path(dir.path()),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(v["make_up_workdays"][0]["for"], "元旦");

    // The data set lists a year before its notice is out with no days and
    // no papers: refused.
    std::fs::write(&file, r#"{"year": 2027, "papers": [], "days": []}"#).unwrap();
    let refused = govshare(&[
        "calendar",
        "import",
        "--from",
        "holiday-cn",
        path(&file),
        "--out",
        path(&dir.path().join("cn-2027.json")),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("`papers` is empty"),
        "{}",
        stderr(&refused)
    );
    assert!(!dir.path().join("cn-2027.json").exists());
}

#[test]
fn show_a_year_that_is_not_loaded_is_an_error() {
    let run = govshare(&["calendar", "show", "2027"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run)
            .contains("no working-day calendar is loaded for year `2027` (loaded: 2025, 2026)"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn calendar_check_warns_within_sixty_days_of_the_end() {
    let quiet = govshare(&["calendar", "check", "--at", "2026-10-31T12:00:00+08:00"]);
    assert_eq!(quiet.status.code(), Some(0), "{}", stderr(&quiet));
    assert_eq!(
        stdout(&quiet),
        "工作日日历 working-day calendar: 2025, 2026 (to 2026-12-31, 61 days after 2026-10-31)\n"
    );
    // 2026-11-01 00:30 in China is still 31 October in UTC: the China date counts.
    let warned = govshare(&["calendar", "check", "--at", "2026-10-31T16:30:00Z"]);
    assert_eq!(warned.status.code(), Some(1));
    let text = stdout(&warned);
    assert!(text.contains("[CALENDAR-ENDS-SOON]"), "{text}");
    assert!(
        text.contains("ends 2026-12-31, 60 days after 2026-11-01"),
        "{text}"
    );
    let json = govshare(&[
        "calendar",
        "check",
        "--at",
        "2027-01-02T09:00:00+08:00",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["years"], serde_json::json!([2025, 2026]));
    assert_eq!(v["days_left"], -2);
    assert_eq!(v["ends_soon"], true);
    // With the next year in the folder, quiet again.
    let dir = tempfile::tempdir().unwrap();
    for year in [2026, 2027] {
        std::fs::write(
            dir.path().join(format!("cn-{year}.json")),
            format!(r#"{{"year": {year}, "source": "a test calendar", "holidays": [], "make_up_workdays": []}}"#),
        )
        .unwrap();
    }
    let more = govshare(&[
        "calendar",
        "check",
        "--calendar",
        path(dir.path()),
        "--at",
        "2026-12-02T09:00:00+08:00",
    ]);
    assert_eq!(more.status.code(), Some(0), "{}", stdout(&more));
}

/// `check` and the self-check report carry the same warning, judged at
/// `--at`; it never changes `check`'s exit code.
#[test]
fn check_and_the_report_carry_the_warning() {
    let early = govshare(&[
        "check",
        "--registry",
        REGISTRY,
        "--at",
        "2026-10-01T09:00:00+08:00",
    ]);
    assert_eq!(early.status.code(), Some(0), "{}", stderr(&early));
    assert!(
        !stdout(&early).contains("CALENDAR-ENDS-SOON"),
        "{}",
        stdout(&early)
    );
    let late = govshare(&[
        "check",
        "--registry",
        REGISTRY,
        "--at",
        "2026-12-02T09:00:00+08:00",
    ]);
    assert_eq!(late.status.code(), Some(0), "{}", stderr(&late));
    assert!(
        stdout(&late).contains("[CALENDAR-ENDS-SOON] 警告 warning"),
        "{}",
        stdout(&late)
    );
    let json = govshare(&[
        "check",
        "--registry",
        REGISTRY,
        "--at",
        "2026-12-02T09:00:00+08:00",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["calendar"]["ends_soon"], true);
    assert_eq!(v["calendar"]["last_day"], "2026-12-31");

    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let run = govshare(&[
        "report",
        "--registry",
        REGISTRY,
        "--at",
        "2026-12-02T09:00:00+08:00",
        "--out",
        path(&html),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("data-calendar=\"ends-soon\""),
        "no warning in the report"
    );
    assert!(page.contains("工作日日历止于2026-12-31，距2026-12-02仅余29天"));
    assert!(page.contains("data-calendar-years=\"2025、2026\""));
    let json = govshare(&[
        "report",
        "--registry",
        REGISTRY,
        "--at",
        "2026-06-02T09:00:00+08:00",
        "--out",
        "-",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["summary"]["calendar_ends_soon"], false);
    assert_eq!(v["calendar"]["days_left"], 212);
    let run = govshare(&[
        "report",
        "--registry",
        REGISTRY,
        "--at",
        "2026-06-02T09:00:00+08:00",
        "--out",
        path(&html),
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert!(
        !std::fs::read_to_string(&html)
            .unwrap()
            .contains("data-calendar=\"ends-soon\"")
    );
}
