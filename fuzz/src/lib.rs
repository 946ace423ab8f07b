//! The checks behind each fuzz target, as plain functions so the seed
//! corpus replays as an ordinary test on stable (`cargo test` in this
//! folder) and the same code runs under libFuzzer on nightly
//! (`cargo fuzz run <target>`).
//!
//! Each check asserts more than "no crash": parsed input round-trips
//! through its printed form, and input that fails to parse never yields a
//! decision, let alone an allow. The `ffi_evaluate` target drives the
//! exported C functions exactly as a C host would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, unsafe_code)]

use std::sync::OnceLock;

use govshare::{Engine, Registry, UsageRequest};

const DEMO: &str = include_str!("../../examples/data/registry.json");

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::builder()
            .build()
            .expect("the statutory policies load")
    })
}

fn demo() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::from_json_str(DEMO).expect("the demo registry loads"))
}

/// A request in bytes: parse → print → parse gives the same request; a
/// decision (made only for a parsed request) round-trips and is an allow
/// only with `GS-PERMIT` alone and the record-use duty.
pub fn request_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match engine().evaluate_json(text, demo()) {
        Err(_) => assert!(
            UsageRequest::from_json(text).is_err(),
            "evaluate_json refused what from_json accepts"
        ),
        Ok(decision) => {
            let request = UsageRequest::from_json(text).expect("a decided request parses");
            let again =
                UsageRequest::from_json(&request.to_json()).expect("a printed request parses");
            assert_eq!(again, request, "request round trip");
            let back = serde_json::from_str::<govshare::Decision>(&decision.to_json())
                .expect("a printed decision parses");
            assert_eq!(back, decision, "decision round trip");
            if decision.is_allow() {
                assert_eq!(decision.rule_ids(), ["GS-PERMIT"]);
                assert!(
                    decision
                        .obligations()
                        .iter()
                        .any(|o| o.obligation == "GS-OBL-RECORD-USE")
                );
            } else {
                assert!(!decision.reasons().is_empty());
            }
        }
    }
}

/// A registry in bytes: parse → print → parse → print is stable, and
/// validation, the coverage report and a decision against it complete.
pub fn registry_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(registry) = Registry::from_json_str(text) else {
        return;
    };
    let printed = registry.to_json();
    let again = Registry::from_json_str(&printed).expect("a printed registry parses");
    assert_eq!(again.to_json(), printed, "registry round trip");
    let _ = govshare::lifecycle::validate(&registry);
    let coverage = govshare::lifecycle::coverage(&registry);
    let s = coverage.summary;
    assert!(s.entries_enforced <= s.entries && s.grants_enforced <= s.grants);
    assert!(s.conditional_entries_enforced <= s.conditional_entries);
    assert_eq!(s.grants, registry.grants().len());
    let request =
        UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))
            .unwrap();
    let decision = engine().evaluate(&request, &registry);
    if decision.is_allow() {
        let grant = registry
            .get_grant(decision.grant().expect("an allow names its grant"))
            .expect("the grant exists");
        assert_eq!(grant.requester, request.requester);
        assert_eq!(grant.status, govshare::GrantStatus::Active);
    }
}

/// Policy text as a local policy file: a load either fails, or yields an
/// engine whose extra rules only forbid, so every request the statutory
/// engine denies stays denied.
pub fn policy_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(local) = Engine::builder().local_policies("fuzz.cedar", text).build() else {
        return;
    };
    for rule in local
        .rules()
        .iter()
        .filter(|r| r.origin == govshare::RuleOrigin::Local)
    {
        assert_eq!(
            rule.effect,
            govshare::RuleEffect::Forbid,
            "a local permit was loaded"
        );
        assert!(!rule.id.as_str().starts_with("GS-"));
    }
    for request in [
        include_str!("../../examples/data/requests/01-allow.json"),
        include_str!("../../examples/data/requests/02-scope-expansion.json"),
        include_str!("../../examples/data/requests/03-purpose-change.json"),
        include_str!("../../examples/data/requests/04-period-ended.json"),
        include_str!("../../examples/data/requests/05-third-party.json"),
    ] {
        let request = UsageRequest::from_json(request).unwrap();
        let base = engine().evaluate(&request, demo());
        let with_local = local.evaluate(&request, demo());
        if with_local.is_allow() {
            assert!(
                base.is_allow(),
                "a local policy turned a deny into an allow"
            );
        }
    }
}

/// The C ABI as a C host sees it: the exported symbols, declared here as a
/// C program would from `include/govshare.h`.
mod c_abi {
    use std::ffi::c_char;

    #[repr(C)]
    pub struct Engine {
        _opaque: [u8; 0],
    }

    unsafe extern "C" {
        pub fn govshare_engine_new(
            policies_dir: *const c_char,
            registry_json: *const u8,
            registry_len: usize,
            engine_out: *mut *mut Engine,
            error_out: *mut *mut c_char,
        ) -> u32;
        pub fn govshare_engine_evaluate(
            engine: *const Engine,
            request_json: *const u8,
            request_len: usize,
            decision_out: *mut *mut c_char,
            error_out: *mut *mut c_char,
        ) -> u32;
        pub fn govshare_string_free(string: *mut c_char);
    }
}

/// The engine handle, built once and shared (it is immutable and
/// thread-safe by contract); kept as an address so it can live in a static.
fn c_engine() -> *const c_abi::Engine {
    static HANDLE: OnceLock<usize> = OnceLock::new();
    *HANDLE.get_or_init(|| {
        let mut engine: *mut c_abi::Engine = std::ptr::null_mut();
        // SAFETY: the registry pointer and length describe a live buffer;
        // engine_out points to a local; error_out may be NULL.
        let status = unsafe {
            c_abi::govshare_engine_new(
                std::ptr::null(),
                DEMO.as_ptr(),
                DEMO.len(),
                &mut engine,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(status, 0, "the demo engine builds through the C ABI");
        engine as usize
    }) as *const c_abi::Engine
}

/// Arbitrary bytes through `govshare_engine_evaluate`: OK exactly when the
/// bytes are a valid request, and then the decision parses and matches the
/// Rust API's; on any other status the decision output is untouched and the
/// error JSON carries that status. A non-OK status is a deny for the host,
/// so a bad input can never come out as an allow.
pub fn ffi_evaluate(data: &[u8]) {
    let sentinel = 0x1 as *mut std::ffi::c_char;
    let mut decision = sentinel;
    let mut error: *mut std::ffi::c_char = std::ptr::null_mut();
    // SAFETY: the engine handle is live for the process; the input pointer
    // and length describe `data`; both outputs point to locals.
    let status = unsafe {
        c_abi::govshare_engine_evaluate(
            c_engine(),
            data.as_ptr(),
            data.len(),
            &mut decision,
            &mut error,
        )
    };
    let valid = std::str::from_utf8(data)
        .ok()
        .and_then(|t| UsageRequest::from_json(t).ok());
    if status == 0 {
        assert!(error.is_null(), "error_out written on OK");
        assert_ne!(decision, sentinel, "decision_out not written on OK");
        // SAFETY: on OK the library wrote a NUL-terminated string it owns.
        let text = unsafe { std::ffi::CStr::from_ptr(decision) }
            .to_str()
            .unwrap()
            .to_owned();
        // SAFETY: the string came from this library and is freed once.
        unsafe { c_abi::govshare_string_free(decision) };
        let request = valid.expect("OK for bytes that are not a valid request");
        let ours =
            serde_json::from_str::<govshare::Decision>(&text).expect("the decision JSON parses");
        let rust = engine().evaluate(&request, demo());
        assert_eq!(
            (ours.outcome(), ours.rule_ids()),
            (rust.outcome(), rust.rule_ids())
        );
    } else {
        assert!(
            valid.is_none() || data.len() > govshare::limits::MAX_REQUEST_BYTES,
            "a valid request was refused with status {status}"
        );
        assert_eq!(
            decision, sentinel,
            "decision_out written on status {status}"
        );
        assert!(!error.is_null(), "no error JSON on status {status}");
        // SAFETY: on failure the library wrote an error string it owns.
        let text = unsafe { std::ffi::CStr::from_ptr(error) }
            .to_str()
            .unwrap()
            .to_owned();
        // SAFETY: the string came from this library and is freed once.
        unsafe { c_abi::govshare_string_free(error) };
        let v: serde_json::Value = serde_json::from_str(&text).expect("the error is JSON");
        assert_eq!(v["code"], status, "{text}");
    }
}

/// One level of a nested condition: text before and after the inner
/// condition, each keeping it a Bool that is true.
const WRAPPERS: [(&str, &str); 10] = [
    ("(", ")"),
    ("[", "].contains(true)"),
    ("{a: ", "}.a"),
    // Cedar's grammar takes `if` as an operand only in parentheses.
    ("(if ", " then true else false)"),
    ("!(!(", "))"),
    ("[true].contains(", ")"),
    ("true && ", ""),
    ("false || ", ""),
    ("(context.at > 0) && ", ""),
    ("(if false then false else ", ")"),
];

/// Policy nesting: each byte picks a wrapper around a true condition, so
/// the bytes describe a local forbid on `access` nested as deep as they
/// are long (up to several times the limit). Loading either refuses it by
/// its depth — never a crash, never another error — or builds an engine
/// in which, on a thread with a 64 KiB stack, the forbid fires on the
/// request the statutory policies allow, with no evaluation error.
pub fn policy_nesting(data: &[u8]) {
    let data = &data[..data.len().min(400)];
    let mut open = String::new();
    let mut close = Vec::new();
    for b in data {
        let (before, after) = WRAPPERS[usize::from(*b) % WRAPPERS.len()];
        open.push_str(before);
        close.push(after);
    }
    let condition = format!(
        "{open}true{}",
        close.iter().rev().copied().collect::<String>()
    );
    let text = format!(
        "@id(\"ZJ-FUZZ\") @articles(\"25\") @zh(\"模糊测试\") @en(\"fuzz\")\n\
         forbid (principal, action == Govshare::Action::\"access\", resource)\n\
         when {{ {condition} }};\n"
    );
    let engine = match Engine::builder().local_policies("fuzz.cedar", text).build() {
        Ok(engine) => engine,
        Err(govshare::LoadError::TooDeep { max, depth, .. }) => {
            assert!(depth > max);
            assert_eq!(max, govshare::limits::MAX_POLICY_NESTING);
            return;
        }
        Err(other) => panic!("refused for another reason than its depth: {other}"),
    };
    let rules = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || {
            let request =
                UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))
                    .unwrap();
            engine
                .evaluate(&request, demo())
                .rule_ids()
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(rules, ["ZJ-FUZZ"], "the deep forbid did not decide alone");
}

/// Instants: two lines of text. Each the library accepts is strict RFC
/// 3339 — seconds 00–59, an ASCII offset sign, a year in the accepted
/// range — is the instant chrono's own RFC 3339 parser reads, and prints
/// and parses back to itself; for two accepted instants, the order as
/// parsed is the order of their epoch nanoseconds, and microseconds (as
/// the policies compare them) never contradict it.
pub fn instants(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(2, '\n');
    let parsed: Vec<_> = [lines.next(), lines.next()]
        .into_iter()
        .flatten()
        .filter_map(|line| govshare::time::parse_rfc3339(line).ok().map(|t| (line, t)))
        .collect();
    for (line, t) in &parsed {
        let b = line.as_bytes();
        assert!(line.is_ascii(), "{line:?}");
        assert!(matches!(b.get(10), Some(b'T' | b't')), "{line:?}");
        let second = std::str::from_utf8(&b[17..19])
            .unwrap()
            .parse::<u32>()
            .unwrap();
        assert!(second <= 59, "a leap second was accepted: {line:?}");
        let year = std::str::from_utf8(&b[..4])
            .unwrap()
            .parse::<i32>()
            .unwrap();
        assert!((govshare::limits::MIN_YEAR..=govshare::limits::MAX_YEAR).contains(&year));
        let chrono_reads = chrono::DateTime::parse_from_rfc3339(line)
            .unwrap_or_else(|e| panic!("{line:?} accepted, but not RFC 3339 to chrono: {e}"));
        assert_eq!(chrono_reads, *t, "{line:?}");
        assert_eq!(chrono_reads.offset(), t.offset(), "{line:?}");
        let printed = govshare::time::format_rfc3339(t);
        assert_eq!(
            govshare::time::parse_rfc3339(&printed).unwrap(),
            *t,
            "{printed}"
        );
    }
    if let [(_, a), (_, b)] = parsed.as_slice() {
        let exact =
            |t: &chrono::DateTime<chrono::FixedOffset>| (t.timestamp(), t.timestamp_subsec_nanos());
        assert_eq!(a.cmp(b), exact(a).cmp(&exact(b)));
        if a <= b {
            assert!(a.timestamp_micros() <= b.timestamp_micros());
        }
        if a.timestamp_micros() < b.timestamp_micros() {
            assert!(a < b);
        }
    }
}

/// Full-width punctuation and digits as their half-width forms, as some
/// copies of a notice write them.
fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '。' => '.',
            '；' => ';',
            '０'..='９' => char::from_digit(u32::from(c) - u32::from('０'), 10).unwrap(),
            _ => c,
        })
        .collect()
}

/// A holiday notice's text: the year is the title's when it has one
/// (`国务院办公厅关于2026年…`), else 2026. A notice that reads gives a year
/// file that is valid, holds only days of its year, names only known
/// festivals, prints and parses back to itself and loads into a calendar;
/// every make-up workday is a weekend day outside every holiday. The same
/// text with half-width punctuation reads the same, or fails the same
/// way; a refusal naming a line names one the text has.
pub fn notice_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let year = text
        .split_once("关于")
        .and_then(|(_, rest)| rest.get(..4))
        .and_then(|y| y.parse::<i32>().ok())
        .unwrap_or(2026);
    let parsed = govshare::Notice::parse(text, year, "fuzz.txt");
    let half = govshare::Notice::parse(&half_width(text), year, "fuzz.txt");
    match (&parsed, &half) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "half-width punctuation reads otherwise"),
        (Err(_), Err(_)) => {}
        _ => panic!("half-width punctuation changed the outcome: {parsed:?} / {half:?}"),
    }
    let notice = match parsed {
        Ok(notice) => notice,
        Err(govshare::CalendarError::NoticeLine { line, .. }) => {
            assert!(line >= 1 && line <= text.lines().count(), "line {line}");
            return;
        }
        Err(_) => return,
    };
    let file = &notice.year_file;
    assert_eq!(file.year, year);
    assert!(file.source.starts_with(&notice.title));
    let json = file.to_json();
    let again = govshare::YearFile::from_json(&json, "fuzz.json").expect("a written file reads");
    assert_eq!(&again, file, "year file round trip");
    assert_eq!(again.to_json(), json);
    let mut calendar = govshare::Calendar::new();
    calendar
        .add_year_json(&json, "fuzz.json")
        .expect("a written file loads");
    use chrono::Datelike as _;
    for h in &file.holidays {
        assert!(h.from <= h.to && h.from.year() == year && h.to.year() == year);
        assert!(h.en.is_some(), "a festival without its English name");
        for day in h.from.iter_days().take_while(|d| *d <= h.to) {
            assert_eq!(
                calendar.day_kind(day).unwrap(),
                govshare::DayKind::Holiday {
                    name: h.name.clone()
                }
            );
        }
    }
    for m in &file.make_up_workdays {
        assert!(matches!(
            m.date.weekday(),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        ));
        assert!(calendar.is_working_day(m.date).unwrap());
    }
    for day in &notice.outside_year {
        assert_ne!(day.year(), year);
    }
}
