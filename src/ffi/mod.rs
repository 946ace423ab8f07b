//! The C ABI: the extern `"C"` functions declared in `include/govshare.h`,
//! and the [`Status`] each call returns.
//!
//! The extern layer only checks pointers, catches panics, converts between
//! C and Rust, and writes `*_out` pointers on success; the work is done by
//! the JSON wire layer ([`crate::wire`]). It is the only `unsafe` code of
//! the crate.
//!
//! Every error maps to exactly one [`Status`] in one place,
//! [`WireError::status`](crate::WireError::status). Status numbers are a
//! public contract: they are never changed or reused.
//!
//! **A host must treat any status other than [`Status::Ok`] as deny.**
//!
//! Errors reach C through an optional `char **error_out` parameter holding
//! a JSON object such as
//! `{"status": "INVALID_REQUEST", "code": 4, "message": "…"}` (see
//! [`WireError::to_json`](crate::WireError::to_json)), never through a
//! thread-local "last error": the library keeps no global mutable state, so
//! one engine handle can be used from many threads at once.

#[expect(
    unsafe_code,
    reason = "the extern \"C\" layer is the crate's only unsafe code; each block has a SAFETY comment"
)]
mod c;
mod status;

pub use status::Status;
