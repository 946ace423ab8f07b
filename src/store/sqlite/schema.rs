//! Versioned schema migrations: numbered plain-SQL files, each applied once
//! inside a transaction and recorded in `govshare_migrations` with the
//! SHA-256 of its text, so a store written by a newer library, or a
//! migration edited after release, is refused rather than guessed at.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior};

use super::{db, is_conversion};
use crate::error::{Break, Place, StoreError};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "0001_logs",
    sql: include_str!("migrations/0001_logs.sql"),
}];

const BOOKKEEPING: &str = "CREATE TABLE IF NOT EXISTS govshare_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT";

fn checksum(sql: &str) -> String {
    crate::digest::sha256_tagged(sql.as_bytes())
}

/// The migrations recorded; `Ok(Err(()))` when a row cannot be read as
/// one (damage to the schema record).
fn applied(conn: &Connection, path: &Path) -> Result<Vec<(i64, String, String)>, StoreError> {
    match applied_rows(conn, path) {
        Ok(rows) => Ok(rows),
        Err(e) if is_conversion(&e) => Ok(vec![(-1, "<unreadable>".into(), String::new())]),
        Err(e) => Err(db(path)(e)),
    }
}

fn applied_rows(conn: &Connection, path: &Path) -> rusqlite::Result<Vec<(i64, String, String)>> {
    let _ = path;
    let exists: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'govshare_migrations'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(Vec::new());
    }
    let mut stmt =
        conn.prepare("SELECT version, name, checksum FROM govshare_migrations ORDER BY version")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The migrations recorded, checked against the ones this library knows:
/// `Ok(Ok(pending))` with the number still to apply, or the first
/// disagreement.
fn compare(rows: &[(i64, String, String)]) -> Result<usize, Break> {
    let fail = |problem: String| Break {
        place: Place::Schema,
        problem,
    };
    for (i, (version, name, sum)) in rows.iter().enumerate() {
        let Some(known) = MIGRATIONS.get(i) else {
            return Err(fail(format!(
                "schema version {version} was written by a newer govshare (this one knows up to {})",
                MIGRATIONS.len()
            )));
        };
        if *version != known.version || name != known.name || *sum != checksum(known.sql) {
            return Err(fail(format!(
                "recorded migration {version} `{name}` is not this library's migration {} `{}`",
                known.version, known.name
            )));
        }
    }
    Ok(MIGRATIONS.len().saturating_sub(rows.len()))
}

/// Brings the schema up to date, applying what is pending in one
/// transaction.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let schema = |b: Break| StoreError::Schema {
        path: path.to_owned(),
        why: b.problem,
    };
    if compare(&applied(conn, path)?).map_err(schema)? == 0 {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db(path))?;
    tx.execute_batch(BOOKKEEPING).map_err(db(path))?;
    let done = applied(&tx, path)?;
    compare(&done).map_err(schema)?;
    let now = crate::time::format_rfc3339(
        &chrono::Utc::now().with_timezone(&crate::time::china_offset()),
    );
    for m in MIGRATIONS.iter().skip(done.len()) {
        tx.execute_batch(m.sql).map_err(db(path))?;
        tx.execute(
            "INSERT INTO govshare_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            (m.version, m.name, checksum(m.sql), &now),
        )
        .map_err(db(path))?;
    }
    tx.commit().map_err(db(path))
}

/// Whether the schema is exactly this library's: a pending migration is
/// a [`StoreError::Schema`] (a read-only reader cannot apply it), a
/// disagreement a break.
pub(super) fn check(conn: &Connection, path: &Path) -> Result<Result<(), Break>, StoreError> {
    match compare(&applied(conn, path)?) {
        Ok(0) => Ok(Ok(())),
        Ok(n) => Err(StoreError::Schema {
            path: path.to_owned(),
            why: format!(
                "{n} schema migrations are pending; open the store for writing once to apply them"
            ),
        }),
        Err(b) => Ok(Err(b)),
    }
}
