//! Purpose end and disposal (Art. 27, 36, 40(4)): when disposal falls due,
//! for whom, and whether it is overdue.
//!
//! Disposal falls due the provider's number of PRC working days after the
//! last day of the period of use (the China date of the instant just
//! before `valid_until`, after any renewal), or after the China date of the
//! purpose-end event or of the withdrawal of the catalog entry, whichever
//! comes first.
//!
//! Every holder of the data owes it: the requester, and each contractor of
//! the requester entrusted with the dataset whose entrustment overlapped
//! the period of use (Art. 36). A contractor whose entrustment ends while
//! the grant is in force owes it from that end: counted from the last day
//! of its contract, or from the day its entrustment was ended.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use serde::Serialize;

use super::Registry;
use crate::calendar::Calendar;
use crate::error::CalendarError;
use crate::model::{
    ContractId, Contractor, DatasetId, DepartmentId, DisposalMethod, DisposalTrigger, Grant,
    GrantId,
};
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

/// Why a contractor owes disposal of a grant's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HoldingTrigger {
    /// The grant's own trigger, which came before the entrustment ended.
    Grant(DisposalTrigger),
    /// The contract's period ended while the grant was in force.
    ContractEnded,
    /// The department ended the entrustment while the grant was in force.
    EntrustmentEnded,
}

impl HoldingTrigger {
    /// The wire name: the grant's trigger, `contract_ended` or
    /// `entrustment_ended`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HoldingTrigger::Grant(t) => t.as_str(),
            HoldingTrigger::ContractEnded => "contract_ended",
            HoldingTrigger::EntrustmentEnded => "entrustment_ended",
        }
    }
}

/// A contractor holding the data of a grant (Art. 36), as it stood at the
/// time judged, and from when it owes disposal.
#[derive(Debug, Clone)]
pub(crate) struct ContractorHolding<'c> {
    /// The contractor entry as it stood at the time judged.
    pub contractor: Cow<'c, Contractor>,
    /// When its disposal became, or becomes, owed.
    pub triggered_at: DateTime<FixedOffset>,
    /// Why.
    pub trigger: HoldingTrigger,
}

/// The contractors holding the data of `grant` (as it stood at `at`,
/// [`Grant::as_of`]) at `at`, by id: each contractor of the grant's
/// requester entrusted with its dataset, recorded by `at`, whose
/// entrustment as it stood at `at` overlaps the grant's period of use. Each
/// owes disposal from the grant's trigger, or from the end of its
/// entrustment when that comes first.
pub(crate) fn contractor_holdings<'c>(
    grant: &Grant,
    contractors: impl IntoIterator<Item = &'c Contractor>,
    at: &DateTime<FixedOffset>,
) -> Vec<ContractorHolding<'c>> {
    let (grant_end, grant_trigger) = grant.disposal_trigger();
    let grant_start = grant.valid_from;
    let mut out: Vec<ContractorHolding<'c>> = contractors
        .into_iter()
        .filter(|c| {
            c.department == grant.requester && c.entrusted_with(&grant.dataset) && c.recorded_by(at)
        })
        .filter_map(|c| {
            let c = c.as_of(at);
            let (from, until) = (c.contract.valid_from, c.contract.valid_until);
            let overlaps = from < until && from < grant_end && grant_start < until;
            if !overlaps || grant_start >= grant_end {
                return None;
            }
            let (triggered_at, trigger) = if until < grant_end {
                let by_event = c.ended_at().is_some_and(|e| e == until);
                let trigger = if by_event {
                    HoldingTrigger::EntrustmentEnded
                } else {
                    HoldingTrigger::ContractEnded
                };
                (until, trigger)
            } else {
                (grant_end, HoldingTrigger::Grant(grant_trigger))
            };
            Some(ContractorHolding {
                contractor: c,
                triggered_at,
                trigger,
            })
        })
        .collect();
    out.sort_by(|a, b| a.contractor.id.cmp(&b.contractor.id));
    out.dedup_by(|a, b| a.contractor.id == b.contractor.id);
    out
}

/// The day by which a contractor holding the data of `grant` disposes of
/// it: the grant's own due day when it owes from the grant's trigger;
/// otherwise the provider's number of working days after the last day of
/// its contract, or after the day its entrustment was ended.
///
/// # Errors
///
/// [`CalendarError`] when a needed year is not loaded.
pub(crate) fn holding_due(
    grant: &Grant,
    holding: &ContractorHolding<'_>,
    calendar: &Calendar,
) -> Result<NaiveDate, CalendarError> {
    let day = match holding.trigger {
        HoldingTrigger::Grant(_) => return disposal_due(grant, calendar),
        HoldingTrigger::ContractEnded => china_date(
            &holding
                .triggered_at
                .checked_sub_signed(TimeDelta::nanoseconds(1))
                .unwrap_or(holding.triggered_at),
        ),
        HoldingTrigger::EntrustmentEnded => china_date(&holding.triggered_at),
    };
    Ok(calendar
        .add_working_days(day, grant.disposal.within_working_days)?
        .due)
}

/// One holder of a grant's data that must dispose of it: the requester,
/// or a contractor of the requester (Art. 36).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisposalEntry {
    /// The grant.
    pub grant: GrantId,
    /// The holder that must dispose: the requester's id, or the
    /// contractor's.
    pub holder: String,
    /// `requester` or `contractor`.
    pub holder_kind: &'static str,
    /// The contractor's entrustment contract, when the holder is a
    /// contractor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractId>,
    /// The requester, which holds the data or entrusted the contractor
    /// that holds it.
    pub requester: DepartmentId,
    /// The dataset.
    pub dataset: DatasetId,
    /// Its provider, when the dataset is in the catalog.
    pub provider: Option<DepartmentId>,
    /// The provider's required method.
    pub method: DisposalMethod,
    /// `period_ended`, the purpose-end trigger, or `entry_withdrawn`; for
    /// a contractor whose entrustment ended first, `contract_ended` or
    /// `entrustment_ended`.
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
/// holder (a contractor with the department that entrusted it), dataset
/// and provider, method and trigger.
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
        let holder = match &self.contract {
            Some(contract) => format!(
                "contractor {} of {} (contract {contract})",
                self.holder, self.requester
            ),
            None => self.holder.clone(),
        };
        write!(
            f,
            "{state:<14} due {due}  grant {}  {holder} holds {} ({}) — {} after {} at {}",
            self.grant,
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

/// Every disposal owed at `at` and not yet receipted, per holder of the
/// data, oldest trigger first: what is due and what is overdue (Art. 27,
/// 36, 40(4)). A grant's requester owes it once the grant has ended; each
/// contractor of the requester that held the data owes it from the
/// grant's end, or from the end of its entrustment when that came first,
/// until its own receipt is recorded.
///
/// A due date the calendar cannot compute is listed with `due: None` and
/// the reason, never left out.
pub fn overdue_disposals(
    registry: &Registry,
    at: &DateTime<FixedOffset>,
    calendar: &Calendar,
) -> Vec<DisposalEntry> {
    let mut out: Vec<DisposalEntry> = Vec::new();
    let judged = |due: Result<NaiveDate, CalendarError>| match due {
        Ok(due) => (Some(due), None, Some(china_date(at) > due)),
        Err(e) => (None, Some(e.to_string()), None),
    };
    for g in registry.grants() {
        let state = disposal_state(g, at, calendar);
        let g = g.as_of(at);
        let provider = registry.get_dataset(&g.dataset).map(|d| d.provider.clone());
        let owed = match state {
            Ok(DisposalState::NotDue | DisposalState::Disposed) => None,
            Ok(DisposalState::Due { due }) => Some((Some(due), None, Some(false))),
            Ok(DisposalState::Overdue { due }) => Some((Some(due), None, Some(true))),
            Err(e) => Some((None, Some(e.to_string()), None)),
        };
        if let Some((due, due_error, overdue)) = owed {
            let (triggered_at, trigger) = g.disposal_trigger();
            out.push(DisposalEntry {
                grant: g.id.clone(),
                holder: g.requester.to_string(),
                holder_kind: "requester",
                contract: None,
                requester: g.requester.clone(),
                dataset: g.dataset.clone(),
                provider: provider.clone(),
                method: g.disposal.method,
                trigger: trigger.as_str(),
                triggered_at,
                due,
                due_error,
                overdue,
            });
        }
        let holdings = contractor_holdings(&g, registry.iter_contractors_of(&g.requester), at);
        for h in holdings {
            if h.triggered_at > *at || h.contractor.disposal_of(&g.id).is_some() {
                continue;
            }
            let (due, due_error, overdue) = judged(holding_due(&g, &h, calendar));
            out.push(DisposalEntry {
                grant: g.id.clone(),
                holder: h.contractor.id.to_string(),
                holder_kind: "contractor",
                contract: Some(h.contractor.contract.id.clone()),
                requester: g.requester.clone(),
                dataset: g.dataset.clone(),
                provider: provider.clone(),
                method: g.disposal.method,
                trigger: h.trigger.as_str(),
                triggered_at: h.triggered_at,
                due,
                due_error,
                overdue,
            });
        }
    }
    out.sort_by(|a, b| {
        (
            a.triggered_at,
            &a.grant,
            a.holder_kind != "requester",
            &a.holder,
        )
            .cmp(&(
                b.triggered_at,
                &b.grant,
                b.holder_kind != "requester",
                &b.holder,
            ))
    });
    out
}
