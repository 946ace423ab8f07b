//! The registry journal: every lifecycle change kept durably, in order,
//! so the grants, purpose ends, disposals and suspensions of a platform
//! survive a crash; and [`DurableRegistry`], the registry that replays it
//! and appends to it.

use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use serde::Serialize;

use super::sqlite::Journal;
use crate::error::JournalError;
use crate::limits::MAX_ID_LEN;
use crate::model::Transition;
use crate::registry::Registry;

/// A transition as a journal returns it: with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journaled {
    /// The change's sequence number, from 1.
    pub seq: u64,
    /// The transition, exactly as it was appended.
    pub transition: Transition,
}

/// What [`JournalStore::append`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Append {
    /// Appended, durable, as change `seq`.
    Recorded {
        /// Its sequence number.
        seq: u64,
    },
    /// Nothing was appended: the journal has moved past the position given
    /// (another writer appended, perhaps the same change under its
    /// idempotency key). Read what is new and try again.
    Behind,
}

/// Where lifecycle transitions are kept. The SQLite [`Journal`] is the
/// default; a host can keep them in its own database instead.
///
/// An implementation persists exactly the transition it is given, as
/// bytes, and never changes it; it keeps changes in sequence from 1, and
/// appends only at the position the caller has seen, so that a change is
/// always checked against the latest state, whichever process wrote it.
pub trait JournalStore: Send {
    /// The transitions recorded after sequence number `after`, in order,
    /// each checked for damage.
    ///
    /// # Errors
    ///
    /// [`JournalError`] when the store cannot be read or is damaged.
    fn since(&mut self, after: u64) -> Result<Vec<Journaled>, JournalError>;

    /// The transition recorded under an idempotency key, if any.
    ///
    /// # Errors
    ///
    /// [`JournalError`] when the store cannot be read.
    fn find(&mut self, key: &str) -> Result<Option<Journaled>, JournalError>;

    /// Appends `transition` as change `after + 1` if the last change is
    /// `after` (and its idempotency key, if any, is unused); it must be
    /// durable when this returns [`Append::Recorded`].
    ///
    /// # Errors
    ///
    /// [`JournalError`] when it cannot be made durable; then nothing was
    /// appended.
    fn append(&mut self, after: u64, transition: &Transition) -> Result<Append, JournalError>;
}

/// The digest of a registry, as a journal records the base it applies to.
pub fn registry_digest(registry: &Registry) -> String {
    crate::digest::sha256_tagged(registry.to_json().as_bytes())
}

/// The acknowledgement of a change: returned only once it is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The change's sequence number in the journal: the registry version
    /// it produced.
    pub seq: u64,
    /// True when the change had been recorded before under the same
    /// idempotency key with the same content: this is that earlier
    /// acknowledgement, and nothing new was recorded.
    pub retried: bool,
}

/// How often [`DurableRegistry::apply`] reads another writer's changes and
/// checks again before giving up.
const MAX_ATTEMPTS: u32 = 32;

/// Whether two transitions are the same change: equal in everything but
/// the time a store recorded them.
fn same_change(a: &Transition, b: &Transition) -> bool {
    let strip = |t: &Transition| {
        let mut v = serde_json::to_value(t).unwrap_or(serde_json::Value::Null);
        if let Some(o) = v.as_object_mut() {
            o.remove("recorded_at");
        }
        v
    };
    strip(a) == strip(b)
}

#[derive(Debug)]
struct Writer<S> {
    store: S,
    version: u64,
}

/// A registry kept durable by a journal: a transition is checked against
/// the latest state (with any change another process appended read
/// first), made durable, then applied. Readers see the registry through
/// [`DurableRegistry::registry`]; writers are serialized.
#[derive(Debug)]
pub struct DurableRegistry<S: JournalStore = Journal> {
    registry: RwLock<Registry>,
    writer: Mutex<Writer<S>>,
}

impl<S: JournalStore> DurableRegistry<S> {
    /// Replays the store's transitions onto `base`.
    ///
    /// # Errors
    ///
    /// [`JournalError::Replay`] naming the first transition that does not
    /// apply, or the store's own errors (a damaged journal included).
    pub fn open(mut base: Registry, mut store: S) -> Result<Self, JournalError> {
        let mut version = 0;
        for j in store.since(0)? {
            base.apply(&j.transition)
                .map_err(|source| JournalError::Replay { seq: j.seq, source })?;
            version = j.seq;
        }
        Ok(Self {
            registry: RwLock::new(base),
            writer: Mutex::new(Writer { store, version }),
        })
    }

    /// The registry as it stands; hold the guard briefly (writers wait).
    pub fn registry(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sequence number of the last change applied: the registry's
    /// version.
    pub fn version(&self) -> u64 {
        self.writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .version
    }

    /// Reads and applies the changes other processes appended since; returns
    /// the version reached.
    ///
    /// # Errors
    ///
    /// As [`DurableRegistry::open`].
    pub fn refresh(&self) -> Result<u64, JournalError> {
        let mut w = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.catch_up(&mut w)?;
        Ok(w.version)
    }

    fn catch_up(&self, w: &mut Writer<S>) -> Result<(), JournalError> {
        let new = w.store.since(w.version)?;
        if new.is_empty() {
            return Ok(());
        }
        let mut registry = self
            .registry
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        for j in new {
            registry
                .apply(&j.transition)
                .map_err(|source| JournalError::Replay { seq: j.seq, source })?;
            w.version = j.seq;
        }
        Ok(())
    }

    /// Checks a transition against the latest state, makes it durable, then
    /// applies it. On any error nothing is written and nothing changes. A
    /// transition carrying an idempotency key already recorded with the
    /// same content is not recorded again: its earlier acknowledgement is
    /// returned (`retried`).
    ///
    /// # Errors
    ///
    /// [`JournalError::Transition`] when the transition does not fit the
    /// registry; [`JournalError::KeyConflict`] when its key was used for
    /// another change; [`JournalError::BadKey`]; the store's errors when
    /// it cannot be made durable.
    pub fn apply(&self, transition: &Transition) -> Result<Applied, JournalError> {
        if let Some(key) = &transition.idempotency_key
            && (key.is_empty() || key.len() > MAX_ID_LEN)
        {
            return Err(JournalError::BadKey {
                len: key.len(),
                max: MAX_ID_LEN,
            });
        }
        let mut w = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        for _ in 0..MAX_ATTEMPTS {
            self.catch_up(&mut w)?;
            if let Some(key) = &transition.idempotency_key
                && let Some(earlier) = w.store.find(key)?
                && earlier.seq <= w.version
            {
                return if same_change(&earlier.transition, transition) {
                    Ok(Applied {
                        seq: earlier.seq,
                        retried: true,
                    })
                } else {
                    Err(JournalError::KeyConflict {
                        key: key.clone(),
                        seq: earlier.seq,
                    })
                };
            }
            let checked = self.registry().check(transition)?;
            let after = w.version;
            match w.store.append(after, transition)? {
                Append::Recorded { seq } => {
                    let mut registry = self
                        .registry
                        .write()
                        .unwrap_or_else(PoisonError::into_inner);
                    registry.commit(checked)?;
                    w.version = seq;
                    return Ok(Applied {
                        seq,
                        retried: false,
                    });
                }
                Append::Behind => {}
            }
        }
        Err(JournalError::Contended {
            attempts: MAX_ATTEMPTS,
        })
    }

    /// The registry, consuming the durable wrapper.
    pub fn into_registry(self) -> Registry {
        self.registry
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
