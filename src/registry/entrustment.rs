//! Checked changes of an entrustment (Art. 36): a department entrusts a
//! contractor, ends the entrustment, and records the contractor's disposal
//! of the data it held. Only the entrusting department makes them; an
//! entrustment widens what may be done with the data, so it never reaches
//! back before it is recorded, and its end narrows it, so it may carry the
//! earlier instant of the event but never a later one.

use super::Registry;
use super::authority::authorize_entrustment;
use super::change::{Checked, CheckedChange, Recorded, event, in_order};
use crate::error::TransitionError;
use crate::model::{Change, Contractor, ContractorChange, HolderDisposal, Transition};
use crate::time::format_rfc3339;

fn refuse(c: &Contractor, t: &Transition, why: impl Into<String>) -> TransitionError {
    TransitionError::ContractorNotAllowed {
        contractor: c.id.to_string(),
        change: t.change.kind(),
        why: why.into(),
    }
}

impl Registry {
    /// Checks a change of an entrustment and returns what it would do.
    pub(super) fn check_entrustment(
        &self,
        t: &Transition,
        rec: &Recorded,
    ) -> Result<CheckedChange, TransitionError> {
        let existing = |id| {
            self.get_contractor(id)
                .ok_or_else(|| TransitionError::UnknownContractor {
                    contractor: id.to_string(),
                })
        };
        match &t.change {
            Change::ContractorEntrusted { contractor } => {
                if self.get_contractor(&contractor.id).is_some() {
                    return Err(TransitionError::DuplicateContractor {
                        contractor: contractor.id.to_string(),
                    });
                }
                authorize_entrustment(self, t, &contractor.department)?;
                if !contractor.history.is_empty() || !contractor.disposals.is_empty() {
                    return Err(refuse(
                        contractor,
                        t,
                        "a new entrustment has no history and no disposal receipts: record those as transitions of their own",
                    ));
                }
                super::consistency::check_contractor(self, contractor, chrono::Utc::now())
                    .map_err(|why| refuse(contractor, t, why))?;
                rec.widening(t, &t.at)?;
                let mut c = (**contractor).clone();
                c.history.push(event(t, ContractorChange::Entrusted));
                Ok(CheckedChange(Checked::Entrust(Box::new(c))))
            }
            Change::EntrustmentEnded { contractor } => {
                let c = existing(contractor)?;
                authorize_entrustment(self, t, &c.department)?;
                if let Some(ended) = c.ended_at() {
                    return Err(refuse(
                        c,
                        t,
                        format!(
                            "the entrustment already ended at {}",
                            format_rfc3339(&ended)
                        ),
                    ));
                }
                rec.narrowing(t, &t.at)?;
                in_order(c, t, &t.at)?;
                let mut next = c.clone();
                next.history.push(event(t, ContractorChange::Ended));
                Ok(CheckedChange(Checked::ReplaceContractor(Box::new(next))))
            }
            Change::ContractorDisposalRecorded {
                contractor,
                grant,
                method,
                attested_by,
            } => {
                let c = existing(contractor)?;
                authorize_entrustment(self, t, &c.department)?;
                let Some(g) = self.get_grant(grant) else {
                    return Err(TransitionError::UnknownGrant {
                        grant: grant.to_string(),
                    });
                };
                let holds = g.requester == c.department
                    && !super::contractor_holdings(&g.as_of(&t.at), std::iter::once(c), &t.at)
                        .is_empty();
                if !holds {
                    return Err(refuse(
                        c,
                        t,
                        format!(
                            "it does not hold the data of grant `{grant}`: a contractor of the grant's requester `{}`, entrusted with dataset `{}` during the grant's period of use, holds it",
                            g.requester, g.dataset
                        ),
                    ));
                }
                if let Some(d) = c.disposal_of(grant) {
                    return Err(refuse(
                        c,
                        t,
                        format!(
                            "its disposal of the data of grant `{grant}` was already recorded at {}",
                            format_rfc3339(&d.at)
                        ),
                    ));
                }
                if *method != g.disposal.method {
                    return Err(refuse(
                        c,
                        t,
                        format!(
                            "the receipt's method `{}` differs from the provider's instruction `{}` (Art. 27)",
                            method.as_str(),
                            g.disposal.method.as_str()
                        ),
                    ));
                }
                if attested_by.trim().is_empty() {
                    return Err(refuse(
                        c,
                        t,
                        "a disposal receipt needs the name of who attests it",
                    ));
                }
                rec.narrowing(t, &t.at)?;
                in_order(c, t, &t.at)?;
                let mut next = c.clone();
                next.disposals.push(HolderDisposal {
                    grant: grant.clone(),
                    method: *method,
                    at: t.at,
                    attested_by: attested_by.clone(),
                });
                Ok(CheckedChange(Checked::ReplaceContractor(Box::new(next))))
            }
            _ => Err(TransitionError::Invalid {
                grant: t
                    .change
                    .grant_id()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                change: t.change.kind(),
                why: "not a change of an entrustment".into(),
            }),
        }
    }
}
