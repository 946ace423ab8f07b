//! Who may make which change (DESIGN §7). Every transition names the
//! department making it (`by`); the Regulation fixes who that may be:
//!
//! | change | who may make it |
//! |---|---|
//! | `grant_approved`, `consent_added`, `grant_renewed`, `grant_amended`, `entry_withdrawn` | the dataset's provider (Art. 21, 25, 27(3)) |
//! | `suspended`, `reinstated`, `terminated` | the provider or a competent authority (Art. 27(2)) |
//! | `purpose_ended` | the requester, the provider or a competent authority (Art. 27) |
//! | `disposal_recorded` | the requester (Art. 27) |
//! | `contractor_entrusted`, `entrustment_ended`, `contractor_disposal_recorded` | the entrusting department (Art. 36) |

use super::Registry;
use crate::error::TransitionError;
use crate::model::{Change, Dataset, DepartmentId, Grant, Transition};

/// Refuses `t`, a change of an entrustment, unless its `by` is the
/// entrusting department: only the department that entrusts a contractor
/// entrusts it, ends the entrustment and records what the contractor
/// disposed of, as it alone supervises it (Art. 36).
pub(super) fn authorize_entrustment(
    registry: &Registry,
    t: &Transition,
    department: &DepartmentId,
) -> Result<(), TransitionError> {
    let refuse = |rule: String, article: &'static str| TransitionError::Unauthorized {
        subject: t.change.subject(),
        change: t.change.kind(),
        by: t.by.to_string(),
        rule,
        article,
    };
    if registry.get_department(&t.by).is_none() {
        return Err(refuse(
            "it is not a registered government department".into(),
            "2",
        ));
    }
    if &t.by == department {
        Ok(())
    } else {
        Err(refuse(
            format!(
                "only the entrusting department `{department}` entrusts its contractor, ends the entrustment and records the contractor's disposal of the data, as it supervises the contractor (委托方)"
            ),
            "36",
        ))
    }
}

/// Refuses `t` unless its `by` may make it on `grant` of `dataset` (the
/// grant is `None` for the withdrawal of an entry, the dataset `None` when
/// it is not in the catalog).
pub(super) fn authorize(
    registry: &Registry,
    t: &Transition,
    dataset: Option<&Dataset>,
    grant: Option<&Grant>,
) -> Result<(), TransitionError> {
    let change = t.change.kind();
    let refuse = |rule: String, article: &'static str| TransitionError::Unauthorized {
        subject: t.change.subject(),
        change,
        by: t.by.to_string(),
        rule,
        article,
    };
    let Some(by) = registry.get_department(&t.by) else {
        return Err(refuse(
            "it is not a registered government department".into(),
            "2",
        ));
    };
    let provider = dataset.map(|d| &d.provider);
    let provider_name = provider.map_or_else(
        || {
            format!(
                "(none: dataset `{}` is not in the catalog)",
                grant.map(|g| g.dataset.as_str()).unwrap_or("?")
            )
        },
        |p| format!("`{p}`"),
    );
    let is_provider = provider == Some(&t.by);
    let is_requester = grant.is_some_and(|g| g.requester == t.by);
    let (allowed, rule, article) = match &t.change {
        Change::GrantApproved { .. } => (
            is_provider,
            format!("only the dataset's provider {provider_name} approves a grant"),
            "21",
        ),
        Change::ConsentAdded { .. } => (
            is_provider,
            format!(
                "only the dataset's provider {provider_name} consents to widen a grant (经共享数据提供部门同意)"
            ),
            "25",
        ),
        Change::GrantRenewed { .. } => (
            is_provider,
            format!("only the dataset's provider {provider_name} renews a grant's period of use"),
            "21",
        ),
        Change::GrantAmended { .. } => (
            is_provider,
            format!(
                "only the dataset's provider {provider_name} changes the sharing service it provides"
            ),
            "27(3)",
        ),
        Change::EntryWithdrawn { .. } => (
            is_provider,
            format!("only the dataset's provider {provider_name} withdraws its catalog entry"),
            "27(3)",
        ),
        Change::Suspended { .. } | Change::Reinstated { .. } | Change::Terminated { .. } => (
            is_provider || by.authority,
            format!(
                "only the dataset's provider {provider_name} or a competent authority (政务数据共享主管部门) suspends, reinstates or terminates sharing"
            ),
            "27(2)",
        ),
        Change::PurposeEnded { .. } => (
            is_requester || is_provider || by.authority,
            format!(
                "only the requester{}, the dataset's provider {provider_name} or a competent authority records a purpose end",
                grant
                    .map(|g| format!(" `{}`", g.requester))
                    .unwrap_or_default()
            ),
            "27",
        ),
        Change::ContractorEntrusted { .. }
        | Change::EntrustmentEnded { .. }
        | Change::ContractorDisposalRecorded { .. } => (
            false,
            "a change of an entrustment is authorized against its contractor entry".into(),
            "36",
        ),
        Change::DisposalRecorded { .. } => (
            is_requester,
            format!(
                "only the requester{}, which holds the data, records its disposal",
                grant
                    .map(|g| format!(" `{}`", g.requester))
                    .unwrap_or_default()
            ),
            "27",
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(refuse(rule, article))
    }
}
