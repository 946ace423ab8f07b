//! Validated identifiers that serialize as plain JSON strings.
//!
//! An identifier is held as a [`SmolStr`]: up to 23 bytes (nearly every
//! department, dataset and grant id, item name and purpose code, Chinese
//! ones included) sit inside the value with no allocation of their own, so a
//! registry of a million grants holds its ids without millions of small
//! heap blocks; longer ones share one reference-counted block. They are
//! read from JSON straight from the text, without an intermediate `String`.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use smol_str::SmolStr;

use crate::error::IdError;
use crate::limits::MAX_ID_LEN;
use crate::text::{code_point, escape_hidden, hidden_in_id, is_combining};

fn check_id(kind: &'static str, value: &str) -> Result<(), IdError> {
    if value.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if value.len() > MAX_ID_LEN {
        return Err(IdError::TooLong {
            kind,
            len: value.len(),
            max: MAX_ID_LEN,
        });
    }
    if value.chars().any(char::is_control) {
        return Err(IdError::ControlCharacter {
            kind,
            value: value.escape_default().to_string(),
        });
    }
    // The character policy (README, Hostile input): nothing a reader cannot
    // see, nothing that reorders what is shown.
    let hidden = value
        .chars()
        .find_map(|c| hidden_in_id(c).map(|why| (c, why)))
        .or_else(|| {
            value
                .chars()
                .next()
                .filter(|&c| is_combining(c))
                .map(|c| (c, "a combining mark as its first character"))
        });
    if let Some((c, why)) = hidden {
        return Err(IdError::Hidden {
            kind,
            value: escape_hidden(value, false).into_owned(),
            character: code_point(c),
            why,
        });
    }
    if value.trim() != value {
        return Err(IdError::Whitespace {
            kind,
            value: value.to_owned(),
        });
    }
    Ok(())
}

/// Reads an identifier of type `T` from a string, checked by its
/// `FromStr`; refuses anything else with serde's own wording ("expected a
/// string"), as the `String` it replaces did.
struct IdVisitor<T>(PhantomData<fn() -> T>);

impl<T: std::str::FromStr<Err = IdError>> de::Visitor<'_> for IdVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(E::custom)
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(SmolStr);

        impl $name {
            /// Validates and wraps an identifier.
            ///
            /// # Errors
            ///
            /// Returns [`IdError`] when the value is empty, longer than
            /// [`crate::limits::MAX_ID_LEN`] bytes, holds a control character or
            /// any other character a reader cannot see (format and bidi
            /// characters, separators, spaces other than U+0020, …; the
            /// README's Hostile input section lists them), or starts or ends
            /// with white space.
            pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
                let value = value.into();
                check_id($kind, &value)?;
                Ok(Self(SmolStr::from(value)))
            }

            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.into()
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                check_id($kind, s)?;
                Ok(Self(SmolStr::new(s)))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(IdVisitor(PhantomData))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

string_id!(
    /// The id of a government department (政府部门), Art. 2: a requester, a
    /// provider or a consented recipient.
    DepartmentId,
    "department id"
);
string_id!(
    /// The id of a catalog entry (政务数据目录), Art. 12–13.
    DatasetId,
    "dataset id"
);
string_id!(
    /// The id of an approved grant: the provider's approving reply to an
    /// application (Art. 20–21), usually a UUID.
    GrantId,
    "grant id"
);
string_id!(
    /// The id of an onward recipient named in a `transfer` (Art. 25): a
    /// department, or any other party the data would be passed to.
    RecipientId,
    "recipient id"
);
string_id!(
    /// The name of a data item (数据项) of a catalog entry, Art. 13.
    ItemName,
    "item name"
);
string_id!(
    /// The id of a contractor entry (受托方, Art. 36): a company a
    /// department entrusts, under one contract, with storing, processing or
    /// operating on its data. A request names it as its `processor`.
    ContractorId,
    "contractor id"
);
string_id!(
    /// The id of an entrustment contract (委托合同), such as `HT-2026-001`.
    ContractId,
    "contract id"
);

/// A purpose of use (共享目的 / 使用用途): a dot-separated code such as
/// `social-insurance.enrollment-check`.
///
/// Purposes form a hierarchy on `.` boundaries: `a.b.c` is under `a.b` and
/// under `a`, while `a.bc` is not under `a.b`. A stated purpose is within a
/// granted one when it is equal to it or under it (Art. 25).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PurposeCode(SmolStr);

impl PurposeCode {
    /// Validates and wraps a purpose code.
    ///
    /// # Errors
    ///
    /// Returns [`IdError`] when the code is not a valid identifier or has an
    /// empty segment (`a..b`, `.a`, `a.`).
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::PurposeCode;
    /// let p = PurposeCode::new("tax.audit.annual")?;
    /// assert!(p.is_within(&PurposeCode::new("tax.audit")?));
    /// assert!(!p.is_within(&PurposeCode::new("tax.aud")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(value: impl Into<String>) -> Result<Self, IdError> {
        let value = value.into();
        check_purpose(&value)?;
        Ok(Self(SmolStr::from(value)))
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code itself followed by each of its ancestors, most specific
    /// first: `a.b.c` gives `a.b.c`, `a.b`, `a`.
    pub fn lineage(&self) -> impl Iterator<Item = &str> {
        let s = self.0.as_str();
        std::iter::once(s).chain(
            s.char_indices()
                .rev()
                .filter(|&(_, c)| c == '.')
                .filter_map(move |(i, _)| s.get(..i)),
        )
    }

    /// Whether this purpose equals `granted` or lies under it.
    pub fn is_within(&self, granted: &PurposeCode) -> bool {
        self.lineage().any(|p| p == granted.as_str())
    }
}

impl TryFrom<String> for PurposeCode {
    type Error = IdError;
    fn try_from(value: String) -> Result<Self, IdError> {
        Self::new(value)
    }
}

/// The checks of a purpose code: an identifier with no empty segment.
fn check_purpose(value: &str) -> Result<(), IdError> {
    check_id("purpose", value)?;
    if value.split('.').any(str::is_empty) {
        return Err(IdError::EmptyPurposeSegment {
            value: value.to_owned(),
        });
    }
    Ok(())
}

impl From<PurposeCode> for String {
    fn from(id: PurposeCode) -> String {
        id.0.into()
    }
}

impl std::str::FromStr for PurposeCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        check_purpose(s)?;
        Ok(Self(SmolStr::new(s)))
    }
}

impl Serialize for PurposeCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PurposeCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(IdVisitor(PhantomData))
    }
}

impl fmt::Display for PurposeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for PurposeCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_walks_dot_boundaries() {
        let p = PurposeCode::new("a.b.c").unwrap();
        assert_eq!(p.lineage().collect::<Vec<_>>(), ["a.b.c", "a.b", "a"]);
        let single = PurposeCode::new("tax").unwrap();
        assert_eq!(single.lineage().collect::<Vec<_>>(), ["tax"]);
    }

    #[test]
    fn within_is_equal_or_below_on_segment_boundaries() {
        let ab = PurposeCode::new("a.b").unwrap();
        assert!(PurposeCode::new("a.b").unwrap().is_within(&ab));
        assert!(PurposeCode::new("a.b.c").unwrap().is_within(&ab));
        assert!(!PurposeCode::new("a.bc").unwrap().is_within(&ab));
        assert!(!PurposeCode::new("a").unwrap().is_within(&ab));
        assert!(!PurposeCode::new("x.a.b").unwrap().is_within(&ab));
    }

    #[test]
    fn bad_purposes_are_refused() {
        for bad in ["", "a..b", ".a", "a.", " a", "a\u{0}b"] {
            assert!(PurposeCode::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn bad_ids_are_refused_with_the_kind_named() {
        let err = DepartmentId::new("").unwrap_err();
        assert_eq!(err.to_string(), "department id must not be empty");
        assert!(DatasetId::new("x".repeat(MAX_ID_LEN + 1)).is_err());
        assert!(GrantId::new("g\n1").is_err());
        assert!(ItemName::new(" uscc").is_err());
        assert!(DepartmentId::new("杭州市市场监督管理局").is_ok());
    }

    #[test]
    fn ids_a_reader_cannot_see_as_they_are_are_refused() {
        for bad in [
            "hz-\u{202E}rma",
            "hz\u{2066}-amr\u{2069}",
            "hz\u{200B}amr",
            "hz-amr\u{FEFF}x",
            "uscc\u{00AD}x",
            "a\u{2028}b",
            "a\u{3000}b",
            "a\u{00A0}b",
            "\u{0301}abc",
            "a\u{FE0F}",
            "a\u{E000}",
        ] {
            let err = DepartmentId::new(bad).expect_err(bad);
            let text = err.to_string();
            assert!(text.contains("U+"), "{text}");
            assert!(
                !text.chars().any(|c| hidden_in_id(c).is_some()),
                "{text:?} shows it raw"
            );
            assert!(ItemName::new(bad).is_err());
            assert!(PurposeCode::new(bad).is_err());
            assert!(serde_json::from_str::<GrantId>(&serde_json::to_string(bad).unwrap()).is_err());
        }
        let err = ItemName::new("uscc\u{202E}").unwrap_err().to_string();
        assert_eq!(
            err,
            "item name `uscc\\u{202E}` contains an invisible format character (bidi control, zero-width …) (U+202E): ids must be plain visible text"
        );
        for good in [
            "hz-amr",
            "杭州市市场监督管理局",
            "a b",
            "a.b-c_d",
            "GS‐SCOPE",
        ] {
            assert!(DepartmentId::new(good).is_ok(), "{good} refused");
        }
    }

    #[test]
    fn ids_round_trip_through_json_as_strings() {
        let id = GrantId::new("6f1c").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"6f1c\"");
        assert_eq!(serde_json::from_str::<GrantId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<GrantId>("\"\"").is_err());
        assert!(serde_json::from_str::<GrantId>("12").is_err());
    }
}
