//! Lifecycle changes and replies that cannot be made.

use super::CalendarError;

/// A transition that cannot be applied to a registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransitionError {
    /// No grant has this id.
    #[error("no grant `{grant}`")]
    UnknownGrant {
        /// The id.
        grant: String,
    },
    /// A grant with this id exists already.
    #[error("grant `{grant}` exists already")]
    DuplicateGrant {
        /// The id.
        grant: String,
    },
    /// The transition does not fit the grant's state.
    #[error("grant `{grant}`: cannot apply `{change}`: {why}")]
    NotAllowed {
        /// The grant.
        grant: String,
        /// The change attempted.
        change: &'static str,
        /// Why it cannot be applied.
        why: String,
    },
    /// The transition's own data is wrong.
    #[error("grant `{grant}`: invalid `{change}`: {why}")]
    Invalid {
        /// The grant.
        grant: String,
        /// The change attempted.
        change: &'static str,
        /// What is wrong.
        why: String,
    },
    /// No catalog entry has this id.
    #[error("no dataset `{dataset}`")]
    UnknownDataset {
        /// The id.
        dataset: String,
    },
    /// The department named in `by` may not make this change: who may is
    /// fixed by the Regulation (DESIGN §7).
    #[error("{subject}: `{by}` may not make `{change}`: {rule} (Art. {article})")]
    Unauthorized {
        /// The record concerned: ``grant `g-1` `` or ``dataset `ent-reg` ``.
        subject: String,
        /// The change attempted.
        change: &'static str,
        /// The department that tried.
        by: String,
        /// The rule, naming who may.
        rule: String,
        /// The article it rests on, such as `25` or `27(2)`.
        article: &'static str,
    },
    /// The change's instant does not fit the time it was recorded or the
    /// grant's earlier events: a widening never reaches back, a narrowing
    /// never reaches forward, and nothing goes before what came before.
    #[error("{subject}: `{change}` at {at}: {rule}")]
    Untimely {
        /// The record concerned.
        subject: String,
        /// The change attempted.
        change: &'static str,
        /// The instant it claims.
        at: String,
        /// The rule it breaks, with the times compared.
        rule: String,
    },
    /// No contractor entry has this id.
    #[error("no contractor `{contractor}`")]
    UnknownContractor {
        /// The id.
        contractor: String,
    },
    /// A contractor entry with this id exists already.
    #[error("contractor `{contractor}` exists already")]
    DuplicateContractor {
        /// The id.
        contractor: String,
    },
    /// The change does not fit the contractor entry's state, or its own
    /// data is wrong.
    #[error("contractor `{contractor}`: cannot apply `{change}`: {why}")]
    ContractorNotAllowed {
        /// The contractor.
        contractor: String,
        /// The change attempted.
        change: &'static str,
        /// Why it cannot be applied.
        why: String,
    },
    /// The change does not fit the catalog entry's state.
    #[error("dataset `{dataset}`: cannot apply `{change}`: {why}")]
    EntryNotAllowed {
        /// The catalog entry.
        dataset: String,
        /// The change attempted.
        change: &'static str,
        /// Why it cannot be applied.
        why: String,
    },
}

/// A reply to an application that cannot be given.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// Refusal without reasons (Art. 21: 应当说明理由).
    #[error("a refusal must give its reasons (Art. 21)")]
    RefusalWithoutReasons,
    /// Refusing or approving an incomplete application.
    #[error(
        "application `{application}` is incomplete ({codes}): it can only be sent back for supplement, listing every missing part at once (Art. 21)"
    )]
    Incomplete {
        /// The application.
        application: String,
        /// The finding codes, comma-separated.
        codes: String,
    },
    /// A supplement request for a complete application.
    #[error("application `{application}` is complete: nothing to supplement")]
    NothingToSupplement {
        /// The application.
        application: String,
    },
    /// Approving a `not_shared` entry.
    #[error(
        "dataset `{dataset}` is not_shared: the application must be refused with its legal basis (Art. 14–15)"
    )]
    NotShared {
        /// The dataset.
        dataset: String,
    },
    /// An extension over the limit or without an approver.
    #[error("invalid extension: {0}")]
    Extension(String),
    /// An approval wider than the application or the catalog entry.
    #[error("the approval exceeds {0}")]
    ExceedsApplication(String),
    /// A reply without a named approver (Art. 20: the provider's reply is
    /// approved by the head of its sharing office).
    #[error(
        "a reply needs the approval of the head of the provider's sharing office, named in `approval.by` (Art. 20)"
    )]
    NoApprover,
    /// A reply dated before the application was received.
    #[error(
        "the reply of {replied_at} is dated before application `{application}` was received at {received_at} (Art. 21)"
    )]
    BeforeApplication {
        /// The application.
        application: String,
        /// When the reply says it was given.
        replied_at: String,
        /// When the application was received.
        received_at: String,
    },
    /// Refusing a complete application for an unconditional entry.
    #[error(
        "dataset `{dataset}` is unconditional: it may be provided to every government department, so a complete application cannot be refused (Art. 14, 21, 39(2))"
    )]
    RefusesUnconditional {
        /// The dataset.
        dataset: String,
    },
    /// Approving an application the entry's structured conditions exclude.
    #[error(
        "application `{application}` is outside the entry's sharing conditions ({codes}): it cannot be approved (Art. 14–15)"
    )]
    ContradictsConditions {
        /// The application.
        application: String,
        /// The finding codes, comma-separated.
        codes: String,
    },
    /// Grant conditions the catalog entry does not state.
    #[error(
        "dataset `{dataset}` does not state the conditions {conditions}: a provider may not add conditions of its own (Art. 15, 39(2))"
    )]
    ExtraConditions {
        /// The dataset.
        dataset: String,
        /// The conditions added, each in backticks, comma-separated.
        conditions: String,
    },
    /// The working-day calendar does not cover a needed date.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}
