//! Versioned schema migrations for PostgreSQL: numbered plain-SQL files,
//! each applied once inside a transaction (DDL is transactional there) and
//! recorded in `govshare_migrations` with the SHA-256 of its text, so a
//! database written by a newer library, or a migration edited after
//! release, is refused rather than guessed at. Concurrent migrators are
//! serialised by an exclusive lock on the bookkeeping table.

use std::path::Path;

use postgres::GenericClient;

use super::db;
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
    version    BIGINT PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

fn checksum(sql: &str) -> String {
    crate::digest::sha256_tagged(sql.as_bytes())
}

/// The migrations recorded, oldest first (none when the bookkeeping table
/// does not exist).
fn applied(
    client: &mut impl GenericClient,
    path: &Path,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    let exists = client
        .query_opt(
            "SELECT 1 FROM information_schema.tables WHERE table_name = 'govshare_migrations' AND table_schema = current_schema()",
            &[],
        )
        .map_err(db(path))?;
    if exists.is_none() {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "SELECT version, name, checksum FROM govshare_migrations ORDER BY version",
            &[],
        )
        .map_err(db(path))?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0).map_err(db(path))?,
                r.try_get(1).map_err(db(path))?,
                r.try_get(2).map_err(db(path))?,
            ))
        })
        .collect()
}

/// The migrations recorded, checked against the ones this library knows:
/// the number still to apply, or the first disagreement.
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

/// Brings the schema up to date; returns the names of the migrations
/// applied now (empty when it was current).
pub(super) fn migrate(
    client: &mut postgres::Client,
    path: &Path,
) -> Result<Vec<String>, StoreError> {
    let schema = |b: Break| StoreError::Schema {
        path: path.to_owned(),
        why: b.problem,
    };
    if compare(&applied(client, path)?).map_err(schema)? == 0 {
        return Ok(Vec::new());
    }
    // Two first migrators may race to create the bookkeeping table: the
    // loser's statement fails, and its second try finds the table.
    if client.batch_execute(BOOKKEEPING).is_err() {
        client.batch_execute(BOOKKEEPING).map_err(db(path))?;
    }
    let mut tx = client.transaction().map_err(db(path))?;
    tx.batch_execute("LOCK TABLE govshare_migrations IN EXCLUSIVE MODE")
        .map_err(db(path))?;
    let done = applied(&mut tx, path)?;
    compare(&done).map_err(schema)?;
    let now = crate::time::format_rfc3339(
        &chrono::Utc::now().with_timezone(&crate::time::china_offset()),
    );
    let mut names = Vec::new();
    for m in MIGRATIONS.iter().skip(done.len()) {
        tx.batch_execute(m.sql).map_err(db(path))?;
        tx.execute(
            "INSERT INTO govshare_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
            &[&m.version, &m.name, &checksum(m.sql), &now],
        )
        .map_err(db(path))?;
        names.push(m.name.to_owned());
    }
    tx.commit().map_err(db(path))?;
    Ok(names)
}

/// Whether the schema is exactly this library's: a pending migration is
/// a [`StoreError::Schema`], a disagreement a break.
pub(super) fn check(
    client: &mut impl GenericClient,
    path: &Path,
) -> Result<Result<(), Break>, StoreError> {
    match compare(&applied(client, path)?) {
        Ok(0) => Ok(Ok(())),
        Ok(n) => Err(StoreError::Schema {
            path: path.to_owned(),
            why: format!(
                "{n} schema migrations are pending; run `govshare store migrate` or connect for writing once to apply them"
            ),
        }),
        Err(b) => Ok(Err(b)),
    }
}
