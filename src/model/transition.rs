//! Lifecycle transitions of a grant (Art. 21, 25, 27): approval, provider
//! consent, renewal and amendment, purpose end, disposal, suspension after
//! a violation, reinstatement after correction, termination after a failed
//! or refused correction, and the withdrawal of a catalog entry; and of an
//! entrustment (Art. 36): a contractor entrusted, the entrustment ended,
//! and a contractor's disposal of the data it held.
//!
//! A transition is data: when, which department, who, why and what, and
//! when it was recorded. A registry checks it against the grant's state and
//! against who may make it, and applies it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{
    Consent, Contractor, ContractorId, DatasetId, DepartmentId, DisposalMethod, EndTrigger, Grant,
    GrantId, ItemName, PurposeCode, SharingMethod, Violation,
};
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
    /// Termination after a refused or failed correction (Art. 27(2): 可以终止):
    /// once the deadline to correct has passed, or earlier when the
    /// requester's refusal to correct is recorded.
    Terminated {
        /// The grant.
        grant: GrantId,
        /// When the requester refused to correct, if it did; it must lie
        /// within the suspension.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "rfc3339::option"
        )]
        refused_at: Option<DateTime<FixedOffset>>,
    },
    /// The provider renews the period of use to a later end (Art. 20–21);
    /// from its instant the grant runs to `valid_until`.
    GrantRenewed {
        /// The grant.
        grant: GrantId,
        /// The new end of the period of use (exclusive).
        #[serde(with = "rfc3339")]
        valid_until: DateTime<FixedOffset>,
    },
    /// The provider amends the grant's items, methods or purposes. A
    /// narrower grant is a change of the sharing service and names the
    /// competent authority it was filed with (Art. 27(3)).
    GrantAmended {
        /// The grant.
        grant: GrantId,
        /// The data items from now on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        items: Option<Vec<ItemName>>,
        /// The sharing methods from now on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        methods: Option<Vec<SharingMethod>>,
        /// The purposes from now on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purposes: Option<Vec<PurposeCode>>,
        /// The competent authority the change was filed with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filed_with: Option<DepartmentId>,
    },
    /// The provider withdraws a catalog entry, filed with the competent
    /// authority (Art. 27(3)): every grant on it ends, and disposal falls
    /// due.
    EntryWithdrawn {
        /// The catalog entry.
        dataset: DatasetId,
        /// The competent authority the withdrawal was filed with.
        filed_with: DepartmentId,
        /// Why the entry is withdrawn.
        reason: String,
    },
    /// The department entrusts a contractor with datasets and activities
    /// under a contract (Art. 36): a new contractor entry, in force from
    /// the transition's `at` (and never before the contract's start).
    ContractorEntrusted {
        /// The contractor entry; its `department` is the one entrusting.
        contractor: Box<Contractor>,
    },
    /// The department ends an entrustment (Art. 36): from `at` the
    /// contractor processes nothing, and it owes disposal of the data it
    /// holds.
    EntrustmentEnded {
        /// The contractor.
        contractor: ContractorId,
    },
    /// The entrusting department records that a contractor disposed of the
    /// data of a grant it held (Art. 27, 36).
    ContractorDisposalRecorded {
        /// The contractor.
        contractor: ContractorId,
        /// The grant whose data it held.
        grant: GrantId,
        /// The method used; must be the provider's.
        method: DisposalMethod,
        /// Who attests the disposal.
        attested_by: String,
    },
}

impl Change {
    /// The grant the change concerns; `None` for the withdrawal of a
    /// catalog entry, which concerns every grant on it, and for a change
    /// of an entrustment, which concerns a contractor
    /// ([`Change::contractor_id`]).
    pub fn grant_id(&self) -> Option<&GrantId> {
        match self {
            Change::GrantApproved { grant } => Some(&grant.id),
            Change::ConsentAdded { grant, .. }
            | Change::PurposeEnded { grant, .. }
            | Change::DisposalRecorded { grant, .. }
            | Change::Suspended { grant, .. }
            | Change::Reinstated { grant }
            | Change::Terminated { grant, .. }
            | Change::GrantRenewed { grant, .. }
            | Change::GrantAmended { grant, .. } => Some(grant),
            Change::EntryWithdrawn { .. }
            | Change::ContractorEntrusted { .. }
            | Change::EntrustmentEnded { .. }
            | Change::ContractorDisposalRecorded { .. } => None,
        }
    }

    /// The contractor a change of an entrustment concerns.
    pub fn contractor_id(&self) -> Option<&ContractorId> {
        match self {
            Change::ContractorEntrusted { contractor } => Some(&contractor.id),
            Change::EntrustmentEnded { contractor }
            | Change::ContractorDisposalRecorded { contractor, .. } => Some(contractor),
            _ => None,
        }
    }

    /// The record the change concerns, as text: ``grant `g-1` ``,
    /// ``dataset `ent-reg` `` or ``contractor `c-hz-cloud` ``.
    pub fn subject(&self) -> String {
        match (self.grant_id(), self.contractor_id(), self) {
            (Some(g), _, _) => format!("grant `{g}`"),
            (None, Some(c), _) => format!("contractor `{c}`"),
            (None, None, Change::EntryWithdrawn { dataset, .. }) => format!("dataset `{dataset}`"),
            (None, None, _) => "nothing".to_owned(),
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
            Change::GrantRenewed { .. } => "grant_renewed",
            Change::GrantAmended { .. } => "grant_amended",
            Change::EntryWithdrawn { .. } => "entry_withdrawn",
            Change::ContractorEntrusted { .. } => "contractor_entrusted",
            Change::EntrustmentEnded { .. } => "entrustment_ended",
            Change::ContractorDisposalRecorded { .. } => "contractor_disposal_recorded",
        }
    }
}

/// One lifecycle event: a change with when, which department, who and
/// why, and when it was recorded.
///
/// `at` is the instant the change takes effect. A change that widens what
/// the requester may do (approval, consent, reinstatement, renewal, a wider
/// amendment) may not take effect before it is recorded; one that narrows
/// it may carry the earlier instant of the event itself, but never one
/// after its recording (DESIGN §7). A store stamps `recorded_at` from its
/// own clock; a transition not yet stamped is checked as if recorded at
/// `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    /// When it takes effect.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// The department making the change (a registered department id): who
    /// may make which change is fixed by the Regulation (DESIGN §7).
    pub by: DepartmentId,
    /// Who made it (an official, an office, a system).
    pub actor: String,
    /// Why.
    pub reason: String,
    /// What changed.
    pub change: Change,
    /// A key naming this change, so that a store recognises a retry: the
    /// same key with the same change (whatever its `recorded_at`) is the
    /// earlier acknowledgement, the same key with another change is an
    /// error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// When the store recorded it: set by the durable registry from its
    /// clock as the change is appended, never by the caller; absent until
    /// then.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    pub recorded_at: Option<DateTime<FixedOffset>>,
}

impl Transition {
    /// A transition, not yet recorded.
    pub fn new(
        at: DateTime<FixedOffset>,
        by: DepartmentId,
        actor: impl Into<String>,
        reason: impl Into<String>,
        change: Change,
    ) -> Self {
        Self {
            at,
            by,
            actor: actor.into(),
            reason: reason.into(),
            change,
            idempotency_key: None,
            recorded_at: None,
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
        by: DepartmentId,
        actor: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::new(
            at,
            by,
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
