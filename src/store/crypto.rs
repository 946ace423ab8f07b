//! The algorithms a store names in its header: the chain's hash (SM3 or
//! SHA-256) and the checkpoints' signature (SM2 with SM3, GB/T 32918 and
//! GB/T 39786-2021; or Ed25519), with keys in standard PEM: PKCS#8 for a
//! signing key, SubjectPublicKeyInfo for a public key.

use std::path::Path;

use ed25519_dalek::pkcs8::{
    DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _, EncodePublicKey as _,
};
use ed25519_dalek::{Signer as _, Verifier as _};
use serde::Serialize;
use sha2::Digest as _;

use crate::error::KeyError;

/// The distinguishing identifier an SM2 signature binds to its signer when
/// none is agreed otherwise (GB/T 35276-2017: `1234567812345678`).
pub const SM2_DEFAULT_ID: &str = "1234567812345678";

/// The hash that chains a store's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HashAlgorithm {
    /// SM3 (GB/T 32905-2016), the default.
    Sm3,
    /// SHA-256 (FIPS 180-4), paired with Ed25519.
    Sha256,
}

impl HashAlgorithm {
    /// `sm3` or `sha256`, as a store's header writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sm3 => "sm3",
            HashAlgorithm::Sha256 => "sha256",
        }
    }

    /// The algorithm a header names, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sm3" => Some(HashAlgorithm::Sm3),
            "sha256" => Some(HashAlgorithm::Sha256),
            _ => None,
        }
    }

    pub(crate) fn hasher(self) -> Hasher {
        match self {
            HashAlgorithm::Sm3 => Hasher::Sm3(sm3::Sm3::new()),
            HashAlgorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
        }
    }

    /// The lower-case hex digest of the concatenated parts.
    pub(crate) fn hex(self, parts: &[&[u8]]) -> String {
        let mut h = self.hasher();
        for p in parts {
            h.update(p);
        }
        h.finish()
    }
}

/// An incremental hash of either algorithm.
pub(crate) enum Hasher {
    Sm3(sm3::Sm3),
    Sha256(sha2::Sha256),
}

impl Hasher {
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sm3(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
        }
    }

    pub(crate) fn finish(self) -> String {
        match self {
            Hasher::Sm3(h) => crate::digest::hex(h.finalize()),
            Hasher::Sha256(h) => crate::digest::hex(h.finalize()),
        }
    }
}

/// The algorithm that signs a store's checkpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureAlgorithm {
    /// SM2 with SM3 (GB/T 32918-2016), the default.
    Sm2,
    /// Ed25519 (RFC 8032).
    Ed25519,
}

impl SignatureAlgorithm {
    /// `sm2` or `ed25519`, as a store's header writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureAlgorithm::Sm2 => "sm2",
            SignatureAlgorithm::Ed25519 => "ed25519",
        }
    }

    /// The algorithm a header names, if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sm2" => Some(SignatureAlgorithm::Sm2),
            "ed25519" => Some(SignatureAlgorithm::Ed25519),
            _ => None,
        }
    }

    /// The chain hash this signature is paired with: SM3 for SM2, SHA-256
    /// for Ed25519.
    pub fn hash(self) -> HashAlgorithm {
        match self {
            SignatureAlgorithm::Sm2 => HashAlgorithm::Sm3,
            SignatureAlgorithm::Ed25519 => HashAlgorithm::Sha256,
        }
    }
}

fn invalid(origin: &str, why: impl Into<String>) -> KeyError {
    KeyError::Invalid {
        origin: origin.to_owned(),
        why: why.into(),
    }
}

fn read_pem(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_owned(),
        source,
    })
}

#[derive(Clone)]
enum SecretInner {
    Sm2(Box<sm2::dsa::SigningKey>),
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

/// The deployment's key that signs checkpoints. Its secret never leaves
/// this value except through [`SigningKey::to_pkcs8_pem`].
#[derive(Clone)]
pub struct SigningKey(SecretInner);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.algorithm().as_str())
    }
}

impl SigningKey {
    /// A new random key of `algorithm`, from the operating system's
    /// random source.
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] when no randomness is available.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::store::{SignatureAlgorithm, SigningKey};
    ///
    /// let key = SigningKey::generate(SignatureAlgorithm::Sm2)?;
    /// let again = SigningKey::from_pkcs8_pem(&key.to_pkcs8_pem()?)?;
    /// assert_eq!(again.public_key(), key.public_key());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn generate(algorithm: SignatureAlgorithm) -> Result<Self, KeyError> {
        let origin = "<generated>";
        let mut seed = [0u8; 32];
        for _ in 0..64 {
            getrandom::fill(&mut seed).map_err(|e| invalid(origin, e.to_string()))?;
            match algorithm {
                SignatureAlgorithm::Ed25519 => {
                    return Ok(Self(SecretInner::Ed25519(Box::new(
                        ed25519_dalek::SigningKey::from_bytes(&seed),
                    ))));
                }
                SignatureAlgorithm::Sm2 => {
                    // A scalar outside [1, n) is drawn again.
                    if let Ok(k) = sm2::dsa::SigningKey::from_slice(SM2_DEFAULT_ID, &seed) {
                        return Ok(Self(SecretInner::Sm2(Box::new(k))));
                    }
                }
            }
        }
        Err(invalid(origin, "no valid key drawn from the random source"))
    }

    /// A key from its PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`): an
    /// SM2 key (as `openssl genpkey -algorithm SM2` writes it) or an
    /// Ed25519 key.
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] when it is neither.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        Self::parse(pem, "<memory>")
    }

    /// A key from a PKCS#8 PEM file.
    ///
    /// # Errors
    ///
    /// [`KeyError::Io`] when the file cannot be read; [`KeyError::Invalid`].
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        Self::parse(&read_pem(path)?, &path.display().to_string())
    }

    fn parse(pem: &str, origin: &str) -> Result<Self, KeyError> {
        if let Ok(secret) = sm2::SecretKey::from_pkcs8_pem(pem) {
            let key = sm2::dsa::SigningKey::new(SM2_DEFAULT_ID, &secret)
                .map_err(|e| invalid(origin, format!("SM2 key: {e}")))?;
            return Ok(Self(SecretInner::Sm2(Box::new(key))));
        }
        match ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
            Ok(key) => Ok(Self(SecretInner::Ed25519(Box::new(key)))),
            Err(e) => Err(invalid(
                origin,
                format!("not a PKCS#8 PEM private key of SM2 or Ed25519 ({e})"),
            )),
        }
    }

    /// The key as PKCS#8 PEM text. Keep it secret.
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] when it cannot be encoded.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        let origin = "<memory>";
        let line = sm2::pkcs8::LineEnding::LF;
        let pem = match &self.0 {
            SecretInner::Sm2(k) => sm2::SecretKey::from(k.as_nonzero_scalar())
                .to_pkcs8_pem(line)
                .map_err(|e| invalid(origin, e.to_string()))?,
            SecretInner::Ed25519(k) => k
                .to_pkcs8_pem(line)
                .map_err(|e| invalid(origin, e.to_string()))?,
        };
        Ok(pem.as_str().to_owned())
    }

    /// The algorithm.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match &self.0 {
            SecretInner::Sm2(_) => SignatureAlgorithm::Sm2,
            SecretInner::Ed25519(_) => SignatureAlgorithm::Ed25519,
        }
    }

    /// The matching public key, to hand to whoever verifies.
    pub fn public_key(&self) -> PublicKey {
        match &self.0 {
            SecretInner::Sm2(k) => PublicKey {
                inner: PublicInner::Sm2(Box::new(*k.verifying_key().as_affine())),
            },
            SecretInner::Ed25519(k) => PublicKey {
                inner: PublicInner::Ed25519(Box::new(k.verifying_key())),
            },
        }
    }

    /// A signature of `message`, as bytes. SM2 binds the default
    /// distinguishing identifier [`SM2_DEFAULT_ID`].
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.0 {
            SecretInner::Sm2(k) => {
                let sig: sm2::dsa::Signature = sm2::dsa::signature::Signer::sign(&**k, message);
                sig.to_bytes().to_vec()
            }
            SecretInner::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PublicInner {
    Sm2(Box<sm2::AffinePoint>),
    Ed25519(Box<ed25519_dalek::VerifyingKey>),
}

/// A public key that verifies a store's checkpoints, in SubjectPublicKeyInfo
/// PEM (`-----BEGIN PUBLIC KEY-----`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: PublicInner,
}

impl PublicKey {
    /// A key from its PEM text.
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] when it is not an SM2 or Ed25519 public key.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::store::{PublicKey, SignatureAlgorithm, SigningKey};
    ///
    /// let key = SigningKey::generate(SignatureAlgorithm::Ed25519)?;
    /// let pem = key.public_key().to_pem()?;
    /// assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    /// assert_eq!(PublicKey::from_pem(&pem)?, key.public_key());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        Self::parse_pem(pem, "<memory>")
    }

    /// A key from a PEM file.
    ///
    /// # Errors
    ///
    /// [`KeyError::Io`]; [`KeyError::Invalid`].
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        Self::parse_pem(&read_pem(path)?, &path.display().to_string())
    }

    fn parse_pem(pem: &str, origin: &str) -> Result<Self, KeyError> {
        if let Ok(k) = sm2::PublicKey::from_public_key_pem(pem) {
            return Ok(Self {
                inner: PublicInner::Sm2(Box::new(*k.as_affine())),
            });
        }
        match ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            Ok(k) => Ok(Self {
                inner: PublicInner::Ed25519(Box::new(k)),
            }),
            Err(e) => Err(invalid(
                origin,
                format!("not a PEM public key of SM2 or Ed25519 ({e})"),
            )),
        }
    }

    /// A key from its DER SubjectPublicKeyInfo, as a store's header holds
    /// it (in hex).
    pub(crate) fn from_der(algorithm: SignatureAlgorithm, der: &[u8]) -> Result<Self, KeyError> {
        let origin = "<header>";
        match algorithm {
            SignatureAlgorithm::Sm2 => sm2::PublicKey::from_public_key_der(der)
                .map(|k| Self {
                    inner: PublicInner::Sm2(Box::new(*k.as_affine())),
                })
                .map_err(|e| invalid(origin, e.to_string())),
            SignatureAlgorithm::Ed25519 => ed25519_dalek::VerifyingKey::from_public_key_der(der)
                .map(|k| Self {
                    inner: PublicInner::Ed25519(Box::new(k)),
                })
                .map_err(|e| invalid(origin, e.to_string())),
        }
    }

    /// The key's DER SubjectPublicKeyInfo.
    pub(crate) fn to_der(&self) -> Result<Vec<u8>, KeyError> {
        let origin = "<memory>";
        match &self.inner {
            PublicInner::Sm2(p) => sm2::PublicKey::from_affine(**p)
                .map_err(|e| invalid(origin, e.to_string()))?
                .to_public_key_der()
                .map(|d| d.as_ref().to_vec())
                .map_err(|e| invalid(origin, e.to_string())),
            PublicInner::Ed25519(k) => k
                .to_public_key_der()
                .map(|d| d.as_ref().to_vec())
                .map_err(|e| invalid(origin, e.to_string())),
        }
    }

    /// The key as PEM text.
    ///
    /// # Errors
    ///
    /// [`KeyError::Invalid`] when it cannot be encoded.
    pub fn to_pem(&self) -> Result<String, KeyError> {
        let origin = "<memory>";
        let line = sm2::pkcs8::LineEnding::LF;
        match &self.inner {
            PublicInner::Sm2(p) => sm2::PublicKey::from_affine(**p)
                .map_err(|e| invalid(origin, e.to_string()))?
                .to_public_key_pem(line)
                .map_err(|e| invalid(origin, e.to_string())),
            PublicInner::Ed25519(k) => k
                .to_public_key_pem(line)
                .map_err(|e| invalid(origin, e.to_string())),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match &self.inner {
            PublicInner::Sm2(_) => SignatureAlgorithm::Sm2,
            PublicInner::Ed25519(_) => SignatureAlgorithm::Ed25519,
        }
    }

    /// Whether `signature` signs `message` under this key (SM2 with the
    /// distinguishing identifier `sm2_id`).
    pub(crate) fn verify(&self, sm2_id: &str, message: &[u8], signature: &[u8]) -> bool {
        match &self.inner {
            PublicInner::Sm2(p) => {
                let Ok(key) = sm2::dsa::VerifyingKey::from_affine(sm2_id, **p) else {
                    return false;
                };
                let Ok(sig) = sm2::dsa::Signature::from_slice(signature) else {
                    return false;
                };
                sm2::dsa::signature::Verifier::verify(&key, message, &sig).is_ok()
            }
            PublicInner::Ed25519(k) => {
                let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                    return false;
                };
                k.verify(message, &sig).is_ok()
            }
        }
    }
}

/// Decodes lower-case hex exactly as written (no upper case, no odd
/// length), so a text that decodes has one spelling.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let value = |d: u8| match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        _ => None,
    };
    digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(value(*hi)? << 4 | value(*lo)?),
            _ => None,
        })
        .collect()
}
