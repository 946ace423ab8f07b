//! The Art. 29 usage record: an append-only, hash-chained log of the
//! decisions the engine made and the use events the host reports (scenario,
//! process, results, storage, destruction), kept at least three years and
//! open to the provider and the authority.
//!
//! This module holds what is recorded ([`Record`]) and the trait a store of
//! records implements ([`RecordSink`]); the store itself, which chains,
//! signs, verifies, exports and prunes the records, is in the `store`
//! namespace (`govshare::store::Store`).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::decision::Decision;
use crate::engine::UsageRequest;
use crate::error::RecordError;
use crate::model::{DatasetId, DepartmentId, GrantId};
use crate::time::rfc3339;

/// How long records must be kept (Art. 29: 不少于三年).
pub const RETENTION_YEARS: u32 = 3;

/// The categories of use Art. 29 requires a requester to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UseCategory {
    /// 使用场景.
    Scenario,
    /// 使用过程.
    Process,
    /// 应用成效.
    Results,
    /// 存储情况.
    Storage,
    /// 销毁情况.
    Destruction,
}

/// A use event the host reports (Art. 29).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseEvent {
    /// When it happened.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// The grant the data came under.
    pub grant: GrantId,
    /// The requester that holds the data.
    pub requester: DepartmentId,
    /// The dataset.
    pub dataset: DatasetId,
    /// Which Art. 29 category.
    pub category: UseCategory,
    /// What happened.
    pub detail: String,
    /// Who reports it.
    pub actor: String,
}

/// One entry of the usage record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Record {
    /// A decision of the engine, with the request it answered.
    Decision {
        /// The time of use judged (the request's `at`).
        #[serde(with = "rfc3339")]
        at: DateTime<FixedOffset>,
        /// The request.
        request: Box<UsageRequest>,
        /// The decision.
        decision: Box<Decision>,
    },
    /// A use event the host reported.
    UseEvent(UseEvent),
}

impl Record {
    /// A record of a decision.
    pub fn decision(request: &UsageRequest, decision: &Decision) -> Self {
        Record::Decision {
            at: request.at,
            request: Box::new(request.clone()),
            decision: Box::new(decision.clone()),
        }
    }

    /// The record's time.
    pub fn at(&self) -> DateTime<FixedOffset> {
        match self {
            Record::Decision { at, .. } => *at,
            Record::UseEvent(e) => e.at,
        }
    }

    /// The grant it concerns, if any.
    pub fn grant(&self) -> Option<&GrantId> {
        match self {
            Record::Decision {
                decision, request, ..
            } => decision.grant().or(request.grant.as_ref()),
            Record::UseEvent(e) => Some(&e.grant),
        }
    }

    /// The requester it concerns, if any.
    pub fn requester(&self) -> Option<&DepartmentId> {
        match self {
            Record::Decision { request, .. } => Some(&request.requester),
            Record::UseEvent(e) => Some(&e.requester),
        }
    }

    /// The dataset it concerns, if any.
    pub fn dataset(&self) -> Option<&DatasetId> {
        match self {
            Record::Decision { request, .. } => Some(&request.dataset),
            Record::UseEvent(e) => Some(&e.dataset),
        }
    }
}

/// Where an appended entry landed: returned only once it is durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appended {
    /// The entry's sequence number.
    pub seq: u64,
    /// Its hash, the new head of the chain.
    pub hash: String,
    /// When the store appended it, by the store's own clock: retention
    /// counts from here, never from the record's `at`.
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub appended_at: DateTime<FixedOffset>,
}

/// Which records to return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Only this grant.
    pub grant: Option<GrantId>,
    /// Only this requester.
    pub requester: Option<DepartmentId>,
    /// Only this dataset.
    pub dataset: Option<DatasetId>,
    /// Only records at or after this time.
    pub from: Option<DateTime<FixedOffset>>,
    /// Only records before this time.
    pub until: Option<DateTime<FixedOffset>>,
}

impl Query {
    /// Whether a record matches.
    pub fn matches(&self, r: &Record) -> bool {
        self.grant.as_ref().is_none_or(|g| r.grant() == Some(g))
            && self
                .requester
                .as_ref()
                .is_none_or(|q| r.requester() == Some(q))
            && self.dataset.as_ref().is_none_or(|d| r.dataset() == Some(d))
            && self.from.is_none_or(|f| r.at() >= f)
            && self.until.is_none_or(|u| r.at() < u)
    }
}

/// Where usage records go. `govshare::store::Store` (SQLite) is the
/// default; a host can keep them in its own database.
///
/// An implementation appends each record to a hash chain, stamps it with
/// the time of appending by its own clock, and returns only once the
/// record is durable. On an error nothing was appended.
pub trait RecordSink: Send + Sync {
    /// Appends a record durably.
    ///
    /// # Errors
    ///
    /// [`RecordError`] when it cannot be made durable; the record was then
    /// not appended.
    fn record(&self, record: &Record) -> Result<Appended, RecordError>;
}
