//! The registered purpose vocabulary (共享目的), DESIGN §7: the codes a
//! platform accepts as purposes of use, so that a requester cannot invent a
//! purpose that happens to lie under a granted one (变相用于其他目的,
//! Art. 25).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::PurposeCode;
use crate::error::IdError;

/// One registered purpose: its code, its Chinese name, and optionally its
/// parent code and the legal basis of the duty it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// The code, such as `social-insurance.enrollment-check`.
    pub code: PurposeCode,
    /// The Chinese name, such as 参保登记核验.
    pub name: String,
    /// The code one level up, such as `social-insurance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<PurposeCode>,
    /// The legal basis of the duty, such as 《社会保险法》第五十七条.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// The registered purposes of a registry, indexed by code.
///
/// Without a vocabulary a stated purpose is within a granted one when it
/// equals it or lies under it on a dot boundary. With one, a stated purpose
/// must be a registered code, and "under" counts only between registered
/// codes: `a.b.c` is within `a` only when both are registered.
///
/// # Example
///
/// ```
/// use govshare::{Purpose, PurposeCode, PurposeVocabulary};
///
/// let code = |s: &str| PurposeCode::new(s);
/// let vocabulary = PurposeVocabulary::new(vec![
///     Purpose { code: code("social-insurance")?, name: "社会保险经办".into(), parent: None, basis: None },
///     Purpose { code: code("social-insurance.enrollment-check")?, name: "参保登记核验".into(),
///               parent: Some(code("social-insurance")?), basis: None },
/// ])?;
/// let granted = code("social-insurance")?;
/// assert!(vocabulary.is_within(&code("social-insurance.enrollment-check")?, &granted));
/// // An invented sub-purpose is not registered, so it is under nothing.
/// assert!(!vocabulary.is_within(&code("social-insurance.marketing-to-insurers")?, &granted));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PurposeVocabulary {
    purposes: Vec<Purpose>,
    index: HashMap<PurposeCode, usize>,
}

impl PurposeVocabulary {
    /// A vocabulary of these purposes, in this order.
    ///
    /// # Errors
    ///
    /// [`IdError::Duplicate`] when two purposes share a code.
    pub fn new(purposes: Vec<Purpose>) -> Result<Self, IdError> {
        let mut index = HashMap::with_capacity(purposes.len());
        for (i, p) in purposes.iter().enumerate() {
            if index.insert(p.code.clone(), i).is_some() {
                return Err(IdError::Duplicate {
                    kind: "purpose",
                    value: p.code.to_string(),
                });
            }
        }
        Ok(Self { purposes, index })
    }

    /// Every registered purpose, in registry order.
    pub fn purposes(&self) -> &[Purpose] {
        &self.purposes
    }

    /// The registered purpose with this code.
    pub fn get(&self, code: &str) -> Option<&Purpose> {
        self.index.get(code).and_then(|&i| self.purposes.get(i))
    }

    /// Whether `code` is registered.
    pub fn contains(&self, code: &str) -> bool {
        self.index.contains_key(code)
    }

    /// The codes `stated` counts as within: itself and each of its
    /// registered ancestors, most specific first, when it is registered;
    /// nothing when it is not.
    pub fn within<'a>(&self, stated: &'a PurposeCode) -> Vec<&'a str> {
        if !self.contains(stated.as_str()) {
            return Vec::new();
        }
        stated.lineage().filter(|p| self.contains(p)).collect()
    }

    /// Whether `stated` equals `granted` or lies under it, both being
    /// registered codes.
    pub fn is_within(&self, stated: &PurposeCode, granted: &PurposeCode) -> bool {
        self.within(stated).contains(&granted.as_str())
    }
}

/// The codes a stated purpose counts as within, with or without a
/// vocabulary: the one place the rule of DESIGN §7 is applied.
pub(crate) fn purpose_within<'a>(
    vocabulary: Option<&PurposeVocabulary>,
    stated: &'a PurposeCode,
) -> Vec<&'a str> {
    match vocabulary {
        Some(v) => v.within(stated),
        None => stated.lineage().collect(),
    }
}

impl Serialize for PurposeVocabulary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.purposes.serialize(s)
    }
}

impl<'de> Deserialize<'de> for PurposeVocabulary {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let purposes = Vec::<Purpose>::deserialize(d)?;
        Self::new(purposes).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(codes: &[&str]) -> PurposeVocabulary {
        PurposeVocabulary::new(
            codes
                .iter()
                .map(|c| Purpose {
                    code: PurposeCode::new(*c).unwrap(),
                    name: (*c).to_owned(),
                    parent: None,
                    basis: None,
                })
                .collect(),
        )
        .unwrap()
    }

    fn code(s: &str) -> PurposeCode {
        PurposeCode::new(s).unwrap()
    }

    #[test]
    fn only_registered_codes_count() {
        let v = vocabulary(&["a", "a.b.c"]);
        assert_eq!(v.within(&code("a.b.c")), ["a.b.c", "a"]);
        assert!(v.within(&code("a.b")).is_empty(), "not registered");
        assert!(v.within(&code("a.b.c.d")).is_empty(), "invented below");
        assert!(v.is_within(&code("a.b.c"), &code("a")));
        assert!(
            !v.is_within(&code("a.b.c"), &code("a.b")),
            "a.b is not registered"
        );
        assert_eq!(
            purpose_within(None, &code("a.b.c")),
            ["a.b.c", "a.b", "a"],
            "without a vocabulary every ancestor counts"
        );
    }

    #[test]
    fn duplicates_are_refused() {
        let p = Purpose {
            code: code("a"),
            name: "甲".into(),
            parent: None,
            basis: None,
        };
        let err = PurposeVocabulary::new(vec![p.clone(), p]).unwrap_err();
        assert_eq!(err.to_string(), "duplicate purpose `a`");
        let json = r#"[{"code": "a", "name": "甲"}, {"code": "a", "name": "乙"}]"#;
        assert!(serde_json::from_str::<PurposeVocabulary>(json).is_err());
        let unknown = r#"[{"code": "a", "name": "甲", "owner": "x"}]"#;
        assert!(serde_json::from_str::<PurposeVocabulary>(unknown).is_err());
    }
}
