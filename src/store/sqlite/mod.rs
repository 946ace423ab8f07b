//! The embedded store: one SQLite file (WAL mode, `synchronous=FULL`, one
//! transaction per change) holding the registry journal, the usage record
//! and their signed checkpoints. The chain, checkpoint and export formats
//! are the backend-independent ones of `chain`, `verify` and `export`.

mod schema;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Months};
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, Transaction, TransactionBehavior};
use serde::Serialize;

use super::chain::{
    self, Checked, Checkpoint, CheckpointKind, Header, JournalRow, Position, PrunedRange, RecordRow,
};
use super::crypto::{HashAlgorithm, PublicKey, SignatureAlgorithm, SigningKey};
use super::export;
use super::journal::{Append, JournalStore, Journaled, registry_digest};
use super::verify::{Verifier, VerifyReport};
use crate::audit::{Appended, Query, RETENTION_YEARS, Record, RecordSink};
use crate::decision::Decision;
use crate::engine::UsageRequest;
use crate::error::{Break, JournalError, Log, Place, RecordError, StoreError};
use crate::model::Transition;
use crate::progress::{Progress, ProgressStage, REPORT_EVERY, ignore};
use crate::registry::Registry;
use crate::time::{Clock, SystemClock, format_rfc3339, parse_rfc3339};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How a store is opened: its signing key, clock, checkpoint cadence and
/// lock wait. Private fields; build with the methods.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub(in crate::store) key: Option<SigningKey>,
    pub(in crate::store) clock: Arc<dyn Clock>,
    pub(in crate::store) hash: Option<HashAlgorithm>,
    pub(in crate::store) every: u64,
    pub(in crate::store) after: Duration,
    pub(in crate::store) busy: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            key: None,
            clock: Arc::new(SystemClock),
            hash: None,
            every: 1000,
            after: Duration::from_secs(300),
            busy: Duration::from_secs(5),
        }
    }
}

impl StoreOptions {
    /// The defaults: no key, the system clock, a checkpoint every 1,000
    /// entries or 300 seconds, a 5-second wait for the write lock.
    pub fn new() -> Self {
        Self::default()
    }

    /// The deployment's signing key. A new store is created signed with it
    /// (and chained with its paired hash: SM3 for SM2, SHA-256 for
    /// Ed25519); a signed store is written only with its key.
    #[must_use]
    pub fn signing_key(mut self, key: SigningKey) -> Self {
        self.key = Some(key);
        self
    }

    /// The clock that stamps records, checkpoints and the changes of the
    /// store's journal, and by which retention is counted (the system
    /// clock by default; a [`crate::time::ManualClock`] in tests).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The chain hash of a new store, overriding the key's pairing (SM3
    /// when there is no key). Ignored for an existing store.
    #[must_use]
    pub fn hash(mut self, hash: HashAlgorithm) -> Self {
        self.hash = Some(hash);
        self
    }

    /// A checkpoint after this many new entries (at least 1).
    #[must_use]
    pub fn checkpoint_every(mut self, entries: u64) -> Self {
        self.every = entries.max(1);
        self
    }

    /// A checkpoint with the first change this long after the last one.
    #[must_use]
    pub fn checkpoint_after(mut self, interval: Duration) -> Self {
        self.after = interval;
        self
    }

    /// How long a writer waits for another writer's lock before failing
    /// with [`StoreError::Locked`].
    #[must_use]
    pub fn busy_timeout(mut self, wait: Duration) -> Self {
        self.busy = wait;
        self
    }
}

#[derive(Debug)]
struct State {
    conn: Connection,
    checked: Checked,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    state: Mutex<State>,
    key: Option<SigningKey>,
    clock: Arc<dyn Clock>,
    every: u64,
    after: Duration,
    read_only: bool,
}

/// A govshare store in an SQLite file: the registry journal
/// ([`Store::journal`]), the Art. 29 usage record (a [`RecordSink`]) and
/// their signed checkpoints. Cloning shares one connection; threads'
/// changes are serialized, and other processes' through SQLite's lock.
///
/// # Example
///
/// ```
/// use govshare::audit::{Record, RecordSink as _};
/// use govshare::store::{SignatureAlgorithm, SigningKey, Store, StoreOptions};
/// use govshare::{Engine, Registry, UsageRequest};
///
/// let dir = tempfile::tempdir()?;
/// let key = SigningKey::generate(SignatureAlgorithm::Sm2)?;
/// let store = Store::open_with(dir.path().join("govshare.db"), StoreOptions::new().signing_key(key.clone()))?;
/// let engine = Engine::builder().build()?;
/// let registry = Registry::from_json_str(include_str!("../../../examples/data/registry.json"))?;
/// let request = UsageRequest::from_json(include_str!("../../../examples/data/requests/01-allow.json"))?;
/// let appended = store.record(&Record::decision(&request, &engine.evaluate(&request, &registry)))?;
/// assert_eq!(appended.seq, 1);
/// let report = store.verify(Some(&key.public_key()))?;
/// assert!(report.is_intact());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

fn db(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Locked {
                path: path.to_owned(),
            },
            Some(C::DiskFull) => StoreError::Full {
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

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::Io {
        path: path.to_owned(),
        source: Box::new(e),
    }
}

fn broken(path: &Path) -> impl Fn(Break) -> StoreError + '_ {
    move |b| StoreError::Broken {
        path: path.to_owned(),
        broken: b,
    }
}

/// Whether a read failed because a column holds a value of another type
/// (or text that is not UTF-8): damage, not a database failure.
pub(super) fn is_conversion(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::Utf8Error(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
    )
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// What a path holds.
enum Found {
    Absent,
    Store,
}

/// Decides, without writing anything, whether `path` is a govshare store.
fn classify(path: &Path) -> Result<Found, StoreError> {
    let not = |why: &str| StoreError::NotAStore {
        path: path.to_owned(),
        why: why.to_owned(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Absent),
        Err(e) => return Err(io(path)(e)),
    };
    if !meta.is_file() {
        return Err(not("it is not a regular file"));
    }
    let mut head = [0u8; 16];
    let read = {
        use std::io::Read as _;
        let mut f = std::fs::File::open(path).map_err(io(path))?;
        let mut n = 0;
        while n < head.len() {
            match f.read(head.get_mut(n..).unwrap_or_default()) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(path)(e)),
            }
        }
        n
    };
    if read == 0 {
        return Err(not("it is empty"));
    }
    if read < head.len() || &head != SQLITE_MAGIC {
        let what = match head.first() {
            Some(b'{' | b'[') => "it holds JSON, not an SQLite database",
            _ => "it is not an SQLite database",
        };
        return Err(not(what));
    }
    let conn = open_read_only_conn(path)?;
    let has_meta: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'govshare_meta'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|_| not("an SQLite database that cannot be read as a govshare store"))?;
    if has_meta.is_none() {
        return Err(not("an SQLite database without a govshare header"));
    }
    Ok(Found::Store)
}

fn open_read_only_conn(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db(path))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(db(path))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(db(path))?;
    Ok(conn)
}

/// Removes a half-made store file and its SQLite companions.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

fn sync_dir(path: &Path) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(path))
}

/// Creates a store at `path` as a whole: built under a scratch name and
/// linked into place only when complete, so no reader ever sees half a
/// store and a concurrent creator loses cleanly.
fn create(path: &Path, options: &StoreOptions) -> Result<(), StoreError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let scratch = Scratch(path.with_file_name(format!(
        ".{name}.{}.creating",
        uuid::Uuid::new_v4().simple()
    )));
    let mut conn = Connection::open_with_flags(
        &scratch.0,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db(path))?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(db(path))?;
    schema::migrate(&mut conn, path)?;
    let hash = options
        .hash
        .or(options.key.as_ref().map(|k| k.algorithm().hash()))
        .unwrap_or(HashAlgorithm::Sm3);
    let created = format_rfc3339(&options.clock.now());
    let header = Header::new(
        uuid::Uuid::new_v4().to_string(),
        hash,
        options.key.as_ref(),
        created,
    )
    .map_err(|e| StoreError::Io {
        path: path.to_owned(),
        source: Box::new(e),
    })?;
    {
        let tx = conn.transaction().map_err(db(path))?;
        for (k, v) in header_rows(&header) {
            tx.execute(
                "INSERT INTO govshare_meta (key, value) VALUES (?1, ?2)",
                (k, v),
            )
            .map_err(db(path))?;
        }
        tx.execute(
            "INSERT INTO govshare_heads (log, seq, hash) VALUES ('journal', 0, ''), ('record', 0, ?1)",
            [header.record_start(hash)],
        )
        .map_err(db(path))?;
        tx.commit().map_err(db(path))?;
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(db(path))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Schema {
            path: path.to_owned(),
            why: format!("SQLite refused WAL mode (journal mode `{mode}`)"),
        });
    }
    conn.close().map_err(|(_, e)| db(path)(e))?;
    std::fs::File::open(&scratch.0)
        .and_then(|f| f.sync_all())
        .map_err(io(path))?;
    match std::fs::hard_link(&scratch.0, path) {
        Ok(()) => sync_dir(path),
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

pub(crate) fn header_rows(h: &Header) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("format", chain::FORMAT.to_owned()),
        ("format_version", chain::FORMAT_VERSION.to_owned()),
        ("store", h.store.clone()),
        ("hash", h.hash.clone()),
        ("signature", h.signature.clone()),
        ("public_key", h.public_key.clone()),
        ("sm2_id", h.sm2_id.clone()),
        ("created_at", h.created_at.clone()),
        ("genesis", h.genesis.clone()),
    ];
    if let (Some(b), Some(g)) = (&h.journal_base, &h.journal_genesis) {
        rows.push(("journal_base", b.clone()));
        rows.push(("journal_genesis", g.clone()));
    }
    rows
}

/// Reads the header rows; any key missing, doubled or unknown is damage
/// to the header.
fn load_header(conn: &Connection, path: &Path) -> Result<Result<Header, Break>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT key, value FROM govshare_meta ORDER BY key")
        .map_err(db(path))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(db(path))?;
    let mut map = std::collections::BTreeMap::new();
    for row in rows {
        let (k, v) = match row {
            Ok(kv) => kv,
            Err(e) if is_conversion(&e) => {
                return Ok(Err(Break {
                    place: Place::Header,
                    problem: "a header value is not text".into(),
                }));
            }
            Err(e) => return Err(db(path)(e)),
        };
        map.insert(k, v);
    }
    Ok(header_from_map(map))
}

pub(crate) fn header_from_map(
    mut map: std::collections::BTreeMap<String, String>,
) -> Result<Header, Break> {
    let fail = |problem: String| Break {
        place: Place::Header,
        problem,
    };
    let mut take = |k: &str| {
        map.remove(k)
            .ok_or_else(|| fail(format!("`{k}` is missing")))
    };
    let format = take("format")?;
    let version = take("format_version")?;
    if format != chain::FORMAT || version != chain::FORMAT_VERSION {
        return Err(fail(format!(
            "format `{format}` version `{version}`, not `{}` version `{}`",
            chain::FORMAT,
            chain::FORMAT_VERSION
        )));
    }
    let header = Header {
        store: take("store")?,
        hash: take("hash")?,
        signature: take("signature")?,
        public_key: take("public_key")?,
        sm2_id: take("sm2_id")?,
        created_at: take("created_at")?,
        genesis: take("genesis")?,
        journal_base: map.remove("journal_base"),
        journal_genesis: map.remove("journal_genesis"),
    };
    if let Some(k) = map.keys().next() {
        return Err(fail(format!("unknown key `{k}`")));
    }
    Ok(header)
}

fn checked_header(conn: &Connection, path: &Path) -> Result<Checked, StoreError> {
    load_header(conn, path)?
        .and_then(Header::check)
        .map_err(broken(path))
}

fn head(conn: &Connection, path: &Path, log: Log) -> Result<Position, StoreError> {
    let damaged = |problem: &str| StoreError::Broken {
        path: path.to_owned(),
        broken: Break {
            place: Place::Head { log },
            problem: problem.to_owned(),
        },
    };
    let found = conn
        .query_row(
            "SELECT seq, hash FROM govshare_heads WHERE log = ?1",
            [log.as_str()],
            |r| {
                Ok(Position {
                    seq: to_u64(r.get(0)?),
                    head: r.get(1)?,
                })
            },
        )
        .optional();
    match found {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(damaged("missing")),
        Err(e) if is_conversion(&e) => Err(damaged("a column holds a value of the wrong type")),
        Err(e) => Err(db(path)(e)),
    }
}

fn set_head(tx: &Transaction<'_>, path: &Path, log: Log, pos: &Position) -> Result<(), StoreError> {
    let n = tx
        .execute(
            "UPDATE govshare_heads SET seq = ?1, hash = ?2 WHERE log = ?3",
            (to_i64(pos.seq), &pos.head, log.as_str()),
        )
        .map_err(db(path))?;
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Broken {
            path: path.to_owned(),
            broken: Break {
                place: Place::Head { log },
                problem: "missing".into(),
            },
        })
    }
}

fn read_checkpoint(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Checkpoint, String>> {
    let kind: String = r.get(1)?;
    let pruned_seq: Option<i64> = r.get(7)?;
    let pruned_head: Option<String> = r.get(8)?;
    let pruned_cutoff: Option<String> = r.get(9)?;
    let Some(kind) = CheckpointKind::parse(&kind) else {
        return Ok(Err(format!("unknown kind `{kind}`")));
    };
    let pruned = match (pruned_seq, pruned_head, pruned_cutoff) {
        (None, None, None) => None,
        (Some(seq), Some(head), Some(cutoff)) => Some(PrunedRange {
            seq: to_u64(seq),
            head,
            cutoff,
        }),
        _ => return Ok(Err("a partly filled pruned range".into())),
    };
    Ok(Ok(Checkpoint {
        id: to_u64(r.get(0)?),
        kind,
        at: r.get(2)?,
        journal: Position {
            seq: to_u64(r.get(3)?),
            head: r.get(4)?,
        },
        record: Position {
            seq: to_u64(r.get(5)?),
            head: r.get(6)?,
        },
        pruned,
        signature: r.get(10)?,
    }))
}

const CHECKPOINT_COLUMNS: &str = "id, kind, at, journal_seq, journal_head, record_seq, record_head, pruned_seq, pruned_head, pruned_cutoff, signature";

/// A usage record as kept: its place in the chain, when the store
/// appended it, and the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Its sequence number.
    pub seq: u64,
    /// When the store appended it.
    pub appended_at: String,
    /// The record.
    pub record: Record,
}

/// What a prune removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pruned {
    /// Records removed.
    pub records: u64,
    /// The signed anchor written with the removal, if anything was removed.
    pub anchor: Option<Checkpoint>,
}

/// What an import brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Entries read from the file, each verified (records) or replayed
    /// (journal changes).
    pub entries: u64,
    /// The file's last hash (a record log's head; for a journal, the
    /// SHA-256 digest of the file), to keep with the import.
    pub source_head: String,
    /// The store's head after the import.
    pub head: Position,
}

impl Store {
    /// Opens the store at `path` for reading and writing, creating it when
    /// absent, with the default options (no key).
    ///
    /// # Errors
    ///
    /// As [`Store::open_with`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, StoreOptions::new())
    }

    /// Opens the store at `path` for reading and writing, creating it when
    /// absent. A file that is not a govshare store is refused and left
    /// byte-for-byte untouched; an older schema is migrated.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotAStore`]; [`StoreError::Schema`] for a store of a
    /// newer library; [`StoreError::Broken`] when its header fails its
    /// check; [`StoreError::WrongKey`] when the key given is not the
    /// store's; [`StoreError::Locked`], [`StoreError::Full`],
    /// [`StoreError::Io`].
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_owned();
        if let Found::Absent = classify(&path)? {
            create(&path, &options)?;
            classify(&path)?;
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db(&path))?;
        conn.busy_timeout(options.busy).map_err(db(&path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db(&path))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(db(&path))?;
        if !mode.eq_ignore_ascii_case("wal") {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(db(&path))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Schema {
                    path,
                    why: format!("SQLite refused WAL mode (journal mode `{mode}`)"),
                });
            }
        }
        schema::migrate(&mut conn, &path)?;
        let checked = checked_header(&conn, &path)?;
        match (&options.key, &checked.key) {
            (Some(k), Some(p)) if &k.public_key() == p => {}
            (Some(_), _) => return Err(StoreError::WrongKey { path }),
            (None, _) => {}
        }
        Ok(Self::wrap(path, conn, checked, options, false))
    }

    /// Opens an existing store for reading only: no write access to the
    /// file and no write lock are needed, and writers are not held up.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotAStore`] (also when the file does not exist);
    /// [`StoreError::Schema`] when the store needs a migration;
    /// [`StoreError::Broken`] when its header fails its check;
    /// [`StoreError::Io`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_owned();
        if let Found::Absent = classify(&path)? {
            return Err(StoreError::NotAStore {
                path,
                why: "it does not exist".into(),
            });
        }
        let conn = open_read_only_conn(&path)?;
        schema::check(&conn, &path)?.map_err(broken(&path))?;
        let checked = checked_header(&conn, &path)?;
        Ok(Self::wrap(path, conn, checked, StoreOptions::new(), true))
    }

    fn wrap(
        path: PathBuf,
        conn: Connection,
        checked: Checked,
        options: StoreOptions,
        read_only: bool,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                path,
                state: Mutex::new(State { conn, checked }),
                key: options.key,
                clock: options.clock,
                every: options.every,
                after: options.after,
                read_only,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.inner.path
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

    fn writable(&self) -> Result<(), StoreError> {
        let path = self.inner.path.clone();
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
    pub fn journal(&self, base: &Registry) -> Result<Journal, JournalError> {
        let digest = registry_digest(base);
        let st = self.lock();
        if let Some(b) = &st.checked.header.journal_base
            && b != &digest
        {
            return Err(JournalError::OtherBase {
                path: self.inner.path.clone(),
                journal: b.clone(),
                base: digest,
            });
        }
        drop(st);
        Ok(Journal {
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
        let path = &self.inner.path;
        let mut st = self.lock();
        let State { conn, checked } = &mut *st;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db(path))?;
        let mut pos = head(&tx, path, Log::Record)?;
        let now = self.inner.clock.now();
        let at = format_rfc3339(&now);
        let mut out = Vec::with_capacity(records.len());
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO govshare_records (seq, appended_at, prev, hash, record) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(db(path))?;
            for bytes in records {
                let seq = pos.seq + 1;
                let hash = chain::record_hash(checked.hash, seq, &pos.head, &at, bytes);
                insert
                    .execute((to_i64(seq), &at, &pos.head, &hash, bytes))
                    .map_err(db(path))?;
                pos = Position { seq, head: hash };
                out.push(Appended {
                    seq,
                    hash: pos.head.clone(),
                    appended_at: now,
                });
            }
        }
        set_head(&tx, path, Log::Record, &pos)?;
        self.maybe_checkpoint(&tx, checked, now)?;
        tx.commit().map_err(db(path))?;
        Ok(out)
    }

    /// Writes a periodic checkpoint when N entries or M seconds have
    /// passed since the last one.
    fn maybe_checkpoint(
        &self,
        tx: &Transaction<'_>,
        checked: &Checked,
        now: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        if self.inner.key.is_none() {
            return Ok(());
        }
        let path = &self.inner.path;
        let last: Option<(i64, String, i64, i64)> = tx
            .query_row(
                "SELECT id, at, journal_seq, record_seq FROM govshare_checkpoints ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(db(path))?;
        let (since, lj, lr) = match &last {
            Some((_, at, j, r)) => (at.as_str(), to_u64(*j), to_u64(*r)),
            None => (checked.header.created_at.as_str(), 0, 0),
        };
        let j = head(tx, path, Log::Journal)?.seq;
        let r = head(tx, path, Log::Record)?.seq;
        let fresh = (j.saturating_sub(lj)) + (r.saturating_sub(lr));
        if fresh == 0 {
            return Ok(());
        }
        let elapsed = parse_rfc3339(since)
            .map(|t| now.signed_duration_since(t))
            .ok()
            .and_then(|d| d.to_std().ok())
            .unwrap_or(Duration::MAX);
        if fresh >= self.inner.every || elapsed >= self.inner.after {
            self.write_checkpoint(tx, checked, now, CheckpointKind::Periodic, None)?;
        }
        Ok(())
    }

    fn write_checkpoint(
        &self,
        tx: &Transaction<'_>,
        checked: &Checked,
        now: DateTime<FixedOffset>,
        kind: CheckpointKind,
        pruned: Option<PrunedRange>,
    ) -> Result<Checkpoint, StoreError> {
        let path = &self.inner.path;
        let Some(key) = &self.inner.key else {
            return Err(StoreError::KeyRequired { path: path.clone() });
        };
        let last: Option<i64> = tx
            .query_row("SELECT max(id) FROM govshare_checkpoints", [], |r| r.get(0))
            .map_err(db(path))?;
        let empty = |mut p: Position| {
            if p.seq == 0 {
                p.head.clear();
            }
            p
        };
        let mut c = Checkpoint {
            id: to_u64(last.unwrap_or(0)) + 1,
            kind,
            at: format_rfc3339(&now),
            journal: empty(head(tx, path, Log::Journal)?),
            record: empty(head(tx, path, Log::Record)?),
            pruned,
            signature: String::new(),
        };
        c.signature = crate::digest::hex(key.sign(c.message(&checked.header.store).as_bytes()));
        tx.execute(
            &format!("INSERT INTO govshare_checkpoints ({CHECKPOINT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
            rusqlite::params![
                to_i64(c.id),
                match c.kind {
                    CheckpointKind::Periodic => "periodic",
                    CheckpointKind::Manual => "manual",
                    CheckpointKind::Prune => "prune",
                },
                c.at,
                to_i64(c.journal.seq),
                c.journal.head,
                to_i64(c.record.seq),
                c.record.head,
                c.pruned.as_ref().map(|p| to_i64(p.seq)),
                c.pruned.as_ref().map(|p| p.head.clone()),
                c.pruned.as_ref().map(|p| p.cutoff.clone()),
                c.signature,
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
        let path = &self.inner.path;
        let mut st = self.lock();
        let State { conn, checked } = &mut *st;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db(path))?;
        let c = self.write_checkpoint(
            &tx,
            checked,
            self.inner.clock.now(),
            CheckpointKind::Manual,
            None,
        )?;
        tx.commit().map_err(db(path))?;
        Ok(c)
    }

    /// Every checkpoint, oldest first, as written (verify them with
    /// [`Store::verify`]).
    ///
    /// # Errors
    ///
    /// The store's read errors; [`StoreError::Broken`] for a row that is
    /// not a checkpoint.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        let path = &self.inner.path;
        let st = self.lock();
        let mut stmt = st
            .conn
            .prepare(&format!(
                "SELECT {CHECKPOINT_COLUMNS} FROM govshare_checkpoints ORDER BY id"
            ))
            .map_err(db(path))?;
        let rows = stmt.query_map([], read_checkpoint).map_err(db(path))?;
        let mut out = Vec::new();
        for row in rows {
            match row.map_err(db(path))? {
                Ok(c) => out.push(c),
                Err(problem) => {
                    return Err(broken(path)(Break {
                        place: Place::Checkpoint {
                            id: to_u64(i64::try_from(out.len()).unwrap_or(0)) + 1,
                        },
                        problem,
                    }));
                }
            }
        }
        Ok(out)
    }

    /// Verifies the whole store: its header and schema, every checkpoint's
    /// signature, every journal change and usage record against its hash
    /// and its link to the one before, the prune anchor a pruned record
    /// starts from, and each log's head. `public_key` is the deployment's
    /// key obtained apart from the store; without it the signatures are
    /// checked against the key in the store's own header, which shows
    /// consistency, not authorship.
    ///
    /// # Errors
    ///
    /// The store's read errors. Damage is not an error: it is the report's
    /// `broken`.
    pub fn verify(&self, public_key: Option<&PublicKey>) -> Result<VerifyReport, StoreError> {
        self.verify_with_progress(public_key, &mut ignore)
    }

    /// As [`Store::verify`], reporting the rows walked (journal changes and
    /// usage records together) of all, for a progress bar over a large
    /// store.
    ///
    /// # Errors
    ///
    /// As [`Store::verify`].
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::store::Store;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let store = Store::open(dir.path().join("govshare.db"))?;
    /// let mut last = None;
    /// let report = store.verify_with_progress(None, &mut |p| last = Some((p.done, p.total)))?;
    /// assert!(report.is_intact());
    /// assert_eq!(last, Some((0, Some(0))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_with_progress(
        &self,
        public_key: Option<&PublicKey>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<VerifyReport, StoreError> {
        let path = &self.inner.path;
        let mut st = self.lock();
        let tx = st.conn.transaction().map_err(db(path))?;
        let report = verify_in(&tx, path, public_key, progress);
        tx.rollback().map_err(db(path))?;
        report
    }

    /// The usage records that match `query`, in order. The whole store is
    /// verified first, so an altered record is never served as evidence.
    ///
    /// # Errors
    ///
    /// [`StoreError::Broken`] when the store does not verify; its read
    /// errors.
    pub fn query(&self, query: &Query) -> Result<Vec<Entry>, RecordError> {
        let path = &self.inner.path;
        let mut st = self.lock();
        let tx = st.conn.transaction().map_err(db(path))?;
        let report = verify_in(&tx, path, None, &mut ignore)?;
        if let Some(b) = report.broken {
            return Err(broken(path)(b).into());
        }
        let mut stmt = tx
            .prepare("SELECT seq, appended_at, record FROM govshare_records ORDER BY seq")
            .map_err(db(path))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    to_u64(r.get(0)?),
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(db(path))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, appended_at, bytes) = row.map_err(db(path))?;
            let record: Record = serde_json::from_slice(&bytes).map_err(|e| {
                broken(path)(Break {
                    place: Place::Entry {
                        log: Log::Record,
                        seq,
                    },
                    problem: format!("the record does not parse ({e})"),
                })
            })?;
            if query.matches(&record) {
                out.push(Entry {
                    seq,
                    appended_at,
                    record,
                });
            }
        }
        Ok(out)
    }

    /// Removes the usage records appended before `cutoff` — which may be no
    /// later than [`RETENTION_YEARS`] before the store's own clock — in one
    /// transaction with the signed anchor that lets the rest verify. Only
    /// a prefix is removed: the first record young enough to keep stops
    /// the prune, whatever the records' own `at` says.
    ///
    /// # Errors
    ///
    /// [`RecordError::Retention`] for a cutoff too recent;
    /// [`RecordError::Unsigned`] for a store without a key;
    /// [`StoreError::Broken`] when the store does not verify (nothing is
    /// pruned from an altered store); the store's write errors.
    pub fn prune(&self, cutoff: DateTime<FixedOffset>) -> Result<Pruned, RecordError> {
        let path = &self.inner.path;
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
        let mut st = self.lock();
        let State { conn, checked } = &mut *st;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db(path))?;
        let report = verify_in(&tx, path, None, &mut ignore)?;
        if let Some(b) = report.broken {
            return Err(broken(path)(b).into());
        }
        let mut last: Option<(u64, String)> = None;
        let mut count = 0u64;
        {
            let mut stmt = tx
                .prepare("SELECT seq, appended_at, hash FROM govshare_records ORDER BY seq")
                .map_err(db(path))?;
            let mut rows = stmt.query([]).map_err(db(path))?;
            while let Some(r) = rows.next().map_err(db(path))? {
                let seq = to_u64(r.get(0).map_err(db(path))?);
                let at: String = r.get(1).map_err(db(path))?;
                let appended = parse_rfc3339(&at).map_err(|_| {
                    broken(path)(Break {
                        place: Place::Entry {
                            log: Log::Record,
                            seq,
                        },
                        problem: format!("its append time `{at}` is not an RFC 3339 instant"),
                    })
                })?;
                if appended >= cutoff {
                    break;
                }
                last = Some((seq, r.get(2).map_err(db(path))?));
                count += 1;
            }
        }
        let Some((seq, hash)) = last else {
            return Ok(Pruned {
                records: 0,
                anchor: None,
            });
        };
        tx.execute(
            "DELETE FROM govshare_records WHERE seq <= ?1",
            [to_i64(seq)],
        )
        .map_err(db(path))?;
        let anchor = self.write_checkpoint(
            &tx,
            checked,
            now,
            CheckpointKind::Prune,
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

    /// Writes the whole store as JSON lines an auditor can read and verify
    /// with the same chain (`govshare record verify FILE`): a header line,
    /// the checkpoints, the journal changes, the usage records, and an end
    /// line with each log's head. The store is verified first; a damaged
    /// store is not exported.
    ///
    /// # Errors
    ///
    /// [`StoreError::Broken`]; [`StoreError::Io`] when writing fails; the
    /// store's read errors.
    pub fn export(&self, out: &mut dyn Write) -> Result<VerifyReport, StoreError> {
        let path = &self.inner.path;
        let mut st = self.lock();
        let State { conn, checked } = &mut *st;
        let tx = conn.transaction().map_err(db(path))?;
        let report = verify_in(&tx, path, None, &mut ignore)?;
        if let Some(b) = report.broken {
            return Err(broken(path)(b));
        }
        let w = |r: std::io::Result<()>| r.map_err(io(path));
        let mut line = Vec::with_capacity(4096);
        export::header_line(&mut line, &checked.header);
        w(out.write_all(&line))?;
        for c in self_checkpoints(&tx, path)? {
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
        for_each_journal_row(&tx, path, 0, |row| {
            line.clear();
            export::journal_line(&mut line, &row);
            w(out.write_all(&line))
        })?;
        for_each_record_row(&tx, path, |row| {
            line.clear();
            export::record_line(&mut line, &row);
            w(out.write_all(&line))
        })?;
        line.clear();
        export::end_line(
            &mut line,
            &head(&tx, path, Log::Journal)?,
            &head(&tx, path, Log::Record)?,
        );
        w(out.write_all(&line))?;
        w(out.flush())?;
        tx.rollback().map_err(db(path))?;
        Ok(report)
    }

    /// Imports a usage record in the JSON-lines format of govshare 0.2
    /// into this store's empty record log, verifying its SHA-256 chain as
    /// it goes; all of it in one transaction, or nothing. The imported
    /// records are stamped with the store's clock at import (the old
    /// format kept no append time), so retention counts from the import.
    ///
    /// # Errors
    ///
    /// [`RecordError::Broken`] naming the first line that does not verify
    /// (a prune anchor of the old format, which no signature backs,
    /// included); [`StoreError::NotEmpty`]; the store's write errors.
    pub fn import_records(&self, legacy: impl AsRef<Path>) -> Result<Imported, RecordError> {
        let legacy = legacy.as_ref();
        let (records, source_head) = super::legacy::read_records(legacy)?;
        self.writable()?;
        if head(&self.lock().conn, &self.inner.path, Log::Record)?.seq != 0 {
            return Err(StoreError::NotEmpty {
                path: self.inner.path.clone(),
                log: Log::Record,
            }
            .into());
        }
        let appended = self.append_record_bytes(&records)?;
        Ok(Imported {
            entries: records.len() as u64,
            source_head,
            head: appended.last().map_or(
                Position {
                    seq: 0,
                    head: String::new(),
                },
                |a| Position {
                    seq: a.seq,
                    head: a.hash.clone(),
                },
            ),
        })
    }

    /// Imports a registry journal in the JSON-lines format of govshare 0.2
    /// into this store's empty journal, replaying each change onto `base`
    /// as it goes; all of it in one transaction, or nothing.
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
        let legacy = legacy.as_ref();
        let (transitions, source_head) = super::legacy::read_journal(legacy, base)?;
        self.writable()?;
        let digest = registry_digest(base);
        let path = &self.inner.path;
        let mut st = self.lock();
        let State { conn, checked } = &mut *st;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db(path))?;
        if head(&tx, path, Log::Journal)?.seq != 0 {
            return Err(StoreError::NotEmpty {
                path: path.clone(),
                log: Log::Journal,
            }
            .into());
        }
        let mut pos = Position {
            seq: 0,
            head: String::new(),
        };
        let mut header = checked.header.clone();
        for t in &transitions {
            pos = append_transition_in(&tx, path, checked, &mut header, &digest, &pos, t)?;
        }
        self.maybe_checkpoint(&tx, checked, self.inner.clock.now())?;
        tx.commit().map_err(db(path))?;
        checked.header = header;
        Ok(Imported {
            entries: transitions.len() as u64,
            source_head,
            head: pos,
        })
    }

    fn append_transition(
        &self,
        base: &str,
        after: u64,
        t: &Transition,
    ) -> Result<Append, JournalError> {
        self.writable()?;
        let path = &self.inner.path;
        let mut st = self.lock();
        let State { conn, checked } = &mut *st;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db(path))?;
        let pos = head(&tx, path, Log::Journal)?;
        if pos.seq != after {
            return Ok(Append::Behind);
        }
        if let Some(key) = &t.idempotency_key {
            let used: Option<i64> = tx
                .query_row(
                    "SELECT seq FROM govshare_journal WHERE idempotency_key = ?1",
                    [key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db(path))?;
            if used.is_some() {
                return Ok(Append::Behind);
            }
        }
        let mut header = load_header(&tx, path)?
            .and_then(Header::check)
            .map_err(broken(path))?
            .header;
        let pos = append_transition_in(&tx, path, checked, &mut header, base, &pos, t)?;
        self.maybe_checkpoint(&tx, checked, self.inner.clock.now())?;
        tx.commit().map_err(db(path))?;
        checked.header = header;
        Ok(Append::Recorded { seq: pos.seq })
    }

    fn journal_since(
        &self,
        base: &str,
        from: &Position,
    ) -> Result<(Vec<Journaled>, Position), JournalError> {
        let path = &self.inner.path;
        let mut st = self.lock();
        let tx = st.conn.transaction().map_err(db(path))?;
        let header = load_header(&tx, path)?
            .and_then(Header::check)
            .map_err(broken(path))?;
        let mut pos = from.clone();
        let mut out = Vec::new();
        if let Some(b) = &header.header.journal_base {
            if b != base {
                return Err(JournalError::OtherBase {
                    path: path.clone(),
                    journal: b.clone(),
                    base: base.to_owned(),
                });
            }
            if pos.seq == 0 {
                pos.head = header.header.journal_genesis.clone().unwrap_or_default();
            }
        }
        let hash = header.hash;
        for_each_journal_row(&tx, path, pos.seq, |row| {
            let fail = |problem: String| {
                Err(broken(path)(Break {
                    place: Place::Entry {
                        log: Log::Journal,
                        seq: row.seq,
                    },
                    problem,
                }))
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
                head: row.hash.clone(),
            };
            out.push(Journaled {
                seq: row.seq,
                transition,
            });
            Ok(())
        })?;
        tx.rollback().map_err(db(path))?;
        st.checked = header;
        Ok((out, pos))
    }

    fn journal_find(&self, key: &str) -> Result<Option<Journaled>, JournalError> {
        let path = &self.inner.path;
        let st = self.lock();
        let row: Option<(i64, Vec<u8>)> = st
            .conn
            .query_row(
                "SELECT seq, transition FROM govshare_journal WHERE idempotency_key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db(path))?;
        row.map(|(seq, bytes)| {
            let seq = to_u64(seq);
            serde_json::from_slice(&bytes)
                .map(|transition| Journaled { seq, transition })
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
        })
        .transpose()
    }
}

/// Appends one transition inside `tx` after `pos`, setting the journal's
/// base in the header with the first change.
fn append_transition_in(
    tx: &Transaction<'_>,
    path: &Path,
    checked: &Checked,
    header: &mut Header,
    base: &str,
    pos: &Position,
    t: &Transition,
) -> Result<Position, JournalError> {
    let mut prev = pos.head.clone();
    match &header.journal_base {
        None => {
            let start = header.journal_start(checked.hash, base);
            tx.execute(
                "INSERT INTO govshare_meta (key, value) VALUES ('journal_base', ?1), ('journal_genesis', ?2)",
                (base, &start),
            )
            .map_err(db(path))?;
            header.journal_base = Some(base.to_owned());
            header.journal_genesis = Some(start.clone());
            prev = start;
        }
        Some(b) if b != base => {
            return Err(JournalError::OtherBase {
                path: path.to_owned(),
                journal: b.clone(),
                base: base.to_owned(),
            });
        }
        Some(_) => {
            if pos.seq == 0 {
                prev = header.journal_genesis.clone().unwrap_or_default();
            }
        }
    }
    let bytes = serde_json::to_vec(t).map_err(JournalError::Serialize)?;
    let seq = pos.seq + 1;
    let hash = chain::journal_hash(checked.hash, seq, &prev, &bytes);
    tx.execute(
        "INSERT INTO govshare_journal (seq, idempotency_key, prev, hash, transition) VALUES (?1, ?2, ?3, ?4, ?5)",
        (to_i64(seq), &t.idempotency_key, &prev, &hash, &bytes),
    )
    .map_err(db(path))?;
    let next = Position { seq, head: hash };
    set_head(tx, path, Log::Journal, &next)?;
    Ok(next)
}

/// A checkpoint row, or its number and why it cannot be read as one.
type RowCheckpoint = Result<Checkpoint, (u64, String)>;

fn self_checkpoints(conn: &Connection, path: &Path) -> Result<Vec<RowCheckpoint>, StoreError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM govshare_checkpoints ORDER BY id"
        ))
        .map_err(db(path))?;
    let rows = stmt
        .query_map([], |r| {
            let id = to_u64(r.get(0)?);
            Ok(match read_checkpoint(r) {
                Ok(c) => c.map_err(|p| (id, p)),
                Err(e) if is_conversion(&e) => {
                    Err((id, "a column holds a value of the wrong type".to_owned()))
                }
                Err(e) => return Err(e),
            })
        })
        .map_err(db(path))?;
    rows.map(|r| r.map_err(db(path))).collect()
}

fn column_break(log: Log, seq: u64) -> Break {
    Break {
        place: Place::Entry { log, seq },
        problem: "a column holds a value of the wrong type".into(),
    }
}

fn for_each_journal_row<E: From<StoreError>>(
    conn: &Connection,
    path: &Path,
    after: u64,
    mut f: impl FnMut(JournalRow) -> Result<(), E>,
) -> Result<(), E> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, idempotency_key, prev, hash, transition FROM govshare_journal WHERE seq > ?1 ORDER BY seq",
        )
        .map_err(db(path))?;
    let mut rows = stmt.query([to_i64(after)]).map_err(db(path))?;
    while let Some(r) = rows.next().map_err(db(path))? {
        let seq = to_u64(r.get(0).map_err(db(path))?);
        let row = (|| {
            Ok::<_, rusqlite::Error>(JournalRow {
                seq,
                key: r.get(1)?,
                prev: r.get(2)?,
                hash: r.get(3)?,
                bytes: r.get(4)?,
            })
        })()
        .map_err(|_| broken(path)(column_break(Log::Journal, seq)))?;
        f(row)?;
    }
    Ok(())
}

fn for_each_record_row<E: From<StoreError>>(
    conn: &Connection,
    path: &Path,
    mut f: impl FnMut(RecordRow) -> Result<(), E>,
) -> Result<(), E> {
    let mut stmt = conn
        .prepare("SELECT seq, appended_at, prev, hash, record FROM govshare_records ORDER BY seq")
        .map_err(db(path))?;
    let mut rows = stmt.query([]).map_err(db(path))?;
    while let Some(r) = rows.next().map_err(db(path))? {
        let seq = to_u64(r.get(0).map_err(db(path))?);
        let row = (|| {
            Ok::<_, rusqlite::Error>(RecordRow {
                seq,
                appended_at: r.get(1)?,
                prev: r.get(2)?,
                hash: r.get(3)?,
                bytes: r.get(4)?,
            })
        })()
        .map_err(|_| broken(path)(column_break(Log::Record, seq)))?;
        f(row)?;
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

fn verify_in(
    conn: &Connection,
    path: &Path,
    public_key: Option<&PublicKey>,
    progress: &mut dyn FnMut(Progress),
) -> Result<VerifyReport, StoreError> {
    let total: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM govshare_journal) + (SELECT count(*) FROM govshare_records)",
            [],
            |r| r.get(0),
        )
        .map_err(db(path))?;
    let total = Some(to_u64(total));
    let mut done: u64 = 0;
    let mut tick = |progress: &mut dyn FnMut(Progress)| {
        done += 1;
        if done.is_multiple_of(REPORT_EVERY) {
            progress(Progress {
                stage: ProgressStage::VerifyRecord,
                done,
                total,
            });
        }
    };
    let checked = match load_header(conn, path)?.and_then(Header::check) {
        Ok(c) => c,
        Err(b) => return Err(broken(path)(b)),
    };
    let mut v = match Verifier::new(checked, public_key) {
        Ok(v) => v,
        Err(b) => return Err(broken(path)(b)),
    };
    let walk = (|| -> Result<(), Stop> {
        schema::check(conn, path)?.map_err(Stop::Break)?;
        for c in self_checkpoints(conn, path)? {
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
        for_each_journal_row(conn, path, 0, |row| {
            tick(progress);
            v.journal_row(&row, true).map_err(Stop::Break)
        })?;
        for_each_record_row(conn, path, |row| {
            tick(progress);
            v.record_row(&row).map_err(Stop::Break)
        })?;
        Ok(())
    })();
    progress(Progress {
        stage: ProgressStage::VerifyRecord,
        done,
        total,
    });
    match walk {
        Ok(()) => {}
        Err(Stop::Store(StoreError::Broken { broken, .. }) | Stop::Break(broken)) => {
            return Ok(v.broken_report(broken));
        }
        Err(Stop::Store(e)) => return Err(e),
    }
    let heads = (
        head(conn, path, Log::Journal),
        head(conn, path, Log::Record),
    );
    let (j, r) = match heads {
        (Ok(j), Ok(r)) => (j, r),
        (Err(StoreError::Broken { broken, .. }), _)
        | (_, Err(StoreError::Broken { broken, .. })) => {
            return Ok(v.broken_report(broken));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let unknown: Option<String> = conn
        .query_row(
            "SELECT log FROM govshare_heads WHERE log NOT IN ('journal', 'record') LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(db(path))?;
    if let Some(log) = unknown {
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

impl RecordSink for Store {
    fn record(&self, record: &Record) -> Result<Appended, RecordError> {
        let bytes = serde_json::to_vec(record).map_err(RecordError::Serialize)?;
        let mut out = self.append_record_bytes(std::slice::from_ref(&bytes))?;
        out.pop().ok_or_else(|| {
            RecordError::Store(StoreError::Schema {
                path: self.inner.path.clone(),
                why: "an append returned no entry".into(),
            })
        })
    }
}

/// The registry journal of a [`Store`], bound to one base registry: the
/// [`JournalStore`] a [`super::DurableRegistry`] keeps its changes in.
/// Every change read is checked against its hash and its link to the one
/// before, so a journal that was edited is refused, not replayed.
#[derive(Debug, Clone)]
pub struct Journal {
    store: Store,
    base: String,
    last: Position,
}

impl Journal {
    /// The store it lives in.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl JournalStore for Journal {
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
        Some(Arc::clone(&self.store.inner.clock))
    }
}
