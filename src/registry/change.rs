//! Checked changes to a registry: a lifecycle [`Transition`] is checked
//! against the grant's state, against who may make it and against when it
//! was recorded ([`Registry::check`]), and then committed
//! ([`Registry::commit`]), the one way a registry changes after loading.
//!
//! A transition that makes no sense (reinstating a terminated grant,
//! disposing of data twice, a receipt whose method differs from the
//! provider's instruction, a termination before the deadline to correct),
//! one made by a department that may not make it, and one whose instant
//! does not fit its recording (a widening that reaches back, a narrowing
//! that reaches forward, anything before the grant's previous event) is an
//! error and changes nothing.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta};

use super::Registry;
use super::authority::authorize;
use crate::error::TransitionError;
use crate::model::{
    CatalogStatus, Change, Contractor, Dataset, DisposalRecord, Grant, GrantChange, GrantEvent,
    GrantStatus, HistoryEvent, PurposeEnd, Suspension, Transition, Withdrawal,
};
use crate::time::format_rfc3339;

/// How far a change's instant may lie from the time it was recorded,
/// unless a registry sets its own ([`Registry::set_clock_tolerance`]):
/// five minutes, for clocks that disagree a little.
pub const DEFAULT_CLOCK_TOLERANCE: Duration = Duration::from_secs(5 * 60);

fn refuse(grant: &Grant, change: &'static str, why: impl Into<String>) -> TransitionError {
    TransitionError::NotAllowed {
        grant: grant.id.to_string(),
        change,
        why: why.into(),
    }
}

fn invalid(grant: &Grant, change: &'static str, why: impl Into<String>) -> TransitionError {
    TransitionError::Invalid {
        grant: grant.id.to_string(),
        change,
        why: why.into(),
    }
}

/// When a transition was recorded, and how much the clocks may disagree.
pub(super) struct Recorded {
    at: DateTime<FixedOffset>,
    tolerance: TimeDelta,
}

impl Recorded {
    fn of(t: &Transition, tolerance: Duration) -> Self {
        Self {
            at: t.recorded_at.unwrap_or(t.at),
            tolerance: TimeDelta::from_std(tolerance).unwrap_or(TimeDelta::MAX),
        }
    }

    pub(super) fn untimely(
        t: &Transition,
        at: &DateTime<FixedOffset>,
        rule: String,
    ) -> TransitionError {
        TransitionError::Untimely {
            subject: t.change.subject(),
            change: t.change.kind(),
            at: format_rfc3339(at),
            rule,
        }
    }

    /// A widening takes effect no earlier than it was recorded, less the
    /// tolerance: it never reaches back.
    pub(super) fn widening(
        &self,
        t: &Transition,
        at: &DateTime<FixedOffset>,
    ) -> Result<(), TransitionError> {
        match self.at.checked_sub_signed(self.tolerance) {
            Some(earliest) if *at < earliest => Err(Self::untimely(
                t,
                at,
                format!(
                    "a change that widens what the requester may do takes effect no earlier than it is recorded ({}, less {}s of clock tolerance): it cannot reach back to uses made before it (Art. 25, 27)",
                    format_rfc3339(&self.at),
                    self.tolerance.num_seconds()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// A narrowing may carry the event's own earlier instant, never one
    /// after it was recorded, plus the tolerance.
    pub(super) fn narrowing(
        &self,
        t: &Transition,
        at: &DateTime<FixedOffset>,
    ) -> Result<(), TransitionError> {
        match self.at.checked_add_signed(self.tolerance) {
            Some(latest) if *at > latest => Err(Self::untimely(
                t,
                at,
                format!(
                    "a change that narrows what the requester may do may carry the earlier instant of the event, never one after it is recorded ({}, plus {}s of clock tolerance)",
                    format_rfc3339(&self.at),
                    self.tolerance.num_seconds()
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// A record whose history runs forward: a grant or a contractor entry.
pub(super) trait Chronicled {
    /// The record, as a change refused for its order names it.
    const RECORD: &'static str;
    /// The instant of its latest recorded event.
    fn last_event_at(&self) -> Option<DateTime<FixedOffset>>;
}

impl Chronicled for Grant {
    const RECORD: &'static str = "the grant";
    fn last_event_at(&self) -> Option<DateTime<FixedOffset>> {
        Grant::last_event_at(self)
    }
}

impl Chronicled for Contractor {
    const RECORD: &'static str = "the contractor entry";
    fn last_event_at(&self) -> Option<DateTime<FixedOffset>> {
        Contractor::last_event_at(self)
    }
}

/// Refuses an instant before the record's previous event: its history
/// runs forward.
pub(super) fn in_order<R: Chronicled>(
    record: &R,
    t: &Transition,
    at: &DateTime<FixedOffset>,
) -> Result<(), TransitionError> {
    match record.last_event_at() {
        Some(last) if *at < last => Err(Recorded::untimely(
            t,
            at,
            format!(
                "a change never takes effect before {}'s previous event, at {}",
                R::RECORD,
                format_rfc3339(&last)
            ),
        )),
        _ => Ok(()),
    }
}

/// The history entry a transition leaves on a grant or a contractor entry.
pub(super) fn event<C>(t: &Transition, change: C) -> HistoryEvent<C> {
    HistoryEvent {
        at: t.at,
        recorded_at: t.recorded_at,
        by: Some(t.by.clone()),
        actor: t.actor.clone(),
        reason: t.reason.clone(),
        change,
    }
}

/// Appends an event, keeping the history in the order the events took
/// effect.
fn push_event(g: &mut Grant, e: GrantEvent) {
    let at = g
        .history
        .iter()
        .position(|x| x.at > e.at)
        .unwrap_or(g.history.len());
    g.history.insert(at, e);
}

/// Moves the suspension record of a §4 registry into the history before
/// the first status change is recorded, so the time before the change
/// still reads as it did.
fn keep_legacy_suspension(g: &mut Grant) {
    if g.status_after_history().is_some() || g.status != GrantStatus::Suspended {
        return;
    }
    if let Some(s) = g.suspension.as_deref().cloned() {
        push_event(
            g,
            GrantEvent {
                at: s.at,
                recorded_at: None,
                by: None,
                actor: s.by,
                reason: s.reason,
                change: GrantChange::Suspended {
                    violation: s.violation,
                    correct_by: s.correct_by,
                },
            },
        );
    }
}

/// A grant that has ended for good: no renewal or amendment applies.
fn ended_for_good(grant: &Grant, kind: &'static str) -> Result<(), TransitionError> {
    if grant.status == GrantStatus::Terminated {
        return Err(refuse(grant, kind, "the grant is terminated"));
    }
    if grant.disposed.is_some() {
        return Err(refuse(grant, kind, "the data was disposed of"));
    }
    if let Some(end) = grant.ended {
        return Err(refuse(
            grant,
            kind,
            format!(
                "the purpose ended ({}) at {}",
                end.trigger.as_str(),
                format_rfc3339(&end.at)
            ),
        ));
    }
    if let Some(at) = grant.withdrawn_at() {
        return Err(refuse(
            grant,
            kind,
            format!("the catalog entry was withdrawn at {}", format_rfc3339(&at)),
        ));
    }
    Ok(())
}

/// Checks a transition against a grant's state and returns the grant as it
/// would be after it. Nothing is changed.
fn next_state(
    registry: &Registry,
    grant: &Grant,
    dataset: Option<&Dataset>,
    t: &Transition,
    rec: &Recorded,
) -> Result<Grant, TransitionError> {
    let mut g = grant.clone();
    let kind = t.change.kind();
    match &t.change {
        Change::GrantApproved { .. } => {
            return Err(TransitionError::DuplicateGrant {
                grant: grant.id.to_string(),
            });
        }
        Change::EntryWithdrawn { .. } => {
            return Err(invalid(grant, kind, "a withdrawal concerns a dataset"));
        }
        Change::ContractorEntrusted { .. }
        | Change::EntrustmentEnded { .. }
        | Change::ContractorDisposalRecorded { .. } => {
            return Err(invalid(
                grant,
                kind,
                "a change of an entrustment concerns a contractor",
            ));
        }
        Change::ConsentAdded { consent, .. } => {
            if g.status == GrantStatus::Terminated {
                return Err(refuse(grant, kind, "the grant is terminated"));
            }
            if g.disposed.is_some() {
                return Err(refuse(grant, kind, "the data was disposed of"));
            }
            for at in [&t.at, &consent.at] {
                rec.widening(t, at)?;
                in_order(grant, t, at)?;
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
            rec.narrowing(t, &t.at)?;
            in_order(grant, t, &t.at)?;
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
                return Err(invalid(
                    grant,
                    kind,
                    format!(
                        "the receipt's method `{}` differs from the provider's instruction `{}` (Art. 27)",
                        method.as_str(),
                        g.disposal.method.as_str()
                    ),
                ));
            }
            if attested_by.trim().is_empty() {
                return Err(invalid(
                    grant,
                    kind,
                    "a disposal receipt needs the name of who attests it",
                ));
            }
            rec.narrowing(t, &t.at)?;
            in_order(grant, t, &t.at)?;
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
                return Err(invalid(
                    grant,
                    kind,
                    "the deadline to correct must lie after the suspension",
                ));
            }
            rec.narrowing(t, &t.at)?;
            in_order(grant, t, &t.at)?;
            push_event(
                &mut g,
                event(
                    t,
                    GrantChange::Suspended {
                        violation: *violation,
                        correct_by: *correct_by,
                    },
                ),
            );
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
            if let Some(s) = &g.suspension
                && t.at <= s.at
            {
                return Err(refuse(
                    grant,
                    kind,
                    format!(
                        "a reinstatement ends a suspension and comes after it: the grant was suspended at {} (Art. 27(2))",
                        format_rfc3339(&s.at)
                    ),
                ));
            }
            rec.widening(t, &t.at)?;
            in_order(grant, t, &t.at)?;
            keep_legacy_suspension(&mut g);
            push_event(&mut g, event(t, GrantChange::Reinstated));
            g.status = GrantStatus::Active;
            g.suspension = None;
        }
        Change::Terminated { refused_at, .. } => {
            match g.status {
                GrantStatus::Suspended => {}
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
            }
            let suspension = g.suspension.as_deref();
            match (refused_at, suspension) {
                (Some(r), _) if *r > t.at => {
                    return Err(invalid(
                        grant,
                        kind,
                        "the refusal to correct must come before the termination",
                    ));
                }
                (Some(r), Some(s)) if *r < s.at => {
                    return Err(invalid(
                        grant,
                        kind,
                        format!(
                            "the refusal to correct must come after the suspension at {}",
                            format_rfc3339(&s.at)
                        ),
                    ));
                }
                (Some(_), _) => {}
                (None, Some(s)) if t.at < s.correct_by => {
                    return Err(refuse(
                        grant,
                        kind,
                        format!(
                            "termination follows only a refused or failed correction (Art. 27(2): 拒不改正或者改正不到位的): the deadline to correct, {}, has not passed and no refusal to correct (`refused_at`) is recorded",
                            format_rfc3339(&s.correct_by)
                        ),
                    ));
                }
                (None, Some(_)) => {}
                (None, None) => {
                    return Err(refuse(
                        grant,
                        kind,
                        "the suspension's deadline to correct is not on record, so its passing cannot be checked: record the requester's refusal to correct (`refused_at`) (Art. 27(2))",
                    ));
                }
            }
            rec.narrowing(t, &t.at)?;
            in_order(grant, t, &t.at)?;
            keep_legacy_suspension(&mut g);
            push_event(
                &mut g,
                event(
                    t,
                    GrantChange::Terminated {
                        refused_at: *refused_at,
                    },
                ),
            );
            g.status = GrantStatus::Terminated;
            g.suspension = None;
        }
        Change::GrantRenewed { valid_until, .. } => {
            ended_for_good(grant, kind)?;
            let current = g.latest_valid_until();
            if *valid_until <= current {
                return Err(invalid(
                    grant,
                    kind,
                    format!(
                        "a renewal moves the end of the period of use later than {}",
                        format_rfc3339(&current)
                    ),
                ));
            }
            if t.at >= current {
                return Err(refuse(
                    grant,
                    kind,
                    format!(
                        "the period of use ended at {}: a lapsed grant is not renewed but applied for again, and its data disposed of (Art. 20, 27)",
                        format_rfc3339(&current)
                    ),
                ));
            }
            rec.widening(t, &t.at)?;
            in_order(grant, t, &t.at)?;
            push_event(
                &mut g,
                event(
                    t,
                    GrantChange::Renewed {
                        valid_until: *valid_until,
                    },
                ),
            );
        }
        Change::GrantAmended {
            items,
            methods,
            purposes,
            filed_with,
            ..
        } => {
            ended_for_good(grant, kind)?;
            if items.is_none() && methods.is_none() && purposes.is_none() {
                return Err(invalid(
                    grant,
                    kind,
                    "an amendment sets `items`, `methods` or `purposes`",
                ));
            }
            let empty = [
                ("items", items.as_ref().map(Vec::len)),
                ("methods", methods.as_ref().map(Vec::len)),
                ("purposes", purposes.as_ref().map(Vec::len)),
            ]
            .into_iter()
            .find(|(_, n)| *n == Some(0));
            if let Some((key, _)) = empty {
                return Err(invalid(
                    grant,
                    kind,
                    format!(
                        "`{key}` may not be empty: to stop sharing, suspend, terminate or withdraw"
                    ),
                ));
            }
            if let (Some(d), Some(items)) = (dataset, items)
                && let Some(extra) = items.iter().find(|i| d.item(i).is_none())
            {
                return Err(invalid(
                    grant,
                    kind,
                    format!("the catalog entry has no item `{extra}`"),
                ));
            }
            if let (Some(d), Some(methods)) = (dataset, methods)
                && let Some(extra) = methods.iter().find(|m| !d.methods.contains(m))
            {
                return Err(invalid(
                    grant,
                    kind,
                    format!(
                        "the catalog entry does not offer method `{}`",
                        extra.as_str()
                    ),
                ));
            }
            // What the grant allows when the amendment takes effect,
            // consents included.
            let cur_items: Vec<_> = grant.effective_items(&t.at).collect();
            let cur_methods = grant.methods_at(&t.at);
            let cur_purposes: Vec<_> = grant.effective_purposes(&t.at).collect();
            let widens = items.iter().flatten().any(|i| !cur_items.contains(&i))
                || methods.iter().flatten().any(|m| !cur_methods.contains(m))
                || purposes
                    .iter()
                    .flatten()
                    .any(|p| !cur_purposes.iter().any(|c| p.is_within(c)));
            let narrows = items
                .as_ref()
                .is_some_and(|new| grant.items_at(&t.at).iter().any(|i| !new.contains(i)))
                || methods
                    .as_ref()
                    .is_some_and(|new| cur_methods.iter().any(|m| !new.contains(m)))
                || purposes.as_ref().is_some_and(|new| {
                    grant
                        .purposes_at(&t.at)
                        .iter()
                        .any(|c| !new.iter().any(|p| c.is_within(p)))
                });
            if widens {
                rec.widening(t, &t.at)?;
            } else {
                rec.narrowing(t, &t.at)?;
            }
            match filed_with {
                Some(authority) => check_authority_department(registry, t, authority)?,
                None if narrows => {
                    return Err(refuse(
                        grant,
                        kind,
                        "narrowing a grant changes the sharing service provided: it is filed with the competent authority (`filed_with`) (Art. 27(3): 报政务数据共享主管部门备案)",
                    ));
                }
                None => {}
            }
            in_order(grant, t, &t.at)?;
            push_event(
                &mut g,
                event(
                    t,
                    GrantChange::Amended {
                        items: items.clone(),
                        methods: methods.clone(),
                        purposes: purposes.clone(),
                        filed_with: filed_with.clone(),
                    },
                ),
            );
        }
    }
    Ok(g)
}

/// Refuses `filed_with` unless it names a competent authority of the
/// registry (Art. 27(3)).
fn check_authority_department(
    registry: &Registry,
    t: &Transition,
    filed_with: &crate::model::DepartmentId,
) -> Result<(), TransitionError> {
    match registry.get_department(filed_with) {
        Some(d) if d.authority => Ok(()),
        found => Err(TransitionError::Unauthorized {
            subject: t.change.subject(),
            change: t.change.kind(),
            by: t.by.to_string(),
            rule: format!(
                "a change of the sharing service is filed with a competent authority (政务数据共享主管部门), and `{filed_with}` is {}",
                if found.is_some() {
                    "not marked `authority` in the registry"
                } else {
                    "not a registered department"
                }
            ),
            article: "27(3)",
        }),
    }
}

/// A transition checked against a registry, ready to be committed.
///
/// [`Registry::check`] checks without changing anything, so a host can make
/// the transition durable (a journal, a database) before
/// [`Registry::commit`] applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedChange(pub(super) Checked);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Checked {
    Insert(Box<Grant>),
    Replace(Box<Grant>),
    Withdraw(Box<Dataset>, Vec<Grant>),
    Entrust(Box<Contractor>),
    ReplaceContractor(Box<Contractor>),
}

impl Registry {
    /// The clock tolerance of [`Registry::check`]: how far a change's
    /// instant may lie on the wrong side of the time it was recorded.
    pub fn clock_tolerance(&self) -> Duration {
        self.clock_tolerance.unwrap_or(DEFAULT_CLOCK_TOLERANCE)
    }

    /// Sets the clock tolerance (default [`DEFAULT_CLOCK_TOLERANCE`]). A
    /// journal is replayed with the registry's tolerance: do not narrow it
    /// under a journal already written.
    pub fn set_clock_tolerance(&mut self, tolerance: Duration) {
        self.clock_tolerance = Some(tolerance);
    }

    /// Checks a transition against this registry and returns what it
    /// would do. Nothing is changed.
    ///
    /// It checks that the department in `by` may make the change (DESIGN
    /// §7: the provider approves, consents, renews, amends and withdraws;
    /// the provider or a competent authority suspends, reinstates and
    /// terminates; the requester, the provider or an authority ends a
    /// purpose; the requester records a disposal; the entrusting
    /// department entrusts a contractor, ends the entrustment and records
    /// the contractor's disposal, Art. 36), that its instant fits the time
    /// it was recorded (`recorded_at`, or `at` when the transition was not
    /// recorded by a store) within [`Registry::clock_tolerance`], that it
    /// does not go before the grant's (or the contractor entry's) previous
    /// event, and that it fits the grant's or the entry's state.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] naming the grant, dataset or contractor and why
    /// the transition does not fit: [`TransitionError::Unauthorized`]
    /// naming the rule and the article, [`TransitionError::Untimely`]
    /// naming the times, or the state it does not fit;
    /// [`TransitionError::Invalid`] (or [`TransitionError::EntryNotAllowed`]
    /// for a withdrawal, [`TransitionError::ContractorNotAllowed`] for a
    /// change of an entrustment) for an event dated past
    /// [`crate::limits::MAX_EVENT_LEAD_SECONDS`] from the machine's clock,
    /// or an approved grant or entrusted contractor whose records
    /// contradict each other.
    pub fn check(&self, t: &Transition) -> Result<CheckedChange, TransitionError> {
        super::consistency::check_transition(t, chrono::Utc::now()).map_err(|why| {
            match (&t.change, t.change.grant_id()) {
                (_, None) if t.change.contractor_id().is_some() => {
                    TransitionError::ContractorNotAllowed {
                        contractor: t
                            .change
                            .contractor_id()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        change: t.change.kind(),
                        why,
                    }
                }
                (Change::EntryWithdrawn { dataset, .. }, _) => TransitionError::EntryNotAllowed {
                    dataset: dataset.to_string(),
                    change: t.change.kind(),
                    why,
                },
                (_, grant) => TransitionError::Invalid {
                    grant: grant.map(ToString::to_string).unwrap_or_default(),
                    change: t.change.kind(),
                    why,
                },
            }
        })?;
        let rec = Recorded::of(t, self.clock_tolerance());
        match &t.change {
            Change::GrantApproved { grant } => self.check_approval(t, grant, &rec),
            Change::ContractorEntrusted { .. }
            | Change::EntrustmentEnded { .. }
            | Change::ContractorDisposalRecorded { .. } => self.check_entrustment(t, &rec),
            Change::EntryWithdrawn {
                dataset,
                filed_with,
                reason,
            } => {
                let Some(d) = self.get_dataset(dataset) else {
                    return Err(TransitionError::UnknownDataset {
                        dataset: dataset.to_string(),
                    });
                };
                authorize(self, t, Some(d), None)?;
                check_authority_department(self, t, filed_with)?;
                let not_allowed = |why: String| TransitionError::EntryNotAllowed {
                    dataset: dataset.to_string(),
                    change: t.change.kind(),
                    why,
                };
                if d.status != CatalogStatus::Published {
                    return Err(not_allowed(format!(
                        "only a published entry is withdrawn; its status is `{}`",
                        d.status.as_str()
                    )));
                }
                if reason.trim().is_empty() {
                    return Err(not_allowed(
                        "a provider stops a sharing service only with a reason (Art. 27(3): 无正当理由不得擅自停止)".into(),
                    ));
                }
                rec.narrowing(t, &t.at)?;
                let mut grants = Vec::new();
                for g in self.grants().iter().filter(|g| &g.dataset == dataset) {
                    if g.disposed.is_some() {
                        continue;
                    }
                    in_order(g, t, &t.at)?;
                    let mut g = g.clone();
                    push_event(
                        &mut g,
                        event(
                            t,
                            GrantChange::EntryWithdrawn {
                                filed_with: filed_with.clone(),
                            },
                        ),
                    );
                    grants.push(g);
                }
                let mut d = d.clone();
                d.status = CatalogStatus::Withdrawn;
                d.withdrawn = Some(Box::new(Withdrawal {
                    at: t.at,
                    filed_with: filed_with.clone(),
                    reason: reason.clone(),
                    by: Some(t.by.clone()),
                    recorded_at: t.recorded_at,
                }));
                Ok(CheckedChange(Checked::Withdraw(Box::new(d), grants)))
            }
            _ => {
                let Some(id) = t.change.grant_id() else {
                    return Err(TransitionError::UnknownGrant {
                        grant: String::new(),
                    });
                };
                let Some(grant) = self.get_grant(id) else {
                    return Err(TransitionError::UnknownGrant {
                        grant: id.to_string(),
                    });
                };
                let dataset = self.get_dataset(&grant.dataset);
                authorize(self, t, dataset, Some(grant))?;
                let next = next_state(self, grant, dataset, t, &rec)?;
                Ok(CheckedChange(Checked::Replace(Box::new(next))))
            }
        }
    }

    fn check_approval(
        &self,
        t: &Transition,
        grant: &Grant,
        rec: &Recorded,
    ) -> Result<CheckedChange, TransitionError> {
        if self.get_grant(&grant.id).is_some() {
            return Err(TransitionError::DuplicateGrant {
                grant: grant.id.to_string(),
            });
        }
        let Some(dataset) = self.get_dataset(&grant.dataset) else {
            return Err(TransitionError::UnknownDataset {
                dataset: grant.dataset.to_string(),
            });
        };
        if self
            .iter_grants_for(&grant.requester, &grant.dataset)
            .nth(crate::limits::MAX_GRANTS_PER_PAIR - 1)
            .is_some()
        {
            return Err(TransitionError::NotAllowed {
                grant: grant.id.to_string(),
                change: t.change.kind(),
                why: super::too_many_on_pair(grant),
            });
        }
        authorize(self, t, Some(dataset), Some(grant))?;
        let kind = t.change.kind();
        let fresh = grant.status == GrantStatus::Active
            && grant.suspension.is_none()
            && grant.ended.is_none()
            && grant.disposed.is_none()
            && grant.history.is_empty();
        if !fresh {
            return Err(invalid(
                grant,
                kind,
                "a new grant is active, with no suspension, purpose end, disposal or history: record those as transitions of their own",
            ));
        }
        rec.widening(t, &t.at)?;
        if let Some(c) = grant.consents.iter().find(|c| c.at < t.at) {
            return Err(Recorded::untimely(
                t,
                &c.at,
                "a consent of a new grant does not reach back before its approval".into(),
            ));
        }
        let mut g = grant.clone();
        g.history.push(event(t, GrantChange::Approved));
        Ok(CheckedChange(Checked::Insert(Box::new(g))))
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
            Checked::Insert(grant) => self.insert_grant(*grant)?,
            Checked::Replace(grant) => self.replace_grant(*grant)?,
            Checked::Withdraw(dataset, grants) => {
                self.replace_dataset(*dataset)?;
                for g in grants {
                    self.replace_grant(g)?;
                }
            }
            Checked::Entrust(contractor) => self.insert_contractor(*contractor)?,
            Checked::ReplaceContractor(contractor) => self.replace_contractor(*contractor)?,
        }
        Ok(())
    }

    /// Checks and commits a transition. On error nothing changes.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] as [`Registry::check`] says.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{DepartmentId, Registry};
    /// use govshare::lifecycle::{Change, Transition};
    /// use govshare::time::parse_rfc3339;
    ///
    /// let mut registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// let grant = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05".parse()?; // suspended, deadline passed
    /// let terminate = Transition::new(parse_rfc3339("2026-11-04T09:00:00+08:00")?,
    ///     DepartmentId::new("hz-data")?, "杭州市数据资源管理局", "逾期未改正",
    ///     Change::Terminated { grant, refused_at: None });
    /// registry.apply(&terminate)?;
    /// let again = registry.apply(&terminate).unwrap_err();
    /// assert!(again.to_string().contains("already terminated"));
    ///
    /// // The requester cannot widen its own grant (Art. 25).
    /// let g1 = "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e01".parse()?;
    /// let consent = Transition::new(parse_rfc3339("2026-05-01T09:00:00+08:00")?,
    ///     DepartmentId::new("hz-hrss")?, "张三", "自行扩大",
    ///     Change::ConsentAdded { grant: g1, consent: serde_json::from_str(
    ///         r#"{"kind": "item", "value": "legal_rep_id_number", "at": "2026-05-01T09:00:00+08:00"}"#)? });
    /// let err = registry.apply(&consent).unwrap_err();
    /// assert!(err.to_string().contains("(Art. 25)"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, t: &Transition) -> Result<(), TransitionError> {
        let change = self.check(t)?;
        self.commit(change)
    }
}
