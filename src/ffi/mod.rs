//! The C ABI, in two layers.
//!
//! - [`json`]: the **safe JSON layer**, plain Rust with no `unsafe`. Bytes
//!   in, JSON text or an [`FfiError`] out: it checks UTF-8, the size and
//!   nesting limits of [`crate::limits`], tells JSON that does not parse
//!   ([`Status::InvalidJson`]) from JSON that is not a valid request or
//!   registry, and serializes decisions. Rust hosts that speak JSON (and the
//!   tests of the decision corpus) call it directly.
//! - The **extern `"C"` layer** (`govshare_*` functions, declared in
//!   `include/govshare.h`): it only checks pointers, catches panics, converts
//!   between C and Rust, and writes `*_out` pointers on success. It is the
//!   only `unsafe` code of the crate.
//!
//! Every error maps to exactly one [`Status`] in one place,
//! [`FfiError::status`]. Status numbers are a public contract: they are
//! never changed or reused.
//!
//! **A host must treat any status other than [`Status::Ok`] as deny.**
//!
//! Errors reach C through an optional `char **error_out` parameter holding
//! a JSON object such as
//! `{"status": "INVALID_REQUEST", "code": 4, "message": "…"}` (see
//! [`FfiError::to_json`]), never through a thread-local "last error": the
//! library keeps no global mutable state, so one engine handle can be used
//! from many threads at once.

#[expect(
    unsafe_code,
    reason = "the extern \"C\" layer is the crate's only unsafe code; each block has a SAFETY comment"
)]
mod c;
mod error;
pub mod json;

pub use error::{FfiError, Status};

/// Largest batch accepted by [`json::evaluate_batch_json`], in bytes of
/// JSON: [`crate::limits::MAX_BATCH_REQUESTS`] requests of at most
/// [`crate::limits::MAX_REQUEST_BYTES`] each.
pub const MAX_BATCH_BYTES: usize =
    crate::limits::MAX_BATCH_REQUESTS * crate::limits::MAX_REQUEST_BYTES;
