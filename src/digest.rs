//! SHA-256 digests in hex, as the policy digest, the journal header and the
//! usage record's chain write them; and the content digest of a record, by
//! which the engine's caches know that a record is unchanged.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The lower-case hex form of a finished digest.
pub(crate) fn hex(digest: impl AsRef<[u8]>) -> String {
    let bytes = digest.as_ref();
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // A nibble is below 16, so `from_digit` always has a digit for it.
        for nibble in [b >> 4, b & 0x0f] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// `sha256:` and the hex SHA-256 of `bytes`.
pub(crate) fn sha256_tagged(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(Sha256::digest(bytes)))
}

/// The SHA-256 digest of a record's content in the wire format: two
/// records with the same digest read the same (a difference in any field,
/// an instant's offset or its nanoseconds included, changes the wire form,
/// and finding two wire forms with one SHA-256 digest is out of reach).
/// The engine's decision cache keys its entries by the digests of the
/// records a decision read, so a changed record can never reuse a decision
/// made on its former content.
///
/// # Example
///
/// ```
/// use govshare::ContentDigest;
///
/// let a = ContentDigest::of(&serde_json::json!({"items": ["uscc"]}));
/// assert_eq!(a, ContentDigest::of(&serde_json::json!({"items": ["uscc"]})));
/// assert_ne!(a, ContentDigest::of(&serde_json::json!({"items": ["uscc", "name"]})));
/// assert_eq!(a.to_string().len(), "sha256:".len() + 64);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentDigest([u8; 32]);

impl ContentDigest {
    /// The digest of `record` in its wire (JSON) form. A record that cannot
    /// be serialized gets a digest drawn at random, which matches nothing.
    pub fn of<T: Serialize + ?Sized>(record: &T) -> Self {
        let mut hasher = HashWriter(Sha256::new());
        if serde_json::to_writer(&mut hasher, record).is_err() {
            hasher.0 = Sha256::new();
            hasher.0.update(b"\0unserializable\0");
            hasher.0.update(uuid::Uuid::new_v4().as_bytes());
        }
        Self(hasher.0.finalize().into())
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for ContentDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", hex(self.0))
    }
}

impl fmt::Debug for ContentDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Feeds what is written into a SHA-256 state, so a record is digested
/// without building its text.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_matches_the_known_digest_of_abc() {
        assert_eq!(
            super::sha256_tagged(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
