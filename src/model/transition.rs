//! Lifecycle transitions of a grant (Art. 25, 27): approval, provider
//! consent, purpose end, disposal, suspension after a violation,
//! reinstatement after correction, termination after a failed correction.
//!
//! A transition is data: when, who, why and what. A registry checks it
//! against a grant's state and applies it ([`crate::Registry::apply`]).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Consent, DisposalMethod, EndTrigger, Grant, GrantId, Violation};
use crate::time::rfc3339;

/// What a transition changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// A new grant approved (Art. 21).
    GrantApproved {
        /// The grant.
        grant: Box<Grant>,
    },
    /// The provider consented to widen a grant (Art. 25).
    ConsentAdded {
        /// The grant.
        grant: GrantId,
        /// The consent.
        consent: Consent,
    },
    /// The purpose ended (Art. 27).
    PurposeEnded {
        /// The grant.
        grant: GrantId,
        /// Why.
        trigger: EndTrigger,
    },
    /// A disposal receipt (Art. 27).
    DisposalRecorded {
        /// The grant.
        grant: GrantId,
        /// The method used; must be the provider's.
        method: DisposalMethod,
        /// Who attests the disposal.
        attested_by: String,
    },
    /// Suspension after a violation, with the deadline to correct
    /// (Art. 27(2): 应当暂停).
    Suspended {
        /// The grant.
        grant: GrantId,
        /// The violation found.
        violation: Violation,
        /// The deadline to correct.
        #[serde(with = "rfc3339")]
        correct_by: DateTime<FixedOffset>,
    },
    /// Reinstatement after the violation was corrected.
    Reinstated {
        /// The grant.
        grant: GrantId,
    },
    /// Termination after a refused or failed correction (Art. 27(2): 可以终止).
    Terminated {
        /// The grant.
        grant: GrantId,
    },
}

impl Change {
    /// The grant the change concerns.
    pub fn grant_id(&self) -> &GrantId {
        match self {
            Change::GrantApproved { grant } => &grant.id,
            Change::ConsentAdded { grant, .. }
            | Change::PurposeEnded { grant, .. }
            | Change::DisposalRecorded { grant, .. }
            | Change::Suspended { grant, .. }
            | Change::Reinstated { grant }
            | Change::Terminated { grant } => grant,
        }
    }

    /// The wire name of the change.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::GrantApproved { .. } => "grant_approved",
            Change::ConsentAdded { .. } => "consent_added",
            Change::PurposeEnded { .. } => "purpose_ended",
            Change::DisposalRecorded { .. } => "disposal_recorded",
            Change::Suspended { .. } => "suspended",
            Change::Reinstated { .. } => "reinstated",
            Change::Terminated { .. } => "terminated",
        }
    }
}

/// One lifecycle event: a change with when, who and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// When it happened.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// Who made it (an official, an office, a system).
    pub actor: String,
    /// Why.
    pub reason: String,
    /// What changed.
    pub change: Change,
    /// A key naming this change, so that a store recognises a retry: the
    /// same key with the same change is the earlier acknowledgement, the
    /// same key with another change is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

impl Transition {
    /// A transition.
    pub fn new(
        at: DateTime<FixedOffset>,
        actor: impl Into<String>,
        reason: impl Into<String>,
        change: Change,
    ) -> Self {
        Self {
            at,
            actor: actor.into(),
            reason: reason.into(),
            change,
            idempotency_key: None,
        }
    }

    /// The suspension a recorded violation obliges (Art. 27(2): the
    /// authority or the provider 应当暂停 the requester's sharing permission
    /// and sets a deadline to correct).
    pub fn for_violation(
        grant: GrantId,
        violation: Violation,
        at: DateTime<FixedOffset>,
        correct_by: DateTime<FixedOffset>,
        actor: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::new(
            at,
            actor,
            reason,
            Change::Suspended {
                grant,
                violation,
                correct_by,
            },
        )
    }
}
