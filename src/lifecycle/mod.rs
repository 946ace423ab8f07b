//! The sharing lifecycle around a decision: catalog validation
//! (Art. 2–3, 13–27, 39) and how much of a catalog is enforced by code,
//! applications and replies with their deadlines in PRC
//! working days (Art. 20–22), no repeated collection (Art. 19), the
//! transitions that change a grant (consent, purpose end, disposal,
//! suspension, reinstatement, termination; Art. 25, 27), and the disposals
//! owed (Art. 27, 40(4)).

mod application;
mod catalog;
mod collection;
mod coverage;

pub use application::{
    Application, Attestation, DELIVERY_DAYS, Extension, MAX_EXTENSION_DAYS, REPLY_DAYS_CONDITIONAL,
    REPLY_DAYS_UNCONDITIONAL, Reply, ReplyDecision, ReplyOutcome, check_application,
    check_delivery, delivery_deadline, reply, reply_days, reply_deadline,
};
pub use catalog::{CATALOG_CODES, Finding, Severity, Subject, validate};
pub use collection::{ObtainableItem, duplicate_collection};
pub use coverage::{Checkability, Coverage, CoverageSummary, Unchecked, coverage};

pub use crate::model::{Change, Transition};
pub use crate::registry::{
    DisposalEntry, DisposalState, disposal_due, disposal_state, overdue_disposals,
};
