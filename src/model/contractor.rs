//! Contractors (受托方, Art. 36): the companies a department entrusts,
//! under a contract, with storing, processing or operating on its data.
//!
//! A contractor entry names the company (its name and unified social
//! credit code), the entrusting department, the contract (its id, its
//! period and whether a data-security agreement is signed), and the
//! datasets and activities it is entrusted with. The contractor may not
//! access, obtain, retain, use, leak or pass on the data beyond that
//! (擅自访问、获取、留存、使用、泄露或者向他人提供政务数据), and the
//! entrusting department supervises it.
//!
//! Like a grant, an entry keeps a history: the entrustment recorded
//! through a transition (it allows nothing before it) and its end, and the
//! disposal receipts of the data it held. A decision at `at` sees the
//! entry as it stood at `at` ([`Contractor::as_of`]).

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::history::HistoryEvent;
use super::{ContractId, ContractorId, DatasetId, DepartmentId, DisposalMethod, GrantId};
use crate::time::rfc3339;

/// What a contractor is entrusted to do with the data (Art. 36: 存储、加工
/// 数据 and 建设、运行、维护系统).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// 存储: keeping the data (hosting, storage).
    Storage,
    /// 加工: processing the data.
    Processing,
    /// 运行维护: running and maintaining the systems that hold it.
    Operation,
}

impl Activity {
    /// Every activity.
    pub const ALL: [Activity; 3] = [Activity::Storage, Activity::Processing, Activity::Operation];

    /// The wire name: `storage`, `processing` or `operation`.
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Storage => "storage",
            Activity::Processing => "processing",
            Activity::Operation => "operation",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Activity::Storage => "存储",
            Activity::Processing => "加工",
            Activity::Operation => "运行维护",
        }
    }
}

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The entrustment contract (委托合同): its id, its period `[valid_from,
/// valid_until)` and whether a data-security agreement is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The contract's id, such as `HT-2026-001`.
    pub id: ContractId,
    /// Start of the contract's period (inclusive).
    #[serde(with = "rfc3339")]
    pub valid_from: DateTime<FixedOffset>,
    /// End of the contract's period (exclusive).
    #[serde(with = "rfc3339")]
    pub valid_until: DateTime<FixedOffset>,
    /// Whether a data-security agreement (数据安全协议) is signed with the
    /// contractor: without one it processes nothing.
    pub security_agreement: bool,
}

/// One dated change of a contractor entry, as its history keeps it; its
/// `by` is the entrusting department.
pub type ContractorEvent = HistoryEvent<ContractorChange>;

/// What a [`ContractorEvent`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ContractorChange {
    /// The department entrusted the contractor: the entrustment is in
    /// force from this instant, never before it.
    Entrusted,
    /// The department ended the entrustment: it is out of force from this
    /// instant, and the contractor owes disposal of the data it holds.
    Ended,
}

impl ContractorChange {
    /// The wire name: `entrusted` or `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractorChange::Entrusted => "entrusted",
            ContractorChange::Ended => "ended",
        }
    }
}

/// A contractor's disposal receipt for the data of one grant it held
/// (Art. 27, 36), recorded by the entrusting department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolderDisposal {
    /// The grant whose data was disposed of.
    pub grant: GrantId,
    /// The method used.
    pub method: DisposalMethod,
    /// When the contractor disposed of it.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// Who attests the disposal.
    pub attested_by: String,
}

/// A contractor entry (受托方, Art. 36): one company entrusted by one
/// department under one contract.
///
/// # Example
///
/// ```
/// use govshare::{Activity, Contractor};
/// use govshare::time::parse_rfc3339;
///
/// let c: Contractor = serde_json::from_str(r#"{"id": "c-hz-cloud",
///     "name": "杭州某某云计算有限公司", "uscc": "91330106MA2H0CLD14", "department": "hz-hrss",
///     "contract": {"id": "HT-2026-001", "valid_from": "2026-01-01T00:00:00+08:00",
///                  "valid_until": "2027-01-01T00:00:00+08:00", "security_agreement": true},
///     "datasets": ["ent-reg"], "activities": ["storage", "processing"]}"#)?;
/// assert!(c.activities.contains(&Activity::Processing));
/// assert!(c.in_force_at(&parse_rfc3339("2026-06-01T00:00:00+08:00")?));
/// assert!(!c.in_force_at(&parse_rfc3339("2027-01-01T00:00:00+08:00")?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contractor {
    /// Stable id, such as `c-hz-cloud`: what a request names as its
    /// `processor`.
    pub id: ContractorId,
    /// The company's registered name.
    pub name: String,
    /// Its unified social credit code (统一社会信用代码, GB 32100-2015).
    /// Any text loads; `check` reports a code that is not 18 characters of
    /// the standard's set or whose check character is wrong.
    pub uscc: String,
    /// The entrusting department (委托方), which supervises it.
    pub department: DepartmentId,
    /// The entrustment contract.
    pub contract: Contract,
    /// The catalog entries it is entrusted with.
    pub datasets: Vec<DatasetId>,
    /// What it is entrusted to do with them.
    pub activities: Vec<Activity>,
    /// The dated changes of the entrustment: its recorded start and end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ContractorEvent>,
    /// Its disposal receipts, one per grant whose data it held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disposals: Vec<HolderDisposal>,
}

impl Contractor {
    /// When the entrustment was recorded through a transition, if it was.
    pub fn entrusted_at(&self) -> Option<DateTime<FixedOffset>> {
        self.event_at(ContractorChange::Entrusted)
    }

    /// When the entrustment was ended through a transition, if it was.
    pub fn ended_at(&self) -> Option<DateTime<FixedOffset>> {
        self.event_at(ContractorChange::Ended)
    }

    fn event_at(&self, change: ContractorChange) -> Option<DateTime<FixedOffset>> {
        self.history
            .iter()
            .find(|e| e.change == change)
            .map(|e| e.at)
    }

    /// The start of the entrustment: the contract's start, no earlier than
    /// the recorded entrustment (it does not reach back).
    pub fn in_force_from(&self) -> DateTime<FixedOffset> {
        match self.entrusted_at() {
            Some(at) if at > self.contract.valid_from => at,
            _ => self.contract.valid_from,
        }
    }

    /// The end of the entrustment after its whole history: the contract's
    /// end, or the recorded end of the entrustment when that is earlier.
    pub fn in_force_until(&self) -> DateTime<FixedOffset> {
        match self.ended_at() {
            Some(at) if at < self.contract.valid_until => at,
            _ => self.contract.valid_until,
        }
    }

    /// Whether the entrustment is in force at `at`: `at` lies in
    /// `[in_force_from, in_force_until)`.
    pub fn in_force_at(&self, at: &DateTime<FixedOffset>) -> bool {
        self.in_force_from() <= *at && *at < self.in_force_until()
    }

    /// Whether the entry existed at `at`: it was not first recorded by a
    /// later entrustment.
    pub fn recorded_by(&self, at: &DateTime<FixedOffset>) -> bool {
        self.entrusted_at().is_none_or(|e| e <= *at)
    }

    /// Whether it is entrusted with `dataset`.
    pub fn entrusted_with(&self, dataset: &DatasetId) -> bool {
        self.datasets.contains(dataset)
    }

    /// Its disposal receipt for the data of `grant`, if one is recorded.
    pub fn disposal_of(&self, grant: &GrantId) -> Option<&HolderDisposal> {
        self.disposals.iter().find(|d| &d.grant == grant)
    }

    /// The instant of the entry's latest recorded event: a history event
    /// or a disposal receipt. A new change may not take effect before it.
    pub fn last_event_at(&self) -> Option<DateTime<FixedOffset>> {
        self.history
            .iter()
            .map(|e| e.at)
            .chain(self.disposals.iter().map(|d| d.at))
            .max()
    }

    /// The entry as it stood at `at`: the contract's period as the
    /// history had left it by `at` (from the recorded entrustment, to its
    /// recorded end once that has come), and only the events and receipts
    /// up to `at`.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Contractor;
    /// use govshare::time::parse_rfc3339;
    ///
    /// let c: Contractor = serde_json::from_str(r#"{"id": "c-1", "name": "某公司",
    ///     "uscc": "91330106MA2H0CLD14", "department": "hz-hrss",
    ///     "contract": {"id": "HT-1", "valid_from": "2026-01-01T00:00:00+08:00",
    ///                  "valid_until": "2027-01-01T00:00:00+08:00", "security_agreement": true},
    ///     "datasets": ["ent-reg"], "activities": ["processing"],
    ///     "history": [{"at": "2026-02-01T09:00:00+08:00", "by": "hz-hrss", "change": {"kind": "entrusted"}},
    ///                 {"at": "2026-07-01T09:00:00+08:00", "by": "hz-hrss", "change": {"kind": "ended"}}]}"#)?;
    /// let at = |t| parse_rfc3339(t);
    /// assert!(!c.as_of(&at("2026-01-15T00:00:00+08:00")?).in_force_at(&at("2026-01-15T00:00:00+08:00")?));
    /// assert!(c.as_of(&at("2026-03-01T00:00:00+08:00")?).in_force_at(&at("2026-03-01T00:00:00+08:00")?));
    /// let later = c.as_of(&at("2026-08-01T00:00:00+08:00")?);
    /// assert_eq!(later.contract.valid_until, at("2026-07-01T09:00:00+08:00")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, at: &DateTime<FixedOffset>) -> Cow<'_, Contractor> {
        if self.history.is_empty() && self.disposals.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut c = self.clone();
        c.contract.valid_from = self.in_force_from();
        if let Some(end) = self.ended_at()
            && end <= *at
            && end < c.contract.valid_until
        {
            c.contract.valid_until = end;
        }
        c.history.retain(|e| e.at <= *at);
        c.disposals.retain(|d| d.at <= *at);
        Cow::Owned(c)
    }
}

/// The characters of a unified social credit code (GB 32100-2015), in the
/// order of their values 0–30: digits and capitals without I, O, S, V, Z.
const USCC_CHARACTERS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Why a unified social credit code does not hold (GB 32100-2015).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UsccProblem {
    /// Not 18 characters long.
    Length(usize),
    /// A character outside the standard's set, at a 1-based position.
    Character {
        /// The position, from 1.
        position: usize,
        /// The character.
        character: char,
    },
    /// The 18th character is not the check character of the first 17.
    CheckCharacter {
        /// The check character the first 17 give.
        expected: char,
        /// The one the code has.
        found: char,
    },
}

impl fmt::Display for UsccProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsccProblem::Length(n) => write!(f, "it has {n} characters, not 18"),
            UsccProblem::Character {
                position,
                character,
            } => write!(
                f,
                "character {position} `{}` is not a digit or a capital other than I, O, S, V, Z",
                character.escape_default()
            ),
            UsccProblem::CheckCharacter { expected, found } => write!(
                f,
                "its check character is `{found}`, but the first 17 characters give `{expected}`"
            ),
        }
    }
}

/// What is wrong with a unified social credit code, if anything: 18
/// characters of the standard's set, the last the check character of the
/// first 17 (GB 32100-2015: weights 3^(i−1) mod 31 for positions 1 to 17,
/// check value 31 − (Σ mod 31), with 31 read as 0).
pub(crate) fn uscc_problem(code: &str) -> Option<UsccProblem> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Some(UsccProblem::Length(chars.len()));
    }
    let mut values = Vec::with_capacity(18);
    for (i, &c) in chars.iter().enumerate() {
        match USCC_CHARACTERS.find(c) {
            Some(v) => values.push(v),
            None => {
                return Some(UsccProblem::Character {
                    position: i + 1,
                    character: c,
                });
            }
        }
    }
    let mut weight = 1usize;
    let mut sum = 0usize;
    for v in values.iter().take(17) {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    let expected = USCC_CHARACTERS.chars().nth(check)?;
    let found = *chars.last()?;
    (expected != found).then_some(UsccProblem::CheckCharacter { expected, found })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_hold_and_altered_ones_do_not() {
        // A test vector of python-stdnum, and two codes published as
        // examples of valid codes; the last character altered, each fails.
        for code in [
            "91110000600037341L",
            "91230184MA1BUFLT44",
            "92371000MA3MXH0E3W",
        ] {
            assert_eq!(uscc_problem(code), None, "{code}");
            let mut altered: String = code.chars().take(17).collect();
            altered.push(if code.ends_with('0') { '1' } else { '0' });
            assert!(
                matches!(
                    uscc_problem(&altered),
                    Some(UsccProblem::CheckCharacter { .. })
                ),
                "{altered}"
            );
        }
        // Early pilot codes of Fujian that the standard's rule does not fit.
        assert_eq!(
            uscc_problem("91350100M0001TGQXM"),
            Some(UsccProblem::CheckCharacter {
                expected: '1',
                found: 'M'
            })
        );
        assert_eq!(
            uscc_problem("91350211M0000XUF46"),
            Some(UsccProblem::CheckCharacter {
                expected: 'R',
                found: '6'
            })
        );
    }

    #[test]
    fn bad_lengths_and_characters_are_named() {
        // The placeholder of the design notes is well formed but fails its
        // check.
        assert_eq!(
            uscc_problem("91330106MA2XXXXXXX"),
            Some(UsccProblem::CheckCharacter {
                expected: 'Q',
                found: 'X'
            })
        );
        assert_eq!(uscc_problem("9133"), Some(UsccProblem::Length(4)));
        assert_eq!(
            uscc_problem("91330106MA2H0CLDI4"),
            Some(UsccProblem::Character {
                position: 17,
                character: 'I'
            })
        );
        assert_eq!(
            uscc_problem("91330106ma2h0cld14"),
            Some(UsccProblem::Character {
                position: 9,
                character: 'm'
            })
        );
        assert_eq!(uscc_problem("91330106MA2H0CLD14"), None);
    }

    fn contractor(history: serde_json::Value) -> Contractor {
        serde_json::from_value(serde_json::json!({"id": "c-1", "name": "某公司",
            "uscc": "91330106MA2H0CLD14", "department": "hz-hrss",
            "contract": {"id": "HT-1", "valid_from": "2026-01-01T00:00:00+08:00",
                         "valid_until": "2027-01-01T00:00:00+08:00", "security_agreement": true},
            "datasets": ["ent-reg"], "activities": ["processing"], "history": history}))
        .unwrap()
    }

    fn t(s: &str) -> DateTime<FixedOffset> {
        crate::time::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn an_entrustment_does_not_reach_back_and_its_end_counts_from_its_instant() {
        let c = contractor(serde_json::json!([
            {"at": "2026-02-01T00:00:00+08:00", "change": {"kind": "entrusted"}},
            {"at": "2026-05-01T00:00:00+08:00", "change": {"kind": "ended"}}]));
        assert_eq!(c.in_force_from(), t("2026-02-01T00:00:00+08:00"));
        assert_eq!(c.in_force_until(), t("2026-05-01T00:00:00+08:00"));
        assert!(!c.recorded_by(&t("2026-01-31T23:59:59+08:00")));
        assert!(c.recorded_by(&t("2026-02-01T00:00:00+08:00")));
        let before_end = c.as_of(&t("2026-04-30T00:00:00+08:00"));
        assert_eq!(
            before_end.contract.valid_until,
            t("2027-01-01T00:00:00+08:00")
        );
        assert_eq!(before_end.history.len(), 1);
        assert!(before_end.in_force_at(&t("2026-04-30T00:00:00+08:00")));
        let after_end = c.as_of(&t("2026-05-01T00:00:00+08:00"));
        assert!(!after_end.in_force_at(&t("2026-05-01T00:00:00+08:00")));
        // An end recorded after the contract's own end keeps the contract's.
        let late = contractor(serde_json::json!([
            {"at": "2027-02-01T00:00:00+08:00", "change": {"kind": "ended"}}]));
        assert_eq!(late.in_force_until(), t("2027-01-01T00:00:00+08:00"));
    }

    #[test]
    fn unknown_activities_and_keys_are_refused() {
        let mut v = serde_json::to_value(contractor(serde_json::json!([]))).unwrap();
        v["activities"] = serde_json::json!(["transfer"]);
        assert!(serde_json::from_value::<Contractor>(v.clone()).is_err());
        v["activities"] = serde_json::json!(["storage"]);
        v["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Contractor>(v).is_err());
    }
}
