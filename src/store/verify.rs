//! Verification, independent of where the entries are kept: fed a store's
//! header, its checkpoints, each log's entries in order and the heads, it
//! names the first place whose check fails. The SQLite store and the
//! JSON-lines export both feed it.

use std::collections::HashMap;

use serde::Serialize;

use super::chain::{
    Checked, Checkpoint, CheckpointKind, JournalRow, Position, PrunedRange, RecordRow,
    journal_hash, record_hash,
};
use super::crypto::{HashAlgorithm, PublicKey, SignatureAlgorithm, unhex};
use crate::audit::Record;
use crate::error::{Break, Log, Place};
use crate::model::Transition;

/// Whose key the checkpoint signatures were checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureCheck {
    /// The public key given to `verify`, obtained apart from the store:
    /// the check that counts.
    GivenKey,
    /// The key in the store's own header: shows the store is consistent,
    /// not who signed it. Pass the deployment's public key to know that.
    StoreKey,
    /// The store has no key and no checkpoints.
    Unsigned,
}

/// One log's extent after verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogSummary {
    /// Entries present.
    pub entries: u64,
    /// The first sequence number present (after a prune, past 1).
    pub first: Option<u64>,
    /// The last sequence number, and its hash: the head.
    pub last: Position,
}

/// What verifying a store or an export found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The store's identity.
    pub store: String,
    /// The chain hash.
    pub hash: HashAlgorithm,
    /// The checkpoints' signature algorithm, if the store is signed.
    pub signature: Option<SignatureAlgorithm>,
    /// Whose key the signatures were checked against.
    pub signatures: SignatureCheck,
    /// The registry journal.
    pub journal: LogSummary,
    /// The usage record.
    pub record: LogSummary,
    /// Checkpoints whose signatures verified.
    pub checkpoints: u64,
    /// The last checkpoint, if any.
    pub last_checkpoint: Option<Checkpoint>,
    /// The first damage found, if any: then the counts above stop there.
    pub broken: Option<Break>,
}

impl VerifyReport {
    /// Whether everything verified.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

#[derive(Debug)]
struct LogState {
    log: Log,
    next: u64,
    prev: String,
    entries: u64,
    first: Option<u64>,
}

impl LogState {
    fn new(log: Log, start: String) -> Self {
        Self {
            log,
            next: 1,
            prev: start,
            entries: 0,
            first: None,
        }
    }

    fn place(&self, seq: u64) -> Place {
        Place::Entry { log: self.log, seq }
    }

    /// The sequence check: the next entry must be `next`.
    fn expect_seq(&self, seq: u64) -> Result<(), Break> {
        if seq > self.next {
            return Err(Break {
                place: self.place(self.next),
                problem: format!(
                    "missing: the entry after {} is {seq}: entries were removed",
                    self.next.saturating_sub(1)
                ),
            });
        }
        if seq < self.next {
            return Err(Break {
                place: self.place(seq),
                problem: format!(
                    "out of order: {seq} comes where {} was expected: an entry was inserted or renumbered",
                    self.next
                ),
            });
        }
        Ok(())
    }

    fn advance(&mut self, seq: u64, hash: &str) {
        self.first.get_or_insert(seq);
        self.entries += 1;
        self.next = seq + 1;
        hash.clone_into(&mut self.prev);
    }

    fn summary(&self) -> LogSummary {
        LogSummary {
            entries: self.entries,
            first: self.first,
            last: Position {
                seq: self.next - 1,
                head: if self.next == 1 && self.log == Log::Journal {
                    String::new()
                } else {
                    self.prev.clone()
                },
            },
        }
    }
}

/// The verifier's state between feeds.
#[derive(Debug)]
pub(crate) struct Verifier {
    checked: Checked,
    key: Option<PublicKey>,
    signatures: SignatureCheck,
    expect: HashMap<(Log, u64), (u64, String)>,
    last_checkpoint: Option<Checkpoint>,
    prune: Option<PrunedRange>,
    journal: LogState,
    record: LogState,
    checkpoints: u64,
    logs_started: bool,
}

impl Verifier {
    /// Starts from a checked header; `given` is the public key obtained
    /// apart from the store, which must be the header's.
    pub fn new(checked: Checked, given: Option<&PublicKey>) -> Result<Self, Break> {
        let header_fail = |problem: &str| Break {
            place: Place::Header,
            problem: problem.to_owned(),
        };
        let signatures = match (given, &checked.key) {
            (Some(g), Some(k)) if g == k => SignatureCheck::GivenKey,
            (Some(_), Some(_)) => {
                return Err(header_fail(
                    "the store's public key is not the key given: it was signed by someone else, or its key was replaced",
                ));
            }
            (Some(_), None) => {
                return Err(header_fail(
                    "the store is not signed, but a public key was given",
                ));
            }
            (None, Some(_)) => SignatureCheck::StoreKey,
            (None, None) => SignatureCheck::Unsigned,
        };
        let hash = checked.hash;
        let journal_start = checked.header.journal_genesis.clone().unwrap_or_default();
        let record_start = checked.header.record_start(hash);
        Ok(Self {
            key: checked.key.clone(),
            checked,
            signatures,
            expect: HashMap::new(),
            last_checkpoint: None,
            prune: None,
            journal: LogState::new(Log::Journal, journal_start),
            record: LogState::new(Log::Record, record_start),
            checkpoints: 0,
            logs_started: false,
        })
    }

    /// A checkpoint, in number order.
    pub fn checkpoint(&mut self, c: &Checkpoint) -> Result<(), Break> {
        let expected = self.checkpoints + 1;
        let fail = |problem: String| Break {
            place: Place::Checkpoint { id: c.id },
            problem,
        };
        if c.id > expected {
            return Err(Break {
                place: Place::Checkpoint { id: expected },
                problem: format!("missing: the checkpoint after {} is {}", expected - 1, c.id),
            });
        }
        if c.id < expected {
            return Err(fail(format!(
                "out of order: {} comes where {expected} was expected",
                c.id
            )));
        }
        let Some(key) = &self.key else {
            return Err(fail("a checkpoint in a store that has no key".into()));
        };
        let message = c.message(&self.checked.header.store);
        let signed = unhex(&c.signature)
            .is_some_and(|sig| key.verify(&self.checked.header.sm2_id, message.as_bytes(), &sig));
        if !signed {
            return Err(fail(
                "its signature does not verify: the checkpoint was changed or forged".into(),
            ));
        }
        if crate::time::parse_rfc3339(&c.at).is_err() {
            return Err(fail(format!("`{}` is not an RFC 3339 instant", c.at)));
        }
        match (c.kind, &c.pruned) {
            (CheckpointKind::Prune, Some(p)) => {
                let previous = self.prune.as_ref().map_or(0, |q| q.seq);
                if p.seq <= previous || p.seq > c.record.seq {
                    return Err(fail(format!(
                        "it prunes through {} after earlier prunes through {previous}, with the record at {}",
                        p.seq, c.record.seq
                    )));
                }
                self.prune = Some(p.clone());
            }
            (CheckpointKind::Prune, None) => {
                return Err(fail("a prune anchor that names no pruned range".into()));
            }
            (_, Some(_)) => return Err(fail("a pruned range outside a prune anchor".into())),
            (_, None) => {}
        }
        if let Some(last) = &self.last_checkpoint
            && (c.journal.seq < last.journal.seq || c.record.seq < last.record.seq)
        {
            return Err(fail(format!(
                "it goes back: journal {} and record {} after journal {} and record {}",
                c.journal.seq, c.record.seq, last.journal.seq, last.record.seq
            )));
        }
        for (log, pos) in [(Log::Journal, &c.journal), (Log::Record, &c.record)] {
            if pos.seq == 0 {
                if !pos.head.is_empty() {
                    return Err(fail(format!("the empty {} has a head", log.as_str())));
                }
                continue;
            }
            match self.expect.get(&(log, pos.seq)) {
                Some((other, head)) if head != &pos.head => {
                    return Err(fail(format!(
                        "it disagrees with checkpoint {other} about {} {}",
                        log.as_str(),
                        pos.seq
                    )));
                }
                Some(_) => {}
                None => {
                    self.expect.insert((log, pos.seq), (c.id, pos.head.clone()));
                }
            }
        }
        self.checkpoints = c.id;
        self.last_checkpoint = Some(c.clone());
        Ok(())
    }

    /// After the checkpoints: the usage record continues from the last
    /// prune anchor, if any.
    fn start_logs(&mut self) {
        if self.logs_started {
            return;
        }
        self.logs_started = true;
        if let Some(p) = &self.prune {
            self.record.next = p.seq + 1;
            self.record.prev = p.head.clone();
            let through = p.seq;
            self.expect
                .retain(|(log, seq), _| *log == Log::Journal || *seq > through);
        }
    }

    fn meet(&self, log: Log, seq: u64, hash: &str) -> Result<(), Break> {
        match self.expect.get(&(log, seq)) {
            Some((id, head)) if head != hash => Err(Break {
                place: Place::Entry { log, seq },
                problem: format!(
                    "it does not match signed checkpoint {id}: the log was rewritten from here or before"
                ),
            }),
            _ => Ok(()),
        }
    }

    /// The next journal change; `key_column` when the row carries its
    /// idempotency key apart from the change (a database column), to be
    /// checked against it.
    pub fn journal_row(&mut self, row: &JournalRow, key_column: bool) -> Result<(), Break> {
        self.start_logs();
        let s = &self.journal;
        s.expect_seq(row.seq)?;
        let fail = |problem: String| Break {
            place: s.place(row.seq),
            problem,
        };
        if self.checked.header.journal_genesis.is_none() {
            return Err(fail(
                "a journal change in a store whose header names no base registry".into(),
            ));
        }
        if journal_hash(self.checked.hash, row.seq, &row.prev, &row.bytes) != row.hash {
            return Err(fail(
                "its hash does not match its content: the change was edited".into(),
            ));
        }
        if row.prev != s.prev {
            return Err(fail(
                "its link to the change before does not match: a change was removed, inserted or rewritten"
                    .into(),
            ));
        }
        let t: Transition = serde_json::from_slice(&row.bytes)
            .map_err(|e| fail(format!("the change does not parse ({e})")))?;
        if key_column && t.idempotency_key != row.key {
            return Err(fail(
                "its idempotency key column differs from the key in the change".into(),
            ));
        }
        self.meet(Log::Journal, row.seq, &row.hash)?;
        self.journal.advance(row.seq, &row.hash);
        Ok(())
    }

    /// The next usage record entry.
    pub fn record_row(&mut self, row: &RecordRow) -> Result<(), Break> {
        self.start_logs();
        let s = &self.record;
        s.expect_seq(row.seq)?;
        let fail = |problem: String| Break {
            place: s.place(row.seq),
            problem,
        };
        if record_hash(
            self.checked.hash,
            row.seq,
            &row.prev,
            &row.appended_at,
            &row.bytes,
        ) != row.hash
        {
            return Err(fail(
                "its hash does not match its content: the entry was edited".into(),
            ));
        }
        if row.prev != s.prev {
            return Err(fail(
                "its link to the entry before does not match: an entry was removed, inserted or rewritten"
                    .into(),
            ));
        }
        if crate::time::parse_rfc3339(&row.appended_at).is_err() {
            return Err(fail(format!(
                "its append time `{}` is not an RFC 3339 instant",
                row.appended_at
            )));
        }
        serde_json::from_slice::<Record>(&row.bytes)
            .map_err(|e| fail(format!("the record does not parse ({e})")))?;
        self.meet(Log::Record, row.seq, &row.hash)?;
        self.record.advance(row.seq, &row.hash);
        Ok(())
    }

    /// After every entry: each log must reach what its checkpoints
    /// signed and what its head says (`None` where no head is kept).
    pub fn finish(
        mut self,
        heads: Option<(&Position, &Position)>,
    ) -> Result<VerifyReport, (Break, Box<VerifyReport>)> {
        self.start_logs();
        let result = self.check_ends(heads);
        let report = VerifyReport {
            store: self.checked.header.store.clone(),
            hash: self.checked.hash,
            signature: self.checked.signature,
            signatures: self.signatures,
            journal: self.journal.summary(),
            record: self.record.summary(),
            checkpoints: self.checkpoints,
            last_checkpoint: self.last_checkpoint.clone(),
            broken: None,
        };
        match result {
            Ok(()) => Ok(report),
            Err(b) => Err((b, Box::new(report))),
        }
    }

    fn check_ends(&self, heads: Option<(&Position, &Position)>) -> Result<(), Break> {
        for s in [&self.journal, &self.record] {
            let last = s.next - 1;
            if let Some(((_, seq), (id, _))) = self
                .expect
                .iter()
                .filter(|((log, seq), _)| *log == s.log && *seq > last)
                .min_by_key(|((_, seq), _)| *seq)
            {
                return Err(Break {
                    place: s.place(last + 1),
                    problem: format!(
                        "missing: the {} ends at {last}, but checkpoint {id} signed it through {seq}: entries were cut from the end",
                        s.log.as_str()
                    ),
                });
            }
        }
        if let Some((journal, record)) = heads {
            for (s, head) in [(&self.journal, journal), (&self.record, record)] {
                let mine = s.summary().last;
                if &mine != head {
                    return Err(Break {
                        place: Place::Head { log: s.log },
                        problem: format!(
                            "it says {} `{}`, but the {} ends at {} `{}`: entries were cut from the end or the head was changed",
                            head.seq,
                            head.head,
                            s.log.as_str(),
                            mine.seq,
                            mine.head
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The report of a verification that broke at `broken`.
    pub fn broken_report(self, broken: Break) -> VerifyReport {
        VerifyReport {
            store: self.checked.header.store.clone(),
            hash: self.checked.hash,
            signature: self.checked.signature,
            signatures: self.signatures,
            journal: self.journal.summary(),
            record: self.record.summary(),
            checkpoints: self.checkpoints,
            last_checkpoint: self.last_checkpoint,
            broken: Some(broken),
        }
    }
}
