//! The report as one self-contained HTML file: inline CSS, inline SVG
//! charts, no script and no link to anything outside the file, so it opens
//! on an offline government intranet and prints on A4, a section a page.

use std::fmt::Write as _;

use super::charts::{self, AMBER, BLUE, GREEN, GREY, Mark, RED, Stack, Tone};
use super::{GrantState, Report};
use crate::lifecycle::{Finding, Severity};
use crate::model::{Level, SharingClass};

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #222; --muted: #666; --rule: #ddd; --red: #c0392b; --amber: #d98c1f;
        --green: #2e8b57; --blue: #2f6fb3; --grey: #8a8f98; --paper: #fff; --tint: #f6f7f9; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0 auto; max-width: 1080px; padding: 24px 32px 48px; color: var(--ink); background: var(--paper);
       font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Helvetica Neue", Arial, sans-serif;
       line-height: 1.55; }
.en { color: var(--muted); font-weight: normal; font-size: 0.85em; margin-left: 0.4em; }
p.en, div.en { margin-left: 0; }
header.cover { border-bottom: 3px solid var(--blue); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 1.9rem; margin: 0 0 6px; }
h1 .en { display: block; margin: 2px 0 0; font-size: 1.05rem; }
h2 { font-size: 1.35rem; border-left: 5px solid var(--blue); padding-left: 10px; margin: 28px 0 12px; }
h3 { font-size: 1.08rem; margin: 20px 0 8px; }
.meta { color: var(--muted); margin: 4px 0; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 12px 0 16px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; background: var(--tint);
        break-inside: avoid; }
.card b { display: block; font-size: 1.7rem; line-height: 1.2; }
.card .zh { display: block; }
.card .en { margin: 0; display: block; }
.card.bad { border-color: var(--red); background: #fbeeee; }
.card.bad b { color: var(--red); }
.card.attention { border-color: var(--amber); background: #fdf5e8; }
.card.attention b { color: #a8620a; }
.card.good b { color: var(--green); }
.todo { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 16px; }
.todo li { margin: 4px 0; }
table { width: 100%; border-collapse: collapse; margin: 8px 0 14px; font-size: 0.92rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: var(--tint); font-weight: 600; }
th .en { display: block; margin: 0; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 0.82rem; color: #fff; white-space: nowrap; }
.tag.error { background: var(--red); }
.tag.warning { background: var(--amber); }
.tag.ok { background: var(--green); }
.tag.info { background: var(--grey); }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; word-break: break-all; }
td code { white-space: nowrap; word-break: normal; }
code.hash { word-break: break-all; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 0.88rem; margin: 0 0 6px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
.chart svg { width: 100%; height: auto; display: block; }
.muted { color: var(--muted); }
.status { border-radius: 6px; padding: 12px 16px; border: 1px solid var(--rule); }
.status.good { border-color: var(--green); background: #edf7f1; }
.status.bad { border-color: var(--red); background: #fbeeee; }
footer { margin-top: 32px; border-top: 1px solid var(--rule); padding-top: 8px; color: var(--muted); font-size: 0.85rem; }
@page { size: A4; margin: 15mm 13mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  section { break-before: page; }
  section#summary { break-before: auto; }
  h2, h3 { break-after: avoid; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Bars in one chart: the departments with the most findings or entries.
const CHART_BARS: usize = 20;
/// Rows in one list of the HTML (findings of a department, disposals,
/// expiring grants, applications); the JSON report lists them all.
const LIST_ROWS: usize = 50;

/// A caption under a chart that shows only part of its list.
fn chart_part(shown: usize, total: usize, zh: &str, en: &str) -> String {
    if total <= shown {
        return String::new();
    }
    format!(
        "<p class=\"muted\">{}</p>",
        bi(
            &format!("图中为{zh}的 {shown} 项（共 {total} 项）。"),
            &format!("The chart shows the {shown} {en} of {total}.")
        )
    )
}

/// A note that a list goes on beyond what the page shows.
fn more(shown: usize, total: usize) -> String {
    if total <= shown {
        return String::new();
    }
    format!(
        "<p class=\"muted\" data-more=\"{}\">{}</p>",
        total - shown,
        bi(
            &format!(
                "另有 {} 条未列出，完整清单见 JSON 报告（--format json）。",
                total - shown
            ),
            &format!(
                "{} more not listed here; the JSON report (--format json) lists them all.",
                total - shown
            )
        )
    )
}

fn bi(zh: &str, en: &str) -> String {
    format!("{}<span class=\"en\">{}</span>", esc(zh), esc(en))
}

fn th(zh: &str, en: &str) -> String {
    format!("<th>{}</th>", bi(zh, en))
}

fn th_num(zh: &str, en: &str) -> String {
    format!("<th class=\"num\">{}</th>", bi(zh, en))
}

fn severity_tag(s: Severity) -> String {
    match s {
        Severity::Error => "<span class=\"tag error\">错误 error</span>".into(),
        Severity::Warning => "<span class=\"tag warning\">提示 warning</span>".into(),
    }
}

fn level_zh(level: Level) -> &'static str {
    match level {
        Level::National => "国家级",
        Level::Provincial => "省级",
        Level::Municipal => "市级",
        Level::County => "县级",
        Level::Township => "乡镇级",
    }
}

fn class_bi(class: SharingClass) -> String {
    bi(class.zh(), class.as_str())
}

fn legend(items: &[(&str, &str, Tone)]) -> String {
    let mut out = String::from("<div class=\"legend\">");
    for (zh, en, tone) in items {
        let _ = write!(
            out,
            "<span><i style=\"background:{}\"></i>{}</span>",
            tone.css(),
            bi(zh, en)
        );
    }
    out.push_str("</div>");
    out
}

/// A headline figure.
struct Card {
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    value: String,
    tone: &'static str,
}

fn card(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    value: usize,
    bad: &'static str,
) -> Card {
    Card {
        key,
        zh,
        en,
        value: value.to_string(),
        tone: if value > 0 { bad } else { "good" },
    }
}

fn cards(r: &Report) -> Vec<Card> {
    let s = &r.summary;
    let mut out = vec![
        Card {
            key: "datasets",
            zh: "目录条目",
            en: "catalog entries",
            value: s.datasets.to_string(),
            tone: "",
        },
        Card {
            key: "departments",
            zh: "登记部门",
            en: "departments",
            value: s.departments.to_string(),
            tone: "",
        },
        Card {
            key: "grants",
            zh: "共享授权",
            en: "grants",
            value: s.grants.to_string(),
            tone: "",
        },
        Card {
            key: "grants-active",
            zh: "有效授权",
            en: "grants active",
            value: s.grants_active.to_string(),
            tone: "",
        },
        card("errors", "错误", "errors", s.errors, "bad"),
        card("warnings", "提示", "warnings", s.warnings, "attention"),
        card(
            "disposals-overdue",
            "逾期未处置",
            "disposals overdue",
            s.disposals_overdue,
            "bad",
        ),
        card(
            "disposals-due",
            "待处置",
            "disposals due",
            s.disposals_due,
            "attention",
        ),
        card(
            "grants-expiring",
            "30日内到期授权",
            "grants ending in 30 days",
            s.grants_expiring,
            "attention",
        ),
        card(
            "applications-pending",
            "待答复申请",
            "applications pending",
            s.applications_pending,
            "attention",
        ),
        card(
            "applications-overdue",
            "超期未答复",
            "replies overdue",
            s.applications_overdue,
            "bad",
        ),
    ];
    let c = &s.coverage;
    out.push(Card {
        key: "conditions-enforced",
        zh: "条件可由程序检查的目录",
        en: "entries whose conditions code enforces",
        value: format!("{} / {}", c.entries_enforced, c.entries),
        tone: if c.entries_enforced == c.entries {
            "good"
        } else {
            "attention"
        },
    });
    out.push(match s.record_intact {
        Some(true) => Card {
            key: "record",
            zh: "使用记录",
            en: "usage record",
            value: "完整 intact".into(),
            tone: "good",
        },
        Some(false) => Card {
            key: "record",
            zh: "使用记录",
            en: "usage record",
            value: "异常 broken".into(),
            tone: "bad",
        },
        None => Card {
            key: "record",
            zh: "使用记录",
            en: "usage record",
            value: "未提供 not given".into(),
            tone: "",
        },
    });
    out
}

fn summary(r: &Report, out: &mut String) {
    out.push_str("<section id=\"summary\">");
    let _ = write!(out, "<h2>{}</h2>", bi("一、概览", "Summary"));
    out.push_str("<div class=\"cards\">");
    for c in cards(r) {
        let _ = write!(
            out,
            "<div class=\"card {}\" data-figure=\"{}\"><b>{}</b><span class=\"zh\">{}</span><span class=\"en\">{}</span></div>",
            c.tone,
            c.key,
            esc(&c.value),
            esc(c.zh),
            esc(c.en)
        );
    }
    out.push_str("</div>");
    let s = &r.summary;
    let _ = write!(
        out,
        "<p>{}</p>",
        bi(
            &format!(
                "目录中无条件共享 {} 条、有条件共享 {} 条、不予共享 {} 条。",
                s.unconditional, s.conditional, s.not_shared
            ),
            &format!(
                "Catalog entries by sharing class: {} unconditional, {} conditional, {} not shared.",
                s.unconditional, s.conditional, s.not_shared
            ),
        )
    );
    let _ = write!(
        out,
        "<h3>{}</h3><ol class=\"todo\">",
        bi("先办事项", "Act on these first")
    );
    let mut todo = 0;
    for d in r.disposals.iter().filter(|d| d.overdue == Some(true)) {
        todo += 1;
        let due = d.due.map(|d| d.to_string()).unwrap_or_default();
        let _ = write!(
            out,
            "<li>{}</li>",
            bi(
                &format!(
                    "{} 持有的 {} 数据已于 {due} 逾期未处置（第二十七条、第四十条第四项）",
                    holder_zh(d),
                    d.dataset
                ),
                &format!(
                    "{} has held {} past its disposal date {due} (Art. 27, 40(4))",
                    holder_en(d),
                    d.dataset
                ),
            )
        );
    }
    for a in r.applications.iter().filter(|a| a.overdue == Some(true)) {
        todo += 1;
        let due = a.reply_due.map(|d| d.to_string()).unwrap_or_default();
        let _ = write!(
            out,
            "<li>{}</li>",
            bi(
                &format!(
                    "{} 对 {} 的共享申请 {} 应于 {due} 前答复（第二十一条）",
                    a.requester, a.dataset, a.id
                ),
                &format!(
                    "application {} by {} for {} was due a reply by {due} (Art. 21)",
                    a.id, a.requester, a.dataset
                ),
            )
        );
    }
    if let (Some(zh), Some(en)) = (r.calendar.zh(), r.calendar.en()) {
        todo += 1;
        let _ = write!(out, "<li data-calendar=\"ends-soon\">{}</li>", bi(&zh, &en));
    }
    let mut codes: Vec<(&str, usize, &Finding)> = Vec::new();
    for f in r.findings.iter().filter(|f| f.is_error()) {
        match codes.iter_mut().find(|(c, _, _)| *c == f.code) {
            Some(entry) => entry.1 += 1,
            None => codes.push((f.code, 1, f)),
        }
    }
    for (code, n, example) in codes.iter().take(8) {
        todo += 1;
        let _ = write!(
            out,
            "<li><code>{}</code> × {n}：{}</li>",
            esc(code),
            bi(&example.zh, &example.en)
        );
    }
    if todo == 0 {
        let _ = write!(
            out,
            "<li>{}</li>",
            bi(
                "未发现需立即处理的问题。",
                "Nothing needs acting on at once."
            )
        );
    }
    out.push_str("</ol></section>");
}

fn findings_table(findings: &[Finding], out: &mut String) {
    let _ = write!(
        out,
        "<table><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
        th("程度", "Severity"),
        th("代码", "Code"),
        th("条款", "Art."),
        th("对象", "Record"),
        th("问题", "Problem"),
    );
    for f in findings {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{} <code>{}</code></td><td>{}<div class=\"en\">{}</div></td></tr>",
            severity_tag(f.severity),
            esc(f.code),
            esc(&f.articles.join(", ")),
            esc(f.subject.kind),
            esc(&f.subject.id),
            esc(&f.zh),
            esc(&f.en)
        );
    }
    out.push_str("</tbody></table>");
}

fn departments(r: &Report, out: &mut String) {
    out.push_str("<section id=\"departments\">");
    let _ = write!(
        out,
        "<h2>{}</h2>",
        bi("二、按部门", "Findings by department")
    );
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        bi(
            "目录问题归提供部门；授权问题归批准授权的提供部门，处置问题归需求部门；受托方问题归委托部门；申请问题归申请部门。",
            "A catalog finding falls to the provider; a grant finding to the provider that approved it, a disposal finding to the requester; a contractor finding to the department that entrusted it; an application finding to the applicant."
        )
    );
    let with: Vec<_> = r
        .departments
        .iter()
        .filter(|d| d.errors + d.warnings > 0)
        .collect();
    if with.is_empty() {
        let _ = write!(out, "<p>{}</p>", bi("未发现问题。", "No findings."));
    } else {
        out.push_str(&legend(&[
            ("错误", "errors", RED),
            ("提示", "warnings", AMBER),
        ]));
        let bars: Vec<Stack> = with
            .iter()
            .take(CHART_BARS)
            .map(|d| Stack {
                label: d.name.clone().unwrap_or_else(|| d.id.to_string()),
                parts: vec![d.errors, d.warnings],
            })
            .collect();
        let _ = write!(
            out,
            "<div class=\"chart\">{}</div>",
            charts::stacked_bars(&bars, &[RED, AMBER])
        );
        out.push_str(&chart_part(
            CHART_BARS,
            with.len(),
            "问题最多",
            "with the most findings",
        ));
    }
    let _ = write!(
        out,
        "<table><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
        th("部门", "Department"),
        th("代码", "Id"),
        th("层级", "Level"),
        th_num("错误", "Errors"),
        th_num("提示", "Warnings"),
    );
    for d in &r.departments {
        let name = d
            .name
            .as_deref()
            .map(esc)
            .unwrap_or_else(|| bi("（未登记）", "(not registered)"));
        let level = d
            .level
            .map(|l| bi(level_zh(l), l.as_str()))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{name}</td><td><code>{}</code></td><td>{level}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(d.id.as_str()),
            d.errors,
            d.warnings
        );
    }
    out.push_str("</tbody></table>");
    for d in with {
        let _ = write!(
            out,
            "<h3>{} <code>{}</code></h3>",
            d.name
                .as_deref()
                .map(esc)
                .unwrap_or_else(|| bi("（未登记部门）", "(unregistered department)")),
            esc(d.id.as_str())
        );
        findings_table(d.findings.get(..LIST_ROWS).unwrap_or(&d.findings), out);
        out.push_str(&more(LIST_ROWS, d.findings.len()));
    }
    out.push_str("</section>");
}

fn articles(r: &Report, out: &mut String) {
    out.push_str("<section id=\"articles\">");
    let _ = write!(out, "<h2>{}</h2>", bi("三、按条款", "Findings by article"));
    if r.articles.is_empty() {
        let _ = write!(out, "<p>{}</p>", bi("未发现问题。", "No findings."));
    } else {
        let _ = write!(
            out,
            "<table><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
            th("条款", "Article"),
            th("条文要点", "What it says"),
            th_num("错误", "Errors"),
            th_num("提示", "Warnings"),
            th("问题代码", "Codes"),
        );
        for a in &r.articles {
            let codes: Vec<String> = a
                .codes
                .iter()
                .map(|(c, n)| format!("<code>{}</code>&nbsp;×{n}", esc(c)))
                .collect();
            let _ = write!(
                out,
                "<tr><td>第{}条<span class=\"en\">Art. {}</span></td><td>{}<div class=\"en\">{}</div></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"codes\">{}</td></tr>",
                a.article,
                a.article,
                esc(a.zh),
                esc(a.en),
                a.errors,
                a.warnings,
                codes.join("<br>")
            );
        }
        out.push_str("</tbody></table>");
    }
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        bi(
            "条文要点摘自《政务数据共享条例》（国务院令第809号），以正式文本为准。",
            "Key phrases from the Regulation (State Council Decree No. 809); the official text prevails."
        )
    );
    out.push_str("</section>");
}

fn sharing(r: &Report, out: &mut String) {
    out.push_str("<section id=\"sharing\">");
    let _ = write!(
        out,
        "<h2>{}</h2>",
        bi("四、共享属性", "Sharing classes by department")
    );
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        bi(
            "第十四条：以共享为原则，不予共享须有法律、行政法规或国务院决定依据。",
            "Art. 14: sharing is the rule; not sharing needs a law, administrative regulation or State Council decision."
        )
    );
    if r.sharing_mix.is_empty() {
        let _ = write!(out, "<p>{}</p>", bi("目录为空。", "The catalog is empty."));
        out.push_str("</section>");
        return;
    }
    out.push_str(&legend(&[
        (SharingClass::Unconditional.zh(), "unconditional", GREEN),
        (SharingClass::Conditional.zh(), "conditional", BLUE),
        (SharingClass::NotShared.zh(), "not shared", GREY),
    ]));
    let mut largest: Vec<_> = r.sharing_mix.iter().collect();
    largest.sort_by_key(|m| std::cmp::Reverse(m.unconditional + m.conditional + m.not_shared));
    let bars: Vec<Stack> = largest
        .into_iter()
        .take(CHART_BARS)
        .map(|m| Stack {
            label: m.name.clone().unwrap_or_else(|| m.department.to_string()),
            parts: vec![m.unconditional, m.conditional, m.not_shared],
        })
        .collect();
    let _ = write!(
        out,
        "<div class=\"chart\">{}</div>",
        charts::stacked_bars(&bars, &[GREEN, BLUE, GREY])
    );
    out.push_str(&chart_part(
        CHART_BARS,
        r.sharing_mix.len(),
        "目录最多",
        "with the most entries",
    ));
    let _ = write!(
        out,
        "<table><thead><tr>{}<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        th("提供部门", "Provider"),
        class_bi(SharingClass::Unconditional),
        class_bi(SharingClass::Conditional),
        class_bi(SharingClass::NotShared),
    );
    for m in &r.sharing_mix {
        let name = match &m.name {
            Some(n) => format!("{} <code>{}</code>", esc(n), esc(m.department.as_str())),
            None => format!(
                "<code>{}</code> {}",
                esc(m.department.as_str()),
                bi("（未登记）", "(not registered)")
            ),
        };
        let _ = write!(
            out,
            "<tr><td>{name}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            m.unconditional, m.conditional, m.not_shared
        );
    }
    out.push_str("</tbody></table></section>");
}

fn state_tone(s: GrantState) -> Tone {
    match s {
        GrantState::Active => GREEN,
        GrantState::NotYetValid => BLUE,
        GrantState::PeriodEnded | GrantState::PurposeEnded => AMBER,
        GrantState::Suspended | GrantState::Terminated => RED,
        GrantState::Disposed => GREY,
    }
}

fn grants(r: &Report, out: &mut String) {
    out.push_str("<section id=\"grants\">");
    let _ = write!(out, "<h2>{}</h2>", bi("五、共享授权", "Grants"));
    if r.summary.grants == 0 {
        let _ = write!(
            out,
            "<p>{}</p>",
            bi("登记簿中没有共享授权。", "The registry holds no grants.")
        );
    } else {
        let values: Vec<(String, usize, Tone)> = r
            .grants
            .by_state
            .iter()
            .map(|(s, n)| (s.zh().to_owned(), *n, state_tone(*s)))
            .collect();
        let _ = write!(
            out,
            "<div class=\"chart\">{}</div>",
            charts::columns(&values)
        );
    }
    let _ = write!(
        out,
        "<table><thead><tr>{}{}</tr></thead><tbody>",
        th("状态", "State"),
        th_num("数量", "Grants"),
    );
    for (s, n) in &r.grants.by_state {
        let _ = write!(
            out,
            "<tr data-state=\"{}\"><td>{}</td><td class=\"num\">{n}</td></tr>",
            s.as_str(),
            bi(s.zh(), s.en())
        );
    }
    out.push_str("</tbody></table>");
    let _ = write!(
        out,
        "<h3>{}</h3>",
        bi(
            &format!("{} 日内到期的授权", super::EXPIRY_HORIZON_DAYS),
            &format!("Grants ending within {} days", super::EXPIRY_HORIZON_DAYS)
        )
    );
    if r.grants.expiring.is_empty() {
        let _ = write!(out, "<p>{}</p>", bi("无。", "None."));
    } else {
        let _ = write!(
            out,
            "<table><thead><tr>{}{}{}{}{}</tr></thead><tbody>",
            th("授权", "Grant"),
            th("数据集", "Dataset"),
            th("需求部门", "Requester"),
            th("使用时限至", "Valid until"),
            th_num("剩余天数", "Days left"),
        );
        for g in r.grants.expiring.iter().take(LIST_ROWS) {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&g.grant),
                esc(&g.dataset),
                esc(&g.requester),
                esc(&crate::time::format_rfc3339(&g.valid_until)),
                g.days_left
            );
        }
        out.push_str("</tbody></table>");
        out.push_str(&more(LIST_ROWS, r.grants.expiring.len()));
    }
    out.push_str("</section>");
}

/// Who holds the data of a disposal entry, in Chinese: the requester, or a
/// contractor with the department that entrusted it.
fn holder_zh(d: &crate::lifecycle::DisposalEntry) -> String {
    match &d.contract {
        Some(_) => format!("{} 的受托方 {}", d.requester, d.holder),
        None => d.holder.clone(),
    }
}

/// Who holds the data of a disposal entry, in English.
fn holder_en(d: &crate::lifecycle::DisposalEntry) -> String {
    match &d.contract {
        Some(_) => format!("{}, contractor of {},", d.holder, d.requester),
        None => d.holder.clone(),
    }
}

fn disposals(r: &Report, out: &mut String) {
    out.push_str("<section id=\"disposals\">");
    let _ = write!(
        out,
        "<h2>{}</h2>",
        bi("六、数据处置", "Disposals due and overdue")
    );
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        bi(
            "第二十七条：共享目的已实现、无法实现或不再必要，或使用时限届满后，需求部门应按提供部门的要求处置数据；逾期未处置属第四十条第四项情形。第三十六条：受托方持有的数据一并处置，委托先于授权终止的，自委托终止起处置。",
            "Art. 27: when the purpose ends or the period of use lapses, the requester disposes of the data as the provider requires; missing the date is an Art. 40(4) violation. Art. 36: a contractor holding the data disposes of it too, from the end of its entrustment when that comes first."
        )
    );
    if r.disposals.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            bi("没有待处置的数据。", "No disposal is owed.")
        );
        out.push_str("</section>");
        return;
    }
    let marks: Vec<Mark> = r
        .disposals
        .iter()
        .take(CHART_BARS)
        .filter_map(|d| {
            Some(Mark {
                label: format!("{} · {}", d.holder, d.dataset),
                from: crate::time::china_date(&d.triggered_at),
                due: d.due?,
                overdue: d.overdue == Some(true),
            })
        })
        .collect();
    if !marks.is_empty() {
        out.push_str(&legend(&[
            ("逾期", "overdue", RED),
            ("待处置", "due", AMBER),
            ("评估日", "report date", BLUE),
        ]));
        let _ = write!(
            out,
            "<div class=\"chart\">{}</div>",
            charts::timeline(&marks, r.date)
        );
        out.push_str(&chart_part(
            CHART_BARS,
            r.disposals.len(),
            "最早",
            "earliest",
        ));
    }
    let _ = write!(
        out,
        "<table><thead><tr>{}{}{}{}{}{}{}</tr></thead><tbody>",
        th("状态", "State"),
        th("处置期限", "Due"),
        th("持有方", "Holder"),
        th("数据集", "Dataset"),
        th("提供部门", "Provider"),
        th("处置方式", "Method"),
        th("起因", "Trigger"),
    );
    for d in r.disposals.iter().take(LIST_ROWS) {
        let state = match d.overdue {
            Some(true) => "<span class=\"tag error\">逾期 overdue</span>",
            Some(false) => "<span class=\"tag warning\">待处置 due</span>",
            None => "<span class=\"tag info\">期限未知 unknown</span>",
        };
        let due = match (d.due, &d.due_error) {
            (Some(due), _) => due.to_string(),
            (None, Some(e)) => esc(e),
            (None, None) => String::new(),
        };
        let _ = write!(
            out,
            "<tr><td>{state}</td><td>{due}</td><td><code>{}</code>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{} <span class=\"en\">{}</span></td></tr>",
            esc(&d.holder),
            match &d.contract {
                Some(_) => bi(
                    &format!("（{} 的受托方）", d.requester),
                    &format!(" (contractor of {})", d.requester),
                ),
                None => String::new(),
            },
            esc(d.dataset.as_str()),
            esc(d.provider.as_ref().map_or("?", |p| p.as_str())),
            bi(d.method.zh(), d.method.as_str()),
            esc(d.trigger),
            esc(&crate::time::format_rfc3339(&d.triggered_at))
        );
    }
    out.push_str("</tbody></table>");
    out.push_str(&more(LIST_ROWS, r.disposals.len()));
    out.push_str("</section>");
}

fn applications(r: &Report, out: &mut String) {
    out.push_str("<section id=\"applications\">");
    let _ = write!(
        out,
        "<h2>{}</h2>",
        bi("七、待答复申请", "Applications awaiting a reply")
    );
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        bi(
            "第二十一条：无条件共享一个工作日内、有条件共享十个工作日内答复；材料不全的一次性告知。",
            "Art. 21: reply within 1 working day (unconditional) or 10 (conditional); list everything missing at once."
        )
    );
    if r.applications.is_empty() {
        let text = if r.sources.applications.is_some() {
            bi("没有待答复的申请。", "No application awaits a reply.")
        } else {
            bi(
                "未提供申请材料（--applications）。",
                "No applications were given (--applications).",
            )
        };
        let _ = write!(out, "<p>{text}</p></section>");
        return;
    }
    let _ = write!(
        out,
        "<table><thead><tr>{}{}{}{}{}{}{}</tr></thead><tbody>",
        th("申请", "Application"),
        th("申请部门", "Requester"),
        th("数据集", "Dataset"),
        th("收到", "Received"),
        th("答复期限", "Reply due"),
        th("状态", "State"),
        th("材料缺项", "Missing"),
    );
    for a in r.applications.iter().take(LIST_ROWS) {
        let state = match a.overdue {
            Some(true) => "<span class=\"tag error\">超期 overdue</span>",
            Some(false) => "<span class=\"tag ok\">期限内 in time</span>",
            None => "<span class=\"tag info\">期限未知 unknown</span>",
        };
        let due = match (a.reply_due, &a.due_error) {
            (Some(d), _) => d.to_string(),
            (None, Some(e)) => esc(e),
            (None, None) => String::new(),
        };
        let missing = if a.missing.is_empty() {
            bi("齐全", "complete")
        } else {
            a.missing
                .iter()
                .map(|f| format!("{}<span class=\"en\">{}</span>", esc(&f.zh), esc(&f.en)))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let class = a.class.map(class_bi).unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code> {class}</td><td>{}</td><td>{due}</td><td>{state}</td><td>{missing}</td></tr>",
            esc(&a.id),
            esc(&a.requester),
            esc(&a.dataset),
            esc(&crate::time::format_rfc3339(&a.received_at)),
        );
    }
    out.push_str("</tbody></table>");
    out.push_str(&more(LIST_ROWS, r.applications.len()));
    out.push_str("</section>");
}

fn record(r: &Report, out: &mut String) {
    out.push_str("<section id=\"record\">");
    let _ = write!(
        out,
        "<h2>{}</h2>",
        bi("八、使用记录", "The usage record (Art. 29)")
    );
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        bi(
            "第二十九条：需求部门记录使用场景、使用过程、应用成效、存储情况、销毁情况，保存不少于三年。记录以哈希链相连，任何改动都会在校验时暴露。",
            "Art. 29: the requester records scenario, process, results, storage and destruction, and keeps the record three years. Entries are hash-chained, so any alteration shows on verification."
        )
    );
    match &r.record {
        None => {
            let _ = write!(
                out,
                "<p>{}</p>",
                bi(
                    "未提供使用记录（--record），未校验。",
                    "No usage record was given (--record); nothing was verified."
                )
            );
        }
        Some(rec) => {
            let (class, verdict) = match (&rec.error, &rec.broken) {
                (Some(e), _) => (
                    "bad",
                    format!(
                        "{}<div><code>{}</code></div>",
                        bi("无法读取使用记录。", "The usage record cannot be read."),
                        esc(e)
                    ),
                ),
                (None, Some(b)) => (
                    "bad",
                    bi(
                        &format!("哈希链在{}断开：{}", place_zh(&b.place), b.problem),
                        &format!("the hash chain breaks at {}: {}", b.place, b.problem),
                    ),
                ),
                (None, None) => (
                    "good",
                    bi(
                        &format!(
                            "哈希链完整，共 {} 条使用记录、{} 条登记变更。",
                            rec.entries, rec.journal_entries
                        ),
                        &format!(
                            "the hash chain holds over {} usage records and {} registry changes.",
                            rec.entries, rec.journal_entries
                        ),
                    ),
                ),
            };
            let _ = write!(
                out,
                "<div class=\"status {class}\" data-record=\"{}\"><p>{verdict}</p><p>{}：<code>{}</code></p><p>{}：<code class=\"hash\">{}</code></p>",
                if rec.intact() { "intact" } else { "broken" },
                bi("记录", "Record"),
                esc(&rec.store),
                bi(
                    "最后一条有效记录的哈希（请定期报送提供部门或主管部门作为锚点）",
                    "head hash of the last good entry (send it to the provider or the authority now and then, as an anchor)"
                ),
                esc(&rec.head)
            );
            let sealed = match &rec.last_checkpoint {
                Some(c) => bi(
                    &format!(
                        "最近一次签名检查点：第 {} 号，{}，封存至第 {} 条使用记录；共 {} 个检查点签名有效（以记录自带公钥核验）。",
                        c.id, c.at, c.record.seq, rec.checkpoints
                    ),
                    &format!(
                        "last signed checkpoint: no. {} at {}, sealing the record through entry {}; {} checkpoint signatures verified (against the record's own key).",
                        c.id, c.at, c.record.seq, rec.checkpoints
                    ),
                ),
                None if rec.error.is_none() => bi(
                    "没有签名检查点：记录未签名，只能证明内部一致，不能证明由谁写入。",
                    "no signed checkpoint: the record is unsigned, which shows it is consistent, not who wrote it.",
                ),
                None => String::new(),
            };
            if !sealed.is_empty() {
                let _ = write!(out, "<p data-checkpoint>{sealed}</p>");
            }
            out.push_str("</div>");
        }
    }
    out.push_str("</section>");
}

/// Where a break is, in Chinese.
fn place_zh(place: &crate::error::Place) -> String {
    use crate::error::{Log, Place};
    match place {
        Place::Header => "记录头部".to_owned(),
        Place::Schema => "结构版本记录".to_owned(),
        Place::Head { log: Log::Journal } => "登记变更链的链头".to_owned(),
        Place::Head { log: Log::Record } => "使用记录链的链头".to_owned(),
        Place::Entry {
            log: Log::Journal,
            seq,
        } => format!("第 {seq} 条登记变更"),
        Place::Entry {
            log: Log::Record,
            seq,
        } => format!("第 {seq} 条使用记录"),
        Place::Checkpoint { id } => format!("第 {id} 号检查点"),
        Place::Line { line } => format!("第 {line} 行"),
    }
}

/// Renders the report.
pub(super) fn render(r: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("政务数据共享合规体检报告 {}", r.date);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"{}\">\n<title>{} · Compliance check-up</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&r.generator),
        esc(&title)
    );
    let _ = write!(
        out,
        "<header class=\"cover\"><h1>政务数据共享合规体检报告<span class=\"en\">Government data sharing compliance check-up</span></h1>"
    );
    let _ = write!(
        out,
        "<p class=\"meta\">{}：<b data-at=\"{}\">{}</b>（{}）</p>",
        bi("评估时点", "as at"),
        esc(&r.at_rfc3339()),
        esc(&r.at_rfc3339()),
        esc(&r.date.to_string())
    );
    let mut sources = format!(
        "{}：<code>{}</code>",
        bi("登记簿", "registry"),
        esc(&r.sources.registry)
    );
    if let Some(j) = &r.sources.journal {
        let _ = write!(
            sources,
            " · {}：<code>{}</code>",
            bi("变更日志", "journal"),
            esc(j)
        );
    }
    if let Some(a) = &r.sources.applications {
        let _ = write!(
            sources,
            " · {}：<code>{}</code>",
            bi("申请", "applications"),
            esc(a)
        );
    }
    if let Some(rec) = &r.record {
        let _ = write!(
            sources,
            " · {}：<code>{}</code>",
            bi("使用记录", "usage record"),
            esc(&rec.store)
        );
    }
    let years = r
        .calendar
        .years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、");
    let _ = write!(
        sources,
        " · {}：<span data-calendar-years=\"{}\">{}</span>",
        bi("工作日日历", "working-day calendar"),
        esc(&years),
        esc(if years.is_empty() { "—" } else { &years })
    );
    let _ = write!(out, "<p class=\"meta\">{sources}</p>");
    let _ = write!(
        out,
        "<p class=\"meta\">{}</p></header>",
        bi(
            "依据《政务数据共享条例》（国务院令第809号，2025年8月1日起施行）",
            "under the Government Data Sharing Regulation (State Council Decree No. 809, in force 2025-08-01)"
        )
    );
    summary(r, &mut out);
    departments(r, &mut out);
    articles(r, &mut out);
    sharing(r, &mut out);
    grants(r, &mut out);
    disposals(r, &mut out);
    applications(r, &mut out);
    record(r, &mut out);
    let _ = write!(
        out,
        "\n<footer>{} · {}</footer>\n</body>\n</html>\n",
        esc(&r.generator),
        bi(
            "本报告由登记簿数据计算生成，不联网、不含脚本。",
            "Computed from the registry; the file needs no network and holds no script."
        )
    );
    out
}

impl Report {
    /// The report as one self-contained HTML file: inline CSS and SVG
    /// charts, no script, nothing loaded from elsewhere; Chinese first,
    /// English beside it; a section a page when printed on A4.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{Calendar, Registry};
    /// use govshare::report::{Report, ReportInputs};
    ///
    /// let registry = Registry::from_path("examples/data/registry.json")?;
    /// let at = govshare::time::parse_rfc3339("2026-08-20T09:00:00+08:00")?;
    /// let html = Report::build(&registry, &Calendar::embedded()?, at, ReportInputs::default()).to_html();
    /// assert!(html.starts_with("<!DOCTYPE html>"));
    /// assert!(html.contains("<svg"));
    /// assert!(!html.contains("<script"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_html(&self) -> String {
        render(self)
    }
}
