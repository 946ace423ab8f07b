//! Checked changes to a registry: a lifecycle [`Transition`] is checked
//! against the grant's state ([`Registry::check`]) and then committed
//! ([`Registry::commit`]), the one way a registry changes after loading. A
//! transition that makes no sense (reinstating a terminated grant,
//! disposing of data twice, a receipt whose method differs from the
//! provider's instruction) is an error and changes nothing.

use super::Registry;
use crate::error::TransitionError;
use crate::model::{
    Change, DisposalRecord, Grant, GrantStatus, PurposeEnd, Suspension, Transition,
};
use crate::time::format_rfc3339;

fn refuse(grant: &Grant, change: &'static str, why: impl Into<String>) -> TransitionError {
    TransitionError::NotAllowed {
        grant: grant.id.to_string(),
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
                grant: grant.id.to_string(),
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
                    grant: grant.id.to_string(),
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
                    grant: grant.id.to_string(),
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
                    grant: grant.id.to_string(),
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
/// [`Registry::check`] checks without changing anything, so a host can make
/// the transition durable (a journal, a database) before
/// [`Registry::commit`] applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedChange(Checked);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Checked {
    Insert(Box<Grant>),
    Replace(Box<Grant>),
}

impl Registry {
    /// Checks a transition against this registry and returns what it
    /// would do. Nothing is changed.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] naming the grant and why the transition does
    /// not fit; [`TransitionError::Invalid`] for a purpose end, disposal,
    /// suspension or termination dated past
    /// [`crate::limits::MAX_EVENT_LEAD_SECONDS`] from now, or an approved
    /// grant whose records contradict each other.
    pub fn check(&self, t: &Transition) -> Result<CheckedChange, TransitionError> {
        super::consistency::check_transition(t, chrono::Utc::now()).map_err(|why| {
            TransitionError::Invalid {
                grant: t.change.grant_id().to_string(),
                change: t.change.kind(),
                why,
            }
        })?;
        if let Change::GrantApproved { grant } = &t.change {
            if self.get_grant(&grant.id).is_some() {
                return Err(TransitionError::DuplicateGrant {
                    grant: grant.id.to_string(),
                });
            }
            return Ok(CheckedChange(Checked::Insert(grant.clone())));
        }
        let id = t.change.grant_id();
        let Some(grant) = self.get_grant(id) else {
            return Err(TransitionError::UnknownGrant {
                grant: id.to_string(),
            });
        };
        Ok(CheckedChange(Checked::Replace(Box::new(next_state(
            grant, t,
        )?))))
    }

    /// Commits a checked change: the one way a loaded registry changes.
    /// Commit a change to the registry it was checked against, with no
    /// other change in between.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] when the registry changed since the check (the
    /// grant appeared or disappeared).
    pub fn commit(&mut self, change: CheckedChange) -> Result<(), TransitionError> {
        match change.0 {
            Checked::Insert(grant) => self.insert_grant(*grant),
            Checked::Replace(grant) => self.replace_grant(*grant),
        }
    }

    /// Checks and commits a transition. On error nothing changes.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] naming the grant and why the transition does
    /// not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Registry;
    /// use govshare::lifecycle::{Change, Transition};
    /// use govshare::time::parse_rfc3339;
    ///
    /// let mut registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// let grant = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05".parse()?; // suspended
    /// let terminate = Transition::new(parse_rfc3339("2026-11-02T09:00:00+08:00")?, "杭州市数据资源管理局",
    ///     "逾期未改正", Change::Terminated { grant });
    /// registry.apply(&terminate)?;
    /// let again = registry.apply(&terminate).unwrap_err();
    /// assert!(again.to_string().contains("already terminated"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, t: &Transition) -> Result<(), TransitionError> {
        let change = self.check(t)?;
        self.commit(change)
    }
}
