//! The usage record in a JSON-lines file, hash-chained.
//!
//! File format (one JSON object a line, `\n`-terminated):
//!
//! ```text
//! {"seq":1,"prev":"000…000","hash":"…","record":{"type":"decision","at":"…",…}}
//! {"seq":2,"prev":"<hash of line 1>","hash":"…","record":{"type":"use_event",…}}
//! ```
//!
//! `hash` is the SHA-256, in hex, of `"{seq}\n{prev}\n"` followed by the exact
//! bytes of `record`; `prev` is the previous line's `hash` (64 zeros for the
//! first). [`RecordLog::verify`] walks the chain and names the first line
//! whose chain breaks, so an edited, deleted, reordered or inserted entry is
//! found. A plain chain cannot stop someone rewriting every later line;
//! publish the head hash (`govshare record verify` prints it) to the
//! provider or the authority now and then, and a rewrite shows against it.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, FixedOffset, Months};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::file::{TornTail, open_locked, read_lines, split_lines};
use crate::audit::{Appended, Query, RETENTION_YEARS, Record, RecordSink};
use crate::decision::Decision;
use crate::engine::UsageRequest;
use crate::error::{Break, RecordError};
use crate::progress::{Progress, ProgressStage, REPORT_EVERY, ignore};
use crate::time::format_rfc3339;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The `prev` of a prune anchor line.
const ANCHOR_PREV: &str = "pruned";

/// The result of walking a record log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Entries whose chain holds.
    pub entries: usize,
    /// The hash of the last good entry: publish it to anchor the log.
    pub head: String,
    /// The first break, if any.
    pub broken: Option<Break>,
    /// A torn final line (a crash mid-append), not counted as a break.
    pub torn: Option<TornTail>,
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

fn chain_hash(seq: u64, prev: &str, record: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("{seq}\n{prev}\n").as_bytes());
    h.update(record.as_bytes());
    crate::digest::hex(h.finalize())
}

/// The state after walking lines: the head, the next sequence number, the
/// parsed records, or the first break.
struct Walk {
    entries: usize,
    head: String,
    next_seq: u64,
    records: Vec<Record>,
    broken: Option<Break>,
}

fn walk(lines: &[String], keep_records: bool, progress: &mut dyn FnMut(Progress)) -> Walk {
    let mut w = Walk {
        entries: 0,
        head: GENESIS.to_owned(),
        next_seq: 1,
        records: Vec::new(),
        broken: None,
    };
    let total = Some(lines.len() as u64);
    let mut report = |done: usize| {
        progress(Progress {
            stage: ProgressStage::VerifyRecord,
            done: done as u64,
            total,
        });
    };
    for (i, text) in lines.iter().enumerate() {
        if (i as u64).is_multiple_of(REPORT_EVERY) && i > 0 {
            report(i);
        }
        let line = i + 1;
        let fail = |problem: String| Break { line, problem };
        let raw: RawLine<'_> = match serde_json::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                w.broken = Some(fail(format!("not a record entry ({e})")));
                return w;
            }
        };
        let record: Record = match serde_json::from_str(raw.record.get()) {
            Ok(r) => r,
            Err(e) => {
                w.broken = Some(fail(format!("the record does not parse ({e})")));
                return w;
            }
        };
        // A pruned log starts with its anchor, which carries the chain on
        // from the last pruned entry; an anchor anywhere else is a break.
        let (expected_seq, expected_prev, next_head) = match (&record, i) {
            (
                Record::Pruned {
                    through_seq,
                    last_hash,
                    ..
                },
                0,
            ) => (
                *through_seq,
                ANCHOR_PREV.to_owned(),
                Some((last_hash.clone(), through_seq + 1)),
            ),
            (Record::Pruned { .. }, _) => {
                w.broken = Some(fail("a prune anchor can only begin the log".into()));
                return w;
            }
            _ => (w.next_seq, w.head.clone(), None),
        };
        if raw.seq != expected_seq {
            w.broken = Some(fail(format!(
                "sequence number {} where {expected_seq} was expected: an entry was deleted, inserted or reordered",
                raw.seq
            )));
            return w;
        }
        if raw.prev != expected_prev {
            w.broken = Some(fail(
                "its link to the previous entry does not match: an entry before it was deleted, inserted, reordered or edited".into(),
            ));
            return w;
        }
        if chain_hash(raw.seq, &raw.prev, raw.record.get()) != raw.hash {
            w.broken = Some(fail(
                "its hash does not match its content: the entry was edited".into(),
            ));
            return w;
        }
        match next_head {
            Some((head, next_seq)) => {
                w.head = head;
                w.next_seq = next_seq;
            }
            None => {
                w.entries += 1;
                w.head = raw.hash;
                w.next_seq = raw.seq + 1;
            }
        }
        if keep_records {
            w.records.push(record);
        }
    }
    w
}

fn read_all(path: &Path) -> Result<(Vec<String>, Option<TornTail>), RecordError> {
    let bytes = std::fs::read(path).map_err(|source| RecordError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(split_lines(&bytes))
}

#[derive(Debug)]
struct Tail {
    file: File,
    next_seq: u64,
    head: String,
}

/// A usage record in a JSON-lines file, open for appending by one process;
/// appends from many threads are serialized.
#[derive(Debug)]
pub struct RecordLog {
    path: PathBuf,
    tail: Mutex<Tail>,
    torn: Option<TornTail>,
}

impl RecordLog {
    /// Walks a record log and reports the first entry whose chain breaks.
    /// Reading never changes the file and needs no lock.
    ///
    /// # Errors
    ///
    /// [`RecordError::Io`] when the file cannot be read. A broken chain is
    /// a report, not an error.
    pub fn verify(path: impl AsRef<Path>) -> Result<VerifyReport, RecordError> {
        Self::verify_with_progress(path, &mut ignore)
    }

    /// As [`RecordLog::verify`], reporting the entries walked of all.
    ///
    /// # Errors
    ///
    /// As [`RecordLog::verify`].
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::store::RecordLog;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("usage.jsonl");
    /// std::fs::write(&path, "")?;
    /// let mut last = None;
    /// let report = RecordLog::verify_with_progress(&path, &mut |p| last = Some((p.done, p.total)))?;
    /// assert_eq!(report.entries, 0);
    /// assert_eq!(last, Some((0, Some(0))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_with_progress(
        path: impl AsRef<Path>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<VerifyReport, RecordError> {
        let path = path.as_ref();
        let (lines, torn) = read_all(path)?;
        let w = walk(&lines, false, progress);
        progress(Progress {
            stage: ProgressStage::VerifyRecord,
            done: lines.len() as u64,
            total: Some(lines.len() as u64),
        });
        Ok(VerifyReport {
            entries: w.entries,
            head: w.head,
            broken: w.broken,
            torn,
        })
    }

    /// The records of a log that match `query`, in order. The chain is
    /// verified first: a broken log is an error, so an altered record is
    /// never served as evidence.
    ///
    /// # Errors
    ///
    /// [`RecordError::Broken`] naming the break; [`RecordError::Io`].
    pub fn query(path: impl AsRef<Path>, query: &Query) -> Result<Vec<Record>, RecordError> {
        let path = path.as_ref();
        let (lines, _torn) = read_all(path)?;
        let w = walk(&lines, true, &mut ignore);
        if let Some(broken) = w.broken {
            return Err(RecordError::Broken {
                path: path.to_owned(),
                broken,
            });
        }
        Ok(w.records.into_iter().filter(|r| query.matches(r)).collect())
    }

    /// Opens (or creates) a record log, taking the single-writer lock,
    /// cutting off a torn final line and verifying the whole chain.
    ///
    /// # Errors
    ///
    /// [`RecordError::Locked`], [`RecordError::Broken`] when the chain does
    /// not verify (nothing is appended to an altered log),
    /// [`RecordError::Io`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, RecordError> {
        let path = path.as_ref().to_owned();
        let io = |source| RecordError::Io {
            path: path.clone(),
            source,
        };
        let (mut file, _) = open_locked(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::WouldBlock {
                RecordError::Locked { path: path.clone() }
            } else {
                io(e)
            }
        })?;
        let (lines, torn) = read_lines(&mut file).map_err(io)?;
        let w = walk(&lines, false, &mut ignore);
        if let Some(broken) = w.broken {
            return Err(RecordError::Broken { path, broken });
        }
        Ok(Self {
            tail: Mutex::new(Tail {
                file,
                next_seq: w.next_seq,
                head: w.head,
            }),
            path,
            torn,
        })
    }

    /// A torn final line cut off when the log was opened.
    pub fn torn(&self) -> Option<&TornTail> {
        self.torn.as_ref()
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a decision with the request it answered.
    ///
    /// # Errors
    ///
    /// As [`RecordSink::record`].
    pub fn record_decision(
        &self,
        request: &UsageRequest,
        decision: &Decision,
    ) -> Result<Appended, RecordError> {
        self.record(&Record::decision(request, decision))
    }

    /// Removes records older than `cutoff`, keeping the chain verifiable
    /// through an anchor entry. `cutoff` may be no later than `now` less
    /// [`RETENTION_YEARS`]: younger records can never be pruned.
    ///
    /// # Errors
    ///
    /// [`RecordError::Retention`] for a cutoff too recent;
    /// [`RecordError::Broken`] when the log does not verify;
    /// [`RecordError::Io`].
    pub fn prune(
        &self,
        cutoff: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    ) -> Result<usize, RecordError> {
        let limit = now
            .checked_sub_months(Months::new(RETENTION_YEARS * 12))
            .unwrap_or(now);
        if cutoff > limit {
            return Err(RecordError::Retention {
                years: RETENTION_YEARS,
                cutoff: format_rfc3339(&cutoff),
                limit: format_rfc3339(&limit),
            });
        }
        let mut tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
        let io = |source| RecordError::Io {
            path: self.path.clone(),
            source,
        };
        let (lines, _) = read_all(&self.path)?;
        let w = walk(&lines, true, &mut ignore);
        if let Some(broken) = w.broken {
            return Err(RecordError::Broken {
                path: self.path.clone(),
                broken,
            });
        }
        // Prune only a prefix, so the chain stays whole: stop at the first
        // record young enough to keep.
        let mut cut = 0;
        for r in &w.records {
            if matches!(r, Record::Pruned { .. }) || r.at() < cutoff {
                cut += 1;
            } else {
                break;
            }
        }
        let pruned_real = w
            .records
            .iter()
            .take(cut)
            .filter(|r| !matches!(r, Record::Pruned { .. }))
            .count();
        if pruned_real == 0 {
            return Ok(0);
        }
        let Some(last_line) = lines.get(cut - 1) else {
            return Ok(0);
        };
        let last: RawLine<'_> = serde_json::from_str(last_line).map_err(RecordError::Serialize)?;
        let anchor = Record::Pruned {
            at: now,
            through_seq: last.seq,
            last_hash: last.hash.clone(),
            cutoff,
        };
        let anchor_json = serde_json::to_string(&anchor).map_err(RecordError::Serialize)?;
        let mut out = format!(
            "{{\"seq\":{},\"prev\":\"{ANCHOR_PREV}\",\"hash\":\"{}\",\"record\":{anchor_json}}}\n",
            last.seq,
            chain_hash(last.seq, ANCHOR_PREV, &anchor_json),
        );
        for l in lines.iter().skip(cut) {
            out.push_str(l);
            out.push('\n');
        }
        let tmp = self.path.with_extension("prune-tmp");
        {
            let mut f = File::create(&tmp).map_err(io)?;
            f.write_all(out.as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        std::fs::rename(&tmp, &self.path).map_err(io)?;
        let (file, _) = open_locked(&self.path).map_err(io)?;
        tail.file = file;
        Ok(pruned_real)
    }
}

impl RecordSink for RecordLog {
    fn record(&self, record: &Record) -> Result<Appended, RecordError> {
        let json = serde_json::to_string(record).map_err(RecordError::Serialize)?;
        let mut tail = self.tail.lock().unwrap_or_else(PoisonError::into_inner);
        let seq = tail.next_seq;
        let hash = chain_hash(seq, &tail.head, &json);
        let line = format!(
            "{{\"seq\":{seq},\"prev\":\"{}\",\"hash\":\"{hash}\",\"record\":{json}}}\n",
            tail.head
        );
        let io = |source| RecordError::Io {
            path: self.path.clone(),
            source,
        };
        tail.file.write_all(line.as_bytes()).map_err(io)?;
        tail.file.sync_data().map_err(io)?;
        tail.next_seq = seq + 1;
        tail.head = hash.clone();
        Ok(Appended { seq, hash })
    }
}
