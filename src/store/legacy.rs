//! Reading the JSON-lines journal and usage record of govshare 0.2, to
//! import them into a store. Reading is strict: bytes are checked as
//! UTF-8 (never decoded lossily), a record's chain is verified over the
//! exact bytes it hashed, a journal's changes are replayed onto the base
//! registry, and a final line without its newline is an error naming it,
//! not something silently cut off.

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256};

use super::journal::registry_digest;
use crate::error::{Break, JournalError, Place, RecordError};
use crate::model::Transition;
use crate::registry::Registry;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The complete lines of a file, or the line number and length of an
/// incomplete last line.
fn lines(bytes: &[u8]) -> Result<Vec<&[u8]>, (usize, usize)> {
    let mut out: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    match out.pop() {
        Some([]) | None => Ok(out),
        Some(tail) => Err((out.len() + 1, tail.len())),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine<'a> {
    seq: u64,
    prev: String,
    hash: String,
    #[serde(borrow)]
    record: &'a RawValue,
}

#[derive(Deserialize)]
struct Kind {
    #[serde(rename = "type")]
    kind: String,
}

/// The records of a 0.2 usage record, as their exact bytes, with the
/// chain verified; and its head hash.
pub(crate) fn read_records(path: &Path) -> Result<(Vec<Vec<u8>>, String), RecordError> {
    let bytes = std::fs::read(path).map_err(|source| RecordError::Io {
        path: path.to_owned(),
        source,
    })?;
    let fail = |line: usize, problem: String| RecordError::Broken {
        path: path.to_owned(),
        broken: Break {
            place: Place::Line { line },
            problem,
        },
    };
    let all = lines(&bytes).map_err(|(line, len)| {
        fail(
            line,
            format!(
                "the last line is incomplete ({len} bytes without a newline): an append was cut short; remove it to import the rest"
            ),
        )
    })?;
    let mut head = GENESIS.to_owned();
    let mut out = Vec::with_capacity(all.len());
    for (i, raw) in all.iter().enumerate() {
        let line = i + 1;
        let text =
            std::str::from_utf8(raw).map_err(|e| fail(line, format!("not valid UTF-8 ({e})")))?;
        let entry: RawLine<'_> = serde_json::from_str(text)
            .map_err(|e| fail(line, format!("not a record entry ({e})")))?;
        let record = entry.record.get();
        if serde_json::from_str::<Kind>(record).is_ok_and(|k| k.kind == "pruned") {
            return Err(fail(
                line,
                "a prune anchor of the old format: no signature backs it, so the entries it claims to replace cannot be shown to have existed; it is not imported".into(),
            ));
        }
        if entry.seq != line as u64 {
            return Err(fail(
                line,
                format!(
                    "sequence number {} where {line} was expected: an entry was removed, inserted or reordered",
                    entry.seq
                ),
            ));
        }
        if entry.prev != head {
            return Err(fail(
                line,
                "its link to the entry before does not match: an entry was removed, inserted, reordered or edited".into(),
            ));
        }
        let mut h = Sha256::new();
        h.update(format!("{}\n{}\n", entry.seq, entry.prev).as_bytes());
        h.update(record.as_bytes());
        if crate::digest::hex(h.finalize()) != entry.hash {
            return Err(fail(
                line,
                "its hash does not match its content: the entry was edited".into(),
            ));
        }
        serde_json::from_str::<crate::audit::Record>(record)
            .map_err(|e| fail(line, format!("the record does not parse ({e})")))?;
        head = entry.hash;
        out.push(record.as_bytes().to_vec());
    }
    Ok((out, head))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalHeader {
    govshare_journal: u32,
    base: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalLine {
    seq: u64,
    transition: Transition,
}

/// The transitions of a 0.2 journal over `base`, each replayed onto it;
/// and the SHA-256 of the file.
pub(crate) fn read_journal(
    path: &Path,
    base: &Registry,
) -> Result<(Vec<Transition>, String), JournalError> {
    let bytes = std::fs::read(path).map_err(|source| JournalError::Io {
        path: path.to_owned(),
        source,
    })?;
    let corrupt = |line: usize, message: String| JournalError::Corrupt {
        path: path.to_owned(),
        line,
        message,
    };
    let all = lines(&bytes).map_err(|(line, len)| {
        corrupt(
            line,
            format!(
                "the last line is incomplete ({len} bytes without a newline): an append was cut short; remove it to import the rest"
            ),
        )
    })?;
    let mut it = all.iter().enumerate();
    let Some((_, first)) = it.next() else {
        return Err(corrupt(1, "the journal is empty: it has no header".into()));
    };
    let header: JournalHeader = serde_json::from_slice(first)
        .map_err(|e| corrupt(1, format!("not a govshare journal header ({e})")))?;
    if header.govshare_journal != 1 {
        return Err(corrupt(
            1,
            format!("unsupported journal version `{}`", header.govshare_journal),
        ));
    }
    let digest = registry_digest(base);
    if header.base != digest {
        return Err(JournalError::OtherBase {
            path: path.to_owned(),
            journal: header.base,
            base: digest,
        });
    }
    let mut registry = base.clone();
    let mut out = Vec::with_capacity(all.len());
    for (i, raw) in it {
        let line = i + 1;
        let parsed: JournalLine =
            serde_json::from_slice(raw).map_err(|e| corrupt(line, e.to_string()))?;
        if parsed.seq != i as u64 {
            return Err(corrupt(
                line,
                format!(
                    "sequence number {} where {i} was expected: a line is missing or out of order",
                    parsed.seq
                ),
            ));
        }
        registry
            .apply(&parsed.transition)
            .map_err(|source| JournalError::Replay {
                seq: parsed.seq,
                source,
            })?;
        out.push(parsed.transition);
    }
    Ok((out, crate::digest::sha256_tagged(&bytes)))
}
