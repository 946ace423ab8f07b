//! Line-oriented files shared by the journal and the usage record: an
//! exclusive OS lock for the one writer, complete lines, and a torn tail
//! (an append a crash cut short).

use std::fs::{File, OpenOptions};
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::Path;

use serde::Serialize;

/// A torn final line: the bytes of an append that a crash cut short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TornTail {
    /// The 1-based line number it would have had.
    pub line: usize,
    /// Its byte offset, where the file now ends.
    pub offset: u64,
    /// How many bytes were dropped.
    pub bytes: usize,
}

/// The complete (`\n`-terminated) lines of a line-oriented file, and the
/// torn tail after the last newline, if any.
pub(super) fn split_lines(bytes: &[u8]) -> (Vec<String>, Option<TornTail>) {
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (head, tail) = bytes.split_at(complete);
    let mut lines: Vec<String> = head
        .split(|&b| b == b'\n')
        .map(|raw| String::from_utf8_lossy(raw).into_owned())
        .collect();
    // `split` yields an empty piece after the final newline.
    lines.pop();
    let torn = (!tail.is_empty()).then(|| TornTail {
        line: lines.len() + 1,
        offset: complete as u64,
        bytes: tail.len(),
    });
    (lines, torn)
}

/// The complete lines of an open file, with a torn tail cut off the file
/// (and made durable); the file is left positioned at its end.
pub(super) fn read_lines(
    file: &mut File,
) -> Result<(Vec<String>, Option<TornTail>), std::io::Error> {
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut bytes)?;
    let (lines, torn) = split_lines(&bytes);
    if let Some(t) = &torn {
        file.set_len(t.offset)?;
        file.sync_all()?;
    }
    file.seek(SeekFrom::End(0))?;
    Ok((lines, torn))
}

/// Opens `path` for appending under an exclusive OS lock, creating it (and
/// making the creation durable) when absent.
pub(super) fn open_locked(path: &Path) -> Result<(File, bool), std::io::Error> {
    let existed = path.exists();
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::WouldBlock,
                "locked",
            ));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    if !existed {
        sync_parent(path)?;
    }
    Ok((file, existed))
}

fn sync_parent(path: &Path) -> Result<(), std::io::Error> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()
}
