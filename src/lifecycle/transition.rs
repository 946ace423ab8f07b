//! Lifecycle transitions of a grant (Art. 25, 27): approval, provider
//! consent, purpose end, disposal, suspension after a violation,
//! reinstatement after correction, termination after a failed correction.
//!
//! Every change is a [`Transition`] with its time, actor and reason, applied
//! to a [`Registry`] with [`apply`]. A transition that makes no sense
//! (reinstating a terminated grant, disposing of data twice, a receipt whose
//! method differs from the provider's instruction) is an error and changes
//! nothing.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::model::time::{format_rfc3339, rfc3339};
use crate::model::{
    Consent, DisposalMethod, DisposalRecord, EndTrigger, Grant, GrantId, GrantStatus, PurposeEnd,
    Suspension, Violation,
};
use crate::registry::Registry;

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

/// A transition that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransitionError {
    /// No grant has this id.
    #[error("no grant `{grant}`")]
    UnknownGrant {
        /// The id.
        grant: GrantId,
    },
    /// A grant with this id exists already.
    #[error("grant `{grant}` exists already")]
    DuplicateGrant {
        /// The id.
        grant: GrantId,
    },
    /// The transition does not fit the grant's state.
    #[error("grant `{grant}`: cannot apply `{change}`: {why}")]
    NotAllowed {
        /// The grant.
        grant: GrantId,
        /// The change attempted.
        change: &'static str,
        /// Why it cannot be applied.
        why: String,
    },
    /// The transition's own data is wrong.
    #[error("grant `{grant}`: invalid `{change}`: {why}")]
    Invalid {
        /// The grant.
        grant: GrantId,
        /// The change attempted.
        change: &'static str,
        /// What is wrong.
        why: String,
    },
}

fn refuse(grant: &Grant, change: &'static str, why: impl Into<String>) -> TransitionError {
    TransitionError::NotAllowed {
        grant: grant.id.clone(),
        change,
        why: why.into(),
    }
}

/// Checks a transition against a grant's state and returns the grant as it
/// would be after it. Nothing is changed.
fn next_state(grant: &Grant, t: &Transition) -> Result<Grant, TransitionError> {
    let mut g = grant.clone();
    let kind = t.change.kind();
    match &t.change {
        Change::GrantApproved { .. } => {
            return Err(TransitionError::DuplicateGrant {
                grant: grant.id.clone(),
            });
        }
        Change::ConsentAdded { consent, .. } => {
            if g.status == GrantStatus::Terminated {
                return Err(refuse(grant, kind, "the grant is terminated"));
            }
            if g.disposed.is_some() {
                return Err(refuse(grant, kind, "the data was disposed of"));
            }
            g.consents.push(consent.clone());
        }
        Change::PurposeEnded { trigger, .. } => {
            if let Some(end) = g.ended {
                return Err(refuse(
                    grant,
                    kind,
                    format!(
                        "the purpose already ended ({}) at {}",
                        end.trigger.as_str(),
                        format_rfc3339(&end.at)
                    ),
                ));
            }
            g.ended = Some(PurposeEnd {
                trigger: *trigger,
                at: t.at,
            });
        }
        Change::DisposalRecorded {
            method,
            attested_by,
            ..
        } => {
            if let Some(d) = &g.disposed {
                return Err(refuse(
                    grant,
                    kind,
                    format!(
                        "the data was already disposed of at {}",
                        format_rfc3339(&d.at)
                    ),
                ));
            }
            if *method != g.disposal.method {
                return Err(TransitionError::Invalid {
                    grant: grant.id.clone(),
                    change: kind,
                    why: format!(
                        "the receipt's method `{}` differs from the provider's instruction `{}` (Art. 27)",
                        method.as_str(),
                        g.disposal.method.as_str()
                    ),
                });
            }
            if attested_by.trim().is_empty() {
                return Err(TransitionError::Invalid {
                    grant: grant.id.clone(),
                    change: kind,
                    why: "a disposal receipt needs the name of who attests it".into(),
                });
            }
            g.disposed = Some(Box::new(DisposalRecord {
                method: *method,
                at: t.at,
                attested_by: attested_by.clone(),
            }));
        }
        Change::Suspended {
            violation,
            correct_by,
            ..
        } => {
            match g.status {
                GrantStatus::Active => {}
                GrantStatus::Suspended => {
                    return Err(refuse(grant, kind, "the grant is already suspended"));
                }
                GrantStatus::Terminated => {
                    return Err(refuse(grant, kind, "the grant is terminated"));
                }
            }
            if *correct_by <= t.at {
                return Err(TransitionError::Invalid {
                    grant: grant.id.clone(),
                    change: kind,
                    why: "the deadline to correct must lie after the suspension".into(),
                });
            }
            g.status = GrantStatus::Suspended;
            g.suspension = Some(Box::new(Suspension {
                violation: *violation,
                at: t.at,
                correct_by: *correct_by,
                by: t.actor.clone(),
                reason: t.reason.clone(),
            }));
        }
        Change::Reinstated { .. } => {
            match g.status {
                GrantStatus::Suspended => {}
                GrantStatus::Active => {
                    return Err(refuse(grant, kind, "the grant is not suspended"));
                }
                GrantStatus::Terminated => {
                    return Err(refuse(
                        grant,
                        kind,
                        "a terminated grant cannot be reinstated",
                    ));
                }
            }
            g.status = GrantStatus::Active;
            g.suspension = None;
        }
        Change::Terminated { .. } => match g.status {
            GrantStatus::Suspended => {
                g.status = GrantStatus::Terminated;
            }
            GrantStatus::Active => {
                return Err(refuse(
                    grant,
                    kind,
                    "termination follows a suspension whose correction was refused or failed (Art. 27(2)); suspend first",
                ));
            }
            GrantStatus::Terminated => {
                return Err(refuse(grant, kind, "the grant is already terminated"));
            }
        },
    }
    Ok(g)
}

/// A transition checked against a registry, ready to be committed.
///
/// [`plan`] checks without changing anything, so a host can make the
/// transition durable (a journal, a database) before [`commit`] applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned(PlannedChange);

#[derive(Debug, Clone, PartialEq, Eq)]
enum PlannedChange {
    Insert(Box<Grant>),
    Replace(Box<Grant>),
}

/// Checks a transition against a registry and returns what it would do.
///
/// # Errors
///
/// [`TransitionError`] naming the grant and why the transition does not fit.
pub fn plan(registry: &Registry, t: &Transition) -> Result<Planned, TransitionError> {
    if let Change::GrantApproved { grant } = &t.change {
        if registry.get_grant(&grant.id).is_some() {
            return Err(TransitionError::DuplicateGrant {
                grant: grant.id.clone(),
            });
        }
        return Ok(Planned(PlannedChange::Insert(grant.clone())));
    }
    let id = t.change.grant_id();
    let Some(grant) = registry.get_grant(id) else {
        return Err(TransitionError::UnknownGrant { grant: id.clone() });
    };
    Ok(Planned(PlannedChange::Replace(Box::new(next_state(
        grant, t,
    )?))))
}

/// Applies a planned transition. Commit a plan to the registry it was made
/// against, with no other change in between.
///
/// # Errors
///
/// [`TransitionError`] when the registry changed since the plan (the grant
/// appeared or disappeared).
pub fn commit(registry: &mut Registry, planned: Planned) -> Result<(), TransitionError> {
    match planned.0 {
        PlannedChange::Insert(grant) => registry
            .insert_grant(*grant)
            .map_err(|grant| TransitionError::DuplicateGrant { grant }),
        PlannedChange::Replace(grant) => match registry.grant_mut(&grant.id) {
            Some(slot) => {
                *slot = *grant;
                Ok(())
            }
            None => Err(TransitionError::UnknownGrant {
                grant: grant.id.clone(),
            }),
        },
    }
}

/// Applies a transition to a registry. On error nothing changes.
///
/// # Errors
///
/// [`TransitionError`] naming the grant and why the transition does not fit.
///
/// # Example
///
/// ```
/// use govshare::Registry;
/// use govshare::lifecycle::transition::{apply, Change, Transition};
/// use govshare::model::time::parse_rfc3339;
///
/// let mut registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
/// let grant = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05".parse()?; // suspended
/// let terminate = Transition::new(parse_rfc3339("2026-11-02T09:00:00+08:00")?, "杭州市数据资源管理局",
///     "逾期未改正", Change::Terminated { grant });
/// apply(&mut registry, &terminate)?;
/// let again = apply(&mut registry, &terminate).unwrap_err();
/// assert!(again.to_string().contains("already terminated"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply(registry: &mut Registry, t: &Transition) -> Result<(), TransitionError> {
    let planned = plan(registry, t)?;
    commit(registry, planned)
}
