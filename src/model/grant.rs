//! Approved grants: what a requester may do with a dataset (Art. 20–27).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::IdError;
use crate::time::rfc3339;

use super::{
    DatasetId, DepartmentId, GrantEvent, GrantId, ItemName, PurposeCode, RecipientId, SharingMethod,
};

/// How the provider requires the data to be disposed of once the purpose
/// ends (Art. 27: 按照政务数据提供部门的要求妥善处置).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisposalMethod {
    /// 删除.
    Delete,
    /// 退还.
    Return,
    /// 封存归档.
    Archive,
    /// 匿名化处理.
    Anonymize,
}

impl DisposalMethod {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DisposalMethod::Delete => "delete",
            DisposalMethod::Return => "return",
            DisposalMethod::Archive => "archive",
            DisposalMethod::Anonymize => "anonymize",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            DisposalMethod::Delete => "删除",
            DisposalMethod::Return => "退还",
            DisposalMethod::Archive => "封存归档",
            DisposalMethod::Anonymize => "匿名化处理",
        }
    }
}

/// The provider's disposal instruction attached to a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisposalInstruction {
    /// The method required.
    pub method: DisposalMethod,
    /// PRC working days allowed after the purpose ends or the period of use
    /// ends.
    pub within_working_days: u32,
}

/// Lifecycle status of a grant (Art. 27(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    /// In force.
    Active,
    /// Suspended after a violation, pending correction.
    Suspended,
    /// Terminated after a failed correction.
    Terminated,
}

impl GrantStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantStatus::Active => "active",
            GrantStatus::Suspended => "suspended",
            GrantStatus::Terminated => "terminated",
        }
    }
}

/// What a provider's consent (Art. 25) widens the grant by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConsentScope {
    /// A further data item.
    Item(ItemName),
    /// A further purpose (and everything under it).
    Purpose(PurposeCode),
    /// An onward recipient the data may be transferred to.
    Recipient(RecipientId),
}

/// A provider's recorded consent that widens a grant (Art. 25).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WireConsent", into = "WireConsent")]
pub struct Consent {
    /// What the consent adds.
    pub scope: ConsentScope,
    /// When the provider consented.
    pub at: DateTime<FixedOffset>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireConsent {
    kind: WireConsentKind,
    value: String,
    #[serde(with = "rfc3339")]
    at: DateTime<FixedOffset>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WireConsentKind {
    Item,
    Purpose,
    Recipient,
}

impl TryFrom<WireConsent> for Consent {
    type Error = IdError;
    fn try_from(w: WireConsent) -> Result<Self, IdError> {
        let scope = match w.kind {
            WireConsentKind::Item => ConsentScope::Item(ItemName::new(w.value)?),
            WireConsentKind::Purpose => ConsentScope::Purpose(PurposeCode::new(w.value)?),
            WireConsentKind::Recipient => ConsentScope::Recipient(RecipientId::new(w.value)?),
        };
        Ok(Consent { scope, at: w.at })
    }
}

impl From<Consent> for WireConsent {
    fn from(c: Consent) -> Self {
        let (kind, value) = match c.scope {
            ConsentScope::Item(v) => (WireConsentKind::Item, String::from(v)),
            ConsentScope::Purpose(v) => (WireConsentKind::Purpose, String::from(v)),
            ConsentScope::Recipient(v) => (WireConsentKind::Recipient, String::from(v)),
        };
        WireConsent {
            kind,
            value,
            at: c.at,
        }
    }
}

/// Why a purpose ended (Art. 27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndTrigger {
    /// 共享目的已实现.
    PurposeAchieved,
    /// 共享目的无法实现.
    PurposeUnachievable,
    /// 为实现共享目的不再必要.
    NoLongerNecessary,
}

impl EndTrigger {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EndTrigger::PurposeAchieved => "purpose_achieved",
            EndTrigger::PurposeUnachievable => "purpose_unachievable",
            EndTrigger::NoLongerNecessary => "no_longer_necessary",
        }
    }

    /// The Chinese wording of Art. 27.
    pub fn zh(self) -> &'static str {
        match self {
            EndTrigger::PurposeAchieved => "共享目的已实现",
            EndTrigger::PurposeUnachievable => "共享目的无法实现",
            EndTrigger::NoLongerNecessary => "为实现共享目的不再必要",
        }
    }
}

/// A recorded purpose-end event (Art. 27).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeEnd {
    /// Why the purpose ended.
    pub trigger: EndTrigger,
    /// When it ended.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
}

/// A disposal receipt (Art. 27, 29).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisposalRecord {
    /// The method actually used.
    pub method: DisposalMethod,
    /// When the data was disposed of.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// Who attests the disposal.
    pub attested_by: String,
}

/// An approved grant: the provider's approval of one application (Art. 20–21)
/// with its scope, purpose, method and period of use, the provider's disposal
/// instruction, its status and its later records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Stable id, usually a UUID.
    pub id: GrantId,
    /// The catalog entry granted.
    pub dataset: DatasetId,
    /// The requesting department.
    pub requester: DepartmentId,
    /// The approved purpose (共享目的).
    pub purpose: PurposeCode,
    /// 使用依据: the legal basis of the requester's duty.
    pub basis: String,
    /// 使用场景.
    pub scenario: String,
    /// 使用范围: the approved data items.
    pub items: Vec<ItemName>,
    /// 共享方式 approved.
    pub methods: Vec<SharingMethod>,
    /// Start of the period of use (inclusive).
    #[serde(with = "rfc3339")]
    pub valid_from: DateTime<FixedOffset>,
    /// End of the period of use (exclusive).
    #[serde(with = "rfc3339")]
    pub valid_until: DateTime<FixedOffset>,
    /// The provider's disposal instruction.
    pub disposal: DisposalInstruction,
    /// Lifecycle status.
    pub status: GrantStatus,
    /// Provider consents that widen the grant (Art. 25).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consents: Vec<Consent>,
    /// The purpose-end event, once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<PurposeEnd>,
    /// The disposal receipt, once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposed: Option<Box<DisposalRecord>>,
    /// Set on a backflow grant: an upper-level department returning data
    /// about a lower level's territory, which may carry no conditions beyond
    /// security (Art. 24).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub backflow: bool,
    /// Conditions the provider attached beyond the catalog entry's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// The current suspension, while the grant is suspended (Art. 27(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension: Option<Box<Suspension>>,
    /// The dated changes after approval, in the order they took effect:
    /// suspensions, reinstatements, termination, renewals, amendments, the
    /// withdrawal of the entry. A decision sees the grant as they left it
    /// at the time of use ([`Grant::as_of`]); `status` states where they
    /// leave it at the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<GrantEvent>,
}

/// A violation that obliges suspension (Art. 27(2), 40(2)–(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Violation {
    /// Use beyond the granted scope.
    ScopeExpansion,
    /// Use for another purpose.
    PurposeChange,
    /// Data passed to a third party without consent.
    ThirdParty,
}

impl Violation {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Violation::ScopeExpansion => "scope_expansion",
            Violation::PurposeChange => "purpose_change",
            Violation::ThirdParty => "third_party",
        }
    }
}

/// A suspension of a grant after a violation, with the deadline to correct
/// it (Art. 27(2): 暂停其政务数据共享权限，并责令限期改正).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// The violation found.
    pub violation: Violation,
    /// When the grant was suspended.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// The deadline to correct.
    #[serde(with = "rfc3339")]
    pub correct_by: DateTime<FixedOffset>,
    /// Who suspended it (the authority or the provider).
    pub by: String,
    /// What was found.
    pub reason: String,
}

impl Grant {
    /// The consents given at or before `at`: a consent widens the grant
    /// from the moment the provider gave it, so a use is judged by the
    /// consents it had (Art. 25).
    pub fn consents_at<'a>(
        &'a self,
        at: &'a DateTime<FixedOffset>,
    ) -> impl Iterator<Item = &'a Consent> {
        self.consents.iter().filter(move |c| c.at <= *at)
    }

    /// Items granted at `at` (after amendments) plus items consented to by
    /// `at`.
    pub fn effective_items<'a>(
        &'a self,
        at: &'a DateTime<FixedOffset>,
    ) -> impl Iterator<Item = &'a ItemName> {
        self.items_at(at)
            .iter()
            .chain(self.consents_at(at).filter_map(|c| match &c.scope {
                ConsentScope::Item(i) => Some(i),
                _ => None,
            }))
    }

    /// The purposes granted at `at` (the approved purpose, or an
    /// amendment's) plus purposes consented to by `at`.
    pub fn effective_purposes<'a>(
        &'a self,
        at: &'a DateTime<FixedOffset>,
    ) -> impl Iterator<Item = &'a PurposeCode> {
        self.purposes_at(at)
            .iter()
            .chain(self.consents_at(at).filter_map(|c| match &c.scope {
                ConsentScope::Purpose(p) => Some(p),
                _ => None,
            }))
    }

    /// Recipients consented to by `at`.
    pub fn consented_recipients<'a>(
        &'a self,
        at: &'a DateTime<FixedOffset>,
    ) -> impl Iterator<Item = &'a RecipientId> {
        self.consents_at(at).filter_map(|c| match &c.scope {
            ConsentScope::Recipient(r) => Some(r),
            _ => None,
        })
    }

    /// The instant from which disposal is owed: the earliest of the end of
    /// the period of use (after the renewals in the history), a recorded
    /// purpose end and the withdrawal of the catalog entry (Art. 27).
    pub fn disposal_trigger(&self) -> (DateTime<FixedOffset>, DisposalTrigger) {
        let mut trigger = (self.latest_valid_until(), DisposalTrigger::PeriodEnded);
        if let Some(end) = self.ended
            && end.at < trigger.0
        {
            trigger = (end.at, DisposalTrigger::PurposeEnded(end.trigger));
        }
        if let Some(at) = self.withdrawn_at()
            && at < trigger.0
        {
            trigger = (at, DisposalTrigger::EntryWithdrawn);
        }
        trigger
    }
}

/// What makes disposal fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisposalTrigger {
    /// The period of use ended (使用时限届满).
    PeriodEnded,
    /// A purpose-end event was recorded.
    PurposeEnded(EndTrigger),
    /// The catalog entry was withdrawn (Art. 27(3)).
    EntryWithdrawn,
}

impl DisposalTrigger {
    /// The wire name: `period_ended`, the purpose-end trigger, or
    /// `entry_withdrawn`.
    pub fn as_str(self) -> &'static str {
        match self {
            DisposalTrigger::PeriodEnded => "period_ended",
            DisposalTrigger::PurposeEnded(t) => t.as_str(),
            DisposalTrigger::EntryWithdrawn => "entry_withdrawn",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use chrono::{DateTime, FixedOffset};
    use proptest::prelude::*;

    use super::*;
    use crate::time::{epoch_micros, epoch_micros_ceil, parse_rfc3339};

    /// Instants as text: every field in range, a fraction of 0 to 9
    /// digits, `Z`/`z` or an offset up to ±23:59, and now and then a leap
    /// second (`:60`), which the parser must refuse.
    fn instant_text() -> impl Strategy<Value = String> {
        (
            (2000i32..=2199, 1u32..=12, 1u32..=28),
            (
                0u32..24,
                0u32..60,
                prop_oneof![10 => 0u32..60, 1 => Just(60u32)],
            ),
            (0usize..=9, 0u64..1_000_000_000),
            prop_oneof![
                Just("Z".to_owned()),
                Just("z".to_owned()),
                (any::<bool>(), 0u32..24, 0u32..60).prop_map(|(neg, h, m)| format!(
                    "{}{h:02}:{m:02}",
                    if neg { '-' } else { '+' }
                )),
            ],
            any::<bool>(),
        )
            .prop_map(
                |((y, mo, d), (h, mi, s), (digits, frac), offset, lower_t)| {
                    let fraction = if digits == 0 {
                        String::new()
                    } else {
                        let full = format!("{frac:09}");
                        format!(".{}", &full[..digits])
                    };
                    let t = if lower_t { 't' } else { 'T' };
                    format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}{fraction}{offset}")
                },
            )
    }

    /// Two instants near each other (within a few seconds) as well as far
    /// apart, so ties and sub-microsecond differences are exercised.
    fn pair() -> impl Strategy<Value = (String, String)> {
        prop_oneof![
            (instant_text(), instant_text()),
            (
                instant_text(),
                -2i64..=2,
                -2_000_000_000i64..=2_000_000_000,
                0usize..4
            )
                .prop_map(|(a, secs, nanos, zone)| {
                    let Ok(t) = parse_rfc3339(&a) else {
                        return (a.clone(), a);
                    };
                    let t = t
                        + chrono::Duration::seconds(secs)
                        + chrono::Duration::nanoseconds(if secs == 0 {
                            nanos % 2_000
                        } else {
                            nanos
                        });
                    let offset = [0, 8 * 3600, -5 * 3600, 5 * 3600 + 45 * 60][zone];
                    let b = t.with_timezone(&FixedOffset::east_opt(offset).unwrap());
                    (a, crate::time::format_rfc3339(&b))
                }),
        ]
    }

    fn with_consent_at(at: DateTime<FixedOffset>) -> Grant {
        let mut g: Grant = serde_json::from_value(serde_json::json!({
            "id": "g", "dataset": "d", "requester": "r", "purpose": "p", "basis": "b",
            "scenario": "s", "items": ["i"], "methods": ["service_interface"],
            "valid_from": "2000-01-01T00:00:00Z", "valid_until": "2199-12-31T00:00:00Z",
            "disposal": {"method": "delete", "within_working_days": 1}, "status": "active"}))
        .unwrap();
        g.consents.push(Consent {
            scope: ConsentScope::Item(ItemName::new("extra").unwrap()),
            at,
        });
        g
    }

    proptest! {
        /// For any two accepted instants, the order as parsed is the order
        /// of their exact epoch time, the microsecond forms the policies
        /// compare never contradict it, and the consent code (which
        /// compares parsed instants) sees the same order.
        #[test]
        fn instants_order_the_same_way_as_parsed_as_microseconds_and_for_consents(
            (a, b) in pair()
        ) {
            let (Ok(pa), Ok(pb)) = (parse_rfc3339(&a), parse_rfc3339(&b)) else {
                // Only a leap second is refused among the generated texts.
                prop_assert!(a.contains(":60") || b.contains(":60"), "{} {}", a, b);
                return Ok(());
            };
            let exact = |t: &DateTime<FixedOffset>| (t.timestamp(), t.timestamp_subsec_nanos());
            prop_assert_eq!(pa.cmp(&pb), exact(&pa).cmp(&exact(&pb)), "{} vs {}", a, b);
            // Microseconds, rounded down (a time of use, an end) or up (a
            // start), are monotone in the parsed order…
            if pa <= pb {
                prop_assert!(epoch_micros(&pa) <= epoch_micros(&pb), "{} {}", a, b);
                prop_assert!(epoch_micros_ceil(&pa) <= epoch_micros_ceil(&pb), "{} {}", a, b);
            }
            // …and a strict order in microseconds is the parsed order.
            match epoch_micros(&pa).cmp(&epoch_micros(&pb)) {
                Ordering::Less => prop_assert!(pa < pb),
                Ordering::Greater => prop_assert!(pa > pb),
                Ordering::Equal => {}
            }
            // A use at `b` against a period starting at `a`: the policies'
            // `at >= valid_from` holds only when `b` is really not before `a`.
            if epoch_micros(&pb) >= epoch_micros_ceil(&pa) {
                prop_assert!(pb >= pa, "{} judged at or after {}", b, a);
            }
            // A consent given at `a` counts for a use at `b` exactly when
            // `a <= b`.
            let grant = with_consent_at(pa);
            prop_assert_eq!(grant.consents_at(&pb).count() == 1, pa <= pb, "{} {}", a, b);
            // The printed form parses back to the same instant.
            let printed = crate::time::format_rfc3339(&pa);
            prop_assert_eq!(parse_rfc3339(&printed).unwrap(), pa);
        }
    }

    #[test]
    fn the_leap_second_that_was_allowed_one_second_early_is_refused() {
        // Before: parsed, ordered before midnight by the consent code but
        // after it in microseconds, so a period starting at midnight allowed it.
        assert!(parse_rfc3339("2025-08-31T23:59:60.5+08:00").is_err());
        let last = parse_rfc3339("2025-08-31T23:59:59.999999999+08:00").unwrap();
        let midnight = parse_rfc3339("2025-09-01T00:00:00+08:00").unwrap();
        assert!(last < midnight);
        assert!(epoch_micros(&last) < epoch_micros_ceil(&midnight));
    }
}
