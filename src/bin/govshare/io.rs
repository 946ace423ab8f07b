//! Reading the command's inputs and writing its output.

use std::io::Write as _;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use govshare::audit::{Appended, Query};
use govshare::lifecycle::Transition;
use govshare::limits::MAX_DOCUMENT_BYTES;
use govshare::store::{
    Checkpoint, DurableRegistry, Entry, JournalStore, SigningKey, Store, StoreOptions, VerifyReport,
};
use govshare::{Calendar, Decision, RecordError, Registry, StoreError, UsageRequest, WireError};

use crate::CliError;

/// Prints a line to standard output. A reader that went away (a closed
/// pipe, as with `| head`) ends the output quietly; any other write error
/// ends the program with exit code 2.
macro_rules! emit {
    ($($arg:tt)*) => {
        $crate::io::write_line(format_args!($($arg)*))
    };
}
pub(crate) use emit;

pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("govshare: error: cannot write the output: {e}");
            std::process::exit(2);
        }
    }
}

/// Prints a value as indented JSON.
pub fn print_json(value: &impl serde::Serialize) {
    emit!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// The text of a file, or of standard input for `-`, read through the
/// library's bounded reader: no further than `max` bytes, and only a
/// regular file (a FIFO, a directory or a device is refused at once).
pub fn read_input(path: &Path, max: usize) -> Result<String, CliError> {
    let stdin = path == Path::new("-");
    let name = if stdin {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes = govshare::wire::read_input(path, max).map_err(|e| match e {
        // The error names the file itself.
        WireError::Io { .. } if !stdin => CliError::input(&e),
        _ => CliError::input_in(&name, &e),
    })?;
    String::from_utf8(bytes).map_err(|e| CliError::Input(format!("{name}: not valid UTF-8 ({e})")))
}

/// A JSON document of the command line (an application, a reply, a
/// transition), named `what` in errors; at most
/// [`MAX_DOCUMENT_BYTES`] bytes.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, CliError> {
    serde_json::from_str(&read_input(path, MAX_DOCUMENT_BYTES)?)
        .map_err(|e| CliError::Input(format!("{}: invalid {what}: {e}", path.display())))
}

/// The calendar of a folder, or the embedded one.
pub fn calendar(dir: Option<&Path>) -> Result<Calendar, CliError> {
    match dir {
        Some(dir) => Calendar::load_dir(dir),
        None => Calendar::embedded(),
    }
    .map_err(|e| CliError::deployment(&e))
}

/// An instant given as a flag's value.
pub fn time_arg(flag: &str, value: &str) -> Result<DateTime<FixedOffset>, CliError> {
    govshare::time::parse_rfc3339(value).map_err(|e| CliError::input_in(format!("--{flag}"), &e))
}

/// A registry file.
pub fn registry_arg(path: &Path) -> Result<Registry, CliError> {
    crate::progress::load_registry(path)
}

/// The registry with a store's journal replayed onto it; the store is
/// opened read-only (no write access, no lock).
pub fn journaled(path: &Path, journal: Option<&Path>) -> Result<Registry, CliError> {
    let base = registry_arg(path)?;
    let Some(journal) = journal else {
        return Ok(base);
    };
    let j: Box<dyn JournalStore> = match AnyStore::open_read_only(journal) {
        Ok(AnyStore::File(store)) => {
            Box::new(store.journal(&base).map_err(|e| CliError::journal(&e))?)
        }
        #[cfg(feature = "postgres")]
        Ok(AnyStore::Postgres(store)) => {
            Box::new(store.journal(&base).map_err(|e| CliError::journal(&e))?)
        }
        Err(e) => return Err(CliError::store(&e)),
    };
    Ok(DurableRegistry::open(base, j)
        .map_err(|e| CliError::journal_in(journal.display(), &e))?
        .into_registry())
}

/// The signing key a flag (or `GOVSHARE_SIGNING_KEY`) names.
pub fn signing_key(path: Option<&Path>) -> Result<Option<SigningKey>, CliError> {
    path.map(|p| SigningKey::from_pem_file(p).map_err(|e| CliError::input(&e)))
        .transpose()
}

/// A store opened for writing (created when absent), signed with `key`.
pub fn writable_store(path: &Path, key: Option<&Path>) -> Result<Store, CliError> {
    if is_postgres(path) {
        return Err(CliError::Input(format!(
            "{}: this command keeps its store in an SQLite file; it does not work on a PostgreSQL store yet",
            redacted(path)
        )));
    }
    let mut options = StoreOptions::new();
    if let Some(k) = signing_key(key)? {
        options = options.signing_key(k);
    }
    Store::open_with(path, options).map_err(|e| CliError::store(&e))
}

/// Opens a store's journal over `base` for writing, and replays it. New
/// transitions are stamped from the store's clock (the system clock).
pub fn open_durable(
    journal: &Path,
    base: Registry,
    key: Option<&Path>,
) -> Result<DurableRegistry<Box<dyn JournalStore>>, CliError> {
    let j: Box<dyn JournalStore> = match AnyStore::writable(journal, key)? {
        AnyStore::File(store) => Box::new(store.journal(&base).map_err(|e| CliError::journal(&e))?),
        #[cfg(feature = "postgres")]
        AnyStore::Postgres(store) => {
            Box::new(store.journal(&base).map_err(|e| CliError::journal(&e))?)
        }
    };
    DurableRegistry::open(base, j).map_err(|e| CliError::journal_in(redacted(journal), &e))
}

/// Gives a transition without an idempotency key of its own the digest of
/// its content as one, so that applying it again is recognised; the time
/// it is recorded is the store's to set.
pub fn keyed(mut t: Transition) -> Result<Transition, CliError> {
    t.recorded_at = None;
    if t.idempotency_key.is_none() {
        let canonical = serde_json::to_vec(&t).map_err(|e| CliError::input(&e))?;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(&canonical);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        t.idempotency_key = Some(format!("sha256:{hex}"));
    }
    Ok(t)
}

/// Whether a store argument names a PostgreSQL database (a `postgres://`
/// or `postgresql://` URL) rather than an SQLite file.
pub fn is_postgres(store: &Path) -> bool {
    store
        .to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// A store argument as messages name it: a URL's password hidden.
pub fn redacted(store: &Path) -> String {
    let text = store.display().to_string();
    match text.split_once("://") {
        Some((scheme, rest)) if is_postgres(store) => {
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(end);
            match authority.rsplit_once('@') {
                Some((user, host)) if user.contains(':') => {
                    let name = user.split(':').next().unwrap_or_default();
                    format!("{scheme}://{name}:***@{host}{tail}")
                }
                _ => text,
            }
        }
        _ => text,
    }
}

/// A store given on the command line: an SQLite file or, with the
/// `postgres` feature, a PostgreSQL database.
pub enum AnyStore {
    /// An SQLite store file.
    File(Store),
    /// A PostgreSQL store.
    #[cfg(feature = "postgres")]
    Postgres(govshare::store::PgStore),
}

#[cfg(not(feature = "postgres"))]
fn no_postgres(path: &Path) -> StoreError {
    StoreError::NotAStore {
        path: redacted(path).into(),
        why: "a PostgreSQL URL, and this govshare was built without PostgreSQL support (cargo feature `postgres`)".into(),
    }
}

impl AnyStore {
    /// An existing store, for reading only.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        if is_postgres(path) {
            #[cfg(feature = "postgres")]
            return govshare::store::PgStore::connect_read_only(&path.to_string_lossy())
                .map(AnyStore::Postgres);
            #[cfg(not(feature = "postgres"))]
            return Err(no_postgres(path));
        }
        Store::open_read_only(path).map(AnyStore::File)
    }

    /// A store for writing (created when absent), signed with `key`.
    pub fn writable(path: &Path, key: Option<&Path>) -> Result<Self, CliError> {
        let mut options = StoreOptions::new();
        if let Some(k) = signing_key(key)? {
            options = options.signing_key(k);
        }
        if is_postgres(path) {
            #[cfg(feature = "postgres")]
            return govshare::store::PgStore::connect_with(&path.to_string_lossy(), options)
                .map(AnyStore::Postgres)
                .map_err(|e| CliError::store(&e));
            #[cfg(not(feature = "postgres"))]
            return Err(CliError::store(&no_postgres(path)));
        }
        Store::open_with(path, options)
            .map(AnyStore::File)
            .map_err(|e| CliError::store(&e))
    }

    /// See `Store::verify_with_progress`; a PostgreSQL store is verified
    /// without progress reports.
    pub fn verify_with_progress(
        &self,
        key: Option<&govshare::store::PublicKey>,
        progress: &mut dyn FnMut(govshare::Progress),
    ) -> Result<VerifyReport, StoreError> {
        match self {
            AnyStore::File(s) => s.verify_with_progress(key, progress),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.verify(key),
        }
    }

    /// See `Store::checkpoint`.
    pub fn checkpoint(&self) -> Result<Checkpoint, StoreError> {
        match self {
            AnyStore::File(s) => s.checkpoint(),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.checkpoint(),
        }
    }

    /// See `Store::query`.
    pub fn query(&self, query: &Query) -> Result<Vec<Entry>, RecordError> {
        match self {
            AnyStore::File(s) => s.query(query),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.query(query),
        }
    }

    /// See `Store::export`.
    pub fn export(&self, out: &mut dyn std::io::Write) -> Result<VerifyReport, StoreError> {
        match self {
            AnyStore::File(s) => s.export(out),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.export(out),
        }
    }

    /// See `Store::checkpoints`.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>, StoreError> {
        match self {
            AnyStore::File(s) => s.checkpoints(),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.checkpoints(),
        }
    }

    /// See `Store::id`.
    pub fn id(&self) -> String {
        match self {
            AnyStore::File(s) => s.id(),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.id(),
        }
    }

    /// See `Store::record_decision`.
    pub fn record_decision(
        &self,
        request: &UsageRequest,
        decision: &Decision,
    ) -> Result<Appended, RecordError> {
        match self {
            AnyStore::File(s) => s.record_decision(request, decision),
            #[cfg(feature = "postgres")]
            AnyStore::Postgres(s) => s.record_decision(request, decision),
        }
    }
}
