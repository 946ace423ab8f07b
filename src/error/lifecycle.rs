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
    /// The working-day calendar does not cover a needed date.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}
