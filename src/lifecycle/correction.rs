//! Suspensions whose deadline to correct has passed with no outcome
//! (Art. 27(2)): the requester was ordered to correct by a date (责令限期改正)
//! and the grant is still suspended after it. The authority or the
//! provider now owes a decision: reinstate after a correction, or
//! terminate after a refused or failed one.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::catalog::{Finding, Severity, Subject, validate};
use crate::model::{DatasetId, DepartmentId, GrantId, GrantStatus, Violation};
use crate::registry::Registry;
use crate::time::format_rfc3339;

/// The finding code of an overdue correction, which [`validate_at`] adds
/// to [`validate`]'s (a warning, Art. 27(2)).
pub const CORRECTION_OVERDUE: &str = "GRANT-CORRECTION-OVERDUE";

/// One suspended grant whose deadline to correct has passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueCorrection {
    /// The grant.
    pub grant: GrantId,
    /// The requester ordered to correct.
    pub requester: DepartmentId,
    /// The dataset.
    pub dataset: DatasetId,
    /// Its provider, when the dataset is in the catalog.
    pub provider: Option<DepartmentId>,
    /// The violation found.
    pub violation: Violation,
    /// When the grant was suspended.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub suspended_at: DateTime<FixedOffset>,
    /// The deadline to correct, now passed.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub correct_by: DateTime<FixedOffset>,
}

impl OverdueCorrection {
    /// The entry as a `GRANT-CORRECTION-OVERDUE` finding.
    pub fn finding(&self) -> Finding {
        let by = format_rfc3339(&self.correct_by);
        Finding::new(
            CORRECTION_OVERDUE,
            Severity::Warning,
            &["27(2)"],
            Subject {
                kind: "grant",
                id: self.grant.to_string(),
            },
            format!(
                "暂停后限期改正的期限 {by} 已过，尚未恢复或终止：应在改正后恢复，拒不改正或者改正不到位的可以终止共享"
            ),
            format!(
                "the deadline to correct, {by}, has passed and the grant is neither reinstated nor terminated: reinstate it after a correction, or terminate it after a refused or failed one"
            ),
        )
    }
}

/// An entry as a person reads it, on one line.
impl fmt::Display for OverdueCorrection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "逾期未改正 OVERDUE  correct by {}  grant {}  {} ({}) on {} — {} suspended at {}",
            format_rfc3339(&self.correct_by),
            self.grant,
            self.requester,
            self.violation.as_str(),
            self.dataset,
            self.provider.as_ref().map(|p| p.as_str()).unwrap_or("?"),
            format_rfc3339(&self.suspended_at)
        )
    }
}

/// Every grant suspended at `at` whose deadline to correct lies before
/// `at`, oldest deadline first.
///
/// # Example
///
/// ```
/// use govshare::Registry;
/// use govshare::lifecycle::overdue_corrections;
/// use govshare::time::parse_rfc3339;
///
/// let registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
/// // Grant …05 was suspended on 20 October 2026, to correct by 3 November.
/// assert!(overdue_corrections(&registry, &parse_rfc3339("2026-11-03T12:00:00+08:00")?).is_empty());
/// let late = overdue_corrections(&registry, &parse_rfc3339("2026-11-04T09:00:00+08:00")?);
/// assert_eq!(late[0].grant.as_str(), "6f1c2a4e-3b7d-4c1a-9e2f-0a1b2c3d4e05");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn overdue_corrections(
    registry: &Registry,
    at: &DateTime<FixedOffset>,
) -> Vec<OverdueCorrection> {
    let mut out: Vec<OverdueCorrection> = registry
        .grants()
        .iter()
        .filter_map(|g| match g.status_at(at) {
            (GrantStatus::Suspended, Some(s)) if s.correct_by < *at => Some(OverdueCorrection {
                grant: g.id.clone(),
                requester: g.requester.clone(),
                dataset: g.dataset.clone(),
                provider: registry.get_dataset(&g.dataset).map(|d| d.provider.clone()),
                violation: s.violation,
                suspended_at: s.at,
                correct_by: s.correct_by,
            }),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| (a.correct_by, &a.grant).cmp(&(b.correct_by, &b.grant)));
    out
}

/// [`validate`]'s findings, plus those that depend on the time: a
/// `GRANT-CORRECTION-OVERDUE` warning for every suspension past its
/// deadline to correct at `at`, and a `CONTRACTOR-CONTRACT-ENDED` error for
/// every contract ended by `at` whose entrustment is still on record.
pub fn validate_at(registry: &Registry, at: &DateTime<FixedOffset>) -> Vec<Finding> {
    let mut findings = validate(registry);
    findings.extend(
        overdue_corrections(registry, at)
            .iter()
            .map(OverdueCorrection::finding),
    );
    findings.extend(super::contractor::ended_contracts(registry, at));
    findings
}
