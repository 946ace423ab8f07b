//! The domain: departments, catalog entries and their items and sharing
//! classes, grants and their history over time, contractors and their
//! entrustments, purposes, the identifiers that name them, and the
//! lifecycle transitions that change a grant or an entrustment.

mod contractor;
mod dataset;
mod department;
mod grant;
mod history;
mod ids;
mod purpose;
mod transition;

pub use contractor::{
    Activity, Contract, Contractor, ContractorChange, ContractorEvent, HolderDisposal,
};
pub(crate) use contractor::{UsccProblem, uscc_problem};
pub use dataset::{
    Approval, Assessment, CatalogStatus, DataGrade, DataItem, Dataset, LegalBasis, LegalBasisKind,
    ScopeDimension, SecretKind, Sharing, SharingClass, SharingConditions, SharingMethod,
};
pub use department::{Department, Level, RegionCode};
pub use grant::{
    Consent, ConsentScope, DisposalInstruction, DisposalMethod, DisposalRecord, DisposalTrigger,
    EndTrigger, Grant, GrantStatus, PurposeEnd, Suspension, Violation,
};
pub use history::{GrantChange, GrantEvent, HistoryEvent, Withdrawal};
pub use ids::{
    ContractId, ContractorId, DatasetId, DepartmentId, GrantId, ItemName, PurposeCode, RecipientId,
};
pub(crate) use purpose::purpose_within;
pub use purpose::{Purpose, PurposeVocabulary};
pub use transition::{Change, Transition};
