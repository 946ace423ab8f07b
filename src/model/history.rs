//! Facts over time (DESIGN §7): a grant's history — the dated changes
//! after its approval — and the grant and the catalog entry as they stood
//! at any instant. A decision at `at` is made against the grant as it
//! stood at `at`: suspended during [suspension, reinstatement), terminated
//! from its termination, its period, items, methods and purposes as its
//! last renewal and amendments before `at` left them.
//!
//! A registry in the §4 shape has no history: its `status` and
//! `suspension` keys are read as they always were, except that a
//! suspension with a recorded time counts from that time.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{
    CatalogStatus, Dataset, DepartmentId, Grant, GrantStatus, ItemName, PurposeCode, SharingMethod,
    Suspension, Violation,
};
use crate::time::rfc3339;

/// One dated change in the life of a grant or of a contractor entry, as
/// its history keeps it: when it took effect, when it was recorded, by
/// which department, by whom, why, and what changed (`C`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEvent<C> {
    /// When it took effect.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// When it was recorded, when a store recorded it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    pub recorded_at: Option<DateTime<FixedOffset>>,
    /// The department that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<DepartmentId>,
    /// The person or office that made it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor: String,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// What changed.
    pub change: C,
}

/// One dated change in a grant's life.
pub type GrantEvent = HistoryEvent<GrantChange>;

/// What a [`GrantEvent`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GrantChange {
    /// The provider approved the grant: it allows nothing before this.
    Approved,
    /// Suspended after a violation, with the deadline to correct
    /// (Art. 27(2)).
    Suspended {
        /// The violation found.
        violation: Violation,
        /// The deadline to correct.
        #[serde(with = "rfc3339")]
        correct_by: DateTime<FixedOffset>,
    },
    /// Reinstated after correction.
    Reinstated,
    /// Terminated after a refused or failed correction (Art. 27(2)).
    Terminated {
        /// When the requester refused to correct, if it did.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "rfc3339::option"
        )]
        refused_at: Option<DateTime<FixedOffset>>,
    },
    /// The period of use renewed to a later end.
    Renewed {
        /// The new end of the period of use (exclusive).
        #[serde(with = "rfc3339")]
        valid_until: DateTime<FixedOffset>,
    },
    /// Items, methods or purposes amended.
    Amended {
        /// The items from this event on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        items: Option<Vec<ItemName>>,
        /// The methods from this event on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        methods: Option<Vec<SharingMethod>>,
        /// The purposes from this event on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purposes: Option<Vec<PurposeCode>>,
        /// The competent authority a narrowing was filed with (Art. 27(3)).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filed_with: Option<DepartmentId>,
    },
    /// The catalog entry was withdrawn: the grant ends, disposal falls due.
    EntryWithdrawn {
        /// The competent authority the withdrawal was filed with.
        filed_with: DepartmentId,
    },
}

impl GrantChange {
    /// The wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            GrantChange::Approved => "approved",
            GrantChange::Suspended { .. } => "suspended",
            GrantChange::Reinstated => "reinstated",
            GrantChange::Terminated { .. } => "terminated",
            GrantChange::Renewed { .. } => "renewed",
            GrantChange::Amended { .. } => "amended",
            GrantChange::EntryWithdrawn { .. } => "entry_withdrawn",
        }
    }

    /// Whether it changes the grant's status.
    fn is_status(&self) -> bool {
        matches!(
            self,
            GrantChange::Suspended { .. }
                | GrantChange::Reinstated
                | GrantChange::Terminated { .. }
        )
    }
}

/// A catalog entry's withdrawal (Art. 27(3)): when it took effect, the
/// competent authority it was filed with, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// When the entry was withdrawn.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// The competent authority the withdrawal was filed with.
    pub filed_with: DepartmentId,
    /// Why.
    pub reason: String,
    /// The department that withdrew it (the provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<DepartmentId>,
    /// When it was recorded, when a store recorded it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    pub recorded_at: Option<DateTime<FixedOffset>>,
}

impl Dataset {
    /// The entry's status at `at`: `published` before a recorded
    /// withdrawal. A `withdrawn` entry without a withdrawal record is
    /// withdrawn at every time (its time is unknown).
    pub fn status_at(&self, at: &DateTime<FixedOffset>) -> CatalogStatus {
        match (&self.status, &self.withdrawn) {
            (CatalogStatus::Withdrawn, Some(w)) if *at < w.at => CatalogStatus::Published,
            (status, _) => *status,
        }
    }

    /// The entry as it stood at `at`.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{CatalogStatus, Dataset};
    /// use govshare::time::parse_rfc3339;
    ///
    /// let entry: Dataset = serde_json::from_str(r#"{"id": "ent-reg", "name": "企业登记信息",
    ///     "provider": "hz-amr", "status": "withdrawn", "items": [{"name": "uscc", "grade": "general"}],
    ///     "sharing": {"class": "unconditional"}, "methods": ["service_interface"],
    ///     "format": "database", "update_frequency": "daily",
    ///     "withdrawn": {"at": "2026-06-01T00:00:00+08:00", "filed_with": "hz-dsj", "reason": "职责调整"}}"#)?;
    /// assert_eq!(entry.as_of(&parse_rfc3339("2026-05-31T12:00:00+08:00")?).status, CatalogStatus::Published);
    /// assert_eq!(entry.as_of(&parse_rfc3339("2026-06-01T00:00:00+08:00")?).status, CatalogStatus::Withdrawn);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, at: &DateTime<FixedOffset>) -> Cow<'_, Dataset> {
        let status = self.status_at(at);
        if status == self.status {
            return Cow::Borrowed(self);
        }
        let mut d = self.clone();
        d.status = status;
        Cow::Owned(d)
    }
}

impl Grant {
    /// The status events of the history, in order.
    fn status_events(&self) -> impl Iterator<Item = &GrantEvent> {
        self.history.iter().filter(|e| e.change.is_status())
    }

    /// The grant's status at `at`, with the suspension in force then.
    ///
    /// Without status events in its history the grant is read as a §4
    /// registry states it: `suspended` from its suspension record's time
    /// (at every time when there is no record), `terminated` at every time.
    /// With them, the status before the first event is `active`, unless
    /// that event ends a suspension whose time is unknown.
    pub fn status_at(&self, at: &DateTime<FixedOffset>) -> (GrantStatus, Option<Suspension>) {
        let mut events = self.status_events().peekable();
        let Some(first) = events.peek() else {
            return match (self.status, &self.suspension) {
                (GrantStatus::Suspended, Some(s)) if *at < s.at => (GrantStatus::Active, None),
                (status, suspension) => (status, suspension.as_deref().cloned()),
            };
        };
        let mut state = match first.change {
            GrantChange::Suspended { .. } => (GrantStatus::Active, None),
            _ => (GrantStatus::Suspended, None),
        };
        for e in events.take_while(|e| e.at <= *at) {
            state = match &e.change {
                GrantChange::Suspended {
                    violation,
                    correct_by,
                } => (
                    GrantStatus::Suspended,
                    Some(Suspension {
                        violation: *violation,
                        at: e.at,
                        correct_by: *correct_by,
                        by: if e.actor.is_empty() {
                            e.by.as_ref().map(ToString::to_string).unwrap_or_default()
                        } else {
                            e.actor.clone()
                        },
                        reason: e.reason.clone(),
                    }),
                ),
                GrantChange::Terminated { .. } => (GrantStatus::Terminated, None),
                _ => (GrantStatus::Active, None),
            };
        }
        state
    }

    /// The status after every event of the history: what `status` must
    /// say. `None` when the history holds no status event.
    pub(crate) fn status_after_history(&self) -> Option<GrantStatus> {
        let last = self.status_events().last()?;
        Some(match last.change {
            GrantChange::Suspended { .. } => GrantStatus::Suspended,
            GrantChange::Terminated { .. } => GrantStatus::Terminated,
            _ => GrantStatus::Active,
        })
    }

    /// The last amendment at or before `at` that sets a value picked by
    /// `pick`.
    fn amended<'a, T: ?Sized>(
        &'a self,
        at: &DateTime<FixedOffset>,
        pick: impl Fn(&'a GrantChange) -> Option<&'a T>,
    ) -> Option<&'a T> {
        self.history
            .iter()
            .take_while(|e| e.at <= *at)
            .filter_map(|e| pick(&e.change))
            .last()
    }

    /// The items granted at `at` (before the provider's consents).
    pub fn items_at(&self, at: &DateTime<FixedOffset>) -> &[ItemName] {
        self.amended(at, |c| match c {
            GrantChange::Amended {
                items: Some(items), ..
            } => Some(items.as_slice()),
            _ => None,
        })
        .unwrap_or(&self.items)
    }

    /// The sharing methods granted at `at`.
    pub fn methods_at(&self, at: &DateTime<FixedOffset>) -> &[SharingMethod] {
        self.amended(at, |c| match c {
            GrantChange::Amended {
                methods: Some(methods),
                ..
            } => Some(methods.as_slice()),
            _ => None,
        })
        .unwrap_or(&self.methods)
    }

    /// The purposes granted at `at` (before the provider's consents): the
    /// approved purpose, or those of the last amendment that set them.
    pub fn purposes_at(&self, at: &DateTime<FixedOffset>) -> &[PurposeCode] {
        self.amended(at, |c| match c {
            GrantChange::Amended {
                purposes: Some(purposes),
                ..
            } => Some(purposes.as_slice()),
            _ => None,
        })
        .unwrap_or(std::slice::from_ref(&self.purpose))
    }

    /// The end of the period of use at `at`: the last renewal before `at`
    /// moved it.
    pub fn valid_until_at(&self, at: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        self.history
            .iter()
            .take_while(|e| e.at <= *at)
            .filter_map(|e| match e.change {
                GrantChange::Renewed { valid_until } => Some(valid_until),
                _ => None,
            })
            .last()
            .unwrap_or(self.valid_until)
    }

    /// The end of the period of use after every renewal of the history.
    pub fn latest_valid_until(&self) -> DateTime<FixedOffset> {
        self.history
            .iter()
            .rev()
            .find_map(|e| match e.change {
                GrantChange::Renewed { valid_until } => Some(valid_until),
                _ => None,
            })
            .unwrap_or(self.valid_until)
    }

    /// The start of the period of use, no earlier than the recorded
    /// approval: an approval does not reach back.
    pub fn effective_valid_from(&self) -> DateTime<FixedOffset> {
        match self
            .history
            .iter()
            .find(|e| e.change == GrantChange::Approved)
        {
            Some(e) if e.at > self.valid_from => e.at,
            _ => self.valid_from,
        }
    }

    /// When the catalog entry was withdrawn, if the history records it.
    pub fn withdrawn_at(&self) -> Option<DateTime<FixedOffset>> {
        self.history.iter().find_map(|e| match e.change {
            GrantChange::EntryWithdrawn { .. } => Some(e.at),
            _ => None,
        })
    }

    /// The instant of the grant's latest recorded event: a history event,
    /// a consent, the purpose end, the disposal, the suspension. A new
    /// change may not take effect before it.
    pub fn last_event_at(&self) -> Option<DateTime<FixedOffset>> {
        self.history
            .iter()
            .map(|e| e.at)
            .chain(self.consents.iter().map(|c| c.at))
            .chain(self.ended.map(|e| e.at))
            .chain(self.disposed.as_ref().map(|d| d.at))
            .chain(self.suspension.as_ref().map(|s| s.at))
            .max()
    }

    /// The grant as it stood at `at`: its status and suspension then, its
    /// period, items and methods as the history left them by `at`, and only
    /// the history up to `at`. Consents, the purpose end and the disposal
    /// keep their own instants, which the rules compare with the time of
    /// use.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{Grant, GrantStatus};
    /// use govshare::time::parse_rfc3339;
    ///
    /// let grant: Grant = serde_json::from_str(r#"{"id": "g-1", "dataset": "ent-reg",
    ///     "requester": "hz-hrss", "purpose": "social-insurance.enrollment-check",
    ///     "basis": "《社会保险法》第五十七条", "scenario": "参保登记核验",
    ///     "items": ["uscc"], "methods": ["service_interface"],
    ///     "valid_from": "2025-09-01T00:00:00+08:00", "valid_until": "2026-09-01T00:00:00+08:00",
    ///     "disposal": {"method": "delete", "within_working_days": 10}, "status": "active",
    ///     "history": [
    ///       {"at": "2026-03-03T09:00:00+08:00", "by": "hz-amr",
    ///        "change": {"kind": "suspended", "violation": "scope_expansion",
    ///                   "correct_by": "2026-03-17T18:00:00+08:00"}},
    ///       {"at": "2026-03-20T09:00:00+08:00", "by": "hz-amr", "change": {"kind": "reinstated"}}]}"#)?;
    /// let at = |t| parse_rfc3339(t);
    /// assert_eq!(grant.as_of(&at("2026-03-02T10:00:00+08:00")?).status, GrantStatus::Active);
    /// assert_eq!(grant.as_of(&at("2026-03-10T10:00:00+08:00")?).status, GrantStatus::Suspended);
    /// assert_eq!(grant.as_of(&at("2026-03-25T10:00:00+08:00")?).status, GrantStatus::Active);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, at: &DateTime<FixedOffset>) -> Cow<'_, Grant> {
        let (status, suspension) = self.status_at(at);
        let unchanged = self.history.is_empty()
            && status == self.status
            && suspension.as_ref() == self.suspension.as_deref();
        if unchanged {
            return Cow::Borrowed(self);
        }
        let mut g = self.clone();
        g.status = status;
        g.suspension = suspension.map(Box::new);
        g.valid_from = self.effective_valid_from();
        g.valid_until = self.valid_until_at(at);
        g.items = self.items_at(at).to_vec();
        g.methods = self.methods_at(at).to_vec();
        g.history.retain(|e| e.at <= *at);
        Cow::Owned(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_rfc3339;

    fn t(s: &str) -> DateTime<FixedOffset> {
        parse_rfc3339(s).unwrap()
    }

    fn grant(extra: serde_json::Value) -> Grant {
        let mut g = serde_json::json!({"id": "g-1", "dataset": "ent-reg", "requester": "hz-hrss",
            "purpose": "social-insurance.enrollment-check", "basis": "b", "scenario": "s",
            "items": ["uscc", "name"], "methods": ["service_interface"],
            "valid_from": "2025-09-01T00:00:00+08:00", "valid_until": "2026-09-01T00:00:00+08:00",
            "disposal": {"method": "delete", "within_working_days": 10}, "status": "active"});
        for (k, v) in extra.as_object().unwrap() {
            g[k] = v.clone();
        }
        serde_json::from_value(g).unwrap()
    }

    #[test]
    fn a_legacy_suspension_counts_from_its_record() {
        let g = grant(serde_json::json!({"status": "suspended", "suspension": {
            "violation": "third_party", "at": "2026-03-03T09:00:00+08:00",
            "correct_by": "2026-03-17T18:00:00+08:00", "by": "x", "reason": "y"}}));
        assert_eq!(
            g.status_at(&t("2026-03-03T08:59:59+08:00")).0,
            GrantStatus::Active
        );
        assert_eq!(
            g.status_at(&t("2026-03-03T09:00:00+08:00")).0,
            GrantStatus::Suspended
        );
        let bare = grant(serde_json::json!({"status": "suspended"}));
        assert_eq!(
            bare.status_at(&t("2020-01-01T00:00:00+08:00")).0,
            GrantStatus::Suspended
        );
        let terminated = grant(serde_json::json!({"status": "terminated"}));
        assert_eq!(
            terminated.status_at(&t("2020-01-01T00:00:00+08:00")).0,
            GrantStatus::Terminated
        );
    }

    #[test]
    fn a_reinstatement_of_an_unknown_suspension_keeps_the_time_before_it_suspended() {
        let g = grant(serde_json::json!({"history": [
            {"at": "2026-03-20T09:00:00+08:00", "change": {"kind": "reinstated"}}]}));
        assert_eq!(
            g.status_at(&t("2026-03-19T09:00:00+08:00")).0,
            GrantStatus::Suspended
        );
        assert_eq!(
            g.status_at(&t("2026-03-20T09:00:00+08:00")).0,
            GrantStatus::Active
        );
    }

    #[test]
    fn renewals_and_amendments_count_from_their_instants() {
        let g = grant(serde_json::json!({"history": [
            {"at": "2026-05-01T00:00:00+08:00", "change": {"kind": "amended", "items": ["uscc"],
             "purposes": ["social-insurance"], "filed_with": "hz-dsj"}},
            {"at": "2026-08-20T00:00:00+08:00", "change": {"kind": "renewed",
             "valid_until": "2026-12-01T00:00:00+08:00"}}]}));
        let before = g.as_of(&t("2026-04-30T00:00:00+08:00"));
        assert_eq!(before.items.len(), 2);
        assert_eq!(before.valid_until, t("2026-09-01T00:00:00+08:00"));
        assert_eq!(
            before.purposes_at(&t("2026-04-30T00:00:00+08:00"))[0].as_str(),
            "social-insurance.enrollment-check"
        );
        assert!(before.history.is_empty());
        let after = g.as_of(&t("2026-08-21T00:00:00+08:00"));
        assert_eq!(after.items.len(), 1);
        assert_eq!(after.valid_until, t("2026-12-01T00:00:00+08:00"));
        assert_eq!(g.latest_valid_until(), t("2026-12-01T00:00:00+08:00"));
        assert_eq!(
            after.purposes_at(&t("2026-08-21T00:00:00+08:00"))[0].as_str(),
            "social-insurance"
        );
    }

    #[test]
    fn an_approval_does_not_reach_back() {
        let g = grant(serde_json::json!({"history": [
            {"at": "2025-09-10T10:00:00+08:00", "change": {"kind": "approved"}}]}));
        assert_eq!(
            g.as_of(&t("2025-09-05T00:00:00+08:00")).valid_from,
            t("2025-09-10T10:00:00+08:00")
        );
    }
}
