//! The JSON wire API: bytes in, JSON text or a [`WireError`] out, for hosts
//! that speak JSON (a gateway, the C ABI, the decision corpus). No `unsafe`
//! here; the extern `"C"` functions of the C ABI only check pointers, catch
//! panics and call these.
//!
//! Inputs are checked in this order, and the first problem is the error
//! (in brackets, the status the C ABI reports it with): size
//! (`LIMIT_EXCEEDED`), UTF-8 (`INVALID_UTF8`), nesting depth
//! (`LIMIT_EXCEEDED`), JSON syntax (`INVALID_JSON`), then the wire format
//! (`INVALID_REQUEST` for a request, `LOAD_FAILED` for a registry).
//!
//! # Example
//!
//! ```
//! use govshare::Engine;
//! use govshare::ffi::Status;
//! use govshare::wire::{evaluate_json, load_registry_json};
//!
//! let engine = Engine::builder().build()?;
//! let registry = load_registry_json(include_bytes!("../../examples/data/registry.json"))?;
//! let request = include_bytes!("../../examples/data/requests/01-allow.json");
//! let decision: serde_json::Value = serde_json::from_str(&evaluate_json(&engine, &registry, request)?)?;
//! assert_eq!(decision["decision"], "allow");
//!
//! let err = evaluate_json(&engine, &registry, b"{\"requester\": ").unwrap_err();
//! assert_eq!(err.status(), Status::InvalidJson);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::path::Path;

use serde::de::{Deserializer as _, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::decision::Decision;
use crate::engine::{Engine, UsageRequest};
use crate::error::{LoadError, RequestError, WireError};
use crate::input::{check_json_depth, read_bounded, read_file};
use crate::lifecycle;
use crate::limits::{
    MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, MAX_JSON_DEPTH, MAX_REGISTRY_BYTES, MAX_REQUEST_BYTES,
};
use crate::registry::Registry;

/// Builds an engine from the embedded statutory policies (`None`) or from a
/// folder laid out like `policies/`.
///
/// # Errors
///
/// [`WireError::Load`]: a file that cannot be read
/// (`IO`) or a policy, schema or calendar that
/// is refused (`LOAD_FAILED`).
pub fn load_engine(policies_dir: Option<&Path>) -> Result<Engine, WireError> {
    let builder = match policies_dir {
        Some(dir) => Engine::builder().policies_dir(dir),
        None => Engine::builder(),
    };
    Ok(builder.build()?)
}

/// How an engine is built beyond its policies, as JSON: the options a host
/// without the Rust builder can set.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EngineOptions {
    /// The live-use clock guard: deny a request whose `at` lies farther
    /// than this many seconds from the system clock (`GS-CLOCK-SKEW`).
    #[serde(default)]
    max_clock_skew_seconds: Option<u64>,
}

/// Builds an engine as [`load_engine`] does, with options given as a JSON
/// object: `{"max_clock_skew_seconds": 300}` switches on the clock guard
/// for live use (`GS-CLOCK-SKEW` when a request's `at` lies farther than
/// that from the system clock); `{}` is replay, as [`load_engine`].
///
/// # Errors
///
/// As [`load_engine`], and for the options: [`WireError::Limit`] over
/// [`MAX_REQUEST_BYTES`] or nested deeper than [`MAX_JSON_DEPTH`],
/// [`WireError::InvalidUtf8`], [`WireError::InvalidJson`], and
/// [`WireError::Load`] with [`LoadError::Options`] for an unknown key or a
/// value of the wrong type (`LOAD_FAILED`).
///
/// # Example
///
/// ```
/// use govshare::wire::{evaluate_json, load_engine_with_options, load_registry_json};
///
/// let engine = load_engine_with_options(None, br#"{"max_clock_skew_seconds": 300}"#)?;
/// let registry = load_registry_json(include_bytes!("../../examples/data/registry.json"))?;
/// // A request for 2 March 2026, judged live long after: denied.
/// let decision: serde_json::Value = serde_json::from_str(&evaluate_json(
///     &engine, &registry, include_bytes!("../../examples/data/requests/01-allow.json"))?)?;
/// assert_eq!(decision["reasons"][0]["rule"], "GS-CLOCK-SKEW");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_engine_with_options(
    policies_dir: Option<&Path>,
    options: &[u8],
) -> Result<Engine, WireError> {
    check_size("options size in bytes", options.len(), MAX_REQUEST_BYTES)?;
    let text = utf8("options", options)?;
    check_depth(text, MAX_JSON_DEPTH)?;
    let options: EngineOptions = serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            WireError::InvalidJson {
                what: "options",
                message: format!("engine options: {e}"),
            }
        } else {
            WireError::Load(LoadError::Options {
                message: e.to_string(),
            })
        }
    })?;
    let mut builder = match policies_dir {
        Some(dir) => Engine::builder().policies_dir(dir),
        None => Engine::builder(),
    };
    if let Some(seconds) = options.max_clock_skew_seconds {
        builder = builder.max_clock_skew(std::time::Duration::from_secs(seconds));
    }
    Ok(builder.build()?)
}

/// Parses a registry in the wire format from bytes.
///
/// # Errors
///
/// [`WireError::Load`] with [`LoadError::TooLarge`] over
/// [`MAX_REGISTRY_BYTES`], [`WireError::Limit`] when nested deeper than
/// [`MAX_JSON_DEPTH`], [`WireError::InvalidUtf8`], [`WireError::InvalidJson`]
/// when the text is not JSON, [`WireError::Load`] when it is JSON but not a
/// registry.
pub fn load_registry_json(bytes: &[u8]) -> Result<Registry, WireError> {
    registry_from_bytes(bytes, None)
}

/// Reads and parses a registry file.
///
/// # Errors
///
/// [`WireError::Io`] when the file cannot be read, then as
/// [`load_registry_json`]; messages name the file.
pub fn load_registry_file(path: &Path) -> Result<Registry, WireError> {
    // Only a regular file, read no further than the limit.
    let bytes = read_file(path, MAX_REGISTRY_BYTES).map_err(|e| match e.into_io() {
        Ok(source) => WireError::Io {
            path: path.to_owned(),
            source,
        },
        Err(size) => WireError::Load(LoadError::TooLarge {
            what: "registry",
            origin: path.display().to_string(),
            size: usize::try_from(size).unwrap_or(usize::MAX),
            max: MAX_REGISTRY_BYTES,
        }),
    })?;
    registry_from_bytes(&bytes, Some(path))
}

/// Reads one input of a host or a command line: the regular file at
/// `path`, or standard input when `path` is `-`, no further than `max`
/// bytes, so a huge or endless input is refused without being held in
/// memory. A FIFO, a directory, a device or a socket given as a file is
/// refused before a byte is read (opening a FIFO does not wait for a
/// writer).
///
/// # Errors
///
/// [`WireError::Io`] when the file cannot be opened or read, or is not a
/// regular file; [`WireError::Limit`] when it holds more than `max` bytes
/// (`size` is its size, or for standard input the bytes read before the
/// limit stopped the read).
///
/// # Example
///
/// ```
/// use std::path::Path;
/// use govshare::limits::MAX_REQUEST_BYTES;
/// use govshare::wire::read_input;
///
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/requests/01-allow.json"));
/// let bytes = read_input(path, MAX_REQUEST_BYTES)?;
/// assert!(bytes.starts_with(b"{"));
/// assert!(read_input(path, 10).is_err()); // over a 10-byte limit
/// assert!(read_input(path.parent().ok_or("folder")?, MAX_REQUEST_BYTES).is_err()); // a folder
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_input(path: &Path, max: usize) -> Result<Vec<u8>, WireError> {
    let read = if path == Path::new("-") {
        read_bounded(std::io::stdin().lock(), max)
    } else {
        read_file(path, max)
    };
    read.map_err(|e| match e.into_io() {
        Ok(source) => WireError::Io {
            path: path.to_owned(),
            source,
        },
        Err(size) => WireError::Limit {
            what: "input size in bytes",
            size: usize::try_from(size).unwrap_or(usize::MAX),
            max,
        },
    })
}

fn registry_from_bytes(bytes: &[u8], path: Option<&Path>) -> Result<Registry, WireError> {
    check_registry_len(bytes.len(), path)?;
    let text = utf8("registry", bytes)?;
    check_depth(text, MAX_JSON_DEPTH)?;
    Registry::from_json_str(text).map_err(|e| {
        if let Some(message) = syntax_error(text) {
            return WireError::InvalidJson {
                what: "registry",
                message: format!("registry `{}`: {message}", origin(path)),
            };
        }
        match path {
            Some(p) => WireError::Load(e.with_origin(&p.display().to_string())),
            None => WireError::Load(e),
        }
    })
}

/// The size limit of a registry, with the library's own error.
pub(crate) fn check_registry_len(len: usize, path: Option<&Path>) -> Result<(), WireError> {
    if len > MAX_REGISTRY_BYTES {
        return Err(WireError::Load(LoadError::TooLarge {
            what: "registry",
            origin: origin(path),
            size: len,
            max: MAX_REGISTRY_BYTES,
        }));
    }
    Ok(())
}

/// The size limit of a request, with the request parser's own error.
pub(crate) fn check_request_len(len: usize) -> Result<(), WireError> {
    if len > MAX_REQUEST_BYTES {
        return Err(WireError::Request(RequestError::Limit {
            what: "request size in bytes",
            size: len,
            max: MAX_REQUEST_BYTES,
        }));
    }
    Ok(())
}

/// The size limit of a batch.
pub(crate) fn check_batch_len(len: usize) -> Result<(), WireError> {
    check_size("batch size in bytes", len, MAX_BATCH_BYTES)
}

fn origin(path: Option<&Path>) -> String {
    path.map_or_else(|| "<memory>".to_owned(), |p| p.display().to_string())
}

/// Parses and checks one usage request.
///
/// # Errors
///
/// [`WireError::InvalidUtf8`], [`WireError::InvalidJson`] when the text is
/// not JSON, and [`WireError::Request`] when it is JSON but not a request in
/// the wire format, or is over [`MAX_REQUEST_BYTES`] or nested deeper than
/// [`MAX_JSON_DEPTH`] ([`RequestError::Limit`], reported as
/// `LIMIT_EXCEEDED`).
pub fn parse_request(bytes: &[u8]) -> Result<UsageRequest, WireError> {
    check_request_len(bytes.len())?;
    parse_request_text(utf8("request", bytes)?)
}

fn parse_request_text(text: &str) -> Result<UsageRequest, WireError> {
    UsageRequest::from_json(text).map_err(|e| match e {
        RequestError::Json { .. } | RequestError::NotAnObject => match syntax_error(text) {
            Some(_) => WireError::InvalidJson {
                what: "request",
                // The request parser's own message, which says where.
                message: crate::error::error_report(&e),
            },
            None => WireError::Request(e),
        },
        other => WireError::Request(other),
    })
}

/// Decides one usage request and returns the decision in the wire format.
///
/// # Errors
///
/// As [`parse_request`]; a request that is refused is never decided.
pub fn evaluate_json(
    engine: &Engine,
    registry: &Registry,
    request: &[u8],
) -> Result<String, WireError> {
    let request = parse_request(request)?;
    to_json(&engine.evaluate(&request, registry))
}

/// Decides a batch: a JSON array of usage requests in, a JSON array of
/// decisions out, in the same order.
///
/// The batch is all or nothing: every request is parsed before any is
/// decided, and if one is malformed the whole batch is refused with
/// [`WireError::InBatch`] naming the 0-based index of the first bad request
/// (its status is that request's own: `INVALID_REQUEST`, `INVALID_JSON`…).
/// A host never receives decisions for part of a batch.
///
/// # Errors
///
/// [`WireError::Limit`] over [`MAX_BATCH_BYTES`], over
/// [`MAX_BATCH_REQUESTS`] requests or nested deeper than
/// [`MAX_JSON_DEPTH`] + 1; [`WireError::InvalidUtf8`]; [`WireError::InvalidJson`]
/// when the text is not JSON; [`WireError::InvalidBatch`] when it is not an
/// array; [`WireError::InBatch`] as above.
///
/// # Example
///
/// ```
/// use govshare::Engine;
/// use govshare::wire::{evaluate_batch_json, load_registry_json};
///
/// let engine = Engine::builder().build()?;
/// let registry = load_registry_json(include_bytes!("../../examples/data/registry.json"))?;
/// let batch = format!(
///     "[{}, {}]",
///     include_str!("../../examples/data/requests/01-allow.json"),
///     include_str!("../../examples/data/requests/02-scope-expansion.json"),
/// );
/// let decisions: serde_json::Value =
///     serde_json::from_str(&evaluate_batch_json(&engine, &registry, batch.as_bytes())?)?;
/// assert_eq!(decisions[0]["decision"], "allow");
/// assert_eq!(decisions[1]["decision"], "deny");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate_batch_json(
    engine: &Engine,
    registry: &Registry,
    batch: &[u8],
) -> Result<String, WireError> {
    check_batch_len(batch.len())?;
    let text = utf8("batch", batch)?;
    // One level for the array itself.
    check_depth(text, MAX_JSON_DEPTH.saturating_add(1))?;
    let elements = split_batch(text)?;
    let requests = elements
        .iter()
        .enumerate()
        .map(|(index, raw)| {
            parse_request_text(raw.get()).map_err(|e| WireError::InBatch {
                index,
                source: Box::new(e),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let decisions: Vec<Decision> = requests
        .iter()
        .map(|r| engine.evaluate(r, registry))
        .collect();
    to_json(&decisions)
}

/// Checks a registry against the Regulation
/// ([`crate::lifecycle::validate`]) and returns the findings as a JSON
/// array (empty when there is nothing to report).
///
/// # Errors
///
/// [`WireError::Internal`] if the findings cannot be serialized (a bug).
pub fn validate_registry_json(registry: &Registry) -> Result<String, WireError> {
    to_json(&lifecycle::validate(registry))
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, WireError> {
    serde_json::to_string(value).map_err(|e| WireError::Internal {
        message: format!("cannot serialize the result: {e}"),
    })
}

fn check_size(what: &'static str, size: usize, max: usize) -> Result<(), WireError> {
    if size > max {
        return Err(WireError::Limit { what, size, max });
    }
    Ok(())
}

fn check_depth(text: &str, max: usize) -> Result<(), WireError> {
    check_json_depth(text, max).map_err(|depth| WireError::Limit {
        what: "JSON nesting depth",
        size: depth,
        max,
    })
}

fn utf8<'a>(what: &'static str, bytes: &'a [u8]) -> Result<&'a str, WireError> {
    std::str::from_utf8(bytes).map_err(|e| WireError::InvalidUtf8 {
        what,
        valid_up_to: e.valid_up_to(),
    })
}

/// The parser's message when `text` is not JSON at all; `None` when it is
/// JSON (whatever its shape).
fn syntax_error(text: &str) -> Option<String> {
    match serde_json::from_str::<IgnoredAny>(text) {
        Err(e) if e.is_syntax() || e.is_eof() => Some(e.to_string()),
        _ => None,
    }
}

/// The elements of a JSON array, unparsed, at most [`MAX_BATCH_REQUESTS`]
/// of them.
fn split_batch(text: &str) -> Result<Vec<&RawValue>, WireError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de
        .deserialize_seq(Elements)
        .and_then(|elements| de.end().map(|()| elements));
    let (elements, total) = parsed.map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            WireError::InvalidJson {
                what: "batch",
                message: format!("invalid batch: {e}"),
            }
        } else {
            WireError::InvalidBatch {
                message: e.to_string(),
            }
        }
    })?;
    check_size("number of requests in the batch", total, MAX_BATCH_REQUESTS)?;
    Ok(elements)
}

/// Collects the raw elements of an array, up to [`MAX_BATCH_REQUESTS`],
/// and counts the rest without keeping them.
struct Elements;

impl<'de> Visitor<'de> for Elements {
    type Value = (Vec<&'de RawValue>, usize);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of usage requests")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut elements = Vec::new();
        while elements.len() < MAX_BATCH_REQUESTS {
            match seq.next_element::<&'de RawValue>()? {
                Some(raw) => elements.push(raw),
                None => {
                    let total = elements.len();
                    return Ok((elements, total));
                }
            }
        }
        let mut total = elements.len();
        while seq.next_element::<IgnoredAny>()?.is_some() {
            total = total.saturating_add(1);
        }
        Ok((elements, total))
    }
}
