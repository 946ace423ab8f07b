//! The shared store: the registry journal, the usage record and their
//! signed checkpoints in a PostgreSQL database (or one that speaks its
//! protocol and SQL: openGauss, KingbaseES, GaussDB), for several
//! instances of govshare at once. The chain, checkpoint and export formats
//! are the backend-independent ones of `chain`, `verify` and `export`: a
//! PostgreSQL store verifies, exports and imports exactly as an SQLite one.
//!
//! The client is the synchronous `postgres` crate, so that the C ABI and
//! hosts without an async runtime use it as they use the SQLite store.
//!
//! Appends from every instance are serialised through the database: each
//! write transaction first locks both head rows (`SELECT … FOR UPDATE`, in
//! one order), so the chains have no gaps and no forks however many
//! processes write, and a checkpoint always signs a consistent pair of
//! heads. An append is acknowledged only once its transaction committed.

mod replica;
mod schema;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Months};
use postgres::fallible_iterator::FallibleIterator as _;
use postgres::types::ToSql;
use postgres::{Client, Config, GenericClient, IsolationLevel, NoTls, Transaction};
use serde::Serialize;

pub use replica::{Replica, ReplicaFacts, ReplicaOptions};

use super::chain::{
    self, Checked, Checkpoint, CheckpointKind, Header, JournalRow, Position, PrunedRange, RecordRow,
};
use super::crypto::{HashAlgorithm, PublicKey, SignatureAlgorithm, SigningKey};
use super::export;
use super::journal::{Append, JournalStore, Journaled, registry_digest};
use super::sqlite::{Entry, Imported, Pruned, StoreOptions, header_from_map, header_rows};
use super::verify::{Verifier, VerifyReport};
use crate::audit::{Appended, Query, RETENTION_YEARS, Record, RecordSink};
use crate::decision::Decision;
use crate::engine::UsageRequest;
use crate::error::{Break, JournalError, Log, Place, RecordError, StoreError};
use crate::model::Transition;
use crate::registry::Registry;
use crate::time::{Clock, format_rfc3339, parse_rfc3339};

/// The channel on which an append of a journal change is announced.
pub(crate) const CHANNEL: &str = "govshare_journal";

/// How long connecting may take before it fails.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

fn db(path: &Path) -> impl Fn(postgres::Error) -> StoreError + '_ {
    move |e| {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Locked {
                path: path.to_owned(),
            },
            Some(c) if *c == SqlState::DISK_FULL => StoreError::Full {
                path: path.to_owned(),
                source: Box::new(e),
            },
            _ => StoreError::Io {
                path: path.to_owned(),
                source: Box::new(e),
            },
        }
    }
}

fn broken(path: &Path) -> impl Fn(Break) -> StoreError + '_ {
    move |b| StoreError::Broken {
        path: path.to_owned(),
        broken: b,
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A connection string as errors name it: its password replaced by `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url
            .split_whitespace()
            .map(|kv| {
                if kv.starts_with("password=") {
                    "password=***"
                } else {
                    kv
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.find("password=") {
        Some(i) => {
            let (before, after) = tail.split_at(i);
            let rest = after.find('&').map_or("", |j| after.get(j..).unwrap_or(""));
            format!("{before}password=***{rest}")
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// What `PgStore::migrate` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migrated {
    /// The migrations applied now, by name, oldest first; empty when the
    /// schema was already current.
    pub applied: Vec<String>,
}

struct Conn {
    client: Option<Client>,
    checked: Checked,
}

struct Inner {
    config: Config,
    location: PathBuf,
    conn: Mutex<Conn>,
    key: Option<SigningKey>,
    clock: Arc<dyn Clock>,
    every: u64,
    after: Duration,
    busy: Duration,
    read_only: bool,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

/// A govshare store in a PostgreSQL database: the registry journal
/// ([`PgStore::journal`]), the Art. 29 usage record (a [`RecordSink`]),
/// their signed checkpoints, and the in-memory [`Replica`] of the registry
/// each instance decides on. Many processes on many machines share one;
/// cloning shares one connection, which is re-established when it drops.
///
/// Errors name the store by its connection string with the password
/// hidden, in the `path` of [`StoreError`].
///
/// # Example
///
/// ```no_run
/// use govshare::audit::{Record, RecordSink as _};
/// use govshare::store::{PgStore, SignatureAlgorithm, SigningKey, StoreOptions};
/// use govshare::{Engine, Registry, UsageRequest};
///
/// let key = SigningKey::generate(SignatureAlgorithm::Sm2)?;
/// let store = PgStore::connect_with("postgres://govshare@db.example/govshare", StoreOptions::new().signing_key(key.clone()))?;
/// let engine = Engine::builder().build()?;
/// let registry = Registry::from_json_str(include_str!("../../../examples/data/registry.json"))?;
/// let request = UsageRequest::from_json(include_str!("../../../examples/data/requests/01-allow.json"))?;
/// store.record(&Record::decision(&request, &engine.evaluate(&request, &registry)))?;
/// assert!(store.verify(Some(&key.public_key()))?.is_intact());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

fn parse_config(url: &str) -> Result<(Config, PathBuf), StoreError> {
    let location = PathBuf::from(redact(url));
    let mut config: Config = url.parse().map_err(|e| StoreError::Io {
        path: location.clone(),
        source: Box::new(e),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("govshare");
    }
    Ok((config, location))
}

fn connect(config: &Config, path: &Path, busy: Duration) -> Result<Client, StoreError> {
    let mut client = config.connect(NoTls).map_err(db(path))?;
    let ms = busy.as_millis().max(1);
    client
        .batch_execute(&format!("SET lock_timeout = {ms}"))
        .map_err(db(path))?;
    Ok(client)
}

/// Reads the header rows; any key missing or unknown is damage to it.
fn load_header(
    client: &mut impl GenericClient,
    path: &Path,
) -> Result<Result<Header, Break>, StoreError> {
    let rows = client
        .query("SELECT key, value FROM govshare_meta ORDER BY key", &[])
        .map_err(db(path))?;
    let mut map = BTreeMap::new();
    for r in rows {
        map.insert(
            r.try_get::<_, String>(0).map_err(db(path))?,
            r.try_get::<_, String>(1).map_err(db(path))?,
        );
    }
    Ok(header_from_map(map))
}

fn checked_header(client: &mut impl GenericClient, path: &Path) -> Result<Checked, StoreError> {
    load_header(client, path)?
        .and_then(Header::check)
        .map_err(broken(path))
}

/// Writes the header of a new store, unless another process did.
fn ensure_header(
    client: &mut Client,
    path: &Path,
    options: &StoreOptions,
) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(db(path))?;
    tx.batch_execute("LOCK TABLE govshare_meta IN EXCLUSIVE MODE")
        .map_err(db(path))?;
    let any = tx
        .query_opt("SELECT key FROM govshare_meta LIMIT 1", &[])
        .map_err(db(path))?;
    if any.is_some() {
        return tx.commit().map_err(db(path));
    }
    let hash = options
        .hash
        .or(options.key.as_ref().map(|k| k.algorithm().hash()))
        .unwrap_or(HashAlgorithm::Sm3);
    let header = Header::new(
        uuid::Uuid::new_v4().to_string(),
        hash,
        options.key.as_ref(),
        format_rfc3339(&options.clock.now()),
    )
    .map_err(|e| StoreError::Io {
        path: path.to_owned(),
        source: Box::new(e),
    })?;
    for (k, v) in header_rows(&header) {
        tx.execute(
            "INSERT INTO govshare_meta (key, value) VALUES ($1, $2)",
            &[&k, &v],
        )
        .map_err(db(path))?;
    }
    tx.execute(
        "INSERT INTO govshare_heads (log, seq, hash) VALUES ('journal', 0, ''), ('record', 0, $1)",
        &[&header.record_start(hash)],
    )
    .map_err(db(path))?;
    tx.commit().map_err(db(path))
}

/// A log's head, read as it stands.
fn head(client: &mut impl GenericClient, path: &Path, log: Log) -> Result<Position, StoreError> {
    let row = client
        .query_opt(
            "SELECT seq, hash FROM govshare_heads WHERE log = $1",
            &[&log.as_str()],
        )
        .map_err(db(path))?;
    match row {
        Some(r) => Ok(Position {
            seq: to_u64(r.try_get(0).map_err(db(path))?),
            head: r.try_get(1).map_err(db(path))?,
        }),
        None => Err(broken(path)(Break {
            place: Place::Head { log },
            problem: "missing".into(),
        })),
    }
}

/// Locks both heads, journal first, for the rest of the transaction: every
/// writer takes them in this order, so appends are serialised without
/// deadlock. Returns (journal, record).
fn lock_heads(tx: &mut Transaction<'_>, path: &Path) -> Result<(Position, Position), StoreError> {
    let rows = tx
        .query(
            "SELECT log, seq, hash FROM govshare_heads WHERE log IN ('journal', 'record') ORDER BY log FOR UPDATE",
            &[],
        )
        .map_err(db(path))?;
    let mut journal = None;
    let mut record = None;
    for r in rows {
        let log: String = r.try_get(0).map_err(db(path))?;
        let pos = Position {
            seq: to_u64(r.try_get(1).map_err(db(path))?),
            head: r.try_get(2).map_err(db(path))?,
        };
        match log.as_str() {
            "journal" => journal = Some(pos),
            _ => record = Some(pos),
        }
    }
    let missing = |log| {
        broken(path)(Break {
            place: Place::Head { log },
            problem: "missing".into(),
        })
    };
    Ok((
        journal.ok_or_else(|| missing(Log::Journal))?,
        record.ok_or_else(|| missing(Log::Record))?,
    ))
}

fn set_head(
    tx: &mut Transaction<'_>,
    path: &Path,
    log: Log,
    pos: &Position,
) -> Result<(), StoreError> {
    let n = tx
        .execute(
            "UPDATE govshare_heads SET seq = $1, hash = $2 WHERE log = $3",
            &[&to_i64(pos.seq), &pos.head, &log.as_str()],
        )
        .map_err(db(path))?;
    if n == 1 {
        Ok(())
    } else {
        Err(broken(path)(Break {
            place: Place::Head { log },
            problem: "missing".into(),
        }))
    }
}

const CHECKPOINT_COLUMNS: &str = "id, kind, at, journal_seq, journal_head, record_seq, record_head, pruned_seq, pruned_head, pruned_cutoff, signature";

/// A checkpoint row, or its number and why it cannot be read as one.
type RowCheckpoint = Result<Checkpoint, (u64, String)>;

fn read_checkpoint(r: &postgres::Row) -> Result<RowCheckpoint, postgres::Error> {
    let id = to_u64(r.try_get(0)?);
    let kind: String = r.try_get(1)?;
    let pruned_seq: Option<i64> = r.try_get(7)?;
    let pruned_head: Option<String> = r.try_get(8)?;
    let pruned_cutoff: Option<String> = r.try_get(9)?;
    let Some(kind) = CheckpointKind::parse(&kind) else {
        return Ok(Err((id, format!("unknown kind `{kind}`"))));
    };
    let pruned = match (pruned_seq, pruned_head, pruned_cutoff) {
        (None, None, None) => None,
        (Some(seq), Some(head), Some(cutoff)) => Some(PrunedRange {
            seq: to_u64(seq),
            head,
            cutoff,
        }),
        _ => return Ok(Err((id, "a partly filled pruned range".into()))),
    };
    Ok(Ok(Checkpoint {
        id,
        kind,
        at: r.try_get(2)?,
        journal: Position {
            seq: to_u64(r.try_get(3)?),
            head: r.try_get(4)?,
        },
        record: Position {
            seq: to_u64(r.try_get(5)?),
            head: r.try_get(6)?,
        },
        pruned,
        signature: r.try_get(10)?,
    }))
}

fn all_checkpoints(
    client: &mut impl GenericClient,
    path: &Path,
) -> Result<Vec<RowCheckpoint>, StoreError> {
    let rows = client
        .query(
            &format!("SELECT {CHECKPOINT_COLUMNS} FROM govshare_checkpoints ORDER BY id"),
            &[],
        )
        .map_err(db(path))?;
    rows.iter()
        .map(|r| read_checkpoint(r).map_err(db(path)))
        .collect()
}

fn journal_row(r: &postgres::Row) -> Result<JournalRow, postgres::Error> {
    Ok(JournalRow {
        seq: to_u64(r.try_get(0)?),
        key: r.try_get(1)?,
        prev: r.try_get(2)?,
        hash: r.try_get(3)?,
        bytes: r.try_get(4)?,
    })
}

fn record_row(r: &postgres::Row) -> Result<RecordRow, postgres::Error> {
    Ok(RecordRow {
        seq: to_u64(r.try_get(0)?),
        appended_at: r.try_get(1)?,
        prev: r.try_get(2)?,
        hash: r.try_get(3)?,
        bytes: r.try_get(4)?,
    })
}

/// Streams the journal rows after `after`, in order, to `f`.
fn for_each_journal_row<E: From<StoreError>>(
    tx: &mut Transaction<'_>,
    path: &Path,
    after: u64,
    mut f: impl FnMut(JournalRow) -> Result<(), E>,
) -> Result<(), E> {
    let after = to_i64(after);
    let params: [&(dyn ToSql + Sync); 1] = [&after];
    let mut rows = tx
        .query_raw(
            "SELECT seq, idempotency_key, prev, hash, transition FROM govshare_journal WHERE seq > $1 ORDER BY seq",
            params,
        )
        .map_err(db(path))?;
    while let Some(r) = rows.next().map_err(db(path))? {
        f(journal_row(&r).map_err(db(path))?)?;
    }
    Ok(())
}

/// Streams every usage record row, in order, to `f`.
fn for_each_record_row<E: From<StoreError>>(
    tx: &mut Transaction<'_>,
    path: &Path,
    mut f: impl FnMut(RecordRow) -> Result<(), E>,
) -> Result<(), E> {
    let params: [&(dyn ToSql + Sync); 0] = [];
    let mut rows = tx
        .query_raw(
            "SELECT seq, appended_at, prev, hash, record FROM govshare_records ORDER BY seq",
            params,
        )
        .map_err(db(path))?;
    while let Some(r) = rows.next().map_err(db(path))? {
        f(record_row(&r).map_err(db(path))?)?;
    }
    Ok(())
}

/// A failed check inside the walk, told apart from a failed read.
enum Stop {
    Store(StoreError),
    Break(Break),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Self {
        Stop::Store(e)
    }
}

/// Verifies the whole store inside one snapshot.
fn verify_in(
    tx: &mut Transaction<'_>,
    path: &Path,
    public_key: Option<&PublicKey>,
) -> Result<VerifyReport, StoreError> {
    let checked = checked_header(tx, path)?;
    let mut v = Verifier::new(checked, public_key).map_err(broken(path))?;
    let walk = (|| -> Result<(), Stop> {
        schema::check(tx, path)?.map_err(Stop::Break)?;
        for c in all_checkpoints(tx, path)? {
            match c {
                Ok(c) => v.checkpoint(&c).map_err(Stop::Break)?,
                Err((id, problem)) => {
                    return Err(Stop::Break(Break {
                        place: Place::Checkpoint { id },
                        problem,
                    }));
                }
            }
        }
        for_each_journal_row(tx, path, 0, |row| {
            v.journal_row(&row, true).map_err(Stop::Break)
        })?;
        for_each_record_row(tx, path, |row| v.record_row(&row).map_err(Stop::Break))?;
        Ok(())
    })();
    match walk {
        Ok(()) => {}
        Err(Stop::Store(StoreError::Broken { broken, .. }) | Stop::Break(broken)) => {
            return Ok(v.broken_report(broken));
        }
        Err(Stop::Store(e)) => return Err(e),
    }
    let (j, r) = match (head(tx, path, Log::Journal), head(tx, path, Log::Record)) {
        (Ok(j), Ok(r)) => (j, r),
        (Err(StoreError::Broken { broken, .. }), _)
        | (_, Err(StoreError::Broken { broken, .. })) => return Ok(v.broken_report(broken)),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let unknown = tx
        .query_opt(
            "SELECT log FROM govshare_heads WHERE log NOT IN ('journal', 'record') LIMIT 1",
            &[],
        )
        .map_err(db(path))?;
    if let Some(row) = unknown {
        let log: String = row.try_get(0).map_err(db(path))?;
        return Ok(v.broken_report(Break {
            place: Place::Head { log: Log::Record },
            problem: format!("a head for an unknown log `{log}`"),
        }));
    }
    match v.finish(Some((&j, &r))) {
        Ok(report) => Ok(report),
        Err((b, mut report)) => {
            report.broken = Some(b);
            Ok(*report)
        }
    }
}

impl PgStore {
    /// Whether a store location names a PostgreSQL database rather than a
    /// file: a `postgres://` or `postgresql://` connection URL.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::store::PgStore;
    ///
    /// assert!(PgStore::is_url("postgres://govshare@db.example/govshare"));
    /// assert!(!PgStore::is_url("govshare.db"));
    /// ```
    pub fn is_url(location: &str) -> bool {
        location.starts_with("postgres://") || location.starts_with("postgresql://")
    }

    /// Connects to the store in the database `url` names (a
    /// `postgres://` URL or a `key=value` connection string) for reading
    /// and writing, with the default options (no key). See
    /// [`PgStore::connect_with`].
    ///
    /// # Errors
    ///
    /// As [`PgStore::connect_with`].
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, StoreOptions::new())
    }

    /// Connects for reading and writing: applies the pending schema
    /// migrations (recorded in `govshare_migrations`) and creates the
    /// store's header when the database holds none, as one process does
    /// while the others wait. `options` as for the SQLite store; its
    /// `busy_timeout` is the database's `lock_timeout`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] when the database cannot be reached or the
    /// connection string does not parse; [`StoreError::Schema`] for a
    /// schema of a newer library; [`StoreError::Broken`] when the header
    /// fails its check; [`StoreError::WrongKey`] when the key given is not
    /// the store's.
    pub fn connect_with(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let (config, location) = parse_config(url)?;
        let mut client = connect(&config, &location, options.busy)?;
        schema::migrate(&mut client, &location)?;
        ensure_header(&mut client, &location, &options)?;
        let checked = checked_header(&mut client, &location)?;
        match (&options.key, &checked.key) {
            (Some(k), Some(p)) if &k.public_key() == p => {}
            (Some(_), _) => return Err(StoreError::WrongKey { path: location }),
            (None, _) => {}
        }
        Ok(Self::wrap(
            config, location, client, checked, options, false,
        ))
    }

    /// Connects to an existing store for reading only: nothing is created
    /// or migrated.
    ///
    /// # Errors
    ///
    /// [`StoreError::Schema`] when the schema is missing or needs a
    /// migration; [`StoreError::Broken`] when the header fails its check;
    /// [`StoreError::Io`].
    pub fn connect_read_only(url: &str) -> Result<Self, StoreError> {
        let options = StoreOptions::new();
        let (config, location) = parse_config(url)?;
        let mut client = connect(&config, &location, options.busy)?;
        schema::check(&mut client, &location)?.map_err(broken(&location))?;
        let checked = checked_header(&mut client, &location)?;
        Ok(Self::wrap(config, location, client, checked, options, true))
    }

    /// Applies the pending schema migrations to the database `url` names,
    /// and creates the store's header when it holds none
    /// (`govshare store migrate`).
    ///
    /// # Errors
    ///
    /// As [`PgStore::connect_with`].
    pub fn migrate(url: &str, options: StoreOptions) -> Result<Migrated, StoreError> {
        let (config, location) = parse_config(url)?;
        let mut client = connect(&config, &location, options.busy)?;
        let applied = schema::migrate(&mut client, &location)?;
        ensure_header(&mut client, &location, &options)?;
        checked_header(&mut client, &location)?;
        Ok(Migrated { applied })
    }

    fn wrap(
        config: Config,
        location: PathBuf,
        client: Client,
        checked: Checked,
        options: StoreOptions,
        read_only: bool,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                location,
                conn: Mutex::new(Conn {
                    client: Some(client),
                    checked,
                }),
                key: options.key,
                clock: options.clock,
                every: options.every,
                after: options.after,
                busy: options.busy,
                read_only,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Conn> {
        self.inner
            .conn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The connection, re-established when it was lost.
    fn client<'c>(&self, conn: &'c mut Conn) -> Result<&'c mut Client, StoreError> {
        let path = &self.inner.location;
        if conn.client.as_ref().is_none_or(Client::is_closed) {
            conn.client = None;
            conn.client = Some(connect(&self.inner.config, path, self.inner.busy)?);
        }
        conn.client.as_mut().ok_or_else(|| StoreError::Schema {
            path: path.clone(),
            why: "no connection".into(),
        })
    }

    /// A new connection of this store's, for a listener.
    pub(crate) fn new_client(&self) -> Result<Client, StoreError> {
        connect(&self.inner.config, &self.inner.location, self.inner.busy)
    }

    /// The store's connection string, its password hidden.
    pub fn location(&self) -> &Path {
        &self.inner.location
    }

    /// The store's identity (a UUID fixed at creation).
    pub fn id(&self) -> String {
        self.lock().checked.header.store.clone()
    }

    /// The chain hash its header names.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.lock().checked.hash
    }

    /// The signature algorithm its header names, if it is signed.
    pub fn signature_algorithm(&self) -> Option<SignatureAlgorithm> {
        self.lock().checked.signature
    }

    /// The public key its header names, if it is signed.
    pub fn public_key(&self) -> Option<PublicKey> {
        self.lock().checked.key.clone()
    }

    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.inner.clock)
    }

    fn writable(&self) -> Result<(), StoreError> {
        let path = self.inner.location.clone();
        if self.inner.read_only {
            return Err(StoreError::ReadOnly { path });
        }
        if self.lock().checked.key.is_some() && self.inner.key.is_none() {
            return Err(StoreError::KeyRequired { path });
        }
        Ok(())
    }

    /// The registry journal of this store for the base registry `base`.
    ///
    /// # Errors
    ///
    /// [`JournalError::OtherBase`] when the store's journal was written
    /// over another base registry.
    pub fn journal(&self, base: &Registry) -> Result<PgJournal, JournalError> {
        let digest = registry_digest(base);
        if let Some(b) = &self.lock().checked.header.journal_base
            && b != &digest
        {
            return Err(JournalError::OtherBase {
                path: self.inner.location.clone(),
                journal: b.clone(),
                base: digest,
            });
        }
        Ok(PgJournal {
            store: self.clone(),
            base: digest,
            last: Position {
                seq: 0,
                head: String::new(),
            },
        })
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

    /// Appends several records in one transaction: all are durable when
    /// this returns, or none was appended.
    ///
    /// # Errors
    ///
    /// As [`RecordSink::record`].
    pub fn record_batch(&self, records: &[Record]) -> Result<Vec<Appended>, RecordError> {
        let bytes = records
            .iter()
            .map(serde_json::to_vec)
            .collect::<Result<Vec<_>, _>>()
            .map_err(RecordError::Serialize)?;
        Ok(self.append_record_bytes(&bytes)?)
    }

    fn append_record_bytes(&self, records: &[Vec<u8>]) -> Result<Vec<Appended>, StoreError> {
        self.writable()?;
        let path = &self.inner.location;
        let mut conn = self.lock();
        let hash = conn.checked.hash;
        let store_id = conn.checked.header.store.clone();
        let created = conn.checked.header.created_at.clone();
        let client = self.client(&mut conn)?;
        let mut tx = client.transaction().map_err(db(path))?;
        let (journal, mut pos) = lock_heads(&mut tx, path)?;
        let now = self.inner.clock.now();
        let at = format_rfc3339(&now);
        let insert = tx
            .prepare(
                "INSERT INTO govshare_records (seq, appended_at, prev, hash, record) VALUES ($1, $2, $3, $4, $5)",
            )
            .map_err(db(path))?;
        let mut out = Vec::with_capacity(records.len());
        for bytes in records {
            let seq = pos.seq + 1;
            let h = chain::record_hash(hash, seq, &pos.head, &at, bytes);
            tx.execute(&insert, &[&to_i64(seq), &at, &pos.head, &h, bytes])
                .map_err(db(path))?;
            pos = Position { seq, head: h };
            out.push(Appended {
                seq,
                hash: pos.head.clone(),
                appended_at: now,
            });
        }
        set_head(&mut tx, path, Log::Record, &pos)?;
        self.maybe_checkpoint(&mut tx, &store_id, &created, now, &journal, &pos)?;
        tx.commit().map_err(db(path))?;
        Ok(out)
    }

    /// Writes a periodic checkpoint when N entries or M seconds have
    /// passed since the last one. Called with both heads locked.
    fn maybe_checkpoint(
        &self,
        tx: &mut Transaction<'_>,
        store: &str,
        created: &str,
        now: DateTime<FixedOffset>,
        journal: &Position,
        record: &Position,
    ) -> Result<(), StoreError> {
        if self.inner.key.is_none() {
            return Ok(());
        }
        let path = &self.inner.location;
        let last = tx
            .query_opt(
                "SELECT at, journal_seq, record_seq FROM govshare_checkpoints ORDER BY id DESC LIMIT 1",
                &[],
            )
            .map_err(db(path))?;
        let (since, lj, lr) = match &last {
            Some(r) => (
                r.try_get::<_, String>(0).map_err(db(path))?,
                to_u64(r.try_get(1).map_err(db(path))?),
                to_u64(r.try_get(2).map_err(db(path))?),
            ),
            None => (created.to_owned(), 0, 0),
        };
        let fresh = journal.seq.saturating_sub(lj) + record.seq.saturating_sub(lr);
        if fresh == 0 {
            return Ok(());
        }
        let elapsed = parse_rfc3339(&since)
            .map(|t| now.signed_duration_since(t))
            .ok()
            .and_then(|d| d.to_std().ok())
            .unwrap_or(Duration::MAX);
        if fresh >= self.inner.every || elapsed >= self.inner.after {
            self.write_checkpoint(
                tx,
                store,
                now,
                CheckpointKind::Periodic,
                journal,
                record,
                None,
            )?;
        }
        Ok(())
    }

    #[expect(clippy::too_many_arguments, reason = "one call site each, all named")]
    fn write_checkpoint(
        &self,
        tx: &mut Transaction<'_>,
        store: &str,
        now: DateTime<FixedOffset>,
        kind: CheckpointKind,
        journal: &Position,
        record: &Position,
        pruned: Option<PrunedRange>,
    ) -> Result<Checkpoint, StoreError> {
        let path = &self.inner.location;
        let Some(key) = &self.inner.key else {
            return Err(StoreError::KeyRequired { path: path.clone() });
        };
        let last: Option<i64> = tx
            .query_one("SELECT max(id) FROM govshare_checkpoints", &[])
            .and_then(|r| r.try_get(0))
            .map_err(db(path))?;
        let empty = |p: &Position| {
            let mut p = p.clone();
            if p.seq == 0 {
                p.head.clear();
            }
            p
        };
        let mut c = Checkpoint {
            id: to_u64(last.unwrap_or(0)) + 1,
            kind,
            at: format_rfc3339(&now),
            journal: empty(journal),
            record: empty(record),
            pruned,
            signature: String::new(),
        };
        c.signature = crate::digest::hex(key.sign(c.message(store).as_bytes()));
        let kind = match c.kind {
            CheckpointKind::Periodic => "periodic",
            CheckpointKind::Manual => "manual",
            CheckpointKind::Prune => "prune",
        };
        tx.execute(
            &format!("INSERT INTO govshare_checkpoints ({CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"),
            &[
                &to_i64(c.id),
                &kind,
                &c.at,
                &to_i64(c.journal.seq),
                &c.journal.head,
                &to_i64(c.record.seq),
                &c.record.head,
                &c.pruned.as_ref().map(|p| to_i64(p.seq)),
                &c.pruned.as_ref().map(|p| p.head.clone()),
                &c.pruned.as_ref().map(|p| p.cutoff.clone()),
                &c.signature,
            ],
        )
        .map_err(db(path))?;
        Ok(c)
    }

    /// Writes a signed checkpoint of both logs now.
    ///
    /// # Errors
    ///
    /// [`StoreError::KeyRequired`] without the signing key; the store's
    /// write errors.
    pub fn checkpoint(&self) -> Result<Checkpoint, StoreError> {
        self.writable()?;
        let path = &self.inner.location;
        let mut conn = self.lock();
        let store = conn.checked.header.store.clone();
        let client = self.client(&mut conn)?;
        let mut tx = client.transaction().map_err(db(path))?;
        let (j, r) = lock_heads(&mut tx, path)?;
        let c = self.write_checkpoint(
            &mut tx,
            &store,
            self.inner.clock.now(),
            CheckpointKind::Manual,
            &j,
            &r,
            None,
        )?;
        tx.commit().map_err(db(path))?;
        Ok(c)
    }

    /// Every checkpoint, oldest first, as written (verify them with
    /// [`PgStore::verify`]).
    ///
    /// # Errors
    ///
    /// The store's read errors; [`StoreError::Broken`] for a row that is
    /// not a checkpoint.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        let path = &self.inner.location;
        let mut conn = self.lock();
        let client = self.client(&mut conn)?;
        all_checkpoints(client, path)?
            .into_iter()
            .map(|c| {
                c.map_err(|(id, problem)| {
                    broken(path)(Break {
                        place: Place::Checkpoint { id },
                        problem,
                    })
                })
            })
            .collect()
    }

    /// Runs `f` in a read-only transaction that sees one snapshot.
    fn snapshot<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>, &Path) -> Result<T, E>,
    ) -> Result<T, E> {
        let path = &self.inner.location;
        let mut conn = self.lock();
        let client = self.client(&mut conn)?;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(db(path))?;
        let out = f(&mut tx, path)?;
        tx.rollback().map_err(db(path))?;
        Ok(out)
    }

    /// Verifies the whole store in one snapshot, as the SQLite store does
    /// ([`super::Store::verify`]): its header and schema, every
    /// checkpoint's signature, every journal change and usage record
    /// against its hash and link, and each log's head.
    ///
    /// # Errors
    ///
    /// The store's read errors. Damage is not an error: it is the report's
    /// `broken`.
    pub fn verify(&self, public_key: Option<&PublicKey>) -> Result<VerifyReport, StoreError> {
        self.snapshot(|tx, path| verify_in(tx, path, public_key))
    }

    /// The usage records that match `query`, in order, from a store
    /// verified first in the same snapshot.
    ///
    /// # Errors
    ///
    /// [`StoreError::Broken`] when the store does not verify; its read
    /// errors.
    pub fn query(&self, query: &Query) -> Result<Vec<Entry>, RecordError> {
        self.snapshot(|tx, path| {
            let report = verify_in(tx, path, None)?;
            if let Some(b) = report.broken {
                return Err(broken(path)(b).into());
            }
            let mut out = Vec::new();
            for_each_record_row(tx, path, |row| {
                let record: Record = serde_json::from_slice(&row.bytes).map_err(|e| {
                    broken(path)(Break {
                        place: Place::Entry {
                            log: Log::Record,
                            seq: row.seq,
                        },
                        problem: format!("the record does not parse ({e})"),
                    })
                })?;
                if query.matches(&record) {
                    out.push(Entry {
                        seq: row.seq,
                        appended_at: row.appended_at,
                        record,
                    });
                }
                Ok::<(), StoreError>(())
            })?;
            Ok(out)
        })
    }

    /// Writes the whole store as the JSON lines of an SQLite store's
    /// export, which `govshare record verify FILE` checks. The store is
    /// verified first in the same snapshot; a damaged store is not
    /// exported.
    ///
    /// # Errors
    ///
    /// [`StoreError::Broken`]; [`StoreError::Io`] when writing fails; the
    /// store's read errors.
    pub fn export(&self, out: &mut dyn Write) -> Result<VerifyReport, StoreError> {
        self.snapshot(|tx, path| {
            let report = verify_in(tx, path, None)?;
            if let Some(b) = report.broken {
                return Err(broken(path)(b));
            }
            let header = checked_header(tx, path)?.header;
            let w = |r: std::io::Result<()>| {
                r.map_err(|e| StoreError::Io {
                    path: path.to_owned(),
                    source: Box::new(e),
                })
            };
            let mut line = Vec::with_capacity(4096);
            export::header_line(&mut line, &header);
            w(out.write_all(&line))?;
            for c in all_checkpoints(tx, path)? {
                let c = c.map_err(|(id, problem)| {
                    broken(path)(Break {
                        place: Place::Checkpoint { id },
                        problem,
                    })
                })?;
                line.clear();
                export::checkpoint_line(&mut line, &c);
                w(out.write_all(&line))?;
            }
            for_each_journal_row(tx, path, 0, |row| {
                line.clear();
                export::journal_line(&mut line, &row);
                w(out.write_all(&line))
            })?;
            for_each_record_row(tx, path, |row| {
                line.clear();
                export::record_line(&mut line, &row);
                w(out.write_all(&line))
            })?;
            line.clear();
            export::end_line(
                &mut line,
                &head(tx, path, Log::Journal)?,
                &head(tx, path, Log::Record)?,
            );
            w(out.write_all(&line))?;
            w(out.flush())?;
            Ok(report)
        })
    }

    /// Removes the usage records appended before `cutoff` — which may be no
    /// later than [`RETENTION_YEARS`] before the store's own clock — in one
    /// transaction with the signed anchor that lets the rest verify, as
    /// [`super::Store::prune`] does. Only a prefix is removed: the first
    /// record young enough to keep stops the prune.
    ///
    /// # Errors
    ///
    /// [`RecordError::Retention`] for a cutoff too recent;
    /// [`RecordError::Unsigned`] for a store without a key;
    /// [`StoreError::Broken`] when the store does not verify (nothing is
    /// pruned from an altered store); the store's write errors.
    pub fn prune(&self, cutoff: DateTime<FixedOffset>) -> Result<Pruned, RecordError> {
        let path = &self.inner.location;
        if self.lock().checked.key.is_none() {
            return Err(RecordError::Unsigned { path: path.clone() });
        }
        self.writable()?;
        let now = self.inner.clock.now();
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
        let mut conn = self.lock();
        let store = conn.checked.header.store.clone();
        let client = self.client(&mut conn)?;
        let mut tx = client.transaction().map_err(db(path))?;
        let (journal, record) = lock_heads(&mut tx, path)?;
        let report = verify_in(&mut tx, path, None)?;
        if let Some(b) = report.broken {
            return Err(broken(path)(b).into());
        }
        let mut last: Option<(u64, String)> = None;
        let mut count = 0u64;
        let mut stop = false;
        for_each_record_row(&mut tx, path, |row| {
            if stop {
                return Ok(());
            }
            let appended = parse_rfc3339(&row.appended_at).map_err(|_| {
                broken(path)(Break {
                    place: Place::Entry {
                        log: Log::Record,
                        seq: row.seq,
                    },
                    problem: format!(
                        "its append time `{}` is not an RFC 3339 instant",
                        row.appended_at
                    ),
                })
            })?;
            if appended >= cutoff {
                stop = true;
            } else {
                last = Some((row.seq, row.hash));
                count += 1;
            }
            Ok::<(), StoreError>(())
        })?;
        let Some((seq, hash)) = last else {
            return Ok(Pruned {
                records: 0,
                anchor: None,
            });
        };
        tx.execute(
            "DELETE FROM govshare_records WHERE seq <= $1",
            &[&to_i64(seq)],
        )
        .map_err(db(path))?;
        let anchor = self.write_checkpoint(
            &mut tx,
            &store,
            now,
            CheckpointKind::Prune,
            &journal,
            &record,
            Some(PrunedRange {
                seq,
                head: hash,
                cutoff: format_rfc3339(&cutoff),
            }),
        )?;
        tx.commit().map_err(db(path))?;
        Ok(Pruned {
            records: count,
            anchor: Some(anchor),
        })
    }

    /// Imports a registry journal in the JSON-lines format of govshare 0.2
    /// into this store's empty journal, replaying each change onto `base`
    /// as it is read; all of it in one transaction (multi-row inserts), or
    /// nothing. The way to bring a deployment's history into a shared
    /// store.
    ///
    /// # Errors
    ///
    /// [`JournalError::Corrupt`] naming a damaged line;
    /// [`JournalError::OtherBase`]; [`JournalError::Replay`] for a change
    /// that does not apply; [`StoreError::NotEmpty`]; the store's write
    /// errors.
    pub fn import_journal(
        &self,
        legacy: impl AsRef<Path>,
        base: &Registry,
    ) -> Result<Imported, JournalError> {
        /// Rows per INSERT: 5 parameters each, well under the protocol's
        /// 65,535.
        const CHUNK: usize = 1000;
        let (transitions, source_head) = super::legacy::read_journal(legacy.as_ref(), base)?;
        self.writable()?;
        let digest = registry_digest(base);
        let path = &self.inner.location;
        let mut conn = self.lock();
        let client = self.client(&mut conn)?;
        let mut tx = client.transaction().map_err(db(path))?;
        let (journal, record) = lock_heads(&mut tx, path)?;
        if journal.seq != 0 {
            return Err(StoreError::NotEmpty {
                path: path.clone(),
                log: Log::Journal,
            }
            .into());
        }
        let checked = checked_header(&mut tx, path)?;
        let mut header = checked.header.clone();
        let mut prev = match &header.journal_base {
            Some(b) if b != &digest => {
                return Err(JournalError::OtherBase {
                    path: path.clone(),
                    journal: b.clone(),
                    base: digest,
                });
            }
            Some(_) => header.journal_genesis.clone().unwrap_or_default(),
            None => {
                let start = header.journal_start(checked.hash, &digest);
                tx.execute(
                    "INSERT INTO govshare_meta (key, value) VALUES ('journal_base', $1), ('journal_genesis', $2)",
                    &[&digest, &start],
                )
                .map_err(db(path))?;
                header.journal_base = Some(digest.clone());
                header.journal_genesis = Some(start.clone());
                start
            }
        };
        let mut seq = 0u64;
        for chunk in transitions.chunks(CHUNK) {
            let mut rows: Vec<JournalRow> = Vec::with_capacity(chunk.len());
            for t in chunk {
                let bytes = serde_json::to_vec(t).map_err(JournalError::Serialize)?;
                seq += 1;
                let hash = chain::journal_hash(checked.hash, seq, &prev, &bytes);
                rows.push(JournalRow {
                    seq,
                    key: t.idempotency_key.clone(),
                    prev,
                    hash: hash.clone(),
                    bytes,
                });
                prev = hash;
            }
            let seqs: Vec<i64> = rows.iter().map(|r| to_i64(r.seq)).collect();
            let mut sql = String::from(
                "INSERT INTO govshare_journal (seq, idempotency_key, prev, hash, transition) VALUES ",
            );
            let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(rows.len() * 5);
            for (i, (r, s)) in rows.iter().zip(&seqs).enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let n = i * 5;
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5
                ));
                params.extend([s as &(dyn ToSql + Sync), &r.key, &r.prev, &r.hash, &r.bytes]);
            }
            tx.execute(sql.as_str(), &params).map_err(db(path))?;
        }
        let head = Position { seq, head: prev };
        set_head(&mut tx, path, Log::Journal, &head)?;
        tx.batch_execute(&format!("NOTIFY {CHANNEL}"))
            .map_err(db(path))?;
        self.maybe_checkpoint(
            &mut tx,
            &header.store,
            &header.created_at,
            self.inner.clock.now(),
            &head,
            &record,
        )?;
        tx.commit().map_err(db(path))?;
        conn.checked.header = header;
        Ok(Imported {
            entries: seq,
            source_head,
            head,
        })
    }

    fn append_transition(
        &self,
        base: &str,
        after: u64,
        t: &Transition,
    ) -> Result<Append, JournalError> {
        self.writable()?;
        let path = &self.inner.location;
        let bytes = serde_json::to_vec(t).map_err(JournalError::Serialize)?;
        let mut conn = self.lock();
        let client = self.client(&mut conn)?;
        let mut tx = client.transaction().map_err(db(path))?;
        let (pos, record) = lock_heads(&mut tx, path)?;
        if pos.seq != after {
            return Ok(Append::Behind);
        }
        if let Some(key) = &t.idempotency_key {
            let used = tx
                .query_opt(
                    "SELECT seq FROM govshare_journal WHERE idempotency_key = $1",
                    &[key],
                )
                .map_err(db(path))?;
            if used.is_some() {
                return Ok(Append::Behind);
            }
        }
        let checked = checked_header(&mut tx, path)?;
        let mut header = checked.header.clone();
        let prev = match &header.journal_base {
            None => {
                let start = header.journal_start(checked.hash, base);
                tx.execute(
                    "INSERT INTO govshare_meta (key, value) VALUES ('journal_base', $1), ('journal_genesis', $2)",
                    &[&base, &start],
                )
                .map_err(db(path))?;
                header.journal_base = Some(base.to_owned());
                header.journal_genesis = Some(start.clone());
                start
            }
            Some(b) if b != base => {
                return Err(JournalError::OtherBase {
                    path: path.clone(),
                    journal: b.clone(),
                    base: base.to_owned(),
                });
            }
            Some(_) if pos.seq == 0 => header.journal_genesis.clone().unwrap_or_default(),
            Some(_) => pos.head.clone(),
        };
        let seq = pos.seq + 1;
        let hash = chain::journal_hash(checked.hash, seq, &prev, &bytes);
        tx.execute(
            "INSERT INTO govshare_journal (seq, idempotency_key, prev, hash, transition) VALUES ($1, $2, $3, $4, $5)",
            &[&to_i64(seq), &t.idempotency_key, &prev, &hash, &bytes],
        )
        .map_err(db(path))?;
        let next = Position { seq, head: hash };
        set_head(&mut tx, path, Log::Journal, &next)?;
        // Delivered at commit, to every instance listening.
        tx.batch_execute(&format!("NOTIFY {CHANNEL}"))
            .map_err(db(path))?;
        self.maybe_checkpoint(
            &mut tx,
            &header.store,
            &header.created_at,
            self.inner.clock.now(),
            &next,
            &record,
        )?;
        tx.commit().map_err(db(path))?;
        conn.checked.header = header;
        Ok(Append::Recorded { seq })
    }

    fn journal_since(
        &self,
        base: &str,
        from: &Position,
    ) -> Result<(Vec<Journaled>, Position), JournalError> {
        let mut conn = self.lock();
        let client = self.client(&mut conn)?;
        let path = &self.inner.location;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(db(path))?;
        let checked = checked_header(&mut tx, path)?;
        let mut pos = from.clone();
        if let Some(b) = &checked.header.journal_base {
            if b != base {
                return Err(JournalError::OtherBase {
                    path: path.clone(),
                    journal: b.clone(),
                    base: base.to_owned(),
                });
            }
            if pos.seq == 0 {
                pos.head = checked.header.journal_genesis.clone().unwrap_or_default();
            }
        }
        let hash = checked.hash;
        let mut out = Vec::new();
        for_each_journal_row(&mut tx, path, pos.seq, |row| {
            let fail = |problem: String| {
                Err(JournalError::from(broken(path)(Break {
                    place: Place::Entry {
                        log: Log::Journal,
                        seq: row.seq,
                    },
                    problem,
                })))
            };
            if row.seq != pos.seq + 1 {
                return fail(format!(
                    "out of sequence: {} follows {}: a change was removed or inserted",
                    row.seq, pos.seq
                ));
            }
            if chain::journal_hash(hash, row.seq, &row.prev, &row.bytes) != row.hash {
                return fail("its hash does not match its content: the change was edited".into());
            }
            if row.prev != pos.head {
                return fail(
                    "its link to the change before does not match: a change was removed, inserted or rewritten"
                        .into(),
                );
            }
            let transition: Transition = match serde_json::from_slice(&row.bytes) {
                Ok(t) => t,
                Err(e) => return fail(format!("the change does not parse ({e})")),
            };
            if transition.idempotency_key != row.key {
                return fail(
                    "its idempotency key column differs from the key in the change".into(),
                );
            }
            pos = Position {
                seq: row.seq,
                head: row.hash,
            };
            out.push(Journaled {
                seq: row.seq,
                transition,
            });
            Ok(())
        })?;
        tx.rollback().map_err(db(path))?;
        conn.checked = checked;
        Ok((out, pos))
    }

    fn journal_find(&self, key: &str) -> Result<Option<Journaled>, JournalError> {
        let path = &self.inner.location;
        let mut conn = self.lock();
        let client = self.client(&mut conn)?;
        let row = client
            .query_opt(
                "SELECT seq, transition FROM govshare_journal WHERE idempotency_key = $1",
                &[&key],
            )
            .map_err(db(path))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let seq = to_u64(row.try_get(0).map_err(db(path))?);
        let bytes: Vec<u8> = row.try_get(1).map_err(db(path))?;
        serde_json::from_slice(&bytes)
            .map(|transition| Some(Journaled { seq, transition }))
            .map_err(|e| {
                broken(path)(Break {
                    place: Place::Entry {
                        log: Log::Journal,
                        seq,
                    },
                    problem: format!("the change does not parse ({e})"),
                })
                .into()
            })
    }
}

impl RecordSink for PgStore {
    fn record(&self, record: &Record) -> Result<Appended, RecordError> {
        let bytes = serde_json::to_vec(record).map_err(RecordError::Serialize)?;
        let mut out = self.append_record_bytes(std::slice::from_ref(&bytes))?;
        out.pop().ok_or_else(|| {
            RecordError::Store(StoreError::Schema {
                path: self.inner.location.clone(),
                why: "an append returned no entry".into(),
            })
        })
    }
}

/// The registry journal of a [`PgStore`], bound to one base registry: the
/// [`JournalStore`] a [`super::DurableRegistry`] or a [`Replica`] keeps its
/// changes in. Every change read is checked against its hash and its link
/// to the one before, so a journal that was edited is refused, not
/// replayed.
#[derive(Debug, Clone)]
pub struct PgJournal {
    store: PgStore,
    base: String,
    last: Position,
}

impl PgJournal {
    /// The store it lives in.
    pub fn store(&self) -> &PgStore {
        &self.store
    }
}

impl JournalStore for PgJournal {
    fn since(&mut self, after: u64) -> Result<Vec<Journaled>, JournalError> {
        if after < self.last.seq {
            self.last = Position {
                seq: 0,
                head: String::new(),
            };
        }
        let (new, pos) = self.store.journal_since(&self.base, &self.last)?;
        self.last = pos;
        Ok(new.into_iter().filter(|j| j.seq > after).collect())
    }

    fn find(&mut self, key: &str) -> Result<Option<Journaled>, JournalError> {
        self.store.journal_find(key)
    }

    fn append(&mut self, after: u64, transition: &Transition) -> Result<Append, JournalError> {
        self.store.append_transition(&self.base, after, transition)
    }

    fn clock(&self) -> Option<Arc<dyn Clock>> {
        Some(self.store.clock())
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://gs:secret@db:5432/govshare?sslmode=disable"),
            "postgres://gs:***@db:5432/govshare?sslmode=disable"
        );
        assert_eq!(
            redact("postgresql://db/govshare?user=gs&password=secret&x=1"),
            "postgresql://db/govshare?user=gs&password=***&x=1"
        );
        assert_eq!(
            redact("host=/run/pg user=gs password=secret"),
            "host=/run/pg user=gs password=***"
        );
        assert_eq!(redact("postgres://gs@db/x"), "postgres://gs@db/x");
    }
}
