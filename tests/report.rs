//! The self-check report through the command line, and in a real browser:
//! Debian's headless Chromium loads the HTML file, the test reads the
//! rendered page back, takes a screenshot and prints it to PDF. The browser
//! test needs `chromium` and is run by `.ci/report.sh`
//! (`cargo test --all-features --test report -- --include-ignored`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/cli.rs"]
mod cli;
use cli::govshare;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
const AT: &str = "2026-08-20T09:00:00+08:00";

fn example(name: &str) -> String {
    Path::new(EXAMPLES).join(name).display().to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The demo report: the demo registry with its usage record and pending
/// applications, judged on 2026-08-20.
fn demo_report(dir: &Path, format: &str) -> PathBuf {
    let out = dir.join(format!("report.{format}"));
    let run = govshare(&[
        "report",
        "--registry",
        &example("registry.json"),
        "--record",
        &example("usage.jsonl"),
        "--applications",
        &example("applications"),
        "--at",
        AT,
        "--out",
        out.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    out
}

#[test]
fn json_carries_the_same_content_for_dashboards() {
    let dir = tempfile::tempdir().unwrap();
    let json = demo_report(dir.path(), "json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let s = &v["summary"];
    assert_eq!(s["datasets"], 5);
    assert_eq!(s["grants"], 5);
    assert_eq!(s["disposals_overdue"], 2);
    assert_eq!(s["record_intact"], true);
    assert_eq!(s["applications_pending"], 2);
    assert_eq!(s["applications_overdue"], 1);
    assert_eq!(v["record"]["entries"], 3);
    assert_eq!(v["at"], AT);
    for key in [
        "findings",
        "departments",
        "articles",
        "sharing_mix",
        "grants",
        "disposals",
        "applications",
    ] {
        assert!(v[key].is_array() || v[key].is_object(), "{key}");
    }
    assert!(
        v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["zh"] != "")
    );
}

#[test]
fn the_html_is_self_contained_and_escapes_what_the_registry_says() {
    let dir = tempfile::tempdir().unwrap();
    // A department name that would be markup if it were not escaped.
    let mut reg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("registry.json")).unwrap()).unwrap();
    reg["departments"][0]["name"] = "<script>alert(1)</script>浙江省".into();
    let registry = dir.path().join("registry.json");
    std::fs::write(&registry, reg.to_string()).unwrap();
    let out = dir.path().join("r.html");
    let run = govshare(&[
        "report",
        "--registry",
        registry.to_str().unwrap(),
        "--at",
        AT,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"), "no script in the report");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;浙江省"));
    // SVG's namespace is a name, not a place the browser goes to.
    let refs = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for outside in ["http://", "https://", "src=", "href=", "@import", "url("] {
        assert!(
            !refs.contains(outside),
            "the report refers outside itself: {outside}"
        );
    }
    assert!(html.contains("<svg"), "charts are inline SVG");
    assert!(html.contains("@page { size: A4"));
    // To standard output.
    let stdout = govshare(&[
        "report",
        "--registry",
        &example("registry.json"),
        "--at",
        AT,
        "--out",
        "-",
        "--format",
        "json",
    ]);
    assert_eq!(stdout.status.code(), Some(0));
    assert!(text(&stdout.stdout).contains("\"sharing_mix\""));
    let bad = govshare(&[
        "report",
        "--registry",
        &example("registry.json"),
        "--at",
        "yesterday",
        "--out",
        "-",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("--at"));
}

#[test]
fn an_altered_usage_record_shows_as_broken_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("usage.jsonl");
    let original = std::fs::read_to_string(example("usage.jsonl")).unwrap();
    assert!(original.contains("参保登记核验"));
    std::fs::write(&record, original.replacen("参保登记核验", "其他用途", 1)).unwrap();
    let out = dir.path().join("r.json");
    let run = govshare(&[
        "report",
        "--registry",
        &example("registry.json"),
        "--record",
        record.to_str().unwrap(),
        "--at",
        AT,
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(v["summary"]["record_intact"], false);
    // The break is named at the export line that was edited.
    let edited = original
        .lines()
        .position(|l| l.contains("参保登记核验"))
        .unwrap()
        + 1;
    assert_eq!(v["record"]["broken"]["place"]["in"], "line");
    assert_eq!(v["record"]["broken"]["place"]["line"], edited);
}

/// The artifacts of the browser test, kept in the target folder.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium on a page with a fresh profile, no network (a
/// proxy that refuses every connection) and console messages logged to
/// standard error.
fn chromium(page: &Path, args: &[&str]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let browser = std::env::var("GOVSHARE_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--proxy-server=127.0.0.1:9",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{browser}` (install Debian's chromium): {e}"));
    assert!(out.status.success(), "{browser}: {}", text(&out.stderr));
    out
}

/// The console messages a page logged (script errors among them).
fn console_messages(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect()
}

/// The pages of a PDF Chromium wrote: its `/Type /Page` objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
#[ignore = "needs Debian's chromium; run by .ci/report.sh"]
fn the_report_renders_in_a_real_browser() {
    let dir = artifacts();
    let page = demo_report(&dir, "html");

    // The check itself catches a script error: a page that throws is
    // flagged.
    let broken = dir.join("throws.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><body><p>x</p><script>throw new Error('bad')</script></body></html>",
    )
    .unwrap();
    let run = chromium(&broken, &["--dump-dom"]);
    assert!(
        console_messages(&run.stderr)
            .iter()
            .any(|m| m.contains("Uncaught Error: bad")),
        "the console check must see a script error"
    );

    // The report: rendered, no console message at all, key figures there.
    let run = chromium(&page, &["--dump-dom"]);
    assert_eq!(console_messages(&run.stderr), Vec::<String>::new());
    let dom = text(&run.stdout);
    let figure = |key: &str| {
        let at = dom
            .find(&format!("data-figure=\"{key}\""))
            .unwrap_or_else(|| panic!("figure {key} missing"));
        let rest = &dom[at..];
        let b = rest.find("<b>").unwrap() + 3;
        rest[b..b + rest[b..].find("</b>").unwrap()].to_owned()
    };
    assert_eq!(figure("datasets"), "5");
    assert_eq!(figure("grants"), "5");
    assert_eq!(figure("disposals-overdue"), "2");
    assert_eq!(figure("applications-overdue"), "1");
    assert_eq!(figure("record"), "完整 intact");
    for section in [
        "summary",
        "departments",
        "articles",
        "sharing",
        "grants",
        "disposals",
        "applications",
        "record",
    ] {
        assert!(
            dom.contains(&format!("<section id=\"{section}\"")),
            "{section}"
        );
    }
    assert!(dom.contains("政务数据共享合规体检报告"));
    assert!(dom.contains("杭州市市场监督管理局"));
    assert!(dom.matches("<svg").count() >= 4, "the charts are there");

    // A screenshot, kept in the target folder.
    let shot = dir.join("report.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &page,
        &[
            "--window-size=1280,2400",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(png_size(&png), (1280, 2400));
    assert!(png.len() > 50_000, "a page, not a blank");

    // Printed to PDF on A4, a section a page at least.
    let pdf_path = dir.join("report.pdf");
    let _ = std::fs::remove_file(&pdf_path);
    chromium(
        &page,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf_path.display()),
        ],
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf_pages(&pdf) >= 8, "{} pages", pdf_pages(&pdf));
    // A4 is 595 × 842 points.
    let a4 = String::from_utf8_lossy(&pdf);
    assert!(
        a4.contains("/MediaBox [0 0 594.95996 841.91998]"),
        "an A4 page"
    );
    eprintln!("artifacts: {}", dir.display());
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

/// A store holding a usage record of `n` use events.
fn large_record(path: &Path, n: usize) {
    use govshare::audit::Record;
    let records: Vec<Record> = (1..=n)
        .map(|seq| {
            serde_json::from_str(&format!(
                r#"{{"type":"use_event","at":"2026-03-02T10:00:00+08:00","grant":"g-{seq}","requester":"hz-hrss","dataset":"ent-reg","category":"process","detail":"调用 {seq}","actor":"系统"}}"#
            ))
            .unwrap()
        })
        .collect();
    let store = govshare::store::Store::open(path).unwrap();
    store.record_batch(&records).unwrap();
}

#[test]
fn a_large_registry_and_record_show_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("registry.json")).unwrap()).unwrap();
    let template = reg["grants"][0].clone();
    // Twenty copies of the grant's requester, each holding 1,000 grants on
    // its dataset (within limits::MAX_GRANTS_PER_PAIR).
    let requester = reg["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == template["requester"])
        .unwrap()
        .clone();
    for k in 0..20 {
        let mut d = requester.clone();
        d["id"] = format!("copy-{k}").into();
        reg["departments"].as_array_mut().unwrap().push(d);
    }
    let grants: Vec<serde_json::Value> = (0..20_000)
        .map(|i| {
            let mut g = template.clone();
            g["id"] = format!("g-{i}").into();
            g["requester"] = format!("copy-{}", i % 20).into();
            g
        })
        .collect();
    reg["grants"] = grants.into();
    let registry = dir.path().join("registry.json");
    std::fs::write(&registry, reg.to_string()).unwrap();
    let record = dir.path().join("govshare.db");
    large_record(&record, 20_000);
    let out = dir.path().join("r.json");
    let args = [
        "report",
        "--registry",
        registry.to_str().unwrap(),
        "--record",
        record.to_str().unwrap(),
        "--at",
        AT,
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ];
    let piped = govshare(&args);
    assert_eq!(piped.status.code(), Some(0), "{}", text(&piped.stderr));
    // On a pipe: the one line saying where the report went, no bars.
    assert_eq!(
        text(&piped.stderr).lines().count(),
        1,
        "{}",
        text(&piped.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["summary"]["grants"], 20_000);
    assert_eq!(v["record"]["entries"], 20_000);
    let shown = on_a_terminal(&args);
    for stage in [
        "读取登记簿 reading the registry",
        "解析登记簿 parsing the registry",
        "建立索引 indexing the grants",
        "校验使用记录 verifying the usage record",
    ] {
        assert!(shown.contains(stage), "{stage} not shown: {shown}");
    }
    let verify = on_a_terminal(&["record", "verify", record.to_str().unwrap()]);
    assert!(verify.contains("校验使用记录"), "{verify}");
    assert!(verify.contains("intact"), "{verify}");
    assert!(verify.contains("record 20000 entries"), "{verify}");
    let piped = govshare(&["record", "verify", record.to_str().unwrap()]);
    assert_eq!(text(&piped.stderr), "");
}
