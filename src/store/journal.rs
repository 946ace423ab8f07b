//! The registry journal: every lifecycle change appended to a JSON-lines
//! file and flushed to disk before the call returns, so the grants, purpose
//! ends, disposals and suspensions of a platform survive a crash.
//!
//! File format (one JSON object a line, `\n`-terminated):
//!
//! ```text
//! {"govshare_journal":1,"base":"sha256:…"}
//! {"seq":1,"transition":{"at":"…","by":"hz-amr","actor":"…","reason":"…","change":{"kind":"suspended",…},"recorded_at":"…"}}
//! {"seq":2,"transition":{…}}
//! ```
//!
//! The header names the digest of the base registry the journal applies to;
//! opening it over another base is refused. A final line without its `\n` is
//! a torn write (a crash mid-append): it is reported and truncated away on
//! open. Any other damage is an error that names the line, never skipped.
//! One process at a time may hold a journal open (an OS file lock, released
//! when the process ends); within it, writers are serialized.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use serde::{Deserialize, Serialize};

use super::file::{TornTail, open_locked, read_lines};
use crate::error::JournalError;
use crate::model::Transition;
use crate::registry::Registry;
use crate::time::{Clock, SystemClock};

/// Where lifecycle transitions are kept. [`FileJournal`] is the default; a
/// host can keep them in its own database instead.
pub trait JournalStore: Send {
    /// Every transition recorded, in order.
    ///
    /// # Errors
    ///
    /// [`JournalError`] when the store cannot be read or is damaged.
    fn transitions(&mut self) -> Result<Vec<Transition>, JournalError>;

    /// Appends a transition exactly as given (stamped with its
    /// `recorded_at` by [`DurableRegistry::apply`]); it must be durable when
    /// this returns.
    ///
    /// # Errors
    ///
    /// [`JournalError`] when it cannot be made durable; the transition is
    /// then not applied.
    fn append(&mut self, transition: &Transition) -> Result<(), JournalError>;
}

/// What opening a journal found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenReport {
    /// Transitions replayed.
    pub transitions: usize,
    /// A torn final line that was truncated away.
    pub torn: Option<TornTail>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    govshare_journal: u32,
    base: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    seq: u64,
    transition: Transition,
}

/// The digest of a registry, as the journal header records it.
pub fn registry_digest(registry: &Registry) -> String {
    crate::digest::sha256_tagged(registry.to_json().as_bytes())
}

/// The journal in a JSON-lines file.
#[derive(Debug)]
pub struct FileJournal {
    path: PathBuf,
    file: File,
    base: String,
    next_seq: u64,
    pending: Option<Vec<Transition>>,
    report: OpenReport,
}

impl FileJournal {
    /// Opens (or creates) the journal at `path` for the base registry
    /// `base`, taking the single-writer lock, cutting off a torn final line
    /// and reading every transition. [`FileJournal::report`] tells what was
    /// found.
    ///
    /// # Errors
    ///
    /// [`JournalError::Locked`] when another process holds it;
    /// [`JournalError::Corrupt`] naming a damaged line;
    /// [`JournalError::OtherBase`] when it was written over another base
    /// registry; [`JournalError::Io`].
    pub fn open(path: impl AsRef<Path>, base: &Registry) -> Result<Self, JournalError> {
        let path = path.as_ref().to_owned();
        let io = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        let (mut file, _) = open_locked(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::WouldBlock {
                JournalError::Locked { path: path.clone() }
            } else {
                io(e)
            }
        })?;
        let digest = registry_digest(base);
        let (lines, torn) = read_lines(&mut file).map_err(io)?;
        let corrupt = |line: usize, message: String| JournalError::Corrupt {
            path: path.clone(),
            line,
            message,
        };
        let mut transitions = Vec::with_capacity(lines.len().saturating_sub(1));
        match lines.first() {
            None => {
                let header = serde_json::to_string(&Header {
                    govshare_journal: 1,
                    base: digest.clone(),
                })
                .map_err(|e| corrupt(1, e.to_string()))?;
                file.write_all(format!("{header}\n").as_bytes())
                    .map_err(io)?;
                file.sync_all().map_err(io)?;
            }
            Some(first) => {
                let header: Header = serde_json::from_str(first)
                    .map_err(|e| corrupt(1, format!("not a govshare journal header: {e}")))?;
                if header.govshare_journal != 1 {
                    return Err(corrupt(
                        1,
                        format!("unsupported journal version `{}`", header.govshare_journal),
                    ));
                }
                if header.base != digest {
                    return Err(JournalError::OtherBase {
                        path: path.clone(),
                        journal: header.base,
                        base: digest,
                    });
                }
            }
        }
        for (i, text) in lines.iter().enumerate().skip(1) {
            let line: Line =
                serde_json::from_str(text).map_err(|e| corrupt(i + 1, e.to_string()))?;
            if line.seq != i as u64 {
                return Err(corrupt(
                    i + 1,
                    format!(
                        "sequence number {} where {} was expected: a line is missing or out of order",
                        line.seq, i
                    ),
                ));
            }
            transitions.push(line.transition);
        }
        Ok(Self {
            next_seq: transitions.len() as u64 + 1,
            report: OpenReport {
                transitions: transitions.len(),
                torn,
            },
            pending: Some(transitions),
            path,
            file,
            base: digest,
        })
    }

    /// What opening found: transitions read and any torn line cut off.
    pub fn report(&self) -> &OpenReport {
        &self.report
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The digest of the base registry.
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl JournalStore for FileJournal {
    fn transitions(&mut self) -> Result<Vec<Transition>, JournalError> {
        Ok(self.pending.take().unwrap_or_default())
    }

    fn append(&mut self, transition: &Transition) -> Result<(), JournalError> {
        let line = serde_json::to_string(&Line {
            seq: self.next_seq,
            transition: transition.clone(),
        })
        .map_err(|e| JournalError::Corrupt {
            path: self.path.clone(),
            line: self.next_seq as usize + 1,
            message: e.to_string(),
        })?;
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        // One write of the whole line, then fsync: a crash leaves either the
        // complete line or a torn tail that the next open cuts off.
        self.file
            .write_all(format!("{line}\n").as_bytes())
            .map_err(io)?;
        self.file.sync_data().map_err(io)?;
        self.next_seq += 1;
        Ok(())
    }
}

/// A registry kept durable by a journal: transitions are stamped with the
/// time they are recorded, checked, written to the journal, then applied.
/// Readers see the registry through [`DurableRegistry::registry`]; writers
/// are serialized.
///
/// The registry carries a version (the number of transitions applied,
/// [`Registry::version`]), which decisions made on it report as
/// `registry_version`.
#[derive(Debug)]
pub struct DurableRegistry<S: JournalStore = FileJournal> {
    registry: RwLock<Registry>,
    store: Mutex<S>,
    clock: Box<dyn Clock>,
}

impl<S: JournalStore> DurableRegistry<S> {
    /// Replays the store's transitions onto `base`, each checked as of the
    /// time it was recorded (its stored `recorded_at`). New transitions are
    /// stamped from the system clock; see [`DurableRegistry::with_clock`].
    ///
    /// # Errors
    ///
    /// [`JournalError::Replay`] naming the first transition that does not
    /// apply, or the store's own errors.
    pub fn open(mut base: Registry, mut store: S) -> Result<Self, JournalError> {
        base.set_version(Some(0));
        for (i, t) in store.transitions()?.iter().enumerate() {
            base.apply(t).map_err(|source| JournalError::Replay {
                line: i + 2,
                source,
            })?;
        }
        Ok(Self {
            registry: RwLock::new(base),
            store: Mutex::new(store),
            clock: Box::new(SystemClock),
        })
    }

    /// Stamps new transitions from `clock` instead of the system clock: a
    /// host with its own trusted time, or a test that sets the time.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{DepartmentId, Registry};
    /// use govshare::lifecycle::{Change, Transition};
    /// use govshare::store::{DurableRegistry, JournalStore};
    /// use govshare::time::{ManualClock, parse_rfc3339};
    ///
    /// /// A journal kept in memory.
    /// struct Memory(Vec<Transition>);
    /// impl JournalStore for Memory {
    ///     fn transitions(&mut self) -> Result<Vec<Transition>, govshare::JournalError> { Ok(self.0.clone()) }
    ///     fn append(&mut self, t: &Transition) -> Result<(), govshare::JournalError> { self.0.push(t.clone()); Ok(()) }
    /// }
    ///
    /// let base = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// let clock = ManualClock::new(parse_rfc3339("2026-11-10T09:00:00+08:00")?);
    /// let durable = DurableRegistry::open(base, Memory(Vec::new()))?.with_clock(clock);
    /// // Grant …05 was suspended on 20 October; its provider reinstates it.
    /// let reinstate = |at| -> Result<Transition, Box<dyn std::error::Error>> {
    ///     Ok(Transition::new(parse_rfc3339(at)?, DepartmentId::new("hz-amr")?, "杭州市市场监督管理局",
    ///         "已改正", Change::Reinstated { grant: "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05".parse()? }))
    /// };
    /// // Dated nine days before it is recorded, it would reach back: refused.
    /// assert!(durable.apply(&reinstate("2026-11-01T09:00:00+08:00")?).is_err());
    /// durable.apply(&reinstate("2026-11-10T09:00:00+08:00")?)?;
    /// assert_eq!(durable.registry().version(), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// The registry as it stands; hold the guard briefly (writers wait).
    pub fn registry(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stamps a transition with the time it is recorded (its `recorded_at`,
    /// from this registry's clock; any value the caller set is replaced),
    /// checks it, makes it durable, then applies it. On any error nothing
    /// is written and nothing changes.
    ///
    /// # Errors
    ///
    /// [`JournalError::Transition`] when the transition does not fit the
    /// registry (its state, who may make it, or when: a change that widens
    /// what the requester may do cannot take effect before it is recorded);
    /// the store's errors when it cannot be made durable.
    pub fn apply(&self, transition: &Transition) -> Result<(), JournalError> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let mut transition = transition.clone();
        transition.recorded_at = Some(self.clock.now());
        let checked = self.registry().check(&transition)?;
        store.append(&transition)?;
        let mut registry = self
            .registry
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        registry.commit(checked)?;
        Ok(())
    }

    /// The registry, consuming the durable wrapper.
    pub fn into_registry(self) -> Registry {
        self.registry
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
