//! SHA-256 digests in hex, as the policy digest, the journal header and the
//! usage record's chain write them.

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
