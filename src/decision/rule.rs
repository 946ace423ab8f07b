//! Typed rule ids: the statutory catalog, the engine's own reasons, the
//! obligations, and the id of any rule a reason names. Each has its stable
//! string (`as_str`), a public contract: never renamed, never reused.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The statutory rules, in catalog order (DESIGN §3): a deny lists its
/// reasons in this order. Each is one policy of `policies/statutory/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum StatutoryRule {
    /// `GS-UNKNOWN-REQUESTER` (Art. 2).
    UnknownRequester,
    /// `GS-NOT-PUBLISHED` (Art. 16).
    NotPublished,
    /// `GS-NOT-SHARED` (Art. 14, 15).
    NotShared,
    /// `GS-UNKNOWN-PROVIDER` (Art. 2).
    UnknownProvider,
    /// `GS-SECRET-DATA` (Art. 3).
    SecretData,
    /// `GS-OUTSIDE-SHARING-SCOPE` (Art. 14, 15).
    OutsideSharingScope,
    /// `GS-USE-NOT-PERMITTED` (Art. 14, 15).
    UseNotPermitted,
    /// `GS-UNREGISTERED-PURPOSE` (Art. 20, 25).
    UnregisteredPurpose,
    /// `GS-NO-GRANT` (Art. 20, 21).
    NoGrant,
    /// `GS-GRANT-OTHER-REQUESTER` (Art. 25, 40(3)).
    GrantOtherRequester,
    /// `GS-SCOPE-EXPANSION` (Art. 25, 40(2)).
    ScopeExpansion,
    /// `GS-PURPOSE-CHANGE` (Art. 25, 40(2)).
    PurposeChange,
    /// `GS-THIRD-PARTY` (Art. 25, 40(3)).
    ThirdParty,
    /// `GS-PROCESSOR-NOT-ENTRUSTED` (Art. 36).
    ProcessorNotEntrusted,
    /// `GS-METHOD-NOT-GRANTED` (Art. 20, 22).
    MethodNotGranted,
    /// `GS-NOT-YET-VALID` (Art. 20).
    NotYetValid,
    /// `GS-PERIOD-ENDED` (Art. 20, 27).
    PeriodEnded,
    /// `GS-PURPOSE-ENDED` (Art. 27).
    PurposeEnded,
    /// `GS-GRANT-SUSPENDED` (Art. 27).
    GrantSuspended,
    /// `GS-GRANT-TERMINATED` (Art. 27).
    GrantTerminated,
    /// `GS-DISPOSED` (Art. 27).
    Disposed,
}

impl StatutoryRule {
    /// Every statutory rule, in catalog order.
    pub const CATALOG: [StatutoryRule; 21] = [
        StatutoryRule::UnknownRequester,
        StatutoryRule::NotPublished,
        StatutoryRule::NotShared,
        StatutoryRule::UnknownProvider,
        StatutoryRule::SecretData,
        StatutoryRule::OutsideSharingScope,
        StatutoryRule::UseNotPermitted,
        StatutoryRule::UnregisteredPurpose,
        StatutoryRule::NoGrant,
        StatutoryRule::GrantOtherRequester,
        StatutoryRule::ScopeExpansion,
        StatutoryRule::PurposeChange,
        StatutoryRule::ThirdParty,
        StatutoryRule::ProcessorNotEntrusted,
        StatutoryRule::MethodNotGranted,
        StatutoryRule::NotYetValid,
        StatutoryRule::PeriodEnded,
        StatutoryRule::PurposeEnded,
        StatutoryRule::GrantSuspended,
        StatutoryRule::GrantTerminated,
        StatutoryRule::Disposed,
    ];

    /// The stable id, such as `GS-SCOPE-EXPANSION`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatutoryRule::UnknownRequester => "GS-UNKNOWN-REQUESTER",
            StatutoryRule::NotPublished => "GS-NOT-PUBLISHED",
            StatutoryRule::NotShared => "GS-NOT-SHARED",
            StatutoryRule::UnknownProvider => "GS-UNKNOWN-PROVIDER",
            StatutoryRule::SecretData => "GS-SECRET-DATA",
            StatutoryRule::OutsideSharingScope => "GS-OUTSIDE-SHARING-SCOPE",
            StatutoryRule::UseNotPermitted => "GS-USE-NOT-PERMITTED",
            StatutoryRule::UnregisteredPurpose => "GS-UNREGISTERED-PURPOSE",
            StatutoryRule::NoGrant => "GS-NO-GRANT",
            StatutoryRule::GrantOtherRequester => "GS-GRANT-OTHER-REQUESTER",
            StatutoryRule::ScopeExpansion => "GS-SCOPE-EXPANSION",
            StatutoryRule::PurposeChange => "GS-PURPOSE-CHANGE",
            StatutoryRule::ThirdParty => "GS-THIRD-PARTY",
            StatutoryRule::ProcessorNotEntrusted => "GS-PROCESSOR-NOT-ENTRUSTED",
            StatutoryRule::MethodNotGranted => "GS-METHOD-NOT-GRANTED",
            StatutoryRule::NotYetValid => "GS-NOT-YET-VALID",
            StatutoryRule::PeriodEnded => "GS-PERIOD-ENDED",
            StatutoryRule::PurposeEnded => "GS-PURPOSE-ENDED",
            StatutoryRule::GrantSuspended => "GS-GRANT-SUSPENDED",
            StatutoryRule::GrantTerminated => "GS-GRANT-TERMINATED",
            StatutoryRule::Disposed => "GS-DISPOSED",
        }
    }

    /// The rule with this id, if it is in the catalog.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::CATALOG.into_iter().find(|r| r.as_str() == id)
    }

    /// Its position in the catalog order, from 0.
    pub fn position(self) -> usize {
        Self::CATALOG
            .iter()
            .position(|r| *r == self)
            .unwrap_or(Self::CATALOG.len())
    }
}

/// A reason the engine gives itself, always with a deny: deciding failed
/// closed, or no policy applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EngineReason {
    /// `GS-EVALUATION-ERROR`: a policy could not be evaluated.
    EvaluationError,
    /// `GS-FACTS-UNAVAILABLE`: the fact source failed.
    FactsUnavailable,
    /// `GS-INVALID-REQUEST`: a request built in code breaks the wire format.
    InvalidRequest,
    /// `GS-DEFAULT-DENY`: no policy permitted the use.
    DefaultDeny,
    /// `GS-CLOCK-SKEW`: the host set a maximum clock skew and the request's
    /// `at` lies farther than that from the engine's clock.
    ClockSkew,
}

impl EngineReason {
    /// Every engine reason.
    pub const ALL: [EngineReason; 5] = [
        EngineReason::EvaluationError,
        EngineReason::FactsUnavailable,
        EngineReason::InvalidRequest,
        EngineReason::DefaultDeny,
        EngineReason::ClockSkew,
    ];

    /// The stable id, such as `GS-FACTS-UNAVAILABLE`.
    pub fn as_str(self) -> &'static str {
        match self {
            EngineReason::EvaluationError => "GS-EVALUATION-ERROR",
            EngineReason::FactsUnavailable => "GS-FACTS-UNAVAILABLE",
            EngineReason::InvalidRequest => "GS-INVALID-REQUEST",
            EngineReason::DefaultDeny => "GS-DEFAULT-DENY",
            EngineReason::ClockSkew => "GS-CLOCK-SKEW",
        }
    }
}

/// A duty that comes with a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ObligationId {
    /// `GS-OBL-RECORD-USE` (Art. 29): record the use, keep it three years.
    RecordUse,
    /// `GS-OBL-DISPOSE` (Art. 27, 40(4)): dispose of the data as the
    /// provider requires, by a date; every holder of the data, the
    /// requester and the contractors holding it for the requester.
    Dispose,
    /// `GS-OBL-SUPERVISE-PROCESSOR` (Art. 36): the requester supervises
    /// the contractor that processed the data for it, within its contract.
    SuperviseProcessor,
}

impl ObligationId {
    /// Every obligation.
    pub const ALL: [ObligationId; 3] = [
        ObligationId::RecordUse,
        ObligationId::Dispose,
        ObligationId::SuperviseProcessor,
    ];

    /// The stable id, such as `GS-OBL-DISPOSE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ObligationId::RecordUse => "GS-OBL-RECORD-USE",
            ObligationId::Dispose => "GS-OBL-DISPOSE",
            ObligationId::SuperviseProcessor => "GS-OBL-SUPERVISE-PROCESSOR",
        }
    }

    /// The obligation with this id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == id)
    }
}

/// The id of the rule a reason names: the statutory permit, a statutory
/// rule, an engine reason, or a rule of an optional or local policy (by its
/// `@id`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// `GS-PERMIT`: the one reason of every allow.
    Permit,
    /// A rule of the statutory catalog.
    Statutory(StatutoryRule),
    /// A reason the engine gives itself.
    Engine(EngineReason),
    /// A rule of an optional or local policy.
    Policy(String),
}

impl RuleId {
    /// The id of the statutory permit.
    pub const PERMIT: &'static str = "GS-PERMIT";

    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            RuleId::Permit => Self::PERMIT,
            RuleId::Statutory(r) => r.as_str(),
            RuleId::Engine(r) => r.as_str(),
            RuleId::Policy(id) => id,
        }
    }

    /// The id of a rule or reason named by its text: the permit, a catalog
    /// rule or an engine reason when the text is one of theirs, otherwise a
    /// policy's own id.
    pub fn from_id(id: &str) -> Self {
        if id == Self::PERMIT {
            return RuleId::Permit;
        }
        if let Some(r) = StatutoryRule::from_id(id) {
            return RuleId::Statutory(r);
        }
        match EngineReason::ALL.into_iter().find(|r| r.as_str() == id) {
            Some(r) => RuleId::Engine(r),
            None => RuleId::Policy(id.to_owned()),
        }
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

display_as_str!(StatutoryRule, EngineReason, ObligationId, RuleId);

/// Ids compare with their text, as tests and hosts write them.
macro_rules! eq_str {
    ($($t:ty),*) => {$(
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )*};
}

eq_str!(RuleId, ObligationId);

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Ok(RuleId::from_id(&id))
    }
}

impl Serialize for ObligationId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ObligationId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        ObligationId::from_id(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown obligation `{id}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_text() {
        for r in StatutoryRule::CATALOG {
            assert_eq!(StatutoryRule::from_id(r.as_str()), Some(r));
            assert_eq!(RuleId::from_id(r.as_str()), RuleId::Statutory(r));
        }
        for r in EngineReason::ALL {
            assert_eq!(RuleId::from_id(r.as_str()), RuleId::Engine(r));
        }
        assert_eq!(RuleId::from_id("GS-PERMIT"), RuleId::Permit);
        assert_eq!(
            RuleId::from_id("ZJ-LOCAL-1"),
            RuleId::Policy("ZJ-LOCAL-1".into())
        );
        for o in ObligationId::ALL {
            assert_eq!(ObligationId::from_id(o.as_str()), Some(o));
        }
    }

    #[test]
    fn the_catalog_is_in_declaration_order_and_unique() {
        let mut sorted = StatutoryRule::CATALOG;
        sorted.sort();
        assert_eq!(sorted, StatutoryRule::CATALOG);
        for (i, r) in StatutoryRule::CATALOG.iter().enumerate() {
            assert_eq!(r.position(), i);
        }
    }
}
