//! What a store's chains and checkpoints are, independent of the database
//! that holds them: the header and its genesis, the hash of each journal
//! change and usage record over its exact stored bytes, and the text a
//! checkpoint's signature covers. The SQLite store, the JSON-lines export
//! and any other backend share these definitions, so a store, its export
//! and a copy in another database verify alike.
//!
//! ```text
//! genesis         = H("govshare-store/1\nstore {id}\nhash {h}\nsignature {s}\npublic_key {hex}\nsm2_id {id}\ncreated_at {t}\n")
//! journal start   = H("journal\n{genesis}\n{base registry digest}\n")
//! record start    = H("record\n{genesis}\n")
//! journal change  = H("journal {seq}\n{prev}\n" ‖ transition bytes)
//! record entry    = H("record {seq}\n{prev}\n{appended_at}\n" ‖ record bytes)
//! ```
//!
//! `H` is the header's hash (SM3 or SHA-256) in lower-case hex; `prev` is
//! the hash of the entry before, or the log's start for the first; absent
//! header values are written `-`.

use serde::{Deserialize, Serialize};

use super::crypto::{HashAlgorithm, PublicKey, SignatureAlgorithm, SigningKey, unhex};
use crate::error::{Break, Place};

/// The store format this library writes and reads.
pub(crate) const FORMAT: &str = "govshare-store";
/// Its version.
pub(crate) const FORMAT_VERSION: &str = "1";

/// A store's identity, algorithms and key, fixed when it is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Header {
    pub store: String,
    pub hash: String,
    pub signature: String,
    pub public_key: String,
    pub sm2_id: String,
    pub created_at: String,
    pub genesis: String,
    /// Set with the first journal change.
    pub journal_base: Option<String>,
    pub journal_genesis: Option<String>,
}

/// A header checked for consistency, with its algorithms parsed.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub header: Header,
    pub hash: HashAlgorithm,
    pub signature: Option<SignatureAlgorithm>,
    pub key: Option<PublicKey>,
}

fn dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

impl Header {
    /// The header of a new store.
    pub fn new(
        store: String,
        hash: HashAlgorithm,
        key: Option<&SigningKey>,
        created_at: String,
    ) -> Result<Self, crate::error::KeyError> {
        let (signature, public_key, sm2_id) = match key {
            None => (String::new(), String::new(), String::new()),
            Some(k) => (
                k.algorithm().as_str().to_owned(),
                crate::digest::hex(k.public_key().to_der()?),
                match k.algorithm() {
                    SignatureAlgorithm::Sm2 => super::crypto::SM2_DEFAULT_ID.to_owned(),
                    SignatureAlgorithm::Ed25519 => String::new(),
                },
            ),
        };
        let mut h = Self {
            store,
            hash: hash.as_str().to_owned(),
            signature,
            public_key,
            sm2_id,
            created_at,
            genesis: String::new(),
            journal_base: None,
            journal_genesis: None,
        };
        h.genesis = h.compute_genesis(hash);
        Ok(h)
    }

    fn compute_genesis(&self, hash: HashAlgorithm) -> String {
        let text = format!(
            "{FORMAT}/{FORMAT_VERSION}\nstore {}\nhash {}\nsignature {}\npublic_key {}\nsm2_id {}\ncreated_at {}\n",
            self.store,
            self.hash,
            dash(&self.signature),
            dash(&self.public_key),
            dash(&self.sm2_id),
            self.created_at
        );
        hash.hex(&[text.as_bytes()])
    }

    /// The journal's start for a base registry digest.
    pub fn journal_start(&self, hash: HashAlgorithm, base: &str) -> String {
        hash.hex(&[format!("journal\n{}\n{base}\n", self.genesis).as_bytes()])
    }

    /// The record log's start.
    pub fn record_start(&self, hash: HashAlgorithm) -> String {
        hash.hex(&[format!("record\n{}\n", self.genesis).as_bytes()])
    }

    /// Checks the header against itself: known algorithms, a key that
    /// parses, a genesis that matches, a journal start that matches its
    /// base.
    pub fn check(self) -> Result<Checked, Break> {
        let fail = |problem: String| Break {
            place: Place::Header,
            problem,
        };
        let hash = HashAlgorithm::parse(&self.hash)
            .ok_or_else(|| fail(format!("unknown hash algorithm `{}`", self.hash)))?;
        let (signature, key) = if self.signature.is_empty() {
            if !self.public_key.is_empty() || !self.sm2_id.is_empty() {
                return Err(fail("a public key without a signature algorithm".into()));
            }
            (None, None)
        } else {
            let alg = SignatureAlgorithm::parse(&self.signature)
                .ok_or_else(|| fail(format!("unknown signature algorithm `{}`", self.signature)))?;
            let der = unhex(&self.public_key)
                .ok_or_else(|| fail("the public key is not lower-case hex".into()))?;
            let key = PublicKey::from_der(alg, &der)
                .map_err(|e| fail(format!("the public key does not parse: {e}")))?;
            if key.algorithm() != alg || key.to_der().ok().as_deref() != Some(der.as_slice()) {
                return Err(fail("the public key is not in its one DER spelling".into()));
            }
            match alg {
                SignatureAlgorithm::Sm2 if self.sm2_id.is_empty() => {
                    return Err(fail(
                        "an SM2 key without its distinguishing identifier".into(),
                    ));
                }
                SignatureAlgorithm::Ed25519 if !self.sm2_id.is_empty() => {
                    return Err(fail("an SM2 identifier on an Ed25519 store".into()));
                }
                _ => {}
            }
            (Some(alg), Some(key))
        };
        if crate::time::parse_rfc3339(&self.created_at)
            .ok()
            .map(|t| crate::time::format_rfc3339(&t))
            .as_deref()
            != Some(self.created_at.as_str())
        {
            return Err(fail(format!(
                "creation time `{}` is not an RFC 3339 instant",
                self.created_at
            )));
        }
        if self.compute_genesis(hash) != self.genesis {
            return Err(fail(
                "its genesis does not match its identity, algorithms and key: the header was changed"
                    .into(),
            ));
        }
        match (&self.journal_base, &self.journal_genesis) {
            (None, None) => {}
            (Some(base), Some(start)) => {
                if &self.journal_start(hash, base) != start {
                    return Err(fail(
                        "the journal's start does not match its base registry digest".into(),
                    ));
                }
            }
            _ => {
                return Err(fail(
                    "a journal base without its start, or the reverse".into(),
                ));
            }
        }
        Ok(Checked {
            header: self,
            hash,
            signature,
            key,
        })
    }
}

/// The hash of a journal change.
pub(crate) fn journal_hash(hash: HashAlgorithm, seq: u64, prev: &str, bytes: &[u8]) -> String {
    hash.hex(&[format!("journal {seq}\n{prev}\n").as_bytes(), bytes])
}

/// The hash of a usage record entry.
pub(crate) fn record_hash(
    hash: HashAlgorithm,
    seq: u64,
    prev: &str,
    appended_at: &str,
    bytes: &[u8],
) -> String {
    hash.hex(&[
        format!("record {seq}\n{prev}\n{appended_at}\n").as_bytes(),
        bytes,
    ])
}

/// A journal change as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JournalRow {
    pub seq: u64,
    pub key: Option<String>,
    pub prev: String,
    pub hash: String,
    pub bytes: Vec<u8>,
}

/// A usage record entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordRow {
    pub seq: u64,
    pub appended_at: String,
    pub prev: String,
    pub hash: String,
    pub bytes: Vec<u8>,
}

/// A log's position: the sequence number of its last entry and that
/// entry's hash (for an empty log: 0 and the log's start, or nothing for
/// a journal that has no base yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The last sequence number.
    pub seq: u64,
    /// Its hash.
    pub head: String,
}

/// Why a checkpoint was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointKind {
    /// Every N entries or M seconds.
    Periodic,
    /// Asked for by the host or the operator.
    Manual,
    /// The anchor of a prune: records through `pruned.seq` were removed.
    Prune,
}

impl CheckpointKind {
    fn as_str(self) -> &'static str {
        match self {
            CheckpointKind::Periodic => "periodic",
            CheckpointKind::Manual => "manual",
            CheckpointKind::Prune => "prune",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "periodic" => Some(CheckpointKind::Periodic),
            "manual" => Some(CheckpointKind::Manual),
            "prune" => Some(CheckpointKind::Prune),
            _ => None,
        }
    }
}

/// What a prune removed: the usage records through `seq`, whose last hash
/// continues the chain, all appended before `cutoff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrunedRange {
    /// The last record removed.
    pub seq: u64,
    /// Its hash: the `prev` of the first record kept.
    pub head: String,
    /// Every record removed was appended before this time.
    pub cutoff: String,
}

/// A signed statement of a store's state: where each log stood at a time.
/// Send them to the provider or the competent authority; a store rewritten
/// after a checkpoint no longer matches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Its number, from 1.
    pub id: u64,
    /// Why it was written.
    pub kind: CheckpointKind,
    /// When, by the store's clock.
    pub at: String,
    /// The journal's position.
    pub journal: Position,
    /// The usage record's position.
    pub record: Position,
    /// For a prune anchor, what was removed.
    pub pruned: Option<PrunedRange>,
    /// The signature over [`Checkpoint::message`], in hex.
    pub signature: String,
}

impl Checkpoint {
    /// The exact text the signature covers, for a store `store`.
    pub fn message(&self, store: &str) -> String {
        let pruned = match &self.pruned {
            None => "pruned -".to_owned(),
            Some(p) => format!("pruned {} {} before {}", p.seq, p.head, p.cutoff),
        };
        format!(
            "govshare-checkpoint/1\nstore {store}\ncheckpoint {}\nkind {}\nat {}\njournal {} {}\nrecord {} {}\n{pruned}\n",
            self.id,
            self.kind.as_str(),
            self.at,
            self.journal.seq,
            dash(&self.journal.head),
            self.record.seq,
            dash(&self.record.head),
        )
    }
}
