//! The in-memory replica of the registry that each instance decides on:
//! loaded from the shared journal, kept current by a background thread
//! that is told of new changes (LISTEN/NOTIFY) and also polls by sequence,
//! so a lost notification delays a change but never loses it. A decision
//! reads memory only; freshness is checked, never waited for, except when
//! the host asks for at least a version it holds.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLockReadGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator as _;

use super::{CHANNEL, PgJournal, PgStore};
use crate::digest::ContentDigest;
use crate::error::{FactError, JournalError};
use crate::model::PurposeVocabulary;
use crate::model::{
    Contractor, ContractorId, Dataset, DatasetId, Department, DepartmentId, Grant, GrantId,
    Transition,
};
use crate::registry::{FactRecord, FactSource, Registry};
use crate::store::journal::{Applied, DurableRegistry};

/// How a [`Replica`] keeps current and when it stops serving facts.
/// Build with the methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaOptions {
    staleness: Duration,
    poll: Duration,
    wait: Duration,
}

impl Default for ReplicaOptions {
    fn default() -> Self {
        Self {
            staleness: Duration::from_secs(5),
            poll: Duration::from_millis(500),
            wait: Duration::from_secs(2),
        }
    }
}

impl ReplicaOptions {
    /// The defaults: a 5-second staleness bound, a poll every 500 ms, and
    /// a 2-second wait for a version asked for.
    pub fn new() -> Self {
        Self::default()
    }

    /// The staleness bound: a replica that has not read the journal
    /// successfully for longer denies every decision with
    /// `GS-FACTS-UNAVAILABLE` until it reads it again.
    #[must_use]
    pub fn staleness(mut self, bound: Duration) -> Self {
        self.staleness = bound;
        self
    }

    /// How often the journal is read when no notification comes (at least
    /// 1 ms; keep it well under the staleness bound).
    #[must_use]
    pub fn poll(mut self, interval: Duration) -> Self {
        self.poll = interval.max(Duration::from_millis(1));
        self
    }

    /// How long [`Replica::facts_at_least`] waits for the replica to reach
    /// the version asked for before its facts are unavailable.
    #[must_use]
    pub fn wait(mut self, bound: Duration) -> Self {
        self.wait = bound;
        self
    }
}

#[derive(Debug)]
struct Health {
    /// The last time the journal was read successfully.
    contact: Instant,
    /// The last failure to read it, while it lasts.
    failure: Option<String>,
    /// A change that does not replay: the replica stops for good.
    fatal: Option<String>,
}

#[derive(Debug)]
struct Shared {
    durable: DurableRegistry<PgJournal>,
    health: Mutex<Health>,
    changed: Condvar,
    stop: AtomicBool,
    options: ReplicaOptions,
}

impl Shared {
    fn health(&self) -> MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads what the journal holds past the replica's version, and
    /// records how that went.
    fn refresh(&self) {
        let result = self.durable.refresh();
        let mut h = self.health();
        match result {
            Ok(_) => {
                h.contact = Instant::now();
                h.failure = None;
            }
            Err(e @ (JournalError::Replay { .. } | JournalError::OtherBase { .. })) => {
                h.fatal = Some(crate::error::error_report(&e));
            }
            Err(JournalError::Store(crate::error::StoreError::Broken { path, broken })) => {
                h.fatal = Some(format!("store `{}` is damaged at {broken}", path.display()));
            }
            Err(e) => h.failure = Some(crate::error::error_report(&e)),
        }
        drop(h);
        self.changed.notify_all();
    }

    /// Sleeps up to `d`, waking early when the replica is dropped.
    fn pause(&self, d: Duration) {
        let h = self.health();
        let _ = self
            .changed
            .wait_timeout_while(h, d, |_| !self.stop.load(Ordering::Acquire));
    }

    /// Why facts cannot be served now, if they cannot.
    fn unavailable(&self) -> Option<String> {
        let h = self.health();
        if let Some(f) = &h.fatal {
            return Some(format!("the registry replica stopped: {f}"));
        }
        let age = h.contact.elapsed();
        if age > self.options.staleness {
            return Some(format!(
                "the registry replica has not read the shared journal for {} ms, past its staleness bound of {} ms{}",
                age.as_millis(),
                self.options.staleness.as_millis(),
                h.failure
                    .as_ref()
                    .map(|f| format!(" (last failure: {f})"))
                    .unwrap_or_default()
            ));
        }
        None
    }
}

fn listen(store: &PgStore) -> Option<postgres::Client> {
    let mut c = store.new_client().ok()?;
    c.batch_execute(&format!("LISTEN {CHANNEL}")).ok()?;
    Some(c)
}

/// The background thread: wait for a notification or the poll interval,
/// then read the journal; reconnect the listener when it drops.
fn run(shared: &Shared, store: &PgStore) {
    let poll = shared.options.poll;
    let mut listener = listen(store);
    while !shared.stop.load(Ordering::Acquire) {
        shared.refresh();
        if listener.as_ref().is_none_or(postgres::Client::is_closed) {
            listener = None;
            shared.pause(poll);
            if !shared.stop.load(Ordering::Acquire) {
                listener = listen(store);
            }
            continue;
        }
        let lost = listener.as_mut().is_some_and(|c| {
            let mut n = c.notifications();
            let first = n.timeout_iter(poll).next();
            // Several appends may have been announced: one read covers
            // them all.
            if let Ok(Some(_)) = first {
                while let Ok(Some(_)) = n.iter().next() {}
            }
            first.is_err()
        });
        if lost {
            listener = None;
        }
    }
}

/// An in-memory replica of the registry, kept current from a
/// [`PgStore`]'s journal by a background thread, and the facts the engine
/// decides on ([`Replica::facts`]). A decision reads memory only; each
/// reports the registry version it was made at (`registry_version`: the
/// sequence number of the last change applied).
///
/// Consistency, plainly:
///
/// - a change another instance recorded reaches this replica when it is
///   notified, or at the latest one poll interval later;
/// - [`Replica::facts_at_least`] serves facts at least as fresh as a version
///   the host holds (the [`Applied::seq`] of a change it just recorded,
///   whichever instance recorded it), waiting up to a bound, or none;
/// - a replica that has not read the journal for longer than its
///   staleness bound serves no facts: every decision is a deny with
///   `GS-FACTS-UNAVAILABLE`, until it reads the journal again;
/// - a journal change that does not replay, or a damaged journal, stops
///   the replica for good (fail closed).
///
/// # Example
///
/// ```no_run
/// use govshare::store::{PgStore, Replica, ReplicaOptions};
/// use govshare::{Engine, Registry, UsageRequest};
///
/// let store = PgStore::connect("postgres://govshare@db.example/govshare")?;
/// let base = Registry::from_json_str(include_str!("../../../examples/data/registry.json"))?;
/// let replica = Replica::open(&store, base, ReplicaOptions::new())?;
/// let engine = Engine::builder().build()?;
/// let request = UsageRequest::from_json(include_str!("../../../examples/data/requests/01-allow.json"))?;
/// let decision = engine.evaluate(&request, &replica.facts());
/// assert_eq!(decision.registry_version(), Some(replica.version()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Replica {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Replica {
    /// Loads the registry: `base` with every change of the store's journal
    /// replayed, each checked; then starts the thread that keeps it
    /// current.
    ///
    /// # Errors
    ///
    /// [`JournalError::OtherBase`] when the journal was written over
    /// another base; [`JournalError::Replay`] for a change that does not
    /// apply; the store's errors (a damaged journal included).
    pub fn open(
        store: &PgStore,
        base: Registry,
        options: ReplicaOptions,
    ) -> Result<Self, JournalError> {
        let journal = store.journal(&base)?;
        let durable = DurableRegistry::open(base, journal)?;
        let shared = Arc::new(Shared {
            durable,
            health: Mutex::new(Health {
                contact: Instant::now(),
                failure: None,
                fatal: None,
            }),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
            options,
        });
        let location = store.location().to_owned();
        let thread = {
            let shared = Arc::clone(&shared);
            let store = store.clone();
            std::thread::Builder::new()
                .name("govshare-replica".into())
                .spawn(move || run(&shared, &store))
                .map_err(|e| {
                    JournalError::Store(crate::error::StoreError::Io {
                        path: location,
                        source: Box::new(e),
                    })
                })?
        };
        Ok(Self {
            shared,
            thread: Some(thread),
        })
    }

    /// The version reached: the sequence number of the last change
    /// applied.
    pub fn version(&self) -> u64 {
        self.shared.durable.version()
    }

    /// The facts as they stand, for one decision (hold them briefly: the
    /// background thread waits to apply a change while they are held).
    /// Past the staleness bound they are unavailable, and the engine
    /// denies with `GS-FACTS-UNAVAILABLE`.
    pub fn facts(&self) -> ReplicaFacts<'_> {
        ReplicaFacts {
            unavailable: self.shared.unavailable(),
            registry: self.shared.durable.registry(),
        }
    }

    /// The facts at `version` or later: when the replica is behind, it
    /// waits for the background thread (told of each change, and reading
    /// the journal every poll interval) up to the bound
    /// ([`ReplicaOptions::wait`]). Still behind then, the
    /// facts are unavailable, and the engine denies with
    /// `GS-FACTS-UNAVAILABLE`.
    pub fn facts_at_least(&self, version: u64) -> ReplicaFacts<'_> {
        if self.version() < version {
            // The background thread reads the journal when notified and
            // every poll interval; waiting on it (rather than reading here)
            // keeps the wait within its bound even when the database hangs.
            let deadline = Instant::now() + self.shared.options.wait;
            let mut h = self.shared.health();
            while self.version() < version && h.fatal.is_none() {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                h = self
                    .shared
                    .changed
                    .wait_timeout(h, deadline - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
        let mut facts = self.facts();
        let reached = facts.registry.version().unwrap_or(0);
        if facts.unavailable.is_none() && reached < version {
            facts.unavailable = Some(format!(
                "the registry replica is at version {reached}, not yet at version {version} asked for, after waiting {} ms",
                self.shared.options.wait.as_millis()
            ));
        }
        facts
    }

    /// Records a lifecycle change in the shared journal and applies it
    /// here, as [`DurableRegistry::apply`] does; the other instances learn
    /// of it by notification. Pass the returned [`Applied::seq`] to any
    /// instance's [`Replica::facts_at_least`] for decisions that see it.
    ///
    /// # Errors
    ///
    /// As [`DurableRegistry::apply`].
    pub fn apply(&self, transition: &Transition) -> Result<Applied, JournalError> {
        let applied = self.shared.durable.apply(transition)?;
        self.shared.health().contact = Instant::now();
        self.shared.changed.notify_all();
        Ok(applied)
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.changed.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The facts of a [`Replica`] for one decision: the registry as it stood
/// when they were taken, or, when the replica is stale or behind the
/// version asked for, a [`FactError`] from every lookup (so the decision
/// is a deny with `GS-FACTS-UNAVAILABLE`). It reports the replica's
/// version as `registry_version`.
#[derive(Debug)]
pub struct ReplicaFacts<'a> {
    registry: RwLockReadGuard<'a, Registry>,
    unavailable: Option<String>,
}

impl ReplicaFacts<'_> {
    fn check(&self) -> Result<&Registry, FactError> {
        match &self.unavailable {
            Some(why) => Err(FactError::new(why.clone())),
            None => Ok(&self.registry),
        }
    }

    /// Why the facts are unavailable, if they are.
    pub fn unavailable(&self) -> Option<&str> {
        self.unavailable.as_deref()
    }
}

impl FactSource for ReplicaFacts<'_> {
    fn department(&self, id: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError> {
        self.check()?.department(id)
    }

    fn dataset(&self, id: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError> {
        self.check()?.dataset(id)
    }

    fn grant(&self, id: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError> {
        self.check()?.grant(id)
    }

    fn grants_for(
        &self,
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        self.check()?.grants_for(requester, dataset)
    }

    fn grants_of(&self, requester: &DepartmentId) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        self.check()?.grants_of(requester)
    }

    fn purposes(&self) -> Result<Option<Cow<'_, PurposeVocabulary>>, FactError> {
        self.check()?.purposes()
    }

    fn registry_version(&self) -> Option<u64> {
        self.registry.version()
    }

    fn content_digest(&self, record: FactRecord<'_>) -> Option<ContentDigest> {
        self.registry.content_digest(record)
    }

    fn contractor(&self, id: &ContractorId) -> Result<Option<Cow<'_, Contractor>>, FactError> {
        self.check()?.contractor(id)
    }

    fn contractors_of(
        &self,
        department: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Contractor>>, FactError> {
        self.check()?.contractors_of(department, dataset)
    }
}
