//! Whether a grant's or a contractor entry's records agree with each other,
//! with the registry and with the clock, at load and when a transition is
//! checked. A registry that contradicts
//! itself, or that records as done an event that has not happened, is
//! refused (the library fails closed): it is not reconciled by guessing
//! which record is right.
//!
//! Kept in one place, apart from the transition rules, so that it follows
//! the grant model as that model grows.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use super::Registry;
use crate::limits::MAX_EVENT_LEAD_SECONDS;
use crate::model::{Change, Contractor, ContractorChange, Grant, GrantStatus, Transition};
use crate::time::format_rfc3339;

/// The latest instant an event on record may carry when checked at `now`.
fn horizon(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::seconds(MAX_EVENT_LEAD_SECONDS)
}

/// Refuses an event dated past the horizon: it has not happened, and
/// recording it as done would, for a disposal, say the data is gone while
/// keeping the rule that denies use after disposal from ever starting.
fn not_in_future(what: &str, at: &DateTime<FixedOffset>, now: DateTime<Utc>) -> Result<(), String> {
    if *at > horizon(now) {
        return Err(format!(
            "{what} is dated {}, later than now ({}) plus {} hours: a record of an event that has not happened is refused (`MAX_EVENT_LEAD_SECONDS`)",
            format_rfc3339(at),
            now.format("%Y-%m-%dT%H:%M:%SZ"),
            MAX_EVENT_LEAD_SECONDS / 3600
        ));
    }
    Ok(())
}

/// Checks a grant as loaded (or approved by a transition) at `now`.
pub(super) fn check_grant(grant: &Grant, now: DateTime<Utc>) -> Result<(), String> {
    if let Some(s) = &grant.suspension {
        if grant.status == GrantStatus::Active {
            return Err(format!(
                "its status is `active` but it carries a suspension record (suspended at {} for {}, to correct by {}): a suspended grant has status `suspended`, and reinstatement removes the record",
                format_rfc3339(&s.at),
                s.violation.as_str(),
                format_rfc3339(&s.correct_by)
            ));
        }
        if s.correct_by <= s.at {
            return Err(format!(
                "its suspension's deadline to correct ({}) does not lie after the suspension ({})",
                format_rfc3339(&s.correct_by),
                format_rfc3339(&s.at)
            ));
        }
        not_in_future("its suspension", &s.at, now)?;
    }
    if let Some(end) = &grant.ended {
        not_in_future("its purpose end", &end.at, now)?;
    }
    if let Some(d) = &grant.disposed {
        not_in_future("its disposal receipt", &d.at, now)?;
    }
    Ok(())
}

/// Checks a contractor entry (Art. 36) as loaded (or entrusted by a
/// transition) at `now`, against the registry it joins: its department is
/// registered and its datasets are catalogued, it is entrusted with
/// something, its history runs forward with one entrustment and one end at
/// most, its receipts name grants of its department, and neither its end
/// nor a receipt is dated past the horizon.
pub(super) fn check_contractor(
    registry: &Registry,
    c: &Contractor,
    now: DateTime<Utc>,
) -> Result<(), String> {
    if registry.get_department(&c.department).is_none() {
        return Err(format!(
            "its department `{}` is not a registered government department: only a department entrusts a contractor (Art. 36)",
            c.department
        ));
    }
    if c.datasets.is_empty() {
        return Err("it is entrusted with no dataset (`datasets` is empty)".into());
    }
    if c.activities.is_empty() {
        return Err(
            "it is entrusted with no activity (`activities` is empty; `storage`, `processing` or `operation`)"
                .into(),
        );
    }
    if let Some(d) = c
        .datasets
        .iter()
        .find(|d| registry.get_dataset(d).is_none())
    {
        return Err(format!(
            "dataset `{d}`, which it is entrusted with, is not in the catalog"
        ));
    }
    if let Some(pair) = c.history.windows(2).find(|w| match w {
        [a, b] => b.at < a.at,
        _ => false,
    }) && let [a, b] = pair
    {
        return Err(format!(
            "`history` runs backwards: `{}` at {} follows `{}` at {}",
            b.change.as_str(),
            format_rfc3339(&b.at),
            a.change.as_str(),
            format_rfc3339(&a.at)
        ));
    }
    for change in [ContractorChange::Entrusted, ContractorChange::Ended] {
        if c.history.iter().filter(|e| e.change == change).count() > 1 {
            return Err(format!(
                "`history` records `{}` more than once",
                change.as_str()
            ));
        }
    }
    if let (Some(entrusted), Some(ended)) = (c.entrusted_at(), c.ended_at())
        && ended < entrusted
    {
        return Err(format!(
            "its entrustment ends at {} before it was entrusted at {}",
            format_rfc3339(&ended),
            format_rfc3339(&entrusted)
        ));
    }
    if let Some(ended) = c.ended_at() {
        not_in_future("the end of its entrustment", &ended, now)?;
    }
    for (i, d) in c.disposals.iter().enumerate() {
        match registry.get_grant(&d.grant) {
            None => {
                return Err(format!(
                    "its disposal receipt names grant `{}`, which the registry does not hold",
                    d.grant
                ));
            }
            Some(g) if g.requester != c.department => {
                return Err(format!(
                    "its disposal receipt names grant `{}`, a grant of `{}`, not of its department `{}`",
                    d.grant, g.requester, c.department
                ));
            }
            Some(_) => {}
        }
        if c.disposals.iter().take(i).any(|e| e.grant == d.grant) {
            return Err(format!(
                "it records two disposal receipts for grant `{}`",
                d.grant
            ));
        }
        not_in_future(
            &format!("its disposal receipt for grant `{}`", d.grant),
            &d.at,
            now,
        )?;
    }
    Ok(())
}

/// Checks a transition's time at `now`: a change that narrows what the
/// requester may do records an event (a purpose end, a disposal, a
/// suspension, a termination, the end of an entrustment) and may not be
/// dated past the horizon. A change that widens it (approval, consent,
/// reinstatement, an entrustment) takes effect at its time, which may lie
/// ahead.
pub(super) fn check_transition(t: &Transition, now: DateTime<Utc>) -> Result<(), String> {
    match &t.change {
        Change::GrantApproved { grant } => check_grant(grant, now),
        Change::PurposeEnded { .. }
        | Change::DisposalRecorded { .. }
        | Change::Suspended { .. }
        | Change::Terminated { .. }
        | Change::EntryWithdrawn { .. }
        | Change::EntrustmentEnded { .. }
        | Change::ContractorDisposalRecorded { .. } => {
            not_in_future(&format!("the {}", t.change.kind()), &t.at, now)
        }
        // These widen what the requester may do, or amend it from their own
        // time; the timing rules of the change itself (DESIGN §7) bound
        // them against the time they are recorded.
        Change::ConsentAdded { .. }
        | Change::Reinstated { .. }
        | Change::GrantRenewed { .. }
        | Change::GrantAmended { .. }
        | Change::ContractorEntrusted { .. } => Ok(()),
    }
}
