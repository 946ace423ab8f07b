//! The JSON-lines export: what an auditor reads and re-verifies with the
//! same chain, without a database.
//!
//! ```text
//! {"govshare_export":1,"header":{"store":"…","hash":"sm3","signature":"sm2","public_key":"<hex DER>",…}}
//! {"checkpoint":{"id":1,"kind":"periodic","at":"…","journal":{"seq":0,"head":""},"record":{"seq":1000,"head":"…"},"pruned":null,"signature":"…"}}
//! {"journal":{"seq":1,"prev":"…","hash":"…","transition":{…the exact stored bytes…}}}
//! {"record":{"seq":1,"prev":"…","hash":"…","appended_at":"…","record":{…the exact stored bytes…}}}
//! {"end":{"journal":{"seq":…,"head":"…"},"record":{"seq":…,"head":"…"}}}
//! ```
//!
//! Each entry embeds its stored bytes verbatim, so its hash is computed
//! over exactly what the store hashed. The end line makes a cut export
//! detectable.

use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::chain::{Checkpoint, Header, JournalRow, Position, RecordRow};
use super::crypto::PublicKey;
use super::verify::{Verifier, VerifyReport};
use crate::error::{Break, Place, RecordError};

fn push_json(out: &mut Vec<u8>, value: &impl serde::Serialize) {
    // Serializing plain strings and numbers cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

pub(crate) fn header_line(out: &mut Vec<u8>, header: &Header) {
    out.extend_from_slice(b"{\"govshare_export\":1,\"header\":");
    push_json(out, header);
    out.extend_from_slice(b"}\n");
}

pub(crate) fn checkpoint_line(out: &mut Vec<u8>, c: &Checkpoint) {
    out.extend_from_slice(b"{\"checkpoint\":");
    push_json(out, c);
    out.extend_from_slice(b"}\n");
}

pub(crate) fn journal_line(out: &mut Vec<u8>, row: &JournalRow) {
    out.extend_from_slice(b"{\"journal\":{\"seq\":");
    push_json(out, &row.seq);
    out.extend_from_slice(b",\"prev\":");
    push_json(out, &row.prev);
    out.extend_from_slice(b",\"hash\":");
    push_json(out, &row.hash);
    out.extend_from_slice(b",\"transition\":");
    out.extend_from_slice(&row.bytes);
    out.extend_from_slice(b"}}\n");
}

pub(crate) fn record_line(out: &mut Vec<u8>, row: &RecordRow) {
    out.extend_from_slice(b"{\"record\":{\"seq\":");
    push_json(out, &row.seq);
    out.extend_from_slice(b",\"prev\":");
    push_json(out, &row.prev);
    out.extend_from_slice(b",\"hash\":");
    push_json(out, &row.hash);
    out.extend_from_slice(b",\"appended_at\":");
    push_json(out, &row.appended_at);
    out.extend_from_slice(b",\"record\":");
    out.extend_from_slice(&row.bytes);
    out.extend_from_slice(b"}}\n");
}

pub(crate) fn end_line(out: &mut Vec<u8>, journal: &Position, record: &Position) {
    out.extend_from_slice(b"{\"end\":{\"journal\":");
    push_json(out, journal);
    out.extend_from_slice(b",\"record\":");
    push_json(out, record);
    out.extend_from_slice(b"}}\n");
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderLine {
    govshare_export: u32,
    header: Header,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalJson<'a> {
    seq: u64,
    prev: String,
    hash: String,
    #[serde(borrow)]
    transition: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson<'a> {
    seq: u64,
    prev: String,
    hash: String,
    appended_at: String,
    #[serde(borrow)]
    record: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndJson {
    journal: Position,
    record: Position,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Line<'a> {
    Checkpoint(Checkpoint),
    #[serde(borrow)]
    Journal(JournalJson<'a>),
    #[serde(borrow)]
    Record(RecordJson<'a>),
    End(EndJson),
}

/// Where in the export the walk is: lines must come in this order.
#[derive(PartialEq, PartialOrd)]
enum Section {
    Checkpoints,
    Journal,
    Records,
    Ended,
}

/// Verifies an export (`govshare record export`) line by line with the
/// same checks as [`super::Store::verify`]: the header, every checkpoint's
/// signature, every entry's hash and link, the prune anchor, and the end
/// line that shows nothing was cut. `public_key` is the deployment's key
/// obtained apart from the export.
///
/// # Errors
///
/// [`RecordError::Io`] when the file cannot be read; a `NotAStore` store
/// error when its first line is not an export header. Damage is not an
/// error: it is the report's `broken`, naming the line; an export whose
/// header is damaged is [`RecordError::Broken`] at line 1.
///
/// # Example
///
/// ```
/// use govshare::audit::{Record, RecordSink as _, UseCategory, UseEvent};
/// use govshare::store::{Store, verify_export};
///
/// let dir = tempfile::tempdir()?;
/// let store = Store::open(dir.path().join("govshare.db"))?;
/// store.record(&Record::UseEvent(UseEvent {
///     at: govshare::time::parse_rfc3339("2026-03-02T10:00:00+08:00")?,
///     grant: "g-1".parse()?,
///     requester: "hz-hrss".parse()?,
///     dataset: "ent-reg".parse()?,
///     category: UseCategory::Storage,
///     detail: "存储于本局政务云".into(),
///     actor: "hz-hrss".into(),
/// }))?;
/// let export = dir.path().join("export.jsonl");
/// store.export(&mut std::fs::File::create(&export)?)?;
/// let report = verify_export(&export, None)?;
/// assert!(report.is_intact());
/// assert_eq!(report.record.entries, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_export(
    path: impl AsRef<Path>,
    public_key: Option<&PublicKey>,
) -> Result<VerifyReport, RecordError> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|source| RecordError::Io {
        path: path.to_owned(),
        source,
    })?;
    verify_lines(&mut std::io::BufReader::new(file), path, public_key)
}

/// [`verify_export`] over an export read from anywhere (a network stream,
/// memory); errors name it `<reader>`.
///
/// # Errors
///
/// As [`verify_export`].
pub fn verify_export_reader(
    reader: impl std::io::Read,
    public_key: Option<&PublicKey>,
) -> Result<VerifyReport, RecordError> {
    verify_lines(
        &mut std::io::BufReader::new(reader),
        Path::new("<reader>"),
        public_key,
    )
}

fn verify_lines(
    reader: &mut dyn BufRead,
    path: &Path,
    public_key: Option<&PublicKey>,
) -> Result<VerifyReport, RecordError> {
    let io = |source| RecordError::Io {
        path: path.to_owned(),
        source,
    };
    let mut buf = Vec::new();
    let mut number = 0usize;
    let at_line = |line: usize, b: Break| Break {
        place: Place::Line { line },
        problem: match b.place {
            Place::Line { .. } => b.problem,
            place => format!("{place}: {}", b.problem),
        },
    };
    // The header.
    number += 1;
    let header_fail = |problem: String| RecordError::Broken {
        path: path.to_owned(),
        broken: Break {
            place: Place::Line { line: 1 },
            problem,
        },
    };
    if reader.read_until(b'\n', &mut buf).map_err(io)? == 0
        || !buf.windows(17).any(|w| w == b"\"govshare_export\"")
    {
        return Err(RecordError::Store(crate::error::StoreError::NotAStore {
            path: path.to_owned(),
            why: "neither an SQLite store nor a govshare export".into(),
        }));
    }
    let content = buf
        .strip_suffix(b"\n")
        .ok_or_else(|| header_fail("the header line is cut short".into()))?;
    let header: HeaderLine = serde_json::from_slice(content)
        .map_err(|e| header_fail(format!("not a govshare export header ({e})")))?;
    if header.govshare_export != 1 {
        return Err(header_fail(format!(
            "unsupported export version {}",
            header.govshare_export
        )));
    }
    let checked = header.header.check().map_err(|b| header_fail(b.problem))?;
    let mut v = Verifier::new(checked, public_key).map_err(|b| header_fail(b.problem))?;
    let mut section = Section::Checkpoints;
    let mut end: Option<EndJson> = None;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io)? == 0 {
            break;
        }
        number += 1;
        let line = number;
        let fail = |problem: String| Break {
            place: Place::Line { line },
            problem,
        };
        let step = (|| -> Result<(), Break> {
            let content = buf
                .strip_suffix(b"\n")
                .ok_or_else(|| fail("the line is cut short: the export was truncated".into()))?;
            if section == Section::Ended {
                return Err(fail("a line after the end line".into()));
            }
            let parsed: Line<'_> = serde_json::from_slice(content)
                .map_err(|e| fail(format!("not an export line ({e})")))?;
            let order = |s: Section, current: &mut Section| {
                if s < *current {
                    Err(fail(
                        "out of place: the export's sections are out of order".into(),
                    ))
                } else {
                    *current = s;
                    Ok(())
                }
            };
            match parsed {
                Line::Checkpoint(c) => {
                    order(Section::Checkpoints, &mut section)?;
                    v.checkpoint(&c).map_err(|b| at_line(line, b))
                }
                Line::Journal(j) => {
                    order(Section::Journal, &mut section)?;
                    v.journal_row(
                        &JournalRow {
                            seq: j.seq,
                            key: None,
                            prev: j.prev,
                            hash: j.hash,
                            bytes: j.transition.get().as_bytes().to_vec(),
                        },
                        false,
                    )
                    .map_err(|b| at_line(line, b))
                }
                Line::Record(r) => {
                    order(Section::Records, &mut section)?;
                    v.record_row(&RecordRow {
                        seq: r.seq,
                        appended_at: r.appended_at,
                        prev: r.prev,
                        hash: r.hash,
                        bytes: r.record.get().as_bytes().to_vec(),
                    })
                    .map_err(|b| at_line(line, b))
                }
                Line::End(e) => {
                    section = Section::Ended;
                    end = Some(e);
                    Ok(())
                }
            }
        })();
        if let Err(b) = step {
            return Ok(v.broken_report(b));
        }
    }
    let Some(end) = end else {
        return Ok(v.broken_report(Break {
            place: Place::Line { line: number + 1 },
            problem: "the end line is missing: the export was cut short".into(),
        }));
    };
    let last = number;
    match v.finish(Some((&end.journal, &end.record))) {
        Ok(report) => Ok(report),
        Err((b, mut report)) => {
            report.broken = Some(at_line(last, b));
            Ok(*report)
        }
    }
}
