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
//!
//! # The public API
//!
//! Each item has one path. The types of a decision live at the root; the
//! namespaces hold what belongs together:
//!
//! | path | what |
//! | --- | --- |
//! | `govshare::{Engine, EngineBuilder, UsageRequest, Action}` | deciding |
//! | `govshare::{Decision, Outcome, Reason, Obligation, RuleId, StatutoryRule, EngineReason, ObligationId}` | the answer and its rule ids |
//! | `govshare::{Registry, FactSource, CheckedChange}` | the facts, and the one way a loaded registry changes |
//! | `govshare::{Department, Dataset, Grant, Contractor, …, DepartmentId, GrantId, ContractorId, PurposeCode, …}` | the domain and its validated ids |
//! | `govshare::{Calendar, DayKind, WorkingDays, SkippedDay}` | the PRC working-day calendar |
//! | `govshare::{YearFile, Holiday, MakeUpWorkday, Notice, CalendarReach, CALENDAR_WARNING_DAYS}` | a year of it: from the State Council's notice, the holiday-cn data set or a `cn-YYYY.json` file; how far the loaded years reach |
//! | `govshare::{Rule, RuleEffect, RuleOrigin}` | the loaded policies' rules |
//! | `govshare::{Progress, ProgressStage}` | progress of long work, reported through a callback |
//! | `govshare::{LoadError, RequestError, FactError, …, error_report}` | every error |
//! | [`lifecycle`] | catalog validation, applications and replies, transitions, disposals |
//! | [`audit`] | the Art. 29 usage record: records and the sink trait |
//! | `import` | catalog spreadsheets (xlsx, CSV) into a registry (feature `import`) |
//! | [`store`] | durable state in SQLite: the registry journal, the usage record, signed checkpoints |
//! | [`report`] | the self-check report (合规体检报告): its data, and its HTML (feature `report-html`) |
//! | [`wire`] | the JSON wire API (bytes in, JSON out) |
//! | [`ffi`] | the C ABI's statuses |
//! | [`time`] | RFC 3339 instants, China Standard Time, and the clocks a store and a live engine read |
//! | [`limits`] | the named limits on untrusted input |
//!
//! # Layers
//!
//! Modules depend only on modules below them, in this order: `limits`,
//! `progress`, `text`; `error`, `digest`; `input`, `time`; `model`;
//! `calendar`; `registry`; `decision`; `policy`; `engine`; `lifecycle`,
//! `audit`; `import`; `store`; `report`; `wire`; `ffi`. `.ci/layers` checks
//! it.

pub mod audit;
mod calendar;
mod decision;
mod digest;
mod engine;
mod error;
pub mod ffi;
#[cfg(feature = "import")]
pub mod import;
mod input;
pub mod lifecycle;
pub mod limits;
mod model;
mod policy;
mod progress;
mod registry;
pub mod report;
pub mod store;
mod text;
pub mod time;
pub mod wire;

pub use calendar::{
    CALENDAR_WARNING_DAYS, Calendar, CalendarReach, DayKind, Holiday, MakeUpWorkday, Notice,
    SkippedDay, WorkingDays, YearFile,
};
pub use decision::{
    Decision, EngineReason, Obligation, ObligationId, Outcome, Reason, RuleId, StatutoryRule,
};
pub use digest::ContentDigest;
pub use engine::{Action, CacheLimits, CacheStats, Engine, EngineBuilder, UsageRequest};
pub use error::{
    Break, CalendarError, FactError, IdError, ImportError, InstantError, JournalError, KeyError,
    LoadError, Log, Place, RecordError, ReplyError, RequestError, StoreError, TransitionError,
    WireError, error_report,
};
pub use model::{
    Activity, Approval, Assessment, CatalogStatus, Consent, ConsentScope, Contract, ContractId,
    Contractor, ContractorChange, ContractorEvent, ContractorId, DataGrade, DataItem, Dataset,
    DatasetId, Department, DepartmentId, DisposalInstruction, DisposalMethod, DisposalRecord,
    DisposalTrigger, EndTrigger, Grant, GrantChange, GrantEvent, GrantId, GrantStatus,
    HistoryEvent, HolderDisposal, ItemName, LegalBasis, LegalBasisKind, Level, Purpose,
    PurposeCode, PurposeEnd, PurposeVocabulary, RecipientId, RegionCode, ScopeDimension,
    SecretKind, Sharing, SharingClass, SharingConditions, SharingMethod, Suspension, Violation,
    Withdrawal,
};
pub use policy::{Rule, RuleEffect, RuleOrigin};
pub use progress::{Progress, ProgressStage};
pub use registry::{CheckedChange, FactRecord, FactSource, Registry};

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
