//! Purpose end and disposal (Art. 27, 40(4)): when disposal falls due and
//! whether it is overdue.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::calendar::{Calendar, CalendarError, china_date};
use crate::model::{DisposalTrigger, Grant};

/// Where a grant stands with respect to disposal at a given time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DisposalState {
    /// Neither the period of use nor the purpose has ended.
    NotDue,
    /// Disposal is owed, by the end of `due` (China Standard Time).
    Due {
        /// The last day to dispose.
        due: NaiveDate,
    },
    /// `due` has passed with no disposal receipt (Art. 40(4)).
    Overdue {
        /// The last day that was allowed.
        due: NaiveDate,
    },
    /// A disposal receipt is on record.
    Disposed,
}

/// The disposal state of `grant` at `at`.
///
/// # Errors
///
/// [`CalendarError`] when disposal is owed and the working-day calendar of
/// a year it needs is not loaded: the state is then unknown, never guessed.
pub fn disposal_state(
    grant: &Grant,
    at: &DateTime<FixedOffset>,
    calendar: &Calendar,
) -> Result<DisposalState, CalendarError> {
    if grant.disposed.as_ref().is_some_and(|d| d.at <= *at) {
        return Ok(DisposalState::Disposed);
    }
    let (trigger_at, _) = grant.disposal_trigger();
    if trigger_at > *at {
        return Ok(DisposalState::NotDue);
    }
    let due = disposal_due(grant, calendar)?;
    if china_date(at) > due {
        Ok(DisposalState::Overdue { due })
    } else {
        Ok(DisposalState::Due { due })
    }
}

/// The day by which disposal is owed: the provider's number of working days
/// after the trigger's date in China Standard Time.
///
/// # Errors
///
/// [`CalendarError`] when a needed year is not loaded.
pub fn disposal_due(grant: &Grant, calendar: &Calendar) -> Result<NaiveDate, CalendarError> {
    let (trigger_at, _): (DateTime<FixedOffset>, DisposalTrigger) = grant.disposal_trigger();
    Ok(calendar
        .add_working_days(china_date(&trigger_at), grant.disposal.within_working_days)?
        .due)
}
