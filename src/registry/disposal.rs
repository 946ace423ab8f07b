//! Purpose end and disposal (Art. 27, 40(4)): when disposal falls due and
//! whether it is overdue.
//!
//! Disposal falls due the provider's number of PRC working days after the
//! last day of the period of use (the China date of the instant just
//! before `valid_until`, after any renewal), or after the China date of the
//! purpose-end event or of the withdrawal of the catalog entry, whichever
//! comes first.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use serde::Serialize;

use super::Registry;
use crate::calendar::Calendar;
use crate::error::CalendarError;
use crate::model::{DatasetId, DepartmentId, DisposalMethod, DisposalTrigger, Grant, GrantId};
use crate::time::china_date;

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
    let grant = grant.as_of(at);
    if grant.disposed.as_ref().is_some_and(|d| d.at <= *at) {
        return Ok(DisposalState::Disposed);
    }
    let (trigger_at, _) = grant.disposal_trigger();
    if trigger_at > *at {
        return Ok(DisposalState::NotDue);
    }
    let due = disposal_due(&grant, calendar)?;
    if china_date(at) > due {
        Ok(DisposalState::Overdue { due })
    } else {
        Ok(DisposalState::Due { due })
    }
}

/// The day by which disposal is owed: the provider's number of working days
/// after the trigger's day in China Standard Time — the last day of the
/// period of use (the day of the instant just before `valid_until`, so
/// `2026-09-01T00:00:00+08:00` and `2026-08-31T23:59:59+08:00` both end on
/// 31 August), or the day of the purpose-end or withdrawal event. Pass the
/// grant as it stood at the time judged ([`Grant::as_of`]).
///
/// # Errors
///
/// [`CalendarError`] when a needed year is not loaded.
///
/// # Example
///
/// ```
/// use govshare::{Calendar, Grant};
/// use govshare::lifecycle::disposal_due;
///
/// let grant = |until: &str| -> Result<Grant, serde_json::Error> {
///     serde_json::from_value(serde_json::json!({"id": "g-1", "dataset": "ent-reg",
///         "requester": "hz-hrss", "purpose": "social-insurance.enrollment-check",
///         "basis": "b", "scenario": "s", "items": ["uscc"], "methods": ["service_interface"],
///         "valid_from": "2025-09-01T00:00:00+08:00", "valid_until": until,
///         "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"}))
/// };
/// let calendar = Calendar::embedded()?;
/// let midnight = disposal_due(&grant("2026-09-01T00:00:00+08:00")?, &calendar)?;
/// let last_second = disposal_due(&grant("2026-08-31T23:59:59+08:00")?, &calendar)?;
/// assert_eq!(midnight.to_string(), "2026-09-14");
/// assert_eq!(midnight, last_second);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn disposal_due(grant: &Grant, calendar: &Calendar) -> Result<NaiveDate, CalendarError> {
    let (trigger_at, trigger): (DateTime<FixedOffset>, DisposalTrigger) = grant.disposal_trigger();
    let day = match trigger {
        DisposalTrigger::PeriodEnded => china_date(
            &trigger_at
                .checked_sub_signed(TimeDelta::nanoseconds(1))
                .unwrap_or(trigger_at),
        ),
        DisposalTrigger::PurposeEnded(_) | DisposalTrigger::EntryWithdrawn => {
            china_date(&trigger_at)
        }
    };
    Ok(calendar
        .add_working_days(day, grant.disposal.within_working_days)?
        .due)
}

/// One grant whose data must be disposed of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisposalEntry {
    /// The grant.
    pub grant: GrantId,
    /// The requester that holds the data.
    pub requester: DepartmentId,
    /// The dataset.
    pub dataset: DatasetId,
    /// Its provider, when the dataset is in the catalog.
    pub provider: Option<DepartmentId>,
    /// The provider's required method.
    pub method: DisposalMethod,
    /// `period_ended`, the purpose-end trigger, or `entry_withdrawn`.
    pub trigger: &'static str,
    /// When disposal became owed.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub triggered_at: DateTime<FixedOffset>,
    /// The last day to dispose, when the calendar covers it.
    pub due: Option<NaiveDate>,
    /// Why `due` is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_error: Option<String>,
    /// Whether `due` has passed (Art. 40(4)); `None` when the due date is
    /// unknown (`due_error` says why): never guessed.
    pub overdue: Option<bool>,
}

/// An entry as a person reads it, on one line: its state, due date, grant,
/// holder, dataset and provider, method and trigger.
impl std::fmt::Display for DisposalEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.overdue {
            Some(true) => "逾期 OVERDUE",
            Some(false) => "待处置 due",
            None => "到期日未知 due date unknown",
        };
        let due = self
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "?".into());
        write!(
            f,
            "{state:<14} due {due}  grant {}  {} holds {} ({}) — {} after {} at {}",
            self.grant,
            self.requester,
            self.dataset,
            self.provider.as_ref().map(|p| p.as_str()).unwrap_or("?"),
            self.method.as_str(),
            self.trigger,
            self.triggered_at.to_rfc3339()
        )?;
        if let Some(err) = &self.due_error {
            write!(f, "\n    {err}")?;
        }
        Ok(())
    }
}

/// Every grant whose disposal is owed at `at` and not yet receipted, oldest
/// trigger first: what is due and what is overdue (Art. 27, 40(4)).
///
/// A due date the calendar cannot compute is listed with `due: None` and
/// the reason, never left out.
pub fn overdue_disposals(
    registry: &Registry,
    at: &DateTime<FixedOffset>,
    calendar: &Calendar,
) -> Vec<DisposalEntry> {
    let mut out: Vec<DisposalEntry> = Vec::new();
    for g in registry.grants() {
        let state = disposal_state(g, at, calendar);
        let g = g.as_of(at);
        let (due, due_error, overdue) = match state {
            Ok(DisposalState::NotDue | DisposalState::Disposed) => continue,
            Ok(DisposalState::Due { due }) => (Some(due), None, Some(false)),
            Ok(DisposalState::Overdue { due }) => (Some(due), None, Some(true)),
            Err(e) => (None, Some(e.to_string()), None),
        };
        let (triggered_at, trigger) = g.disposal_trigger();
        out.push(DisposalEntry {
            grant: g.id.clone(),
            requester: g.requester.clone(),
            dataset: g.dataset.clone(),
            provider: registry.get_dataset(&g.dataset).map(|d| d.provider.clone()),
            method: g.disposal.method,
            trigger: trigger.as_str(),
            triggered_at,
            due,
            due_error,
            overdue,
        });
    }
    out.sort_by(|a, b| (a.triggered_at, &a.grant).cmp(&(b.triggered_at, &b.grant)));
    out
}
