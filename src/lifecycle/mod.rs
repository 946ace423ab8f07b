//! The sharing lifecycle around a decision: catalog validation
//! (Art. 2–3, 13–27, 39) and how much of a catalog is enforced by code,
//! applications and replies with their deadlines in PRC
//! working days (Art. 20–22), no repeated collection (Art. 19), the
//! transitions that change a grant (consent, renewal, amendment, purpose
//! end, disposal, suspension, reinstatement, termination, withdrawal of the
//! entry; Art. 21, 25, 27) and an entrustment (Art. 36), the disposals owed
//! by every holder of the data (Art. 27, 36, 40(4)), the contractors'
//! entries (Art. 36) and the corrections overdue (Art. 27(2)).

mod application;
mod catalog;
mod collection;
mod contractor;
mod correction;
mod coverage;

pub use application::{
    Application, Attestation, DELIVERY_DAYS, Extension, MAX_EXTENSION_DAYS, REPLY_DAYS_CONDITIONAL,
    REPLY_DAYS_UNCONDITIONAL, Reply, ReplyDecision, ReplyOutcome, check_application,
    check_delivery, delivery_deadline, reply, reply_days, reply_deadline,
};
pub use catalog::{CATALOG_CODES, Finding, Severity, Subject, validate};
pub use collection::{ObtainableItem, duplicate_collection};
pub use contractor::CONTRACT_ENDED;
pub use correction::{CORRECTION_OVERDUE, OverdueCorrection, overdue_corrections, validate_at};
pub use coverage::{Checkability, Coverage, CoverageSummary, Unchecked, coverage};

pub use crate::model::{Change, Transition};
pub use crate::registry::{
    DEFAULT_CLOCK_TOLERANCE, DisposalEntry, DisposalState, disposal_due, disposal_state,
    overdue_disposals,
};
