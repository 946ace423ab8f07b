-- govshare store, schema version 1: the header, the two hash-chained logs,
-- their heads and the signed checkpoints. Plain SQL; every change to the
-- schema is a new numbered file, applied once and recorded in
-- govshare_migrations by the library.

CREATE TABLE govshare_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE govshare_heads (
    log  TEXT PRIMARY KEY NOT NULL,
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE govshare_journal (
    seq             INTEGER PRIMARY KEY NOT NULL,
    idempotency_key TEXT UNIQUE,
    prev            TEXT NOT NULL,
    hash            TEXT NOT NULL,
    transition      BLOB NOT NULL
) STRICT;

CREATE TABLE govshare_records (
    seq         INTEGER PRIMARY KEY NOT NULL,
    appended_at TEXT NOT NULL,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    record      BLOB NOT NULL
) STRICT;

CREATE TABLE govshare_checkpoints (
    id            INTEGER PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    at            TEXT NOT NULL,
    journal_seq   INTEGER NOT NULL,
    journal_head  TEXT NOT NULL,
    record_seq    INTEGER NOT NULL,
    record_head   TEXT NOT NULL,
    pruned_seq    INTEGER,
    pruned_head   TEXT,
    pruned_cutoff TEXT,
    signature     TEXT NOT NULL
) STRICT;
