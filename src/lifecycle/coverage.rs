//! How much of a catalog the engine enforces by code: for each conditional
//! entry and each grant, whether its conditions are machine-checkable, and
//! a summary a platform can read (Art. 14–15, 20, 25).

use std::fmt;

use serde::Serialize;

use super::catalog::Subject;
use crate::model::{Dataset, Grant, Sharing, SharingClass};
use crate::registry::Registry;

/// A condition the engine cannot check by machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unchecked {
    /// A conditional entry states its sharing scope (共享范围) in words
    /// only: no `regions`, `levels` or `departments`.
    Scope,
    /// A conditional entry states its uses (使用用途) in words only: no
    /// `purposes`.
    Uses,
    /// A grant carries conditions in words (`conditions`).
    GrantConditions,
    /// The registry has no purpose vocabulary: purposes are checked by
    /// their codes alone, so a sub-purpose a requester makes up counts as
    /// under a granted or permitted one.
    PurposeVocabulary,
}

impl Unchecked {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Unchecked::Scope => "scope",
            Unchecked::Uses => "uses",
            Unchecked::GrantConditions => "grant_conditions",
            Unchecked::PurposeVocabulary => "purpose_vocabulary",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Unchecked::Scope => "共享范围",
            Unchecked::Uses => "使用用途",
            Unchecked::GrantConditions => "授权附加条件",
            Unchecked::PurposeVocabulary => "共享目的目录",
        }
    }
}

impl fmt::Display for Unchecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether one record's conditions are machine-checkable, and if not,
/// which are not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Checkability {
    /// The conditional entry or the grant.
    pub subject: Subject,
    /// Every condition of the record is checked by the engine.
    pub machine_checkable: bool,
    /// The conditions that are not, in a fixed order.
    pub unchecked: Vec<Unchecked>,
}

impl Checkability {
    fn new(subject: Subject, mut unchecked: Vec<Unchecked>) -> Self {
        unchecked.sort();
        unchecked.dedup();
        Self {
            subject,
            machine_checkable: unchecked.is_empty(),
            unchecked,
        }
    }
}

/// The counts a platform reads: how many entries and grants are enforced
/// by code in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CoverageSummary {
    /// Whether the registry has a purpose vocabulary.
    pub purpose_vocabulary: bool,
    /// Catalog entries.
    pub entries: usize,
    /// Entries whose every condition is machine-checkable: unconditional
    /// and `not_shared` entries, and conditional entries with their scope
    /// and uses in `sharing.conditions` (and a purpose vocabulary).
    pub entries_enforced: usize,
    /// Conditional entries.
    pub conditional_entries: usize,
    /// Conditional entries whose every condition is machine-checkable.
    pub conditional_entries_enforced: usize,
    /// Grants.
    pub grants: usize,
    /// Grants whose every condition is machine-checkable: no conditions in
    /// words of their own or of their entry, and a purpose vocabulary.
    pub grants_enforced: usize,
}

/// What the engine enforces by code in a registry: each conditional entry
/// and each grant with its checkability, in registry order, and the
/// summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Coverage {
    /// Each conditional entry.
    pub entries: Vec<Checkability>,
    /// Each grant.
    pub grants: Vec<Checkability>,
    /// The counts.
    pub summary: CoverageSummary,
}

/// What a dataset leaves unchecked. Only a conditional entry has
/// conditions; with `purposes` but no vocabulary its uses are checked by
/// code alone.
fn entry_gaps(d: &Dataset, vocabulary: bool) -> Vec<Unchecked> {
    let Sharing::Conditional { conditions, .. } = &d.sharing else {
        return Vec::new();
    };
    let mut gaps = Vec::new();
    match conditions {
        None => gaps.extend([Unchecked::Scope, Unchecked::Uses]),
        Some(c) => {
            if !c.states_scope() {
                gaps.push(Unchecked::Scope);
            }
            if !c.states_uses() {
                gaps.push(Unchecked::Uses);
            } else if !vocabulary {
                gaps.push(Unchecked::PurposeVocabulary);
            }
        }
    }
    gaps
}

fn grant_gaps(registry: &Registry, g: &Grant, vocabulary: bool) -> Vec<Unchecked> {
    let mut gaps = registry
        .get_dataset(&g.dataset)
        .map(|d| entry_gaps(d, vocabulary))
        .unwrap_or_default();
    if !g.conditions.is_empty() {
        gaps.push(Unchecked::GrantConditions);
    }
    if !vocabulary {
        gaps.push(Unchecked::PurposeVocabulary);
    }
    gaps
}

/// How much of `registry` the engine enforces by code.
///
/// # Example
///
/// ```
/// use govshare::Registry;
/// use govshare::lifecycle::{Unchecked, coverage};
///
/// let registry = Registry::from_json_str(r#"{"departments": [], "grants": [],
///   "purposes": [{"code": "social-insurance", "name": "社会保险经办"}],
///   "datasets": [
///   {"id": "ent-reg", "name": "企业登记信息", "provider": "hz-amr", "status": "published",
///    "items": [{"name": "uscc", "grade": "general"}],
///    "sharing": {"class": "conditional", "scope": "本市政府部门", "uses": ["社会保险经办"],
///                "conditions": {"regions": ["330100"], "purposes": ["social-insurance"]}},
///    "methods": ["service_interface"], "format": "database", "update_frequency": "daily"},
///   {"id": "ent-old", "name": "企业变更信息", "provider": "hz-amr", "status": "published",
///    "items": [{"name": "uscc", "grade": "general"}],
///    "sharing": {"class": "conditional", "scope": "本市政府部门", "uses": ["行政审批"]},
///    "methods": ["service_interface"], "format": "database", "update_frequency": "daily"}]}"#)?;
/// let report = coverage(&registry);
/// assert_eq!(report.summary.conditional_entries, 2);
/// assert_eq!(report.summary.conditional_entries_enforced, 1);
/// assert_eq!(report.entries[1].unchecked, [Unchecked::Scope, Unchecked::Uses]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn coverage(registry: &Registry) -> Coverage {
    let vocabulary = registry.purpose_vocabulary().is_some();
    let mut entries = Vec::new();
    let mut entries_enforced = 0;
    for d in registry.datasets() {
        let gaps = entry_gaps(d, vocabulary);
        if gaps.is_empty() {
            entries_enforced += 1;
        }
        if d.sharing.class() == SharingClass::Conditional {
            entries.push(Checkability::new(
                Subject {
                    kind: "dataset",
                    id: d.id.to_string(),
                },
                gaps,
            ));
        }
    }
    let grants: Vec<Checkability> = registry
        .grants()
        .iter()
        .map(|g| {
            Checkability::new(
                Subject {
                    kind: "grant",
                    id: g.id.to_string(),
                },
                grant_gaps(registry, g, vocabulary),
            )
        })
        .collect();
    let summary = CoverageSummary {
        purpose_vocabulary: vocabulary,
        entries: registry.datasets().len(),
        entries_enforced,
        conditional_entries: entries.len(),
        conditional_entries_enforced: entries.iter().filter(|e| e.machine_checkable).count(),
        grants: grants.len(),
        grants_enforced: grants.iter().filter(|g| g.machine_checkable).count(),
    };
    Coverage {
        entries,
        grants,
        summary,
    }
}

fn percent(part: usize, whole: usize) -> String {
    match part.saturating_mul(100).checked_div(whole) {
        Some(p) => format!("{p}%"),
        None => "—".into(),
    }
}

/// The summary as a person reads it, Chinese first, then each record that
/// is not machine-checkable.
impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        writeln!(
            f,
            "机器校验覆盖 enforced by code: 目录 entries {}/{} ({}), 其中有条件共享 conditional {}/{}; 授权 grants {}/{} ({}); 共享目的目录 purpose vocabulary: {}",
            s.entries_enforced,
            s.entries,
            percent(s.entries_enforced, s.entries),
            s.conditional_entries_enforced,
            s.conditional_entries,
            s.grants_enforced,
            s.grants,
            percent(s.grants_enforced, s.grants),
            if s.purpose_vocabulary { "yes" } else { "no" }
        )?;
        let gaps = self
            .entries
            .iter()
            .chain(&self.grants)
            .filter(|c| !c.machine_checkable);
        for c in gaps {
            let zh: Vec<&str> = c.unchecked.iter().map(|u| u.zh()).collect();
            let en: Vec<&str> = c.unchecked.iter().map(|u| u.as_str()).collect();
            writeln!(
                f,
                "    {} `{}`: 不能机器校验 {} / not checked by machine: {}",
                c.subject.kind,
                c.subject.id,
                zh.join("、"),
                en.join(", ")
            )?;
        }
        Ok(())
    }
}
