//! Every single-bit change to a small store's logical content, made
//! through SQLite as an attacker with the file would make it, and to its
//! JSON-lines export, is detected and located.

use std::path::Path;

use govshare::audit::RecordSink as _;
use govshare::store::{SignatureAlgorithm, SigningKey, Store, verify_export, verify_export_reader};
use govshare::{Log, Place, RecordError, StoreError};
use rusqlite::types::Value;

use super::durability::{Durable, clock_at, clocked, event, transitions};

/// A signed store with two journal changes (one with an idempotency key),
/// three usage records and two checkpoints.
fn small_store(path: &Path) -> SigningKey {
    let key = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let store = Store::open_with(
        path,
        clocked(&clock_at("2026-03-02T10:00:00+08:00"))
            .signing_key(key.clone())
            .checkpoint_every(3),
    )
    .unwrap();
    let d = Durable::over(&store);
    let mut first = transitions()[0].clone();
    first.idempotency_key = Some("k-1".into());
    d.apply(&first).unwrap();
    d.apply(&transitions()[1]).unwrap();
    for i in 0..3 {
        store.record(&event(i)).unwrap();
    }
    store.checkpoint().unwrap();
    key
}

/// Where a flip in `table`'s row must be reported: the row's place, or,
/// for a change to its number, the place it now claims.
fn places(table: &str, row: &[(String, Value)], flipped: Option<i64>) -> Vec<Place> {
    let int = |name: &str| {
        row.iter()
            .find(|(c, _)| c == name)
            .and_then(|(_, v)| match v {
                Value::Integer(i) => Some(*i),
                _ => None,
            })
            .unwrap()
    };
    let text = |name: &str| {
        row.iter()
            .find(|(c, _)| c == name)
            .and_then(|(_, v)| match v {
                Value::Text(t) => Some(t.clone()),
                _ => None,
            })
            .unwrap()
    };
    let numbers = |own: i64| {
        let mut v = vec![u64::try_from(own).unwrap_or(0)];
        if let Some(f) = flipped {
            v.push(u64::try_from(f).unwrap_or(0));
        }
        v
    };
    match table {
        "govshare_meta" => vec![Place::Header],
        "govshare_migrations" => vec![Place::Schema],
        "govshare_heads" => {
            let log = if text("log") == "journal" {
                Log::Journal
            } else {
                Log::Record
            };
            vec![Place::Head { log }]
        }
        "govshare_journal" => numbers(int("seq"))
            .into_iter()
            .map(|seq| Place::Entry {
                log: Log::Journal,
                seq,
            })
            .collect(),
        "govshare_records" => numbers(int("seq"))
            .into_iter()
            .map(|seq| Place::Entry {
                log: Log::Record,
                seq,
            })
            .collect(),
        "govshare_checkpoints" => numbers(int("id"))
            .into_iter()
            .map(|id| Place::Checkpoint { id })
            .collect(),
        other => panic!("unexpected table {other}"),
    }
}

/// The place verification reports, or `None` when it found nothing.
fn verified(reader: &Store, key: &SigningKey) -> Option<Place> {
    match reader.verify(Some(&key.public_key())) {
        Ok(report) => report.broken.map(|b| b.place),
        Err(StoreError::Broken { broken, .. }) => Some(broken.place),
        Err(e) => panic!("verification failed to run: {}", govshare::error_report(&e)),
    }
}

#[test]
fn every_bit_of_a_small_store_is_covered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let key = small_store(&path);
    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(verified(&reader, &key), None);
    let attacker = rusqlite::Connection::open(&path).unwrap();
    attacker.pragma_update(None, "synchronous", "OFF").unwrap();
    let (mut flips, mut refused) = (0usize, 0usize);
    for table in [
        "govshare_meta",
        "govshare_heads",
        "govshare_journal",
        "govshare_records",
        "govshare_checkpoints",
        "govshare_migrations",
    ] {
        let columns: Vec<String> = {
            let stmt = attacker
                .prepare(&format!("SELECT * FROM {table} LIMIT 0"))
                .unwrap();
            stmt.column_names().map(str::to_owned).collect()
        };
        let rows: Vec<(i64, Vec<(String, Value)>)> = {
            let mut stmt = attacker
                .prepare(&format!("SELECT rowid, * FROM {table}"))
                .unwrap();
            stmt.query_map([], |r| {
                let mut row = Vec::new();
                for (i, c) in columns.iter().enumerate() {
                    row.push((c.clone(), r.get::<_, Value>(i + 1)?));
                }
                Ok((r.get(0)?, row))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        assert!(!rows.is_empty(), "{table} is empty");
        for (rowid, row) in &rows {
            for (column, value) in row {
                // When the migration was applied is bookkeeping, not
                // evidence: it is not covered.
                if column == "applied_at" {
                    continue;
                }
                let bits = match value {
                    Value::Integer(_) => 64,
                    Value::Text(t) => t.len() * 8,
                    Value::Blob(b) => b.len() * 8,
                    Value::Null | Value::Real(_) => continue,
                };
                for bit in 0..bits {
                    let (new, flipped_int) = match value {
                        Value::Integer(i) => {
                            (Value::Integer(i ^ (1i64 << bit)), Some(i ^ (1i64 << bit)))
                        }
                        Value::Text(t) => {
                            let mut b = t.clone().into_bytes();
                            b[bit / 8] ^= 1 << (bit % 8);
                            (Value::Blob(b), None)
                        }
                        Value::Blob(b) => {
                            let mut b = b.clone();
                            b[bit / 8] ^= 1 << (bit % 8);
                            (Value::Blob(b), None)
                        }
                        _ => unreachable!(),
                    };
                    let cast = if matches!(value, Value::Text(_)) {
                        "CAST(?1 AS TEXT)"
                    } else {
                        "?1"
                    };
                    let set = attacker.execute(
                        &format!("UPDATE {table} SET {column} = {cast} WHERE rowid = ?2"),
                        rusqlite::params![new, rowid],
                    );
                    if set.is_err() {
                        // The database itself refused it (a duplicate key).
                        refused += 1;
                        continue;
                    }
                    flips += 1;
                    let is_rowid = matches!(
                        (table, column.as_str()),
                        ("govshare_journal" | "govshare_records", "seq")
                            | ("govshare_checkpoints", "id")
                            | ("govshare_migrations", "version")
                    );
                    let now_at = if is_rowid {
                        flipped_int.unwrap()
                    } else {
                        *rowid
                    };
                    let found = verified(&reader, &key);
                    let expected = places(table, row, if is_rowid { flipped_int } else { None });
                    assert!(
                        found.as_ref().is_some_and(|p| expected.contains(p)),
                        "{table}.{column} row {rowid} bit {bit}: found {found:?}, expected one of {expected:?}"
                    );
                    attacker
                        .execute(
                            &format!("UPDATE {table} SET {column} = ?1 WHERE rowid = ?2"),
                            rusqlite::params![value, now_at],
                        )
                        .unwrap();
                }
            }
        }
    }
    assert_eq!(verified(&reader, &key), None, "restored");
    assert!(flips > 10_000, "{flips} flips");
    eprintln!("{flips} single-bit changes detected and located; {refused} refused by SQLite");
}

#[test]
fn every_bit_of_an_export_is_covered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let key = small_store(&path);
    let store = Store::open_read_only(&path).unwrap();
    let mut bytes = Vec::new();
    store.export(&mut bytes).unwrap();
    let file = dir.path().join("export.jsonl");
    std::fs::write(&file, &bytes).unwrap();
    assert!(
        verify_export(&file, Some(&key.public_key()))
            .unwrap()
            .is_intact()
    );
    // The line each byte belongs to (a newline belongs to the line it ends).
    let mut line_of = Vec::with_capacity(bytes.len());
    let mut line = 1;
    for b in &bytes {
        line_of.push(line);
        if *b == b'\n' {
            line += 1;
        }
    }
    let last_line = line - 1;
    let mut flips = 0;
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut copy = bytes.clone();
            copy[i] ^= 1 << bit;
            let found = match verify_export_reader(&copy[..], Some(&key.public_key())) {
                Ok(report) => report.broken.map(|b| b.place),
                Err(RecordError::Broken { broken, .. }) => Some(broken.place),
                // The header line no longer names the format.
                Err(RecordError::Store(StoreError::NotAStore { .. })) => {
                    Some(Place::Line { line: 1 })
                }
                Err(e) => panic!("{e}"),
            };
            let own = line_of[i];
            // A flipped final newline leaves the last line unterminated: it
            // is named, or the missing end after it.
            let ok = match &found {
                Some(Place::Line { line }) => {
                    *line == own || (own == last_line && *line == own + 1)
                }
                _ => false,
            };
            assert!(ok, "byte {i} bit {bit} (line {own}): found {found:?}");
            flips += 1;
        }
    }
    eprintln!("{flips} single-bit changes to the export detected and located");
}
