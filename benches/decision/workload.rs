//! The generated registries and request streams every side decides.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, FixedOffset};
use govshare::lifecycle::{Change, Transition};
use govshare::{DepartmentId, GrantId, Registry, UsageRequest};
use serde_json::json;

pub const STREAM: usize = 10_000;
pub const ZIPF_CALLS: usize = 1_000_000;
pub const ZIPF_S: f64 = 1.1;
const DATASETS: usize = 60;
const ITEMS: usize = 12;
pub const PURPOSES: [&str; 6] = [
    "social-insurance.enrollment-check",
    "tax.registration-check",
    "housing.subsidy-eligibility",
    "civil-affairs.minimum-living-allowance",
    "market.supervision.inspection",
    "health.school-entry-check",
];

pub fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
    x ^ (x >> 33)
}

/// How many requesting departments a registry of `grants` grants has: it
/// grows with the registry, as a province's departments do, so that a
/// department holds about two grants per dataset whatever the size.
pub fn requesters(grants: usize) -> usize {
    (grants / 100).max(300)
}

/// A registry of `grants` grants over `requesters(grants)` requesting
/// departments, 60 providers and 60 datasets, as wire-format JSON. Grant `i`
/// belongs to requester `d{i % requesters}`. Beside the statuses, purpose
/// ends, disposals and consents of the first round, grants carry histories
/// (a suspension and reinstatement, a termination, a renewal, an
/// amendment, a late approval), consents given mid-year, and periods that
/// end in June; one entry is withdrawn on 1 July. One requester in four
/// has a contractor, whose contract may end in April or whose entrustment
/// may be recorded in February or ended in June. A stream whose `at` runs
/// through 2026 crosses all of them.
pub fn registry_json(grants: usize) -> String {
    let r = requesters(grants);
    let mut s = String::with_capacity(grants * 700 + 100_000);
    s.push_str("{\"departments\":[");
    for d in 0..r {
        // One department in ten is another city's (Ningbo, 330200): outside
        // the entries scoped to this city.
        let region = if d % 10 == 9 { "330200" } else { "330100" };
        let _ = write!(
            s,
            r#"{{"id":"d{d}","name":"某市第{d}部门","level":"municipal","region":"{region}"}},"#
        );
    }
    s.push_str(
        r#"{"id":"auth","name":"某市数据资源管理局","level":"municipal","region":"330100","authority":true},"#,
    );
    for p in 0..DATASETS {
        if p > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"id":"p{p}","name":"某市第{p}数据提供部门","level":"municipal","region":"330100"}}"#
        );
    }
    // The purpose vocabulary: every purpose of the grants, its ancestors and
    // the sub-purposes the stream states (`….case-N`).
    s.push_str("],\"purposes\":[");
    let mut codes: Vec<String> = Vec::new();
    for p in PURPOSES {
        let mut prefix = String::new();
        for part in p.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            if !codes.contains(&prefix) {
                codes.push(prefix.clone());
            }
        }
        codes.extend((0..97).map(|n| format!("{p}.case-{n}")));
    }
    let purposes: Vec<String> = codes
        .iter()
        .map(|c| format!(r#"{{"code":"{c}","name":"目的{c}"}}"#))
        .collect();
    s.push_str(&purposes.join(","));
    s.push_str("],\"datasets\":[");
    for k in 0..DATASETS {
        if k > 0 {
            s.push(',');
        }
        let items: Vec<String> = (0..ITEMS)
            .map(|i| format!(r#"{{"name":"it{i}","grade":"general"}}"#))
            .collect();
        let (status, sharing) = match k {
            57 => (
                "published",
                r#"{"class":"not_shared","reason":"依法保密","basis":{"kind":"law","citation":"《某法》第八条"}}"#,
            ),
            58 => (
                "draft",
                r#"{"class":"conditional","scope":"本市","uses":["审批"]}"#,
            ),
            59 => (
                "withdrawn",
                r#"{"class":"conditional","scope":"本市","uses":["审批"]}"#,
            ),
            // Withdrawn on 1 July 2026, with its record.
            54 => ("withdrawn", r#"{"class":"unconditional"}"#),
            k if k % 5 == 0 => ("published", r#"{"class":"unconditional"}"#),
            k if k % 5 == 1 => (
                "published",
                r#"{"class":"conditional","scope":"本市政府部门","uses":["社会保险经办","税收征管","住房保障","社会救助","市场监管"],"conditions":{"regions":["330100"],"levels":["municipal","county"],"purposes":["social-insurance","tax","housing","civil-affairs","market"]}}"#,
            ),
            _ => (
                "published",
                r#"{"class":"conditional","scope":"本市政府部门","uses":["行政审批","监管执法"]}"#,
            ),
        };
        // ds56's provider was struck from the register; ds55 is a work secret.
        let provider = if k == 56 {
            "p-retired".to_owned()
        } else {
            format!("p{k}")
        };
        let mut extra = String::new();
        if k == 55 {
            extra.push_str(r#","secret":"work_secret""#);
        }
        if k == 54 {
            extra.push_str(r#","withdrawn":{"at":"2026-07-01T00:00:00+08:00","filed_with":"auth","reason":"职责调整"}"#);
        }
        let _ = write!(
            s,
            r#"{{"id":"ds{k}","name":"数据集{k}","provider":"{provider}","status":"{status}","items":[{}],"sharing":{sharing},"methods":["service_interface","bulk_exchange","file_download"],"format":"database","update_frequency":"daily"{extra}}}"#,
            items.join(",")
        );
    }
    s.push_str("],\"grants\":[");
    for i in 0..grants {
        if i > 0 {
            s.push(',');
        }
        let h = mix(i as u64);
        let dataset = (i / r * 7 + i % 13) % DATASETS;
        let provider = format!("p{dataset}");
        let first = (h % 6) as usize;
        let items: Vec<String> = (first..first + 4 + (h >> 8) as usize % 3)
            .map(|x| format!("\"it{x}\""))
            .collect();
        let mut status = match h % 50 {
            0 => "suspended",
            1 => "terminated",
            _ => "active",
        };
        let until = if h % 9 == 4 {
            "2026-06-01T00:00:00+08:00"
        } else {
            "2026-09-01T00:00:00+08:00"
        };
        let mut extra = String::new();
        if h.is_multiple_of(23) {
            extra.push_str(
                r#","ended":{"trigger":"purpose_achieved","at":"2026-03-01T00:00:00+08:00"}"#,
            );
        } else if h % 29 == 3 {
            extra.push_str(
                r#","ended":{"trigger":"no_longer_necessary","at":"2026-07-15T00:00:00+08:00"}"#,
            );
        }
        if h.is_multiple_of(41) {
            extra.push_str(r#","disposed":{"method":"delete","at":"2026-04-01T00:00:00+08:00","attested_by":"安全员"}"#);
        }
        if h.is_multiple_of(7) {
            extra.push_str(r#","consents":[{"kind":"recipient","value":"d7","at":"2025-10-01T00:00:00+08:00"},{"kind":"item","value":"it11","at":"2025-10-01T00:00:00+08:00"}]"#);
        } else if h % 7 == 3 {
            extra.push_str(&format!(
                r#","consents":[{{"kind":"item","value":"it10","at":"2026-05-01T00:00:00+08:00"}},{{"kind":"purpose","value":"{}","at":"2026-05-01T00:00:00+08:00"}}]"#,
                PURPOSES[(h >> 20) as usize % PURPOSES.len()]
            ));
        }
        // Histories, only on active grants (a history decides the status).
        if status == "active" {
            let event = |at: &str, change: &str| {
                format!(r#"{{"at":"{at}","by":"{provider}","actor":"科长","change":{change}}}"#)
            };
            let history = match h % 31 {
                5 => Some(vec![
                    event(
                        "2026-02-01T09:00:00+08:00",
                        r#"{"kind":"suspended","violation":"scope_expansion","correct_by":"2026-02-15T18:00:00+08:00"}"#,
                    ),
                    event("2026-03-01T09:00:00+08:00", r#"{"kind":"reinstated"}"#),
                ]),
                6 => {
                    status = "terminated";
                    Some(vec![event(
                        "2026-05-01T00:00:00+08:00",
                        r#"{"kind":"terminated"}"#,
                    )])
                }
                7 => Some(vec![event(
                    "2026-05-20T00:00:00+08:00",
                    r#"{"kind":"renewed","valid_until":"2027-03-01T00:00:00+08:00"}"#,
                )]),
                8 => Some(vec![event(
                    "2026-04-01T00:00:00+08:00",
                    &format!(
                        r#"{{"kind":"amended","items":["it{first}"],"methods":["service_interface","file_download"]}}"#
                    ),
                )]),
                9 => Some(vec![event(
                    "2026-01-20T10:00:00+08:00",
                    r#"{"kind":"approved"}"#,
                )]),
                _ => None,
            };
            if let Some(events) = history {
                let _ = write!(extra, r#","history":[{}]"#, events.join(","));
            }
        }
        let _ = write!(
            s,
            r#"{{"id":"g{i:08}","dataset":"ds{dataset}","requester":"d{}","purpose":"{}","basis":"《某法》第{}条","scenario":"业务办理核验","items":[{}],"methods":["service_interface"{}],"valid_from":"2025-09-01T00:00:00+08:00","valid_until":"{until}","disposal":{{"method":"delete","within_working_days":10}},"status":"{status}"{extra}}}"#,
            i % r,
            PURPOSES[(h >> 16) as usize % PURPOSES.len()],
            h % 90 + 1,
            items.join(","),
            if h.is_multiple_of(3) {
                r#","bulk_exchange""#
            } else {
                ""
            },
        );
    }
    s.push_str("],\"contractors\":[");
    // One requester in four entrusts a contractor (受托方, Art. 36) with a
    // third of the catalog: some to process, some only to store or run the
    // systems; some contracts end in April, some entrustments are
    // recorded late or ended in June, and a few lack the security
    // agreement.
    let contractors: Vec<String> = (0..r)
        .step_by(4)
        .map(|d| {
            let datasets: Vec<String> = (0..20)
                .map(|j| format!("\"ds{}\"", (d * 7 + j * 3) % DATASETS))
                .collect();
            let activities = match d % 3 {
                0 => r#""storage","processing""#,
                1 => r#""operation""#,
                _ => r#""storage""#,
            };
            let until = if d % 8 == 4 {
                "2026-04-01T00:00:00+08:00"
            } else {
                "2027-01-01T00:00:00+08:00"
            };
            let agreement = d % 16 != 12;
            let mut events = Vec::new();
            if d % 12 == 8 {
                events.push(format!(
                    r#"{{"at":"2026-02-10T09:00:00+08:00","by":"d{d}","change":{{"kind":"entrusted"}}}}"#
                ));
            }
            if d % 20 == 0 {
                events.push(format!(
                    r#"{{"at":"2026-06-15T00:00:00+08:00","by":"d{d}","change":{{"kind":"ended"}}}}"#
                ));
            }
            let history = if events.is_empty() {
                String::new()
            } else {
                format!(r#","history":[{}]"#, events.join(","))
            };
            format!(
                r#"{{"id":"c{d}","name":"某某信息技术有限公司{d}","uscc":"91330106MA2H0CLD14","department":"d{d}","contract":{{"id":"HT-{d}","valid_from":"2025-09-01T00:00:00+08:00","valid_until":"{until}","security_agreement":{agreement}}},"datasets":[{}],"activities":[{activities}]{history}}}"#,
                datasets.join(",")
            )
        })
        .collect();
    s.push_str(&contractors.join(","));
    s.push_str("]}");
    s
}

/// 10,000 distinct requests against `registry`: each shaped after one grant
/// and then, for most, changed so that one rule or another denies it.
pub fn stream(registry: &Registry) -> Vec<String> {
    let grants = registry.grants();
    let r_count = requesters(grants.len());
    (0..STREAM)
        .map(|r| {
            let h = mix(r as u64 ^ 0x9e37_79b9);
            let g = &grants[(h % grants.len() as u64) as usize];
            let mut requester = g.requester.to_string();
            let mut dataset = g.dataset.to_string();
            let mut purpose = format!("{}.case-{}", g.purpose, r % 97);
            let mut items: Vec<String> = g
                .items
                .iter()
                .take(1 + r % 3)
                .map(ToString::to_string)
                .collect();
            let mut action = ["access", "use", "access", "use"][r % 4];
            let mut method = "service_interface";
            let mut recipient = None;
            let mut grant = Some(g.id.to_string());
            let mut processor = None;
            let minute = r % 1440;
            let mut at = format!(
                "2026-01-{:02}T{:02}:{:02}:00+08:00",
                5 + r % 20,
                minute / 60,
                minute % 60
            );
            match r % 20 {
                0 => items.push("it11".into()),
                1 => purpose = format!("recruitment.screening.{r}"),
                2 => method = "file_download",
                3 => at = format!("2026-09-{:02}T10:00:00+08:00", 1 + r % 28),
                4 => at = format!("2025-08-{:02}T10:00:00+08:00", 1 + r % 28),
                5 => {
                    action = "transfer";
                    recipient = Some(format!("company-{r}"));
                }
                6 => {
                    action = "transfer";
                    recipient = Some("d7".into());
                }
                7 => requester = format!("unregistered-{r}"),
                8 => {
                    requester = format!(
                        "d{}",
                        (g.requester.as_str()[1..].parse::<usize>().unwrap() + 1) % r_count
                    )
                }
                9 => dataset = "ds58".into(),
                10 => grant = Some(format!("no-such-grant-{r}")),
                11 => grant = None,
                12 => at = format!("2026-05-{:02}T10:00:00+08:00", 1 + r % 28),
                13 => items.push("it10".into()),
                14 => at = format!("2026-07-{:02}T10:00:00+08:00", 1 + r % 28),
                // Through a contractor: the requester's own (one in four
                // requesters has one) or another's, or no contractor.
                15 | 16 => {
                    let d: usize = g.requester.as_str()[1..].parse().unwrap();
                    processor = Some(if r % 40 == 15 {
                        format!("c-unknown-{r}")
                    } else {
                        format!("c{}", d - d % 4)
                    });
                    if r % 20 == 16 {
                        at = format!("2026-{:02}-{:02}T10:00:00+08:00", 2 + r % 6, 1 + r % 28);
                    }
                }
                _ => {}
            }
            let mut v = json!({"requester": requester, "dataset": dataset, "action": action,
                "purpose": purpose, "items": items, "at": at});
            if let Some(gid) = grant {
                v["grant"] = json!(gid);
            }
            if let Some(p) = processor {
                v["processor"] = json!(p);
            }
            match action {
                "access" => v["method"] = json!(method),
                "transfer" => v["recipient"] = json!(recipient.unwrap_or_default()),
                _ => {}
            }
            v.to_string()
        })
        .collect()
}

/// The Zipf stream: for each of `ZIPF_CALLS` calls, the rank of the request
/// shape it repeats (0 the most frequent), drawn from a Zipf law over
/// `shapes` shapes with exponent `ZIPF_S`.
pub fn zipf_ranks(shapes: usize) -> Vec<u32> {
    let weights: Vec<f64> = (1..=shapes).map(|k| (k as f64).powf(-ZIPF_S)).collect();
    let total: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(shapes);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cdf.push(acc);
    }
    (0..ZIPF_CALLS)
        .map(|i| {
            let u = (mix(i as u64 ^ 0x5eed) >> 11) as f64 / (1u64 << 53) as f64;
            cdf.partition_point(|&c| c < u).min(shapes - 1) as u32
        })
        .collect()
}

pub fn zipf_start() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-01-05T00:00:00+08:00").unwrap()
}

/// The time of call `i`: from 5 January to 1 October 2026 across the
/// stream, in whole seconds, so that the June and September ends of
/// periods, the March and July purpose ends, the May consents and
/// renewals and the July withdrawal are all crossed mid-stream.
pub fn zipf_at(i: usize) -> DateTime<FixedOffset> {
    let span = (DateTime::parse_from_rfc3339("2026-10-01T00:00:00+08:00").unwrap() - zipf_start())
        .num_seconds();
    zipf_start() + Duration::seconds(span * i as i64 / ZIPF_CALLS as i64)
}

/// A change applied to every side at a fixed call of the Zipf stream.
pub struct MidStream {
    pub call: usize,
    pub transition: Transition,
}

/// A suspension and, later, the reinstatement of the grant of the most
/// frequent shape that names a plain active grant, and a consent to the
/// grant of the next such shape: the hot entries of a cache must follow.
pub fn transitions(registry: &Registry, shapes: &[UsageRequest]) -> Vec<MidStream> {
    let plain: Vec<GrantId> = shapes
        .iter()
        .filter_map(|s| s.grant.as_ref())
        .filter_map(|id| registry.get_grant(id))
        .filter(|g| {
            g.history.is_empty()
                && g.consents.is_empty()
                && g.status == govshare::GrantStatus::Active
                && g.ended.is_none()
                && g.disposed.is_none()
        })
        .map(|g| g.id.clone())
        .take(2)
        .collect();
    let provider = |id: &GrantId| -> DepartmentId {
        let g = registry.get_grant(id).unwrap();
        registry.get_dataset(&g.dataset).unwrap().provider.clone()
    };
    let (first, second) = (plain[0].clone(), plain[1].clone());
    let at = |call: usize| zipf_at(call);
    vec![
        MidStream {
            call: ZIPF_CALLS / 4,
            transition: Transition::new(
                at(ZIPF_CALLS / 4),
                provider(&first),
                "科长",
                "超范围使用",
                Change::Suspended {
                    grant: first.clone(),
                    violation: govshare::Violation::ScopeExpansion,
                    correct_by: at(ZIPF_CALLS / 4) + Duration::days(14),
                },
            ),
        },
        MidStream {
            call: ZIPF_CALLS / 2,
            transition: Transition::new(
                at(ZIPF_CALLS / 2),
                provider(&second),
                "科长",
                "同意增加数据项",
                Change::ConsentAdded {
                    grant: second,
                    consent: serde_json::from_value(json!({"kind": "item", "value": "it11",
                        "at": govshare::time::format_rfc3339(&at(ZIPF_CALLS / 2))}))
                    .unwrap(),
                },
            ),
        },
        MidStream {
            call: ZIPF_CALLS * 3 / 4,
            transition: Transition::new(
                at(ZIPF_CALLS * 3 / 4),
                provider(&first),
                "科长",
                "已改正",
                Change::Reinstated { grant: first },
            ),
        },
    ]
}

/// A registry where one requester holds `n` grants on one dataset, each
/// for its own purpose, and a request that none of them allows (its
/// purpose is granted by none), so that every grant is judged.
pub fn many_on_one_pair(n: usize) -> (Registry, UsageRequest) {
    let grants: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            json!({"id": format!("g{i:07}"), "dataset": "ds", "requester": "dm",
                "purpose": format!("case.p{i}"), "basis": "b", "scenario": "s",
                "items": ["it0", "it1"], "methods": ["service_interface"],
                "valid_from": "2025-09-01T00:00:00+08:00", "valid_until": "2026-09-01T00:00:00+08:00",
                "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"})
        })
        .collect();
    let doc = json!({
        "departments": [{"id": "dm", "name": "甲", "level": "municipal"},
                        {"id": "pv", "name": "乙", "level": "municipal"}],
        "datasets": [{"id": "ds", "name": "数据", "provider": "pv", "status": "published",
            "items": [{"name": "it0", "grade": "general"}, {"name": "it1", "grade": "general"}],
            "sharing": {"class": "unconditional"}, "methods": ["service_interface"],
            "format": "database", "update_frequency": "daily"}],
        "grants": grants});
    let registry = Registry::from_json_str(&doc.to_string()).unwrap();
    let request = UsageRequest::from_json(
        r#"{"requester": "dm", "dataset": "ds", "action": "use", "purpose": "other.p",
            "items": ["it0"], "at": "2026-03-02T10:00:00+08:00"}"#,
    )
    .unwrap();
    (registry, request)
}
