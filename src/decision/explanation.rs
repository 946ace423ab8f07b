//! The one way reasons and obligations are worded: a sentence in each
//! language and the facts behind them, stated once per rule and turned into
//! a [`Reason`] or an [`Obligation`].

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Obligation, ObligationId, Reason, RuleId};

/// What one rule says about one request: a detail in Chinese and in
/// English, and the machine-readable facts.
#[derive(Debug, Default)]
pub(crate) struct Explanation {
    zh: String,
    en: String,
    facts: Map<String, Value>,
}

impl Explanation {
    /// An explanation with a detail in each language.
    pub(crate) fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
            facts: Map::new(),
        }
    }

    /// An explanation with no detail, only facts.
    pub(crate) fn facts_only() -> Self {
        Self::default()
    }

    /// Adds a fact. A value that cannot be represented is recorded as
    /// `null`, never dropped.
    pub(crate) fn fact(mut self, key: &str, value: impl Serialize) -> Self {
        self.facts.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }

    /// The reason of `rule`: its statement (`head`, from the policy's
    /// annotations or the engine) followed by this detail.
    pub(crate) fn into_reason(
        self,
        rule: RuleId,
        articles: Vec<String>,
        head_zh: &str,
        head_en: &str,
    ) -> Reason {
        Reason {
            rule,
            articles,
            zh: sentence(head_zh, &self.zh, "："),
            en: sentence(head_en, &self.en, ": "),
            facts: self.facts,
        }
    }

    /// The obligation `id`: this detail is its whole wording.
    pub(crate) fn into_obligation(self, id: ObligationId, articles: &[&str]) -> Obligation {
        Obligation {
            obligation: id,
            articles: articles.iter().map(|a| (*a).to_owned()).collect(),
            zh: self.zh,
            en: self.en,
            facts: self.facts,
        }
    }
}

fn sentence(head: &str, detail: &str, sep: &str) -> String {
    if detail.is_empty() {
        head.to_owned()
    } else {
        [head, sep, detail].concat()
    }
}
