//! Whether a grant's records agree with each other and with the clock, at
//! load and when a transition is checked. A registry that contradicts
//! itself, or that records as done an event that has not happened, is
//! refused (the library fails closed): it is not reconciled by guessing
//! which record is right.
//!
//! Kept in one place, apart from the transition rules, so that it follows
//! the grant model as that model grows.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::limits::MAX_EVENT_LEAD_SECONDS;
use crate::model::{Change, Grant, GrantStatus, Transition};
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

/// Checks a transition's time at `now`: a change that narrows what the
/// requester may do records an event (a purpose end, a disposal, a
/// suspension, a termination) and may not be dated past the horizon. A
/// change that widens it (approval, consent, reinstatement) takes effect
/// at its time, which may lie ahead.
pub(super) fn check_transition(t: &Transition, now: DateTime<Utc>) -> Result<(), String> {
    match &t.change {
        Change::GrantApproved { grant } => check_grant(grant, now),
        Change::PurposeEnded { .. }
        | Change::DisposalRecorded { .. }
        | Change::Suspended { .. }
        | Change::Terminated { .. }
        | Change::EntryWithdrawn { .. } => {
            not_in_future(&format!("the {}", t.change.kind()), &t.at, now)
        }
        // These widen what the requester may do, or amend it from their own
        // time; the timing rules of the change itself (DESIGN §7) bound
        // them against the time they are recorded.
        Change::ConsentAdded { .. }
        | Change::Reinstated { .. }
        | Change::GrantRenewed { .. }
        | Change::GrantAmended { .. } => Ok(()),
    }
}
