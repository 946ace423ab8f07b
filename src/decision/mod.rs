//! Decisions and their explanations: reasons that cite the articles in
//! Chinese and English with the facts behind them, and the obligations that
//! come with an answer.

pub(crate) mod explain;

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::model::GrantId;
use crate::model::time::rfc3339;

/// Reason of a deny when the policies could not be evaluated (fail closed).
pub const EVALUATION_ERROR: &str = "GS-EVALUATION-ERROR";
/// Reason of a deny when the fact source could not answer (fail closed).
pub const FACTS_UNAVAILABLE: &str = "GS-FACTS-UNAVAILABLE";
/// Reason of a deny when a request built in code breaks the wire format.
pub const INVALID_REQUEST: &str = "GS-INVALID-REQUEST";
/// Reason of a deny that no policy explains (no permit applied).
pub const DEFAULT_DENY: &str = "GS-DEFAULT-DENY";
/// Obligation of every allow: record the use (Art. 29).
pub const OBLIGATION_RECORD_USE: &str = "GS-OBL-RECORD-USE";
/// Obligation to dispose of the data as the provider requires (Art. 27).
pub const OBLIGATION_DISPOSE: &str = "GS-OBL-DISPOSE";

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The use is allowed, with the listed obligations.
    Allow,
    /// The use is denied for the listed reasons.
    Deny,
}

/// Why a decision came out as it did: one rule, the articles it enforces,
/// a sentence in each language, and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// The rule id, such as `GS-SCOPE-EXPANSION`.
    pub rule: String,
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
pub struct Obligation {
    /// The obligation id: `GS-OBL-RECORD-USE` or `GS-OBL-DISPOSE`.
    pub obligation: String,
    /// Articles of the Regulation.
    pub articles: Vec<String>,
    /// The duty in Chinese.
    pub zh: String,
    /// The duty in English.
    pub en: String,
    /// Its particulars: for disposal, `method`, `due` (a date in China
    /// Standard Time, by the end of which disposal is owed, or `null` when
    /// the working-day calendar of that year is not loaded), `trigger`,
    /// `triggered_at` and `within_working_days`.
    pub facts: Map<String, Value>,
}

/// The answer to a usage request.
///
/// Read it with [`Decision::is_allow`], [`Decision::reasons`] and
/// [`Decision::obligations`]; serialize it with [`Decision::to_json`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    decision: Outcome,
    decision_id: Uuid,
    #[serde(with = "rfc3339")]
    decided_at: DateTime<FixedOffset>,
    grant: Option<GrantId>,
    policy_digest: String,
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
            reasons,
            obligations,
        }
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

    /// Reads a decision back from the wire format (for replay and audit).
    ///
    /// # Errors
    ///
    /// The parser's message when the text is not a decision.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The explanation for a person: Chinese first, then English.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let (zh, en) = match self.decision {
            Outcome::Allow => ("允许", "ALLOW"),
            Outcome::Deny => ("拒绝", "DENY"),
        };
        let _ = writeln!(out, "决定 {zh} / decision {en}");
        if let Some(g) = &self.grant {
            let _ = writeln!(out, "共享授权 / grant: {g}");
        }
        let _ = writeln!(out, "理由 / reasons:");
        for r in &self.reasons {
            let _ = writeln!(out, "  [{}] 第{}条", r.rule, r.articles.join("、"));
            let _ = writeln!(out, "    {}", r.zh);
            let _ = writeln!(out, "    {}", r.en);
        }
        if !self.obligations.is_empty() {
            let _ = writeln!(out, "义务 / obligations:");
            for o in &self.obligations {
                let _ = writeln!(out, "  [{}] 第{}条", o.obligation, o.articles.join("、"));
                let _ = writeln!(out, "    {}", o.zh);
                let _ = writeln!(out, "    {}", o.en);
            }
        }
        let _ = writeln!(out, "decision_id: {}", self.decision_id);
        let _ = write!(out, "policy_digest: {}", self.policy_digest);
        out
    }
}
