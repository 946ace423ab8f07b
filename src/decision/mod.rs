//! Decisions and their explanations: reasons that cite the articles in
//! Chinese and English with the facts behind them, and the obligations that
//! come with an answer. These are the output types a host reads; the
//! engine builds them.

mod explanation;
mod rule;

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

pub(crate) use explanation::Explanation;
pub use rule::{EngineReason, ObligationId, RuleId, StatutoryRule};

use crate::model::GrantId;
use crate::time::rfc3339;

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The use is allowed, with the listed obligations.
    Allow,
    /// The use is denied for the listed reasons.
    Deny,
}

impl Outcome {
    /// The wire name: `allow` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Deny => "deny",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a decision came out as it did: one rule, the articles it enforces,
/// a sentence in each language, and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Reason {
    /// The rule id, such as `GS-SCOPE-EXPANSION`.
    pub rule: RuleId,
    /// Articles of the Regulation, such as `25` and `40(2)`.
    pub articles: Vec<String>,
    /// The explanation in Chinese.
    pub zh: String,
    /// The explanation in English.
    pub en: String,
    /// Machine-readable facts, such as `items_outside_grant`.
    pub facts: Map<String, Value>,
}

/// A duty that comes with a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Obligation {
    /// The obligation id: `GS-OBL-RECORD-USE`, `GS-OBL-DISPOSE` or
    /// `GS-OBL-SUPERVISE-PROCESSOR`.
    pub obligation: ObligationId,
    /// Articles of the Regulation.
    pub articles: Vec<String>,
    /// The duty in Chinese.
    pub zh: String,
    /// The duty in English.
    pub en: String,
    /// Its particulars: for disposal, `method`, `due` (a date in China
    /// Standard Time, by the end of which disposal is owed, or `null` when
    /// the working-day calendar of that year is not loaded), `trigger`,
    /// `triggered_at`, `within_working_days` and `holders` (the requester
    /// and each contractor holding the data, each with its own trigger and
    /// due date); for supervising a processor, `contractor`, `contract`
    /// and `valid_until`.
    pub facts: Map<String, Value>,
}

/// The answer to a usage request.
///
/// Read it with [`Decision::is_allow`], [`Decision::reasons`] and
/// [`Decision::obligations`]; serialize it with [`Decision::to_json`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Decision {
    decision: Outcome,
    decision_id: Uuid,
    #[serde(with = "rfc3339")]
    decided_at: DateTime<FixedOffset>,
    grant: Option<GrantId>,
    policy_digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registry_version: Option<u64>,
    reasons: Vec<Reason>,
    obligations: Vec<Obligation>,
}

impl Decision {
    pub(crate) fn new(
        decision: Outcome,
        grant: Option<GrantId>,
        policy_digest: String,
        reasons: Vec<Reason>,
        obligations: Vec<Obligation>,
    ) -> Self {
        Self {
            decision,
            decision_id: Uuid::new_v4(),
            decided_at: chrono::Utc::now().fixed_offset(),
            grant,
            policy_digest,
            registry_version: None,
            reasons,
            obligations,
        }
    }

    /// The same decision made again: a fresh `decision_id` and
    /// `decided_at`, everything else as it was.
    pub(crate) fn renewed(&self) -> Self {
        Self {
            decision_id: Uuid::new_v4(),
            decided_at: chrono::Utc::now().fixed_offset(),
            ..self.clone()
        }
    }

    /// The reasons, to replace one worded for another time of use.
    pub(crate) fn reasons_mut(&mut self) -> &mut [Reason] {
        &mut self.reasons
    }

    /// What the decision holds, in bytes, about: its texts, ids and facts.
    pub(crate) fn approx_bytes(&self) -> usize {
        let texts = |articles: &[String], zh: &str, en: &str, facts: &Map<String, Value>| {
            articles.iter().map(|a| a.len() + 24).sum::<usize>()
                + zh.len()
                + en.len()
                + facts
                    .iter()
                    .map(|(k, v)| k.len() + 48 + value_bytes(v))
                    .sum::<usize>()
        };
        std::mem::size_of::<Self>()
            + self.policy_digest.len()
            + self.grant.as_ref().map_or(0, |g| g.as_str().len())
            + self
                .reasons
                .iter()
                .map(|r| std::mem::size_of::<Reason>() + texts(&r.articles, &r.zh, &r.en, &r.facts))
                .sum::<usize>()
            + self
                .obligations
                .iter()
                .map(|o| {
                    std::mem::size_of::<Obligation>() + texts(&o.articles, &o.zh, &o.en, &o.facts)
                })
                .sum::<usize>()
    }

    /// The decision, stating the version of the facts it was made on.
    pub(crate) fn with_registry_version(mut self, version: Option<u64>) -> Self {
        self.registry_version = version;
        self
    }

    /// Allow or deny.
    pub fn outcome(&self) -> Outcome {
        self.decision
    }

    /// Whether the use is allowed.
    pub fn is_allow(&self) -> bool {
        self.decision == Outcome::Allow
    }

    /// A fresh UUID v4 naming this decision.
    pub fn decision_id(&self) -> Uuid {
        self.decision_id
    }

    /// When the decision was made (not the time of use, which the request
    /// carries).
    pub fn decided_at(&self) -> DateTime<FixedOffset> {
        self.decided_at
    }

    /// The grant the request was judged against, if one was found.
    pub fn grant(&self) -> Option<&GrantId> {
        self.grant.as_ref()
    }

    /// `sha256:…` of the loaded schema and policies, so an auditor knows
    /// which rules decided.
    pub fn policy_digest(&self) -> &str {
        &self.policy_digest
    }

    /// The version of the registry the decision was made on, when it comes
    /// from a store: the sequence number of the last change applied
    /// (`registry_version` in the wire format; absent otherwise).
    pub fn registry_version(&self) -> Option<u64> {
        self.registry_version
    }

    /// The reasons: `GS-PERMIT` alone for an allow; for a deny every rule
    /// broken, in catalog order.
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// The rule ids of the reasons, in order.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.reasons.iter().map(|r| r.rule.as_str()).collect()
    }

    /// The obligations that come with the decision.
    pub fn obligations(&self) -> &[Obligation] {
        &self.obligations
    }

    /// The decision in the wire format.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The decision in the wire format, indented for people.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The bytes a JSON value holds, about.
fn value_bytes(v: &Value) -> usize {
    std::mem::size_of::<Value>()
        + match v {
            Value::String(s) => s.len(),
            Value::Array(a) => a.iter().map(value_bytes).sum(),
            Value::Object(o) => o.iter().map(|(k, v)| k.len() + 48 + value_bytes(v)).sum(),
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        }
}

/// The explanation for a person: Chinese first, then English.
impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (zh, en) = match self.decision {
            Outcome::Allow => ("允许", "ALLOW"),
            Outcome::Deny => ("拒绝", "DENY"),
        };
        writeln!(f, "决定 {zh} / decision {en}")?;
        if let Some(g) = &self.grant {
            writeln!(f, "共享授权 / grant: {g}")?;
        }
        writeln!(f, "理由 / reasons:")?;
        for r in &self.reasons {
            write_item(f, r.rule.as_str(), &r.articles, &r.zh, &r.en)?;
        }
        if !self.obligations.is_empty() {
            writeln!(f, "义务 / obligations:")?;
            for o in &self.obligations {
                write_item(f, o.obligation.as_str(), &o.articles, &o.zh, &o.en)?;
            }
        }
        writeln!(f, "decision_id: {}", self.decision_id)?;
        write!(f, "policy_digest: {}", self.policy_digest)
    }
}

fn write_item(
    f: &mut fmt::Formatter<'_>,
    id: &str,
    articles: &[String],
    zh: &str,
    en: &str,
) -> fmt::Result {
    writeln!(f, "  [{id}] 第{}条", articles.join("、"))?;
    writeln!(f, "    {zh}")?;
    writeln!(f, "    {en}")
}
