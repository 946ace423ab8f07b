-- govshare store on PostgreSQL, schema version 1: the header, the two
-- hash-chained logs, their heads and the signed checkpoints, as in the
-- SQLite store. Plain SQL that openGauss and KingbaseES accept too (BIGINT,
-- TEXT, BYTEA; no generated columns, no ON CONFLICT). Every change to the
-- schema is a new numbered file, applied once and recorded in
-- govshare_migrations by the library.

CREATE TABLE govshare_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE govshare_heads (
    log  TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE govshare_journal (
    seq             BIGINT PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    prev            TEXT NOT NULL,
    hash            TEXT NOT NULL,
    transition      BYTEA NOT NULL
);

CREATE TABLE govshare_records (
    seq         BIGINT PRIMARY KEY,
    appended_at TEXT NOT NULL,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    record      BYTEA NOT NULL
);

CREATE TABLE govshare_checkpoints (
    id            BIGINT PRIMARY KEY,
    kind          TEXT NOT NULL,
    at            TEXT NOT NULL,
    journal_seq   BIGINT NOT NULL,
    journal_head  TEXT NOT NULL,
    record_seq    BIGINT NOT NULL,
    record_head   TEXT NOT NULL,
    pruned_seq    BIGINT,
    pruned_head   TEXT,
    pruned_cutoff TEXT,
    signature     TEXT NOT NULL
);
