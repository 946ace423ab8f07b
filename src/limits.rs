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
/// Largest application, reply or transition document the command line
/// reads, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
/// Largest registry document accepted, in bytes.
pub const MAX_REGISTRY_BYTES: usize = 1 << 30;
/// Largest policy, schema or working-day calendar file accepted, in bytes.
pub const MAX_POLICY_FILE_BYTES: usize = 1024 * 1024;
/// Deepest nesting of expressions accepted in a policy file, and of
/// brackets in a schema, counted before Cedar parses the text: each
/// bracketed group is a level, and so is each operator, member access and
/// `if` along a chain (`a && b && c` is three levels deeper than `a`), since
/// Cedar parses and evaluates them recursively. The statutory rules reach
/// 11; the limit leaves room for any rule a person writes, while the
/// deepest text it admits parses within a small fraction of the stack the
/// library gives the parser.
pub const MAX_POLICY_NESTING: usize = 64;
/// Most grants one requester may hold on one catalog entry. A request that
/// names no grant is judged against every grant of its requester on its
/// dataset, each through the policies, so this bounds the work of one
/// decision while the explanation stays the same (the grant with the
/// fewest broken rules, ties to the smallest id). A registry holding more
/// is refused when loaded, a change that would add one more is refused,
/// and a fact source that returns more denies with the reason.
pub const MAX_GRANTS_PER_PAIR: usize = 1024;
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
/// The earliest year of an instant accepted in any input, as written.
///
/// The Regulation is in force since 2025, but registries migrated from
/// earlier sharing arrangements (the 2016 interim measures and before)
/// carry older approvals and consents; no government data sharing record
/// predates 2000. An earlier year is a typing error, and is refused.
pub const MIN_YEAR: i32 = 2000;
/// The latest year of an instant accepted in any input, as written.
///
/// Room for any period of use, deadline or retention a department sets
/// (records are kept three years, grants run for years, not centuries),
/// while a typing error such as `9999` or `20266`, or a date chosen so
/// that a rule never starts to apply, is refused.
pub const MAX_YEAR: i32 = 2199;
/// The event horizon, in seconds: how far past the clock of the machine
/// that loads a registry or checks a transition an event on record may be
/// dated. A purpose end, a disposal receipt, a suspension or a termination
/// records something that happened; one dated later is refused (a disposal
/// "recorded" for year 2150 would close the duty to dispose while the rule
/// that denies use after disposal never starts). A day covers clocks that
/// disagree and a time zone written wrong; a change that widens a grant
/// (an approval, a consent, a reinstatement) takes effect at its own time
/// and may lie further ahead.
pub const MAX_EVENT_LEAD_SECONDS: i64 = 24 * 60 * 60;
