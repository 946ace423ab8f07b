//! Reading untrusted input: files and streams read no further than their
//! limit, only regular files opened, the nesting depth of JSON counted
//! before parsing, and a document that must be one JSON object of a given
//! type.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{CalendarError, LoadError};

/// Why a bounded read failed.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The path names something other than a regular file: `kind` says
    /// what (a FIFO, a directory, a device, a socket).
    NotRegular(&'static str),
    /// The input holds more than the limit: `size` is its size when known,
    /// else the bytes read before the limit stopped the read (limit + 1).
    TooLarge { size: u64 },
}

impl ReadError {
    /// The error as an I/O error, for the variants that are one; `None`
    /// for [`ReadError::TooLarge`].
    pub(crate) fn into_io(self) -> Result<std::io::Error, u64> {
        match self {
            ReadError::Io(e) => Ok(e),
            ReadError::NotRegular(kind) => Ok(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("it is {kind}, not a regular file"),
            )),
            ReadError::TooLarge { size } => Err(size),
        }
    }

    /// As a load error of a `what` (`registry`, `policy file`, …) at `path`.
    pub(crate) fn into_load(self, what: &'static str, path: &Path, max: usize) -> LoadError {
        match self.into_io() {
            Ok(source) => LoadError::Io {
                path: path.to_owned(),
                source,
            },
            Err(size) => LoadError::TooLarge {
                what,
                origin: path.display().to_string(),
                size: usize::try_from(size).unwrap_or(usize::MAX),
                max,
            },
        }
    }

    /// As a calendar error of the year file at `path`.
    pub(crate) fn into_calendar(self, path: &Path, max: usize) -> CalendarError {
        match self.into_io() {
            Ok(source) => CalendarError::Io {
                path: path.to_owned(),
                source,
            },
            Err(size) => CalendarError::TooLarge {
                origin: path.display().to_string(),
                size: usize::try_from(size).unwrap_or(usize::MAX),
                max,
            },
        }
    }
}

/// Reads at most `max` bytes of `reader`: one byte more, and the input is
/// [`ReadError::TooLarge`] without being read any further, so memory stays
/// bounded by the limit however much the input holds.
pub(crate) fn read_bounded(reader: impl Read, max: usize) -> Result<Vec<u8>, ReadError> {
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    reader
        .take(cap)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() > max {
        return Err(ReadError::TooLarge {
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        });
    }
    Ok(bytes)
}

/// Opens `path` for reading without waiting: opening a FIFO for reading
/// would otherwise block until a writer comes, maybe forever.
fn open_now(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What a non-regular file is, for an error.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Reads the regular file at `path`, at most `max` bytes. Anything else —
/// a FIFO, a directory, a device, a socket — is refused before a byte is
/// read; a file larger than `max` is refused from its size, and a file
/// that grows while it is read is cut off at `max` + 1 bytes and refused.
pub(crate) fn read_file(path: &Path, max: usize) -> Result<Vec<u8>, ReadError> {
    let (file, _size) = open_regular(path, max)?;
    read_bounded(file, max)
}

/// Opens the regular file at `path` for reading, with its size: anything
/// else is refused before a byte is read, and so is a file larger than
/// `max`. The caller reads at most `max` + 1 bytes of it.
pub(crate) fn open_regular(path: &Path, max: usize) -> Result<(File, u64), ReadError> {
    let file = open_now(path).map_err(ReadError::Io)?;
    // The type of what was opened, not of what the path named a moment
    // earlier: nothing can be swapped in between.
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > u64::try_from(max).unwrap_or(u64::MAX) {
        return Err(ReadError::TooLarge { size: meta.len() });
    }
    Ok((file, meta.len()))
}

/// [`read_file`] as UTF-8 text; text that is not UTF-8 is an I/O error of
/// kind `InvalidData`, as `std::fs::read_to_string` reports it.
pub(crate) fn read_text(path: &Path, max: usize) -> Result<String, ReadError> {
    String::from_utf8(read_file(path, max)?).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 (valid up to byte {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// The deepest nesting of arrays and objects in a JSON text, counted
/// without parsing, so a hostile document cannot exhaust the stack. Returns
/// `Err(depth)` as soon as the depth exceeds `max`.
///
/// Every byte of a registry passes through here before it is parsed, and
/// most of a registry's bytes are inside strings (ids, dates, free text):
/// a string is skipped to its closing quote with `memchr` (several bytes a
/// step), not looked at byte by byte. An escape skips the byte after the
/// backslash; an unterminated string ends the scan (the parser refuses
/// the document).
pub(crate) fn check_json_depth(text: &str, max: usize) -> Result<(), usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => loop {
                let Some(rest) = bytes.get(i..) else {
                    return Ok(());
                };
                match memchr::memchr2(b'"', b'\\', rest) {
                    // The backslash and the byte it escapes.
                    Some(k) if rest.get(k) == Some(&b'\\') => i += k + 2,
                    Some(k) => {
                        i += k + 1;
                        break;
                    }
                    None => return Ok(()),
                }
            },
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Why a document is not an object of the expected type.
#[derive(Debug)]
pub(crate) enum ObjectError {
    /// The text does not start with `{`.
    NotAnObject,
    /// The parser refused it; `location` is the path of the offending
    /// value (`grants[3].valid_until`), `None` for the document itself.
    Json {
        location: Option<String>,
        source: serde_json::Error,
    },
}

/// Parses one JSON document of type `T` that must be an object, naming the
/// path of the first error. serde would also accept a positional array for
/// a struct; the wire format is objects only.
pub(crate) fn parse_object<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ObjectError> {
    parse_object_seed(text, std::marker::PhantomData::<T>)
}

/// As [`parse_object`], with a seed that carries state into the parse (a
/// progress callback, say).
pub(crate) fn parse_object_seed<'de, S: serde::de::DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, ObjectError> {
    if !text.trim_start().starts_with('{') {
        return Err(ObjectError::NotAnObject);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let parsed = seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let value = parsed.map_err(|source| {
        let path = track.path().to_string();
        ObjectError::Json {
            // `.` is the document itself; `?` a place the parser could not name.
            location: (!matches!(path.as_str(), "" | "." | "?")).then_some(path),
            source,
        }
    })?;
    de.end().map_err(|source| ObjectError::Json {
        location: None,
        source,
    })?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_JSON_DEPTH;

    #[test]
    fn reads_stop_one_byte_past_the_limit() {
        assert_eq!(read_bounded(&b"abc"[..], 3).unwrap(), b"abc");
        let endless = std::io::repeat(b'x');
        match read_bounded(endless, 1024) {
            Err(ReadError::TooLarge { size }) => assert_eq!(size, 1025),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_text(&file, 5).unwrap(), "12345");
        assert!(matches!(
            read_file(&file, 4),
            Err(ReadError::TooLarge { size: 5 })
        ));
        assert!(matches!(
            read_file(dir.path(), 4),
            Err(ReadError::NotRegular("a directory"))
        ));
        #[cfg(unix)]
        assert!(matches!(
            read_file(Path::new("/dev/zero"), 4),
            Err(ReadError::NotRegular("a character device"))
        ));
    }

    /// The scan byte by byte: the reference [`check_json_depth`] must
    /// agree with.
    fn depth_byte_by_byte(text: &str, max: usize) -> Result<(), usize> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for b in text.bytes() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return Err(depth);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        Ok(())
    }

    #[test]
    fn the_depth_scan_agrees_with_a_byte_by_byte_scan() {
        // Every text of up to 7 bytes over an alphabet of JSON's
        // structural bytes, quotes, escapes and a letter: strings that
        // open, close, escape a quote, escape a backslash, end on a
        // backslash, or never end.
        let alphabet = [b'{', b'}', b'[', b']', b'"', b'\\', b'a'];
        let mut checked = 0;
        for len in 0..=7u32 {
            for n in 0..alphabet.len().pow(len) {
                let mut k = n;
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        let b = alphabet[k % alphabet.len()];
                        k /= alphabet.len();
                        b
                    })
                    .collect();
                let text = std::str::from_utf8(&text).unwrap();
                for max in [0, 1, 2, 3] {
                    assert_eq!(
                        check_json_depth(text, max),
                        depth_byte_by_byte(text, max),
                        "{text:?} with max {max}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 3_000_000, "{checked}");
        // Long strings, where memchr takes several bytes a step.
        let long = format!(
            r#"{{"a":"{}\"[{}","b":[{{}}]}}"#,
            "x".repeat(300),
            "y".repeat(70)
        );
        for max in 0..4 {
            assert_eq!(check_json_depth(&long, max), depth_byte_by_byte(&long, max));
        }
        assert_eq!(check_json_depth(&long, 1), Err(2));
    }

    #[test]
    fn depth_counts_nesting_outside_strings() {
        assert!(check_json_depth(r#"{"a":[1,{"b":2}]}"#, 3).is_ok());
        assert_eq!(check_json_depth(r#"{"a":[1,{"b":2}]}"#, 2), Err(3));
        assert!(check_json_depth(r#"{"a":"[[[[[[\"[["}"#, 1).is_ok());
        let deep = "[".repeat(10_000);
        assert_eq!(
            check_json_depth(&deep, MAX_JSON_DEPTH),
            Err(MAX_JSON_DEPTH + 1)
        );
    }
}
