//! The registry journal: every lifecycle change kept durably, in order,
//! so the grants, purpose ends, disposals and suspensions of a platform
//! survive a crash; and [`DurableRegistry`], the registry that replays it
//! and appends to it.

use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard};

use serde::Serialize;

use super::sqlite::Journal;
use crate::error::JournalError;
use crate::limits::MAX_ID_LEN;
use crate::model::Transition;
use crate::registry::Registry;
use crate::time::{Clock, SystemClock};

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
    /// `after` (and its idempotency key, if any, is unused), exactly as
    /// given (stamped with its `recorded_at` by [`DurableRegistry::apply`]);
    /// it must be durable when this returns [`Append::Recorded`].
    ///
    /// # Errors
    ///
    /// [`JournalError`] when it cannot be made durable; then nothing was
    /// appended.
    fn append(&mut self, after: u64, transition: &Transition) -> Result<Append, JournalError>;

    /// The clock the store keeps, if it keeps one: a [`DurableRegistry`]
    /// over this journal stamps its changes from it, so that a store's
    /// records, checkpoints and changes read one time. `None` (the
    /// default): the system clock.
    fn clock(&self) -> Option<Arc<dyn Clock>> {
        None
    }
}

/// A boxed journal is a journal: a host picks its backend at run time
/// (`DurableRegistry<Box<dyn JournalStore>>`).
impl<S: JournalStore + ?Sized> JournalStore for Box<S> {
    fn since(&mut self, after: u64) -> Result<Vec<Journaled>, JournalError> {
        (**self).since(after)
    }

    fn find(&mut self, key: &str) -> Result<Option<Journaled>, JournalError> {
        (**self).find(key)
    }

    fn append(&mut self, after: u64, transition: &Transition) -> Result<Append, JournalError> {
        (**self).append(after, transition)
    }

    fn clock(&self) -> Option<Arc<dyn Clock>> {
        (**self).clock()
    }
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

/// A registry kept durable by a journal: a transition is stamped with the
/// time it is recorded, checked against the latest state (with any change
/// another process appended read first), made durable, then applied.
/// Readers see the registry through [`DurableRegistry::registry`]; writers
/// are serialized.
///
/// The registry's version ([`Registry::version`], which decisions made on
/// it report as `registry_version`) is the journal's sequence number of the
/// last change applied, the same number [`DurableRegistry::version`] and
/// [`Applied::seq`] give.
#[derive(Debug)]
pub struct DurableRegistry<S: JournalStore = Journal> {
    registry: RwLock<Registry>,
    store: Mutex<S>,
    clock: Arc<dyn Clock>,
}

impl<S: JournalStore> DurableRegistry<S> {
    /// Replays the store's transitions onto `base`, each checked as of the
    /// time it was recorded (its stored `recorded_at`). New transitions are
    /// stamped from the store's clock ([`JournalStore::clock`]; the system
    /// clock when it keeps none); see [`DurableRegistry::with_clock`].
    ///
    /// # Errors
    ///
    /// [`JournalError::Replay`] naming the first transition that does not
    /// apply, or the store's own errors (a damaged journal included).
    pub fn open(mut base: Registry, mut store: S) -> Result<Self, JournalError> {
        base.set_version(Some(0));
        for j in store.since(0)? {
            base.apply(&j.transition)
                .map_err(|source| JournalError::Replay { seq: j.seq, source })?;
            base.set_version(Some(j.seq));
        }
        let clock = store.clock().unwrap_or_else(|| Arc::new(SystemClock));
        Ok(Self {
            registry: RwLock::new(base),
            store: Mutex::new(store),
            clock,
        })
    }

    /// Stamps new transitions from `clock` instead of the store's: a host
    /// with its own trusted time, or a test that sets the time.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{DepartmentId, Registry};
    /// use govshare::lifecycle::{Change, Transition};
    /// use govshare::store::{DurableRegistry, Store};
    /// use govshare::time::{ManualClock, parse_rfc3339};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = Store::open(dir.path().join("govshare.db"))?;
    /// let base = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// let clock = ManualClock::new(parse_rfc3339("2026-11-10T09:00:00+08:00")?);
    /// let durable = DurableRegistry::open(base.clone(), store.journal(&base)?)?.with_clock(clock);
    /// // Grant …05 was suspended on 20 October; its provider reinstates it.
    /// let reinstate = |at| -> Result<Transition, Box<dyn std::error::Error>> {
    ///     Ok(Transition::new(parse_rfc3339(at)?, DepartmentId::new("hz-amr")?, "杭州市市场监督管理局",
    ///         "已改正", Change::Reinstated { grant: "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05".parse()? }))
    /// };
    /// // Dated nine days before it is recorded, it would reach back: refused.
    /// assert!(durable.apply(&reinstate("2026-11-01T09:00:00+08:00")?).is_err());
    /// let applied = durable.apply(&reinstate("2026-11-10T09:00:00+08:00")?)?;
    /// assert_eq!(applied.seq, 1);
    /// assert_eq!(durable.registry().version(), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The registry as it stands; hold the guard briefly (writers wait).
    pub fn registry(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sequence number of the last change applied: the registry's
    /// version, as [`Registry::version`] gives it.
    pub fn version(&self) -> u64 {
        self.registry().version().unwrap_or(0)
    }

    /// Reads and applies the changes other processes appended since; returns
    /// the version reached.
    ///
    /// # Errors
    ///
    /// As [`DurableRegistry::open`].
    pub fn refresh(&self) -> Result<u64, JournalError> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        self.catch_up(&mut store)
    }

    /// Applies what the journal holds past this registry's version; returns
    /// the version reached. Call with the store's lock held.
    fn catch_up(&self, store: &mut S) -> Result<u64, JournalError> {
        let version = self.version();
        let new = store.since(version)?;
        if new.is_empty() {
            return Ok(version);
        }
        let mut registry = self
            .registry
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        for j in new {
            registry
                .apply(&j.transition)
                .map_err(|source| JournalError::Replay { seq: j.seq, source })?;
            registry.set_version(Some(j.seq));
        }
        Ok(registry.version().unwrap_or(0))
    }

    /// Stamps a transition with the time it is recorded (its `recorded_at`,
    /// from this registry's clock; any value the caller set is replaced),
    /// checks it against the latest state, makes it durable, then applies
    /// it. On any error nothing is written and nothing changes. A
    /// transition carrying an idempotency key already recorded with the
    /// same content (its `recorded_at` aside) is not recorded again: its
    /// earlier acknowledgement is returned (`retried`).
    ///
    /// # Errors
    ///
    /// [`JournalError::Transition`] when the transition does not fit the
    /// registry (its state, who may make it, or when: a change that widens
    /// what the requester may do cannot take effect before it is
    /// recorded); [`JournalError::KeyConflict`] when its key was used for
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
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        for _ in 0..MAX_ATTEMPTS {
            let after = self.catch_up(&mut store)?;
            if let Some(key) = &transition.idempotency_key
                && let Some(earlier) = store.find(key)?
                && earlier.seq <= after
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
            let mut stamped = transition.clone();
            stamped.recorded_at = Some(self.clock.now());
            let checked = self.registry().check(&stamped)?;
            match store.append(after, &stamped)? {
                Append::Recorded { seq } => {
                    let mut registry = self
                        .registry
                        .write()
                        .unwrap_or_else(PoisonError::into_inner);
                    registry.commit(checked)?;
                    registry.set_version(Some(seq));
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
