//! # govshare
//!
//! Enforces China's 《政务数据共享条例》 (Government Data Sharing Regulation,
//! State Council Decree No. 809, in force 2025-08-01) for data shared between
//! government departments.
//!
//! A host asks: *may department R perform action A on dataset D, over data
//! items I, for purpose P, through method M, at time T?* govshare looks up the
//! catalog entry and the approved grant, evaluates the statutory Cedar
//! policies (plus any local forbids), and answers allow or deny with reasons
//! that cite the articles in Chinese and English, the facts behind each
//! reason, and the obligations that come with the answer.
//!
//! ```
//! use govshare::{Engine, Registry, UsageRequest};
//!
//! let engine = Engine::builder().build()?;
//! let registry = Registry::from_json_str(include_str!("../examples/data/registry.json"))?;
//! let request = UsageRequest::from_json(include_str!("../examples/data/requests/01-allow.json"))?;
//! let decision = engine.evaluate(&request, &registry);
//! assert!(decision.is_allow());
//! assert_eq!(decision.rule_ids(), ["GS-PERMIT"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Evaluation never fails open: any error while deciding is a deny that
//! says why. Only loading ([`EngineBuilder::build`], [`Registry`]) and parsing
//! a request return `Result`.

pub mod audit;
pub mod decision;
mod digest;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod lifecycle;
pub mod limits;
pub mod model;
pub mod policy;
pub mod registry;

pub use decision::{Decision, Obligation, Outcome, Reason};
pub use engine::{Action, Engine, EngineBuilder, UsageRequest};
pub use error::{IdError, LoadError, RequestError};
pub use lifecycle::calendar::Calendar;
pub use model::{
    CatalogStatus, Consent, ConsentScope, DataGrade, DataItem, Dataset, DatasetId, Department,
    DepartmentId, DisposalInstruction, DisposalMethod, DisposalRecord, EndTrigger, Grant, GrantId,
    GrantStatus, ItemName, Level, MAX_ID_LEN, PurposeCode, PurposeEnd, RecipientId, Sharing,
    SharingMethod,
};
pub use policy::{Rule, RuleEffect, RuleOrigin};
pub use registry::{FactError, FactSource, Registry};

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
