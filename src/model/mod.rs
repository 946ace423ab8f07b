//! The domain: departments, catalog entries and their items and sharing
//! classes, grants, purposes, and the identifiers that name them.

mod dataset;
mod department;
mod grant;
mod ids;
pub mod time;

pub use dataset::{
    Approval, Assessment, CatalogStatus, DataGrade, DataItem, Dataset, LegalBasis, LegalBasisKind,
    SecretKind, Sharing, SharingMethod,
};
pub use department::{Department, Level, RegionCode};
pub use grant::{
    Consent, ConsentScope, DisposalInstruction, DisposalMethod, DisposalRecord, DisposalTrigger,
    EndTrigger, Grant, GrantStatus, PurposeEnd, Suspension, Violation,
};
pub use ids::{DatasetId, DepartmentId, GrantId, ItemName, MAX_ID_LEN, PurposeCode, RecipientId};
