//! Named limits on untrusted input. Each breach is a clear error, never a
//! truncation and never an allow.

/// The longest identifier accepted anywhere (department, dataset, grant,
/// item, purpose, recipient), in bytes.
pub const MAX_ID_LEN: usize = 256;
/// Largest usage request accepted, in bytes of JSON.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Most data items one request may name.
pub const MAX_REQUEST_ITEMS: usize = 1024;
/// Deepest nesting of arrays and objects accepted in any JSON input.
pub const MAX_JSON_DEPTH: usize = 32;
/// Largest registry document accepted, in bytes.
pub const MAX_REGISTRY_BYTES: usize = 1 << 30;
/// Largest policy or schema file accepted, in bytes.
pub const MAX_POLICY_FILE_BYTES: usize = 1024 * 1024;
/// Most requests in one batch.
pub const MAX_BATCH_REQUESTS: usize = 10_000;
/// Largest batch accepted, in bytes of JSON: [`MAX_BATCH_REQUESTS`]
/// requests of at most [`MAX_REQUEST_BYTES`] each.
pub const MAX_BATCH_BYTES: usize = MAX_BATCH_REQUESTS * MAX_REQUEST_BYTES;
/// Largest catalog spreadsheet accepted for import (`.xlsx` or `.csv`), in
/// bytes.
pub const MAX_CATALOG_BYTES: usize = 256 * 1024 * 1024;
/// Most rows one sheet of a catalog spreadsheet may hold (Excel's own
/// limit).
pub const MAX_CATALOG_ROWS: usize = 1_048_576;
/// Columns read from a catalog sheet; a value in a column beyond it is
/// reported and not read.
pub const MAX_CATALOG_COLUMNS: u32 = 256;
/// Most non-empty cells (and cells covered by merged regions) read from a
/// whole catalog workbook.
pub const MAX_CATALOG_CELLS: usize = 20_000_000;
